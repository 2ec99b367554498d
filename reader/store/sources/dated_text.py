"""The dated-text dump format: ``date 2021-03`` then paragraphs and short sub-headings."""

from __future__ import annotations

import re

from reader.dates import is_week_date, numeric_day_month, split_date_prefix
from reader.lang import detect_language
from reader.model import ParsedArticle
from reader.store.sources import Skipped, SourceError
from reader.textutil import decode, first_sentence, normalise_body

_DATE_WORD = re.compile(r"\s*date\b[ \t:]*", re.IGNORECASE)


def parse_dated_text(text: str) -> ParsedArticle:
    """Parse one dated-text article; raise Skipped or SourceError when there is none."""
    if not text.strip():
        raise Skipped("empty file")
    m = _DATE_WORD.match(text)
    if not m:
        raise Skipped("no date line (expected the text to start with 'date YYYY-MM…')")
    after = text[m.end() :]
    split = split_date_prefix(after, dayfirst=_day_first(after))
    if split is None:
        line = text[m.end() :].split("\n", 1)[0][:40]
        if not line.strip():  # "date" alone on its line, the date on the next
            raise SourceError("no date after 'date' (it goes on the same line: 'date 2021-03')")
        week = " (a week is no day: give its day, as 2021-W09-3)" if is_week_date(line) else ""
        raise SourceError(f"unreadable date after 'date': {line!r}{week}")
    date, rest = split
    body = normalise_body(rest)
    if not body:
        raise Skipped("dated, but no text")
    return ParsedArticle(
        title=first_sentence(body),
        body=body,
        date=date,
        language=detect_language(body),
    )


def _day_first(text: str) -> bool:
    """Is a numeric day and month on the date line (``date 03/04/2021``) day first? Yes,
    unless the text is English: day first is the norm in French (the dumps this format comes
    from) and most other languages, month first in American English. A reading that cannot be
    a date (``03/13/2021`` day first) gives way to the other."""
    line = text.split("\n", 1)[0]
    return numeric_day_month(line) and detect_language(text) != "en"


def load_dated_text(data: bytes) -> tuple[ParsedArticle, str | None]:
    """Decode and parse a dated-text file's bytes; return the article and any warning."""
    text, warning = decode(data)
    return parse_dated_text(text), warning
