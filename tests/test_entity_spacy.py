"""The spaCy backend's choice of model, without needing spaCy installed."""

from __future__ import annotations

from reader.entities import spacy_backend as sb
from reader.entities.rules import RuleExtractor


def test_a_language_with_no_model_is_left_to_the_rules() -> None:
    text = "Das Bundesdigitalministerium fördert den Ausbau von Glasfaser in Bayern."
    assert sb.extract(text, "de", RuleExtractor()) is None  # no French model on German text
    assert sb.extract(text, None, RuleExtractor()) is None  # detected, not given


def test_models_are_preferred_by_accuracy_small_last_but_one() -> None:
    for lang, names in sb.MODELS.items():
        assert names[2] == f"{lang}_core_{'news' if lang == 'fr' else 'web'}_sm"
        assert names.index(names[1]) < names.index(names[2])  # md before sm
