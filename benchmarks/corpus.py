"""Deterministic generator of a large dated-text corpus (French and English) for benchmarks.

    python benchmarks/corpus.py OUT_DIR [--count 100000] [--seed 7]

Articles are 500–800 words, Zipf-distributed over a vocabulary of real function words and
common news nouns plus a long tail of synthetic words, with recurring people, organisations and
places, sub-headings, and every date precision. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

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


def article(rng: random.Random, vocab: dict[str, tuple[list[str], list[float]]]) -> str:
    """One dated-text article of 500–800 words."""
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
    return f"date {_date_line(rng)} " + "\n\n".join(paras) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    vocab = {"fr": _vocabulary(rng, FR_COMMON, 40_000), "en": _vocabulary(rng, EN_COMMON, 40_000)}
    sources = ["agence-a", "quotidien-b", "wire-c", "daily-d", "hebdo-e", "tech-f"]
    for i in range(args.count):
        folder = args.out / sources[i % len(sources)] / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.txt").write_text(article(rng, vocab), encoding="utf-8")
    print(f"wrote {args.count} articles under {args.out}")


if __name__ == "__main__":
    main()
