"""Entity quality on the parts of the labelled sets that the scored slices leave out.

    python benchmarks/entities_heldout.py [--dev-data ../shared/dev-data] [--without-seen]

The issue's targets are measured on the first 3,000 sentences of the wikineural sets and the
first 100 DWIE articles, and the rules were improved by reading their errors there. This script
scores the rule extractor on what follows (sentences 3,001 on, articles 101 to 300), which no one
on the team has read, with the same matching as `score_entities.py` (exact spans, typed
PER/ORG/LOC, predictions over a gold MISC ignored).

``--without-seen`` first removes the word-list entries added in session 3 *after* they were seen
in the scored slices' error lists (names, not rules), to show what the scored figures owe them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Entries added to the word lists after they appeared in the scored slices' errors.
SEEN = {
    "KNOWN_ORGS": """Wehrmacht Luftwaffe Reichstag Billboard Miramax Konami easyJet Olympiacos
        Arsenal Yahoo Wikipedia Wikimedia Commerzbank Kadima Mossad Kuomintang Forbes Juventus
        Nintendo Sega Likud Benfica""",
    "SITE_WORDS": "Field Theatre Theater Mine Colliery Site Formation Wilderness Pass Grove Drive "
    "Center Vineyards",
    "REGIONS": """Mesopotamia Mésopotamie Anatolia Anatolie Punjab Pendjab Bengal Bengale Neustria
        Neustrie Austrasia Austrasie Prusse Prussia Écosse Méditerranée Mediterranean Baltique
        Manche Pacifique Arctique Arctic Perse Persia Saxony Thuringia Rhineland Midwest Wessex""",
    "CLUB_WORDS": "Hertha Olympiacos Werder Borussia",
    "PLACE_WORDS": "Krai",
}
SETS = [  # (file, items in the scored slice, separator between items)
    ("ner/wikineural-fr-val.conllu", 3000, "\n"),
    ("ner/wikineural-en-val.conllu", 3000, "\n"),
    ("ner/dwie-en-train.jsonl", 100, "\n\n"),
]


def drop_seen() -> None:
    """Remove the SEEN entries from the lists wherever the extractor reads them."""
    from reader.entities import gazetteer, rules, runs

    for name, words in SEEN.items():
        smaller = getattr(gazetteer, name) - frozenset(words.split())
        for module in (gazetteer, rules, runs):
            if hasattr(module, name):
                setattr(module, name, smaller)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev-data", type=Path, default=HERE.parent.parent / "shared" / "dev-data")
    ap.add_argument("--without-seen", action="store_true")
    ap.add_argument("--scored", action="store_true", help="score the scored slices instead")
    args = ap.parse_args()
    tools = args.dev_data.parent / "tools"
    if not (tools / "score_entities.py").exists():
        sys.exit(f"no scorer at {tools}; pass --dev-data")
    sys.path.insert(0, str(tools))
    from score_entities import PRED_MAP, from_jsonl, from_tokens, prf

    if args.without_seen:
        drop_seen()
    from reader.entities import extract

    for name, scored, sep in SETS:
        path = args.dev_data / name
        load = from_jsonl if name.endswith(".jsonl") else from_tokens
        if args.scored:
            text, gold, _ = load(str(path), scored)
            offset = 0
        else:
            text, gold, _ = load(str(path), 0)
            offset = 0
            for _ in range(scored):
                offset = text.index(sep, offset) + len(sep)
            text = text[offset:]
        typed = {(s - offset, e - offset, t) for s, e, t in gold if s >= offset and t != "MISC"}
        misc = [(s - offset, e - offset) for s, e, t in gold if s >= offset and t == "MISC"]
        pred = set()
        for m in extract(text):
            kind = PRED_MAP.get(m.kind)
            if kind and not any(m.start < me and ms < m.end for ms, me in misc):
                pred.add((m.start, m.end, kind))
        p, r, f = prf(typed, pred)
        part = f"first {scored}" if args.scored else f"after the first {scored}"
        print(
            f"{Path(name).name:28} {part:20} {len(text.split()):>8,} words  "
            f"P {p:.3f} R {r:.3f} F1 {f:.3f}"
        )


if __name__ == "__main__":
    main()
