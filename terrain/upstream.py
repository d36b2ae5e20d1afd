"""Every workaround over the internals of Jupyter Book/MyST, Material and static-i18n, in one place.

Each one is pinned to the version it was verified on; tests/test_upstream.py fails loudly when a
pinned version changes, when a copied upstream block changes, or when an internal disappears.
When that test fails: read the row below, check whether upstream fixed it, then drop or re-verify.

| Workaround | What it fixes | Verified on | Drop it when |
|---|---|---|---|
| `typst_shim`: a do-nothing `typst` first on PATH | Jupyter Book runs the typst CLI after writing each .typ; we compile with the typst Python package and our fonts | jupyter-book 2.1.7 | MyST can export .typ without compiling it |
| `jupyter_book_env`: `npm_config_registry="http://[::"` | mystmd asks the npm registry for its latest version on every run: offline, that waits; an unparseable address fails at once | jupyter-book 2.1.7 | mystmd has an option to skip the version check |
| `disguise`/`undisguise`: private-use characters | MyST's Typst writer turns → into `arrow.r`, − into `-`, ß into `$beta$`, × into `$times$`, ½ into `$1/2$`, and a cell starting `+ - = / 1.` into markup | jupyter-book 2.1.7 | the round trip in test_upstream passes without the disguise |
| `tablex`, `cellx`, `noteBlock`… defined in print/templates/terrain.typ, imported by a written `myst-imports.typ` (`MYST_IMPORTS`) | MyST's own definitions import @preview/tablex from the internet | jupyter-book 2.1.7 | MyST's Typst output stops importing packages |
| `myst_dropped`: lines with "⛔" scraped from the output | `jupyter-book build --typst --strict` still exits 0 when content cannot be exported (measured with 2.1.7: an unsupported image prints ⛔ and exits 0) | jupyter-book 2.1.7 | `--strict` exits non-zero on ⛔ |
| overrides/main.html `site_meta` (`MATERIAL_COPIES`) | Material's block minus `<link rel="alternate" hreflang>`: its JavaScript fetches sitemap.xml next to each, a 404 with use_directory_urls: false | mkdocs-material 9.8.1 | Material stops fetching sitemap.xml per alternate link |
| overrides/partials/alternate.html (`MATERIAL_COPIES`) | a page-less template (404.html) sends each language to its home page, not the last page static-i18n built | mkdocs-material 9.8.1 | static-i18n or Material handle page-less templates |
| overrides/partials/search.html (`MATERIAL_COPIES`) | the search dialog (`role="dialog"`) has no accessible name (axe aria-dialog-name, serious): ours adds `aria-label` | mkdocs-material 9.8.1 | Material names its search dialog |
| `nested_language_build`: static-i18n's private `building` | static-i18n builds the other languages inside the first build; the "once" hooks (`_outer_build` in hooks/pipeline.py) must act outside them | mkdocs-static-i18n 1.3.1 | static-i18n exposes a public flag or event |
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

# The versions every workaround below was verified on (the pins of pyproject.toml).
VERIFIED = {"jupyter-book": "2.1.7", "mkdocs-material": "9.8.1", "mkdocs-static-i18n": "1.3.1"}


# ---- Jupyter Book / MyST ---------------------------------------------------------------------


def typst_shim(folder: Path) -> Path:
    """A do-nothing `typst` in `folder`, put first on Jupyter Book's PATH; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "typst"
    shim.write_text("#!/bin/sh\n# Terrain compiles the .typ files itself (terrain/upstream.py).\nexit 0\n")
    shim.chmod(0o755)
    return folder


def jupyter_book_env(shim: Path) -> dict[str, str]:
    """The environment for `jupyter-book build --typst`: the typst shim first, no version check."""
    return dict(
        os.environ,
        PATH=f"{shim}{os.pathsep}{os.environ.get('PATH', '')}",
        npm_config_registry="http://[::",  # unparseable: mystmd's version check fails at once, offline
        NO_COLOR="1",
    )


MYST_DROPPED = "⛔"  # MyST's mark for content it could not export (it still exits 0, even with --strict)


def myst_dropped(output: str) -> list[str]:
    """The lines of Jupyter Book's output that say some content is missing from the export."""
    return [line.strip() for line in output.splitlines() if MYST_DROPPED in line]


