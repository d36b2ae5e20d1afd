"""Every check of the sources, without building: structure, parity, links, readings, glossary,
French typography. Each returns Problems; `check_all` runs them all so that a writer sees
everything at once.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import html as htmlmod
import posixpath
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import markdown as md
from . import policy
from .problems import Problem, rel
from .project import Page, Project, Unit, site_language
from .render import RENDERERS
from .yamlfile import line_of

SECTION_KEYS = [
    "objectives",
    "messages",
    "background",
    "plan",
    "talking",
    "activities",
    "discussion",
    "check",
    "worksheets",
    "readings",
    "adapting",
]
WORKSHEET_KEYS = ["purpose", "when", "instructions", "form"]
CALLOUT = re.compile(r"^\s*>\s*\[!([A-Za-z]+)\]")
CALLOUT_KINDS = {"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"}
HTML_LINK = re.compile(r"<(a|img)\b[^>]*?\b(href|src)=\"([^\"]+)\"[^>]*>", re.I)
IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
VAGUE_LINK_TEXT = {
    "click here",
    "here",
    "this link",
    "link",
    "read more",
    "more",
    "cliquez ici",
    "ici",
    "ce lien",
    "lien",
    "en savoir plus",
}


# ---- helpers ------------------------------------------------------------------------------------


INLINE_CODE = re.compile(r"`[^`]{0,2000}`")


def _strip_code(line: str) -> str:
    return INLINE_CODE.sub("", line) if "`" in line else line


def page_lines(page: Page):
    """(file line number, line) of a page's body outside code fences."""
    return ((number, line) for number, line, _ in _page_lines(page.body, page.body_line))


@functools.lru_cache(maxsize=512)
def _page_lines(body: str, body_line: int) -> tuple[tuple[int, str, str], ...]:
    """(file line number, line, the line without its inline code) of a page's body outside code
    fences: a page is read by many checks, so it is split once."""
    return tuple((body_line + number - 1, line, _strip_code(line)) for number, line in md.prose_lines(body))


def _pages(project: Project):
    """Every source page: unit pages and docs pages, as (Page, language-free source path)."""
    for unit in project.units():
        for page in unit.pages.values():
            yield page, f"{unit.src_dir}/{unit.slug}/index.md"
    for key, pages in project.docs.items():
        for page in pages.values():
            yield page, key


# ---- parity and structure -----------------------------------------------------------------------


def check_parity(project: Project) -> list[Problem]:
    """Every unit and docs page in every language, with the same sections and markers."""
    problems = []
    default = project.default_language
    for unit in project.units():
        yml = f"{unit.src_dir}/{unit.slug}"
        for lang in project.languages:
            if lang not in unit.pages:
                problems.append(
                    Problem(
                        f"{yml}/index.{lang}.md",
                        0,
                        f"the {unit.kind} has no {project.ui.get(lang, {}).get('language_name', lang)} page — "
                        + (
                            f"create index.{lang}.md (copy index.{default}.md and translate it, or run `terrain i18n new {lang}`)"
                            if lang != default
                            else f"restore index.{lang}.md from git, or write it: every language's page is checked against it"
                        ),
                    )
                )
        source = unit.pages.get(default)
        for lang, page in unit.pages.items():
            problems += _check_sections(project, unit, page)
            if source is None or lang == default:
                continue
            src_markers = [m for _, m in md.markers(source.body)]
            markers = [m for _, m in md.markers(page.body)]
            if sorted(src_markers) != sorted(markers):
                problems.append(
                    Problem(
                        page.name,
                        0,
                        f"the markers differ from the {default} page ({', '.join(src_markers) or 'none'} there, {', '.join(markers) or 'none'} here) — keep every `<!-- terrain:… -->` line of index.{default}.md",
                    )
                )
            src_h2 = [h for h in md.headings(source.body) if h.level == 2]
            h2 = [h for h in md.headings(page.body) if h.level == 2]
            if len(src_h2) != len(h2):
                line = page.body_line + (h2[-1].line - 1 if h2 else 0)
                problems.append(
                    Problem(
                        page.name,
                        line,
                        f"the page has {len(h2)} sections where index.{default}.md has {len(src_h2)} — translate every `##` section, none more, none fewer",
                    )
                )
            src_details, details = source.body.count("<details>"), page.body.count("<details>")
            if src_details < details:  # fewer: check_translation_structure says where
                problems.append(
                    Problem(
                        page.name,
                        0,
                        f"the page has {details} self-check questions where index.{default}.md has {src_details} — translate each `<details>` block",
                    )
                )
    for key, paths in project.docs_pages().items():
        for lang in project.languages:
            if lang not in paths:
                stem = key[:-3]
                problems.append(
                    Problem(
                        f"docs/{stem}.{lang}.md",
                        0,
                        f"the page docs/{stem}.{default}.md has no {lang} version — create docs/{stem}.{lang}.md",
                    )
                )
    return problems


def _check_sections(project: Project, unit: Unit, page: Page) -> list[Problem]:
    """A module's sections in order (SECTION_KEYS); a worksheet's four required sections."""
    problems = []
    h2 = [h for h in md.headings(page.body) if h.level == 2]
    titles = [h.text for h in h2]
    if unit.kind == "module":
        expected = [project.text(page.lang, "sections", k) for k in SECTION_KEYS]
        if page.translation.get("status") == "draft":
            # a draft may still carry the English headings while it is translated page by page
            english = [project.text(project.default_language, "sections", k) for k in SECTION_KEYS]
            expected = english if titles == english else expected
        if titles != expected:
            missing = [t for t in expected if t not in titles]
            extra = [t for t in titles if t not in expected]
            if missing:
                problems.append(
                    Problem(
                        page.name,
                        _where_missing(page, expected, h2, missing[0]),
                        f"section(s) missing: {', '.join('`## ' + t + '`' for t in missing)} — a module has these {len(SECTION_KEYS)} sections in order (data/ui/{page.lang}.yml, `sections`): {'; '.join(expected)}",
                    )
                )
            if extra:
                line = next(page.body_line + h.line - 1 for h in h2 if h.text == extra[0])
                problems.append(
                    Problem(
                        page.name,
                        line,
                        f"unexpected section `## {extra[0]}` — use the {len(SECTION_KEYS)} section headings of data/ui/{page.lang}.yml (`sections`), or make it a `###` sub-heading",
                    )
                )
            if not missing and not extra:
                problems.append(
                    Problem(
                        page.name,
                        page.body_line,
                        f"the sections are out of order — put them in this order: {'; '.join(expected)}",
                    )
                )
        problems += _check_plan(project, unit, page)
        marks = {m for _, m in md.markers(page.body)}
        for name in ("worksheets", "readings"):
            if name not in marks:
                problems.append(
                    Problem(
                        page.name,
                        page.body_line,
                        f"the `{project.text(page.lang, 'sections', name)}` section lacks its marker — put `<!-- terrain:{name} -->` under that heading; the list is rendered from module.yml",
                    )
                )
    else:
        expected = [project.text(page.lang, "worksheet_sections", key) for key in WORKSHEET_KEYS]
        lines = {h.text: page.body_line + h.line - 1 for h in h2}
        claimed: set[str] = set()
        for title in expected:
            if title not in titles:
                line = _where_missing(page, expected, h2, title)
                before = [lines[t] for t in expected[: expected.index(title)] if t in lines]
                # a heading of another name where the section belongs is most likely that section, renamed
                instead = [
                    h.text
                    for h in h2
                    if h.text not in expected
                    and h.text not in claimed
                    and max(before, default=0) < lines[h.text] < line
                ]
                if instead:
                    line = lines[instead[0]]
                    claimed.add(instead[0])
                hint = (
                    f" (is `## {instead[0]}` that section? write its heading as in data/ui/{page.lang}.yml)"
                    if instead
                    else ""
                )
                problems.append(
                    Problem(
                        page.name,
                        line,
                        f'the worksheet lacks its `## {title}` section{hint} — add it (see CONTRIBUTING.md, "A worksheet")',
                    )
                )
        form = md.section(page.body, project.text(page.lang, "worksheet_sections", "form"))
        if form and not md.table_rows(form[0]):
            problems.append(
                Problem(
                    page.name,
                    page.body_line + form[1] - 2,
                    "the form has no table — write the form as a pipe table with empty cells to fill in",
                )
            )
    return problems


def _where_missing(page: Page, expected: list[str], h2: list, title: str) -> int:
    """The line where a missing `##` section belongs: that of the next expected section present."""
    lines = {h.text: page.body_line + h.line - 1 for h in h2}
    for following in expected[expected.index(title) + 1 :]:
        if following in lines:
            return lines[following]
    return page.body_line + len(page.body.splitlines()) - 1 if h2 else page.body_line


def _check_plan(project: Project, unit: Unit, page: Page) -> list[Problem]:
    """The session plan's minutes add up to module.yml's duration."""
    title = project.text(page.lang, "sections", "plan")
    found = md.section(page.body, title)
    duration = unit.facts.get("duration")
    if not found or not isinstance(duration, int):
        return []
    text, first = found
    total, bad = md.session_minutes(text, first)
    problems = [
        Problem(
            page.name,
            page.body_line + line - 1,
            f"the session plan row starts with `{cell}`, not a number of minutes — put whole minutes in the first column, like `| 20 | …`",
        )
        for line, cell in bad
    ]
    if total != duration and not bad and page.lang != project.default_language:
        # a translator never changes module.yml: the translation lost or changed a row
        problems.append(
            Problem(
                page.name,
                page.body_line + first - 2,
                f"the session plan adds up to {total} minutes where index.{project.default_language}.md's adds up to {duration} — keep every row of its session plan, with the same minutes in the first column",
            )
        )
    elif total != duration and not bad:  # a row that is not a number already explains the gap
        problems.append(
            Problem(
                page.name,
                page.body_line + first - 2,
                f"the session plan adds up to {total} minutes but module.yml says `duration: {duration}` — make the minutes add up to {duration}, or change the duration",
            )
        )
    return problems


