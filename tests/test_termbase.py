"""The terminology bases (data/terms/LANG.yml): `terrain check` reports a forbidden variant with
the page's line and the termbase's line, leaves code and addresses alone, keeps the glossary
and the termbase in agreement, and a new language gets its own empty termbase."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from terrain.project import Project

M1 = "modules/01-understanding-asm"
WORD = "zorblaxe"  # a made-up word: the tests do not depend on what the real termbases forbid


def terrain(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI; its report (stdout and stderr together) is `.stdout`."""
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def forbid(root: Path, lang: str, variant: str, preferred: str) -> int:
    """Add a decision to LANG's termbase (creating it if needed); the line of its forbidden variant."""
    text = add_entry(
        root,
        lang,
        f"- id: test-{variant.strip('/').replace(' ', '-').lower()[:20]}\n  preferred: {preferred}\n  forbidden:\n    - '{variant}'\n  why: a test.\n",
    )
    return text.split("\n").index(f"    - '{variant}'") + 1


def add_entry(root: Path, lang: str, entry: str) -> str:
    """Append an entry to LANG's termbase (creating it if needed, emptying a new language's `[]`); its new text."""
    path = root / "data" / "terms" / f"{lang}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not (yaml.safe_load(text) if text.strip() else []):
        text = re.sub(r"^\[\]\s*$", "", text, flags=re.M)
    text = text.rstrip("\n") + "\n\n" + entry
    path.write_text(text, encoding="utf-8")
    return text


def translated(page: Path) -> None:
    """Mark a page as translated: a draft (`terrain i18n new`) is checked only once it is marked."""
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("status: draft", "status: current", 1), encoding="utf-8")


