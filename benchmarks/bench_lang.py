"""Language detection accuracy and speed on the labelled sets beside the project.

    python benchmarks/bench_lang.py [--dev-data ../shared/dev-data] [--compare]

For each set of known language, prints how often ``reader.lang.detect_language`` names it on
single sentences (one line each, often under ten words) and on "articles" (20 consecutive
sentences, or one DWIE document), and its speed. ``--compare`` adds py3langid (BSD, a
statistical detector, if installed; not a dependency) restricted to the same languages.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS = [  # (file, language)
    ("ner/wikineural-fr-val.conllu", "fr"),
    ("ner/wikineural-en-val.conllu", "en"),
    ("ner/wikineural-de-val.conllu", "de"),
    ("ner/wikineural-it-val.conllu", "it"),
    ("ner/wikineural-es-val.conllu", "es"),
    ("ner/dwie-en-train.jsonl", "en"),
    ("ner/hipe-letemps-dev-fr.tsv", "fr"),
    ("ner/hipe-newseye-dev-fr.tsv", "fr"),
    ("ner/hipe-hipe2020-dev-en.tsv", "en"),
]
ARTICLE = 20  # sentences per "article" for the token sets


def measure(detect: Callable[[str], str], pieces: list[str], lang: str) -> tuple[float, float]:
    """(share right, pieces per second: median of three runs)."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        found = [detect(p) for p in pieces]
        times.append(time.perf_counter() - t)
    right = sum(1 for f in found if f == lang)
    return right / len(pieces), len(pieces) / statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev-data", type=Path, default=HERE.parent.parent / "shared" / "dev-data")
    ap.add_argument("--compare", action="store_true", help="also measure py3langid")
    args = ap.parse_args()
    sys.path.insert(0, str(args.dev_data.parent / "tools"))
    from score_entities import from_jsonl, from_tokens

    from reader.lang import LANGUAGES, detect_language

    detectors: dict[str, Callable[[str], str]] = {"function words": detect_language}
    if args.compare:
        import py3langid  # type: ignore[import-not-found]

        py3langid.set_languages(list(LANGUAGES))
        detectors["py3langid"] = lambda text: py3langid.classify(text)[0]
    print(
        f"{'set':30} {'lang':4} {'detector':15} {'sentences':>9} {'per s':>9}"
        f" {'articles':>8} {'per s':>8}  wrong sentences as"
    )
    for name, lang in SETS:
        path = args.dev_data / name
        if name.endswith(".jsonl"):
            text = from_jsonl(str(path), 0)[0]
            articles = [a for a in text.split("\n\n") if a.strip()]
            sentences = [s for a in articles for s in a.split("\n") if len(s.split()) >= 3]
        else:
            sentences = [s for s in from_tokens(str(path), 0)[0].split("\n") if s.strip()]
            articles = [
                "\n".join(sentences[i : i + ARTICLE]) for i in range(0, len(sentences), ARTICLE)
            ]
        for label, detect in detectors.items():
            s_acc, s_speed = measure(detect, sentences, lang)
            a_acc, a_speed = measure(detect, articles, lang)
            wrong = Counter(f for f in map(detect, sentences) if f != lang).most_common(3)
            print(
                f"{Path(name).name:30} {lang:4} {label:15} {s_acc:9.3f} {s_speed:9,.0f}"
                f" {a_acc:8.3f} {a_speed:8,.0f}  {' '.join(f'{k}:{n}' for k, n in wrong)}"
            )


if __name__ == "__main__":
    main()
