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
from typing import Generic, TypeVar

from reader.store.database import new_generation
from reader.store.schema import FTS_TOKENIZE

T = TypeVar("T")

LOG_MAX = 500  # read marks logged at once; more start a new generation (counted again)
KEPT = 1000  # queries whose counts are kept (saved searches, a few asked by hand)


BASIS = "SELECT (SELECT n FROM generation), coalesce((SELECT max(seq) FROM read_log), 0)"
"""The generation and the read log's last number (0: empty)."""


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


@dataclass(frozen=True, slots=True)
class KnownGroups(Generic[T]):
    """Counts per group (source, feed) and the state of the database they were taken in."""

    generation: int
    seq: int
    value: T


def unread_changes(
    conn: sqlite3.Connection, group: str, join: str, since: int, hidden: bool
) -> dict[str, int]:
    """How the unread count of each group (``group``, an expression over ``join``) moved with
    the read marks logged after ``since``."""
    skip = "AND l.article NOT IN (SELECT id FROM temp.hidden)" if hidden else ""
    return dict(
        conn.execute(
            f"SELECT {group}, sum(l.unread) FROM read_log l {join} WHERE l.seq > ? {skip} "
            f"GROUP BY 1",
            (since,),
        )
    )


# The text of the logged articles, indexed as articles_fts indexes it: a query's words are
# looked for among them alone (a prefix such as ``pol*`` expanded in the whole index took
# 107 ms at 1,000,000 articles, for every count).
_LOGGED_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.logged_fts USING fts5(title, body, "
    f"tokenize='{FTS_TOKENIZE}')"
)


@dataclass
class LoggedText:
    """What this connection's ``temp.logged_fts`` holds: the articles logged after ``base``
    up to ``loaded`` (log numbers), in one generation."""

    generation: int = -1
    base: int = 0
    loaded: int = 0


def load_logged(conn: sqlite3.Connection, held: LoggedText, generation: int, since: int) -> None:
    """Make ``temp.logged_fts`` hold the text of every article logged after ``since`` (inside
    the caller's snapshot, whose generation is ``generation``; the caller asks for at most
    ``LOG_MAX`` log rows after ``since``)."""
    conn.execute(_LOGGED_FTS)
    base, loaded = held.base, held.loaded
    if held.generation != generation or not held.base <= since <= held.base + LOG_MAX:
        # Another generation, or older articles needed, or many no longer needed (a long
        # session of reading with no other change): start from ``since``. The table then
        # holds the articles of at most 2 * LOG_MAX log rows.
        conn.execute("DELETE FROM temp.logged_fts")
        base = loaded = since
    conn.execute(
        "INSERT INTO temp.logged_fts(rowid, title, body) "
        "SELECT a.id, a.title, b.body FROM articles a JOIN bodies b ON b.doc = a.doc "
        "WHERE a.id IN (SELECT article FROM read_log WHERE seq > ?) "
        "AND a.id NOT IN (SELECT rowid FROM temp.logged_fts)",
        (loaded,),
    )
    loaded = conn.execute("SELECT coalesce(max(seq), 0) FROM read_log").fetchone()[0]
    # Only now: an interruption above rolls the table back to what ``held`` still says.
    held.generation, held.base, held.loaded = generation, base, loaded
