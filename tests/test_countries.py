"""Country editions (issue 15): a country team's profile, local readings and local notes,
built into their own site with `terrain build --country CC`, never into another edition.

The test country uses `xa`, a code ISO 3166 leaves to users (no country has it), and says it is fictional.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import terrain

CODE = "xa"
NOTE = "This local note of the fictional test country is shown in module 04 only."


def languages(root: Path) -> list[str]:
    from terrain.project import site_languages

    return site_languages(root)


def edition_language(root: Path) -> str:
    """The test edition's language: the last configured one that is translated (a language just
    added is all drafts, and a draft is never printed)."""
    from terrain.project import Project

    from conftest import finished_languages

    return finished_languages(Project.load(root))[-1]


@pytest.fixture
def with_country(project_copy) -> Path:
    folder = project_copy / "countries" / CODE
    (folder / "notes").mkdir(parents=True)
    lang = edition_language(project_copy)  # the edition is in the last translated language
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
    lang = edition_language(root)
    (root / "countries" / CODE / "notes" / f"99-nowhere.{lang}.md").write_text("x\n", encoding="utf-8")
    check = terrain(root, "check")
    assert check.returncode == 1
    assert f"countries/{CODE}/notes/99-nowhere.{lang}.md: `99-nowhere` is not a module" in check.stderr


def test_country_pages_follow_the_content_policy(with_country):
    """A country folder may come from anyone: its pages may not read files or run code, in the site or in print."""
    root = with_country
    lang = edition_language(root)
    notes = root / "countries" / CODE / "notes"
    (notes / f"05-human-rights-based-approaches.{lang}.md").write_text(
        'Note.\n\n```{include} /etc/passwd\n```\n\n--8<-- "/etc/passwd"\n', encoding="utf-8"
    )
    check = terrain(root, "check")
    assert check.returncode == 1
    name = f"countries/{CODE}/notes/05-human-rights-based-approaches.{lang}.md"
    assert f"{name}:3: the MyST directive `{{include}}`" in check.stderr
    assert f"{name}:6: `--8<--` would paste another file" in check.stderr
    (notes / f"05-human-rights-based-approaches.{lang}.md").unlink()
    (notes / f"06-partnerships-stakeholder-mapping.{lang}.md").symlink_to(root / "README.md")
    check = terrain(root, "check")
    assert check.returncode == 1
    assert (
        f"countries/{CODE}/notes/06-partnerships-stakeholder-mapping.{lang}.md: the file is a symlink" in check.stderr
    )
    printed = terrain(root, "print", "--country", CODE)
    assert printed.returncode == 1 and not (root / "build" / f"downloads-{CODE}").exists()


def test_a_country_edition_writes_into_its_own_folders(monkeypatch):
    from terrain.project import Project

    root = Path(__file__).resolve().parent.parent
    monkeypatch.delenv("TERRAIN_COUNTRY", raising=False)
    assert Project.load(root).downloads == root / "build" / "downloads"
    monkeypatch.setenv("TERRAIN_COUNTRY", CODE)
    assert Project.load(root).downloads == root / "build" / f"downloads-{CODE}"
    monkeypatch.setenv("TERRAIN_COUNTRY", "../elsewhere")  # never a path out of build/
    assert Project.load(root).downloads == root / "build" / "downloads"


@pytest.mark.parametrize("command", ["print", "pack", "build", "serve"])
def test_every_command_names_a_missing_country_before_writing_anything(command):
    root = Path(__file__).resolve().parent.parent
    result = terrain(root, command, "--country", "zz")
    assert result.returncode == 1
    assert "there is no folder countries/zz — copy countries/_template to countries/zz" in result.stderr
    assert not (root / "build" / "downloads-zz").exists() and not (root / "site-zz").exists()
    assert terrain(root, command, "--country", "BF").returncode == 1
    assert "is not a country code" in terrain(root, command, "--country", "BF").stderr


def test_the_template_is_not_an_edition(project_copy):
    assert (project_copy / "countries/_template/country.yml").is_file()
    assert terrain(project_copy, "check").returncode == 0
    build = terrain(project_copy, "build", "--no-print", "--country", "_template")
    assert build.returncode == 1 and "is not a country code" in build.stderr


def pdf_text(pdf: Path) -> str:
    """What a reader sees in a PDF: pdftotext (poppler-utils) when installed, else pypdf."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def flat(text: str) -> str:
    """Text with its line breaks and hyphenation undone, so that a sentence can be looked for."""
    return " ".join(unicodedata.normalize("NFKC", text).replace("-\n", "").split())


