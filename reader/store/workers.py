"""Helpers for the parse worker processes of indexing and refresh."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any


class StopFlag:
    """A flag the parent raises and worker processes read, with no lock behind it.

    ``multiprocessing.Event`` reads and sets under a shared semaphore: a worker killed while
    it reads (SIGKILL, the OOM killer) leaves that semaphore taken for good, and the parent's
    ``set()`` then waits forever. Here the flag is one byte of shared memory: a store or a
    load needs no lock, so a dead reader cannot hold the parent up. Made from the spawn
    context's shared memory; pass it to workers as they start (pool ``setup_args``).
    """

    def __init__(self) -> None:
        import ctypes
        import multiprocessing

        self._byte = multiprocessing.get_context("spawn").RawValue(ctypes.c_ubyte, 0)

    def set(self) -> None:
        """Raise the flag (seen by every worker at its next read)."""
        self._byte.value = 1

    def is_set(self) -> bool:
        """Whether the flag is raised."""
        return bool(self._byte.value)


@contextlib.contextmanager
def real_stderr() -> Iterator[None]:
    """Point sys.stderr at the process's real stderr while worker processes start."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        yield
        return
    saved = sys.stderr
    sys.stderr = sys.__stderr__ if sys.__stderr__ is not None else open(os.devnull, "w")  # noqa: SIM115
    try:
        yield
    finally:
        sys.stderr = saved


def exit_with_parent(parent: int) -> None:
    """In a parse worker: leave interruptions to the parent, and exit as soon as the parent
    process is gone (killed or crashed).

    Ctrl-C reaches every process of the terminal's foreground group; a worker that took it
    would print its own traceback. The parent stops the workers itself.
    """
    for signum in _STOPPING:  # (SIGTERM, SIGHUP: a closed terminal, `kill -- -PGID`)
        signal.signal(signum, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="newsreader-parent-watch", daemon=True).start()


BACKGROUND_NICENESS = 10  # how much lower the workers of interactive work run (POSIX nice)
_thread = threading.local()  # .niceness: added to the priority of the workers started here


@contextlib.contextmanager
def background_priority(niceness: int = BACKGROUND_NICENESS) -> Iterator[None]:
    """Worker processes started by this thread meanwhile run at a lower priority
    (``lower_priority``: ``os.nice(niceness)`` and, on Linux, ``SCHED_IDLE``).

    For the reader's background work: its extraction and parse workers then give the CPU to
    the screen first, so typing stays quick beside a long extraction when the cores are
    busy. (Linux with autogroup scheduling, the default on many systems, weighs these only
    against processes of the same session: programs started from another terminal are not
    given way to.) A command-line run, whose user waits for the workers, keeps them at its
    own priority.
    """
    before = getattr(_thread, "niceness", 0)
    _thread.niceness = niceness
    try:
        yield
    finally:
        _thread.niceness = before


def lower_priority(niceness: int) -> None:
    """Lower the calling process's priority for background work: ``os.nice(niceness)`` and,
    on Linux, the ``SCHED_IDLE`` policy.

    A nice value alone leaves the reader's threads queueing for a core behind their own
    process's other thread while the worker keeps the second core: the scheduler places a
    waking thread on a core that is idle, and a core running a niced worker is not (on two
    cores, the reader's screen and search threads waited for a core about three times as
    long beside the extraction worker at nice +10 as at ``SCHED_IDLE``). A core that runs
    only ``SCHED_IDLE`` work counts as idle, and such work gives way as soon as anything
    else wakes; with nothing else to run it has the whole core. (The nice value stays: it
    also lowers the worker's share of the disk.) Lowering a priority needs no privilege;
    where either call is missing (Windows, macOS) or refused, the process carries on as is.
    """
    with contextlib.suppress(AttributeError, OSError):  # no os.nice (Windows): as is
        os.nice(niceness)
    idle = getattr(os, "SCHED_IDLE", None)  # Linux only
    if idle is not None:
        with contextlib.suppress(AttributeError, OSError):
            os.sched_setscheduler(0, idle, os.sched_param(0))


