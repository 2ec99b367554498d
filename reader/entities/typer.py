"""A learned typing step over what the rules already compute: an averaged perceptron.

The rules find the candidate names and type them; this step reads, for each candidate, the
evidence the rules weighed (the rule that typed it, the kind the document gave it, which word
lists know its words, its shape, the word before and after it when that word is one of the
team's cue or function words, how often the document names it) and chooses its kind again:
PERSON, ORG, PLACE or MISC (no name to highlight). The extractor asks it about names no rule
typed (``predict``: a kind must beat MISC by the margin) and about what a few weak rules typed
(``review``: another kind must win by RETYPE_MARGIN, and MISC at least ties to drop the name).

Every feature is defined by the team: no word, name or text of the data it was trained on is
in the model, only one weight per (feature, kind). The weights ship in ``data/typer.json``,
trained by ``benchmarks/train_typer.py`` on the read parts of the development sets; see
``docs/entities.md`` for what they were trained on and the licence question that raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

from reader.entities.lexicon import Lexicon
from reader.entities.runs import Lists
from reader.lang import FUNCTION_WORDS
from reader.model import EntityKind

# The kinds as plain strings (EntityKind's values): enum members hash through a Python method,
# which costs the extractor's dicts and sets about a tenth of its time.
PERSON: Final = EntityKind.PERSON.value
ORG: Final = EntityKind.ORG.value
PLACE: Final = EntityKind.PLACE.value
MISC: Final = EntityKind.MISC.value

CLASSES: Final = (PERSON, ORG, PLACE, MISC)
# How the step reviews a name a weak rule typed (chosen training on S, measuring on A):
# another kind must beat the rule's by this much, and MISC by DROP_MARGIN to drop it.
RETYPE_MARGIN: Final = 8.0
DROP_MARGIN: Final = 0.0
WEIGHTS = Path(__file__).resolve().parent / "data" / "typer.json"

# Endings of a name's last word that say something of its kind (written by the team).
SUFFIXES: Final = tuple(
    """ton ville burg bourg berg stadt dorf heim hausen land stan ia ie ium ford field port
    mouth chester caster wick ham by sk ski sky son sen sson ez es os is us ov ova ev eva in
    ine ini ino elli etti ing ers ics ists ans ians ites ed co corp inc ltd club""".split()
)
# The same endings by their last character: a name is asked only those that may end it.
_SUFFIXES_BY_LAST: Final = {
    end: tuple(s for s in SUFFIXES if s[-1] == end) for end in {s[-1] for s in SUFFIXES}
}


@cache
def context_words(lex: Lexicon) -> frozenset[str]:
    """The words before or after a name that are features by themselves: the team's cue
    lists and the French and English function words (anything else is only its shape)."""
    titles = {t.lower().rstrip(".") for t in lex.titles}
    fr_en = {w for lang in ("fr", "en") for w in FUNCTION_WORDS[lang].split()}
    return frozenset(
        titles
        | fr_en
        | lex.person_after
        | lex.org_before
        | lex.place_before
        | lex.person_before
        | lex.place_prepositions
        | lex.org_roles
        | lex.role_nouns
        | lex.geo_kinds
    )


@lru_cache(maxsize=1 << 16)
def _word_flags(word: str, lex: Lists) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Which lists know ``word``, and those flags as a first word's ("F:") and as a last
    word's ("L:") features (kept per word: names recur)."""
    flags = tuple(_flags(word, lex))
    return flags, tuple(["F:" + f for f in flags]), tuple(["L:" + f for f in flags])


def _flags(word: str, lex: Lists) -> Iterable[str]:
    lower = word.lower()
    if word in lex.first_names:
        yield "fn"
    if word in lex.last_names:
        yield "ln"
    if word in lex.places:
        yield "pl"
    if word in lex.major_places:
        yield "mp"
    if word in lex.known_orgs or word in lex.bodies:
        yield "ko"
    if word in lex.demonyms:
        yield "dm"
    if word in lex.org_words:
        yield "ow"
    if word in lex.place_words:
        yield "pw"
    if word in lex.site_words:
        yield "sw"
    if word in lex.club_words:
        yield "cw"
    if lower in lex.common:
        yield "cm"
    if lower in lex.frequent:
        yield "fq"
    if word.isupper() and len(word) > 1:
        yield "uc"


def _around(word: str, vocabulary: frozenset[str]) -> str:
    if not word:
        return ""
    if word in vocabulary:
        return word
    if word[:1].isdigit():
        return "#"
    return "Aa" if word[:1].isupper() else "a"


@lru_cache(maxsize=4096, typed=True)  # (typed: "s=True" is not "s=1")
def _head(
    rule: str, kind: str, doc_kind: str, strong: bool, n: int, english: bool
) -> tuple[str, ...]:
    """The first features of a candidate, from the rules' answer (made once per answer)."""
    return (
        "bias",
        f"r={rule}",
        f"k={kind}",
        f"d={doc_kind}",
        f"s={strong}",
        f"rd={rule}|{doc_kind}",
        f"kd={kind}|{doc_kind}|{strong}",
        f"n={n}",
        f"en={english}",
        f"re={rule}|{english}",
    )


