"""CPU time of entity extraction per generated article, as `newsreader index` spends it.

    python benchmarks/bench_entities_corpus.py [--corpus DIR] [--articles 1000] [--rounds 3]
    python benchmarks/bench_entities_corpus.py --trees OLD_TREE NEW_TREE [--rounds 3]

Each measurement is a fresh process: it reads the first ``--articles`` articles of the corpus
as the store does (body without code blocks, language detected when parsed), builds the
extractor and reads one article, then extracts every article once with no known names and
prints the CPU milliseconds per article (the store's workers also start cold, so remembered
runs count only as far as the articles themselves repeat them). With ``--trees``, the two trees
(``PYTHONPATH=TREE``) are measured alternately, ``--rounds`` times each, and the medians
compared; the language detection done at parsing is timed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "perf-bench" / "corpus-10000-seed7" / "text"


def measure(corpus: Path, articles: int) -> dict[str, float]:
    """CPU ms per article of extraction and of language detection, in this process."""
    from reader.entities import get_extractor
    from reader.lang import detect_language
    from reader.store.sources.dated_text import load_dated_text
    from reader.textutil import without_code

    bodies = []
    for path in sorted(corpus.rglob("*.txt"))[:articles]:
        article, _ = load_dated_text(path.read_bytes())
        bodies.append((without_code(article.body), article.language))
    rules = get_extractor("rules")  # what the store calls
    rules.extract("Lei Jun a rencontré Elon Musk à Pékin.", "fr", {})  # as the store warms up
    started = time.process_time()
    words = 0
    for body, lang in bodies:
        rules.extract(body, lang, {})
    extract = time.process_time() - started
    started = time.process_time()
    for body, _ in bodies:
        detect_language(body)
        words += len(body.split())
    detect = time.process_time() - started
    n = len(bodies)
    return {"extract_ms": 1000 * extract / n, "detect_ms": 1000 * detect / n, "words": words / n}


def _child(tree: Path | None, args: argparse.Namespace) -> dict[str, float]:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    cmd = [sys.executable, __file__, "--json", "--corpus", str(args.corpus)]
    cmd += ["--articles", str(args.articles)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--trees", type=Path, nargs=2, metavar=("OLD", "NEW"))
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # (a child)
    args = ap.parse_args()
    if args.json:
        print(json.dumps(measure(args.corpus, args.articles)))
        return
    trees: list[Path | None] = [t.resolve() for t in args.trees] if args.trees else [None]
    results: dict[int, list[dict[str, float]]] = {k: [] for k in range(len(trees))}
    for r in range(args.rounds):
        for k, tree in enumerate(trees):
            got = _child(tree, args)
            results[k].append(got)
            label = str(tree) if tree else "this tree"
            print(
                f"round {r + 1} {label:24} extraction {got['extract_ms']:.3f} ms/article, "
                f"detection {got['detect_ms']:.3f} ms ({got['words']:.0f} words/article)",
                flush=True,
            )
    medians = [statistics.median(x["extract_ms"] for x in results[k]) for k in results]
    for k, tree in enumerate(trees):
        label = str(tree) if tree else "this tree"
        detect = statistics.median(x["detect_ms"] for x in results[k])
        print(
            f"median {label:24} extraction {medians[k]:.3f} ms/article, detection "
            f"{detect:.3f} ms ({args.articles:,} articles)"
        )
    if len(trees) == 2:
        print(f"new/old {medians[1] / medians[0]:.3f} ({medians[0] / medians[1]:.2f}x faster)")


if __name__ == "__main__":
    main()
