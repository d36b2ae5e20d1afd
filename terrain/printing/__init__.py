"""The print edition: participant sheets (PDF and DOCX), the worksheet pack and the handbook.

For each language the Markdown is staged for print in build/print/LANG/, one Jupyter Book
project turns all of it into Typst at once (its `typst` exports, with the templates in
print/templates/), and the `typst` package compiles the PDFs. The DOCX sheets are written
with python-docx from the same form Markdown, so that Word opens a real, editable table.
Everything lands in build/downloads/LANG/.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path

import typst
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from pypdf import PdfReader, PdfWriter
from tqdm import tqdm

from .. import upstream
from ..cards import build_cards, docx_form, print_form
from ..markdown import TABLE_RULE, section
from ..problems import Problem, ProblemsFound, rel
from ..project import Page, Project, Unit
from ..render import Context, expand_markers, ui_format, unit_src
from ..upstream import disguise, undisguise  # MyST's Typst writer rewrites some characters: they travel disguised

log = logging.getLogger("terrain.print")

# The print fonts live in the repository (print/fonts/README.md) and are the only ones Typst
# sees, so a PDF comes out the same on every machine.
FONTS = Path(__file__).resolve().parents[2] / "print" / "fonts"
FONT_NAMES = "Andika, DejaVu Sans"
LICENCE = {
    "en": "Terrain is published under the Creative Commons Attribution 4.0 International licence (CC BY 4.0).",
    "fr": "Terrain est publié sous la licence Creative Commons Attribution 4.0 International (CC BY 4.0).",
}
# Row heights (cm) tried for the empty rows of a form, tallest first, until it fits its pages.
# Below 1.2 cm a row no longer holds a line of large handwriting: the sheet needs more pages.
ROW_HEIGHTS = {
    "landscape": [3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2],
    "portrait": [3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2],
}


@dataclass
class Sheet:
    """One worksheet's participant sheet in one language."""

    unit: Unit
    lang: str
    page: Page
    blocks: list[Block]  # the form
    orientation: str
    pages: int
    row_cm: float = 0.0
    pdf: Path | None = None

    @property
    def slug(self) -> str:
        return self.unit.slug

    @property
    def title(self) -> str:
        return self.page.title or self.unit.slug


@dataclass
class Edition:
    """What one language's print run stages, exports and writes."""

    lang: str
    stage: Path
    out: Path
    downloads: Path
    sheets: list[Sheet] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)  # staged files, in curriculum order
    written: list[Path] = field(default_factory=list)


# ---- Markdown for print -------------------------------------------------------------------

