"""Subscriptions: the feeds table, and OPML lists in and out."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.sax.saxutils import quoteattr

from reader.store.changes import Changes, delete_articles
from reader.store.database import chunks, columns, fetch_all, marks
from reader.store.items import drop_origin
from reader.store.query import HIDDEN
from reader.store.sources import BadAddress, SourceError
from reader.textutil import clean_line, fold, os_reason


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscribed feed with its counts and fetch state."""

    id: int
    url: str
    name: str | None
    title: str | None
    category: str | None
    total: int
    unread: int
    checked: int | None
    succeeded: int | None
    http_status: int | None
    error: str | None
    full_text: bool = False  # each new item's page is fetched for its full text

    @property
    def label(self) -> str:
        """The user's name, else the feed's title, else the address."""
        return self.name or self.title or self.url

    @property
    def articles(self) -> int:
        """How many articles the feed carries (``total``)."""
        return self.total


class SharedCount(NamedTuple):
    """How many articles (and unread ones) the same two subscriptions or more carry."""

    feeds: tuple[int, ...]  # their ids, in order
    total: int
    unread: int


class Imported(NamedTuple):
    """What importing an OPML list did."""

    new: int
    old: int  # subscribed already: kept as they are
    refused: list[str]  # one line each: the address and why it cannot be subscribed


class Found(NamedTuple):
    """A subscription found by address or name (``locate``)."""

    id: int
    moved_to: str | None = None  # named by an address it left: where it is subscribed now


class NotSubscribed(SourceError):
    """No subscription has that address or name."""


class AmbiguousName(SourceError):
    """Several subscriptions answer to a name; the message lists them."""


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SCHEME_HOST = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")


def same_case(url: str) -> str:
    """An address with its scheme and host in lower case, as every server reads them (the
    rest, the path above all, is case-sensitive and kept as given). `add HTTP://Host/f`
    beside `http://host/f` made a second subscription to the same feed."""
    found = _SCHEME_HOST.match(url)
    if found is None:
        return url
    userinfo, at, host = found.group(2).rpartition("@")
    return f"{found.group(1).lower()}://{userinfo}{at}{host.lower()}{url[found.end() :]}"


