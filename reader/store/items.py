"""Feed items into articles: one article per item identity, shared by every feed that carries it.

Used by the indexer (feed files in folders) and by refresh (subscriptions), always inside the
caller's transaction. An item seen again with other content updates its article in place, so
read and starred state stay; an item seen in a second feed adds that feed as an origin.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from reader.dates import MAX_AHEAD, period_start
from reader.model import DatedBy, Enclosure, FullTextState
from reader.store.changes import Changes, delete_articles
from reader.store.database import chunks, columns, fetch_all, marks
from reader.store.query import author_key
from reader.store.schema import SLOTS
from reader.store.sources import SourceError

if TYPE_CHECKING:
    from reader.store.sources.feed import FeedItem


class IdAllocator:
    """Hands out free date-ordered article ids (see reader.store.schema).

    What it remembers is valid for one transaction only (another process may take ids
    between two): ``reset`` at the start of each.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._next: dict[int, int] = {}

    def reset(self) -> None:
        """Forget the free ids found so far (a new transaction begins)."""
        self._next.clear()

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
    duplicates: int = 0  # met before in the same run (see ``ItemWriter``'s ``seen``)

    def __iadd__(self, other: ItemCounts) -> ItemCounts:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates
        return self


def enclosures_json(enclosures: Sequence[Enclosure]) -> str | None:
    """The stored form of an article's enclosures (None for none)."""
    if not enclosures:
        return None
    return json.dumps([e.record() for e in enclosures], ensure_ascii=False)


def _digest(item: FeedItem, start: int, precision: int) -> str:
    a = item.article
    parts = (a.title, a.body, a.link or "", str(start), str(precision), a.author or "")
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


class StoredItem(NamedTuple):
    """What writing needs of an article already stored."""

    uid: str
    id: int
    hash: str
    date: int
    precision: int
    title: str
    doc: int
    dated_by: str | None
    source: str


class NewItem(NamedTuple):
    """A new article, as ``ItemWriter`` inserts it."""

    id: int
    uid: str
    guid: str | None
    source: str
    title: str
    date: int
    precision: int
    language: str
    link: str | None
    path: str | None
    hash: str
    added: int
    dated_by: str
    author: str | None
    author_key: str | None
    enclosures: str | None
    body: str


_STORED = columns(StoredItem)