def _start_worker(
    parent: int, niceness: int, setup: Callable[..., None] | None, args: tuple[Any, ...]
) -> None:
    """A worker's initializer: its priority, ``exit_with_parent``, then the pool's own
    ``setup``."""
    if niceness:
        lower_priority(niceness)
    exit_with_parent(parent)
    if setup is not None:
        setup(*args)


def process_pool(
    workers: int,
    allow_fork: bool = True,
    setup: Callable[..., None] | None = None,
    setup_args: tuple[Any, ...] = (),
    wait: bool = True,
) -> ProcessPoolExecutor:
    """A started process pool whose workers exit with this process.

    With ``allow_fork``, a single-threaded process (the command line) forks, so workers start
    at once with the parsers already imported; with other threads running (the TUI) forking is
    unsafe, and workers are spawned. ``setup(*setup_args)`` runs in each worker as it starts
    (a module-level function; with spawn its arguments are pickled, and multiprocessing
    objects made from the spawn context may be among them). Every worker is started here,
    while a real stderr is in place; with ``wait`` this returns once they are up, else at once
    (the caller works meanwhile; a worker that cannot start then shows as BrokenProcessPool on
    its first job). Started within ``background_priority``, they run at a lower priority.
    Raises OSError, ValueError or BrokenProcessPool when no worker can start.
    """
    import multiprocessing

    forkable = (
        allow_fork
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )
    with real_stderr():  # a TUI replaces stderr; the pool's helpers need a real fd
        with sigint_held():
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("fork" if forkable else "spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(), getattr(_thread, "niceness", 0), setup, setup_args),
            )
            try:
                jobs = [pool.submit(int) for _ in range(workers)]  # each starts a worker
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
        try:
            for job in jobs:
                if wait:
                    job.result()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return pool


BROKEN_GRACE = 5.0  # seconds a broken pool's own thread gets to end before shut_down helps


def shut_down(pool: Executor, wait: bool = True, cancel_futures: bool = False) -> None:
    """``pool.shutdown(...)``, which also returns after a worker died.

    When a worker dies (killed, out of memory) while the pool's feeder thread is writing a job
    into the pipe to the workers, and the pipe is full, that write waits for a reader that is
    gone: ``shutdown(wait=True)``, and the interpreter's exit, wait for it forever. CPython
    fixed this in later releases (python/cpython#94777: 3.11.2, Debian 12's, still has it):
    the pool's own thread closes the pool's end of that pipe once the pool is broken. Here,
    when that thread has not ended ``BROKEN_GRACE`` seconds after the pool broke, it is stuck
    so, and the pipe is closed for it. (Not sooner: on a release with the fix both would close
    it, and the second close could hit a file descriptor number already reused.)
    """
    if getattr(pool, "_broken", False):
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=BROKEN_GRACE)
            if manager.is_alive():
                reader = getattr(getattr(pool, "_call_queue", None), "_reader", None)
                if reader is not None:
                    with contextlib.suppress(OSError):
                        reader.close()
    pool.shutdown(wait=wait, cancel_futures=cancel_futures)


_STOPPING = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def sigint_held() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM, SIGHUP) back while worker processes are started; it is
    delivered when this ends.

    A spawned worker is a new interpreter in the terminal's process group: a Ctrl-C while it
    boots, before it can ignore SIGINT, would print "Fatal Python error" and a traceback. The
    signal mask is inherited through fork and exec, so a worker started here boots with
    SIGINT blocked (and then ignores it, see ``exit_with_parent``).
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from multiprocessing import resource_tracker

    # Started first: starting it later would unblock SIGINT here (it blocks and unblocks the
    # signal around its own start, the same protection). It ignores SIGINT and SIGTERM
    # itself; started with SIGHUP blocked, it also outlives a closed terminal, whose SIGHUP
    # killed it ("resource_tracker: process died unexpectedly", KeyError tracebacks).
    hangup = {signal.SIGHUP} if hasattr(signal, "SIGHUP") else set()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, hangup)
    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, set(_STOPPING))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
