"""RSS 0.9x/1.0/2.0, Atom 0.3/1.0 (feedparser) and JSON Feed 1.0/1.1 (json) into articles.

feedparser is the reference for correctness on real-world feeds (encodings, entities, broken
markup, date formats, HTML sanitising); it was chosen over faster parsers after measuring both
on the feedparser test corpus (``benchmarks/bench_feed_parsers.py``). Its 6.0 releases do not
read JSON Feed, which is plain JSON with a dozen documented fields, mapped here.
"""

from __future__ import annotations

import calendar
import hashlib
import html as html_lib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat
from xml.sax import SAXParseException

import feedparser

from reader.dates import (
    MIN_YEAR,
    believable,
    is_week_date,
    offset_too_wide,
    parse_date,
    signed_year,
)
from reader.lang import detect_language, language_tag
from reader.model import DatedValue, DatePrecision, Enclosure, ParsedArticle
from reader.store.sources import SourceError
from reader.store.sources.htmltext import html_to_line, html_to_text, url_text
from reader.store.sources.layout import compose_body
from reader.textutil import (
    clean,
    clean_line,
    first_sentence,
    fold,
    no_surrogates,
    normalise_body,
    plural,
    repaired_utf8,
)

_TIME_OF_DAY = re.compile(r"\d:\d\d")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_PLAIN_TYPES = ("text/plain", "text")
_ALTERNATE = re.compile(
    r"<link\b[^>]*\btype=[\"']application/(?:rss|atom|feed)\+(?:xml|json)[\"'][^>]*>", re.I
)
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
NAMES_A_FEED = "not a feed but a web page; it names a feed: "
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.I)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed: its stable identity, the article, and where its date came from."""

    uid: str
    article: ParsedArticle
    dated_by: str  # published | updated | feed | first-seen


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed: title, site address and items (newest first as published)."""

    title: str | None
    link: str | None
    items: list[FeedItem] = field(default_factory=list)
    warning: str | None = None


def item_uid(feed_url: str, guid: str | None, link: str | None, title: str, date: str) -> str:
    """Stable article id: guid, else link, else title and date.

    A guid that is not globally unique by its form (a URL, ``tag:`` or ``urn:``) is scoped to
    the feed, so two feeds numbering their items 1, 2, 3 do not merge; a URL guid is global,
    so the same item in two feeds is one article.
    """
    if guid:
        key = guid if re.match(r"^(?:[a-z][a-z0-9+.-]*://|tag:|urn:)", guid, re.I) else None
        key = key or f"{feed_url}\0{guid}"
    elif link:
        key = link
    else:
        key = f"{feed_url}\0{title}\0{date}"
    return hashlib.blake2b(f"item\0{key}".encode(), digest_size=8).hexdigest()


def _struct_date(parsed: time.struct_time | None, raw: str | None) -> DatedValue | None:
    """The date as ``reader.dates`` reads it (zone names honoured, a date without a zone taken
    as UTC, an ISO week date as its day or refused), else feedparser's (in UTC), unless its
    year is absurd or the offset it applied is no time zone (``+9900``)."""
    ours = parse_date(raw) if isinstance(raw, str) else None
    if ours is not None or (isinstance(raw, str) and is_week_date(raw)):
        return ours
    if isinstance(raw, str) and raw.strip().isdigit():
        return None  # digits that are no date form (``parse_date``): feedparser made 12345 2012
    if (
        not parsed
        or parsed.tm_year < MIN_YEAR
        or (raw and (offset_too_wide(raw) or signed_year(raw)))
    ):
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    precision = DatePrecision.SECOND if raw and _TIME_OF_DAY.search(raw) else DatePrecision.DAY
    return DatedValue(when, precision)


def _language(hint: str | None, text: str) -> str:
    """The language the feed declares for the item (RSS ``<language>``, Atom ``xml:lang``,
    JSON Feed ``language``), else the one detected in its text."""
    return language_tag(hint if isinstance(hint, str) else None) or detect_language(text)


