"""A static HTTP server on 127.0.0.1 for the benchmark's RSS files, with conditional GET.

Every file under the root is served with ``ETag`` (from size and modification time) and
``Last-Modified``; a request whose ``If-None-Match`` or ``If-Modified-Since`` matches gets a
``304`` with no body. Counts of 200 and 304 answers are kept, so a run can say what it got.
"""

from __future__ import annotations

import os
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote


class FeedServer:
    """Serves a folder on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.counts = {"200": 0, "304": 0, "404": 0}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: Path) -> str:
        """The address of a file under the root."""
        return f"{self.base}/{path.resolve().relative_to(self.root).as_posix()}"

    def _count(self, code: str) -> None:
        with self._lock:
            self.counts[code] += 1

    def _answer(self, req: BaseHTTPRequestHandler) -> None:
        path = (self.root / unquote(req.path.split("?", 1)[0]).lstrip("/")).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            self._count("404")
            req.send_error(404)
            return
        st = path.stat()
        etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
        modified = formatdate(st.st_mtime, usegmt=True)
        if req.headers.get("If-None-Match") == etag or (
            req.headers.get("If-None-Match") is None
            and req.headers.get("If-Modified-Since") == modified
        ):
            self._count("304")
            req.send_response(304)
            req.send_header("ETag", etag)
            req.send_header("Last-Modified", modified)
            req.end_headers()
            return
        body = path.read_bytes()
        self._count("200")
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.send_header("ETag", etag)
        req.send_header("Last-Modified", modified)
        req.end_headers()
        req.wfile.write(body)

    def reset_counts(self) -> dict[str, int]:
        """Return the counts so far and start again from zero."""
        with self._lock:
            counts, self.counts = self.counts, dict.fromkeys(self.counts, 0)
        return counts

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def feed_files(root: Path) -> list[Path]:
    """The RSS files under a folder, in a stable order."""
    return sorted(Path(d) / f for d, _, files in os.walk(root) for f in files if f.endswith(".xml"))