def holding(folder: Path, marker: str) -> list[str]:
    """The files under `folder` a reader would find `marker` in: pages, PDFs, and the pages and
    PDFs inside the zips."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            text = flat(pdf_text(path))
        elif path.suffix in (".html", ".md", ".txt", ".json"):
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as pack:
                for name in pack.namelist():
                    data = pack.read(name)
                    if name.endswith(".pdf"):
                        inner = path.parent / f".{path.stem}-{Path(name).name}"
                        inner.write_bytes(data)
                        text = flat(pdf_text(inner))
                        inner.unlink()
                    else:
                        text = data.decode("utf-8", "replace")
                    if marker in text:
                        found.append(f"{path}:{name}")
            continue
        else:
            continue
        if marker in text:
            found.append(str(path))
    return found


@pytest.mark.slow
def test_a_country_edition_has_its_material_and_no_other_edition_does(with_country):
    """Site, print edition and packs of the test country: its note, profile and law are in them,
    in the edition's language only, and in none of the shared edition's outputs."""
    root = with_country
    lang = edition_language(root)
    prefix = "" if lang == languages(root)[0] else f"{lang}/"
    downloads = root / "build" / f"downloads-{CODE}"
    (downloads / "zz").mkdir(parents=True)  # a language the edition had before
    (downloads / "zz" / "handbook.pdf").write_bytes(b"%PDF-1.4 old")
    build = terrain(root, "build", "--quiet", "--country", CODE)  # the print edition, then the site
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert sorted(p.name for p in downloads.iterdir()) == [lang]  # the edition's languages only
    handbook = flat(pdf_text(downloads / lang / "books" / "handbook.pdf"))
    assert NOTE in handbook and "Test country profile" in handbook and "Fictional test mining law" in handbook
    assert handbook.index("Test country profile") < handbook.index(NOTE)  # the profile opens, the note is in its module

    site = root / f"site-{CODE}"
    module = (site / f"{prefix}modules/04-formalisation/index.html").read_text(encoding="utf-8")
    assert NOTE in module
    assert NOTE not in (site / f"{prefix}modules/05-human-rights-based-approaches/index.html").read_text(
        encoding="utf-8"
    )
    assert "Fictional test mining law" in (site / f"{prefix}country.html").read_text(encoding="utf-8")
    assert (site / "downloads" / lang / "books" / "handbook.pdf").read_bytes() == (
        downloads / lang / "books" / "handbook.pdf"
    ).read_bytes()  # the country's site offers the country's handbook

    pack = terrain(root, "pack", "--country", CODE)
    assert pack.returncode == 0, pack.stdout[-2000:] + pack.stderr[-2000:]
    packs = sorted(p.name for p in (downloads / "packs").iterdir())
    assert all(f"-{CODE}" in name for name in packs if name != "SHA256SUMS"), packs
    assert [n for n in packs if n.endswith(f"-{CODE}-{lang}.zip")] and not [
        n for n in packs if n.endswith(".zip") and not n.endswith((f"-{lang}.zip", "-all.zip"))
    ], packs  # a zip per language of the edition, and the all-languages one
    listed = (site / f"{prefix}downloads.html").read_text(encoding="utf-8")
    # the country's site offers them, without a second build
    assert all(name in listed for name in packs if name.endswith((".zip", ".zim"))), packs
    in_pack = holding(downloads / "packs", NOTE)
    assert any(f"{prefix}modules/04-formalisation/index.html" in hit for hit in in_pack), in_pack
    assert any(hit.endswith("books/handbook.pdf") for hit in in_pack), in_pack

    # The shared edition, built in the same checkout, even with the country left in the environment.
    shared_env = dict(os.environ, TERRAIN_COUNTRY=CODE)
    for step in (["build", "--quiet"], ["pack"]):
        result = subprocess.run(
            [sys.executable, "-m", "terrain.cli", "--root", str(root), *step],
            capture_output=True,
            text=True,
            env=shared_env,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert not (root / "site" / f"{prefix}country.html").exists()
    assert (root / "build" / "downloads" / lang / "books" / "handbook.pdf").is_file()
    for marker in (NOTE, "Fictional test mining law", "Test country profile"):
        assert holding(root / "site", marker) == []
        assert holding(root / "build" / "downloads", marker) == []


def test_a_region_tagged_language_is_its_language_for_kiwix():
    from terrain.pack import zim_languages

    assert zim_languages(["fr", "fr-BF", "pt-MZ"]) == "fra,por"


def test_country_pages_get_the_typography_check_of_their_language(with_country):
    from terrain import typography
    from terrain.project import Project

    project = Project.load(with_country)
    typed = [lang for lang in project.languages if typography.style_of(project, lang)]
    if not typed:
        pytest.skip("no configured language asks for a typography")
    lang = typed[0]
    folder = with_country / "countries" / CODE
    text = (folder / "country.yml").read_text(encoding="utf-8")
    if lang not in text.rsplit("languages:", 1)[1]:
        (folder / "country.yml").write_text(text.replace("languages: [", f"languages: [{lang}, ", 1), encoding="utf-8")
    (folder / f"profile.{lang}.md").write_text(
        "---\ntitle: Profil\nsummary: Un profil d’essai, pour les tests seulement.\n---\n\n## Un titre\n\nUn mot : deux.\n",
        encoding="utf-8",
    )
    check = terrain(with_country, "check")
    assert check.returncode == 1 and f"countries/{CODE}/profile.{lang}.md:8: the space before `:`" in check.stderr
    fixed = terrain(with_country, "check", "--fix")
    assert fixed.returncode == 0, fixed.stderr[-2000:]
    assert "Un mot\u00a0: deux." in (folder / f"profile.{lang}.md").read_text(encoding="utf-8")


def test_country_pages_get_the_termbase_and_glossary_checks_of_their_language(with_country):
    """A country team's pages are held to the terminology of their language like the shared
    pages: a variant its termbase forbids, an English acronym the glossary translates."""
    import re

    import yaml

    from terrain.project import Project

    project = Project.load(with_country)
    lang = edition_language(with_country)
    folder = with_country / "countries" / CODE
    termbase = with_country / "data" / "terms" / f"{lang}.yml"
    termbase.parent.mkdir(parents=True, exist_ok=True)
    entries = yaml.safe_load(termbase.read_text(encoding="utf-8")) if termbase.is_file() else None
    termbase.write_text(
        yaml.safe_dump(
            [
                *(entries or []),
                {"id": "test-zorblaxe", "preferred": "plain", "forbidden": ["zorblaxe"], "why": "a test."},
            ]
        ),
        encoding="utf-8",
    )
    acronyms = [
        (entry["en"]["term"], entry[lang]["term"])
        for entry in project.glossary
        if lang != project.default_language
        and re.fullmatch(r"[A-Z][A-Z&]{1,6}s?", entry.get("en", {}).get("term", ""))
        and entry.get(lang, {}).get("term") not in (None, entry["en"]["term"])
    ]
    english = f" {acronyms[0][0]} sites." if acronyms else ""
    (folder / f"profile.{lang}.md").write_text(
        f"---\ntitle: Test country profile\nsummary: A fictional profile, for the tests only.\n---\n\n## Mining\n\nA zorblaxe.{english}\n",
        encoding="utf-8",
    )
    check = terrain(with_country, "check")
    name = f"countries/{CODE}/profile.{lang}.md"
    assert check.returncode == 1
    assert f"{name}:8: 'zorblaxe' — use 'plain' (data/terms/{lang}.yml:" in check.stdout + check.stderr
    if acronyms:
        assert (
            f"{name}:8: `{acronyms[0][0]}` is the English term — write `{acronyms[0][1]}`"
            in check.stdout + check.stderr
        )