# ---- references ---------------------------------------------------------------------------------


def check_references(project: Project) -> list[Problem]:
    """Worksheets, readings and prerequisites named in module.yml exist; every reading is used."""
    problems = []
    for module in project.modules.values():
        name = f"modules/{module.slug}/module.yml"
        for key, known, hint in (
            (
                "worksheets",
                project.worksheets,
                "create worksheets/{v}/ or correct the name; existing worksheets: {known}",
            ),
            ("readings", project.readings, "add it to data/readings.yml or correct the id; known ids include: {known}"),
            ("prerequisites", project.modules, "name an existing module folder: {known}"),
        ):
            values = module.facts.get(key) or []
            if not isinstance(values, list):
                continue
            for index, value in enumerate(values):
                if isinstance(value, str) and value not in known:
                    close = ", ".join(sorted(known, key=lambda k: -_similar(k, value))[:3])
                    problems.append(
                        Problem(
                            name,
                            line_of(module.facts_lines, (key, index)),
                            f"{key[:-1]} `{value}` does not exist — " + hint.format(v=value, known=close),
                        )
                    )
    used = {r for m in project.modules.values() for r in (m.facts.get("readings") or []) if isinstance(r, str)}
    for rid, entry in project.readings.items():
        if rid not in used and not any(
            entry.get("url") and entry["url"] in page.body for pages in project.docs.values() for page in pages.values()
        ):
            problems.append(
                Problem(
                    "data/readings.yml",
                    entry.get("_line", 0),
                    f"the reading `{rid}` is used by no module — name it in a module.yml `readings:` list, link its URL from a docs/ page, or remove it",
                )
            )
        if str(entry.get("url") or "").startswith("http://") and not entry.get("http"):  # `http:` says why it stays
            problems.append(
                Problem(
                    "data/readings.yml",
                    entry.get("_line", 0),
                    f"the reading `{rid}` links over http:// — use its https:// address if the site offers one",
                )
            )
        for lang in project.languages:
            if lang not in (entry.get("note") or {lang: ""}):
                stray = [k for k in entry.get("note") or {} if k not in project.languages]
                hint = f" (it has a `{stray[0]}:` note: is that `{lang}:` misspelt?)" if stray else ""
                problems.append(
                    Problem(
                        "data/readings.yml",
                        _entry_key_line(project, "readings.yml", entry, stray[0]) if stray else entry.get("_line", 0),
                        f"the reading `{rid}` has no `note: {{{lang}: …}}`{hint} — write its one-line note in every language",
                    )
                )
    for term in project.glossary:
        for lang in project.languages:
            if lang not in term:
                stray = [
                    k
                    for k in term
                    if k not in project.languages and k not in ("id", "_line") and isinstance(term[k], dict)
                ]
                hint = f" (it has a `{stray[0]}:` block: is that `{lang}:` misspelt?)" if stray else ""
                problems.append(
                    Problem(
                        "data/glossary.yml",
                        _entry_key_line(project, "glossary.yml", term, stray[0]) if stray else term.get("_line", 0),
                        f"the term `{term['id']}` has no `{lang}:` block{hint} — add its {lang} term and definition",
                    )
                )
    return problems


def _entry_key_line(project: Project, filename: str, entry: Mapping[str, Any], key: str) -> int:
    """The line of `key:` in an entry of data/FILENAME (a misspelt language key), else the entry's own line."""
    start = entry.get("_line", 0)
    lines = (project.root / "data" / filename).read_text(encoding="utf-8").splitlines()
    for number in range(start, len(lines)):
        if lines[number].lstrip().startswith("- id:"):
            break
        if re.match(rf"\s+{re.escape(key)}:", lines[number]):
            return number + 1
    return start


def _similar(a: str, b: str) -> int:
    return len(set(a.split("-")) & set(b.split("-")))


# ---- links, images, markers ---------------------------------------------------------------------


def _targets(project: Project) -> dict[str, dict[str, list[str]]]:
    """Every language-free source page a link may point to, with its anchors per language."""
    targets: dict[str, dict[str, list[str]]] = {}
    for page, key in _pages(project):
        targets.setdefault(key, {})[page.lang] = [md.slugify(h.text) for h in md.headings(page.body)]
    return targets


def _anchors_landed_on(project: Project, anchors: dict[str, list[str]], lang: str) -> list[str]:
    """The anchors of the page a link lands on in `lang`: its own translation, else the default language's."""
    return anchors.get(lang, anchors.get(project.default_language, []))


def check_links(project: Project) -> list[Problem]:
    """Internal links and anchors resolve; external links are https; link text says where; images have alt text."""
    problems = []
    targets = _targets(project)
    for page, key in _pages(project):
        own = [md.slugify(h.text) for h in md.headings(page.body)]
        for line_no, line, text_line in _page_lines(page.body, page.body_line):
            html = "<" in text_line  # each pattern runs only on a line holding what it starts with
            for match in md.LINK.finditer(text_line) if "](" in text_line else ():
                image, text, target = match.group(1), match.group(2), match.group(3)
                problems += _check_target(project, page, key, line_no, target, targets, own)
                if image and not text.strip():
                    problems.append(
                        Problem(
                            page.name,
                            line_no,
                            f"the image `{target}` has no alt text — describe it between the brackets: `![a miner panning at a river](…)`",
                        )
                    )
                if not image and text.strip().strip("*_").lower() in VAGUE_LINK_TEXT:
                    problems.append(
                        Problem(
                            page.name,
                            line_no,
                            f"the link text `{text}` does not say where it goes — use the title of the target as the link text",
                        )
                    )
            for match in HTML_LINK.finditer(text_line) if html else ():
                problems += _check_target(project, page, key, line_no, htmlmod.unescape(match.group(3)), targets, own)
            for tag in IMG_TAG.findall(text_line) if html else ():
                if not re.search(r'\balt="[^"]+"', tag):
                    problems.append(
                        Problem(page.name, line_no, 'an <img> has no alt text — add alt="what the picture shows"')
                    )
            for match in md.MARKER.finditer(text_line) if html else ():
                if match.group(1) not in RENDERERS:
                    problems.append(
                        Problem(
                            page.name,
                            line_no,
                            f"unknown marker `terrain:{match.group(1)}` — use one of: {', '.join(sorted(RENDERERS))}",
                        )
                    )
            callout = CALLOUT.match(line) if "[!" in line else None
            if callout and callout.group(1).upper() not in CALLOUT_KINDS:
                problems.append(
                    Problem(
                        page.name,
                        line_no,
                        f"unknown callout `[!{callout.group(1)}]` — use NOTE, TIP, IMPORTANT, WARNING or CAUTION",
                    )
                )
    return problems


def _check_target(
    project: Project, page: Page, key: str, line: int, target: str, targets: dict, own: list[str]
) -> list[Problem]:
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        if parts.scheme == "http":
            return [Problem(page.name, line, f"the link `{target}` uses http:// — use https://")]
        if not parts.netloc or "." not in parts.netloc:
            return [
                Problem(
                    page.name,
                    line,
                    f"the link `{target}` is not a well-formed web address — write it as https://example.org/page",
                )
            ]
        return []
    if parts.scheme in ("mailto",) or target.startswith("data:"):
        return []
    if parts.scheme:
        return [
            Problem(
                page.name,
                line,
                f"the link `{target}` uses an unknown scheme `{parts.scheme}:` — link with https:// or a relative path",
            )
        ]
    if target.startswith("/"):
        return [
            Problem(
                page.name,
                line,
                f"the link `{target}` is absolute and breaks offline — write it relative to this page, like `../04-formalisation/index.md`",
            )
        ]
    path, anchor = parts.path, parts.fragment
    if not path:
        if anchor and anchor not in own:
            return [
                Problem(
                    page.name,
                    line,
                    f"the anchor `#{anchor}` matches no heading of this page — use one of: {', '.join('#' + a for a in own[:6])}",
                    "broken-anchor",
                )
            ]
        return []
    base = key.rsplit("/", 1)[0] if "/" in key else ""
    resolved = posixpath.normpath(posixpath.join(base, path))
    if resolved.endswith(".md"):
        if resolved not in targets:
            import difflib  # only for a link that is wrong

            close = difflib.get_close_matches(resolved, list(targets), n=1, cutoff=0.8)
            fix = (
                f"did you mean `{posixpath.relpath(close[0], base or '.')}`?"
                if close
                else "correct the path (modules are `../NN-slug/index.md`, worksheets `../../worksheets/slug/index.md`)"
            )
            return [
                Problem(page.name, line, f"the link `{target}` points to `{resolved}`, which does not exist — {fix}")
            ]
        if anchor and anchor not in _anchors_landed_on(project, targets[resolved], page.lang):
            return [
                Problem(
                    page.name,
                    line,
                    f"the anchor `#{anchor}` matches no heading of `{resolved}` in this page's language — link to a heading of that page as translated, or drop the anchor",
                    "broken-anchor",
                )
            ]
        return []
    if resolved.startswith("downloads/") or "/downloads/" in resolved:
        return []  # checked on the built site, where the print edition has put them
    on_disk = project.root / "docs" / resolved
    if not on_disk.exists() and not (project.root / resolved).exists():
        return [
            Problem(
                page.name,
                line,
                f"the link `{target}` points to a file that does not exist — add the file under docs/ or correct the path",
            )
        ]
    return []


