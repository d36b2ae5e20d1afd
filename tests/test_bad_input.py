"""Each fault a writer or translator may make is caught by `terrain check` and by `mkdocs build`,
named with its file (and line where there is one), and leaves the sources unchanged."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import mkdocs_build, terrain

M1 = "modules/01-understanding-asm"
LIM = "worksheets/leverage-incentives-matrix"


def _replace(path: str, old: str, new: str, count: int = 1):
    def apply(root: Path):
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found in {path}: {old!r}"
        file.write_text(text.replace(old, new, count), encoding="utf-8")

    return apply


def _append(path: str, text: str):
    def apply(root: Path):
        with (root / path).open("a", encoding="utf-8") as f:
            f.write(text)

    return apply


def _delete(path: str):
    return lambda root: (root / path).unlink()


def _first_reading(root: Path) -> str:
    return re.search(r"^- id: (\S+)", (root / "data/readings.yml").read_text(encoding="utf-8"), re.M).group(1)


def _duplicate_reading(root: Path):
    rid = _first_reading(root)
    with (root / "data/readings.yml").open("a", encoding="utf-8") as f:
        f.write(
            f"\n- id: {rid}\n  authors: [Someone]\n  title: A second entry with the same id\n  language: en\n  type: report\n"
        )


def _drop_french_section(root: Path):
    file = root / M1 / "index.fr.md"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("## Questions pour la discussion", "### Questions pour la discussion", 1), encoding="utf-8"
    )


def _glossary_without_french(root: Path):
    with (root / "data/glossary.yml").open("a", encoding="utf-8") as f:
        f.write("\n- id: zz-test-term\n  en:\n    term: ZZT\n    definition: A term that only exists in English.\n")


FAULTS = {
    # name: (change, file named in the message, line expected?, words of the message)
    "broken link": (
        _append(f"{M1}/index.en.md", "\nSee [the missing module](../99-nowhere/index.md).\n"),
        f"{M1}/index.en.md",
        True,
        "does not exist",
    ),
    "broken anchor": (
        _append(f"{M1}/index.en.md", "\nSee [the objectives](#no-such-heading).\n"),
        f"{M1}/index.en.md",
        True,
        "anchor",
    ),
    "missing French module page": (_delete(f"{M1}/index.fr.md"), f"{M1}/index.fr.md", False, "no Français page"),
    "missing French worksheet page": (_delete(f"{LIM}/index.fr.md"), f"{LIM}/index.fr.md", False, "no Français page"),
    "missing French docs page": (_delete("docs/about.fr.md"), "docs/about.fr.md", False, "no fr version"),
    "unknown reading id": (
        _replace(f"{M1}/module.yml", "readings: [", "readings: [no-such-reading, "),
        f"{M1}/module.yml",
        True,
        "no-such-reading",
    ),
    "duplicate reading id": (_duplicate_reading, "data/readings.yml", True, "used twice"),
    "malformed YAML": (
        _replace(f"{M1}/module.yml", "duration:", "duration: [unclosed\nx:"),
        f"{M1}/module.yml",
        True,
        "cannot be read",
    ),
    "bad URL": (
        _append(f"{M1}/index.en.md", "\nRead [the atlas](http://example.org/atlas).\n"),
        f"{M1}/index.en.md",
        True,
        "http://",
    ),
    "worksheet named but missing": (
        _replace(f"{M1}/module.yml", "worksheets: [", "worksheets: [no-such-sheet, "),
        f"{M1}/module.yml",
        True,
        "no-such-sheet",
    ),
    "durations that do not add up": (
        _replace(f"{M1}/module.yml", "duration: 120", "duration: 125"),
        f"{M1}/index.en.md",
        True,
        "adds up to 120",
    ),
    "English term in French prose": (
        _append(f"{M1}/index.fr.md", "\nLes OSC travaillent avec l’ASM du village.\n"),
        f"{M1}/index.fr.md",
        True,
        "`ASM` is the English term",
    ),
    "missing alt text": (
        _append(f"{M1}/index.en.md", "\n![](../../docs/assets/images/terrain-mark.svg)\n"),
        f"{M1}/index.en.md",
        True,
        "alt text",
    ),
    "glossary term without French": (_glossary_without_french, "data/glossary.yml", True, "no `fr:` block"),
    "dropped French section": (_drop_french_section, f"{M1}/index.fr.md", True, "Questions pour la discussion"),
    "vague link text": (
        _append(f"{M1}/index.en.md", "\nFor more, [click here](../04-formalisation/index.md).\n"),
        f"{M1}/index.en.md",
        True,
        "does not say where",
    ),
    "French typography": (
        _append(f"{M1}/index.fr.md", "\nUne question importante: la terre?\n"),
        f"{M1}/index.fr.md",
        True,
        "no space before",
    ),
    "unknown marker": (
        _append(f"{M1}/index.en.md", "\n<!-- terrain:agendaa -->\n"),
        f"{M1}/index.en.md",
        True,
        "unknown marker",
    ),
    "schema: wrong orientation": (
        _replace(f"{LIM}/worksheet.yml", "orientation: landscape", "orientation: sideways"),
        f"{LIM}/worksheet.yml",
        True,
        "orientation",
    ),
    "unused reading": (
        _replace("data/readings.yml", "- id: levin-2020-summary-guide", "- id: levin-2020-summary-guide-unused"),
        "data/readings.yml",
        True,
        "used by no module",
    ),
}


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not {"build", "site", "node_modules"} & set(path.relative_to(root).parts):
            digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow  # runs `mkdocs build` per fault
@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_fails_check_and_build_with_a_clear_message(fault, project_copy):
    change, filename, with_line, words = FAULTS[fault]
    change(project_copy)
    before = _tree_digest(project_copy)

    check = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "check"], capture_output=True, text=True
    )
    assert check.returncode == 1, check.stdout + check.stderr
    lines = [l for l in check.stderr.splitlines() if l.startswith(filename)]
    assert lines, f"no problem names {filename}:\n{check.stderr}"
    matching = [l for l in lines if words in l]
    assert matching, f"no message about {words!r} for {filename}:\n{check.stderr}"
    if with_line:
        assert re.match(rf"{re.escape(filename)}:\d+: ", matching[0]), matching[0]
    assert " — " in matching[0], "the message says how to fix it"
    assert re.search(r"terrain: \d+ problems? in \d+ files?$", check.stderr.strip())

    build = mkdocs_build(project_copy, project_copy / "site")
    assert build.returncode != 0
    assert any(filename in l and words in l for l in (build.stdout + build.stderr).splitlines()), (
        build.stdout + build.stderr
    )
    assert not (project_copy / "site" / "index.html").exists(), "a broken site was published"

    assert _tree_digest(project_copy) == before, "checking or building changed the sources"


def test_all_problems_are_reported_together(project_copy):
    FAULTS["broken link"][0](project_copy)
    FAULTS["unknown reading id"][0](project_copy)
    FAULTS["missing French worksheet page"][0](project_copy)
    check = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "check"], capture_output=True, text=True
    )
    assert check.returncode == 1
    for name in (f"{M1}/index.en.md", f"{M1}/module.yml", f"{LIM}/index.fr.md"):
        assert name in check.stderr


def test_fix_repairs_french_typography_and_nothing_else(project_copy):
    target = project_copy / M1 / "index.fr.md"
    english = (project_copy / M1 / "index.en.md").read_bytes()
    original = target.read_text(encoding="utf-8")
    target.write_text(original + "\nUne question importante : la terre ? Oui, à 20% « vraiment ».\n", encoding="utf-8")
    fixed = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "check", "--fix"],
        capture_output=True,
        text=True,
    )
    assert "\n  + " in fixed.stdout  # a diff of what changed
    text = target.read_text(encoding="utf-8")
    assert text.startswith(original)
    assert "importante\u00a0: la terre\u202f? Oui, à 20\u00a0% «\u00a0vraiment\u00a0»." in text
    assert (project_copy / M1 / "index.en.md").read_bytes() == english
    assert fixed.returncode == 0, fixed.stderr


def test_real_project_passes_clean():
    root = Path(__file__).resolve().parent.parent
    check = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), "check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


# ---- gaps that used to pass in silence (issue 14): each is a `path:line` problem with a rule id ----


def _problems(root: Path) -> list:
    """Every problem `terrain check` would report for a project folder, loaded in this process."""
    from terrain import checks
    from terrain.project import Project

    return checks.check_all(Project.load(root))


def _languages(root: Path) -> list[str]:
    from terrain.project import site_languages

    return site_languages(root)


def _with_rule(problems: list, rule: str, path: str) -> list:
    return [p for p in problems if p.rule == rule and p.path == path]


def test_broken_front_matter_of_a_docs_page_is_a_problem(project_copy):
    for lang in _languages(project_copy):
        page = project_copy / f"docs/about.{lang}.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"^title: .*$", "title: [broken", text, count=1, flags=re.M), encoding="utf-8")
    problems = _problems(project_copy)
    for lang in _languages(project_copy):
        found = _with_rule(problems, "yaml-syntax", f"docs/about.{lang}.md")
        assert found and found[0].line >= 2, [str(p) for p in problems]


def test_a_key_missing_from_a_languages_strings_is_named_at_its_parent(project_copy):
    import yaml

    default, *others = _languages(project_copy)
    strings = yaml.safe_load((project_copy / f"data/ui/{default}.yml").read_text(encoding="utf-8"))
    group = next(key for key, value in strings.items() if isinstance(value, dict))
    key = next(iter(strings[group]))
    assert others, "the project has one language: nothing to compare"
    for lang in others:
        path = project_copy / f"data/ui/{lang}.yml"
        lines = path.read_text(encoding="utf-8").split("\n")
        parent = lines.index(f"{group}:")
        child = next(i for i in range(parent + 1, len(lines)) if re.match(rf"\s+{re.escape(key)}:", lines[i]))
        path.write_text("\n".join(lines[:child] + lines[child + 1 :]), encoding="utf-8")
        if lines[0].startswith("# DRAFT"):  # a language in progress: a reminder, not a problem (test_i18n_drafts)
            from terrain.project import Project

            project = Project.load(project_copy)
            found = [
                p for p in _problems(project_copy) if p.rule == "ui-key-missing" and p.path == f"data/ui/{lang}.yml"
            ]
            assert not found, [str(p) for p in found]
            assert any(
                t.startswith(f"data/ui/{lang}.yml:{parent + 1}:") and f"{group}.{key}" in t for t in project.ui_todo
            )
            continue
        found = _with_rule(_problems(project_copy), "ui-key-missing", f"data/ui/{lang}.yml")
        assert [p.line for p in found] == [parent + 1], [str(p) for p in found]
        assert f"{group}.{key}" in found[0].message


def test_a_string_of_the_wrong_shape_is_named_at_its_line_in_every_language(project_copy):
    """A text written as a list, an unknown typography:
    each would show something no translator wrote, so each is a `ui-key-type` problem."""
    import yaml

    default = _languages(project_copy)[0]
    strings = yaml.safe_load((project_copy / f"data/ui/{default}.yml").read_text(encoding="utf-8"))
    group = next(k for k, v in strings.items() if isinstance(v, dict) and any(isinstance(x, str) for x in v.values()))
    key = next(k for k, v in strings[group].items() if isinstance(v, str))
    for lang in _languages(project_copy):
        path = project_copy / f"data/ui/{lang}.yml"
        lines = path.read_text(encoding="utf-8").split("\n")
        parent = lines.index(f"{group}:")
        child = next(i for i in range(parent + 1, len(lines)) if re.match(rf"\s+{re.escape(key)}:", lines[i]))
        indent = lines[child][: len(lines[child]) - len(lines[child].lstrip())]
        if lang != default:  # the default language's file is the shape the others are held to
            lines[child] = f"{indent}{key}: [not, a, text]"
        lines = [line for line in lines if not line.startswith("typography:")]
        lines.insert(1, "typography: not-a-style")
        path.write_text("\n".join(lines), encoding="utf-8")
    problems = _problems(project_copy)
    for lang in _languages(project_copy):
        found = _with_rule(problems, "ui-key-type", f"data/ui/{lang}.yml")
        assert 2 in [p.line for p in found] and any("not-a-style" in p.message for p in found), [str(p) for p in found]
        if lang != default:  # compared with the default language's file
            assert any(f"{group}.{key}` is a list" in p.message for p in found), [str(p) for p in found]


def test_a_wrong_type_in_a_data_file_is_its_schema_problem_not_a_crash(project_copy):
    """A number where the schema wants a text: `terrain check` names the line; no check that
    reads the value stops every other with a traceback."""
    path = project_copy / "data/readings.yml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("\n  url: ")].count("\n") + 2
    path.write_text(text.replace("\n  url: ", "\n  url: 42\n  x-old-url: ", 1), encoding="utf-8")
    result = terrain(project_copy, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert f"data/readings.yml:{line}:" in result.stdout + result.stderr, result.stdout[-3000:]


@pytest.mark.parametrize(
    "syntax", ['!!! note "Careful"\n    Mind the pit.\n', "A sentence.\n{: .big }\n", "Words {.lead} here.\n"]
)
def test_material_only_syntax_in_a_module_is_a_problem(syntax, project_copy):
    page = project_copy / M1 / "index.en.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    _append(f"{M1}/index.en.md", "\n" + syntax)(project_copy)
    found = _with_rule(_problems(project_copy), "portable-markdown", f"{M1}/index.en.md")
    assert found and all(p.line > lines for p in found), found


def test_material_admonitions_stay_allowed_in_docs_pages(project):
    from terrain import policy

    assert [p for p in policy.check_policy(project) if p.rule == "portable-markdown"] == []


def test_missing_node_modules_is_one_problem_that_says_run_make_setup(project_copy, monkeypatch):
    from terrain import cards

    monkeypatch.setattr(cards, "FALLBACK_ROOTS", ())
    cards._icon_set.cache_clear()
    shutil.rmtree(project_copy / "node_modules", ignore_errors=True)
    try:
        problems = _problems(project_copy)
    finally:
        cards._icon_set.cache_clear()
    setup = [p for p in problems if p.rule == "setup"]
    assert len(setup) == 1 and "make setup" in str(setup[0]), [str(p) for p in problems]
    assert not [p for p in problems if "node_modules" in p.message and p.rule != "setup"]


def test_downloads_older_than_the_sources_are_named_with_terrain_build(project_copy):
    import os

    from terrain import site
    from terrain.project import Project

    made = project_copy / "build" / "downloads" / "handbook.pdf"
    made.parent.mkdir(parents=True)
    made.write_bytes(b"%PDF-1.7\n")
    os.utime(made, (1_000_000_000, 1_000_000_000))
    warning = site.stale_downloads(Project.load(project_copy))
    assert warning and "[stale-downloads]" in warning and "`terrain build`" in warning
    os.utime(made, None)
    assert site.stale_downloads(Project.load(project_copy)) is None


def test_an_anchor_is_checked_in_the_language_the_link_lands_in(project_copy):
    from terrain import markdown as md
    from terrain.markdown import slugify
    from terrain.project import Project

    project = Project.load(project_copy)
    default, others = project.default_language, project.languages[1:]
    target = list(project.modules.values())[1]
    anchors = {lang: [slugify(h.text) for h in md.headings(page.body)] for lang, page in target.pages.items()}
    checked = 0
    for lang in others:
        only_default = [a for a in anchors[default] if a not in anchors.get(lang, anchors[default])]
        if not only_default:
            continue
        name = f"{M1}/index.{lang}.md"
        line = (project_copy / name).read_text(encoding="utf-8").count("\n") + 2
        _append(name, f"\n[{target.slug}](../{target.slug}/index.md#{only_default[0]})\n")(project_copy)
        found = _with_rule(_problems(project_copy), "broken-anchor", name)
        assert [p.line for p in found] == [line], [str(p) for p in found]
        checked += 1
    assert checked or not others, "no heading differs between languages: the case cannot be tested"


def test_a_broken_mkdocs_yml_is_reported_with_its_line(project_copy):
    config = project_copy / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("plugins:"))
    lines[number] = "plugins: [unclosed"
    config.write_text("\n".join(lines), encoding="utf-8")
    found = _with_rule(_problems(project_copy), "yaml-syntax", "mkdocs.yml")
    assert found and abs(found[0].line - (number + 1)) <= 2, found


def test_a_missing_default_language_page_says_to_restore_it_not_to_copy_it(project_copy):
    default = _languages(project_copy)[0]
    (project_copy / M1 / f"index.{default}.md").unlink()
    found = [p for p in _problems(project_copy) if p.path == f"{M1}/index.{default}.md" and "has no" in p.message]
    assert found and "restore" in found[0].message and f"copy index.{default}.md" not in found[0].message, [
        str(p) for p in found
    ]


def test_a_shortcut_to_a_file_that_is_not_there_is_named_not_a_crash(project_copy):
    """A file replaced by a symlink to nowhere (a broken copy, an unzip that lost it): every such
    file is a problem at its own name, all at once, and `terrain check` ends without a traceback."""
    last = _languages(project_copy)[-1]
    files = [f"data/ui/{last}.yml", "data/glossary.yml", f"docs/about.{last}.md", f"{M1}/module.yml"]
    files += [p.relative_to(project_copy).as_posix() for p in sorted((project_copy / "data/terms").glob("*.yml"))]
    for name in files:
        (project_copy / name).unlink()
        (project_copy / name).symlink_to(project_copy.parent / "nowhere" / Path(name).name)
    result = terrain(project_copy, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    problems = _problems(project_copy)
    for name in files:
        assert _with_rule(problems, "symlink", name) or _with_rule(problems, "unreadable", name), (
            name,
            [str(p) for p in problems if name in p.path],
        )
    page = f"docs/about.{last}.md"  # a symlink once, and nothing of the sections it cannot show
    said = [str(p) for p in problems if p.path == page]
    assert len(_with_rule(problems, "symlink", page)) == 1 and not any("section" in s for s in said), said


def test_symlink_loops_and_links_between_data_files_are_named_where_they_sit(project_copy):
    """A symlink that leads to itself stops nothing with a traceback; a symlink to another data file
    is named itself, not the file it leads to (which the writer must not be told to replace)."""
    (project_copy / "data/loop.yml").symlink_to("loop.yml")
    (project_copy / "data/ui/r.yml").symlink_to("../readings.yml")
    module = project_copy / M1 / "module.yml"
    module.unlink()
    module.symlink_to("module.yml")
    result = terrain(project_copy, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    problems = _problems(project_copy)
    assert _with_rule(problems, "symlink", "data/loop.yml") and _with_rule(problems, "symlink", "data/ui/r.yml")
    assert not _with_rule(problems, "symlink", "data/readings.yml"), [str(p) for p in problems]
    assert any(p.path == f"{M1}/module.yml" for p in problems), [str(p) for p in problems]


def test_an_emptied_termbase_is_a_problem_not_a_check_switched_off(project_copy):
    """data/terms/LANG.yml emptied (a bad merge, an editor that saved nothing) used to pass: every
    forbidden variant of that language then went unreported without a word."""
    files = sorted((project_copy / "data/terms").glob("*.yml"))
    assert files, "the project has no termbase to empty"
    for path in files:
        path.write_text("# emptied\n", encoding="utf-8")
    problems = _problems(project_copy)
    for path in files:
        name = path.relative_to(project_copy).as_posix()
        assert [p.line for p in _with_rule(problems, "schema", name)] == [1], [
            str(p) for p in problems if p.path == name
        ]


def _add_to_termbases(root: Path, entry: str) -> dict[str, int]:
    """Append an entry to every data/terms/LANG.yml; the line on which each file's entry starts."""
    files = sorted((root / "data/terms").glob("*.yml"))
    assert files, "the project has no termbase"
    starts = {}
    for path in files:
        text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
        path.write_text(text + entry, encoding="utf-8")
        starts[path.relative_to(root).as_posix()] = text.count("\n") + 1
    return starts


