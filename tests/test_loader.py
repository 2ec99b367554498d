"""The dated-text loader on the seed and on awkward files."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_the_french_first_of_the_month_is_a_date() -> None:
    assert parse_dated_text("date 1er mars 2021\nTitre un.\n\nCorps.").date.iso() == "2021-03-01"
    assert parse_dated_text("date 1er Mars 2021 Texte.").date.iso() == "2021-03-01"


def test_an_iso_week_date_is_its_day_and_a_week_alone_is_refused() -> None:
    assert parse_dated_text("date 2021-W09-3\nTexte.").date.iso() == "2021-03-03"
    with pytest.raises(SourceError, match=r"'2021-W09' \(a week is no day"):
        parse_dated_text("date 2021-W09\nTexte.")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # day first in a French text (and any other but English): 3 April
        ("date 03/04/2021\nLe président a rencontré la chancelière à Berlin.", "2021-04-03"),
        ("date 03.04.2021\nDer Präsident hat die Kanzlerin in Berlin getroffen.", "2021-04-03"),
        ("date 03/04/2021\n12345.", "2021-04-03"),  # no language told: day first
        # month first in an English one: March 4
        ("date 03/04/2021\nThe president met the chancellor in Berlin.", "2021-03-04"),
        # the reading that cannot be a date gives way to the other
        ("date 04/13/2021\nLe président a rencontré la chancelière à Berlin.", "2021-04-13"),
        ("date 13/04/2021\nThe president met the chancellor in Berlin.", "2021-04-13"),
        ("date 2021/03/04\nLe président a rencontré la chancelière à Berlin.", "2021-03-04"),
    ],
)
def test_a_numeric_day_and_month_are_day_first_unless_the_text_is_english(
    text: str, iso: str
) -> None:
    assert parse_dated_text(text).date.iso() == iso


UTF16_TEXT = "date 2021-03-03\nL'été à Paris, défi réussi.\n\nCrème brûlée et œuvre « citée ».\n"


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (("\ufeff" + UTF16_TEXT).encode("utf-16-le"), None),  # Windows' "Unicode" (Notepad)
        (("\ufeff" + UTF16_TEXT).encode("utf-16-be"), None),
        (("\ufeff" + UTF16_TEXT).encode("utf-32-le"), None),
        (UTF16_TEXT.encode("utf-16-le"), "no byte-order mark; read as UTF-16-LE"),
        (UTF16_TEXT.encode("utf-16-be"), "no byte-order mark; read as UTF-16-BE"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-16-le-no-bom", "utf-16-be-no-bom"],
)
def test_utf16_text_is_read_not_skipped(data: bytes, warning: str | None) -> None:
    """A UTF-16 file was read as Windows-1252 and skipped: "no date line"."""
    article, said = load_dated_text(data)
    assert said == warning
    assert article.date.iso() == "2021-03-03"
    assert article.title == "L'été à Paris, défi réussi."
    assert article.body.endswith("Crème brûlée et œuvre « citée ».")


def test_utf16_cut_in_the_middle_of_a_character_is_read_with_a_warning() -> None:
    data = ("\ufeff" + UTF16_TEXT).encode("utf-16-le") + b"\x00"
    article, warning = load_dated_text(data)
    assert article.date.iso() == "2021-03-03"
    assert warning is not None and warning.startswith("not valid UTF-16 (byte")


def test_index_and_entities_read_a_utf16_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    from reader.store import FeedStore

    path = tmp_path / "utf16.txt"
    path.write_bytes((UTF16_TEXT + "Emmanuel Macron était à Berlin.\n").encode("utf-16"))
    with FeedStore(tmp_path / "u.db") as store:
        report = store.index([str(path)])
    assert (report.added, report.skips, report.failed, report.warnings) == (1, [], [], [])
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", str(path), "--json"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert proc.stderr == b""
    names = {json.loads(line)["text"] for line in proc.stdout.decode().splitlines()}
    assert {"Emmanuel Macron", "Berlin", "Paris"} <= names


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
