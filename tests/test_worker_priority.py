"""Worker processes of the reader's background work run at a lower priority; those of a
command-line run at the caller's own."""

from __future__ import annotations

import os
import threading

import pytest

from reader.store.workers import (
    BACKGROUND_NICENESS,
    background_priority,
    process_pool,
    shut_down,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)


def _pool_niceness(allow_fork: bool) -> int:
    pool = process_pool(1, allow_fork=allow_fork)
    try:
        return pool.submit(_niceness).result(timeout=60)
    finally:
        shut_down(pool)


@pytest.mark.parametrize("allow_fork", [False, True], ids=["spawned", "forked"])
def test_workers_started_within_background_priority_run_lower(allow_fork: bool) -> None:
    own = _niceness()
    with background_priority():
        assert _pool_niceness(allow_fork) == min(19, own + BACKGROUND_NICENESS)
    assert _pool_niceness(allow_fork) == own  # after it: the caller's own again
    assert _niceness() == own  # the caller itself is never lowered


def test_background_priority_is_the_starting_threads_own() -> None:
    own = _niceness()
    inside = threading.Event()
    leave = threading.Event()
    seen: list[int] = []

    def background() -> None:
        with background_priority(5):
            seen.append(_pool_niceness(False))
            inside.set()
            leave.wait(60)

    thread = threading.Thread(target=background, daemon=True)
    thread.start()
    try:
        assert inside.wait(60)
        assert _pool_niceness(False) == own  # another thread, meanwhile: not lowered
    finally:
        leave.set()
        thread.join(60)
    assert seen == [min(19, own + 5)]


def _policy() -> int:
    return os.sched_getscheduler(0)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="no SCHED_IDLE here (Linux only)")
@pytest.mark.parametrize("allow_fork", [False, True], ids=["spawned", "forked"])
def test_workers_started_within_background_priority_run_when_a_core_is_idle(
    allow_fork: bool,
) -> None:
    """Linux: the SCHED_IDLE policy too, so that a core running only the worker counts as
    idle when the reader's threads wake (a nice value alone left them waiting for a core)."""
    own = _policy()

    def pool_policy() -> int:
        pool = process_pool(1, allow_fork=allow_fork)
        try:
            return pool.submit(_policy).result(timeout=60)
        finally:
            shut_down(pool)

    with background_priority():
        assert pool_policy() == os.SCHED_IDLE
    assert pool_policy() == own  # after it: the caller's own again
    assert _policy() == own  # the caller itself is never lowered
