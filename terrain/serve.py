"""Serve the built site to a room: every device on the same Wi-Fi or phone hotspot, by QR code."""

from __future__ import annotations

import email.utils
import gzip
import io
import os
import queue
import re
import socket
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# TEST-NET-1 (RFC 5737): never routed on the internet. Connecting a UDP socket to it only asks
# the kernel which interface it would use; no packet is sent.
PROBE_ADDRESS = ("192.0.2.1", 9)
LOOPBACK = "127.0.0.1"

# Text files are sent gzip-compressed to a browser that accepts it: phones on a slow Wi-Fi get
# about a third of the bytes. Compressed once per file version, kept in memory (the site is small).
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
MAX_COMPRESSED = 8 << 20  # bytes: larger files are sent as they are
# Cache-Control: Material's assets carry a content hash in their name and never change;
# other assets and the search indexes may change with a rebuild (an hour); pages are revalidated.
HASHED = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:css|js)$")
CACHE_HASHED = "public, max-age=31536000, immutable"
CACHE_ASSET = "public, max-age=3600"
CACHE_PAGE = "no-cache"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site to phones without disturbing the facilitator's screen.

    No log line per request and no traceback: errors go one line each to a log file, so the
    address and QR code stay on screen. No directory listings; a missing page gets the site's
    own 404 page; an idle or stuck connection is closed after `timeout` seconds.
    """

    timeout = 20  # seconds a connection may stay idle (socket timeout per read)

    def log_message(self, format: str, *args) -> None:
        pass

    def log_error(self, format: str, *args) -> None:
        _log_line(getattr(self.server, "log_file", None), f"{self.client_address[0]} {format % args}")

    def list_directory(self, path):
        self.send_error(404)
        return None

    def cache_control(self, url_path: str) -> str:
        """How long a phone may keep a file without asking again (see CACHE_*)."""
        path = url_path.split("?", 1)[0].split("#", 1)[0]
        if HASHED.search(path):
            return CACHE_HASHED
        if (
            "/assets/" in path
            or "/search/" in path
            or path.endswith((".css", ".js", ".svg", ".png", ".woff2", ".pdf", ".docx"))
        ):
            return CACHE_ASSET
        return CACHE_PAGE

    def send_head(self):
        """A file with ETag, Last-Modified and Cache-Control, gzip-compressed when the browser accepts it;
        304 when the phone already has this version."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the standard redirect to the folder with a slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # 404 (the site's page) and the standard refusals
        try:
            stat = os.stat(path)
        except OSError:
            return super().send_head()
        compressible = path.endswith(COMPRESSIBLE) and stat.st_size <= MAX_COMPRESSED
        wants_gzip = compressible and _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gz" if wants_gzip else ""}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if _not_modified(self.headers, tag, stat.st_mtime):
            self.send_response(304)
            self._cache_headers(tag, modified, compressible)
            self.end_headers()
            return None
        if wants_gzip:
            body = _compressed(path, stat)
        else:
            return self._plain(path, tag, modified, compressible, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self._cache_headers(tag, modified, compressible)
        self.end_headers()
        return io.BytesIO(body)

    def _plain(self, path: str, tag: str, modified: str, compressible: bool, size: int):
        try:
            stream = open(path, "rb")  # noqa: SIM115 — http.server reads and closes the stream it is returned
        except OSError:
            self.send_error(404)
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(size))
        self._cache_headers(tag, modified, compressible)
        self.end_headers()
        return stream

    def _cache_headers(self, tag: str, modified: str, compressible: bool) -> None:
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", self.cache_control(self.path))
        if compressible:
            self.send_header("Vary", "Accept-Encoding")

    def translate_path(self, path: str) -> str:
        if "\x00" in path or "%00" in path:
            return str(Path(self.directory) / "__refused__")  # never a real file
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file() and self.command != "HEAD":
            body = page.read_bytes()
            self.log_error("404 %s", self.path[:200])
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (and does not refuse it with q=0)."""
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            quality = re.search(r"q=([0-9.]+)", params)
            return not quality or float(quality.group(1) or 0) > 0
    return False


def _not_modified(headers, tag: str, mtime: float) -> bool:
    """Whether the request's If-None-Match or If-Modified-Since says the phone has this version."""
    match = headers.get("If-None-Match")
    if match:
        return tag in [t.strip() for t in match.split(",")] or match.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        return when is not None and when.timestamp() >= int(mtime)
    return False


# Phones get zopfli's gzip: any browser decodes it, and it is about 5 % smaller than zlib's level 9
# (BENCHMARKS.md). Zopfli is slow (a second for a search index), so a file's first request gets
# zlib's level 9 at once and one background thread makes zopfli's; `serve_lan` starts with the
# files every first visit loads. Both bytes decode to the same file, so they share the ETag.
ZOPFLI_ITERATIONS = 5  # zopfli's default is 15: 0.04 % smaller, twice as slow

