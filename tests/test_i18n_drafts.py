"""A language in progress (issue 15): drafts never block, are published as the default
language's page and never printed as translated; structure breaks and text still in the
default language are reported at their line; `i18n diff` works without git.

A test-only language, `qa` (no language has this ISO 639-1 code; the three-letter codes
ISO 639 reserves for local use, qaa–qtz, are refused by mkdocs-static-i18n), is added to a copy of
the project, so every test also runs with one more language configured; when the project already
has `qa` (a third language added to try the suite), the test language is the next free code, `qb`.
Tests of translated pages run once per configured language, on a page of it that is translated.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from terrain.project import read_page

from conftest import LANGUAGES, language_tag, mkdocs_build, terrain

# no language has these ISO 639-1 codes (`qu` is Quechua); mkdocs-static-i18n accepts two letters only
TEST_LANGUAGE = next(code for code in ("qa", "qb", "qc", "qd") if code not in LANGUAGES)


@pytest.fixture
def with_test_language(project_copy) -> Path:
    """The project copy with the test language added by `terrain i18n new`, as a translator would."""
    result = terrain(project_copy, "i18n", "new", TEST_LANGUAGE, "--name", "Test language")
    assert result.returncode == 0, result.stderr
    return project_copy


def languages(root: Path) -> list[str]:
    from terrain.project import site_languages

    return site_languages(root)


def translated(root: Path) -> list[str]:
    return languages(root)[1:]


def first_unit_page(root: Path, lang: str) -> Path:
    return sorted(root.glob(f"modules/*/index.{lang}.md"))[3]


def is_draft(page: Path, root: Path, lang: str) -> bool:
    return read_page(page, root, lang)[0].translation.get("status") == "draft"


def translated_unit_page(root: Path, lang: str) -> Path:
    """The fourth module's page in `lang`, or the next one that is translated: a draft (the default
    language's text, `terrain i18n new`) has no translation to test; a language with none is skipped."""
    pages = sorted(root.glob(f"modules/*/index.{lang}.md"))
    page = next((p for p in pages[3:] + pages[:3] if not is_draft(p, root, lang)), None)
    if page is None:
        pytest.skip(f"no module page is translated into {lang} yet: every one is a draft")
    return page


def set_status(path: Path, status: str) -> None:
    path.write_text(
        re.sub(r"status: \w+", f"status: {status}", path.read_text(encoding="utf-8"), count=1), encoding="utf-8"
    )


