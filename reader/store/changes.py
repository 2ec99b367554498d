"""What one write transaction changes besides its own rows: the full-text index and the counts
of entities whose mentions went.

The FTS5 index is external-content and kept in step here, in batches, rather than by triggers
(a trigger's statement savepoint makes FTS5 flush its pending buffer on every row, which
doubled bulk indexing time). Mentions of an article whose text changed or which was deleted
are removed at once; the entities they named are recounted when the batch is flushed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from reader.store.database import chunks, marks
from reader.store.entities import recount

T = TypeVar("T")

_DELETE = "INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)"
_INSERT = "INSERT INTO articles_fts(rowid, title, body) VALUES (?, ?, ?)"


@dataclass
class Changes:
    """Index changes and touched entities collected during one transaction, applied at its end.

    Inserts go in ascending rowid order: FTS5 flushes its pending buffer whenever a rowid
    goes backwards. Deletes must name exactly what the index holds, so deleting a row whose
    insert is still pending cancels that insert instead (an item updated twice in a batch).
    """

    deletes: list[tuple[int, str, str]] = field(default_factory=list)
    inserts: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    entities: set[int] = field(default_factory=set)
    touched: bool = False  # something besides new articles changed (see ``added``)

    def touch(self) -> None:
        """Something besides new articles changed: a stored article, its sources or feeds."""
        self.touched = True

    def added(self) -> list[int] | None:
        """The articles this transaction added, when it changed nothing else (before
        ``flush``): every pending insert is then a new article (an article added and changed
        in one transaction is still new)."""
        if self.touched or self.deletes:
            return None
        return list(self.inserts)

    def delete(self, rowid: int, title: str, body: str) -> None:
        """The article ``rowid`` with this title and body leaves the full-text index."""
        if self.inserts.pop(rowid, None) is None:
            self.deletes.append((rowid, title, body))

    def insert(self, rowid: int, title: str, body: str) -> None:
        """The article enters the full-text index."""
        self.inserts[rowid] = (rowid, title, body)

    def forget_mentions(self, conn: sqlite3.Connection, article_ids: list[int]) -> None:
        """Delete the mentions of these articles; their entities are recounted at flush."""
        for chunk in chunks(article_ids):
            self.entities.update(
                entity
                for (entity,) in conn.execute(
                    f"DELETE FROM mentions WHERE article IN ({marks(len(chunk))}) RETURNING entity",
                    chunk,
                )
            )

    def flush(self, conn: sqlite3.Connection) -> None:
        """Apply the collected changes (inside the caller's transaction)."""
        if self.deletes:
            conn.executemany(_DELETE, self.deletes)
        if self.inserts:
            conn.executemany(_INSERT, sorted(self.inserts.values()))
        if self.entities:
            recount(conn, self.entities)
        self.clear()

    def clear(self) -> None:
        """Forget what was collected (after a flush, or a rollback)."""
        self.deletes.clear()
        self.inserts.clear()
        self.entities.clear()
        self.touched = False


def delete_articles(conn: sqlite3.Connection, where: str, params: tuple, changes: Changes) -> int:
    """Delete articles (and their mentions) matching ``where``; return how many."""
    rows = conn.execute(
        f"SELECT a.id, a.title, b.body, a.doc, a.uid FROM articles a "
        f"JOIN bodies b ON b.doc = a.doc WHERE {where}",
        params,
    ).fetchall()
    for rowid, title, body, _, _ in rows:
        changes.delete(rowid, title, body)
    if rows:
        ids = [r[0] for r in rows]
        changes.forget_mentions(conn, ids)
        conn.executemany("DELETE FROM origins WHERE article = ?", [(i,) for i in ids])
        conn.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
        conn.executemany("DELETE FROM bodies WHERE doc = ?", [(r[3],) for r in rows])
        conn.executemany("DELETE FROM full_texts WHERE uid = ?", [(r[4],) for r in rows])
    return len(rows)


class WriteGroup(Generic[T]):
    """Outcomes queued and written together, in one transaction per group: a group is written
    when it holds ``limit`` units of work (``size`` of each outcome) or is ``seconds`` old,
    and what is left when ``flush`` is called. Few, short transactions: few FTS5 segments,
    and results become visible while the work goes on."""

    def __init__(
        self,
        write: Callable[[list[T]], None],
        limit: int,
        seconds: float,
        size: Callable[[T], int] = lambda _: 1,
    ) -> None:
        self._write = write
        self._limit = limit
        self._seconds = seconds
        self._size = size
        self._queued: list[T] = []
        self._units = 0
        self._started = 0.0
        self._groups = 0  # groups begun, so that a timer knows its group
        self._call_later: Callable[[float, Callable[[], None]], object] | None = None
        self._failed: BaseException | None = None  # a write a timer started failed

    def write_when_old(self, call_later: Callable[[float, Callable[[], None]], object]) -> None:
        """Also write a group once it is ``seconds`` old when nothing more comes meanwhile
        (``call_later``: an event loop's, on the thread that adds). Without it, a feed that
        answered nothing for 30 s held back every result queued before it."""
        self._call_later = call_later

    def add(self, outcome: T) -> None:
        """Queue one outcome; write the group if it is big or old enough."""
        self._raise_failure()
        if not self._queued:
            self._started = time.monotonic()
            self._groups += 1
            if self._call_later is not None:
                group = self._groups
                self._call_later(self._seconds, lambda: self._write_old(group))
        self._queued.append(outcome)
        self._units += self._size(outcome)
        if self._units >= self._limit or time.monotonic() - self._started >= self._seconds:
            self.flush()

    def flush(self) -> None:
        """Write what is queued (nothing if nothing is)."""
        self._raise_failure()
        queued, self._queued, self._units = self._queued, [], 0
        if queued:
            self._write(queued)

    def _write_old(self, group: int) -> None:
        """The timer of group ``group``: write it if it is still queued. A failure is raised
        by the next ``add`` or ``flush`` (an event loop's callback would only log it)."""
        if group != self._groups or not self._queued:
            return
        try:
            self.flush()
        except BaseException as exc:
            self._failed = exc

    def _raise_failure(self) -> None:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed
