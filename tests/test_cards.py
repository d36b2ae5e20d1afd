"""Picture cards (modules/NN-slug/cards.yml) and the pictograms of the worksheet forms."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from terrain.cards import ICON_SETS, IconSet, activity_numbers, pictograms_for, print_form, web_form
from terrain.project import Project

from conftest import LANGUAGES, finished_languages


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_text(path: Path) -> list[str]:
    return [normalised(page.extract_text() or "") for page in PdfReader(str(path)).pages]


# ---- the icon sets --------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", sorted(ICON_SETS))
def test_each_icon_of_an_installed_set_reads_as_json_reads_it(prefix):
    """IconSet decodes an icon when asked for, found by the layout the packages write: every icon
    and alias of the pinned set, and the set's default size, must be what json.loads reads. A new
    layout fails here, not on a page."""
    import json

    path = Path(__file__).resolve().parent.parent / "node_modules" / ICON_SETS[prefix] / "icons.json"
    data = path.read_bytes()
    lazy, whole = IconSet(data), json.loads(data)
    assert lazy.whole is None, "the set is not in the layout IconSet reads without decoding it all"
    assert lazy.names() == [*whole["icons"], *whole.get("aliases", {})]
    for section in ("icons", "aliases"):
        for name, value in whole.get(section, {}).items():
            assert lazy.get(section, name) == value, (section, name)
    assert [lazy.default(k, 16) for k in ("width", "height")] == [whole.get(k, 16) for k in ("width", "height")]


def test_an_icon_set_in_another_layout_is_read_whole():
    import json

    data = {"prefix": "x", "icons": {'a"b': {"body": "<g/>"}, "été": {"body": '\n\t\t"y": {'}}, "width": 24}
    for text in (json.dumps(data), json.dumps(data, indent="\t", ensure_ascii=False), json.dumps(data, indent=2)):
        icons = IconSet(text.encode())
        assert [icons.get("icons", n) for n in data["icons"]] == list(data["icons"].values()), text
        assert icons.get("icons", "none") is None and icons.default("width", 16) == 24


# ---- the data -----------------------------------------------------------------------------------


def test_every_set_refers_to_a_real_activity(project):
    sets, problems = project.cards
    assert sets, "no module declares picture cards"
    assert not problems, "\n".join(map(str, problems))
    for slug, card_sets in sets.items():
        numbers = activity_numbers(project.modules[slug])
        for card_set in card_sets:
            assert card_set.activity in numbers, (
                f"{slug}: set {card_set.id} names activity {card_set.activity}, the page has {sorted(numbers)}"
            )


def test_every_card_has_a_label_and_title_in_every_language(project):
    sets, _ = project.cards
    for slug, card_sets in sets.items():
        for card_set in card_sets:
            # a language in progress prints the default language's card texts until they are
            # translated (`terrain check` warns): only finished ones must have all
            for lang in finished_languages(project):
                assert card_set.title.get(lang), f"{slug}: set {card_set.id} has no {lang} title"
                for card in card_set.cards:
                    assert card.label.get(lang), f"{slug}/{card_set.id}/{card.id} has no {lang} label"
                    if card.story:
                        assert card.story.get(lang), f"{slug}/{card_set.id}/{card.id} has no {lang} story"


def test_character_cards_have_a_story_each(project):
    sets, _ = project.cards
    stories = [c for s in sets.get("12-outreach-communication-training", []) for c in s.cards if c.story]
    assert len(stories) == 8
    for card in stories:
        for lang in finished_languages(project):
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", card.story[lang]) if s]
            assert 3 <= len(sentences) <= 4, f"{card.id} ({lang}) has {len(sentences)} sentences"


def test_every_pictogram_of_the_forms_is_an_installed_icon(project):
    registry, problems = project.pictograms
    assert registry["symbols"] and not problems, "\n".join(map(str, problems))


# ---- the print edition --------------------------------------------------------------------------


def test_cards_pdfs_hold_every_card(project, print_edition):
    """A language's card PDF holds its own labels only; a module whose cards are not all translated
    into it has no PDF of its own (its pages link to the default language's, test_an_untranslated…)."""
    from terrain.cards import cards_language

    sets, _ = project.cards
    for lang in project.languages:
        for slug, card_sets in sets.items():
            pdf = project.downloads / lang / f"cards-{slug}.pdf"
            if cards_language(project, slug, lang) != lang:
                assert not pdf.exists(), f"{pdf}: the cards are not translated into {lang}, yet printed as {lang}"
                continue
            assert pdf.exists(), f"{pdf} was not written"
            text = " ".join(pdf_text(pdf))
            corner = normalised(f"{project.modules[slug].order} · ")
            expected = sum(len(s.cards) for s in card_sets)
            # every card carries the module number and set name in its corner
            assert text.count(corner) == expected, f"{pdf.name}: {text.count(corner)} card corners, {expected} cards"
            for card_set in card_sets:
                for card in card_set.cards:
                    label = normalised(card.label[lang])
                    assert label in text, f"{pdf.name}: no label {label!r}"


def test_cards_pdfs_are_a4_with_six_or_four_cards_a_page(project, print_edition):
    sets, _ = project.cards
    lang = project.default_language
    for slug, card_sets in sets.items():
        reader = PdfReader(str(project.downloads / lang / f"cards-{slug}.pdf"))
        pages = sum(-(-len(s.cards) // (4 if s.has_stories else 6)) for s in card_sets)
        assert len(reader.pages) == pages, f"{slug}: {len(reader.pages)} pages, expected {pages}"
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_cards_pdfs_credit_the_icon_sets(project, print_edition):
    for lang in project.languages:
        pdf = next((project.downloads / lang).glob("cards-*.pdf"), None)
        if pdf is None:  # a language whose cards are all untranslated prints none (test_an_untranslated…)
            assert lang != project.default_language, f"no card PDF in {lang}"
            continue
        text = " ".join(pdf_text(pdf))
        assert "Health Icons" in text and "Game-icons.net" in text and "CC BY 3.0" in text


def evaluation_printed(project, lang: str) -> bool:
    """Whether the workshop evaluation prints in `lang`: a draft page never does (test_print)."""
    from terrain.checks import is_draft

    page = project.worksheets["workshop-evaluation"].pages.get(lang)
    printed = page is not None and not is_draft(page)
    if not printed:
        assert not (project.downloads / lang / "worksheets" / "workshop-evaluation.pdf").exists()
    return printed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_evaluation_faces_are_pictures_in_print(project, print_edition, lang):
    """The faces to circle are drawn as pictures, not 3 mm text symbols."""
    if not evaluation_printed(project, lang):
        return
    typ = (project.root / "build" / "print" / lang / "out" / "ws-workshop-evaluation.typ").read_text(encoding="utf-8")
    assert "healthicons--neutral.svg" in typ and "healthicons--happy.svg" in typ and "healthicons--sad.svg" in typ
    assert "height: 8mm" in typ


# ---- adapting: a local drawing, bad input ---------------------------------------------------------


@pytest.mark.slow  # runs a build
def test_a_local_svg_replaces_a_pictogram(project_copy):
    module = project_copy / "modules" / "02-environmental-impacts"
    (module / "pictures").mkdir()
    (module / "pictures" / "mercury.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>',
        encoding="utf-8",
    )
    cards = module / "cards.yml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace(
            "pictogram: game-icons:chemical-drop", "pictogram: pictures/mercury.svg"
        ),
        encoding="utf-8",
    )
    project = Project.load(project_copy)
    assert not [p for p in project.problems if "cards.yml" in p.path]
    from terrain.cards import build_cards
    from terrain.printing import compiler

    problems: list = []
    written = build_cards(project, project.default_language, compiler(), problems)
    assert not problems
    staged = project_copy / "build" / "print" / project.default_language / "cards"
    assert (staged / "icons" / "02-environmental-impacts--pictures--mercury.svg").exists()
    typ = (staged / "cards-02-environmental-impacts.typ").read_text(encoding="utf-8")
    assert "02-environmental-impacts--pictures--mercury.svg" in typ and "chemical-drop" not in typ
    assert any(p.name == "cards-02-environmental-impacts.pdf" for p in written)


def test_bad_card_data_gives_path_line_problems(project_copy):
    cards = project_copy / "modules" / "02-environmental-impacts" / "cards.yml"
    text = cards.read_text(encoding="utf-8")
    text = text.replace("pictogram: game-icons:river", "pictogram: game-icons:rivers", 1)
    text = text.replace("activity: 1", "activity: 7", 1)
    text = text.replace("pictogram: game-icons:chemical-drop", "pictogram: pictures/missing.svg", 1)
    text = text.replace("- id: quarrel", "- id: hunter", 1)
    cards.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    project = Project.load(project_copy)
    found = {p.line: p.message for p in project.problems if p.path == "modules/02-environmental-impacts/cards.yml"}

    def line_of(fragment: str) -> int:
        return next(i + 1 for i, line in enumerate(lines) if fragment in line)

    assert "did you mean `game-icons:river`" in found[line_of("game-icons:rivers")]
    assert "no `### Activity 7 —`" in found[line_of("activity: 7")]
    assert "does not exist" in found[line_of("pictures/missing.svg")]
    assert "used twice" in found[lines.index("      - id: hunter", line_of("- id: hunter")) + 1]
    assert all(" — " in message for message in found.values())


def test_a_missing_language_falls_back_without_crashing(project_copy):
    from terrain.cards import cards_to_translate

    cards = project_copy / "modules" / "13-engagement-plans" / "cards.yml"
    cards.write_text(cards.read_text(encoding="utf-8").replace(", fr: Moyen}", "}"), encoding="utf-8")
    project = Project.load(project_copy)
    assert not [p for p in project.problems if "cards.yml" in p.path]
    others = [l for l in project.languages if l != project.default_language]
    if others:
        assert any("in-between" in line and "no `" in line for line in cards_to_translate(project))


def test_a_misspelt_language_key_on_a_card_is_a_problem_at_its_line(project_copy):
    """`zz:` for a language's code would leave the translation unprinted without a word: it is named at its line."""
    cards = project_copy / "modules" / "13-engagement-plans" / "cards.yml"
    project = Project.load(project_copy)
    text = cards.read_text(encoding="utf-8")
    found_in = [  # a language the cards are translated into (a language just added has no card text yet)
        l
        for l in project.languages
        if l != project.default_language and re.search(rf"^ +label: \{{.*\b{l}: ", text, flags=re.M)
    ]
    if not found_in:
        pytest.skip("no language besides the default has card texts yet")
    lang = found_in[-1]
    label = re.search(rf"^ +label: \{{.*\b{lang}: ", text, flags=re.M)
    assert label, text
    line = text[: label.start()].count("\n") + 1
    cards.write_text(text[: label.end() - len(f"{lang}: ")] + "zz: " + text[label.end() :], encoding="utf-8")
    found = {
        p.line: p.message
        for p in Project.load(project_copy).problems
        if p.path.endswith("13-engagement-plans/cards.yml")
    }
    assert line in found, found
    assert "has a `zz:` text, but `zz` is no language of the site" in found[line]
    assert f"write `{lang}:` if that is the language meant" in found[line]


def test_a_picture_outside_the_module_is_refused(project_copy):
    cards = project_copy / "modules" / "02-environmental-impacts" / "cards.yml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("game-icons:chemical-drop", "pictures/../../../README.svg"),
        encoding="utf-8",
    )
    (project_copy / "README.svg").write_text("<svg/>", encoding="utf-8")
    project = Project.load(project_copy)
    assert any("outside the module folder" in p.message for p in project.problems)


