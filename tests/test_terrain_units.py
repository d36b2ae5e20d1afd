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


def test_schema_problems_name_the_missing_key_the_unknown_key_and_the_rule_of_the_value():
    """Each kind of violation at the line a writer must edit, with the schema's description as the
    fix; keys YAML reads as numbers are named as written; every violation at once."""
    from terrain.schemas import CARDS

    text = (
        "sets:\n"
        "  - id: Bad Id\n"  # 2: pattern
        "    activity: 0\n"  # 3: minimum
        "    per: everyone\n"  # 4: enum
        "    colour: red\n"  # 5: unknown key
        "    title: {en: Mercury, FR: Mercure}\n"  # 6: a key matching neither properties nor pattern
        "    cards:\n"
        "      - id: a\n"  # 8: lacks pictogram and label
        "        2: two\n"  # 9: an unknown key YAML reads as a number
    )
    data, lines, parsed = yamlfile.parse(text, "cards.yml")
    assert parsed == []
    problems = yamlfile.validate(data, CARDS, "cards.yml", lines)
    found = {(p.line, p.rule) for p in problems}
    assert {
        (2, "schema"),
        (3, "schema"),
        (4, "schema"),
        (5, "schema"),
        (6, "schema"),
        (8, "schema"),
        (9, "schema"),
    } <= found
    by_line = {}
    for p in problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert any("an id in lower case" in m for m in by_line[2])  # the rule's description is the fix
    assert any("unknown key `colour`" in m for m in by_line[5])
    assert any("unknown key `FR`" in m and "`en`" not in m for m in by_line[6])  # en matches the pattern
    assert any("lacks `pictogram`" in m for m in by_line[8]) and any("lacks `label`" in m for m in by_line[8])
    assert any("unknown key `2`" in m for m in by_line[9])


def test_a_whole_number_written_with_a_decimal_point_is_that_number():
    """`duration: 75.0` is an integer to JSON Schema, and was a float to Terrain's readers, which
    read only int: the module had no duration, and its day lost its lunch, without a word from
    terrain check. It is now the whole number 75; 7.5 is still refused where a whole number goes."""
    from terrain.schemas import MODULE, PAGE_META

    text = "order: 2.0\nday: 1\nduration: 1.0e+2\nworksheets: []\nreadings: [a]\n"
    data, lines, problems = yamlfile.parse(text, "module.yml")
    assert problems == [] and yamlfile.validate(data, MODULE, "module.yml", lines) == []
    assert (data["order"], data["duration"]) == (2, 100) and type(data["duration"]) is int
    data, lines, _ = yamlfile.parse(text.replace("1.0e+2", "7.5"), "module.yml")
    assert {p.line for p in yamlfile.validate(data, MODULE, "module.yml", lines)} == {3}
    data, lines, _ = yamlfile.parse("title: 2.0\nsummary: A page of ten words.\n", "page.md")
    problems = yamlfile.validate(data, PAGE_META, "page.md", lines)
    assert [(p.line, "string" in p.message) for p in problems] == [(1, True)]  # a text, as before


def test_a_web_address_with_an_invisible_character_is_refused():
    """A NUL, a control character or a direction mark in a reading's url passed the check and reached
    the page's href as it was (NUL in the HTML); NEL (U+0085) passed only since jsonschema-rs."""
    from terrain.schemas import READINGS

    reading = "- {id: a, authors: [A B], title: Title, language: en, type: guide, url: %s}\n"
    for url in ('"https://a.org/x\\0y"', '"https://a.org/x\\x01"', '"https://a.org/\\u202ex"', '"https://a.org/\\Nx"'):
        data, lines, _ = yamlfile.parse(reading % url, "readings.yml")
        problems = yamlfile.validate(data, READINGS, "readings.yml", lines)
        assert [p.rule for p in problems] == ["schema"], url
    data, lines, _ = yamlfile.parse(reading % "https://fr.wikipedia.org/wiki/Mercure_(chimie)#É", "readings.yml")
    assert yamlfile.validate(data, READINGS, "readings.yml", lines) == []


