"""Incremental, resumable indexing of files and folders into the store.

An unchanged file costs one ``stat``. Changed and new files are read and parsed (in a worker
process for large runs) while the calling thread writes the previous batch; each batch is one
short transaction, so an interrupted run leaves every committed batch intact and the next run
finishes the job. Each batch re-reads the rows of its files inside its transaction, so two
runs over the same folder at once both succeed: the second skips what the first wrote.

Memory does not grow with the number of files: the folder is walked lazily, its files are
looked up in ``files`` a chunk at a time, and batches are bounded in files and in bytes (an
RSS file holds a hundred articles). What a run remembers per file is one byte (which ``files``
rows it saw, for the removals at the end); a file that appears with the bytes of a vanished
one, or of one now reached through another link, is a move, found by its hash when it is
written.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from itertools import chain, islice
from typing import TYPE_CHECKING, NamedTuple

from reader.dates import period_start
from reader.files import NotRegular, read_regular
from reader.model import FileStatus, ParsedArticle
from reader.store import counts
from reader.store.changes import Changes, delete_articles
from reader.store.database import (
    CACHE_KIB,
    Change,
    Database,
    chunks,
    columns,
    fetch_all,
    marks,
)
from reader.store.items import IdAllocator, ItemWriter, drop_origin
from reader.store.sources import (
    GZIP_MAGIC,
    MAX_FILE_BYTES,
    Skipped,
    SourceError,
    gunzipped,
    looks_like_feed,
    sniff,
)
from reader.store.sources.dated_text import load_dated_text
from reader.store.workers import process_pool, shut_down
from reader.textutil import clean_line, no_surrogates, os_reason, plural

if TYPE_CHECKING:
    from reader.store.sources.feed import ParsedFeed

BATCH = 1000  # files per batch (one transaction), at most...
BATCH_BYTES = 4 << 20  # ...and at most about this many bytes of files (a thousand articles)
SCAN_CHUNK = 2000  # files found by the walk, looked up in ``files`` at a time
AUTOMERGE = 16  # FTS5 merges while indexing: 16 segments a level instead of 4 (fewer passes)
CRISISMERGE = 64  # ...and incrementally: at FTS5's default (16) every merge would be done at
#                   once, in one transaction holding the write lock for as long as it takes
WAL_PAGES = 20000  # pages the WAL may hold before a checkpoint while indexing (SQLite: 1000):
#                    FTS5's merges write the same pages again and again, and each checkpoint
#                    copies them to the file (50,000 articles into a million: 23.9 -> 21.5 s)
TEXT_SUFFIXES = frozenset({"", ".txt", ".text"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".json", ".feed"})
SUFFIXES = TEXT_SUFFIXES | FEED_SUFFIXES


def _suffix(name: str) -> str:
    """A file name's suffix as the walk reads it: a gzipped feed file's is the one under its
    ``.gz`` (``feed.xml.gz``: ``.xml``)."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".gz":
        inner = os.path.splitext(name[:-3])[1].lower()
        return inner if inner in FEED_SUFFIXES else suffix
    return suffix