# The functions MyST's Typst output calls and print/templates/terrain.typ defines instead.
MYST_TYPST_FUNCTIONS = ("tablex", "cellx", "noteBlock")
MYST_IMPORTS = (
    '// Written by terrain/printing/myst.py: MyST\'s own imports need the internet.\n#import "terrain.typ": *\n'
)

# Characters MyST's Typst writer rewrites travel through Jupyter Book in a private-use disguise
# and are put back in the .typ files.
DISGUISE = 0xF0000
LATIN_REWRITTEN = set("ß×±½¼¾µ·©®")
CELL_START = re.compile(r"^(\s*)([+\-=/]|\d+\.)(?=\s|$)")
ESCAPES = {"+": "\ue001", "-": "\ue002", "=": "\ue003", "/": "\ue004", ".": "\ue005"}
UNESCAPE = {v: "\\" + k for k, v in ESCAPES.items()}


def disguise(text: str) -> str:
    """Hide the characters MyST would rewrite, and markup-like starts of table cells."""

    def char(c: str) -> str:
        code = ord(c)
        if 0x2000 <= code < 0xE000 or 0xF900 <= code <= 0xFFFD or 0x0370 <= code <= 0x03FF or c in LATIN_REWRITTEN:
            return chr(DISGUISE + code)
        return c

    lines = []
    for line in text.split("\n"):
        if line.lstrip().startswith("|"):
            cells = line.split("|")
            line = "|".join(
                CELL_START.sub(lambda m: m.group(1) + "".join(ESCAPES.get(ch, ch) for ch in m.group(2)), cell)
                for cell in cells
            )
        lines.append(line)
    return "".join(char(c) for c in "\n".join(lines))


def undisguise(typst: str) -> str:
    """Put back what disguise() hid, in a .typ file written by Jupyter Book."""

    def back(match: re.Match) -> str:
        c = match.group(0)
        return UNESCAPE[c] if c in UNESCAPE else chr(ord(c) - DISGUISE)

    return re.sub("[\U000f0000-\U000ffffd\ue001-\ue005]", back, typst)


# ---- Material for MkDocs -------------------------------------------------------------------

# Our copy -> (Material's template, the Jinja block copied or None for the whole file, the
# SHA-256 of that upstream text in the verified version). test_upstream recomputes the hash.
MATERIAL_COPIES = {
    "overrides/main.html": (
        "base.html",
        "site_meta",
        "e306b9472bf91403943802f57b9a77a72eabbd2612dfcf341a7c228d6aa8223f",
    ),
    "overrides/partials/alternate.html": (
        "partials/alternate.html",
        None,
        "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
    ),
    "overrides/partials/search.html": (
        "partials/search.html",
        None,
        "bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
    ),
}
MATERIAL_GENERATOR = "mkdocs-material-9.8.1"  # the literal our site_meta copy writes


def material_template(name: str, block: str | None = None) -> str:
    """The text of an installed Material template, or of one `{% block %}` of it."""
    import material

    text = (Path(material.__file__).parent / "templates" / name).read_text(encoding="utf-8")
    if block is None:
        return text
    found = re.search(r"{%-?\s*block " + re.escape(block) + r"\s*-?%}.*?{%-?\s*endblock\s*-?%}", text, re.S)
    if not found:
        raise UpstreamChanged(
            f"Material's {name} has no `{{% block {block} %}}` any more — re-verify overrides/ (terrain/upstream.py)"
        )
    return found.group(0)


# ---- mkdocs-static-i18n --------------------------------------------------------------------


class UpstreamChanged(RuntimeError):
    """An upstream internal a workaround relies on is gone: see the table in terrain/upstream.py."""


def nested_language_build(config: Any) -> bool:
    """True inside static-i18n's build of a further language (hooks act once, outside it).

    Reads the plugin's private `building`; if the attribute disappears, fail loudly rather than
    run every hook once per language (or never)."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return False  # no i18n plugin: one build, never nested
    if not hasattr(plugin, "building"):
        raise UpstreamChanged(
            f"mkdocs-static-i18n no longer has `building` (verified on {VERIFIED['mkdocs-static-i18n']}) — see terrain/upstream.py"
        )
    return bool(plugin.building)
