"""The store calls behind the reader's screens, timed inside one process (run by the harness).

    python -m benchmarks.store_probe search DB QUERIES.json [--repeat 5]
    python -m benchmarks.store_probe feeds DB QUERIES.json [--repeat 5]
    python -m benchmarks.store_probe typed DB QUERIES.json [--repeat 3]

Each mode prints one JSON object on standard output (milliseconds, ``peak_rss`` in MiB).

- ``search``: the newest 100 matches of each query shape (``FeedStore.search_ids(q,
  limit=100)``, what the reader asks for its first screenful and more), each shape run
  ``--repeat`` times after one warm-up; per shape the median.
- ``feeds`` (a copy of a store with subscriptions; it is changed): 20 saved searches are saved
  (the query shapes), then the feed list is opened, every count included: ``subscriptions()``,
  ``saved_searches()`` (one ``count_matches`` per saved search), ``sources()``,
  ``count_matches("")``, each call timed: once with nothing remembered, then ``--repeat``
  times (the store remembers counts until the database changes). Then ``--repeat`` times
  right after another connection marked 20 articles read (``after_marks``: the counts are
  brought up to date from the read log, see ``reader.store.counts``), ``--repeat`` times
  after another connection changed something else (``after_change``, a saved search: every
  count is computed again, from a page cache that is stale), ``--repeat`` times after another
  connection indexed 20 new articles (``after_new``: brought up to date from the log) and
  after it extracted their entities (``after_extraction``: ``entity:`` searches counted
  again; left out on a store indexed without entities), and mark-all-read
  (``mark_read("")``) of every article, timed, and back to unread (not timed).
- ``typed`` (not run by the harness): the store's part of each keystroke as the reader types
  each query shape letter by letter: the newest 100 matches of what the reader runs for each
  prefix of it (``query.as_you_type``: from three letters on, the last word is a prefix),
  best of ``--repeat``; per shape the slowest step and the text typed then.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAVED = 20


def ms(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def emit(result: dict[str, Any]) -> None:
    result["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result), flush=True)


def search(db: Path, queries: list[str], repeat: int) -> None:
    from reader.store import FeedStore

    out: dict[str, float] = {}
    hits: dict[str, int] = {}
    with FeedStore(db, create=False) as store:
        for query in queries:
            hits[query] = len(store.search_ids(query, limit=100))  # warm-up
            out[query] = statistics.median(
                ms(lambda q=query: store.search_ids(q, limit=100)) for _ in range(repeat)
            )
    emit({"per_query": out, "hits": hits})


def typed(db: Path, queries: list[str], repeat: int) -> None:
    from reader.store import FeedStore
    from reader.store.query import as_you_type

    out: dict[str, dict[str, Any]] = {}
    with FeedStore(db, create=False) as store:
        for query in queries:
            steps = []
            for i in range(1, len(query) + 1):
                text = as_you_type(query[:i])
                try:
                    best = min(
                        ms(lambda t=text: store.search_ids(t, limit=100)) for _ in range(repeat)
                    )
                except Exception:  # a query that does not parse yet: the reader says why
                    best = 0.0
                steps.append((best, text))
            worst = max(steps)
            out[query] = {"worst_ms": worst[0], "typed": worst[1], "steps": [s[0] for s in steps]}
    emit({"per_query": out})


def feed_list(store: Any) -> dict[str, float]:
    """One opening of the feed list: each call's time and the total."""
    parts = {
        "subscriptions": ms(store.subscriptions),
        "saved_searches": ms(store.saved_searches),
        "sources": ms(store.sources),
        "all_counts": ms(lambda: store.count_matches("")),
    }
    parts["total"] = sum(parts.values())
    return parts


def new_articles(folder: Path, queries: list[str], seed: int) -> str:
    """20 new dated-text articles (of a source the store has, ``agence-a``) made of the
    queries' words, as a refresh would bring."""
    rng = random.Random(seed)
    words = [w.strip('"-*()') for q in queries for w in q.split() if ":" not in w]
    words = [w for w in words if w.isalpha() and w.upper() != w] or ["article"]
    for n in range(20):
        text = " ".join(rng.choice(words) for _ in range(200))
        path = folder / "agence-a" / f"{n:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"date 2026-11-{n + 1:02d} Nouvelles {n}\n\n{text}\n", encoding="utf-8")
    return str(folder)


def feeds(db: Path, queries: list[str], repeat: int) -> None:
    from reader.store import FeedStore

    with FeedStore(db, create=False) as store:
        for i, query in enumerate(queries[:SAVED]):
            store.save_search(f"saved {i:02d}", query)
        feeds_count = len(store.subscriptions())
        articles = store.count()
        first = feed_list(store)  # nothing remembered yet: every count computed
        opened = [feed_list(store) for _ in range(repeat)]
        after_marks = []
        with FeedStore(db) as other:
            ids = other.search_ids("", limit=200)
            for i in range(repeat):
                other.set_read(ids[i * 20 : i * 20 + 20])  # another connection commits
                after_marks.append(feed_list(store))
            other.set_read(ids, read=False)
            after_change = []
            for i in range(repeat):
                other.save_search("probe", f"probe {i}")  # anything but marks: counted again
                after_change.append(feed_list(store))
            other.unsave_search("probe")
            feed_list(store)  # shown once after that change, as the reader does
            after_new, after_extraction = [], []
            # A store indexed without entities would extract everything: new articles only.
            extract = other.db.conn.execute(
                "SELECT count(*) <= 1000 FROM articles WHERE entities_done = 0"
            ).fetchone()[0]
            with tempfile.TemporaryDirectory() as tmp:
                for i in range(repeat):
                    other.index([new_articles(Path(tmp) / f"new{i}", queries, i)])
                    after_new.append(feed_list(store))  # new articles: from the log
                    if extract:
                        other.extract_entities(workers=0)
                        after_extraction.append(feed_list(store))  # entity: counted again
        marks = []
        for _ in range(repeat):
            marks.append(ms(lambda: store.mark_read("")))
            store.mark_read("", read=False)
        saved = len(store.saved_searches(counts=False))
    emit(
        {
            "feeds": feeds_count,
            "articles": articles,
            "saved": saved,
            "first": first,
            "opened": opened,
            "after_marks": after_marks,
            "after_change": after_change,
            "after_new": after_new,
            "after_extraction": after_extraction,
            "mark_read": marks,
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("search", "feeds", "typed"))
    ap.add_argument("db", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    queries = json.loads(args.queries.read_text())
    if args.mode == "search":
        search(args.db, queries, args.repeat)
    elif args.mode == "typed":
        typed(args.db, queries, args.repeat)
    else:
        feeds(args.db, queries, args.repeat)


if __name__ == "__main__":
    main()
