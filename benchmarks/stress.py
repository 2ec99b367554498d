"""Reliability under abuse, counted: kills at random points, concurrent writers, hostile input.

    python benchmarks/stress.py [--kills 60] [--rounds 10] [--examples 3000] [--work DIR]

Every figure the README's Reliability section quotes comes from this script. It drives the
real `newsreader` command in subprocesses against real SQLite files and a real HTTP server on
127.0.0.1:

- kill -9 of `index` (with entity extraction) and of `refresh` at random moments, each followed
  by SQLite's and FTS5's integrity checks, a check that every article committed before the kill
  kept its read and starred state, and a final run that completes the work;
- concurrent writers: two `index` runs, two `refresh` runs and a process marking articles read,
  all at once, repeated; any error line, any "locked", any lost state is counted;
- hostile input: generated text through the dated-text loader, HTML to text, the feed parser,
  the query parser and the extractor (hypothesis), counting the examples and the failures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WORDS = (
    "Xiaomi Tesla Pékin voiture batterie usine prix marché défi annonce Shanghai Lei Jun".split()
)


def newsreader(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def corpus(root: Path, count: int, edition: int) -> Path:
    rng = random.Random(edition)
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(150))
        path = root / "wire" / f"{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"date 2022-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n\nArticle {i} v{edition}. {body}.\n",
            encoding="utf-8",
        )
    return root


def intact(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        orphans = conn.execute(
            "SELECT count(*) FROM articles WHERE doc NOT IN (SELECT doc FROM bodies)"
        ).fetchone()[0]
        return ok and orphans == 0
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def states(db: Path) -> dict[str, tuple[int, int]]:
    conn = sqlite3.connect(db)
    try:
        return {u: (r, s) for u, r, s in conn.execute("SELECT uid, read, starred FROM articles")}
    finally:
        conn.close()


def mark_some(db: Path, seed: int) -> None:
    conn = sqlite3.connect(db, timeout=30)
    rng = random.Random(seed)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    conn.executemany(
        "UPDATE articles SET read = 1 WHERE id = ?", [(i,) for i in rng.sample(ids, len(ids) // 3)]
    )
    conn.executemany(
        "UPDATE articles SET starred = 1 WHERE id = ?",
        [(i,) for i in rng.sample(ids, len(ids) // 7)],
    )
    conn.commit()
    conn.close()


def kill_rounds(
    db: Path,
    command: list[str],
    kills: int,
    longest: float,
    seed: int,
    before_each: Callable[[int], object] = lambda _: None,
) -> dict[str, int]:
    """Run ``newsreader COMMAND`` ``kills`` times, each killed (-9) at a random moment up to
    ``longest`` seconds; after each, check the database and the read/starred state of every
    article committed before; then one last run that must finish the work."""
    before = states(db)
    result = {"kills": 0, "finished_first": 0, "damaged": 0, "states_lost": 0}
    rng = random.Random(seed)
    for round_ in range(kills):
        before_each(round_)
        proc = newsreader(*command, "--db", str(db))
        time.sleep(rng.uniform(0.1, longest))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            result["kills"] += 1
        else:
            result["finished_first"] += 1
        proc.wait()
        result["damaged"] += not intact(db)
        now = states(db)
        result["states_lost"] += sum(now.get(u, s) != s for u, s in before.items())
    final = subprocess.run(
        [sys.executable, "-m", "reader", *command, "--db", str(db)], capture_output=True, text=True
    )
    result["final_run_ok"] = int(final.returncode == 0 and intact(db))
    return result


def kill_index(work: Path, kills: int) -> dict[str, int]:
    """``kills`` runs of `index` killed at random moments; returns the counts."""
    src, db = work / "src", work / "kill-index.db"
    corpus(src, 1500, 0)
    subprocess.run(
        [sys.executable, "-m", "reader", "index", str(src), "--no-entities", "--db", str(db)],
        check=True,
        capture_output=True,
    )
    mark_some(db, 1)
    result = kill_rounds(
        db,
        ["index", str(src)],
        kills,
        3.0,
        seed=2,
        before_each=lambda r: corpus(src, 2000, r + 1),  # every file edited, 500 new
    )
    conn = sqlite3.connect(db)
    result["articles_after"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    result["pending_entities_after"] = conn.execute(
        "SELECT count(*) FROM articles WHERE entities_done = 0"
    ).fetchone()[0]
    conn.close()
    return result


class Feeds(BaseHTTPRequestHandler):
    """40 feeds of 60 items; the edition changes every request so every refresh writes."""

    edition = 0

    def do_GET(self) -> None:
        Feeds.edition += 1
        n = int(self.path.strip("/").split(".")[0].removeprefix("f"))
        edition = Feeds.edition
        items = "".join(
            f"<item><title>Feed {n} item {i} v{edition}</title>"
            f"<guid>https://f{n}.example/{i}</guid>"
            f"<pubDate>Mon, {i % 28 + 1:02d} Jun 2026 10:00:00 GMT</pubDate>"
            f"<description>Xiaomi in Beijing, item {i}, edition {edition}.</description></item>"
            for i in range(60)
        )
        channel = f"<channel><title>Feed {n}</title>{items}</channel>"
        body = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def subscribe(db: Path, base: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from reader.store import FeedStore

    with FeedStore(db) as store:
        for n in range(40):
            store.subscribe(f"{base}/f{n}.xml")


def kill_refresh(work: Path, kills: int, base: str) -> dict[str, int]:
    db = work / "kill-refresh.db"
    subscribe(db, base)
    subprocess.run(
        [sys.executable, "-m", "reader", "refresh", "--no-entities", "--db", str(db)],
        check=True,
        capture_output=True,
    )
    mark_some(db, 3)
    return kill_rounds(db, ["refresh"], kills, 2.0, seed=4)


def concurrent(work: Path, rounds: int, base: str) -> dict[str, int]:
    """Two index runs, two refresh runs and a marker at once, ``rounds`` times."""
    result = {
        "rounds": 0,
        "processes": 0,
        "failed": 0,
        "locked_lines": 0,
        "damaged": 0,
        "marks_lost": 0,
    }
    for round_ in range(rounds):
        db = work / f"concurrent-{round_}.db"
        src = corpus(work / f"csrc-{round_}", 1200, round_)
        subscribe(db, base)
        procs = [
            newsreader("index", str(src), "--db", str(db)),
            newsreader("refresh", "--db", str(db)),
            newsreader("index", str(src), "--no-entities", "--db", str(db)),
            newsreader("refresh", "--no-entities", "--db", str(db)),
        ]
        marked: set[int] = set()
        conn = sqlite3.connect(db, timeout=30, isolation_level=None)
        while any(p.poll() is None for p in procs):
            ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY random() LIMIT 20")]
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("UPDATE articles SET starred = 1 WHERE id = ?", [(i,) for i in ids])
            conn.execute("COMMIT")
            marked.update(ids)
            time.sleep(0.05)
        for proc in procs:
            _, err = proc.communicate()
            result["processes"] += 1
            result["failed"] += proc.returncode != 0
            result["locked_lines"] += err.count("locked")
        starred = {r[0] for r in conn.execute("SELECT id FROM articles WHERE starred = 1")}
        existing = {r[0] for r in conn.execute("SELECT id FROM articles")}
        conn.close()
        # An article whose date changed moves to another id; its uid keeps the state. Count
        # only articles still at their id.
        result["marks_lost"] += len((marked & existing) - starred)
        result["damaged"] += not intact(db)
        result["rounds"] += 1
    return result


def hostile(examples: int) -> dict[str, int]:
    """Run the hostile-input properties of tests/test_hostile.py with many more examples."""
    env = {**os.environ, "NEWSREADER_HOSTILE_EXAMPLES": str(examples)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_hostile.py"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-200:]
    properties = 5
    return {
        "examples_per_property": examples,
        "properties": properties,
        "inputs_tried": examples * properties,
        "failed_properties": int(proc.returncode != 0),
        "summary": tail,
    }  # type: ignore[dict-item]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=60, help="kills of index and of refresh each")
    ap.add_argument("--rounds", type=int, default=10, help="concurrent rounds")
    ap.add_argument("--examples", type=int, default=3000, help="hypothesis examples per property")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="newsreader-stress-"))
    work.mkdir(parents=True, exist_ok=True)
    server, base = serve()
    started = time.perf_counter()
    try:
        print("kill -9 of index:", kill_index(work, args.kills), flush=True)
        print("kill -9 of refresh:", kill_refresh(work, args.kills, base), flush=True)
        print("concurrent writers:", concurrent(work, args.rounds, base), flush=True)
        print("hostile input:", hostile(args.examples), flush=True)
    finally:
        server.shutdown()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"in {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
