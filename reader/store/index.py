"""Incremental, resumable indexing of files and folders into the store.

An unchanged file costs one ``stat``. Changed and new files are read and parsed in a producer
thread while the calling thread writes the previous batch; each batch is one transaction, so an
interrupted run leaves every committed batch intact and the next run finishes the job.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.dates import period_start
from reader.model import ParsedArticle
from reader.store.fts import FtsBatch, delete_articles
from reader.store.items import IdAllocator, ItemWriter, drop_origin
from reader.store.sources import Skipped, SourceError, looks_like_feed
from reader.store.sources.dated_text import load_dated_text
from reader.store.workers import process_pool
from reader.textutil import clean_line

if TYPE_CHECKING:
    from reader.store.db import FeedStore
    from reader.store.sources.feed import ParsedFeed

BATCH = 1000
TEXT_SUFFIXES = frozenset({"", ".txt", ".text"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".json", ".feed"})
SUFFIXES = TEXT_SUFFIXES | FEED_SUFFIXES


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    removed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: added / updated / unchanged / failed, and the rest when non-zero."""
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
        ]
        for name in ("moved", "removed", "skipped"):
            if value := getattr(self, name):
                parts.append(f"{value} {name}")
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts) + f" in {self.seconds:.1f} s"


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file found under a SOURCE, with its stat."""

    key: str  # absolute path
    display: str  # as given on the command line, joined with the relative path
    source: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Loaded:
    """A producer's result for one file."""

    entry: FileEntry
    digest: str = ""
    article: ParsedArticle | None = None
    feed: ParsedFeed | None = None
    data: bytes | None = None
    status: str = "ok"  # ok | same | move | skipped | failed
    reason: str = ""
    warning: str | None = None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def scan(sources: Sequence[str]) -> tuple[list[FileEntry], list[str], list[tuple[str, str]]]:
    """Find the files under each SOURCE; return entries, scanned roots and missing sources."""
    entries: list[FileEntry] = []
    roots: list[str] = []
    missing: list[tuple[str, str]] = []
    for given in sources:
        absolute = os.path.abspath(given)
        if os.path.isdir(absolute):
            roots.append(absolute)
            root_name = clean_line(os.path.basename(absolute.rstrip(os.sep))) or "local"
            entries.extend(_walk(absolute, given, root_name))
        elif os.path.isfile(absolute):
            st = os.stat(absolute)
            parent = os.path.basename(os.path.dirname(absolute)) or "local"
            entries.append(
                FileEntry(absolute, given, clean_line(parent), st.st_size, st.st_mtime_ns)
            )
        else:
            missing.append((given, "no such file or directory"))
    return entries, roots, missing


def _walk(root: str, given: str, root_name: str) -> Iterator[FileEntry]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for item in items:
            if item.name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                stack.append(item.path)
                continue
            if os.path.splitext(item.name)[1].lower() not in SUFFIXES:
                continue
            try:
                st = item.stat()
            except OSError:
                continue
            rel = os.path.relpath(item.path, root)
            top = rel.split(os.sep, 1)
            source = clean_line(top[0]) if len(top) > 1 else root_name
            yield FileEntry(item.path, os.path.join(given, rel), source, st.st_size, st.st_mtime_ns)


