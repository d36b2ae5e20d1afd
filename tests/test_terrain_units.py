"""The toolkit's pieces on small inputs: YAML lines, typography, folding, agenda, sizes."""

from __future__ import annotations

import json

from terrain import checks, render, site, yamlfile
from terrain import markdown as md
from terrain.project import Project

from conftest import ROOT


def test_yaml_errors_name_their_line():
    _, _, problems = yamlfile.parse("order: 1\nduration: [90\nday: 2\n", "m.yml")
    assert problems and problems[0].path == "m.yml" and problems[0].line in (2, 3)
    assert " — " in problems[0].message


def test_schema_errors_name_the_key_and_its_line():
    data, lines, _ = yamlfile.parse("order: 1\nday: 5\nduration: ninety\nworksheets: []\nreadings: [a]\n", "m.yml")
    from terrain.schemas import MODULE

    problems = {p.line: p.message for p in yamlfile.validate(data, MODULE, "m.yml", lines)}
    assert "day" in problems[2] and "1, 2 or 3" in problems[2]
    assert "duration" in problems[3] and "minutes" in problems[3]


def test_french_typography_fixes():
    fixed, messages = checks.typography_fixes("Pourquoi ? Voici : « oui » à 20% ; bien!")
    assert fixed == "Pourquoi\u202f? Voici\u00a0: «\u00a0oui\u00a0» à 20\u00a0%\u202f; bien\u202f!"
    assert messages
    untouched = "Voir [le site](https://example.org/a?b=c) et `x : y` à 10:30."
    assert checks.typography_fixes(untouched)[0] == untouched


def test_front_matter_values_stay_valid_yaml_when_fixed():
    line, _ = checks._front_matter_fix("summary: Trois étapes : analyser, agir")
    assert line == 'summary: "Trois étapes\u00a0: analyser, agir"'


def test_fold_removes_accents_and_elisions():
    assert site.fold("L’Évaluation de l'isolation") == "evaluation de isolation"


def test_split_index_keeps_each_language_apart(tmp_path):
    project = Project.load(ROOT)
    (tmp_path / "search").mkdir()
    docs = [{"location": "index.html", "title": "Home", "text": "rehabilitation"}]
    docs += [
        {"location": f"{lang}/index.html", "title": lang, "text": "la réhabilitation"}
        for lang in project.languages
        if lang != project.default_language
    ]
    (tmp_path / "search/search_index.json").write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}))
    counts = site.split_search_index(tmp_path, project)
    assert set(counts) == set(project.languages) and counts[project.default_language] == 1
    if "fr" not in project.languages:
        return
    assert counts["fr"] == 1
    fr = json.loads((tmp_path / "fr/search/search_index.json").read_text())
    assert fr["docs"][0]["location"] == "index.html"
    assert "rehabilitation" in fr["docs"][0]["text"] and "réhabilitation" in fr["docs"][0]["text"]
    assert (tmp_path / "fr/search/search_index.js").read_text().startswith("var __index = ")


def test_agenda_gives_every_day_a_lunch():
    # (rows back to back and the 8:30 start hold by construction in render.agenda: not tested)
    project = Project.load(ROOT)
    days = render.agenda(project)
    assert sorted(days) == [1, 2, 3]
    for day, rows in days.items():
        assert any(kind == "lunch" for _, _, kind, _ in rows), f"day {day} ends before noon: no lunch"


def test_sizes_read_as_people_say_them():
    project = Project.load(ROOT)
    assert render.human_size(86_000, "en", project) == "84\u00a0KB"
    assert render.human_size(1_300_000, "fr", project) == "1,2\u00a0Mo"


def test_slugify_matches_the_toc_extension():
    assert md.slugify("Éléments de contenu") == "elements-de-contenu"
    assert md.slugify("Activity 1 — Walk the supply chain") == "activity-1-walk-the-supply-chain"
