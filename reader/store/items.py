"""Feed items into articles: one article per item identity, shared by every feed that carries it.

Used by the indexer (feed files in folders) and by refresh (subscriptions), always inside the
caller's transaction. An item seen again with other content updates its article in place, so
read and starred state stay; an item seen in a second feed adds that feed as an origin.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from reader.dates import period_start
from reader.store.fts import FtsBatch, delete_articles
from reader.store.schema import SLOTS
from reader.store.sources import SourceError

if TYPE_CHECKING:
    from reader.store.sources.feed import FeedItem


class IdAllocator:
    """Hands out free date-ordered article ids (see reader.store.schema)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._next: dict[int, int] = {}

    def __call__(self, start: int) -> int:
        base = start * SLOTS
        nxt = self._next.get(start)
        if nxt is None:
            top = self.conn.execute(
                "SELECT max(id) FROM articles WHERE id BETWEEN ? AND ?", (base, base + SLOTS - 1)
            ).fetchone()[0]
            nxt = base if top is None else top + 1
        if nxt >= base + SLOTS:
            raise SourceError(f"more than {SLOTS} articles share the date of this one")
        self._next[start] = nxt + 1
        return nxt


@dataclass
class ItemCounts:
    """What writing one feed's items did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: ItemCounts) -> ItemCounts:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


def _digest(item: FeedItem, start: int, precision: int) -> str:
    a = item.article
    parts = (a.title, a.body, a.link or "", str(start), str(precision))
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


class _Stored(NamedTuple):
    """What writing needs of an article already stored."""

    id: int
    hash: str
    date: int
    precision: int
    title: str
    doc: int
    dated_by: str | None
    source: str


class ItemWriter:
    """Writes the items of feeds; the caller owns the transaction and flushes ``fts``."""

    def __init__(self, conn: sqlite3.Connection, fts: FtsBatch, ids: IdAllocator) -> None:
        self.conn = conn
        self.fts = fts
        self.ids = ids

    def write(
        self, origin: str, source: str, items: Sequence[FeedItem], path: str | None
    ) -> ItemCounts:
        """Add or update each item's article and record ``origin`` for it."""
        counts = ItemCounts()
        unique: dict[str, FeedItem] = {}
        for item in items:
            unique.setdefault(item.uid, item)  # the same item twice in a document: first wins
        known = self._known(list(unique))
        new: list[tuple] = []
        for uid, item in unique.items():
            row = self._write_one(origin, source, item, path, counts, known.get(uid))
            if row is not None:
                new.append(row)
        if new:
            self._insert(new, origin, source)
        return counts

    def _known(self, uids: list[str]) -> dict[str, _Stored]:
        """The stored articles among ``uids`` (bodies are read only for updates), per 500."""
        found: dict[str, _Stored] = {}
        for i in range(0, len(uids), 500):
            chunk = uids[i : i + 500]
            for row in self.conn.execute(
                "SELECT uid, id, hash, date, precision, title, doc, dated_by, source "
                f"FROM articles WHERE uid IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[row[0]] = _Stored(*row[1:])
        return found

    def _insert(self, rows: list[tuple], origin: str, source: str) -> None:
        """Insert new articles in bulk; ``rows`` as built by ``_write_one``."""
        conn = self.conn
        top = conn.execute("SELECT coalesce(max(doc), 0) FROM bodies").fetchone()[0]
        docs = range(top + 1, top + 1 + len(rows))
        conn.executemany(
            "INSERT INTO bodies (doc, body) VALUES (?, ?)",
            [(doc, row[-1]) for doc, row in zip(docs, rows, strict=True)],
        )
        conn.executemany(
            "INSERT INTO articles (id, uid, file_id, doc, guid, source, title, date, "
            "precision, language, link, path, hash, added, dated_by) "
            "VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(row[0], row[1], doc, *row[2:-1]) for doc, row in zip(docs, rows, strict=True)],
        )
        conn.executemany(
            "INSERT INTO origins VALUES (?, ?, ?)", [(row[0], origin, source) for row in rows]
        )

    def _write_one(
        self,
        origin: str,
        source: str,
        item: FeedItem,
        path: str | None,
        counts: ItemCounts,
        old: _Stored | None,
    ) -> tuple | None:
        """Update a known article now; return the row of a new one for ``_insert``."""
        conn, a = self.conn, item.article
        start, precision, dated_by = period_start(a.date), int(a.date.precision), item.dated_by
        if old is not None and dated_by == "first-seen":
            start, precision, dated_by = old.date, old.precision, old.dated_by  # first sighting
        digest = _digest(item, start, precision)
        if old is None:
            new_id = self.ids(start)
            self.fts.insert(new_id, a.title, a.body)
            counts.added += 1
            return (new_id, item.uid, a.guid, source, a.title, start, precision, a.language,
                    a.link, path, digest, int(time.time()), dated_by, a.body)  # fmt: skip
        old_id = old.id
        conn.execute("INSERT OR REPLACE INTO origins VALUES (?, ?, ?)", (old_id, origin, source))
        if source != old.source:
            conn.execute("INSERT OR IGNORE INTO shared_sources VALUES (?)", (source,))
        if old.hash == digest:
            counts.unchanged += 1
            return None
        new_id = old_id if old.date == start else self.ids(start)
        conn.execute(
            "UPDATE articles SET id=?, title=?, date=?, precision=?, language=?, link=?, "
            "hash=?, dated_by=?, entities_done=0 WHERE id=?",
            (new_id, a.title, start, precision, a.language, a.link, digest, dated_by, old_id),
        )
        old_body = conn.execute("SELECT body FROM bodies WHERE doc=?", (old.doc,)).fetchone()[0]
        conn.execute("UPDATE bodies SET body=? WHERE doc=?", (a.body, old.doc))
        conn.execute("DELETE FROM mentions WHERE article IN (?, ?)", (old_id, new_id))
        if new_id != old_id:
            conn.execute("UPDATE origins SET article=? WHERE article=?", (new_id, old_id))
        self.fts.delete(old_id, old.title, old_body)
        self.fts.insert(new_id, a.title, a.body)
        counts.updated += 1
        return None


def drop_origin(conn: sqlite3.Connection, origin: str, fts: FtsBatch) -> int:
    """Forget ``origin``: articles seen nowhere else go; the others keep their other source.

    Runs inside the caller's transaction; returns how many articles were deleted.
    """
    ids = [r[0] for r in conn.execute("SELECT article FROM origins WHERE origin = ?", (origin,))]
    if not ids:
        return 0
    conn.execute("DELETE FROM origins WHERE origin = ?", (origin,))
    orphans: list[int] = []
    for rowid in ids:
        other = conn.execute(
            "SELECT source FROM origins WHERE article = ? LIMIT 1", (rowid,)
        ).fetchone()
        if other is None:
            orphans.append(rowid)
        else:
            conn.execute("UPDATE articles SET source = ? WHERE id = ?", (other[0], rowid))
    removed = 0
    for i in range(0, len(orphans), 500):
        chunk = orphans[i : i + 500]
        where = f"a.id IN ({','.join('?' * len(chunk))})"
        removed += delete_articles(conn, where, tuple(chunk), fts)
    return removed