def test_a_linked_picture_is_refused(project_copy):
    module = project_copy / "modules" / "02-environmental-impacts"
    (project_copy / "secret.svg").write_text("<svg/>", encoding="utf-8")
    (module / "pictures").symlink_to(project_copy, target_is_directory=True)
    cards = module / "cards.yml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("game-icons:chemical-drop", "pictures/secret.svg"), encoding="utf-8"
    )
    project = Project.load(project_copy)
    assert any("outside the module folder" in p.message and p.line > 0 for p in project.problems)


# ---- the pictograms on the page --------------------------------------------------------------------


EVALUATION = (
    '<section class="ws-form"><h2>Form</h2><p>Key: ☺ good; ○ in between; ☹ not good</p><table><thead><tr><th>☀ Day</th><th>☺ ○ ☹ Circle one</th></tr></thead>'
    "<tbody><tr><td><em>(☺) ○ ☹</em></td><td>☺ ○ ☹</td></tr></tbody></table></section>"
)


def test_web_form_draws_header_key_and_choice_cells(project):
    html = EVALUATION
    for lang in project.languages:
        out = web_form(html, project, lang, "workshop-evaluation", "../../")
        images = re.findall(r"<img\b[^>]*>", out)
        assert len(images) == 3 + 4 + 3, out  # key, header, the cell to circle
        assert "<em>(☺) ○ ☹</em>" in out  # the worked example stays as written
        sources = {re.search(r'src="([^"]+)"', i).group(1) for i in images}
        assert sources == {f"../../assets/pictograms/{n}" for n in re.findall(r"assets/pictograms/([\w.-]+)", out)}
        assert len(sources) == 4  # one file per symbol (☺ ○ ☹ ☀), relative to the page: nothing loaded from outside
        labels = re.findall(r'alt="([^"]+)"', out)
        assert len(labels) == len(images) and len(set(labels)) >= 3