def test_an_unquoted_date_is_a_problem_at_its_line_and_reads_as_the_text_written():
    data, _, problems = yamlfile.parse(
        "title: Notes\nupdated: 2020-01-01\nblob: !!binary aGk=\n", "page.md", first_line=2
    )
    assert [(p.line, p.rule) for p in problems] == [(3, "yaml-date"), (4, "yaml-date")]
    assert '"2020-01-01"' in problems[0].message
    assert data == {"title": "Notes", "updated": "2020-01-01", "blob": "aGk="}


def test_a_value_yaml_cannot_construct_is_a_problem_at_its_line_not_a_crash():
    """A date that is not one, a number that is not one and a tag that does not fit its value
    made PyYAML's constructors raise (ValueError, KeyError): a traceback from terrain check."""
    text = "a: 2020-02-30\nb: !!int abc\nc: 0x_\nd: !!bool maybe\n"
    data, _, problems = yamlfile.parse(text, "page.md", first_line=2)
    assert [(p.line, p.rule) for p in problems] == [
        (2, "yaml-date"),
        (3, "yaml-syntax"),
        (4, "yaml-syntax"),
        (5, "yaml-syntax"),
    ]
    assert '"abc"' in problems[1].message
    assert data == {"a": "2020-02-30", "b": "abc", "c": "0x_", "d": "maybe"}


def test_a_key_is_the_text_written():
    """YAML 1.1 reads `no:` (Norwegian) as False and `123:` as a number: a label in Norwegian was
    an "unknown key `False`", and a slot `123:` in data/programme.yml crashed sorting the slots."""
    from terrain.schemas import CARDS

    text = "2020-13-01: a\n? !!float f\n: b\nno: c\n123: d\n~: e\n"
    data, _, problems = yamlfile.parse(text, "x.yml")
    assert problems == [] and data == {"2020-13-01": "a", "f": "b", "no": "c", "123": "d", "~": "e"}
    text = "sets:\n  - id: a\n    activity: 1\n    per: group\n    title: {en: A, no: A, EN: A}\n    cards: [{id: b, pictogram: a:b, label: {en: B}}]\n"
    data, lines, _ = yamlfile.parse(text, "cards.yml")
    problems = yamlfile.validate(data, CARDS, "cards.yml", lines)
    assert len(problems) == 1 and "unknown key `EN`" in problems[0].message  # `no` is a language code
    assert "per language code" in problems[0].message  # the fix, not "the allowed keys are " and nothing


def test_values_nested_past_the_limit_are_a_problem_not_a_crash():
    """A few thousand bytes of nesting (`- - - …`, or [[[…]]]) would exhaust Python's recursion."""
    for deep in ("x:\n  " + "- " * 1500 + "y\n", "x: " + "[" * 3000 + "]" * 3000 + "\n"):
        data, _, problems = yamlfile.parse(deep, "m.yml")
        assert data is None and [(p.line, p.rule) for p in problems] in ([(2, "yaml-depth")], [(1, "yaml-depth")])
    data, _, problems = yamlfile.parse("x:\n  " + "- " * (yamlfile.MAX_DEPTH - 1) + "y\n", "m.yml")
    assert problems == [] and data is not None


def test_a_file_of_too_many_values_is_not_told_to_drop_aliases_it_does_not_have():
    data, _, problems = yamlfile.parse("x:\n" + "  - a\n" * (yamlfile.MAX_NODES + 1), "m.yml")
    assert data is None and [p.rule for p in problems] == ["yaml-aliases"]
    assert "alias" not in problems[0].message and "repeated" in problems[0].message


