"""Named entities: text + language → typed mentions. No UI imports here.

An extractor is an object with a ``name`` and ``extract(text, lang, known)``; ``get_extractor``
makes one by name (``BACKENDS``), so that the store can be given the extractor it uses. The
module-level ``set_backend``/``extract`` pair is kept for the CLI and older callers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from reader.model import Extractor, Mention

__all__ = ["BACKENDS", "Extractor", "extract", "get_extractor", "set_backend"]


@cache
def _rules():
    from reader.entities.rules import RuleExtractor

    return RuleExtractor()


class RulesExtractor:
    """The built-in extractor (rules, a learned typing step for French and English, and a
    conservative reading of other languages)."""

    name = "rules"

    def extract(
        self, text: str, lang: str | None = None, known: Mapping[str, str] | None = None
    ) -> list[Mention]:
        return [Mention(s, e, k) for s, e, k in _rules().extract(text, known, lang)]

    def spans(
        self, text: str, lang: str | None = None, known: Mapping[str, str] | None = None
    ) -> list[tuple[int, int, str]]:
        """What ``extract`` finds, as plain ``(start, end, kind)`` tuples: the store reads
        only these, and making a ``Mention`` of each cost about 5 % of the worker processes'
        time extracting 10,000 generated articles."""
        return _rules().extract(text, known, lang)


class SpacyExtractor:
    """spaCy's model for the text's language, made consistent by the rules (optional)."""

    name = "spacy"

    def __init__(self) -> None:
        from reader.entities.spacy_backend import _model

        _model("fr")  # fail now, with the reason, rather than in the middle of a run

    def extract(
        self, text: str, lang: str | None = None, known: Mapping[str, str] | None = None
    ) -> list[Mention]:
        from reader.entities import spacy_backend

        rules = _rules()
        spans = spacy_backend.extract(text, lang, rules, known)
        if spans is None:  # no model for this language: the rules
            spans = rules.extract(text, known, lang)
        return [Mention(s, e, k) for s, e, k in spans]


BACKENDS = ("rules", "spacy")
_FACTORIES: dict[str, Callable[[], Extractor]] = {"rules": RulesExtractor, "spacy": SpacyExtractor}
_backend: Extractor | None = None


def get_extractor(name: str = "rules") -> Extractor:
    """A new extractor by name (one of ``BACKENDS``). Raises ValueError for an unknown name
    and RuntimeError, saying what to install, when the spaCy backend is not available."""
    if name not in _FACTORIES:
        raise ValueError(f"unknown entity backend {name!r} (choose from {', '.join(BACKENDS)})")
    return _FACTORIES[name]()


def set_backend(name: str) -> None:
    """Choose the extractor for this process: ``rules`` (default) or ``spacy``.

    Raises RuntimeError with what to install when the spaCy backend is not available.
    """
    global _backend
    _backend = get_extractor(name)


def extract(
    text: str, lang: str | None = None, known: Mapping[str, str] | None = None
) -> list[Mention]:
    """Mentions ``(start, end, kind)`` of people, organisations, places (and MISC) in text.

    Each line starts a new sentence. ``lang`` (an ISO 639-1 code, or None: detected) chooses
    the spaCy model and, for the rule extractor, how far capitals alone make a name: French
    takes two unknown capitalised words for a person, English does not (it capitalises titles
    of works), and a language with no rules of its own (German…) is read conservatively.
    ``known`` maps names to the kinds the store has seen them with.
    """
    if _backend is None:
        return [Mention(s, e, k) for s, e, k in _rules().extract(text, known, lang)]
    return _backend.extract(text, lang, known)
