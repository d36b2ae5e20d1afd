"""The typography fixer (issue 12 item 2): prose and link text only, idempotent, keeps line
endings and the byte-order mark, never writes through a symlink, and `terrain check` reports
what `--fix` repairs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from terrain.typography import FRENCH, NBSP, NNBSP, fix_markdown, style_of

M1 = "modules/01-understanding-asm"
PAGE = """---
title: Titre
summary: Résumé
---
"""


def fix(body: str, front: str = PAGE) -> str:
    return fix_markdown(front + body, "fr", FRENCH)[0][len(front) :]


@pytest.mark.parametrize(
    "before, after",
    [
        ("Une question importante : la terre ?", f"Une question importante{NBSP}: la terre{NNBSP}?"),
        ("- **Objectif :** nommer", f"- **Objectif{NBSP}:** nommer"),
        ("- **Objectif:** nommer", f"- **Objectif{NBSP}:** nommer"),
        ("dans `x` : oui", f"dans `x`{NBSP}: oui"),
        ("dans ⚖ : oui", f"dans ⚖{NBSP}: oui"),
        ("« oui » à 20%", f"«{NBSP}oui{NBSP}» à 20{NBSP}%"),
        (f"«{NNBSP}oui{NNBSP}»", f"«{NBSP}oui{NBSP}»"),
        ("Lire [le guide : partie 2](../x/index.md) !", f"Lire [le guide{NBSP}: partie 2](../x/index.md){NNBSP}!"),
        ("| a : b | c? |\n|---|---|\n| d ; | e |", f"| a{NBSP}: b | c{NNBSP}? |\n|---|---|\n| d{NNBSP}; | e |"),
        ("> cité : oui", f"> cité{NBSP}: oui"),
    ],
)
def test_prose_is_fixed(before, after):
    assert fix(before + "\n") == after + "\n"


@pytest.mark.parametrize(
    "untouched",
    [
        "Voir `x : y` et ``a ? b``.",
        "```\ncode : clôturé ?\n```",
        "~~~\ncode : clôturé ?\n~~~",
        "    code : indenté ?",
        '<div class="a : b" title="x ?">y</div>',
        '<span lang="en">Hello: world ?</span>',
        "*The Title: a study*{lang=en}",
        "[texte](https://example.org/a?b=c:d) et <https://example.org/x?y>",
        "![alt](carte.png)",
        "à 10:30",
    ],
)
def test_code_html_addresses_and_other_languages_are_left_alone(untouched):
    assert fix(untouched + "\n") == untouched + "\n"


def test_front_matter_keys_are_never_touched():
    front = "---\ntitle : Titre : sous-titre\nsummary: Trois étapes: analyser\n---\n"
    out = fix_markdown(front + "Texte.\n", "fr", FRENCH)[0]
    assert out.startswith("---\ntitle : Titre : sous-titre\n")  # a key with a space is not a title line
    assert f'summary: "Trois étapes{NBSP}: analyser"' in out


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff---\ntitle : x\nsummary: y\n---\nQuestion ?\n",  # byte-order mark
        "---\ntitle: x\nsummary: y\nQuestion ?\n",  # unclosed front matter
    ],
)
def test_broken_front_matter_is_left_alone_or_keeps_its_keys(text):
    out = fix_markdown(text, "fr", FRENCH)[0]
    assert "title : x" in out or "title: x" in out
    assert out.startswith("\ufeff") == text.startswith("\ufeff")


def test_idempotent_and_keeps_crlf_and_bom():
    text = "\ufeff" + (PAGE + "Question ? Oui : non « mot ».\n\n```\na : b\n```\n").replace("\n", "\r\n")
    once = fix_markdown(text, "fr", FRENCH)[0]
    assert once.startswith("\ufeff")
    assert once.count("\r\n") == text.count("\r\n") and "\n" not in once.replace("\r\n", "")
    assert fix_markdown(once, "fr", FRENCH) == (once, [])
    assert "a : b" in once


def test_typography_is_a_per_language_setting(project):
    for lang in project.languages:
        assert (style_of(project, lang) is not None) == (project.ui.get(lang, {}).get("typography") == "french")


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), *args], capture_output=True, text=True, timeout=120
    )


def test_check_reports_and_fix_repairs_with_a_diff(project_copy):
    page = project_copy / M1 / "index.fr.md"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"\n", b"\r\n") + b"\r\nUne question : la terre ? `code : x`\r\n")
    check = _cli(project_copy, "check")
    assert check.returncode == 1
    assert f"{M1}/index.fr.md:" in check.stderr
    fixed = _cli(project_copy, "check", "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert "⍽" in fixed.stdout and "+ " in fixed.stdout
    data = page.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n"), "CRLF stays CRLF"
    assert "question\u00a0: la terre\u202f? `code : x`".encode() in data


def test_fix_never_writes_through_a_symlink(project_copy):
    page = project_copy / M1 / "index.fr.md"
    outside = project_copy.parent / "outside.md"
    outside.write_text(page.read_text(encoding="utf-8") + "\nQuestion : oui ?\n", encoding="utf-8")
    before = outside.read_bytes()
    page.unlink()
    page.symlink_to(outside)
    result = _cli(project_copy, "check", "--fix")
    assert result.returncode == 1
    assert outside.read_bytes() == before
    assert page.is_symlink()


def test_questions_in_summary_tags_are_prose_but_attributes_are_not():
    body = "<details>\n<summary>Quelle est la question ?</summary>\n\nRéponse : oui.\n</details>\n"
    assert (
        fix(body)
        == f"<details>\n<summary>Quelle est la question{NNBSP}?</summary>\n\nRéponse{NBSP}: oui.\n</details>\n"
    )
    untouched = '<details class="a : b">\n<summary><span lang="en">Why ?</span></summary>\n\nx\n</details>\n'
    assert fix(untouched) == untouched


def test_a_language_without_the_setting_is_left_alone(project_copy, project):
    plain = [lang for lang in project.languages if style_of(project, lang) is None]
    assert plain, "every language asks for French typography?"
    for lang in plain:
        page = project_copy / M1 / f"index.{lang}.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA question ? An answer : yes.\n", encoding="utf-8")
    before = {lang: (project_copy / M1 / f"index.{lang}.md").read_bytes() for lang in plain}
    result = _cli(project_copy, "check", "--fix")
    assert result.returncode == 0, result.stderr
    assert {lang: (project_copy / M1 / f"index.{lang}.md").read_bytes() for lang in plain} == before


def test_data_files_read_in_the_agenda_and_on_cards_are_checked_too(project_copy, project):
    """The programme's and the cards' texts reach the French pages and PDFs: their typography is checked."""
    langs = [lang for lang in project.languages if style_of(project, lang)]
    if not langs:
        pytest.skip("no configured language asks for typography")
    path = project_copy / "data/programme.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{langs[0]}:") and len(line) > 40)
    lines[index] = lines[index].rstrip('"') + ' ; et la suite"'
    path.write_text("\n".join(lines), encoding="utf-8")
    check = _cli(project_copy, "check")
    assert check.returncode == 1 and f"data/programme.yml:{index + 1}:" in check.stderr, check.stderr
    assert _cli(project_copy, "check", "--fix").returncode == 0
    assert _cli(project_copy, "check").returncode == 0


SOME_IN_CODE = [
    "Voir `x : y` et ``a ? b``.\n\n```yaml\nclé : valeur ?\n```\n",
    'Lu dans <i lang="en">Summary: Guide</i>, puis\n`LANG : …` et la suite.\n',
    "Une ligne : `x`\n",
    "`a`:\n",
    "un `x` ; puis ``y`` !\n",
    "a `b\nc` d : e\n",  # a code span over two lines: read by the parser
    "<div>\n```\ntexte : x\n</div>\n",  # an HTML block: read by the parser
    "````\n```\ncode : x\n```\n````\nfin : oui\n",  # a fence inside a fence: read by the parser
    '<i title="`">a</i> : `x`\n',  # a backtick in a tag: read by the parser
]


@pytest.mark.parametrize("body", SOME_IN_CODE)
def test_a_page_is_parsed_only_when_a_rule_may_match_in_its_prose(body, monkeypatch):
    """fix_markdown parses a page (markdown-it) only when a rule may match outside code: what it
    finds is the same as when every page with a match anywhere was parsed."""
    from terrain import typography

    text = PAGE + body
    with_shortcut = fix_markdown(text, "fr", FRENCH)
    monkeypatch.setattr(typography, "_code_masked", lambda body, lang: None)
    assert fix_markdown(text, "fr", FRENCH) == with_shortcut


def test_matches_only_in_code_need_no_parse(monkeypatch):
    from terrain import typography

    def no_parse(body, lang):
        raise AssertionError("parsed a page whose rules match only in code")

    monkeypatch.setattr(typography, "prose_ranges", no_parse)
    assert fix(SOME_IN_CODE[0]) == SOME_IN_CODE[0]
    assert fix(SOME_IN_CODE[1]) == SOME_IN_CODE[1]
    for uncertain in SOME_IN_CODE[5:]:
        with pytest.raises(AssertionError, match="parsed"):
            fix(uncertain)


# Text that markdown-it reads as prose although a line-by-line look takes it for code or another
# language (found by the hostile review): the shortcut must send these pages to the parser.
PROSE_THAT_LOOKS_LIKE_CODE = [
    'Un <span lang="en"/>mot : ici</span>\n',  # `/>`: an element with no inside; what follows is French
    "Un <_x lang=en>mot : ici</_x>\n",  # no HTML tag (a name starts with a letter): text
    "Un <é lang=en>mot : ici</é>\n",
    "Un <span lang=\"en'>mot : ici</span>\n",  # quotes that do not pair: no tag
    'Un <span lang="en" a/b>mot : ici</span>\n',  # `a/b` is no attribute: no tag
    '\\<span lang="en">mot : ici</span>\n',  # an escaped `<` is text
    "| a | b |\n|---|---|\n| `x | mot : ici | y` | z |\n",  # a table row is cut at `|` before its spans
    '| a | b |\n|---|---|\n| <span lang="en">x | mot : ici | y</span> | z |\n',
    "```\ncode\r```\nmot : ici\nmot : ici\n```\n",  # a lone \r ends a line for the parser (and for MkDocs)
]


@pytest.mark.parametrize("body", PROSE_THAT_LOOKS_LIKE_CODE)
def test_prose_that_looks_like_code_is_still_checked(body, monkeypatch):
    from terrain import typography

    text = PAGE + body
    with_shortcut = fix_markdown(text, "fr", FRENCH)
    monkeypatch.setattr(typography, "_code_masked", lambda body, lang: None)
    assert fix_markdown(text, "fr", FRENCH) == with_shortcut
    assert any("`:`" in message for _, message in with_shortcut[1]), with_shortcut