# ---- French: glossary terms and typography ------------------------------------------------------


def _french_prose(page: Page):
    """Lines of French prose with quotations, italics, code, links' targets and HTML removed."""
    for line_no, line, text in _page_lines(page.body, page.body_line):
        if line.strip().startswith(("|---", "<!--")):
            continue
        # each pattern runs only on a line holding the character it starts with
        if "«" in text:
            text = QUOTATION.sub("", text)  # bounded: linear on hostile lines
        if "*" in text:
            text = ITALICS.sub("", text)
        if "lang=" in text:
            text = OTHER_LANGUAGE.sub("", text)  # a passage marked lang="en" is not French
        if "](" in text:
            text = LINK_ADDRESS.sub("]", text)
        if "<" in text:
            text = HTML_TAG.sub("", text)
        if "http" in text:
            text = WEB_ADDRESS.sub("", text)
        yield line_no, text


QUOTATION = re.compile(r"«[^»]{0,1000}»")
ITALICS = re.compile(r"\*[^*]{1,1000}\*")
LINK_ADDRESS = re.compile(r"\]\([^)]{0,2000}\)")
HTML_TAG = re.compile(r"<[^>]{1,2000}>")
WEB_ADDRESS = re.compile(r"https?://\S+")


def check_terms(project: Project) -> list[Problem]:
    """Translated pages, country pages included, use the glossary's terms, not the English acronyms."""
    from .countries import pages as country_pages

    problems = []
    for lang in project.languages:
        if lang == project.default_language:
            continue
        pairs = {}
        for entry in project.glossary:
            en, other = entry.get("en", {}).get("term", ""), (entry.get(lang) or {}).get("term", "")
            if en and other and en != other and re.fullmatch(r"[A-Z][A-Z&]{1,6}s?", en):
                pairs[en] = other
        if not pairs:
            continue
        acronyms = "|".join(sorted(map(re.escape, pairs), key=len, reverse=True))
        english = re.compile(r"(?<![\w-])(" + acronyms + r")s?(?![\w-])")
        # every match of `english` holds an acronym: a line without one is not searched with the
        # look-arounds (a pattern that starts with a literal is scanned much faster)
        holds_acronym = re.compile(acronyms)
        for page in [page for page, _ in _pages(project)] + country_pages(project):
            if page.lang != lang:
                continue
            for line_no, text in _french_prose(page):
                if not holds_acronym.search(text):
                    continue
                for en in dict.fromkeys(m.group(1) for m in english.finditer(text)):
                    problems.append(
                        Problem(
                            page.name,
                            line_no,
                            f"`{en}` is the English term — write `{pairs[en]}` (data/glossary.yml), unless it sits in a quotation « … » or a title in *italics*",
                        )
                    )
    return problems


# ---- terminology bases: data/terms/LANG.yml -----------------------------------------------------

TERMS_DIR = "data/terms"
OTHER_LANGUAGE = re.compile(
    r"<(\w{1,20})\b[^>]{0,500}\blang=\"([\w-]{1,20})\"[^>]{0,500}>.{0,5000}?</\1>", re.S
)  # bounded
GLOSSARY_LANG = re.compile(r"^  ([a-z]{2,3}(?:-[A-Z]{2})?):\s*(#.*)?$")
READING_NOTE = re.compile(r"^    ([a-z]{2,3}(?:-[A-Z]{2})?):\s(.*)$")


TRAILING_FLAGS = re.compile(r"^/(.+)/([A-Za-z]+)$")  # `/\bMAPE\b/x`: flags as other tools write them


def _variant_pattern(variant: str) -> re.Pattern:
    """A forbidden variant as a regex: /…/ as written, a word or phrase as whole words with any apostrophe.

    Both ignore case, except a variant written in capitals (an acronym), which matches only itself.
    """
    if len(variant) > 2 and variant.startswith("/") and variant.endswith("/"):
        body = variant[1:-1]
    else:
        words = [re.escape(w) for w in variant.split()]
        body = r"(?<![\w-])" + r"\s+".join(words).replace("'", "['’]").replace("’", "['’]") + r"(?![\w-])"
        body = body.replace("['['’]]", "['’]")
    letters = re.sub(r"\\.|\[[^\]]*\]|\(\?[^)]*\)", "", body)
    capitals = any(c.isupper() for c in letters) and not any(c.islower() for c in letters)
    return re.compile(body, 0 if capitals else re.I)


# The CPU time a language's forbidden variants may take, over all of its sources: Terrain's own take
# a few milliseconds. A regular expression can take for ever: Python's re tries every way a repeat
# inside a repeat can split a text (`/(\w+\s?)+$/` on a line of 30 words).
TERMBASE_SECONDS = 10.0


class _TooSlow(BaseException):  # not an Exception: no `except Exception` on the way may swallow it
    """The variants of a termbase ran past TERMBASE_SECONDS."""


@contextlib.contextmanager
def _cpu_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow inside the block once the process has used `seconds` more of CPU time.
    Python's re stops for a signal, but only the main thread of a Unix process gets one: that is
    where `terrain check`, `mkdocs build` and the tests run. Elsewhere the block runs unlimited."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def termbase(
    project: Project, lang: str, running: list | None = None, problems: list[Problem] | None = None
) -> tuple[list[tuple[dict, int, list[tuple[re.Pattern, int]]]], list[Problem]]:
    """The decisions of data/terms/LANG.yml as (entry, line, [(forbidden pattern, line)]), and its problems.
    `running`: where the variant being tried is kept: [variant, its line, None, the preferred term].
    `problems`: a list the problems are added to as they are found (check_termbase's, kept if a variant is stopped)."""
    from . import schemas, yamlfile

    problems = [] if problems is None else problems
    path = project.root / TERMS_DIR / f"{lang}.yml"
    name = f"{TERMS_DIR}/{lang}.yml"
    if not path.exists() and not path.is_symlink():  # a shortcut to nowhere is a problem (read_text says so)
        return [], problems
    data, lines, loaded = yamlfile.load(path, name)
    problems += loaded
    if loaded:
        return [], problems
    problems += yamlfile.validate(data, schemas.TERMBASE, name, lines)  # an empty file too: `[]` is "none yet"
    decisions = []
    for index, entry in enumerate(data if isinstance(data, list) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("preferred"), str):
            continue
        patterns = []
        forbidden = entry.get("forbidden")
        for number, variant in enumerate(forbidden if isinstance(forbidden, list) else []):  # else: a schema problem
            line = line_of(lines, (index, "forbidden", number))
            if not isinstance(variant, str):
                continue
            if (flagged := TRAILING_FLAGS.match(variant)) or (variant.startswith("/") and not variant.endswith("/")):
                body = flagged.group(1) if flagged else variant[1:]
                problems.append(
                    Problem(
                        name,
                        line,
                        (
                            f"the variant `{variant}` has `{flagged.group(2)}` after its closing slash, which is not read"
                            if flagged
                            else f"the variant `{variant}` starts with a slash but does not end with one"
                        )
                        + f", so it would be looked for as plain text — write `/{body}/`; case is ignored unless the variant is all capitals, and another flag goes first inside the slashes (`/(?x){body}/`)",
                    )
                )
                continue
            if running is not None:  # before it is compiled: a pattern of a million alternatives takes seconds
                running[:] = [variant, line, None, entry["preferred"]]
            try:
                pattern = _variant_pattern(variant)
                if pattern.search(entry["preferred"]):
                    problems.append(
                        Problem(
                            name,
                            line,
                            f"the forbidden variant `{variant}` matches the preferred term `{entry['preferred']}` itself — remove it from `forbidden`, or write the variant to avoid",
                        )
                    )
                    continue
                patterns.append((pattern, line))
            except re.error as error:
                problems.append(
                    Problem(
                        name,
                        line,
                        f"the variant `{variant}` is not a valid regular expression ({error.msg}) — correct it, or write a plain word without slashes",
                    )
                )
        decisions.append((entry, line_of(lines, (index, "id")), patterns))
    return decisions, problems


# each within one line (none matches a newline)
NOT_TERMS = [re.compile(p) for p in (r"`[^`\n]*`", r"https?://\S+", r"\]\([^)\n]*\)", r"<!--.*?-->", r"<[^>\n]+>")]
NOT_TERMS_START = ("`", "http", "](", "<!--", "<")  # what a line holds where each of NOT_TERMS can match


def _without_code(text: str) -> str:
    """Lines (joined by newlines) with what the termbase must not read blanked out, line by line:
    code, addresses, link targets, HTML, other languages."""
    if "lang=" in text:
        text = "\n".join(OTHER_LANGUAGE.sub(" ", line) if "lang=" in line else line for line in text.split("\n"))
    for pattern, start in zip(NOT_TERMS, NOT_TERMS_START):
        if start in text:
            text = pattern.sub(" ", text)  # all the lines at once: no match reaches into the next line
    return text


