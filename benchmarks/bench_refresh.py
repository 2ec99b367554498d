"""Refresh speed: N subscriptions x M items served from 127.0.0.1, first and all-304 refresh.

Runs `newsreader refresh` as a child process (wall time and peak RSS of the child), and, when
newsboat is installed, `newsboat -x reload` on the same URLs in the same run. The server
sends ETag and Last-Modified and answers conditional requests with 304.

    python benchmarks/bench_refresh.py [--feeds 100] [--items 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

STAMP = "Wed, 25 Nov 2026 10:00:00 GMT"
WORDS = (
    "Xiaomi Tesla BYD Beijing Shanghai battery factory electric market price sales quarter "
    "analysts investors growth export Europe tariff model launch delivery"
).split()


def make_feed(n: int, items: int) -> bytes:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    parts = []
    for i in range(items):
        words = " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(60))
        when = format_datetime(start + timedelta(minutes=n * items + i))
        parts.append(
            f"<item><title>Feed {n} story {i}: {WORDS[i % len(WORDS)]} news</title>"
            f"<link>https://news{n}.example/{i}</link><guid>https://news{n}.example/{i}</guid>"
            f"<pubDate>{when}</pubDate><description><![CDATA[<p>{words}.</p>"
            f"<p>Second paragraph with <a href='https://x.example/{i}'>a link</a>.</p>]]>"
            f"</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {n}</title><link>https://news{n}.example/</link>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    feeds: ClassVar[dict[str, bytes]] = {}
    requests = 0
    not_modified = 0

    def do_GET(self) -> None:
        type(self).requests += 1
        body = self.feeds.get(self.path)
        if body is None:
            self.send_error(404)
            return
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-Modified-Since") == STAMP
        ):
            type(self).not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", STAMP)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a child process (its own, not its children's)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {err[-500:]!r}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    Handler.feeds = {f"/feed{n}.xml": make_feed(n, args.items) for n in range(args.feeds)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}{path}" for path in Handler.feeds]
    size = sum(map(len, Handler.feeds.values()))
    print(f"{args.feeds} feeds x {args.items} items, {size / 1e6:.1f} MB served from 127.0.0.1")
    newsreader = shutil.which("newsreader") or sys.exit("newsreader is not on PATH")
    newsboat = shutil.which("newsboat")
    results: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "bench.db")
            opml = Path(tmp, "subs.opml")
            opml.write_text(
                "<opml version='2.0'><body>"
                + "".join(f"<outline type='rss' text='f' xmlUrl='{u}'/>" for u in urls)
                + "</body></opml>"
            )
            subprocess.run([newsreader, "import-opml", str(opml), "--db", db], check=True,
                           capture_output=True)  # fmt: skip
            refresh = [newsreader, "refresh", "--no-entities", "--db", db]
            results.setdefault("newsreader first", []).append(timed(refresh))
            results.setdefault("newsreader all-304", []).append(timed(refresh))
            if newsboat:
                Path(tmp, "urls").write_text("\n".join(urls) + "\n")
                Path(tmp, "config").write_text("")
                cmd = [newsboat, "-u", f"{tmp}/urls", "-c", f"{tmp}/cache.db",
                       "-C", f"{tmp}/config", "-x", "reload"]  # fmt: skip
                results.setdefault("newsboat first", []).append(timed(cmd))
                for n in (2, 3):
                    results.setdefault(f"newsboat reload {n}", []).append(timed(cmd))
    server.shutdown()
    print(f"{'run':<22}{'median wall s':>14}{'min':>8}{'max':>8}{'peak RSS MiB':>14}")
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        print(
            f"{name:<22}{statistics.median(walls):>14.2f}{min(walls):>8.2f}{max(walls):>8.2f}"
            f"{max(m for _, m in runs):>14.0f}"
        )
    print(f"requests answered 304: {Handler.not_modified} of {Handler.requests}")
    print("peak RSS: the command's own process (parse workers of newsreader not included)")


if __name__ == "__main__":
    main()
