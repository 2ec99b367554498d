"""Entity extraction speed, apart from start-up, on the labelled sets beside the project.

    python benchmarks/bench_entities.py [--dev-data ../shared/dev-data] [--repeat 5]

For each set (the same texts `score_entities.py` builds), prints the median words/s of the rule
extractor called in this process, and the median start-up of `newsreader entities --json` on a
one-word input (interpreter, imports, word lists), so that the whole-command figures of the
scorer can be read apart: a 70,000-word set takes almost as long to start as to extract.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS = [
    ("ner/wikineural-fr-val.conllu", 3000),
    ("ner/wikineural-en-val.conllu", 3000),
    ("ner/dwie-en-train.jsonl", 100),
    ("ner/hipe-letemps-dev-fr.tsv", 0),
    ("ner/hipe-newseye-dev-fr.tsv", 0),
    ("ner/hipe-hipe2020-dev-en.tsv", 0),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev-data", type=Path, default=HERE.parent.parent / "shared" / "dev-data")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tools = args.dev_data.parent / "tools"
    if not (tools / "score_entities.py").exists():
        sys.exit(f"no scorer at {tools}; pass --dev-data")
    sys.path.insert(0, str(tools))
    from score_entities import from_jsonl, from_tokens  # the scorer's own readers

    from reader.entities.rules import RuleExtractor

    started = time.perf_counter()
    rules = RuleExtractor()
    print(f"word lists loaded in {time.perf_counter() - started:.3f} s (in this process)")

    starts = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from reader.cli import run; run()",
                "entities",
                "--json",
            ],
            input=b"Paris.\n",  # one word, so that the word lists are loaded
            capture_output=True,
            check=True,
        )
        starts.append(time.perf_counter() - t)
    print(
        f"`newsreader entities --json` start-up (one-word input): median "
        f"{statistics.median(starts):.3f} s over {args.repeat} runs"
    )

    for name, limit in SETS:
        path = args.dev_data / name
        if not path.exists():
            print(f"{name}: missing, skipped")
            continue
        text, _, words = (from_jsonl if name.endswith(".jsonl") else from_tokens)(str(path), limit)
        rules.extract(text)  # warm
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            rules.extract(text)
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        label = f"{Path(name).name}" + (f" --max {limit}" if limit else "")
        print(
            f"{label:42} {words:>7,} words  median {median:.3f} s  "
            f"{words / median:>9,.0f} words/s (one core, extraction only)"
        )


if __name__ == "__main__":
    main()
