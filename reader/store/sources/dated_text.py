"""The dated-text dump format: ``date 2021-03`` then paragraphs and short sub-headings."""

from __future__ import annotations

import codecs
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


# Byte-order marks, the four-byte ones first (UTF-32-LE's starts as UTF-16-LE's does).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for text that is plainly UTF-16 without a byte-order mark (a
    zero byte in every other place of Latin text: "d\\0a\\0t\\0e\\0"), else None."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2 or b"\0" not in head:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd >= pairs * 0.3 and even == 0:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode a text file: UTF-16 or UTF-32 with its byte-order mark (Windows' "Unicode"), or
    plainly UTF-16 without one (with a warning), else as ``reader.textutil.decode`` does
    (UTF-8, else Windows-1252 with a warning). A UTF-16 file was read as Windows-1252: no
    'date' at its start, it was skipped as having "no date line"."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(encoding), None
            except UnicodeDecodeError as exc:
                if name == "UTF-32":  # (UTF-16 text starting with U+0000?)
                    continue
                where = exc.start + len(bom)
                text = body.decode(encoding, "replace")
                return text, f"not valid {name} (byte {where}); what is not was replaced"
    guess = _bomless_utf16(data)
    if guess is not None:
        try:
            return data.decode(guess), f"no byte-order mark; read as {guess.upper()}"
        except UnicodeDecodeError:
            pass
    return decode(data)


def load_dated_text(data: bytes) -> tuple[ParsedArticle, str | None]:
    """Decode and parse a dated-text file's bytes; return the article and any warning."""
    text, warning = decode_text(data)
    refuse_binary(text)
    return parse_dated_text(text), warning


# Control characters no text holds (tab, newlines, form feed and vertical tab aside)
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def refuse_binary(text: str) -> None:
    """Refuse decoded text that is binary data (a program, an image, random bytes saved as
    ``.txt``): eight control characters or more, and more than one in a hundred, in its
    first 4,096 characters (a stray one in a text is cleaned out, as ever). Decoded as
    Windows-1252, binary data was read for a date line, and one with a date line in its
    first bytes was stored as an article."""
    head = text[:4096]
    found = len(_BINARY_CHARS.findall(head))
    if found >= 8 and found * 100 > len(head):
        raise SourceError("binary data, not text")
