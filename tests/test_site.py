"""The built site as a reader gets it: both languages, modules, worksheets, readings, callouts."""
from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.slow


def text_of(path) -> str:
    """The page's text as read: inline tags vanish, block tags become spaces."""
    html = re.sub(r"</?(?:abbr|span|em|strong|a|code|small)\b[^>]*>", "", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_every_module_and_worksheet_exists_in_both_languages(site, project):
    for unit in project.units():
        for prefix in ("", "fr/"):
            page = site / f"{prefix}{unit.src_dir}/{unit.slug}/index.html"
            assert page.exists(), f"{page} is missing"


def test_pages_carry_their_language_and_title(site, project):
    module = project.modules["01-understanding-asm"]
    for lang, prefix in (("en", ""), ("fr", "fr/")):
        html = (site / f"{prefix}modules/01-understanding-asm/index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert module.pages[lang].title in unescape(html)


def test_language_switcher_keeps_the_reader_on_the_same_page(site):
    html = (site / "fr/worksheets/leverage-incentives-matrix/index.html").read_text(encoding="utf-8")
    by_lang = {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', html)}
    assert by_lang["en"] == "../../../worksheets/leverage-incentives-matrix/index.html"
    assert by_lang["fr"] == "index.html"


def test_key_readings_are_rendered_from_the_registry(site, project):
    module = project.modules["01-understanding-asm"]
    for prefix in ("", "fr/"):
        text = text_of(site / f"{prefix}modules/01-understanding-asm/index.html")
        for rid in module.facts["readings"]:
            title = project.readings[rid]["title"]
            assert title in text, f"reading {rid} not rendered on the {prefix or 'en/'} page"


def test_worksheets_of_a_module_link_both_ways(site, project):
    en = (site / "modules/11-participatory-approaches-incentives/index.html").read_text(encoding="utf-8")
    assert 'href="../../worksheets/leverage-incentives-matrix/index.html"' in en
    ws = (site / "fr/worksheets/leverage-incentives-matrix/index.html").read_text(encoding="utf-8")
    assert 'href="../../modules/11-participatory-approaches-incentives/index.html"' in ws


def test_callout_titles_are_french_on_french_pages(site):
    french_titles = {"Remarque", "Astuce", "Important", "Avertissement", "Attention"}
    seen = set()
    for page in (site / "fr").rglob("*.html"):
        for title in re.findall(r'<p class="admonition-title">([^<]+)</p>', page.read_text(encoding="utf-8")):
            assert title not in {"Note", "Tip", "Warning", "Caution"}, f"{page}: English callout title {title}"
            seen.add(title)
    assert seen & french_titles, "no callout rendered on any French page"


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
            assert f"{clock(project, lang, entry.start)} {clock(project, lang, entry.end)}".replace("\u00a0", " ") in text


def test_glossary_page_lists_french_terms(site):
    text = text_of(site / "fr/glossary.html")
    for term in ("EMAPE", "OSC", "ABDH", "MRF", "PGE"):
        assert term in text


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