def load(entry: FileEntry, known_hash: str | None, vanished: frozenset[str]) -> Loaded:
    """Read, hash and parse one file (runs in the producer thread)."""
    result = Loaded(entry)
    try:
        with open(entry.key, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        result.status, result.reason = "failed", exc.strerror or str(exc)
        return result
    result.digest = _digest(data)
    if result.digest == known_hash:
        result.status = "same"
        return result
    if known_hash is None and result.digest in vanished:
        result.status, result.data = "move", data
        return result
    _parse(result, data)
    return result


def load_chunk(chunk: tuple[list[tuple[FileEntry, str | None]], frozenset[str]]) -> list[Loaded]:
    """Load a batch of files (in a worker process for large runs)."""
    entries, vanished = chunk
    return [load(entry, known_hash, vanished) for entry, known_hash in entries]


def _parse(result: Loaded, data: bytes) -> None:
    try:
        suffix = os.path.splitext(result.entry.key)[1].lower()
        if suffix in FEED_SUFFIXES or looks_like_feed(data):
            from reader.store.sources.feed import parse_feed  # feedparser: only when needed

            result.feed = parse_feed(data, "file://" + result.entry.key)
            result.warning = result.feed.warning
        else:
            result.article, result.warning = load_dated_text(data)
    except Skipped as exc:
        result.status, result.reason = "skipped", str(exc)
    except SourceError as exc:
        result.status, result.reason = "failed", str(exc)
    except Exception as exc:  # a loader bug must not stop the run; say what it was
        result.status, result.reason = "failed", f"{type(exc).__name__}: {exc}"


class Indexer:
    """One indexing run against a store."""

    def __init__(self, store: FeedStore, batch_size: int = BATCH) -> None:
        self.store = store
        self.batch_size = batch_size
        self.conn: sqlite3.Connection = store.conn
        self.report = IndexReport()
        self._fts = FtsBatch()
        self._alloc_id = IdAllocator(self.conn)
        self._items = ItemWriter(self.conn, self._fts, self._alloc_id)

    def run(
        self, sources: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> IndexReport:
        """Index SOURCEs; never raises for a bad file, reports it instead."""
        started = time.perf_counter()
        self.conn.execute("PRAGMA cache_size=-32768")
        try:
            return self._run(sources, progress, started)
        finally:
            self.conn.execute("PRAGMA cache_size=-8192")

    def _run(
        self,
        sources: Sequence[str],
        progress: Callable[[int, int], None] | None,
        started: float,
    ) -> IndexReport:
        entries, roots, missing = scan(sources)
        self.report.failed.extend(missing)
        known = {
            row[0]: row[1:]
            for row in self.conn.execute(
                "SELECT key, id, size, mtime_ns, hash, status, reason FROM files"
            )
        }
        seen = {e.key for e in entries}
        vanished_rows = {
            key: row
            for key, row in known.items()
            if key not in seen and any(key.startswith(r + os.sep) for r in roots)
        }
        self._vanished = {row[3]: key for key, row in vanished_rows.items() if row[3]}
        todo: list[FileEntry] = []
        for e in entries:
            row = known.get(e.key)
            if row is not None and row[1] == e.size and row[2] == e.mtime_ns:
                if row[4] == "failed":
                    self.report.failed.append((e.display, row[5] or "failed"))
                elif row[4] == "skipped":
                    self.report.skipped += 1
                else:
                    self.report.unchanged += 1
            else:
                todo.append(e)
        total, done = len(entries), len(entries) - len(todo)
        if progress:
            progress(done, total)
        for batch in self._produce(todo, known):
            self.store.check_open()  # the reader is quitting: keep what is written, stop
            self._write(batch, known)
            done += len(batch)
            if progress:
                progress(done, total)
        self._remove_vanished()
        if self.report.removed or self.report.updated:
            from reader.store.entities import recount

            recount(self.conn)  # mentions of changed or removed articles are gone
        self.report.seconds = time.perf_counter() - started
        return self.report

    # -- producer ----------------------------------------------------------------------------
    def _produce(self, todo: list[FileEntry], known: dict[str, tuple]) -> Iterator[list[Loaded]]:
        """Yield parsed batches in order.

        Large runs parse in a separate process (two batches ahead) while this thread writes:
        parsing is pure Python and would otherwise fight the writer for the GIL.
        """
        size = self.batch_size
        vanished = frozenset(self._vanished)
        chunks = [
            ([(e, _hash_of(known, e.key)) for e in todo[i : i + size]], vanished)
            for i in range(0, len(todo), size)
        ]
        if len(chunks) < 3:
            for chunk in chunks:
                yield load_chunk(chunk)
            return
        try:
            pool = process_pool(1, allow_fork=False)  # spawn: as measured in bench_store.py
            pending = deque(pool.submit(load_chunk, c) for c in chunks[:2])
            first = pending.popleft().result()
        except (OSError, ValueError, BrokenProcessPool):
            # No worker process here: parse in this thread instead, slower but complete.
            for chunk in chunks:
                yield load_chunk(chunk)
            return
        with pool:
            yield first
            for nxt in chunks[2:]:
                pending.append(pool.submit(load_chunk, nxt))
                yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    # -- writer ------------------------------------------------------------------------------
    def _write(self, batch: list[Loaded], known: dict[str, tuple]) -> None:
        conn = self.conn
        # FTS5 flushes its pending buffer whenever a rowid goes backwards, so new articles
        # are written in date (= id) order within a batch.
        batch = sorted(batch, key=_date_order)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for item in batch:
                self._write_one(item, known.get(item.entry.key))
            self._fts.flush(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _write_one(self, item: Loaded, row: tuple | None) -> None:
        e, r = item.entry, self.report
        if item.status == "move":
            old_key = self._vanished.pop(item.digest, None)
            if old_key is not None:
                self._move(old_key, e)
                r.moved += 1
                return
            _parse(item, item.data or b"")  # a second copy of a moved file: index it anew
        if item.warning:
            r.warnings.append((e.display, item.warning))
        file_id = self._upsert_file(e, item, row)
        if item.status == "same":
            r.unchanged += 1
        elif item.status == "failed":
            r.failed.append((e.display, item.reason))
        elif item.status == "skipped":
            r.skipped += 1
            r.skips.append((e.display, item.reason))
            delete_articles(self.conn, "file_id = ?", (file_id,), self._fts)
            drop_origin(self.conn, f"file:{file_id}", self._fts)
        elif item.feed is not None:
            delete_articles(self.conn, "file_id = ?", (file_id,), self._fts)  # was dated text
            counts = self._items.write(
                f"file:{file_id}", item.feed.title or e.source, item.feed.items, e.display
            )
            r.added += counts.added
            r.updated += counts.updated
            r.unchanged += counts.unchanged
        elif item.article is not None:
            self._store_article(file_id, e, item.article, item.digest)

    def _upsert_file(self, e: FileEntry, item: Loaded, row: tuple | None) -> int:
        status = "ok" if item.status in ("ok", "same") else item.status
        values = (e.display, e.size, e.mtime_ns, item.digest or None, status, item.reason or None)
        if row is not None:
            self.conn.execute(
                "UPDATE files SET display=?, size=?, mtime_ns=?, hash=coalesce(?, hash), "
                "status=?, reason=? WHERE id=?",
                (*values, row[0]),
            )
            return row[0]
        cur = self.conn.execute(
            "INSERT INTO files (key, display, root, size, mtime_ns, hash, status, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (e.key, e.display, os.path.dirname(e.key), *values[1:]),
        )
        return cur.lastrowid  # type: ignore[return-value]

    def _store_article(self, file_id: int, e: FileEntry, a: ParsedArticle, digest: str) -> None:
        conn = self.conn
        old = conn.execute(
            "SELECT a.id, a.hash, a.date, a.title, b.body, a.doc FROM articles a "
            "JOIN bodies b ON b.doc = a.doc WHERE a.file_id = ?",
            (file_id,),
        ).fetchone()
        start = period_start(a.date)
        fields = (
            e.source,
            a.title,
            start,
            int(a.date.precision),
            a.language,
            a.link,
            e.display,
            digest,
        )
        if old is None:
            uid = self._new_uid(e.key)
            new_id = self._alloc_id(start)
            doc = conn.execute("INSERT INTO bodies (body) VALUES (?)", (a.body,)).lastrowid
            conn.execute(
                "INSERT INTO articles (id, uid, file_id, doc, guid, source, title, date, "
                "precision, language, link, path, hash, added) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id, uid, file_id, doc, *fields, int(time.time())),
            )
            self._fts.insert(new_id, a.title, a.body)
            self.report.added += 1
            return
        if old[1] == digest:
            self.report.unchanged += 1
            return
        new_id = old[0] if old[2] == start else self._alloc_id(start)
        conn.execute(
            "UPDATE articles SET id=?, source=?, title=?, date=?, precision=?, "
            "language=?, link=?, path=?, hash=?, entities_done=0 WHERE id=?",
            (new_id, *fields, old[0]),
        )
        conn.execute("UPDATE bodies SET body=? WHERE doc=?", (a.body, old[5]))
        self._fts.delete(old[0], old[3], old[4])
        self._fts.insert(new_id, a.title, a.body)
        conn.execute("DELETE FROM mentions WHERE article IN (?, ?)", (old[0], new_id))
        self.report.updated += 1

    def _move(self, old_key: str, e: FileEntry) -> None:
        conn = self.conn
        conn.execute(
            "UPDATE files SET key=?, display=?, root=?, size=?, mtime_ns=? WHERE key=?",
            (e.key, e.display, os.path.dirname(e.key), e.size, e.mtime_ns, old_key),
        )
        conn.execute(
            "UPDATE articles SET path=?, source=? WHERE file_id = "
            "(SELECT id FROM files WHERE key = ?)",
            (e.display, e.source, e.key),
        )

    def _remove_vanished(self) -> None:
        keys = list(self._vanished.values())
        if not keys:
            return
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for key in keys:
                row = conn.execute("SELECT id FROM files WHERE key = ?", (key,)).fetchone()
                if row is None:
                    continue
                self.report.removed += delete_articles(conn, "file_id = ?", (row[0],), self._fts)
                self.report.removed += drop_origin(conn, f"file:{row[0]}", self._fts)
                conn.execute("DELETE FROM files WHERE id = ?", (row[0],))
            self._fts.flush(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- ids ---------------------------------------------------------------------------------
    def _new_uid(self, key: str) -> str:
        salt = 0
        while True:
            uid = hashlib.blake2b(f"{key}\0{salt}".encode(), digest_size=8).hexdigest()
            if self.conn.execute("SELECT 1 FROM articles WHERE uid = ?", (uid,)).fetchone() is None:
                return uid
            salt += 1


def _date_order(item: Loaded) -> int:
    return period_start(item.article.date) if item.article is not None else -(1 << 62)


def _hash_of(known: dict[str, tuple], key: str) -> str | None:
    row = known.get(key)
    return row[3] if row else None
