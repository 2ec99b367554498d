"""Helpers for the parse worker processes of indexing and refresh."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor


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
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="newsreader-parent-watch", daemon=True).start()


def process_pool(workers: int, allow_fork: bool = True) -> ProcessPoolExecutor:
    """A started process pool whose workers exit with this process.

    With ``allow_fork``, a single-threaded process (the command line) forks, so workers start
    at once with the parsers already imported; with other threads running (the TUI) forking is
    unsafe, and workers are spawned. Every worker is started here, while a real stderr is in
    place. Raises OSError, ValueError or BrokenProcessPool when no worker can start.
    """
    import multiprocessing

    forkable = (
        allow_fork
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )
    with real_stderr():  # a TUI replaces stderr; the pool's helpers need a real fd
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork" if forkable else "spawn"),
            initializer=exit_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            for job in [pool.submit(int) for _ in range(workers)]:
                job.result()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return pool
