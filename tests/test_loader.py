"""The dated-text loader on the seed and on awkward files."""

from __future__ import annotations

import pytest

from reader.model import DatePrecision
from reader.store.sources import Skipped, SourceError
from reader.store.sources.dated_text import load_dated_text, parse_dated_text

from .conftest import SEED


def test_seed_article() -> None:
    article, warning = load_dated_text(SEED.read_bytes())
    assert warning is None
    assert article.date.iso() == "2021-03"
    assert article.date.precision == DatePrecision.MONTH
    assert article.title == (
        "Au terme de deux conférences, Lei Jun, CEO de Xiaomi, a confirmé l'entrée du groupe "
        "chinois sur le terrain des véhicules électriques et connectés."
    )
    assert article.body.startswith(article.title)  # the full sentence stays in the article
    assert article.language == "fr"
    assert "\n\nNouveau logo et nouvelle graphie\n\nUn défi de grande ampleur\n\n" in article.body


def test_every_precision_and_leading_space() -> None:
    for line, iso in [
        ("date 2019 Texte.", "2019"),
        ("\n\n  date 2019-05 Texte.", "2019-05"),
        ("date 2019-05-02\nTexte.", "2019-05-02"),
        ("DATE 2019-05-02T10:30 Texte.", "2019-05-02T10:30Z"),
        ("date: 2 mai 2019\n\nTexte.", "2019-05-02"),
        ("date May 2, 2019 10:30:05\nText.", "2019-05-02T10:30:05Z"),
    ]:
        assert parse_dated_text(line).date.iso() == iso, line


def test_latin1_falls_back_with_a_warning() -> None:
    data = "date 2022-06-08\nLe défi écologique est lancé.\n".encode("latin-1")
    article, warning = load_dated_text(data)
    assert article.title == "Le défi écologique est lancé."
    assert warning is not None and "UTF-8" in warning


def test_one_byte_undefined_in_windows_1252_does_not_make_the_file_latin1() -> None:
    data = b"date 2022-06-08\nHe said \x93no\x94 \x96 twice\x9d.\n"
    article, warning = load_dated_text(data)
    assert article.body == "He said \u201cno\u201d \u2013 twice\ufffd."
    assert warning == "not valid UTF-8 (byte 24); read as Windows-1252 (1 undefined byte replaced)"


def test_utf8_with_a_few_latin1_bytes_stays_utf8() -> None:
    """One Latin-1 line in a UTF-8 file made the whole file Windows-1252 ("L'Ã©tÃ©")."""
    data = "date 2021-03-03\nL'été à Paris, “citée” pour 5 €.\n".encode() + b"Ligne: \xe9t\xe9.\n"
    article, warning = load_dated_text(data)
    assert article.body == "L'été à Paris, “citée” pour 5 €.\nLigne: été."
    assert warning == "not valid UTF-8 (byte 66); read as UTF-8, those 2 bytes as Windows-1252"
    # A Windows-1252 file whose "ß“" happens to be a UTF-8 sequence is still Windows-1252.
    data = "date 2021-03-03\nDer Fuß“ ist größer, schön. Übel.\n".encode("cp1252")
    article, warning = load_dated_text(data)
    assert article.body == "Der Fuß“ ist größer, schön. Übel."
    assert warning == "not valid UTF-8 (byte 31); read as Windows-1252"  # (ß“ is valid)


def test_utf8_bom_is_accepted() -> None:
    article, warning = load_dated_text("\ufeffdate 2020 Bonjour.".encode())
    assert warning is None and article.date.iso() == "2020"


@pytest.mark.parametrize("text", ["", "   \n\n", "Pas de date ici.\n", "date"])
def test_files_without_an_article_are_skipped(text: str) -> None:
    with pytest.raises((Skipped, SourceError)):
        parse_dated_text(text)


def test_unreadable_date_is_an_error_with_the_reason() -> None:
    with pytest.raises(SourceError, match="unreadable date"):
        parse_dated_text("date demain matin Texte.")
    # the date on the line after "date": said where it goes (the new-user test)
    with pytest.raises(SourceError, match=r"it goes on the same line: 'date 2021-03'"):
        parse_dated_text("date\n2025-01-01\n\nTexte.")


def test_control_sequences_are_stripped_from_the_body() -> None:
    article = parse_dated_text("date 2020 Titre\x1b]52;c;AAAA\x07 propre. Suite\x1b[2J.")
    assert "\x1b" not in article.body and "\x07" not in article.body
    assert article.title == "Titre propre."
