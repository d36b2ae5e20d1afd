"""The content policy: what a source file may contain, and which files are published.

Every source file is untrusted: a page, a worksheet, a data file or a translation may come from
anyone. Nothing in them may read a file, fetch an address or run code, and nothing outside the
repository is ever published. Each rule has an id, shown in brackets in its message, so a
writer can look it up in CONTRIBUTING.md and a test can ask for it.

Every pattern here is linear on its input (no nested quantifiers), and lines are capped, so a
hostile file cannot make a check hang.
"""

from __future__ import annotations

import html as htmlmod
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import markdown as md
from .problems import Problem, rel

if TYPE_CHECKING:
    from .project import Page, Project

MAX_LINE = 10_000  # characters; longer lines are refused before any pattern reads them
MAX_FILE = 2_000_000  # bytes of one picture or stylesheet read by a check
MAX_PAGE = 200_000  # characters of one page (the longest today is under 20,000)

# Files a module or worksheet folder may publish, by extension; anything else is a stray file.
UNIT_EXTENSIONS = {".md", ".yml", ".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}
DOCS_EXTENSIONS = (UNIT_EXTENSIONS - {".yml"}) | {".css"}
IMAGE_EXTENSIONS = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}

# Raw HTML the sources may use, and the attributes each tag may carry.
COMMON_ATTRS = {"class", "lang", "title", "id", "dir"}
ALLOWED_TAGS = {
    "details": COMMON_ATTRS | {"open", "markdown"},
    "summary": COMMON_ATTRS,
    "br": set(),
    "abbr": COMMON_ATTRS,
    "div": COMMON_ATTRS | {"markdown"},
    "span": COMMON_ATTRS | {"markdown"},
    "p": COMMON_ATTRS | {"markdown"},
    "section": COMMON_ATTRS | {"markdown"},
    "sup": COMMON_ATTRS,
    "sub": COMMON_ATTRS,
    "small": COMMON_ATTRS,
    "em": COMMON_ATTRS,
    "strong": COMMON_ATTRS,
    "b": COMMON_ATTRS,
    "i": COMMON_ATTRS,
    "u": COMMON_ATTRS,
    "kbd": COMMON_ATTRS,
    "mark": COMMON_ATTRS,
    "q": COMMON_ATTRS | {"lang"},
}
LINK_SCHEMES = {"http", "https", "mailto"}

# MyST directives (```{include}, :::{literalinclude}) and roles ({include}`…`)
DIRECTIVE = re.compile(r"^[\s>]*(?:(?:[-*+]|\d{1,9}[.)])\s+)?(?:`{3,}|~{3,}|:{3,})\s*\{([^}\s]{1,60})\}")
ROLE = re.compile(r"\{([a-zA-Z][\w:+-]{0,40})\}`")
SNIPPET = re.compile(r"-{1,2}8<-{1,2}|;-{1,2}8<")
CODE_SPAN = md.CODE_SPAN
ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
ATTR_LIST = re.compile(r"\{:?([^{}\n]{0,500})\}")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]{1,200}\]:\s*<?(\S+?)>?(?:\s|$)")
REF_IMAGE = re.compile(r"!\[[^\[\]]{0,500}\]\[")


def _blank(match: re.Match) -> str:
    """A code span as spaces of its length, so that what follows keeps its column."""
    return " " * len(match.group(0))


def _rule(rule: str, what: str, fix: str) -> str:
    return f"{what} [{rule}] — {fix}"


