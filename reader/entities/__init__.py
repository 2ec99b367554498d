"""Named entities: text + language → typed mentions. No UI imports here."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from reader.model import Mention


@cache
def _rules():
    from reader.entities.rules import RuleExtractor

    return RuleExtractor()


def extract(
    text: str, lang: str | None = None, known: Mapping[str, str] | None = None
) -> list[Mention]:
    """Mentions ``(start, end, kind)`` of people, organisations, places (and MISC) in text.

    Each line starts a new sentence. ``lang`` (``fr``, ``en`` or None) is part of the contract
    for backends that need it; the rule extractor reads both languages the same way.
    """
    return [Mention(s, e, k) for s, e, k in _rules().extract(text, known)]
