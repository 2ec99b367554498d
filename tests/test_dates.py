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
    # a signed number after a date without a time is text, not a time-zone offset
    value, rest = split_date_prefix("March 3, 2021 +2000 people marched")
    assert value.iso() == "2021-03-03" and rest == " +2000 people marched"
    assert split_date_prefix("Au terme de deux") is None


@pytest.mark.parametrize(
    "text",
    [
        "-0001-01-01T00:00:00Z",  # a year before the common era, not year 1
        "+2026-03-02",
        "0999-01-01",  # before MIN_YEAR: no article date
        "0001-01-01T00:00:00Z",
        "2026-03-02T10:00:00+99:00",  # offsets beyond ±14:00 are no time zones
        "2026-03-02T10:00:00+14:01",
        "2026-03-02T10:00:00-15:00",
        "2026-03-02T10:00:00+05:75",
        "Mon, 02 Mar 2026 10:00:00 +9900",
        "9999-12-31T23:00:00-05:00",  # past the end of the calendar in UTC
    ],
)
def test_unusable_dates_are_no_dates(text: str) -> None:
    assert parse_date(text) is None
    assert split_date_prefix(text + " Then the text.") is None


def test_the_widest_real_offsets_are_read() -> None:
    assert parse_date("2026-03-02T10:00:00+14:00").iso() == "2026-03-01T20:00:00Z"  # type: ignore[union-attr]
    assert parse_date("2026-03-02T10:00:00-12:00").iso() == "2026-03-02T22:00:00Z"  # type: ignore[union-attr]


def test_dates_at_the_edges_of_the_calendar_are_shown_in_every_zone() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from reader.dates import from_epoch, local_date, reading_date
    from reader.model import DatedValue

    last = DatedValue(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), P.SECOND)
    first = DatedValue(datetime(1, 1, 1, tzinfo=UTC), P.SECOND)
    assert local_date(last, ZoneInfo("Asia/Tokyo")) == "9999-12-31 23:59 UTC"
    assert local_date(first, ZoneInfo("America/New_York")) == "0001-01-01 00:00 UTC"
    assert reading_date(first, zone=ZoneInfo("America/New_York")) == "0001-01-01 00:00 UTC"
    assert first.iso() == "0001-01-01T00:00:00Z"  # always four digits (search --json)
    assert DatedValue(first.when, P.MINUTE).iso() == "0001-01-01T00:00Z"
    assert local_date(DatedValue(first.when, P.MONTH)) == "Jan 0001"
    assert local_date(DatedValue(first.when, P.DAY)) == "0001-01-01"
    assert from_epoch(10**15, P.SECOND).when.year == 9999  # beyond a datetime: clamped
    assert from_epoch(-(10**15), P.SECOND).when.year == 1
