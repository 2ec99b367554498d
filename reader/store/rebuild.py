"""``--rebuild``: a new database from whatever can still be read of a damaged one.

The new database is made under another name beside the damaged one (``.rebuild-new``), and
only when it is complete does the damaged file (with its ``-wal`` and ``-shm``) move aside,
never deleted, and the new one take its name: a rebuild interrupted, or killed, leaves the
file as it was. While it runs, its marker (``.rebuilding``, locked) keeps every other
newsreader process from opening the file (``Database`` refuses it). Each table
that holds something a person cannot get back by indexing or refreshing (articles and their
bodies, with read and starred state; the files they came from; subscriptions, and the
addresses they moved from; SOURCE roots; saved searches) is copied into a new database range
by range: a range that cannot be read is split in two until the damage is isolated, so one
bad page costs only the rows on it. An article whose body is lost is kept, with its marks
and an empty body, until the next ``index`` or ``refresh`` writes its text again. The
full-text index is rebuilt from the copied articles and entities are extracted again. Then
the command that asked for the rebuild runs (``index`` adds back what is still on disk,
``refresh`` what feeds still carry; validators are cleared so every feed is fetched whole).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import struct
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reader.store.database import (
    HEADER,
    MIGRATIONS,
    Database,
    DatabaseBusy,
    NewerDatabase,
    ReadOnlyDatabase,
    check_file_kind,
    held_here,
    open_elsewhere,
    rebuild_copy,
    rebuild_marker,
)
from reader.textutil import os_reason, plural

PAGE = 500  # rows copied per read
MAX_FAILED_READS = 4000  # past this many failed reads of one table, the rest of it is lost


@dataclass
class RebuildReport:
    """What a rebuild kept and where the damaged file went."""

    aside: Path | None
    copied: dict[str, int] = field(default_factory=dict)
    lost_ranges: int = 0
    readable: bool = True
    failed_reads: int = 0
    lost_text: int = 0  # articles kept whose bodies could not be read

    def summary(self) -> str:
        """One line."""
        if self.aside is None:
            return "rebuild: there was no database yet; a new one was made"
        if not self.readable:
            return (
                f"rebuild: nothing could be read from the old file (kept as {self.aside}); "
                "a new database was made"
            )
        kept = ", ".join(f"{n} {table}" for table, n in self.copied.items() if n)
        lost = (
            f"; {plural(self.lost_ranges, 'unreadable range')} skipped" if self.lost_ranges else ""
        )
        if self.lost_text:
            lost += (
                f"; {plural(self.lost_text, 'article')} lost their text "
                "(indexing their files or refreshing their feeds brings it back)"
            )
        return f"rebuild: kept {kept or 'nothing'}{lost}; the old file is {self.aside}"


# table -> (integer key column, columns copied), in an order where each table can find the
# keys of the next in what was copied before it
TABLES: dict[str, tuple[str, str]] = {
    "articles": (
        "id",
        "id, uid, file_id, doc, guid, source, title, date, precision, language, link, path, "
        "hash, read, starred, 0, added, dated_by, author, author_key, enclosures",
    ),
    "files": ("id", "id, key, display, root, size, mtime_ns, hash, status, reason"),
    "bodies": ("doc", "doc, body"),
    "origins": ("article", "article, origin, source, owner"),
    "feeds": (
        "id",
        "id, url, name, title, site, category, NULL, NULL, NULL, checked, succeeded, "
        "http_status, error, added, full_text",
    ),
    "full_texts": ("", "uid, state, note, url, NULL, NULL, checked"),
    "roots": ("", "path, added"),  # small tables without an integer key: read whole
    "shared_sources": ("", "name"),
    "saved_searches": ("", "name, query, added"),
    "feed_moves": ("", "url, feed"),  # the addresses subscriptions left (schema 17)
}


TARGETS = {  # the new table's columns, where the copied ones differ
    "articles": "id, uid, file_id, doc, guid, source, title, date, precision, language, link, "
    "path, hash, read, starred, entities_done, added, dated_by, author, author_key, enclosures",
    "feeds": "id, url, name, title, site, category, etag, last_modified, hash, checked, "
    "succeeded, http_status, error, added, full_text",
    "full_texts": "uid, state, note, url, etag, last_modified, checked",
}


_MISSING = {
    "full_text": "0",
    "owner": "0",
}  # what a column an old file lacks reads as, where not NULL


def _readable_columns(old: sqlite3.Connection, table: str, cols: str) -> str:
    """``cols`` with the columns the old file's table lacks (written by an older newsreader)
    read as NULL, so that an old damaged file still gives what it has."""
    have = {r[1] for r in old.execute(f"PRAGMA table_info({table})")}
    if not have:
        return cols
    out = []
    for col in (c.strip() for c in cols.split(",")):
        named = col.isidentifier() and col.upper() != "NULL"
        out.append(col if not named or col in have else _MISSING.get(col, "NULL"))
    return ", ".join(out)


def _aside_name(path: Path) -> Path:
    """``FILE.before-rebuild-DATE``, numbered when taken."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.before-rebuild-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.before-rebuild-{stamp}-{n}")
        n += 1
    return aside


