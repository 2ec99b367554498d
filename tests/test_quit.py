"""Quitting the reader while marks are being written: a long write of its own is waited for,
a wait for another process's lock is given up after ``QUIT_WAIT``, and every mark not saved
is said (``NewsReader.fatal``, one line on stderr and exit 1)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reader.store import Change, FeedStore
from reader.ui import app as app_module

from .conftest import settle
from .test_changes_seen import quiet_reader, sample_file, writes_held
from .test_store_close import lock_held_elsewhere, pending


def long_write(seconds: float):
    """A write of the reader's own that holds the write lock for ``seconds`` (marking a very
    long list read), every article marked read."""

    def work(store: FeedStore) -> None:
        with store.db.transaction(Change.MARKS) as tx:
            tx.execute("UPDATE articles SET read = 1")
            time.sleep(seconds)

    return work


def said(app: app_module.NewsReader) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def left(app: app_module.NewsReader, pilot: object, within: float) -> float:
    """Wait until the reader asks to exit by itself (leaving ``run_test`` would make it
    exit whatever it waits for); how long that took."""
    started = time.monotonic()
    while not app._exit:
        assert time.monotonic() - started < within, said(app)
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    return time.monotonic() - started


async def test_quitting_waits_for_a_long_write_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No other process holds the lock: the reader's own write takes longer than the quit
    wait. It is waited for and saved (it was abandoned after QUIT_WAIT, rolled back, and
    said as "another process kept FILE busy")."""
    monkeypatch.setattr(app_module, "QUIT_WAIT", 0.5)
    path = sample_file(tmp_path / "long.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.writer.submit(long_write(2.0))
        await pilot.pause(0.2)  # the write runs
        await pilot.press("q")
        await pilot.pause(0.3)
        assert any(m.startswith("Saving your marks…") for m in said(app)), said(app)
        assert not any("another process" in m for m in said(app)), said(app)
        assert await left(app, pilot, 5) > 1.0  # (past QUIT_WAIT: the write was waited for)
    assert app.fatal is None
    with FeedStore(path) as fresh:
        assert fresh.count_matches("is:unread")[0] == 0


async def test_quitting_again_during_a_long_write_leaves_without_it_and_says_so(
    tmp_path: Path,
) -> None:
    """ctrl+q again while the reader's own write runs: the reader leaves at once, the write
    is rolled back (not committed after the reader said it was not), and said truly."""
    path = sample_file(tmp_path / "again.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.writer.submit(long_write(10.0))
        await pilot.pause(0.2)
        await pilot.press("q")
        await pilot.pause(0.2)
        assert not app._exit
        await pilot.press("ctrl+q")
        await left(app, pilot, 1)
    assert app.fatal == "1 article's mark not saved: quit before it was written"
    time.sleep(0.5)  # (the interrupted write rolled back, never to commit later)
    with FeedStore(path) as fresh:
        assert fresh.count_matches("is:read")[0] == 0


async def test_a_mark_failing_busy_during_the_quit_wait_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mark's write gives up on the lock (busy) within the quit wait: its toast went with
    the screen and the reader exited 0, the mark lost without a word."""
    from reader.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT", 1.0)  # the writer's connection, made below
    path = sample_file(tmp_path / "busy.db")
    app = quiet_reader(path)
    async with writes_held(path):
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.pause(0.3)
            await pilot.press("r", "q")
            await pilot.pause(0.3)
            assert any("another process is writing" in m for m in said(app)), said(app)
            await left(app, pilot, 5)
        assert app.fatal is not None
        expected = f"1 article's mark not saved: {path}: another process"
        assert app.fatal.startswith(expected), app.fatal
        assert app.fatal.count("\n") == 0
    with FeedStore(path) as fresh:
        assert fresh.count_matches("is:read")[0] == 0


async def waiting_for_the_lock(app: app_module.NewsReader, pilot: object) -> None:
    """Wait until a thread of the reader waits for another connection's write lock."""
    started = time.monotonic()
    while not any(
        t.ident is not None and app.store.db.lock_wait(t.ident) is not None
        for t in threading.enumerate()
    ):
        assert time.monotonic() - started < 10, "no thread waits for the write lock"
        await pilot.pause(0.05)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mark", [False, True], ids=["no mark", "a mark"])
async def test_quitting_while_background_work_waits_for_another_process_lock(
    tmp_path: Path, mark: bool
) -> None:
    """Another process (`sqlite3 DB 'BEGIN IMMEDIATE; ...'` left open) holds the write lock
    while the reader's entity extraction waits for it: `q` leaves at once, or after the quit
    wait when a mark waits too; the extraction was waited for up to the 30 s busy timeout
    after the toast (a blank screen). It is given up unbegun; the mark not saved is said."""
    path = sample_file(tmp_path / "held.db")
    before = pending(path)
    assert before > 0
    with lock_held_elsewhere(path):
        app = app_module.NewsReader(path, [])
        async with app.run_test(size=(110, 30)) as pilot:
            await waiting_for_the_lock(app, pilot)  # the extraction's first batch
            await pilot.pause(0.3)
            await pilot.press(*("r", "q") if mark else "q")
            pressed = time.monotonic()
            await left(app, pilot, app_module.QUIT_WAIT + 1)
        took = time.monotonic() - pressed  # the screen's end and the store's close included
        assert took < (app_module.QUIT_WAIT + 1 if mark else 1), took
        if mark:
            assert app.fatal == f"1 article's mark not saved: another process kept {path} busy"
        else:
            assert app.fatal is None
    assert pending(path) == before  # nothing half-written; the next run extracts them
    with FeedStore(path) as fresh:
        assert fresh.count_matches("is:read")[0] == 0


async def test_quitting_waits_for_the_background_works_last_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh given up as the reader quit returned, and the background work went on to
    read the subscriptions' names while ``close()`` closed its connection under it: a
    segmentation fault in 3 of 41 quits (with another process holding the write lock).
    ``close()`` now waits for the whole background work; here its read, held between taking
    its connection and using it, meets an open connection ("Cannot operate on a closed
    database" before)."""
    from reader.store.refresh import RefreshReport

    path = sample_file(tmp_path / "bg.db")
    with FeedStore(path) as store:
        store.subscribe("http://127.0.0.1:9/feed.xml", name="Nowhere")
    subscriptions = FeedStore.subscriptions
    calls: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    refreshing, quitting = threading.Event(), threading.Event()

    def stopped_refresh(self: FeedStore, *args: object, **kwargs: object) -> RefreshReport:
        refreshing.set()
        quitting.wait(10)  # (a refresh given up as the reader quits)
        return RefreshReport()

    def slow_names(self: FeedStore) -> object:
        calls.append(1)
        if len(calls) == 2:  # the names read after the refresh, on the thread's connection
            conn = self.db.conn
            time.sleep(0.3)  # (the crash's window, between taking the connection and using it)
            try:
                conn.execute("SELECT count(*) FROM feeds").fetchone()
            except BaseException as exc:
                errors.append(exc)
                raise
            finally:
                done.set()
        return subscriptions(self)

    monkeypatch.setattr(FeedStore, "refresh", stopped_refresh)
    monkeypatch.setattr(FeedStore, "subscriptions", slow_names)
    app = app_module.NewsReader(path, refresh=True)
    async with app.run_test(size=(110, 30)) as pilot:
        for _ in range(200):  # the refresh under way before quitting
            if refreshing.is_set():
                break
            await pilot.pause(0.05)
        assert refreshing.is_set()
        quitting.set()
        app.exit()
    assert done.wait(15)
    assert errors == []


@pytest.mark.parametrize("where", ["headlines", "feeds", "twice"])
async def test_the_quit_line_counts_the_articles_a_mark_all_read_left_unsaved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """`A y`, then `q`, while another process holds the write lock: the line says how many
    articles' marks were not saved (it said "1 mark not saved" for 50 articles: it counted
    writes), each article once (`A y A y r` said 101)."""
    from .conftest import SAMPLE_ARTICLES

    monkeypatch.setattr(app_module, "QUIT_WAIT", 0.5)
    path = sample_file(tmp_path / "all.db")
    app = quiet_reader(path)
    async with writes_held(path):
        async with app.run_test(size=(110, 30)) as pilot:
            await settle(app, pilot)
            if where == "feeds":
                await pilot.press("f")  # the first row: every feed
                await settle(app, pilot)
            for _ in range(2 if where == "twice" else 1):
                await pilot.press("A")
                await pilot.pause(0.3)  # (not settle: it waits for the writer, held up here)
                await pilot.press("y")
                await pilot.pause(0.3)
            if where == "twice":
                await pilot.press("r")
            await pilot.press("ctrl+q" if where == "feeds" else "q")
            await left(app, pilot, 5)
        assert app.fatal == (
            f"{SAMPLE_ARTICLES} articles' marks not saved: another process kept {path} busy"
        )
        with FeedStore(path) as fresh:  # (a reader: it does not wait for the lock)
            assert fresh.count_matches("is:read")[0] == 0
        # (the process would end here; this one goes on, and the write left behind with it:
        # it is written once the lock is let go, so it is not looked for after that)


async def test_a_failure_not_yet_shown_when_quitting_is_in_the_quit_line(tmp_path: Path) -> None:
    """A write failed just before `q`, its toast not shown yet: the reader left at once and
    the failure was said nowhere (leave() took every failure so far as said)."""
    path = sample_file(tmp_path / "unsaid.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)

        def refused(_store: FeedStore) -> None:
            raise RuntimeError("refused")

        app.writer.submit(refused)
        started = time.monotonic()
        while not app.writer.failures:  # failed on the writer's thread, not yet handled here
            assert time.monotonic() - started < 5
            time.sleep(0.01)
        app.leave()  # (as `q` would, before the failure's message is handled)
        await left(app, pilot, 5)
    assert app.fatal == "1 article's mark not saved: RuntimeError: refused"


async def test_a_write_done_as_the_app_shuts_down_without_exit_updates_nothing(
    tmp_path: Path,
) -> None:
    """The app shut down without ``exit()`` (a test's Pilot ends so) while a mark was being
    written: its follow-up met a headlines screen without its list (NoMatches, CI)."""
    from reader.ui.writer import WriteDone, WriteFailed

    path = sample_file(tmp_path / "shut.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
    assert not app._exiting  # (no exit(): shut down by the Pilot)
    ran: list[object] = []
    app._write_done(WriteDone(ran.append, "done"))
    app._write_failed(WriteFailed("failed", lambda: ran.append("failed")))
    assert ran == []
