"""What a reader sees in their own language: the footer, times and durations, and a search that
understands the language (elisions, stop words, ranking), in the system Chromium."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from terrain import render
from terrain.site import SEARCH_BOOST


def text_of(path: Path) -> str:
    """A page's text with every run of white space (no-break spaces too) as one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))))


def page_path(site: Path, project, lang: str, name: str) -> Path:
    return site / name if lang == project.default_language else site / lang / name


# ---- footer, times, durations (the built HTML) ----------------------------------------------


@pytest.mark.slow
def test_the_footer_is_in_the_page_language(site, project):
    footers = {}
    for lang in project.languages:
        for name in ("index.html", "modules/01-understanding-asm/index.html"):
            page = page_path(site, project, lang, name).read_text(encoding="utf-8")
            found = re.search(r'<div class="md-copyright__highlight">\s*(.*?)\s*</div>', page, re.S)
            assert found, f"{lang}/{name}: no footer line"
            footers[lang] = html.unescape(found.group(1))
            assert footers[lang] == project.text(lang, "labels", "footer"), (lang, name, footers[lang])
    for lang in project.languages:
        if project.ui[lang].get("labels", {}).get("footer") != project.ui[project.default_language]["labels"]["footer"]:
            assert footers[lang] != footers[project.default_language]


@pytest.mark.slow
def test_the_heading_links_are_titled_in_the_page_language(site, project):
    """The ¶ after each heading says what it is in the page's language, not Markdown's English."""
    for lang in project.languages:
        page = page_path(site, project, lang, "modules/01-understanding-asm/index.html").read_text(encoding="utf-8")
        titles = {html.unescape(t) for t in re.findall(r'<a class="headerlink" href="[^"]*" title="([^"]*)"', page)}
        assert titles == {project.text(lang, "labels", "permalink")}, (lang, titles)
        assert "Permanent link" not in titles or lang == project.default_language


@pytest.mark.slow
def test_agenda_times_and_durations_follow_the_language(site, project):
    from terrain import programme

    first = programme.load(project).days[0].entries[0]  # the programme's first slot, from data/programme.yml
    for lang in project.languages:
        text = text_of(page_path(site, project, lang, "facilitator-guide.html"))
        start, end = render.clock(project, lang, first.start), render.clock(project, lang, first.end)
        assert f"{start} {end}".replace("\u00a0", " ") in text, (lang, start, end)
        assert render.duration(project, lang, first.end - first.start).replace("\u00a0", " ") in text


def test_clock_and_duration_formats_come_from_the_interface_strings(project):
    for lang in project.languages:
        hours = render.duration(project, lang, 315)
        assert "315" not in hours and "5" in hours and "15" in hours, (lang, hours)
        assert "45" in render.duration(project, lang, 45)
    if "fr" in project.languages:
        assert render.clock(project, "fr", 510) == "8\u00a0h\u00a030"
        assert render.duration(project, "fr", 315) == "5\u00a0h\u00a015"


# ---- search in the browser --------------------------------------------------------------------


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def run_search(page, url: str, query: str) -> tuple[list[str], list[str]]:
    """Type a query as a reader does; the result links and the highlighted words ([] when none)."""
    page.goto(url, wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=re.compile(r"\w")).wait_for(timeout=10_000)
    # the worker answers every keystroke: wait until the results stop changing between two polls
    page.wait_for_function(
        """() => {
      const html = document.querySelector('.md-search-result__list')?.innerHTML;
      const same = html !== undefined && html === window.__terrainResults;
      window.__terrainResults = html;
      return same;
    }""",
        polling=150,
    )
    links = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "l => l.map(a => a.getAttribute('href'))"
    )
    marks = page.eval_on_selector_all(".md-search-result mark", "m => m.map(x => x.textContent)")
    return links, marks


def search_settings(project, lang: str) -> tuple[list[str], list[str]]:
    settings = project.ui.get(lang, {}).get("search") or {}
    return str(settings.get("elisions") or "").split(), str(settings.get("stop_words") or "").split()


def index_text(site: Path, project, lang: str) -> str:
    index = page_path(site, project, lang, "search/search_index.json")
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    return " ".join(re.sub(r'<span class="terrain-fold".*?</span>|<[^>]+>', " ", d["text"]) for d in docs)