def test_each_web_pictogram_is_written_once_black(project, tmp_path):
    from terrain.cards import write_web_pictograms

    assert write_web_pictograms(project, tmp_path) >= 3
    for lang in project.languages:
        for src in set(re.findall(r'src="([^"]+)"', web_form(EVALUATION, project, lang, "workshop-evaluation"))):
            svg = (tmp_path / src).read_text(encoding="utf-8")
            assert svg.startswith("<svg") and "viewBox" in svg and "currentColor" not in svg, src


def test_print_form_keeps_the_markdown_readable_without_the_renderer(project):
    form = "Key: ♀ women; ♂ men\n\n| ♀ ♂ Who | $ Money |\n|---|---|\n| *♀ example* | |\n"
    out = print_form(
        form,
        project,
        project.default_language,
        "gender-roles-map",
        project.root / "build" / "_test-pictograms",
        project.root / "build",
    )
    assert out.count("image(") == 2 + 3
    assert "*♀ example*" in out
    assert set(pictograms_for(project, "gender-roles-map")) >= {"♀", "♂", "☆", "$"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_sheets_draw_the_form_symbols_as_pictures(project, print_edition, lang):
    from docx import Document

    if not evaluation_printed(project, lang):
        assert not (project.downloads / lang / "worksheets" / "workshop-evaluation.docx").exists()
        return
    document = Document(str(project.downloads / lang / "worksheets" / "workshop-evaluation.docx"))
    header = document.tables[0].rows[0].cells
    pictures = sum(len(cell._tc.xpath(".//pic:pic")) for cell in header)
    assert pictures >= 4, f"{lang}: {pictures} pictures in the evaluation's header row"
    assert "☺" not in " ".join(cell.text for cell in header)


# ---- a language whose cards are not translated (issue 15) ------------------------------------------


def add_test_language(root: Path, lang: str = "qa") -> None:
    """`terrain i18n new qa`, as a translator would: every page a draft, no card label in qa
    (a project that has it configured already, as a scratch clone may, is taken as it is)."""
    from terrain.project import site_languages

    if lang in site_languages(root):
        return
    result = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), "i18n", "new", lang, "--name", "Testlang"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def downloads_page(project: Project, lang: str) -> str:
    from terrain.cards import download_rows
    from terrain.render import Context

    return "\n".join(download_rows(Context(project, lang, "downloads.md")))


