"""Text in languages with no rules of their own is read conservatively (sentences written by
the team): names the word lists know and strong patterns only, never a capitalised noun."""

from __future__ import annotations

import pytest

from reader.entities import extract
from reader.entities.rules import RuleExtractor

GERMAN = (
    "Das Bundesdigitalministerium fördert den Ausbau von Glasfaser in ländlichen Regionen. "
    "Nach Angaben des Ministeriums sollen bis zum Ende des Jahres weitere Gemeinden in "
    "Bayern und in Leverkusen angeschlossen werden. Bundeskanzler Olaf Scholz sagte am "
    "Dienstag in Berlin, die Regierung habe den Titel der Liga der Netze verteidigt. "
    "Ursula von der Leyen und die Deutsche Bank begrüßten die Pläne. Scholz reist nach Paris."
)


def found(text: str, lang: str | None = None) -> dict[str, str]:
    return {text[m.start : m.end]: m.kind for m in extract(text, lang) if m.kind != "MISC"}


def test_german_nouns_are_no_names() -> None:
    names = found(GERMAN)  # the language is detected
    for noun in ("Bundesdigitalministerium", "Ausbau", "Glasfaser", "Ende", "Titel", "Liga"):
        assert not any(noun in name for name in names), (noun, names)
    assert names["Olaf Scholz"] == "PERSON" and names["Scholz"] == "PERSON"
    assert names["Ursula von der Leyen"] == "PERSON"
    assert names["Deutsche Bank"] == "ORG"
    for place in ("Bayern", "Leverkusen", "Berlin", "Paris"):
        assert names[place] == "PLACE", place


def test_the_declared_language_is_used() -> None:
    # Read as French, every capitalised German noun would be a candidate name.
    as_french = found(GERMAN, "fr")
    assert found(GERMAN, "de") != as_french
    assert "Glasfaser" not in found(GERMAN, "de")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Il presidente Sergio Mattarella ha incontrato il sindaco di Firenze e i dirigenti "
            "della Banca d'Italia a Roma, dove la Commissione europea ha presentato il piano.",
            {"Sergio Mattarella": "PERSON", "Firenze": "PLACE", "Roma": "PLACE"},
        ),
        (
            "El presidente del Gobierno, Pedro Sánchez, viajó a Sevilla y después a Bruselas "
            "para reunirse con los dirigentes de la Unión Europea y del Banco Santander.",
            {"Pedro Sánchez": "PERSON", "Sevilla": "PLACE"},
        ),
    ],
)
def test_italian_and_spanish_known_names(text: str, expected: dict[str, str]) -> None:
    names = found(text)
    for name, kind in expected.items():
        assert names.get(name) == kind, (name, names)
    assert "Gobierno" not in names and "Commissione" not in names


def test_french_and_english_keep_their_full_rules() -> None:
    extractor = RuleExtractor()
    assert extractor.for_language("fr") is extractor
    assert extractor.for_language("en") is extractor
    german = extractor.for_language("de")
    assert german.conservative and german is extractor.for_language("de")  # built once
    # An unknown capitalised pair is a person in French, and no name in German.
    text = "Zorbel Quimbly a parlé."
    assert {text[s:e]: k for s, e, k in extractor.extract(text, lang="fr")} == {
        "Zorbel Quimbly": "PERSON"
    }
    assert extractor.extract(text, lang="de") == []


def test_the_conservative_shortcuts_change_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A conservative reading skips frequent words of the language and the type rules after
    the last one it keeps (speed): what it finds is what the full rule path finds."""
    from reader.entities import rules
    from reader.entities.lexicon import Lexicon

    texts = {
        "de": GERMAN
        + " Der Verein Werder Bremen gewann am Samstag in München. Am Ende sagte Trainer Ole "
        "Werner, die Mannschaft habe Glück gehabt. Die Deutsche Telekom und die Bundesbank "
        "in Frankfurt am Main melden Zahlen; Angela Merkel war früher Kanzlerin.",
        "it": "Il presidente Sergio Mattarella ha incontrato a Roma il sindaco di Firenze. "
        "La Juventus ha vinto a Torino. Secondo la Banca d'Italia il Governo è pronto.",
        "es": "Pedro Sánchez viajó a Sevilla y a Bruselas. El Real Madrid ganó en el Estadio "
        "Santiago Bernabéu. Según el Banco Santander, la Comisión Europea lo sabe.",
    }
    texts["de known"] = "Die Regierung lehnt das ab, berichtet Bild. Auch die Welt schreibt."
    known = {"Bild": "ORG", "Welt": "ORG"}  # names the store has seen (German newspapers)
    extractor = RuleExtractor()  # one for all: what it remembers between texts is tested too
    runs = [(lang, text, None) for lang, text in texts.items()]
    runs += [(lang, text, known) for lang, text in texts.items()]
    fast = [extractor.extract(text, k, lang=lang[:2]) for lang, text, k in runs]
    assert ("Bild", "ORG") in [(texts["de known"][s:e], kind) for s, e, kind in fast[-1]]
    monkeypatch.setattr(Lexicon, "common_noun", lambda self, word: False)
    monkeypatch.setattr(rules, "_CONSERVATIVE_FOR_ONE", rules._RULES_FOR_ONE)
    monkeypatch.setattr(rules, "_CONSERVATIVE_FOR_SEVERAL", rules._RULES_FOR_SEVERAL)
    for (lang, text, k), got in zip(runs, fast, strict=True):
        full = RuleExtractor().extract(text, k, lang=lang[:2])
        assert any(kind != "MISC" for _, _, kind in full) or (not k and "known" in lang)
        assert got == full, (lang, k)
