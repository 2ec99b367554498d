"""The learned typing step: what it may change, and what its shipped weights hold."""

from __future__ import annotations

import re

import pytest

from reader.entities import rules as R
from reader.entities.lexicon import default_lexicon
from reader.entities.rules import RuleExtractor
from reader.entities.typer import CLASSES, SUFFIXES, context_words, shipped_typer

TEXTS = [  # written by the team
    "The army of Zorbistan invaded the north of Quimbyland in 1920.",
    "Le mathématicien Zarkowski a démontré le théorème.",
    "M. Emmanuel Macron a reçu Olaf Scholz à Berlin. Xiaomi et Tesla vendent en Chine.",
    "The European Commission fined Google in Brussels on Tuesday.",
]


def test_weights_ship() -> None:
    assert shipped_typer() is not None


@pytest.mark.parametrize("text", TEXTS)
def test_it_types_only_what_no_rule_typed(text: str) -> None:
    """Besides untyped names it may only review what a weak rule of REVIEWED_RULES typed,
    and, in English, drop (never retype) a name of VETOED_RULES."""
    learned = RuleExtractor().explain(text)
    alone = dict(((c.start, c.end), k) for c, k in RuleExtractor(typer=False).explain(text))
    for c, kind in learned:
        if (c.rule or alone[(c.start, c.end)] != "MISC") and not (
            c.rule in R.REVIEWED_RULES and not c.strong
        ):
            vetoed = kind == "MISC" and c.rule in R.VETOED_RULES
            assert kind == alone[(c.start, c.end)] or vetoed, c.text


def test_a_veto_drops_an_english_name_the_evidence_says_is_none() -> None:
    """In English, a name a rule of VETOED_RULES (or the document) typed is dropped when the
    learned step scores MISC at least as high as its kind; other rules' names, and French
    ones, are kept."""
    from reader.entities.typer import Typer

    model = Typer({"a": (1.0, 0.0, 0.0, 0.0), "c": (0.0, 0.0, 0.0, 2.0)})
    assert model.veto(["a"], "PERSON") == "PERSON"
    assert model.veto(["a", "c"], "PERSON") == "MISC"
    assert model.veto([], "ORG") == "MISC"  # a tie: no name
    text = "The Roman numerals on the dial were painted by Anna Keller in Boston."
    found = {text[s:e]: k for s, e, k in RuleExtractor().extract(text, None, "en")}
    alone = {text[s:e]: k for s, e, k in RuleExtractor(typer=False).extract(text, None, "en")}
    assert alone["Roman"] == "PERSON" and found["Roman"] == "MISC"  # a word opening a sentence
    assert found["Anna Keller"] == "PERSON" and found["Boston"] == "PLACE"
    vetoed = [c for c, k in RuleExtractor().explain(text) if c.text == "Roman"]
    assert vetoed and vetoed[0].rule in R.VETOED_RULES


def test_a_roman_numeral_is_no_acronym_inside_a_name() -> None:
    text = "Veterans of World War II met in the Hall of Peace."
    rules = {c.text: c.rule for c, _ in RuleExtractor(typer=False).explain(text)}
    assert rules.get("World War II") != "acronym_inside"


def test_a_review_keeps_the_rule_unless_the_evidence_is_clear() -> None:
    """A weak rule's kind stays unless another beats it by RETYPE_MARGIN (then that kind) or
    MISC scores at least as high (then no name)."""
    from reader.entities.typer import RETYPE_MARGIN, Typer

    model = Typer({"a": (1.0, 0.0, 0.0, 0.0), "b": (0.0, 0.0, RETYPE_MARGIN + 1, 0.0)})
    model.weights["c"] = (0.0, 0.0, 0.0, 2.0)
    assert model.review(["a"], "PERSON") == "PERSON"
    assert model.review(["a", "b"], "PERSON") == "PLACE"  # clearly a place
    assert model.review(["a", "c"], "PERSON") == "MISC"  # no name is likelier
    assert model.review(["a"], "ORG") == "MISC"  # nothing for the rule's kind: MISC ties


def test_it_types_unknown_names_from_their_evidence() -> None:
    found = {text[s:e]: k for text in TEXTS[:2] for s, e, k in RuleExtractor().extract(text)}
    assert found["Zorbistan"] == found["Quimbyland"] == "PLACE"  # invaded, the north of
    assert found["Zarkowski"] == "PERSON"  # "-ski", a mathematician who proved
    alone = {
        text[s:e]: k for text in TEXTS[:2] for s, e, k in RuleExtractor(typer=False).extract(text)
    }
    assert alone["Zorbistan"] == alone["Quimbyland"] == alone["Zarkowski"] == "MISC"


def test_the_weights_hold_no_word_of_the_data() -> None:
    """Every feature of the shipped model is one the team defined (typer.features): rule
    names, kinds, list flags, team-written suffixes and context words, shapes."""
    typer = shipped_typer()
    assert typer is not None
    lex = default_lexicon()
    words = context_words(lex) | {"", "#", "Aa", "a"}
    rule_names = {r.__name__ for r in (*R.WHOLE_RUN_RULES, *R.TYPE_RULES, *R.ADJUSTMENTS)}
    rule_names |= {""}
    kinds = set(CLASSES)
    flags = {"fn", "ln", "pl", "mp", "ko", "dm", "ow", "pw", "sw", "cw", "cm", "fq", "uc", "-"}
    fixed = {"bias", "start", "mixed", "surname", "sport", "lowerinside", "allcaps", "digit"}
    fixed |= {"hyphen", "dot", "plural", "S:pl", "S:mp", "S:co", "S:ko", "S:rg"}
    for key in typer.weights:
        name, _, value = key.partition("=") if "=" in key else (key, "", "")
        parts = value.split("|")
        if key in fixed:
            continue
        if name in ("p", "a"):
            assert value in words, key
        elif name == "pk":
            assert parts[0] in words and parts[1] in kinds, key
        elif name == "suf":
            assert value in SUFFIXES, key
        elif name in ("r", "rd", "re", "rn"):
            assert parts[0] in rule_names, key
        elif name in ("k", "d", "kd"):
            assert parts[0] in kinds, key
        elif name in ("s", "en"):
            assert value in ("True", "False"), key
        elif name in ("n", "c"):
            assert value.isdigit(), key
        elif name == "cm":
            assert parts[0] in ("all", "some", "none"), key
        else:
            m = re.fullmatch(r"(F|L|Fd|FL):([\w-]+)(?:\|([\w-]+))?", key)
            assert m and m.group(2) in flags, key