def test_an_untranslated_card_set_is_offered_in_the_default_language_and_says_so(project_copy):
    """A language without card labels gets no card PDF of its own (never the default language's
    text under its name): its Downloads page links the default language's PDF with `hreflang`,
    `lang` and the notice of a page not yet translated, and `terrain kit` names that PDF."""
    from terrain.cards import build_cards, cards_pdf_name
    from terrain.printing import compiler

    add_test_language(project_copy)
    project = Project.load(project_copy)
    default, sets = project.default_language, project.cards[0]
    assert "qa" in project.languages and sets
    stale = project.downloads / "qa" / f"cards-{next(iter(sets))}.pdf"  # from an earlier build
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"%PDF-1.7 stale")
    problems: list = []
    assert build_cards(project, "qa", compiler(), problems) == [] and not problems
    assert not list((project.downloads / "qa").glob("cards-*.pdf")), "a card PDF was printed as qa"
    for slug in sets:  # the default language's PDFs, as `terrain print` leaves them
        pdf = project.downloads / default / f"{cards_pdf_name(project.modules[slug])}.pdf"
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(b"%PDF-1.7 " + b"x" * 2000)
    missing = project.text("qa", "notices", "missing")
    rows = downloads_page(project, "qa").splitlines()
    assert len(rows) == len(sets)
    for slug, row in zip(sets, rows, strict=True):
        assert f"downloads/{default}/cards-{slug}.pdf" in row and "downloads/qa/" not in row, row
        assert f'hreflang="{default}"' in row and f'lang="{default}"' in row and missing in row, row
    own = downloads_page(project, default)
    assert "hreflang" not in own and missing not in own, "the default language's own cards are marked"
    kit = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "kit", "--lang", "qa"],
        capture_output=True,
        text=True,
    )
    assert kit.returncode == 0, kit.stderr
    first = next(iter(sets))
    assert f"downloads/{default}/cards-{first}.pdf ({default}) — {missing}" in kit.stdout, kit.stdout


