"""Closing the store while a background operation runs in another thread (the reader quitting
during its entity extraction) must neither crash the process nor lose finished work."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.store import FeedStore, Stopped
from reader.store import entities as entities_module
from reader.ui.app import NewsReader

from .conftest import write

PARAGRAPH = (
    "Lei Jun, le patron de Xiaomi, a présenté à Pékin une nouvelle voiture face à Tesla et BYD. "
    "Elon Musk a répondu depuis Austin, tandis que Great Wall Motor annonçait une usine en "
    "Europe et que Reuters citait des analystes de Morgan Stanley à Shanghai. "
)


def long_articles(folder: Path, count: int = 300, paragraphs: int = 60) -> Path:
    """``count`` dated articles of about 3,000 words each: seconds of extraction."""
    for i in range(count):
        body = "\n\n".join(PARAGRAPH for _ in range(paragraphs))
        write(folder / f"a{i:04}.txt", f"date 2021-03-{1 + i % 28:02}\n\nTitre {i}\n\n{body}\n")
    return folder


def pending(db: Path) -> int:
    with FeedStore(db) as store:
        return store.db.conn.execute(
            "SELECT count(*) FROM articles WHERE entities_done = 0"
        ).fetchone()[0]


def test_close_stops_a_running_extraction_and_keeps_finished_work(tmp_path: Path) -> None:
    db = tmp_path / "close.db"
    with FeedStore(db) as store:
        store.index([str(long_articles(tmp_path / "feeds"))])
    store = FeedStore(db)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(store.extract_entities()), daemon=True)
    worker.start()
    time.sleep(0.3)  # well inside the first batch (300 articles take seconds)
    started = time.perf_counter()
    store.close()  # from another thread, as the reader's on_unmount does
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert time.perf_counter() - started < 5  # it stopped between articles, not at the end
    assert outcome == [0]  # stopped quietly, no exception
    assert pending(db) == 300  # the unfinished batch was rolled back, nothing half-written
    with FeedStore(db) as store:  # the next run resumes and finishes
        assert store.extract_entities() == 300
        assert store.search_ids("entity:Xiaomi") != []
    assert pending(db) == 0


async def test_quitting_the_reader_during_extraction_exits_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "ui.db"
    with FeedStore(db) as store:
        store.index([str(long_articles(tmp_path / "feeds"))])
    app = NewsReader(db, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)  # the background extraction has started
        await pilot.press("q")
    # Leaving run_test unmounted the app and closed the store under the running worker: the
    # process is still here, and the store opens and resumes.
    left = pending(db)
    assert 0 < left <= 300
    with FeedStore(db) as store:
        assert store.extract_entities() == left
    assert pending(db) == 0


def test_interrupt_stops_the_statement_of_one_thread_only(tmp_path: Path) -> None:
    """A newer search interrupts the one it replaces (``Database.interrupt``): the statement
    on that thread stops, another thread's statement runs on."""
    import sqlite3

    count = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
    outcome: dict[str, str] = {}
    started = threading.Barrier(3)
    with FeedStore(tmp_path / "x.db") as store:

        def run(name: str, rows: int) -> None:
            conn = store.db.conn
            started.wait()
            try:
                conn.execute(f"{count} LIMIT {rows}").fetchall()
                outcome[name] = "finished"
            except sqlite3.OperationalError as exc:
                outcome[name] = str(exc)
            finally:
                store.db.release()

        long = threading.Thread(target=run, args=("long", 10**10), daemon=True)
        short = threading.Thread(target=run, args=("short", 3 * 10**5), daemon=True)
        long.start()
        short.start()
        started.wait()
        time.sleep(0.2)
        assert long.ident is not None
        store.db.interrupt(long.ident)
        long.join(10)
        short.join(10)
    assert outcome == {"long": "interrupted", "short": "finished"}


