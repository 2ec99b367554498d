"""The dated-text dump format: ``date 2021-03`` then paragraphs and short sub-headings."""

from __future__ import annotations

import re

from reader.dates import split_date_prefix
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
    split = split_date_prefix(text[m.end() :])
    if split is None:
        line = text[m.end() :].split("\n", 1)[0][:40]
        if not line.strip():  # "date" alone on its line, the date on the next
            raise SourceError("no date after 'date' (it goes on the same line: 'date 2021-03')")
        raise SourceError(f"unreadable date after 'date': {line!r}")
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


def load_dated_text(data: bytes) -> tuple[ParsedArticle, str | None]:
    """Decode and parse a dated-text file's bytes; return the article and any warning."""
    text, warning = decode(data)
    return parse_dated_text(text), warning
