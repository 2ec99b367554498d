"""A refresh over HTTP by two versions of the code, interleaved: wall time and peak memory.

    python -m benchmarks.ab_refresh OLD_TREE NEW_TREE [--size 100000] [--rounds 1]
        [--work /work/perf-bench]

Each tree is a checkout of the project (its ``reader`` package is put first on
``PYTHONPATH``). The RSS files of the benchmark corpus of that size (made by ``python -m
benchmarks --size N``) are served on 127.0.0.1 by the harness's server; each round, each
version imports the same OPML list into a fresh database and runs ``refresh --no-entities``,
measured as the harness measures it (largest process from ``wait4``, whole tree sampled).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from benchmarks import procs
from benchmarks.server import FeedServer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsreader-bench"))
    args = ap.parse_args()
    rss = args.work / f"corpus-{args.size}-seed7" / "rss"
    if not rss.is_dir():
        sys.exit(f"no corpus at {rss}: run python -m benchmarks --size {args.size} first")
    newsreader = str(Path(sys.executable).parent / "newsreader")
    scratch = Path(tempfile.mkdtemp(prefix="ab-refresh-"))
    with FeedServer(rss) as server:
        opml = scratch / "feeds.opml"
        outlines = "".join(
            f'<outline type="rss" text="{p.stem}" xmlUrl="{server.url(p)}"/>'
            for p in sorted(rss.rglob("*.xml"))
        )
        opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
        for r in range(args.rounds):
            for label, tree in (("old", args.old), ("new", args.new)):
                env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "HOME": str(scratch)}
                db = scratch / f"{label}-{r}.db"
                procs.run([newsreader, "import-opml", str(opml), "--db", str(db)], env=env)
                m = procs.run([newsreader, "refresh", "--no-entities", "--db", str(db)], env=env)
                summary = (m.stdout.strip().splitlines() or ["?"])[-1]
                print(
                    f"{label}: {m.wall:.2f} s, largest process {m.peak_largest:.0f} MiB, "
                    f"whole tree {m.peak_tree:.0f} MiB, exit {m.returncode}; {summary}",
                    flush=True,
                )
                db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
