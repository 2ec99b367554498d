"""FeedStore: the one object the CLI and the UI talk to. SQLite, one file, WAL."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.dates import from_epoch, parse_date, period_start
from reader.model import Article, Mention
from reader.store import query as q
from reader.store.closing import Stopped
from reader.store.entities import EntityInfo
from reader.store.query import QueryError, entity_key
from reader.store.schema import SLOTS, migrate

if TYPE_CHECKING:  # feed modules pull in httpx and feedparser: imported when used
    from reader.store.fetch import FetchSettings
    from reader.store.index import IndexReport
    from reader.store.refresh import RefreshReport
    from reader.store.subscriptions import Subscription

# How long close() waits for a background operation to notice and stop (it checks between
# articles, files and feeds; a running SQL statement is interrupted at once).
CLOSE_WAIT = 30.0

_HEADLINE_COLS = (
    "id, uid, source, title, date, precision, language, path, link, read, starred, dated_by"
)


def _row_to_article(
    row: sqlite3.Row | tuple, body: str = "", also: tuple[str, ...] = ()
) -> Article:
    rid, uid, source, title, date, prec, lang, path, link, read, starred, dated_by = row[:12]
    return Article(
        rowid=rid,
        uid=uid,
        source=source,
        title=title,
        date=from_epoch(date, prec),
        language=lang,
        path=path,
        link=link,
        read=bool(read),
        starred=bool(starred),
        body=body,
        dated_by=dated_by,
        also=also,
    )


@dataclass(frozen=True, slots=True)
class SourceCount:
    """A source with its article and unread counts."""

    name: str
    total: int
    unread: int


class FeedStore:
    """Articles, their full-text index, state and entities in one SQLite file.

    Each thread gets its own connection, so Textual workers can query while the UI reads.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closing = threading.Event()
        self._active = 0  # background operations running (index, refresh, extraction)
        self._idle = threading.Condition(self._lock)
        migrate(self.conn)
        from reader.store.entities import build_mentions_index

        build_mentions_index(self.conn)  # dropped during bulk extraction; back if killed

    # -- connections -------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; transactions are explicit)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA cache_size=-8192")  # 8 MiB per thread; bulk writers raise it
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this store opened.

        A background operation still running in another thread (the reader's indexing or
        entity extraction when the user quits) is asked to stop, its running statement is
        interrupted, and its connection is closed only once it has returned: closing a SQLite
        connection while another thread is inside it crashes the process.
        """
        self._closing.set()
        with self._lock:
            mine = getattr(self._local, "conn", None)
            for conn in self._connections:
                if conn is not mine:
                    conn.interrupt()
            self._idle.wait_for(lambda: self._active == 0, timeout=CLOSE_WAIT)
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
        self._closing.clear()  # the store opens new connections if used again

    def check_open(self) -> None:
        """Raise Stopped when the store is being closed (long operations call this often)."""
        if self._closing.is_set():
            raise Stopped

    @contextmanager
    def _background(self) -> Iterator[None]:
        """Run a long operation that close() waits for; it ends quietly when close() stops it."""
        with self._lock:
            self._active += 1
        try:
            yield
        except (Stopped, sqlite3.OperationalError, sqlite3.ProgrammingError):
            if not self._closing.is_set():
                raise
        finally:
            with self._lock:
                self._active -= 1
                self._idle.notify_all()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- indexing ----------------------------------------------------------------------------
    def index(
        self,
        sources: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        batch_size: int | None = None,
    ) -> IndexReport:
        """Index files and folders incrementally; see reader.store.index."""
        from reader.store.index import BATCH, Indexer

        indexer = Indexer(self, batch_size or BATCH)
        with self._background():
            return indexer.run(sources, progress)
        return indexer.report  # stopped by close(): what was indexed so far

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        """Number of stored articles."""
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def search_ids(self, text: str, order: str = "date", limit: int | None = None) -> list[int]:
        """Ids of the articles matching a query, newest first (or by relevance)."""
        sql, params = q.compile_query(
            q.parse(text), self._sources, order=order, limit=limit, shared=self._shared_sources
        )
        return [r[0] for r in self.conn.execute(sql, params)]

    def search(self, text: str, order: str = "date", limit: int | None = None) -> list[Article]:
        """Headline records (no body) of the articles matching a query."""
        return self.headlines(self.search_ids(text, order=order, limit=limit))

    def headlines(self, ids: Sequence[int]) -> list[Article]:
        """Headline records for ids, in the order given."""
        found: dict[int, Article] = {}
        for chunk in _chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT {_HEADLINE_COLS} FROM articles WHERE id IN ({marks})", chunk
            ):
                found[row[0]] = _row_to_article(row)
        return [found[i] for i in ids if i in found]

    def article(self, ref: int | str) -> Article | None:
        """One article with its body, by id or uid."""
        column = "uid" if isinstance(ref, str) else "id"
        cols = ", ".join(f"a.{c.strip()}" for c in _HEADLINE_COLS.split(","))
        row = self.conn.execute(
            f"SELECT {cols}, b.body FROM articles a JOIN bodies b ON b.doc = a.doc "
            f"WHERE a.{column} = ?",
            (ref,),
        ).fetchone()
        if row is None:
            return None
        also = tuple(
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT source FROM origins WHERE article = ? AND source != ? "
                "ORDER BY source",
                (row[0], row[2]),
            )
        )
        return _row_to_article(row, body=row[12], also=also)

    # -- entities ----------------------------------------------------------------------------
    def extract_entities(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Extract the entities of every article not done yet (resumable); return how many."""
        from reader.store.entities import extract_pending

        with self._background():
            return extract_pending(self.conn, progress, stop=self._closing.is_set)
        return 0  # stopped by close(): finished batches are kept, the rest resumes next time

    def _ensure_entities(self, rowid: int) -> None:
        """Compute an article's entities now if extraction has not reached it yet."""
        row = self.conn.execute(
            "SELECT entities_done FROM articles WHERE id = ?", (rowid,)
        ).fetchone()
        if row is None or row[0]:
            return
        from reader.store.entities import extract_articles, memory, recount

        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            recount(conn, extract_articles(conn, [rowid], memory(conn, 5000)))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def entity(self, ref: int | str, kind: str | None = None) -> EntityInfo | None:
        """An entity by id, or by name (case/accent-insensitive; the most mentioned kind)."""
        if isinstance(ref, int):
            row = self.conn.execute(f"SELECT {_ENTITY_COLS} FROM entities WHERE id = ?", (ref,))
        else:
            row = self.conn.execute(
                f"SELECT {_ENTITY_COLS} FROM entities WHERE key = ? AND (? IS NULL OR kind = ?) "
                "ORDER BY kind = 'MISC', articles DESC LIMIT 1",
                (entity_key(ref), kind, kind),
            )
        found = row.fetchone()
        return None if found is None else EntityInfo(*found)

    def entities_of(self, rowid: int) -> list[tuple[EntityInfo, int]]:
        """An article's entities with their mention counts, most mentioned first."""
        self._ensure_entities(rowid)
        rows = self.conn.execute(
            f"SELECT {_E_COLS}, count(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity "
            "WHERE m.article = ? AND e.kind != 'MISC' GROUP BY e.id ORDER BY n DESC, e.name",
            (rowid,),
        )
        return [(EntityInfo(*r[:6]), r[6]) for r in rows]

    def articles_with_entity(self, entity_id: int, limit: int | None = None) -> list[int]:
        """Ids of the articles mentioning an entity, newest first."""
        rows = self.conn.execute(
            "SELECT DISTINCT article FROM mentions WHERE entity = ? ORDER BY article DESC LIMIT ?",
            (entity_id, -1 if limit is None else limit),
        )
        return [r[0] for r in rows]

    def entity_timeline(self, entity_id: int) -> list[tuple[str, int]]:
        """Articles mentioning an entity per month: ``[("2021-03", 4), …]``, oldest first."""
        rows = self.conn.execute(
            f"SELECT strftime('%Y-%m', article / {SLOTS}, 'unixepoch') AS month, "
            "count(DISTINCT article) FROM mentions WHERE entity = ? GROUP BY month ORDER BY month",
            (entity_id,),
        )
        return [(month, n) for month, n in rows]

    def cooccurring(
        self, entity_id: int, limit: int = 10, recent: int = 1000
    ) -> list[tuple[EntityInfo, int]]:
        """The entities that most often appear with this one, in its latest ``recent`` articles.

        Bounded so that a name found in tens of thousands of articles still answers at once.
        """
        rows = self.conn.execute(
            "WITH latest AS (SELECT DISTINCT article FROM mentions WHERE entity = ? "
            "ORDER BY article DESC LIMIT ?) "
            f"SELECT {_E_COLS}, count(DISTINCT m.article) AS n FROM latest "
            "JOIN mentions m ON m.article = latest.article AND m.entity != ? "
            "JOIN entities e ON e.id = m.entity WHERE e.kind != 'MISC' "
            "GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?",
            (entity_id, recent, entity_id, limit),
        )
        return [(EntityInfo(*r[:6]), r[6]) for r in rows]

    def top_entities(
        self, after: str | None = None, before: str | None = None, limit: int = 20
    ) -> list[tuple[EntityInfo, int]]:
        """The entities mentioned in the most articles within a date range.

        Without a range the stored counts answer at once; with one, the mentions of the
        articles in the range are counted.
        """
        if after is None and before is None:
            rows = self.conn.execute(
                f"SELECT {_ENTITY_COLS}, articles FROM entities WHERE kind != 'MISC' "
                "ORDER BY articles DESC, name LIMIT ?",
                (limit,),
            )
            return [(EntityInfo(*r[:6]), r[6]) for r in rows]
        lo, hi = _range(after, before)
        rows = self.conn.execute(
            f"SELECT {_E_COLS}, count(DISTINCT m.article) AS n FROM mentions m "
            "JOIN entities e ON e.id = m.entity WHERE m.article >= ? AND m.article < ? "
            "AND e.kind != 'MISC' GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?",
            (lo, hi, limit),
        )
        return [(EntityInfo(*r[:6]), r[6]) for r in rows]

    def mentions(self, rowid: int) -> list[Mention]:
        """An article's entity mentions, sorted, validated against its body length."""
        self._ensure_entities(rowid)
        rows = self.conn.execute(
            'SELECT m.start, m."end", e.kind, e.id FROM mentions m JOIN entities e '
            "ON e.id = m.entity WHERE m.article = ? ORDER BY m.start",
            (rowid,),
        )
        out: list[Mention] = []
        last_end = -1
        for start, end, kind, entity_id in rows:
            if kind != "MISC" and start >= last_end and start < end:  # drop overlaps
                out.append(Mention(start, end, kind, entity_id))
                last_end = end
        return out

    def sources(self) -> list[SourceCount]:
        """Every source with its article and unread counts, by name."""
        rows = self.conn.execute(
            "SELECT source, count(*), count(*) - sum(read) FROM articles "
            "GROUP BY source ORDER BY source COLLATE NOCASE"
        )
        return [SourceCount(*r) for r in rows]

    def _sources(self) -> list[str]:
        """Distinct source names, cached until any connection changes the database."""
        conn = self.conn
        stamp = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        cached = getattr(self._local, "sources", None)
        if cached is None or cached[0] != stamp:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT source FROM articles UNION SELECT name FROM shared_sources"
                )
            ]
            cached = self._local.sources = (stamp, names)
        return cached[1]

    # -- subscriptions -----------------------------------------------------------------------
    def subscribe(
        self, url: str, name: str | None = None, category: str | None = None
    ) -> tuple[int, bool]:
        """Add a subscription (http(s), file:// or a path); return its id and whether new."""
        from reader.store import subscriptions

        return subscriptions.add(self.conn, url, name, category)

    def unsubscribe(self, given: str) -> int | None:
        """Remove a subscription by address or name; None if there was none.

        Returns how many articles went with it (those no other feed or file carries).
        """
        from reader.store import subscriptions

        feed_id = subscriptions.find(self.conn, given)
        return None if feed_id is None else subscriptions.remove(self.conn, feed_id)

    def subscriptions(self) -> list[Subscription]:
        """Every subscription with its article count and fetch state."""
        from reader.store import subscriptions

        return subscriptions.subscriptions(self.conn)

    def refresh(
        self,
        urls: Sequence[str] = (),
        progress: Callable[[int, int], None] | None = None,
        settings: FetchSettings | None = None,
    ) -> RefreshReport:
        """Fetch subscriptions (all, or those named) and store what changed."""
        from reader.store.refresh import Refresher

        refresher = Refresher(self, settings)
        with self._background():
            return refresher.run(urls, progress)
        return refresher.report  # stopped by close(): the feeds stored so far

    def import_opml(self, data: bytes, where: str) -> tuple[int, int]:
        """Subscribe to the feeds of an OPML list; return (new, already subscribed)."""
        from reader.store import subscriptions

        new = old = 0
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for url, name, category in subscriptions.read_opml(data, where):
                _, is_new = subscriptions.add(conn, url, name, category)
                new, old = new + is_new, old + (not is_new)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return new, old

    def export_opml(self) -> str:
        """The subscriptions as an OPML 2.0 document."""
        from reader.store import subscriptions

        return subscriptions.write_opml(self.subscriptions())

    def _shared_sources(self) -> list[str]:
        """Sources that also carry articles first seen under another source (small table)."""
        return [r[0] for r in self.conn.execute("SELECT name FROM shared_sources")]

    # -- state -------------------------------------------------------------------------------
    def set_read(self, ids: Iterable[int], read: bool = True) -> None:
        """Mark articles read or unread."""
        self.conn.executemany(
            "UPDATE articles SET read = ? WHERE id = ?", [(int(read), i) for i in ids]
        )

    def set_starred(self, ids: Iterable[int], starred: bool = True) -> None:
        """Star or unstar articles."""
        self.conn.executemany(
            "UPDATE articles SET starred = ? WHERE id = ?", [(int(starred), i) for i in ids]
        )


_ENTITY_COLS = "id, name, kind, articles, first_date, last_date"
_E_COLS = ", ".join(f"e.{c}" for c in _ENTITY_COLS.split(", "))


def _range(after: str | None, before: str | None) -> tuple[int, int]:
    """Article-id bounds for an ``after``/``before`` pair of dates at any precision."""
    bounds = []
    for value, default in ((after, -(1 << 62)), (before, 1 << 62)):
        if value is None:
            bounds.append(default)
            continue
        parsed = parse_date(value)
        if parsed is None:
            raise QueryError(f"{value!r} is not a date; try 2021-03")
        bounds.append(period_start(parsed) * SLOTS)
    return bounds[0], bounds[1]


def _chunks(seq: Sequence[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(seq), size):
        yield list(seq[i : i + size])
