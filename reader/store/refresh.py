"""Refreshing subscriptions: fetch concurrently, parse in worker processes, write in groups.

An unchanged feed costs one conditional request (304) or, for servers without validators and
for local files, one hash comparison; it is never parsed again. Results are written in groups
(every ``GROUP_ITEMS`` items or ``GROUP_SECONDS``), each group one short transaction that holds
its feeds' articles and validators together: no write lock is held while waiting for the
network, and an interrupted refresh keeps every group already written and refetches the rest.

A feed not subscribed yet (``FeedRow.id`` is None: ``add`` fetches before it subscribes) is
written only if its fetch succeeds; a failure leaves nothing behind. A feed unsubscribed
while it was fetched (by another process) is written not at all: each group's transaction
checks that its subscriptions are still there.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from reader.store import counts
from reader.store.changes import Changes, WriteGroup
from reader.store.database import Change, Database, columns
from reader.store.fetch import Fetched, FetchJob, FetchSettings, fetch_all, local_path
from reader.store.fulltext import FullTextReport, FullTexts, jobs_for_feeds
from reader.store.items import IdAllocator, ItemCounts, ItemWriter
from reader.store.sources import SourceError, gunzipped, sniff
from reader.store.sources.feed import NAMES_A_FEED, ParsedFeed, parse_feed
from reader.store.subscriptions import lookup, normalise_url, record_move, rename_source
from reader.store.workers import shut_down
from reader.textutil import clean_line, plural

POOL_FROM = 8  # feeds to parse before worker processes pay for their start-up
GROUP_ITEMS = 2000  # write after this many items...
GROUP_SECONDS = 0.5  # ...or this long: few FTS5 segments, articles visible as feeds land


class FeedRow(NamedTuple):
    """A subscription as refresh needs it (``id`` None: not subscribed yet)."""

    id: int | None
    url: str
    name: str | None
    category: str | None
    etag: str | None
    last_modified: str | None
    hash: str | None
    full_text: int = 0  # fetch each new item's page for its full text
    retry_after: int | None = None  # its server asked not to be asked before then (epoch)
    added: int | None = None  # when it was subscribed (epoch), with ``id`` what it is


FEED_COLUMNS = columns(FeedRow)


@dataclass
class RefreshReport:
    """What one refresh did."""

    feeds: int = 0
    not_modified: int = 0
    unchanged: int = 0
    items: ItemCounts = field(default_factory=ItemCounts)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # names no subscription has
    waiting: list[tuple[str, int]] = field(default_factory=list)  # not fetched: (url, until)
    insisted: list[tuple[str, int]] = field(default_factory=list)  # fetched all the same
    warnings: list[tuple[str, str]] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (also warnings) for the reader
    # feeds named by an address they left (a permanent redirect): (that address, the new one)
    followed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # unsubscribed meanwhile: nothing stored
    subscribed: list[int] = field(default_factory=list)  # ids of feeds subscribed by this run
    # a first fetch (``add``) redirected to a feed subscribed already: (its id, its address)
    already: tuple[int, str] | None = None
    full_texts: FullTextReport = field(default_factory=FullTextReport)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: feeds, articles added and updated, full texts, failures, time."""
        ok = self.feeds - len(self.failed) - len(self.waiting) - len(self.removed)
        same = self.not_modified + self.unchanged
        feeds = plural(self.feeds, "feed")
        texts = self.full_texts
        pages = (
            f"; {plural(texts.fetched + texts.unchanged, 'full text')} fetched, "
            f"{len(texts.failed):,} not"
            if texts.attempted
            else ""
        )
        waiting = (
            f", {len(self.waiting):,} not asked (their servers asked to wait)"
            if self.waiting
            else ""
        )
        removed = f", {len(self.removed):,} unsubscribed meanwhile" if self.removed else ""
        return (
            f"{feeds}: {ok:,} ok ({same:,} unchanged), {len(self.failed):,} failed{waiting}"
            f"{removed}; "
            f"{plural(self.items.added, 'article')} added, {self.items.updated:,} updated{pages} "
            f"in {self.seconds:.1f} s"
        )


def _reason(error: str) -> str:
    """A failure's reason as stored and shown: one line without control characters (a
    server's reason phrase, a page's feed link). A feed link that holds control characters
    is said to be no valid address, and is no longer taken for one (cleaned, it would be
    another address than the page's)."""
    if error.startswith(NAMES_A_FEED):
        named = error.removeprefix(NAMES_A_FEED).strip()
        if clean_line(named) != named:
            shown = clean_line(named)[:200]
            return (
                "not a feed but a web page; the feed address it names is not a valid address "
                f"(it holds control characters or line breaks): {shown}"
            )
    return clean_line(error)