def _case_classes() -> dict[int, str]:
    """Characters re.IGNORECASE takes for another whose str.lower() differs (ı and i, ſ and s, ς and σ…), mapped to one of them."""
    try:
        from re._casefix import _EXTRA_CASES  # Python 3.11+
    except ImportError:  # pragma: no cover — then no character is folded here and _fold_case returns None
        return {}
    table = {0x130: "i"}  # İ: str.lower() gives i + a combining dot, re.IGNORECASE takes it for i
    for key, others in _EXTRA_CASES.items():
        group = [key, *others]
        for code in group:
            if code != min(group):
                table[code] = chr(min(group))
    return table


_CASE_CLASSES = _case_classes()
_CASE_CHARS = [chr(c) for c in _CASE_CLASSES]  # each looked for with `in`: 8 times faster than one pattern of them all


def _fold_case(text: str) -> str | None:
    """The text lowered as re.IGNORECASE compares it (see _case_classes), or None when that cannot be promised."""
    if not _CASE_CLASSES:
        return None
    if any(char in text for char in _CASE_CHARS):
        text = text.translate(_CASE_CLASSES)
    text = text.lower()
    return text.translate(_CASE_CLASSES) if any(char in text for char in _CASE_CHARS) else text


def _required_literals(pattern: re.Pattern) -> tuple[list[str], bool]:
    """Runs of plain characters every match of a pattern contains, and whether they are compared
    ignoring case (none when the pattern has none: then every text may match)."""
    from re import _parser  # type: ignore[attr-defined]  # private, and not in typeshed

    ignore_case = bool(pattern.flags & re.I)
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unexpected parser (a private module of re): no shortcut
        return [], False
    runs, run = [], []
    for op, value in parsed:
        if op is _parser.LITERAL:
            run.append(chr(value))
        else:
            runs.append("".join(run))
            run = []
    runs = [r for r in [*runs, "".join(run)] if r]
    if ignore_case:
        folded = [_fold_case(r) for r in runs]
        if any(f is None or len(f) != len(r) for f, r in zip(folded, runs)):
            return [], False
        return [f for f in folded if f is not None], True
    return runs, False


def _page_text_lines(path: Path):
    """(line number, text) of a page's title, summary and body, outside code fences."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start, fenced = _front_matter_end(lines), False
    for index, line in enumerate(lines):
        if index < start:
            if re.match(r"^(title|summary):", line):
                yield index + 1, line.split(":", 1)[1]
            continue
        if md.FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced:
            yield index + 1, line


def _data_text_lines(path: Path, lang: str, whole: bool):
    """(line number, text) of a language's values in the glossary, the readings' notes or data/ui/LANG.yml."""
    current = None
    for index, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if whole:
            match = UI_VALUE.match(line)
            if match and not line.lstrip().startswith("#"):
                yield index + 1, match.group(2)
            continue
        block = GLOSSARY_LANG.match(line)
        if block or line.startswith("- "):
            current = block.group(1) if block else None
            continue
        note = READING_NOTE.match(line)
        if note and note.group(1) == lang:
            yield index + 1, note.group(2)
        elif current == lang and (value := YAML_FRENCH_VALUE.match(line)):
            yield index + 1, value.group(2)


def _language_sources(project: Project, lang: str):
    """Every file written in a language, with a reader of its text lines. A symlink is never read
    here (the content policy reports it), as in check_typography."""
    from .countries import page_paths

    pages = [unit.pages[lang].path for unit in project.units() if lang in unit.pages]
    pages += [paths[lang] for paths in project.docs_pages().values() if lang in paths]
    data = [project.root / "data" / name for name in ("glossary.yml", "readings.yml")]
    ui = project.root / "data" / "ui" / f"{lang}.yml"
    countries = page_paths(project, lang)  # a country team's profile and local notes
    for path in pages:
        if project.contains(path):
            yield path, _page_text_lines(path)
    for path in data:
        if path.exists() and project.contains(path):
            yield path, _data_text_lines(path, lang, False)
    if ui.exists() and project.contains(ui):
        yield ui, _data_text_lines(ui, lang, True)
    for path in countries:
        if project.contains(path):
            yield path, _page_text_lines(path)


def _lines_to_read(
    rules: list, whole: str, lines: list[str], folded: str | None, folded_lines: list[str]
) -> list[tuple[int, list[int]]]:
    """(line index, [rule index]) of the lines where a rule may match, in order: those holding its
    longest required literal (found in the whole text, not line by line), every line for a rule without one."""
    starts: dict[bool, list[int]] = {}
    wanted: dict[int, set[int]] = {}
    # the lines holding a literal, found once for every rule that needs it
    holding: dict[tuple[bool, str], list[int]] = {}
    for number, (*_, literals, ignore_case) in enumerate(rules):
        if not literals or not all(literals):
            for index in range(len(lines)):
                wanted.setdefault(index, set()).add(number)
            continue
        folding = ignore_case and folded is not None
        text = folded if folding and folded is not None else whole
        if folding not in starts:
            offsets, at = [], 0
            for line in folded_lines if folding else lines:
                offsets.append(at)
                at += len(line) + 1
            starts[folding] = offsets
        literal = max(literals, key=len)  # the longest: the fewest places to look at
        if (folding, literal) not in holding:
            indexes = holding[folding, literal] = []
            found = text.find(literal)
            while found >= 0:
                index = bisect.bisect_right(starts[folding], found) - 1
                indexes.append(index)
                found = text.find(
                    literal, starts[folding][index + 1] if index + 1 < len(starts[folding]) else len(text)
                )
        for index in holding[folding, literal]:
            wanted.setdefault(index, set()).add(number)
    return [(index, sorted(wanted[index])) for index in sorted(wanted)]


def check_termbase(project: Project) -> list[Problem]:
    """Each language's sources avoid the variants its termbase forbids; the glossary agrees with it."""
    problems = []
    folder = project.root / TERMS_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        lang = path.stem
        if lang not in project.languages:
            continue
        running: list = []  # the variant being tried: [variant, its line, source file or None, line or text]
        found: list[Problem] = []  # filled as they are found: a variant stopped half-way loses none of them
        try:
            with _cpu_limit(TERMBASE_SECONDS):
                _termbase_problems(project, lang, running, found)
        except _TooSlow:
            found.append(_too_slow(project, lang, running))
        problems += found
    return problems


def _too_slow(project: Project, lang: str, running: list) -> Problem:
    """The problem of a termbase whose variants ran past TERMBASE_SECONDS, at the variant then tried."""
    if not running:
        return Problem(
            f"{TERMS_DIR}/{lang}.yml",
            0,
            f"checking the forbidden variants took more than {TERMBASE_SECONDS:g} s of CPU [termbase-slow] — look for a variant with a repeat inside a repeat",
        )
    variant, line, source, at = running
    if variant is None:  # the file itself took the time, before any variant was tried on it
        return Problem(  # at the termbase, not the page: a problem at a draft page is not reported
            f"{TERMS_DIR}/{lang}.yml",
            0,
            f"reading {rel(source, project.root)} for the forbidden variants took more than {TERMBASE_SECONDS:g} s of CPU [termbase-slow] — split that file into smaller pages",
        )
    where = f"{rel(source, project.root)}:{at}" if source is not None else f"its preferred term `{str(at)[:60]}`"
    return Problem(
        f"{TERMS_DIR}/{lang}.yml",
        line,
        f"the forbidden variant `{variant}` ran for more than {TERMBASE_SECONDS:g} s of CPU on {where} [termbase-slow] — a repeat inside a repeat, like `(\\w+\\s?)+`, makes Python's regular expressions try every way to split a text: write the words plainly, or repeat once (`\\w[\\w\\s]*`)",
    )


def _termbase_problems(project: Project, lang: str, running: list, problems: list[Problem]) -> list[Problem]:
    """check_termbase for one language, its problems added to `problems` as they are found;
    `running`: the variant being tried (see check_termbase)."""
    decisions, _ = termbase(project, lang, running, problems)
    rules = [(pattern, line, entry["preferred"]) for entry, _, patterns in decisions for pattern, line in patterns]
    with_literals = [(*rule, *_required_literals(rule[0])) for rule in rules]
    for source, lines in _language_sources(project, lang):
        running[:] = [None, 0, source, 0]  # reading the file, no variant tried yet (a huge page takes time too)
        name = ""  # the file's name in messages, found at its first problem
        numbered = list(lines)
        whole = _without_code("\n".join(raw for _, raw in numbered))
        plain_lines = whole.split("\n")
        texts = [(line_no, text) for (line_no, _), text in zip(numbered, plain_lines)]
        folded = _fold_case(whole)
        folded_lines = folded.split("\n") if folded is not None else plain_lines
        # A rule finds nothing on a line without the text every match of it contains (compared as
        # re.IGNORECASE compares it): a rule is run only on the lines that hold it.
        for index, rule_numbers in _lines_to_read(with_literals, whole, plain_lines, folded, folded_lines):
            (line_no, text), low = texts[index], folded_lines[index]
            for number in rule_numbers:
                pattern, line, preferred, literals, ignore_case = with_literals[number]
                if not all(literal in (low if ignore_case else text) for literal in literals):
                    continue
                running[:] = [pattern.pattern, line, source, line_no]
                for match in dict.fromkeys(m.group(0) for m in pattern.finditer(text)):
                    name = name or rel(source, project.root)
                    problems.append(
                        Problem(name, line_no, f"'{match}' — use '{preferred}' ({TERMS_DIR}/{lang}.yml:{line})")
                    )
    glossary = {entry["id"]: entry for entry in project.glossary}
    for entry, line, _ in decisions:
        gid = entry.get("glossary")
        if not isinstance(gid, str):
            continue
        if gid not in glossary:
            if not glossary:
                continue  # data/glossary.yml did not load: its own problem says why
            problems.append(
                Problem(
                    f"{TERMS_DIR}/{lang}.yml",
                    line,
                    f"`glossary: {gid}` names no entry of data/glossary.yml — use an existing id, or remove the line",
                )
            )
            continue
        term = (glossary[gid].get(lang) or {}).get("term")
        if term and term != entry["preferred"]:
            problems.append(
                Problem(
                    "data/glossary.yml",
                    glossary[gid].get("_line", 0),
                    f"the {lang} term of `{gid}` is '{term}' but {TERMS_DIR}/{lang}.yml:{line} prefers '{entry['preferred']}' — make the glossary and the termbase agree",
                )
            )
    return problems