def scheme_of(url: str) -> str:
    """The scheme a browser would see: entities decoded, control characters and spaces dropped."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", htmlmod.unescape(url))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def check_text(
    name: str, text: str, first_line: int = 1, folder: Path | None = None, root: Path | None = None
) -> list[Problem]:
    """Every policy problem of one Markdown text (a page body, or a whole file).

    Code blocks are checked like prose: renderers disagree on where a fence starts (an indented
    fence, a fence in a list), so a fence must not be a place to hide HTML. Only inline code
    spans are skipped, and only those that every renderer reads as code.
    """
    problems: list[Problem] = []
    masked: list[str] = []
    for index, line in enumerate(text.split("\n")):
        number = first_line + index
        if len(line) > MAX_LINE:
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "line-too-long",
                        f"the line is {len(line):,} characters long",
                        f"break it into lines of less than {MAX_LINE:,} characters (one sentence a line is fine)",
                    ),
                )
            )
            masked.append("")
            continue
        if "8<" in line and SNIPPET.search(line):
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "snippet",
                        "`--8<--` would paste another file into the page",
                        "write the text into the page itself; pages may not include files",
                    ),
                )
            )
        braces = "{" in line  # directives, roles and attribute lists all hold one
        directive = DIRECTIVE.match(line) if braces else None
        if directive:
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "directive",
                        f"the MyST directive `{{{directive.group(1)}}}` is not portable Markdown and may read files",
                        "use plain Markdown: a GitHub callout `> [!NOTE]`, a table, a list",
                    ),
                )
            )
        for role in ROLE.finditer(line) if braces else ():
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "directive",
                        f"the MyST role `{{{role.group(1)}}}` is not portable Markdown and may read files",
                        "write plain text, or put it in backticks as code",
                    ),
                )
            )
        prose = CODE_SPAN.sub(_blank, line) if "`" in line else line
        masked.append(prose)
        if "]" in prose or "<" in prose:  # every link, image and autolink holds one
            problems += _check_links(name, number, prose, folder, root)
        for match in ATTR_LIST.finditer(prose) if braces else ():
            problems += _check_attr_list(name, number, match.group(1))
    problems += _check_html(name, first_line, "\n".join(masked))
    return problems


MATERIAL_BLOCK = re.compile(r"^ {0,3}(!!!|\?\?\?\+?|===)\s")  # admonitions, collapsible blocks, content tabs


def check_portable(name: str, text: str, first_line: int = 1) -> list[Problem]:
    """Modules and worksheets are portable Markdown (CONTRIBUTING rule 3): the print edition and
    other renderers read them, so no `!!!` admonitions, tabs or `{: …}` attribute lists there."""
    problems = []
    for index, line in enumerate(text.split("\n")):
        number = first_line + index
        block = MATERIAL_BLOCK.match(line)
        if block:
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "portable-markdown",
                        f"`{block.group(1)}` is Material-only syntax that the print edition cannot read",
                        "use a GitHub callout: `> [!NOTE]`, `> [!TIP]`, `> [!WARNING]`…",
                    ),
                )
            )
        prose = CODE_SPAN.sub(_blank, line) if "`" in line else line
        for match in ATTR_LIST.finditer(prose) if "{" in prose else ():
            inner = match.group(1).strip()
            if match.group(0).startswith("{:") or re.match(r"^[.#][A-Za-z]|^[a-zA-Z-]+\s*=", inner):
                problems.append(
                    Problem(
                        name,
                        number,
                        _rule(
                            "portable-markdown",
                            f"the attribute list `{match.group(0)[:40]}` is Material-only syntax",
                            "remove it; modules and worksheets use plain Markdown (attribute lists are for docs/ pages)",
                        ),
                    )
                )
    return problems


TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,40})(?=[\s/>]|$)")


def _tag_end(text: str, start: int, limit: int = 4000) -> int:
    """The index after the `>` that closes a tag opened before `start`, skipping quoted values."""
    quote = ""
    for index in range(start, min(len(text), start + limit)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index + 1
    return min(len(text), start + limit)


def _check_html(name: str, first_line: int, text: str) -> list[Problem]:
    """Raw HTML: only allowed tags with allowed attributes, tags spanning lines included."""
    problems = []
    number, counted = first_line, 0
    for match in TAG_START.finditer(text):
        closing, tag = match.group(1), match.group(2).lower()
        number += text.count("\n", counted, match.start())  # counted once over the whole text
        counted = match.start()
        if tag not in ALLOWED_TAGS:
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "html-tag",
                        f"the HTML tag `<{closing}{tag}>` is not allowed in sources",
                        "use Markdown instead; raw HTML may only be "
                        + ", ".join(f"<{t}>" for t in sorted(ALLOWED_TAGS)),
                    ),
                )
            )
            continue
        attrs = text[match.end() : _tag_end(text, match.end())].rstrip(">").rstrip("/")
        for attr in ATTR.finditer(attrs):
            key = attr.group(1).lower()
            value = htmlmod.unescape((attr.group(2) or "").strip("\"'"))
            if key not in ALLOWED_TAGS[tag]:
                problems.append(
                    Problem(
                        name,
                        number,
                        _rule(
                            "html-attribute",
                            f"the attribute `{key}` on `<{tag}>` is not allowed",
                            f"remove it; `<{tag}>` may carry "
                            + (", ".join(sorted(ALLOWED_TAGS[tag])) or "no attributes"),
                        ),
                    )
                )
            elif re.search(r"[<>]|javascript:|url\(|expression\(", value, re.I):
                problems.append(
                    Problem(
                        name,
                        number,
                        _rule(
                            "html-attribute",
                            f"the value of `{key}` on `<{tag}>` holds markup or code",
                            "write plain words in it",
                        ),
                    )
                )
    return problems


def _check_attr_list(name: str, number: int, inner: str) -> list[Problem]:
    """Python-Markdown's attr_list `{: .class #id key=value}`: only classes, ids and lang."""
    problems = []
    text = inner.strip()
    if not text or not re.match(r"^[.#]|^[a-zA-Z-]+\s*=", text):
        return []  # ordinary braces in prose
    for token in ATTR.finditer(text):
        key = token.group(1)
        if key.startswith((".", "#")) and token.group(2) is None:
            continue
        if key.lower() == "lang" and re.fullmatch(
            r"[\"']?[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?[\"']?", token.group(2) or ""
        ):
            continue
        problems.append(
            Problem(
                name,
                number,
                _rule(
                    "attribute-list",
                    f"the attribute `{key}` in `{{{inner.strip()[:40]}}}` is not allowed",
                    "an attribute list may only hold `.class`, `#id` and `lang=xx`",
                ),
            )
        )
    return problems


