"""Named entities: text + language → typed mentions. No UI imports here."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from reader.model import Mention


@cache
def _rules():
    from reader.entities.rules import RuleExtractor

    return RuleExtractor()


BACKENDS = ("rules", "spacy")
_backend = "rules"


def set_backend(name: str) -> None:
    """Choose the extractor for this process: ``rules`` (default) or ``spacy``.

    Raises RuntimeError with what to install when the spaCy backend is not available.
    """
    global _backend
    if name not in BACKENDS:
        raise ValueError(f"unknown entity backend {name!r} (choose from {', '.join(BACKENDS)})")
    if name == "spacy":
        from reader.entities.spacy_backend import _model

        _model("fr")  # fail now, with the reason, rather than in the middle of a run
    _backend = name


def extract(
    text: str, lang: str | None = None, known: Mapping[str, str] | None = None
) -> list[Mention]:
    """Mentions ``(start, end, kind)`` of people, organisations, places (and MISC) in text.

    Each line starts a new sentence. ``lang`` (``fr``, ``en`` or None: detected) chooses the
    spaCy model and, for the rule extractor, whether two unknown capitalised words are taken for
    a person (French) or not (English, which capitalises titles of works and names of things).
    ``known`` maps names to the kinds the store has seen them with.
    """
    rules = _rules()
    if _backend == "spacy":
        from reader.entities import spacy_backend

        spans = spacy_backend.extract(text, lang, rules, known)
        if spans is not None:
            return [Mention(s, e, k) for s, e, k in spans]
    return [Mention(s, e, k) for s, e, k in rules.extract(text, known, lang)]


class _Backend:
    """An extractor the store can be given (``reader.model.Extractor``)."""

    def __init__(self, name: str) -> None:
        if name not in BACKENDS:
            raise ValueError(f"unknown entity backend {name!r} (choose from {', '.join(BACKENDS)})")
        if name == "spacy":
            from reader.entities.spacy_backend import _model

            _model("fr")  # fail now, with what to install, rather than in the middle of a run
        self.name = name

    def extract(
        self, text: str, lang: str | None = None, known: Mapping[str, str] | None = None
    ) -> list[Mention]:
        rules = _rules()
        if self.name == "spacy":
            from reader.entities import spacy_backend

            spans = spacy_backend.extract(text, lang, rules, known)
            if spans is not None:
                return [Mention(s, e, k) for s, e, k in spans]
        return [Mention(s, e, k) for s, e, k in rules.extract(text, known, lang)]


@cache
def get_extractor(name: str = "rules") -> _Backend:
    """The extractor called ``name`` (one per process). Raises RuntimeError with what to
    install when the spaCy backend is not available, ValueError for an unknown name."""
    return _Backend(name)