def test_a_forbidden_variant_that_runs_for_ever_is_a_problem_at_its_line(project_copy, monkeypatch):
    """A regular expression with a repeat inside a repeat takes Python's re for ever on a line of
    prose that ends in a full stop: `terrain check` and the build hung. It is now stopped after
    TERMBASE_SECONDS of CPU and reported at its line of the termbase."""
    import signal

    from terrain import checks

    monkeypatch.setattr(checks, "TERMBASE_SECONDS", 0.5)
    entry = "- id: slow\n  en: test\n  preferred: essai.\n  forbidden: ['/(\\w+\\s?)+$/']\n"
    lines = {name: start + 3 for name, start in _add_to_termbases(project_copy, entry).items()}
    before = signal.getsignal(signal.SIGVTALRM)
    problems = _problems(project_copy)
    for name, line in lines.items():
        slow = _with_rule(problems, "termbase-slow", name)
        assert [p.line for p in slow] == [line], [str(p) for p in problems if p.path == name]
        assert "(\\w+\\s?)+$" in slow[0].message and ".md:" in slow[0].message, str(slow[0])
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0) and signal.getsignal(signal.SIGVTALRM) is before


def test_a_slow_variant_loses_no_other_problem_of_its_termbase(project_copy, monkeypatch):
    """A variant stopped for running too long took with it every other problem its language's
    check had found by then (found by the hostile review): a broken variant, a forbidden word on a
    page. They are reported with it, all at once."""
    from terrain import checks

    monkeypatch.setattr(checks, "TERMBASE_SECONDS", 0.5)
    broken = "- id: broken\n  en: test\n  preferred: essai\n  forbidden: ['/(unclosed/']\n"
    slow = "- id: slow\n  en: test\n  preferred: essai.\n  forbidden: ['/(\\w+\\s?)+$/']\n"
    lines = {name: (start + 3, start + 7) for name, start in _add_to_termbases(project_copy, broken + slow).items()}
    problems = _problems(project_copy)
    for name, (broken_line, slow_line) in lines.items():
        mine = [p for p in problems if p.path == name]
        assert [p.line for p in mine if "(unclosed" in p.message] == [broken_line], [str(p) for p in mine]
        assert [p.line for p in _with_rule(problems, "termbase-slow", name)] == [slow_line], [str(p) for p in mine]