def features(
    text: str,
    tokens: list[str],
    rule: str,
    kind: str,
    strong: bool,
    doc_kind: str,
    before: str,
    after: str,
    at_start: bool,
    english: bool,
    lex: Lists,
    seen: int,
    mixed: bool,
    person_part: bool,
    sport: bool,
) -> list[str]:
    """The features of one candidate name (strings; see the module docstring)."""
    n = len(tokens)
    vocabulary = context_words(lex.lexicon)
    out = [
        *_head(rule, kind, doc_kind, strong, min(n, 4), english),
        f"p={(around_before := _around(before, vocabulary))}",
        f"a={_around(after, vocabulary)}",
        f"pk={around_before}|{doc_kind}",
        f"c={min(seen, 4)}",
    ]
    if at_start:
        out.append("start")
    if mixed:
        out.append("mixed")
    if person_part:
        out.append("surname")
    if sport:
        out.append("sport")
    if text in lex.places:
        out.append("S:pl")
    if text in lex.major_places:
        out.append("S:mp")
    if text in lex.countries:
        out.append("S:co")
    if text in lex.known_orgs or text in lex.bodies:
        out.append("S:ko")
    if text in lex.regions:
        out.append("S:rg")
    first, first_feats, _ = _word_flags(tokens[0], lex)
    out.extend(first_feats)  # "F:" + each flag
    for f in first:
        out.append(f"Fd:{f}|{doc_kind}")
    if n > 1:
        last_flags, _, last_feats = _word_flags(tokens[-1], lex)
        out.extend(last_feats)  # "L:" + each flag
        for f in first or ("-",):
            for g in last_flags or ("-",):
                out.append(f"FL:{f}|{g}")
        if any(map(str.islower, tokens)):
            out.append("lowerinside")
    common = sum(1 for t in tokens if t.lower() in lex.common)
    out.append(f"cm={'all' if common == n else 'some' if common else 'none'}|{min(n, 3)}")
    out.append(f"rn={rule}|{min(n, 3)}")
    last = tokens[-1].lower()
    if last.endswith(_SUFFIXES_BY_LAST.get(last[-1:], ())):  # (one test for most names)
        for suffix in SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix) + 1:
                out.append("suf=" + suffix)
                break
    if text.isupper():
        out.append("allcaps")
    if any(map(str.isdigit, text)):  # (each character, as before)
        out.append("digit")
    if "-" in text:
        out.append("hyphen")
    if "." in text:
        out.append("dot")
    if last.endswith("s"):
        out.append("plural")
    return out


def _best(total: list[float], n: int) -> int:
    """The first of ``total[:n]``'s highest scores (what ``max(range(n), key=total.__getitem__)``
    gives, without a call per score)."""
    best = 0
    for k in range(1, n):
        if total[k] > total[best]:
            best = k
    return best


class Typer:
    """An averaged perceptron's weights: feature → one weight per kind of ``CLASSES``."""

    def __init__(
        self, weights: Mapping[str, tuple[float, float, float, float]], margin: float = 0.0
    ) -> None:
        """``margin``: how far a kind must beat MISC to be given (precision over recall)."""
        self.weights = dict(weights)
        self.margin = margin

    def scores(self, feats: Iterable[str]) -> list[float]:
        a = b = c = d = 0.0  # (added in the features' order, as always)
        weights = self.weights
        for f in feats:
            w = weights.get(f)
            if w is not None:
                a += w[0]
                b += w[1]
                c += w[2]
                d += w[3]
        return [a, b, c, d]

    def predict(self, feats: Iterable[str], kind: str = MISC) -> str:
        """The kind for a candidate the rules typed ``kind``: a name the rules left untyped
        gets a kind only if it beats MISC by ``margin`` (a wrong highlight costs more)."""
        total = self.scores(feats)
        best = _best(total, 4)
        if best != 3 and kind == MISC and total[best] - total[3] < self.margin:
            return MISC
        return CLASSES[best]

    def review(self, feats: Iterable[str], kind: str) -> str:
        """The kind for a name a weak rule typed ``kind``: another kind only if it beats that
        one by ``RETYPE_MARGIN``, no name (MISC) if MISC scores at least as high."""
        total = self.scores(feats)
        given = CLASSES.index(kind)
        best = _best(total, 3)
        if best != given and total[best] - total[given] >= RETYPE_MARGIN:
            return CLASSES[best]
        if total[3] >= total[given] + DROP_MARGIN:
            return MISC
        return kind

    def veto(self, feats: Iterable[str], kind: str) -> str:
        """``kind``, or MISC (no name) when MISC scores at least as high as it."""
        total = self.scores(feats)
        return MISC if total[3] >= total[CLASSES.index(kind)] else kind

    def save(self, path: Path = WEIGHTS) -> None:
        rows = {f: [round(x, 4) for x in w] for f, w in sorted(self.weights.items()) if any(w)}
        lines = [f"{json.dumps(f, ensure_ascii=False)}: {json.dumps(w)}" for f, w in rows.items()]
        body = ",\n".join(lines)  # one feature a line: small, and readable in a diff
        path.write_text(
            f'{{"margin": {self.margin},\n"weights": {{\n{body}\n}}}}\n', encoding="utf-8"
        )


@cache
def shipped_typer() -> Typer | None:
    """The shipped weights, or None when the file is absent (the rules alone then)."""
    if not WEIGHTS.exists():
        return None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return Typer({f: tuple(w) for f, w in data["weights"].items()}, data["margin"])