_GZIP_CACHE: dict[str, tuple[int, int, bytes, bool]] = {}  # path -> mtime, size, gzip bytes, zopfli's
_GZIP_LOCK = threading.Lock()
_ZOPFLI_QUEUE: queue.Queue[str] = queue.Queue()
_ZOPFLI_QUEUED: set[str] = set()
_ZOPFLI_THREAD: list[threading.Thread] = []


def best_gzip(data: bytes) -> bytes:
    """The gzip bytes phones get (once the server has made them): zopfli's."""
    import zopfli.gzip

    return zopfli.gzip.compress(data, numiterations=ZOPFLI_ITERATIONS)


def _compressed(path: str, stat: os.stat_result) -> bytes:
    """The gzip bytes of a file, made once per version (mtime, size) and kept in memory: zlib's
    level 9 until the background thread has made zopfli's."""
    with _GZIP_LOCK:
        cached = _GZIP_CACHE.get(path)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        if not cached[3]:
            _queue_zopfli(path)
        return cached[2]
    with open(path, "rb") as source:
        body = gzip.compress(source.read(), compresslevel=9, mtime=0)
    with _GZIP_LOCK:
        _GZIP_CACHE[path] = (stat.st_mtime_ns, stat.st_size, body, False)
    _queue_zopfli(path)
    return body


def _queue_zopfli(path: str) -> None:
    with _GZIP_LOCK:
        if path in _ZOPFLI_QUEUED:
            return
        _ZOPFLI_QUEUED.add(path)
        if not _ZOPFLI_THREAD:
            _ZOPFLI_THREAD.append(threading.Thread(target=_zopfli_worker, name="zopfli", daemon=True))
            _ZOPFLI_THREAD[0].start()
    _ZOPFLI_QUEUE.put(path)


def _zopfli_worker() -> None:
    while True:
        path = _ZOPFLI_QUEUE.get()
        try:
            stat = os.stat(path)
            with open(path, "rb") as source:
                body = best_gzip(source.read())
            with _GZIP_LOCK:
                _GZIP_CACHE[path] = (stat.st_mtime_ns, stat.st_size, body, True)
        except OSError:
            pass  # the file changed or went away: its next request starts again
        finally:
            with _GZIP_LOCK:
                _ZOPFLI_QUEUED.discard(path)
            _ZOPFLI_QUEUE.task_done()


def first_visit_files(site: Path) -> list[Path]:
    """The text files every first visit loads, largest first: the search index of each language,
    the stylesheets and scripts."""
    found = list(site.glob("**/search/search_index.json"))
    assets = site / "assets"
    if assets.is_dir():
        found += [p for p in assets.rglob("*") if p.suffix in (".css", ".js") and p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_size, reverse=True)


def precompress(site: Path, wait: bool = False) -> None:
    """Make zopfli's gzip of the files of a first visit in the background (`wait`: before returning)."""
    for path in first_visit_files(site):
        if path.stat().st_size <= MAX_COMPRESSED:
            _queue_zopfli(str(path))
    if wait:
        _ZOPFLI_QUEUE.join()


def _log_line(log_file: Path | None, text: str) -> None:
    if log_file is None:
        return
    try:
        with log_file.open("a", encoding="utf-8") as out:
            out.write(" ".join(text.split())[:300] + "\n")
    except OSError:
        pass


class RoomServer(ThreadingHTTPServer):
    """A threading server whose per-request errors (a phone that cancels a download, a bad
    request) are logged as one line, never printed over the QR code."""

    daemon_threads = True
    log_file: Path | None = None

    def handle_error(self, request, client_address) -> None:
        kind, error = sys.exc_info()[:2]
        _log_line(self.log_file, f"{client_address[0]} {kind.__name__ if kind else 'error'}: {error}")


def make_server(site: Path, host: str = "0.0.0.0", port: int = 8000) -> RoomServer:
    """An HTTP server of the folder `site` on host:port (port 0: any free port); errors go to
    `server.log_file` when it is set."""
    return RoomServer((host, port), partial(QuietHandler, directory=str(site)))


def lan_address() -> str:
    """This machine's address on the local network, or 127.0.0.1 when it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(PROBE_ADDRESS)  # UDP connect picks a route and sends nothing
            address = probe.getsockname()[0]
    except OSError:
        return LOOPBACK
    return address if address and address != "0.0.0.0" else LOOPBACK


def qr_text(url: str) -> str:
    """The QR code of `url` drawn with block characters, for the terminal."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def write_qr_svg(url: str, target: Path) -> Path:
    """Save the QR code of `url` as an SVG, large enough for a projector."""
    import segno

    target.parent.mkdir(parents=True, exist_ok=True)
    segno.make(url, error="m").save(str(target), kind="svg", scale=10, border=2)
    return target


