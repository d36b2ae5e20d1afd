"""The built site as a reader gets it: both languages, modules, worksheets, readings, callouts."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import language_tag

pytestmark = pytest.mark.slow


def text_of(path) -> str:
    """The page's text as read: inline tags vanish, block tags become spaces."""
    html = re.sub(r"</?(?:abbr|span|em|strong|a|code|small)\b[^>]*>", "", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def prefix_of(project, lang: str) -> str:
    """Where a language's pages sit in the site: the default language at the root, others under LANG/."""
    return "" if lang == project.default_language else f"{lang}/"


def test_every_module_and_worksheet_exists_in_every_language(site, project):
    for unit in project.units():
        for lang in project.languages:
            page = site / f"{prefix_of(project, lang)}{unit.src_dir}/{unit.slug}/index.html"
            assert page.exists(), f"{page} is missing"


def test_pages_carry_their_language_and_title(site, project):
    module = project.modules["01-understanding-asm"]
    for lang in project.languages:
        html = (site / f"{prefix_of(project, lang)}modules/01-understanding-asm/index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language_tag(lang, project.root)}"' in html
        assert module.pages[lang].title in unescape(html)


def test_language_switcher_keeps_the_reader_on_the_same_page(site):
    html = (site / "fr/worksheets/leverage-incentives-matrix/index.html").read_text(encoding="utf-8")
    by_lang = {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', html)}
    assert by_lang["en"] == "../../../worksheets/leverage-incentives-matrix/index.html"
    assert by_lang["fr"] == "index.html"


def test_key_readings_are_rendered_from_the_registry(site, project):
    module = project.modules["01-understanding-asm"]
    for lang in project.languages:
        text = text_of(site / f"{prefix_of(project, lang)}modules/01-understanding-asm/index.html")
        for rid in module.facts["readings"]:
            title = project.readings[rid]["title"]
            assert title in text, f"reading {rid} not rendered on the {lang} page"


def test_worksheets_of_a_module_link_both_ways(site, project):
    en = (site / "modules/11-participatory-approaches-incentives/index.html").read_text(encoding="utf-8")
    assert 'href="../../worksheets/leverage-incentives-matrix/index.html"' in en
    ws = (site / "fr/worksheets/leverage-incentives-matrix/index.html").read_text(encoding="utf-8")
    assert 'href="../../modules/11-participatory-approaches-incentives/index.html"' in ws


def test_callout_titles_are_in_the_pages_language(site, project):
    default = project.default_language
    for lang in project.languages[1:]:
        own = {project.text(lang, "callouts", k) for k in project.ui[default].get("callouts", {})}
        foreign = {project.text(default, "callouts", k) for k in project.ui[default].get("callouts", {})} - own
        seen = set()
        for page in (site / lang).rglob("*.html"):
            for title in re.findall(r'<p class="admonition-title">([^<]+)</p>', page.read_text(encoding="utf-8")):
                assert title not in foreign, f"{page}: callout title {title} in {default}"
                seen.add(title)
        assert seen & own, f"no callout rendered on any {lang} page"


def test_self_check_answers_open_on_click(site):
    html = (site / "fr/modules/01-understanding-asm/index.html").read_text(encoding="utf-8")
    assert html.count('<details class="question"') >= 4
    assert "<summary>" in html


def test_agenda_is_computed_from_module_durations(site, project):
    from terrain.render import clock

    lang = project.default_language
    text = text_of(site / "facilitator-guide.html")
    for module in project.modules.values():
        assert module.pages[lang].title in text
    # each module's row runs from its start for its duration (data/programme.yml adds the slots)
    from terrain import programme

    for day in programme.load(project).days:
        for entry in (e for e in day.entries if e.module):
            if not entry.steps:  # a module split by its steps around a break runs in parts
                assert entry.end - entry.start == entry.module.facts["duration"]
            assert (
                f"{clock(project, lang, entry.start)} {clock(project, lang, entry.end)}".replace("\u00a0", " ") in text
            )


def test_glossary_page_lists_every_languages_terms(site, project):
    for lang in project.languages:
        text = text_of(site / f"{prefix_of(project, lang)}glossary.html")
        terms = [entry[lang]["term"] for entry in project.glossary if isinstance(entry.get(lang), dict)]
        assert terms, f"the glossary has no {lang} term"
        missing = [term for term in terms if unescape(term) not in text]
        assert not missing, f"{lang}: {missing[:5]}"


def test_no_asset_is_loaded_from_another_site(site):
    external = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".js"} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in re.finditer(r"<(script|link|img|iframe|source)\b[^>]*>", text):
                assert not external.search(match.group(0)), f"{path}: {match.group(0)[:120]}"
            if path.suffix == ".css":
                assert not re.search(r"@import\s+url\(\s*['\"]?https?:", text), path
                assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
    config = (site / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in config and "fonts.googleapis" not in config


def test_worksheet_page_links_its_downloads(site):
    html = (site / "fr/worksheets/leverage-incentives-matrix/index.html").read_text(encoding="utf-8")
    pdf = re.search(r'href="([^"]+leverage-incentives-matrix\.pdf)"', html)
    docx = re.search(r'href="([^"]+leverage-incentives-matrix\.docx)"', html)
    assert pdf and docx
    page_dir = site / "fr/worksheets/leverage-incentives-matrix"
    assert (page_dir / pdf.group(1)).resolve().exists()
    assert "/downloads/fr/" in (page_dir / pdf.group(1)).resolve().as_posix()


def test_worksheet_forms_show_their_pictograms_from_one_copy(site, project):
    """The forms' symbols are pictures with their name in the page's language, each icon one file of
    the site, reached by a relative address (file://, the ZIM): no page carries the drawing itself."""
    from terrain.cards import pictograms_for, text_in

    used: set = set()
    for lang in project.languages:
        for unit in project.worksheets.values():
            page = site / prefix_of(project, lang) / "worksheets" / unit.slug / "index.html"
            html = page.read_text(encoding="utf-8")
            assert "terrain-pictogram" not in "".join(re.findall(r"<svg\b[^>]*>", html)), page
            for img in re.findall(r'<img class="terrain-pictogram"[^>]*>', html):
                src, alt = re.search(r'src="([^"]+)"', img).group(1), re.search(r'alt="([^"]*)"', img).group(1)
                assert not src.startswith(("/", "http")) and (page.parent / src).resolve().is_file(), img
                symbols = pictograms_for(project, unit.slug).values()
                assert unescape(alt) in {text_in(p.label, lang, project.default_language) for p in symbols}, img
                used.add((page.parent / src).resolve())
    assert used and all(path.parent == (site / "assets" / "pictograms").resolve() for path in used)