def _parse_job(body: bytes, url: str, content_type: str | None, max_bytes: int) -> ParsedFeed | str:
    """Parse in a worker; a failure comes back as its one-line reason. A body that is itself
    gzip data (a ``.xml.gz`` file, a server that compressed it without a ``Content-Encoding``)
    is inflated first, up to the fetcher's cap."""
    try:
        data = gunzipped(body, max_bytes)
        if data.strip() and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            sniff(data)  # an image or random bytes: "binary data", as `index` says (not a
            # web page, which may name its feed whatever stray bytes it holds)
        return parse_feed(data, url, content_type)
    except SourceError as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not stop the refresh; say what it was
        return f"{type(exc).__name__}: {exc}"


def _run_to_end(coroutine: Coroutine[Any, Any, None], db: Database) -> None:
    """``asyncio.run``, also from code that is itself inside an event loop (a script driving
    the reader, a notebook): the refresh then runs its own loop in a thread, waited for (and
    the thread's database connection closed after it)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # handed back to the caller below
            failure.append(exc)
        finally:
            db.release()

    thread = threading.Thread(target=run, name="newsreader-refresh")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class _Outcome(NamedTuple):
    """One feed's fetch and parse, waiting to be written."""

    fetched: Fetched
    parsed: ParsedFeed | str | None
    digest: str | None


def _items_of(outcome: _Outcome) -> int:
    """What an outcome weighs in a write group: the items of its feed."""
    return len(outcome.parsed.items) if isinstance(outcome.parsed, ParsedFeed) else 0


