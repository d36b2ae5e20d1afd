"""The built site in a real browser (the system Chromium, driven by Playwright).

Every page loads from file:// (and, for a sample, from a local web server) without console
errors or requests leaving the site; the language switcher, the per-language search and the
phone drawer work; each worksheet prints on A4 within the pages its worksheet.yml declares.
"""

from __future__ import annotations

import collections
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import LANGUAGES, in_language, language_tag

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A4 = (595.28, 841.89)  # points


# ---- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def site_pages(site: Path) -> list[str]:
    """Every HTML page a reader can open from disk, as paths relative to the site.

    404.html is left out: its links are absolute (/assets/…) because a web server serves it for
    any missing address, so it only works from a server root; `test_sample_pages_over_http`
    covers it.
    """
    pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    return sorted(p for p in pages if not p.startswith("downloads/") and p != "404.html")


class Recorder:
    """Console errors, uncaught exceptions and requests of one page, reset for each visit."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"exception: {exc}"))
        page.on("request", lambda request: self.requests.append(request.url))

    def reset(self):
        self.errors.clear()
        self.requests.clear()


def visit(page, url: str):
    """Open a page and wait until Material has settled (search index loaded, no requests left)."""
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


# data: and blob: URLs are made in the page itself (inline icons, the search worker shim),
# never fetched from anywhere
IN_PAGE = ("data:", "blob:", "about:")


def check_pages(page, urls: dict[str, str], allowed_prefix: str) -> list[str]:
    recorder = Recorder(page)
    problems = []
    for name, url in urls.items():
        recorder.reset()
        visit(page, url)
        problems += [f"{name}: {error}" for error in recorder.errors]
        outside = [u for u in recorder.requests if not u.startswith(allowed_prefix) and not u.startswith(IN_PAGE)]
        problems += [f"{name}: requested {u}" for u in outside]
    return problems


# ---- every page loads cleanly ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_loads_from_disk_without_errors_or_outside_requests(site, page, lang):
    pages = [p for p in site_pages(site) if in_language(p, lang)]
    assert len(pages) > 20, pages
    problems = check_pages(page, {p: (site / p).as_uri() for p in pages}, site.as_uri() + "/")
    assert not problems, "\n".join(problems)


def test_sample_pages_over_http(site, page, server):
    sample = [
        "index.html",
        "modules/01-understanding-asm/index.html",
        "worksheets/leverage-incentives-matrix/index.html",
        "glossary.html",
        "404.html",
    ]
    for lang in LANGUAGES[1:]:
        sample += [
            f"{lang}/index.html",
            f"{lang}/modules/08-frugal-rehabilitation/index.html",
            f"{lang}/worksheets/country-profile/index.html",
            f"{lang}/readings.html",
        ]
    for p in sample:
        assert (site / p).exists(), p
    problems = check_pages(page, {p: server + p for p in sample}, server)
    assert not problems, "\n".join(problems)


# ---- language switcher ----------------------------------------------------------------------


def switch_language(page, lang: str):
    page.hover(".md-header .md-select")  # the list opens on hover or focus
    with page.expect_navigation():
        page.click(f".md-header .md-select a[hreflang='{lang}']")


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_language_switcher_goes_to_the_same_module_and_back(site, page, lang):
    default = LANGUAGES[0]
    first = site / "modules/06-partnerships-stakeholder-mapping/index.html"
    other = site / f"{lang}/modules/06-partnerships-stakeholder-mapping/index.html"
    visit(page, first.as_uri())
    assert page.get_attribute("html", "lang") == language_tag(default)
    switch_language(page, lang)
    assert page.url == other.as_uri()
    assert page.get_attribute("html", "lang") == language_tag(lang)
    switch_language(page, default)
    assert page.url == first.as_uri()
    assert page.get_attribute("html", "lang") == language_tag(default)


# ---- search ----------------------------------------------------------------------------------


def search(page, url: str, query: str) -> tuple[int, list[str]]:
    """Type a query into Material's search as a reader does; the result count and links.

    The page is opened afresh for every query, so that no count from an earlier query is read.
    """
    visit(page, url)
    box = page.locator("input.md-search__input")  # in the header on a desktop-sized window
    box.click()
    box.press_sequentially(query, delay=20)  # fill() alone does not trigger the search
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=re.compile(r"\d")).wait_for(timeout=10_000)  # "3 matching documents"
    text = meta.inner_text()
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "links => links.map(a => a.href)"
    )
    assert hrefs, f"{query!r}: {text}"
    return int(re.search(r"\d+", text).group()), hrefs


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def elided_only_word(site: Path) -> str:
    """An accented French word that the French pages only ever write after l’ or d’.

    Finding it proves the search splits elisions off (“l’atténuation” → “atténuation”).
    """
    docs = json.loads((site / "fr/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(
        re.sub(r'<span class="terrain-fold".*?</span>|<[^>]+>', " ", d["title"] + " " + d["text"]) for d in docs
    )
    elided = collections.Counter(m.group(1).lower() for m in re.finditer(r"\b[ld][’']([^\W\d_]{6,})", text))
    alone = {w.lower() for w in re.findall(r"(?<![’'\w])[^\W\d_]+", text)}
    words = [w for w, _ in elided.most_common() if w not in alone and fold(w) != w]
    assert words, "no accented French word found that only appears after l’ or d’"
    return words[0]


def test_french_search_finds_french_pages_with_or_without_accents(site, page):
    home = (site / "fr/index.html").as_uri()
    french = (site / "fr").as_uri() + "/"
    word = elided_only_word(site)
    for accented in ("réhabilitation", word):
        counts = {}
        for query in (accented, fold(accented)):
            counts[query], hrefs = search(page, home, query)
            elsewhere = [h for h in hrefs if not h.startswith(french)]
            assert not elsewhere, f"{query!r} on the French site leads out of /fr/: {elsewhere}"
        # typed without accents, a word finds (at least) what it finds with them
        assert counts[fold(accented)] >= counts[accented], counts


def test_english_search_finds_english_pages_only(site, page):
    _, hrefs = search(page, (site / "index.html").as_uri(), "rehabilitation")
    others = [h for h in hrefs if any(h.startswith((site / lang).as_uri() + "/") for lang in LANGUAGES[1:])]
    assert not others, f"English search leads to pages in other languages: {others}"
    assert all(h.startswith(site.as_uri() + "/") for h in hrefs), hrefs


# ---- phone -----------------------------------------------------------------------------------


def assert_no_horizontal_overflow(page, width: int):
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width + 1, f"{page.url} is {scroll_width}px wide on a {width}px screen"


def test_phone_drawer_navigates_between_modules(site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        start = site / "modules/01-understanding-asm/index.html"
        target = site / "modules/02-environmental-impacts/index.html"
        visit(page, start.as_uri())
        assert_no_horizontal_overflow(page, 360)
        page.click(".md-header label[for='__drawer']")
        link = page.locator(".md-nav--primary a.md-nav__link[href$='02-environmental-impacts/index.html']")
        link.wait_for(state="visible")
        with page.expect_navigation():
            link.click()
        assert page.url == target.as_uri()
        assert_no_horizontal_overflow(page, 360)
        # worksheets hold wide tables: they must scroll inside the page, not widen it
        visit(page, (site / "worksheets/engagement-plan-canvas/index.html").as_uri())
        assert_no_horizontal_overflow(page, 360)
    finally:
        context.close()


# ---- printing worksheets ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_worksheets_print_on_their_declared_a4_pages(site, project, page, lang):
    from pypdf import PdfReader

    page.emulate_media(media="print")
    prefix = "" if lang == project.default_language else f"{lang}/"
    problems = []
    for slug, worksheet in sorted(project.worksheets.items()):
        name = f"{prefix}worksheets/{slug}/index.html"
        declared = worksheet.facts["pages"]
        landscape = worksheet.facts.get("orientation") == "landscape"
        visit(page, (site / name).as_uri())
        if page.locator(".worksheet .ws-form").count() != 1:
            problems.append(f'{name}: no <section class="ws-form"> (the form is not marked for printing)')
            continue
        shown = page.evaluate(
            """() => [...document.querySelectorAll('.ws-notes, .md-header, .md-sidebar, .md-footer')]
                     .filter(e => getComputedStyle(e).display !== 'none').map(e => e.className)"""
        )
        if shown:
            problems.append(f"{name}: printed although it should not be: {shown}")
        pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        count = len(pdf.pages)
        if not 1 <= count <= declared:
            problems.append(f"{name}: prints on {count} pages, worksheet.yml says {declared}")
        want = (A4[1], A4[0]) if landscape else A4
        for number, sheet in enumerate(pdf.pages, 1):
            size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
            if abs(size[0] - want[0]) > 2 or abs(size[1] - want[1]) > 2:
                problems.append(
                    f"{name}: page {number} is {size[0]:.0f}×{size[1]:.0f} pt, not A4 {'landscape' if landscape else 'portrait'}"
                )
        title = page.inner_text(".md-content h1").strip()
        # NFKC: a font with ligatures (DejaVu Sans on a bare machine) prints "Proﬁl" for "Profil"
        if unicodedata.normalize("NFKC", title.split()[0]) not in unicodedata.normalize(
            "NFKC", pdf.pages[0].extract_text()
        ):
            problems.append(f"{name}: the title {title!r} is not on the first printed page")
    assert not problems, "\n".join(problems)
