"""A feed article's stored body: enclosure lines, the text, then its numbered addresses.

::

    Enclosure: episode-42.mp3 (audio/mpeg, 24.1 MB, 42:17) [1]

    The text, with links [2] and images [image: Studio] [3] numbered…

    Links

    [1] https://example.org/episode-42.mp3
    [2] https://example.org/guest
    [3] https://example.org/studio.jpg

The same layout serves the feed's text and a full text fetched from the article's page, so
the reader, ``show`` and the full-text index all see one body.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from reader.model import Enclosure
from reader.textutil import clean_line, format_duration, format_size, normalise_body


def enclosure_name(url: str) -> str:
    """The file name an enclosure's address ends with (``episode-42.mp3``), else its host."""
    parts = urlsplit(url)
    name = posixpath.basename(unquote(parts.path).rstrip("/"))
    return clean_line(name or parts.hostname or url)[:80] or "file"


def enclosure_line(enclosure: Enclosure, number: int) -> str:
    """``Enclosure: episode-42.mp3 (audio/mpeg, 24.1 MB, 42:17) [1]``: what is known of it."""
    facts = [
        f
        for f in (
            clean_line(enclosure.type or "") or None,
            format_size(enclosure.length),
            format_duration(enclosure.duration),
        )
        if f
    ]
    about = f" ({', '.join(facts)})" if facts else ""
    return f"Enclosure: {enclosure_name(enclosure.url)}{about} [{number}]"


def compose_body(text: str, links: list[str], enclosures: tuple[Enclosure, ...] = ()) -> str:
    """The stored body: one line per enclosure, the text, then the numbered addresses.

    ``links`` must start with the enclosures' addresses (``html_to_text``'s ``first_links``),
    so that their numbers are the first ones.
    """
    body = normalise_body(text, keep_indent=True)
    numbers = {url: n for n, url in enumerate(links, 1)}
    lines = [enclosure_line(e, numbers[e.url]) for e in enclosures if e.url in numbers]
    parts = ["\n".join(lines)] if lines else []
    if body:
        parts.append(body)
    if links:
        listing = "\n".join(f"[{n}] {url}" for n, url in enumerate(links, 1))
        parts.append(f"Links\n\n{listing}" if parts else listing)
    return "\n\n".join(parts)
