"""Deterministic generator of a large dated-text corpus (French and English) for benchmarks.

    python benchmarks/corpus.py OUT_DIR [--count 100000] [--seed 7] [--rss RSS_DIR]

Articles are 500–800 words, Zipf-distributed over a vocabulary of real function words and
common news nouns plus a long tail of synthetic words, with recurring people, organisations and
places, sub-headings, and every date precision. Same seed, same bytes. With ``--rss`` the same
items are also written as RSS 2.0 files (100 items per file, one channel per source, unique
``urn:`` guids), for the readers that only take feeds.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

FR_COMMON = (
    "le la les de des du un une et est en que qui dans pour pas sur au aux ce cette il "
    "elle ont sont avec par plus ne se sa son ses leur nous mais été être où a été selon "
    "après avant contre entre depuis pendant sans sous vers chez comme aussi encore déjà "
    "très gouvernement président ministre enquête marché entreprise groupe projet accord "
    "pays ville région année mois semaine jour économie emploi prix énergie électricité "
    "voiture véhicule batterie usine production ventes bénéfice croissance défi risque "
    "annonce décision réforme élection vote loi tribunal justice sécurité santé hôpital "
    "école université recherche données réseau téléphone smartphone logiciel plateforme "
    "milliards millions euros dollars hausse baisse crise conflit guerre paix sommet "
    "frontière migrants climat pollution sécheresse incendie tempête transport train"
).split()
EN_COMMON = (
    "the of and to a in is that for on with as was by it are be at from this have has an "
    "which were not but its they their been will would said had his her he she who after "
    "before against between since during without under over about more most very also "
    "government president minister investigation market company group project deal "
    "country city region year month week day economy jobs price energy electricity car "
    "vehicle battery factory production sales profit growth challenge risk announcement "
    "decision reform election vote law court justice security health hospital school "
    "university research data network phone smartphone software platform billion million "
    "euros dollars rise fall crisis conflict war peace summit border migrants climate "
    "pollution drought fire storm transport train"
).split()
PEOPLE = [
    "Lei Jun",
    "Elon Musk",
    "Emmanuel Macron",
    "Ursula von der Leyen",
    "Tim Cook",
    "Christine Lagarde",
    "Wang Chuanfu",
    "Carlos Tavares",
    "Luca de Meo",
    "Olaf Scholz",
    "Mary Barra",
    "Satya Nadella",
    "Anne Hidalgo",
    "Thierry Breton",
    "Sundar Pichai",
]
ORGS = [
    "Xiaomi",
    "Tesla",
    "Great Wall Motor",
    "Reuters",
    "BYD",
    "Stellantis",
    "Renault",
    "Apple",
    "Huawei",
    "Volkswagen",
    "General Motors",
    "Microsoft",
    "Google",
    "Airbus",
    "la Commission européenne",
    "the European Commission",
    "Banque centrale européenne",
]
PLACES = [
    "Pékin",
    "Beijing",
    "Shanghai",
    "Paris",
    "Berlin",
    "Bruxelles",
    "Brussels",
    "Austin",
    "Shenzhen",
    "Wuhan",
    "Lyon",
    "Marseille",
    "Detroit",
    "Munich",
    "Tokyo",
    "Londres",
    "London",
]
SYLLABLES = (
    "ba be bi bo bu ca ce co da de di do fa fe fi ga go la le li lo ma me mi mo na ne ni "
    "no pa pe po ra re ri ro sa se si so ta te ti to va ve vi za zo"
).split()


def _vocabulary(rng: random.Random, common: list[str], tail: int) -> tuple[list[str], list[float]]:
    words = list(common)
    seen = set(words)
    while len(words) < len(common) + tail:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    cum, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1) ** 1.05
        cum.append(total)
    return words, cum


def _date_line(rng: random.Random) -> str:
    y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
    shape = rng.random()
    if shape < 0.1:
        return f"{y}-{m:02d}"
    if shape < 0.6:
        return f"{y}-{m:02d}-{d:02d}"
    return f"{y}-{m:02d}-{d:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"


def _sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    n = rng.randint(8, 24)
    picked = rng.choices(words, cum_weights=weights, k=n)
    if rng.random() < 0.5:
        picked[rng.randrange(n)] = rng.choice(PEOPLE)
    if rng.random() < 0.4:
        picked[rng.randrange(n)] = rng.choice(ORGS)
    if rng.random() < 0.3:
        picked[rng.randrange(n)] = rng.choice(PLACES)
    if rng.random() < 0.006:
        picked[rng.randrange(n)] = "police"
    text = " ".join(picked)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


@dataclass(frozen=True, slots=True)
class Item:
    """One generated article: its number, source, date text and paragraphs."""

    number: int
    source: str
    date: str
    paragraphs: list[str]

    def text(self) -> str:
        """The dated-text file: ``date …`` then the paragraphs separated by blank lines."""
        return f"date {self.date} " + "\n\n".join(self.paragraphs) + "\n"

    def words(self) -> int:
        """Words in the body (whitespace-separated)."""
        return sum(len(p.split()) for p in self.paragraphs)

    def rss_item(self) -> str:
        """The same article as an RSS 2.0 ``<item>`` (paragraphs as ``<p>`` in the description)."""
        first = _SENTENCE_END.search(self.paragraphs[0])
        title = self.paragraphs[0][: first.end()] if first else self.paragraphs[0]
        if len(title) > 240:
            title = title[:240].rsplit(" ", 1)[0] + "…"
        html = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        return (
            f"<item><title>{escape(title)}</title>"
            f"<link>https://news.example/{self.source}/{self.number}</link>"
            f'<guid isPermaLink="false">urn:newsreader-bench:{self.number}</guid>'
            f"<pubDate>{format_datetime(_parse_date(self.date), usegmt=True)}</pubDate>"
            f"<description>{escape(html)}</description></item>"
        )


_SENTENCE_END = re.compile(r"[.?!](?= |$)")
SOURCES = ["agence-a", "quotidien-b", "wire-c", "daily-d", "hebdo-e", "tech-f"]
RSS_ITEMS = 100  # items per RSS file


def _parse_date(text: str) -> datetime:
    if len(text) == 7:
        return datetime.strptime(text, "%Y-%m").replace(tzinfo=UTC)
    if len(text) == 10:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    return datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)


def article_parts(
    rng: random.Random, vocab: dict[str, tuple[list[str], list[float]]]
) -> tuple[str, list[str]]:
    """The date text and paragraphs of one article of 500–800 words."""
    words, weights = vocab["fr" if rng.random() < 0.5 else "en"]
    target = rng.randint(500, 800)
    paras, count = [], 0
    while count < target:
        if paras and rng.random() < 0.12:
            paras.append(
                " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(3, 7))).capitalize()
            )
        sentences = [_sentence(rng, words, weights) for _ in range(rng.randint(2, 6))]
        para = " ".join(sentences)
        count += len(para.split())
        paras.append(para)
    return _date_line(rng), paras


def article(rng: random.Random, vocab: dict[str, tuple[list[str], list[float]]]) -> str:
    """One dated-text article of 500–800 words."""
    date, paras = article_parts(rng, vocab)
    return f"date {date} " + "\n\n".join(paras) + "\n"


def items(count: int, seed: int = 7) -> Iterator[Item]:
    """The corpus's articles in order; the same seed gives the same articles."""
    rng = random.Random(seed)
    vocab = {"fr": _vocabulary(rng, FR_COMMON, 40_000), "en": _vocabulary(rng, EN_COMMON, 40_000)}
    for i in range(count):
        date, paras = article_parts(rng, vocab)
        yield Item(i, SOURCES[i % len(SOURCES)], date, paras)