def _body(
    entry: Any, base: str | None, first: list[str], doc_bases: frozenset[str] | None = None
) -> tuple[str, list[str]]:
    """The richest text the entry carries (content, else summary) and its numbered addresses,
    ``first`` (the enclosures') numbered first.

    Relative addresses in it resolve against the ``xml:base`` in scope for that content when
    the feed declares one, else against ``base`` (see ``_content_base``; ``doc_bases``: None
    for a feed that declares no base)."""
    candidates = [
        (c.get("value") or "", c.get("type") or "", c.get("base"))
        for c in entry.get("content") or []
    ]
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html", detail.get("base")))
    if not candidates:
        return "", first
    value, kind, declared = max(candidates, key=lambda c: len(c[0]))
    if _is_html(kind, value):
        if doc_bases is not None:
            base = _content_base(declared, doc_bases, base)
        return html_to_text(value, base, first)
    return clean(value), first


def _is_html(kind: str | None, value: str) -> bool:
    """Is a text of this type (feedparser's ``type`` of it) HTML? Plain text (``text/plain``:
    Atom ``type="text"``, an RSS title without markup) is not, whatever angle brackets it
    holds (``vector<int>``); a text of another or no type is when it holds a tag."""
    if kind in _HTML_TYPES:
        return True
    return kind not in _PLAIN_TYPES and "<" in value


def title_line(value: Any, kind: str | None = None) -> str:
    """A title as one line: plain text (``kind``, feedparser's type of it, is ``text/plain``)
    as it is, angle brackets and all; any other read as HTML for its text. Cleaned of control
    sequences either way (and never read as Rich markup: the UI shows it as text)."""
    text = str(value or "")
    return clean_line(text) if kind in _PLAIN_TYPES else clean_line(html_to_line(text))


_WEB = ("http://", "https://")
# An attribute feedparser takes for a base (``xml:base``, and a bare ``base``).
_DECLARES_BASE = re.compile(rb"\bbase\s*=", re.I)


def _document_bases(data: bytes, location: str) -> frozenset[str] | None:
    """The forms feedparser gives the document's own address as the base of content outside
    any ``xml:base`` (``location`` as given, empty for a file, and as feedparser normalises
    it: ``https://host/feed?`` becomes ``https://host/feed``); None when the document declares
    no base at all, so that its items' content keeps resolving against their links."""
    if not _DECLARES_BASE.search(data):
        return None
    normalised = feedparser.urls.make_safe_absolute_uri(location, location)  # as feedparser
    return frozenset({"", location, normalised or location})


def _entries_in_base_scope(data: bytes, count: int) -> list[bool] | None:
    """For each of the document's ``count`` entries (``<entry>``/``<item>``, in order):
    whether an ``xml:base`` is in scope for it or declared inside it; None when expat cannot
    read the document or finds another number of entries.

    Needed when feedparser had no address of the document: its base is then empty, and
    feedparser does not restore an empty base when an element with ``xml:base`` closes, so
    one entry's base would pass on to the entries after it.
    """
    found: list[bool] = []
    scoped = [False]
    entry_depth = 0  # the open entry's depth, 0 outside entries

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal entry_depth
        declared = "xml:base" in attrs or "base" in attrs  # (feedparser takes both)
        scoped.append(scoped[-1] or declared)
        if not entry_depth and name.rsplit(":", 1)[-1].lower() in ("entry", "item"):
            entry_depth = len(scoped)
            found.append(scoped[-1])
        elif entry_depth and declared:
            found[-1] = True

    def end(name: str) -> None:
        nonlocal entry_depth
        if len(scoped) == entry_depth:
            entry_depth = 0
        scoped.pop()

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError):
        return None
    return found if len(found) == count else None


def _content_base(declared: Any, doc_bases: frozenset[str], fallback: str | None) -> str | None:
    """What relative addresses in an item's content resolve against.

    feedparser gives each content and summary the base in scope for it (``base``): the
    ``xml:base`` of the content, its entry or the feed, else the document's own address
    (one of ``doc_bases``: see ``_document_bases``). A declared one is
    taken when it is (or resolves to) an http(s) address; otherwise, as for RSS without
    ``xml:base``, the item's link (``fallback``) is the base. A relative ``xml:base`` (only
    left so when feedparser had no address of the document) resolves against the item's link;
    a ``javascript:``, ``data:``, ``file:`` or malformed one is not used.
    """
    if not isinstance(declared, str) or declared in doc_bases:
        return fallback
    declared = "".join(clean(declared).split())
    if not declared:
        return fallback
    try:
        url = urljoin(fallback, declared) if fallback else declared
        urlsplit(url)  # ValueError for a malformed address ("http://[x/")
    except ValueError:
        return fallback
    return url if url.lower().startswith(_WEB) else fallback