class Refresher:
    """One refresh of some subscriptions."""

    def __init__(
        self, db: Database, settings: FetchSettings | None = None, started: float | None = None
    ) -> None:
        self.db = db
        self.settings = settings or FetchSettings()
        # when this refresh was asked for (epoch): a permanent redirect recorded since then
        # was seen by a refresh running beside this one, not by one before it (``_moved``)
        self.started = time.time() if started is None else started
        self.report = RefreshReport()
        self._pending: set[str] | None = None
        self._changes = Changes()
        self._groups: WriteGroup[_Outcome] = WriteGroup(
            self._write_group, GROUP_ITEMS, GROUP_SECONDS, size=_items_of
        )

    def run(
        self,
        feeds: Sequence[FeedRow],
        progress: Callable[[int, int], None] | None = None,
        insist: bool = False,
        pending: set[str] | None = None,
    ) -> RefreshReport:
        """Fetch these feeds and store what changed.

        A feed whose server answered 429 or 503 with Retry-After is not asked again before
        then; with ``insist`` (the user named it) it is, and listed in ``insisted``.
        ``pending`` gets the addresses to fetch, each taken out when its answer is in (before
        ``progress`` says so)."""
        started = time.perf_counter()
        self.report.feeds += len(feeds)
        now = int(time.time())
        for row in feeds:
            if row.retry_after is not None and row.retry_after > now:
                wait = self.report.insisted if insist else self.report.waiting
                wait.append((clean_line(row.url), row.retry_after))
        if not insist:
            feeds = [r for r in feeds if r.retry_after is None or r.retry_after <= now]
        self._rows = list(feeds)
        jobs = [FetchJob(i, r.url, r.etag, r.last_modified) for i, r in enumerate(feeds)]
        self._done, self._total, self._progress = 0, len(jobs), progress
        self._pending = pending
        if pending is not None:
            pending.update(r.url for r in feeds)
        if progress:
            progress(0, len(jobs))
        pool = self._pool(len(jobs))
        try:
            _run_to_end(self._run(jobs, pool), self.db)
        except BaseException:
            if pool is not None:  # interrupted: leave at once, the workers exit with us
                shut_down(pool, wait=False, cancel_futures=True)
            raise
        if pool is not None:
            # Every job is done: wait for the pool's own thread to end. Left running, it raced
            # Python 3.11's exit handler for the pool's wake-up pipe, which then printed
            # "Exception ignored ... Bad file descriptor" at exit (1 CI run in ~20).
            shut_down(pool, wait=True)
        self._full_texts(progress)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _full_texts(self, progress: Callable[[int, int], None] | None) -> None:
        """Fetch the full texts queued for these feeds' articles (new items of feeds with the
        switch on, and changed items whose full text was fetched before)."""
        ids = [r.id for r in self._rows if r.id is not None] + self.report.subscribed
        jobs = jobs_for_feeds(self.db.conn, ids)
        if not jobs:
            return
        texts = FullTexts(self.db, self.settings)
        texts.report = self.report.full_texts
        texts.run(jobs, progress)
        for page, reason in texts.report.failed:
            self.report.warnings.append(
                (
                    clean_line(page),
                    f"full text not fetched ({clean_line(reason)}); the feed's text stays",
                )
            )

    def _pool(self, feeds: int) -> Executor | None:
        if feeds < POOL_FROM:
            return None
        from reader.store.workers import process_pool  # the parsers are imported: forks share them

        try:
            return process_pool(2)  # started now, before any fetching thread exists
        except (OSError, ValueError, BrokenProcessPool):
            return None  # parse in a thread instead

    async def _run(self, jobs: list[FetchJob], pool: Executor | None) -> None:
        loop = asyncio.get_running_loop()
        self._groups.write_when_old(loop.call_later)
        workers = [pool]

        async def on_result(fetched: Fetched) -> None:
            self.db.check_open()  # the reader is quitting: stop fetching, keep what is stored
            parsed: ParsedFeed | str | None = None
            row = self._rows[fetched.job.key]
            digest = _digest(fetched.body) if fetched.body is not None else None
            if fetched.body is not None and digest != row.hash:
                url = fetched.final_url or fetched.job.url
                body, kind, cap = fetched.body, fetched.content_type, self.settings.max_bytes
                try:
                    parsed = await loop.run_in_executor(
                        workers[0], _parse_job, body, url, kind, cap
                    )
                except BrokenProcessPool:  # a worker died (killed, out of memory): go on here
                    workers[0] = None
                    parsed = await loop.run_in_executor(None, _parse_job, body, url, kind, cap)
            self._groups.add(_Outcome(fetched, parsed, digest))
            if self._pending is not None:
                self._pending.discard(row.url)
            self._done += 1
            if self._progress:
                self._progress(self._done, self._total)

        try:
            await fetch_all(jobs, on_result, self.settings, self.db.check_open)
        finally:
            self._groups.flush()

    def _write_group(self, group: list[_Outcome]) -> None:
        """Write queued outcomes in one transaction (one FTS5 segment for all of them)."""
        # The connection of the thread that writes; what it did is said by counts.log_added.
        with self.db.transaction(Change.NONE) as conn:
            self._changes.clear()
            items = ItemWriter(conn, self._changes, IdAllocator(conn))
            for outcome in group:
                self._write(conn, items, outcome)
            added = self._changes.added()
            self._changes.flush(conn)
            counts.log_added(self.db, added)

    def _write(self, conn: sqlite3.Connection, items: ItemWriter, outcome: _Outcome) -> None:
        fetched, parsed, digest = outcome
        report = self.report
        row = self._rows[fetched.job.key]
        url = row.url
        if row.id is not None and not _still_subscribed(conn, row):
            report.removed.append(clean_line(url))  # (`remove` in another process, meanwhile)
            return
        now = int(time.time())
        error = fetched.error or (parsed if isinstance(parsed, str) else None)
        if error is not None:
            error = _reason(error)
            report.failed.append((clean_line(url), error))
            if row.id is not None:
                retry = now + fetched.retry_after if fetched.retry_after is not None else None
                conn.execute(
                    "UPDATE feeds SET checked=?, http_status=?, error=?, retry_after=? WHERE id=?",
                    (now, fetched.status, error, retry, row.id),
                )
            return
        if row.id is None and fetched.final_url and fetched.final_url != url:
            known = lookup(conn, normalise_url(fetched.final_url))
            if known is not None:  # `add` of an address that redirects to a feed of yours
                found = conn.execute("SELECT url FROM feeds WHERE id=?", (known,)).fetchone()
                report.already = (known, found[0])
                return
        feed_id = row.id if row.id is not None else self._subscribe(conn, row, now)
        if fetched.not_modified:
            report.not_modified += 1
        elif parsed is None:
            report.unchanged += 1  # same bytes as last time
        else:
            assert isinstance(parsed, ParsedFeed)
            if parsed.warning:
                report.warnings.append((clean_line(url), clean_line(parsed.warning)))
            source = row.name or parsed.title or url
            named, titled, stored = conn.execute(
                "SELECT name, title, url FROM feeds WHERE id=?", (feed_id,)
            ).fetchone() or (None, None, url)
            if named is None and (titled or stored) != (parsed.title or stored):
                # Stored under its title (its address when it has none): a new title, or none
                # any more, is a new name for what it brought (one subscription showed its
                # articles under two sources, and `refresh OLD` said "not subscribed").
                rename_source(conn, feed_id, titled or stored, parsed.title or stored)
            report.items += items.write(
                f"feed:{feed_id}", source, parsed.items, local_path(url), bool(row.full_text)
            )
            if conn.execute(
                "UPDATE feeds SET title=? WHERE id=? AND title IS NOT ?",
                (parsed.title, feed_id, parsed.title),
            ).rowcount:
                self._changes.touch()  # feed: finds a feed by its title
            conn.execute(
                "UPDATE feeds SET site=?, hash=? WHERE id=?", (parsed.link, digest, feed_id)
            )
        conn.execute(
            "UPDATE feeds SET checked=?, succeeded=?, http_status=?, error=NULL, "
            "etag=?, last_modified=?, retry_after=NULL WHERE id=?",
            (now, now, fetched.status, fetched.etag, fetched.last_modified, feed_id),
        )
        self._moved(conn, feed_id, fetched.moved_to)

    def _moved(self, conn: sqlite3.Connection, feed_id: int, moved_to: str | None) -> None:
        """A feed permanently redirected (every redirect 301 or 308) to the same address at two
        refreshes in a row takes that address; once, it is remembered (a server's mistake,
        undone by the next refresh, changes nothing). An address another subscription has
        already is not taken: a warning says so.

        The second sighting counts only if this refresh started after the first was recorded:
        two refreshes started at the same moment both saw the redirect, and the one that read
        the feed's row after the other had written it moved the subscription at once. What was
        recorded is read here, in the write's transaction, not from the row as the refresh
        began (a refresh beside this one may have recorded, cleared or followed it since)."""
        url, name, title, seen_to, seen_at = conn.execute(
            "SELECT url, name, title, moved_to, moved_seen FROM feeds WHERE id=?", (feed_id,)
        ).fetchone()
        if (
            moved_to is None
            or moved_to == url
            or clean_line(moved_to) != moved_to
            or not _may_move(url, moved_to)
        ):
            if seen_to is not None:
                conn.execute(
                    "UPDATE feeds SET moved_to=NULL, moved_seen=NULL WHERE id=?", (feed_id,)
                )
            return
        if seen_to != moved_to:
            conn.execute(
                "UPDATE feeds SET moved_to=?, moved_seen=? WHERE id=?",
                (moved_to, time.time(), feed_id),
            )
            return
        if seen_at is not None and seen_at >= self.started:
            return  # recorded by a refresh beside this one: the same sighting, not a second
        if (other := lookup(conn, moved_to)) is not None and other != feed_id:
            self._say_moved(
                (
                    clean_line(url),
                    f"moved permanently to {moved_to}, which you are subscribed to as well: "
                    "this subscription keeps its address (remove one of them?)",
                )
            )
            return
        conn.execute(
            "UPDATE feeds SET url=?, moved_to=NULL, moved_seen=NULL WHERE id=?", (moved_to, feed_id)
        )
        record_move(conn, feed_id, url, moved_to)  # `refresh OLD`, `remove OLD` still find it
        if name is None and title is None:
            rename_source(conn, feed_id, url, moved_to)  # its articles' source was the address
        self._changes.touch()  # feed: finds a feed by its address
        self._say_moved(
            (
                clean_line(url),
                f"moved permanently to {moved_to} (at two refreshes in a row): "
                "subscribed at the new address now",
            )
        )

    def _say_moved(self, warning: tuple[str, str]) -> None:
        """A warning about a subscription's address, which the reader shows too."""
        self.report.warnings.append(warning)
        self.report.moved.append(warning)

    def _subscribe(self, conn: sqlite3.Connection, row: FeedRow, now: int) -> int:
        """Insert the subscription of a first fetch that succeeded (or find it, if another
        process subscribed meanwhile)."""
        found = conn.execute(
            "INSERT INTO feeds (url, name, category, added, full_text) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO NOTHING RETURNING id",
            (row.url, row.name, row.category, now, int(row.full_text)),
        ).fetchone()
        if found is None:
            found = conn.execute("SELECT id FROM feeds WHERE url = ?", (row.url,)).fetchone()
        else:
            self._changes.touch()  # a new subscription
        self.report.subscribed.append(found[0])
        return int(found[0])


def _still_subscribed(conn: sqlite3.Connection, row: FeedRow) -> bool:
    """Whether the subscription a refresh fetched is still there, asked in the transaction
    that would store its items. Another process may have removed it since the refresh read
    it (`newsreader remove` while a slow feed was fetched): its items written then belonged
    to no subscription, and no `remove` could ever take them away. Known by its id, and by
    its address or the time it was added (the id of a removed row can be given again; a
    permanent redirect may have changed the address meanwhile)."""
    found = conn.execute("SELECT url, added FROM feeds WHERE id = ?", (row.id,)).fetchone()
    return found is not None and (found[0] == row.url or found[1] == row.added)


def _may_move(old: str, new: str) -> bool:
    """Whether a subscription may follow a permanent redirect for good: never from https to
    http (a downgrade), and to another host only from https (a plain-http answer can come
    from anyone on the way, who would keep the subscription for good)."""
    before, after = urlsplit(old), urlsplit(new)
    if before.scheme == "https" and after.scheme != "https":
        return False
    return before.hostname == after.hostname or before.scheme == "https"
