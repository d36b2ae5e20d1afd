"""The print edition: participant sheets (PDF, DOCX), the worksheet pack and the handbook.

The edition is built once per session into the real project (the `print_edition` fixture of
conftest.py); the fast tests at the end check the Markdown rewriting without building.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from terrain import printing
from terrain.markdown import section
from terrain.problems import ProblemsFound
from terrain.project import Project

from conftest import LANGUAGES, ROOT, SOURCE_DATE_EPOCH, draft_languages, finished_languages, printed_whole

A4 = (595, 842)
LIM = "leverage-incentives-matrix"
ENGLISH_CALLOUTS = ("Tip", "Note", "Warning", "Caution")


# ---- helpers ------------------------------------------------------------------------------


def downloads(project: Project, lang: str) -> Path:
    """Where the print edition of a language lands."""
    return project.root / "build" / "downloads" / lang


def printable_sheets(project: Project, lang: str) -> list:
    """Worksheets that have a page with a form in this language, not a draft (others are still being written)."""
    from terrain.checks import is_draft

    form = project.text(lang, "worksheet_sections", "form")
    return [
        ws
        for ws in project.worksheets.values()
        if lang in ws.pages and not is_draft(ws.pages[lang]) and section(ws.pages[lang].body, form)
    ]


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Width and height of each page, in whole points."""
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


