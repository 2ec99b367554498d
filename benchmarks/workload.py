"""The benchmark corpus on disk: dated text and the same items as RSS, with a manifest.

A corpus is generated once per (size, seed) under the work folder and reused while its
manifest matches; the manifest records the words, bytes and files, and the query words the
benchmark uses, picked by document frequency so that no figure depends on a hand-chosen word.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks import corpus

VERSION = 1  # bump when the corpus layout or the term choice changes
SAMPLE = 2000  # articles whose words give the document frequencies of the query terms
_WORD = re.compile(r"[a-z]{5,}")


@dataclass
class Corpus:
    """A generated corpus: where it is and what it holds."""

    root: Path
    count: int
    seed: int
    words: int
    text_bytes: int
    text_files: int
    rss_bytes: int
    rss_files: int
    terms: dict[str, str]  # shape -> word: rare, medium, common

    @property
    def text(self) -> Path:
        return self.root / "text"

    @property
    def rss(self) -> Path:
        return self.root / "rss"

    def manifest(self) -> dict[str, object]:
        data = asdict(self)
        data["root"] = str(self.root)
        data["version"] = VERSION
        return data


def _pick_terms(df: Counter[str], docs: int) -> dict[str, str]:
    """Words whose share of articles is nearest 0.2 %, 2 % and 40 % (ties: alphabetical)."""

    def near(share: float) -> str:
        target = max(share * docs, 1.0)
        return min(df, key=lambda w: (abs(df[w] - target), w))

    return {"rare": near(0.002), "medium": near(0.02), "common": near(0.4)}


def ensure(work: Path, count: int, seed: int, log=print) -> Corpus:
    """The corpus of ``count`` articles for ``seed`` under ``work``, generated if missing."""
    root = work / f"corpus-{count}-seed{seed}"
    manifest = root / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text())
        if data.get("version") == VERSION and data["count"] == count and data["seed"] == seed:
            data.pop("version")
            data["root"] = Path(data["root"])
            return Corpus(**data)
    if root.exists():
        shutil.rmtree(root)
    log(f"generating {count:,} articles (seed {seed}) in {root} …")
    text_root, rss_root = root / "text", root / "rss"
    words = text_bytes = rss_bytes = rss_files = 0
    df: Counter[str] = Counter()
    pending: dict[str, list[str]] = {}
    parts: dict[str, int] = {}

    def flush(source: str) -> None:
        nonlocal rss_bytes, rss_files
        part = parts.get(source, 0)
        folder = rss_root / source
        folder.mkdir(parents=True, exist_ok=True)
        data = corpus.rss_document(source, part, pending.pop(source)).encode()
        (folder / f"{source}-{part:04d}.xml").write_bytes(data)
        rss_bytes += len(data)
        rss_files += 1
        parts[source] = part + 1

    for item in corpus.items(count, seed):
        data = item.text().encode()
        path = corpus.text_path(text_root, item)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        text_bytes += len(data)
        words += item.words()
        if item.number < SAMPLE:
            df.update(set(_WORD.findall(" ".join(item.paragraphs).lower())))
        pending.setdefault(item.source, []).append(item.rss_item())
        if len(pending[item.source]) == corpus.RSS_ITEMS:
            flush(item.source)
    for source in list(pending):
        flush(source)
    made = Corpus(
        root=root,
        count=count,
        seed=seed,
        words=words,
        text_bytes=text_bytes,
        text_files=count,
        rss_bytes=rss_bytes,
        rss_files=rss_files,
        terms=_pick_terms(df, min(count, SAMPLE)),
    )
    manifest.write_text(json.dumps(made.manifest(), indent=1))
    return made


def ui_queries(terms: dict[str, str]) -> list[str]:
    """The query shapes typed in the reader (those of the store benchmark)."""
    return [
        terms["rare"],
        terms["medium"],
        terms["common"],
        "police",
        "défi",
        "pol*",
        "xiao*",
        '"Lei Jun"',
        '"Elon Musk"',
        "tesla berlin",
        "tesla OR xiaomi",
        "tesla -musk",
        f"{terms['rare']} OR {terms['common']}",
        "source:agence-a",
        "after:2025-06",
        "police after:2024",
        "before:2020 xiaomi",
        "police source:wire-c after:2023",
        "is:unread",
        "entity:Xiaomi",
        'entity:"Elon Musk" police',
        f"-{terms['common']}",
    ]


def search_queries(terms: dict[str, str]) -> dict[str, tuple[str, str]]:
    """One-shot search shapes: name -> (newsreader query, fixed string for grep/rg)."""
    return {
        "rare word": (terms["rare"], terms["rare"]),
        "medium word": (terms["medium"], terms["medium"]),
        "common word": (terms["common"], terms["common"]),
        "phrase": ('"Elon Musk"', "Elon Musk"),
    }
