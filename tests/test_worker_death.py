"""A worker process that dies (killed, out of memory) while jobs are being sent to it: the pool
still shuts down, and the indexing that used it finishes with every file.

On CPython releases without the fix of python/cpython#94777 (3.11.2, Debian 12's, has not) the
pool's feeder thread waited forever on a full pipe to the dead worker, and with it
``shutdown(wait=True)`` and ``newsreader index``; on releases with the fix these tests pass
either way."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.store.workers import shut_down

from .test_perf_extraction import children, corpus


def _slow(data: bytes) -> int:
    time.sleep(60)
    return len(data)


def test_shut_down_returns_after_a_worker_died_with_jobs_half_sent() -> None:
    known = set(children())
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    futures = [pool.submit(_slow, b"x" * 1_000_000) for _ in range(4)]  # more than a pipe holds
    deadline = time.monotonic() + 60
    while not (workers := [p for p in children() if p not in known]):
        assert time.monotonic() < deadline, "the pool never started its worker"
        time.sleep(0.05)
    time.sleep(0.5)  # the feeder is blocked on the full pipe
    os.kill(workers[0], signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        futures[0].result(timeout=30)
    stopping = threading.Thread(target=shut_down, args=(pool,), daemon=True)
    stopping.start()
    stopping.join(timeout=15)
    assert not stopping.is_alive()


def test_index_finishes_when_its_parse_worker_is_killed(tmp_path: Path) -> None:
    source = corpus(tmp_path / "src", 6000, words=60)
    outcome: list[object] = []
    store = FeedStore(tmp_path / "killed.db")
    run = threading.Thread(target=lambda: outcome.append(store.index([str(source)])), daemon=True)
    known = set(children())
    run.start()
    deadline = time.monotonic() + 60
    while not (workers := [p for p in children() if p not in known]) and run.is_alive():
        if time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert workers, "the index never started its parse worker"
    os.kill(workers[0], signal.SIGKILL)
    run.join(timeout=180)
    assert not run.is_alive(), "index hung after its parse worker was killed"
    assert len(outcome) == 1  # the run returned (an exception would have left it empty)
    try:
        count = store.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert count == 6000  # what the worker did not parse was parsed here
    finally:
        store.close()
