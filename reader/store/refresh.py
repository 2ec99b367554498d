"""Refreshing subscriptions: fetch concurrently, parse in worker processes, write as they land.

An unchanged feed costs one conditional request (304) or, for servers without validators and
for local files, one hash comparison; it is never parsed again. Feeds are committed in groups
(a feed's articles and its validators in the same transaction), so an interrupted refresh keeps
every group already committed and refetches the rest next time.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.store.fetch import Fetched, FetchJob, FetchSettings, fetch_all, local_path
from reader.store.fts import FtsBatch
from reader.store.items import IdAllocator, ItemCounts, ItemWriter
from reader.store.sources import SourceError
from reader.store.sources.feed import ParsedFeed, parse_feed

if TYPE_CHECKING:
    from reader.store.db import FeedStore

POOL_FROM = 8  # feeds to parse before worker processes pay for their start-up
GROUP_ITEMS = 2000  # commit after this many items...
GROUP_SECONDS = 0.5  # ...or this long: few FTS5 segments, articles visible as feeds land


@dataclass
class RefreshReport:
    """What one refresh did."""

    feeds: int = 0
    not_modified: int = 0
    unchanged: int = 0
    items: ItemCounts = field(default_factory=ItemCounts)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: feeds, articles added and updated, failures, time."""
        ok = self.feeds - len(self.failed)
        same = self.not_modified + self.unchanged
        return (
            f"{self.feeds} feeds: {ok} ok ({same} unchanged), {len(self.failed)} failed; "
            f"{self.items.added} articles added, {self.items.updated} updated "
            f"in {self.seconds:.1f} s"
        )


def _parse_job(body: bytes, url: str, content_type: str | None) -> ParsedFeed | str:
    """Parse in a worker; a failure comes back as its one-line reason."""
    try:
        return parse_feed(body, url, content_type)
    except SourceError as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not stop the refresh; say what it was
        return f"{type(exc).__name__}: {exc}"


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class Refresher:
    """One refresh of some or all subscriptions."""

    def __init__(self, store: FeedStore, settings: FetchSettings | None = None) -> None:
        self.store = store
        self.conn = store.conn
        self.settings = settings or FetchSettings()
        self.report = RefreshReport()
        self._fts = FtsBatch()
        self._items = ItemWriter(self.conn, self._fts, IdAllocator(self.conn))
        self._opened: float | None = None  # when the open group transaction began
        self._grouped = 0

    def run(
        self, urls: Sequence[str] = (), progress: Callable[[int, int], None] | None = None
    ) -> RefreshReport:
        """Refresh the subscriptions named by URL (all when none are named)."""
        started = time.perf_counter()
        rows = self.conn.execute(
            "SELECT id, url, name, etag, last_modified, hash FROM feeds ORDER BY id"
        ).fetchall()
        if urls:
            from reader.store.subscriptions import find

            by_id = {r[0]: r for r in rows}
            chosen: dict[int, tuple] = {}
            for given in dict.fromkeys(urls):
                feed_id = find(self.conn, given)
                if feed_id is None:
                    self.report.failed.append((given, "not subscribed (see `newsreader feeds`)"))
                else:
                    chosen[feed_id] = by_id[feed_id]
            rows = list(chosen.values())
        self._rows = {r[0]: r for r in rows}
        self.report.feeds = len(rows) + len(self.report.failed)
        jobs = [FetchJob(r[0], r[1], r[3], r[4]) for r in rows]
        self._done, self._total, self._progress = 0, len(jobs), progress
        if progress:
            progress(0, len(jobs))
        pool = self._pool(len(jobs))
        try:
            asyncio.run(self._run(jobs, pool))
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        self.report.seconds = time.perf_counter() - started
        return self.report

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
        workers = [pool]

        async def on_result(fetched: Fetched) -> None:
            self.store.check_open()  # the reader is quitting: stop fetching, keep what is stored
            parsed: ParsedFeed | str | None = None
            row = self._rows[fetched.job.key]
            digest = _digest(fetched.body) if fetched.body is not None else None
            if fetched.body is not None and digest != row[5]:
                url = fetched.final_url or fetched.job.url
                job = (_parse_job, fetched.body, url, fetched.content_type)
                try:
                    parsed = await loop.run_in_executor(workers[0], *job)
                except BrokenProcessPool:  # a worker died (killed, out of memory): go on here
                    workers[0] = None
                    parsed = await loop.run_in_executor(None, *job)
            self._write(fetched, parsed, digest)
            self._done += 1
            if self._progress:
                self._progress(self._done, self._total)

        try:
            await fetch_all(jobs, on_result, self.settings)
        finally:
            self._commit()

    def _write(self, fetched: Fetched, parsed: ParsedFeed | str | None, digest: str | None) -> None:
        """Store one feed's outcome; commit every GROUP_ITEMS articles or GROUP_SECONDS."""
        job, conn, report = fetched.job, self.conn, self.report
        feed_id, url, name = job.key, job.url, self._rows[job.key][2]
        now = int(time.time())
        error = fetched.error or (parsed if isinstance(parsed, str) else None)
        if self._opened is None:
            conn.execute("BEGIN IMMEDIATE")
            self._opened, self._grouped = time.monotonic(), 0
        try:
            if error is not None:
                report.failed.append((url, error))
                conn.execute(
                    "UPDATE feeds SET checked=?, http_status=?, error=? WHERE id=?",
                    (now, fetched.status, error, feed_id),
                )
            else:
                if fetched.not_modified:
                    report.not_modified += 1
                elif parsed is None:
                    report.unchanged += 1  # same bytes as last time
                else:
                    assert isinstance(parsed, ParsedFeed)
                    if parsed.warning:
                        report.warnings.append((url, parsed.warning))
                    source = name or parsed.title or url
                    path = local_path(url)
                    report.items += self._items.write(f"feed:{feed_id}", source, parsed.items, path)
                    self._grouped += len(parsed.items)
                    conn.execute(
                        "UPDATE feeds SET title=?, site=?, hash=? WHERE id=?",
                        (parsed.title, parsed.link, digest, feed_id),
                    )
                conn.execute(
                    "UPDATE feeds SET checked=?, succeeded=?, http_status=?, error=NULL, "
                    "etag=?, last_modified=? WHERE id=?",
                    (now, now, fetched.status, fetched.etag, fetched.last_modified, feed_id),
                )
        except BaseException:
            self._rollback()
            raise
        if self._grouped >= GROUP_ITEMS or time.monotonic() - self._opened >= GROUP_SECONDS:
            self._commit()

    def _commit(self) -> None:
        """Commit the open group of feeds (one FTS5 segment for all of them)."""
        if self._opened is None:
            return
        try:
            self._fts.flush(self.conn)
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self._opened = None

    def _rollback(self) -> None:
        if self._opened is not None:
            self.conn.execute("ROLLBACK")
            self._fts = FtsBatch()
            self._items.fts = self._fts
            self._opened = None
