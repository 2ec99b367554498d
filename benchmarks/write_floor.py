"""The least a single-writer FTS5 store must do to index a corpus, beside what ``index`` does.

    python benchmarks/write_floor.py DIR [--runs 5] [--newsboat RSS_DIR]

DIR is a folder of dated-text files (``python -m benchmarks.corpus DIR --count 10000`` makes
one; the benchmark command's corpus is ``WORK/corpus-N-seedS/text``). Every file is parsed
first, outside the timing, with the indexer's own loader. Then, in rounds that alternate the
variants so that the machine's noise falls on each alike, into a new file each time:

- ``fts``: the parsed titles and bodies inserted into an FTS5 table with the store's
  tokenizer, ``detail=full``, pending-terms buffer and merge settings, contentless (the
  store's reads its text from ``article_text``, which an insert does not read), a
  transaction a thousand articles, with the indexer's page cache and checkpoint interval;
- ``bodies``: the bodies alone into a table like the store's ``bodies``;
- ``fts+bodies``: both in the same transactions: the floor of any store that keeps the text
  and its word index in one SQLite file, which one connection writes;
- ``index``: ``newsreader index DIR --no-entities`` into a new database, the whole process;
- ``newsboat``: with ``--newsboat RSS_DIR`` (the same items as RSS files) and newsboat
  installed, ``newsboat -x reload`` of them from ``file://`` URLs into a new cache, as the
  benchmark command runs it.

It prints the median (min–max) of each and the ratios of the medians. The floor rows run in
this process (no start-up, no parsing); the other two are whole processes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.store.index import AUTOMERGE, BATCH, CRISISMERGE, WAL_PAGES, FileEntry, load
from reader.store.schema import FTS_TOKENIZE


def parsed(folder: Path) -> list[tuple[str, str]]:
    """(title, body) of every dated text under ``folder``, parsed by the indexer's loader."""
    out = []
    for root, _dirs, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(root, name)
            st = os.stat(path)
            loaded = load(FileEntry(path, path, path, st.st_size, st.st_mtime_ns), None)
            if loaded.article is not None:
                out.append((loaded.article.title, loaded.article.body))
    return out


def floor(db: Path, texts: list[tuple[str, str]], fts: bool, bodies: bool) -> float:
    """Seconds to write ``texts`` as the variant says, a transaction per ``BATCH``."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA cache_size=-32768")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
    conn.execute("CREATE TABLE bodies (doc INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', "
        f"tokenize='{FTS_TOKENIZE}', detail=full)"
    )
    for name, value in (("hashsize", 16 << 20), ("automerge", AUTOMERGE),
                        ("crisismerge", CRISISMERGE)):  # fmt: skip
        conn.execute("INSERT INTO fts(fts, rank) VALUES (?, ?)", (name, value))
    started = time.perf_counter()
    for first in range(0, len(texts), BATCH):
        rows = [(n + 1, *texts[n]) for n in range(first, min(first + BATCH, len(texts)))]
        conn.execute("BEGIN")
        if bodies:
            conn.executemany("INSERT INTO bodies (doc, body) VALUES (?, ?)",
                             [(n, body) for n, _title, body in rows])  # fmt: skip
        if fts:
            conn.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.close()
    return time.perf_counter() - started


def whole(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of a command, which must succeed."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, help="a folder of dated-text files")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--newsboat", type=Path, help="the same items as RSS files")
    args = ap.parse_args()
    texts = parsed(args.folder)
    words = sum(len(body.split()) for _title, body in texts)
    print(f"{len(texts):,} articles, {words:,} words, parsed outside the timing")
    newsreader = shutil.which("newsreader")
    newsboat = shutil.which("newsboat") if args.newsboat else None
    urls = ""
    if newsboat:
        feeds = sorted(p for p in args.newsboat.rglob("*") if p.is_file())
        urls = "".join(f"file://{p.resolve()}\n" for p in feeds)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        (scratch / "urls").write_text(urls)
        (scratch / "newsboat.config").write_text("")
        env = {**os.environ, "HOME": str(scratch)}
        for n in range(args.runs):
            for name, fts, bodies in (("fts", True, False), ("bodies", False, True),
                                      ("fts+bodies", True, True)):  # fmt: skip
                times.setdefault(name, []).append(floor(scratch / f"{name}{n}.db", texts, fts,
                                                        bodies))  # fmt: skip
            if newsreader:
                db = scratch / f"index{n}.db"
                times.setdefault("index", []).append(
                    whole([newsreader, "--db", str(db), "index", str(args.folder), "--no-entities"])
                )
            if newsboat:
                config = str(scratch / "newsboat.config")
                cache = str(scratch / f"nb{n}.db")
                cmd = [newsboat, "-u", str(scratch / "urls"), "-c", cache, "-C", config]
                times.setdefault("newsboat", []).append(whole([*cmd, "-x", "reload"], env))
            for path in scratch.glob(f"*{n}.db*"):
                path.unlink()
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name:11} {medians[name]:6.2f} s  ({min(values):.2f}–{max(values):.2f})")
    for a, b in (("fts", "fts+bodies"), ("fts+bodies", "index"), ("fts+bodies", "newsboat"),
                 ("index", "newsboat")):  # fmt: skip
        if a in medians and b in medians:
            print(f"{a} / {b}: {medians[a] / medians[b]:.2f}")


if __name__ == "__main__":
    main()
