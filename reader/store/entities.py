"""Entity extraction into the store: batched, resumable, after articles are searchable.

Canonical names fold case and accents (``entity_key``); within an article a short form
(``Musk``) joins the full name (``Elon Musk``) when exactly one full name ends with it; across
articles the same key and kind is one entity. Names already typed in other articles are passed
to the extractor as its memory.

Extraction runs with no transaction open; only writing its results takes the write lock, one
short transaction per batch, so readers and other writers (the reader marking an article
read, a refresh from cron) are never held up by the extractor's thinking.

Large runs extract in worker processes (``extract_pending(workers=N)``): the calling process
hands out batches of article ids, newest first, and each worker reads its batch's bodies,
extracts and writes the results itself in its own short transaction. The caller holds no
extractor and does no work per article, so a reader extracting in the background keeps its
interpreter (and its memory) to itself, and on the command line two workers use both cores.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from reader.model import EntityKind, Extractor
from reader.store.database import CACHE_KIB, Change, Database, Stopped, chunks, fetch_all, marks
from reader.store.query import entity_key
from reader.store.schema import SLOTS, TITLE
from reader.store.workers import StopFlag
from reader.textutil import clean_line, without_code

BULK = 20000  # pending articles above which the mentions index is rebuilt rather than updated
MENTIONS_INDEX = "CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, article)"
KINDS = frozenset(
    {EntityKind.PERSON, EntityKind.ORG, EntityKind.PLACE, EntityKind.MISC}
)  # MISC: stored for consolidation, never shown
BATCH = 500
CACHE_MAX = 200_000  # entity ids a writer remembers (about 30 MiB); then it starts again
RECOUNT_CHUNK = 5000  # entities recounted per transaction
WORKERS = 2  # extraction processes of a command-line run (this project's machines: 2 cores)
POOL_FROM = 1000  # pending articles from which worker processes pay for their start-up
WORKER_CACHE_KIB = 16384  # each worker's page cache (a bulk run's random entity lookups)


_TITLE_GAP = "\n\n"  # between the title and the body, read as one text


class Pending(NamedTuple):
    """An article waiting for its entities, as read before extraction."""

    id: int
    hash: str
    language: str
    body: str
    title: str = ""


def title_apart(title: str, body: str) -> str:
    """The article's title as the extractor reads it, when the body does not open with it
    (a feed item's), else "" (a dated text's title is its body's first sentence)."""
    title = clean_line(title)
    if not title or body.startswith(title) or body.startswith(title.rstrip("…").rstrip()):
        return ""
    return title


class Extracted(NamedTuple):
    """One article's resolved mentions: (start, end, kind, canonical name, its key)."""

    id: int
    hash: str
    mentions: list[tuple[int, int, str, str, str]]


def _resolve(
    body: str, spans: Iterable[tuple[int, int, EntityKind | str]]
) -> list[tuple[int, int, str, str, str]]:
    """(start, end, kind, canonical name, ``entity_key`` of the name) of the extractor's
    ``(start, end, kind)`` spans, with short person names joined to full ones."""
    # (kinds compared as plain strings: an EntityKind member hashes through a Python method)
    typed = [(s, e, str(k), body[s:e]) for s, e, k in spans if k in _KIND_NAMES]
    full_by_last: dict[str, set[str]] = {}
    for _, _, kind, name in typed:
        if kind == _PERSON:
            parts = name.split()
            if len(parts) > 1:
                full_by_last.setdefault(parts[-1], set()).add(name)
    out = []
    keys = _KEYS
    for s, e, kind, name in typed:
        if kind == _PERSON and " " not in name and len(full_by_last.get(name, ())) == 1:
            name = next(iter(full_by_last[name]))
        key = keys.get(name)
        if key is None:
            if len(keys) >= KEYS_KEPT:
                keys.clear()
            key = keys[name] = entity_key(name)
        out.append((s, e, kind, name, key))
    return out


_KIND_NAMES = frozenset(str(k) for k in KINDS)
_PERSON = str(EntityKind.PERSON)
# Names' keys, kept across articles: the same names come back article after article (a
# tenth of the time of extracting 10,000 generated articles went to folding them again).
KEYS_KEPT = 50_000
_KEYS: dict[str, str] = {}


def memory(conn: sqlite3.Connection, limit: int = 20000) -> dict[str, str]:
    """Names typed in earlier articles (the most frequent ones), for the extractor."""
    rows = conn.execute(
        "SELECT name, kind FROM entities WHERE articles >= 2 ORDER BY articles DESC LIMIT ?",
        (limit,),
    )
    return {name: kind for name, kind in rows}


def read_pending(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Pending]:
    """Bodies and languages of the articles among ``ids`` still waiting for entities."""
    return fetch_all(
        conn,
        Pending,
        "SELECT a.id, a.hash, a.language, b.body, a.title FROM articles a "
        "JOIN bodies b ON b.doc = a.doc "
        f"WHERE a.entities_done = 0 AND a.id IN ({marks(len(ids))})",
        ids,
    )


def extract_batch(
    extractor: Extractor,
    articles: Iterable[Pending],
    known: dict[str, str],
    stop: Callable[[], None] | None = None,
    titles_only: bool = False,
) -> list[Extracted]:
    """Run the extractor over articles (no database access); ``stop`` may raise to give up.
    ``titles_only``: their titles alone (``read_titles``: bodies read before)."""
    out = []
    # The built-in extractor gives plain (start, end, kind) tuples too, without a Mention
    # object each (``RulesExtractor.spans``); any other extractor's mentions are read.
    spans: Callable[[str, str, dict[str, str]], list[tuple[int, int, str]]] | None = getattr(
        extractor, "spans", None
    )
    for a in articles:
        if stop is not None:
            stop()
        # code blocks are not read (same offsets); the language is the one stored with it.
        # A title apart from the body is read with it, first, as the article's headline: its
        # names are the body's ("Musk" in the title is the body's "Elon Musk").
        title = title_apart(a.title, a.body)
        shift = len(title) + len(_TITLE_GAP) if title else 0
        text = title + _TITLE_GAP + a.body if title else a.body
        if titles_only:
            text = title + _TITLE_GAP
        found: list[tuple[int, int, EntityKind | str]]
        try:
            if spans is not None:
                found = spans(without_code(text), a.language, known)
            else:
                found = [
                    (m.start, m.end, m.kind)
                    for m in extractor.extract(without_code(text), a.language, known)
                ]
        except Exception:  # an extractor's bug on one text
            # An article the extractor fails on gets no entities, and the run goes on: one
            # strange text must not stop the indexing of thousands (nor loop on that text).
            found = []
        resolved = _resolve(text, found)
        if shift:
            resolved = [
                (s - shift, e - shift, kind, name, key)
                if s >= shift
                else (TITLE + s, TITLE + e, kind, name, key)
                for s, e, kind, name, key in resolved
                if s >= shift or e <= len(title)  # (none across the two)
            ]
        out.append(Extracted(a.id, a.hash, resolved))
    return out


class EntityWriter:
    """Writes extracted mentions; keeps entity ids across the batches of one run."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[tuple[str, str], int] = {}
        self._version: int | None = None
        self.written = 0  # articles whose entities this writer stored
        self._pending_written = 0

    def write(self, results: Sequence[Extracted], recount_now: bool = False) -> set[int]:
        """Store the mentions of articles still pending with the same text, in one transaction.

        An article changed or done by another process meanwhile is left alone. Returns the
        entity ids touched. With ``recount_now`` their counts are brought up to date in the
        same transaction; else the database is marked as having counts to bring up to date
        (``entities_dirty``, cleared by ``recount_all``), so that a run stopped before its
        last count is counted in full by the next one.
        """
        with self.db.transaction(Change.ENTITIES) as conn:
            self._check_cache()
            touched = self._write(conn, results)
            if recount_now:
                recount(conn, touched)
            else:
                conn.execute("UPDATE generation SET entities_dirty = 1 WHERE entities_dirty = 0")
        self.written += self._pending_written  # counted once the transaction is committed
        return touched

    def _check_cache(self) -> None:
        """Forget the entity ids remembered if another process wrote (they may have gone) or
        there are too many (a worker's million articles held 374 MiB): looked up again as
        needed."""
        elsewhere, self._version = self.db.changes_elsewhere(self._version)
        if elsewhere or len(self._cache) > CACHE_MAX:
            self._cache.clear()

    @staticmethod
    def _unchanged(conn: sqlite3.Connection, wanted: dict[int, Extracted], done: int) -> list[int]:
        """The ids of ``wanted`` whose article still has the text read (its hash) and the
        ``entities_done`` given."""
        return [
            rowid
            for chunk in chunks(list(wanted))
            for rowid, digest in conn.execute(
                f"SELECT id, hash FROM articles WHERE entities_done = ? "
                f"AND id IN ({marks(len(chunk))})",
                (done, *chunk),
            )
            if digest == wanted[rowid].hash
        ]

    def _rows(
        self, conn: sqlite3.Connection, current: list[int], wanted: dict[int, Extracted]
    ) -> list[tuple[int, int, int, int]]:
        """The mentions rows ``(article, start, end, entity)`` of those articles, entities
        looked up (and made) as needed."""
        cache = self._cache
        names: dict[tuple[str, str], str] = {}
        for rowid in current:
            for _, _, kind, name, key in wanted[rowid].mentions:
                if (key, kind) not in cache and (key, kind) not in names:
                    names[key, kind] = name
        if names:
            self._lookup(conn, names)
        return [
            (rowid, s, e, cache[key, kind])
            for rowid in current
            for s, e, kind, _, key in wanted[rowid].mentions
        ]

    def _write(self, conn: sqlite3.Connection, results: Sequence[Extracted]) -> set[int]:
        wanted = {r.id: r for r in results}
        current = self._unchanged(conn, wanted, 0)
        self._pending_written = len(current)
        rows = self._rows(conn, current, wanted)
        done = [(rowid,) for rowid in current]
        conn.executemany("DELETE FROM mentions WHERE article = ?", done)
        conn.executemany(
            'INSERT OR IGNORE INTO mentions (article, start, "end", entity) VALUES (?, ?, ?, ?)',
            rows,
        )
        conn.executemany("UPDATE articles SET entities_done = 1 WHERE id = ?", done)
        return {row[3] for row in rows}

    def add(self, conn: sqlite3.Connection, results: Sequence[Extracted]) -> None:
        """Add mentions to articles done before, unchanged since (``read_titles``), inside
        the caller's transaction; their other mentions stay."""
        self._check_cache()
        if not results:
            return
        wanted = {r.id: r for r in results}
        current = self._unchanged(conn, wanted, 1)
        # An article extracted since titles are read, with its title (its id may be below
        # the pass's bound: ids follow dates), keeps what that reading found.
        read = {
            rowid
            for chunk in chunks(current)
            for (rowid,) in conn.execute(
                f"SELECT DISTINCT article FROM mentions WHERE start < 0 AND article IN "
                f"({marks(len(chunk))})",
                chunk,
            )
        }
        current = [rowid for rowid in current if rowid not in read]
        conn.executemany(
            'INSERT OR IGNORE INTO mentions (article, start, "end", entity) VALUES (?, ?, ?, ?)',
            self._rows(conn, current, wanted),
        )

    def _lookup(self, conn: sqlite3.Connection, names: dict[tuple[str, str], str]) -> None:
        """Put the ids of these (key, kind) entities in the cache, inserting the new ones
        (``names``: the display name a new entity gets)."""
        cache = self._cache
        for chunk in chunks(sorted({key for key, _ in names})):
            for entity, key, kind in conn.execute(
                f"SELECT id, key, kind FROM entities WHERE key IN ({marks(len(chunk))})", chunk
            ):
                if (key, kind) in names:
                    cache[key, kind] = entity
        new = [(key, kind, name) for (key, kind), name in names.items() if (key, kind) not in cache]
        if not new:
            return
        # The ids SQLite gives rows inserted one by one (one more than the largest), given in
        # one statement: 60,000 single inserts were a tenth of the writing at 10,000 articles.
        top = conn.execute("SELECT coalesce(max(id), 0) FROM entities").fetchone()[0]
        if top + len(new) >= _MAX_ID:  # (where SQLite would pick ids at random): one by one
            for key, kind, name in new:
                entity = conn.execute(
                    "INSERT INTO entities (key, name, kind) VALUES (?, ?, ?)", (key, name, kind)
                ).lastrowid
                assert entity is not None
                cache[key, kind] = entity
            return
        conn.executemany(
            "INSERT INTO entities (id, key, name, kind) VALUES (?, ?, ?, ?)",
            [(top + i, key, name, kind) for i, (key, kind, name) in enumerate(new, 1)],
        )
        for i, (key, kind, _) in enumerate(new, 1):
            cache[key, kind] = top + i


_MAX_ID = (1 << 63) - 1  # the largest rowid


def extract_now(db: Database, extractor: Extractor, rowid: int) -> None:
    """Compute one article's entities at once (it was opened before extraction reached it)."""
    pending = read_pending(db.conn, [rowid])
    if not pending:
        return
    results = extract_batch(extractor, pending, memory(db.conn, 5000))
    EntityWriter(db).write(results, recount_now=True)


def build_mentions_index(conn: sqlite3.Connection) -> None:
    """Create the (entity, article) index if missing. Its sort spills to a temporary file,
    not to memory: on 6 million mentions 4.1 s and 34 MiB peak, against 9.6 s and 428 MiB
    with the connection's in-memory temp store and bulk cache."""
    conn.execute("PRAGMA temp_store=FILE")
    try:
        conn.execute(MENTIONS_INDEX)
    finally:
        conn.execute("PRAGMA temp_store=MEMORY")


def has_mentions_index(conn: sqlite3.Connection) -> bool:
    """Whether the (entity, article) index exists (a bulk run drops it while it works)."""
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'mentions_entity'"
        ).fetchone()
        is not None
    )