class LoadStatus(StrEnum):
    """What reading one file found."""

    OK = "ok"  # parsed: an article or a feed
    SAME = "same"  # same bytes as stored (touched, not changed)
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
    """What one indexing run did: counts of articles, then counts of files."""

    added: int = 0  # articles
    updated: int = 0  # articles
    unchanged_articles: int = 0  # a changed feed file's items that were the same as stored
    duplicates: int = 0  # items whose article an earlier file of this run already wrote
    removed: int = 0  # articles (their files gone)
    unchanged: int = 0  # files: not read again (same size and time), or the same bytes
    moved: int = 0  # files
    skipped: int = 0  # files (not articles: no date line, empty…)
    failed: list[tuple[str, str]] = field(default_factory=list)  # files
    warnings: list[tuple[str, str]] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: the articles added and updated (and unchanged, duplicated, removed
        when any), then the files unchanged, moved, skipped (when any) and failed:
        ``1,157 articles added, 0 updated, 58 duplicates; 1 file skipped, 9 failed``."""
        articles = [f"{plural(self.added, 'article')} added", f"{self.updated:,} updated"]
        for value, name in (
            (self.unchanged_articles, "unchanged"),
            (self.duplicates, "duplicates" if self.duplicates != 1 else "duplicate"),
            (self.removed, "removed"),
        ):
            if value:
                articles.append(f"{value:,} {name}")
        files = [
            (value, name)
            for value, name in (
                (self.unchanged, "unchanged"),
                (self.moved, "moved"),
                (self.skipped, "skipped"),
            )
            if value
        ] + [(len(self.failed), "failed")]
        first, name = files[0]
        said = [f"{plural(first, 'file')} {name}"] + [f"{v:,} {n}" for v, n in files[1:]]
        return f"{', '.join(articles)}; {', '.join(said)} in {self.seconds:.1f} s"


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
    status: LoadStatus = LoadStatus.OK
    reason: str = ""
    warning: str | None = None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def scan(sources: Sequence[str]) -> tuple[list[FileEntry], list[str], list[tuple[str, str]]]:
    """Find the files under each SOURCE; return entries, scanned roots and missing sources
    (the whole list at once: indexing itself walks lazily, see ``Indexer``)."""
    roots, files, missing = _sources(sources)
    return list(_entries(sources, roots, files)), roots, missing


def _sources(sources: Sequence[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The SOURCEs that are folders, those that are files (absolute), and the missing ones."""
    roots: list[str] = []
    files: list[str] = []
    missing: list[tuple[str, str]] = []
    for given in sources:
        absolute = os.path.abspath(given)
        if os.path.isdir(absolute):
            roots.append(absolute)
        elif os.path.isfile(absolute):
            files.append(absolute)
        elif os.path.lexists(absolute):  # a named pipe, a device, a link to nothing
            missing.append((given, "not a file or folder"))
        else:
            missing.append((given, "no such file or directory"))
    return roots, files, missing


def _entries(sources: Sequence[str], roots: list[str], files: list[str]) -> Iterator[FileEntry]:
    """The files under each SOURCE, in the order given, found as they are needed."""
    for given in sources:
        absolute = os.path.abspath(given)
        if absolute in roots:
            root_name = clean_line(os.path.basename(absolute.rstrip(os.sep))) or "local"
            yield from _walk(absolute, given, root_name)
        elif absolute in files:
            try:
                st = os.stat(absolute)
            except OSError:
                continue
            parent = os.path.basename(os.path.dirname(absolute)) or "local"
            yield FileEntry(absolute, given, clean_line(parent), st.st_size, st.st_mtime_ns)


def count_files(sources: Sequence[str]) -> int:
    """How many files ``_entries`` will find (names only, no ``stat`` of a file: for
    progress)."""
    count = 0
    for given in sources:
        absolute = os.path.abspath(given)
        if os.path.isfile(absolute):
            count += 1
        elif os.path.isdir(absolute):
            count += sum(1 for _ in _files_under(absolute))
    return count


def _is_dir(item: os.DirEntry[str]) -> bool:
    """A folder, or a symbolic link to one (a link to nothing is not)."""
    try:
        return item.is_dir()
    except OSError:
        return False


def _files_under(root: str) -> Iterator[os.DirEntry[str]]:
    """The files under ROOT whose names indexing reads (hidden ones left out), a folder at a
    time, each folder's in name order.

    Symbolic links to folders are followed, and each folder is walked once, by its
    ``(st_dev, st_ino)``: a link to an ancestor, a second link to a folder, a link to a
    folder also reached directly add nothing (a loop ends at once). Paths are the ways the
    walk went (``root/linked/x.txt``), never the links' targets. Every folder reached
    without a link is walked before any link is followed, so such a folder keeps its own
    path, also when a link to it is made later (its files stay the articles they were);
    links are then followed by depth, then name (a link made later that sorts first takes
    the folder over: the writer finds its files to be the stored ones, ``_met_again``).
    """
    stack = [root]  # folders reached without a link (the last found walked first, as ever)
    linked: list[tuple[int, str]] = []  # a heap: links to folders, by (depth, path)
    walked: set[tuple[int, int]] = set()
    while stack or linked:
        folder = stack.pop() if stack else heapq.heappop(linked)[1]
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in walked:
                continue
            walked.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for item in items:
            if item.name.startswith("."):
                continue
            if _is_dir(item):
                if item.is_symlink():
                    heapq.heappush(linked, (item.path.count(os.sep), item.path))
                else:
                    stack.append(item.path)
            elif _suffix(item.name) in SUFFIXES:
                yield item


