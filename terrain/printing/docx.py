"""DOCX: the participant sheets as editable Word documents (python-docx), a real table per form."""

from __future__ import annotations

import datetime
import io
import re
import time
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..cards import docx_form
from ..markdown import WEB_AUTOLINK, replace_links
from ..pack import reproducible_zip, source_epoch, write_whole
from ..project import Project
from ..render import ui_format
from .edition import ROW_HEIGHTS, Sheet
from .forms import BREAK_TAG, SCHEME, is_blank, plain_text, write_rows

# Word and LibreOffice set text looser than Typst: rows a tenth shorter than the PDF's keep
# the DOCX on as many pages as the PDF.
DOCX_ROWS = 0.9
INLINE = re.compile(
    r"(\*\*.+?\*\*|__.+?__|(?<![\w*])\*(?!\s).+?(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s).+?(?<!\s)_(?!\w)|`[^`]+`)"
)


def add_inline(paragraph, markdown: str, bold: bool = False, size=None) -> None:
    """Runs for inline Markdown: bold, italic and code spans; links as their text."""
    text = replace_links(markdown, lambda label, target: f"{label} ({target})" if SCHEME.match(target) else label)
    text = BREAK_TAG.sub(" ", WEB_AUTOLINK.sub(lambda m: m.group(1), text))
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
    properties = document.core_properties  # python-docx's template says "python-docx", 2013
    properties.title, properties.language = sheet.title, sheet.lang
    properties.author, properties.comments = "Terrain contributors", "CC BY 4.0"
    epoch = source_epoch()
    properties.created = properties.modified = datetime.datetime.fromtimestamp(
        time.time() if epoch is None else epoch, datetime.UTC
    ).replace(microsecond=0)
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
    written = io.BytesIO()
    document.save(written)
    write_whole(dest, reproducible_zip(written.getvalue()))  # no clock time in its entries
    return dest
