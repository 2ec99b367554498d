"""Train the learned typing step (reader/entities/typer.py) and measure it against the rules.

    python benchmarks/train_typer.py [--dev-data ../shared/dev-data] [--epochs 8] [--save]
    python benchmarks/train_typer.py --validate    # train on S, measure on A (both read)

Training data: the candidates the rules find in the READ parts of the development sets
(wikineural-fr and -en parts S and A, DWIE parts S and A; see entities_heldout.py), each
labelled with the gold kind of the exact same span (a span no gold name has is MISC; one that
overlaps a gold MISC is left out, as the scorer does). The model sees only the features of
``typer.features``; it is trained on every candidate and, as the extractor uses it, types only
the names that no rule and no other mention typed (and reviews what some weak rules typed,
``REVIEWED_RULES``). Printed: typed P/R/F1 and per-type F1 of
the rules alone and of the rules with the learned step, on the unread parts B (aggregate
figures only) or, with --validate, on A.
``--save`` writes the weights to reader/entities/data/typer.json.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.entities.rules import RuleExtractor

HERE = Path(__file__).resolve().parent
SETS = [  # (file, items in the scored slice S, separator)
    ("ner/wikineural-fr-val.conllu", 3000, "\n"),
    ("ner/wikineural-en-val.conllu", 3000, "\n"),
    ("ner/dwie-en-train.jsonl", 100, "\n\n"),
]
CLASSES = ("PERSON", "ORG", "PLACE", "MISC")
TO_GOLD = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC"}

Example = tuple[list[str], int]  # features, class index


def parts(dev: Path) -> dict[tuple[str, str], tuple[str, list[tuple[int, int, str]]]]:
    """(set, part) → (text, gold spans) for parts S, A and B of each set."""
    from score_entities import from_jsonl, from_tokens

    out = {}
    for name, scored, sep in SETS:
        load = from_jsonl if name.endswith(".jsonl") else from_tokens
        text, gold, _ = load(str(dev / name), 0)
        starts = [0]
        while (at := text.find(sep, starts[-1])) >= 0:
            starts.append(at + len(sep))
        half = scored + (len(starts) - scored) // 2
        for part, (first, last) in {
            "S": (0, scored),
            "A": (scored, half),
            "B": (half, len(starts)),
        }.items():
            a = starts[first]
            b = starts[last] - len(sep) if last < len(starts) else len(text)
            inside = [(s - a, e - a, t) for s, e, t in gold if a <= s and e <= b]
            out[(Path(name).name, part)] = (text[a:b], inside)
    return out


# start, end, kind of the rules and the document, features, typing rule, its kind, strong
Candidate = tuple[int, int, str, list[str], str, str, bool]


def candidates(text: str) -> list[Candidate]:
    """(start, end, kind of the rules, features, typing rule, the rule's kind, strong) of each
    candidate of ``text``."""
    return [
        (c.start, c.end, kind, f, c.rule, c.kind, c.strong)
        for c, kind, f in _rules_alone().featurise(text)
    ]


@cache
def _rules_alone() -> RuleExtractor:
    from reader.entities.rules import RuleExtractor

    return RuleExtractor(typer=False)


def examples(cands: list[Candidate], gold: list[tuple[int, int, str]]) -> list[Example]:
    typed = {(s, e): t for s, e, t in gold if t != "MISC"}
    misc = [(s, e) for s, e, t in gold if t == "MISC"]
    back = {v: k for k, v in TO_GOLD.items()}
    out = []
    for s, e, _, feats, *_ in cands:
        if any(s < me and ms < e for ms, me in misc):
            continue
        label = back.get(typed.get((s, e), ""), "MISC")
        out.append((feats, CLASSES.index(label)))
    return out


def train(data: list[Example], epochs: int, seed: int = 13) -> dict[str, list[float]]:
    """An averaged multiclass perceptron."""
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * 4)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * 4)
    stamps: dict[str, list[int]] = defaultdict(lambda: [0] * 4)
    step = 0
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, gold = data[i]
            step += 1
            scores = [0.0] * 4
            for f in feats:
                w = weights.get(f)
                if w is not None:
                    for k in range(4):
                        scores[k] += w[k]
            guess = max(range(4), key=scores.__getitem__)
            if guess == gold:
                continue
            for f in feats:
                for k, delta in ((gold, 1.0), (guess, -1.0)):
                    totals[f][k] += (step - stamps[f][k]) * weights[f][k]
                    stamps[f][k] = step
                    weights[f][k] += delta
    averaged = {}
    for f, w in weights.items():
        avg = []
        for k in range(4):
            total = totals[f][k] + (step - stamps[f][k]) * w[k]
            avg.append(total / step)
        averaged[f] = avg
    return averaged


def score(
    cands: list[Candidate],
    gold: list[tuple[int, int, str]],
    typer: object | None,
) -> tuple[float, float, float, list[float]]:
    """Typed P, R, F1 and per-type F1, matched as score_entities.py matches."""
    from score_entities import prf

    typed = {g for g in gold if g[2] != "MISC"}
    misc = [(s, e) for s, e, t in gold if t == "MISC"]
    pred = set()
    from reader.entities.rules import REVIEWED_RULES

    for s, e, kind, feats, rule, rule_kind, strong in cands:
        if typer is not None and not rule and kind == "MISC":  # as RuleExtractor applies it
            kind = typer.predict(feats, kind)  # type: ignore[attr-defined]
        elif (
            typer is not None
            and rule in REVIEWED_RULES
            and not strong
            and kind == rule_kind != "MISC"
        ):
            kind = typer.review(feats, kind)  # type: ignore[attr-defined]
        t = TO_GOLD.get(kind)
        if t and not any(s < me and ms < e for ms, me in misc):
            pred.add((s, e, t))
    p, r, f = prf(typed, pred)
    per = [
        prf({g for g in typed if g[2] == t}, {x for x in pred if x[2] == t})[2]
        for t in ("PER", "ORG", "LOC")
    ]
    return p, r, f, per


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev-data", type=Path, default=HERE.parent.parent / "shared" / "dev-data")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument(
        "--margin", type=float, nargs="+", default=[0.0], help="how far a kind must beat MISC"
    )
    ap.add_argument("--validate", action="store_true", help="train on S, measure on A")
    ap.add_argument("--save", action="store_true", help="write reader/entities/data/typer.json")
    args = ap.parse_args()
    sys.path.insert(0, str(args.dev_data.parent / "tools"))
    from reader.entities.typer import Typer

    data = parts(args.dev_data)
    cands = {key: candidates(text) for key, (text, _) in data.items()}
    train_parts, test_part = (("S",), "A") if args.validate else (("S", "A"), "B")
    training: list[Example] = []
    for (name, part), (_, gold) in data.items():
        if part in train_parts:
            training.extend(examples(cands[(name, part)], gold))
    weights = train(training, args.epochs)
    typers = [
        (f"m={m:g}", Typer({f: tuple(w) for f, w in weights.items()}, m))  # type: ignore[misc]
        for m in args.margin
    ]
    print(
        f"trained on parts {'+'.join(train_parts)}: {len(training):,} candidates, "
        f"{len(weights):,} features, {args.epochs} epochs"
    )
    print(f"{'set':26} {'part':4} {'step':8}  {'P':>5} {'R':>5} {'F1':>5}  PER   ORG   LOC")
    for (name, part), (_, gold) in data.items():
        if part != test_part:
            continue
        for label, model in (("rules", None), *typers):
            p, r, f, per = score(cands[(name, part)], gold, model)
            print(
                f"{name:26} {part:4} {label:8}  {p:.3f} {r:.3f} {f:.3f}  "
                + " ".join(f"{x:.3f}" for x in per)
            )
    if args.save:
        typers[0][1].save()
        print("saved reader/entities/data/typer.json")


if __name__ == "__main__":
    main()