MAX_AUTHOR = 200  # characters of names kept (a feed can put anything in an author field)
MAX_TITLE = 1000  # characters of a title kept, the last one an ellipsis
# Invisible in a one-line title: zero-width space, joiner and non-joiner, word joiner, BOM
# (the joiner also joins emoji sequences: in titles they fall apart into their emoji).
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def join_names(names: list[str]) -> str | None:
    """Names as one line, ``Ann, Ben``: cleaned, markup and entities decoded, repeats (by
    case- and accent-insensitive form) left out."""
    seen: dict[str, str] = {}
    for name in names:
        line = html_to_line(name)[:MAX_AUTHOR]
        if line and fold(line) not in seen:
            seen[fold(line)] = line
    joined = ", ".join(seen.values())
    return joined[:MAX_AUTHOR].rstrip(", ") or None


def _person(d: Any) -> str:
    """A feedparser author record's name, else its e-mail address."""
    if not isinstance(d, dict):
        return str(d or "")
    return str(d.get("name") or d.get("email") or "")


def _authors(entry: Any, inherited: list[str]) -> str | None:
    """RSS ``author``/``dc:creator``/``itunes:author`` and Atom authors of an item, else the
    names it inherits (an Atom feed's authors)."""
    names = [_person(a) for a in entry.get("authors") or []]
    if not any(names) and entry.get("author_detail"):
        names = [_person(entry["author_detail"])]
    if not any(names) and entry.get("author"):
        names = [str(entry["author"])]
    return join_names(names) or join_names(inherited)


def _duration(value: Any) -> int | None:
    """Seconds from ``3600``, ``42:17``, ``1:02:03`` or ``125.5``; None if unreadable."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        parts = [float(p) for p in text.split(":")]
    except ValueError:
        return None
    if len(parts) > 3 or any(not 0 <= p < 10**7 for p in parts):
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return int(seconds) if 0 < seconds < 10**7 else None


def _length(value: Any) -> int | None:
    """A byte count; None for a missing, zero or unreadable one."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if 1 < n < 1 << 53 else None


def _media_type(value: Any) -> str | None:
    text = " ".join(clean(str(value or "")).split())[:100]
    return text or None


