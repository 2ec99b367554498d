"""Store benchmark: index throughput, size, re-index, search latency, peak memory.

    python benchmarks/bench_store.py [--corpus DIR] [--count 100000] [--db FILE] [--repeat 15]

Generates the corpus with benchmarks/corpus.py when DIR does not exist, indexes it with the
real ``newsreader index`` command in a subprocess (wall time, peak RSS), re-indexes it
unchanged, then times 20+ query shapes through the store API. Terms are picked from the index
vocabulary by document frequency, so the figures do not depend on hand-chosen words.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_timed(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return wall, proc.stdout.strip()


def peak_children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def pick_terms(conn) -> dict[str, str]:
    """Words at chosen document frequencies, read from the FTS5 vocabulary."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles_fts, row)"
    )
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def near(df: float) -> str:
        row = conn.execute(
            "SELECT term FROM temp.vocab WHERE length(term) > 3 AND term GLOB '[a-z]*' "
            "ORDER BY abs(doc - ?) LIMIT 1",
            (df,),
        ).fetchone()
        return row[0]

    return {"rare": near(5), "medium": near(total * 0.01), "common": near(total * 0.5)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--corpus", type=Path, default=Path(tempfile.gettempdir()) / "newsreader-corpus"
    )
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()

    if not args.corpus.exists():
        print(f"generating {args.count} articles in {args.corpus} …", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), str(args.corpus), "--count", str(args.count)],
            check=True,
        )
    db = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "reader",
        "index",
        str(args.corpus),
        "--db",
        str(db),
        "--no-entities",
    ]

    wall, summary = run_timed(cmd)
    peak = peak_children_mib()
    from reader.store import FeedStore

    store = FeedStore(db)
    n = store.count()
    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    print(f"corpus: {n} articles in {args.corpus}")
    print(f"index: {wall:.1f} s wall ({n / wall:,.0f} articles/s), peak RSS {peak:.0f} MiB")
    print(f"  {summary}")
    print(f"database: {size / 2**20:.0f} MiB ({size / max(n, 1) / 1024:.1f} KiB per article)")
    rewall, resummary = run_timed(cmd)
    print(f"re-index unchanged: {rewall:.2f} s wall  ({resummary})")

    words = sum(len(b.split()) for (b,) in store.conn.execute("SELECT body FROM bodies"))
    started = time.perf_counter()
    done = store.extract_entities()
    secs = time.perf_counter() - started
    mentions = store.conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
    entities = store.conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    print(
        f"entities: {done} articles, {words:,} words in {secs:.1f} s "
        f"({words / secs:,.0f} words/s, one core), {mentions:,} mentions of {entities:,} entities"
    )

    t = pick_terms(store.conn)
    queries = [
        ("rare word", t["rare"]),
        ("medium word", t["medium"]),
        ("common word", t["common"]),
        ("common word (police)", "police"),
        ("accented", "défi"),
        ("prefix", "pol*"),
        ("prefix, names", "xiao*"),
        ("phrase", '"Lei Jun"'),
        ("phrase, common", '"Elon Musk"'),
        ("two words", "tesla berlin"),
        ("OR", "tesla OR xiaomi"),
        ("negation", "tesla -musk"),
        ("rare OR common", f"{t['rare']} OR {t['common']}"),
        ("empty query", ""),
        ("source:", "source:agence-a"),
        ("after:", "after:2025-06"),
        ("word + after:", "police after:2024"),
        ("before: + word", "before:2020 xiaomi"),
        ("word + source: + after:", "police source:wire-c after:2023"),
        ("is:unread", "is:unread"),
        ("entity:", "entity:Xiaomi"),
        ("entity: + word", 'entity:"Elon Musk" police'),
        ("negation only", f"-{t['common']}"),
        ("relevance order", "police"),
    ]
    print(f"\nsearch latency over {args.repeat} runs, first page of 100 (and the full id list):")
    print(f"{'shape':28} {'query':34} {'hits':>7} {'median':>9} {'p95':>9} {'all ids':>9}")
    medians, all_times = [], []
    for label, query in queries:
        order = "relevance" if label == "relevance order" else "date"
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            store.search_ids(query, order=order, limit=100)
            times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        hits = len(store.search_ids(query, order=order))
        full = (time.perf_counter() - started) * 1000
        times.sort()
        med, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        medians.append(med)
        all_times.extend(times)
        print(f"{label:28} {query[:34]:34} {hits:>7} {med:>7.2f}ms {p95:>7.2f}ms {full:>7.1f}ms")
    all_times.sort()
    print(
        f"\nall queries: median {statistics.median(all_times):.2f} ms, "
        f"p95 {all_times[int(0.95 * (len(all_times) - 1))]:.2f} ms, "
        f"worst median {max(medians):.2f} ms"
    )
    store.close()


if __name__ == "__main__":
    main()