_RECOUNT = (
    "UPDATE entities SET "
    "articles = (SELECT count(DISTINCT article) FROM mentions WHERE entity = entities.id), "
    f"first_date = (SELECT min(article) FROM mentions WHERE entity = entities.id) / {SLOTS}, "
    f"last_date = (SELECT max(article) FROM mentions WHERE entity = entities.id) / {SLOTS} "
)


def recount(conn: sqlite3.Connection, entity_ids: Iterable[int]) -> None:
    """Refresh the article counts and first/last dates of some entities (inside the caller's
    transaction), and forget those no article mentions any more. Each count walks the
    entity's range of the (entity, article) index."""
    for chunk in chunks(list(entity_ids), 500):
        conn.execute(_RECOUNT + f"WHERE id IN ({marks(len(chunk))})", chunk)
        conn.execute(
            f"DELETE FROM entities WHERE articles = 0 AND id IN ({marks(len(chunk))})", chunk
        )


def recount_all(db: Database) -> None:
    """Refresh every entity's counts, in short transactions, and forget unmentioned ones."""
    top = db.conn.execute("SELECT coalesce(max(id), 0) FROM entities").fetchone()[0]
    for lo in range(0, top + 1, RECOUNT_CHUNK):
        db.check_open()
        with db.transaction(Change.ENTITIES) as conn:
            conn.execute(_RECOUNT + "WHERE id >= ? AND id < ?", (lo, lo + RECOUNT_CHUNK))
    with db.transaction(Change.ENTITIES) as conn:
        conn.execute("DELETE FROM entities WHERE articles = 0")
        conn.execute("UPDATE generation SET entities_dirty = 0")