def test_an_interrupted_search_says_it_was_superseded(sample_store: FeedStore) -> None:
    from reader.store import Superseded

    raised: list[BaseException] = []
    running = threading.Event()

    def searches() -> None:
        running.set()
        deadline = time.monotonic() + 10
        try:
            while time.monotonic() < deadline:
                sample_store.search_ids("")
        except BaseException as exc:  # the first exception ends the loop
            raised.append(exc)
        finally:
            sample_store.db.release()

    thread = threading.Thread(target=searches, daemon=True)
    thread.start()
    running.wait()
    while thread.is_alive():
        assert thread.ident is not None
        sample_store.db.interrupt(thread.ident)
        time.sleep(0.0005)
    assert len(raised) == 1 and isinstance(raised[0], Superseded)


def test_counts_read_on_a_reused_thread_follow_other_connections_commits(
    sample_store: FeedStore,
) -> None:
    """A worker thread releases its connection at its end and the pool reuses the thread; its
    next connection (often at the freed one's address) must not be taken for the old one, or
    the counts it remembered before another connection committed come back as current."""
    from concurrent.futures import ThreadPoolExecutor

    ids = sample_store.search_ids("")

    def reload() -> tuple[int, int]:
        try:
            return sample_store.count_matches("")[1], sample_store.sources()[0].unread
        finally:
            sample_store.db.release()

    stale = 0
    with ThreadPoolExecutor(max_workers=1) as pool:
        for i in range(60):
            sample_store.set_read(ids[: i % 40 + 1], True)
            truth = sample_store.count_matches("")[1], sample_store.sources()[0].unread
            stale += pool.submit(reload).result() != truth
            sample_store.set_read(ids, False)
    assert stale == 0


def test_an_extractor_failing_on_one_article_does_not_stop_the_run(tmp_path: Path) -> None:
    """An extractor's bug on one text (an IndexError, as the rules once raised on "Paris du
    Europe de les") leaves that article without entities; the others get theirs."""
    from reader.entities import get_extractor
    from reader.model import Mention

    rules = get_extractor("rules")

    class FailsOnOne:
        name = "failing"

        def extract(self, text: str, lang: str | None, known: dict[str, str]) -> list[Mention]:
            if "Titre 3\n" in text:
                raise IndexError("list index out of range")
            return rules.extract(text, lang, known)

    folder = long_articles(tmp_path / "feeds", count=6, paragraphs=1)
    with FeedStore(tmp_path / "x.db", extractor=FailsOnOne()) as store:  # type: ignore[arg-type]
        store.index([str(folder)])
        assert store.extract_entities(workers=0) == 6
        with_entities = [rowid for rowid in store.search_ids("") if store.entities_of(rowid)]
        assert len(with_entities) == 5


def test_close_stops_a_refresh_waiting_on_a_server_that_never_answers(tmp_path: Path) -> None:
    """The reader quitting while a feed's server holds the connection without answering:
    every fetch is cancelled at once (it waited for the 30 s timeout, the screen blank)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                held.append(listener.accept()[0])  # and never a byte back

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    store = FeedStore(tmp_path / "silent.db")
    store.subscribe(f"http://127.0.0.1:{port}/feed.xml")
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(store.refresh()), daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 5
        while not held and time.monotonic() < deadline:
            time.sleep(0.02)
        assert held  # the request is out, waiting for an answer
        started = time.perf_counter()
        store.close()
        worker.join(timeout=10)
        assert not worker.is_alive()
        assert time.perf_counter() - started < 2
        assert len(outcome) == 1  # stopped quietly, no exception
    finally:
        listener.close()
        for conn in held:
            conn.close()


# -- another process holds the write lock -------------------------------------------------------
HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE IF NOT EXISTS held_by_another (x)")
print("held", flush=True)
sys.stdin.read()  # until the test lets go
conn.execute("ROLLBACK")
"""


