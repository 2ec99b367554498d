"""One benchmark command: newsreader, newsboat and the raw limits side by side.

    python -m benchmarks --size 10000 [--runs 3] [--seed 7] [--work /tmp/newsreader-bench]
                         [--out BENCHMARKS.md] [--results benchmarks/results] [--skip GROUP,…]

Generates (or reuses) one deterministic corpus under the work folder, runs every figure
``--runs`` times, prints the size's tables, saves the raw results as ``RESULTS/size-N.json`` and
rebuilds ``--out`` from every saved size. Groups (for ``--skip``): limits, index (dated text),
rss (the RSS files), entities, search, refresh, state, ui, background, newsboat.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from benchmarks import harness, report

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, required=True, help="articles in the corpus")
    ap.add_argument("--runs", type=int, default=3, help="runs of each figure (default 3)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsreader-bench"),
                    help="corpus and scratch files (the corpus is kept and reused)")  # fmt: skip
    ap.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    ap.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    ap.add_argument("--keys", type=int, default=100, help="cursor keys per reader run")
    ap.add_argument("--skip", default="", help="comma-separated groups not to run")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases")
    args = ap.parse_args(argv)
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())
    if unknown := skip - set(harness.GROUPS):
        ap.error(
            f"unknown group(s) {', '.join(sorted(unknown))}; groups: {', '.join(harness.GROUPS)}"
        )
    if args.size < 1 or args.runs < 1:
        ap.error("--size and --runs must be at least 1")
    opts = harness.Options(size=args.size, runs=args.runs, seed=args.seed, work=args.work,
                           keys=args.keys, skip=skip, keep=args.keep)  # fmt: skip
    res = harness.Bench(opts, argv).run()
    args.results.mkdir(parents=True, exist_ok=True)
    data = asdict(res)
    (args.results / f"size-{args.size}.json").write_text(json.dumps(data, indent=1) + "\n")
    print(report.section(data))
    print(f"Machine: {report.machine(res.info)}.")
    report.write(args.results, args.out)
    print(f"\nwrote {args.out} and {args.results / f'size-{args.size}.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
