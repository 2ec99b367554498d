"""Counts of a query kept up to date across read marks and new articles, rather than counted
again.

Counting a saved search walks all its matches (20-60 ms each over 100,000 articles, seconds
over a million), and the feed list counts every saved search again after any change. Most
changes are read marks, which leave a query's matches as they were (unless it asks for marks,
``is:unread``) and move its unread count by one an article, and new articles, which leave the
older articles' matches as they were. So:

- every write transaction that is not only marks starts a new *generation*
  (``Database.transaction``, ``database.new_generation``);
- a transaction of marks (``Change.MARKS``) logs each article whose read mark changed, +1 or
  -1 unread (``log_read``); a write that only adds articles (``Change.ADDED``) logs each new
  article, +1 total (``log_added``); more than ``LOG_MAX`` at once, or a log longer than
  ``LOG_KEEP``, count as any other change;
- any other change (``Change.CONTENT``) empties the log; the generation it starts is the log's
  *base*. Writing mentions (``Change.ENTITIES``) moves the *entities* generation;
- a count is remembered with the point of the history it was taken at (``Position``: the
  generation and its random token in ``steps``, the log's last row and its random nonce);
  while that point is still in the file's history since the base (and, for a query naming
  entities, not before the entities generation) and the query's names select what they did
  (``query.resolutions``), it is brought up to date by testing only the articles logged
  since (``query.logged_query``);
- saved searches' counts are also kept in ``kept_counts`` for the next process
  (``KeptOnDisk``).

Starred marks are not logged: they change only the counts of queries that ask for marks,
which are always counted again.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reader import __version__
from reader.store.database import Change, Database, Stopped, StoreError, new_generation
from reader.store.schema import FTS_TOKENIZE

LOG_MAX = 500  # articles logged at once; more start a new generation (counted again)
LOG_KEEP = 10_000  # the log's length; a write that would make it longer empties it
KEPT = 1000  # queries whose counts are kept (saved searches, a few asked by hand)


BASIS = (
    "SELECT n, base, entities, own, coalesce((SELECT max(seq) FROM read_log), 0), "
    "coalesce((SELECT token FROM steps WHERE generation = n), 0), "
    "coalesce((SELECT nonce FROM read_log ORDER BY seq DESC LIMIT 1), 0), marks FROM generation"
)
"""The database's state for kept counts: a ``Basis``."""


class Position(NamedTuple):
    """A point of the database's history: a generation and its token, the log's last number
    and that row's nonce (0, 0: an empty log)."""

    generation: int
    seq: int
    token: int
    nonce: int


class Basis(NamedTuple):
    """The generation, the log's base and entities generations, the generation as this
    version last set it, the log's last number, the generation's token, the last row's
    nonce, the number of transactions of marks."""

    generation: int
    base: int
    entities: int
    own: int
    seq: int
    token: int
    nonce: int
    marks: int

    @property
    def position(self) -> Position:
        """Where the database is now."""
        return Position(self.generation, self.seq, self.token, self.nonce)


def basis(conn: sqlite3.Connection) -> Basis:
    """The database's ``Basis`` (inside the caller's snapshot)."""
    return Basis._make(conn.execute(BASIS).fetchone())


def changed_between(conn: sqlite3.Connection, old: Basis, new: Basis) -> Change:
    """What the writes between two looks at the database changed (``new`` taken inside the
    caller's snapshot): ``Change.NONE`` when none of them changed what queries find (a
    fetch's state, kept counts), else the kinds they made. Every kind but marks moves the
    generation; entities also move ``entities``, new articles add to the log, marks add to
    the log (read marks) and to ``marks``. Anything that cannot be told apart (an older
    version's write other than marks, a history that is not the one seen before) is
    ``Change.CONTENT``. An older version still open on a file this one upgraded logs its read
    marks but does not move ``marks``: its starred marks alone come out as ``Change.NONE``
    (the reader then reads its rows again, not its list)."""
    if new == old:
        return Change.NONE
    if (
        new.own != new.generation
        or new.base != old.base
        or new.generation < old.generation
        or new.seq < old.seq
    ):
        return Change.CONTENT
    if new.generation == old.generation:
        if new.token != old.token:
            return Change.CONTENT
    else:
        token = conn.execute("SELECT token FROM steps WHERE generation = ?", (old.generation,))
        if token.fetchone() != (old.token,):
            return Change.CONTENT
    change = Change.NONE
    if new.marks != old.marks:
        change |= Change.MARKS
    if new.entities > old.generation:
        change |= Change.ENTITIES
    if (new.seq, new.nonce) != (old.seq, old.nonce):
        if new.seq == old.seq:
            return Change.CONTENT  # the same number, another row: another history
        if old.seq:
            nonce = conn.execute("SELECT nonce FROM read_log WHERE seq = ?", (old.seq,))
            if nonce.fetchone() != (old.nonce,):
                return Change.CONTENT
        added, marked = conn.execute(
            "SELECT max(total != 0), max(total = 0) FROM read_log WHERE seq > ?", (old.seq,)
        ).fetchone()
        if added:
            change |= Change.ADDED
        if marked:
            change |= Change.MARKS
    if new.generation != old.generation and not change & (Change.ENTITIES | Change.ADDED):
        return Change.CONTENT  # a generation that is neither: cannot happen without a base
    return change


