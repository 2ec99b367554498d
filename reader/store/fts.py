"""Keeps the external-content FTS5 index in step with the articles table, in batches."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

_DELETE = "INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)"
_INSERT = "INSERT INTO articles_fts(rowid, title, body) VALUES (?, ?, ?)"


@dataclass
class FtsBatch:
    """Index changes collected during one transaction, written at its end.

    Inserts go in ascending rowid order: FTS5 flushes its pending buffer whenever a rowid
    goes backwards. Deletes must name exactly what the index holds, so deleting a row whose
    insert is still pending cancels that insert instead (an item updated twice in a batch).
    """

    deletes: list[tuple[int, str, str]] = field(default_factory=list)
    inserts: dict[int, tuple[int, str, str]] = field(default_factory=dict)

    def delete(self, rowid: int, title: str, body: str) -> None:
        if self.inserts.pop(rowid, None) is None:
            self.deletes.append((rowid, title, body))

    def insert(self, rowid: int, title: str, body: str) -> None:
        self.inserts[rowid] = (rowid, title, body)

    def flush(self, conn: sqlite3.Connection) -> None:
        """Apply the collected changes (inside the caller's transaction)."""
        if self.deletes:
            conn.executemany(_DELETE, self.deletes)
        if self.inserts:
            conn.executemany(_INSERT, sorted(self.inserts.values()))
        self.deletes.clear()
        self.inserts.clear()


def delete_articles(conn: sqlite3.Connection, where: str, params: tuple, fts: FtsBatch) -> int:
    """Delete articles (and their mentions) matching ``where``; return how many."""
    rows = conn.execute(
        f"SELECT a.id, a.title, b.body, a.doc FROM articles a JOIN bodies b ON b.doc = a.doc "
        f"WHERE {where}",
        params,
    ).fetchall()
    for rowid, title, body, _ in rows:
        fts.delete(rowid, title, body)
    if rows:
        ids = [(r[0],) for r in rows]
        conn.executemany("DELETE FROM mentions WHERE article = ?", ids)
        conn.executemany("DELETE FROM origins WHERE article = ?", ids)
        conn.executemany("DELETE FROM articles WHERE id = ?", ids)
        conn.executemany("DELETE FROM bodies WHERE doc = ?", [(r[3],) for r in rows])
    return len(rows)
