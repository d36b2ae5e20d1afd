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
COPY_IGNORE = shutil.ignore_patterns(".venv", "node_modules", "site", "build", ".git", "__pycache__", ".pytest_cache", "*.egg-info")


def mkdocs_build(root: Path, site_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` in a project folder and return what it printed."""
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")]
    if site_dir:
        args += ["-d", str(site_dir)]
    return subprocess.run(args, cwd=root, capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


@pytest.fixture(scope="session")
def project():
    from terrain.project import Project

    return Project.load(ROOT)


@pytest.fixture(scope="session")
def print_edition(project):
    """The print edition of every language, built once into build/downloads/."""
    from terrain.printing import build_print

    return build_print(project, progress=False)


@pytest.fixture(scope="session")
def site(print_edition) -> Path:
    """The real site, built once (strict) after the print edition, into site/."""
    result = mkdocs_build(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return ROOT / "site"


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project's sources (for tests that break or change them)."""
    target = tmp_path / "terrain"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    shim = ROOT / "node_modules" / "iframe-worker"
    if shim.exists():
        shutil.copytree(shim, target / "node_modules" / "iframe-worker")
    return target


# ---- the browser ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's; never a downloaded browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


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
