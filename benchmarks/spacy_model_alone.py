"""A spaCy model's entities in the `entities --json` format: alone, or as the backend uses it.

A reference for the optional backend: score it with the same scorer, e.g.

    python3 ../shared/tools/score_entities.py \\
        --cmd 'python benchmarks/spacy_model_alone.py fr --model fr_core_news_md' \\
        ../shared/dev-data/ner/wikineural-fr-val.conllu --max 3000

``--backend`` runs the whole spaCy backend (the model, retyped by the rules and made
consistent) with that model, as ``newsreader entities --backend spacy`` would.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader.entities import spacy_backend


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lang", nargs="?", default="fr")
    ap.add_argument("--model", help="a model package name (default: the backend's choice)")
    ap.add_argument("--backend", action="store_true", help="the whole backend, not the model")
    args = ap.parse_args()
    text = sys.stdin.buffer.read().decode("utf-8")
    if args.model:
        spacy_backend.MODELS[args.lang] = (args.model,)
    if args.backend:
        from reader.entities.rules import RuleExtractor

        spans = spacy_backend.extract(text, args.lang, RuleExtractor()) or []
    else:
        spans = spacy_backend.model_mentions(text, args.lang)
    for start, end, kind in spans:
        if kind != "MISC":
            record = {"start": start, "end": end, "text": text[start:end], "type": kind}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
