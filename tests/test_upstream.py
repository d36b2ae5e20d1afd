"""Canaries for the workarounds in terrain/upstream.py: each fails loudly when upstream changes."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import pytest

from terrain import upstream

ROOT = Path(__file__).resolve().parent.parent
PINS = dict(
    re.match(r"([A-Za-z0-9_.-]+)==(\S+)$", d).groups()
    for d in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
)
ROUND_TRIP = "→ − ß × ½ « »"


@pytest.mark.parametrize("package", sorted(PINS))
def test_installed_version_is_the_pinned_one(package):
    assert version(package) == PINS[package], (
        f"{package} {version(package)} is installed, pyproject.toml pins {PINS[package]}: run `make setup`, or re-verify terrain/upstream.py before changing the pin"
    )


@pytest.mark.parametrize("package", sorted(upstream.VERIFIED))
def test_workarounds_were_verified_on_the_pinned_version(package):
    assert upstream.VERIFIED[package] == PINS[package], (
        f"the pin of {package} moved to {PINS[package]}: re-verify every row of terrain/upstream.py for it, then update VERIFIED"
    )


@pytest.mark.parametrize("copy", sorted(upstream.MATERIAL_COPIES))
def test_copied_material_template_is_unchanged_upstream(copy):
    template, block, digest = upstream.MATERIAL_COPIES[copy]
    text = upstream.material_template(template, block)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest, (
        f"Material's {template} ({block or 'whole file'}) changed: merge it into {copy} again, then update its hash in terrain/upstream.py"
    )
    assert (ROOT / copy).is_file()


def test_site_meta_copy_names_the_installed_material():
    assert f"mkdocs-material-{version('mkdocs-material')}" == upstream.MATERIAL_GENERATOR
    assert upstream.MATERIAL_GENERATOR in (ROOT / "overrides/main.html").read_text(encoding="utf-8")


def test_static_i18n_still_has_building():
    from mkdocs_static_i18n.plugin import I18n

    plugin = I18n()
    assert upstream.nested_language_build(SimpleNamespace(plugins={"i18n": plugin})) is False
    plugin.building = True
    assert upstream.nested_language_build(SimpleNamespace(plugins={"i18n": plugin})) is True


def test_the_building_guard_fails_loudly_when_the_attribute_is_gone():
    with pytest.raises(upstream.UpstreamChanged, match="building"):
        upstream.nested_language_build(SimpleNamespace(plugins={"i18n": object()}))
    assert upstream.nested_language_build(SimpleNamespace(plugins={})) is False


def test_print_template_defines_every_function_myst_calls():
    template = (ROOT / "print/templates/terrain.typ").read_text(encoding="utf-8")
    for name in upstream.MYST_TYPST_FUNCTIONS:
        assert re.search(rf"^#let {name}\(", template, re.M), f"print/templates/terrain.typ no longer defines `{name}`"


@pytest.mark.slow  # runs Jupyter Book (Node) once
def test_myst_typst_export_round_trip(tmp_path):
    """The disguise brings every character back; MyST still rewrites them without it (else drop
    the disguise); --strict still exits 0 on ⛔ (else use it instead of scraping); tables are tablex."""
    (tmp_path / "page.md").write_text(
        "---\ntitle: Canary\n---\n\n"
        f"Disguised: {upstream.disguise(ROUND_TRIP)}\n\nPlain: {ROUND_TRIP}\n\n"
        "![a film](missing.mp4)\n\n| a | b |\n|---|---|\n| x | y |\n",
        encoding="utf-8",
    )
    export = {
        "id": "canary",
        "format": "typst",
        "template": str(ROOT / "print/templates/handbook"),
        "output": "out/page.typ",
        "articles": ["page.md"],
        "lang": "en",
        "cover_title": "C",
        "licence": "L",
        "contents_label": "Contents",
        "edition": "E",
    }
    (tmp_path / "myst.yml").write_text(
        json.dumps({"version": 1, "project": {"title": "Canary", "toc": [{"file": "page.md"}], "exports": [export]}}),
        encoding="utf-8",
    )
    shim = upstream.typst_shim(tmp_path / "_bin")
    run = subprocess.run(
        [sys.executable, "-m", "jupyter_book", "build", "--typst", "--strict"],
        cwd=tmp_path,
        env=upstream.jupyter_book_env(shim),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    typ = (tmp_path / "out/page.typ").read_text(encoding="utf-8")
    assert f"Disguised: {ROUND_TRIP}" in upstream.undisguise(typ), typ
    plain = re.search(r"Plain: (.*)", typ).group(1)
    assert plain != ROUND_TRIP, "MyST no longer rewrites these characters: the disguise may go (terrain/upstream.py)"
    assert upstream.myst_dropped(output), output
    assert run.returncode == 0, "`--strict` now fails on ⛔: use it instead of myst_dropped (terrain/upstream.py)"
    assert "tablex(" in typ
