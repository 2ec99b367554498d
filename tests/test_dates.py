"""Date parsing keeps precision; sort keys and periods."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.dates import _ZONES, parse_date, split_date_prefix
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
        ("1er février 2020", "2020-02-01", P.DAY),  # the French way to write the 1st
        ("1ᵉʳ mars 2021", "2021-03-01", P.DAY),
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


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # ISO week dates: feedparser read 2021-W09-3 as 2021-11-01
        ("2021-W09-3", "2021-03-03"),
        ("2021W093", "2021-03-03"),
        ("2020-W53-7", "2021-01-03"),  # a 53-week year; the day is in the next year
        ("2021-W09-3T10:00:00+02:00", "2021-03-03T08:00:00Z"),
        ("2021-W09", None),  # a week is no day: refused, not read as some day of it
        ("2021-W54-1", None),
        ("2021-W09-8", None),
        # time-zone abbreviations are honoured (CEST was read as UTC)
        ("Wed, 03 Mar 2021 10:00:00 CEST", "2021-03-03T08:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 CET", "2021-03-03T09:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 BST", "2021-03-03T09:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 EST", "2021-03-03T15:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 EDT", "2021-03-03T14:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 PST", "2021-03-03T18:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 PDT", "2021-03-03T17:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 NST", "2021-03-03T13:30:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 GMT", "2021-03-03T10:00:00Z"),
        ("mercredi 3 mars 2021 10:00 CET", "2021-03-03T09:00Z"),
        # an offset after GMT or UTC is east of UTC as written (dateutil read GMT+2 as UTC-2)
        ("Tue, 13 Apr 2021 08:00:00 GMT+2", "2021-04-13T06:00:00Z"),
        ("Tue, 13 Apr 2021 08:00:00 UTC+02:00", "2021-04-13T06:00:00Z"),
        ("Tue, 13 Apr 2021 08:00:00 GMT -0500", "2021-04-13T13:00:00Z"),
        # no zone: taken as UTC
        ("Wed, 03 Mar 2021 10:00:00", "2021-03-03T10:00:00Z"),
        # a leap second is the second before it, not the loss of the date
        ("Wed, 03 Mar 2021 23:59:60 GMT", "2021-03-03T23:59:59Z"),
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
    ],
)
def test_week_dates_zone_names_and_leap_seconds(text: str, iso: str | None) -> None:
    value = parse_date(text)
    assert (value.iso() if value else None) == iso
    split = split_date_prefix(text + " Le texte.")
    assert (split[0].iso() if split else None) == iso
    if split:
        assert split[1] == " Le texte."


def test_numeric_day_and_month_are_read_day_first_when_asked() -> None:
    assert parse_date("03/04/2021").iso() == "2021-03-04"  # type: ignore[union-attr]
    value, rest = split_date_prefix("03/04/2021 Le texte.", dayfirst=True)  # type: ignore[misc]
    assert value.iso() == "2021-04-03" and rest == " Le texte."
    value, _ = split_date_prefix("3.4.2021 Le texte.", dayfirst=True)  # type: ignore[misc]
    assert value.iso() == "2021-04-03"
    # day first cannot be: month first (the 13th)
    value, _ = split_date_prefix("04/13/2021 Text.", dayfirst=True)  # type: ignore[misc]
    assert value.iso() == "2021-04-13"
    # a year first is always year, month, day
    value, _ = split_date_prefix("2021/03/04 Le texte.", dayfirst=True)  # type: ignore[misc]
    assert value.iso() == "2021-03-04"
    value, _ = split_date_prefix("3 mars 2021 Le texte.", dayfirst=True)  # type: ignore[misc]
    assert value.iso() == "2021-03-03"


@pytest.mark.parametrize(
    "text",
    [
        "Wed, 03 Mar 2021 10:00:00 GMT",
        "Wed, 03 Mar 2021 10:00 +0530",
        "03 Mar 2021 10:00:00 -0930",
        "Wed,03 Mar 21 10:00:00 CEST",
        "Wed, 3 Mar 1999 10:00:00 PDT",
        "Wed, 03 Mar 2021 10:00:00",
        "Wed, 03 Mar 2021 23:59:60 Z",
        "Mon, 29 Feb 2021 10:00:00 GMT",  # no such day
        "Mon, 02 Mar 2026 10:00:00 +9900",
        "Fri, 31 Dec 9999 23:00:00 -0500",
        "Mon, 01 Jan 0999 00:00:00 GMT",
    ],
)
def test_rss_dates_read_without_dateutil_are_read_as_dateutil_reads_them(text: str) -> None:
    from reader.dates import _dateutil

    assert parse_date(text) == _dateutil(text)


def test_a_zone_name_after_an_iso_time_is_the_times_zone() -> None:
    """`date 2021-03-05 10:20 CEST` was read as 10:20 UTC and "CEST" became the headline."""
    for text, utc in (
        ("2021-03-05 10:20 CEST\nBody.", "2021-03-05T08:20:00+00:00"),
        ("2021-03-05T10:20 EST Body.", "2021-03-05T15:20:00+00:00"),
        ("2021-03-05 10:20 UTC\nBody.", "2021-03-05T10:20:00+00:00"),
    ):
        found = split_date_prefix(text)
        assert found is not None and found[0].when.isoformat() == utc
        assert found[1].strip() == "Body."
    found = split_date_prefix("2021-03-05 10:20 AFP Paris")  # no zone: the text's
    assert found is not None and found[1] == " AFP Paris"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # lower-case zone names were no zone: feeds got feedparser's reading (UTC; for an ISO
        # date its day alone), a dated text's date line UTC with the name left in its text
        ("Wed, 03 Mar 2021 10:00:00 cest", "2021-03-03T08:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 cet", "2021-03-03T09:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 bst", "2021-03-03T09:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 edt", "2021-03-03T14:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 Cest", "2021-03-03T08:00:00Z"),
        ("Tue, 13 Apr 2021 08:00:00 gmt+2", "2021-04-13T06:00:00Z"),
        ("Tue, 13 Apr 2021 08:00:00 utc-05:00", "2021-04-13T13:00:00Z"),
        ("2021-03-05 10:20 cest", "2021-03-05T08:20Z"),
        ("2021-03-05T10:20 edt", "2021-03-05T14:20Z"),
        ("March 5, 2021 10:20 pm bst", "2021-03-05T21:20Z"),
        ("mercredi 3 mars 2021 10:00 cet", "2021-03-03T09:00Z"),
        ("3 août 2021 10:00 cest", "2021-08-03T08:00Z"),
        # IST (India, Ireland or Israel) stays ambiguous: UTC, in any case
        ("Wed, 03 Mar 2021 10:00:00 IST", "2021-03-03T10:00:00Z"),
        ("Wed, 03 Mar 2021 10:00:00 ist", "2021-03-03T10:00:00Z"),
        ("2021-03-05 10:20 ist", "2021-03-05T10:20Z"),
    ],
)
def test_zone_names_are_read_in_any_case(text: str, iso: str) -> None:
    value = parse_date(text)
    assert value is not None and value.iso() == iso
    if text.split()[-1] in ("Cest", "ist"):
        return  # (a date line's text may start so: next test)
    split = split_date_prefix(text + " Le texte.")
    assert split is not None and split[0].iso() == iso and split[1] == " Le texte."


def test_a_lower_case_zone_name_of_a_feed_item_is_its_zone() -> None:
    """feedparser, asked when newsreader could not read the date, took "cest" for UTC."""
    from reader.store.sources.feed import parse_feed

    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><guid>a</guid><pubDate>Wed, 03 Mar 2021 10:00 cest</pubDate>"
        b"</item><item><title>B</title><guid>b</guid><pubDate>2021-03-05 10:20 cest</pubDate>"
        b"</item></channel></rss>"
    )
    items = parse_feed(rss, "https://t.example/rss").items
    assert [i.article.date.iso() for i in items] == ["2021-03-03T08:00Z", "2021-03-05T08:20Z"]


def test_a_zone_name_in_a_date_line_is_a_zone_in_lower_case_only() -> None:
    """Where text may follow the date, a zone's name in lower case is the zone (it was left
    at the head of the text, the time read as UTC); capitalised, it starts the text."""
    for line, iso, rest in (
        ("2021-03-05 10:20 cest\nBody.", "2021-03-05T08:20Z", "\nBody."),
        ("2021-03-05 10:20 Cet article\n", "2021-03-05T10:20Z", " Cet article\n"),
        ("5 mars 2021 10:20 cet Le texte.", "2021-03-05T09:20Z", " Le texte."),
        ("5 mars 2021 10:20 Cet article.", "2021-03-05T10:20Z", " Cet article."),
        ("2021-03-05 10:20 ist Body.", "2021-03-05T10:20Z", " ist Body."),  # as IST is
        ("5 mars 2021 10:20 ist Body.", "2021-03-05T10:20Z", " Body."),  # as IST is
    ):
        found = split_date_prefix(line)
        assert found is not None and (found[0].iso(), found[1]) == (iso, rest), line


_BASES = [
    "Wed, 03 Mar 2021 10:00:00",
    "Wed, 03 Mar 2021",
    "2021-03-05 10:20",
    "2021-03-05T10:20:30",
    "5 mars 2021 10:20",
    "March 5, 2021 10:20 pm",
    "2021",
]


@settings(max_examples=300, deadline=None)
# (a date line's "Z+2" was read by dateutil as UTC-2, its "z+2" left as text: both are text)
@example(base="2021-03-05 10:20", name="Z", flips=[False] * 5, after="+2")
@given(
    base=st.sampled_from(_BASES),
    name=st.sampled_from(sorted({*_ZONES, "IST"})),
    flips=st.lists(st.booleans(), min_size=5, max_size=5),
    after=st.sampled_from(["", "+2", "+05:30", " +0530", " -9900", "+99", " x", " IST", " ist"]),
)
def test_a_zone_name_in_any_case_reads_as_in_upper_case(
    base: str, name: str, flips: list[bool], after: str
) -> None:
    """Any case of a zone's name (IST included, ambiguous) reads as its upper-case form, and
    nothing raises; a dated text's date line takes it in lower case as in upper case."""
    cased = "".join(c.lower() if flip else c for c, flip in zip(name, flips, strict=False))
    assert parse_date(f"{base} {cased}{after}") == parse_date(f"{base} {name}{after}")
    lower = split_date_prefix(f"{base} {name.lower()}{after} Body.")
    upper = split_date_prefix(f"{base} {name}{after} Body.")
    assert (lower and (lower[0], lower[1].upper())) == (upper and (upper[0], upper[1].upper()))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1700000000", "2023-11-14T22:13:20+00:00"),  # Unix time: dateutil said 1699-11-30
        ("1764500000000", "2025-11-30T10:53:20+00:00"),  # ... in milliseconds
        ("20261128", "2026-11-28T00:00:00+00:00"),
        ("202103151030", "2021-03-15T10:30:00+00:00"),
        ("2021", "2021-01-01T00:00:00+00:00"),
        ("12345", None),  # dateutil said 2012-12-10
        ("0", None),
        ("0000000000", None),
        ("17000000000", None),
        ("¹⁷⁰⁰⁰⁰⁰⁰⁰⁰", None),  # digits to Python, not to int(): the item was dropped
        ("١٧٠٠٠٠٠٠٠٠", None),
    ],
)
def test_a_date_of_digits_alone_is_a_date_form_or_a_unix_time(text: str, iso: str | None) -> None:
    parsed = parse_date(text)
    assert (parsed.when.isoformat() if parsed else None) == iso
