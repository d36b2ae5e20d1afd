"""Serving the built site to a room: the server, the address, the QR code. Loopback traffic only."""
from __future__ import annotations

import ipaddress
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
    (site / "fr" / "index.html").write_text("<title>Terrain</title><p>Un programme de formation sur l’orpaillage</p>", encoding="utf-8")
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


def test_lan_address_is_an_ipv4_address():
    assert isinstance(ipaddress.IPv4Address(serve.lan_address()), ipaddress.IPv4Address)


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