class _Enclosures:
    """An item's enclosures in order, one per address, facts merged from every field."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.found: dict[str, Enclosure] = {}

    def add(self, href: Any, kind: Any = None, length: Any = None, duration: Any = None) -> None:
        """One enclosure (an http(s) address; others cannot be opened safely)."""
        if not isinstance(href, str):
            return
        url = url_text(href)
        url = urljoin(self.base, url) if self.base and url else url
        if not url.lower().startswith(("http://", "https://")):
            return
        new = Enclosure(url, _media_type(kind), _length(length), _duration(duration))
        old = self.found.get(url)
        if old is not None:
            new = Enclosure(url, old.type or new.type, old.length or new.length,
                            old.duration or new.duration)  # fmt: skip
        self.found[url] = new

    def result(self, duration: Any = None) -> tuple[Enclosure, ...]:
        """The enclosures; ``duration`` (iTunes') goes to the first audio or video one that has
        none of its own (or to a lone enclosure of unknown type)."""
        out = list(self.found.values())
        seconds = _duration(duration)
        if seconds:
            for i, e in enumerate(out):
                if e.duration is None and (e.type or "").startswith(("audio/", "video/")):
                    out[i] = Enclosure(e.url, e.type, e.length, seconds)
                    break
            else:
                if len(out) == 1 and out[0].duration is None and out[0].type is None:
                    out[0] = Enclosure(out[0].url, None, out[0].length, seconds)
        return tuple(out)


def _enclosures(entry: Any, base: str | None) -> tuple[Enclosure, ...]:
    """RSS ``<enclosure>``, Atom ``rel="enclosure"`` links, Media RSS ``media:content`` and
    the iTunes duration of an item."""
    found = _Enclosures(base)
    for e in entry.get("enclosures") or []:
        if isinstance(e, dict):
            found.add(e.get("href") or e.get("url"), e.get("type"), e.get("length"))
    for m in entry.get("media_content") or []:
        if isinstance(m, dict):
            found.add(m.get("url"), m.get("type") or m.get("medium"),
                      m.get("filesize") or m.get("fileSize"), m.get("duration"))  # fmt: skip
    return found.result(entry.get("itunes_duration"))


def _article(
    title: str, text: str, links: list[str], date: DatedValue, lang: str | None,
    link: str | None, guid: str | None, author: str | None = None,
    enclosures: tuple[Enclosure, ...] = (),
) -> ParsedArticle:  # fmt: skip
    body = compose_body(text, links, enclosures)
    title = _title(title, text)
    body = body or title
    return ParsedArticle(
        title=title,
        body=body,
        date=date,
        language=_language(lang, f"{title}\n{text or body}"),
        link=link,
        guid=guid,
        author=author,
        enclosures=enclosures,
    )


def _title(title: str, text: str) -> str:
    """An item's title on one line, its text's first sentence when it has none, cut at
    ``MAX_TITLE``."""
    title = " ".join(_ZERO_WIDTH.sub("", title).split())
    title = title or (first_sentence(normalise_body(text)) if text.strip() else "") or "(untitled)"
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    return title


def _uid_title(raw: Any, text: str) -> str:
    """The title the identity of an item with neither guid nor link is made of: read as HTML,
    as every title was before a plain-text title kept its angle brackets, so that an item
    stored then keeps its identity (and is not stored a second time)."""
    return _title(html_to_line(str(raw or "")), text)


def _pick_date(
    candidates: list[tuple[str, DatedValue | None]], now: DatedValue
) -> tuple[DatedValue, str]:
    """The first usable date, else the time the item is first seen. A date more than two days
    after now is not believed (``reader.dates.believable``)."""
    for name, value in candidates:
        if believable(value, now.when) is not None:
            assert value is not None
            return value, name
    return now, "first-seen"


def _not_a_feed(data: bytes, what: str) -> SourceError:
    text = data[:65536].decode("utf-8", "replace")
    if re.search(r"<html\b|<!doctype html", text, re.I):
        for tag in _ALTERNATE.findall(text):
            href = _HREF.search(tag)
            if href:
                return SourceError(NAMES_A_FEED + href.group(1))
        return SourceError("not a feed but a web page (no feed link in it)")
    head = text[:4096]
    if "\x00" not in head and "\ufffd" not in head:  # (UTF-16, binary: the parser's words)
        start = head.lstrip("\ufeff \t\r\n\f\v\xa0")[:1]
        if not start:
            return SourceError("not a feed: empty")
        if start == "[":
            return SourceError("not a feed: JSON, but a list, not a JSON Feed")
        if start not in "<{" and start.isprintable():  # expat would say where XML "breaks"
            return SourceError("not a feed: plain text (no XML, JSON or HTML)")
    return SourceError(f"not a feed: {what}")


def parse_feed(
    data: bytes,
    url: str,
    content_type: str | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse a feed document; raise SourceError when it holds no feed at all.

    ``content_type`` is the HTTP header, whose charset feedparser weighs against the XML
    declaration; ``now`` dates items that carry no date of their own.
    """
    first_seen = DatedValue((now or datetime.now(UTC)).replace(microsecond=0), DatePrecision.SECOND)
    data, warning = _mostly_utf8(data, content_type)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        parsed_json = _parse_json_feed(stripped, url, first_seen)
        parsed_json.warning = "; ".join(w for w in (warning, parsed_json.warning) if w) or None
        return parsed_json
    if b"&#" in data:  # feedparser's fallback parser raises on a reference to a surrogate
        data = _SURROGATE_REF.sub(b"&#xFFFD;", data)
    headers: dict[str, str] = {}
    if content_type:
        headers["content-location"] = url
        said = _charset(content_type)
        if said and said.lower() not in ("utf-8", "utf8") and _is_utf8(data):
            # A header that contradicts bytes which are valid UTF-8 (and say so) is wrong.
            warning = f"the server says charset {said}, the content is UTF-8; read as UTF-8"
            content_type = re.sub(r"charset=[^;]*", "charset=utf-8", content_type, flags=re.I)
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        data, response_headers=headers or None, sanitize_html=False, resolve_relative_uris=False
    )
    feed = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if not parsed.get("version") and not entries:
        exc = parsed.get("bozo_exception")
        raise _not_a_feed(data, _reason(exc) if exc else "no RSS, Atom or JSON Feed element")
    broken = parsed.get("bozo_exception")
    if (
        not entries
        and parsed.get("bozo")
        and not isinstance(broken, _HARMLESS)
        and not any(feed.get(k) for k in ("title", "link", "subtitle", "updated", "id"))
    ):  # cut short before anything readable: a failure, not an empty feed
        raise SourceError(f"a broken feed with nothing readable ({_reason(broken)})")
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if not isinstance(exc, _HARMLESS):
            reason = _reason(exc)
            reason = reason if reason.startswith("malformed") else f"malformed ({reason})"
            # Cut short after the channel's title: said, not taken for an empty feed.
            read = f"{plural(len(entries), 'item')} read anyway" if entries else "no item in it"
            warning = "; ".join(w for w in (warning, f"{reason}; {read}") if w)
        elif entries and isinstance(exc, feedparser.CharacterEncodingOverride):
            # "document declared as utf-8, but parsed as koi8-r": the encoding was guessed
            # (chardet, when nothing was declared or the declaration was wrong)
            warning = f"not in its declared encoding; read as {parsed.get('encoding') or '?'}"
    feed_date = _struct_date(
        _field(feed, "updated_parsed"), _field(feed, "updated")
    ) or _struct_date(_field(feed, "published_parsed"), _field(feed, "published"))
    inherited = [_person(a) for a in feed.get("authors") or []] if _is_atom(parsed) else []
    relative = _relative_guids(data, url) if "content-location" in headers else {}
    doc_bases = _document_bases(data, headers.get("content-location", ""))
    trusted = [doc_bases is not None] * len(entries)  # feedparser's bases, entry by entry
    if doc_bases is not None and "content-location" not in headers:
        trusted = _entries_in_base_scope(data, len(entries)) or [False] * len(entries)
    items = []
    skipped: list[str] = []
    for n, entry in enumerate(entries, 1):
        try:
            bases = doc_bases if trusted[n - 1] else None
            item = _entry_item(entry, feed, url, feed_date, inherited, first_seen, relative, bases)
            items.append(_checked(item))
        except Exception as exc:  # one item a parser choked on: the others are read
            skipped.append(_skip_reason(n, entry.get("id"), entry.get("title"), exc))
    items, repeated = _first_of_each(items)
    warning = "; ".join(w for w in (warning, _skipped_warning(skipped), repeated) if w) or None
    feed_title = title_line(feed.get("title"), _kind(feed, "title")) or None
    return ParsedFeed(feed_title, _clean_url(feed.get("link")), items, warning)