def test_a_country_yml_that_is_empty_or_a_list_is_a_problem(tmp_path):
    """Empty, it stopped `terrain print --country CC` with "0 problems in 0 files" and passed terrain check."""
    from terrain import countries

    project = Project.load(ROOT)
    project.root = tmp_path
    (tmp_path / "countries/xa").mkdir(parents=True)
    for text in ("", "---\n", "- name\n"):
        (tmp_path / "countries/xa/country.yml").write_text(text, encoding="utf-8")
        country, problems = countries.load(project, "xa")
        assert country is None and [(p.path, p.line) for p in problems] == [("countries/xa/country.yml", 1)]
    (tmp_path / "countries/xa/country.yml").write_text("name: {en: Xland}\nlanguages: en\n", encoding="utf-8")
    _, problems = countries.load(project, "xa")
    assert [(p.line, p.rule) for p in problems] == [(2, "schema")]  # not `e` and `n`, languages of no site


def test_a_text_yaml_reads_as_a_boolean_is_named_as_written():
    """`no` is Norwegian's language code, and YAML 1.1 reads it as false."""
    from terrain.schemas import READINGS

    text = "- {id: a, authors: [A B], title: Title, language: no, type: guide}\n"
    data, lines, _ = yamlfile.parse(text, "readings.yml")
    problems = yamlfile.validate(data, READINGS, "readings.yml", lines)
    assert len(problems) == 1 and 'put a text in quotes, like "no"' in problems[0].message


def test_a_page_has_no_front_matter_key_but_title_summary_and_translation():
    """MkDocs and Material read other keys of the front matter: `template: nothere.html` passed
    terrain check and the build died with jinja2's TemplateNotFound; `hide: 5`, `search: 5` and
    `icon: ../x` crashed it too."""
    from terrain.schemas import PAGE_META

    text = "title: Notes\nsummary: A page of notes, for a test.\ntemplate: main.html\nhide: 5\nsearch: 5\nicon: ../x\n"
    data, lines, _ = yamlfile.parse(text, "p.md")
    problems = yamlfile.validate(data, PAGE_META, "p.md", lines)
    assert [(p.line, p.rule) for p in problems] == [(3, "schema")]
    assert "unknown key `template` (and hide, search, icon)" in problems[0].message


def test_an_unknown_key_shows_its_invisible_characters():
    """A zero-width space pasted into `day:` gave "lacks `day`" and "unknown key `day`" that looked the same."""
    from terrain.schemas import MODULE

    text = "order: 1\nda\u200by: 1\nduration: 90\nworksheets: []\nreadings: [a]\n"
    data, lines, _ = yamlfile.parse(text, "module.yml")
    messages = [p.message for p in yamlfile.validate(data, MODULE, "module.yml", lines)]
    assert any("unknown key `da\\u200by`" in m for m in messages), messages


def test_a_slot_label_is_not_empty():
    """`label: {en: Lunch, fr: ""}` in data/programme.yml passed: the French agenda showed `Lunch`, and
    an empty `en:` a row with no name. A `what:` may be empty (lunch has nothing to describe)."""
    from terrain.schemas import PROGRAMME

    text = 'slots:\n  lunch: {kind: lunch, minutes: 60, label: {en: Lunch, fr: ""}, what: {en: ""}}\ndays: [{day: 1, start: "08:30", end: "17:00", sequence: [lunch]}]\n'
    data, lines, _ = yamlfile.parse(text, "data/programme.yml")
    problems = yamlfile.validate(data, PROGRAMME, "data/programme.yml", lines)
    assert [p.message.split(":")[0] for p in problems] == ["slots.lunch.label.fr"]  # what: may be empty


def test_a_value_after_a_local_tag_is_kept():
    """`!Attention` is a YAML tag: the title was `!Attention`, without a word about the rest."""
    data, _, problems = yamlfile.parse("title: !Attention au mercure\nicon: !relative\n", "p.md")
    assert problems == [] and data == {"title": "!Attention au mercure", "icon": "!relative"}


