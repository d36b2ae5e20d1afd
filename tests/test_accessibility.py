"""Accessibility of every built page in both languages: axe-core (WCAG 2.1 A and AA) finds no
serious or critical violation; pages declare their language; images have text alternatives;
headings in the article do not skip levels.

The rules are all on. A rule is only left out when it is shown to be a false positive, with the
reason written next to it in AXE_EXCLUDED.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import LANGUAGES, in_language, language_tag

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_EXCLUDED: dict[str, str] = {}  # rule id -> why it is a false positive here

# `preload: false`: axe would re-fetch every stylesheet with XMLHttpRequest, which file://
# forbids; only css-orientation-lock needs it, and it is reported as incomplete instead.
RUN_AXE = """async ([tags, excluded]) => {
  const rules = Object.fromEntries(excluded.map(id => [id, {enabled: false}]));
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, preload: false, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({impact: n.impact, target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""

HEADING_LEVELS = """() => [...document.querySelectorAll(
  '.md-content h1, .md-content h2, .md-content h3, .md-content h4, .md-content h5, .md-content h6')]
  .map(h => [Number(h.tagName[1]), h.textContent.replace('¶', '').trim()])"""


@pytest.fixture(scope="module")
def page(browser):
    """One tab for the whole module."""
    assert AXE.exists(), f"{AXE} is missing: run `npm install` (make test does)"
    return browser.new_page(bypass_csp=True)  # axe is injected as an inline script; the pages' CSP would block it


def pages_of(site: Path, lang: str) -> list[str]:
    pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    pages = [p for p in pages if not p.startswith("downloads/") and p != "404.html"]
    return sorted(p for p in pages if in_language(p, lang))


def axe_problems(page, name: str) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line per element."""
    problems = []
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    for v in page.evaluate(RUN_AXE, [TAGS, list(AXE_EXCLUDED)]):
        for node in v["nodes"]:
            impact = node["impact"] or v["impact"]
            if impact in ("serious", "critical"):
                summary = " ".join(node["summary"].split())
                problems.append(f"{name}: {v['id']} [{impact}] at {node['target']}: {v['help']} — {summary}")
    return problems


def audit(page, name: str, lang: str) -> list[str]:
    """Everything wrong with the page already open in `page`, one line per problem."""
    problems = axe_problems(page, name)
    declared, expected = page.get_attribute("html", "lang"), language_tag(lang)
    if declared != expected:
        problems.append(f'{name}: <html lang="{declared}">, expected "{expected}"')
    for img in page.eval_on_selector_all("img:not([alt])", "imgs => imgs.map(i => i.outerHTML.slice(0, 120))"):
        problems.append(f"{name}: image without alt: {img}")
    previous = 0
    for level, text in page.evaluate(HEADING_LEVELS):
        if level > previous + 1:
            problems.append(f"{name}: <h{level}> {text!r} follows <h{previous or '—'}>, skipping a level")
        previous = level
    return problems


WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 640}}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_accessible(site, browser, lang, width):
    names = pages_of(site, lang)
    assert len(names) > 20, names
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone", bypass_csp=True)
    problems = []
    try:
        page = context.new_page()
        for name in names:
            page.goto((site / name).as_uri(), wait_until="load")
            problems += audit(page, f"{name} ({width})", lang)
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_not_found_page_is_accessible(site, page, server):
    page.goto(server + "404.html", wait_until="load")
    problems = audit(page, "404.html", "en")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_search_results_and_phone_drawer_are_accessible(site, page):
    """Parts of Material that only show when used: the search results and the phone drawer."""
    problems = []
    for home, query in (("index.html", "mercury"), ("fr/index.html", "mercure")):
        page.goto((site / home).as_uri(), wait_until="load")
        page.wait_for_load_state("networkidle")
        page.click("input.md-search__input")
        page.locator("input.md-search__input").press_sequentially(query, delay=20)
        page.locator(".md-search-result__meta").filter(has_text=re.compile(r"\d")).wait_for()
        problems += axe_problems(page, f"{home} with search results")
    phone = page.context.browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    try:
        tab = phone.new_page()
        name = "fr/modules/03-social-impacts-gender/index.html"
        tab.goto((site / name).as_uri(), wait_until="load")
        tab.click(".md-header label[for='__drawer']")
        tab.locator(".md-nav--primary").first.wait_for(state="visible")
        # the drawer slides in: wait until it has stopped moving (its box is the same on two frames)
        tab.wait_for_function("""() => new Promise(done => {
          const nav = document.querySelector('.md-nav--primary');
          const x = nav.getBoundingClientRect().left;
          requestAnimationFrame(() => requestAnimationFrame(() => done(nav.getBoundingClientRect().left === x)));
        })""")
        problems += axe_problems(tab, f"{name} with the drawer open on a phone")
    finally:
        phone.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
