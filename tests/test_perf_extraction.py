"""Entity extraction in worker processes: the same mentions as in-process extraction, and the
store's promises kept (a killed worker loses nothing committed, Ctrl-C is one line and 130,
close() from another thread stops the workers)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

import reader.store.workers as worker_module
from reader.entities import get_extractor
from reader.store import FeedStore
from reader.store import entities as ent
from reader.store.database import Database
from reader.store.workers import StopFlag

from .conftest import write
from .test_robustness import one_line, start

NAMES = (
    "Lei Jun, Xiaomi, Elon Musk, Tesla, Pékin, Shanghai, Berlin, Great Wall Motor, BYD, "
    "Morgan Stanley, Reuters, Stellantis, Carlos Tavares, Austin"
).split(", ")
WORDS = "le la les de des marché voiture électrique batterie usine prix annonce défi".split()


def corpus(root: Path, count: int, words: int = 120, seed: int = 5) -> Path:
    rng = random.Random(seed)
    for i in range(count):
        body = " ".join(
            rng.choice(NAMES) if rng.random() < 0.12 else rng.choice(WORDS) for _ in range(words)
        )
        write(
            root / "wire" / f"{i:05d}.txt",
            f"date 2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n\nDépêche {i}. {body}.\n",
        )
    return root


def indexed(tmp_path: Path, count: int, words: int = 120) -> Path:
    db = tmp_path / "base.db"
    with FeedStore(db) as store:
        store.index([str(corpus(tmp_path / "src", count, words))])
    return db


def copy(db: Path, name: str) -> Path:
    with FeedStore(db) as store:
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target = db.parent / name
    shutil.copyfile(db, target)
    return target


def dump(db: Path) -> tuple[list[tuple], list[tuple], int]:
    conn = sqlite3.connect(db)
    try:
        mentions = conn.execute(
            'SELECT m.article, m.start, m."end", e.key, e.kind FROM mentions m '
            "JOIN entities e ON e.id = m.entity ORDER BY 1, 2"
        ).fetchall()
        entities = conn.execute(
            "SELECT key, kind, articles, first_date, last_date FROM entities ORDER BY 1, 2"
        ).fetchall()
        pending = conn.execute("SELECT count(*) FROM articles WHERE entities_done = 0").fetchone()
        return mentions, entities, pending[0]
    finally:
        conn.close()


def children() -> list[int]:
    """Pids of this process's spawned worker processes."""
    me = os.getpid()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    data = fh.read()
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    cmdline = fh.read()
            except OSError:
                continue
            ppid = int(data[data.rindex(b")") + 2 :].split()[1])
            if ppid == me and b"spawn_main" in cmdline:
                found.append(int(entry))
    return found


def test_workers_give_the_same_mentions_as_extraction_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = indexed(tmp_path, 240)
    here, there = copy(base, "here.db"), copy(base, "there.db")
    monkeypatch.setattr(ent, "POOL_FROM", 50)
    monkeypatch.setattr(ent, "BULK", 100)  # the bulk path too: index dropped and rebuilt
    extractor = get_extractor("rules")
    for path, workers in ((here, 0), (there, 2)):
        db = Database(path)
        try:
            assert ent.extract_pending(db, extractor, batch=30, workers=workers) == 240
        finally:
            db.close()
    assert children() == []  # the workers are gone
    expected, got = dump(here), dump(there)
    assert got[2] == 0 and len(got[0]) > 1000
    assert got == expected
    with FeedStore(there) as store, FeedStore(here) as other:
        assert store.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert ent.has_mentions_index(store.db.conn)
        assert store.search_ids("entity:Xiaomi") == other.search_ids("entity:Xiaomi")


def test_a_killed_worker_loses_nothing_and_the_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = indexed(tmp_path, 300, words=600)
    reference = copy(base, "reference.db")
    with FeedStore(reference) as store:
        store.extract_entities(workers=0)
    monkeypatch.setattr(ent, "POOL_FROM", 50)
    db = copy(base, "killed.db")
    done: list[int] = []
    database = Database(db)
    run = threading.Thread(
        target=lambda: done.append(
            ent.extract_pending(database, get_extractor("rules"), batch=20, workers=2)
        ),
        daemon=True,  # should it hang, the test fails rather than the interpreter's exit
    )
    known = set(children())
    run.start()
    deadline = time.monotonic() + 60
    while dump(db)[2] == 300 and time.monotonic() < deadline:  # a first batch committed
        time.sleep(0.05)
    workers = [pid for pid in children() if pid not in known]
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    run.join(timeout=120)
    database.close()
    assert not run.is_alive() and done == [300]  # batches the dead worker committed count too
    assert dump(db) == dump(reference)  # what was committed stayed; the rest was done here


def _read_forever(flag: StopFlag, reading: StopFlag) -> None:
    reading.set()
    while not flag.is_set():
        pass


