"""Dates with a precision: parsing (ISO, dateutil, French month names) and sort keys."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from dateutil import parser as du_parser

from reader.model import DatedValue, DatePrecision

_ISO = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s?(?P<tz>Z(?![+-])|[+-]\d{2}(?::?\d{2})?)(?!\w))?)?)?)?"
)


# ISO 8601 week dates (``2021-W09-3``: Wednesday of week 9); a week without its day
# (``2021-W09``) is no day and no month, so no usable date.
_ISO_WEEK = re.compile(r"(?P<y>\d{4})(?P<sep>-?)W(?P<w>\d{2})(?:(?P=sep)(?P<d>\d))?(?P<time>T\S*)?")
_WEEK_START = re.compile(r"\d{4}-?W\d")
# A leap second (``23:59:60``) is read as the second before it: the date must not be lost.
_LEAP_SECOND = re.compile(r"(?<=\d:\d\d):60(?!\d)")
# French ordinal of the first day of a month: "1er mars 2021" (also "1ᵉʳ").
_FIRST_OF = re.compile(r"\b1(?:er|ᵉʳ)\b", re.IGNORECASE)
# A numeric day and month with a year ("03/04/2021", "3.4.21"): which comes first is a convention.
# "GMT+2", "UTC-05:00": an offset from UTC, which dateutil reads the POSIX way (GMT+2 as
# UTC-2) and ignores after a space ("GMT +0200"); without the name the offset is read as written.
_NAMED_OFFSET = re.compile(r"\b(?:GMT|UTC|UT)\s*(?=[+-]\d)")
_NUMERIC_DMY = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")

# Time-zone abbreviations honoured in dates (RFC 822's, then the common ones of Europe, North
# America, Asia and Oceania), in hours east of UTC. An abbreviation that is not here (or is
# ambiguous, as IST: India, Ireland or Israel) is taken as UTC, as before.
_ZONES_HOURS: dict[str, float] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1,
    "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5,
    "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8, "ACST": 9.5, "ACDT": 10.5,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}  # fmt: skip
_ZONES = {name: int(hours * 3600) for name, hours in _ZONES_HOURS.items()}
_ZONE_WORD = re.compile(r"[ \t]+([A-Za-z]{1,5})(?!\S)")  # a zone's name after a time
# A zone's name written in another case ("cest", "Bst", "gmt+2") is read as its upper-case
# form; dateutil knows zone names only in upper case (it failed on them, and feedparser then
# read "cest" as UTC). IST is a zone's name too, and stays ambiguous (UTC) in any case. In a
# date that is the whole text every case is taken; where text may follow the date (a dated
# text's date line) only lower case, which no sentence starts with ("Cet article…" stays
# text).
_ZONE_NAMES = frozenset(_ZONES) | {"IST"}
_ASCII_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]{1,5}(?![^\W\d_])")


def _zone_case(text: str, whole: bool) -> str:
    """``text`` with the zone names in it in upper case: in any case when the text is all
    date (``whole``), else only those written in lower case."""

    def upper(m: re.Match[str]) -> str:
        word = m.group(0)
        name = word.upper()
        if name not in _ZONE_NAMES or not (whole or word.islower()):
            return word
        return name

    return _ASCII_WORD.sub(upper, text)


def _zone_offset(name: str) -> int | None:
    """The offset of a zone's name after a time in a dated text's date line: upper case, or
    lower case (``cest``); None for another word."""
    if not (name.isupper() or name.islower()):
        return None
    return _ZONES.get(name.upper())


# RFC 822 (RSS) dates, read without dateutil (a fiftieth of its time): "Wed, 03 Mar 2021
# 10:00:00 +0100". Any other form, or a zone name not in _ZONES, goes to dateutil.
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},?\s*)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3})\s+(?P<y>\d{4}|\d{2})"
    r"\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<tz>[+-]\d{4}|[A-Za-z]{1,5}))?"
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


class _BilingualInfo(du_parser.parserinfo):
    """dateutil's English names plus French month and day names."""

    # dateutil reads these class lists; ours hold more names per month than its stubs allow
    MONTHS: list[tuple[str, ...]] = [  # type: ignore[assignment]  # noqa: RUF012
        ("Jan", "January", "janvier", "janv"),
        ("Feb", "February", "février", "fevrier", "févr", "fevr"),
        ("Mar", "March", "mars"),
        ("Apr", "April", "avril", "avr"),
        ("May", "May", "mai"),
        ("Jun", "June", "juin"),
        ("Jul", "July", "juillet", "juil"),
        ("Aug", "August", "août", "aout"),
        ("Sep", "Sept", "September", "septembre"),
        ("Oct", "October", "octobre"),
        ("Nov", "November", "novembre"),
        ("Dec", "December", "décembre", "decembre", "déc"),
    ]
    WEEKDAYS: list[tuple[str, ...]] = [  # type: ignore[assignment]  # noqa: RUF012
        ("Mon", "Monday", "lundi"),
        ("Tue", "Tuesday", "mardi"),
        ("Wed", "Wednesday", "mercredi"),
        ("Thu", "Thursday", "jeudi"),
        ("Fri", "Friday", "vendredi"),
        ("Sat", "Saturday", "samedi"),
        ("Sun", "Sunday", "dimanche"),
    ]
    JUMP = [*du_parser.parserinfo.JUMP, "le", "à", "a", "h"]  # noqa: RUF012