def test_a_variant_too_slow_to_compile_is_the_one_named(project_copy, monkeypatch):
    """The variant being tried was noted only once compiled: a variant whose pattern takes long to
    compile (a million alternatives) was reported at the line of the variant before it, or at
    line 0 (found by the hostile review)."""
    from terrain import checks

    monkeypatch.setattr(checks, "TERMBASE_SECONDS", 0.5)
    real = checks._variant_pattern

    def compile_slowly(variant: str):
        while variant == "/slow|to|compile/":  # spins until the CPU limit stops it
            pass
        return real(variant)

    monkeypatch.setattr(checks, "_variant_pattern", compile_slowly)
    entry = "- id: compile\n  en: test\n  preferred: essai\n  forbidden:\n    - quick\n    - '/slow|to|compile/'\n"
    lines = {name: start + 5 for name, start in _add_to_termbases(project_copy, entry).items()}
    problems = _problems(project_copy)
    for name, line in lines.items():
        slow = _with_rule(problems, "termbase-slow", name)
        assert [p.line for p in slow] == [line], [str(p) for p in problems if p.path == name]
        assert "slow|to|compile" in slow[0].message, str(slow[0])


def test_a_folder_name_too_long_for_the_print_edition_is_a_problem(project_copy):
    """The print edition writes SLUG.pdf.part, then renames it: a worksheet folder of 247
    characters passed the check, then `terrain print` stopped with a traceback (a file name holds
    255 characters; found by the hostile review). It is a problem at the folder, before anything is written."""
    sheet = next(p for p in sorted((project_copy / "worksheets").iterdir()) if (p / "worksheet.yml").is_file())
    long = project_copy / "worksheets" / ("a" * 247)
    shutil.copytree(sheet, long)
    problems = _problems(project_copy)
    found = [p for p in problems if p.path == f"worksheets/{long.name}"]
    assert found and "characters long" in found[0].message and " — " in found[0].message, [str(p) for p in problems]