def text_path(root: Path, item: Item) -> Path:
    """Where an article's dated-text file goes: ``SOURCE/NNN/NNNNNN.txt`` under root."""
    return root / item.source / f"{item.number // 1000:03d}" / f"{item.number:06d}.txt"


def rss_document(source: str, part: int, rss_items: list[str]) -> str:
    """An RSS 2.0 document for one source's ``part``-th group of items."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{source}</title><link>https://news.example/{source}/</link>"
        f"<description>{source}, part {part}</description>"
        + "".join(rss_items)
        + "</channel></rss>\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rss", type=Path, help="also write the items as RSS files here")
    args = ap.parse_args()
    pending: dict[str, list[str]] = {}
    parts: dict[str, int] = {}

    def flush(source: str) -> None:
        part = parts.get(source, 0)
        folder = args.rss / source
        folder.mkdir(parents=True, exist_ok=True)
        doc = rss_document(source, part, pending.pop(source))
        (folder / f"{source}-{part:04d}.xml").write_text(doc, encoding="utf-8")
        parts[source] = part + 1

    for item in items(args.count, args.seed):
        path = text_path(args.out, item)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item.text(), encoding="utf-8")
        if args.rss is not None:
            pending.setdefault(item.source, []).append(item.rss_item())
            if len(pending[item.source]) == RSS_ITEMS:
                flush(item.source)
    for source in list(pending):
        flush(source)
    print(f"wrote {args.count} articles under {args.out}")


if __name__ == "__main__":
    main()