def extract_pending(
    db: Database,
    extractor: Extractor,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
    workers: int = 0,
    bulk: bool = True,
) -> int:
    """Extract the entities of every article not done yet, newest first; return how many.

    Each batch's results are one short transaction, so an interrupted run keeps its finished
    batches. Counts are refreshed once at the end: per batch, frequent entities would be
    recounted over all their mentions every time (quadratic on a large store). With
    ``workers``, a run of at least ``POOL_FROM`` articles extracts in that many worker
    processes (see the module's docstring); if none can start, or one dies, the rest is
    extracted here. ``bulk=False`` keeps the (entity, article) index however many articles
    are pending (the reader: ``entity:`` searches must stay fast while it extracts).
    """
    conn = db.conn
    if not has_mentions_index(conn):  # a bulk run was stopped before it rebuilt the index
        with db.transaction(Change.ENTITIES) as tx:
            build_mentions_index(tx)
    total = conn.execute("SELECT count(*) FROM articles WHERE entities_done = 0").fetchone()[0]
    if conn.execute(
        "SELECT (SELECT entities_dirty FROM generation) "
        "OR EXISTS (SELECT 1 FROM entities WHERE articles = 0)"
    ).fetchone()[0]:
        recount_all(db)  # an earlier run stopped before its count
    if not total:
        titles = conn.execute("SELECT titles_below FROM generation").fetchone()[0]
        if titles is not None and read_titles(db, extractor, memory(conn)):
            recount_all(db)
            with db.transaction(Change.ENTITIES) as tx:
                consolidate(tx)
        return 0
    known = memory(conn)
    bulk = bulk and total > BULK
    if bulk:
        # Random inserts into the (entity, article) index dominate large runs once it outgrows
        # the cache: drop it and build it once at the end (the next run builds it if this one
        # is stopped in between; entity queries scan meanwhile).
        with db.transaction(Change.ENTITIES) as tx:
            tx.execute("DROP INDEX IF EXISTS mentions_entity")
    backend = _backend_name(extractor)
    done = 0
    in_workers = workers > 0 and total >= POOL_FROM and backend is not None
    try:
        if in_workers and backend is not None:
            done = _extract_in_workers(db, backend, known, workers, total, progress, batch)
        if conn.execute("SELECT 1 FROM articles WHERE entities_done = 0 LIMIT 1").fetchone():
            done += _extract_here(db, extractor, known, total, done, progress, batch, bulk)
    finally:
        if bulk and not db.stopping:
            with db.transaction(Change.ENTITIES) as tx:
                build_mentions_index(tx)
    if read_titles(db, extractor, known):
        in_workers = True  # (counted at the end, as a large run)
    if in_workers or bulk:
        recount_all(db)
    # Else (a refresh's few articles) each batch counted its own entities as it was written:
    # every entity took 0.72 s at 100,000 articles (224,538 entities) after every refresh.
    with db.transaction(Change.ENTITIES) as tx:
        consolidate(tx)
    return done