@contextlib.contextmanager
def lock_held_elsewhere(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (plain sqlite3, as `sqlite3 DB 'BEGIN IMMEDIATE; ...'` left open in a
    terminal) holds the database's write lock meanwhile, in a transaction it rolls back."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline() == "held\n"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(10)
        proc.stdout.close()


def waiting_for_the_lock(store: FeedStore, within: float = 20) -> int:
    """The thread of this process that waits for another connection's write lock (once one
    does)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for thread in threading.enumerate():
            if thread.ident is not None and store.db.lock_wait(thread.ident) is not None:
                return thread.ident
        time.sleep(0.02)
    raise AssertionError("no thread waits for the write lock")


def workers_idle(within: float = 30) -> None:
    """Wait until this process's worker processes have started and stopped using the CPU
    (Linux: /proc): an extraction worker waiting for the write lock sleeps in SQLite's busy
    wait, every other step of it (starting, extracting) keeps a core busy."""
    import multiprocessing

    def cpu(pid: int) -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    deadline = time.monotonic() + within
    before: dict[int, int] = {}
    while time.monotonic() < deadline:
        now = {p.pid: cpu(p.pid) for p in multiprocessing.active_children() if p.pid}
        if now and now == before:
            return
        before = now
        time.sleep(0.6)
    raise AssertionError("the worker processes did not settle")


@pytest.mark.parametrize("workers", [0, 1], ids=["in its thread", "in a worker process"])
def test_close_gives_up_an_extraction_waiting_for_another_process_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The reader quits while its extraction (in its thread, or in a worker process) waits
    for a write lock another process holds: SQLite's busy wait heeds no interrupt, and
    ``close()`` waited for it up to the 30 s busy timeout (the screen blank). The wait is
    given up at once: no transaction begun, the batches committed before kept."""
    if workers and not Path("/proc/self/stat").exists():
        pytest.skip("tells an idle worker process by /proc")
    monkeypatch.setattr(entities_module, "POOL_FROM", 1)  # a worker process for a few
    db = tmp_path / "held.db"
    with FeedStore(db) as store:
        store.index([str(long_articles(tmp_path / "first", count=4, paragraphs=1))])
        assert store.extract_entities(workers=0) == 4  # committed before the lock is taken
        store.index([str(long_articles(tmp_path / "second", count=12, paragraphs=1))])
    assert pending(db) == 12
    store = FeedStore(db)
    outcome: list[object] = []

    def extract() -> None:
        try:
            outcome.append(store.extract_entities(workers=workers, bulk=False))
        finally:
            store.db.release()

    with lock_held_elsewhere(db) as holder:
        worker = threading.Thread(target=extract, daemon=True)
        worker.start()
        if workers:
            workers_idle()
        else:
            waiting_for_the_lock(store)
        started = time.perf_counter()
        store.close()
        took = time.perf_counter() - started
        worker.join(timeout=10)
        assert not worker.is_alive()
        assert took < 2, took  # (it waited for the busy timeout: up to 30 s)
        assert outcome == [0]  # stopped quietly
        assert holder.poll() is None  # the other process still held the lock all along
    assert pending(db) == 12  # nothing of the abandoned batch written
    with FeedStore(db) as store:
        assert len(store.search_ids("entity:Xiaomi")) == 4  # what was committed stays
        assert store.extract_entities(workers=0) == 12  # the next run does the rest
        assert len(store.search_ids("entity:Xiaomi")) == 16


@pytest.mark.parametrize("lets_go", [False, True], ids=["held on", "let go at once"])
def test_an_abandoned_write_waiting_for_the_lock_never_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lets_go: bool
) -> None:
    """A write left out of the close (``abandon``: the reader's marks, given up after the
    quit wait) while it waits for another process's lock gives up once the store closes, and
    is never written after the reader said it was not: also when the other process lets go
    within the slice of the wait under way (the lock is then had, and let go unused)."""
    from reader.store import database

    if lets_go:
        monkeypatch.setattr(database, "LOCK_POLL", 3.0)  # (the slice outlasts the test's steps)
    db = tmp_path / "abandon.db"
    with FeedStore(db) as store:
        store.index([str(long_articles(tmp_path / "feeds", count=3, paragraphs=1))])
    store = FeedStore(db)
    raised: list[BaseException] = []

    def mark() -> None:
        try:
            with store.db.transaction() as tx:
                tx.execute("UPDATE articles SET read = 1")
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=mark, daemon=True)
    with lock_held_elsewhere(db):
        thread.start()
        ident = waiting_for_the_lock(store)
        time.sleep(0.2)  # (in SQLite's busy wait)
        store.db.abandon(ident)
        if not lets_go:
            started = time.perf_counter()
            store.close()
            assert time.perf_counter() - started < 0.5
            thread.join(2)
            assert not thread.is_alive()  # (it waited on, to write once the other let go)
    thread.join(5)
    assert not thread.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], Stopped)
    store.close()
    with FeedStore(db) as fresh:
        assert fresh.count_matches("is:read")[0] == 0


