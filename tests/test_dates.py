"""Date parsing keeps precision; sort keys and periods."""

from __future__ import annotations

import pytest

from reader.dates import parse_date, split_date_prefix
from reader.model import DatePrecision as P


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2021", "2021", P.YEAR),
        ("2021-03", "2021-03", P.MONTH),
        ("2021-03-05", "2021-03-05", P.DAY),
        ("2021-03-05T10:20", "2021-03-05T10:20Z", P.MINUTE),
        ("2021-03-05 10:20:30+02:00", "2021-03-05T08:20:30Z", P.SECOND),
        ("2021-03-05T23:30-05:00", "2021-03-06T04:30Z", P.MINUTE),
        ("12 mars 2021", "2021-03-12", P.DAY),
        ("mars 2021", "2021-03", P.MONTH),
        ("1er février 2020", None, None),
        ("March 12, 2021 10:00", "2021-03-12T10:00Z", P.MINUTE),
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z", P.SECOND),
        ("12 août 2024", "2024-08-12", P.DAY),
        ("hello", None, None),
        ("12 mars", None, None),  # no year: not an article date
        ("2021-13", None, None),
    ],
)
def test_parse_date_keeps_precision(text: str, iso: str | None, precision: P | None) -> None:
    value = parse_date(text)
    if iso is None:
        assert value is None
    else:
        assert value is not None
        assert value.iso() == iso
        assert value.precision == precision


def test_split_date_prefix_stops_at_the_body() -> None:
    value, rest = split_date_prefix("2021-03 Au terme de deux conférences")
    assert value.iso() == "2021-03"
    assert rest == " Au terme de deux conférences"
    value, rest = split_date_prefix("12 mars 2021 Le président a dit")
    assert value.iso() == "2021-03-12"
    assert rest.strip() == "Le président a dit"
    # A body starting with Z must not be taken for a time zone.
    value, rest = split_date_prefix("2021-03-05T10:20 Zurich vote")
    assert value.iso() == "2021-03-05T10:20Z" and rest == " Zurich vote"
    assert split_date_prefix("Au terme de deux") is None
