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
import json
import os
import platform
import re
import resource
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
PAGES = [PAGE, "fr/" + PAGE]  # a module page in each language: each loads its own language's search index
LIGHTHOUSE_PAGES = ["index.html", PAGE, "fr/" + PAGE]

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
markdown_extensions: [abbr, attr_list, md_in_html, tables, {{toc: {{permalink: true}}}}, admonition, github-callouts, pymdownx.details, pymdownx.superfences]
"""


LOAD = 0.0  # the machine's load average when the run began
USER_CPU: dict[str, list[float]] = {}  # user CPU seconds of the labelled commands, run by run


def timed(args: list[str], cwd: Path = ROOT, label: str = "") -> float:
    """Seconds a command takes; it must succeed. With a label, its user CPU time is kept in USER_CPU
    (on a machine shared with other jobs, wall time measures the other jobs too)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    wall = time.perf_counter() - start
    if label:
        USER_CPU.setdefault(label, []).append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before)
    return wall


def user_cpu() -> float:
    """User CPU seconds this process has spent so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_utime


def best(runs: int, fn) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), times


def first_visit(site: Path, page: str) -> dict[str, tuple[int, int]]:
    """Raw and gzip bytes of a page and every local file it loads, by kind."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    kinds: dict[str, tuple[int, int]] = {}

    from terrain.serve import best_gzip  # the gzip bytes `serve --lan` sends (zopfli's)

    def add(kind: str, data: bytes):
        raw, gz = kinds.get(kind, (0, 0))
        kinds[kind] = (raw + len(data), gz + len(best_gzip(data)))

    add("html", html.encode("utf-8"))
    refs = re.findall(r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"', html) + re.findall(
        r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html
    )
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
    # Material's search worker fetches the page's search index as soon as the page loads
    base = re.search(r'"base":\s*"([^"]*)"', html)
    index = (html_path.parent / (base.group(1) if base else ".") / "search" / "search_index.json").resolve()
    if index.is_file():
        add("search index", index.read_bytes())
    return kinds


def content_bytes(site: Path) -> int:
    """Bytes of page content (the <article> of every page) in a built site: what MkDocs renders from
    Markdown, Material's search reads, and the built-site check scans."""
    return sum(
        len(match)
        for page in site.rglob("*.html")
        for match in re.findall(r"<article\b.*?</article>", page.read_text(encoding="utf-8", errors="replace"), re.S)
    )


def html_bytes(site: Path) -> int:
    """Bytes of every page of a built site (site/**/*.html): what a build writes and reads back."""
    return sum(page.stat().st_size for page in site.rglob("*.html"))


def content_parts(site: Path) -> dict[str, int]:
    """What the <article> HTML of a built site's pages is made of, in bytes."""
    parts = {
        "text": 0,
        "hover definitions (`<abbr title>`)": 0,
        "heading permalinks": 0,
        "pictograms": 0,
        "other markup": 0,
    }
    for page in site.rglob("*.html"):
        for article in re.findall(r"<article\b.*?</article>", page.read_text(encoding="utf-8", errors="replace"), re.S):
            abbr = sum(len(m) for m in re.findall(r"<abbr\b[^>]*>|</abbr>", article))
            links = sum(len(m) for m in re.findall(r'<a class="headerlink".*?</a>', article, re.S))
            pictures = sum(
                len(m) for m in re.findall(r'<img class="terrain-pictogram"[^>]*>|<svg\b.*?</svg>', article, re.S)
            )
            text = len(
                re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>|<svg\b.*?</svg>', "", article, flags=re.S))
            )
            parts["text"] += text
            parts["hover definitions (`<abbr title>`)"] += abbr
            parts["heading permalinks"] += links
            parts["pictograms"] += pictures
            parts["other markup"] += len(article) - text - abbr - links - pictures
    return parts


