"""The spaCy model's own entities, mapped to our types, in the `entities --json` format.

A reference for the optional backend: score it with the same scorer, e.g.

    python3 ../shared/tools/score_entities.py \\
        --cmd 'python benchmarks/spacy_model_alone.py' \
        ../shared/dev-data/ner/wikineural-fr-val.conllu --max 3000
"""

from __future__ import annotations

import json
import sys

from reader.entities.spacy_backend import model_mentions


def main() -> None:
    lang = sys.argv[1] if len(sys.argv) > 1 else "fr"
    text = sys.stdin.buffer.read().decode("utf-8")
    for start, end, kind in model_mentions(text, lang):
        if kind != "MISC":
            record = {"start": start, "end": end, "text": text[start:end], "type": kind}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