def _entry_item(
    entry: Any,
    feed: Any,
    url: str,
    feed_date: DatedValue | None,
    inherited: list[str],
    first_seen: DatedValue,
    relative: dict[str, str],
    doc_bases: frozenset[str] | None = None,
) -> FeedItem:
    """One feedparser entry as an item (``relative``: see ``_relative_guids``; ``doc_bases``:
    see ``_document_bases``)."""
    base = entry.get("link") or feed.get("link") or url
    base = base if "://" in base else None
    enclosures = _enclosures(entry, base)
    text, links = _body(entry, base, [e.url for e in enclosures], doc_bases)
    title = title_line(entry.get("title"), _kind(entry, "title"))
    date, dated_by = _pick_date(
        [
            (
                "published",
                _struct_date(_field(entry, "published_parsed"), _field(entry, "published")),
            ),
            (
                "updated",
                _struct_date(_field(entry, "updated_parsed"), _field(entry, "updated")),
            ),
            ("feed", feed_date),
        ],
        first_seen,
    )
    link = _clean_url(entry.get("link"))
    guid = clean(entry.get("id") or "").strip() or None
    if link and entry.get("guidislink") and link == _clean_url(guid) and "://" not in link:
        link = None  # an RSS guid taken for the link (isPermaLink unsaid) that is no address
    guid = relative.get(guid, guid) if guid else None
    raw_date = no_surrogates(str(_field(entry, "published") or _field(entry, "updated") or ""))
    article = _article(title, text, links, date, entry.get("language") or feed.get("language"),
                       link, guid, _authors(entry, inherited), enclosures)  # fmt: skip
    uid_link = link and _uid_link(entry.get("link"))
    uid = item_uid(url, guid, uid_link, _uid_title(entry.get("title"), text), raw_date)
    return FeedItem(uid, article, dated_by)