class ItemWriter:
    """Writes the items of feeds; the caller owns the transaction and flushes ``changes``."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        changes: Changes,
        ids: IdAllocator,
        seen: set[str] | None = None,
    ) -> None:
        """``seen``: the uids written so far in this run (a set the writer fills). An item
        whose article an earlier ``write`` of the run already wrote (the same item in
        another file) is counted a duplicate, not "unchanged": on an empty database nothing
        is unchanged. None: not tracked."""
        self.conn = conn
        self.changes = changes
        self.ids = ids
        self._full_text = False
        self._seen = seen

    def write(
        self,
        origin: str,
        source: str,
        items: Sequence[FeedItem],
        path: str | None,
        full_text: bool = False,
    ) -> ItemCounts:
        """Add or update each item's article and record ``origin`` for it.

        With ``full_text`` (the feed's switch) every new or changed article's page is queued
        for its full text (``reader.store.fulltext``). A changed article whose full text was
        fetched before is queued again in any case: its body is the feed's text again.
        """
        self._full_text = full_text
        counts = ItemCounts()
        unique: dict[str, FeedItem] = {}
        for item in items:
            unique.setdefault(item.uid, item)  # the same item twice in a document: first wins
        known = self._known(list(unique))
        new: list[NewItem] = []
        seen = self._seen
        again = ItemCounts()  # what the duplicates did: counted as duplicates only
        for uid, item in unique.items():
            old = known.get(uid)
            duplicate = seen is not None and old is not None and uid in seen
            row = self._write_one(origin, source, item, path, again if duplicate else counts, old)
            counts.duplicates += duplicate
            if row is not None:
                new.append(row)
        if new:
            self._insert(new, origin, source)
        if seen is not None:
            seen.update(unique)
        return counts

    def _known(self, uids: list[str]) -> dict[str, StoredItem]:
        """The stored articles among ``uids`` (bodies are read only for updates)."""
        found: dict[str, StoredItem] = {}
        for chunk in chunks(uids):
            for row in fetch_all(
                self.conn,
                StoredItem,
                f"SELECT {_STORED} FROM articles WHERE uid IN ({marks(len(chunk))})",
                chunk,
            ):
                found[row.uid] = row
        return found

    def _insert(self, rows: list[NewItem], origin: str, source: str) -> None:
        """Insert new articles in bulk."""
        conn = self.conn
        top = conn.execute("SELECT coalesce(max(doc), 0) FROM bodies").fetchone()[0]
        docs = range(top + 1, top + 1 + len(rows))
        conn.executemany(
            "INSERT INTO bodies (doc, body) VALUES (?, ?)",
            [(doc, row.body) for doc, row in zip(docs, rows, strict=True)],
        )
        conn.executemany(
            "INSERT INTO articles (id, uid, file_id, doc, guid, source, title, date, "
            "precision, language, link, path, hash, added, dated_by, author, author_key, "
            "enclosures) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(row.id, row.uid, doc, *row[2:-1]) for doc, row in zip(docs, rows, strict=True)],
        )
        conn.executemany(
            "INSERT INTO origins (article, origin, source, owner) VALUES (?, ?, ?, 1)",
            [(row.id, origin, source) for row in rows],
        )
        if self._full_text:
            self._queue_full_text([row.uid for row in rows])

    def _queue_full_text(self, uids: list[str]) -> None:
        """Queue these articles' pages for their full text (validators forgotten: the body is
        the feed's text now)."""
        self.conn.executemany(
            "INSERT INTO full_texts (uid, state) VALUES (?, ?) ON CONFLICT (uid) DO UPDATE "
            "SET state = excluded.state, note = NULL, etag = NULL, last_modified = NULL",
            [(uid, str(FullTextState.PENDING)) for uid in uids],
        )

    def _write_one(
        self,
        origin: str,
        source: str,
        item: FeedItem,
        path: str | None,
        counts: ItemCounts,
        old: StoredItem | None,
    ) -> NewItem | None:
        """Update a known article now; return a new one for ``_insert``."""
        conn, a = self.conn, item.article
        start, precision, dated_by = period_start(a.date), int(a.date.precision), item.dated_by
        if (
            old is not None
            and dated_by == DatedBy.FIRST_SEEN
            and old.date <= time.time() + MAX_AHEAD.total_seconds()
        ):
            # The first sighting's date stays (not a date in the future an older version
            # believed, such as 31 Dec 9999: that one is replaced by now's).
            start, precision = old.date, old.precision
            dated_by = DatedBy(old.dated_by) if old.dated_by else dated_by
        digest = _digest(item, start, precision)
        if old is None:
            new_id = self.ids(start)
            self.changes.insert(new_id, a.title, a.body)
            counts.added += 1
            return NewItem(
                new_id,
                item.uid,
                a.guid,
                source,
                a.title,
                start,
                precision,
                a.language,
                a.link,
                path,
                digest,
                int(time.time()),
                str(dated_by),
                a.author,
                author_key(a.author),
                enclosures_json(a.enclosures),
                a.body,
            )
        # A stored article seen again: unchanged unless this origin is new to it (or names
        # another source), which changes what feed: and source: find.
        if conn.execute(
            "INSERT INTO origins (article, origin, source) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (article, origin) DO UPDATE "
            "SET source = excluded.source WHERE source IS NOT excluded.source",
            (old.id, origin, source),
        ).rowcount:
            self.changes.touch()
        if (
            source != old.source
            and conn.execute("INSERT OR IGNORE INTO shared_sources VALUES (?)", (source,)).rowcount
        ):
            self.changes.touch()
        if old.hash == digest:
            counts.unchanged += 1
            return None
        if not self._may_rewrite(old, origin, source):
            # Another feed carrying the same guid (an address: global) does not rewrite the
            # article the feed it came from still carries: it is only recorded as carrying it
            # too. A feed could otherwise replace any other feed's article by naming its guid.
            counts.unchanged += 1
            return None
        new_id = old.id if old.date == start else self.ids(start)
        self.changes.forget_mentions(conn, [old.id])
        conn.execute(
            "UPDATE articles SET id=?, title=?, date=?, precision=?, language=?, link=?, "
            "hash=?, dated_by=?, entities_done=0, author=?, author_key=?, enclosures=? "
            "WHERE id=?",
            (new_id, a.title, start, precision, a.language, a.link, digest, str(dated_by),
             a.author, author_key(a.author), enclosures_json(a.enclosures), old.id),
        )  # fmt: skip
        if (
            self._full_text
            or conn.execute(
                "SELECT 1 FROM full_texts WHERE uid = ? AND state = ?",
                (old.uid, str(FullTextState.DONE)),
            ).fetchone()
        ):
            self._queue_full_text([old.uid])
        old_body = conn.execute("SELECT body FROM bodies WHERE doc=?", (old.doc,)).fetchone()[0]
        conn.execute("UPDATE bodies SET body=? WHERE doc=?", (a.body, old.doc))
        if new_id != old.id:
            conn.execute("UPDATE origins SET article=? WHERE article=?", (new_id, old.id))
        self.changes.delete(old.id, old.title, old_body)
        self.changes.insert(new_id, a.title, a.body)
        counts.updated += 1
        return None

    def _may_rewrite(self, old: StoredItem, origin: str, source: str) -> bool:
        """Whether ``origin`` may rewrite a stored article: it is the article's owner (the
        origin it came from), or no other origin carrying it is. An article stored before
        owners were kept: unless another origin carries it under its source's name (a feed
        can take any title, so this older test alone let one feed rewrite another's)."""
        owners = self.conn.execute(
            "SELECT origin FROM origins WHERE article = ? AND owner = 1", (old.id,)
        ).fetchall()
        if owners:
            return any(o == origin for (o,) in owners)
        return (
            source == old.source
            or not self.conn.execute(
                "SELECT 1 FROM origins WHERE article = ? AND origin != ? AND source = ?",
                (old.id, origin, old.source),
            ).fetchone()
        )


def drop_origin(conn: sqlite3.Connection, origin: str, changes: Changes) -> int:
    """Forget ``origin``: articles seen nowhere else go; the others keep their other source.

    Runs inside the caller's transaction; returns how many articles were deleted.
    """
    ids = [r[0] for r in conn.execute("SELECT article FROM origins WHERE origin = ?", (origin,))]
    if not ids:
        return 0
    conn.execute("DELETE FROM origins WHERE origin = ?", (origin,))
    changes.touch()
    orphans: list[int] = []
    took_over: list[int] = []
    for rowid in ids:
        other = conn.execute(
            "SELECT source FROM origins WHERE article = ? LIMIT 1", (rowid,)
        ).fetchone()
        if other is None:
            orphans.append(rowid)
        else:
            conn.execute("UPDATE articles SET source = ? WHERE id = ?", (other[0], rowid))
            # its owner gone, the origin whose name it takes owns it (one that carries it)
            if conn.execute(
                "UPDATE origins SET owner = 1 WHERE article = ? AND origin = "
                "(SELECT origin FROM origins WHERE article = ? AND source = ? LIMIT 1) "
                "AND NOT EXISTS (SELECT 1 FROM origins WHERE article = ? AND owner = 1)",
                (rowid, rowid, other[0], rowid),
            ).rowcount:
                took_over.append(rowid)
    for chunk in chunks(took_over):
        # A feed that now owns an article reads its items again at its next refresh, even if
        # its server says "not modified": the article showed the gone owner's text until
        # the new owner's feed changed.
        conn.execute(
            "UPDATE feeds SET hash = NULL, etag = NULL, last_modified = NULL WHERE 'feed:' || id "
            f"IN (SELECT origin FROM origins WHERE owner = 1 AND article IN ({marks(len(chunk))}))",
            tuple(chunk),
        )
    removed = 0
    for chunk in chunks(orphans):
        removed += delete_articles(conn, f"a.id IN ({marks(len(chunk))})", tuple(chunk), changes)
    return removed