def read_titles(db: Database, extractor: Extractor, known: dict[str, str]) -> int:
    """Read for entities the titles of the articles extracted before titles were (schema 16:
    those below ``generation.titles_below``), newest first, a batch a transaction; return how
    many had a title apart from their body. Their counts are left to the caller
    (``entities_dirty``)."""
    conn = db.conn
    found = 0
    writer = EntityWriter(db)
    while (below := conn.execute("SELECT titles_below FROM generation").fetchone()[0]) is not None:
        db.check_open()
        rows = conn.execute(
            "SELECT a.id, a.hash, a.language, substr(b.body, 1, length(a.title) + 1), a.title "
            "FROM articles a JOIN bodies b ON b.doc = a.doc "
            "WHERE a.id < ? AND a.entities_done = 1 ORDER BY a.id DESC LIMIT ?",
            (below, BATCH),
        ).fetchall()
        pending = [Pending(*row) for row in rows]
        apart = [p for p in pending if title_apart(p.title, p.body)]
        results = extract_batch(extractor, apart, known, db.check_open, titles_only=True)
        with db.transaction(Change.ENTITIES) as tx:
            if tx.execute("SELECT titles_below FROM generation").fetchone()[0] != below:
                continue  # another process did this batch meanwhile
            tx.execute(
                "UPDATE generation SET titles_below = ?",
                (rows[-1][0] if len(rows) == BATCH else None,),
            )
            if results:
                writer.add(tx, results)
                tx.execute("UPDATE generation SET entities_dirty = 1")
        found += len(apart)
    return found