def expected_size(worksheet) -> tuple[int, int]:
    """A4 the way worksheet.yml turns it."""
    return A4[::-1] if worksheet.facts.get("orientation") == "landscape" else A4


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page: pdftotext (poppler-utils) when installed, else pypdf; ligatures
    (ﬁ) and other compatibility characters read as the letters a reader sees (NFKC)."""
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        return [unicodedata.normalize("NFKC", page) for page in text.split("\f")]
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(pdf).pages]


def packed(project: Project, lang: str) -> list:
    """The worksheets the pack holds: printable, not for the facilitator only, in curriculum order."""
    sheets = [ws for ws in printable_sheets(project, lang) if ws.facts.get("copies", "group") in printing.COPIES]
    return sorted(sheets, key=lambda w: printing.curriculum_order(project, w))


def lines(pdf: Path) -> list[str]:
    """Every line of text in a PDF, stripped."""
    return [line.strip() for page in pdf_pages(pdf) for line in page.splitlines()]


# ---- the files ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_sheet_and_book_exists_in_every_language(project, print_edition, lang):
    printed_whole(project, lang)
    written = set(print_edition)
    base = downloads(project, lang)
    expected = [base / "books" / "handbook.pdf", base / "books" / "worksheet-pack.pdf"]
    for ws in printable_sheets(project, lang):
        expected += [base / "worksheets" / f"{ws.slug}.pdf", base / "worksheets" / f"{ws.slug}.docx"]
    for path in expected:
        assert path.exists() and path.stat().st_size > 1000, f"{path} is missing or empty"
        assert path in written, f"build_print() did not report {path}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_a4_in_the_sheets_orientation(project, print_edition, lang):
    printed_whole(project, lang)
    base = downloads(project, lang)
    for ws in printable_sheets(project, lang):
        sizes = page_sizes(base / "worksheets" / f"{ws.slug}.pdf")
        assert set(sizes) == {expected_size(ws)}, (
            f"{lang}/{ws.slug}: pages {sizes}, worksheet.yml says {ws.facts.get('orientation')}"
        )
    pack_sizes = [size for ws in packed(project, lang) for size in page_sizes(base / "worksheets" / f"{ws.slug}.pdf")]
    sizes = page_sizes(base / "books" / "worksheet-pack.pdf")
    cover = len(sizes) - len(pack_sizes)
    assert cover >= 2 and set(sizes[:cover]) == {A4}, f"{lang}: the pack has no A4 cover and contents"
    assert sizes[cover:] == pack_sizes, f"{lang}: the pack does not hold every participant sheet in order"
    assert set(page_sizes(base / "books" / "handbook.pdf")) == {A4}


@pytest.mark.slow
def test_pdfs_embed_only_the_fonts_of_the_repository(project, print_edition):
    """Typst sees print/fonts/ and nothing else, so a PDF is the same on every machine."""
    import pymupdf

    fonts = sorted((project.root / "print" / "fonts").glob("*.ttf"))
    allowed = {f.stem.removesuffix("-Regular") for f in fonts}
    assert {"Andika", "Andika-Bold", "DejaVuSans"} <= allowed, "print/fonts/ lacks Andika or DejaVu Sans"
    for pdf in sorted((project.root / "build" / "downloads").glob("*/**/*.pdf")):
        with pymupdf.open(pdf) as document:
            used = {
                font[3].split("+")[-1] for number in range(len(document)) for font in document.get_page_fonts(number)
            }
        assert used and used <= allowed, f"{pdf} embeds fonts from outside print/fonts/: {sorted(used - allowed)}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheets_fit_their_pages(project, print_edition, lang):
    printed_whole(project, lang)
    for ws in printable_sheets(project, lang):
        count = len(PdfReader(downloads(project, lang) / "worksheets" / f"{ws.slug}.pdf").pages)
        assert count <= ws.facts.get("pages", 1), (
            f"{lang}/{ws.slug}: {count} pages, worksheet.yml allows {ws.facts.get('pages')}"
        )


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_leverage_incentives_matrix_is_one_landscape_page(project, print_edition, lang):
    printed_whole(project, lang)
    pdf = downloads(project, lang) / "worksheets" / f"{LIM}.pdf"
    assert page_sizes(pdf) == [(842, 595)]
    title = project.worksheets[LIM].pages[lang].title
    assert title in pdf_pages(pdf)[0], f"the {lang} sheet does not show its title {title!r}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pack_opens_with_cover_and_contents_a_print_shop_can_follow(project, print_edition, lang):
    printed_whole(project, lang)
    pages = pdf_pages(downloads(project, lang) / "books" / "worksheet-pack.pdf")
    text = lambda key: project.text(lang, "print_pack", key)  # noqa: E731
    assert project.text(lang, "labels", "pack_title") in pages[0], f"{lang}: the pack's cover has no title"
    assert text("version").split()[0] in pages[0] and re.search(r"\d+\.\d+", pages[0]), (
        f"{lang}: the cover shows no version"
    )
    assert re.search(r"\d{4}-\d{2}-\d{2}", pages[0]), f"{lang}: the cover shows no date"
    contents = " ".join(pages[1].split())
    assert project.text(lang, "labels", "contents") in contents and text("copies") in contents
    page = (
        len([p for p in pages if p.strip()])
        - sum(
            len(PdfReader(downloads(project, lang) / "worksheets" / f"{ws.slug}.pdf").pages)
            for ws in packed(project, lang)
        )
        + 1
    )
    total = 0
    # copies for all the days, as the kit plan counts them; several to a page, the pages to print
    from terrain.kit import plan

    needed = {}
    for day in plan(project, printing.WORKSHOP["participants"], printing.WORKSHOP["groups"]).days:
        for line in day.prints:
            needed[line.slug] = needed.get(line.slug, 0) + line.count
    for ws in packed(project, lang):
        wanted = needed.get(ws.slug, printing.COPIES[ws.facts.get("copies", "group")])
        copies = -(-wanted // ws.facts.get("per_page", 1))
        count = len(PdfReader(downloads(project, lang) / "worksheets" / f"{ws.slug}.pdf").pages)
        title = " ".join(ws.pages[lang].title.split())
        row = re.search(rf"{page} {re.escape(title)} {count} × .*? {copies}\b", contents)
        assert row, f"{lang}: the contents do not list {title!r} on page {page} with {copies} copies:\n{contents}"
        assert title in pages[page - 1], f"{lang}: {title!r} is not on page {page} of the pack"
        page += count
        total += copies * count
    assert f"{text('total')} {total}" in contents, f"{lang}: the contents do not say {total} pages to print"


@pytest.mark.slow
def test_pack_leaves_out_facilitator_sheets_and_counts_participant_copies(project_copy):
    for slug, who in (("country-profile", "facilitator"), ("workshop-evaluation", "participant")):
        yml = project_copy / "worksheets" / slug / "worksheet.yml"
        kept = [line for line in yml.read_text(encoding="utf-8").splitlines() if not line.startswith("copies:")]
        yml.write_text("\n".join([*kept, f"copies: {who}"]) + "\n", encoding="utf-8")
    copy = Project.load(project_copy)
    lang = copy.default_language
    printing.build_print(copy, langs=[lang], progress=False)
    pack = project_copy / "build" / "downloads" / lang / "books" / "worksheet-pack.pdf"
    outline = [item.title for item in PdfReader(pack).outline]
    profile, evaluation = (copy.worksheets[s].pages[lang].title for s in ("country-profile", "workshop-evaluation"))
    assert profile not in outline and evaluation in outline, outline
    contents = " ".join(pdf_pages(pack)[1].split())
    assert re.search(rf"{re.escape(evaluation)} 1 × .*? {printing.WORKSHOP['participants']}\b", contents), contents
    assert profile in contents, "the contents name the sheets left out for the facilitator"
    assert (project_copy / "build" / "downloads" / lang / "worksheets" / "country-profile.pdf").exists(), (
        "a facilitator sheet still prints on its own"
    )


@pytest.mark.slow
def test_a_form_too_long_for_its_pages_is_never_published(project_copy):
    """The writer sees the overflowing PDF aside, named in the problem; Downloads never gets it."""
    from terrain.problems import ProblemsFound

    slug = "gender-roles-map"  # two tables, two pages
    yml = project_copy / "worksheets" / slug / "worksheet.yml"
    yml.write_text(re.sub(r"(?m)^pages: \d+$", "pages: 1", yml.read_text(encoding="utf-8")), encoding="utf-8")
    copy = Project.load(project_copy)
    lang = copy.default_language
    with pytest.raises(ProblemsFound) as raised:
        printing.build_print(copy, langs=[lang], progress=False)
    message = str(raised.value)
    assert f"worksheets/{slug}/index.{lang}.md" in message and "too-long" in message, message
    downloads_dir = project_copy / "build" / "downloads" / lang / "worksheets"
    assert not (downloads_dir / f"{slug}.pdf").exists() and not (downloads_dir / f"{slug}.docx").exists()
    assert list(project_copy.glob(f"build/print/**/too-long/{slug}.pdf")), (
        "the overflowing PDF is kept aside for the writer"
    )
    assert (downloads_dir / f"{LIM}.pdf").exists(), "the other sheets are still written"


@pytest.mark.slow
def test_french_handbook_is_french(project, print_edition):
    pdf = downloads(project, "fr") / "books" / "handbook.pdf"
    text = lines(pdf)
    french_titles = [m.pages["fr"].title for m in project.modules.values() if "fr" in m.pages]
    assert any(title in line for title in french_titles for line in text), (
        "no French module title in the French handbook"
    )
    english = [line for line in text if line in ENGLISH_CALLOUTS]
    assert not english, f"English callout titles in the French handbook: {english}"
    bodies = "".join(m.pages["fr"].body for m in project.modules.values() if "fr" in m.pages)
    for kind in re.findall(r"^> \[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", bodies, re.M):
        label = project.text("fr", "callouts", kind.lower())
        assert label in text, f"the French callout title {label!r} is missing"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_handbook_has_cover_contents_running_heads_and_no_clickable_leftovers(project, print_edition, lang):
    printed_whole(project, lang)
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
@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_sheets_hold_the_form_as_a_word_table(project, print_edition, lang):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    printed_whole(project, lang)
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


# ---- drafts: never printed as translated; the covers say what is left out -----------------


def flat(text: str) -> str:
    """Text as compared on a cover: every run of spaces (no-break ones too) as one space."""
    return " ".join(text.replace("\u2060", "").split())


def incomplete_note(project: Project, lang: str, count: int) -> str:
    """What a cover says when `count` pages of a language are left out as not yet translated."""
    return flat(project.count_text(lang, "handbook", "incomplete", count))


def incomplete_forms(project: Project, lang: str) -> list[str]:
    """Every plural form of the cover's note (data/ui/LANG.yml `handbook.incomplete`)."""
    value = project.ui[lang]["handbook"]["incomplete"]
    return [str(v) for v in (value.values() if isinstance(value, dict) else [value])]