NBSP, NNBSP = "\u00a0", "\u202f"
TYPO_RULES = [
    # (pattern, replacement, message)
    (re.compile(r"(?<=\S) ([;!?])"), NNBSP + r"\1", "an ordinary space before `{0}` — use a no-break space"),
    (
        re.compile(r"(?<=[\w»)\]*]) (:)(?=[\s*_]|$)"),
        NBSP + r"\1",
        "an ordinary space before `:` — use a no-break space",
    ),
    (
        re.compile(r"(?<=[^\W\d_])([;!?])(?=\s|$)"),
        NNBSP + r"\1",
        "no space before `{0}` — French puts a no-break space before it",
    ),
    (
        re.compile(r"(?<=[^\W\d_]|\*)(:)(?=\s)"),
        NBSP + r"\1",
        "no space before `:` — French puts a no-break space before it",
    ),
    (re.compile(r"« ?(?=\S)"), "«" + NBSP, "no no-break space after `«` — write `«\u00a0…\u00a0»`"),
    (re.compile(r"(?<=\S) ?»"), NBSP + "»", "no no-break space before `»` — write `«\u00a0…\u00a0»`"),
    (re.compile(r"(?<=\d) ?%"), NBSP + "%", "`%` without a no-break space — write `20\u00a0%`"),
]


def _typo_spans(line: str) -> list[tuple[int, int]]:
    """Spans of a line that typography rules must leave alone: code, URLs, links' targets, HTML, markers."""
    spans = []
    for pattern in (
        r"`[^`]{0,2000}`",
        r"https?://\S+",
        r"\]\([^)]{0,2000}\)",
        r"<[^>]{1,2000}>",
        r"\{[^}]{0,2000}\}",
        r"\[![A-Z]+\]",
        OTHER_LANGUAGE.pattern,
    ):
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, line)]
    return spans


def typography_fixes(line: str) -> tuple[str, list[str]]:
    """A French line with its typography fixed, and what was wrong."""
    if line.lstrip().startswith(("|--", "|:-", "<!--", "---")) or re.match(r"^\s*[a-z_]+:\s*$", line):
        return line, []
    messages = []
    for pattern, replacement, message in TYPO_RULES:
        if not pattern.search(line):
            continue
        spans = _typo_spans(line)

        def apply(m: re.Match) -> str:
            if any(a <= m.start() < b for a, b in spans):  # noqa: B023 — apply() runs within this iteration, inside re.sub
                return m.group(0)
            new = m.expand(replacement)  # noqa: B023 — apply() runs within this iteration, inside re.sub
            if new != m.group(0):
                messages.append(message.format(m.group(m.lastindex or 0) if m.lastindex else m.group(0)))  # noqa: B023 — apply() runs within this iteration, inside re.sub
            return new

        line = pattern.sub(apply, line)
    return line, messages


def _front_matter_fix(line: str) -> tuple[str, list[str]]:
    """Fix the value of a `title:` or `summary:` line, quoting it when a colon would break YAML."""
    key, value = line.split(":", 1)
    value = value.strip()
    quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "\"'"
    inner = value[1:-1] if quoted else value
    fixed, messages = typography_fixes(inner)
    if ": " in fixed or fixed.startswith(("«", "[", "{", "*", "&", "!", "%", "@")):
        if not quoted or value[0] != '"':
            fixed = '"' + fixed.replace("\\", "\\\\").replace('"', '\\"') + '"'
        else:
            fixed = '"' + fixed + '"'
    elif quoted:
        fixed = value[0] + fixed + value[0]
    return f"{key}: {fixed}", messages


def _typography_files(project: Project) -> list[Path]:
    files = []
    for lang in project.languages:
        if lang != "fr":
            continue
        files += [u.pages[lang].path for u in project.units() if lang in u.pages]
        files += [paths[lang] for paths in project.docs_pages().values() if lang in paths]
    return files


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                return index + 1
    return 0


YAML_FRENCH_VALUE = re.compile(r"^(\s+(?:term|expansion|definition|fr):\s)(.*)$")
UI_VALUE = re.compile(r"^(\s*[a-z_]+:\s)(.+)$")


def _data_typography(project: Project, fix: bool) -> tuple[list[Problem], list[str]]:
    """Typography in the data files, for every language that asks for it: the `LANG:` values of
    the glossary, readings, programme, materials, pictograms and picture cards, and the
    interface strings data/ui/LANG.yml."""
    from . import typography

    problems, changes = [], []
    for lang in project.languages:
        rules = typography.style_of(project, lang)
        if not rules:
            continue
        value_line = re.compile(rf"^(\s+(?:term|expansion|definition|{lang}):\s)(.*)$")
        cards = sorted(str(p.relative_to(project.root)) for p in project.root.glob("modules/*/cards.yml"))
        data = (
            "data/glossary.yml",
            "data/readings.yml",
            "data/programme.yml",
            "data/materials.yml",
            "data/pictograms.yml",
        )
        for name in (*data, *cards, f"data/ui/{lang}.yml"):
            path = project.root / name
            if not path.is_file() or not project.contains(path):
                continue
            whole = name.endswith(f"/{lang}.yml")  # interface strings: every value is in the language
            lines, inside_lang, changed = path.read_text(encoding="utf-8").split("\n"), whole, False
            for index, line in enumerate(lines):
                if not whole and (re.match(r"^  [a-z]{2,3}(?:-[A-Z]{2})?:\s*(#.*)?$", line) or line.startswith("- ")):
                    inside_lang = line.strip() == f"{lang}:"
                match = (UI_VALUE if whole else value_line).match(line)
                if not match or not (inside_lang or match.group(1).strip() == f"{lang}:"):
                    continue
                if match.group(1).strip() == "typography:":
                    continue
                value, messages = typography.fix_string(match.group(2), rules)
                if messages and value != match.group(2):
                    for message in dict.fromkeys(messages):
                        problems.append(Problem(name, index + 1, f"{message} (`terrain check --fix` repairs it)"))
                    if fix:
                        changes.append(
                            f"{name}:{index + 1}:\n  - {typography.visible(line).strip()}\n  + {typography.visible(match.group(1) + value).strip()}"
                        )
                        lines[index] = match.group(1) + value
                        changed = True
            if fix and changed:
                typography.write_safely(path, project.root, "\n".join(lines))
    return problems, changes


def check_typography(project: Project, fix: bool = False) -> tuple[list[Problem], list[str]]:
    """Typography problems of every language that asks for it (`typography:` in data/ui/LANG.yml),
    found on the Markdown structure (terrain/typography.py); with fix=True, repair them and
    return a diff of what changed."""
    from . import typography
    from .countries import page_paths as country_pages

    problems, changes = [], []
    for lang in project.languages:
        rules = typography.style_of(project, lang)
        if not rules:
            continue
        paths = [u.pages[lang].path for u in project.units() if lang in u.pages]
        paths += [p[lang] for p in project.docs_pages().values() if lang in p]
        paths += country_pages(project, lang)  # profiles and local notes in countries/CC/ (issue 15)
        for path in paths:
            if not project.contains(path):
                continue  # the content policy reports it; never read or written here
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                continue  # reported by the project loader
            new, found = typography.fix_markdown(text, lang, rules)
            if not found and new == text:
                continue
            name = rel(path, project.root)
            for line, message in found:
                problems.append(Problem(name, line, f"{message} (`terrain check --fix` repairs it)"))
            if fix and new != text:
                changes += _diff(name, text, new)
                typography.write_safely(path, project.root, new)
    data_problems, data_changes = _data_typography(project, fix)
    return problems + data_problems, changes + data_changes


def _diff(name: str, old: str, new: str) -> list[str]:
    """What a fix changed, line by line, with no-break spaces shown as ⍽ (U+00A0) and ⸱ (U+202F)."""
    from .typography import visible

    out = []
    for number, (a, b) in enumerate(zip(old.split("\n"), new.split("\n")), start=1):
        if a != b:
            out.append(f"{name}:{number}:\n  - {visible(a).strip()}\n  + {visible(b).strip()}")
    return out


# ---- everything ---------------------------------------------------------------------------------


