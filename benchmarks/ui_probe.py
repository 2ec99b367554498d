"""The reader's figures, measured inside one reader process (run by the harness, one per run).

    python -m benchmarks.ui_probe paint DB
    python -m benchmarks.ui_probe first DB
    python -m benchmarks.ui_probe interact DB QUERIES.json [--keys 100]
    python -m benchmarks.ui_probe background DB QUERIES.json [--passes N]

Each mode prints one JSON object on standard output (``{"skipped": reason}`` when the app's
structure does not offer what it needs). It drives the app only through
``reader.ui.app.NewsReader(db_path)``, its headline list (``#headlines``, its ``ids`` and
cursor actions), its search bar (``#search-bar``) and the screen's ``search`` worker: the code
a keystroke runs, without Pilot's own scheduling (about 80 ms a key).

- ``paint``: prints the wall-clock time at which the first list of headlines is painted
  (headless, 120×40), once the messages pending then are handled (on a large store, the
  full list too); the harness subtracts its launch time.
- ``first``: the wall-clock time at which the list first holds headlines (the first
  screenful); not run by the harness.
- ``interact``: CPU time per cursor key and per page key (repaint included); then each query
  typed letter by letter: time from the keystroke to the first screenful of results painted
  (the search worker's first query, the list swap, every visible row rendered from a cold
  cache) and to the full list of matches; and how many full garbage collections ran while
  typing, and the longest.
- ``background``: the same typing while the reader extracts the entities of every pending
  article in the background (the store was indexed with ``--no-entities``); then how long the
  extraction took. The harness measures the memory of the whole process tree. With
  ``--passes N``, the typing stops after N passes over the queries even if the extraction
  has not finished (it is stopped by quitting, and resumes at the next start): the figures
  of typing beside a long extraction (a million articles) without waiting for its end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

VIEW = (120, 40)


def emit(result: dict[str, Any]) -> None:
    """Print the result, with this process's own peak RSS (MiB)."""
    result.setdefault("peak_rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result), flush=True)


def load_app(db: Path) -> Any:
    """A NewsReader on ``db``, or a JSON skip line and exit when the app cannot be built."""
    try:
        from reader.ui.app import NewsReader
    except Exception as exc:  # the UI is being restructured: say so, never crash the harness
        emit({"skipped": f"cannot import reader.ui.app.NewsReader ({exc})"})
        sys.exit(0)
    return NewsReader(db_path=db)


def headline_list(app: Any) -> Any:
    """The headline list widget of the current screen."""
    return app.screen.query_one("#headlines")


def paint(db: Path) -> None:
    app = load_app(db)

    async def auto_pilot(pilot: Any) -> None:
        await pilot.pause()
        rows = len(getattr(headline_list(pilot.app), "ids", ()))
        emit({"painted_at": time.time(), "rows": rows})
        pilot.app.exit()

    app.run(headless=True, size=VIEW, auto_pilot=auto_pilot)


def first(db: Path) -> None:
    """The wall-clock time at which the headline list first holds rows (the first screenful,
    before the full list of a large store arrives), and how many it holds then."""
    app = load_app(db)

    async def auto_pilot(pilot: Any) -> None:
        while True:
            with contextlib.suppress(Exception):  # not composed yet
                if rows := len(headline_list(pilot.app).ids):
                    break
            await asyncio.sleep(0.002)
        at = time.time()
        await pilot.pause()
        emit({"painted_at": at, "rows": rows})
        pilot.app.exit()

    app.run(headless=True, size=VIEW, auto_pilot=auto_pilot)


def render_visible(hl: Any) -> None:
    """Render every visible row, as a repaint does (the list's strip cache is cold after a swap)."""
    for y in range(hl.size.height):
        hl.render_line(y)


async def keystroke(app: Any, bar: Any, hl: Any, text: str) -> tuple[float, float, int]:
    """Milliseconds from a keystroke (bar value ``text``) to the first screenful painted and to
    the full list painted; and the number of hits listed."""
    from textual.widgets import Input

    old = hl.ids
    started = time.perf_counter()
    screen = app.screen
    with bar.prevent(Input.Changed):  # the screen's handler would start the same worker
        bar.value = text
    if hasattr(screen, "full_query"):
        # What the bar's change handler does: the screen's search text, then its whole query
        # (the scope, the last word as a prefix, the unread filter); results for any other
        # query are not applied.
        screen.search_text = text
        worker = screen.search(screen.full_query())
    else:
        worker = screen.search(text)
    # A newer search (the reader's own, when the store changed) cancels this one; cancelled
    # before it started, a Textual worker never leaves PENDING, and this waited forever.
    while hl.ids is old and not (worker.is_finished or worker.is_cancelled):
        await asyncio.sleep(0.0005)
    render_visible(hl)
    first = (time.perf_counter() - started) * 1000
    shown = hl.ids
    with contextlib.suppress(Exception):  # a malformed prefix shows a message, not a failure
        await worker.wait()
    if hl.ids is not shown:
        render_visible(hl)
    full = (time.perf_counter() - started) * 1000
    return first, full, len(hl.ids)


class FullCollections:
    """Python's full garbage collections while it is installed: how many, the longest (ms)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.times.append((time.perf_counter() - self._started) * 1000)

    def __enter__(self) -> FullCollections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> dict[str, float]:
        return {"count": len(self.times), "longest_ms": max(self.times, default=0.0)}


async def type_queries(app: Any, queries: list[str]) -> list[dict[str, Any]]:
    """Type each query letter by letter; per query, the times of every prefix."""
    hl = headline_list(app)
    bar = app.screen.query_one("#search-bar")
    app.screen.action_search()
    await asyncio.sleep(0.2)  # the bar opens on "/", a keystroke of its own, before any letter
    out = []
    for query in queries:
        firsts, fulls, hits = [], [], 0
        for i in range(1, len(query) + 1):
            first, full, hits = await keystroke(app, bar, hl, query[:i])
            firsts.append(first)
            fulls.append(full)
        out.append({"query": query, "hits": hits, "first": firsts, "full": fulls})
    return out


def check_structure(app: Any) -> str | None:
    """Why the app cannot be driven as this probe expects, or None."""
    try:
        hl = headline_list(app)
        app.screen.query_one("#search-bar")
    except Exception as exc:
        return f"no #headlines list or #search-bar ({exc})"
    for owner, name in ((hl, "ids"), (hl, "action_cursor_down"), (hl, "action_page_down"),
                        (hl, "render_line"), (app.screen, "search"),
                        (app.screen, "action_search")):  # fmt: skip
        if not hasattr(owner, name):
            return f"{type(owner).__name__} has no {name}"
    return None


async def interact(db: Path, queries: list[str], keys: int) -> None:
    app = load_app(db)
    result: dict[str, Any] = {}
    async with app.run_test(size=VIEW) as pilot:
        await app.workers.wait_for_complete()
        if reason := check_structure(app):
            emit({"skipped": reason})
            return
        hl = headline_list(app)
        result["rows"] = len(hl.ids)
        for label, action in (("down", hl.action_cursor_down), ("page", hl.action_page_down)):
            cpu = []
            for _ in range(keys):
                started = time.process_time()
                action()
                await pilot.pause()
                cpu.append((time.process_time() - started) * 1000)
            result[f"cpu_{label}"] = statistics.median(cpu)
        with FullCollections() as collections:
            result["typed"] = await type_queries(app, queries)
        result["full_collections"] = collections.summary()
    emit(result)


async def background(db: Path, queries: list[str], passes_max: int = 0) -> None:
    app = load_app(db)
    started = time.perf_counter()
    result: dict[str, Any] = {}
    async with app.run_test(size=VIEW) as pilot:
        await pilot.pause()
        if reason := check_structure(app):
            emit({"skipped": reason})
            return
        running = [w for w in app.workers if w.group in ("index", "work") and not w.is_finished]
        typed: list[dict[str, Any]] = []
        passes = 0
        while passes == 0 or any(not w.is_finished for w in running):
            typed.extend(await type_queries(app, queries))
            passes += 1
            if passes == passes_max:
                break
        finished = all(w.is_finished for w in running)
        if finished:
            for w in running:
                await w.wait()
        result["extract_seconds"] = time.perf_counter() - started
        result["extraction_finished"] = finished
        result["passes"] = passes
        result["typed"] = typed
        result["worker_found"] = bool(running)
    emit(result)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("paint", "first", "interact", "background"))
    ap.add_argument("db", type=Path)
    ap.add_argument("queries", type=Path, nargs="?")
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--passes", type=int, default=0, help="background: stop typing after N")
    args = ap.parse_args()
    if args.mode in ("paint", "first"):
        (paint if args.mode == "paint" else first)(args.db)
        return
    queries = json.loads(args.queries.read_text()) if args.queries else []
    if args.mode == "interact":
        asyncio.run(interact(args.db, queries, args.keys))
    else:
        asyncio.run(background(args.db, queries, args.passes))


if __name__ == "__main__":
    main()
