"""Incremental, resumable indexing of files and folders into the store.

An unchanged file costs one ``stat``. Changed and new files are read and parsed (in a worker
process for large runs) while the calling thread writes the previous batch; each batch is one
short transaction, so an interrupted run leaves every committed batch intact and the next run
finishes the job. Each batch re-reads the rows of its files inside its transaction, so two
runs over the same folder at once both succeed: the second skips what the first wrote.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from reader.dates import period_start
from reader.model import FileStatus, ParsedArticle
from reader.store.changes import Changes, delete_articles
from reader.store.database import Database, chunks, columns, fetch_all, marks
from reader.store.items import IdAllocator, ItemWriter, drop_origin
from reader.store.sources import MAX_FILE_BYTES, Skipped, SourceError, looks_like_feed, sniff
from reader.store.sources.dated_text import load_dated_text
from reader.store.workers import process_pool
from reader.textutil import clean_line

if TYPE_CHECKING:
    from reader.store.sources.feed import ParsedFeed

BATCH = 1000
TEXT_SUFFIXES = frozenset({"", ".txt", ".text"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".json", ".feed"})
SUFFIXES = TEXT_SUFFIXES | FEED_SUFFIXES


class LoadStatus(StrEnum):
    """What reading one file found."""

    OK = "ok"  # parsed: an article or a feed
    SAME = "same"  # same bytes as stored (touched, not changed)
    MOVE = "move"  # the bytes of a file that vanished: a move or rename
    SKIPPED = "skipped"
    FAILED = "failed"


class FileRow(NamedTuple):
    """A ``files`` row as indexing needs it."""

    key: str
    id: int
    size: int
    mtime_ns: int
    hash: str | None
    status: str
    reason: str | None


_FILE = columns(FileRow)


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
    status: LoadStatus = LoadStatus.OK
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
    """Read, hash and parse one file (in the parse worker for large runs).

    At most ``MAX_FILE_BYTES`` are read: a larger file fails at once, in bounded memory.
    """
    result = Loaded(entry)
    try:
        with open(entry.key, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        result.status, result.reason = LoadStatus.FAILED, exc.strerror or str(exc)
        return result
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1 << 20)
        result.status = LoadStatus.FAILED
        result.reason = f"larger than {limit} MiB; not read (articles and feed files are smaller)"
        return result
    result.digest = _digest(data)
    if result.digest == known_hash:
        result.status = LoadStatus.SAME
        return result
    if known_hash is None and result.digest in vanished:
        result.status, result.data = LoadStatus.MOVE, data
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
            sniff(data)  # random bytes, an image…: refused before the XML parser sees them
            from reader.store.sources.feed import parse_feed  # feedparser: only when needed

            result.feed = parse_feed(data, "file://" + result.entry.key)
            result.warning = result.feed.warning
        else:
            result.article, result.warning = load_dated_text(data)
    except Skipped as exc:
        result.status, result.reason = LoadStatus.SKIPPED, str(exc)
    except SourceError as exc:
        result.status, result.reason = LoadStatus.FAILED, str(exc)
    except Exception as exc:  # a loader bug must not stop the run; say what it was
        result.status, result.reason = LoadStatus.FAILED, f"{type(exc).__name__}: {exc}"


class Indexer:
    """One indexing run against a database."""

    def __init__(self, db: Database, batch_size: int = BATCH) -> None:
        self.db = db
        self.batch_size = batch_size
        self.conn: sqlite3.Connection = db.conn
        self.report = IndexReport()
        self._changes = Changes()
        self._alloc_id = IdAllocator(self.conn)
        self._items = ItemWriter(self.conn, self._changes, self._alloc_id)
        self._vanished: dict[str, str] = {}

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
        if roots or entries:
            given = [os.path.abspath(s) for s in sources if os.path.exists(s)]
            with self.db.transaction() as conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO roots (path, added) VALUES (?, ?)",
                    [(path, int(time.time())) for path in given],
                )
        known = {
            row.key: row for row in fetch_all(self.conn, FileRow, f"SELECT {_FILE} FROM files")
        }
        seen = {e.key for e in entries}
        self._vanished = {
            row.hash: key
            for key, row in known.items()
            if key not in seen and row.hash and any(key.startswith(r + os.sep) for r in roots)
        }
        todo: list[FileEntry] = []
        for e in entries:
            row = known.get(e.key)
            if row is not None and row.size == e.size and row.mtime_ns == e.mtime_ns:
                if row.status == FileStatus.FAILED:
                    self.report.failed.append((e.display, row.reason or "failed"))
                elif row.status == FileStatus.SKIPPED:
                    self.report.skipped += 1
                else:
                    self.report.unchanged += 1
            else:
                todo.append(e)
        total, done = len(entries), len(entries) - len(todo)
        if progress:
            progress(done, total)
        for batch in self._produce(todo, known):
            self.db.check_open()  # the reader is quitting: keep what is written, stop
            self._write(batch)
            done += len(batch)
            if progress:
                progress(done, total)
        self._remove_vanished()
        self.report.seconds = time.perf_counter() - started
        return self.report

    # -- producer ----------------------------------------------------------------------------
    def _produce(self, todo: list[FileEntry], known: dict[str, FileRow]) -> Iterator[list[Loaded]]:
        """Yield parsed batches in order.

        Large runs parse in a separate process (two batches ahead) while this thread writes:
        parsing is pure Python and would otherwise fight the writer for the GIL.
        """
        size = self.batch_size
        vanished = frozenset(self._vanished)
        jobs = [
            (
                [(e, known[e.key].hash if e.key in known else None) for e in todo[i : i + size]],
                vanished,
            )
            for i in range(0, len(todo), size)
        ]
        if len(jobs) < 3:
            for job in jobs:
                yield load_chunk(job)
            return
        try:
            pool = process_pool(1, allow_fork=False)  # spawn: as measured in bench_store.py
        except (OSError, ValueError, BrokenProcessPool):
            # No worker process here: parse in this thread instead, slower but complete.
            for job in jobs:
                yield load_chunk(job)
            return
        try:
            pending: deque[Future[list[Loaded]]] = deque(
                pool.submit(load_chunk, j) for j in jobs[:2]
            )
            for nxt in [*jobs[2:], None]:
                if nxt is not None:
                    pending.append(pool.submit(load_chunk, nxt))
                yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            _stop_pool(pool)

    # -- writer ------------------------------------------------------------------------------
    def _write(self, batch: list[Loaded]) -> None:
        # FTS5 flushes its pending buffer whenever a rowid goes backwards, so new articles
        # are written in date (= id) order within a batch.
        batch = sorted(batch, key=_date_order)
        with self.db.transaction() as conn:
            self._alloc_id.reset()
            self._changes.clear()
            keys = [item.entry.key for item in batch]
            fresh: dict[str, FileRow] = {}
            for chunk in chunks(keys):
                for row in fetch_all(
                    conn,
                    FileRow,
                    f"SELECT {_FILE} FROM files WHERE key IN ({marks(len(chunk))})",
                    chunk,
                ):
                    fresh[row.key] = row
            for item in batch:
                self._write_one(item, fresh.get(item.entry.key))
            self._changes.flush(conn)

    def _write_one(self, item: Loaded, row: FileRow | None) -> None:
        e, r = item.entry, self.report
        if row is not None and item.digest and row.hash == item.digest:
            # Same bytes as stored: touched only, or indexed by another run while we parsed.
            if row.status == FileStatus.FAILED:
                r.failed.append((e.display, row.reason or "failed"))
            elif row.status == FileStatus.SKIPPED:
                r.skipped += 1
            else:
                r.unchanged += 1
            self.conn.execute(
                "UPDATE files SET display=?, size=?, mtime_ns=? WHERE id=?",
                (e.display, e.size, e.mtime_ns, row.id),
            )
            return
        if item.status == LoadStatus.MOVE:
            old_key = self._vanished.pop(item.digest, None)
            if old_key is not None and self._move(old_key, e):
                r.moved += 1
                return
            item.status = LoadStatus.OK
            _parse(item, item.data or b"")  # a second copy of a moved file: index it anew
        if item.warning:
            r.warnings.append((e.display, item.warning))
        file_id = self._upsert_file(e, item)
        if item.status == LoadStatus.SAME:
            r.unchanged += 1  # its row was gone (another run removed it): now it is back
        elif item.status == LoadStatus.FAILED:
            r.failed.append((e.display, item.reason))
        elif item.status == LoadStatus.SKIPPED:
            r.skipped += 1
            r.skips.append((e.display, item.reason))
            delete_articles(self.conn, "file_id = ?", (file_id,), self._changes)
            drop_origin(self.conn, f"file:{file_id}", self._changes)
        elif item.feed is not None:
            delete_articles(self.conn, "file_id = ?", (file_id,), self._changes)  # was dated text
            counts = self._items.write(
                f"file:{file_id}", item.feed.title or e.source, item.feed.items, e.display
            )
            r.added += counts.added
            r.updated += counts.updated
            r.unchanged += counts.unchanged
        elif item.article is not None:
            self._store_article(file_id, e, item.article, item.digest)

    def _upsert_file(self, e: FileEntry, item: Loaded) -> int:
        status = (
            FileStatus.OK
            if item.status in (LoadStatus.OK, LoadStatus.SAME)
            else FileStatus(item.status.value)
        )
        row = self.conn.execute(
            "INSERT INTO files (key, display, root, size, mtime_ns, hash, status, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET display=excluded.display, size=excluded.size, "
            "mtime_ns=excluded.mtime_ns, hash=coalesce(excluded.hash, hash), "
            "status=excluded.status, reason=excluded.reason RETURNING id",
            (
                e.key,
                e.display,
                os.path.dirname(e.key),
                e.size,
                e.mtime_ns,
                item.digest or None,
                str(status),
                item.reason or None,
            ),
        ).fetchone()
        return row[0]

    def _store_article(self, file_id: int, e: FileEntry, a: ParsedArticle, digest: str) -> None:
        conn = self.conn
        old = conn.execute(
            "SELECT a.id, a.hash, a.date, a.title, b.body, a.doc FROM articles a "
            "JOIN bodies b ON b.doc = a.doc WHERE a.file_id = ?",
            (file_id,),
        ).fetchone()
        if old is None:
            # An article that lost its file row (a rebuilt database) is this file's when it
            # has the uid the file's path gives: adopt it, with its read and starred state.
            old = conn.execute(
                "SELECT a.id, a.hash, a.date, a.title, b.body, a.doc FROM articles a "
                "JOIN bodies b ON b.doc = a.doc WHERE a.uid = ? AND a.file_id IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM origins o WHERE o.article = a.id)",
                (_uid(e.key, 0),),
            ).fetchone()
            if old is not None:
                conn.execute("UPDATE articles SET file_id = ? WHERE id = ?", (file_id, old[0]))
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
            self._changes.insert(new_id, a.title, a.body)
            self.report.added += 1
            return
        old_id, old_hash, old_date, old_title, old_body, old_doc = old
        if old_hash == digest:
            self.report.unchanged += 1
            return
        new_id = old_id if old_date == start else self._alloc_id(start)
        self._changes.forget_mentions(conn, [old_id])
        conn.execute(
            "UPDATE articles SET id=?, source=?, title=?, date=?, precision=?, "
            "language=?, link=?, path=?, hash=?, entities_done=0 WHERE id=?",
            (new_id, *fields, old_id),
        )
        conn.execute("UPDATE bodies SET body=? WHERE doc=?", (a.body, old_doc))
        self._changes.delete(old_id, old_title, old_body)
        self._changes.insert(new_id, a.title, a.body)
        self.report.updated += 1

    def _move(self, old_key: str, e: FileEntry) -> bool:
        """The file at ``old_key`` is now at ``e``; False if another run moved it already."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM files WHERE key = ?", (e.key,)).fetchone():
            return False
        cur = conn.execute(
            "UPDATE files SET key=?, display=?, root=?, size=?, mtime_ns=? WHERE key=?",
            (e.key, e.display, os.path.dirname(e.key), e.size, e.mtime_ns, old_key),
        )
        if cur.rowcount == 0:
            return False
        conn.execute(
            "UPDATE articles SET path=?, source=? WHERE file_id = "
            "(SELECT id FROM files WHERE key = ?)",
            (e.display, e.source, e.key),
        )
        return True

    def _remove_vanished(self) -> None:
        keys = list(self._vanished.values())
        if not keys:
            return
        with self.db.transaction() as conn:
            self._changes.clear()
            for key in keys:
                row = conn.execute("SELECT id FROM files WHERE key = ?", (key,)).fetchone()
                if row is None or os.path.exists(key):
                    continue
                self.report.removed += delete_articles(
                    conn, "file_id = ?", (row[0],), self._changes
                )
                self.report.removed += drop_origin(conn, f"file:{row[0]}", self._changes)
                conn.execute("DELETE FROM files WHERE id = ?", (row[0],))
            self._changes.flush(conn)

    # -- ids ---------------------------------------------------------------------------------
    def _new_uid(self, key: str) -> str:
        salt = 0
        while True:
            uid = _uid(key, salt)
            if self.conn.execute("SELECT 1 FROM articles WHERE uid = ?", (uid,)).fetchone() is None:
                return uid
            salt += 1


def _uid(key: str, salt: int) -> str:
    """A dated-text article's public id: from its file's absolute path (and a salt for the
    rare collision)."""
    return hashlib.blake2b(f"{key}\0{salt}".encode(), digest_size=8).hexdigest()


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the parse worker: batches queued ahead are dropped (after an error or an
    interruption nobody will read them); the one being parsed is waited for, so the worker and
    its queues are released properly (no leaked semaphores at exit)."""
    pool.shutdown(wait=True, cancel_futures=True)


def _date_order(item: Loaded) -> int:
    return period_start(item.article.date) if item.article is not None else -(1 << 62)
