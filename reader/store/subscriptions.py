"""Subscriptions: the feeds table, and OPML lists in and out."""

from __future__ import annotations

import os
import sqlite3
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from reader.store.fts import FtsBatch
from reader.store.items import drop_origin
from reader.store.sources import SourceError
from reader.textutil import clean_line


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscribed feed with its state."""

    id: int
    url: str
    name: str | None
    title: str | None
    category: str | None
    articles: int
    checked: int | None
    succeeded: int | None
    http_status: int | None
    error: str | None

    @property
    def label(self) -> str:
        """The user's name, else the feed's title, else the address."""
        return self.name or self.title or self.url


def normalise_url(given: str) -> str:
    """http(s) and file:// addresses as given; a plain path becomes an absolute file:// URL."""
    given = given.strip()
    lowered = given.lower()
    if lowered.startswith(("http://", "https://", "file://")):
        return given
    if "://" in given:
        raise SourceError(f"{given}: only http(s), file:// addresses and paths can be subscribed")
    return Path(os.path.abspath(given)).as_uri()


def add(
    conn: sqlite3.Connection, url: str, name: str | None = None, category: str | None = None
) -> tuple[int, bool]:
    """Subscribe; return the subscription's id and whether it is new (a name is updated)."""
    url = normalise_url(url)
    row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
    if row is not None:
        if name or category:
            conn.execute(
                "UPDATE feeds SET name=coalesce(?, name), category=coalesce(?, category) "
                "WHERE id=?",
                (name, category, row[0]),
            )
        return row[0], False
    cur = conn.execute(
        "INSERT INTO feeds (url, name, category, added) VALUES (?, ?, ?, ?)",
        (url, name, category, int(time.time())),
    )
    return cur.lastrowid or 0, True


def find(conn: sqlite3.Connection, given: str) -> int | None:
    """A subscription's id by address (as added) or by name."""
    try:
        url = normalise_url(given)
    except SourceError:
        url = given
    row = conn.execute(
        "SELECT id FROM feeds WHERE url = ? OR url = ? OR name = ? ORDER BY url = ? DESC",
        (url, given, given, url),
    ).fetchone()
    return row[0] if row else None


def remove(conn: sqlite3.Connection, feed_id: int) -> int:
    """Unsubscribe; articles only this feed carried go. Returns how many went."""
    fts = FtsBatch()
    conn.execute("BEGIN IMMEDIATE")
    try:
        removed = drop_origin(conn, f"feed:{feed_id}", fts)
        conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        fts.flush(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return removed


def subscriptions(conn: sqlite3.Connection) -> list[Subscription]:
    """Every subscription with its article count, in the order they were added."""
    rows = conn.execute(
        "SELECT f.id, f.url, f.name, f.title, f.category, "
        "(SELECT count(*) FROM origins o WHERE o.origin = 'feed:' || f.id), "
        "f.checked, f.succeeded, f.http_status, f.error FROM feeds f ORDER BY f.id"
    ).fetchall()
    return [Subscription(*row) for row in rows]


# -- OPML ------------------------------------------------------------------------------------
def read_opml(data: bytes, where: str) -> list[tuple[str, str | None, str | None]]:
    """The feeds of an OPML document as ``(url, name, category)``; folders become categories."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"{where}: not OPML ({exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise SourceError(f"{where}: not OPML (no <opml><body>)")
    found: list[tuple[str, str | None, str | None]] = []

    def walk(node: ET.Element, folders: list[str]) -> None:
        for outline in node.findall("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            label = clean_line(outline.get("text") or outline.get("title") or "") or None
            if url:
                if label in (url, clean_line(outline.get("title") or "")):
                    label = None  # the feed's own title, not a name the user gave it
                category = "/".join(folders) or clean_line(outline.get("category") or "") or None
                found.append((url, label, category))
            else:
                walk(outline, [*folders, label] if label else folders)

    walk(body, [])
    return found


def write_opml(subs: list[Subscription]) -> str:
    """OPML 2.0 of the subscriptions, folders from their categories."""
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
            attrs = f'type="rss" text={quoteattr(sub.label)} xmlUrl={quoteattr(sub.url)}'
            if sub.name is None and sub.title:
                attrs += f" title={quoteattr(sub.title)}"
            lines.append(f"{pad}<outline {attrs}/>")
        for folder, child in node.items():
            if folder:
                lines.append(f"{pad}<outline text={quoteattr(folder)}>")
                emit(child, depth + 1)
                lines.append(f"{pad}</outline>")

    emit(tree, 2)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