def _extract_here(
    db: Database,
    extractor: Extractor,
    known: dict[str, str],
    total: int,
    done: int,
    progress: Callable[[int, int], None] | None,
    batch: int,
    bulk: bool,
) -> int:
    """Extract the pending articles in this thread, batch by batch; return how many this
    thread stored (articles another process stored meanwhile are not counted). Unless
    ``bulk``, each batch counts its entities as it is written (a run stopped between batches
    leaves no count behind; the (entity, article) index is there)."""
    conn = db.conn
    writer = EntityWriter(db)
    if bulk:
        conn.execute(f"PRAGMA cache_size=-{WORKER_CACHE_KIB}")
    count = 0
    try:
        while ids := [
            r[0]
            for r in conn.execute(
                "SELECT id FROM articles WHERE entities_done = 0 ORDER BY id DESC LIMIT ?",
                (batch,),
            )
        ]:
            results = extract_batch(extractor, read_pending(conn, ids), known, db.check_open)
            writer.write(results, recount_now=not bulk)
            count += len(ids)
            if progress:
                progress(min(done + count, total), total)
    finally:
        if bulk and not db.stopping:
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    return writer.written  # stored here: another process may have done some meanwhile


def _backend_name(extractor: Extractor) -> str | None:
    """The name a worker process makes the same extractor by, or None (an extractor that
    ``reader.entities.get_extractor`` does not make, such as a test's)."""
    from reader.entities import BACKENDS

    if extractor.name in BACKENDS and type(extractor).__module__ == "reader.entities":
        return extractor.name
    return None