def _check_links(name: str, number: int, prose: str, folder: Path | None, root: Path | None) -> list[Problem]:
    problems = []
    images = _image_closes(prose) if "![" in prose else set()
    targets = [(m.start() in images, m.group(1)) for m in md.LINK_TARGET.finditer(prose)]
    ref = REF_DEF.match(prose)
    if ref:
        targets.append((False, ref.group(1)))
    targets += [(False, m.group(1)) for m in md.AUTOLINK.finditer(prose)]
    if REF_IMAGE.search(prose):
        problems.append(
            Problem(
                name,
                number,
                _rule(
                    "image-url",
                    "an image by reference (`![…][…]`) may point anywhere",
                    "write the image inline with its file name: `![what it shows](map.png)`",
                ),
            )
        )
    for image, target in targets:
        scheme = scheme_of(target)
        if image:
            if scheme or target.startswith("//"):
                problems.append(
                    Problem(
                        name,
                        number,
                        _rule(
                            "image-url",
                            f"the image `{target[:80]}` is an address, which the site and the print edition would fetch",
                            "save the picture in this folder and write its file name, like `![…](map.png)`",
                        ),
                    )
                )
                continue
            problems += _check_image(name, number, target, folder, root)
        elif scheme and scheme not in LINK_SCHEMES:
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "link-scheme",
                        f"the link `{target[:80]}` uses `{scheme}:`, which can run code or hide content",
                        "link only to a page of the site (a relative path), an https:// address or a mailto: address",
                    ),
                )
            )
    return problems


def _image_closes(prose: str) -> set[int]:
    """Positions of the `]` that end an image's alt text (`![…]`), in one pass over the line."""
    stack, images = [], set()
    for match in re.finditer(r"\\?[\[\]]", prose):
        token = match.group(0)
        if token.startswith("\\"):
            continue
        if token == "[":
            stack.append(match.start())
        elif stack:
            opening = stack.pop()
            if opening > 0 and prose[opening - 1] == "!":
                images.add(match.start())
    return images


def _check_image(name: str, number: int, target: str, folder: Path | None, root: Path | None) -> list[Problem]:
    if folder is None or not target:
        return []
    path = urlsplit(target).path
    candidate = folder / path
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_EXTENSIONS:
        return [
            Problem(
                name,
                number,
                _rule(
                    "image-file",
                    f"the image `{target[:80]}` is not a picture file",
                    "use a .svg, .png, .jpg or .webp file",
                ),
            )
        ]
    if path.startswith("/") or ".." in Path(path).parts:
        return [
            Problem(
                name,
                number,
                _rule(
                    "image-file",
                    f"the image `{target[:80]}` is outside this page's folder",
                    "copy the picture into this folder and write its file name alone",
                ),
            )
        ]
    if candidate.is_symlink() or not candidate.is_file():
        return [
            Problem(
                name,
                number,
                _rule(
                    "image-file",
                    f"the image `{target[:80]}` is not a file in this folder",
                    "add the picture file next to the page (no shortcut or symlink), or correct its name",
                ),
            )
        ]
    return []