def lighthouse(site: Path, pages: list[str], compress: bool) -> dict[str, dict[str, float]]:
    """Lighthouse mobile scores and LCP of pages served from `site` on 127.0.0.1.

    compress: served by `terrain serve --lan`'s server (gzip, cache headers); else by the standard
    library's handler, as `serve --lan` was before. Needs the LIGHTHOUSE environment variable
    (the lighthouse CLI, e.g. /tmp/lh/node_modules/.bin/lighthouse: `npm install --no-save lighthouse`
    in /tmp/lh) and Debian's Chromium; empty without them.
    """
    import functools
    import http.server
    import json
    import threading

    from terrain import serve

    cli = os.environ.get("LIGHTHOUSE")
    if not cli or not Path(cli).exists() or not Path("/usr/bin/chromium").exists():
        return {}
    server: http.server.ThreadingHTTPServer  # serve.RoomServer is one too
    if compress:
        server = serve.make_server(site, "127.0.0.1", 0)
        serve.precompress(site, wait=True)  # as `serve --lan` has by the time phones scan the code
    else:

        class Plain(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        handler = functools.partial(Plain, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scores = {}
    try:
        for page in pages:
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "report.json"
                subprocess.run(
                    [
                        cli,
                        f"http://127.0.0.1:{server.server_address[1]}/{page}",
                        "--only-categories=performance",
                        "--output=json",
                        f"--output-path={report}",
                        "--quiet",
                        "--chrome-flags=--headless --no-sandbox",
                    ],
                    env=dict(ENV, CHROME_PATH="/usr/bin/chromium"),
                    check=False,
                    capture_output=True,
                    timeout=300,
                )
                if report.is_file():
                    data = json.loads(report.read_text(encoding="utf-8"))
                    audits = data["audits"]
                    scores[page] = {
                        "score": round(100 * (data["categories"]["performance"]["score"] or 0)),
                        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
                        "bytes": audits["total-byte-weight"]["numericValue"],
                    }
    finally:
        server.shutdown()
        server.server_close()
    return scores


def expanded_pages(docs: Path) -> None:
    """The pages as MkDocs receives them from our hooks, for a stock build of the same pages: the
    staged sources (build/stage) with each page's Markdown replaced by what `on_page_markdown`
    returns for it (reading lists, agenda, kit and status tables, notices, hover definitions), in
    every language, captured from one real build in this process. The front matter stays (titles)."""
    from mkdocs.__main__ import cli

    from terrain import site

    captured: dict[str, str] = {}
    page_markdown = site.page_markdown

    def capture(markdown: str, src_uri: str, project):
        captured[src_uri] = out = page_markdown(markdown, src_uri, project)
        return out

    site.page_markdown = capture
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cli(["build", "--strict", "--quiet", "--site-dir", tmp], standalone_mode=False)
    finally:
        site.page_markdown = page_markdown
    shutil.copytree(ROOT / "build" / "stage", docs)
    for src_uri, markdown in captured.items():
        page = docs / src_uri
        if not page.is_file():  # static-i18n names a further language's page without its suffix
            page = next(docs.glob(src_uri.removesuffix(".md") + ".*.md"), page)
        text = page.read_text(encoding="utf-8")
        front = re.match(r"---\n.*?\n---\n", text, re.S)
        page.write_text((front.group(0) if front else "") + markdown, encoding="utf-8")


def own_config(docs: Path, site: Path) -> str:
    """Our mkdocs.yml without its hooks, for the same pages: our theme overrides, features,
    validation, search and i18n settings, so that the configuration is shown to cost nothing the
    stock build does not (the ratio charges the hooks alone). The menu is MkDocs' own, as in stock."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "watch"):
        config.pop(key, None)
    config.update(docs_dir=str(docs), site_dir=str(site), strict=False)
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def hook_steps() -> tuple[list[tuple[str, float]], float]:
    """User CPU seconds of each thing the hooks do, inside one real build of the site in this process
    (user CPU, as the ratio counts: not wall time, which a shared machine's other jobs change, nor the
    system's time for copying files), and the user CPU seconds of that whole build. Run it in a
    fresh process: the first step is then importing what the hooks import and stock does not."""
    import importlib.util

    from mkdocs.__main__ import cli  # stock imports it too

    begin = user_cpu()
    spec = importlib.util.spec_from_file_location("pipeline_probe", ROOT / "hooks" / "pipeline.py")
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # Terrain, markdown-it, jsonschema-rs...
    imports = user_cpu() - begin

    from terrain import checks, policy, site

    spent: dict[str, float] = {"import Terrain and what only it needs (markdown-it, jsonschema-rs…)": imports}

    def wrap(module, attr: str, label: str) -> None:
        fn = getattr(module, attr)

        def timed_step(*args, **kwargs):
            begin = user_cpu()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + user_cpu() - begin

        setattr(module, attr, timed_step)

    steps = [
        (None, "", "import Terrain and what only it needs (markdown-it, jsonschema-rs…)"),
        (site, "load", "load and validate the sources (module.yml, pages, readings, glossary)"),
        (site, "stage", "stage docs/, modules/ and worksheets/ for MkDocs"),
        (checks, "check_all", "check every source (links, parity, readings, glossary, typography, plans)"),
        (site, "page_markdown", "render markers, notices and hover definitions (reading lists, agenda, kit, status)"),
        (site, "page_content", "callout titles, table regions, worksheet forms and their pictograms"),
        (site, "content_security_policy", "a Content-Security-Policy on every page"),
        (site, "split_search_index", "one search index per language, accents folded"),
        (site, "copy_downloads", "copy the print edition and packs into the site"),
        (checks, "check_site", "check the built HTML (links, downloads, nothing external, callout titles)"),
    ]
    parts = [(policy, "check_policy")] + [
        (checks, n) for n in dir(checks) if n.startswith("check_") and n not in ("check_all", "check_site")
    ]
    steps_run = [step for step in steps if step[0] is not None]
    saved = [(module, attr, getattr(module, attr)) for module, attr, _ in steps_run] + [
        (module, attr, getattr(module, attr)) for module, attr in parts
    ]
    for module, attr, label in steps_run:
        wrap(module, attr, label)
    for module, attr in parts:
        wrap(module, attr, f"`{attr}`")
    # the whole build counts from the imports above
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cli(["build", "--strict", "--quiet", "--site-dir", tmp], standalone_mode=False)
    finally:
        for module, attr, fn in saved:
            setattr(module, attr, fn)
    build = user_cpu() - begin
    out = []
    for _, _, label in steps:
        out.append((label, spent.get(label, 0.0)))
        if label.startswith("check every source"):
            checks_run = sorted(
                ((k, v) for k, v in spent.items() if k.startswith("`") and k != "`check_site_active`"),
                key=lambda kv: -kv[1],
            )
            out += [(f"— of which {name}", seconds) for name, seconds in checks_run[:6]]
        if label.startswith("check the built HTML"):
            out.append(
                (
                    "— of which active content (scripts, loading attributes, styles)",
                    spent.get("`check_site_active`", 0.0),
                )
            )
    return out, build


# Which python-libzim writes a ZIM that Debian 12's readers (libzim 8.1.1: zim-tools 3.1.3,
# kiwix-tools 3.3.0, libkiwix 11 — the libraries of Debian 12's Kiwix Desktop 2.3.0) open: a
# two-page French ZIM written by each release, checked with `zimcheck -A` (2026-11-30, by hand).
WRITERS = [
    ("2.1.0", "", "not tried as writer"),
    ("3.0.0 – 3.5.0", "8.1.0 – 9.2.x", "opens"),
    ("3.6.0 (pinned)", "9.2.3", "opens"),
    (
        "3.7.0 – 3.13.1",
        "9.3.0 – 9.8.2",
        "rejected: “Full Title index table outside (or not fully inside) ZIM file”; kiwix-serve 404 or crash",
    ),
]


def zim_readers(zim: Path | None) -> list[str]:
    """The ZIM compatibility section: the writer table above, then Debian's zimcheck on the pack's ZIM now."""
    lines = [
        "## ZIM readers",
        "",
        "| python-libzim (writer) | libzim inside | Debian 12's zimcheck / kiwix-serve |",
        "|---|---|---|",
    ]
    lines += [f"| {w} | {lib or '—'} | {verdict} |" for w, lib, verdict in WRITERS if lib]
    zimcheck = shutil.which("zimcheck")
    if zim and zimcheck:
        out = subprocess.run([zimcheck, "-A", str(zim)], capture_output=True, text=True, timeout=300).stdout
        errors = [line for line in out.splitlines() if line.startswith("[ERROR]")]
        lines += [
            "",
            f"`zimcheck -A {zim.name}` today: {'pass' if not errors else '; '.join(errors)} "
            "(no finding is tolerated: in the packs, the Downloads page says where the packs are instead of linking them).",
        ]
    lines += [
        "",
        "Readers that opened and searched the pack's ZIM: libzim 8.0 (python-libzim 2.1.0), 8.1.0, 8.2.0, "
        "9.2.3 and Debian 12's kiwix-serve 3.3.0. libzim 8 readers do not fold the accents of a query: "
        "`rehabilitation` finds the French pages, `réhabilitation` finds none (docs/share.*.md tells facilitators).",
        "",
    ]
    return lines


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per measure (median reported)")
    parser.add_argument("--steps", action="store_true", help="only print hook_steps() of one build, as JSON")
    args = parser.parse_args()
    if args.steps:  # in a fresh process (see below): a cold build, as `mkdocs build` runs one
        steps, build = hook_steps()
        print(json.dumps({"steps": steps, "build": build}))
        return 0
    py = str(ROOT / ".venv" / "bin" / "python")
    global LOAD
    LOAD = os.getloadavg()[0]  # other jobs on the machine: wall times (not user CPU) grow with them

    # ---- builds -----------------------------------------------------------------------------
    shutil.rmtree(ROOT / "build" / "downloads", ignore_errors=True)
    print_time, print_all = best(args.runs, lambda: timed([py, "-m", "terrain.cli", "print", "--quiet"]))
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as tmp_sources:
        stock, sources = Path(tmp), Path(tmp_sources)
        # side by side: ours and stock take turns, so both meet the same load of a shared machine
        site_all, stock_all = [], []
        for run in range(args.runs):
            # the order alternates, so that neither build always meets the machine as it was left
            # (the first run is ours first: the stock pages are taken from it)
            stock_build = [py, "-m", "mkdocs", "build", "-f", str(stock / "mkdocs.yml")]
            if run % 2:
                stock_all.append(timed(stock_build, cwd=stock, label="stock"))
            site_all.append(timed([py, "-m", "mkdocs", "build", "--strict"], label="ours"))
            if run == 0:
                # the same pages: the Markdown our hooks hand to MkDocs, every marker expanded
                expanded_pages(stock / "docs")
                (stock / "mkdocs.yml").write_text(
                    STOCK_CONFIG.format(docs=stock / "docs", site=stock / "site"), encoding="utf-8"
                )
                # the same source files, as ours stages them (build/stage): markers left unexpanded
                shutil.copytree(ROOT / "build" / "stage", sources / "docs")
                (sources / "mkdocs.yml").write_text(
                    STOCK_CONFIG.format(docs=sources / "docs", site=sources / "site"), encoding="utf-8"
                )
                (stock / "own.yml").write_text(own_config(stock / "docs", stock / "own-site"), encoding="utf-8")
            if not run % 2:
                stock_all.append(timed(stock_build, cwd=stock, label="stock"))
            timed([py, "-m", "mkdocs", "build", "-f", str(sources / "mkdocs.yml")], cwd=sources, label="sources")
            timed([py, "-m", "mkdocs", "build", "-f", str(stock / "own.yml")], cwd=stock, label="own")
        site_time, stock_time = statistics.median(site_all), statistics.median(stock_all)
        stock_visits = {page: first_visit(stock / "site", page) for page in PAGES}
        stock_content = content_bytes(stock / "site")
        sources_content = content_bytes(sources / "site")
        stock_html, stock_parts = html_bytes(stock / "site"), content_parts(stock / "site")
        stock_lighthouse = lighthouse(stock / "site", LIGHTHOUSE_PAGES, compress=False)
    full_time = print_time + site_time
    subprocess.run([py, "-m", "terrain.cli", "pack"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    subprocess.run([py, "-m", "mkdocs", "build", "--strict"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    visit = first_visit(ROOT / "site", PAGE)
    our_content = content_bytes(ROOT / "site")
    our_html, our_parts = html_bytes(ROOT / "site"), content_parts(ROOT / "site")
    visits = {page: first_visit(ROOT / "site", page) for page in PAGES}
    our_lighthouse = {
        "serve --lan (gzip, cache headers)": lighthouse(ROOT / "site", LIGHTHOUSE_PAGES, compress=True),
        "standard-library server (no compression)": lighthouse(ROOT / "site", LIGHTHOUSE_PAGES, compress=False),
    }

    # ---- sizes ------------------------------------------------------------------------------
    packs = sorted((ROOT / "build" / "downloads" / "packs").glob("*"))
    biggest_image = max(
        (
            (p.stat().st_size, p)
            for p in (ROOT / "site").rglob("*")
            if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".svg", ".webp", ".gif"}
        ),
        default=(0, None),
    )
    lunr = (
        sorted(p.name for p in (ROOT / "site" / "assets" / "javascripts" / "lunr" / "min").glob("lunr.*.min.js"))
        if (ROOT / "site" / "assets" / "javascripts" / "lunr").exists()
        else []
    )

    total_raw = sum(v[0] for k, v in visit.items() if k != "search index")
    total_gz = sum(v[1] for k, v in visit.items() if k != "search index")
    with_search = {page: sum(v[1] for v in kinds.values()) for page, kinds in visits.items()}
    all_zip = next((p for p in packs if p.name.endswith("-all.zip")), None)
    hook_overhead = site_time / stock_time - 1
    cpu_ours, cpu_stock = statistics.median(USER_CPU["ours"]), statistics.median(USER_CPU["stock"])
    cpu_ratio = cpu_ours / cpu_stock
    cpu_sources = statistics.median(USER_CPU["sources"])
    cpu_own = statistics.median(USER_CPU["own"])

    lunr_ok = all(re.match(r"lunr\.(en|fr|stemmer\.support|multi)\.min\.js", n) for n in lunr)

    def goal(ok: bool) -> str:
        return "met" if ok else "**missed**"

    machine = f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}, load average {LOAD:.1f} when the run began"
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
        *[
            f"| `{page}` first visit **with its search index** ≤ 150 KB on the wire (gzip, as `serve --lan` sends it) | "
            f"{kb(gz)} ({kb(sum(v[0] for v in visits[page].values()))} uncompressed) | {goal(gz <= 150 * 1024)} |"
            for page, gz in with_search.items()
        ],
        f"| site build ≤ 1.25× a stock build of the same pages (user CPU, side by side; the stock build is of the Markdown our hooks hand to MkDocs) | {cpu_ours:.2f} s vs {cpu_stock:.2f} s stock: {cpu_ratio:.3f}× | {goal(cpu_ratio <= 1.25)} |",
        f"| the same, wall time (counts the other jobs of a shared machine too) | {site_time:.1f} s vs {stock_time:.1f} s stock: {hook_overhead:+.0%} | {goal(hook_overhead <= 0.25)} |",
        f"| all-languages offline zip ≤ 25 MB with every PDF | {kb(all_zip.stat().st_size) if all_zip else 'not built'} | {goal(all_zip is not None and all_zip.stat().st_size <= 25 * 1024 * 1024)} |",
        f"| full build (site + print, both languages) ≤ 60 s on 2 cores | {full_time:.1f} s | {goal(full_time <= 60)} |",
        f"| print edition ≤ 30 s (issue 4) | {print_time:.1f} s | {goal(print_time <= 30)} |",
        f"| no image over 200 KB | largest {kb(biggest_image[0])} ({biggest_image[1].name if biggest_image[1] else '—'}) | {goal(biggest_image[0] <= 200 * 1024)} |",
        f"| no search-language assets beyond en/fr in the site | {', '.join(lunr) or 'none'} | {goal(lunr_ok)} |",
        "",
        *(
            [
                f"The load average ({LOAD:.1f}) was above the machine's {os.cpu_count()} cores: other jobs ran "
                "beside this one, so wall times (print edition, full build, Lighthouse) are longer than on an "
                "idle machine. User CPU, and ours against stock run in turn, are the figures to compare.",
                "",
            ]
            if (os.cpu_count() or 1) < LOAD
            else []
        ),
        *(
            [
                "With fewer than 3 runs on a machine shared with other jobs, build times are noisy: "
                "compare them with a run of `--runs 5` before acting on them.",
                "",
            ]
            if args.runs < 3
            else []
        ),
        "## Builds (seconds)",
        "",
        "| build | median | runs |",
        "|---|--:|---|",
        f"| print edition (PDF + DOCX, en + fr) | {print_time:.1f} | {', '.join(f'{t:.1f}' for t in print_all)} |",
        f"| site, ours (hooks, checks, two languages) | {site_time:.1f} | {', '.join(f'{t:.1f}' for t in site_all)} |",
        f"| site, stock Material + static-i18n, same pages (our hooks' Markdown, markers expanded) | {stock_time:.1f} | {', '.join(f'{t:.1f}' for t in stock_all)} |",
        f"| ratio ours / stock | {site_time / stock_time:.2f} | |",
        f"| site, ours: user CPU | {statistics.median(USER_CPU['ours']):.1f} | {', '.join(f'{t:.1f}' for t in USER_CPU['ours'])} |",
        f"| site, stock: user CPU | {statistics.median(USER_CPU['stock']):.1f} | {', '.join(f'{t:.1f}' for t in USER_CPU['stock'])} |",
        f"| ratio ours / stock, user CPU (what the other jobs of a shared machine change least); the runs: each of ours over the stock build run next to it | {cpu_ratio:.3f} | {', '.join(f'{o / s:.2f}' for o, s in zip(USER_CPU['ours'], USER_CPU['stock']))} |",
        f"| site, our mkdocs.yml without its hooks (our theme overrides, features, validation, search and i18n settings), same pages: user CPU | {cpu_own:.1f} | {', '.join(f'{t:.1f}' for t in USER_CPU['own'])} |",
        f"| ratio of that / stock, user CPU (our configuration alone) | {cpu_own / cpu_stock:.2f} | |",
        f"| site, stock, the same source files (markers unexpanded: no reading lists, agenda, kit or status tables, notices or hover definitions): user CPU | {cpu_sources:.1f} | {', '.join(f'{t:.1f}' for t in USER_CPU['sources'])} |",
        f"| ratio ours / stock of the source files, user CPU | {cpu_ours / cpu_sources:.2f} | |",
        "",
        f"## First visit to `{PAGE}`",
        "",
        "| kind | ours raw | ours gzip | stock raw | stock gzip | ratio (gzip) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for page in PAGES:
        if page != PAGES[0]:
            lines += [
                f"## First visit to `{page}`",
                "",
                "| kind | ours raw | ours gzip | stock raw | stock gzip | ratio (gzip) |",
                "|---|--:|--:|--:|--:|--:|",
            ]
        ours_page, stock_page = visits[page], stock_visits[page]
        for kind in ("html", "css", "js", "images", "search index"):
            ours, theirs = ours_page.get(kind, (0, 0)), stock_page.get(kind, (0, 0))
            ratio = f"{ours[1] / theirs[1]:.2f}" if theirs[1] else "—"
            lines.append(f"| {kind} | {kb(ours[0])} | {kb(ours[1])} | {kb(theirs[0])} | {kb(theirs[1])} | {ratio} |")
        ours_raw, ours_gz = sum(v[0] for v in ours_page.values()), sum(v[1] for v in ours_page.values())
        theirs_raw, theirs_gz = sum(v[0] for v in stock_page.values()), sum(v[1] for v in stock_page.values())
        lines += [
            f"| **total with search** | {kb(ours_raw)} | {kb(ours_gz)} | {kb(theirs_raw)} | {kb(theirs_gz)} | {ours_gz / theirs_gz:.2f} |",
            "",
        ]
    lines += [
        "Raw is what a server without compression sends (the standard library's, which `serve --lan` "
        "used before); gzip is what `serve --lan` sends now: zopfli's gzip (`terrain.serve.best_gzip`, "
        "made once per file in the background, the files of a first visit as soon as the server "
        "starts; about 5 % smaller than zlib's level 9, and any browser decodes it). Brotli would "
        "not help: browsers ask for it (`Accept-Encoding: br`) from HTTPS and localhost addresses only, "
        "and `serve --lan` is plain http on the room's network. The stock build has one search index "
        "for both languages; ours has one per language, each word of a page once, in alphabetical "
        "order, with an 80-character preview per section (`terrain.site.compact_text`).",
        "",
    ]
    lines += ["## Lighthouse, mobile (simulated slow 4G, Debian's Chromium)", ""]
    runs = {
        **{f"ours, {how}": scores for how, scores in our_lighthouse.items()},
        "stock Material, standard-library server (no compression)": stock_lighthouse,
    }
    if any(runs.values()):
        lines += ["| build, server | page | performance | LCP | bytes |", "|---|---|--:|--:|--:|"]
        for how, scores in runs.items():
            lines += [
                f"| {how} | `{page}` | {s['score']} | {s['lcp']:.1f} s | {kb(int(s['bytes']))} |"
                for page, s in scores.items()
            ]
    else:
        lines += [
            "Not measured: set LIGHTHOUSE to the lighthouse CLI (`npm install --no-save lighthouse` in /tmp/lh).",
            "",
        ]
    lines += [""]
    lines += zim_readers(next((p for p in packs if p.suffix == ".zim"), None))
    lines += [
        "## Where our build time goes",
        "",
        "What the hooks do on top of a stock build, timed inside one build of the site in a fresh process (user CPU seconds):",
        "",
        "| step | seconds |",
        "|---|--:|",
    ]
    # in a fresh process, so that what a build does the first time (imports, icon sets, locale
    # data) counts, as it does in every `mkdocs build`
    cold = subprocess.run([py, __file__, "--steps"], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True)
    measured = json.loads(cold.stdout.strip().splitlines()[-1])
    steps, build_cpu = [tuple(step) for step in measured["steps"]], measured["build"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in steps]
    ours_steps = sum(seconds for name, seconds in steps if not name.startswith("—"))
    lines += [
        f"| **all of the above** | **{ours_steps:.2f}** |",
        f"| the whole build (MkDocs, Material, static-i18n and the above, with the imports of the first step; not Python's start-up) | {build_cpu:.2f} |",
        f"| the whole build less the above: rendering and indexing our pages | {build_cpu - ours_steps:.2f} |",
    ]
    lines += [
        "",
        "The checks are the point of the hooks: they read every source before a page is written, so that "
        "a broken link or a missing translation stops the build with `path:line` instead of publishing. "
        "Every check still runs on a cold build (nothing is cached on disk); within a build a page's "
        "headings, its paragraphs' words and a data file's card sets are found once and shared.",
        "",
        "The stock build is of the same pages: the Markdown our hooks hand to MkDocs, captured from a real "
        "build (every marker expanded into its reading list, agenda, kit or status table, the notices and "
        "the hover definitions in), built by Material and static-i18n with the same Markdown extensions and "
        "heading permalinks, without hooks. What it costs less than ours is what the hooks cost: the steps "
        "above, importing Terrain, and what the hooks add after Markdown (worksheet forms and their "
        "pictograms, callout titles, the per-language search indexes, the Content-Security-Policy). "
        f"A stock build of the source files as staged, markers unexpanded, renders less: "
        f"{kb(sources_content)} of `<article>` HTML against {kb(stock_content)} (and {kb(our_content)} in ours), "
        f"in {cpu_sources:.2f} s of user CPU.",
        "",
        f"The steps above add up to {ours_steps:.2f} s of CPU. All pages together (site/**/*.html): "
        f"{kb(our_html)} ours, {kb(stock_html)} stock.",
        "",
        "| `<article>` HTML of every page | ours | stock |",
        "|---|--:|--:|",
    ]
    lines += [f"| {part} | {kb(our_parts[part])} | {kb(stock_parts[part])} |" for part in our_parts]
    lines += [""]
    if cpu_ratio > 1.25:
        lines += [
            f"**Why 1.25× is missed ({cpu_ratio:.3f}×):** 1.25× leaves {0.25 * cpu_stock:.3f} s of CPU for "
            f"everything the hooks add to a stock build of these pages; they take {cpu_ours - cpu_stock:.3f} s. "
            "The checks run in full on every build (nothing is cached on disk), because a build must stop "
            "on a broken source.",
            "",
        ]
    lines += ["## Packs", "", "| file | size |", "|---|--:|"]
    lines += [f"| {p.name} | {kb(p.stat().st_size)} |" for p in packs]
    lines += ["", "The stock configuration has no pack, print edition or ZIM to compare with.", ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