def drafts(units, lang: str) -> list:
    """The units whose page in `lang` is a draft."""
    from terrain.checks import is_draft

    return [u for u in units if is_draft(u.pages.get(lang))]


def check_drafts_left_out(project: Project, lang: str) -> None:
    """A draft sheet or module is never printed; the handbook's and the pack's covers count what is left out."""
    base = downloads(project, lang)
    draft_sheets, draft_modules = drafts(project.worksheets.values(), lang), drafts(project.modules.values(), lang)
    for ws in draft_sheets:
        for suffix in ("pdf", "docx"):
            assert not (base / "worksheets" / f"{ws.slug}.{suffix}").exists(), f"{lang}: draft {ws.slug} printed"
    all_drafts = len(draft_names_of(project, lang))
    handbook, pack_pdf = base / "books" / "handbook.pdf", base / "books" / "worksheet-pack.pdf"
    if len(draft_modules) == len(project.modules):
        assert not handbook.exists(), f"{lang}: every module is a draft, yet {handbook} was printed"
    else:
        pages = pdf_pages(handbook)
        assert incomplete_note(project, lang, all_drafts) in flat(pages[0]), (
            f"{lang}: the handbook's cover:\n{pages[0]}"
        )
        chapters = outline(handbook)  # the programme may still name a draft module: it has no chapter
        for unit in draft_modules:
            title = flat(f"{unit.order}. {unit.pages[lang].title}")
            assert title not in chapters, f"{lang}: the draft module {title!r} is a chapter of the handbook"
    if not packed(project, lang):
        assert not pack_pdf.exists(), f"{lang}: no participant sheet is translated, yet {pack_pdf} was printed"
    else:
        cover = flat(pdf_pages(pack_pdf)[0])
        assert incomplete_note(project, lang, len(draft_sheets)) in cover, f"{lang}: the pack's cover:\n{cover}"


