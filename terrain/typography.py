"""Typography of a language, checked and fixed on the structure of the Markdown (issue 12).

A language asks for it in its interface strings: `typography: french` in data/ui/LANG.yml.
The rules then apply to prose and link text only — the text tokens markdown-it-py finds — and
never to code (fenced, indented, inline), HTML tags and their attributes, addresses, front-matter
keys, or text marked as another language (`<span lang="en">…</span>`, `*Title*{lang=en}`).

Fixing is idempotent, keeps the file's line endings and byte-order mark, never writes through
a symlink or outside the repository, and writes atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

NBSP, NNBSP = "\u00a0", "\u202f"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    replacement: str
    message: str


# The project's choice: U+202F (narrow) before ; ! ?, U+00A0 before : and inside « ».
# Each rule also normalises the other kind of space, so pairs are always consistent.
FRENCH = [
    Rule(
        re.compile(r"(?<=[^\s«])[ \u00a0]([;!?])"),
        NNBSP + r"\1",
        "the space before `{0}` is not a narrow no-break space — use U+202F",
    ),
    Rule(
        re.compile(r"(?<=\S)[ \u202f](:)(?=\s|$|[*_])"),
        NBSP + r"\1",
        "the space before `:` is not a no-break space — use U+00A0",
    ),
    Rule(
        re.compile(r"(?<=[^\W\d_])([;!?])(?=\s|$|[*_\])»])"),
        NNBSP + r"\1",
        "no space before `{0}` — French puts a no-break space before it",
    ),
    Rule(
        re.compile(r"(?<=[\w*`)\]»%])(:)(?=\s|$|[*_])"),
        NBSP + r"\1",
        "no space before `:` — French puts a no-break space before it",
    ),
    Rule(re.compile(r"«[ \u202f]?(?=[^\s;:!?])"), "«" + NBSP, "no no-break space after `«` — write `«\u00a0…\u00a0»`"),
    Rule(
        re.compile(r"(?<=[^\s\u00a0])[ \u202f]?»"), NBSP + "»", "no no-break space before `»` — write `«\u00a0…\u00a0»`"
    ),
    Rule(re.compile(r"(?<=\d)[ \u202f]?%"), NBSP + "%", "`%` without a no-break space — write `20\u00a0%`"),
]
STYLES = {"french": FRENCH}
# Every FRENCH match starts at one of these characters or at the space just before it.
FRENCH_KEYS = re.compile("[;!?:«»%]")


def style_of(project, lang: str) -> list[Rule] | None:
    """The rules a language asks for in data/ui/LANG.yml (`typography: french`), or None."""
    name = (project.ui.get(lang) or {}).get("typography")
    return STYLES.get(str(name)) if name else None


def fix_string(text: str, rules: list[Rule] = FRENCH, before: str = "", after: str = "") -> tuple[str, list[str]]:
    """A piece of prose with its typography fixed, and what was wrong.

    `before` and `after` are the characters around it in the source (a `*`, a backtick), so
    that a rule sees its context without changing it.
    """
    messages: list[str] = []
    if not _matches_somewhere(before + text + after, rules):
        return text, messages  # no rule matches: nothing to fix (tried only where a match can start)
    for rule in rules:
        subject = before + text + after
        if not rule.pattern.search(subject):
            continue
        lo, hi = len(before), len(before) + len(text)

        def apply(match: re.Match, rule: Rule = rule, lo: int = lo, hi: int = hi) -> str:
            if match.start() < lo or match.end() > hi:
                return match.group(0)
            new = match.expand(rule.replacement)
            if new != match.group(0):
                messages.append(
                    rule.message.format(match.group(match.lastindex) if match.lastindex else match.group(0))
                )
            return new

        text = _sub_inside(rule.pattern, apply, subject, lo, hi)
    return text, messages


@functools.lru_cache(maxsize=16)
def _any_rule(rules: tuple[Rule, ...]) -> re.Pattern:
    """One pattern that matches where any of the rules does."""
    return re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in rules))


def _matches_somewhere(text: str, rules: list[Rule]) -> bool:
    """Whether any rule matches anywhere in a text; for FRENCH, tried only where a match can start."""
    pattern = _any_rule(tuple(rules))
    if rules is not FRENCH:
        return bool(pattern.search(text))
    return any(
        pattern.match(text, at)
        for key in FRENCH_KEYS.finditer(text)
        for at in (key.start() - 1, key.start())
        if at >= 0
    )


def _sub_inside(pattern: re.Pattern, apply, subject: str, lo: int, hi: int) -> str:
    """Apply a substitution to subject[lo:hi] only, seeing the characters around it."""
    out, last = [], lo
    for match in pattern.finditer(subject):
        if match.start() < lo or match.end() > hi:
            continue
        out.append(subject[last : match.start()])
        out.append(apply(match))
        last = match.end()
    out.append(subject[last:hi])
    return "".join(out)


# ---- where the prose is ----------------------------------------------------------------------


@functools.cache
def _parser():
    """The CommonMark parser prose_ranges reads pages with (markdown-it), made when a page needs it:
    importing it costs more than parsing the few pages whose rules match only in code."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