_RAW_GUID = re.compile(
    rb"<(?:[\w.-]+:)?(?:guid|id)\b[^>]*>\s*(?:<!\[CDATA\[)?([^<\]]*?)(?:\]\]>)?\s*</", re.I
)
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)", re.I)


def _relative_guids(data: bytes, url: str) -> dict[str, str]:
    """Guids that are not absolute in the feed's own text, by the address feedparser makes
    of them (it resolves a guid against the feed's address: ``shared-guid-1`` in
    ``http://host/a.xml`` becomes ``http://host/shared-guid-1``, which would be taken for a
    global URL guid and merge items of every feed on that host)."""
    found: dict[str, str] = {}
    if b"guid" not in data and b"<id" not in data:
        return found
    for m in _RAW_GUID.finditer(data):
        raw = " ".join(html_lib.unescape(m.group(1).decode("utf-8", "replace")).split())
        if raw and not _ABSOLUTE.match(raw):
            found.setdefault(urljoin(url, raw), raw)
    return found


# A character reference to a surrogate (&#xD800; … &#xDFFF;, &#55296; … &#57343;).
_SURROGATE_REF = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}"
    rb"|0*(?:5529[6-9]|55[3-9]\d\d|56\d{3}|57[0-2]\d\d|573[0-3]\d|5734[0-3]));"
)


def _checked(item: FeedItem) -> FeedItem:
    """The item, once every text of it is known to be storable (UTF-8 without a stray
    surrogate); ValueError names the field that is not."""
    a = item.article
    fields = [("id", item.uid), ("title", a.title), ("text", a.body), ("link", a.link),
              ("guid", a.guid), ("author", a.author), ("language", a.language)]  # fmt: skip
    fields += [("enclosure", e.url) for e in a.enclosures]
    fields += [("enclosure type", e.type) for e in a.enclosures]
    for name, value in fields:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"its {name} is not text")
        try:
            (value or "").encode()
        except UnicodeEncodeError:
            raise ValueError(f"its {name} holds characters that cannot be stored") from None
    return item


def _skip_reason(n: int, guid: Any, title: Any, exc: Exception) -> str:
    """``item 3 ("A title"): reason``, one line."""
    name = clean_line(no_surrogates(str(title or guid or "")))
    name = name if len(name) <= 60 else name[:59] + "…"
    reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
    reason = clean_line(no_surrogates(reason))[:120]
    return f"item {n}" + (f" ({name!r})" if name else "") + f" not read: {reason}"


def _skipped_warning(skipped: list[str]) -> str | None:
    """The items left out, as one line (the first named, the others counted)."""
    if not skipped:
        return None
    more = len(skipped) - 1
    return skipped[0] + (f" (and {plural(more, 'other item')})" if more else "")


