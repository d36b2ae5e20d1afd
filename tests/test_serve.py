"""Serving the built site to a room: the server, the address, the QR code. Loopback traffic only."""

from __future__ import annotations

import ipaddress
import json
import threading
import urllib.request
from pathlib import Path

import pytest

from terrain import serve


@pytest.fixture
def small_site(tmp_path) -> Path:
    """A two-page site, one page per language."""
    site = tmp_path / "site"
    (site / "fr").mkdir(parents=True)
    (site / "index.html").write_text("<title>Terrain</title><p>A curriculum</p>", encoding="utf-8")
    (site / "fr" / "index.html").write_text(
        "<title>Terrain</title><p>Un programme de formation sur l’orpaillage</p>", encoding="utf-8"
    )
    return site


@pytest.fixture
def running(small_site):
    """make_server on 127.0.0.1 and a free port, serving in a thread; its base URL."""
    server = serve.make_server(small_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def get(url: str) -> tuple[int, str]:
    """Status and text of one page."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def test_the_server_serves_both_languages(running):
    status, text = get(running + "/")
    assert status == 200 and "A curriculum" in text
    status, text = get(running + "/fr/index.html")
    assert status == 200 and "programme de formation" in text


def test_lan_address_is_loopback_when_the_machine_has_no_network(monkeypatch):
    class NoRoute:
        def __init__(self, *args):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def connect(self, address):
            raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(serve.socket, "socket", NoRoute)
    assert serve.lan_address() == "127.0.0.1"
    monkeypatch.undo()
    assert ipaddress.IPv4Address(serve.lan_address()) != ipaddress.IPv4Address("0.0.0.0")


def test_lan_address_falls_back_to_loopback(monkeypatch):
    class NoNetwork:
        def __init__(self, *args):
            raise OSError("network is unreachable")

    monkeypatch.setattr(serve.socket, "socket", NoNetwork)
    assert serve.lan_address() == "127.0.0.1"


def test_qr_text_is_a_drawing_of_several_lines():
    text = serve.qr_text("http://192.168.1.20:8000/")
    assert text.strip() and len(text.splitlines()) > 10


def test_serve_lan_prints_the_address_and_code_and_stops_on_ctrl_c(small_site, monkeypatch, capsys):
    class Interrupted:
        server_address = ("0.0.0.0", 8123)

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            self.closed = True

    server = Interrupted()
    monkeypatch.setattr(serve, "make_server", lambda site, host, port: server)
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.20")
    assert serve.serve_lan(small_site, 8123) == 0
    out = capsys.readouterr().out
    assert "Serving Terrain to the room at http://192.168.1.20:8123/" in out
    assert "Participants join the same Wi-Fi or phone hotspot, then scan the code" in out
    assert server.closed
    assert (small_site.parent / "build" / "lan-qr.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_serve_lan_without_a_site_says_to_build_it(tmp_path, capsys):
    assert serve.serve_lan(tmp_path / "site", 8123) == 1
    assert "build the site first" in capsys.readouterr().err


# ---- a hostile room (issue 13) ---------------------------------------------------------------------


def _raw(base: str, request: bytes) -> bytes:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_no_directory_listing_and_the_sites_404_page(running, small_site):
    (small_site / "404.html").write_text("<p>terrain-not-found</p>", encoding="utf-8")
    (small_site / "emptydir").mkdir(exist_ok=True)
    for path in ("emptydir/", "no-such-page.html"):
        answer = _raw(running, f"GET /{path} HTTP/1.0\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.0 404") or answer.startswith(b"HTTP/1.1 404"), answer[:80]
        assert b"terrain-not-found" in answer
        assert b"Directory listing" not in answer


def test_nul_byte_and_cancelled_requests_print_nothing(running, capfd):
    import socket
    from urllib.parse import urlsplit

    answer = _raw(running, b"GET /%00/../index.html HTTP/1.0\r\n\r\n")
    assert b" 404 " in answer[:20] or b" 400 " in answer[:20]
    parts = urlsplit(running)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")  # never finished: the phone went away
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_idle_connections_time_out():
    assert 0 < serve.QuietHandler.timeout <= 60


def test_port_out_of_range_is_a_message(small_site, capsys):
    assert serve.serve_lan(small_site, 70000) == 2
    assert "not a port number" in capsys.readouterr().err


# ---- phones on a slow Wi-Fi: compression and caching ---------------------------------------


def request(url: str, **headers) -> tuple[int, dict, bytes]:
    """Status, headers (lower-case names) and raw body bytes of one request."""
    import urllib.error

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.fixture
def heavy_site(small_site) -> Path:
    """The small site with a search index and a hashed Material stylesheet, large enough to compress."""
    words = " ".join(f"orpaillage{i} réhabilitation" for i in range(2000))
    (small_site / "fr" / "search").mkdir()
    (small_site / "fr" / "search" / "search_index.json").write_text(
        json.dumps({"docs": [{"text": words}]}), encoding="utf-8"
    )
    (small_site / "assets" / "stylesheets").mkdir(parents=True)
    (small_site / "assets" / "stylesheets" / "main.484c7ddc.min.css").write_text("a{color:red}" * 500, encoding="utf-8")
    return small_site


def test_text_files_are_sent_gzip_compressed_to_phones_that_accept_it(running, heavy_site):
    import gzip

    raw = (heavy_site / "fr" / "search" / "search_index.json").read_bytes()
    status, headers, body = request(running + "/fr/search/search_index.json", **{"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["content-encoding"] == "gzip" and "accept-encoding" in headers["vary"].lower()
    assert int(headers["content-length"]) == len(body) < len(raw) / 4
    assert gzip.decompress(body) == raw
    status, headers, body = request(running + "/fr/search/search_index.json", **{"Accept-Encoding": "identity"})
    assert status == 200 and "content-encoding" not in headers and body == raw
    status, headers, body = request(running + "/fr/search/search_index.json", **{"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in headers and body == raw


def test_the_files_of_a_first_visit_are_sent_with_zopfli_s_smaller_gzip(running, heavy_site):
    import gzip

    from terrain import serve

    index = heavy_site / "fr" / "search" / "search_index.json"
    assert index in serve.first_visit_files(heavy_site)
    raw = index.read_bytes()
    _, _, first = request(running + "/fr/search/search_index.json", **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(first) == raw  # at once, before the background thread is done
    serve.precompress(heavy_site, wait=True)  # what `serve --lan` starts with
    status, headers, body = request(running + "/fr/search/search_index.json", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and int(headers["content-length"]) == len(body)
    assert gzip.decompress(body) == raw and body == serve.best_gzip(raw)
    assert len(body) < len(gzip.compress(raw, 9)), "zopfli's gzip is no smaller than zlib's level 9"


def test_pages_and_assets_carry_cache_headers_and_revalidate(running, heavy_site):
    status, headers, _ = request(running + "/assets/stylesheets/main.484c7ddc.min.css", **{"Accept-Encoding": "gzip"})
    assert status == 200 and "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
    assert headers["etag"] and headers["last-modified"]
    status, headers, _ = request(running + "/fr/search/search_index.json")
    assert "max-age=" in headers["cache-control"] and "immutable" not in headers["cache-control"]
    status, page, _ = request(running + "/fr/index.html", **{"Accept-Encoding": "gzip"})
    assert status == 200 and page["cache-control"] == "no-cache" and page["content-encoding"] == "gzip"
    status, headers, body = request(
        running + "/fr/index.html", **{"Accept-Encoding": "gzip", "If-None-Match": page["etag"]}
    )
    assert status == 304 and body == b""
    status, headers, body = request(running + "/fr/index.html", **{"If-Modified-Since": page["last-modified"]})
    assert status == 304
    (heavy_site / "fr" / "index.html").write_text(
        "<title>Terrain</title><p>Nouvelle version, plus longue</p>", encoding="utf-8"
    )
    status, headers, body = request(
        running + "/fr/index.html", **{"Accept-Encoding": "gzip", "If-None-Match": page["etag"]}
    )
    assert status == 200 and headers["etag"] != page["etag"]


def test_the_folder_address_still_serves_its_index_and_missing_files_the_404_page(running, heavy_site):
    (heavy_site / "404.html").write_text("<title>Not found</title><p>Lost</p>", encoding="utf-8")
    status, headers, body = request(running + "/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    status, headers, body = request(running + "/fr", **{"Accept-Encoding": "gzip"})
    assert status == 200  # redirected to /fr/, then its index
    status, headers, body = request(running + "/nowhere.html", **{"Accept-Encoding": "gzip"})
    assert status == 404 and b"Lost" in body


# ---- `terrain serve`: the built site as it is, reloaded when a source changes (issue 14) -------


def test_the_built_site_is_current_until_a_source_changes(tmp_path):
    import os

    root, site = tmp_path, tmp_path / "site"
    (root / "docs").mkdir()
    (root / "docs" / "index.en.md").write_text("# Home", encoding="utf-8")
    (root / "terrain" / "__pycache__").mkdir(parents=True)
    assert not serve.site_is_current(root, site)  # nothing built
    (site / "fr").mkdir(parents=True)
    for page in ("index.html", "fr/index.html"):
        (site / page).write_text("<title>Terrain</title>", encoding="utf-8")
        os.utime(site / page, (2000, 2000))
    os.utime(root / "docs" / "index.en.md", (1000, 1000))
    assert serve.site_is_current(root, site)
    (root / "terrain" / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"")  # Python's own, not a source
    assert serve.site_is_current(root, site)
    os.utime(root / "docs" / "index.en.md", (3000, 3000))
    assert not serve.site_is_current(root, site)


def test_the_preview_serves_the_built_site_as_it_is_with_the_reload_script(small_site, tmp_path):
    import urllib.error

    policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
    (small_site / "index.html").write_text(
        f"<html><head>{policy}<title>Terrain</title></head><body><p>A curriculum</p></body></html>", encoding="utf-8"
    )
    (small_site / "404.html").write_text("<title>Terrain</title><p>No such page here</p>", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    built = []
    server = serve.preview_server(tmp_path, small_site, lambda: built.append(1) or 0, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, text = get(base + "/index.html")
        assert status == 200 and "A curriculum" in text
        assert "Content-Security-Policy" not in text and "livereload" in text  # the policy would block the reload
        assert (small_site / "index.html").read_text(encoding="utf-8").count("Content-Security-Policy") == 1
        status, text = get(base + "/fr/index.html")
        assert status == 200 and "orpaillage" in text
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(base + "/nothing.html")
        assert missing.value.code == 404 and "No such page here" in missing.value.read().decode("utf-8")
        assert built == []  # served as it is: nothing was built
    finally:
        server.shutdown()
        thread.join(10)


def test_stopping_a_rebuild_stops_the_preview_and_leaves_the_site_as_it_was(tmp_path, capsys):
    """Ctrl-C (or SIGTERM, which `terrain serve` turns into one) during a rebuild reaches the
    server, which stops, instead of being taken for a failed build that keeps it serving."""
    from terrain.site import build_atomically

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("before", encoding="utf-8")

    def interrupted_mkdocs(*args: str) -> int:
        fresh = Path(args[args.index("--site-dir") + 1])
        fresh.mkdir(parents=True)
        (fresh / "index.html").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_atomically(tmp_path, interrupted_mkdocs)
    assert (site / "index.html").read_text(encoding="utf-8") == "before"
    assert not (tmp_path / "build" / "site.new").exists()
    assert "stopped; site/ is unchanged" in capsys.readouterr().err