@pytest.mark.browser
@pytest.mark.slow
def test_an_elided_word_is_searched_without_its_elision(site, project, page):
    checked = 0
    for lang in project.languages:
        elisions, _ = search_settings(project, lang)
        if not elisions:
            continue
        text = index_text(site, project, lang)
        found = re.search(r"\b([dDlL])[’']([^\W\d_]{6,})", text) if {"d", "l"} & set(elisions) else None
        assert found, f"{lang}: no word after d’ or l’ in the search index"
        elision, word = found.group(1).lower(), found.group(2)
        home = page_path(site, project, lang, "index.html").as_uri()
        alone, _ = run_search(page, home, word)
        for apostrophe in ("’", "'"):
            links, marks = run_search(page, home, f"{elision}{apostrophe}{word}")
            assert links == alone, f"{lang}: {elision}{apostrophe}{word} finds other pages than {word}"
            assert marks and all(m.lower() != elision for m in marks), (
                f"{lang}: the elision {elision!r} is highlighted on its own"
            )
        checked += 1
    if not checked:
        pytest.skip("no configured language has elisions (data/ui/LANG.yml search.elisions)")


@pytest.mark.browser
@pytest.mark.slow
def test_a_stop_word_alone_matches_no_page(site, project, page):
    for lang in project.languages:
        _, stop_words = search_settings(project, lang)
        home = page_path(site, project, lang, "index.html").as_uri()
        for word in stop_words[:3]:
            links, _ = run_search(page, home, word)
            assert not links, f"{lang}: the stop word {word!r} matches {len(links)} pages"


# a subject named in a reading's title and taught in a module, per language
SUBJECT = {"en": "mercury", "fr": "mercure"}


@pytest.mark.browser
@pytest.mark.slow
def test_a_query_ranks_the_teaching_pages_before_the_reference_lists(site, project, page):
    languages = [lang for lang in project.languages if lang in SUBJECT]
    if not languages:
        pytest.skip("no subject word for the configured languages")
    for lang in languages:
        links, _ = run_search(page, page_path(site, project, lang, "index.html").as_uri(), SUBJECT[lang])
        assert links, f"{lang}: {SUBJECT[lang]!r} finds nothing"
        pages = [link.split("?")[0].split("#")[0] for link in links]
        # a teaching page first: a module, a worksheet or a page about the subject (safety.html is
        # titled after mercury), never a reference list (terrain.site.SEARCH_BOOST)
        reference = [i for i, link in enumerate(pages) if link.rsplit("/", 1)[-1] in SEARCH_BOOST]
        teaching = [i for i, link in enumerate(pages) if "modules/" in link or "worksheets/" in link]
        assert pages[0].rsplit("/", 1)[-1] not in SEARCH_BOOST, f"{lang}: {SUBJECT[lang]!r} ranks {pages[0]} first"
        assert teaching and (not reference or teaching[0] < reference[0]), (
            f"{lang}: {SUBJECT[lang]!r} ranks a reference list before the modules: {pages[:8]}"
        )


def shown_marks(page) -> list[str]:
    """The highlighted words a reader sees in the results (not those of the hidden accent-free list)."""
    return page.eval_on_selector_all(
        ".md-search-result mark", "m => m.filter(x => !x.closest('[hidden]')).map(x => x.textContent)"
    )


@pytest.mark.browser
@pytest.mark.slow
def test_an_accented_word_is_highlighted_whether_typed_with_or_without_its_accents(site, project, page):
    """« rehabilitation » finds the sections that say « réhabilitation » through their accent-free
    hidden words; the preview the reader sees highlights « réhabilitation » (overrides/main.html)."""
    from collections import Counter

    from terrain.site import fold

    checked = 0
    for lang in project.languages:
        index = page_path(site, project, lang, "search/search_index.json")
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        previews = [re.sub(r'<span class="terrain-fold".*?</span>|<[^>]+>', " ", d["text"]) for d in docs]
        accented = Counter(
            w for text in previews for w in re.findall(r"[^\W\d_]{6,}", html.unescape(text)) if fold(w) != w.lower()
        )
        if not accented:
            continue  # a language written without accents
        word = sorted(accented.items(), key=lambda item: (-item[1], item[0]))[0][0]
        home = page_path(site, project, lang, "index.html").as_uri()
        for query in (fold(word), word):
            links, _ = run_search(page, home, query)
            assert links, f"{lang}: {query!r} finds nothing"
            marks = [m.lower() for m in shown_marks(page)]
            assert word.lower() in marks, f"{lang}: {query!r} does not highlight {word!r} in the previews: {marks[:8]}"
        checked += 1
    if not checked:
        pytest.skip("no configured language has accented words in its previews")