def _first_of_each(items: list[FeedItem]) -> tuple[list[FeedItem], str | None]:
    """The items without those that repeat an earlier item's identity (``item_uid``: its
    guid, else its link, else its title and date), the first of each kept as the store keeps
    it; and a warning counting the others (they were dropped without a word)."""
    kept: dict[str, FeedItem] = {}
    guid = link = other = 0
    for item in items:
        if item.uid not in kept:
            kept[item.uid] = item
        elif item.article.guid:
            guid += 1
        elif item.article.link:
            link += 1
        else:
            other += 1
    if not guid + link + other:
        return items, None

    def said(n: int, what: str) -> str:
        return f"{plural(n, 'item')}{what} {'repeats' if n == 1 else 'repeat'} an earlier item's"

    parts = [f"{said(guid, '')} guid"] if guid else []
    parts += [f"{said(link, ' without a guid')} link"] if link else []
    parts += [f"{said(other, ' without a guid or link')} title and date"] if other else []
    many = "the first of each" if guid + link + other > 1 else "the first"
    return list(kept.values()), f"{', '.join(parts)}; only {many} is kept"


def _is_atom(parsed: Any) -> bool:
    """Atom items inherit their feed's authors (RFC 4287, 4.2.1); RSS items do not."""
    return str(parsed.get("version") or "").startswith("atom")


def _kind(d: Any, key: str) -> str | None:
    """feedparser's type of a text field (``title`` → ``title_detail``'s), None if unknown."""
    detail = d.get(f"{key}_detail")
    kind = detail.get("type") if isinstance(detail, dict) else None
    return kind if isinstance(kind, str) else None


def _field(d: Any, key: str) -> Any:
    """A field as the feed gave it (feedparser's ``get`` maps missing dates onto others)."""
    return dict.get(d, key)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii() and re.search(rb"^\s*<\?xml[^>]*utf-8", data[:200], re.I) is not None


_DECLARED = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']?([\w.:-]+)", re.I
)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


def _charset(content_type: str | None) -> str | None:
    """The charset an HTTP ``Content-Type`` names, if any."""
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def _mostly_utf8(data: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """A document in UTF-8 (declared so, or not declared) but for a few invalid bytes, with
    each of those read as Windows-1252 on its own (``reader.textutil.repaired_utf8``), and a
    warning that says so; any other document as it is.

    Else feedparser reads the whole document in some other encoding (``iso8859-15``), one
    stray Latin-1 byte turning every accented letter of it into mojibake.
    """
    if data.isascii():
        return data, None
    try:
        data.decode("utf-8")
        return data, None
    except UnicodeDecodeError as exc:
        where = exc.start
    declared = _DECLARED.match(data[:1024])
    said_utf8 = False
    for said in (declared and declared.group(1).decode(), _charset(content_type)):
        if said and said.lower() not in ("utf-8", "utf8"):
            return data, None  # another encoding is declared: feedparser weighs it
        said_utf8 = said_utf8 or bool(said)
    repaired = repaired_utf8(data)
    if repaired is None:
        if not said_utf8:
            return data, None  # nothing declared: feedparser guesses (chardet)
        # Declared UTF-8, written in a Latin encoding (an old CMS): read as Windows-1252,
        # as for dated text. chardet's guess for a short one was hp-roman8 ("Øre" as "Äre").
        text = data.decode("cp1252", "newsreader-cp1252")
        return text.encode(), f"not valid UTF-8 as it says (byte {where}); read as Windows-1252"
    text, bad = repaired
    them = "that byte" if bad == 1 else f"those {bad:,} bytes"
    return text.encode(), f"not valid UTF-8 (byte {where}); read as UTF-8, {them} as Windows-1252"


def _reason(exc: BaseException | None) -> str:
    """The parser's complaint in plain words: where malformed XML breaks, and why."""
    if isinstance(exc, SAXParseException):
        where = f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        return f"malformed XML at {where}: {' '.join(str(exc.getMessage()).split())[:80]}"
    text = " ".join(str(exc or "unknown error").split())
    return text[:120]


def _clean_url(value: Any) -> str | None:
    """An address a feed gives (``url_text``: a space in it percent-encoded), else None."""
    if not isinstance(value, str):
        return None
    return url_text(value) or None


def _uid_link(value: Any) -> str | None:
    """The form of an item's link (as the feed gives it) that its identity is made of: without
    any blank space, as links were kept before a space in them was percent-encoded (so that
    an item stored then keeps its identity)."""
    return "".join(clean(value).split()) or None if isinstance(value, str) else None


def _parse_json_feed(data: bytes, url: str, first_seen: DatedValue) -> ParsedFeed:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"not a feed: invalid JSON ({_reason(exc)})") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise SourceError("not a feed: JSON without a jsonfeed.org version")
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise SourceError("not a feed: JSON Feed without an items list")
    doc = {key: _scrub(value) for key, value in doc.items() if key != "items"}
    home = _clean_url(doc.get("home_page_url"))
    inherited = _json_authors(doc)
    items = []
    skipped: list[str] = []
    for n, raw in enumerate(raw_items, 1):
        if not isinstance(raw, dict):
            continue
        try:
            items.append(_checked(_json_item(_scrub(raw), doc, url, home, inherited, first_seen)))
        except Exception as exc:  # one item a parser choked on: the others are read
            skipped.append(_skip_reason(n, raw.get("id"), raw.get("title"), exc))
    title = title_line(doc.get("title"), "text/plain") or None  # plain text (JSON Feed 1.1)
    items, repeated = _first_of_each(items)
    warning = "; ".join(w for w in (_skipped_warning(skipped), repeated) if w) or None
    return ParsedFeed(title, home, items, warning)