def _copy_table(
    read: Callable[[int, int, int], list[tuple]],
    write: Callable[[list[tuple]], None],
    key_at: int,
    lo: int,
    hi: int,
    report: RebuildReport,
) -> int:
    """Copy the rows with keys in [lo, hi], a page at a time, in key order.

    ``read(start, hi, limit)`` reads a page. When a page cannot be read, the reading point
    jumps ahead by doubling steps until reading works again: the rows on damaged pages (and
    at most as many again beside them) are lost, the rest is copied.
    """
    copied, pos = 0, lo
    while pos <= hi:
        try:
            rows = read(pos, hi, PAGE)
        except sqlite3.DatabaseError:
            report.lost_ranges += 1
            step = 1
            while True:
                report.failed_reads += 1
                if report.failed_reads > MAX_FAILED_READS or pos + step > hi:
                    return copied
                try:
                    rows = read(pos + step, hi, PAGE)
                    break
                except sqlite3.DatabaseError:
                    step *= 2
        if not rows:
            break
        last = rows[-1][key_at]
        if len(rows) == PAGE:  # the page may end inside the rows of one key: read it again
            whole = [r for r in rows if r[key_at] != last]
            if whole:
                rows, last = whole, last - 1
        write(rows)
        copied += len(rows)
        pos = last + 1
    return copied


def rebuild(path: Path) -> RebuildReport:
    """Make a new database from what can be read of the one at ``path``; the old file is
    moved aside once the new one is complete.

    Refused (``DatabaseBusy``) while a connection has it open, here or in another process
    (that connection would go on writing to the file moved aside, and what it wrote would be
    lost without a word) or while another rebuild of it runs; refused (``NotADatabase``) for
    a folder or a device, and (``NewerDatabase``) for a file a newer newsreader wrote.
    """
    given = Path(path)
    path = Path(os.path.realpath(given))  # a link: the file it names is rebuilt, the link kept
    check_file_kind(path)
    with _marked(given, path):
        where = (
            "this process" if held_here(path) else "another process" if open_elsewhere(path) else ""
        )
        if where:
            raise DatabaseBusy(
                f"{given}: open in {where} (a reader?); close it, then rebuild (the rebuild "
                "moves the file aside, and the process would go on writing to the old file)"
            )
        _refuse_newer(path)  # (after: closing its probe would drop this process's locks)
        if not path.exists():
            Database(path).close()
            return RebuildReport(aside=None)
        new_path = rebuild_copy(path)
        _remove(new_path)  # left by a rebuild that was killed
        try:
            report = RebuildReport(aside=None)
            new = Database(new_path)
            try:
                _fill(path, new, report)
            finally:
                new.close()
            _fold_wal(new_path)
        except BaseException:
            _remove(new_path)
            raise
        with _signals_held():  # (Ctrl-C, SIGTERM: after the swap, not inside it)
            report.aside = _swap(path, new_path)
    return report