LANG_ATTR = re.compile(r"""\blang\s*=\s*["']?([A-Za-z-]+)""")
OPEN_TAG = re.compile(r"<([A-Za-z][\w-]*)\b[^>]*>")
CLOSE_TAG = re.compile(r"</([A-Za-z][\w-]*)\s*>")
ATTR_LANG = re.compile(r"^\{:?\s*lang=[\"']?([A-Za-z-]+)[\"']?\s*\}")
MAX_LINE = 10_000
MAX_PAGE = 200_000  # terrain/policy.py refuses longer pages; markdown-it is slow on hostile ones


def prose_ranges(body: str, lang: str) -> dict[int, list[tuple[int, int]]]:
    """For each 0-based line of `body`, the (start, end) columns of prose in `lang`.

    Prose is the text of paragraphs, headings, list items, quotations and table cells, link
    text included; code, HTML, addresses and text marked as another language are not.
    """
    lines = body.split("\n")
    ranges: dict[int, list[tuple[int, int]]] = {}
    if len(body) > MAX_PAGE or any(len(line) > MAX_LINE for line in lines):
        return ranges  # refused by the content policy; never parsed
    cursors: dict[int, int] = {}
    for token in _parser().parse(body):
        if token.type == "html_block" and token.map:
            _html_block_ranges(token, lines, lang, ranges)
        if token.type != "inline" or not token.map or not token.children:
            continue
        _inline_ranges(token, lines, lang, ranges, cursors)
    return ranges


HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)")  # the name of an HTML tag
TEXT_ELEMENTS = {
    "summary",
    "p",
    "span",
    "em",
    "strong",
    "b",
    "i",
    "small",
    "abbr",
    "q",
    "mark",
    "div",
    "section",
    "details",
    "sup",
    "sub",
    "u",
    "br",
}


def _html_block_ranges(token, lines: list[str], lang: str, ranges: dict) -> None:
    """Text between the tags of an HTML block (a `<summary>` question), outside comments and
    elements marked as another language; attribute values are never prose."""
    for number in range(token.map[0], min(token.map[1], len(lines))):
        line = lines[number]
        if "<!--" in line or "-->" in line or "<script" in line.lower() or "<style" in line.lower():
            continue
        tags = list(HTML_TAG.finditer(line))
        if not tags:
            continue  # a line of text inside a block: left to the reader, as markdown-it does
        names = {m.group(1).lower() for t in tags if (m := TAG_NAME.match(t.group(0)))}
        if not names <= TEXT_ELEMENTS:
            continue
        depth_foreign, last = 0, 0
        for tag in tags + [None]:
            end = tag.start() if tag else len(line)
            if end > last and depth_foreign == 0 and line[last:end].strip():
                ranges.setdefault(number, []).append((last, end))
            if tag is None:
                break
            text = tag.group(0)
            other = LANG_ATTR.search(text)
            if (
                other
                and other.group(1).split("-")[0].lower() != lang
                and not text.startswith("</")
                and not text.endswith("/>")
            ):
                depth_foreign += 1
            elif text.startswith("</") and depth_foreign:
                depth_foreign -= 1
            last = tag.end()