# ---- front matter and data: plain text only ------------------------------------------------------

# The attributes that load something, which the built site's check looks at in every tag
# (terrain/checks.py, check_site_active), besides event handlers (on…) and style.
LOADING_NAMES = (
    "src|href|srcset|poster|background|data|action|formaction|xlink:href|srcdoc|ping|manifest|codebase|cite|longdesc"
)
# `<tag`, `javascript:`, a role, a snippet; and ` name=` for a name the built site's check refuses
# in a tag, since a data value may end up in an attribute (a label in `aria-label="…"`), where
# that check sees it in the tag's text
PLAIN_TEXT = re.compile(
    rf"<\s*/?\s*[a-zA-Z!]|javascript:|\{{[a-zA-Z][\w:-]*\}}`|-8<-|\s(?:on[a-z]+|style|{LOADING_NAMES})\s*=",
    re.I,
)


def check_plain(name: str, line: int, key: str, value: object) -> list[Problem]:
    """A title, a summary or a data value is plain text: no HTML, no roles, no snippets."""
    if not isinstance(value, str):
        return []
    plain = htmlmod.unescape(value)
    if markup := PLAIN_TEXT.search(plain):
        return [
            Problem(
                name,
                line,
                _rule(
                    "plain-text",
                    f"`{key}` holds markup (`{markup.group(0)}…`)",
                    "write plain words; titles, summaries and data values are shown as text",
                ),
            )
        ]
    if "![" in plain:
        return [
            Problem(
                name,
                line,
                _rule(
                    "plain-text",
                    f"`{key}` holds a picture (`![…`)",
                    "write plain words; pictures belong in a page's folder",
                ),
            )
        ]
    # the values are rendered as Markdown in pages: the page rules apply to them as well (each
    # of which needs a `<`, a `]`, a `{` or a line too long)
    if len(value) <= MAX_LINE and "<" not in value and "]" not in value and "{" not in value:
        return []
    return [Problem(p.path, line, p.message, p.rule) for p in check_text(name, value, line)]


