"""Entity quality on every part of the labelled sets: scored slices, read and unread halves.

    python benchmarks/entities_heldout.py [--dev-data ../shared/dev-data] [--without-seen]
        [--parts SAB] [--sets fr,en,dwie,de,it,es] [--rules-only]

The issue's targets are measured on the first 3,000 sentences of the wikineural sets and the
first 100 DWIE articles (part S). Their errors were read while the rules were written (session
3), so S no longer says how the extractor does on text nobody has read. What follows is split
in two halves: A (wikineural sentences 3,001 to the middle of the rest, DWIE articles 101-200),
whose errors were read in session 4, and B (the rest, DWIE articles 201-300), which no one has
read: B is the judge of generality. The matching is that of ``score_entities.py`` (exact spans,
typed PER/ORG/LOC, predictions over a gold MISC ignored); for S the figures equal the scorer's.

German, Italian and Spanish (wikineural-{de,it,es}, new in round 3) have no scored slice: A is
their first half (read while the conservative mode for other languages was written), B their
second half (never read). The language of each part is detected, never given (column "lang").

``--without-seen`` first removes the word-list entries added in session 3 *after* they were
seen in the scored slices' errors (names, not rules), to show what S owes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Entries added to the word lists after they appeared in the scored slices' errors.
SEEN = {  # lexicon field: words
    "known_orgs": """Wehrmacht Luftwaffe Reichstag Billboard Miramax Konami easyJet Olympiacos
        Arsenal Yahoo Wikipedia Wikimedia Commerzbank Kadima Mossad Kuomintang Forbes Juventus
        Nintendo Sega Likud Benfica Nazi Republican Democrat""",
    "site_words": "Field Theatre Theater Mine Colliery Site Formation Wilderness Pass Grove Drive "
    "Center Vineyards",
    "regions": """Mesopotamia Mésopotamie Anatolia Anatolie Punjab Pendjab Bengal Bengale Neustria
        Neustrie Austrasia Austrasie Prusse Prussia Écosse Méditerranée Mediterranean Baltique
        Manche Pacifique Arctique Arctic Perse Persia Saxony Thuringia Rhineland Midwest Wessex
        America Amérique""",
    "club_words": "Hertha Olympiacos Werder Borussia",
    "place_words": "Krai",
    "planets": "Mars",
}
SETS = [  # (file, items in the scored slice, separator between items)
    ("ner/wikineural-fr-val.conllu", 3000, "\n"),
    ("ner/wikineural-en-val.conllu", 3000, "\n"),
    ("ner/dwie-en-train.jsonl", 100, "\n\n"),
    ("ner/wikineural-de-val.conllu", 0, "\n"),
    ("ner/wikineural-it-val.conllu", 0, "\n"),
    ("ner/wikineural-es-val.conllu", 0, "\n"),
]
SHORT = {"wikineural-fr": "fr", "wikineural-en": "en", "dwie-en": "dwie"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev-data", type=Path, default=HERE.parent.parent / "shared" / "dev-data")
    ap.add_argument("--without-seen", action="store_true")
    ap.add_argument("--rules-only", action="store_true", help="without the learned typing step")
    ap.add_argument("--parts", default="SAB", help="which parts: S, A, B (default all)")
    ap.add_argument("--sets", default="fr,en,dwie,de,it,es", help="which sets (default all)")
    ap.add_argument(
        "--digits",
        type=int,
        default=3,
        help="decimals of P, R and F1 (default 3; per-type F1 keeps 3)",
    )
    args = ap.parse_args()
    tools = args.dev_data.parent / "tools"
    if not (tools / "score_entities.py").exists():
        sys.exit(f"no scorer at {tools}; pass --dev-data")
    sys.path.insert(0, str(tools))
    from score_entities import PRED_MAP, from_jsonl, from_tokens, prf

    from reader.entities.lexicon import Lexicon, default_lexicon
    from reader.entities.rules import RuleExtractor
    from reader.lang import detect_language

    lexicon = Lexicon.load(drop=SEEN) if args.without_seen else default_lexicon()
    extractor = RuleExtractor(lexicon, typer=not args.rules_only)

    parts = args.parts.upper()
    wanted = set(args.sets.split(","))
    if args.digits < 0:
        ap.error("--digits must be 0 or more")
    w = args.digits + 2
    print(
        f"{'set':26} {'part':4} {'lang':4} {'words':>8}  {'P':>{w}} {'R':>{w}} {'F1':>{w}}"
        f"  {'PER':>5} {'ORG':>5} {'LOC':>5}"
    )
    for name, scored, sep in SETS:
        stem = Path(name).name.split("-val")[0].split("-train")[0]
        if SHORT.get(stem, stem.removeprefix("wikineural-")) not in wanted:
            continue
        load = from_jsonl if name.endswith(".jsonl") else from_tokens
        text, gold, _ = load(str(args.dev_data / name), 0)
        starts = [0]
        while (at := text.find(sep, starts[-1])) >= 0:
            starts.append(at + len(sep))
        half = scored + (len(starts) - scored) // 2
        bounds = {"S": (0, scored), "A": (scored, half), "B": (half, len(starts))}
        for part in parts:
            first, last = bounds[part]
            if first >= last:
                continue
            a = starts[first]
            b = starts[last] - len(sep) if last < len(starts) else len(text)
            piece = text[a:b]
            inside = [(s - a, e - a, t) for s, e, t in gold if a <= s and e <= b]
            typed = {g for g in inside if g[2] != "MISC"}
            misc = [(s, e) for s, e, t in inside if t == "MISC"]
            pred = set()
            for start, end, found in extractor.extract(piece):
                kind = PRED_MAP.get(found)
                if kind and not any(start < me and ms < end for ms, me in misc):
                    pred.add((start, end, kind))
            p, r, f = prf(typed, pred)
            d = args.digits
            per_type = [
                prf({g for g in typed if g[2] == t}, {x for x in pred if x[2] == t})[2]
                for t in ("PER", "ORG", "LOC")
            ]
            print(
                f"{Path(name).name:26} {part:4} {detect_language(piece):4}"
                f" {len(piece.split()):>8,}  {p:.{d}f} {r:.{d}f} {f:.{d}f}  "
                + " ".join(f"{x:5.3f}" for x in per_type)
            )


if __name__ == "__main__":
    main()