def check_all(project: Project) -> list[Problem]:
    """Every problem of the sources, from every check."""
    problems = list(project.problems)

    def run(check: Callable[[Project], list[Problem]]) -> list[Problem]:
        """A check's problems. A file that breaks its schema (already in project.problems, with its
        line and fix) may hand a check a value of the wrong type: that check then says nothing more,
        rather than stop every other with a traceback. Without such a problem, a crash is a bug in
        Terrain and is raised."""
        try:
            return check(project)
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            if project.problems:
                return []
            raise

    problems += run(policy.check_policy)  # the content policy (terrain/policy.py) first
    drafts = draft_names(project), draft_data_lines(project)  # read once for every check below
    problems += without_drafts(project, run(check_parity), drafts)  # a draft never blocks (issue 15)
    problems += run(check_references)
    problems += run(check_links)
    problems += without_drafts(project, run(check_terms), drafts)
    problems += without_drafts(project, run(check_termbase), drafts)
    problems += without_drafts(project, run(lambda project: check_typography(project)[0]), drafts)
    problems += run(check_translation_structure)
    problems += run(check_still_default)
    problems += run(check_translation_records)
    problems += run(check_countries)
    problems += without_drafts(project, run(check_untranslated_data), drafts)
    problems += run(check_workshop)
    setup = check_setup(project)
    if setup:  # one problem that says what to run, not one per card or link that needs node_modules
        problems = [p for p in problems if p.rule != "setup"] + setup
    return sorted(set(problems))


# ---- translations: drafts, structure, text still in the default language (issue 15) --------


def check_untranslated_data(project: Project) -> list[Problem]:
    """Glossary fields, reading notes and interface strings still as in the default language, once
    they are no longer drafts (no `# draft` comment; data/ui/LANG.yml without its `# DRAFT` first line)."""
    from .i18n import untranslated_strings

    problems, default = [], project.default_language
    for lang in project.languages:
        if lang == default:
            continue
        ui = project.root / "data" / "ui" / f"{lang}.yml"
        ui_draft = ui.is_file() and ui.read_text(encoding="utf-8", errors="replace").lstrip().upper().startswith(
            "# DRAFT"
        )
        for found in untranslated_strings(project, lang):
            name, line, what = found.split(":", 2)
            if not name.startswith("data/") or (ui_draft and name == f"data/ui/{lang}.yml"):
                continue  # pages: check_still_default; a draft interface file: listed by `i18n status`
            problems.append(
                Problem(
                    name,
                    int(line),
                    f"{what.strip()} — translate it, or end the line with `# same as {default}` when it stays so (a name)",
                )
            )
    return problems


def check_countries(project: Project) -> list[Problem]:
    """Every country folder (countries/CC/): terrain/countries.py."""
    from .countries import check_countries as check

    return check(project)


def is_draft(page: Page | None) -> bool:
    """A translated page still marked `translation: {status: draft}`."""
    return page is not None and page.translation.get("status") == "draft"


def draft_names(project: Project) -> dict[str, str]:
    """Every draft page as {file name: language}, in the languages other than the default."""
    found = {}
    for page, _ in _pages(project):
        if page.lang != project.default_language and is_draft(page):
            found[page.name] = page.lang
    return found


def without_drafts(
    project: Project, problems: list[Problem], drafts: tuple[dict[str, str], set[tuple[str, int]]] | None = None
) -> list[Problem]:
    """The translation problems that do not concern a draft page: a language in progress
    builds and serves at every step; a page is checked once it is no longer a draft.
    `drafts` is (draft_names, draft_data_lines) when the caller has them already."""
    names, lines = drafts or (draft_names(project), draft_data_lines(project))
    return [p for p in problems if p.path not in names and (p.path, p.line) not in lines]


DRAFT_COMMENT = re.compile(r"#\s*draft\b", re.I)


def draft_data_lines(project: Project) -> set[tuple[str, int]]:
    """(file, line) of the glossary blocks and reading notes still marked `# draft` (as
    `terrain i18n new` writes them, in the default language): checked once the mark is removed."""
    found = set()
    for name in ("data/glossary.yml", "data/readings.yml"):
        path = project.root / name
        if not path.is_file() or path.is_symlink():
            continue
        inside = False
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
            block = GLOSSARY_LANG.match(line)
            if block or line.startswith("- ") or (line.startswith("  ") and not line.startswith("    ")):
                inside = bool(block and block.group(1) != project.default_language and DRAFT_COMMENT.search(line))
            if inside or (READING_NOTE.match(line) and DRAFT_COMMENT.search(line)):
                found.add((name, number))
    return found


def _translated_pages(project: Project):
    """(page, source page, language-free key) of every translated page that is not a draft."""
    default = project.default_language
    for unit in project.units():
        source = unit.pages.get(default)
        for lang, page in unit.pages.items():
            if lang != default and source is not None and not is_draft(page):
                yield page, source, f"{unit.src_dir}/{unit.slug}/index.md"
    for key, pages in project.docs.items():
        source = pages.get(default)
        for lang, page in pages.items():
            if lang != default and source is not None and not is_draft(page):
                yield page, source, key


def _cells(line: str) -> int:
    """How many cells a pipe-table row holds (escaped pipes and pipes in code do not count)."""
    return len(md.split_cells(line))


DETAILS_TAG = re.compile(r"</?details\b")


def structure_problems(page: Page) -> list[Problem]:
    """What a translator breaks without noticing, at the line where it goes wrong: a table
    whose separator row does not match its header, a `<details>` that never closes."""
    problems, previous, opened = [], None, []
    for line_no, line, code_free in _page_lines(page.body, page.body_line):
        stripped = line.strip()
        if (
            previous is not None
            and md.TABLE_RULE.match(stripped)
            and "-" in stripped
            and md.TABLE_ROW.match(previous[1])
        ):
            header, rule = _cells(previous[1]), _cells(stripped)
            if header != rule:
                problems.append(
                    Problem(
                        page.name,
                        line_no,
                        f"the table's separator row has {rule} column(s) but its header (line {previous[0]}) has {header} — write one `---` per column: `|{'---|' * header}`",
                    )
                )
        for tag in DETAILS_TAG.findall(code_free) if "details" in code_free else ():
            if tag == "<details":
                opened.append(line_no)
            elif opened:
                opened.pop()
            else:
                problems.append(
                    Problem(
                        page.name,
                        line_no,
                        "a `</details>` closes no `<details>` — remove it, or put back the `<details>` and `<summary>` line above it",
                    )
                )
        previous = (line_no, line)
    for line_no in opened:
        problems.append(
            Problem(
                page.name,
                line_no,
                "this `<details>` is never closed, so the rest of the page hides inside its answer — put `</details>` on its own line after the answer",
            )
        )
    return problems


def check_translation_structure(project: Project) -> list[Problem]:
    """Tables and answers in every page; in a translation, every self-check question of the
    default language, reported where the missing one belongs."""
    problems = []
    for page, _ in _pages(project):
        if not is_draft(page):
            problems += structure_problems(page)
    for page, source, key in _translated_pages(project):
        if not project.contains(page.path):
            continue  # a symlink: the content policy names it, and its sections are not read
        if not key.startswith(("modules/", "worksheets/")):  # units: _check_sections names each heading
            src_h2 = [h for h in md.headings(source.body) if h.level == 2]
            own_h2 = [h for h in md.headings(page.body) if h.level == 2]
            if len(own_h2) < len(src_h2):
                where = (
                    page.body_line + own_h2[min(len(own_h2), len(src_h2)) - 1].line - 1 if own_h2 else page.body_line
                )
                problems.append(
                    Problem(
                        page.name,
                        where,
                        f"{len(src_h2) - len(own_h2)} `##` section(s) of {rel(source.path, project.root)} missing (it has {len(src_h2)}, this page {len(own_h2)}, whose last is on this line) — translate every section",
                    )
                )
        src, own = _details_lines(source), _details_lines(page)
        if len(own) < len(src):
            after = page.body_line + own[-1] if own else page.body_line
            problems.append(
                Problem(
                    page.name,
                    after,
                    f"{len(src) - len(own)} self-check question(s) of {rel(source.path, project.root)} missing (it has {len(src)}, this page {len(own)}; the last one here is above this line) — translate each `<details>` block, in the same order",
                )
            )
    return problems


def _details_lines(page: Page) -> list[int]:
    """Body line of each `<details>` block's start."""
    return [
        line_no - page.body_line + 1
        for line_no, _, code_free in _page_lines(page.body, page.body_line)
        if "<details" in code_free
    ]


WORD = re.compile(r"[^\W\d_]{3,}")