def _walk(root: str, given: str, root_name: str) -> Iterator[FileEntry]:
    skip = len(root) + len(os.sep)
    for item in _files_under(root):
        try:
            st = item.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:  # a link to nothing, a file gone meanwhile: loading it says why, in
            size, mtime = -1, -1  # its line of the summary (it was left out without a word)
        rel = item.path[skip:]
        top = rel.split(os.sep, 1)
        source = clean_line(top[0]) if len(top) > 1 else root_name
        yield FileEntry(item.path, os.path.join(given, rel), source, size, mtime)


def load(entry: FileEntry, known_hash: str | None) -> Loaded:
    """Read, hash and parse one file (in the parse worker for large runs).

    At most ``MAX_FILE_BYTES`` are read: a larger file fails at once, in bounded memory.
    """
    result = Loaded(entry)
    try:
        data = read_regular(entry.key, MAX_FILE_BYTES + 1)
    except OSError as exc:
        result.status, result.reason = LoadStatus.FAILED, os_reason(exc)
        if isinstance(exc, FileNotFoundError) and os.path.islink(entry.key):
            with contextlib.suppress(OSError):
                target = clean_line(os.readlink(entry.key))
                result.reason = f"a link to nothing ({target})"
        return result
    except NotRegular as exc:
        result.status, result.reason = LoadStatus.FAILED, str(exc)
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
    _parse(result, data)
    return result


Job = list[tuple[FileEntry, str | None]]  # files to load, with the hash stored for each


def load_chunk(job: Job) -> list[Loaded]:
    """Load a batch of files (in a worker process for large runs)."""
    return [load(entry, known_hash) for entry, known_hash in job]


def _parse(result: Loaded, data: bytes) -> None:
    try:
        suffix = _suffix(result.entry.key)
        if data.startswith(GZIP_MAGIC):  # a .xml.gz file, or a feed file gzipped as it is
            data = gunzipped(data, MAX_FILE_BYTES)
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


NOT_UTF8_NAME = "its name is not valid UTF-8; not read (rename the file)"


def _storable(path: str) -> bool:
    """Can this path be stored as text? (A name that is not UTF-8 holds surrogates.)"""
    try:
        path.encode()
    except UnicodeEncodeError:
        return False
    return True


def _copy_report(report: IndexReport) -> IndexReport:
    """A copy to go back to when a write is rolled back (its lists copied too)."""
    return replace(report, failed=list(report.failed), warnings=list(report.warnings),
                   skips=list(report.skips))  # fmt: skip


def _restore(report: IndexReport, saved: IndexReport) -> None:
    """Put ``saved``'s counts back into ``report`` itself: the scan holds the report object
    and goes on counting into it (a new object would lose what it counts afterwards)."""
    for f in fields(report):
        setattr(report, f.name, getattr(saved, f.name))


