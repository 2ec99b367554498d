"""Time find keys in a long article, and a long query typed key by key (Pilot, headless).

    python -m benchmarks.find_probe article FILE.txt     # a dated text (5,000 paragraphs…)
    python -m benchmarks.find_probe paste DB N [QUERY.txt]  # N keys posted into the search bar

``article`` indexes the file into a fresh store, opens it, types ``/number``, then enter,
``n`` and ``N``; each key's wall time (Pilot's own waits included: a key that only scrolls
shows what they cost), the process's CPU time, and "own": the time spent in the find's
handlers and in the screen's layout and paint. ``paste`` posts N keys at once, as a terminal
without bracketed paste sends a paste, then again by batches of 1,000, each batch's CPU time
showing whether a key's cost grows with the text, and counts the searches run. Figures are
printed, never asserted (the tests check what the work is, not how long it takes).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from pathlib import Path

from textual.worker import WorkerCancelled

from reader.store import FeedStore
from reader.ui.app import NewsReader


async def settle(app, pilot) -> None:
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


CPU: list[float] = []
SPENT = [0.0]  # seconds in the reader's own work for keys: handlers, layout and painting


def instrument() -> None:
    """Count the time spent in the find's handlers and in the screen's layout and paint."""
    import functools

    from textual.screen import Screen

    from reader.ui.screens import article as art

    def timing(owner, name):
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args, **kw):
            start = time.perf_counter()
            try:
                return original(*args, **kw)
            finally:
                SPENT[0] += time.perf_counter() - start

        setattr(owner, name, wrapper)

    timing(Screen, "_refresh_layout")
    from reader.ui.screens.headlines import HeadlinesScreen

    run = HeadlinesScreen._run_query

    def counted(self, *args, **kw):
        SEARCHES[0] += 1
        return run(self, *args, **kw)

    HeadlinesScreen._run_query = counted
    for name in ("action_match", "_find_changed", "_find_submitted", "render_body"):
        if hasattr(art.ArticleScreen, name):
            timing(art.ArticleScreen, name)


async def timed(pilot, app, *keys: str) -> float:
    """Wall time of the keys and what follows (Pilot's own waits included); the process's
    CPU time of the same is appended to CPU."""
    start, cpu = time.perf_counter(), time.process_time()
    SPENT[0] = 0.0
    await pilot.press(*keys)
    await settle(app, pilot)
    CPU.append(time.process_time() - cpu)
    OWN.append(SPENT[0])
    return time.perf_counter() - start


OWN: list[float] = []
SEARCHES = [0]


def own(n: int) -> str:
    return ", ".join(f"{t * 1000:.0f}" for t in OWN[-n:])


def cpu(n: int) -> str:
    return ", ".join(f"{t * 1000:.0f}" for t in CPU[-n:])


async def article(path: str) -> None:
    db = Path(tempfile.mkdtemp()) / "a.db"
    with FeedStore(db) as store:
        store.index([path])
    app = NewsReader(db)

    async def keys(label: str, *pressed: str) -> None:
        walls = [await timed(pilot, app, key) for key in pressed]
        ms = ", ".join(f"{t * 1000:.0f}" for t in walls)
        print(f"{label}: wall {ms} ms; cpu {cpu(len(walls))} ms; own {own(len(walls))} ms")

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await keys("open the article (enter)", "enter")
        screen = app.screen
        await keys("j (a key that only scrolls: Pilot's own cost)", *"jjjjj")
        await keys("/", "slash")
        await keys("type number", *"number")
        bar = screen.query_one("#find-bar")
        print("count:", bar.query_one(".find-bar--count").render())
        await keys("enter (own counted twice: the handler and the move it calls)", "enter")
        await keys("n", *"nnnnn")
        await keys("N", *"NNN")
        print("count:", bar.query_one(".find-bar--count").render())
        await keys("G (the end)", "G")


async def paste(db: str, n: int, source: str | None = None) -> None:
    """``n`` keys posted at once, as a terminal without bracketed paste sends a paste; then
    the same again by batches of 1,000 (each handled before the next), the CPU time of each
    batch showing whether a key's cost grows with the text."""
    from textual import events

    app = NewsReader(Path(db))
    text = Path(source).read_text().strip()[:n] if source else ("lorem ipsum dolor " * n)[:n]
    keys = [events.Key("space" if ch == " " else ch, ch) for ch in text]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        start, cpu = time.perf_counter(), time.process_time()
        for key in keys:
            app.post_message(key)
        await settle(app, pilot)
        bar = app.screen.query_one("#search-bar")
        print(
            f"{n} keys at once: handled and searched in {time.perf_counter() - start:.2f} s "
            f"(cpu {time.process_time() - cpu:.2f} s); searches run {SEARCHES[0]}; "
            f"the bar holds {len(bar.value)} characters"
        )
        bar.value = ""
        await settle(app, pilot)
        SEARCHES[0] = 0
        batches = []
        for at in range(0, len(keys), 1000):
            cpu = time.process_time()
            for key in keys[at : at + 1000]:
                app.post_message(events.Key(key.key, key.character))
            await settle(app, pilot)
            batches.append(time.process_time() - cpu)
        print(
            "by 1,000 keys: cpu",
            ", ".join(f"{t:.2f}" for t in batches),
            "s;",
            f"searches run {SEARCHES[0]}; status: "
            f"{str(app.screen.query_one('#status').render())[:60]}",
        )


if __name__ == "__main__":
    instrument()
    if sys.argv[1] == "article":
        asyncio.run(article(sys.argv[2]))
    else:
        asyncio.run(paste(sys.argv[2], int(sys.argv[3]), *sys.argv[4:5]))