def test_a_page_too_slow_to_read_for_the_termbase_is_the_one_named(project_copy, monkeypatch):
    """When reading a page (before any variant is tried on it) took the termbase check's time, the
    last variant tried, on the page before, was reported as too slow, at a line of that other page
    (found by the hostile review). The page is named instead, in a problem of the termbase (one at
    the page would be dropped if the page were a draft, and the check would pass)."""
    from terrain import checks

    monkeypatch.setattr(checks, "TERMBASE_SECONDS", 0.5)
    real = checks._without_code
    marker = "zzslow-to-read-zz"

    def read_slowly(text: str) -> str:
        while marker in text:  # spins until the CPU limit stops it
            pass
        return real(text)

    monkeypatch.setattr(checks, "_without_code", read_slowly)
    pages = {}
    termbases = {path.stem for path in (project_copy / "data/terms").glob("*.yml")}
    assert termbases, "the project has no termbase"
    for lang in [lang for lang in _languages(project_copy) if lang in termbases]:
        page = project_copy / "docs" / f"share.{lang}.md"
        page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        pages[lang] = page.relative_to(project_copy).as_posix()
    problems = _problems(project_copy)
    for lang, name in pages.items():
        slow = _with_rule(problems, "termbase-slow", f"data/terms/{lang}.yml")
        assert len(slow) == 1 and f"reading {name} " in slow[0].message, [str(p) for p in problems]