def check_data_values(name: str, data: object, lines: dict, path: tuple = ()) -> list[Problem]:
    """Every string in a data file is plain text; every `url` is an https:// or http:// address."""
    from .yamlfile import line_of

    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            problems += check_data_values(name, value, lines, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            problems += check_data_values(name, value, lines, path + (index,))
    elif isinstance(data, str):
        key = ".".join(str(p) for p in path) or "the value"
        problems += check_plain(name, line_of(lines, path), key, data)
        if path and path[-1] == "url" and scheme_of(data) not in ("http", "https"):
            problems.append(
                Problem(
                    name,
                    line_of(lines, path),
                    _rule("link-scheme", f"`{key}` is not a web address", "write an https:// address"),
                )
            )
    return problems


# ---- files: what a folder publishes ---------------------------------------------------------------

SVG_ACTIVE = re.compile(
    r"<\s*(script|foreignObject|iframe|object|embed|use|image|a)\b|\bon[a-z]+\s*=|javascript:|@import|url\(\s*[\"']?\s*(?!#)|href\s*=\s*[\"']\s*(?!#)",
    re.I,
)


def inside(path: Path, root: Path) -> bool:
    """Whether a path, with every symlink resolved, stays inside the repository."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13) leads nowhere
        return False


def publishable(path: Path, root: Path, extensions: set[str], folder_inside: bool | None = None) -> str | None:
    """None when a file may be published; otherwise why not. `folder_inside` is inside() of the
    file's folder when the caller knows it: a file that is not a symlink resolves to its folder
    resolved, plus its name, so it stays inside the repository exactly when its folder does."""
    if path.is_symlink():
        return "it is a symlink (a shortcut to another file)"
    if not (inside(path, root) if folder_inside is None else folder_inside):
        return "it is outside the repository"
    if path.suffix.lower() not in extensions:
        return f"its type `{path.suffix or path.name}` is not published"
    if not path.is_file():
        return "it is not a regular file (a pipe or a device): only files are published"
    return None


def folder_files(
    folder: Path, root: Path, extensions: set[str], recursive: bool = False, project=None
) -> Iterator[tuple[Path, str | None]]:
    """(path, reason) for every entry of a folder; reason is None for a publishable file.

    Symlinked folders are never entered. Hidden files (`.name`) are skipped silently: they are
    never published. With the loaded `project` (of `root`), folders are resolved through it.
    """
    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    # resolved once for all its files (see publishable)
    within = inside(folder, root) if project is None else project.inside(folder)
    for path in entries:
        if path.name.startswith("."):
            continue
        if path.is_symlink():
            yield path, "it is a symlink (a shortcut to another file)"
        elif path.is_dir():
            if recursive:
                yield from folder_files(path, root, extensions, recursive, project)
            else:
                yield path, "folders inside a module or worksheet are not published"
        else:
            yield path, publishable(path, root, extensions, within)


SYMLINK_REASONS = ("it is a symlink (a shortcut to another file)", "it is outside the repository")


def folder_problems(project) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of module, worksheet and docs folders: symlinks and active SVG or CSS
    are errors; a stray file (a type that is not published) is a warning — it is left behind.
    Read through `project.file_policy`, which finds them once."""
    errors, warnings = [], []
    root = project.root

    def report(name: str, reason: str, fix: str) -> None:
        if reason in SYMLINK_REASONS:
            errors.append(
                Problem(
                    name,
                    0,
                    _rule(
                        "symlink", f"this file is not published: {reason}", "replace it with a real file, or remove it"
                    ),
                )
            )
        else:
            warnings.append(
                Problem(name, 0, _rule("stray-file", f"this file is not published: {reason}", fix), severity="warning")
            )

    for kind in ("modules", "worksheets"):
        base = root / kind
        for folder in sorted(base.iterdir()) if base.is_dir() else []:
            if folder.name.startswith((".", "_")):
                continue
            name = f"{kind}/{folder.name}"
            if not project.contains(folder):
                errors.append(
                    Problem(
                        name,
                        0,
                        _rule(
                            "symlink",
                            "the folder is a symlink (a shortcut to another folder) and is not published",
                            "replace it with a real folder holding the files",
                        ),
                    )
                )
                continue
            if not folder.is_dir():
                continue
            for path, reason in folder_files(folder, root, UNIT_EXTENSIONS, project=project):
                if reason:
                    report(
                        f"{name}/{path.name}",
                        reason,
                        "remove it, or move it out of the folder (pictures: .svg, .png, .jpg, .webp)",
                    )
                elif path.suffix.lower() == ".svg":
                    errors += check_svg(path, f"{name}/{path.name}")
    docs = root / "docs"
    for path, reason in folder_files(docs, root, DOCS_EXTENSIONS, recursive=True, project=project):
        name = "docs/" + path.relative_to(docs).as_posix()
        if reason:
            report(name, reason, "remove it; docs/ publishes pages, pictures and the stylesheet")
        elif path.suffix.lower() == ".svg":
            errors += check_svg(path, name)
        elif path.suffix.lower() == ".css":
            errors += check_css(path, name)
    if (docs / "downloads").is_dir() or (docs / "downloads").is_symlink():
        # site.copy_downloads fills the site's downloads/ from build/downloads after the pages are written:
        # a page folder named like a PDF there stopped the build with a traceback
        errors.append(
            Problem(
                "docs/downloads",
                0,
                _rule(
                    "reserved-folder",
                    "the site's downloads/ folder holds the print edition and the packs: a page or a file here would take a download's place",
                    "move it to another folder of docs/ (the Downloads page itself is docs/downloads.LANG.md)",
                ),
            )
        )
    return errors, warnings


def check_files(project) -> list[Problem]:
    """Symlinks and active SVG or CSS in module, worksheet and docs folders (errors)."""
    return list(project.file_policy[0])


def check_warnings(project) -> list[Problem]:
    """Stray files: never published, named so that the writer can tidy up."""
    return list(project.file_policy[1])


def check_svg(path: Path, name: str) -> list[Problem]:
    text = path.read_bytes()[:MAX_FILE].decode("utf-8", "replace")
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = SVG_ACTIVE.search(line[:MAX_LINE])
        if match:
            problems.append(
                Problem(
                    name,
                    number,
                    _rule(
                        "svg-active",
                        f"the picture holds `{match.group(0).strip()}`, which can run code or load another file",
                        "save the picture again as plain SVG (shapes and text only), or as PNG",
                    ),
                )
            )
    return problems


def check_css(path: Path, name: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
        for match in re.finditer(r"@import|url\(\s*[\"']?([^)\"']*)", line[:MAX_LINE], re.I):
            target = match.group(1) if match.lastindex else ""
            if match.group(0).lower() == "@import" or scheme_of(target) or target.startswith("//"):
                problems.append(
                    Problem(
                        name,
                        number,
                        _rule(
                            "css-load",
                            f"the stylesheet loads `{match.group(0)[:60]}` from elsewhere",
                            "ship the file with the site and refer to it by a relative path",
                        ),
                    )
                )
    return problems


# ---- everything -------------------------------------------------------------------------------


def source_texts(project: Project) -> Iterator[tuple[str, Page, Path]]:
    """(name, page, folder) of every Markdown source; the name is where it sits, symlink or not."""
    for unit in project.units():
        for page in unit.pages.values():
            yield f"{unit.src_dir}/{unit.slug}/{page.path.name}", page, unit.folder
    for pages in project.docs.values():
        for page in pages.values():
            yield page.name, page, page.path.parent


def check_policy(project) -> list[Problem]:
    """Every content-policy problem of the sources, all at once."""
    problems = check_files(project)
    named = {p.path for p in problems if p.rule == "symlink"}  # a symlink in a folder: said once
    for name, page, folder in source_texts(project):
        if not project.contains(page.path):
            if name in named:
                continue
            problems.append(
                Problem(
                    name,
                    0,
                    _rule(
                        "symlink", "the page is a symlink (a shortcut to another file)", "replace it with a real file"
                    ),
                )
            )
            continue
        if len(page.body) > MAX_PAGE:
            problems.append(
                Problem(
                    name,
                    0,
                    _rule(
                        "file-too-large",
                        f"the page is {len(page.body):,} characters long",
                        f"split it; a page is at most {MAX_PAGE:,} characters",
                    ),
                )
            )
        problems += check_text(page.name, page.body, page.body_line, folder, project.root)
        if not name.startswith("docs/"):
            problems += check_portable(page.name, page.body, page.body_line)
        for key in ("title", "summary"):
            problems += check_plain(page.name, page.meta_lines.get((key,), 1), key, page.meta.get(key))
    problems += _data_symlinks(project)
    for filename in ("glossary.yml", "readings.yml"):
        problems += _data_file(project, project.root / "data" / filename)
    for lang in project.languages:
        problems += _data_file(project, project.root / "data" / "ui" / f"{lang}.yml")
    problems += _link_status(project)
    problems += check_order(project)
    problems += check_headings(project)
    return problems


def check_order(project) -> list[Problem]:
    """Modules have distinct `order` numbers; prerequisites name other, earlier modules, without cycles."""
    from .yamlfile import line_of

    problems = []
    seen: dict[int, str] = {}
    for module in project.modules.values():
        name = f"modules/{module.slug}/module.yml"
        order = module.facts.get("order")
        if isinstance(order, int):
            if order in seen:
                problems.append(
                    Problem(
                        name,
                        line_of(module.facts_lines, ("order",)),
                        _rule(
                            "order",
                            f"`order: {order}` is also the order of {seen[order]}",
                            "give each module its own order number",
                        ),
                    )
                )
            seen.setdefault(order, module.slug)
        prereqs = module.facts.get("prerequisites") or []
        for index, other in enumerate(prereqs if isinstance(prereqs, list) else []):
            if other == module.slug:
                problems.append(
                    Problem(
                        name,
                        line_of(module.facts_lines, ("prerequisites", index)),
                        _rule(
                            "prerequisite",
                            "the module names itself as a prerequisite",
                            "remove it from `prerequisites`",
                        ),
                    )
                )
    graph = {
        m.slug: [
            p
            for p in (m.facts.get("prerequisites") or [])
            if isinstance(p, str) and p in project.modules and p != m.slug
        ]
        for m in project.modules.values()
        if isinstance(m.facts.get("prerequisites") or [], list)
    }
    state: dict[str, int] = {}

    def visit(slug: str, trail: list[str]) -> list[str] | None:
        state[slug] = 1
        for nxt in graph.get(slug, []):
            if state.get(nxt) == 1:
                return trail + [slug, nxt]
            if not state.get(nxt):
                found = visit(nxt, trail + [slug])
                if found:
                    return found
        state[slug] = 2
        return None

    for slug in graph:
        if not state.get(slug):
            cycle = visit(slug, [])
            if cycle:
                start = cycle.index(cycle[-1])
                loop = cycle[start:]
                module = project.modules[loop[0]]
                problems.append(
                    Problem(
                        f"modules/{loop[0]}/module.yml",
                        line_of(module.facts_lines, ("prerequisites",)),
                        _rule(
                            "prerequisite",
                            "the prerequisites go round in a circle: " + " → ".join(loop),
                            "remove one of them so that each module comes after what it needs",
                        ),
                    )
                )
    return problems


def check_headings(project) -> list[Problem]:
    """Headings go down one level at a time (no `##` followed by `####`): screen readers and the
    print edition's outline rely on it."""
    problems = []
    for name, page, _ in source_texts(project):
        level = 1
        for heading in md.headings(page.body):
            if heading.level > level + 1:
                problems.append(
                    Problem(
                        name,
                        page.body_line + heading.line - 1,
                        _rule(
                            "heading-level",
                            f"the heading `{'#' * heading.level} {heading.text[:40]}` jumps from level {level} to {heading.level}",
                            f"use `{'#' * (level + 1)}`, one level below the heading above it",
                        ),
                    )
                )
            level = heading.level
    return problems


def _link_status(project) -> list[Problem]:
    """data/link-status.yml, written by `terrain links --online`: address -> {status, checked}."""
    from . import yamlfile

    path = project.root / "data" / "link-status.yml"
    name = "data/link-status.yml"
    if not path.exists():
        return []
    if not project.contains(path):
        return [_data_symlink(name)]
    data, lines, problems = yamlfile.load(path, name)
    if problems:
        return [
            Problem(
                p.path,
                p.line,
                p.message.replace(" — ", " — run `terrain links --online` to write it again, or ", 1),
                p.rule,
            )
            for p in problems
        ]
    if data is None:
        return []
    if not isinstance(data, dict):
        return [
            Problem(
                name,
                1,
                _rule(
                    "link-status",
                    "the file is not a list of `address: {status, checked}` entries",
                    "run `terrain links --online` to write it again, or delete it",
                ),
            )
        ]
    for url, entry in data.items():
        line = yamlfile.line_of(lines, (url,))
        if (
            not isinstance(url, str)
            or scheme_of(url) not in ("http", "https")
            or not isinstance(entry, dict)
            or not isinstance(entry.get("status", ""), (str, int))
        ):
            problems.append(
                Problem(
                    name,
                    line,
                    _rule(
                        "link-status",
                        f"the entry `{str(url)[:60]}` is not `https://…: {{status: …, checked: …}}`",
                        "run `terrain links --online` to write it again, or delete the entry",
                    ),
                )
            )
    return problems + check_data_values(name, data, lines)


def _data_symlink(name: str) -> Problem:
    return Problem(name, 0, _rule("symlink", "the data file is a symlink", "replace it with a real file"))


def _data_symlinks(project) -> list[Problem]:
    """Every symlink under data/ (a file or a folder, leading anywhere or nowhere): Terrain reads
    its data from the repository only."""
    data = project.root / "data"
    if data.is_symlink():
        return [Problem("data", 0, _rule("symlink", "the data folder is a symlink", "replace it with the real folder"))]
    problems = []
    for folder, folders, files in os.walk(data):  # symlinked folders are listed, not entered
        for entry in sorted(folders + files):
            path = Path(folder) / entry
            if path.is_symlink():
                problems.append(_data_symlink(rel(path, project.root)))
    return problems


def _data_file(project, path: Path) -> list[Problem]:
    if not path.is_file():
        return []
    name = project.name_of(path)
    if not project.contains(path):
        return [_data_symlink(name)]
    data, lines, problems = project.read_yaml(path, name)  # as the project's loader read it
    if problems:
        return []  # reported by the project loader
    if not data:
        return [
            Problem(
                name,
                1,
                _rule(
                    "empty-data",
                    "the file is empty",
                    "restore it from git (`git checkout -- " + name + "`); the site needs its entries",
                ),
            )
        ]
    return check_data_values(name, data, lines)
