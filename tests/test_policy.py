"""The content policy against a hostile contributor: every case fails `terrain check` with the
file named and a rule id, changes no source, and publishes nothing (issue 13)."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import LANGUAGES, mkdocs_build, terrain

M1 = "modules/01-understanding-asm"
WS = "worksheets/leverage-incentives-matrix"
SECRET = "TERRAIN-PLANTED-SECRET-7f3a"


def _append(path: str, text: str):
    def apply(root: Path):
        with (root / path).open("a", encoding="utf-8") as f:
            f.write(text)

    return apply


def _title(path: str, title: str):
    def apply(root: Path):
        file = root / path
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(r"^title: .*$", "title: " + title, text, count=1, flags=re.M), encoding="utf-8")

    return apply


def _secret_outside(root: Path) -> Path:
    outside = root.parent / "outside-secret.txt"
    outside.write_text(SECRET + "\n", encoding="utf-8")
    return outside


def _plant_git_config(root: Path):
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "config").write_text(f"[remote]\n  token = {SECRET}\n", encoding="utf-8")


def _include(kind: str, target: str):
    def apply(root: Path):
        _plant_git_config(root)
        _secret_outside(root)
        _append(f"{M1}/index.en.md", f"\n```{{{kind}}} {target}\n```\n")(root)

    return apply


def _stray(root: Path):
    (root / M1 / "credentials.env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")


def _symlink_file(root: Path):
    (root / M1 / "notes.md").symlink_to(_secret_outside(root))


def _symlink_picture(root: Path):
    (root / WS / "map.png").symlink_to(_secret_outside(root))


def _symlink_folder(root: Path):
    outside = root.parent / "outside-folder"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    (root / "docs" / "assets" / "linked").symlink_to(outside, target_is_directory=True)


def _symlink_page(root: Path):
    page = root / M1 / "index.en.md"
    copy = root.parent / "page-elsewhere.md"
    copy.write_text(page.read_text(encoding="utf-8") + f"\n{SECRET}\n", encoding="utf-8")
    page.unlink()
    page.symlink_to(copy)


def _svg_script(root: Path):
    (root / WS / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n', encoding="utf-8"
    )
    _append(f"{WS}/index.en.md", "\n![A map](map.svg)\n")(root)


def _glossary_html(root: Path):
    text = (root / "data/glossary.yml").read_text(encoding="utf-8")
    (root / "data/glossary.yml").write_text(
        text.replace("definition: ", "definition: <img src=x onerror=alert(1)> ", 1), encoding="utf-8"
    )


def _ui_html(root: Path):
    text = (root / "data/ui/fr.yml").read_text(encoding="utf-8")
    first = re.search(r"^(\s+[a-z_]+: )(\S.*)$", text, re.M)
    (root / "data/ui/fr.yml").write_text(
        text.replace(first.group(0), first.group(1) + '"<script>alert(1)</script>"', 1), encoding="utf-8"
    )


def _ui_attribute(root: Path):
    """A quote then ` onmouseover=`: escaped, harmless in a page, but inside a label's attribute the
    built site's check reads it as an event handler; `terrain check` must name it first."""
    text = (root / "data/ui/fr.yml").read_text(encoding="utf-8")
    first = re.search(r"^(\s+[a-z_]+: )(\S.*)$", text, re.M)
    (root / "data/ui/fr.yml").write_text(
        text.replace(first.group(0), first.group(1) + "'Lien\" onmouseover=alert(1) x'", 1), encoding="utf-8"
    )


def _glossary_link(root: Path):
    text = (root / "data/glossary.yml").read_text(encoding="utf-8")
    (root / "data/glossary.yml").write_text(
        text.replace("definition: ", "definition: See [this](vbscript:msgbox) ", 1), encoding="utf-8"
    )


def _reading_js(root: Path):
    text = (root / "data/readings.yml").read_text(encoding="utf-8")
    url = re.search(r"url: (\S+)", text).group(1)
    (root / "data/readings.yml").write_text(text.replace(url, "javascript:alert(1)", 1), encoding="utf-8")


