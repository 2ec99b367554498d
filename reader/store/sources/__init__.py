"""Loaders: one module per input format, each turning bytes into ParsedArticle records."""

from __future__ import annotations

import re

_FEED_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml|<rss|<feed|<rdf:RDF|<!--|\{)", re.I)


class SourceError(Exception):
    """A file or URL that could not be read or parsed; the message is the one-line reason."""


class Skipped(Exception):
    """A file that holds no dated article (empty, or no date line); not an error."""


def looks_like_feed(data: bytes) -> bool:
    """Does this file start like XML or JSON rather than a dated-text dump?"""
    return bool(_FEED_START.match(data[:512]))
