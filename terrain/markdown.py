"""Read the structure of portable Markdown: headings, the session plan, links, markers.

The one home of Markdown syntax for the checks, the site and the packs: how a link, a table
row and a heading's anchor are read is decided here, as the site's Markdown (Python-Markdown
with the extensions of mkdocs.yml) reads them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FENCE = re.compile(r"^(```|~~~)")


def lower_words(pattern: re.Pattern[str], text: str) -> list[str]:
    """The words `pattern` finds in a text, lower-case, as `[w.lower() for w in pattern.findall(text)]`.
    The text is lowered at once, unless it holds one of the two letters that lower-case differently
    in a word alone than in a text: İ (its small letter is an i and a combining dot, no letter) and
    Σ (ς at the end of a word, σ inside). tests/test_search_index.py checks there is no other."""
    if "İ" in text or "Σ" in text:
        return [word.lower() for word in pattern.findall(text)]
    return pattern.findall(text.lower())


# A code span on one line: (1) its backticks, (2) what is inside. Only spans every renderer reads as
# code: not after a backslash or another backtick, with as many backticks at each end.
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.{0,2000}?[^`])\1(?!`)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MARKER = re.compile(r"<!--\s*terrain:([a-z][a-z0-9-]*)\s*-->")
TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# An inline link or image: (1) "!" for an image, (2) its text, (3) its target. Bounded: linear
# on hostile lines.
LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]{0,200}\]){0,1000})\]\(\s*<?([^)\s>\[\]]{1,2000})>?(?:\s+\"[^\"]{0,500}\")?\s*\)"
)
# The target of anything that opens like an inline link, well formed or not (the content policy
# looks at every address a renderer might follow).
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]{0,2000})")
# An autolink, `<scheme:…>`: (1) the address.
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
# An autolink to a web page or an e-mail address, the ones a reader can follow: (1) the address.
WEB_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based, relative to the text it was read from


MAX_LINE = 10_000  # longer lines are refused by the content policy and never read by a pattern


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) for lines outside fenced code blocks; over-long lines as ''."""
    return iter(_prose_lines(text))  # a page is read by many checks: it is split once


@functools.lru_cache(maxsize=512)
def _prose_lines(text: str) -> tuple[tuple[int, str], ...]:
    found = []
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE:
            line = ""
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            found.append((number, line))
    return tuple(found)


def headings(text: str) -> list[Heading]:
    """ATX headings outside code fences."""
    return list(_headings(text))  # a page is read by many checks: its headings are found once


@functools.lru_cache(maxsize=256)
def _headings(text: str) -> tuple[Heading, ...]:
    found = []
    for number, line in prose_lines(text):
        match = HEADING.match(line)
        if match:
            found.append(Heading(len(match.group(1)), match.group(2).strip(), number))
    return tuple(found)


def section(text: str, title: str) -> tuple[str, int] | None:
    """The text under a level-2 heading (to the next level-2 heading) and its first line."""
    lines = _lines(text)
    h2 = [h for h in headings(text) if h.level == 2]
    for index, heading in enumerate(h2):
        if heading.text == title:
            end = h2[index + 1].line - 1 if index + 1 < len(h2) else len(lines)
            return "\n".join(lines[heading.line : end]), heading.line + 1
    return None


@functools.lru_cache(maxsize=256)
def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.splitlines())  # a page's sections are asked for by several checks: it is split once


def replace_links(text: str, replace: Callable[[str, str], str]) -> str:
    """`text` with each inline link (not an image) replaced by `replace(link text, target)`."""
    return LINK.sub(lambda m: m.group(0) if m.group(1) else replace(m.group(2), m.group(3)), text)


@functools.lru_cache(maxsize=4096)  # the checks ask for every heading's anchor more than once
def slugify(text: str) -> str:
    """The anchor the site gives a heading: Python-Markdown's toc extension slugifies the
    heading's text once its inline markup is rendered away."""
    from markdown.extensions.toc import slugify as toc_slugify

    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    return toc_slugify(text, "-")


def split_cells(row: str) -> list[str]:
    """The cells of a pipe-table row, stripped, as the site's tables extension splits them: an
    escaped pipe `\\|` is a `|` inside its cell, and a pipe inside a code span does not split."""
    text = row.strip()
    if "\\" not in text and "`" not in text:  # no escape, no code span: every pipe splits
        parts = text.split("|")
        if text.endswith("|"):
            parts.pop()
        return [part.strip() for part in (parts[1:] if text.startswith("|") else parts)]
    cells: list[str] = []
    current: list[str] = []
    i, closed = 0, False
    while i < len(text):
        char = text[i]
        closed = False
        if char == "\\" and text.startswith("|", i + 1):
            current.append("|")
            i += 2
        elif char == "`":
            ticks = len(text[i:]) - len(text[i:].lstrip("`"))
            end = text.find("`" * ticks, i + ticks)
            end = end + ticks if end >= 0 else i + ticks  # an unclosed run of backticks is text
            current.append(text[i:end])
            i = end
        elif char == "|":
            cells.append("".join(current))
            current, closed = [], True
            i += 1
        else:
            current.append(char)
            i += 1
    if not closed:
        cells.append("".join(current))
    if text.startswith("|"):
        cells = cells[1:]
    return [cell.strip() for cell in cells]


def table_rows(text: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """Body rows of the first pipe table in a text, as (line, cells)."""
    rows: list[tuple[int, list[str]]] = []
    started = False
    for number, line in enumerate(text.splitlines(), start=first_line):
        if TABLE_RULE.match(line) and "-" in line:
            started = True
            continue
        if started and TABLE_ROW.match(line):
            rows.append((number, split_cells(line)))
        elif started and line.strip():  # noqa: SIM114 — two reasons a table ends, kept apart
            break
        elif started and not line.strip() and rows:
            break
    return rows


def session_minutes(text: str, first_line: int = 1) -> tuple[int, list[tuple[int, str]]]:
    """Sum of the session plan's first column, and the (line, cell) of cells that are no number."""
    total, bad = 0, []
    for line, cells in table_rows(text, first_line):
        cell = cells[0] if cells else ""
        if re.fullmatch(r"\d{1,3}", cell):
            total += int(cell)
        else:
            bad.append((line, cell))
    return total, bad


def markers(text: str) -> list[tuple[int, str]]:
    """`<!-- terrain:NAME -->` markers as (line, name)."""
    return list(_markers(text))  # a page's markers are asked for by several checks: found once


@functools.lru_cache(maxsize=512)
def _markers(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((n, m.group(1)) for n, line in prose_lines(text) for m in MARKER.finditer(line))
