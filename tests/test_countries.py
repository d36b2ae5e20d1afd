"""Country editions (issue 15): a country team's profile, local readings and local notes,
built into their own site with `terrain build --country CC`, never into another edition.

The test country uses `xa`, a code ISO 3166 leaves to users (no country has it), and says it is fictional.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import mkdocs_build

CODE = "xa"
NOTE = "This local note of the fictional test country is shown in module 04 only."


def terrain(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), *args], capture_output=True, text=True
    )


def languages(root: Path) -> list[str]:
    from terrain.project import site_languages

    return site_languages(root)


@pytest.fixture
def with_country(project_copy) -> Path:
    folder = project_copy / "countries" / CODE
    (folder / "notes").mkdir(parents=True)
    lang = languages(project_copy)[-1]  # the edition is in the last configured language
    names = "\n".join(f"  {l}: Test country {l} (fictional)" for l in languages(project_copy))
    (folder / "country.yml").write_text(f"name:\n{names}\nlanguages: [{lang}]\n", encoding="utf-8")
    (folder / f"profile.{lang}.md").write_text(
        "---\ntitle: Test country profile\nsummary: The profile of a fictional country, for the tests only.\n---\n\n## Mining in the country\n\nFictional.\n",
        encoding="utf-8",
    )
    (folder / "readings.yml").write_text(
        "- id: xa-test-law\n  authors: [Fictional test parliament]\n  year: 2020\n  title: Fictional test mining law\n"
        f"  url: https://example.org/xa-test-law\n  language: {lang}\n  type: law\n  note:\n    {lang}: Fictional, for the tests.\n",
        encoding="utf-8",
    )
    (folder / "notes" / f"04-formalisation.{lang}.md").write_text(NOTE + "\n", encoding="utf-8")
    return project_copy


def test_a_country_folder_checks_clean_and_its_mistakes_are_named(with_country):
    root = with_country
    assert terrain(root, "check").returncode == 0, terrain(root, "check").stderr[-2000:]
    lang = languages(root)[-1]
    (root / "countries" / CODE / "notes" / f"99-nowhere.{lang}.md").write_text("x\n", encoding="utf-8")
    check = terrain(root, "check")
    assert check.returncode == 1
    assert f"countries/{CODE}/notes/99-nowhere.{lang}.md: `99-nowhere` is not a module" in check.stderr


def test_the_template_is_not_an_edition(project_copy):
    assert (project_copy / "countries/_template/country.yml").is_file()
    assert terrain(project_copy, "check").returncode == 0
    build = terrain(project_copy, "build", "--no-print", "--country", "_template")
    assert build.returncode == 1 and "is not a country code" in build.stderr


@pytest.mark.slow
def test_a_country_edition_has_its_material_and_no_other_edition_does(with_country):
    root = with_country
    lang = languages(root)[-1]
    build = terrain(root, "build", "--no-print", "--quiet", "--country", CODE)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    site = root / f"site-{CODE}"
    prefix = "" if lang == languages(root)[0] else f"{lang}/"
    module = (site / f"{prefix}modules/04-formalisation/index.html").read_text(encoding="utf-8")
    assert NOTE in module
    assert NOTE not in (site / f"{prefix}modules/05-human-rights-based-approaches/index.html").read_text(
        encoding="utf-8"
    )
    profile = (site / f"{prefix}country.html").read_text(encoding="utf-8")
    assert "Fictional test mining law" in profile
    plain = mkdocs_build(root, root / "site")
    assert plain.returncode == 0, plain.stdout[-2000:] + plain.stderr[-2000:]
    assert not (root / "site" / f"{prefix}country.html").exists()
    assert NOTE not in (root / "site" / f"{prefix}modules/04-formalisation/index.html").read_text(encoding="utf-8")