class Indexer:
    """One indexing run against a database."""

    def __init__(self, db: Database, batch_size: int = BATCH) -> None:
        self.db = db
        self.batch_size = batch_size
        self.conn: sqlite3.Connection = db.conn
        self.report = IndexReport()
        self._changes = Changes()
        self._alloc_id = IdAllocator(self.conn)
        self._items = ItemWriter(self.conn, self._changes, self._alloc_id, seen=set())
        self._roots: list[str] = []
        self._seen = bytearray()  # seen[id] = 1: the ``files`` row ``id`` was found this run
        self._passed = 0  # files the walk found with nothing to do

    def run(
        self, sources: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> IndexReport:
        """Index SOURCEs; never raises for a bad file, reports it instead."""
        started = time.perf_counter()
        self.conn.execute("PRAGMA cache_size=-32768")
        self.conn.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
        try:
            return self._run(sources, progress, started)
        finally:
            self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self.conn.execute("PRAGMA wal_autocheckpoint=1000")
            # copied now, waiting for no one: the next write starts the WAL again, cut back
            # to WAL_KEEP_BYTES (an index run lets it reach about 80 MiB)
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _run(
        self,
        sources: Sequence[str],
        progress: Callable[[int, int], None] | None,
        started: float,
    ) -> IndexReport:
        roots, files, missing = _sources(sources)
        self._roots = roots
        self.report.failed.extend(missing)
        if not roots and not files:
            self.report.seconds = time.perf_counter() - started
            return self.report
        usable = {*roots, *files}  # not a named pipe given by name: nothing to index again
        given = [p for p in map(os.path.abspath, sources) if p in usable and _storable(p)]
        with self.db.transaction(Change.NONE) as conn:  # nothing a count depends on
            conn.executemany(
                "INSERT OR IGNORE INTO roots (path, added) VALUES (?, ?)",
                [(path, int(time.time())) for path in given],
            )
            _automerge(conn, AUTOMERGE, CRISISMERGE)
        try:
            total = count_files(sources)
            todo = self._todo(_entries(sources, roots, files))
            written = 0
            first = True
            for batch in self._produce(self._jobs(todo)):
                if first and progress:
                    progress(min(self._passed, total), total)
                first = False
                self.db.check_open()  # the reader is quitting: keep what is written, stop
                self._write(batch)
                written += len(batch)
                if progress:
                    progress(min(self._passed + written, total), total)
            if first and progress:
                progress(min(self._passed, total), total)
            self._remove_vanished()
        finally:
            if not self.db.stopping:
                with self.db.transaction(Change.NONE) as conn:
                    _automerge(conn, 4, 16)  # FTS5's defaults, for the small writes of refreshes
        self.report.seconds = time.perf_counter() - started
        return self.report

    # -- what to do -------------------------------------------------------------------------
    def _todo(self, entries: Iterator[FileEntry]) -> Iterator[tuple[FileEntry, str | None]]:
        """The files that are new or changed (size or mtime), with their stored hash; the
        others are counted as they pass. Their ``files`` rows are read a chunk at a time."""
        r = self.report
        while chunk := list(islice(entries, SCAN_CHUNK)):
            if not all(_storable(e.key) and _storable(e.display) for e in chunk):
                for e in chunk:
                    if not (_storable(e.key) and _storable(e.display)):
                        r.failed.append((no_surrogates(e.display), NOT_UTF8_NAME))
                chunk = [e for e in chunk if _storable(e.key) and _storable(e.display)]
            known: dict[str, FileRow] = {}
            for part in chunks([e.key for e in chunk]):
                for row in fetch_all(
                    self.conn,
                    FileRow,
                    f"SELECT {_FILE} FROM files WHERE key IN ({marks(len(part))})",
                    part,
                ):
                    known[row.key] = row
            for e in chunk:
                found = known.get(e.key)
                if found is None:
                    yield e, None
                    continue
                row = found
                self._mark_seen(row.id)
                if row.size != e.size or row.mtime_ns != e.mtime_ns:
                    yield e, row.hash
                    continue
                self._passed += 1
                if row.status == FileStatus.FAILED:
                    r.failed.append((e.display, row.reason or "failed"))
                elif row.status == FileStatus.SKIPPED:
                    r.skipped += 1
                else:
                    r.unchanged += 1

    def _jobs(self, todo: Iterable[tuple[FileEntry, str | None]]) -> Iterator[Job]:
        """``todo`` in batches of at most ``batch_size`` files and about ``BATCH_BYTES``."""
        job: Job = []
        size = 0
        for item in todo:
            job.append(item)
            size += item[0].size
            if len(job) >= self.batch_size or size >= BATCH_BYTES:
                yield job
                job, size = [], 0
        if job:
            yield job

    def _mark_seen(self, file_id: int) -> None:
        seen = self._seen
        if file_id >= len(seen):
            seen.extend(bytes(file_id + 1 - len(seen) + 4096))
        seen[file_id] = 1

    # -- producer ----------------------------------------------------------------------------
    def _produce(self, jobs: Iterator[Job]) -> Iterator[list[Loaded]]:
        """Yield parsed batches in order.

        Large runs parse in a separate process (two batches ahead) while this thread writes:
        parsing is pure Python and would otherwise fight the writer for the GIL. The first
        batch is parsed here while the worker starts.
        """
        head = list(islice(jobs, 3))
        if len(head) < 3:
            for job in head:
                yield load_chunk(job)
            return
        try:
            pool = process_pool(1, allow_fork=False, wait=False)  # spawn: see bench_store.py
        except (OSError, ValueError, BrokenProcessPool):
            # No worker process here: parse in this thread instead, slower but complete.
            for job in chain(head, jobs):
                yield load_chunk(job)
            return
        try:
            pending: deque[tuple[Job, Future[list[Loaded]] | None]] = deque(
                (job, pool.submit(load_chunk, job)) for job in head[1:]
            )
            first = load_chunk(head[0])  # while the worker starts and parses the next two
            yield first
            del first
            for nxt in chain(jobs, [None]):
                if nxt is not None:
                    pending.append((nxt, _submit(pool, nxt)))
                yield _result(*pending.popleft())
            while pending:
                yield _result(*pending.popleft())
        finally:
            _stop_pool(pool)

    # -- writer ------------------------------------------------------------------------------
    def _write(self, batch: list[Loaded]) -> None:
        """Write a batch in one transaction. Should one file of it fail to be written (a bug
        on some input), the batch is written again a file at a time, and that file alone is
        recorded as failed, with the reason; a database error stops the run as before."""
        # FTS5 flushes its pending buffer whenever a rowid goes backwards, so new articles
        # are written in date (= id) order within a batch.
        batch = sorted(batch, key=_date_order)
        before = _copy_report(self.report)
        try:
            self._write_batch(batch)
            return
        except sqlite3.OperationalError:
            raise
        except Exception as exc:
            _restore(self.report, before)
            if len(batch) == 1:
                self._write_failed(batch[0], exc)
                return
        for item in batch:
            one = _copy_report(self.report)
            try:
                self._write_batch([item])
            except sqlite3.OperationalError:
                raise
            except Exception as exc:
                _restore(self.report, one)
                self._write_failed(item, exc)

    def _write_failed(self, item: Loaded, exc: Exception) -> None:
        """Record a file whose writing failed as failed (its articles stored before stay)."""
        reason = clean_line(f"{type(exc).__name__}: {exc}")[:160]
        item.status, item.reason = LoadStatus.FAILED, f"not stored ({reason})"
        item.article = item.feed = None
        item.warning = None
        self._write_batch([item])

    def _write_batch(self, batch: list[Loaded]) -> None:
        with self.db.transaction(Change.NONE) as conn:  # what it did: counts.log_added
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
            added = self._changes.added()
            self._changes.flush(conn)
            counts.log_added(self.db, added)

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
        if row is None and item.digest and self._moved(item.digest, e):
            r.moved += 1
            return
        if item.warning:
            r.warnings.append((e.display, item.warning))
        file_id = self._upsert_file(e, item)
        self._mark_seen(file_id)
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
            r.unchanged_articles += counts.unchanged
            r.duplicates += counts.duplicates
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
                self._changes.touch()
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

    def _moved(self, digest: str, e: FileEntry) -> bool:
        """Whether the new file ``e`` is a stored file (same bytes) that vanished from under a
        SOURCE being indexed, or that the walk met again under another path: then its row,
        article and state move to the new path."""
        for file_id, key in self.conn.execute(
            "SELECT id, key FROM files WHERE hash = ? AND key != ?", (digest, e.key)
        ).fetchall():
            if (
                any(key.startswith(r + os.sep) for r in self._roots)
                and (not os.path.exists(key) or self._met_again(file_id, key, e))
                and self._move(key, e)
            ):
                self._mark_seen(file_id)
                return True
        return False

    def _met_again(self, file_id: int, key: str, e: FileEntry) -> bool:
        """Whether the stored file at ``key``, still there, is the new ``e`` reached another
        way: the same name in the same folder (by its ``st_dev``, ``st_ino``), under the same
        SOURCEs. The walk takes one path into a folder, the first link by name, so a link
        made later that sorts first changes the path of every file under it; the old path is
        then walked no more, and its row would stay beside a second set of articles.

        Never a file this run has found (a hard link, a second name for the same bytes), nor
        one another SOURCE's walk may still find under its own path."""
        if file_id < len(self._seen) and self._seen[file_id]:
            return False
        if os.path.basename(key) != os.path.basename(e.key):
            return False
        if [r for r in self._roots if key.startswith(r + os.sep)] != [
            r for r in self._roots if e.key.startswith(r + os.sep)
        ]:
            return False
        try:
            return os.path.samefile(os.path.dirname(key), os.path.dirname(e.key))
        except OSError:
            return False

    def _move(self, old_key: str, e: FileEntry) -> bool:
        """The file at ``old_key`` is now at ``e``; False if another run moved it already."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM files WHERE key = ?", (e.key,)).fetchone():
            return False
        row = conn.execute("SELECT id, display FROM files WHERE key = ?", (old_key,)).fetchone()
        if row is None:
            return False
        file_id, old_display = row
        conn.execute(
            "UPDATE files SET key=?, display=?, root=?, size=?, mtime_ns=? WHERE id=?",
            (e.key, e.display, os.path.dirname(e.key), e.size, e.mtime_ns, file_id),
        )
        conn.execute(
            "UPDATE articles SET path=?, source=? WHERE file_id = ?",
            (e.display, e.source, file_id),
        )
        # A feed file's items keep their feed's title as source; their path follows the file
        # (one another file also carries keeps the path it has, if that is another's).
        conn.execute(
            "UPDATE articles SET path=? WHERE path = ? AND id IN "
            "(SELECT article FROM origins WHERE origin = ?)",
            (e.display, old_display, f"file:{file_id}"),
        )
        self._changes.touch()
        return True

    def _remove_vanished(self) -> None:
        """Forget the files under the SOURCE folders that this run did not find (and that are
        indeed gone), with their articles; a thousand files per transaction."""
        seen = self._seen
        gone: list[tuple[int, str]] = []
        for root in self._roots:
            low, high = root + os.sep, root + chr(ord(os.sep) + 1)
            for file_id, key in self.conn.execute(
                "SELECT id, key FROM files WHERE key >= ? AND key < ?", (low, high)
            ):
                if not (file_id < len(seen) and seen[file_id]):
                    gone.append((file_id, key))
        for part in chunks(gone, 1000):
            self.db.check_open()
            with self.db.transaction() as conn:
                self._changes.clear()
                for file_id, key in part:
                    row = conn.execute("SELECT id FROM files WHERE key = ?", (key,)).fetchone()
                    if row is None or row[0] != file_id or os.path.exists(key):
                        continue
                    self.report.removed += delete_articles(
                        conn, "file_id = ?", (file_id,), self._changes
                    )
                    self.report.removed += drop_origin(conn, f"file:{file_id}", self._changes)
                    conn.execute("DELETE FROM files WHERE id = ?", (file_id,))
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


def _automerge(conn: sqlite3.Connection, segments: int, crisis: int) -> None:
    """Set FTS5's ``automerge`` and ``crisismerge`` (settings stored in the index; inside the
    caller's transaction)."""
    for name, value in (("automerge", segments), ("crisismerge", crisis)):
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES (?, ?)", (name, value))


def _submit(pool: ProcessPoolExecutor, job: Job) -> Future[list[Loaded]] | None:
    """The job sent to the parse worker, or None when the worker is gone."""
    try:
        return pool.submit(load_chunk, job)
    except BrokenProcessPool:
        return None


def _result(job: Job, future: Future[list[Loaded]] | None) -> list[Loaded]:
    """A job's parsed files: from the worker, or parsed here if the worker died."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
    return load_chunk(job)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the parse worker: batches queued ahead are dropped (after an error or an
    interruption nobody will read them); the one being parsed is waited for, so the worker and
    its queues are released properly (no leaked semaphores at exit)."""
    shut_down(pool, wait=True, cancel_futures=True)


def _date_order(item: Loaded) -> int:
    return period_start(item.article.date) if item.article is not None else -(1 << 62)