def test_a_worker_killed_while_it_reads_the_stop_flag_blocks_nobody() -> None:
    # multiprocessing.Event reads under a shared lock: a worker killed (SIGKILL, the OOM
    # killer) while it held it left it taken, and the parent's stop hung forever (13 of 20
    # kills of a process reading in a loop here; once in CI, where the test above never ended).
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for _ in range(8):
        flag, reading = StopFlag(), StopFlag()
        reader = context.Process(target=_read_forever, args=(flag, reading))
        reader.start()
        deadline = time.monotonic() + 60
        while not reading.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        os.kill(reader.pid or 0, signal.SIGKILL)
        reader.join()
        setting = threading.Thread(target=flag.set, daemon=True)
        setting.start()
        setting.join(timeout=5)
        assert not setting.is_alive() and flag.is_set()


class _CountedFlag(StopFlag):
    made = 0

    def __init__(self) -> None:
        super().__init__()
        _CountedFlag.made += 1


def test_the_workers_are_stopped_by_the_lock_free_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = indexed(tmp_path, 120)
    monkeypatch.setattr(ent, "POOL_FROM", 50)
    monkeypatch.setattr(worker_module, "StopFlag", _CountedFlag)
    _CountedFlag.made = 0
    database = Database(db)
    try:
        assert ent.extract_pending(database, get_extractor("rules"), batch=30, workers=2) == 120
    finally:
        database.close()
    assert _CountedFlag.made == 1  # the run made its stop signal a StopFlag, not an Event


def test_close_from_another_thread_stops_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = indexed(tmp_path, 1200, words=1500)
    monkeypatch.setattr(ent, "POOL_FROM", 50)
    store = FeedStore(db)
    outcome: list[object] = []
    known = set(children())
    worker = threading.Thread(
        target=lambda: outcome.append(store.extract_entities(workers=2)), daemon=True
    )
    worker.start()
    time.sleep(1.2)  # the workers are up and extracting
    assert [pid for pid in children() if pid not in known]
    started = time.perf_counter()
    store.close()
    worker.join(timeout=20)
    assert not worker.is_alive()
    assert time.perf_counter() - started < 5
    assert outcome == [0]
    deadline = time.monotonic() + 5
    while [pid for pid in children() if pid not in known] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in children() if pid not in known] == []  # no worker left behind
    left = dump(db)[2]
    assert 0 < left <= 1200  # finished batches stay, the unfinished ones were rolled back
    with FeedStore(db) as again:
        assert again.extract_entities(workers=2) == left
    assert dump(db)[2] == 0


@pytest.mark.parametrize("after", [0.8, 1.6])
def test_ctrl_c_during_extraction_in_workers_is_one_line_and_130(
    tmp_path: Path, after: float
) -> None:
    db = tmp_path / "c.db"
    src = corpus(tmp_path / "src", 1500, words=800)
    with FeedStore(db) as store:
        store.index([str(src)])
    # With faulthandler on, a run that hangs shows where: SIGABRT prints every thread's stack.
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    proc = start("index", str(src), "--db", str(db), env=env)  # 1,500 articles, 2 workers
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole process group
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGABRT)
        _, err = proc.communicate(timeout=30)
        pytest.fail(f"no exit 60 s after Ctrl-C; the stacks on SIGABRT:\n{err}")
    if proc.returncode == 0:
        pytest.skip("the run finished before the interruption")
    assert proc.returncode == 130
    assert err == "newsreader: interrupted; everything committed so far is kept\n"
    assert one_line(err)
    again = start("index", str(src), "--db", str(db))
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert dump(db)[2] == 0


async def test_the_reader_extracts_in_a_worker_and_stays_responsive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui.app import NewsReader

    db = indexed(tmp_path, 200, words=300)
    monkeypatch.setattr(ent, "POOL_FROM", 50)  # the reader's run goes to a spawned worker
    calls: list[int | None] = []
    extract = FeedStore.extract_entities

    def spy(
        self: FeedStore, progress: object = None, workers: int | None = None, bulk: bool = True
    ) -> int:
        calls.append(workers)
        assert not bulk  # the reader keeps the index entity: searches use
        return extract(self, progress, workers, bulk)  # type: ignore[arg-type]

    monkeypatch.setattr(FeedStore, "extract_entities", spy)
    app = NewsReader(db, [])
    niceness: dict[int, int] = {}  # the workers' priorities, as seen while they run
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 60
        while dump(db)[2] and time.monotonic() < deadline:
            for pid in children():
                with contextlib.suppress(OSError):
                    niceness[pid] = os.getpriority(os.PRIO_PROCESS, pid)
            await pilot.pause(0.05)  # the screen keeps being served meanwhile
    assert calls == [1]
    assert dump(db)[2] == 0
    assert children() == []
    # background work: the worker yields the CPU to the screen and to other programs
    assert niceness
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert set(niceness.values()) == {min(19, own + worker_module.BACKGROUND_NICENESS)}
