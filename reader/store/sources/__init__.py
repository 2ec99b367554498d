"""Loaders: one module per input format, each turning bytes into ParsedArticle records."""

from __future__ import annotations

import re

_FEED_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml|<rss|<feed|<rdf:RDF|<!--|\{)", re.I)


class SourceError(Exception):
    """A file or URL that could not be read or parsed; the message is the one-line reason."""


class Skipped(Exception):
    """A file that holds no dated article (empty, or no date line); not an error."""


_WIDE = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def looks_like_feed(data: bytes) -> bool:
    """Does this file start like XML or JSON (in any Unicode encoding) rather than dated text?"""
    head = data[:512]
    for mark, encoding in _WIDE:
        if head.startswith(mark):
            head = head.decode(encoding, "ignore").lstrip("\ufeff").encode()
            break
    return bool(_FEED_START.match(head))