def _fold_wal(db: Path) -> None:
    """Fold the new database's WAL into it, so that it is one file to move."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")  # (the next open makes it WAL again)
    finally:
        conn.close()
    Path(f"{db}-shm").unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done (their handlers are Python's,
    run by the main thread: a signal mask would not do, the thread pools' threads take the
    signal then). Outside the main thread, nothing is held."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    signums = [getattr(signal, n) for n in names if hasattr(signal, n)]
    before = {n: signal.signal(n, lambda signum, _frame: caught.append(signum)) for n in signums}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        if caught:
            handler = before[caught[0]]
            if callable(handler):
                handler(caught[0], None)  # (Ctrl-C's KeyboardInterrupt, the CLI's Terminated)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), caught[0])


def _swap(path: Path, new_path: Path) -> Path:
    """Put the new database at ``path`` and keep the old one aside; returns where. There is
    always a database at ``path``: the old file gets its second name first (a hard link),
    its WAL goes with that name, then the new file replaces it in one step."""
    aside = _aside_name(path)
    try:
        os.link(path, aside)
    except OSError:  # no hard links here: moved, with a moment without a file
        os.replace(path, aside)
    for suffix in ("-wal", "-shm"):  # (never left beside the new file: a WAL of the old)
        here = Path(f"{path}{suffix}")
        if here.exists():
            os.replace(here, Path(f"{aside}{suffix}"))
    os.replace(new_path, path)
    wal = Path(f"{aside}-wal")
    if wal.exists() and wal.stat().st_size == 0:  # holds nothing: not kept beside the copy
        wal.unlink()
        Path(f"{aside}-shm").unlink(missing_ok=True)
    return aside


def _fill(path: Path, new: Database, report: RebuildReport) -> None:
    """Copy what can be read of the database at ``path`` into ``new``, then make it whole."""
    with _readable_copy(path) as readable:
        if readable is None:
            report.readable = False
            return
        old = sqlite3.connect(f"{readable.resolve().as_uri()}?mode=ro", uri=True)
        try:
            _copy_all(old, new, report)
        except sqlite3.DatabaseError:  # not even the list of tables can be read
            report.readable = any(report.copied.values())
        finally:
            old.close()
    with new.transaction() as tx:
        report.lost_text = _make_consistent(tx)


def _refuse_newer(path: Path) -> None:
    """A file a newer newsreader wrote is not made into this one's (its newer tables and
    columns would be lost): refused, as every other command refuses it."""
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return
    try:
        version = probe.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return  # damaged: read what can be read
    finally:
        probe.close()
    if version > len(MIGRATIONS):
        raise NewerDatabase(
            f"{path}: written by a newer newsreader (schema {version}; this one knows "
            f"{len(MIGRATIONS)}); upgrade newsreader, not --rebuild"
        )


@contextmanager
def _marked(given: Path, path: Path) -> Iterator[None]:
    """Hold the rebuild's marker locked: other processes refuse the file meanwhile, and a
    second rebuild is refused."""
    marker = rebuild_marker(path)
    fd = _lock_marker(given, marker)
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)
        os.close(fd)


def _lock_marker(given: Path, marker: Path) -> int:
    """The marker's descriptor, locked; a marker another rebuild removed between the open
    and the lock is opened again."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no marking
        fcntl = None  # type: ignore[assignment]
    for _ in range(3):
        try:
            fd = os.open(marker, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ReadOnlyDatabase(f"{given}: cannot rebuild it here ({os_reason(exc)})") from None
        if fcntl is None:
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DatabaseBusy(f"{given}: another process is rebuilding it") from None
        try:
            if os.stat(marker).st_ino == os.fstat(fd).st_ino:
                return fd
        except OSError:
            pass  # removed as stale by another process meanwhile: made again
        os.close(fd)
    raise DatabaseBusy(f"{given}: another process is rebuilding it")


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


@contextmanager
def _readable_copy(aside: Path) -> Iterator[Path | None]:
    """The damaged file, or a copy of it that SQLite can open: a file cut short still says in
    its header how many pages it had, and SQLite then refuses even to read its schema; the
    copy's header gives the pages that are there. None when it is no SQLite file at all.
    (The copy is made beside it, ``.reading``, and removed after.)"""
    with open(aside, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(HEADER):
        yield None
        return
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = os.path.getsize(aside) // page_size
    if struct.unpack(">I", header[28:32])[0] <= pages:
        yield aside
        return
    copy = aside.with_name(aside.name + ".reading")
    shutil.copyfile(aside, copy)
    wal = Path(str(aside) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(copy) + "-wal"))
    try:
        with open(copy, "r+b") as fh:
            fh.seek(28)
            fh.write(struct.pack(">I", pages))
        yield copy
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)