EN = f"{M1}/index.en.md"
FR = f"{M1}/index.fr.md"
CASES = {
    # name: (change, file named, rule id)
    "MyST include of .git/config": (_include("include", "../../.git/config"), EN, "directive"),
    "MyST literalinclude outside": (_include("literalinclude", "../../../outside-secret.txt"), EN, "directive"),
    "MyST colon directive": (_append(EN, "\n:::{include} ../../.git/config\n:::\n"), EN, "directive"),
    "MyST directive in a quotation and a list": (
        _append(EN, "\n> - ```{include} ../../.git/config\n>   ```\n"),
        EN,
        "directive",
    ),
    "MyST role": (_append(EN, "\nSee {download}`../../.git/config`.\n"), EN, "directive"),
    "snippet": (lambda r: (_plant_git_config(r), _append(EN, '\n--8<-- ".git/config"\n')(r)), EN, "snippet"),
    "snippet in a worksheet": (
        _append(f"{WS}/index.fr.md", '\n;--8<-- "mkdocs.yml"\n'),
        f"{WS}/index.fr.md",
        "snippet",
    ),
    "symlinked file in a module": (_symlink_file, f"{M1}/notes.md", "symlink"),
    "symlinked picture": (_symlink_picture, f"{WS}/map.png", "symlink"),
    "symlinked folder in docs": (_symlink_folder, "docs/assets/linked", "symlink"),
    "symlinked page": (_symlink_page, EN, "symlink"),
    "remote image": (_append(EN, "\n![A mine](https://example.org/mine.png)\n"), EN, "image-url"),
    "protocol-relative image": (_append(EN, "\n![A mine](//example.org/mine.png)\n"), EN, "image-url"),
    "raw img tag": (_append(EN, '\n<img src="https://example.org/x.png" alt="x">\n'), EN, "html-tag"),
    "image outside the folder": (_append(EN, "\n![The key](../../.git/config.png)\n"), EN, "image-file"),
    "script tag": (_append(EN, "\n<script>alert(1)</script>\n"), EN, "html-tag"),
    "script inside a comment-looking line": (_append(EN, "\n<!-- x --> <script>alert(1)</script>\n"), EN, "html-tag"),
    "script after a mismatched fence": (
        _append(EN, "\n~~~\n```\n~~~\n<script>alert(1)</script>\n```\n"),
        EN,
        "html-tag",
    ),
    "event handler on the next line": (
        _append(EN, "\n<details\nontoggle=alert(1) open><summary>x</summary>y</details>\n"),
        EN,
        "html-attribute",
    ),
    "script after an empty comment": (_append(EN, "\n<!--><script>alert(1)</script>-->\n"), EN, "html-tag"),
    "script after an over-indented fence": (
        _append(EN, "\n     ```\n<script>alert(1)</script>\n     ```\n"),
        EN,
        "html-tag",
    ),
    "script after an unmatched double backtick": (_append(EN, "\n``<script>alert(1)</script>`\n"), EN, "html-tag"),
    "tab-entity javascript: link": (_append(EN, "\n[Open](java&#9;script:alert(1))\n"), EN, "link-scheme"),
    "event handler attribute": (
        _append(EN, '\n<details ontoggle="alert(1)" open><summary>x</summary>y</details>\n'),
        EN,
        "html-attribute",
    ),
    "style with url()": (
        _append(EN, '\n<div style="background:url(https://example.org/t.gif)">x</div>\n'),
        EN,
        "html-attribute",
    ),
    "on* through attribute list": (_append(EN, '\n## Heading {: onclick="alert(1)" }\n'), EN, "attribute-list"),
    "javascript: link": (_append(EN, "\n[Open](javascript:alert(1))\n"), EN, "link-scheme"),
    "entity-hidden javascript: link": (_append(EN, "\n[Open](jav&#x61;script:alert(1))\n"), EN, "link-scheme"),
    "data: link": (_append(EN, "\n[Open](data:text/html;base64,PHNjcmlwdD4=)\n"), EN, "link-scheme"),
    "javascript: reference link": (_append(EN, "\n[Open][x]\n\n[x]: javascript:alert(1)\n"), EN, "link-scheme"),
    "javascript: autolink": (_append(EN, "\n<javascript:alert(1)>\n"), EN, "link-scheme"),
    "image with brackets in its alt text": (_append(EN, "\n![a [b] c](https://example.org/x.png)\n"), EN, "image-url"),
    "file: link": (_append(EN, "\n[Open](file:///etc/passwd)\n"), EN, "link-scheme"),
    "HTML in a title": (_title(EN, "'<img src=x onerror=alert(1)>'"), EN, "plain-text"),
    "HTML in a French title": (_title(FR, "'Comprendre <script>alert(1)</script>'"), FR, "plain-text"),
    "meta refresh": (
        _append(EN, '\n<meta http-equiv="refresh" content="0;url=https://example.org">\n'),
        EN,
        "html-tag",
    ),
    "style tag with @import": (
        _append(EN, "\n<style>@import url(https://example.org/x.css);</style>\n"),
        EN,
        "html-tag",
    ),
    "object": (_append(EN, '\n<object data="https://example.org/x.swf"></object>\n'), EN, "html-tag"),
    "embed": (_append(EN, '\n<embed src="https://example.org/x.swf">\n'), EN, "html-tag"),
    "video poster": (_append(EN, '\n<video poster="https://example.org/p.png"></video>\n'), EN, "html-tag"),
    "iframe": (_append(EN, '\n<iframe src="https://example.org"></iframe>\n'), EN, "html-tag"),
    "svg with script": (_svg_script, f"{WS}/map.svg", "svg-active"),
    "HTML in the glossary": (_glossary_html, "data/glossary.yml", "plain-text"),
    "vbscript: link in the glossary": (_glossary_link, "data/glossary.yml", "link-scheme"),
    "HTML in interface strings": (_ui_html, "data/ui/fr.yml", "plain-text"),
    "an event handler's text in an interface string": (_ui_attribute, "data/ui/fr.yml", "plain-text"),
    "javascript: reading": (_reading_js, "data/readings.yml", "link-scheme"),
    "docs page with script": (
        _append("docs/about.en.md", "\n<script>alert(1)</script>\n"),
        "docs/about.en.md",
        "html-tag",
    ),
}


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        parts = set(path.relative_to(root).parts)
        if path.is_file() and not path.is_symlink() and not {"build", "site", "node_modules"} & parts:
            digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def _check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), "check"], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_case_fails_check_with_file_and_rule(case, project_copy):
    change, filename, rule = CASES[case]
    change(project_copy)
    before = _digest(project_copy)
    result = _check(project_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [l for l in result.stderr.splitlines() if l.startswith(filename) and f"[{rule}]" in l]
    assert lines, f"no [{rule}] problem names {filename}:\n{result.stderr}"
    assert " — " in lines[0], "the message says how to fix it"
    assert SECRET not in result.stdout + result.stderr
    assert _digest(project_copy) == before, "checking changed the sources"


def test_a_stray_file_is_a_warning_and_never_published(project_copy):
    _stray(project_copy)
    result = _check(project_copy)
    assert result.returncode == 0, result.stderr
    assert f"warning: {M1}/credentials.env: " in result.stderr and "[stray-file]" in result.stderr
    from terrain.project import Project
    from terrain.site import staged_files

    staged = staged_files(Project.load(project_copy))
    assert not [k for k in staged if k.endswith("credentials.env")]
    assert all(not p.is_symlink() for p in staged.values())


@pytest.mark.slow
def test_a_stray_file_never_reaches_the_site(project_copy):
    _stray(project_copy)
    result = mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "credentials.env" in result.stdout + result.stderr  # named as a warning
    assert _secret_anywhere(project_copy) == []


def test_real_sources_follow_the_policy(project):
    from terrain import policy

    assert policy.check_policy(project) == []


def test_every_problem_is_reported_at_once(project_copy):
    for case in ("script tag", "symlinked file in a module", "HTML in the glossary", "remote image"):
        CASES[case][0](project_copy)
    result = _check(project_copy)
    for case in ("script tag", "symlinked file in a module", "HTML in the glossary", "remote image"):
        _, filename, rule = CASES[case]
        assert any(l.startswith(filename) and f"[{rule}]" in l for l in result.stderr.splitlines()), (
            case,
            result.stderr,
        )


def test_snippets_extension_is_not_configured():
    root = Path(__file__).resolve().parent.parent
    assert "pymdownx.snippets" not in (root / "mkdocs.yml").read_text(encoding="utf-8")


# ---- bounded work ---------------------------------------------------------------------------------

BOMB = """a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""

SLOW_CASES = {
    "YAML alias bomb": (
        lambda r: (r / M1 / "module.yml").write_text(
            (r / M1 / "module.yml").read_text(encoding="utf-8") + BOMB, encoding="utf-8"
        ),
        f"{M1}/module.yml",
        "yaml-aliases",
    ),
    "2 MB line": (_append(EN, "\n" + "a " * 1_000_000 + "\n"), EN, "line-too-long"),
    "80 KB of unclosed links": (_append(EN, "\n" + "[x](" * 20_000 + "\n"), EN, "line-too-long"),
    "many unclosed links on short lines": (_append(EN, "\n" + ("[x](" * 2000 + "\n") * 20), EN, "link"),
    "2 MB of unclosed links in a French paragraph": (
        _append(FR, "\n" + ("[x](" * 2400 + "\n") * 200),
        FR,
        "file-too-large",
    ),
    "150 KB of unclosed links in a French paragraph": (_append(FR, "\n" + ("[x](" * 2400 + "\n") * 15), FR, "link"),
    "many tags and backticks": (_append(EN, "\n" + ("<br>`a" * 1500 + "\n") * 100), EN, "link"),
}


@pytest.mark.parametrize("case", list(SLOW_CASES))
def test_hostile_input_is_refused_quickly(case, project_copy):
    change, filename, words = SLOW_CASES[case]
    change(project_copy)
    # the processor time the check used: the wall-clock time also counts the other jobs sharing the machine
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = _check(project_copy)
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert used < 20, f"check took {used:.1f} s of processor time ({elapsed:.1f} s in all)"
    if words != "link":
        assert result.returncode == 1
        assert any(l.startswith(filename) and words in l for l in result.stderr.splitlines()), result.stderr[-2000:]


def test_duplicate_yaml_keys_are_errors(project_copy):
    path = project_copy / M1 / "module.yml"
    path.write_text(path.read_text(encoding="utf-8") + "duration: 90\n", encoding="utf-8")
    result = _check(project_copy)
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(M1)}/module.yml:\d+: .*`duration`.*twice", result.stderr, re.M), result.stderr


def test_non_utf8_source_is_named(project_copy):
    path = project_copy / EN
    path.write_bytes(path.read_bytes() + b"\n\xff\xfe caf\xe9\n")
    result = _check(project_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(rf"^{re.escape(EN)}:\d+: .*UTF-8", result.stderr, re.M), result.stderr


def test_check_outside_a_project_says_so(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(tmp_path), "check"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "mkdocs.yml" in result.stderr


# ---- nothing published ----------------------------------------------------------------------------


def _secret_anywhere(root: Path) -> list[str]:
    found = []
    for folder in ("site", "build"):
        for path in (root / folder).rglob("*") if (root / folder).exists() else []:
            if path.is_file() and SECRET.encode() in path.read_bytes():
                found.append(path.relative_to(root).as_posix())
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        "MyST include of .git/config",
        "snippet",
        "symlinked file in a module",
        "symlinked folder in docs",
        "symlinked page",
    ],
)
def test_hostile_build_publishes_nothing(case, project_copy):
    change, filename, _rule = CASES[case]
    change(project_copy)
    result = mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode != 0
    assert filename in result.stdout + result.stderr
    assert not (project_copy / "site" / "index.html").exists(), "a site was published"
    assert _secret_anywhere(project_copy) == []


@pytest.mark.slow
def test_print_checks_first_and_writes_nothing(project_copy):
    CASES["MyST include of .git/config"][0](project_copy)
    result = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "print", "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    assert "[directive]" in result.stderr
    assert not (project_copy / "build" / "downloads").exists() or not any(
        (project_copy / "build" / "downloads").rglob("*.pdf")
    )
    assert _secret_anywhere(project_copy) == []


@pytest.mark.slow  # runs a build
def test_pack_checks_first(project_copy):
    CASES["script tag"][0](project_copy)
    (project_copy / "site").mkdir()
    (project_copy / "site" / "index.html").write_text("<p>old</p>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "pack"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "[html-tag]" in result.stderr
    assert not (project_copy / "build" / "downloads" / "packs").exists()


@pytest.mark.parametrize("name", ["data/glossary.yml", "data/readings.yml"])
def test_empty_data_file_is_an_error(name, project_copy):
    (project_copy / name).write_text("# nothing\n", encoding="utf-8")
    result = _check(project_copy)
    assert result.returncode == 1
    assert any(l.startswith(name) and "[empty-data]" in l for l in result.stderr.splitlines()), result.stderr


def test_unclosed_front_matter_is_named_as_such(project_copy):
    path = project_copy / EN
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\n\n", 1), encoding="utf-8")
    result = _check(project_copy)
    assert re.search(rf"^{re.escape(EN)}:1: .*never closed", result.stderr, re.M), result.stderr


# ---- defence in depth: the built pages ----------------------------------------------------------

ACTIVE_PAGES = {
    "inline script in content": "<article><script>alert(1)</script></article>",
    "event handler in content": '<article><p onclick="alert(1)">x</p></article>',
    "iframe": '<article><iframe src="x.html"></iframe></article>',
    "object": '<article><object data="x.swf"></object></article>',
    "meta refresh": '<head><meta http-equiv="refresh" content="0;url=https://example.org"></head>',
    "base": '<head><base href="https://example.org/"></head>',
    "javascript: link": '<article><a href="javascript:alert(1)">x</a></article>',
    "remote image": '<article><img src="https://example.org/x.png" alt="x"></article>',
    "poster": '<article><p poster="https://example.org/p.png"></p></article>',
    "srcdoc": '<article><p srcdoc="&lt;script&gt;"></p></article>',
    "style url()": '<article><p style="background:url(https://example.org/t.gif)">x</p></article>',
    "style @import": "<style>@import 'https://example.org/x.css';</style>",
    # spellings the check finds by reading back from each `=` (terrain/checks.py, _BEFORE_EQUALS)
    "remote source, tab, capitals": '<article><img\tSRC="HTTPS://example.org/x.png" alt="x"></article>',
    "remote source, long s": '<article><img \u017frc="//example.org/x.png" alt="x"></article>',
    "remote source, = on its own line": '<article><img alt="x"\nsrc\n=\n"//example.org/x.png"></article>',
    "remote source, unquoted": "<article><img alt=x src=//example.org/x.png></article>",
    "javascript: link, entity": '<article><a href="&#106;avascript:alert(1)">x</a></article>',
    "style url(), capitals, long s": '<article><p \u017fTYLE = "background:URL(//example.org/t.gif)">x</p></article>',
    "style @import, capitals": "<STYLE>@IMPORT 'https://example.org/x.css';</STYLE>",
    "style element after a style attribute": '<p style="<style>"></p><style>@import "x.css";</style>',
}


@pytest.mark.parametrize("case", list(ACTIVE_PAGES))
def test_built_html_check_names_active_content(case, tmp_path):
    from terrain.checks import check_site_active

    (tmp_path / "page.html").write_text(f"<html>{ACTIVE_PAGES[case]}</html>", encoding="utf-8")
    problems = check_site_active(tmp_path)
    assert problems and problems[0].path == "site/page.html" and problems[0].rule == "site-active"


def test_built_html_check_reads_a_style_attribute_as_a_browser_does(tmp_path):
    """A `<style>` inside a style attribute's value is text: what follows it is no style sheet."""
    from terrain.checks import check_site_active

    page = '<html><article><p style="<style>">url(//example.org/x.png)</style></p></article></html>'
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert check_site_active(tmp_path) == []
    (tmp_path / "page.html").write_text(page.replace('style="<style>"', 'title="x"><style'), encoding="utf-8")
    assert check_site_active(tmp_path), "the same text in a <style> element loads from another site"


def test_csp_hashes_only_the_themes_scripts():
    from terrain.site import content_security_policy

    page = '<html><head><meta charset="utf-8"><script>theme()</script></head><body><article><script>evil()</script></article></body></html>'
    out = content_security_policy(page)
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', out).group(1)
    assert "default-src 'self'" in policy and "unsafe-inline'" not in policy.split("script-src")[1]
    assert len(re.findall(r"'sha256-", policy)) == 1  # theme() only, never the content's script


def test_a_page_that_names_the_csp_in_its_text_still_gets_one():
    """A page that wrote `Content-Security-Policy` in its text was taken for one that had the
    policy already, and was published without it: a page could switch off its own policy."""
    from terrain.site import content_security_policy

    page = '<html><head><meta charset="utf-8"><title>http-equiv="Content-Security-Policy"</title></head><body><article><p>Content-Security-Policy</p><p>http-equiv="Content-Security-Policy"</p></article></body></html>'
    out = content_security_policy(page)
    assert out.count('<meta http-equiv="Content-Security-Policy"') == 1, out
    assert content_security_policy(out) == out  # one policy, however often the page passes


@pytest.mark.slow
def test_every_built_page_carries_the_csp(site):
    pages = sorted(site.rglob("*.html"))
    assert pages
    missing = [
        p.relative_to(site).as_posix()
        for p in pages
        if 'http-equiv="Content-Security-Policy"' not in p.read_text(encoding="utf-8")
    ]
    assert not missing, missing
    assert (site / "assets/javascripts/iframe-worker-inner.js").is_file(), (
        "the file:// search shim runs without inline script"
    )


# ---- i18n new: valid arguments, all or nothing ------------------------------------------------------


def test_i18n_new_with_a_colon_in_the_name_writes_valid_yaml(project_copy):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "terrain.cli",
            "--root",
            str(project_copy),
            "i18n",
            "new",
            "pt",
            "--name",
            "Português: Brasil",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    from terrain.project import Project

    project = Project.load(project_copy)
    assert "pt" in project.languages
    assert project.ui["pt"]["language_name"] == "Português: Brasil"


@pytest.mark.parametrize("name", ["\t", "a\nb: c", "x" * 200])
def test_i18n_new_refuses_a_bad_name_and_changes_nothing(name, project_copy):
    before = _digest(project_copy)
    result = subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "i18n", "new", "pt", "--name", name],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "terrain i18n new:" in result.stderr
    assert _digest(project_copy) == before


