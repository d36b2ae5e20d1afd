"""Every module and worksheet, in every language, has what a facilitator needs to teach it."""

from __future__ import annotations

import re

import pytest

from terrain import markdown as md
from terrain.checks import SECTION_KEYS, WORKSHEET_KEYS
from terrain.project import Project

from conftest import ROOT

PROJECT = Project.load(ROOT)
MODULE_PAGES = [(m, lang) for m in PROJECT.modules for lang in PROJECT.languages]
WORKSHEET_PAGES = [(w, lang) for w in PROJECT.worksheets for lang in PROJECT.languages]
TOPICS = [
    "understanding",
    "environmental",
    "social",
    "formalisation",
    "human-rights",
    "partnerships",
    "protected-areas",
    "frugal-rehabilitation",
    "rehabilitation-action",
    "environmental-management",
    "participatory",
    "outreach",
    "engagement-plans",
]


def test_the_curriculum_covers_every_topic_of_the_guide_in_order():
    slugs = list(PROJECT.modules)
    assert len(slugs) == 13
    for slug, topic in zip(slugs, TOPICS):
        assert topic in slug


@pytest.mark.parametrize("slug,lang", MODULE_PAGES)
def test_module_sections_in_order(slug, lang):
    page = PROJECT.modules[slug].pages[lang]
    h2 = [h.text for h in md.headings(page.body) if h.level == 2]
    assert h2 == [PROJECT.text(lang, "sections", key) for key in SECTION_KEYS]


@pytest.mark.parametrize("slug,lang", MODULE_PAGES)
def test_session_plan_adds_up_to_the_duration(slug, lang):
    module = PROJECT.modules[slug]
    text, first = md.section(module.pages[lang].body, PROJECT.text(lang, "sections", "plan"))
    total, bad = md.session_minutes(text, first)
    assert not bad and total == module.facts["duration"]


ACTIVITY_LABELS = {
    "en": ("Purpose", "Duration", "Group size", "Materials"),
    "fr": ("Objectif", "Durée", "Taille des groupes", "Matériel"),
}


@pytest.mark.parametrize("slug,lang", MODULE_PAGES)
def test_module_teaching_material(slug, lang):
    page = PROJECT.modules[slug].pages[lang]
    body = page.body
    activities, _ = md.section(body, PROJECT.text(lang, "sections", "activities"))
    assert len([h for h in md.headings(activities) if h.level == 3]) >= 2, "at least two activities"
    draft = page.translation.get("status") == "draft"  # still the default language's text
    for label in ACTIVITY_LABELS.get(PROJECT.default_language if draft else lang, ()):
        assert f"**{label}" in activities
    check, _ = md.section(body, PROJECT.text(lang, "sections", "check"))
    assert check.count("<details>") >= 4 and check.count("<summary>") == check.count("<details>")
    assert "<!-- terrain:worksheets -->" in body and "<!-- terrain:readings -->" in body


@pytest.mark.parametrize("slug", list(PROJECT.modules))
def test_module_is_taught_in_depth(slug):
    words = len(re.findall(r"\w+", PROJECT.modules[slug].pages["en"].body))
    assert words >= 1200, f"{slug}: {words} words of English body"
    fr = len(re.findall(r"\w+", PROJECT.modules[slug].pages["fr"].body))
    assert fr >= 0.9 * words, "the French is complete, not a summary"


@pytest.mark.parametrize("slug", list(PROJECT.modules))
def test_module_references_resolve(slug):
    facts = PROJECT.modules[slug].facts
    assert all(r in PROJECT.readings for r in facts["readings"])
    assert all(w in PROJECT.worksheets for w in facts["worksheets"])


def test_every_reading_of_the_guide_is_registered_and_used():
    assert len(PROJECT.readings) >= 22
    assert "levin-2020-summary-guide" in PROJECT.readings
    used = {r for m in PROJECT.modules.values() for r in m.facts["readings"]}
    docs = "\n".join(page.body for pages in PROJECT.docs.values() for page in pages.values())
    cited_by_docs = {rid for rid, entry in PROJECT.readings.items() if entry.get("url") and entry["url"] in docs}
    assert used | cited_by_docs == set(PROJECT.readings)


def test_talking_points_that_outgrow_their_input_step_are_a_check_problem(project_copy):
    """`terrain check` (check_talking_points) names, at the block's heading line in every language,
    a talking-points block with more points than its Input step's minutes allow, and a block
    whose minutes no longer match the session plan."""
    import subprocess
    import sys

    from terrain.checks import talking_point_limit

    project = Project.load(project_copy)
    module = project.modules["12-outreach-communication-training"]
    headings = {}
    for lang, page in module.pages.items():
        talking, first = md.section(page.body, project.text(lang, "sections", "talking"))
        heading = next(h for h in md.headings(talking) if h.level == 3)
        minutes = int(re.search(r"(\d+)\s*min\s*$", heading.text).group(1))
        lines = page.path.read_text(encoding="utf-8").splitlines()
        line = page.body_line + first - 1 + heading.line - 1
        assert lines[line - 1].startswith("### ")
        extra = [f"- Point {n}." for n in range(talking_point_limit(minutes) + 1)]
        lines[line : line + 1] = ["", *extra]  # one point more than the limit, after the heading
        page.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        headings[lang] = line
    result = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "check"], capture_output=True, text=True
    )
    assert result.returncode == 1
    for lang, line in headings.items():
        assert re.search(
            rf"^modules/12-outreach-communication-training/index\.{lang}\.md:{line}: `[^`]+` has \d+ points for \d+ minutes — keep 3 to \d+",
            result.stderr,
            re.M,
        ), result.stderr


@pytest.mark.parametrize("slug,lang", WORKSHEET_PAGES)
def test_worksheet_has_its_sections_and_a_form(slug, lang):
    page = PROJECT.worksheets[slug].pages[lang]
    h2 = [h.text for h in md.headings(page.body) if h.level == 2]
    for key in WORKSHEET_KEYS:
        assert PROJECT.text(lang, "worksheet_sections", key) in h2
    form, first = md.section(page.body, PROJECT.text(lang, "worksheet_sections", "form"))
    assert md.table_rows(form, first), "the form is a table"


@pytest.mark.parametrize("slug", list(PROJECT.worksheets))
def test_worksheet_tables_have_the_same_shape_in_every_language(slug):
    shapes = set()
    for lang in PROJECT.languages:
        page = PROJECT.worksheets[slug].pages[lang]
        form, first = md.section(page.body, PROJECT.text(lang, "worksheet_sections", "form"))
        shapes.add(tuple(len(cells) for _, cells in md.table_rows(form, first)))
    assert len(shapes) == 1


def test_every_glossary_term_has_both_languages():
    for entry in PROJECT.glossary:
        assert entry["en"]["term"] and entry["fr"]["term"] and entry["fr"]["definition"]
    french = {e["fr"]["term"] for e in PROJECT.glossary}
    assert {"EMAPE", "OSC", "ABDH", "APEC", "MRF", "PAR", "PGE", "cadre local de concertation", "MLI"} <= french