def _make_consistent(conn: sqlite3.Connection) -> int:
    """Drop what lost its other half, so that the next ``index`` and ``refresh`` bring back
    what is missing; rebuild the full-text index; entities are extracted again. Returns how
    many articles are kept without their text."""
    # An article whose body is lost keeps its row and marks, with an empty body (everything
    # that reads articles joins bodies). Its hash is emptied: no file's or item's digest is
    # '', so the next `index` of its file or `refresh` of its feed rewrites it in place
    # (same id, uid and marks) instead of counting it unchanged. Its file is read again
    # whole, and a full text fetched before is fetched again.
    conn.execute("UPDATE articles SET hash = '' WHERE doc NOT IN (SELECT doc FROM bodies)")
    conn.execute(
        "INSERT OR IGNORE INTO bodies (doc, body) SELECT doc, '' FROM articles WHERE hash = ''"
    )
    conn.execute(
        "UPDATE files SET hash = NULL, size = -1 "
        "WHERE id IN (SELECT file_id FROM articles WHERE hash = '')"
    )
    conn.execute(
        "UPDATE full_texts SET state = 'pending' "
        "WHERE state = 'done' AND uid IN (SELECT uid FROM articles WHERE hash = '')"
    )
    # An article whose file row is lost gets it back when `index` meets the file again (the
    # file's path gives the same uid, and the article is adopted with its state).
    conn.execute("UPDATE articles SET file_id = NULL WHERE file_id NOT IN (SELECT id FROM files)")
    conn.execute("DELETE FROM bodies WHERE doc NOT IN (SELECT doc FROM articles)")
    conn.execute("DELETE FROM origins WHERE article NOT IN (SELECT id FROM articles)")
    conn.execute("DELETE FROM full_texts WHERE uid NOT IN (SELECT uid FROM articles)")
    conn.execute("DELETE FROM feed_moves WHERE feed NOT IN (SELECT id FROM feeds)")
    # A dated-text file whose article is gone is indexed again as new; feed files are read
    # again whole, and the items they still carry come back.
    conn.execute(
        "DELETE FROM files WHERE status = 'ok' AND id NOT IN "
        "(SELECT file_id FROM articles WHERE file_id IS NOT NULL) "
        "AND 'file:' || id NOT IN (SELECT origin FROM origins)"
    )
    conn.execute(
        "UPDATE files SET hash = NULL, size = -1 "
        "WHERE 'file:' || id IN (SELECT origin FROM origins)"
    )
    conn.execute("UPDATE files SET size = -1 WHERE status != 'ok'")
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM mentions")
    conn.execute("DELETE FROM entities")
    conn.execute("UPDATE articles SET entities_done = 0")
    return conn.execute("SELECT count(*) FROM articles WHERE hash = ''").fetchone()[0]


