"""Whether two trees' rule extractors give the same output, text by text (for speed-only work).

    python benchmarks/entities_same.py OLD_TREE NEW_TREE [--corpus DIR] [--dev-data DIR]
    python benchmarks/entities_same.py OLD_TREE NEW_TREE --keep /tmp/old.txt  # reuse OLD's dump

Each tree is run in its own process (``PYTHONPATH=TREE``) over the same texts; for each text
the language it detects is written out, and every candidate ``RuleExtractor.explain`` returns:
offsets, text, kind given, rule, strength, tokens, words around it, and the kind the document
gave it (what ``newsreader entities --json --all`` prints, and more). The texts: every file of
the labelled sets beside the project (``dev-data/ner``, read with the scorer's own readers; the
labels are not read) as the scorer feeds it (one text, language detected) and in the store's
pieces (20 sentences, or one JSONL document), then the generated articles of ``--corpus`` as
the store reads them (body, detected language), with no known names and again with the names
typed in two articles or more (the store's memory). Prints how many texts were compared and
the first differences.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV_DATA = HERE.parent.parent / "shared" / "dev-data"
CORPUS = HERE.parent.parent / "perf-bench" / "corpus-10000-seed7" / "text"
PIECE = 20  # sentences per piece of a token file


def _dev_texts(dev_data: Path) -> Iterator[tuple[str, str]]:
    sys.path.insert(0, str(dev_data.parent / "tools"))
    from score_entities import from_jsonl, from_tokens  # the scorer's own readers

    for path in sorted((dev_data / "ner").iterdir()):
        if path.suffix not in (".conllu", ".tsv", ".jsonl", ".conll"):
            continue
        jsonl = path.suffix == ".jsonl"
        text = (from_jsonl if jsonl else from_tokens)(str(path), 0)[0]  # labels unread
        yield f"{path.name}:whole", text
        if jsonl:
            pieces = text.rstrip("\n").split("\n\n")
        else:
            lines = text.rstrip("\n").split("\n")
            pieces = ["\n".join(lines[k : k + PIECE]) + "\n" for k in range(0, len(lines), PIECE)]
        for k, piece in enumerate(pieces):
            yield f"{path.name}:{k}", piece


def _corpus(corpus: Path) -> list[tuple[str, str, str]]:
    from reader.store.sources.dated_text import load_dated_text
    from reader.textutil import without_code

    out = []
    for path in sorted(corpus.rglob("*.txt")):
        article, _ = load_dated_text(path.read_bytes())
        out.append((str(path.relative_to(corpus)), without_code(article.body), article.language))
    return out


def _line(found: list) -> str:
    fields = ("start", "end", "text", "kind", "strong", "rule", "tokens", "owner", "before")
    fields += ("after", "at_start")
    return repr([[getattr(c, f) for f in fields] + [kind] for c, kind in found])


def dump(out: Path, dev_data: Path, corpus: Path) -> None:
    """Write one line per text: its name, then what the extractor of this tree finds."""
    from reader.entities.rules import RuleExtractor
    from reader.lang import detect_language

    rules = RuleExtractor()
    with out.open("w", encoding="utf-8") as fh:
        if dev_data.exists():
            for name, text in _dev_texts(dev_data):
                lang = detect_language(text)
                fh.write(f"{name}\t{lang}\t{_line(rules.explain(text))}\n")
        if corpus.exists():
            articles = _corpus(corpus)
            seen: Counter[tuple[str, str]] = Counter()
            for name, body, lang in articles:
                found = rules.explain(body, {}, lang)
                fh.write(f"corpus:{name}\t{lang}\t{_line(found)}\n")
                seen.update({(c.text, kind) for c, kind in found})
            known = {text: kind for (text, kind), n in seen.most_common(20000) if n >= 2}
            for name, body, lang in articles:
                fh.write(f"corpus+known:{name}\t{_line(rules.explain(body, known, lang))}\n")


def _run(tree: Path, out: Path, args: argparse.Namespace) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, __file__, "--dump", str(out)]
    cmd += ["--dev-data", str(args.dev_data), "--corpus", str(args.corpus)]
    subprocess.run(cmd, env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path, nargs="?")
    ap.add_argument("new", type=Path, nargs="?")
    ap.add_argument("--dev-data", type=Path, default=DEV_DATA)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--keep", type=Path, help="OLD's dump: reused if it exists, else kept there")
    ap.add_argument("--dump", type=Path, help=argparse.SUPPRESS)  # (the child process)
    args = ap.parse_args()
    if args.dump:
        dump(args.dump, args.dev_data, args.corpus)
        return
    if args.old is None or args.new is None:
        ap.error("give OLD_TREE and NEW_TREE")
    with tempfile.TemporaryDirectory() as tmp:
        old = args.keep or Path(tmp) / "old.txt"
        if not old.exists():
            _run(args.old.resolve(), old, args)
        new = Path(tmp) / "new.txt"
        _run(args.new.resolve(), new, args)
        compared = differ = 0
        kinds: Counter[str] = Counter()
        with old.open(encoding="utf-8") as a, new.open(encoding="utf-8") as b:
            for x, y in zip(a, b, strict=True):
                compared += 1
                kinds[x.split(":", 1)[0] if x.startswith("corpus") else "dev"] += 1
                if x != y:
                    differ += 1
                    if differ <= 5:
                        print(f"DIFFERENT {x.split(chr(9))[0]}\n  old {x[:600]}\n  new {y[:600]}")
    parts = ", ".join(f"{n:,} {k}" for k, n in kinds.items())
    verdict = "identical" if not differ else f"{differ:,} DIFFERENT"
    print(f"{compared:,} texts compared ({parts}): {verdict}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