DETAILS = re.compile(r"<details[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>", re.S | re.I)
ALERT = re.compile(r"^>[ \t]*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*\n((?:>.*(?:\n|$))*)", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
HTML_TAG = re.compile(r"</?(?:small|span|sup|sub|abbr|kbd|mark|em|strong|b|i|u|p|div|section)\b[^>]*>", re.I)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
PAGEBREAK = "```{raw:typst}\n#pagebreak()\n```"


def raw_typst(code: str) -> str:
    """An inline MyST role whose text goes into the Typst output untouched."""
    return "{raw:typst}`" + code + "`"


def typst_string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plain_links(text: str) -> str:
    """Relative links become their text; web addresses are printed, since paper has no click."""

    def link(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if not SCHEME.match(target):
            return label
        url = target.removeprefix("mailto:")
        return label if label.strip("<>") == url else f"{label} ({raw_typst(f'#link({typst_string(target)})')})"

    text = LINK.sub(link, text)
    return AUTOLINK.sub(lambda m: raw_typst(f"#link({typst_string(m.group(1))})"), text)


def answers(text: str) -> str:
    """`<details>` question blocks become a bold question followed by its answer."""
    return DETAILS.sub(lambda m: f"**{m.group(1).strip()}**\n\n{m.group(2).strip()}\n", text)


def callouts(text: str, project: Project, lang: str) -> str:
    """GitHub alerts become MyST admonitions titled in the page's language."""

    def alert(match: re.Match) -> str:
        kind = match.group(1).lower()
        body = "\n".join(re.sub(r"^>[ \t]?", "", line) for line in match.group(2).rstrip("\n").splitlines())
        fence = ":" * max(3, max((len(m) for m in re.findall(r"^:{3,}", body, re.M)), default=0) + 1)
        return f"{fence}{{{kind}}} {project.text(lang, 'callouts', kind)}\n{body.strip()}\n{fence}\n"

    return ALERT.sub(alert, text)


def for_print(text: str, project: Project, lang: str) -> str:
    """Portable Markdown rewritten for paper: no clicks, no HTML, callouts in the right language."""
    text = COMMENT.sub("", text)
    text = answers(text)
    text = callouts(text, project, lang)
    text = text.replace("$", "\\$")  # a dollar sign is money here, never math
    text = plain_links(text)
    text = BREAK_TAG.sub(" ", text)
    return HTML_TAG.sub("", text)


# ---- glyphs ----------------------------------------------------------------------------------

DRAWN = {"⌛"}  # terrain.typ draws these itself


def cmap_chars(font: bytes) -> set[int]:
    """The code points a TrueType font maps to glyphs (cmap formats 4 and 12)."""
    chars: set[int] = set()
    tables = struct.unpack(">H", font[4:6])[0]
    offsets = {
        font[12 + 16 * i : 16 + 16 * i]: struct.unpack(">I", font[20 + 16 * i : 24 + 16 * i])[0] for i in range(tables)
    }
    cmap = offsets.get(b"cmap")
    if cmap is None:
        return chars
    for j in range(struct.unpack(">H", font[cmap + 2 : cmap + 4])[0]):
        start = cmap + struct.unpack(">I", font[cmap + 8 + 8 * j : cmap + 12 + 8 * j])[0]
        kind = struct.unpack(">H", font[start : start + 2])[0]
        if kind == 4:
            count = struct.unpack(">H", font[start + 6 : start + 8])[0] // 2
            ends = struct.unpack(f">{count}H", font[start + 14 : start + 14 + 2 * count])
            firsts = struct.unpack(f">{count}H", font[start + 16 + 2 * count : start + 16 + 4 * count])
            for first, end in zip(firsts, ends):
                chars.update(range(first, end + 1))
        elif kind == 12:
            for g in range(struct.unpack(">I", font[start + 12 : start + 16])[0]):
                first, end = struct.unpack(">II", font[start + 16 + 12 * g : start + 24 + 12 * g])
                chars.update(range(first, end + 1))
    return chars


@cache
def font_coverage() -> frozenset[int]:
    """Every code point the print fonts can show."""
    chars: set[int] = set()
    for path in sorted(FONTS.glob("*.ttf")):
        try:
            chars |= cmap_chars(path.read_bytes())
        except (struct.error, OSError):
            continue  # a font we cannot read simply does not count
    return frozenset(chars)


def warn_missing_glyphs(text: str, where: str) -> None:
    """Tell the writer which characters would print as empty boxes."""
    covered = font_coverage()
    if not covered:
        return
    missing = sorted(
        {c for c in text if ord(c) > 0x7F and not c.isspace() and ord(c) not in covered and c not in DRAWN}
    )
    if missing:
        log.warning(
            "%s: %s has no glyph in the print fonts (%s) and prints as an empty box — use another symbol",
            where,
            " ".join(missing),
            FONT_NAMES,
        )


# ---- the form of a worksheet ---------------------------------------------------------------

TABLE_LINE = re.compile(r"^\s*\|")


def split_cells(line: str) -> list[str]:
    """The cells of a pipe-table row (escaped pipes stay inside their cell)."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


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
    text = LINK.sub(lambda m: m.group(1), markdown)
    text = AUTOLINK.sub(lambda m: m.group(1), text)
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


# ---- staging ---------------------------------------------------------------------------------


def curriculum_order(project: Project, unit: Unit) -> tuple:
    """Worksheets sort by the first module that uses them, then by name."""
    orders = [m.order for m in project.modules_using(unit.slug)]
    return (min(orders) if orders else 999, unit.slug)


def stage_sheet(project: Project, unit: Unit, lang: str, edition: Edition) -> Sheet | None:
    """Write one worksheet's participant sheet as Markdown for MyST; None when it cannot be printed."""
    page = unit.pages.get(lang)
    if page is None or untranslated(project, page):
        log.warning(
            "%s: no %s page yet (or a draft) — its participant sheet is left out", rel(unit.folder, project.root), lang
        )
        return None
    found = section(page.body, project.text(lang, "worksheet_sections", "form"))
    if not found or not found[0].strip():
        heading = project.text(lang, "worksheet_sections", "form")
        log.warning("%s: no `## %s` section — its participant sheet is skipped", page.name, heading)
        return None
    facts = unit.facts
    orientation = facts.get("orientation") if facts.get("orientation") in ("portrait", "landscape") else "portrait"
    pages = facts.get("pages") if isinstance(facts.get("pages"), int) and facts.get("pages") > 0 else 1
    ctx = Context(project, lang, unit_src(unit), unit, for_print=True)
    blocks = with_page_breaks(form_blocks(expand_markers(found[0], ctx)), pages)
    sheet = Sheet(unit, lang, page, blocks, orientation, pages)
    body = for_print(
        print_form(blocks_markdown(blocks), project, lang, unit.slug, edition.out / "pictograms", edition.out),
        project,
        lang,
    )
    warn_missing_glyphs(sheet.title + page.summary + body, page.name)
    write_staged(edition.stage / "worksheets" / f"{unit.slug}.md", sheet.title, body)
    return sheet


def stage_module(project: Project, unit: Unit, lang: str, edition: Edition) -> str | None:
    """Write one module for the handbook, markers expanded for print; None when the page is missing."""
    page = unit.pages.get(lang)
    if page is None or untranslated(project, page):
        log.warning(
            "%s: no %s page yet (or a draft) — the %s handbook leaves it out",
            rel(unit.folder, project.root),
            lang,
            lang,
        )
        return None
    ctx = Context(project, lang, unit_src(unit), unit, for_print=True)
    facts = unit.facts
    length = ctx.duration(facts["duration"]) if isinstance(facts.get("duration"), int) else "?"
    meta = f"**{ctx.t('labels', 'day')} {facts.get('day', '?')} · {ctx.t('labels', 'duration')}{ctx.colon} {length}**"
    intro = f"*{page.summary}*\n\n{meta}\n\n" if page.summary else f"{meta}\n\n"
    body = for_print(intro + expand_markers(page.body, ctx), project, lang)
    warn_missing_glyphs(page.title + body, page.name)
    name = f"modules/{unit.slug}.md"
    write_staged(edition.stage / name, f"{unit.order}. {page.title or unit.slug}", body)
    return name


# ---- the handbook's other chapters: the facilitator guide, the glossary, the forms ----------

MATERIAL_ADMONITION = re.compile(r'^!!! *([a-z]+)(?: +"([^"]*)")?\n((?:(?: {4}.*)?\n)*)', re.M)


def material_admonitions(text: str) -> str:
    """A docs page's `!!! tip "Title"` blocks as GitHub alerts, which the print edition turns into callouts."""

    def alert(match: re.Match) -> str:
        kind = (
            match.group(1).upper()
            if match.group(1).upper() in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
            else "NOTE"
        )
        lines = [line[4:] for line in match.group(3).rstrip("\n").split("\n")]
        title = [f"**{match.group(2)}**", ""] if match.group(2) else []
        return f"> [!{kind}]\n" + "\n".join(f"> {line}".rstrip() for line in title + lines) + "\n"

    return MATERIAL_ADMONITION.sub(alert, text if text.endswith("\n") else text + "\n")


def stage_docs_page(project: Project, key: str, lang: str, edition: Edition, name: str) -> list[str]:
    """A docs page, one chapter per `##` section (the text before the first goes with the page's title)."""
    from ..markdown import headings

    page = project.docs.get(key, {}).get(lang)
    if page is None or untranslated(project, page):
        log.warning("docs/%s: no %s page yet (or a draft) — the %s handbook leaves it out", key, lang, lang)
        return []
    ctx = Context(project, lang, key, None, for_print=True)
    body = expand_markers(material_admonitions(page.body), ctx)
    lines = body.split("\n")
    cuts = [h.line - 1 for h in headings(body) if h.level == 2]
    parts = [(page.title, lines[: cuts[0]] if cuts else lines)]
    for index, start in enumerate(cuts):
        end = cuts[index + 1] if index + 1 < len(cuts) else len(lines)
        parts.append((lines[start][3:].strip(), lines[start + 1 : end]))
    staged = []
    for number, (title, part) in enumerate(parts):
        text = "\n".join(part).strip()
        if not text:
            continue
        text = re.sub(r"^#(#{2,5}) ", r"\1 ", text, flags=re.M)  # one level up: the section is now a chapter
        text = for_print(text, project, lang)
        warn_missing_glyphs(title + text, page.name)
        file = f"docs/{name}-{number:02d}.md"
        write_staged(edition.stage / file, title, text)
        staged.append(file)
    return staged


def stage_guide(project: Project, lang: str, edition: Edition) -> list[str]:
    """The facilitator guide: how to prepare, the programme, the materials and print plan, low-literacy tips."""
    return stage_docs_page(project, "facilitator-guide.md", lang, edition, "guide")


def stage_companions(project: Project, lang: str, edition: Edition) -> list[str]:
    """The pages a facilitator needs beside the guide, one chapter each (their sections become
    sub-headings): the running case, the health and safety note and how to share the site."""
    staged = []
    for key, name in (("running-case.md", "case"), ("safety.md", "safety"), ("share.md", "share")):
        page = project.docs.get(key, {}).get(lang)
        if page is None:
            log.warning("docs/%s: no %s page yet — the %s handbook skips it", key, lang, lang)
            continue
        ctx = Context(project, lang, key, None, for_print=True)
        text = for_print(expand_markers(material_admonitions(page.body), ctx), project, lang)
        text = re.sub(r"^(#{2,5}) ", r"#\1 ", text, flags=re.M)  # one level down: the page is one chapter
        warn_missing_glyphs(page.title + text, page.name)
        write_staged(edition.stage / f"docs/{name}.md", page.title, text)
        staged.append(f"docs/{name}.md")
    return staged


def stage_glossary(project: Project, lang: str, edition: Edition) -> list[str]:
    """The glossary as one chapter: its terms become sub-headings."""
    page = project.docs.get("glossary.md", {}).get(lang)
    if page is None or untranslated(project, page):
        return []
    ctx = Context(project, lang, "glossary.md", None, for_print=True)
    text = for_print(expand_markers(page.body, ctx), project, lang)
    text = re.sub(r"^## ", "### ", text, flags=re.M)
    write_staged(edition.stage / "docs/glossary.md", page.title, text)
    return ["docs/glossary.md"]


def stage_annex(project: Project, lang: str, edition: Edition) -> list[str]:
    """Every worksheet's form, one after another, as the handbook's annex."""
    if not edition.sheets:
        return []
    # Rows to write in get room, as on the sheets, if less: one form per page, to photocopy.
    rows = "```{raw:typst}\n#form-state.update(true)\n#row-state.update(1.1cm)\n```"
    parts = [project.text(lang, "handbook", "annex_intro"), rows]
    for index, sheet in enumerate(edition.sheets):
        form = "\n\n".join(b.source for b in sheet.blocks if b.kind != "break")
        parts.append(
            ("" if index == 0 else PAGEBREAK + "\n\n") + f"## {sheet.title}\n\n*{sheet.page.summary}*\n\n{form}"
        )
    text = for_print("\n\n".join(parts), project, lang)
    write_staged(edition.stage / "docs/annex.md", project.text(lang, "handbook", "annex"), text)
    return ["docs/annex.md"]


def edition_line(project: Project, lang: str) -> str:
    """The cover's line: version (package metadata), date, and the site's address or "offline edition"."""
    import datetime
    import importlib.metadata

    try:
        version = importlib.metadata.version("terrain")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
        if epoch and epoch.isdigit()
        else datetime.date.today()
    )
    from ..yamlfile import load as load_yaml

    config, _, _ = load_yaml(project.root / "mkdocs.yml", "mkdocs.yml")
    url = config.get("site_url") if isinstance(config, dict) else None
    where = url or f"{project.text(lang, 'handbook', 'offline')} · Terrain"
    line = f"{project.text(lang, 'handbook', 'version')} {version} · {day.isoformat()} · {where}"
    left = drafts_left(project, lang)
    return line + (" · " + project.text(lang, "handbook", "incomplete").replace("{count}", str(left)) if left else "")


def untranslated(project: Project, page: Page) -> bool:
    """A draft translation: never printed as translated; the print edition leaves it out and says so."""
    return page.lang != project.default_language and page.translation.get("status") == "draft"


def incomplete_sheets(project: Project, lang: str) -> str:
    """On the worksheet pack's cover: how many sheets are left out as not yet translated."""
    left = sum(
        1 for w in project.worksheets.values() if w.pages.get(lang) is not None and untranslated(project, w.pages[lang])
    )
    return (" · " + project.text(lang, "handbook", "incomplete").replace("{count}", str(left))) if left else ""


def drafts_left(project: Project, lang: str) -> int:
    """How many of a language's pages are drafts (left out of its print edition)."""
    pages = [u.pages.get(lang) for u in project.units()] + [p.get(lang) for p in project.docs.values()]
    return sum(1 for p in pages if p is not None and untranslated(project, p))


def write_staged(path: Path, title: str, body: str) -> None:
    """A staged page: its title as front matter (JSON is valid YAML), then the body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {json.dumps(disguise(title), ensure_ascii=False)}\n---\n\n{disguise(body)}", encoding="utf-8"
    )


def myst_config(project: Project, edition: Edition) -> dict:
    """One Jupyter Book project per language: a Typst export per sheet, and one for the handbook."""
    lang, templates = edition.lang, project.root / "print" / "templates"
    exports = [
        {
            "id": f"ws-{s.slug}",
            "format": "typst",
            "template": str(templates / "worksheet"),
            "output": f"out/ws-{s.slug}.typ",
            "articles": [f"worksheets/{s.slug}.md"],
            "sheet_summary": disguise(s.page.summary),
            "orientation": s.orientation,
            "lang": lang.split("-")[0],  # Typst takes the language, not pt-MZ
            "name_label": project.text(lang, "labels", "print_name"),
            "date_label": project.text(lang, "labels", "print_date"),
        }
        for s in edition.sheets
    ]
    if edition.modules:
        licence = project.text(lang, "labels", "licence")
        exports.append(
            {
                "id": "handbook",
                "format": "typst",
                "template": str(templates / "handbook"),
                "output": "out/handbook.typ",
                "articles": edition.modules,
                "lang": lang.split("-")[0],
                "cover_title": project.text(lang, "labels", "handbook_title"),
                "licence": licence if licence != "licence" else LICENCE.get(lang, LICENCE["en"]),
                "contents_label": project.text(lang, "labels", "contents"),
                "edition": edition_line(project, lang),
            }
        )
    # A one-page table of contents: otherwise every export re-reads every staged page first.
    return {"version": 1, "project": {"title": f"Terrain ({lang})", "toc": [{"file": "index.md"}], "exports": exports}}


def stage(project: Project, lang: str) -> Edition:
    """Stage one language: sheets, modules and the myst.yml that exports them."""
    base = project.root / "build" / "print" / lang
    if base.exists():
        shutil.rmtree(base)  # stale pages and Jupyter Book's cache would leak into the books
    edition = Edition(lang, base, base / "out", project.downloads / lang)
    for unit in sorted(project.worksheets.values(), key=lambda u: curriculum_order(project, u)):
        sheet = stage_sheet(project, unit, lang, edition)
        if sheet:
            edition.sheets.append(sheet)
    for unit in project.modules.values():
        name = stage_module(project, unit, lang, edition)
        if name:
            edition.modules.append(name)
    if edition.modules:  # the handbook is the whole kit: guide, programme and plan first; glossary and forms after
        edition.modules[:0] = stage_guide(project, lang, edition) + stage_companions(project, lang, edition)
        edition.modules += stage_glossary(project, lang, edition) + stage_annex(project, lang, edition)
    base.mkdir(parents=True, exist_ok=True)
    (base / "index.md").write_text(
        "---\ntitle: Terrain print edition\n---\n\nStaged by terrain/printing.py.\n", encoding="utf-8"
    )
    (base / "myst.yml").write_text(
        json.dumps(myst_config(project, edition), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return edition


# ---- Jupyter Book ----------------------------------------------------------------------------


def typst_shim(project: Project) -> Path:
    """A do-nothing `typst` for Jupyter Book (terrain/upstream.py: we compile with the typst package)."""
    return upstream.typst_shim(project.root / "build" / "print" / "_bin")


def jupyter_book(edition: Edition, shim: Path) -> subprocess.Popen:
    """Start `jupyter-book build --typst` in a language's stage folder."""
    return subprocess.Popen(
        [sys.executable, "-m", "jupyter_book", "build", "--typst"],
        cwd=edition.stage,
        env=upstream.jupyter_book_env(shim),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def expected_typ(edition: Edition) -> list[Path]:
    """The .typ files Jupyter Book must write for a language."""
    files = [edition.out / f"ws-{s.slug}.typ" for s in edition.sheets]
    return files + ([edition.out / "handbook.typ"] if edition.modules else [])


def finish_export(project: Project, edition: Edition, process: subprocess.Popen) -> None:
    """Check Jupyter Book wrote every .typ (it exits 0 when an export fails), then fix them up."""
    output, _ = process.communicate()
    missing = [p for p in expected_typ(edition) if not p.exists() or p.stat().st_size == 0]
    if process.returncode or missing:
        names = ", ".join(rel(p, project.root) for p in missing) or "(none)"
        raise ProblemsFound(
            [
                Problem(
                    rel(edition.stage / "myst.yml", project.root),
                    0,
                    f"jupyter-book did not write {names} (exit code {process.returncode}); what it printed:\n{output}",
                )
            ]
        )
    for line in upstream.myst_dropped(output):  # content MyST could not convert: it is missing from the PDF
        log.warning("jupyter-book (%s): %s", edition.lang, line)
    shutil.copyfile(project.root / "print" / "templates" / "terrain.typ", edition.out / "terrain.typ")
    (edition.out / "myst-imports.typ").write_text(upstream.MYST_IMPORTS, encoding="utf-8")
    for typ in edition.out.glob("*.typ"):
        typ.write_text(undisguise(typ.read_text(encoding="utf-8")), encoding="utf-8")


# ---- PDF -------------------------------------------------------------------------------------


def compiler():
    """A Typst compiler that sees print/fonts/ and none of the machine's fonts."""
    return typst.Compiler(font_paths=[str(FONTS)], ignore_system_fonts=True)


def page_count(pdf: bytes) -> int:
    """The pages of a PDF held in memory."""
    return len(PdfReader(BytesIO(pdf)).pages)


def typst_problem(project: Project, source: Path, error: Exception) -> Problem:
    """A Typst error as a problem of the .typ file, with Typst's own diagnostic."""
    detail = getattr(error, "diagnostic", "") or str(error)
    return Problem(rel(source, project.root), 0, f"Typst could not compile the print edition: {detail}")


def compile_sheet(
    project: Project, edition: Edition, sheet: Sheet, typ_compiler, problems: list[Problem]
) -> Path | None:
    """Compile a sheet with the tallest writing rows that keep it within its pages."""
    typ = edition.out / f"ws-{sheet.slug}.typ"
    pdf = b""
    for height in ROW_HEIGHTS[sheet.orientation]:
        try:
            pdf = typ_compiler.compile(
                input=str(typ), format="pdf", root=str(edition.out), sys_inputs={"form-row": str(height)}
            )
        except RuntimeError as error:  # typst.TypstError is one, and carries the diagnostic
            problems.append(typst_problem(project, typ, error))
            return None
        sheet.row_cm = height
        if page_count(pdf) <= sheet.pages:
            break
    else:  # too long: never published; kept aside so the writer can see where it overflows
        dest = edition.downloads / "worksheets" / f"{sheet.slug}.pdf"
        dest.unlink(missing_ok=True)
        aside = edition.out / "too-long" / f"{sheet.slug}.pdf"
        aside.parent.mkdir(parents=True, exist_ok=True)
        aside.write_bytes(pdf)
        problems.append(
            Problem(
                sheet.page.name,
                0,
                f"the form needs {page_count(pdf)} A4 pages even with {height} cm rows, but worksheet.yml allows {sheet.pages} — shorten the form or raise `pages` (see {rel(aside, project.root)})",
            )
        )
        return None
    dest = edition.downloads / "worksheets" / f"{sheet.slug}.pdf"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(pdf)
    sheet.pdf = dest
    return dest


def compile_handbook(project: Project, edition: Edition, typ_compiler, problems: list[Problem]) -> Path | None:
    """The facilitator handbook of a language; None when it has no module yet."""
    dest = edition.downloads / "books" / "handbook.pdf"
    if not edition.modules:
        dest.unlink(missing_ok=True)
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        dest.write_bytes(
            typ_compiler.compile(
                input=str(edition.out / "handbook.typ"), format="pdf", root=str(edition.out), sys_inputs={}
            )
        )
    except RuntimeError as error:
        problems.append(typst_problem(project, edition.out / "handbook.typ", error))
        return None
    return dest


# The workshop the pack's copy counts are for (README: a three-day workshop).
WORKSHOP = {"participants": 20, "groups": 4}
# worksheet.yml `copies:` says who gets a copy; facilitator sheets stay out of the pack.
COPIES = {"participant": WORKSHOP["participants"], "group": WORKSHOP["groups"]}


def copies_for(sheet: Sheet) -> str:
    """Who gets a copy of a sheet: participant, group (the default) or facilitator."""
    return str(sheet.unit.facts.get("copies", "group"))


def pack_contents(project: Project, edition: Edition, sheets: list[Sheet], first_page: int) -> dict:
    """What the pack's cover and contents say, every word from data/ui/LANG.yml."""
    from ..pack import version, zim_date

    def t(key: str) -> str:
        return (
            project.text(edition.lang, "print_pack", key)
            .replace("{participants}", str(WORKSHOP["participants"]))
            .replace("{groups}", str(WORKSHOP["groups"]))
        )

    from ..kit import plan

    # copies for the whole workshop, as the kit plan counts them (a sheet used on two days
    # twice; several to a page, the pages to print)
    needed: dict[str, tuple[int, int]] = {}
    for day in plan(project, WORKSHOP["participants"], WORKSHOP["groups"]).days:
        for line in day.prints:
            copies_, per_page = needed.get(line.slug, (0, line.per_page))
            needed[line.slug] = (copies_ + line.count, per_page)
    rows, page, total_pages = [], first_page, 0
    for sheet in sheets:
        count = len(PdfReader(str(sheet.pdf)).pages)
        wanted, per_page = needed.get(sheet.unit.slug, (COPIES[copies_for(sheet)], 1))
        copies = -(-wanted // per_page)
        who = t(f"per_{copies_for(sheet)}") + (
            " (" + t("per_page").replace("{n}", str(per_page)) + ")" if per_page > 1 else ""
        )
        rows.append(
            {
                "page": str(page),
                "title": sheet.title,
                "paper": f"{count} × {project.text(edition.lang, 'labels', sheet.orientation)}",
                "for": who,
                "copies": str(copies),
            }
        )
        page += count
        total_pages += count * copies
    left_out = [s.title for s in edition.sheets if s.pdf and copies_for(s) not in COPIES]
    licence = project.text(edition.lang, "labels", "licence")
    return {
        "lang": edition.lang.split("-")[0],
        "title": project.text(edition.lang, "labels", "pack_title"),
        "note": t("note") + incomplete_sheets(project, edition.lang),
        "version_label": t("version"),
        "version": version(project.root),
        "date_label": t("date"),
        "date": zim_date().isoformat(),
        "licence": licence if licence != "licence" else LICENCE.get(edition.lang, LICENCE["en"]),
        "contents": project.text(edition.lang, "labels", "contents"),
        "workshop": t("workshop"),
        "heads": [t("page"), t("sheet"), t("paper"), t("for"), t("copies")],
        "rows": rows,
        "total_label": t("total"),
        "total": str(total_pages),
        "left_out": f"{t('left_out')} {', '.join(left_out)}" if left_out else "",
    }


def compile_pack_cover(
    project: Project, edition: Edition, sheets: list[Sheet], typ_compiler, problems: list[Problem]
) -> bytes | None:
    """The cover and contents pages, numbered for the sheets that follow them."""
    typ = edition.out / "pack-cover.typ"
    typ.write_text(
        '// Written by terrain/printing.py: the worksheet pack\'s cover and contents.\n#import "terrain.typ": *\n#pack-cover(json("pack.json"))\n',
        encoding="utf-8",
    )
    first_page = 3  # cover, contents; a longer contents moves the sheets on
    for _ in range(3):
        (edition.out / "pack.json").write_text(
            json.dumps(pack_contents(project, edition, sheets, first_page), ensure_ascii=False), encoding="utf-8"
        )
        try:
            pdf = typ_compiler.compile(input=str(typ), format="pdf", root=str(edition.out), sys_inputs={})
        except RuntimeError as error:
            problems.append(typst_problem(project, typ, error))
            return None
        if page_count(pdf) + 1 == first_page:
            break
        first_page = page_count(pdf) + 1
    return pdf


def build_pack(
    project: Project, edition: Edition, typ_compiler=None, problems: list[Problem] | None = None
) -> Path | None:
    """The participant sheets of a language in one PDF for the print shop: cover, contents with
    the copies to make, then each sheet in curriculum order, with bookmarks."""
    dest = edition.downloads / "books" / "worksheet-pack.pdf"
    sheets = [s for s in edition.sheets if s.pdf and copies_for(s) in COPIES]
    if not sheets:
        dest.unlink(missing_ok=True)
        return None
    writer = PdfWriter()
    cover = compile_pack_cover(
        project, edition, sheets, typ_compiler or compiler(), problems if problems is not None else []
    )
    if cover is None:
        return None
    writer.append(BytesIO(cover), outline_item=project.text(edition.lang, "labels", "contents"))
    for sheet in sheets:
        writer.append(str(sheet.pdf), outline_item=sheet.title)
    writer.add_metadata({"/Title": f"{project.text(edition.lang, 'labels', 'pack_title')} — Terrain"})
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as handle:
        writer.write(handle)
    return dest


# ---- DOCX ------------------------------------------------------------------------------------

# Word and LibreOffice set text looser than Typst: rows a tenth shorter than the PDF's keep
# the DOCX on as many pages as the PDF.
DOCX_ROWS = 0.9
INLINE = re.compile(
    r"(\*\*.+?\*\*|__.+?__|(?<![\w*])\*(?!\s).+?(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s).+?(?<!\s)_(?!\w)|`[^`]+`)"
)


def add_inline(paragraph, markdown: str, bold: bool = False, size=None) -> None:
    """Runs for inline Markdown: bold, italic and code spans; links as their text."""
    text = LINK.sub(lambda m: m.group(1) if not SCHEME.match(m.group(2)) else f"{m.group(1)} ({m.group(2)})", markdown)
    text = BREAK_TAG.sub(" ", AUTOLINK.sub(lambda m: m.group(1), text))
    for part in INLINE.split(text):
        if not part:
            continue
        strong = part.startswith(("**", "__")) and len(part) > 4
        italic = not strong and part[0] in "*_" and part[-1] == part[0] and len(part) > 2
        inner = part[2:-2] if strong else part[1:-1] if italic or part.startswith("`") else part
        run = paragraph.add_run(plain_text(inner) if (strong or italic) else re.sub(r"\\(.)", r"\1", inner))
        run.bold = bold or strong or None
        run.italic = italic or None
        if size:
            run.font.size = size


def row_flag(row, tag: str) -> None:
    """Switch on a row property python-docx has no name for, like w:tblHeader."""
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def shade(cell, fill: str = "D9D9D9") -> None:
    """A light grey ground that photocopies well."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def cell_paragraph(cell):
    """A cell's paragraph, without the space after that Normal text has: the rows set the height."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def column_widths(header: list[str], rows: list[list[str]], width) -> list[int]:
    """Each column's share of the width by what it holds, as terrain.typ shares a form's: long
    labels get room for their sentences, columns to write in at least 2.8 cm."""
    em = Pt(10) // 2  # an average character at 10 pt
    wants = []
    for j, head in enumerate(header):
        texts = [plain_text(r[j]) for r in rows if j < len(r) and not is_blank(r[j])]
        if texts:
            want = min(max(len(t) for t in texts) * em // 2.5, Cm(7.5))
        else:
            want = min(len(plain_text(head)) * em * 1.1 * 0.7, Cm(5))
        longest_word = max((len(w) for w in plain_text(head).split()), default=0) * em * 1.1
        wants.append(max(want, longest_word, Cm(2.8)))
    return [int(width * w / sum(wants)) for w in wants]


def add_table(document, header: list[str], rows: list[list[str]], width, row_cm: float) -> None:
    """A real Word table: bold shaded header that repeats, tall empty rows to write in."""
    n = len(header)
    writes = [False, *write_rows(rows)]
    widths = column_widths(header, rows, width)
    table = document.add_table(rows=1 + len(rows), cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, column_width in zip(table.columns, widths):  # the grid LibreOffice reads
        column.width = column_width
    for index, (row, texts) in enumerate(zip(table.rows, [header, *rows])):
        texts = (texts + [""] * n)[:n]
        for cell, text, cell_width in zip(
            row.cells, texts, widths
        ):  # row.cells is rebuilt on each access: once per row
            cell.width = cell_width
            add_inline(cell_paragraph(cell), text, bold=index == 0, size=Pt(11) if index == 0 else Pt(10))
            if index == 0:
                shade(cell)
        if index == 0:
            row_flag(row, "w:tblHeader")  # Word repeats it on every page the table runs onto
        elif writes[index]:
            row.height, row.height_rule = Cm(row_cm), WD_ROW_HEIGHT_RULE.AT_LEAST
            row_flag(row, "w:cantSplit")  # a row to write in never breaks across pages


def spacer(document) -> None:
    """A 1-point paragraph: Word needs one after a table, and a full line could spill onto a new page."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.add_run("").font.size = Pt(1)


def docx_page(document, orientation: str, footer: str):
    """A4 in the sheet's orientation, the PDF's margins; returns the width between the margins."""
    page = document.sections[0]
    landscape = orientation == "landscape"
    page.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    page.left_margin = page.right_margin = Cm(1.3)
    page.top_margin, page.bottom_margin = Cm(1.2), Cm(1.5)
    page.footer.paragraphs[0].add_run(footer).font.size = Pt(8)
    return page.page_width - page.left_margin - page.right_margin


def docx_heading(document, project: Project, sheet: Sheet, width) -> None:
    """Title, summary, and the name and date lines to write on."""
    lang = sheet.lang
    run = document.add_paragraph().add_run(sheet.title)
    run.bold, run.font.size = True, Pt(16)
    document.add_paragraph().add_run(sheet.page.summary).font.size = Pt(10)
    sep = ui_format(project, lang, "colon")
    line = document.add_paragraph()
    stops = line.paragraph_format.tab_stops
    stops.add_tab_stop(int(width * 0.6), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES)
    line.add_run(project.text(lang, "labels", "print_name") + sep).bold = True
    line.add_run(" \t   ")
    line.add_run(project.text(lang, "labels", "print_date") + sep).bold = True
    line.add_run(" \t")
    line.paragraph_format.space_after = Pt(10)


def docx_language(style, lang: str) -> None:
    """The text's language on a Word style (`w:lang`), so spelling and reading aloud use it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    element.set(qn("w:val"), lang)


def write_docx(project: Project, sheet: Sheet, dest: Path) -> Path:
    """The participant sheet as an editable Word document, with the same page as the PDF."""
    document = Document()
    document.core_properties.title = sheet.title
    document.core_properties.language = sheet.lang
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    docx_language(normal, sheet.lang)
    width = docx_page(document, sheet.orientation, f"{sheet.title} · Terrain · CC BY 4.0")
    docx_heading(document, project, sheet, width)
    row_cm = DOCX_ROWS * (sheet.row_cm or ROW_HEIGHTS[sheet.orientation][0])
    for block in sheet.blocks:
        if block.kind == "table":
            add_table(document, block.rows[0], block.rows[1:], width, row_cm)
            spacer(document)  # two tables in a row would merge into one
        elif block.kind == "list":
            for item in block.items:
                add_inline(document.add_paragraph(style="List Number" if block.ordered else "List Bullet"), item)
        elif block.kind in ("heading", "para"):
            add_inline(document.add_paragraph(), block.items[0], bold=block.kind == "heading")
        elif block.kind == "break":
            document.add_page_break()
    docx_form(document, project, sheet.slug)  # form symbols drawn as pictograms (terrain/cards.py)
    dest.parent.mkdir(parents=True, exist_ok=True)
    document.save(dest)
    return dest


# ---- the whole edition -----------------------------------------------------------------------


def remove_stale(edition: Edition) -> None:
    """Drop sheets of worksheets that no longer print in this language."""
    keep = {f"{s.slug}.{suffix}" for s in edition.sheets for suffix in ("pdf", "docx")}
    folder = edition.downloads / "worksheets"
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink()


def progress_bar(total: int, enabled: bool) -> tqdm:
    """One bar for the whole edition; silent when disabled (tests, CI)."""
    return tqdm(total=total, desc="print edition", unit="file", disable=not enabled, leave=False)


@contextmanager
def one_build_at_a_time(project: Project):
    """Hold build/print/.lock: two builds of one checkout would wipe each other's stage folders."""
    folder = project.root / "build" / "print"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_print(project: Project, langs: list[str] | None = None, progress: bool = True) -> list[Path]:
    """Build every participant sheet (PDF, DOCX), the worksheet pack and the handbook of each language."""
    __import__("terrain.checks").checks.require_clean(
        project
    )  # the content policy first (issue 13): nothing is staged or written otherwise
    with one_build_at_a_time(project):
        return build_editions(project, [l for l in (langs or project.languages) if l in project.languages], progress)


def build_editions(project: Project, langs: list[str], progress: bool) -> list[Path]:
    """Stage, export and compile the given languages (the caller holds the build lock)."""
    editions = [stage(project, lang) for lang in langs]
    steps = sum(1 + 2 * len(e.sheets) + 2 for e in editions)
    problems: list[Problem] = []
    with progress_bar(steps, progress) as bar:
        shim = typst_shim(project)
        # One Jupyter Book run per language, all at once: each is mostly Node start-up.
        runs = {e.lang: jupyter_book(e, shim) for e in editions if expected_typ(e)}
        try:
            typ_compiler = compiler()
            for edition in editions:
                # Compiling this language overlaps with the next language's Jupyter Book run.
                bar.set_description(f"print {edition.lang}: jupyter-book")
                if edition.lang in runs:
                    finish_export(project, edition, runs[edition.lang])
                bar.update(1)
                bar.set_description(f"print {edition.lang}: typst, docx")
                build_language(project, edition, typ_compiler, problems, bar)
        finally:
            for process in runs.values():  # a failed language must not leave the others running
                if process.poll() is None:
                    process.kill()
                    process.communicate()
    if problems:
        raise ProblemsFound(problems)
    return [path for e in editions for path in e.written]


def build_language(project: Project, edition: Edition, typ_compiler, problems: list[Problem], bar) -> None:
    """Compile one language's sheets and handbook, write its DOCX sheets and its pack."""
    for sheet in edition.sheets:
        pdf = compile_sheet(project, edition, sheet, typ_compiler, problems)
        bar.update(1)
        if pdf:
            edition.written.append(pdf)
            edition.written.append(write_docx(project, sheet, edition.downloads / "worksheets" / f"{sheet.slug}.docx"))
        bar.update(1)
    remove_stale(edition)
    pack = build_pack(project, edition, typ_compiler, problems)
    bar.update(1)
    handbook = compile_handbook(project, edition, typ_compiler, problems)
    bar.update(1)
    edition.written += [p for p in (pack, handbook) if p]
    edition.written += build_cards(project, edition.lang, typ_compiler, problems)  # picture cards (terrain/cards.py)