_INFO = _BilingualInfo()
MIN_YEAR = 1000  # an article dated before this is taken to have no usable date
MAX_OFFSET = timedelta(hours=14)  # the widest time-zone offset in use (UTC+14, Kiribati)
MAX_AHEAD = timedelta(days=2)  # see ``believable``
_SIGNED_YEAR = re.compile(r"[+-]\d")
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2004, 2, 2, 1, 1, 1)


def _aware(dt: datetime) -> datetime:
    """Normalise to aware UTC; naive times are taken as UTC."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _from_iso_match(m: re.Match[str]) -> DatedValue | None:
    y, mo, d = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
    hh, mm, ss = int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0)
    ss = min(ss, 59)  # a leap second (23:59:60): the second before it
    if m["S"]:
        prec = DatePrecision.SECOND
    elif m["M"]:
        prec = DatePrecision.MINUTE
    elif m["d"]:
        prec = DatePrecision.DAY
    elif m["m"]:
        prec = DatePrecision.MONTH
    else:
        prec = DatePrecision.YEAR
    try:
        dt = datetime(y, mo, d, hh, mm, ss)
    except ValueError:
        return None
    tz = m["tz"]
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        hours, minutes = int(digits[:2]), (int(digits[2:4]) if len(digits) >= 4 else 0)
        offset = timedelta(hours=hours, minutes=minutes)
        if minutes >= 60 or offset > MAX_OFFSET:
            return None  # +99:00 is no time zone: no usable date
        dt = dt.replace(tzinfo=timezone(sign * offset))
    try:
        return _usable(DatedValue(_aware(dt), prec))
    except OverflowError:  # moved past year 1 or 9999 by its offset
        return None


def _rfc822(text: str) -> re.Match[str] | None:
    """The text as an RFC 822 date this module reads itself (English month, a numeric offset
    or a zone name of ``_ZONES``), else None: dateutil reads it."""
    m = _RFC822.fullmatch(text)
    if m is None or m["mon"].lower() not in _MONTHS:
        return None
    tz = m["tz"]
    return None if tz and tz[0].isalpha() and tz.upper() not in _ZONES else m


def _from_rfc822(m: re.Match[str]) -> DatedValue | None:
    """An RFC 822 date matched by ``_rfc822``; None if it is no usable date."""
    month, tz = _MONTHS[m["mon"].lower()], m["tz"]
    y = int(m["y"])
    if len(m["y"]) == 2:
        y += 2000 if y < 50 else 1900  # RFC 2822 4.3
    ss = min(int(m["S"] or 0), 59)  # a leap second (23:59:60): the second before it
    if not tz:
        offset = 0
    elif tz[0].isalpha():
        offset = _ZONES[tz.upper()]  # ("cest" is CEST)
    else:
        hours, minutes = int(tz[1:3]), int(tz[3:5])
        if minutes >= 60 or timedelta(hours=hours, minutes=minutes) > MAX_OFFSET:
            return None  # +9900 is no time zone
        offset = (-1 if tz[0] == "-" else 1) * (hours * 3600 + minutes * 60)
    try:
        dt = datetime(y, month, int(m["d"]), int(m["H"]), int(m["M"]), ss)
        when = dt.replace(tzinfo=timezone(timedelta(seconds=offset))).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return _usable(DatedValue(when, DatePrecision.SECOND if m["S"] else DatePrecision.MINUTE))


def _usable(value: DatedValue | None) -> DatedValue | None:
    """The value, unless its year is absurd for an article (before ``MIN_YEAR``)."""
    if value is None or value.when.year < MIN_YEAR:
        return None
    return value


def believable(value: DatedValue | None, seen: datetime) -> DatedValue | None:
    """A feed's date, unless it is more than ``MAX_AHEAD`` after the time the item was
    fetched or indexed (``seen``): such a date is a wrong clock or a placeholder (``31 Dec
    9999``), and believing it would pin the item at the top of every list."""
    if value is None or value.when > seen + MAX_AHEAD:
        return None
    return value


def signed_year(text: str) -> bool:
    """Does a date string start with a signed year (``-0001-01-01``: before the common era;
    feedparser reads it as the year 2000)?"""
    return _SIGNED_YEAR.match(text.strip()) is not None


def offset_too_wide(text: str) -> bool:
    """Does a date string end with a numeric time-zone offset beyond ±14:00 (``+9900``)?"""
    m = re.search(r"[+-](\d\d):?(\d\d)\s*$", text)
    if m is None:
        return False
    hours, minutes = int(m.group(1)), int(m.group(2))
    return minutes >= 60 or timedelta(hours=hours, minutes=minutes) > MAX_OFFSET


def _from_week(m: re.Match[str]) -> DatedValue | None:
    """An ISO week date as its calendar day (``2021-W09-3`` is 2021-03-03); None for a week
    without its day, or a week or day that does not exist."""
    if m["d"] is None:
        return None
    try:
        day = date.fromisocalendar(int(m["y"]), int(m["w"]), int(m["d"]))
    except ValueError:
        return None
    iso = _ISO.fullmatch(day.isoformat() + (m["time"] or ""))
    return _from_iso_match(iso) if iso else None


def is_week_date(text: str) -> bool:
    """Does the text start as an ISO week date (``2021-W09``, ``2021W093``)? Other parsers
    misread these (feedparser took ``2021-W09-3`` for 2021-11-01)."""
    return _WEEK_START.match(text.strip()) is not None


def numeric_day_month(text: str) -> bool:
    """Does the text hold a numeric day and month with a year (``03/04/2021``), which reads
    differently day first and month first?"""
    return _NUMERIC_DMY.search(text) is not None


def _dateutil(text: str, dayfirst: bool = False) -> DatedValue | None:
    """Parse with dateutil; the precision is what the text actually specified. ``dayfirst``
    reads a numeric day and month (``03/04/2021``) day first, unless that cannot be a date."""
    if offset_too_wide(text):
        return None
    text = _FIRST_OF.sub("1", _LEAP_SECOND.sub(":59", _NAMED_OFFSET.sub("", text)))
    dayfirst = dayfirst and _NUMERIC_DMY.search(text) is not None  # (never 2021/03/04 as YDM)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown time-zone names: taken as UTC
            a = du_parser.parse(
                text, parserinfo=_INFO, default=_DEFAULT_A, tzinfos=_ZONES, dayfirst=dayfirst
            )
            b = du_parser.parse(
                text, parserinfo=_INFO, default=_DEFAULT_B, tzinfos=_ZONES, dayfirst=dayfirst
            )
            offset = a.utcoffset()  # (a datetime refuses an offset of a day or more)
    except (ValueError, OverflowError, TypeError):
        return None
    if offset is not None and abs(offset) > MAX_OFFSET:
        return None  # +99:00 is no time zone
    if a.year != b.year:
        return None  # no year given: not a usable article date
    if a.month != b.month:
        prec = DatePrecision.YEAR
    elif a.day != b.day:
        prec = DatePrecision.MONTH
    elif a.hour != b.hour:
        prec = DatePrecision.DAY
    elif a.second != b.second:
        prec = DatePrecision.MINUTE
    else:
        prec = DatePrecision.SECOND
    try:
        return _usable(DatedValue(_aware(a), prec))
    except (ValueError, OverflowError):
        return None


# A date written as digits alone: a year, a day, a minute or a second
# (``2021``, ``20210315``, ``202103151030``, ``20210315103000``), or a Unix time
# in seconds (9 or 10 digits) or milliseconds (13). dateutil read other numbers as anything:
# ``1700000000`` as 1699-11-30, ``12345`` as 2012-12-10.
_DIGITS_DATE = (4, 8, 12, 14)
_DIGITS_EPOCH = {9: 1, 10: 1, 13: 1000}


def _is_number(text: str) -> bool:
    """Whether ``text`` is ASCII digits alone (``¹²³`` and ``١٢٣`` are digits to Python, not
    to ``int``, nor to a feed)."""
    return text.isascii() and text.isdigit()


def _from_number(text: str) -> DatedValue | None:
    """A date written as digits alone (``_DIGITS_DATE``, ``_DIGITS_EPOCH``), else None."""
    if len(text) in _DIGITS_EPOCH and not text.startswith("0"):
        seconds = int(text) / _DIGITS_EPOCH[len(text)]
        try:
            when = datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError):
            return None
        return _usable(DatedValue(when, DatePrecision.SECOND))
    if len(text) in _DIGITS_DATE:
        return _dateutil(text)
    return None


def parse_date(text: str) -> DatedValue | None:
    """Parse a whole string as a date, keeping its precision; ``None`` if it is not one."""
    text = text.strip()
    if not text or _SIGNED_YEAR.match(text):
        return None  # "-0001-01-01": a year before the common era is no article date
    if _is_number(text):
        return _from_number(text)
    m = _ISO.fullmatch(text)
    if m:
        return _from_iso_match(m)
    week = _ISO_WEEK.fullmatch(text)
    if week or is_week_date(text):
        return _from_week(week) if week else None
    rfc = _rfc822(text)
    return _from_rfc822(rfc) if rfc else _dateutil(_zone_case(text, whole=True))


def split_date_prefix(
    text: str, max_tokens: int = 7, dayfirst: bool = False
) -> tuple[DatedValue, str] | None:
    """Split ``"2021-03 Au terme de…"`` into the date and the rest of the text.

    ISO forms are tried first (an ISO week date is its first word); otherwise the longest
    run of leading words (at most ``max_tokens``, never past the end of the first line) that
    dateutil reads, a numeric day and month day first if ``dayfirst``.
    """
    if _SIGNED_YEAR.match(text):
        return None
    if is_week_date(text):
        first = re.match(r"\s*\S+", text)
        assert first is not None
        value = parse_date(first.group())
        return (value, text[first.end() :]) if value is not None else None
    m = _ISO.match(text)
    if m and (m.end() == len(text) or text[m.end()].isspace()):
        value = _from_iso_match(m)
        if value is not None:
            rest = text[m.end() :]
            zone = _ZONE_WORD.match(rest) if m["H"] and not m["tz"] else None
            offset = _zone_offset(zone[1]) if zone else None
            if zone and offset is not None:  # "2021-03-05 10:20 CEST": the zone's, not UTC
                when = value.when - timedelta(seconds=offset)
                return DatedValue(when, value.precision), rest[zone.end() :]
            return value, rest
    line_end = text.find("\n")
    line = text if line_end < 0 else text[:line_end]
    words = list(re.finditer(r"\S+", line))[:max_tokens]
    zoned = _zone_case(line, whole=False)  # (as long as the line: ASCII letters upper-cased)
    for k in range(len(words), 0, -1):
        end = words[k - 1].end()
        candidate = zoned[:end].rstrip(",;")
        if not any(ch.isdigit() for ch in candidate) or _INFO.jump(words[k - 1].group(0)):
            continue
        value = _dateutil(candidate, dayfirst)
        if value is not None:
            after = words[k].group(0) if k < len(words) else ""
            if value.precision >= DatePrecision.MINUTE and offset_too_wide(after):
                return None  # "… 10:00:00 +9900": a time-zone offset that is none
            # (after a date without a time "+2000" is text: "March 3, 2021 +2000 marched")
            return value, text[end:]
    return None


def period_start(value: DatedValue) -> int:
    """Epoch seconds of the start of the value's period (sort key)."""
    return int(value.when.timestamp())


_EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def from_epoch(seconds: int, precision: int) -> DatedValue:
    """Rebuild a stored date (one beyond what a datetime holds is clamped to its range)."""
    try:
        when = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, ValueError, OSError):
        when = _EARLIEST if seconds < 0 else _LATEST
    return DatedValue(when, DatePrecision(precision))


def month_buckets(timeline: list[tuple[str, int]]) -> list[int]:
    """Monthly counts (``[("2021-03", 4), …]``, oldest first) with the empty months between
    the first and the last filled in."""
    if not timeline:
        return []
    counts = dict(timeline)
    y, m = map(int, timeline[0][0].split("-"))
    end = tuple(map(int, timeline[-1][0].split("-")))
    out = []
    while (y, m) <= end:
        out.append(counts.get(f"{y:04d}-{m:02d}", 0))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# -- showing dates ----------------------------------------------------------------------------
def _zone_name(when: datetime) -> str:
    """The zone's abbreviation (``CET``), else its offset (``UTC+5:30``)."""
    name = when.tzname() or ""
    if name.isalpha():
        return name
    offset = when.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local_date(
    value: DatedValue,
    zone: tzinfo | None = None,
    *,
    zone_name: bool = True,
    time_of_day: bool = True,
) -> str:
    """A date for reading, in the local time zone (``TZ`` honoured) at its precision:
    ``2021``, ``Mar 2021``, ``2021-03-05``, ``2021-03-05 11:20 CET``.

    A date without a time of day is a calendar day wherever one reads it: it is not moved
    between zones. ``zone`` replaces the local zone (tests); ``zone_name`` and ``time_of_day``
    may be left out (the headline list's narrow columns).
    """
    w = value.when
    match value.precision:
        case DatePrecision.YEAR:
            return f"{w.year:04d}"
        case DatePrecision.MONTH:
            return f"{w.strftime('%b')} {w.year:04d}"
        case DatePrecision.DAY:
            return f"{w.year:04d}-{w.month:02d}-{w.day:02d}"
    try:
        here = w.astimezone(zone) if zone is not None else w.astimezone()
    except (OverflowError, ValueError, OSError):  # at the edge of the calendar: shown in UTC
        here = w.astimezone(UTC)
    day = f"{here.year:04d}-{here.month:02d}-{here.day:02d}"
    if not time_of_day:
        return day
    shown = f"{day} {here.hour:02d}:{here.minute:02d}"
    return f"{shown} {_zone_name(here)}" if zone_name else shown


def relative_age(value: DatedValue, now: datetime | None = None) -> str | None:
    """``just now``, ``5 min ago``, ``2 h ago`` for a time of day less than a day old; None
    for older dates, dates without a time of day and dates in the future (a wrong clock)."""
    if value.precision < DatePrecision.MINUTE:
        return None
    now = now or datetime.now(UTC)
    age = (now - value.when).total_seconds()
    if age < -120 or age >= 86400:
        return None
    if age < 60:
        return "just now"
    if age < 3600:
        return f"{int(age // 60)} min ago"
    return f"{int(age // 3600)} h ago"


def reading_date(value: DatedValue, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """The date as the reader and ``show`` print it: local, with the age when it is recent
    (``2026-11-28 09:20 CET (2 h ago)``)."""
    shown = local_date(value, zone)
    age = relative_age(value, now)
    return f"{shown} ({age})" if age else shown