def paragraphs(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The prose paragraphs of a page as (file line, text): blocks between blank lines, without
    code, headings, markers, table rules, HTML tags, link targets, or passages marked with another `lang`."""
    return [(line, text) for line, text, _ in _paragraph_words(body, first_line)]


NOT_PROSE = re.compile(r"`[^`]{0,2000}`|\]\([^)]{0,2000}\)|<[^>]{1,2000}>|https?://\S+|\{[^}]{0,200}\}")


def _paragraph_words(body: str, first_line: int = 1) -> list[tuple[int, str, list[str]]]:
    """paragraphs(), each with its words (WORD) lowered, found once."""
    found: list[tuple[int, str]] = []
    block: list[str] = []
    start = 0
    for number, line in [*md.prose_lines(body), (10**9, "")]:
        text = line.strip()
        if text.startswith("#") or not text or text.startswith("<!--") or md.TABLE_RULE.match(text):
            if block:
                found.append((first_line + start - 1, " ".join(block)))
            block = []
            continue
        if "lang=" in text:
            text = OTHER_LANGUAGE.sub(" ", text)
        if "`" in text or "](" in text or "<" in text or "http" in text or "{" in text:  # where NOT_PROSE can start
            text = NOT_PROSE.sub(" ", text)
        if not block:
            start = number
        block.append(text)
    words = [(line, text, md.lower_words(WORD, text)) for line, text in found]
    return [(line, text, found_words) for line, text, found_words in words if len(found_words) >= 4]


def still_default(source: Page, page: Page) -> tuple[list[int], float]:
    """The lines of a translation's paragraphs still in the default language, and their share
    of the page's words. A paragraph counts when nine in ten of its words are words of the
    default-language page: a copied, pasted back or lightly edited paragraph is caught, a
    translated one (which shares names, numbers and a few loan words) is not."""
    meta = {
        key: page.meta_lines.get((key,), 2) if isinstance(page.meta_lines, dict) else 2 for key in ("title", "summary")
    }
    lines, share = _still_default(
        source.body,
        source.title,
        source.summary,
        page.body,
        page.body_line,
        page.title,
        page.summary,
        meta["title"],
        meta["summary"],
    )
    return list(lines), share


@functools.lru_cache(maxsize=1024)  # the check and the translation-status page measure the same pages
def _still_default(
    source_body, source_title, source_summary, body, body_line, title, summary, title_line, summary_line
) -> tuple[tuple[int, ...], float]:
    vocabulary = set().union(*(words for _, _, words in _paragraph_words(source_body)))
    vocabulary.update(md.lower_words(WORD, source_title + " " + source_summary))
    found = _paragraph_words(body, body_line)
    blocks = [line for line, _, _ in found]
    block_words = [words for _, _, words in found]  # each paragraph's words, lowered, found once
    lines, english, total = [], 0, 0
    for line_no, value in ((title_line, title), (summary_line, summary)):
        if len(value_words := md.lower_words(WORD, value)) >= 3:
            blocks.append(line_no)
            block_words.append(value_words)
    for line, words in zip(blocks, block_words):
        total += len(words)
        known = sum(map(vocabulary.__contains__, words))
        if known >= 0.9 * len(words):
            lines.append(line)
            english += len(words)
    return tuple(sorted(lines)), (english / total if total else 0.0)


def _language_name(project: Project, lang: str) -> str:
    return str(project.ui.get(lang, {}).get("language_name") or lang)


def check_still_default(project: Project) -> list[Problem]:
    """No paragraph of a translated page (once it is no longer a draft) is still in the default language."""
    problems = []
    for page, source, _ in _translated_pages(project):
        lines, _ = still_default(source, page)
        for line in lines:
            problems.append(
                Problem(
                    page.name,
                    line,
                    f'this paragraph is still in the {_language_name(project, project.default_language)} of {rel(source.path, project.root)} — translate it; a quotation that must stay in {project.default_language} goes in `<span lang="{project.default_language}">…</span>`',
                )
            )
    return problems


def check_translation_records(project: Project) -> list[Problem]:
    """A page marked against today's default-language text has that text recorded in
    data/translated-from/LANG.json, so `terrain i18n diff` shows the next change and nothing older."""
    from .i18n import STORE, read_store
    from .project import body_hash
    from .yamlfile import line_of

    problems: list[Problem] = []
    stores: dict[str, dict] = {}
    for page, source, key in _translated_pages(project):
        marked = page.translation.get("source_hash")
        if not marked or marked != body_hash(source.body):
            continue  # out of date: `terrain i18n status` says so
        if page.lang not in stores:  # each language's record is read once
            stores[page.lang] = read_store(project, page.lang)
        store = stores[page.lang]
        recorded = store.get(key, store.get(f"docs/{key}"))
        if isinstance(recorded, dict) and recorded.get("hash") != marked:
            problems.append(
                Problem(
                    page.name,
                    line_of(page.meta_lines, ("translation", "source_hash")),
                    f"`source_hash` is today's {project.default_language} text, but {STORE}/{page.lang}.json keeps an older one (a hash written by hand?), so `terrain i18n diff` would show changes already translated — run `terrain i18n mark {page.lang} {page.name}`",
                )
            )
    return problems


def check_setup(project: Project) -> list[Problem]:
    """The npm packages the build reads (icon sets, the offline search shim), as one problem."""
    from . import cards, site

    missing = [
        package for prefix, package in cards.ICON_SETS.items() if cards._icon_set(str(project.root), prefix) is None
    ]
    if not (project.root / site.SHIM).is_file():
        missing.append(site.SHIM.split("/")[1])
    if not missing:
        return []
    return [
        Problem(
            "node_modules",
            0,
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed, so pictures and offline search would be missing — run `make setup` (it runs `npm install` from package.json)",
            "setup",
        )
    ]


# ---- the workshop: programme, worksheet time, materials ----------------------------------------


def check_workshop(project: Project) -> list[Problem]:
    """The programme fits its days, every worksheet gets its time, the materials lists are sound."""
    from . import kit, programme

    return (
        programme.check_programme(project)
        + programme.check_worksheet_time(project)
        + kit.check_materials(project)
        + check_worksheet_steps(project)
        + check_talking_points(project)
    )


def talking_point_limit(minutes: int) -> int:
    """How many points a talking-points block may hold: about one per minute and a half, at least 3."""
    return max(3, int(minutes / 1.5))


def check_talking_points(project: Project) -> list[Problem]:
    """Every Input step of a module's session plan has its talking-points block, in the same order
    and with the same minutes, holding 3 points to about one per minute and a half, then the
    flipchart sketch and the question (two bold points), in every language."""
    problems = []
    for unit in project.modules.values():
        for lang, page in unit.pages.items():
            plan_title = project.text(lang, "sections", "plan")
            plan = md.section(page.body, plan_title)
            if not plan:
                continue
            label = project.text(lang, "labels", "input_step")
            inputs = [
                (number, cells[0])
                for number, cells in md.table_rows(plan[0], plan[1])
                if len(cells) > 1 and cells[1] == label
            ]
            talking_title = project.text(lang, "sections", "talking")
            found = md.section(page.body, talking_title)
            if not inputs:
                continue
            if not found:
                problems.append(
                    Problem(
                        page.name,
                        page.body_line + plan[1] - 2,
                        f"the session plan has {len(inputs)} `{label}` step(s) but the page has no `## {talking_title}` section — add it, with one `### N. Title — M min` block per {label} step",
                    )
                )
                continue
            talking, first = found
            blocks: list[list] = []
            current: list | None = None
            for offset, line in enumerate(talking.splitlines()):
                heading = md.HEADING.match(line)
                if heading and len(heading.group(1)) == 3:
                    current = [page.body_line + first - 1 + offset, heading.group(2).strip(), []]
                    blocks.append(current)
                elif current is not None and re.match(r"^- ", line):
                    current[2].append(line[2:])
            section_line = page.body_line + first - 2
            if len(blocks) != len(inputs):
                problems.append(
                    Problem(
                        page.name,
                        section_line,
                        f"the session plan has {len(inputs)} `{label}` step(s) but `## {talking_title}` has {len(blocks)} block(s) — give every {label} step one `### N. Title — M min` block, in order",
                    )
                )
                continue
            for (row, minutes), (line, title, items) in zip(inputs, blocks):
                if not re.search(rf"—\s*{re.escape(minutes)}\s*min\s*$", title):
                    problems.append(
                        Problem(
                            page.name,
                            line,
                            f"`{title}` does not match the {minutes}-minute {label} step of the session plan (line {page.body_line + row - 1}) — end the title with `— {minutes} min`",
                        )
                    )
                    continue
                if len(items) < 2 or not (items[-1].startswith("**") and items[-2].startswith("**")):
                    problems.append(
                        Problem(
                            page.name,
                            line,
                            f"`{title}` must end with the flipchart sketch and the question to the room (two points starting with `**`) — add them as its last two points",
                        )
                    )
                    continue
                points, limit = len(items) - 2, talking_point_limit(int(minutes))
                if not 3 <= points <= limit:
                    problems.append(
                        Problem(
                            page.name,
                            line,
                            f"`{title}` has {points} points for {minutes} minutes — keep 3 to {limit} (about one per minute and a half), then the sketch and the question: {'cut' if points > limit else 'add'} {points - limit if points > limit else 3 - points}",
                        )
                    )
    return problems


STEP_MINUTES = re.compile(r"^\s*\d+[.)]\s+\*\*[^*]*?\((\d{1,3})\s*min\)[^*]*\*\*")


def check_worksheet_steps(project: Project) -> list[Problem]:
    """The steps of a worksheet's facilitator instructions, like `**Prepare the cards (5 min).**`,
    add up to the `duration` of its worksheet.yml, in every language."""
    problems = []
    for unit in project.worksheets.values():
        declared = unit.facts.get("duration")
        if not isinstance(declared, int):
            continue
        for lang in project.languages:
            page = unit.pages.get(lang)
            found = md.section(page.body, project.text(lang, "worksheet_sections", "instructions")) if page else None
            if page is None or not found:
                continue
            text, first = found
            steps = [
                (page.body_line + first - 1 + offset, int(m.group(1)))
                for offset, line in enumerate(text.splitlines())
                if (m := STEP_MINUTES.match(line))
            ]
            total = sum(minutes for _, minutes in steps)
            if steps and total != declared:
                where = line_of(unit.facts_lines, ("duration",)) or 1
                problems.append(
                    Problem(
                        page.name,
                        steps[0][0],
                        f"the steps of the facilitator instructions add up to {total} minutes ({' + '.join(str(m) for _, m in steps)}), but worksheets/{unit.slug}/worksheet.yml:{where} says `duration: {declared}` — shorten the steps (their text and their minutes) to {declared} minutes, or set `duration: {total}` and give the activity that uses the sheet that time",
                    )
                )
    return problems


def require_clean(project: Project) -> None:
    """Raise ProblemsFound unless every check passes: run first by print, pack and build."""
    from .problems import ProblemsFound

    problems = check_all(project)
    if problems:
        raise ProblemsFound(problems)


# ---- the built site -----------------------------------------------------------------------------

SITE_LINK = re.compile(r"""<(?:a|img|script|link|source|iframe)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.I)
EXTERNAL_LOAD = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["'](https?:)?//""", re.I)
# Where a match of SITE_LINK (any of these tags) or of EXTERNAL_LOAD (all but <a>, group 1) can start:
# both regexes are tried there only, from one search of the page for the tags they begin with.
_LINK_TAG = re.compile(r"<(?:a|(img|script|link|source|iframe))\b", re.I)