def test_a_partly_translated_card_set_is_not_translated(project_copy):
    """One label missing in a language: the module's cards stay in the default language, whole and
    marked, never a sheet that mixes two languages label by label; other modules keep theirs."""
    from terrain.cards import cards_language

    project = Project.load(project_copy)
    default = project.default_language
    others = [l for l in project.languages if l != default]
    if not others:
        pytest.skip("one language only")
    lang, slug = others[0], "13-engagement-plans"
    cards = project_copy / "modules" / slug / "cards.yml"
    text = cards.read_text(encoding="utf-8")
    label = next(c.label for s in project.cards[0][slug] for c in s.cards)
    cut = text.replace(f", {lang}: {label[lang]}}}", "}", 1)
    assert cut != text, f"could not remove the {lang} label {label[lang]!r} from {cards}"
    cards.write_text(cut, encoding="utf-8")
    project = Project.load(project_copy)
    assert cards_language(project, slug, lang) == default
    assert all(cards_language(project, s, lang) == lang for s in project.cards[0] if s != slug)
    pdf = project.downloads / default / f"cards-{slug}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7 " + b"x" * 2000)
    row = next(r for r in downloads_page(project, lang).splitlines() if f"cards-{slug}.pdf" in r)
    assert f"downloads/{default}/cards-{slug}.pdf" in row and f'hreflang="{default}"' in row, row
    assert project.text(lang, "notices", "missing") in row, row