def test_a_language_in_progress_checks_clean_at_each_step(with_test_language):
    root = with_test_language
    ui = root / "data/ui" / f"{TEST_LANGUAGE}.yml"
    text = ui.read_text(encoding="utf-8")
    # step 1 of the checklist: the section headings of modules and worksheets are translated
    text = re.sub(r"^(  (?:objectives|messages|purpose|form|instructions): )(.*)$", r"\1QA \2", text, flags=re.M)
    ui.write_text(text, encoding="utf-8")
    # step 2: an abbreviation gets its own term, and the termbase forbids the English one
    glossary = root / "data/glossary.yml"
    glossary.write_text(
        re.sub(
            rf'(  {TEST_LANGUAGE}:  # draft: translate from {LANGUAGES[0]}\n    term: )"ASM"',
            r'\1"QAASM"',
            glossary.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    (root / "data/terms" / f"{TEST_LANGUAGE}.yml").write_text(
        "- id: asm\n  preferred: QAASM\n  forbidden: [ASM]\n  glossary: asm\n", encoding="utf-8"
    )
    check = terrain(root, "check")
    assert check.returncode == 0, check.stderr[-3000:]
    assert f"draft page(s) in {TEST_LANGUAGE} left to translate" in check.stderr


@pytest.mark.parametrize("lang", [*LANGUAGES[1:], TEST_LANGUAGE])
def test_a_broken_table_and_an_unclosed_answer_are_reported_at_their_line(with_test_language, lang):
    root = with_test_language
    assert lang in translated(root)
    page = first_unit_page(root, lang)
    set_status(page, "current")
    lines = page.read_text(encoding="utf-8").split("\n")
    rule = next(
        i
        for i, line in enumerate(lines)
        if re.fullmatch(r"\|(\s*:?-+:?\s*\|){2,}", line.strip()) and lines[i - 1].startswith("|")
    )
    lines[rule] = "|" + "---|" * (lines[rule].count("|") - 2)
    closing = next(i for i, line in enumerate(lines) if line.strip() == "</details>")
    del lines[closing]
    page.write_text("\n".join(lines), encoding="utf-8")
    opening = max(i for i in range(closing) if "<details" in lines[i])
    out = terrain(root, "check").stderr
    name = page.relative_to(root).as_posix()
    assert f"{name}:{rule + 1}: the table's separator row has" in out, out[-2000:]
    assert f"{name}:{opening + 1}: this `<details>` is never closed" in out, out[-2000:]


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_english_pasted_into_a_marked_page_is_reported_and_mark_refuses_it(project_copy, lang):
    default = LANGUAGES[0]
    page = translated_unit_page(project_copy, lang)
    source = page.with_name(f"index.{default}.md")
    english = next(b for b in source.read_text(encoding="utf-8").split("\n\n") if len(b) > 200 and b[0].isalpha())
    lines = page.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("## ") and i > 5) + 2
    lines[at:at] = [english, ""]
    page.write_text("\n".join(lines), encoding="utf-8")
    name = page.relative_to(project_copy).as_posix()
    check = terrain(project_copy, "check")
    assert f"{name}:{at + 1}: this paragraph is still in the English" in check.stderr, check.stderr[-2000:]
    mark = terrain(project_copy, "i18n", "mark", lang, name)
    assert mark.returncode == 1 and f"(lines {at + 1})" in mark.stderr, mark.stderr
    status = terrain(project_copy, "i18n", "status")
    assert f"{name}:{at + 1}: paragraph still in {default}" in status.stdout


def test_mark_without_a_path_refuses(project_copy):
    for lang in translated(project_copy):
        result = terrain(project_copy, "i18n", "mark", lang)
        assert result.returncode == 2 and "name the files or folders" in result.stderr


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_diff_shows_what_changed_in_the_english_without_git(project_copy, lang):
    assert not (project_copy / ".git").exists()
    page = translated_unit_page(project_copy, lang)
    name = page.relative_to(project_copy).as_posix()
    mark = terrain(project_copy, "i18n", "mark", lang, name)
    assert mark.returncode == 0, mark.stderr[-2000:]
    store = json.loads((project_copy / "data/translated-from" / f"{lang}.json").read_text(encoding="utf-8"))
    assert any(key.endswith("/index.md") for key in store)
    source = page.with_name(f"index.{LANGUAGES[0]}.md")
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*)$", r"title: \1 revised", text, count=1, flags=re.M)
    lines = text.split("\n")
    body = lines.index("---", 1) + 1
    changed = next(i for i, line in enumerate(lines) if i > body and len(line) > 120 and line[0].isalpha())
    lines[changed] = lines[changed].replace(" ", " really ", 1)
    source.write_text("\n".join(lines), encoding="utf-8")
    status = terrain(project_copy, "i18n", "status")
    assert f"outdated {name}" in status.stdout
    diff = terrain(project_copy, "i18n", "diff", lang, name)
    assert diff.returncode == 0, diff.stderr
    assert "the title changed" in diff.stdout and "revised" in diff.stdout
    assert f"{source.name}:{changed + 1}: changed:" in diff.stdout, diff.stdout


def test_diff_of_a_draft_says_there_is_nothing_to_compare_yet(with_test_language):
    """A draft was never marked: `i18n diff` says so and what to do, not that it was marked long ago."""
    root = with_test_language
    page = first_unit_page(root, TEST_LANGUAGE)
    name = page.relative_to(root).as_posix()
    diff = terrain(root, "i18n", "diff", TEST_LANGUAGE, name)
    assert diff.returncode != 0
    assert f"{name} is a draft, never marked" in diff.stderr, diff.stderr
    assert "was marked before" not in diff.stderr
    assert f"terrain i18n mark {TEST_LANGUAGE} {name}" in diff.stderr