def site_pages(site: Path) -> list[tuple[Path, str, str]]:
    """Every built page, in order: its file, its name in messages (site/…) and its text, read once
    for all the checks of the built site."""
    return [
        (page, "site/" + page.relative_to(site).as_posix(), page.read_text(encoding="utf-8", errors="replace"))
        for page in sorted(site.rglob("*.html"))
    ]


def _site_files(site: Path) -> set[str]:
    """Every file and folder under `site` (what `site.rglob("*")` lists), as posix paths."""
    import os

    found: set[str] = set()
    for folder, dirs, files in os.walk(site):
        found.update(f"{folder}/{name}" for name in dirs + files)
    return found


def check_site(site: Path, project: Project) -> list[Problem]:
    """The built HTML: every relative link and asset resolves (raw HTML and downloads too),
    nothing is loaded from another site, and translated pages show no English callout titles."""
    pages = site_pages(site)
    problems = check_site_active(site, pages)  # anything that can load or run something (issue 13)
    english_titles = {project.text("en", "callouts", k) for k in ("note", "tip", "warning", "caution")}
    existing = _site_files(site)
    named: dict[str, tuple[str, str] | None] = {}  # link -> its address and site path, for links folders share
    broken: dict[tuple[str, str], str | None] = {}  # (folder, link) -> the problem, for links many pages share
    for page, name, text in pages:
        if page.name == "404.html":
            continue  # served from any depth by a web server, so Material links it from the root
        folder = page.parent.as_posix()
        tags = list(_LINK_TAG.finditer(text))
        for match in _matches_at(SITE_LINK, text, [tag.start() for tag in tags]):
            link = match.group(1)
            key = (folder, link)
            if key not in broken:
                if link not in named:
                    named[link] = _link_path(link)
                broken[key] = _broken_link(folder, target, existing) if (target := named[link]) else None
            if (problem := broken[key]) is not None:
                problems.append(Problem(name, 0, problem))
        for match in _matches_at(EXTERNAL_LOAD, text, [tag.start() for tag in tags if tag.group(1)]):
            tag = text[match.start() : text.find(">", match.start()) + 1]
            if tag.startswith("<link") and re.search(r"""rel=["'](canonical|alternate)["']""", tag):
                continue  # names an address, loads nothing
            problems.append(
                Problem(
                    name,
                    0,
                    f"loads `{tag[:80]}` from another site — ship the file with the site instead (no CDN, web font or analytics)",
                )
            )
        lang = site_language(page.relative_to(site).as_posix(), project.languages, project.default_language)[0]
        if lang != project.default_language:
            for title in english_titles:
                if (
                    title != project.text(lang, "callouts", title.lower())
                    and f'<p class="admonition-title">{title}</p>' in text
                ):
                    problems.append(
                        Problem(
                            name,
                            0,
                            f"shows the English callout title `{title}` — add `{title.lower()}` to data/ui/{lang}.yml callouts",
                        )
                    )
    return problems


def _link_path(link: str) -> tuple[str, str] | None:
    """A link as written in a page: its address (entities decoded) and the path it names in the
    built site; None for a link to no file of the site (another site, an anchor, data:, mailto:)."""
    url = htmlmod.unescape(link)
    parts = urlsplit(url)
    if parts.scheme or url.startswith(("#", "//", "data:", "mailto:")) or not parts.path:
        return None
    return url, parts.path


def _broken_link(folder: str, target: tuple[str, str], existing: set[str]) -> str | None:
    """What is wrong with a link (`_link_path`: its address and path, in a page of `folder`) to a
    file the built site lacks; None if it resolves."""
    url, path = target
    if posixpath.normpath(posixpath.join(folder, path)) in existing:
        return None
    fix = (
        "build the print edition first (`terrain print`)"
        if "downloads/" in url
        else "correct the link in the page's source"
    )
    return f"links to `{url}`, which the built site lacks — {fix}"


# ---- the built site: active content (issue 13) -----------------------------------------------

ACTIVE_TAGS = re.compile(
    r"""<(iframe|frame|object|embed|applet|base|form|portal|video|audio|source|track|svg:script|math)\b|<meta\b[^>]*http-equiv\s*=\s*(?!["']?content-security-policy)""",
    re.I,
)
LOADING_ATTR = re.compile(
    rf"""\s(?=[shpbdafxcml])({policy.LOADING_NAMES})\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.I,
)
EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.I)
STYLE_LOAD = re.compile(r"url\(\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:|//)|@import", re.I)
# A style attribute's value (group 1) or a <style> element's text (group 2): the case-insensitive
# `style\s*=\s*"([^"]*)"|<style\b[^>]*>(.*?)</style>` spelled out (ſ is an s to re.IGNORECASE) and
# led by one character class, so that the engine skips at once to a `<` or an s.
_STYLE = "[sS\u017f][tT][yY][lL][eE]"
STYLE_ATTR_OR_ELEMENT = re.compile(
    rf"""[<sS\u017f](?:(?<=[sS\u017f])[tT][yY][lL][eE]\s*=\s*"([^"]*)"|(?<=<){_STYLE}\b[^>]*>(.*?)</{_STYLE}>)""", re.S
)
# Where a match of LOADING_ATTR or a style attribute can start, found from its `=` in the page read
# backwards: an `=`, spaces, then the attribute's name reversed, then (LOADING_ATTR) the space
# before it. An `=` is one character, which the engine finds fast; the names' first letters (any
# case) it would try one by one, at every space or every s. It finds every place where such a
# match can start (any case, ſ included, spaces of any kind, `=` on its own line); `_matches_at`
# tries each with the regex itself, so the matches are the regex's own.
_BEFORE_EQUALS = re.compile(
    r"=\s*(?:(?:" + "|".join(n[::-1] for n in policy.LOADING_NAMES.split("|")) + r")(?P<loading>\s)|(?P<style>elyts))",
    re.I,
)
_STYLE_ELEMENT = re.compile(rf"<(?={_STYLE})")  # where the <style> element of STYLE_ATTR_OR_ELEMENT can start


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` finds, trying only `starts` (in order), which hold every
    position where `pattern` can match: the same matches, without trying every other position."""
    matches: list[re.Match[str]] = []
    for start in starts:
        if (not matches or start >= matches[-1].end()) and (match := pattern.match(text, start)) is not None:
            matches.append(match)
    return matches


def _content(text: str) -> str:
    """The page's content: every `<article…>…</article>`, joined (terrain.site.article_spans)."""
    from .site import article_spans

    return "".join(text[begin:end] for begin, end in article_spans(text))


def check_site_active(site: Path, pages: list[tuple[Path, str, str]] | None = None) -> list[Problem]:
    """Every element and attribute that can load or run something, in the built pages: only the
    theme's own scripts, nothing from another site, no `javascript:` or `data:` to follow.
    `pages`: the site's pages as `site_pages` reads them, when the caller has them already."""
    problems = []
    for _page, name, text in site_pages(site) if pages is None else pages:
        content = _content(text)
        found = []
        if re.search(r"<script\b", content, re.I):
            found.append("a <script> in the page's content")
        if EVENT_ATTR.search(content):
            found.append("an event handler (on…=) in the page's content")
        match = ACTIVE_TAGS.search(content) or re.search(
            r"<base\b|<meta\b[^>]*http-equiv\s*=\s*(?![\"']?content-security-policy)", text, re.I
        )
        if match:
            found.append(f"`{match.group(0)}`")
        loading: list[int] = []
        styles = [m.start() for m in _STYLE_ELEMENT.finditer(text)]
        for before in _BEFORE_EQUALS.finditer(text[::-1]):  # from the page's end: positions in descending order
            (loading if before.group("loading") else styles).append(len(text) - before.end())
        loading.reverse()
        for attr in _matches_at(LOADING_ATTR, text, loading):
            key, value = attr.group(1).lower(), htmlmod.unescape(attr.group(2) or attr.group(3) or attr.group(4) or "")
            scheme = policy.scheme_of(value) if ":" in value or "&" in value else ""  # no colon, no entity: no scheme
            if (
                key == "srcdoc"
                or scheme in ("javascript", "vbscript", "file")
                or (scheme == "data" and key not in ("src",))
            ):
                found.append(f'`{key}="{value[:40]}"`')
            elif key not in ("href", "cite") and (scheme in ("http", "https") or value.startswith("//")):
                found.append(f'`{key}="{value[:60]}"` loads from another site')
        for style in _matches_at(STYLE_ATTR_OR_ELEMENT, text, sorted(styles)):
            if STYLE_LOAD.search(style.group(1) or style.group(2) or ""):
                found.append("a style that loads from another site (url() or @import)")
        for what in dict.fromkeys(found):
            problems.append(
                Problem(
                    name,
                    0,
                    f"holds {what} [site-active] — the sources must not carry it; run `terrain check` and remove what it names",
                )
            )
    return problems