def test_a_text_yaml_reads_as_syntax_is_told_to_go_in_quotes():
    """`title: Titre: sous-titre`, `summary: @partenaires…`, `title: *Urgent*`, `title: [Brouillon] Titre`
    were told to "check the indentation and the colons", which are right: the fix is the quotes."""
    cases = {
        "Titre: sous-titre": 'title: "Titre: sous-titre"',
        "@partenaires du projet": 'title: "@partenaires du projet"',
        "*Urgent* le mercure": 'title: "*Urgent* le mercure"',
        '[Brouillon] Le "bon" titre': 'title: "[Brouillon] Le \\"bon\\" titre"',
    }
    for value, fix in cases.items():
        _, _, problems = yamlfile.parse(f"title: {value}\nsummary: A summary of the page.\n", "p.md", first_line=2)
        assert [(p.line, p.rule) for p in problems] == [(2, "yaml-syntax")] and fix in problems[0].message, problems
    _, _, problems = yamlfile.parse("title: {en: Cards: x}\n", "cards.yml")  # not a text: no quotes
    assert "double quotes" not in problems[0].message


def test_a_comment_glued_to_its_word_is_a_problem_not_a_silent_cut():
    """`title: Fiche #3` is the title `Fiche`: YAML drops ` #3` as a comment."""
    text = "title: Fiche #3\nsummary: A summary of the page.  # a comment\nsteps:\n  - étape #2 du plan\n"
    data, _, problems = yamlfile.parse(text, "p.md", first_line=2)
    assert [(p.line, p.rule) for p in problems] == [(2, "yaml-syntax"), (5, "yaml-syntax")]
    assert data["title"] == "Fiche" and "`Fiche`" in problems[0].message
    _, _, problems = yamlfile.parse('title: "Fiche #3"\nsummary: a#b\n', "p.md")
    assert problems == []


def test_an_empty_data_file_is_said_to_be_empty_with_how_to_restore_it():
    from terrain.schemas import MATERIALS, TERMBASE

    for schema in (TERMBASE, MATERIALS):
        data, lines, problems = yamlfile.parse("# only a comment\n", "data/x.yml")
        assert data is None and problems == []
        [problem] = yamlfile.validate(data, schema, "data/x.yml", lines)
        assert problem.line == 1 and "the file is empty" in problem.message, problem
        assert "git checkout -- data/x.yml" in problem.message


def test_a_reading_whose_address_holds_parentheses_links_to_the_whole_address():
    """`https://en.wikipedia.org/wiki/Mercury_(element)` in data/readings.yml: Markdown ended the
    link at the first `)`, so the page linked to `…Mercury_(element` followed by a stray `)`."""
    import markdown

    project = Project.load(ROOT)
    ctx = render.Context(project, project.default_language, "docs/readings.md")
    url = "https://en.wikipedia.org/wiki/Mercury_(element)"
    entry = {"id": "x", "authors": ["A B"], "title": "Mercury", "url": url, "language": project.default_language}
    html = markdown.markdown(render.reading_line(ctx, entry))
    assert 'href="https://en.wikipedia.org/wiki/Mercury_%28element%29"' in html, html
    assert "Mercury</em></a>." in html, html  # nothing of the address left over after the link


def test_lines_ended_by_a_lone_carriage_return_or_a_nel_are_counted_as_yaml_counts_them():
    """YAML ends a line at CR, NEL, LS and PS too: looking up a line by splitting at LF alone
    crashed (IndexError) on an old Mac file with a glued comment, or a syntax error on its last line."""
    for breaking in ("\r", "\x85", "\u2028"):
        _, _, problems = yamlfile.parse(breaking.join(["a: x", "b: y #3", "c: z", ""]), "f.yml")
        assert [(p.line, p.rule) for p in problems] == [(2, "yaml-syntax")]
        _, _, problems = yamlfile.parse(breaking.join(["a: x", "\tb: [", ""]), "f.yml")
        assert problems and problems[0].rule == "yaml-syntax"


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