def outline(pdf: Path) -> list[str]:
    """The titles of a PDF's bookmarks (the handbook's chapters), at every level."""

    def walk(items) -> list[str]:
        return [title for item in items for title in (walk(item) if isinstance(item, list) else [flat(item.title)])]

    return walk(PdfReader(pdf).outline)


def draft_names_of(project: Project, lang: str) -> list[str]:
    """Every draft page of a language (units and docs pages)."""
    from terrain.checks import draft_names

    return [name for name, page_lang in draft_names(project).items() if page_lang == lang]


def test_the_print_edition_is_dated_by_source_date_epoch_not_by_the_clock(project, print_edition):
    """A packager who sets SOURCE_DATE_EPOCH (reproducible-builds.org) gets the same bytes from two
    print runs: every PDF and DOCX carries that time (conftest prints with it), none the clock's."""
    import docx

    when = datetime.datetime.fromtimestamp(SOURCE_DATE_EPOCH, datetime.UTC)
    printed = project.root / "build" / "downloads"
    pdfs, docs = sorted(printed.rglob("*.pdf")), sorted(printed.rglob("*.docx"))
    assert pdfs and docs
    for pdf in pdfs:
        meta = PdfReader(pdf).metadata
        assert meta is not None and (meta.creation_date, meta.modification_date) == (when, when), pdf
    for doc in docs:
        properties = docx.Document(str(doc)).core_properties
        assert (properties.created, properties.modified, properties.author) == (when, when, "Terrain contributors")
        with zipfile.ZipFile(doc) as archive:
            assert {info.date_time for info in archive.infolist()} == {when.timetuple()[:6]}, doc


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_incomplete_cover_says_1_page_and_2_pages_by_the_languages_own_rule(lang):
    """The worksheet pack's and the handbook's cover count the pages left out in the plural form
    the language's rule picks (CLDR, through Babel): never "1 pages"; in English `one` is 1 only,
    in French 0 and 1 both take the singular."""
    from terrain.printing.edition import incomplete_sheets
    from terrain.printing.myst import edition_line
    from terrain.project import plural_category

    project = Project.load(ROOT)
    if lang == project.default_language:  # the default language has no drafts: its rule, on the string itself
        covers = {n: flat(project.count_text(lang, "handbook", "incomplete", n)) for n in (1, 2)}
    else:
        for unit in project.units():  # a fresh load, made a finished language, then 1 and 2 drafts
            if unit.pages.get(lang) is not None:
                unit.pages[lang].meta["translation"] = {"status": "translated"}
        for doc in project.docs.values():
            if doc.get(lang) is not None:
                doc[lang].meta["translation"] = {"status": "translated"}
        assert not incomplete_sheets(project, lang), f"{lang}: a finished language's pack cover says it is incomplete"
        sheets = [w for w in project.worksheets.values() if w.pages.get(lang) is not None][:2]
        covers = {}
        for n, sheet in enumerate(sheets, start=1):
            sheet.pages[lang].meta["translation"] = {"status": "draft"}
            covers[n] = flat(incomplete_sheets(project, lang))
            assert covers[n] in flat(edition_line(project, lang)), (
                f"{lang}: the handbook's cover differs from the pack's"
            )
    forms = project.ui[lang]["handbook"]["incomplete"]
    assert isinstance(forms, dict) and "other" in forms, f"data/ui/{lang}.yml: handbook.incomplete has no plural forms"
    for n, cover in covers.items():
        form = forms.get(plural_category(lang, n)) or forms["other"]
        assert flat(form.replace("{count}", str(n))) in cover, f"{lang}: {n} left out, the cover says {cover!r}"
    assert not re.search(r"\b1 pages\b", covers[1]) and "2 page " not in covers[2] + " "
    if lang.split("-")[0] in ("en", "fr"):  # languages whose rule we know by heart: 1 is singular, 2 plural
        assert " 1 page " in f" {covers[1]} " and " 2 pages " in f" {covers[2]} ", covers
    if lang.split("-")[0] == "fr":
        zero = flat(project.count_text(lang, "handbook", "incomplete", 0))
        assert " 0 page " in f" {zero} ", f"French puts 0 in the singular: {zero!r}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_drafts_are_never_printed(project, print_edition, lang):
    """A finished language's covers claim nothing is missing; one in progress prints only its
    finished pages, and its handbook and worksheet pack say on the cover how many are left out."""
    if lang in finished_languages(project):
        notes = [max(form.split("{count}"), key=len) for form in incomplete_forms(project, lang)]
        for book in ("handbook.pdf", "worksheet-pack.pdf"):
            cover = flat(pdf_pages(downloads(project, lang) / "books" / book)[0])
            for note in notes:
                assert flat(note) not in cover, f"{lang}/{book}: a finished language's cover says it is incomplete"
    else:
        assert lang in draft_languages(project)
        check_drafts_left_out(project, lang)


