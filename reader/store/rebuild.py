"""``--rebuild``: a new database from whatever can still be read of a damaged one.

The damaged file (with its ``-wal`` and ``-shm``) is moved aside, never deleted. Each table
that holds something a person cannot get back by indexing or refreshing (articles and their
bodies, with read and starred state; the files they came from; subscriptions; SOURCE roots;
saved searches) is copied into a new database range by range: a range that cannot be read is
split in two until the damage is isolated, so one bad page costs only the rows on it. The
full-text index is rebuilt from the copied articles and entities are extracted again. Then
the command that asked for the rebuild runs (``index`` adds back what is still on disk,
``refresh`` what feeds still carry; validators are cleared so every feed is fetched whole).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.store.database import HEADER, Database

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
        lost = f"; {self.lost_ranges} unreadable ranges skipped" if self.lost_ranges else ""
        return f"rebuild: kept {kept or 'nothing'}{lost}; the old file is {self.aside}"


# table -> (integer key column, columns copied); ordered so that the new rows stay consistent
TABLES: dict[str, tuple[str, str]] = {
    "files": ("id", "id, key, display, root, size, mtime_ns, hash, status, reason"),
    "bodies": ("doc", "doc, body"),
    "articles": (
        "id",
        "id, uid, file_id, doc, guid, source, title, date, precision, language, link, path, "
        "hash, read, starred, 0, added, dated_by",
    ),
    "origins": ("article", "article, origin, source"),
    "feeds": (
        "id",
        "id, url, name, title, site, category, NULL, NULL, NULL, checked, succeeded, "
        "http_status, error, added",
    ),
    "roots": ("", "path, added"),  # small tables without an integer key: read whole
    "shared_sources": ("", "name"),
}


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    for suffix in ("", "-wal", "-shm"):
        here = Path(str(path) + suffix)
        if here.exists():
            os.replace(here, Path(str(aside) + suffix))
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
    """Move the database at ``path`` aside and make a new one from what can be read of it."""
    path = Path(path)
    if not path.exists():
        Database(path).close()
        return RebuildReport(aside=None)
    aside = _move_aside(path)
    report = RebuildReport(aside=aside)
    new = Database(path)
    try:
        with open(aside, "rb") as fh:
            readable = fh.read(len(HEADER)) == HEADER
        old = sqlite3.connect(f"{aside.resolve().as_uri()}?mode=ro", uri=True) if readable else None
        if old is None:
            report.readable = False
            return report
        try:
            _copy_all(old, new, report)
        except sqlite3.DatabaseError:  # not even the list of tables can be read
            report.readable = any(report.copied.values())
        finally:
            old.close()
        with new.transaction() as tx:
            tx.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            tx.execute("DELETE FROM entities")
            tx.execute("DELETE FROM mentions")
    finally:
        new.close()
    return report


def _copy_all(old: sqlite3.Connection, new: Database, report: RebuildReport) -> None:
    names = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, (key, cols) in TABLES.items():
        if table not in names:
            continue
        report.failed_reads = 0
        if not key:
            try:
                rows = old.execute(f"SELECT {cols} FROM {table}").fetchall()
            except sqlite3.DatabaseError:
                report.lost_ranges += 1
                continue
            with new.transaction() as tx:
                tx.executemany(
                    f"INSERT OR IGNORE INTO {table} ({cols}) "
                    f"VALUES ({','.join('?' * len(cols.split(',')))})",
                    rows,
                )
            report.copied[table] = len(rows)
            continue
        try:
            lo, hi = old.execute(f"SELECT min({key}), max({key}) FROM {table}").fetchone()
        except sqlite3.DatabaseError:
            lo, hi = -(1 << 62), 1 << 62  # the bounds cannot be read: search the whole range
        if lo is None:
            continue
        targets = {
            "articles": "id, uid, file_id, doc, guid, source, title, date, precision, language, "
            "link, path, hash, read, starred, entities_done, added, dated_by",
            "feeds": "id, url, name, title, site, category, etag, last_modified, hash, "
            "checked, succeeded, http_status, error, added",
        }.get(table, cols)
        width = len(targets.split(","))
        insert = f"INSERT OR IGNORE INTO {table} ({targets}) VALUES ({','.join('?' * width)})"

        def read(
            start: int, end: int, limit: int, table: str = table, key: str = key, cols: str = cols
        ) -> list[tuple]:
            return old.execute(
                f"SELECT {cols} FROM {table} WHERE {key} >= ? AND {key} <= ? "
                f"ORDER BY {key} LIMIT ?",
                (start, end, limit),
            ).fetchall()

        def write(rows: list[tuple], insert: str = insert) -> None:
            if rows:
                with new.transaction() as tx:
                    tx.executemany(insert, rows)

        key_at = [c.strip() for c in cols.split(",")].index(key)
        report.copied[table] = _copy_table(read, write, key_at, lo, hi, report)