@dataclass(frozen=True, slots=True)
class Known:
    """A query's counts and the point of the database's history they were taken at."""

    at: Position
    total: int
    unread: int
    resolved: str = ""  # what its names selected then (query.resolutions, the hidden set's)


def follows(conn: sqlite3.Connection, at: Position, now: Basis, entities: bool = False) -> bool:
    """Whether counts taken ``at`` a point of the history can be brought up to ``now`` from
    the log (inside the caller's snapshot): that point is in this database's history since
    the log's base (its generation's token and its log row's nonce are still there), nothing
    but marks and new articles came since (nor new mentions, for counts that depend on
    ``entities``; nor anything by an older version), and not too many rows were logged. (The
    caller also checks that the query's names select what they did.)"""
    if not (
        now.own == now.generation
        and now.base <= at.generation <= now.generation
        and (not entities or at.generation >= now.entities)
        and 0 <= now.seq - at.seq <= LOG_MAX
    ):
        return False
    if at == now.position:
        return True
    token = conn.execute("SELECT token FROM steps WHERE generation = ?", (at.generation,))
    if token.fetchone() != (at.token,):
        return False
    if at.seq:
        nonce = conn.execute("SELECT nonce FROM read_log WHERE seq = ?", (at.seq,))
        return bool(nonce.fetchone() == (at.nonce,))
    return True


def _room(conn: sqlite3.Connection, n: int) -> bool:
    """Whether ``n`` more articles can be logged (at most ``LOG_MAX`` at once, the log kept
    under ``LOG_KEEP``: a count more than ``LOG_MAX`` behind is counted again anyway)."""
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM read_log").fetchone()[0]
    return n <= LOG_MAX and last + n <= LOG_KEEP


def log_read(conn: sqlite3.Connection, ids: Sequence[int], read: bool) -> None:
    """Log articles whose read mark just changed to ``read`` (inside the caller's
    transaction of marks)."""
    if not _room(conn, len(ids)):
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
    if not _room(conn, 1):
        new_generation(conn)
    logged = conn.execute(
        f"INSERT INTO read_log(article, unread) SELECT id, ?2 FROM articles "
        f"WHERE read != ?1 AND id IN ({sql}) LIMIT {LOG_MAX + 1}",
        [int(read), -1 if read else 1, *params],
    )
    if logged.rowcount > LOG_MAX or not _room(conn, 0):
        new_generation(conn)


def log_added(db: Database, ids: Sequence[int] | None) -> None:
    """Say what a write transaction of new articles did (inside it, once its articles are
    written): log the new articles ``ids`` (+1 total, +1 unread if unread), or, when ``ids``
    is None (it changed something else too) or the log has no room for them (``_room``),
    note a content change (every kept count starts again)."""
    if ids is None or not _room(db.conn, len(ids)):
        db.note(Change.CONTENT)
    elif ids:
        db.conn.executemany(
            "INSERT INTO read_log(article, unread, total) "
            "SELECT id, 1 - read, 1 FROM articles WHERE id = ?",
            [(i,) for i in sorted(ids)],
        )
        db.note(Change.ADDED)


Group = dict[str, tuple[int, int]]
"""Counts per group (a source, a feed): total and unread."""


@dataclass(frozen=True, slots=True)
class KnownGroups:
    """Counts per group and the point of the database's history they were taken at."""

    at: Position
    value: Group
    resolved: str = ""  # what the ignore rules' names selected then


def group_changes(
    conn: sqlite3.Connection, group: str, join: str, since: int, hidden: bool
) -> Group:
    """How the counts of each group (``group``, an expression over ``join``) moved with the
    articles logged after ``since``: new ones, and read marks."""
    skip = "AND l.article NOT IN (SELECT id FROM temp.hidden)" if hidden else ""
    return {
        name: (int(total), int(unread))
        for name, total, unread in conn.execute(
            f"SELECT {group}, sum(l.total), sum(l.unread) FROM read_log l {join} "
            f"WHERE l.seq > ? {skip} GROUP BY 1",
            (since,),
        )
    }


def moved(known: Group, changes: Group) -> Group | None:
    """``known`` moved by ``changes``; None when a group is new (counted again)."""
    if not changes.keys() <= known.keys():
        return None
    out = dict(known)
    for name, (total, unread) in changes.items():
        old_total, old_unread = out[name]
        out[name] = (old_total + total, old_unread + unread)
    return out


# The text of the logged articles, indexed as articles_fts indexes it: a query's words are
# looked for among them alone (a prefix such as ``pol*`` expanded in the whole index took
# 107 ms at 1,000,000 articles, for every count).
_LOGGED_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.logged_fts USING fts5(title, body, "
    f"tokenize='{FTS_TOKENIZE}')"
)