def test_i18n_new_failing_half_way_changes_nothing(project_copy, monkeypatch):
    from terrain import i18n
    from terrain.project import Project

    project = Project.load(project_copy)
    before = _digest(project_copy)
    real = Path.write_text
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(OSError):
        i18n.new_language(project, "pt", "Português")
    monkeypatch.undo()
    assert _digest(project_copy) == before
    assert not list(project_copy.rglob("index.pt.md"))


@pytest.mark.parametrize(
    "content",
    [
        "[unclosed\n",
        "- a list\n",
        "javascript:alert(1): {status: '200'}\n",
        "https://example.org: {status: '<script>x</script>'}\n",
    ],
)
def test_bad_link_status_file_is_named(content, project_copy):
    (project_copy / "data/link-status.yml").write_text(content, encoding="utf-8")
    result = _check(project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any(l.startswith("data/link-status.yml:") for l in result.stderr.splitlines()), result.stderr


def test_links_online_has_an_overall_deadline(monkeypatch):
    from terrain import links

    monkeypatch.setattr(links, "probe", lambda url, timeout: time.sleep(3) or "200")
    start = time.monotonic()
    results = links.check_urls(["https://a.example", "https://b.example"], workers=2, deadline=0.5)
    assert time.monotonic() - start < 2.5
    assert all(v.startswith("unchecked") for v in results.values())


# ---- structure that was silently accepted ----------------------------------------------------------


def _set_yml(slug: str, key: str, value: str):
    def apply(root: Path):
        path = root / "modules" / slug / "module.yml"
        text = path.read_text(encoding="utf-8")
        if re.search(rf"^{key}:", text, re.M):
            text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
        else:
            text += f"\n{key}: {value}\n"
        path.write_text(text, encoding="utf-8")

    return apply


def _two_modules(root: Path) -> tuple[str, str]:
    slugs = sorted(p.name for p in (root / "modules").iterdir() if p.is_dir())
    return slugs[0], slugs[1]


def test_two_modules_with_the_same_order(project_copy):
    a, b = _two_modules(project_copy)
    order = re.search(
        r"^order: (\d+)", (project_copy / "modules" / a / "module.yml").read_text(encoding="utf-8"), re.M
    ).group(1)
    _set_yml(b, "order", order)(project_copy)
    result = _check(project_copy)
    assert re.search(rf"^modules/{b}/module.yml:\d+: .*\[order\]", result.stderr, re.M), result.stderr


def test_self_and_circular_prerequisites(project_copy):
    a, b = _two_modules(project_copy)
    _set_yml(a, "prerequisites", f"[{b}]")(project_copy)
    _set_yml(b, "prerequisites", f"[{a}, {b}]")(project_copy)
    result = _check(project_copy)
    assert "names itself" in result.stderr and "go round in a circle" in result.stderr, result.stderr
    assert "[prerequisite]" in result.stderr


def test_heading_level_jump(project_copy):
    _append(EN, "\n#### Too deep\n")(project_copy)
    result = _check(project_copy)
    assert re.search(rf"^{re.escape(EN)}:\d+: .*\[heading-level\]", result.stderr, re.M), result.stderr


def test_unknown_key_is_reported_at_its_line(project_copy):
    path = project_copy / M1 / "module.yml"
    text = path.read_text(encoding="utf-8") + "\ncolour: blue\n"
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("colour: blue") + 1
    result = _check(project_copy)
    assert re.search(rf"^{re.escape(M1)}/module.yml:{line}: .*unknown key `colour`", result.stderr, re.M), result.stderr


def test_tab_in_yaml_is_named(project_copy):
    path = project_copy / M1 / "module.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\nextra:\n\t- x\n", encoding="utf-8")
    result = _check(project_copy)
    assert "tab" in result.stderr and f"{M1}/module.yml:" in result.stderr, result.stderr