@pytest.mark.slow
def test_a_language_in_progress_prints_its_finished_pages_and_says_so(project_copy):
    """One module and one participant sheet of a translated language turned back into drafts."""
    copy = Project.load(project_copy)
    others = [lang for lang in finished_languages(copy) if lang != copy.default_language]
    if not others:
        pytest.skip("no finished language besides the default one")
    lang = others[0]
    module = next(reversed(copy.modules.values()))
    sheet = next(ws for ws in packed(copy, lang) if ws.slug != LIM)
    for unit in (module, sheet):
        path = unit.folder / f"index.{lang}.md"
        text = path.read_text(encoding="utf-8")
        head, body = text.split("\n---\n", 1)
        assert "status: current" in head, path
        path.write_text(head.replace("status: current", "status: draft") + "\n---\n" + body, encoding="utf-8")
    copy = Project.load(project_copy)
    assert sorted(draft_names_of(copy, lang)) == sorted([module.pages[lang].name, sheet.pages[lang].name])
    printing.build_print(copy, langs=[lang], progress=False)
    check_drafts_left_out(copy, lang)
    base = project_copy / "build" / "downloads" / lang
    assert (base / "worksheets" / f"{LIM}.pdf").exists(), "the finished sheets still print"
    first = next(iter(copy.modules.values()))
    chapters = outline(base / "books" / "handbook.pdf")
    assert flat(f"{first.order}. {first.pages[lang].title}") in chapters, (
        f"the finished modules still print: {chapters}"
    )


# ---- Markdown for print, without building ---------------------------------------------------


def test_answers_become_a_bold_question_and_its_answer():
    text = "<details>\n<summary>What share?</summary>\n\nAbout 30 %.\n\n</details>\n"
    assert printing.answers(text).strip() == "**What share?**\n\nAbout 30 %."


