"""Measure what the goals of issue 7 are about and write BENCHMARKS.md.

    .venv/bin/python benchmarks/run.py [--runs N]

Measures, on this machine: the clean build time of the site (ours, and a stock Material +
static-i18n configuration of the same pages, without hooks or print), of the print edition,
and of a full build; the bytes a first visit to a typical module page downloads (HTML, CSS,
JS, images; the search index apart), raw and gzip; the size of each pack and of the ZIM.
It is a measurement, not a test: it never fails on a missed goal, it reports it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
PAGE = "modules/01-understanding-asm/index.html"

STOCK_CONFIG = """\
site_name: Terrain (stock)
docs_dir: {docs}
site_dir: {site}
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
  - offline
markdown_extensions: [abbr, attr_list, md_in_html, tables, admonition, github-callouts, pymdownx.details, pymdownx.superfences]
"""


def timed(args: list[str], cwd: Path = ROOT) -> float:
    """Seconds a command takes; it must succeed."""
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def best(runs: int, fn) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), times


def first_visit(site: Path, page: str) -> dict[str, tuple[int, int]]:
    """Raw and gzip bytes of a page and every local file it loads, by kind."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    kinds: dict[str, tuple[int, int]] = {}

    def add(kind: str, data: bytes):
        raw, gz = kinds.get(kind, (0, 0))
        kinds[kind] = (raw + len(data), gz + len(gzip.compress(data, 9)))

    add("html", html.encode("utf-8"))
    refs = re.findall(r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"', html) + re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
    refs += re.findall(r'<link\b[^>]*href="([^"]+)"[^>]*rel="stylesheet"', html)
    worker = re.search(r'"search":\s*"([^"]+)"', html)
    if worker:
        refs.append(worker.group(1))  # Material starts its search worker on every page load
    for ref in dict.fromkeys(refs):
        if ref.startswith(("http:", "https:", "//", "data:")):
            continue
        target = (html_path.parent / ref.split("?")[0]).resolve()
        if target.is_file():
            kind = {".css": "css", ".js": "js"}.get(target.suffix, "images")
            add(kind, target.read_bytes())
    return kinds


def hook_steps() -> list[tuple[str, float]]:
    """Seconds of each thing the hooks add, measured on the real project and site."""
    import tempfile as _tempfile

    from terrain import checks, site
    from terrain.project import Project

    steps = []
    start = time.perf_counter()
    project = Project.load(ROOT)
    steps.append(("load and validate the sources (module.yml, pages, readings, glossary)", time.perf_counter() - start))
    start = time.perf_counter()
    site.stage(project)
    steps.append(("stage docs/, modules/ and worksheets/ for MkDocs", time.perf_counter() - start))
    start = time.perf_counter()
    checks.check_all(project)
    steps.append(("check every source (links, parity, readings, glossary, typography, plans)", time.perf_counter() - start))
    with _tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(ROOT / "site", copy)
        start = time.perf_counter()
        site.split_search_index(copy, project)
        steps.append(("one search index per language, accents folded", time.perf_counter() - start))
    start = time.perf_counter()
    checks.check_site(ROOT / "site", project)
    steps.append(("check the built HTML (links, downloads, nothing external, callout titles)", time.perf_counter() - start))
    return steps


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per measure (median reported)")
    args = parser.parse_args()
    py = str(ROOT / ".venv" / "bin" / "python")

    # ---- builds -----------------------------------------------------------------------------
    shutil.rmtree(ROOT / "build" / "downloads", ignore_errors=True)
    print_time, print_all = best(args.runs, lambda: timed([py, "-m", "terrain.cli", "print", "--quiet"]))
    site_time, site_all = best(args.runs, lambda: timed([py, "-m", "mkdocs", "build", "--strict"]))
    with tempfile.TemporaryDirectory() as tmp:
        stock = Path(tmp)
        shutil.copytree(ROOT / "build" / "stage", stock / "docs")
        (stock / "mkdocs.yml").write_text(STOCK_CONFIG.format(docs=stock / "docs", site=stock / "site"), encoding="utf-8")
        stock_time, stock_all = best(args.runs, lambda: timed([py, "-m", "mkdocs", "build", "-f", str(stock / "mkdocs.yml")], cwd=stock))
        stock_visit = first_visit(stock / "site", PAGE)
    full_time = print_time + site_time
    subprocess.run([py, "-m", "terrain.cli", "pack"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    subprocess.run([py, "-m", "mkdocs", "build", "--strict"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    visit = first_visit(ROOT / "site", PAGE)

    # ---- sizes ------------------------------------------------------------------------------
    packs = sorted((ROOT / "build" / "downloads" / "packs").glob("*"))
    biggest_image = max(((p.stat().st_size, p) for p in (ROOT / "site").rglob("*") if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".svg", ".webp", ".gif"}), default=(0, None))
    lunr = sorted(p.name for p in (ROOT / "site" / "assets" / "javascripts" / "lunr" / "min").glob("lunr.*.min.js")) if (ROOT / "site" / "assets" / "javascripts" / "lunr").exists() else []

    total_raw = sum(v[0] for v in visit.values())
    total_gz = sum(v[1] for v in visit.values())
    stock_raw = sum(v[0] for v in stock_visit.values())
    stock_gz = sum(v[1] for v in stock_visit.values())
    all_zip = next((p for p in packs if p.name.endswith("-all.zip")), None)
    hook_overhead = site_time / stock_time - 1

    lunr_ok = all(re.match(r"lunr\.(en|fr|stemmer\.support|multi)\.min\.js", n) for n in lunr)

    def goal(ok: bool) -> str:
        return "met" if ok else "**missed**"

    machine = f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine}, by `benchmarks/run.py` "
        f"(median of {args.runs} runs). Figures, not timed tests: a miss is reported here, not failed.",
        "",
        "## Goals",
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| a module page's first visit ≤ 150 KB gzip (HTML, CSS, JS, images) | {kb(total_gz)} gzip ({kb(total_raw)} raw) | {goal(total_gz <= 150 * 1024)} |",
        f"| our hooks add ≤ 25 % to a stock build's time | {site_time:.1f} s vs {stock_time:.1f} s stock: {hook_overhead:+.0%} | {goal(hook_overhead <= 0.25)} |",
        f"| all-languages offline zip ≤ 25 MB with every PDF | {kb(all_zip.stat().st_size) if all_zip else 'not built'} | {goal(bool(all_zip) and all_zip.stat().st_size <= 25 * 1024 * 1024)} |",
        f"| full build (site + print, both languages) ≤ 60 s on 2 cores | {full_time:.1f} s | {goal(full_time <= 60)} |",
        f"| print edition ≤ 30 s (issue 4) | {print_time:.1f} s | {goal(print_time <= 30)} |",
        f"| no image over 200 KB | largest {kb(biggest_image[0])} ({biggest_image[1].name if biggest_image[1] else '—'}) | {goal(biggest_image[0] <= 200 * 1024)} |",
        f"| no search-language assets beyond en/fr in the site | {', '.join(lunr) or 'none'} | {goal(lunr_ok)} |",
        "",
        "## Builds (seconds)",
        "",
        "| build | median | runs |",
        "|---|--:|---|",
        f"| print edition (PDF + DOCX, en + fr) | {print_time:.1f} | {', '.join(f'{t:.1f}' for t in print_all)} |",
        f"| site, ours (hooks, checks, two languages) | {site_time:.1f} | {', '.join(f'{t:.1f}' for t in site_all)} |",
        f"| site, stock Material + static-i18n, same pages | {stock_time:.1f} | {', '.join(f'{t:.1f}' for t in stock_all)} |",
        f"| ratio ours / stock | {site_time / stock_time:.2f} | |",
        "",
        f"## First visit to `{PAGE}`",
        "",
        "| kind | ours raw | ours gzip | stock raw | stock gzip | ratio (gzip) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for kind in ("html", "css", "js", "images"):
        ours, theirs = visit.get(kind, (0, 0)), stock_visit.get(kind, (0, 0))
        ratio = f"{ours[1] / theirs[1]:.2f}" if theirs[1] else "—"
        lines.append(f"| {kind} | {kb(ours[0])} | {kb(ours[1])} | {kb(theirs[0])} | {kb(theirs[1])} | {ratio} |")
    lines += [f"| **total** | {kb(total_raw)} | {kb(total_gz)} | {kb(stock_raw)} | {kb(stock_gz)} | {total_gz / stock_gz:.2f} |", ""]
    lines += ["## Where our build time goes", "",
              "What the hooks do on top of a stock build, each step timed alone in one process (seconds):", "",
              "| step | seconds |", "|---|--:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in hook_steps()]
    lines += ["", "The checks are the point of the hooks: they read every source before a page is written, so that "
              "a broken link or a missing translation stops the build with `path:line` instead of publishing. "
              "The rest of the gap is rendering what stock pages lack (reading lists, agenda, glossary hover "
              "definitions on every page) and writing one search index per language.", ""]
    lines += ["## Packs", "", "| file | size |", "|---|--:|"]
    lines += [f"| {p.name} | {kb(p.stat().st_size)} |" for p in packs]
    lines += ["", "The stock configuration has no pack, print edition or ZIM to compare with.", ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
