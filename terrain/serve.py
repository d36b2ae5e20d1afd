"""Serve the built site to a room: every device on the same Wi-Fi or phone hotspot, by QR code."""
from __future__ import annotations

import io
import socket
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# TEST-NET-1 (RFC 5737): never routed on the internet. Connecting a UDP socket to it only asks
# the kernel which interface it would use; no packet is sent.
PROBE_ADDRESS = ("192.0.2.1", 9)
LOOPBACK = "127.0.0.1"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without a log line per request, so the address and QR code stay on screen."""

    def log_message(self, format: str, *args) -> None:
        pass


def make_server(site: Path, host: str = "0.0.0.0", port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server of the folder `site` on host:port (port 0: any free port)."""
    handler = partial(QuietHandler, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)


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


def serve_lan(site: Path, port: int = 8000) -> int:
    """Serve `site` on every interface, print its address and QR code; Ctrl-C stops it."""
    site = Path(site)
    if not (site / "index.html").is_file():
        print(f"terrain serve --lan: no built site in {site} — build the site first: make build", file=sys.stderr)
        return 1
    try:
        server = make_server(site, "0.0.0.0", port)
    except OSError as error:
        print(f"terrain serve --lan: cannot listen on port {port} ({error.strerror}) — try another one: --port {port + 1}", file=sys.stderr)
        return 1
    url = f"http://{lan_address()}:{server.server_address[1]}/"
    svg = write_qr_svg(url, site.parent / "build" / "lan-qr.svg")
    print(f"Serving Terrain to the room at {url}")
    print(qr_text(url))
    print("Participants join the same Wi-Fi or phone hotspot, then scan the code.")
    print(f"For the projector, the same code as an image: {svg}")
    if url.startswith(f"http://{LOOPBACK}:"):
        print("This machine has no network address: only this machine can open the site. Join a Wi-Fi or hotspot, then start again.")
    print("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped serving Terrain.")
    finally:
        server.server_close()
    return 0
