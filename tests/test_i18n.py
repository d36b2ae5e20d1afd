"""The translation workflow as a translator uses it: status, mark, and adding a language."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import mkdocs_build, terrain


def pages_digest(root: Path) -> dict[str, str]:
    files = [*root.glob("modules/*/index.*.md"), *root.glob("worksheets/*/index.*.md"), *root.glob("docs/*.md")]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_status_reports_a_french_page_out_of_date_after_its_english_changes(project_copy):
    assert terrain(project_copy, "i18n", "mark", "fr", "--all").returncode == 0
    status = terrain(project_copy, "i18n", "status")
    assert "fr: every page translated and current" in status.stdout, status.stdout
    english = project_copy / "modules/04-formalisation/index.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA new paragraph in English.\n", encoding="utf-8")
    status = terrain(project_copy, "i18n", "status")
    assert "outdated modules/04-formalisation/index.fr.md" in status.stdout, status.stdout
    assert status.stdout.count("outdated ") == 1


@pytest.mark.slow  # runs a build
def test_an_out_of_date_page_shows_readers_a_notice_in_their_language(project_copy):
    terrain(project_copy, "i18n", "mark", "fr", "--all")
    english = project_copy / "modules/04-formalisation/index.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    build = mkdocs_build(project_copy, project_copy / "site")
    assert build.returncode == 0, build.stdout + build.stderr
    french = (project_copy / "site/fr/modules/04-formalisation/index.html").read_text(encoding="utf-8")
    assert "L’original anglais de cette page a changé" in french
    other = (project_copy / "site/fr/modules/05-human-rights-based-approaches/index.html").read_text(encoding="utf-8")
    assert "L’original anglais" not in other


def test_mark_records_the_english_version(project_copy):
    target = project_copy / "modules/04-formalisation/index.fr.md"
    result = terrain(project_copy, "i18n", "mark", "fr", str(target))
    assert result.returncode == 0 and "marked current: modules/04-formalisation/index.fr.md" in result.stdout
    text = target.read_text(encoding="utf-8")
    assert "translation:\n  source_hash: " in text and "status: current" in text
    assert text.count("---\n") >= 2


@pytest.mark.slow  # runs a build
def test_new_language_builds_and_changes_no_existing_page(project_copy):
    before = pages_digest(project_copy)
    result = terrain(project_copy, "i18n", "new", "pt", "--name", "Português")
    assert result.returncode == 0, result.stderr
    assert "Translator's checklist" in result.stdout and "data/ui/pt.yml" in result.stdout
    after = pages_digest(project_copy)
    assert all(after[name] == digest for name, digest in before.items()), "an existing page was changed"
    new = [name for name in after if name not in before]
    assert "modules/01-understanding-asm/index.pt.md" in new
    assert all(".pt." in name for name in new)
    assert "status: draft" in (project_copy / "modules/01-understanding-asm/index.pt.md").read_text(encoding="utf-8")
    again = terrain(project_copy, "i18n", "new", "pt")
    assert again.returncode == 2 and "already configured" in again.stderr
    assert terrain(project_copy, "check").returncode == 0
    build = mkdocs_build(project_copy, project_copy / "site")
    assert build.returncode == 0, build.stdout + build.stderr
    page = project_copy / "site/pt/modules/01-understanding-asm/index.html"
    assert page.exists() and '<html lang="pt"' in page.read_text(encoding="utf-8")
    status = terrain(project_copy, "i18n", "status")
    assert "draft    modules/01-understanding-asm/index.pt.md" in status.stdout


def test_new_language_refuses_a_bad_code(project_copy):
    result = terrain(project_copy, "i18n", "new", "portuguese")
    assert result.returncode == 2 and "is not a language code" in result.stderr


def test_mark_refuses_a_draft_that_is_still_english(project_copy):
    assert terrain(project_copy, "i18n", "new", "pt").returncode == 0
    result = terrain(project_copy, "i18n", "mark", "pt", "modules/04-formalisation")
    assert result.returncode == 1
    assert (
        "modules/04-formalisation/index.pt.md: " in result.stderr
        and "100% of its words, still as in modules/04-formalisation/index.en.md (lines " in result.stderr
    )
    assert "status: draft" in (project_copy / "modules/04-formalisation/index.pt.md").read_text(encoding="utf-8")


def test_mark_says_what_is_wrong_with_its_arguments(project_copy):
    wrong_path = terrain(project_copy, "i18n", "mark", "fr", "modules/99-nowhere")
    assert wrong_path.returncode == 2 and "modules/99-nowhere does not exist" in wrong_path.stderr
    no_language = terrain(project_copy, "i18n", "mark", "modules/04-formalisation")
    assert no_language.returncode == 2 and "is not a translated language" in no_language.stderr


def test_a_draft_may_keep_english_headings_while_others_are_translated(project_copy):
    assert terrain(project_copy, "i18n", "new", "pt").returncode == 0
    ui = project_copy / "data/ui/pt.yml"
    ui.write_text(
        ui.read_text(encoding="utf-8").replace("messages: Key messages", "messages: Mensagens-chave"), encoding="utf-8"
    )
    page = project_copy / "modules/04-formalisation/index.pt.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Key messages", "## Mensagens-chave"), encoding="utf-8")
    check = terrain(project_copy, "check")
    assert check.returncode == 0, check.stderr


def test_a_new_languages_glossary_blocks_copy_the_default_language_whatever_it_is():
    """`terrain i18n new` drafts each glossary entry from the default language's block, which
    need not be English."""
    from terrain.i18n import _add_to_glossary

    text = '- id: osc\n  fr:\n    term: "OSC"\n    definition: "organisation de la société civile"\n'
    out = _add_to_glossary(text, "pt", "fr")
    assert '  pt:  # draft: translate from fr\n    term: "OSC"\n' in out
    assert 'definition: "organisation de la société civile"' in out.split("  pt:", 1)[1]