def _foreign(children, lang: str) -> list[bool]:
    """Which inline children sit in text marked as another language."""
    marks = [False] * len(children)
    stack: list[tuple[str, bool]] = []  # (tag, foreign) of open HTML elements
    em_start: list[int] = []
    for index, child in enumerate(children):
        foreign = any(f for _, f in stack)
        marks[index] = foreign
        if child.type == "html_inline":
            close = CLOSE_TAG.match(child.content)
            opening = OPEN_TAG.match(child.content)
            if close:
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == close.group(1).lower():
                        del stack[depth:]
                        break
            elif opening and not child.content.rstrip().endswith("/>"):
                other = LANG_ATTR.search(child.content)
                stack.append((opening.group(1).lower(), bool(other and other.group(1).split("-")[0].lower() != lang)))
        elif child.type in ("em_open", "strong_open"):
            em_start.append(index)
        elif child.type in ("em_close", "strong_close") and em_start:
            start = em_start.pop()
            following = children[index + 1] if index + 1 < len(children) else None
            marked = following is not None and following.type == "text" and ATTR_LANG.match(following.content)
            if marked and marked.group(1).split("-")[0].lower() != lang:
                for inner in range(start, index + 1):
                    marks[inner] = True
    return marks


def _inline_ranges(token, lines: list[str], lang: str, ranges: dict, cursors: dict) -> None:
    first = token.map[0]
    raw_lines = token.content.split("\n")
    # where each line of the inline's content starts in the file
    starts: list[int | None] = []
    for offset, raw in enumerate(raw_lines):
        number = first + offset
        if number >= len(lines):
            starts.append(None)
            continue
        source = lines[number]
        at = source.find(raw, cursors.get(number, 0)) if raw else -1
        starts.append(at if at >= 0 else None)
        if at >= 0:
            cursors[number] = at + len(raw)
    foreign = _foreign(token.children, lang)
    row, col = 0, 0  # position in the inline content
    in_link_target = False
    for index, child in enumerate(token.children):
        if child.type in ("softbreak", "hardbreak"):
            row, col = min(row + 1, len(raw_lines) - 1), 0
            continue
        text = raw_lines[row] if row < len(raw_lines) else ""
        if child.type == "text":
            if in_link_target:
                continue
            at = text.find(child.content, col) if child.content else -1
            if at < 0:
                continue  # escapes or entities: leave this piece alone
            start = starts[row]
            if not foreign[index] and start is not None and not ATTR_LANG.match(child.content):
                ranges.setdefault(first + row, []).append((start + at, start + at + len(child.content)))
            col = at + len(child.content)
        elif child.type == "code_inline":
            at = text.find(child.markup, col)
            if at >= 0:
                end = text.find(
                    child.markup,
                    at + len(child.markup) + len(child.content.strip()) - 1
                    if child.content
                    else at + len(child.markup),
                )
                col = (end + len(child.markup)) if end >= 0 else len(text)
        elif child.type == "html_inline":
            at = text.find(child.content, col)
            col = at + len(child.content) if at >= 0 else col
        elif child.type == "link_open":
            if child.markup == "autolink":
                in_link_target = True
        elif child.type == "link_close":
            if in_link_target:
                in_link_target = False
                at = text.find(">", col)
                col = at + 1 if at >= 0 else len(text)
            else:
                col = _after_target(text, col)
        elif child.type == "image":
            col = _after_target(text, col)


def _after_target(text: str, col: int) -> int:
    """The column after a link's `](target "title")` or `][ref]`, starting at its `]`."""
    close = text.find("]", col)
    if close < 0:
        return col
    if text.startswith("(", close + 1):
        depth = 0
        for index in range(close + 1, len(text)):
            if text[index] == "(":
                depth += 1
            elif text[index] == ")":
                depth -= 1
                if depth == 0:
                    return index + 1
        return len(text)
    if text.startswith("[", close + 1):
        end = text.find("]", close + 2)
        return end + 1 if end >= 0 else len(text)
    return close + 1


# ---- what is certainly not prose ---------------------------------------------------------------