def as_sent(url: str) -> str:
    """An http(s) address as a client sends it: without its ``#fragment`` (never sent) and
    with the ``.`` and ``..`` segments of its path resolved (`add …/b.xml#x` and
    `add …/./b.xml` each made a second subscription beside `…/b.xml`)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, _without_dots(parts.path), parts.query, ""))


def _without_dots(path: str) -> str:
    """A path with its ``.`` and ``..`` segments resolved (RFC 3986's remove_dot_segments;
    empty segments kept: ``//a/./b`` is ``//a/b``)."""
    if "/." not in path and not path.startswith("."):
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1 or (out and out[0] != ""):
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    resolved = "/".join(out)
    return resolved if not path.startswith("/") or resolved.startswith("/") else "/" + resolved


def lookup(conn: sqlite3.Connection, url: str) -> int | None:
    """The id of the subscription at this address (as ``normalise_url`` gives it), also one
    stored before addresses were normalised, with capitals in its scheme or host."""
    row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
    if row is not None:
        return int(row[0])
    for feed_id, stored in conn.execute(
        "SELECT id, url FROM feeds WHERE lower(url) = lower(?) ORDER BY id", (url,)
    ):
        if same_case(stored) == url:
            return int(feed_id)
    return None


def record_move(conn: sqlite3.Connection, feed_id: int, old: str, new: str) -> None:
    """A subscription moved from ``old`` to ``new`` (inside the caller's transaction): the
    address it left still names it (``locate``). One it comes back to is its own again."""
    conn.execute("DELETE FROM feed_moves WHERE url = ?", (new,))
    conn.execute("INSERT OR REPLACE INTO feed_moves (url, feed) VALUES (?, ?)", (old, feed_id))


def _moved_from(conn: sqlite3.Connection, url: str) -> Found | None:
    """The subscription that was at this address before it moved (as ``lookup`` finds one,
    also an address stored with capitals in its scheme or host)."""
    for feed_id, left, now in conn.execute(
        "SELECT m.feed, m.url, f.url FROM feed_moves m JOIN feeds f ON f.id = m.feed "
        "WHERE lower(m.url) = lower(?) ORDER BY m.url != ?, m.url",
        (url, url),
    ):
        if left == url or same_case(left) == url:
            return Found(int(feed_id), str(now))
    return None


def subscribed_at(conn: sqlite3.Connection, url: str) -> Found | None:
    """The subscription at this address (``lookup``), else the one that left it when a
    permanent redirect moved it (``moved_to`` then says where it is subscribed now)."""
    if (found := lookup(conn, url)) is not None:
        return Found(found)
    return _moved_from(conn, url)


def normalise_url(given: str) -> str:
    """http(s) and file:// addresses as given, but for their scheme and host in lower case
    (``same_case``); a plain path becomes an absolute file:// URL.

    BadAddress for one that cannot be fetched at all (another scheme, a malformed host or
    port, control characters: every refresh would fail on it)."""
    given = given.strip()
    lowered = given.lower()
    if lowered.startswith(("http://", "https://")):
        from reader.store.fetch import address_problem  # (httpx: imported when used)

        if (problem := address_problem(given)) is not None:
            raise BadAddress(f"{clean_line(given)}: {problem}")
        return same_case(as_sent(given))
    if lowered.startswith("file://"):
        return same_case(given)
    if "://" in given:
        raise BadAddress(f"{given}: only http(s), file:// addresses and paths can be subscribed")
    if not given:
        raise BadAddress("an empty address")
    return Path(os.path.abspath(given)).as_uri()


def normalise_category(given: str | None) -> str | None:
    """A feed's folder as the feed list nests it: '/'-separated parts, each cleaned of control
    characters and outer spaces, the empty ones left out (slashes at the ends, doubled
    ones); nothing left is no folder. `--category /` hid the feed under a "//" header in
    `newsreader feeds`, and `a//b` showed as "a//b/" there but as a/ and b/ in the reader."""
    if given is None:
        return None
    parts = [part for part in (clean_line(p) for p in given.split("/")) if part]
    # At most MAX_FOLDER_DEPTH levels: a feed deeper is in the deepest folder kept (1,000
    # nested folders made the feed list and export-opml end in a RecursionError).
    return "/".join(parts[:MAX_FOLDER_DEPTH]) or None


MAX_FOLDER_DEPTH = 32


def given_name(name: str | None) -> str | None:
    """A name given to a feed, cleaned of control characters as a category is; a blank one is
    none (the feed is then known by its title)."""
    return (clean_line(name) or None) if name is not None else None


def opml_address(given: str) -> str:
    """An OPML list's feed address, normalised, or BadAddress naming it.

    Taken: http(s) addresses (checked as ``add`` checks them), and file:// addresses of a
    regular file on this machine (what ``export-opml`` writes for a local subscription, so
    that a list round-trips). Refused: other schemes (``javascript:``, ``data:``, ``ftp:``),
    relative references and bare paths (they name nothing outside the list; read as paths,
    ``javascript:alert(1)`` became a file of the current folder), a file on another host,
    a missing file, a folder, a device or a pipe."""
    given = given.strip()
    shown = clean_line(given)
    found = _SCHEME.match(given)
    scheme = found.group(1).lower() if found else ""
    if scheme in ("http", "https"):
        return normalise_url(given)
    if shown != given:
        raise BadAddress(f"{shown}: not a valid address (it holds control characters)")
    try:
        parts = urlsplit(given)
    except ValueError:  # "file://[::1": no address at all
        raise BadAddress(f"{shown}: not a valid address") from None
    if scheme != "file":
        what = f"the scheme {scheme}:" if scheme else "a relative address, naming no feed"
        raise BadAddress(f"{shown}: {what} (only http(s) and file:// addresses are taken)")
    if (parts.hostname or "localhost") != "localhost":
        raise BadAddress(f"{shown}: a file of another machine ({clean_line(parts.netloc)})")
    path = unquote(parts.path)
    if not path.startswith("/"):
        raise BadAddress(f"{shown}: not a file:// address (no absolute path)")
    rest = given[len("file:") :]  # "///x", "//localhost/x" or "/x": each is file:///x
    if rest.startswith("//"):
        rest = rest[2 + len(parts.netloc) :]
    check_local_file(path, shown)
    return "file://" + rest


def check_local_file(path: str, shown: str, missing: str = "no such file") -> None:
    """BadAddress (naming ``shown``) unless ``path`` is a regular file: a device never ends,
    a pipe's open waits forever, a folder is no feed."""
    from reader.store.fetch import file_kind_problem  # (httpx: imported when used)

    try:
        problem = file_kind_problem(os.stat(path).st_mode)
    except FileNotFoundError:
        raise BadAddress(f"{shown}: {missing}") from None
    except OSError as exc:
        raise BadAddress(f"{shown}: {os_reason(exc)}") from None
    if problem is not None:
        raise BadAddress(f"{shown}: {problem}")


def add(
    conn: sqlite3.Connection,
    url: str,
    name: str | None = None,
    category: str | None = None,
    full_text: bool | None = None,
    title: str | None = None,
) -> tuple[int, bool]:
    """Subscribe without fetching (inside the caller's transaction); return the id and
    whether it is new. A name, category or full-text switch given for a known address
    updates it; a title (an OPML list's) only fills one the feed has not given yet. An
    address a feed left for another (``record_move``) is known: the feed's, where it is now
    (adding it made a second subscription to the feed, at the address it had left)."""
    url = normalise_url(url)
    name = given_name(name)
    category = normalise_category(category)
    found = subscribed_at(conn, url)
    known = found.id if found is not None else None
    row = conn.execute("SELECT id, name, title, url FROM feeds WHERE id = ?", (known,)).fetchone()
    if row is not None:
        url = row[3]
        label = row[1] or row[2] or url  # what its articles were stored under
        if name and name != label:
            rename_source(conn, int(row[0]), label, name)
        if name or category or title:
            conn.execute(
                "UPDATE feeds SET name=coalesce(?, name), category=coalesce(?, category), "
                "title=coalesce(title, ?) WHERE id=?",
                (name, category, title, row[0]),
            )
        if full_text is not None:
            set_full_text(conn, int(row[0]), full_text)
        return int(row[0]), False
    cur = conn.execute(
        "INSERT INTO feeds (url, name, category, added, full_text, title) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (url, name, category, int(time.time()), int(bool(full_text)), title),
    )
    return int(cur.lastrowid or 0), True


def rename_source(conn: sqlite3.Connection, feed_id: int, old: str, new: str) -> None:
    """A feed given a new name: what it brought under the old one (its name, else its title,
    else its address) takes the new one, so that ``source:`` and the sources list do not
    split the feed in two (inside the caller's transaction, a content change).

    An article another feed also carries under the old label (two feeds of the same title)
    keeps it as its own source; this feed's origin row takes the new name, which is then a
    shared source (``source:`` finds it through the origins). An old name no origin carries
    any more stops being one."""
    origin = f"feed:{feed_id}"
    conn.execute(
        "UPDATE articles SET source = ? WHERE source = ? "
        "AND id IN (SELECT article FROM origins WHERE origin = ?) "
        "AND NOT EXISTS (SELECT 1 FROM origins o WHERE o.article = articles.id "
        "AND o.origin != ? AND o.source = ?)",
        (new, old, origin, origin, old),
    )
    conn.execute(
        "UPDATE origins SET source = ? WHERE origin = ? AND source = ?", (new, origin, old)
    )
    conn.execute(
        "INSERT OR IGNORE INTO shared_sources SELECT ? WHERE EXISTS (SELECT 1 FROM origins o "
        "JOIN articles a ON a.id = o.article WHERE o.origin = ? AND a.source != o.source)",
        (new, origin),
    )
    conn.execute(
        "DELETE FROM shared_sources WHERE name = ? AND NOT EXISTS (SELECT 1 FROM origins o "
        "JOIN articles a ON a.id = o.article WHERE o.source = ? AND a.source != o.source)",
        (old, old),
    )


def set_full_text(conn: sqlite3.Connection, feed_id: int, on: bool) -> bool:
    """Switch a feed's full texts on or off (inside the caller's transaction); return whether
    that changed anything. It applies to the items that arrive from then on."""
    cur = conn.execute(
        "UPDATE feeds SET full_text = ? WHERE id = ? AND full_text != ?",
        (int(on), feed_id, int(on)),
    )
    return cur.rowcount > 0


def find(conn: sqlite3.Connection, given: str) -> int:
    """A subscription's id by address, or by the name ``feeds`` shows (the given name or the
    feed's title), case- and accent-insensitively; see ``locate``."""
    return locate(conn, given).id


def locate(conn: sqlite3.Connection, given: str) -> Found:
    """A subscription by address, or by the name ``feeds`` shows (the given name or the
    feed's title), case- and accent-insensitively. An address a subscription left when a
    permanent redirect moved it (``record_move``) still names it, and ``moved_to`` then says
    where it is now; a subscription at that address itself comes first.

    Raises NotSubscribed, or AmbiguousName listing the candidates. An empty or blank name
    names no subscription (it matched every feed without a name of its own).
    """
    wanted = _folded(given)
    if not wanted:
        raise NotSubscribed(f"{given!r}: an empty name or address names no subscription")
    try:
        url = normalise_url(given)
    except SourceError:
        url = given
    rows = conn.execute("SELECT id, url, name, title FROM feeds ORDER BY id").fetchall()
    for feed_id, feed_url, _, _ in rows:
        if feed_url in (given, url):
            return Found(int(feed_id))
    if (found := lookup(conn, url)) is not None:  # stored with capitals in its scheme or host
        return Found(found)
    if (moved := _moved_from(conn, url)) is not None:
        return moved
    matches = [r for r in rows if wanted in {_folded(v) for v in (r[1], r[2], r[3])}]
    if not matches:
        raise NotSubscribed(f"{given}: not subscribed (see `newsreader feeds`)")
    if len(matches) > 1:
        names = "; ".join(f"{r[2] or r[3] or r[1]} ({r[1]})" for r in matches)
        raise AmbiguousName(f"{given}: {len(matches)} subscriptions have that name: {names}")
    return Found(int(matches[0][0]))


def find_by_start(conn: sqlite3.Connection, given: str) -> list[int]:
    """The subscriptions whose name or title starts with ``given`` (case- and
    accent-insensitively), for a ``feed:`` filter that names no feed whole."""
    wanted = _folded(given)
    if not wanted:
        return []
    return [
        int(feed_id)
        for feed_id, name, title in conn.execute("SELECT id, name, title FROM feeds ORDER BY id")
        if any(_folded(v).startswith(wanted) for v in (name, title))
    ]


def _folded(text: str | None) -> str:
    """A name as ``find`` compares it: case, accents and runs of spaces ignored."""
    return fold(" ".join((text or "").split()))


KEPT = "kept:starred"  # the origin of starred articles whose feed was removed


class Removed(NamedTuple):
    """What unsubscribing took with it."""

    articles: int  # deleted: no other feed or file carried them
    starred: int  # kept although only this feed carried them: they are starred


def remove(conn: sqlite3.Connection, feed_id: int) -> Removed:
    """Unsubscribe (inside the caller's transaction); articles only this feed carried go,
    except starred ones, which stay (with an origin of their own, ``KEPT``). Articles kept
    that way earlier and unstarred since go now, unless another feed or file carries them."""
    origin = f"feed:{feed_id}"
    starred = [
        r[0]
        for r in conn.execute(
            "SELECT a.id FROM origins o JOIN articles a ON a.id = o.article "
            "WHERE o.origin = ? AND a.starred = 1 AND NOT EXISTS (SELECT 1 FROM origins x "
            "WHERE x.article = a.id AND x.origin NOT IN (?, ?))",
            (origin, origin, KEPT),
        )
    ]
    conn.executemany(
        "INSERT OR IGNORE INTO origins (article, origin, source) "
        "SELECT id, ?, source FROM articles WHERE id = ?",
        [(KEPT, rowid) for rowid in starred],
    )
    changes = Changes()
    removed = drop_origin(conn, origin, changes)
    unstarred = [
        r[0]
        for r in conn.execute(
            "SELECT o.article FROM origins o JOIN articles a ON a.id = o.article "
            "WHERE o.origin = ? AND a.starred = 0",
            (KEPT,),
        )
    ]
    for chunk in chunks(unstarred):
        conn.execute(
            f"DELETE FROM origins WHERE origin = ? AND article IN ({marks(len(chunk))})",
            (KEPT, *chunk),
        )
        removed += delete_articles(
            conn,
            f"a.id IN ({marks(len(chunk))}) AND NOT EXISTS "
            "(SELECT 1 FROM origins x WHERE x.article = a.id)",
            tuple(chunk),
            changes,
        )
    conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    conn.execute("DELETE FROM feed_moves WHERE feed = ?", (feed_id,))
    changes.flush(conn)
    return Removed(removed, len(starred))


def feed_counts(conn: sqlite3.Connection, hidden: bool = False) -> dict[str, tuple[int, int]]:
    """Each subscription's article and unread counts by origin (``feed:ID``; a feed with no
    article is left out), without the articles the ignore rules hide when ``hidden``."""
    # Two index-only counts (origins_origin; the unread articles' partial index probed by id)
    # instead of reading every article's row: 35 ms instead of 90 ms for 1,000 feeds of
    # 100,000 articles.
    skip = f"AND o.article NOT IN ({HIDDEN})" if hidden else ""
    totals = conn.execute(
        f"SELECT o.origin, count(*) FROM origins o WHERE o.origin GLOB 'feed:*' {skip} "
        "GROUP BY o.origin"
    )
    unreads = dict(
        conn.execute(
            "SELECT o.origin, count(*) FROM origins o "
            "JOIN articles a INDEXED BY articles_unread ON a.id = o.article "
            f"WHERE a.read = 0 AND o.origin GLOB 'feed:*' {skip} "
            "GROUP BY o.origin"
        )
    )
    return {origin: (total, unreads.get(origin, 0)) for origin, total in totals}


def shared_counts(conn: sqlite3.Connection, hidden: bool = False) -> list[SharedCount]:
    """The articles carried by two subscriptions or more, counted by the set of them (a
    folder's count is its feeds' counts less these), without the hidden ones when ``hidden``.

    Only articles that can be carried twice are read: those a feed carries under a source
    that another source came first with (``shared_sources``), and those of feeds stored
    under the same name as another feed (their articles' source is the same)."""
    labels: dict[str, list[int]] = {}
    for feed_id, name, title, url in conn.execute("SELECT id, name, title, url FROM feeds"):
        labels.setdefault(name or title or url, []).append(feed_id)
    twins = [f"feed:{i}" for ids in labels.values() if len(ids) > 1 for i in ids]
    skip = f"AND c.article NOT IN ({HIDDEN})" if hidden else ""
    found: dict[tuple[tuple[int, ...], bool], int] = {}
    for origins, read in conn.execute(
        "WITH c(article) AS ("
        " SELECT o.article FROM origins o WHERE o.origin GLOB 'feed:*'"
        " AND o.source IN (SELECT name FROM shared_sources)"
        " UNION SELECT o.article FROM origins o WHERE o.origin IN (SELECT value FROM json_each(?))"
        ") SELECT group_concat(o.origin, ' '), a.read FROM c"
        " JOIN origins o ON o.article = c.article AND o.origin GLOB 'feed:*'"
        f" JOIN articles a ON a.id = c.article WHERE 1 {skip}"
        " GROUP BY c.article HAVING count(*) > 1",
        (json.dumps(twins),),
    ):
        key = (tuple(sorted(int(o.removeprefix("feed:")) for o in origins.split(" "))), bool(read))
        found[key] = found.get(key, 0) + 1
    totals: dict[tuple[int, ...], list[int]] = {}
    for (feeds, read), n in found.items():
        counts = totals.setdefault(feeds, [0, 0])
        counts[0] += n
        counts[1] += 0 if read else n
    return [SharedCount(feeds, total, unread) for feeds, (total, unread) in sorted(totals.items())]


def subscriptions(
    conn: sqlite3.Connection, counted: dict[str, tuple[int, int]]
) -> list[Subscription]:
    """Every subscription with its fetch state and its counts from ``counted``
    (``feed_counts``), in the order they were added."""
    out = []
    for row in fetch_all(conn, FeedState, f"SELECT {columns(FeedState)} FROM feeds ORDER BY id"):
        total, unread = counted.get(f"feed:{row.id}", (0, 0))
        out.append(
            Subscription(
                row.id,
                row.url,
                row.name,
                row.title,
                normalise_category(row.category),  # (one stored before they were normalised)
                total,
                unread,
                row.checked,
                row.succeeded,
                row.http_status,
                row.error,
                bool(row.full_text),
            )
        )
    return out


def failing(conn: sqlite3.Connection, urls: Sequence[str]) -> set[str]:
    """Those of ``urls`` whose last fetch failed (their ``feeds`` row holds an error)."""
    found: set[str] = set()
    for part in chunks(list(urls)):
        found.update(
            url
            for (url,) in conn.execute(
                f"SELECT url FROM feeds WHERE error IS NOT NULL AND url IN ({marks(len(part))})",
                part,
            )
        )
    return found


class FeedState(NamedTuple):
    """A ``feeds`` row as the feed list shows it."""

    id: int
    url: str
    name: str | None
    title: str | None
    category: str | None
    checked: int | None
    succeeded: int | None
    http_status: int | None
    error: str | None
    full_text: int


# -- OPML ------------------------------------------------------------------------------------
class OutlineFeed(NamedTuple):
    """A feed of an OPML list."""

    url: str
    name: str | None  # a name the user gave it
    title: str | None  # the feed's own title, as the list knows it (refresh updates it)
    category: str | None


_Folder = tuple[str, "_Folder"] | None  # an OPML folder's name and its parent folder


def read_opml(data: bytes, where: str) -> list[OutlineFeed]:
    """The feeds of an OPML document; folders become categories.

    ``text`` equal to ``title`` (most exporters) or ``title`` alone is the feed's own title:
    shown at once, updated by refresh. ``text`` alone, or different from ``title``, is a name
    the user gave the feed, kept.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"{where}: not OPML ({exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise SourceError(f"{where}: not OPML (no <opml><body>)")
    found: list[OutlineFeed] = []
    # Depth first in document order without recursion (5,000 nested outlines gave a
    # traceback); each level's folder is a link to its parent's, joined only for a feed.
    todo: list[tuple[Iterator[ET.Element], _Folder]] = [(iter(body.findall("outline")), None)]
    while todo:
        outlines, folder = todo[-1]
        outline = next(outlines, None)
        if outline is None:
            todo.pop()
            continue
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        text = clean_line(outline.get("text") or "") or None
        title = clean_line(outline.get("title") or "") or None
        inner: _Folder = folder
        if url:
            name = None if text in (None, url, title) else text
            if title == url:
                title = None
            category = normalise_category(_folder_path(folder)) or normalise_category(
                outline.get("category")
            )
            found.append(OutlineFeed(url, name, title, category))
            # (feeds nested in a feed's outline are in its folder)
        elif label := text or title:
            inner = (label, folder)
        todo.append((iter(outline.findall("outline")), inner))
    return found


def _folder_path(folder: _Folder) -> str:
    """``a/b/c`` of a folder linked to its parents (``read_opml``)."""
    names: list[str] = []
    while folder is not None:
        names.append(folder[0])
        folder = folder[1]
    return "/".join(reversed(names))


# What XML 1.0 forbids in a document (C0 controls but tab and newlines, lone surrogates,
# U+FFFE, U+FFFF): written, it makes the export a file that no parser reads.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _opml_attr(text: str, line: bool = True) -> str:
    """An attribute value that is well-formed XML whatever the database holds: a name, title
    or folder cleaned as ``read_opml`` cleans it, an address only of what XML forbids."""
    return quoteattr(_NOT_XML.sub("", clean_line(text) if line else text))


def write_opml(subs: list[Subscription]) -> str:
    """OPML 2.0 of the subscriptions, folders from their categories; well-formed whatever the
    database holds (see ``_opml_attr``)."""
    tree: dict = {}
    for sub in subs:
        node = tree
        for part in (sub.category or "").split("/"):
            if part:
                node = node.setdefault(part, {})
        node.setdefault("", []).append(sub)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>newsreader subscriptions</title>",
        "  </head>",
        "  <body>",
    ]

    def emit(node: dict, depth: int) -> None:
        pad = "  " * depth
        for sub in node.get("", []):
            text = clean_line(sub.label) or sub.url
            attrs = f'type="rss" text={_opml_attr(text)} xmlUrl={_opml_attr(sub.url, False)}'
            if sub.name is None and sub.title:
                attrs += f" title={_opml_attr(sub.title)}"
            lines.append(f"{pad}<outline {attrs}/>")
        for folder, child in node.items():
            if folder:
                lines.append(f"{pad}<outline text={_opml_attr(folder)}>")
                emit(child, depth + 1)
                lines.append(f"{pad}</outline>")

    emit(tree, 2)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
