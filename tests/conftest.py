"""Shared fixtures: the real project, its print edition and its built site, each made once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _languages() -> list[str]:
    from terrain.project import site_languages

    return site_languages(ROOT)


LANGUAGES = _languages()  # the configured languages, default first: tests iterate over these, never a fixed list


def in_language(name: str, lang: str) -> bool:
    """Whether a built page (path relative to the site) is in `lang`: under `lang/`, or the default's at the root."""
    first = name.split("/", 1)[0]
    return first == lang if lang != LANGUAGES[0] else first not in LANGUAGES[1:]


def draft_languages(project) -> set[str]:
    """The languages with at least one page still a draft (`terrain i18n new` makes every page one)."""
    from terrain.checks import draft_names

    return set(draft_names(project).values())


def finished_languages(project) -> list[str]:
    """The languages with no draft page, default first: their print edition holds every sheet and
    module. A draft is never printed as translated, so a language in progress prints only its
    finished pages, and its covers say how many are left out (test_print's draft test)."""
    drafts = draft_languages(project)
    return [lang for lang in project.languages if lang not in drafts]


def printed_whole(project, lang: str) -> None:
    """Skip a test of a whole print edition for a language still in progress (it has drafts)."""
    if lang in draft_languages(project):
        pytest.skip(f"`{lang}` has draft pages: its print edition leaves them out (test_drafts_are_never_printed)")


def language_tag(lang: str, root: Path = ROOT) -> str:
    """What a page in `lang` declares (`lang="…"`): `language_tag:` of data/ui/LANG.yml when the
    site's code is no language's (a test language, `qm` for Mooré), else the code itself."""
    import yaml

    path = root / "data" / "ui" / f"{lang}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    tag = data.get("language_tag") if isinstance(data, dict) else None
    return tag if isinstance(tag, str) and tag else lang


COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "node_modules", "site", "build", ".git", "__pycache__", ".pytest_cache", "*.egg-info"
)


def terrain(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run `terrain ARGS` on the project folder `root`, as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "terrain.cli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def mkdocs_build(root: Path, site_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` in a project folder and return what it printed."""
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")]
    if site_dir:
        args += ["-d", str(site_dir)]
    return subprocess.run(args, cwd=root, capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def copy_sources(target: Path) -> Path:
    """Copy the project's sources (no .venv, build/, site/) into `target`, with the search shim."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    shim = ROOT / "node_modules" / "iframe-worker"
    if shim.exists():
        shutil.copytree(shim, target / "node_modules" / "iframe-worker")
    return target


@pytest.fixture(scope="session")
def project(tmp_path_factory):
    """The real sources, copied once into a temporary folder and loaded: the print edition and the
    site are built there, never into the checkout's build/ and site/."""
    from terrain.project import Project

    return Project.load(copy_sources(tmp_path_factory.mktemp("built") / "terrain"))


SOURCE_DATE_EPOCH = 1700000000  # 2023-11-14 22:13:20 UTC


@pytest.fixture(scope="session")
def print_edition(project):
    """The print edition of every language, built once into the copy's build/downloads/, as of
    SOURCE_DATE_EPOCH (a packager's reproducible build: test_print.py checks that it holds)."""
    from terrain.printing import build_print

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))
        return build_print(project, progress=False)


@pytest.fixture(scope="session")
def site(project, print_edition) -> Path:
    """The real site, built once (strict) after the print edition, into the copy's site/."""
    result = mkdocs_build(project.root, project.root / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "site"


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project's sources (for tests that break or change them)."""
    return copy_sources(tmp_path / "terrain")


# A test that needs the print edition or the built site builds them; one that breaks a copy of the
# whole project runs every check on it (about a second each, times hundreds of cases): both are
# `slow`, and the fast tier (`make test-fast`) keeps the tests of functions on small inputs.
SLOW_FIXTURES = {"print_edition", "site", "server", "project_copy"}


def pytest_collection_modifyitems(items):
    """Mark `slow` every test that builds, or that checks a whole copy of the project."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


# ---- the browser ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's; never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """One system Chromium per test module (README: `apt-get install chromium`; .ci/run does)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(site):
    """The built site over http://127.0.0.1 on a free port (terrain's own LAN server)."""
    import threading

    from terrain.serve import make_server

    httpd = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