SIMPLE_FENCE = re.compile(r"(```|~~~)[\w+-]*")  # a fence line with a language name at most
# A line that may be a table's delimiter row (`|---|:-:|`, `--- | ---`, even `:--`), in a list or a
# quotation too: more lines than markdown-it's tables, never fewer. The row above it is the header.
TABLE_DELIMITER = re.compile(r"[ \t>*+\d.)|:-]*-[ \t>*+\d.)|:-]*")
STARTS_WITH_TAG = re.compile(r"[ >]*(?:(?:[-*+]|\d{1,9}[.)]) +)?<")  # an HTML block may start here
# A tag, its text (no other tag), its end: only a tag markdown-it reads as one (CommonMark's open tag,
# not escaped, not closed by `/>`), whose attribute values hold no `<` or `>` (HTML_TAG splits there).
# `<_x lang=en>`, `\<span lang=en>` or `<span lang=en/>` are text to the parser: their insides are prose.
LANG_ELEMENT = re.compile(
    r"""(?<!\\)<([A-Za-z][A-Za-z0-9-]{0,19})((?:[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*"""
    r"""(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^'<>]*'|"[^"<>]*"))?)*)[ \t]*(?<!/)>([^<]*)</\1>"""
)


def _code_masked(body: str, lang: str) -> str | None:
    """A page's body with what prose_ranges would never take for prose made unreadable to the rules:
    fenced code blocks emptied, the inside of code spans and of elements marked as another language
    made backticks. Only insides change: each piece of prose keeps its neighbours (a span's closing
    backtick, a tag's `>`), so a rule that matches in prose, seen with the character on each side as
    fix_string sees it, matches here too. None when a line-by-line reading cannot be sure: a line
    that starts with a tag (an HTML block), a fence other than a plain ``` or ~~~ at the start of
    its line, a backtick not in a code span, a tag outside the code spans of a line that has some,
    a span holding `|` in what may be a table row, a lone \r."""
    from .markdown import CODE_SPAN

    if "\r" in body:
        return None  # markdown-it ends a line at a lone \r too: its lines are not these
    out: list[str] = []
    fence = None
    lines = body.split("\n")
    in_table = False  # since a line that may be a table's delimiter row, up to a blank line
    for number, line in enumerate(lines):
        if not line.strip():
            in_table = False
        elif TABLE_DELIMITER.fullmatch(line):
            in_table = True
        if fence is not None:
            if line.rstrip() == fence:
                fence = None
            elif line.lstrip().startswith(("```", "~~~")):
                return None
            out.append("")
            continue
        if line.lstrip().startswith(("```", "~~~")):
            opening = SIMPLE_FENCE.fullmatch(line.rstrip())
            if opening is None:
                return None
            fence = opening.group(1)
            out.append("")
            continue
        if STARTS_WITH_TAG.match(line):
            return None
        if "`" in line:
            rest = CODE_SPAN.sub("", line)
            if "`" in rest or "<" in rest:
                return None  # a backtick that opens no span here may close one on another line; a tag may hold one
            if any("|" in span.group(2) for span in CODE_SPAN.finditer(line)) and (
                in_table or (number + 1 < len(lines) and TABLE_DELIMITER.fullmatch(lines[number + 1]))
            ):
                return None  # a table row is cut at each `|` before its spans are read: `a | b` is no span there
            line = CODE_SPAN.sub(lambda m: m.group(1) + "`" * len(m.group(2)) + m.group(1), line)
        if "lang" in line:
            line = LANG_ELEMENT.sub(lambda m: _foreign_blanked(m, lang), line)
        out.append(line)
    return None if fence is not None else "\n".join(out)


def _foreign_blanked(element: re.Match, lang: str) -> str:
    """An element whose tag marks another language (as _foreign reads it), its text made backticks."""
    other = LANG_ATTR.search(element.group(2))
    if "|" in element.group(0):
        return element.group(0)  # a table row is cut at each `|` first: the cells' text is prose
    if other is None or other.group(1).split("-")[0].lower() == lang:
        return element.group(0)
    whole, begin, end = element.group(0), element.start(3) - element.start(0), element.end(3) - element.start(0)
    return whole[:begin] + "`" * (end - begin) + whole[end:]


# ---- whole files ------------------------------------------------------------------------------

FRONT_KEYS = ("title", "summary")


