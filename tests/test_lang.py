"""Language detection and declared language tags (sentences written by the team)."""

from __future__ import annotations

import pytest

from reader.lang import FIRST_LOOK, LANGUAGES, detect_language, language_tag

SAMPLES = {
    "fr": "Le gouvernement a annoncé mardi une nouvelle loi sur le logement, qui sera votée "
    "avant l'été par les députés de la majorité.",
    "en": "The government announced a new housing law on Tuesday, which will be voted on by "
    "members of the majority before the summer.",
    "de": "Die Regierung hat am Dienstag ein neues Gesetz über den Wohnungsbau angekündigt, das "
    "noch vor dem Sommer von den Abgeordneten der Mehrheit beschlossen werden soll.",
    "it": "Il governo ha annunciato martedì una nuova legge sulla casa, che sarà votata dai "
    "deputati della maggioranza prima dell'estate.",
    "es": "El gobierno anunció el martes una nueva ley sobre la vivienda, que será votada por "
    "los diputados de la mayoría antes del verano.",
    "pt": "O governo anunciou na terça-feira uma nova lei sobre a habitação, que será votada "
    "pelos deputados da maioria antes do verão.",
    "nl": "De regering heeft dinsdag een nieuwe wet over de woningbouw aangekondigd, die nog "
    "voor de zomer door de leden van de meerderheid wordt aangenomen.",
}


def test_every_language_has_a_sample() -> None:
    assert set(SAMPLES) == set(LANGUAGES)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_each_language(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Bundesdigitalministerium fördert den Ausbau von Glasfaser.", "de"),
        ("Ajax won van Feyenoord in de Eredivisie.", "nl"),
        ("A seleção venceu o jogo em São Paulo.", "pt"),
        ("La selección ganó el partido en Madrid.", "es"),
        ("LONDON 1996-08-30 Shares in the company rose after it said profits would grow.", "en"),
    ],
)
def test_short_headlines(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_a_long_text_is_answered_early_only_when_its_start_is_clear() -> None:
    """The first ``FIRST_LOOK`` characters answer alone only when one language is clearly
    ahead there; a start where two languages are close reads on to the whole sample."""
    french = " ".join([SAMPLES["fr"]] * 12)
    mixed = (SAMPLES["en"] + " " + SAMPLES["fr"] + " ") * 2
    assert len(mixed) > FIRST_LOOK and detect_language(mixed[:FIRST_LOOK]) == "en"
    assert detect_language(mixed + french) == "fr"  # English ahead at first, not clearly
    english = " ".join([SAMPLES["en"]] * 4)
    assert detect_language(english + " " + french) == "en"  # clearly English at first
    assert detect_language(french, sample=FIRST_LOOK) == "fr"


def test_no_evidence_is_undetermined() -> None:
    assert detect_language("") == "und"
    assert detect_language("Xiaomi 2024 — 😀") == "und"


@pytest.mark.parametrize(
    ("declared", "code"),
    [
        ("de-DE", "de"),
        ("en_US", "en"),
        ("FR", "fr"),
        (" fr-ca ", "fr"),
        ("pt-BR", "pt"),
        ("fra", "fr"),
        ("deu", "de"),
        ("English", "en"),
        ("zh-Hant-TW", "zh"),
        ("", None),
        (None, None),
        ("not a tag", None),
        ("x", None),
    ],
)
def test_language_tag(declared: str | None, code: str | None) -> None:
    assert language_tag(declared) == code