def test_the_checklist_commits_every_file_a_new_language_changes_and_names_the_picture_cards(project_copy):
    """What `i18n new` creates or changes is all inside the checklist's `git add`, so no part of a language is lost."""

    def digest(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    before = digest(project_copy)
    result = terrain(project_copy, "i18n", "new", TEST_LANGUAGE, "--name", "Test language")
    assert result.returncode == 0, result.stderr
    after = digest(project_copy)
    changed = sorted(name for name in after if before.get(name) != after[name])
    assert "mkdocs.yml" in changed
    add = re.search(r"`git add ([^;`]+)", result.stdout)
    assert add, result.stdout
    paths = add.group(1).split()
    assert all(any(name == p or name.startswith(p.rstrip("/") + "/") for p in paths) for name in changed), (
        paths,
        changed,
    )
    if any(project_copy.glob("modules/*/cards.yml")):
        assert "cards.yml" in result.stdout


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_a_hash_written_by_hand_is_caught_so_diff_never_shows_old_changes(project_copy, lang):
    """Marking by hand (the new English's hash typed into the translation) leaves the record of an older
    English: `check` names the line and the command that records the text the page now matches."""
    from terrain.project import body_hash, read_page

    default = LANGUAGES[0]
    page = translated_unit_page(project_copy, lang)
    name = page.relative_to(project_copy).as_posix()
    assert terrain(project_copy, "i18n", "mark", lang, name).returncode == 0
    source = page.with_name(f"index.{default}.md")
    lines = source.read_text(encoding="utf-8").split("\n")
    changed = next(i for i, line in enumerate(lines) if i > 8 and len(line) > 120 and line[0].isalpha())
    lines[changed] = lines[changed].replace(" ", " really ", 1)
    source.write_text("\n".join(lines), encoding="utf-8")
    new_hash = body_hash(read_page(source, project_copy, default)[0].body)
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"source_hash: '?\w+'?", f"source_hash: '{new_hash}'", text, count=1), encoding="utf-8")
    line = text.split("\n").index(next(l for l in text.split("\n") if "source_hash:" in l)) + 1
    out = terrain(project_copy, "check").stderr
    assert (
        f"{name}:{line}: `source_hash` is today's {default} text, but data/translated-from/{lang}.json keeps an older one"
        in out
    ), out[-2000:]
    assert f"run `terrain i18n mark {lang} {name}`" in out
    assert terrain(project_copy, "i18n", "mark", lang, name).returncode == 0
    assert "source_hash" not in terrain(project_copy, "check").stderr


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_only_the_title_changing_makes_a_translation_out_of_date(project_copy, lang):
    page = translated_unit_page(project_copy, lang)
    name = page.relative_to(project_copy).as_posix()
    assert terrain(project_copy, "i18n", "mark", lang, name).returncode == 0
    source = page.with_name(f"index.{LANGUAGES[0]}.md")
    source.write_text(
        re.sub(r"^summary: (.*)$", r"summary: \1 Now longer.", source.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    assert f"outdated {name}" in terrain(project_copy, "i18n", "status").stdout


def test_language_codes_with_a_country_are_accepted(project_copy):
    assert terrain(project_copy, "i18n", "new", "pt-MZ", "--name", "Português (Moçambique)").returncode == 0
    assert "pt-MZ" in languages(project_copy)
    check = terrain(project_copy, "check")
    assert check.returncode == 0, check.stderr[-2000:]
    assert terrain(project_copy, "i18n", "new", "PT_mz").returncode == 2


def test_a_new_language_gets_the_menu_titles_to_translate_in_mkdocs_yml(with_test_language):
    import yaml

    from terrain.project import Project
    from terrain.site import nav

    config = yaml.safe_load((with_test_language / "mkdocs.yml").read_text(encoding="utf-8"))
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    block = next(lang for lang in i18n["languages"] if lang["locale"] == TEST_LANGUAGE)
    titles = [title for section in nav(Project.load(with_test_language)) for title in section]
    assert titles and block["nav_translations"] == {title: title for title in titles}


@pytest.mark.slow
def test_a_draft_is_published_as_the_default_language_and_kept_out_of_search(with_test_language):
    root = with_test_language
    begun = sorted(root.glob(f"modules/*/index.{TEST_LANGUAGE}.md"))[0]  # a draft whose title is translated already
    begun.write_text(
        re.sub(r"^title: .*$", "title: Begun draft title", begun.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    # the translator translates a title of the menu (checklist step 4), and only that language shows it
    mkdocs = root / "mkdocs.yml"
    head, block = mkdocs.read_text(encoding="utf-8").split(f"- locale: {TEST_LANGUAGE}\n")
    mkdocs.write_text(
        head + f"- locale: {TEST_LANGUAGE}\n" + block.replace("Worksheets: Worksheets", "Worksheets: QA Worksheets", 1),
        encoding="utf-8",
    )
    build = mkdocs_build(root, root / "site")
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    default = languages(root)[0]
    for lang in translated(root):
        pages = {p.parent.name: p for p in root.glob(f"modules/*/index.{lang}.md")}
        drafts = {slug for slug, p in pages.items() if is_draft(p, root, lang)}
        assert lang != TEST_LANGUAGE or drafts == set(pages), "`terrain i18n new` makes every page a draft"
        index = json.loads((root / "site" / lang / "search/search_index.json").read_text(encoding="utf-8"))
        found = {doc["location"].split("/")[1] for doc in index["docs"] if doc["location"].startswith("modules/")}
        assert not drafts & found, f"draft pages of {lang} are in its search index"
        for slug in sorted(drafts)[:2]:
            html = (root / "site" / lang / "modules" / slug / "index.html").read_text(encoding="utf-8")
            assert f'<html lang="{language_tag(lang, root)}"' in html
            assert f'<article class="md-content__inner md-typeset" lang="{default}">' in html
            assert f'class="admonition warning terrain-untranslated" lang="{language_tag(lang, root)}"' in html
        for slug in sorted(set(pages) - drafts):
            html = (root / "site" / lang / "modules" / slug / "index.html").read_text(encoding="utf-8")
            assert "terrain-untranslated" not in html, f"the translated {lang} page of {slug} is shown as untranslated"
            assert f'<article class="md-content__inner md-typeset" lang="{default}">' not in html
    menus = {lang: root / "site" / lang / "index.html" for lang in translated(root)}
    menus[default] = root / "site" / "index.html"
    for lang, page in menus.items():
        assert ("QA Worksheets" in page.read_text(encoding="utf-8")) == (lang == TEST_LANGUAGE), lang
    shown = (root / "site" / TEST_LANGUAGE / "modules" / begun.parent.name / "index.html").read_text(encoding="utf-8")
    assert "Begun draft title" not in shown  # the English page is shown under its English title, in its English article
    english_title = re.search(
        r"^title: (.*)$", begun.with_name(f"index.{default}.md").read_text(encoding="utf-8"), re.M
    )
    assert english_title and f"<h1>{english_title.group(1)}</h1>" in shown
    home = (root / "site" / TEST_LANGUAGE / "index.html").read_text(encoding="utf-8")
    menu = re.search(rf'<a ([^>]*)href="modules/{begun.parent.name}/index\.html" class="md-nav__link', home)
    assert menu and f'lang="{default}"' in menu.group(1), "the menu names a draft in its own language"
    assert f'data-md-component="header-topic" lang="{default}"' in shown  # the title in the header too


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_a_translator_is_told_where_and_never_to_change_module_yml(project_copy, lang):
    page = translated_unit_page(project_copy, lang)
    name = page.relative_to(project_copy).as_posix()
    lines = page.read_text(encoding="utf-8").split("\n")
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    removed, following = headings[2], headings[3]
    del lines[removed]
    # a session-plan row dropped: the first row of minutes after the plan's heading
    plan_row = next(i for i in range(headings[3] - 1, len(lines)) if re.match(r"^\|\s*\d+\s*\|", lines[i]))
    del lines[plan_row]
    page.write_text("\n".join(lines), encoding="utf-8")
    out = terrain(project_copy, "check").stderr
    assert f"{name}:{following}: section(s) missing" in out, out[-2000:]
    assert "change the duration" not in out and "keep every row of its session plan" in out, out[-2000:]


def test_a_misspelt_language_block_in_the_glossary_is_named(project_copy):
    lang = translated(project_copy)[0]
    glossary = project_copy / "data/glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace(f"\n  {lang}:", "\n  zz:", 1), encoding="utf-8")
    line = text[: text.index(f"\n  {lang}:")].count("\n") + 2  # the misspelt block's own line
    out = terrain(project_copy, "check").stderr
    assert f"data/glossary.yml:{line}: the term" in out, out[-2000:]
    assert f"has no `{lang}:` block (it has a `zz:` block: is that `{lang}:` misspelt?)" in out, out[-2000:]


def test_a_misspelt_language_of_a_reading_note_is_named_at_its_line(project_copy):
    lang = translated(project_copy)[0]
    readings = project_copy / "data/readings.yml"
    text = readings.read_text(encoding="utf-8")
    at = re.search(rf"^    {lang}: ", text, flags=re.M)
    assert at, text[:2000]
    readings.write_text(text[: at.start()] + "    zz: " + text[at.end() :], encoding="utf-8")
    line = text[: at.start()].count("\n") + 1
    out = terrain(project_copy, "check").stderr
    assert f"data/readings.yml:{line}: the reading" in out, out[-2000:]
    assert f"has no `note: {{{lang}: …}}` (it has a `zz:` note: is that `{lang}:` misspelt?)" in out, out[-2000:]


def test_picture_cards_not_yet_translated_are_never_printed_as_the_new_language(with_test_language):
    """Cards still in the default language get no PDF of the new language (its Downloads row offers the
    default language's, marked: tests/test_cards.py), never a PDF that says it is in that language and
    holds the default language's words; an older one is removed."""
    from terrain.cards import build_cards, cards_pdf_name
    from terrain.project import Project

    project = Project.load(with_test_language)
    all_sets, _ = project.cards
    assert all_sets
    stale = project.downloads / TEST_LANGUAGE / f"{cards_pdf_name(project.modules[next(iter(all_sets))])}.pdf"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"%PDF-1.7 an older print")
    problems: list = []
    written = build_cards(project, TEST_LANGUAGE, None, problems)  # nothing to compile: no compiler needed
    assert written == [] and not stale.exists()
    assert not [p for p in problems if p.severity == "error"], problems


def test_the_print_covers_licence_line_is_an_interface_string_to_translate(with_test_language):
    """The licence sentence on the print edition's cover comes from data/ui/LANG.yml, so a new language lists it
    as still in the default language instead of printing it in that language silently."""
    status = terrain(with_test_language, "i18n", "status").stdout
    default = languages(with_test_language)[0]
    assert re.search(rf"data/ui/{TEST_LANGUAGE}\.yml:\d+: `labels\.licence` still in {default}", status), status[-3000:]


def test_cards_still_to_translate_are_listed_by_check_and_not_before_every_answer(with_test_language):
    """With a new language, every card is still to translate: `check` names each, `i18n mark` and `status`
    give their own answer without a screenful of card lines before it."""
    root = with_test_language
    check = terrain(root, "check")
    assert f"no `{TEST_LANGUAGE}:` text yet" in check.stderr  # "has" for one text, "have" for more
    for args in (["i18n", "status"], ["i18n", "mark", TEST_LANGUAGE, "modules"]):
        result = terrain(root, *args)
        assert "text yet" not in result.stderr, result.stderr[:2000]
    refused = terrain(root, "i18n", "mark", TEST_LANGUAGE, "modules").stderr
    assert refused.lstrip().startswith("modules/"), refused[:500]  # the refusal itself comes first


def test_status_piped_into_head_ends_quietly(with_test_language):
    process = subprocess.Popen(
        [sys.executable, "-m", "terrain.cli", "--root", str(with_test_language), "i18n", "status"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate()
    assert "Traceback" not in err, err[-2000:]


def test_a_glossary_definition_left_in_english_is_reported_once_its_draft_mark_is_removed(with_test_language):
    root = with_test_language
    glossary = root / "data/glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    assert terrain(root, "check").returncode == 0
    glossary.write_text(
        text.replace(f"  {TEST_LANGUAGE}:  # draft: translate from en\n", f"  {TEST_LANGUAGE}:\n", 1), encoding="utf-8"
    )
    check = terrain(root, "check")
    assert check.returncode == 1 and "definition still in en — translate it" in check.stderr, check.stderr[-2000:]


def test_a_quotation_mark_inside_a_quoted_definition_is_named_at_its_line(project_copy):
    glossary = project_copy / "data/glossary.yml"
    lines = glossary.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith('    definition: "') and i > 5)
    lines[at] = lines[at][:-1] + ' "cited" here"'
    glossary.write_text("\n".join(lines), encoding="utf-8")
    out = terrain(project_copy, "check").stderr
    assert (
        f'data/glossary.yml:{at + 1}: a `"` inside a value written in double quotes ends the value too early' in out
    ), out[-2000:]
    # the glossary did not load: the termbases' links to it are not reported as broken, one by one
    assert "names no entry of data/glossary.yml" not in out, out[-2000:]


def test_a_renamed_or_deleted_worksheet_heading_is_reported_where_it_belongs(project_copy):
    from terrain.project import Project

    project = Project.load(project_copy)
    for lang in project.languages:
        page = sorted(project_copy.glob(f"worksheets/*/index.{lang}.md"))[0]
        if lang != project.default_language and is_draft(page, project_copy, lang):
            continue  # a draft's structure is checked once it is marked (test_a_language_in_progress…)
        name = page.relative_to(project_copy).as_posix()
        lines = page.read_text(encoding="utf-8").split("\n")
        headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
        first, second = (
            project.text(lang, "worksheet_sections", "purpose"),
            project.text(lang, "worksheet_sections", "when"),
        )
        assert lines[headings[0]] == f"## {first}" and lines[headings[1]] == f"## {second}"
        lines[headings[0]] = "## Renamed heading"  # renamed: named at its own line
        del lines[headings[1]]  # deleted: named at the line of the heading that follows it
        page.write_text("\n".join(lines), encoding="utf-8")
        out = terrain(project_copy, "check").stderr
        assert (
            f"{name}:{headings[0] + 1}: the worksheet lacks its `## {first}` section (is `## Renamed heading` that section?"
            in out
        ), out[-2000:]
        assert f"{name}:{headings[2]}: the worksheet lacks its `## {second}` section" in out, out[-2000:]


def test_a_forbidden_variant_that_is_the_preferred_term_is_named_in_the_termbase(project_copy):
    for lang in translated(project_copy):
        terms = project_copy / "data/terms" / f"{lang}.yml"
        terms.write_text(
            "- id: same\n  en: word\n  preferred: Terrainword\n  forbidden: [Terrainword]\n  why: a slip\n  scope: everywhere\n",
            encoding="utf-8",
        )
        out = terrain(project_copy, "check").stderr
        assert f"data/terms/{lang}.yml:4: the forbidden variant `Terrainword` matches the preferred term" in out, out[
            -2000:
        ]
        assert "— use 'Terrainword'" not in out


# ---- what a draft shows in another language than its own is labelled so (issue 15) ---------------


def translate_glossary_entry(root: Path, lang: str) -> tuple[str, str]:
    """Translate the first glossary block of `lang` still marked `# draft`, as a translator would
    (text written, mark removed); its id and new term."""
    path = root / "data" / "glossary.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(rf"^  {lang}:\s*#\s*draft", line))
    entry = next(lines[i] for i in range(start, -1, -1) if lines[i].startswith("- id:")).split(":", 1)[1].strip()
    term = f"Translatedterm {lang}"
    lines[start] = f"  {lang}:"
    for i in range(start + 1, len(lines)):
        if not lines[i].startswith("    "):
            break
        key = lines[i].strip().split(":", 1)[0]
        lines[i] = f'    {key}: "{term}"' if key == "term" else f'    {key}: "Words of the {lang} language for {key}."'
    path.write_text("\n".join(lines), encoding="utf-8")
    return entry, term


def rendered(markdown_text: str) -> str:
    """Markdown as the site renders the parts tested here (callouts, Markdown inside HTML blocks)."""
    import markdown

    return markdown.markdown(markdown_text, extensions=["admonition", "md_in_html", "attr_list", "tables"])


def lang_of(html: str, text: str) -> str:
    """The `lang` of the innermost element around `text` that has one ('' when none has)."""
    from html.parser import HTMLParser

    class Finder(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.found: str | None = None

        def handle_starttag(self, tag, attrs):
            if tag not in ("br", "hr", "img", "input"):
                self.stack.append(dict(attrs).get("lang") or "")

        def handle_endtag(self, tag):
            if tag not in ("br", "hr", "img", "input") and self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if self.found is None and text in data:
                self.found = next((lang for lang in reversed(self.stack) if lang), "")

    finder = Finder()
    finder.feed(html)
    assert finder.found is not None, f"{text!r} is not on the page"
    return finder.found


def test_a_draft_lists_and_its_translated_glossary_entries_carry_their_own_language(with_test_language):
    """A draft glossary page is the default language's article: the entries already translated carry
    their own `lang`; a list of pages (home page's modules, worksheets) names a draft under the title
    the draft's page shows, the default language's, with that `lang`, never under a title begun."""
    from terrain import site
    from terrain.project import Project

    root = with_test_language
    default = languages(root)[0]
    begun = first_unit_page(root, TEST_LANGUAGE)
    begun.write_text(
        re.sub(r"^title: .*$", "title: Begun draft title", begun.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    translated_terms = {lang: translate_glossary_entry(root, lang)[1] for lang in [TEST_LANGUAGE]}
    project = Project.load(root)
    for lang in translated(root):
        glossary = project.docs["glossary.md"][lang]
        home = project.docs["index.md"][lang]
        page = rendered(site.page_markdown(glossary.path.read_text(encoding="utf-8"), f"glossary.{lang}.md", project))
        if glossary.translation.get("status") == "draft":
            assert 'class="admonition warning terrain-untranslated"' in page
            if lang in translated_terms:
                assert lang_of(page, translated_terms[lang]) == lang, page[:3000]
            english = project.glossary[0][default]["term"]
            assert lang_of(page, english) in ("", default)  # an entry still in the default language is as its article
        front = rendered(site.page_markdown(home.path.read_text(encoding="utf-8"), f"index.{lang}.md", project))
        for unit in project.modules.values():
            own = unit.pages.get(lang)
            if own is not None and own.translation.get("status") == "draft":
                assert own.title not in front or own.title == unit.pages[default].title, (lang, own.title)
                link = re.search(rf'<a href="[^"]*{unit.slug}/index\.md">(.*?)</a>', front, re.S)
                assert link and link.group(1).startswith(f'<span lang="{default}">'), (lang, unit.slug, link)
    assert "Begun draft title" not in rendered(
        site.page_markdown(
            project.docs["index.md"][TEST_LANGUAGE].path.read_text(encoding="utf-8"),
            f"index.{TEST_LANGUAGE}.md",
            project,
        )
    )


def test_a_local_note_in_the_editions_language_on_a_draft_carries_its_language(with_test_language, monkeypatch):
    """A country note written in the edition's language sits in a draft's article of the default
    language: it says which language it is in."""
    from terrain import countries, site
    from terrain.project import Project

    root = with_test_language
    folder = root / "countries" / "xa"
    (folder / "notes").mkdir(parents=True)
    names = "\n".join(f"  {l}: Test country {l} (fictional)" for l in languages(root))
    edition_languages = translated(root)
    (folder / "country.yml").write_text(
        f"name:\n{names}\nlanguages: [{', '.join(edition_languages)}]\n", encoding="utf-8"
    )
    for lang in edition_languages:
        (folder / f"profile.{lang}.md").write_text(
            "---\ntitle: Test country profile\nsummary: The profile of a fictional country, for the tests only.\n---\n\n## Mining\n\nFictional.\n",
            encoding="utf-8",
        )
        (folder / "notes" / f"04-formalisation.{lang}.md").write_text(
            f"Local note in {lang}, fictional.\n", encoding="utf-8"
        )
    project = Project.load(root)
    country, problems = countries.load(project, "xa")
    assert country is not None, problems
    monkeypatch.setitem(site._state, "country", country)
    for lang in edition_languages:
        page = project.modules["04-formalisation"].pages[lang]
        out = rendered(
            site.page_markdown(
                page.path.read_text(encoding="utf-8"), f"modules/04-formalisation/index.{lang}.md", project
            )
        )
        assert lang_of(out, f"Local note in {lang}, fictional.") == lang, out[:2000]


def test_the_language_is_named_as_inside_a_sentence_in_the_notice(with_test_language):
    """`{language}` in a notice is the name as written mid-sentence (`language_in_sentence`), which
    `terrain i18n new` sets to the given name until the translator writes it."""
    from terrain.project import Project
    from terrain.render import Context, untranslated_notice

    root = with_test_language
    ui = root / "data" / "ui" / f"{TEST_LANGUAGE}.yml"
    assert re.search(r'^language_in_sentence: "Test language"', ui.read_text(encoding="utf-8"), re.M)
    ui.write_text(
        re.sub(
            r"^language_in_sentence: .*$",
            "language_in_sentence: testlanguage",
            ui.read_text(encoding="utf-8"),
            count=1,
            flags=re.M,
        ),
        encoding="utf-8",
    )
    assert terrain(root, "check").returncode == 0
    project = Project.load(root)
    for lang in translated(root):
        notice = untranslated_notice(Context(project, lang, "index.md"))
        in_sentence = project.ui[lang]["language_in_sentence"]
        assert in_sentence in notice, notice
        if in_sentence != project.ui[lang]["language_name"]:
            assert project.ui[lang]["language_name"] not in notice, notice


def test_status_lists_the_picture_cards_still_to_translate_with_file_and_line(with_test_language):
    status = terrain(with_test_language, "i18n", "status")
    for lang in translated(with_test_language):
        cards = [
            line
            for line in status.stdout.splitlines()
            if re.match(rf"\s+modules/[^/]+/cards\.yml:\d+: .* no `{lang}:` text yet", line)
        ]
        check = [
            line
            for line in terrain(with_test_language, "check").stderr.splitlines()
            if f"no `{lang}:` text yet" in line
        ]
        assert len(cards) == len(check), (cards, check)
    assert any(f"no `{TEST_LANGUAGE}:` text yet" in line for line in status.stdout.splitlines())


def test_a_string_the_default_language_gains_never_blocks_a_language_in_progress(with_test_language):
    """The core team adds a key to data/ui/en.yml after a translator began: while data/ui/LANG.yml is
    still `# DRAFT`, check names the missing key as a reminder and passes, status lists it; the site
    shows it in the default language meanwhile."""
    from terrain.project import Project

    root = with_test_language
    ui = root / "data" / "ui" / f"{TEST_LANGUAGE}.yml"
    text = ui.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT")
    line = next(l for l in text.split("\n") if l.startswith("  print_date:"))
    ui.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")
    check = terrain(root, "check")
    assert check.returncode == 0, check.stderr[-2000:]
    reminder = f"data/ui/{TEST_LANGUAGE}.yml"
    assert any(reminder in l and "`labels.print_date`" in l for l in check.stderr.split("\n")), check.stderr[-2000:]
    assert "`labels.print_date`" in terrain(root, "i18n", "status").stdout
    project = Project.load(root)
    assert project.text(TEST_LANGUAGE, "labels", "print_date") == project.text(LANGUAGES[0], "labels", "print_date")
    ui.write_text(ui.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # no longer a draft: blocks
    blocked = terrain(root, "check")
    assert blocked.returncode != 0 and "the key `labels.print_date` of data/ui/" in blocked.stderr
