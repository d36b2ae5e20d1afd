"""The print edition: participant sheets (PDF, DOCX), the worksheet pack and the handbook.

The edition is built once per session into the real project (the `print_edition` fixture of
conftest.py); the fast tests at the end check the Markdown rewriting without building.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from terrain import printing
from terrain.markdown import section
from terrain.problems import ProblemsFound
from terrain.project import Project

A4 = (595, 842)
LIM = "leverage-incentives-matrix"
ENGLISH_CALLOUTS = ("Tip", "Note", "Warning", "Caution")


# ---- helpers ------------------------------------------------------------------------------

def downloads(project: Project, lang: str) -> Path:
    """Where the print edition of a language lands."""
    return project.root / "build" / "downloads" / lang


def printable_sheets(project: Project, lang: str) -> list:
    """Worksheets that have a page with a form in this language (others are still being written)."""
    form = project.text(lang, "worksheet_sections", "form")
    return [ws for ws in project.worksheets.values() if lang in ws.pages and section(ws.pages[lang].body, form)]


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Width and height of each page, in whole points."""
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


def expected_size(worksheet) -> tuple[int, int]:
    """A4 the way worksheet.yml turns it."""
    return A4[::-1] if worksheet.facts.get("orientation") == "landscape" else A4


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page: pdftotext (poppler-utils) when installed, else pypdf."""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return text.split("\f")
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def lines(pdf: Path) -> list[str]:
    """Every line of text in a PDF, stripped."""
    return [line.strip() for page in pdf_pages(pdf) for line in page.splitlines()]


# ---- the files ----------------------------------------------------------------------------

@pytest.mark.slow
def test_every_sheet_and_book_exists_in_every_language(project, print_edition):
    written = set(print_edition)
    for lang in project.languages:
        base = downloads(project, lang)
        expected = [base / "books" / "handbook.pdf", base / "books" / "worksheet-pack.pdf"]
        for ws in printable_sheets(project, lang):
            expected += [base / "worksheets" / f"{ws.slug}.pdf", base / "worksheets" / f"{ws.slug}.docx"]
        for path in expected:
            assert path.exists() and path.stat().st_size > 1000, f"{path} is missing or empty"
            assert path in written, f"build_print() did not report {path}"


@pytest.mark.slow
def test_every_page_is_a4_in_the_sheets_orientation(project, print_edition):
    for lang in project.languages:
        base = downloads(project, lang)
        pack_sizes = []
        for ws in sorted(printable_sheets(project, lang), key=lambda w: printing.curriculum_order(project, w)):
            sizes = page_sizes(base / "worksheets" / f"{ws.slug}.pdf")
            assert set(sizes) == {expected_size(ws)}, f"{lang}/{ws.slug}: pages {sizes}, worksheet.yml says {ws.facts.get('orientation')}"
            pack_sizes += sizes
        assert page_sizes(base / "books" / "worksheet-pack.pdf") == pack_sizes, f"{lang}: the pack does not hold every sheet in order"
        assert set(page_sizes(base / "books" / "handbook.pdf")) == {A4}


@pytest.mark.slow
def test_sheets_fit_their_pages(project, print_edition):
    for lang in project.languages:
        for ws in printable_sheets(project, lang):
            count = len(PdfReader(downloads(project, lang) / "worksheets" / f"{ws.slug}.pdf").pages)
            assert count <= ws.facts.get("pages", 1), f"{lang}/{ws.slug}: {count} pages, worksheet.yml allows {ws.facts.get('pages')}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_leverage_incentives_matrix_is_one_landscape_page(project, print_edition, lang):
    pdf = downloads(project, lang) / "worksheets" / f"{LIM}.pdf"
    assert page_sizes(pdf) == [(842, 595)]
    title = project.worksheets[LIM].pages[lang].title
    assert title in pdf_pages(pdf)[0], f"the {lang} sheet does not show its title {title!r}"


@pytest.mark.slow
def test_french_handbook_is_french(project, print_edition):
    pdf = downloads(project, "fr") / "books" / "handbook.pdf"
    text = lines(pdf)
    french_titles = [m.pages["fr"].title for m in project.modules.values() if "fr" in m.pages]
    assert any(title in line for title in french_titles for line in text), "no French module title in the French handbook"
    english = [line for line in text if line in ENGLISH_CALLOUTS]
    assert not english, f"English callout titles in the French handbook: {english}"
    bodies = "".join(m.pages["fr"].body for m in project.modules.values() if "fr" in m.pages)
    for kind in re.findall(r"^> \[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", bodies, re.M):
        label = project.text("fr", "callouts", kind.lower())
        assert label in text, f"the French callout title {label!r} is missing"


@pytest.mark.slow
def test_handbook_has_cover_contents_running_heads_and_no_clickable_leftovers(project, print_edition):
    for lang in project.languages:
        pages = pdf_pages(downloads(project, lang) / "books" / "handbook.pdf")
        assert project.text(lang, "labels", "handbook_title") in pages[0] and "CC BY 4.0" in pages[0]
        assert project.text(lang, "labels", "contents") in pages[1]
        titles = [f"{m.order}. {m.pages[lang].title}" for m in project.modules.values() if lang in m.pages]
        heads = [page.strip().splitlines()[0] for page in pages[2:] if page.strip()]
        # each module opens with its title; pages past the first of a module start with it as running head
        starts = sum(any(head.startswith(title) for title in titles) for head in heads)
        assert starts > len(titles), f"{lang}: no page carries a module title as its running head"
        whole = "\n".join(pages)
        assert "index.md" not in whole and "<details>" not in whole and "[!TIP]" not in whole
        assert "arrow.r" not in whole, "MyST's arrow rewriting leaked into the PDF"


def without_pictograms(project, worksheet: str, text: str) -> str:
    """A header cell's text as Word holds it: the symbols of data/pictograms.yml are pictures there."""
    from terrain.cards import pictograms_for

    for symbol in pictograms_for(project, worksheet):
        text = text.replace(symbol, "")
    return " ".join(text.split())


