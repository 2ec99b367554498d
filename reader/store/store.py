"""FeedStore: the API the command line and the reader use; a thin layer over the modules that
do the work (``index``, ``refresh``, ``entities``, ``articles``, ``entity_queries``,
``subscriptions``), all on one ``Database``."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast
from urllib.parse import urljoin

from reader.model import Article, EntityInfo, Extractor, Mention
from reader.store import articles as art
from reader.store import counts, saved
from reader.store import entity_queries as eq
from reader.store import query as q
from reader.store import subscriptions as subs
from reader.store.articles import SourceCount
from reader.store.database import ArticleGone, Change, Database, Superseded, fetch_all
from reader.store.saved import SavedSearch
from reader.store.sources import BadAddress, SourceError
from reader.textutil import clean_line

_T = TypeVar("_T")
_G = TypeVar("_G")

if TYPE_CHECKING:  # feed modules pull in httpx and feedparser: imported when used
    from pathlib import Path

    from reader.store.fetch import FetchSettings
    from reader.store.fulltext import FullTextResult
    from reader.store.index import IndexReport
    from reader.store.refresh import FeedRow, RefreshReport
    from reader.store.subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class Subscribed:
    """What ``subscribe`` did: the subscription, and the first fetch when there was one."""

    id: int
    url: str
    new: bool
    report: RefreshReport | None = None
    note: str | None = None  # e.g. the address given was a web page naming the feed
    moved_from: str | None = None  # the address given, which the feed left for ``url``


class FeedStore:
    """Articles, their full-text index, state, entities and subscriptions in one SQLite file.

    ``create=False`` opens only an existing database (commands that only read). The entity
    extractor is given, or the rule extractor is used.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        extractor: Extractor | None = None,
        ignore: Sequence[str] = (),
    ) -> None:
        for rule in ignore:
            q.parse(rule)  # a malformed rule is refused here (QueryError), not on every search
        self.db = Database(path, create=create)
        self.path = self.db.path
        self._extractor = extractor
        self.ignore = tuple(ignore)
        self._hidden = threading.local()
        self._counts = threading.local()  # per connection: counts until the database changes
        # Per query: counts kept across read marks (reader.store.counts). Shared by threads:
        # each entry is whole and from one snapshot, so the last one stored may win.
        self._known: dict[tuple[str, tuple[str, ...]], counts.Known] = {}
        self._kept_values = threading.local()  # per connection: values until the generation
        self._known_groups: dict[tuple[str, bool], counts.KnownGroups] = {}
        self._logged = threading.local()  # per connection: its temp.logged_fts
        self._kept_on_disk = counts.KeptOnDisk()  # saved searches' counts for the next process
        self._marks_hide = any(q.asks_marks(q.parse(rule)) for rule in self.ignore)
        # What the rules hide changes with new mentions too.
        self._entities_hide = any(q.asks_entities(q.parse(rule)) for rule in self.ignore)

    @property
    def extractor(self) -> Extractor:
        """The entity extractor (the rule extractor unless another was given)."""
        if self._extractor is None:
            from reader.entities import get_extractor

            self._extractor = get_extractor("rules")
        return self._extractor

    def close(self) -> None:
        """Stop background work and close the database (see ``Database.close``)."""
        self.db.close()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- indexing, refreshing, extracting ----------------------------------------------------
    def index(
        self,
        sources: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        batch_size: int | None = None,
    ) -> IndexReport:
        """Index files and folders incrementally; see ``reader.store.index``."""
        from reader.store.index import BATCH, Indexer

        indexer = Indexer(self.db, batch_size or BATCH)
        with self.db.background():
            return indexer.run(sources, progress)
        return indexer.report  # stopped by close(): what was indexed so far

    def refresh(
        self,
        names: Sequence[str] = (),
        progress: Callable[[int, int], None] | None = None,
        settings: FetchSettings | None = None,
        started: float | None = None,
        insist: bool = False,
        pending: set[str] | None = None,
    ) -> RefreshReport:
        """Fetch subscriptions (all, or those named by address or name) and store what changed.

        A name that matches no subscription, or several, is reported in ``unknown`` (not a
        feed, so not counted among them); an address a feed left when a permanent redirect
        moved it names that feed, reported in ``followed`` with its new address.
        ``started``: when the refresh was asked for (epoch; default now; the command line
        gives its process's start): a permanent redirect recorded after it is not counted as
        seen at an earlier refresh. ``insist``: fetch feeds whose server asked to wait
        (Retry-After) all the same, for a user who asked for them by name
        (``RefreshReport.insisted``); otherwise they wait (``waiting``). ``pending``: a set
        this refresh fills with the addresses it is to fetch and empties as their answers
        come, each before ``progress`` is called (the reader names the feeds it waits for).
        """
        from reader.store.refresh import FEED_COLUMNS, FeedRow, Refresher, RefreshReport

        conn = self.db.conn
        rows = fetch_all(conn, FeedRow, f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY id")
        unknown: list[tuple[str, str]] = []
        followed: list[tuple[str, str]] = []
        if names:
            by_id = {r.id: r for r in rows}
            chosen: dict[int, FeedRow] = {}
            for given in dict.fromkeys(names):
                try:
                    found = subs.locate(conn, given)
                except SourceError as exc:
                    unknown.append((given, str(exc).removeprefix(f"{given}: ")))
                else:
                    chosen[found.id] = by_id[found.id]
                    if found.moved_to is not None:
                        followed.append((given, found.moved_to))
            rows = list(chosen.values())
        refresher = Refresher(self.db, settings, started)
        refresher.report = RefreshReport(unknown=unknown, followed=followed)
        with self.db.background():
            return refresher.run(rows, progress, insist, pending)
        return refresher.report  # stopped by close(): the feeds stored so far

    def extract_entities(
        self,
        progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
        bulk: bool = True,
    ) -> int:
        """Extract the entities of every article not done yet (resumable); return how many.

        A large run extracts in ``workers`` processes (default ``entities.WORKERS``, one per
        core of this project's machines; 0: in this thread), which write their results
        themselves; see ``reader.store.entities``. ``bulk=False`` (the reader) keeps the index
        that ``entity:`` searches use, however many articles are pending.
        """
        from reader.store.entities import WORKERS, extract_pending

        count = WORKERS if workers is None else workers
        with self.db.background():
            return extract_pending(self.db, self.extractor, progress, workers=count, bulk=bulk)
        return 0  # stopped by close(): finished batches are kept, the rest resumes next time

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        """Number of articles (those the ignore rules hide left out), remembered until the
        database changes (the reader asks for it with every list of results it shows)."""

        hidden = self._context().hidden  # first: bringing it up to date writes (a temp table)

        def compute() -> int:
            if hidden:
                return int(
                    self.db.conn.execute(
                        f"SELECT count(*) FROM articles WHERE id NOT IN ({q.HIDDEN})"
                    ).fetchone()[0]
                )
            return art.count(self.db.conn)

        return self._remembered(("total", ""), compute)

    def checkpoint(self) -> counts.Basis:
        """Where the database's history is now, for ``changed_since``."""
        return counts.basis(self.db.conn)

    def changed_since(self, seen: counts.Basis) -> tuple[Change, counts.Basis]:
        """What the writes since ``seen`` (a ``checkpoint``) changed, and the checkpoint now.

        A reader asks this when another connection committed: a run of entity extraction
        changes ``Change.ENTITIES`` only, and the lists of queries that ``matches_change``
        says it leaves alone need not be read again."""
        with self.db.snapshot() as conn:
            now = counts.basis(conn)
            return counts.changed_between(conn, seen, now), now

    def matches_change(self, query: str, change: Change) -> bool:
        """Whether ``change`` can change what ``query`` finds (with the ignore rules): marks
        only for a query or a rule that asks for marks, mentions only for one that names
        entities; anything else always. A query that does not parse: True."""
        if change & (Change.ADDED | Change.CONTENT):
            return True
        try:
            node = q.parse(query)
        except q.QueryError:
            return True
        if Change.MARKS in change and (self._marks_hide or q.asks_marks(node)):
            return True
        return Change.ENTITIES in change and (self._entities_hide or q.asks_entities(node))

    @staticmethod
    def holds_anything(path: Path) -> bool | None:
        """Whether the database at ``path`` has an article or a subscription, asked without
        opening a store: read-only, never waiting for a writer, no migration; None when that
        cannot be told now (no file yet, being made, locked, not a newsreader database)."""
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        except (sqlite3.Error, OSError):
            return None
        try:
            return bool(
                conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM feeds)"
                ).fetchone()[0]
            )
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def is_empty(self) -> bool:
        """No article and no subscription: nothing to show yet."""
        conn = self.db.conn
        return not conn.execute(
            "SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM feeds)"
        ).fetchone()[0]

    def search_ids(self, text: str, order: str = "date", limit: int | None = None) -> list[int]:
        """Ids of the articles matching a query, newest first (or by relevance)."""
        return list(self._match_ids(text, order, limit))

    def search_id_array(
        self, text: str, order: str = "date", limit: int | None = None
    ) -> array[int]:
        """``search_ids`` as an array of 64-bit integers: 8 bytes an id rather than about 40
        in a list (the reader holds every id of its list: a million of them in an archive)."""
        return array("q", self._match_ids(text, order, limit))

    def _match_ids(self, text: str, order: str, limit: int | None) -> Iterator[int]:
        try:
            sql, params = q.compile_query(q.parse(text), self._context(), order=order, limit=limit)
            for (rowid,) in self.db.conn.execute(sql, params):
                yield rowid
        except sqlite3.OperationalError:
            # Database.interrupt(): a newer search replaced this one. The interruption can
            # land in any statement, the hidden set's or FTS5's set-up included, whose
            # errors do not all say "interrupted".
            if self.db.was_interrupted():
                raise Superseded from None
            raise

    def count_matches(self, text: str) -> tuple[int, int]:
        """How many articles a query finds, and how many of them are unread.

        Counts are remembered until the database changes (the feed list asks for the same
        counts every time it is shown); everything, the commonest count, is read from two
        indexes rather than from every row.
        """
        return self._count_text(text)

    def _count_text(self, text: str, persist: bool = False) -> tuple[int, int]:
        """``count_matches``; with ``persist`` (saved searches) the count is also kept in the
        database for the next process (``save_counts``)."""
        node = q.parse(text)
        context = self._context()
        return self._remembered(("count", text), lambda: self._count(node, context, persist))

    def _count(self, node: q.Node, context: q.Context, persist: bool = False) -> tuple[int, int]:
        """``count_matches`` of a parsed query, when nothing is remembered on this connection.

        ``is:unread`` or ``is:read`` beside words and filters that do not ask for marks is
        counted from the rest of the query (its unread, or its total less its unread), whose
        counts are kept across read marks."""
        if node == q.And(()) and not context.hidden:
            return self._kept_everything()
        parts = node.children if isinstance(node, q.And) else (node,)
        states = [p for p in parts if isinstance(p, q.Filter) and p.name == "is"]
        if len(states) == 1 and states[0].value.lower() in ("unread", "read"):
            rest = q.And(tuple(p for p in parts if p is not states[0]))
            if not q.asks_marks(rest):
                total, unread = self._count(rest, context, persist)
                if states[0].value.lower() == "unread":
                    return unread, unread
                return total - unread, 0
        return self._kept_count(node, context, persist)

    def _kept_everything(self) -> tuple[int, int]:
        """Every article and the unread ones: two index counts, kept across read marks and
        new articles."""
        key = ("", ())
        known = self._known.get(key)
        with self.db.snapshot() as conn:
            now = counts.basis(conn)
            if known is not None and counts.follows(conn, known.at, now):
                if now.seq != known.at.seq:
                    total, unread = conn.execute(
                        "SELECT coalesce(sum(total), 0), coalesce(sum(unread), 0) "
                        "FROM read_log WHERE seq > ?",
                        (known.at.seq,),
                    ).fetchone()
                    known = counts.Known(now.position, known.total + total, known.unread + unread)
                    self._known[key] = known
                return known.total, known.unread
            total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            unread = conn.execute("SELECT count(*) FROM articles WHERE read = 0").fetchone()[0]
        self._known[key] = counts.Known(now.position, int(total), int(unread))
        return int(total), int(unread)

    def _kept_groups(
        self,
        key: str,
        full: Callable[[sqlite3.Connection], counts.Group],
        group: tuple[str, str],
        hidden: bool,
    ) -> counts.Group:
        """Counts per group (``full``), kept across read marks and new articles: ``group`` is
        the expression naming an article's group and the join that reaches it from the log.
        A new group is counted again with the rest."""
        if self._marks_hide:  # the hidden set itself follows the marks
            return full(self.db.conn)
        known = self._known_groups.get((key, hidden))
        resolved = self._hidden_resolved() if hidden else ""
        with self.db.snapshot() as conn:
            now = counts.basis(conn)
            current = self._hidden_of(now.generation, hidden)
            entities = hidden and self._entities_hide
            if (
                known is not None
                and current
                and known.resolved == resolved
                and counts.follows(conn, known.at, now, entities)
            ):
                if now.seq == known.at.seq:
                    return known.value
                changes = counts.group_changes(conn, *group, known.at.seq, hidden)
                value = counts.moved(known.value, changes)
                if value is not None:
                    self._known_groups[(key, hidden)] = counts.KnownGroups(
                        now.position, value, resolved
                    )
                    return value
            value = full(conn)
        if current:
            self._known_groups[(key, hidden)] = counts.KnownGroups(now.position, value, resolved)
        return value

    def _kept_count(
        self, node: q.Node, context: q.Context, persist: bool = False
    ) -> tuple[int, int]:
        """A query's counts, brought up to date from the log when they were taken since its
        last change other than marks and new articles; else counted (see
        ``reader.store.counts``). With ``persist``, counts another process kept are used and
        these are kept for the next (``save_counts``)."""
        conn = self.db.conn
        key = (repr(node), self.ignore)
        keep = not (self._marks_hide or q.asks_marks(node))
        disk = counts.disk_key(*key) if persist and keep else None
        known = self._known.get(key)
        entities = q.asks_entities(node) or (context.hidden and self._entities_hide)
        if keep and (known is not None or disk is not None):
            with self.db.snapshot():
                if known is None and disk is not None:
                    known = self._kept_on_disk.load(conn, disk)
                now = counts.basis(conn)
                if (
                    known is not None
                    and counts.follows(conn, known.at, now, entities)
                    and self._hidden_of(now.generation, context.hidden)
                    and known.resolved == self._resolved(node, context)
                ):
                    if now.seq != known.at.seq:
                        sql, params = q.logged_query(node, context)
                        if q.LOGGED_TEXT in sql:  # the query has words: the logged text
                            counts.load_logged(conn, self._logged_text(), now, known.at.seq)
                        total, unread = conn.execute(sql, [known.at.seq, *params]).fetchone()
                        known = counts.Known(
                            now.position,
                            known.total + total,
                            known.unread + unread,
                            known.resolved,
                        )
                    self._known[key] = known
                    if disk is not None:
                        self._kept_on_disk.note(disk, known, now)
                    return known.total, known.unread
        with self.db.snapshot():  # what compiling reads (source names…) from the same state
            sql, params = q.count_query(node, context)
            total, unread = conn.execute(sql, params).fetchone()
            now = counts.basis(conn)
            resolved = self._resolved(node, context)
        if len(self._known) > counts.KEPT:
            self._known.clear()
        if self._hidden_of(now.generation, context.hidden):
            known = counts.Known(now.position, int(total), int(unread), resolved)
            self._known[key] = known
            if disk is not None:
                self._kept_on_disk.note(disk, known)
        return int(total), int(unread)

    def _resolved(self, node: q.Node, context: q.Context) -> str:
        """What the query's names and the ignore rules' select now (``q.resolutions``): a
        kept count follows only while it stays the same."""
        hidden = self._hidden_resolved() if context.hidden else ""
        return q.resolutions(node, context) + ("\0" + hidden if hidden else "")

    def _hidden_resolved(self) -> str:
        """What the ignore rules' names selected when this connection's hidden set was made."""
        return cast(str, getattr(self._hidden, "resolved", ""))

    def save_counts(self) -> None:
        """Keep the saved searches' counts in the database for the next process, if another
        writer does not hold it (then next time); nothing is waited for."""
        self._kept_on_disk.save(self.db)

    def _logged_text(self) -> counts.LoggedText:
        """What this thread's connection holds in ``temp.logged_fts``."""
        serial = self.db.serial()
        if getattr(self._logged, "serial", None) != serial:
            self._logged.serial, self._logged.held = serial, counts.LoggedText()
        return cast(counts.LoggedText, self._logged.held)

    def _hidden_of(self, generation: int, hidden: bool) -> bool:
        """Whether this connection's hidden set (when there is one) was made in that
        generation: counts that used an older one are not kept (a change landed between
        building the set and counting)."""
        if not hidden:
            return True
        stamp = getattr(self._hidden, "stamp", None)
        return not self._marks_hide and stamp is not None and stamp[1] == generation

    def _remembered(self, key: tuple[str, str], compute: Callable[[], _T]) -> _T:
        """``compute()``, remembered on this thread's connection until the database changes
        (another connection commits, or this one writes)."""
        return _cached(self._counts, self.db.stamp(), key, compute)

    def _generation(self) -> tuple[int, int]:
        """(this thread's connection's serial number, the database's generation): the same
        while nothing but marks changed (``reader.store.counts``)."""
        generation = self.db.conn.execute("SELECT n FROM generation").fetchone()[0]
        return self.db.serial(), int(generation)

    def _kept(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()``, remembered on this thread's connection until something other than
        read or starred marks changes (values marks cannot change: source names…)."""
        return _cached(self._kept_values, self._generation(), key, compute)

    def _context(self) -> q.Context:
        """What the query compiler asks of this store; brings the hidden set up to date."""
        return q.Context(
            sources=self._sources,
            shared=self._shared_sources,
            feeds=self._feed_ids,
            authors=self._authors,
            hidden=self._refresh_hidden(),
        )

    def _refresh_hidden(self) -> bool:
        """Keep this connection's ``temp.hidden`` (the ids the ignore rules match) current;
        False when there are no rules. Rebuilt only after the database changed (after
        something other than marks, when no rule asks for marks)."""
        if not self.ignore:
            return False
        conn = self.db.conn
        if self._marks_hide:
            stamp: tuple[int, ...] = (
                conn.execute("PRAGMA data_version").fetchone()[0],
                conn.total_changes,
            )
        else:
            stamp = self._generation()
        if (
            getattr(self._hidden, "stamp", None) == stamp
            and getattr(self._hidden, "conn", None) is conn
        ):
            return True
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS hidden (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.hidden")
        plain = q.Context(
            sources=self._sources,
            shared=self._shared_sources,
            feeds=self._feed_ids,
            authors=self._authors,
        )
        for rule in self.ignore:
            sql, params = q.compile_query(q.parse(rule), plain)
            conn.execute(f"INSERT OR IGNORE INTO temp.hidden {sql}", params)
        self._hidden.resolved = "\0".join(q.resolutions(q.parse(r), plain) for r in self.ignore)
        self._hidden.conn = conn
        if self._marks_hide:  # this connection's own changes include the table just filled
            stamp = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        self._hidden.stamp = stamp
        return True

    def _feed_ids(self, name: str) -> list[int]:
        """The subscription a ``feed:`` filter names (by address, name or title), else those
        whose name or title starts with it (as ``source:`` does)."""
        try:
            return [subs.find(self.db.conn, name)]
        except subs.AmbiguousName as exc:
            raise q.QueryError(str(exc)) from None
        except subs.NotSubscribed:
            return subs.find_by_start(self.db.conn, name)

    def search(self, text: str, order: str = "date", limit: int | None = None) -> list[Article]:
        """Headline records (no body) of the articles matching a query."""
        return self.headlines(self.search_ids(text, order=order, limit=limit))

    def headlines(self, ids: Sequence[int]) -> list[Article]:
        """Headline records for ids, in the order given."""
        return art.headlines(self.db.conn, ids)

    def unread_among(self, ids: Sequence[int]) -> list[int]:
        """Those of ``ids`` whose articles are unread (in no particular order)."""
        return art.unread_among(self.db.conn, ids)

    def article(self, ref: int | str) -> Article | None:
        """One article with its body, by id or uid."""
        return art.article(self.db.conn, ref)

    def sources(self) -> list[SourceCount]:
        """Every source with its article and unread counts, by name (remembered until the
        database changes, kept across read marks and new articles)."""
        hidden = self._context().hidden

        def listed() -> list[SourceCount]:
            kept = self._kept_groups(
                "sources",
                lambda conn: {s.name: (s.total, s.unread) for s in art.source_counts(conn, hidden)},
                ("a.source", "JOIN articles a ON a.id = l.article"),
                hidden,
            )
            # The order counting gives (no new group: a new one is counted again).
            return [SourceCount(name, *kept[name]) for name in kept]

        return list(self._remembered(("sources", ""), listed))

    def _sources(self) -> list[str]:
        """Distinct source names (remembered until the database changes)."""

        def names() -> list[str]:
            # One index seek per source (a loose scan of articles_source_read) rather than
            # reading the whole index: 0.02 ms instead of 73-78 ms at 1,000,000 articles.
            return [
                r[0]
                for r in self.db.conn.execute(
                    "WITH RECURSIVE s(name) AS (SELECT min(source) FROM articles UNION ALL "
                    "SELECT (SELECT min(source) FROM articles WHERE source > s.name) FROM s "
                    "WHERE s.name IS NOT NULL) "
                    "SELECT name FROM s WHERE name IS NOT NULL "
                    "UNION SELECT name FROM shared_sources"
                )
            ]

        return self._kept("source names", names)

    def _authors(self) -> list[str]:
        """Distinct author keys, an index scan (remembered until the database changes)."""

        def keys() -> list[str]:
            return [
                r[0]
                for r in self.db.conn.execute(
                    "SELECT DISTINCT author_key FROM articles INDEXED BY articles_author "
                    "WHERE author_key IS NOT NULL"
                )
            ]

        return self._kept("author keys", keys)

    def _shared_sources(self) -> list[str]:
        """Sources that also carry articles first seen under another source (small table)."""
        return [r[0] for r in self.db.conn.execute("SELECT name FROM shared_sources")]

    # -- entities ----------------------------------------------------------------------------
    def _ensure_entities(self, rowid: int) -> None:
        """Compute an article's entities now if extraction has not reached it yet."""
        from reader.store.entities import extract_now

        extract_now(self.db, self.extractor, rowid)

    def mentions(self, rowid: int, title: bool = False) -> list[Mention]:
        """An article's typed mentions in its body (``title``: in its title, offsets into
        ``clean_line(title)``), sorted and without overlaps (computed now if needed)."""
        self._ensure_entities(rowid)
        return eq.mentions(self.db.conn, rowid, title=title)

    def entities_of(self, rowid: int) -> list[tuple[EntityInfo, int]]:
        """An article's entities with their mention counts, most mentioned first."""
        self._ensure_entities(rowid)
        return eq.entities_of(self.db.conn, rowid)

    def entity(self, ref: int | str, kind: str | None = None) -> EntityInfo | None:
        """An entity by id, or by name (case/accent-insensitive; the most mentioned kind)."""
        return eq.entity(self.db.conn, ref, kind)

    def articles_with_entity(self, entity_id: int, limit: int | None = None) -> list[int]:
        """Ids of the articles mentioning an entity, newest first."""
        return eq.articles_with_entity(self.db.conn, entity_id, limit, self._context().hidden)

    def entity_timeline(self, entity_id: int) -> list[tuple[str, int]]:
        """Articles mentioning an entity per month, oldest first."""
        return eq.timeline(self.db.conn, entity_id)

    def cooccurring(
        self, entity_id: int, limit: int = 10, recent: int = 1000
    ) -> list[tuple[EntityInfo, int]]:
        """The entities seen most often with this one, in its latest articles."""
        return eq.cooccurring(self.db.conn, entity_id, limit, recent)

    def top_entities(
        self, after: str | None = None, before: str | None = None, limit: int = 20
    ) -> list[tuple[EntityInfo, int]]:
        """The entities mentioned in the most articles within a date range."""
        return eq.top_entities(self.db.conn, after, before, limit)

    # -- subscriptions -----------------------------------------------------------------------
    def subscribe(
        self,
        url: str,
        name: str | None = None,
        category: str | None = None,
        *,
        fetch: bool = False,
        settings: FetchSettings | None = None,
        full_text: bool | None = None,
    ) -> Subscribed:
        """Subscribe to a feed (http(s), file:// or a path).

        With ``fetch`` the feed is fetched first and subscribed only if that works (a web
        page that names its feed subscribes to the feed); otherwise SourceError says why and
        nothing is stored. An address already subscribed is returned as it is (``new``
        False); so is one a subscription left when a permanent redirect moved it, with the
        address it is subscribed at now (``url``; ``moved_from`` the one given).
        ``full_text`` sets the feed's switch (see ``set_full_text``); with it on, the first
        fetch also fetches each item's page.
        """
        address = subs.normalise_url(url)
        name, category = subs.given_name(name), subs.normalise_category(category)
        from reader.store.fetch import address_problem, local_path

        path = local_path(address)
        if path is not None:  # a regular file
            shown = url if "://" in url else os.path.abspath(url)
            subs.check_local_file(path, shown, "no such file, and not an http(s) address")
        conn = self.db.conn
        known = subs.subscribed_at(conn, address)
        if known is not None or not fetch:
            with self.db.transaction() as tx:
                feed_id, new = subs.add(tx, address, name, category, full_text)
            if known is not None and known.moved_to is not None:
                return Subscribed(feed_id, known.moved_to, new, moved_from=address)
            return Subscribed(feed_id, address, new)
        report = self._first_fetch(address, name, category, settings, full_text)
        if report.already is not None:
            return self._redirected_to_known(address, report.already, name, category, full_text)
        note = None
        if report.failed and (page_feed := _named_feed(address, report.failed[0][1])):
            note = f"{address} is a web page naming the feed {clean_line(page_feed)}"
            if not page_feed.lower().startswith(("http://", "https://")):
                raise SourceError(f"{note}, which is not an http(s) address; not subscribed")
            if (problem := address_problem(page_feed)) is not None:
                raise SourceError(f"{note}: {problem}; not subscribed")
            page_feed = subs.normalise_url(page_feed)
            found = subs.subscribed_at(conn, page_feed)
            if found is not None:  # given a name, a category or the switch: as for its address
                if name or category or full_text is not None:
                    with self.db.transaction() as tx:
                        subs.add(tx, page_feed, name, category, full_text)
                if found.moved_to is not None:
                    return Subscribed(found.id, found.moved_to, False, None, note, page_feed)
                return Subscribed(found.id, page_feed, False, None, note)
            address = page_feed
            report = self._first_fetch(address, name, category, settings, full_text)
            if report.already is not None:
                return self._redirected_to_known(address, report.already, name, category, full_text)
        if report.failed:  # (a page's feed: the page is named first)
            raise SourceError(f"{note or address}: {report.failed[0][1]}; not subscribed")
        said = f"{note}: subscribing to that" if note else None
        return Subscribed(report.subscribed[0], address, True, report, said)

    def _redirected_to_known(
        self,
        address: str,
        known: tuple[int, str],
        name: str | None,
        category: str | None,
        full_text: bool | None,
    ) -> Subscribed:
        """``subscribe`` of an address whose server redirected to a feed subscribed already:
        that feed (named, filed or switched as asked), not a second subscription to it."""
        feed_id, url = known
        if name or category or full_text is not None:
            with self.db.transaction() as tx:
                subs.add(tx, url, name, category, full_text)
        note = f"{address} redirects to {url}, which you are subscribed to"
        return Subscribed(feed_id, url, False, None, note)

    def _first_fetch(
        self,
        url: str,
        name: str | None,
        category: str | None,
        settings: FetchSettings | None,
        full_text: bool | None = None,
    ) -> RefreshReport:
        from reader.store.refresh import FeedRow, Refresher

        refresher = Refresher(self.db, settings)
        row = FeedRow(None, url, name, category, None, None, None, int(bool(full_text)))
        with self.db.background():
            return refresher.run([row])
        return refresher.report

    def set_full_text(self, feed: int | str, on: bool = True) -> bool:
        """Switch a subscription's full texts on or off, by id, address or name (the feed
        list's switch; ``add --full-text``); return whether it changed.

        With it on, each new item's page is fetched during refresh and the article found on
        it replaces the feed's teaser; items already stored keep their text (``fetch_full_text``
        fetches one now). Raises NotSubscribed or AmbiguousName.
        """
        with self.db.transaction() as tx:
            feed_id = feed if isinstance(feed, int) else subs.find(tx, feed)
            if tx.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is None:
                raise subs.NotSubscribed(f"{feed}: not subscribed (see `newsreader feeds`)")
            return subs.set_full_text(tx, feed_id, on)

    def fetch_full_text(
        self, ref: int | str, settings: FetchSettings | None = None
    ) -> FullTextResult:
        """Fetch one article's page now and replace its text with the article found there
        (the reader's full-text key). Blocking: call it from a thread worker, then reload
        the article with ``article()``.

        The page is fetched politely (conditional GET when the body already holds it); no
        write lock is held while fetching. A failure leaves the text as it was and the
        result's ``note`` says why in one line; an unknown article raises ``KeyError``.
        Entities of the new text are extracted when the article is next shown (``mentions``).
        """
        from reader.model import FullTextState
        from reader.store.fulltext import FullTextResult, FullTexts, job_for

        job = job_for(self.db.conn, ref)
        if job is None:
            raise KeyError(ref)
        texts = FullTexts(self.db, settings)
        with self.db.background():
            texts.run([job])
        if texts.report.results:
            return texts.report.results[0]
        return FullTextResult(
            job.uid, FullTextState.FAILED, "stopped, or the feed changed the article meanwhile"
        )

    def find_subscription(self, given: str) -> int:
        """A subscription's id by address or name (NotSubscribed, AmbiguousName)."""
        return subs.find(self.db.conn, given)

    def locate_subscription(self, given: str) -> subs.Found:
        """A subscription by address or name, and where it moved to when ``given`` is an
        address it left (NotSubscribed, AmbiguousName)."""
        return subs.locate(self.db.conn, given)

    def unsubscribe(self, given: str) -> subs.Removed:
        """Remove a subscription by address or name; say how many articles went with it
        (those no other feed or file carries) and how many starred ones were kept. Raises
        NotSubscribed or AmbiguousName."""
        with self.db.transaction() as tx:
            return subs.remove(tx, subs.find(tx, given))

    def subscriptions(self) -> list[Subscription]:
        """Every subscription with its counts and fetch state (remembered until the database
        changes; the counts kept across read marks and new articles)."""
        hidden = self._context().hidden

        def listed() -> list[Subscription]:
            kept = self._kept_groups(
                "subscriptions",
                lambda conn: subs.feed_counts(conn, hidden),
                ("o.origin", "JOIN origins o ON o.article = l.article AND o.origin GLOB 'feed:*'"),
                hidden,
            )
            return subs.subscriptions(self.db.conn, kept)

        return list(self._remembered(("subscriptions", ""), listed))

    def shared_articles(self) -> list[subs.SharedCount]:
        """The articles two subscriptions or more carry, counted by the set of them
        (remembered until the database changes): a folder counts each article once."""
        hidden = self._context().hidden
        return list(
            self._remembered(("shared", ""), lambda: subs.shared_counts(self.db.conn, hidden))
        )

    def failing_feeds(self, urls: Iterable[str]) -> set[str]:
        """Those of these feed addresses whose last fetch failed (no counts read)."""
        return subs.failing(self.db.conn, list(urls))

    # -- saved searches ----------------------------------------------------------------------
    def save_search(self, name: str, query: str) -> bool:
        """Save a search under a name (replacing one of that name); True if the name is new."""
        with self.db.transaction() as tx:
            return saved.save(tx, name, query)

    def unsave_search(self, name: str) -> str:
        """Forget a saved search (NoSuchSearch if there is none); return its name."""
        with self.db.transaction() as tx:
            return saved.unsave(tx, name)

    def saved_query(self, name: str) -> str | None:
        """The query saved under this name (any case), or None."""
        return saved.query_of(self.db.conn, name)

    def saved_searches(self, counts: bool = True) -> list[SavedSearch]:
        """Every saved search, with how many articles it finds and how many are unread
        (``counts=False``: listed at once, ``counted`` False; ``count_saved`` counts one)."""
        found = [
            SavedSearch(row.name, row.query, counted=False)
            for row in saved.saved_searches(self.db.conn)
        ]
        if not counts:
            return found
        counted = [self.count_saved(s) for s in found]
        self.save_counts()
        return counted

    def count_saved(self, search: SavedSearch) -> SavedSearch:
        """The saved search with its counts."""
        total = unread = 0
        with contextlib.suppress(q.QueryError):  # a feed it names has gone: no match
            total, unread = self._count_text(search.query, persist=True)
        return SavedSearch(search.name, search.query, total, unread)

    def import_opml(self, data: bytes, where: str) -> subs.Imported:
        """Subscribe to the feeds of an OPML list; return how many are new, how many were
        subscribed already, and the addresses refused (with their reasons, one line each:
        another scheme, a relative address, a malformed one, a file that is not here: see
        ``subscriptions.opml_address``).

        A feed already subscribed keeps its name and folder (the list's would rename and
        move it, and its articles' source with it); only a title it has none of is filled.
        """
        found = subs.read_opml(data, where)
        new = old = 0
        refused: list[str] = []
        with self.db.transaction() as tx:
            known = {subs.same_case(url) for (url,) in tx.execute("SELECT url FROM feeds")}
            for feed in found:
                try:
                    url = subs.opml_address(feed.url)
                except BadAddress as exc:
                    refused.append(str(exc))
                    continue
                if url in known or subs.subscribed_at(tx, url) is not None:  # (or one it left)
                    subs.add(tx, url, title=feed.title)
                    old += 1
                else:
                    subs.add(tx, url, feed.name, feed.category, title=feed.title)
                    known.add(url)
                    new += 1
        return subs.Imported(new, old, refused)

    def export_opml(self) -> str:
        """The subscriptions as an OPML 2.0 document."""
        return subs.write_opml(self.subscriptions())

    def roots(self) -> list[str]:
        """The SOURCE folders and files ever given to ``index``."""
        return [r[0] for r in self.db.conn.execute("SELECT path FROM roots ORDER BY path")]

    # -- state -------------------------------------------------------------------------------
    def mark_read(self, query: str = "", read: bool = True) -> int:
        """Mark every article a query finds read (or unread); return how many changed.

        One statement over the query's ids: 100,000 articles in well under a second.
        """
        sql, params = q.compile_query(q.parse(query), self._context())
        with self.db.transaction(Change.MARKS) as tx:
            counts.log_matches(tx, sql, params, read)  # before: it finds what will change
            cur = tx.execute(
                f"UPDATE articles SET read = ?1 WHERE read != ?1 AND id IN ({sql})",
                [int(read), *params],
            )
            return max(cur.rowcount, 0)

    def set_read(self, refs: Iterable[int | str], read: bool = True) -> int:
        """Mark articles (by id or uid) read or unread; return how many changed."""
        with self.db.transaction(Change.MARKS) as tx:
            changed = art.set_flag(tx, "read", refs, read)
            counts.log_read(tx, changed, read)
            return len(changed)

    def set_starred(self, refs: Iterable[int | str], starred: bool = True) -> int:
        """Star or unstar articles (by id or uid); return how many changed."""
        with self.db.transaction(Change.MARKS) as tx:
            return len(art.set_flag(tx, "starred", refs, starred))

    def mark(self, uid: str, read: bool | None = None, starred: bool | None = None) -> None:
        """Set one article's read and starred marks (None: as it is) in one transaction;
        ArticleGone when no article has that uid (another process removed its feed)."""
        with self.db.transaction(Change.MARKS) as tx:
            if tx.execute("SELECT 1 FROM articles WHERE uid = ?", (uid,)).fetchone() is None:
                raise ArticleGone(
                    "This article is no longer in the store (its feed was removed): not marked"
                )
            if read is not None:
                counts.log_read(tx, art.set_flag(tx, "read", [uid], read), read)
            if starred is not None:
                art.set_flag(tx, "starred", [uid], starred)


def _cached(
    local: threading.local, basis: Hashable, key: Hashable, compute: Callable[[], _T]
) -> _T:
    """``compute()``, kept in ``local`` (one thread's) while ``basis`` stays the same; the
    basis is taken before computing, so a change meanwhile is seen on the next call."""
    cache: dict[Hashable, object] | None = getattr(local, "cache", None)
    if cache is None or getattr(local, "basis", None) != basis:
        cache = local.cache = {}
        local.basis = basis
    if key not in cache:
        cache[key] = compute()
    return cast(_T, cache[key])


def _named_feed(page: str, reason: str) -> str | None:
    """The feed address a web page names, from a fetch's one-line reason."""
    from reader.store.sources.feed import NAMES_A_FEED

    if not reason.startswith(NAMES_A_FEED) or "://" not in page:
        return None
    named = reason.removeprefix(NAMES_A_FEED).strip()
    try:
        return urljoin(page, named)
    except ValueError:  # "http://[::1": not an address at all
        return named