def append_line(path: Path, line: str) -> int:
    """Append a paragraph to a page; the line number it lands on."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def test_a_forbidden_word_is_reported_with_both_lines_in_every_language(project_copy):
    languages = Project.load(project_copy).languages
    expected = []
    for lang in languages:
        term_line = forbid(project_copy, lang, WORD, "plain-word")
        page = project_copy / M1 / f"index.{lang}.md"
        translated(page)
        page_line = append_line(page, f"A sentence with {WORD.capitalize()} in it.")
        expected.append(
            f"{M1}/index.{lang}.md:{page_line}: '{WORD.capitalize()}' — use 'plain-word' (data/terms/{lang}.yml:{term_line})"
        )
    result = terrain(project_copy, "check")
    assert result.returncode == 1, result.stdout
    for line in expected:
        assert line in result.stdout, result.stdout[-3000:]


def test_code_addresses_and_other_languages_are_not_read(project_copy):
    lang = Project.load(project_copy).languages[-1]
    forbid(project_copy, lang, WORD, "plain-word")
    page = project_copy / M1 / f"index.{lang}.md"
    append_line(page, f'Run `{WORD}` or read https://example.org/{WORD} and <span lang="xx">{WORD}</span>.')
    result = terrain(project_copy, "check")
    assert WORD not in result.stdout.lower(), result.stdout


def test_a_regular_expression_variant_and_data_files_are_checked(project_copy):
    lang = Project.load(project_copy).languages[-1]
    term_line = forbid(project_copy, lang, f"/\\b{WORD}s?\\b/", "plain-word")
    ui = project_copy / "data" / "ui" / f"{lang}.yml"
    text = ui.read_text(encoding="utf-8").replace("\nlabels:\n", f"\nlabels:\n  test_label: Two {WORD}s here\n", 1)
    ui.write_text(text, encoding="utf-8")
    ui_line = text.split("\n").index(f"  test_label: Two {WORD}s here") + 1
    result = terrain(project_copy, "check")
    assert (
        f"data/ui/{lang}.yml:{ui_line}: '{WORD}s' — use 'plain-word' (data/terms/{lang}.yml:{term_line})"
        in result.stdout
    ), result.stdout


def test_a_broken_regular_expression_is_reported_at_its_line(project_copy):
    lang = Project.load(project_copy).languages[-1]
    line = forbid(project_copy, lang, "/(unclosed/", "plain-word")
    result = terrain(project_copy, "check")
    assert result.returncode == 1
    assert (
        f"data/terms/{lang}.yml:{line}: the variant `/(unclosed/` is not a valid regular expression" in result.stdout
    ), result.stdout


def test_the_glossary_and_the_termbase_agree(project_copy):
    project = Project.load(project_copy)
    lang = project.languages[-1]
    entry = next(e for e in project.glossary if lang in e)
    add_entry(
        project_copy,
        lang,
        f"- id: test-agreement\n  preferred: not-the-glossary-term\n  glossary: {entry['id']}\n  forbidden: []\n",
    )
    result = terrain(project_copy, "check")
    assert result.returncode == 1
    assert re.search(
        rf"data/glossary.yml:\d+: the {lang} term of `{entry['id']}` is '.+' but data/terms/{lang}.yml:\d+ prefers 'not-the-glossary-term'",
        result.stdout,
    ), result.stdout


def test_a_new_language_gets_an_empty_termbase_that_the_check_reads(project_copy):
    assert terrain(project_copy, "i18n", "new", "pt", "--name", "Português").returncode == 0
    termbase = project_copy / "data" / "terms" / "pt.yml"
    assert yaml.safe_load(termbase.read_text(encoding="utf-8")) == []
    assert terrain(project_copy, "check").returncode == 0
    line = forbid(project_copy, "pt", WORD, "palavra")
    page_line = append_line(project_copy / M1 / "index.pt.md", f"Uma frase com {WORD}.")
    result = terrain(project_copy, "check")
    assert f"{M1}/index.pt.md:{page_line}:" not in result.stdout  # a draft is checked once it is marked (issue 15)
    page = project_copy / M1 / "index.pt.md"
    page.write_text(page.read_text(encoding="utf-8").replace("status: draft", "status: current", 1), encoding="utf-8")
    result = terrain(project_copy, "check")
    assert f"{M1}/index.pt.md:{page_line}: '{WORD}' — use 'palavra' (data/terms/pt.yml:{line})" in result.stdout, (
        result.stdout
    )


def test_a_reading_may_keep_the_http_address_the_guide_gives_only_with_a_reason(project_copy):
    readings = project_copy / "data" / "readings.yml"
    text = readings.read_text(encoding="utf-8")
    kept = re.findall(r"^  url: (http://\S+)\n  http: .+$", text, re.M)
    assert kept, "no reading keeps an http:// address with a reason"
    assert terrain(project_copy, "check").returncode == 0
    readings.write_text(re.sub(r"^  http: .+\n", "", text, flags=re.M), encoding="utf-8")
    result = terrain(project_copy, "check")
    assert result.returncode == 1 and result.stdout.count("links over http://") == len(kept), result.stdout


def test_a_regular_expression_with_a_flag_after_its_slash_is_reported_at_its_line(tmp_path):
    """`/\\bMAPE\\b/x`, as other tools write flags, would be looked for as plain text and never found:
    it is named at its line with the fix, in every configured language's termbase."""
    from types import SimpleNamespace

    from terrain.checks import termbase

    from conftest import LANGUAGES

    root = SimpleNamespace(root=tmp_path)
    for lang in LANGUAGES:
        line = forbid(tmp_path, lang, r"/\bZORBLAXE\b/x", "plain-word")
        unclosed = forbid(tmp_path, lang, r"/\bQUORPH", "other-word")
        _, problems = termbase(root, lang)  # type: ignore[arg-type]
        found = {(p.path, p.line): p.message for p in problems}
        assert "has `x` after its closing slash, which is not read" in found.get(
            (f"data/terms/{lang}.yml", line), ""
        ), found
        assert r"write `/\bZORBLAXE\b/`" in found[(f"data/terms/{lang}.yml", line)]
        assert "does not end with one" in found.get((f"data/terms/{lang}.yml", unclosed), ""), found
        good = forbid(tmp_path, lang, r"/\bBLORT\b/", "third-word")
        _, problems = termbase(root, lang)  # type: ignore[arg-type]
        assert not [p for p in problems if p.line == good], problems
