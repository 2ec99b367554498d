"""Counts of a query kept up to date across read marks, rather than counted again.

Counting a saved search walks all its matches (20-60 ms each over 100,000 articles, seconds
over a million), and the feed list counts every saved search again after any change. Most
changes while reading are read marks, which leave a query's matches as they were (unless it
asks for marks, ``is:unread``) and move its unread count by one an article. So:

- every write transaction that is not only marks starts a new *generation*
  (``Database.transaction``) and empties the read log;
- a transaction of marks (``Change.MARKS``) logs each article whose read mark changed, +1 or
  -1 unread (``log_read``); more than ``LOG_MAX`` at once start a new generation instead;
- a count is remembered with the generation and the log number it was taken at; within the
  same generation it is brought up to date by testing only the logged articles
  (``query.logged_query``).

Starred marks are not logged: they change only the counts of queries that ask for marks,
which are always counted again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from reader.store.database import new_generation

LOG_MAX = 500  # read marks logged at once; more start a new generation (counted again)
KEPT = 1000  # queries whose counts are kept (saved searches, a few asked by hand)


@dataclass(frozen=True, slots=True)
class Known:
    """A query's counts and the state of the database they were taken in."""

    generation: int
    seq: int  # the read log's last number then (0: empty)
    total: int
    unread: int


def log_read(conn: sqlite3.Connection, ids: Sequence[int], read: bool) -> None:
    """Log articles whose read mark just changed to ``read`` (inside the caller's
    transaction of marks)."""
    if len(ids) > LOG_MAX:
        new_generation(conn)
        return
    change = -1 if read else 1
    conn.executemany(
        "INSERT INTO read_log(article, unread) VALUES (?, ?)", [(i, change) for i in ids]
    )


def log_matches(conn: sqlite3.Connection, sql: str, params: list[object], read: bool) -> None:
    """Log the articles of a query (``sql`` selecting ids) whose read mark is about to change
    to ``read``, before the caller changes them (inside its transaction of marks); more than
    ``LOG_MAX`` start a new generation, and only ``LOG_MAX + 1`` are looked at."""
    logged = conn.execute(
        f"INSERT INTO read_log(article, unread) SELECT id, ?2 FROM articles "
        f"WHERE read != ?1 AND id IN ({sql}) LIMIT {LOG_MAX + 1}",
        [int(read), -1 if read else 1, *params],
    )
    if logged.rowcount > LOG_MAX:
        new_generation(conn)