@pytest.mark.slow
def test_docx_sheets_hold_the_form_as_a_word_table(project, print_edition):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    for lang in project.languages:
        for ws in printable_sheets(project, lang):
            path = downloads(project, lang) / "worksheets" / f"{ws.slug}.docx"
            document = Document(str(path))
            header = printing.form_header(ws.pages[lang], lang, project)
            assert header, f"{ws.slug}: no table in the {lang} form"
            header = [without_pictograms(project, ws.slug, cell) for cell in header]  # drawn as pictures
            heads = [[" ".join(cell.text.split()) for cell in table.rows[0].cells] for table in document.tables]
            assert header in heads, f"{lang}/{ws.slug}.docx: no table with the header {header}; found {heads}"
            landscape = ws.facts.get("orientation") == "landscape"
            section_ = document.sections[0]
            assert (section_.orientation == WD_ORIENT.LANDSCAPE) == landscape
            assert (section_.page_width > section_.page_height) == landscape


# ---- Markdown for print, without building ---------------------------------------------------

def test_answers_become_a_bold_question_and_its_answer():
    text = "<details>\n<summary>What share?</summary>\n\nAbout 30 %.\n\n</details>\n"
    assert printing.answers(text).strip() == "**What share?**\n\nAbout 30 %."


def test_callouts_take_the_page_language(project):
    out = printing.callouts("> [!TIP]\n> Gardez la fiche.\n> Deux lignes.\n\nSuite.\n", project, "fr")
    assert out.startswith(":::{tip} " + project.text("fr", "callouts", "tip") + "\nGardez la fiche.\nDeux lignes.\n:::")
    assert "Suite." in out


def test_relative_links_become_text_and_web_links_print_their_address():
    out = printing.plain_links("See [Formalisation](../04-formalisation/index.md) and [the guide](https://example.org/a_b).")
    assert out.startswith("See Formalisation and the guide (")
    assert 'link("https://example.org/a_b")' in out


def test_disguise_survives_myst_and_comes_back():
    text = "| − harms | → to | + helps |\n|---|---|---|\n| ⌛ | ß | 1. x |"
    hidden = printing.disguise(text)
    assert "→" not in hidden and "−" not in hidden
    back = printing.undisguise(hidden)
    assert "→ to" in back and "− harms" in back and "\\+ helps" in back and "1\\. x" in back


def test_form_rows_to_write_in():
    assert printing.is_write_row(["", "", ""])
    assert printing.is_write_row(["☂ Natural features", "", ""])
    assert printing.is_write_row(["**1 Context**: production, trade", "", ""])
    assert not printing.is_write_row(["**2 ⚒ Repair the ground**", "", ""])
    assert not printing.is_write_row(["*Example*", "*done*", "*ok*"])


def test_one_table_per_page_gets_page_breaks():
    form = "Page 1: tasks.\n\n| a | b |\n|---|---|\n| | |\n\nPage 2: groups.\n\n| c | d |\n|---|---|\n| | |\n"
    blocks = printing.with_page_breaks(printing.form_blocks(form), 2)
    assert [b.kind for b in blocks] == ["para", "table", "break", "para", "table"]
    assert printing.with_page_breaks(printing.form_blocks(form), 1) == printing.form_blocks(form)
    assert blocks[1].rows == [["a", "b"], ["", ""]], "an empty row to write in must survive parsing"
    assert "#pagebreak()" in printing.blocks_markdown(blocks)


# ---- failures are reported, not swallowed ---------------------------------------------------

@pytest.mark.slow
def test_a_form_too_long_for_its_pages_is_reported(project_copy):
    page = project_copy / "worksheets" / LIM / "index.en.md"
    text = page.read_text(encoding="utf-8")
    empty = next(line for line in text.splitlines() if re.fullmatch(r"\|(\s*\|)+\s*", line))
    page.write_text(text.replace(empty, "\n".join([empty] * 12), 1), encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        printing.build_print(Project.load(project_copy), langs=["en"], progress=False)
    assert f"worksheets/{LIM}/index.en.md" in str(caught.value) and "A4 pages" in str(caught.value)
    assert (project_copy / "build" / "downloads" / "en" / "worksheets" / f"{LIM}.pdf").exists(), "the other files are still written"


@pytest.mark.slow
def test_a_failed_export_names_the_missing_file(project_copy):
    """Jupyter Book exits 0 when an export fails; the build must still stop and say which file."""
    template = project_copy / "print" / "templates" / "handbook" / "template.yml"
    # `summary` is a reserved export property, so Jupyter Book rejects the whole template.
    broken = template.read_text(encoding="utf-8").replace("  - id: cover_title", "  - id: summary\n    type: string\n  - id: cover_title")
    template.write_text(broken, encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        printing.build_print(Project.load(project_copy), langs=["en"], progress=False)
    assert "build/print/en/out/handbook.typ" in str(caught.value)
