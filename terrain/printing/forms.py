"""A worksheet's form: its Markdown split into blocks (tables, lists, headings, page breaks),
and which table rows are left empty for handwriting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..markdown import TABLE_RULE, WEB_AUTOLINK, replace_links, section, split_cells
from ..project import Page, Project

BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
PAGEBREAK = "```{raw:typst}\n#pagebreak()\n```"
TABLE_LINE = re.compile(r"^\s*\|")


@dataclass
class Block:
    """One block of a form: a table, a list, a heading, a paragraph, or a page break."""

    kind: str
    source: str = ""  # its Markdown, as written
    rows: list[list[str]] = field(default_factory=list)  # table: the header row first
    items: list[str] = field(default_factory=list)  # list items; the text of a heading or paragraph
    ordered: bool = False
    level: int = 0


LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def block_of(lines: list[str]) -> Block | None:
    """What a run of non-blank lines is."""
    source = "\n".join(lines)
    if all(TABLE_LINE.match(line) for line in lines):
        rows = [split_cells(line) for line in lines if not TABLE_RULE.match(line)]
        return Block("table", source, rows=rows) if rows else None
    if len(lines) == 1 and re.match(r"#{1,6}\s", lines[0]):
        return Block("heading", source, items=[lines[0].lstrip("#").strip()], level=len(lines[0].split()[0]))
    if LIST_ITEM.match(lines[0]) and all(LIST_ITEM.match(line) or line.startswith("  ") for line in lines):
        items: list[str] = []
        for line in lines:
            if LIST_ITEM.match(line):
                items.append(LIST_ITEM.sub("", line))
            else:
                items[-1] += " " + line.strip()
        return Block("list", source, items=items, ordered=bool(re.match(r"\s*\d", lines[0])))
    return Block("para", source, items=[" ".join(line.strip() for line in lines)])


def form_blocks(markdown: str) -> list[Block]:
    """The form split into blocks at blank lines, and where a table meets other text."""
    blocks: list[Block] = []
    chunk: list[str] = []

    def flush() -> None:
        block = block_of(chunk) if chunk else None
        if block:
            blocks.append(block)
        chunk.clear()

    for line in markdown.splitlines():
        if not line.strip():
            flush()
            continue
        if chunk and bool(TABLE_LINE.match(line)) != bool(TABLE_LINE.match(chunk[-1])):
            flush()  # a table right under its caption line, or the other way round
        chunk.append(line)
    flush()
    return blocks


def with_page_breaks(blocks: list[Block], pages: int) -> list[Block]:
    """When a form has one table per page, start each later table (and its caption) on a new page."""
    tables = [i for i, b in enumerate(blocks) if b.kind == "table"]
    if pages < 2 or len(tables) != pages:
        return blocks
    cuts = {i - 1 if blocks[i - 1].kind == "para" else i for i in tables[1:]}
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i in cuts:
            out.append(Block("break", PAGEBREAK))
        out.append(block)
    return out


def blocks_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown again, page breaks as raw Typst."""
    return "\n\n".join(block.source for block in blocks) + "\n"


def is_blank(cell: str) -> bool:
    """A table cell left empty for handwriting."""
    return not re.sub(r"<br\s*/?>|&nbsp;", "", cell).strip()


def is_label_only(row: list[str]) -> bool:
    """A bold label and empty cells: the heading of a section of a checklist."""
    return (
        len(row) > 1
        and bool(re.fullmatch(r"\*\*[^*].*\*\*", row[0].strip() or "-"))
        and all(is_blank(c) for c in row[1:])
    )


def is_write_row(row: list[str]) -> bool:
    """A row with an empty cell is written in, unless it only labels a section of the form."""
    return any(is_blank(c) for c in row) and not is_label_only(row)


def write_rows(rows: list[list[str]]) -> list[bool]:
    """Which body rows are written in: bold labels next to each other are a list of things to
    fill in (the phases of a plan), not section headings (terrain.typ's write-rows does the same)."""
    labels = [is_label_only(row) for row in rows]
    return [
        is_write_row(row) or (labels[i] and ((i > 0 and labels[i - 1]) or (i + 1 < len(rows) and labels[i + 1])))
        for i, row in enumerate(rows)
    ]


def plain_text(markdown: str) -> str:
    """Inline Markdown as the text a reader sees: no emphasis marks, links as their text."""
    text = replace_links(markdown, lambda label, _: label)
    text = WEB_AUTOLINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = BREAK_TAG.sub(" ", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|$])", r"\1", text).strip()


def form_header(page: Page, lang: str, project: Project) -> list[str] | None:
    """The header texts of the first table of a worksheet's form, as printed."""
    found = section(page.body, project.text(lang, "worksheet_sections", "form"))
    if not found:
        return None
    tables = [b for b in form_blocks(found[0]) if b.kind == "table"]
    return [plain_text(c) for c in tables[0].rows[0]] if tables else None