# -- worker processes -----------------------------------------------------------------------------
_worker: dict[str, Any] = {}


def _start_worker(path: str, backend: str, known: dict[str, str], stop: StopFlag) -> None:
    """A worker's setup: its own connection, extractor (word lists loaded now, while the
    other workers start too) and entity cache."""
    from reader.entities import get_extractor

    db = Database(path, create=False)
    db.stop_with(stop.is_set)  # a batch waiting for another process's write lock gives up too
    db.conn.execute(f"PRAGMA cache_size=-{WORKER_CACHE_KIB}")
    extractor = get_extractor(backend)
    extractor.extract("Lei Jun a rencontré Elon Musk à Pékin.", "fr", {})
    _worker.update(db=db, extractor=extractor, known=known, stop=stop, writer=EntityWriter(db))


def _extract_job(ids: list[int]) -> int:
    """In a worker: read, extract and write one batch (one short transaction); return how
    many articles' entities it stored. Raises Stopped, writing nothing, once the caller
    stops."""
    db: Database = _worker["db"]
    stop: StopFlag = _worker["stop"]

    def check() -> None:
        if stop.is_set():
            raise Stopped

    pending = read_pending(db.conn, ids)
    results = extract_batch(_worker["extractor"], pending, _worker["known"], check)
    check()
    writer: EntityWriter = _worker["writer"]
    before = writer.written
    writer.write(results)
    return writer.written - before


def _extract_in_workers(
    db: Database,
    backend: str,
    known: dict[str, str],
    workers: int,
    total: int,
    progress: Callable[[int, int], None] | None,
    batch: int,
) -> int:
    """Hand batches of pending ids, newest first, to worker processes that extract and write
    them, two batches per worker in flight; return how many articles they covered.

    Stops (``Stopped``) when the store is closing; returns early, leaving the rest to the
    caller, when no worker can start or one dies (its batch's transaction is rolled back by
    SQLite; every committed batch stays).
    """
    from reader.store.workers import StopFlag, process_pool, shut_down

    conn = db.conn
    try:
        stop = StopFlag()  # no lock: a worker killed while it reads the flag blocks nobody
        pool = process_pool(
            workers,
            allow_fork=False,  # spawned: a small, clean process (no copy of our page cache)
            setup=_start_worker,
            setup_args=(str(db.path), backend, known, stop),
        )
    except (OSError, ValueError, BrokenProcessPool):
        return 0
    out = _Batches()
    try:
        _feed_workers(db, pool, out, workers, total, progress, batch)
        return out.done
    except BrokenProcessPool:
        pass  # a worker died: the caller extracts what is left
    finally:
        stop.set()  # running batches give up at their next article, uncommitted
        shut_down(pool, wait=True, cancel_futures=True)
    # The workers are gone: each batch still out either committed before the pool broke or
    # not at all. Count the ones that did, so the total stays what this run stored (an
    # article of such a batch that another process did meanwhile is counted too).
    for future, ids in out.in_flight:
        if future.done() and not future.cancelled() and future.exception() is None:
            out.done += future.result()
            continue
        out.done += conn.execute(
            f"SELECT count(*) FROM articles WHERE entities_done = 1 AND id IN ({marks(len(ids))})",
            ids,
        ).fetchone()[0]
    return out.done


