"""`terrain links --online` against a server on this machine: statuses recorded with the date."""

from __future__ import annotations

import http.server
import threading

import yaml

from terrain import links
from terrain.project import Project


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


def test_online_check_records_status_and_date(project_copy, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        monkeypatch.setattr(links, "external_urls", lambda project: [f"{base}/ok", f"{base}/gone"])
        code = links.check_online(Project.load(project_copy), timeout=5, workers=2, today="2026-11-27")
    finally:
        server.shutdown()
    record = yaml.safe_load((project_copy / "data/link-status.yml").read_text(encoding="utf-8"))
    assert record[f"{base}/ok"] == {"status": "200", "checked": "2026-11-27"}
    assert record[f"{base}/gone"]["status"] == "404"
    assert code == 1


def test_every_reading_url_is_listed(project):
    urls = links.external_urls(project)
    for entry in project.readings.values():
        if entry.get("url"):
            assert entry["url"] in urls