def fix_markdown(text: str, lang: str, rules: list[Rule]) -> tuple[str, list[tuple[int, str]]]:
    """A page with its typography fixed, and (1-based line, message) of each problem.

    Line endings and a byte-order mark are kept as they were. A page whose front matter is
    not closed is left alone (the check reports it).
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom) :]
    lines = text.split("\n")
    crlf = [line.endswith("\r") for line in lines]
    lines = [line[:-1] if cr else line for line, cr in zip(lines, crlf)]
    problems: list[tuple[int, str]] = []
    if not lines or lines[0].strip() != "---":
        return bom + text, problems
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if end is None:
        return bom + text, problems
    for index in range(1, end):
        match = re.match(r"^(title|summary):[ \t]+(\S.*)$", lines[index])
        if match:
            new, messages = _front_value(match.group(1), match.group(2), rules)
            if messages:
                problems += [(index + 1, m) for m in dict.fromkeys(messages)]
                lines[index] = new
    body_start = end + 1
    body = "\n".join(lines[body_start:])
    # A rule that matches nowhere in the body matches no piece of its prose either: a piece is part of
    # a line, and the rules have no anchor or negative look-around, and accept a line break wherever
    # they accept the end of the text (`(?=\s|$…)`). Most pages then need no parse at all.
    candidates = _matches_somewhere(body, rules)
    if candidates and (blanked := _code_masked(body, lang)) is not None:
        candidates = _matches_somewhere(blanked, rules)  # most pages' matches are all in code: no parse
    for row, spans in (prose_ranges(body, lang) if candidates else {}).items():
        number = body_start + row
        line = lines[number]
        out, last, found = [], 0, []
        for lo, hi in sorted(spans):
            if lo < last:
                continue
            fixed, messages = fix_string(line[lo:hi], rules, line[lo - 1 : lo] if lo else "", line[hi : hi + 1])
            out += [line[last:lo], fixed]
            last = hi
            found += messages
        if found:
            out.append(line[last:])
            lines[number] = "".join(out)
            problems += [(number + 1, m) for m in dict.fromkeys(found)]
    if not problems:
        return bom + text, problems  # a line changes only with a problem: the page as it was
    joined = "\n".join(line + ("\r" if cr else "") for line, cr in zip(lines, crlf))
    return bom + joined, problems


def _front_value(key: str, value: str, rules: list[Rule]) -> tuple[str, list[str]]:
    """Fix a `title:`/`summary:` value, quoting it when a colon would break the YAML."""
    value = value.rstrip()
    quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "\"'"
    if value.startswith(("|", ">", "&", "*", "!")) or (value[0] in "\"'" and not quoted):
        return f"{key}: {value}", []  # block scalars, anchors, tags: not touched
    inner = value[1:-1] if quoted else value
    if quoted and value[0] == '"' and "\\" in inner:
        return f"{key}: {value}", []  # escapes: not touched
    fixed, messages = fix_string(inner, rules)
    if not messages:
        return f"{key}: {value}", []
    if quoted and value[0] == "'":
        return f"{key}: '{fixed}'", messages
    if (
        quoted
        or ": " in fixed
        or ":" + NBSP in fixed
        or fixed.endswith(":")
        or " #" in fixed
        or fixed.startswith(("«", "[", "{", "*", "&", "!", "%", "@", "`", "-", "?", "|", ">", "#"))
    ):
        return f'{key}: "' + fixed.replace("\\", "\\\\").replace('"', '\\"') + '"', messages
    return f"{key}: {fixed}", messages


class UnsafeWrite(Exception):
    """A fix would write through a symlink or outside the repository."""


def write_safely(path: Path, root: Path, text: str) -> None:
    """Write a source file atomically, never through a symlink, never outside the repository."""
    if path.is_symlink():
        raise UnsafeWrite(f"{path.name} is a symlink — not changed; replace it with a real file")
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise UnsafeWrite(f"{path} is outside the repository — not changed") from None
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def visible(text: str) -> str:
    """A line for a diff, with no-break spaces made visible."""
    return text.replace(NBSP, "⍽").replace(NNBSP, "⸱").rstrip("\r")
