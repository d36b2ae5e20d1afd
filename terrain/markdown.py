"""Read the structure of portable Markdown: headings, the session plan, links, markers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MARKER = re.compile(r"<!--\s*terrain:([a-z][a-z0-9-]*)\s*-->")
TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based, relative to the text it was read from


MAX_LINE = 10_000  # longer lines are refused by the content policy and never read by a pattern


def prose_lines(text: str):
    """Yield (line number, line) for lines outside fenced code blocks; over-long lines as ''."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE:
            line = ""
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


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
    lines = text.splitlines()
    h2 = [h for h in headings(text) if h.level == 2]
    for index, heading in enumerate(h2):
        if heading.text == title:
            end = h2[index + 1].line - 1 if index + 1 < len(h2) else len(lines)
            return "\n".join(lines[heading.line : end]), heading.line + 1
    return None


def table_rows(text: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """Body rows of the first pipe table in a text, as (line, cells)."""
    rows: list[tuple[int, list[str]]] = []
    started = False
    for number, line in enumerate(text.splitlines(), start=first_line):
        if TABLE_RULE.match(line) and "-" in line:
            started = True
            continue
        match = TABLE_ROW.match(line)
        if started and match:
            rows.append((number, [c.strip() for c in match.group(1).split("|")]))
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
    return [(n, m.group(1)) for n, line in prose_lines(text) for m in MARKER.finditer(line)]