def _scrub(value: Any, depth: int = 0) -> Any:
    """A JSON value with lone surrogates (``"\\ud800"``) in its strings replaced by U+FFFD,
    down to the depth JSON Feed fields go."""
    if isinstance(value, str):
        return no_surrogates(value)
    if depth > 4:
        return value
    if isinstance(value, list):
        return [_scrub(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {no_surrogates(str(k)): _scrub(v, depth + 1) for k, v in value.items()}
    return value


def _json_item(
    raw: dict[str, Any],
    doc: dict[str, Any],
    url: str,
    home: str | None,
    inherited: list[str],
    first_seen: DatedValue,
) -> FeedItem:
    """One JSON Feed item."""
    link = _clean_url(raw.get("url")) or _clean_url(raw.get("external_url"))
    enclosures = _json_attachments(raw, link or home)
    first = [e.url for e in enclosures]
    if isinstance(raw.get("content_html"), str):
        text, links = html_to_text(raw["content_html"], link or home, first)
    elif isinstance(raw.get("content_text"), str):
        text, links = clean(raw["content_text"]), first
    else:
        text, links = clean(str(raw.get("summary") or "")), first
    published, modified = raw.get("date_published"), raw.get("date_modified")
    date, dated_by = _pick_date(
        [
            ("published", parse_date(published) if isinstance(published, str) else None),
            ("updated", parse_date(modified) if isinstance(modified, str) else None),
        ],
        first_seen,
    )
    guid = str(raw["id"]) if raw.get("id") not in (None, "") else None
    title = title_line(raw.get("title"), "text/plain")  # plain text, as JSON Feed says
    author = join_names(_json_authors(raw)) or join_names(inherited)
    article = _article(title, text, links, date, raw.get("language") or doc.get("language"),
                       link, guid, author, enclosures)  # fmt: skip
    uid_link = link and (_uid_link(raw.get("url")) or _uid_link(raw.get("external_url")))
    uid_title = _uid_title(raw.get("title"), text)
    return FeedItem(item_uid(url, guid, uid_link, uid_title, str(published or "")),
                    article, dated_by)  # fmt: skip


def _json_authors(obj: dict[str, Any]) -> list[str]:
    """JSON Feed 1.1 ``authors`` (a list of objects), else 1.0 ``author`` (one object)."""
    people = obj.get("authors")
    if not isinstance(people, list):
        single = obj.get("author")
        people = [single] if isinstance(single, dict) else []
    return [str(p.get("name") or "") for p in people if isinstance(p, dict)]


def _json_attachments(raw: dict[str, Any], base: str | None) -> tuple[Enclosure, ...]:
    """JSON Feed ``attachments``: url, mime_type, size_in_bytes, duration_in_seconds."""
    found = _Enclosures(base)
    attachments = raw.get("attachments")
    for a in attachments if isinstance(attachments, list) else []:
        if isinstance(a, dict):
            found.add(a.get("url"), a.get("mime_type"), a.get("size_in_bytes"),
                      a.get("duration_in_seconds"))  # fmt: skip
    return found.result()