# ---- atomic outputs --------------------------------------------------------------------------------


def _terrain(root: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return terrain(root, *args, timeout=timeout)


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_site(project_copy):
    (project_copy / "site").mkdir()
    (project_copy / "site" / "index.html").write_text("previous site", encoding="utf-8")
    CASES["script tag"][0](project_copy)
    result = _terrain(project_copy, "build", "--no-print", "--quiet")
    assert result.returncode != 0
    assert "[html-tag]" in result.stdout + result.stderr
    assert (project_copy / "site" / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not (project_copy / "build" / "site.new").exists()


@pytest.mark.slow  # runs a build
def test_a_second_build_at_once_is_refused(project_copy):
    import fcntl

    (project_copy / "build").mkdir()
    with (project_copy / "build" / ".site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = _terrain(project_copy, "build", "--no-print", "--quiet", timeout=120)
    assert result.returncode == 1
    assert "another build" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_print_refuses_a_malformed_module_yml(project_copy):
    path = project_copy / M1 / "module.yml"
    path.write_text(
        re.sub(r"^order: .*$", "order: first", path.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8"
    )
    result = _terrain(project_copy, "print", "--quiet")
    assert result.returncode == 1
    assert f"{M1}/module.yml" in result.stderr
    assert not (project_copy / "build" / "downloads").exists()


def test_half_written_packs_are_never_published(tmp_path, monkeypatch):
    from terrain.project import Project
    from terrain.site import copy_downloads

    root = Path(__file__).resolve().parent.parent
    project = Project.load(root)
    source = tmp_path / "downloads"
    (source / "packs").mkdir(parents=True)
    (source / "packs" / "terrain-x-all.zip.part").write_bytes(b"half")
    (source / ".packs.new-1").mkdir()
    (source / ".packs.new-1" / "terrain-x-all.zip").write_bytes(b"new")
    (source / "packs" / "SHA256SUMS").write_text("x  terrain-x-all.zip\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(type(project), "downloads", property(lambda self: source))
    copy_downloads(site, project)
    published = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert published == ["downloads/packs/SHA256SUMS"]


def test_a_print_after_the_build_leaves_the_published_files_as_they_were(tmp_path, monkeypatch):
    """The site's downloads are hard links to build/downloads where the file system allows: a print
    made after the build writes new files (pack.write_whole) and the site keeps what it published."""
    from terrain.pack import write_whole
    from terrain.project import Project
    from terrain.site import copy_downloads

    project = Project.load(Path(__file__).resolve().parent.parent)
    source = tmp_path / "downloads"
    (source / "en").mkdir(parents=True)
    write_whole(source / "en" / "sheet.pdf", b"%PDF-1")
    site = tmp_path / "site"
    monkeypatch.setattr(type(project), "downloads", property(lambda self: source))
    assert copy_downloads(site, project) == 1
    write_whole(source / "en" / "sheet.pdf", b"%PDF-2")
    assert (site / "downloads/en/sheet.pdf").read_bytes() == b"%PDF-1"
    assert copy_downloads(site, project) == 1 and (site / "downloads/en/sheet.pdf").read_bytes() == b"%PDF-2"


def test_an_interrupted_pack_keeps_the_previous_packs(project_copy, monkeypatch):
    from terrain import pack
    from terrain.project import Project

    project = Project.load(project_copy)
    (project_copy / "site").mkdir()
    (project_copy / "site" / "index.html").write_text("<title>x</title>", encoding="utf-8")
    packs = project.downloads / "packs"
    packs.mkdir(parents=True)
    (packs / "SHA256SUMS").write_text("old\n", encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pack, "write_zim", interrupted)
    with pytest.raises(pack.PackError, match="interrupted"):
        pack.build_packs(project)
    assert sorted(p.name for p in packs.iterdir()) == ["SHA256SUMS"]
    assert (packs / "SHA256SUMS").read_text(encoding="utf-8") == "old\n"
    assert not [p for p in project.downloads.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_terrain_serve_ends_its_mkdocs_child_when_terminated(project_copy):
    import signal
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("mkdocs serve did not start")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        time.sleep(1)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        if process.poll() is None:
            process.kill()


def test_serve_port_out_of_range_is_a_message(project_copy):
    result = _terrain(project_copy, "serve", "--port", "70000", timeout=60)
    assert result.returncode == 2 and "not a port number" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "stray", ["docs/secrets.yml", "docs/assets/notes.txt", "worksheets/country-profile/export.docx"]
)
def test_stray_files_anywhere_are_named_and_not_staged(stray, project_copy):
    (project_copy / stray).write_text(SECRET, encoding="utf-8")
    result = _check(project_copy)
    assert f"warning: {stray}: " in result.stderr, result.stderr
    from terrain.project import Project
    from terrain.site import staged_files

    assert not [k for k, p in staged_files(Project.load(project_copy)).items() if SECRET.encode() in p.read_bytes()]


def test_a_site_that_fails_its_checks_is_set_aside(tmp_path):
    from terrain.site import set_aside

    built = tmp_path / "site"
    built.mkdir()
    (built / "index.html").write_text("broken", encoding="utf-8")
    assert set_aside(built) == tmp_path / "site.failed"
    assert not built.exists() and (tmp_path / "site.failed" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("draft_language", [False, True], ids=["as configured", "with a draft language added"])
def test_mkdocs_build_failing_the_site_check_leaves_no_site(project_copy, draft_language):
    if draft_language:  # its drafts show the English page: the warning stops that language's build first
        code = next(c for c in ("qa", "qb", "qc") if c not in LANGUAGES)
        added = subprocess.run(
            [sys.executable, "-m", "terrain.cli", "--root", str(project_copy), "i18n", "new", code],
            capture_output=True,
            text=True,
        )
        assert added.returncode == 0, added.stderr
    _append(EN, "\n[The sheet](../../downloads/en/worksheets/no-such-sheet.pdf)\n")(project_copy)
    assert _check(project_copy).returncode == 0  # only the built site can tell
    result = mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode != 0
    assert "no-such-sheet.pdf" in result.stdout + result.stderr
    assert not (project_copy / "site").exists()
    assert (project_copy / "site.failed" / "index.html").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_or_device_named_like_a_picture_is_never_published(tmp_path):
    """A named pipe called `x.png` (or, for root, a device node) would hang a reader or publish
    what it reads from; only regular files are published."""
    from terrain import policy

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "real.png").write_bytes(b"\x89PNG")
    os.mkfifo(docs / "x.png")
    reasons = dict(policy.folder_files(docs, tmp_path, policy.DOCS_EXTENSIONS, recursive=True))
    assert reasons[docs / "real.png"] is None
    assert reasons[docs / "x.png"] and "not a regular file" in reasons[docs / "x.png"]


def test_a_docs_folder_named_downloads_is_refused(project_copy):
    """The site's downloads/ is filled from build/downloads once the pages are written: a page
    folder named like a PDF of it (docs/downloads/en/books/handbook.pdf/) stopped the build with a
    traceback, and a page there would have taken a download's place (found by the hostile review)."""
    folder = project_copy / "docs" / "downloads" / "en" / "books" / "handbook.pdf"
    folder.mkdir(parents=True)
    for lang in LANGUAGES:
        (folder / f"page.{lang}.md").write_text(f"---\ntitle: Page {lang}\nsummary: A page.\n---\n\n{lang}\n")
    result = _check(project_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [l for l in result.stderr.splitlines() if l.startswith("docs/downloads") and "[reserved-folder]" in l]
    assert lines and " — " in lines[0], result.stderr
