"""Closing the store while a background operation runs in another thread (the reader quitting
during its entity extraction) must neither crash the process nor lose finished work."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from reader.store import FeedStore
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