def test_a_count_string_has_the_plural_categories_of_its_own_language(project):
    """`{one: …, other: …}` in data/ui/LANG.yml: the key-parity check takes each language's own
    categories (CLDR: Polish one/few/many/other, a language without plural `other` only) and asks
    only for `other:`, the form of any count the others do not take."""
    import copy

    from terrain.project import ui_key_parity

    default_lang = project.default_language
    default = project.ui[default_lang]
    assert isinstance(default["handbook"]["incomplete"], dict), "the cover's count string has no plural forms"
    other = copy.deepcopy(default)
    for forms in ({"one": "a", "few": "b", "many": "c", "other": "d"}, {"other": "d"}, "{count} d"):
        other["handbook"]["incomplete"] = forms
        assert not ui_key_parity(default, other, "data/ui/xx.yml", {}, default_lang), forms
    other["handbook"]["incomplete"] = {"one": "{count} page"}
    problems = ui_key_parity(default, other, "data/ui/xx.yml", {}, default_lang)
    assert [p.rule for p in problems] == ["ui-plural-other"], problems
    assert "`handbook.incomplete`" in problems[0].message and "add `other:`" in problems[0].message


# ---- the language a page declares -----------------------------------------------------------


def test_a_language_without_a_code_declares_a_real_tag(project_copy):
    """`qm` (Mooré has no two-letter code) is no language's: `terrain i18n new` gives its pages the
    tag `qaa` until the translator writes Mooré's, `mos`; a language with a code keeps its own."""
    import subprocess
    import sys

    from terrain.project import Project
    from terrain.site import page_output

    def terrain(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), *args], capture_output=True, text=True
        )

    languages = Project.load(project_copy).languages
    code = next(c for c in ("qm", "qn", "qo") if c not in languages)
    real = next(c for c in ("pt", "es", "de") if c not in languages)
    made = terrain("i18n", "new", code, "--name", "Mooré")
    assert made.returncode == 0 and "language_tag" in made.stdout, made.stdout + made.stderr
    assert terrain("i18n", "new", real).returncode == 0
    ui = project_copy / "data" / "ui" / f"{code}.yml"
    assert re.search(r"^language_tag: qaa\b", ui.read_text(encoding="utf-8"), re.M)
    assert "language_tag" not in (project_copy / "data" / "ui" / f"{real}.yml").read_text(encoding="utf-8")
    assert terrain("check").returncode == 0

    ui.write_text(re.sub(r"^language_tag: .*$", "language_tag: mos", ui.read_text(encoding="utf-8"), flags=re.M))
    built = (
        f'<html lang="{code}"><a hreflang="{code}" href="#">Mooré</a>'
        f'<div class="admonition warning terrain-untranslated" lang="{code}"></div>'
    )
    out = page_output(built, f"{code}/index.html", Project.load(project_copy))
    assert out.count('lang="mos"') == 2 and f'hreflang="{code}"' in out, out
    assert (
        page_output(built.replace(code, real), f"{real}/index.html", Project.load(project_copy)).count(f'lang="{real}"')
        == 3
    )

    text = ui.read_text(encoding="utf-8")
    ui.write_text(re.sub(r"^language_tag: .*$", """language_tag: 'x"><script>'""", text, flags=re.M))
    line = ui.read_text(encoding="utf-8").split("\n").index("""language_tag: 'x"><script>'""") + 1
    check = terrain("check")
    assert check.returncode == 1 and f"data/ui/{code}.yml:{line}: `language_tag: " in check.stderr, check.stderr[-2000:]
    assert 'lang="x' not in page_output(built, f"{code}/index.html", Project.load(project_copy))