def test_callouts_take_the_page_language(project):
    out = printing.callouts("> [!TIP]\n> Gardez la fiche.\n> Deux lignes.\n\nSuite.\n", project, "fr")
    assert out.startswith(":::{tip} " + project.text("fr", "callouts", "tip") + "\nGardez la fiche.\nDeux lignes.\n:::")
    assert "Suite." in out


def test_relative_links_become_text_and_web_links_print_their_address():
    out = printing.plain_links(
        "See [Formalisation](../04-formalisation/index.md) and [the guide](https://example.org/a_b)."
    )
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
    checklist = [
        ["**1 Plan**", "", ""],
        ["☐ Access agreed", "", ""],
        ["**2 Repair**", "", ""],
        ["☐ Pits filled", "", ""],
    ]
    assert printing.write_rows(checklist) == [False, True, False, True], (
        "a checklist's section headings are not written in"
    )
    phases = [
        ["*Example*", "*us*", "*dry season*"],
        ["**1 Plan**", "", ""],
        ["**2 Repair**", "", ""],
        ["**While mining:** avoid", "", ""],
    ]
    assert printing.write_rows(phases) == [False, True, True, True], "the phases of a plan are written in"


def test_one_table_per_page_gets_page_breaks():
    form = "Page 1: tasks.\n\n| a | b |\n|---|---|\n| | |\n\nPage 2: groups.\n\n| c | d |\n|---|---|\n| | |\n"
    blocks = printing.with_page_breaks(printing.form_blocks(form), 2)
    assert [b.kind for b in blocks] == ["para", "table", "break", "para", "table"]
    assert printing.with_page_breaks(printing.form_blocks(form), 1) == printing.form_blocks(form)
    assert blocks[1].rows == [["a", "b"], ["", ""]], "an empty row to write in must survive parsing"
    assert "#pagebreak()" in printing.blocks_markdown(blocks)


# ---- failures are reported, not swallowed ---------------------------------------------------


@pytest.mark.slow
def test_a_failed_export_names_the_missing_file(project_copy):
    """Jupyter Book exits 0 when an export fails; the build must still stop and say which file."""
    template = project_copy / "print" / "templates" / "handbook" / "template.yml"
    # `summary` is a reserved export property, so Jupyter Book rejects the whole template.
    broken = template.read_text(encoding="utf-8").replace(
        "  - id: cover_title", "  - id: summary\n    type: string\n  - id: cover_title"
    )
    template.write_text(broken, encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        printing.build_print(Project.load(project_copy), langs=["en"], progress=False)
    assert "build/print/en/out/handbook.typ" in str(caught.value)


# ---- one error channel: problems come back, nothing is logged or raised midway --------------


def test_a_character_the_print_fonts_lack_comes_back_as_a_warning():
    from terrain.printing.fonts import missing_glyphs

    problems = missing_glyphs("Clé 𓀀", "worksheets/x/index.md")
    assert [(p.rule, p.severity) for p in problems] == [("missing-glyph", "warning")], problems
    assert str(problems[0]).startswith("worksheets/x/index.md: 𓀀 has no glyph"), str(problems[0])
    assert missing_glyphs("Clé", "worksheets/x/index.md") == []


def test_a_sheet_without_its_language_is_left_out_with_a_warning(project, tmp_path):
    from terrain.printing.edition import Edition
    from terrain.printing.myst import stage_sheet

    unit = next(iter(project.worksheets.values()))
    absent = "xx"  # no project configures it
    edition = Edition(absent, tmp_path / "stage", tmp_path / "out", tmp_path / "downloads")
    sheet, problems = stage_sheet(project, unit, absent, edition)
    assert sheet is None and not (tmp_path / "stage").exists()
    assert [(p.rule, p.severity) for p in problems] == [("print-left-out", "warning")], problems
    assert f"worksheets/{unit.slug}" in str(problems[0]) and "left out" in str(problems[0])


def test_warnings_alone_do_not_stop_the_print_edition():
    from terrain.printing import Printed
    from terrain.problems import Problem

    warning = Problem("docs/share.md", 0, "no xx page yet — the xx handbook skips it", severity="warning")
    assert Printed(problems=[warning]).ok
    assert not Printed(problems=[warning, Problem("a.md", 0, "Typst could not compile")]).ok
    assert not Printed(problems=[warning], checked=False).ok, "problems the checks found stop it, warnings too"