@dataclass
class LoggedText:
    """What this connection's ``temp.logged_fts`` holds: the articles logged after ``first``
    up to ``loaded`` (log numbers), in the log that started at generation ``base``."""

    base: int = -1
    first: int = 0
    loaded: int = 0


def load_logged(conn: sqlite3.Connection, held: LoggedText, now: Basis, since: int) -> None:
    """Make ``temp.logged_fts`` hold the text of every article logged after ``since`` (inside
    the caller's snapshot, whose state is ``now``; the caller asks for at most ``LOG_MAX``
    log rows after ``since``). A logged article's text cannot change while the log lasts."""
    conn.execute(_LOGGED_FTS)
    first, loaded = held.first, held.loaded
    if held.base != now.base or not held.first <= since <= held.first + LOG_MAX:
        # Another log, or older articles needed, or many no longer needed (a long session
        # of reading with no other change): start from ``since``. The table then holds the
        # articles of at most 2 * LOG_MAX log rows.
        conn.execute("DELETE FROM temp.logged_fts")
        first = loaded = since
    conn.execute(
        "INSERT INTO temp.logged_fts(rowid, title, body) "
        "SELECT a.id, a.title, b.body FROM articles a JOIN bodies b ON b.doc = a.doc "
        "WHERE a.id IN (SELECT article FROM read_log WHERE seq > ?) "
        "AND a.id NOT IN (SELECT rowid FROM temp.logged_fts)",
        (loaded,),
    )
    # Only now: an interruption above rolls the table back to what ``held`` still says.
    held.base, held.first, held.loaded = now.base, first, now.seq


# -- counts kept between processes ------------------------------------------------------------
def disk_key(query: str, ignore: tuple[str, ...]) -> str:
    """The ``kept_counts`` key of a query (its parsed form) under these ignore rules; the
    version is part of it, so another release counts again."""
    return "\0".join((__version__, query, *ignore))


class KeptOnDisk:
    """Saved searches' counts kept in ``kept_counts`` for the next process: what this store
    read or wrote there, and what it has to write (``save``). Shared by threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, Known] = {}
        self._there: dict[str, Position] = {}  # what the table holds, by key

    def load(self, conn: sqlite3.Connection, key: str) -> Known | None:
        """The count another process kept (inside the caller's snapshot), if any."""
        row = conn.execute(
            "SELECT generation, seq, token, nonce, total, unread, resolved FROM kept_counts "
            "WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        at = Position(*row[:4])
        with self._lock:
            self._there[key] = at
        return Known(at, *row[4:])

    def note(self, key: str, known: Known, now: Basis | None = None) -> None:
        """A count to keep. One counted in full (``now`` None) is written; one brought up to
        date from the log (in the state ``now``) only when the table's is of an older log
        or ``LOG_MAX // 5`` rows behind (writes wake the other processes' readers)."""
        with self._lock:
            there = self._there.get(key)
            if (
                now is None
                or there is None
                or there.generation < now.base
                or known.at.seq - there.seq > LOG_MAX // 5
            ):
                self._pending[key] = known

    def save(self, db: Database) -> None:
        """Write what is to be kept, unless another writer holds the database (or it is
        read-only): then it stays for the next call. A row is replaced only by a newer one
        (in one history the generation and the log number only grow)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        rows = [(k, *v.at, v.total, v.unread, v.resolved) for k, v in pending.items()]
        try:
            with db.try_transaction(Change.NONE) as tx:
                # Rows no longer in this database's history (an older log, a file restored
                # from a backup) can never be brought up to date. (So the table holds the
                # saved searches counted since the last content change, which unsaving is.)
                tx.execute(
                    "DELETE FROM kept_counts WHERE generation < (SELECT base FROM generation) "
                    "OR NOT EXISTS (SELECT 1 FROM steps WHERE steps.generation = "
                    "kept_counts.generation AND steps.token = kept_counts.token)"
                )
                tx.executemany(  # (a count of another history, from before a restore: not)
                    "INSERT INTO kept_counts (key, generation, seq, token, nonce, total, unread, "
                    "resolved) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE EXISTS (SELECT 1 "
                    "FROM steps WHERE generation = ?2 AND token = ?4) ON CONFLICT (key) DO UPDATE "
                    "SET generation = excluded.generation, seq = excluded.seq, "
                    "token = excluded.token, nonce = excluded.nonce, "
                    "total = excluded.total, unread = excluded.unread, "
                    "resolved = excluded.resolved "
                    "WHERE (excluded.generation, excluded.seq) > (generation, seq)",
                    rows,
                )
        except (sqlite3.Error, StoreError, Stopped):
            with self._lock:
                for key, known in pending.items():
                    self._pending.setdefault(key, known)
            return
        with self._lock:
            for key, known in pending.items():
                self._there[key] = known.at
