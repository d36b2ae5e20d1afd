"""`terrain links --online`: visit every external address once and record what answered.

Results go to data/link-status.yml (kept in the repository), so the readings page can show
when each link was last checked; a build without network only reads that file.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from . import __version__
from . import markdown as md
from .project import Project

USER_AGENT = f"terrain-link-check/{__version__} (+https://creativecommons.org/licenses/by/4.0/)"


def external_urls(project: Project) -> list[str]:
    """Every external address the sources cite: readings first, then links in pages."""
    urls = [entry["url"] for entry in project.readings.values() if entry.get("url")]
    for unit in project.units():
        for page in unit.pages.values():
            urls += urls_in(page.body)
    for paths in project.docs_pages().values():
        for path in paths.values():
            urls += urls_in(path.read_text(encoding="utf-8"))
    return list(dict.fromkeys(urls))


def urls_in(text: str) -> list[str]:
    """The web addresses of a page's links, images and autolinks, in the order they come."""
    found = [(m.start(), m.group(3)) for m in md.LINK.finditer(text)]
    found += [(m.start(), m.group(1)) for m in md.WEB_AUTOLINK.finditer(text)]
    return [url for _, url in sorted(found) if url.startswith(("http://", "https://"))]


def probe(url: str, timeout: float) -> str:
    """The HTTP status of an address (HEAD, then GET where HEAD is refused), or the error."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return str(response.status)
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return str(error.code)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            return f"unreachable ({reason})"
    return "unreachable"


DEADLINE = 300.0  # seconds for the whole run: a slow or hostile server cannot hold it for ever


def check_urls(urls: list[str], timeout: float = 15.0, workers: int = 6, deadline: float = DEADLINE) -> dict[str, str]:
    """Probe each address once, a few at a time, all within `deadline` seconds; an address not
    answered by then is recorded as such."""
    import concurrent.futures as cf

    pool = ThreadPoolExecutor(max_workers=workers)
    futures = {pool.submit(probe, url, timeout): url for url in urls}
    done, _ = cf.wait(futures, timeout=deadline)
    pool.shutdown(wait=False, cancel_futures=True)
    return {
        url: (future.result() if future in done else f"unchecked (the run's {deadline:.0f} s deadline passed)")
        for future, url in futures.items()
    }


def check_online(project: Project, timeout: float = 15.0, workers: int = 6, today: str | None = None) -> int:
    """Check every external address and write data/link-status.yml; exit 1 if any is broken."""
    today = today or dt.date.today().isoformat()
    results = check_urls(external_urls(project), timeout, workers)
    path: Path = project.root / "data" / "link-status.yml"
    record = {url: {"status": status, "checked": today} for url, status in sorted(results.items())}
    header = "# Written by `terrain links --online`: the last answer of each external address.\n"
    path.write_text(header + yaml.safe_dump(record, allow_unicode=True, sort_keys=True), encoding="utf-8")
    broken = {u: s for u, s in results.items() if not s.startswith(("2", "3"))}
    for url, status in broken.items():
        print(
            f"data/link-status.yml: {url} answered {status} — update the address in data/readings.yml or the page that cites it"
        )
    print(
        f"terrain links: {len(results) - len(broken)} of {len(results)} addresses answered; results in data/link-status.yml"
    )
    return 1 if broken else 0