def _copy_all(old: sqlite3.Connection, new: Database, report: RebuildReport) -> None:
    names = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, (key, cols) in TABLES.items():
        if table not in names:
            continue
        targets = TARGETS.get(table, cols)
        with contextlib.suppress(sqlite3.DatabaseError):  # unreadable: the reads say what is lost
            cols = _readable_columns(old, table, cols)
        report.failed_reads = 0
        insert = (
            f"INSERT OR IGNORE INTO {table} ({targets}) "
            f"VALUES ({','.join('?' * len(targets.split(',')))})"
        )

        def write(rows: list[tuple], insert: str = insert) -> None:
            if rows:
                with new.transaction() as tx:
                    tx.executemany(insert, rows)

        if not key:  # a small table without an integer key: all or nothing
            try:
                rows = old.execute(f"SELECT {cols} FROM {table}").fetchall()
            except sqlite3.DatabaseError:
                report.lost_ranges += 1
                continue
            write(rows)
            report.copied[table] = len(rows)
            continue
        try:
            lo, hi = old.execute(f"SELECT min({key}), max({key}) FROM {table}").fetchone()
        except sqlite3.DatabaseError:
            lo, hi = -(1 << 62), 1 << 62  # the bounds cannot be read: search the whole range
        if lo is None:
            continue

        def read(
            start: int, end: int, limit: int, table: str = table, key: str = key, cols: str = cols
        ) -> list[tuple]:
            return old.execute(
                f"SELECT {cols} FROM {table} WHERE {key} >= ? AND {key} <= ? "
                f"ORDER BY {key} LIMIT ?",
                (start, end, limit),
            ).fetchall()

        key_at = [c.strip() for c in cols.split(",")].index(key)
        lost = report.lost_ranges
        copied = _copy_table(read, write, key_at, lo, hi, report)
        if report.lost_ranges > lost:
            copied += _copy_by_key(old, new, table, key, cols, write)
        report.copied[table] = copied


# Where else the keys of a table can be read when pages of the table itself are damaged: its
# indexes (separate pages) and the rows of other tables that point to it.
KEY_SOURCES: dict[str, list[tuple[str, str]]] = {
    "files": [
        ("old", "SELECT id FROM files INDEXED BY sqlite_autoindex_files_1"),
        ("old", "SELECT id FROM files INDEXED BY files_hash"),
        ("new", "SELECT file_id FROM articles WHERE file_id IS NOT NULL"),
    ],
    "articles": [
        ("old", "SELECT id FROM articles INDEXED BY sqlite_autoindex_articles_1"),
        ("old", "SELECT id FROM articles INDEXED BY articles_source_read"),
        ("old", "SELECT id FROM articles INDEXED BY articles_source"),  # schema 6 and before
        ("old", "SELECT article FROM origins"),
        ("old", "SELECT rowid FROM articles_fts_docsize"),
    ],
    "bodies": [("new", "SELECT doc FROM articles")],
    "origins": [("new", "SELECT id FROM articles")],
    "feeds": [("old", "SELECT id FROM feeds INDEXED BY sqlite_autoindex_feeds_1")],
}


def _copy_by_key(
    old: sqlite3.Connection,
    new: Database,
    table: str,
    key: str,
    cols: str,
    write: Callable[[list[tuple]], None],
) -> int:
    """Copy, one key at a time, the rows the range reads missed whose keys can be found
    elsewhere; a row on a damaged page is skipped."""
    keys: set[int] = set()
    for where, sql in KEY_SOURCES.get(table, []):
        conn = old if where == "old" else new.conn
        try:
            keys.update(k for (k,) in conn.execute(sql) if k is not None)
        except sqlite3.DatabaseError:
            continue
    present = {k for (k,) in new.conn.execute(f"SELECT {key} FROM {table}")}
    rows: list[tuple] = []
    for k in sorted(keys - present):
        try:
            rows.extend(old.execute(f"SELECT {cols} FROM {table} WHERE {key} = ?", (k,)))
        except sqlite3.DatabaseError:
            continue
        if len(rows) >= PAGE:
            write(rows)
            rows = []
    write(rows)
    return len({k for (k,) in new.conn.execute(f"SELECT {key} FROM {table}")} - present)