@dataclass
class _Batches:
    """The batches handed to worker processes and not reported yet, and the articles the
    reported ones stored."""

    in_flight: deque[tuple[Future[int], list[int]]] = field(default_factory=deque)
    done: int = 0


def _feed_workers(
    db: Database,
    pool: Any,
    out: _Batches,
    workers: int,
    total: int,
    progress: Callable[[int, int], None] | None,
    batch: int,
) -> None:
    """Keep two batches per worker in flight, newest ids first, until none is pending;
    raises BrokenProcessPool when a worker dies."""
    conn = db.conn
    below = (1 << 63) - 1  # ids handed out so far are all above this
    passes = 0
    in_flight = out.in_flight
    handed = 0
    while True:
        db.check_open()
        while len(in_flight) < 2 * workers:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM articles WHERE entities_done = 0 AND id < ? "
                    "ORDER BY id DESC LIMIT ?",
                    (below, tail_batch(batch, total - handed, workers)),
                )
            ]
            if not ids:
                break
            below = ids[-1]
            handed += len(ids)
            in_flight.append((pool.submit(_extract_job, ids), ids))
        if not in_flight:
            # An article changed while its batch was out is pending again: one more pass
            # from the top picks such articles up (a few, and at most twice).
            passes += 1
            if (
                passes > 2
                or not conn.execute(
                    "SELECT 1 FROM articles WHERE entities_done = 0 LIMIT 1"
                ).fetchone()
            ):
                return
            below = (1 << 63) - 1
            continue
        first = in_flight[0][0]
        wait([first], timeout=0.1, return_when=FIRST_COMPLETED)
        if not first.done():
            continue
        out.done += first.result()  # BrokenProcessPool when its worker died
        in_flight.popleft()
        if progress:
            progress(min(out.done, total), total)


def tail_batch(batch: int, left: int, workers: int) -> int:
    """The size of the next batch handed to workers when ``left`` articles are not handed out
    yet: ``batch`` until the last ``2 * workers`` batches, then a share of what is left, down
    to a tenth of ``batch``. A worker whose last batch ends first no longer waits idle for
    most of a whole batch of the other's (0.35 s of 10,000 articles' extraction)."""
    return max(batch // 10, 1, min(batch, left // (2 * workers)))


def consolidate(conn: sqlite3.Connection) -> int:
    """One kind per name across the store; return how many entities were merged.

    A name left untyped (MISC) in one article joins the kind it has elsewhere, and a kind
    seen in at most half as many articles as the dominant one joins it ("Xiaomi" typed as a
    person once, as an organisation in ten articles).
    """
    rows = conn.execute(
        "SELECT key, kind, id, articles FROM entities WHERE key IN "
        "(SELECT key FROM entities GROUP BY key HAVING count(*) > 1) ORDER BY key"
    ).fetchall()
    by_key: dict[str, list[tuple[str, int, int]]] = {}
    for key, kind, eid, n in rows:
        by_key.setdefault(key, []).append((kind, eid, n))
    merged = 0
    targets: set[int] = set()
    for variants in by_key.values():
        typed = [v for v in variants if v[0] != EntityKind.MISC]
        if not typed:
            continue
        target = max(typed, key=lambda v: v[2])
        for kind, eid, n in variants:
            if eid == target[1] or (kind != EntityKind.MISC and target[2] < 2 * n):
                continue
            conn.execute(
                "UPDATE OR IGNORE mentions SET entity = ? WHERE entity = ?", (target[1], eid)
            )
            conn.execute("DELETE FROM mentions WHERE entity = ?", (eid,))
            conn.execute("DELETE FROM entities WHERE id = ?", (eid,))
            targets.add(target[1])
            merged += 1
    recount(conn, targets)
    return merged