def serve_lan(site: Path, port: int = 8000, host: str = "0.0.0.0") -> int:
    """Serve `site` on `host` (every interface by default), print its address and QR code;
    Ctrl-C stops it."""
    site = Path(site)
    if not 0 <= port <= 65535:
        print(
            f"terrain serve --lan: {port} is not a port number — use one from 1024 to 65535, like --port 8000",
            file=sys.stderr,
        )
        return 2
    if not (site / "index.html").is_file():
        print(f"terrain serve --lan: no built site in {site} — build the site first: make build", file=sys.stderr)
        return 1
    log_file = site.parent / "build" / "lan-serve.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = make_server(site, host, port)
    except (OSError, OverflowError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(
            f"terrain serve --lan: cannot listen on {host}:{port} ({reason}) — try another port (--port {port + 1 if port < 65535 else 8000}) or another address (--host)",
            file=sys.stderr,
        )
        return 1
    server.log_file = log_file
    precompress(site)  # in the background, while the facilitator shows the QR code
    shown = lan_address() if host in ("0.0.0.0", "") else host
    url = f"http://{shown}:{server.server_address[1]}/"
    svg = write_qr_svg(url, site.parent / "build" / "lan-qr.svg")
    print(f"Serving Terrain to the room at {url}")
    print(qr_text(url))
    print("Participants join the same Wi-Fi or phone hotspot, then scan the code.")
    print(f"For the projector, the same code as an image: {svg}")
    print(f"Errors from phones are written to {log_file}, not here.")
    if url.startswith(f"http://{LOOPBACK}:"):
        print(
            "This machine has no network address: only this machine can open the site. Join a Wi-Fi or hotspot, then start again."
        )
    print("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped serving Terrain.")
    finally:
        server.server_close()
    return 0


# ---- `terrain serve`: the built site on this machine, rebuilt and reloaded as sources change ----

WATCHED = ("docs", "modules", "worksheets", "data", "terrain", "hooks", "overrides", "mkdocs.yml", "countries")
CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)


def newest_source(root: Path) -> float:
    """The latest modification time among the files a site build reads (WATCHED)."""
    newest = 0.0
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc" or not file.is_file():
                continue
            newest = max(newest, file.stat().st_mtime)
    return newest


def site_is_current(root: Path, site: Path) -> bool:
    """Whether `site` was built after every source changed: its oldest page is newer than the
    newest source (MkDocs reads every source before it writes the first page)."""
    pages = [p.stat().st_mtime for p in site.rglob("*.html")] if (site / "index.html").is_file() else []
    return bool(pages) and min(pages) >= newest_source(root)


def preview_server(root: Path, site: Path, rebuild, host: str = "127.0.0.1", port: int = 8000):
    """MkDocs' live-reload server of the built `site` at host:port, watching the sources: on a
    change it runs `rebuild()` (which replaces site/ whole, 0 when it built) and reloads the open
    pages. The pages' Content-Security-Policy is left out as they are served here, or it would
    block the reload script; a missing page gets the site's 404 page. Listening, not yet serving."""
    import logging

    from mkdocs.livereload import LiveReloadServer

    class Preview(LiveReloadServer):
        def _inject_js_into_html(self, content, epoch):
            return super()._inject_js_into_html(CSP_META.sub(b"", content, count=1), epoch)

    def builder() -> None:
        print("terrain serve: a source changed — rebuilding site/ …", flush=True)
        if rebuild():
            print("terrain serve: the site was not rebuilt — fix the problems above; the pages stay as they were")
        else:
            print("terrain serve: site/ rebuilt; open pages reload", flush=True)

    logging.getLogger("mkdocs.livereload").setLevel(logging.WARNING)
    server = Preview(builder=builder, host=host, port=port, root=str(site))
    missing = site / "404.html"
    server.error_handler = lambda code: missing.read_bytes() if code == 404 and missing.is_file() else None
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    try:  # MkDocs binds and listens in serve(): do it here, for a clear message when the port is taken
        server.server_bind()
        server.server_activate()
    except OSError:
        server.server_close()
        raise
    server.server_bind = server.server_activate = lambda: None  # type: ignore[method-assign]
    return server


def serve_preview(root: Path, site: Path, rebuild, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the built `site` as it is (no build first) until Ctrl-C or SIGTERM (preview_server)."""
    import signal

    try:
        server = preview_server(root, site, rebuild, host, port)
    except OSError as error:
        print(
            f"terrain serve: cannot listen on {host}:{port} ({error.strerror or error}) — try another port (--port {port + 1})",
            file=sys.stderr,
        )
        return 1
    print(f"Serving the built site at {server.url} — pages reload when you save a source. Press Ctrl-C to stop.")

    def stop(signum, frame):
        raise KeyboardInterrupt  # terminated: stop a rebuild's MkDocs child too, then the server

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve()
    except KeyboardInterrupt:
        print("\nStopped serving Terrain.")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
    return 0
