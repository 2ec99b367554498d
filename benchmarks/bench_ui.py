"""Reader benchmark on a large store: first paint, CPU per cursor key, search keystrokes.

    python benchmarks/bench_ui.py --db FILE [--keys 200]

FILE is a store built by benchmarks/bench_store.py (100,000 articles). Figures:
- whole-process time from launching ``python -m reader`` (headless) to the first painted
  headline list, median of 5 launches;
- CPU time per cursor key (down) and per page key, including the repaint, median of N;
- time from a keystroke in the search bar to the updated list, for each prefix of several
  queries typed letter by letter: the query in the worker thread, the list swap on the UI
  thread, and the repaint of every visible row from a cold cache, for the first screenful
  and for the full list of matches that follows (Pilot's own scheduling, about 80 ms a key,
  is left out);
- peak RSS of the reader process.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import sys, time
from reader.ui.app import NewsReader
from reader.ui.widgets.headline_list import HeadlineList

async def auto_pilot(pilot):
    await pilot.pause()
    hl = pilot.app.screen.query_one(HeadlineList)
    print(time.time(), len(hl.ids), flush=True)
    pilot.app.exit()

NewsReader(sys.argv[1]).run(headless=True, size=(120, 40), auto_pilot=auto_pilot)
"""


def queries(conn) -> list[str]:
    """The query shapes of bench_store.py (terms picked from the index the same way)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_store import pick_terms

    t = pick_terms(conn)
    return [
        t["rare"],
        t["medium"],
        t["common"],
        "police",
        "défi",
        "pol*",
        "xiao*",
        '"Lei Jun"',
        '"Elon Musk"',
        "tesla berlin",
        "tesla OR xiaomi",
        "tesla -musk",
        f"{t['rare']} OR {t['common']}",
        "source:agence-a",
        "after:2025-06",
        "police after:2024",
        "before:2020 xiaomi",
        "police source:wire-c after:2023",
        "is:unread",
        "entity:Xiaomi",
        'entity:"Elon Musk" police',
        f"-{t['common']}",
    ]


def first_paint(db: Path, runs: int = 5) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(runs):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(out[0]) - started)
        rows = int(out[1])
    return statistics.median(times), rows


async def in_process(db: Path, keys: int) -> None:
    from reader.ui.app import NewsReader
    from reader.ui.screens.headlines import FIRST_PAGE
    from reader.ui.widgets.headline_list import HeadlineList
    from reader.ui.widgets.search_bar import SearchBar

    app = NewsReader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        hl = app.screen.query_one(HeadlineList)
        for label, action in (("down", hl.action_cursor_down), ("page down", hl.action_page_down)):
            cpu = []
            for _ in range(keys):
                started = time.process_time()
                action()
                await pilot.pause()
                cpu.append((time.process_time() - started) * 1000)
            print(
                f"CPU per {label} key: median {statistics.median(cpu):.2f} ms, "
                f"p95 {sorted(cpu)[int(0.95 * (len(cpu) - 1))]:.2f} ms over {keys} keys"
            )
        bar = app.screen.query_one(SearchBar)
        app.screen.action_search()
        print("\nsearch: keystroke to updated list, each prefix typed in turn")
        screen = app.screen
        bar.value = "x"  # the bar is open; what follows times the app's work for each value
        await app.workers.wait_for_complete()
        every: list[float] = []
        for query in queries(app.store.conn):
            times, full_times = [], []
            for i in range(1, len(query) + 1):
                started = time.perf_counter()
                # What the search worker and the UI thread run: the first screenful ...
                first = screen._run_query(query[:i], limit=FIRST_PAGE)
                screen._apply(*first, complete=len(first[1]) < FIRST_PAGE)
                for y in range(hl.size.height):  # repaint of the visible rows, cold cache
                    hl.render_line(y)
                times.append((time.perf_counter() - started) * 1000)
                # ... then, for a longer result, the full list of matches.
                if len(first[1]) == FIRST_PAGE:
                    screen._apply(*screen._run_query(query[:i]))
                    for y in range(hl.size.height):
                        hl.render_line(y)
                full_times.append((time.perf_counter() - started) * 1000)
                await pilot.pause()
            every.extend(times)
            print(
                f"  {query[:32]:32} {len(hl.ids):>7} hits  first screen: median "
                f"{statistics.median(times):5.1f} ms, max {max(times):5.1f} ms;  full list: "
                f"median {statistics.median(full_times):5.1f} ms, max {max(full_times):5.1f} ms"
            )
        slow = sum(1 for t in every if t > 30)
        print(
            f"\nfirst screenful over all {len(every)} keystrokes: median "
            f"{statistics.median(every):.1f} ms, {slow} over 30 ms, max {max(every):.1f} ms"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the reader process (in-process run): {peak:.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--keys", type=int, default=200)
    args = ap.parse_args()
    paint, rows = first_paint(args.db)
    print(f"first paint: {paint:.2f} s from process start (median of 5), {rows:,} headlines")
    asyncio.run(in_process(args.db, args.keys))


if __name__ == "__main__":
    main()