def test_close_gives_up_a_refresh_write_waiting_for_another_process_lock(
    tmp_path: Path, httpserver: Any
) -> None:
    """A refresh has fetched its feed and waits to write it while another process holds the
    lock: closing gives the write up at once; the next refresh fetches and stores it."""
    from .test_crashes import rss

    items = [0]  # none at the first fetch (subscribing), five after
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: __import__("werkzeug").Response(
            rss(1, items[0]), content_type="application/rss+xml"
        )
    )
    db = tmp_path / "refresh.db"
    store = FeedStore(db)
    store.subscribe(httpserver.url_for("/feed.xml"))
    store.close()
    items[0] = 5
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(store.refresh()), daemon=True)
    with lock_held_elsewhere(db):
        worker.start()
        waiting_for_the_lock(store)
        started = time.perf_counter()
        store.close()
        assert time.perf_counter() - started < 2
        worker.join(timeout=10)
        assert not worker.is_alive()
        assert len(outcome) == 1  # stopped quietly, no exception
    with FeedStore(db) as fresh:
        assert fresh.count() == 0
        assert fresh.refresh().failed == []
        assert fresh.count() == 5


def test_a_wait_for_the_lock_still_ends_at_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting in slices changes nothing else: a writer nobody stops gives up after
    ``BUSY_TIMEOUT`` with SQLite's "database is locked", no sooner."""
    from reader.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.6)
    db = tmp_path / "timeout.db"
    FeedStore(db).close()
    with FeedStore(db) as store, lock_held_elsewhere(db):
        started = time.perf_counter()
        with (
            pytest.raises(sqlite3.OperationalError, match="locked"),
            store.db.transaction() as tx,
        ):
            tx.execute("UPDATE generation SET marks = marks")
        assert 0.6 <= time.perf_counter() - started < 1.5
        # the connection's own busy timeout is back for every other statement
        timeout = store.db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        assert timeout == 600


def test_a_command_waiting_for_another_writer_says_so(tmp_path: Path) -> None:
    """`mark-read` while another process held the write lock sat silent for up to 30 s. After
    a second it says what it waits for, once, and goes on when the lock comes free."""
    db = tmp_path / "s.db"
    write(tmp_path / "news" / "a.txt", "date 2026-11-20\n\nA story about Xiaomi.\n")
    with FeedStore(db) as store:
        store.index([str(tmp_path / "news")])
    with lock_held_elsewhere(db):
        proc = subprocess.Popen(
            [sys.executable, "-m", "reader", "--db", str(db), "mark-read", "--yes", ""],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        line = proc.stderr.readline()  # (without the notice: the 30 s give-up line)
    out, rest = proc.communicate(timeout=60)
    assert line == (
        f"newsreader: {db}: waiting for another process that is writing to it (up to 30 s)…\n"
    )
    assert (proc.returncode, out, rest) == (0, "1 article marked read\n", "")
