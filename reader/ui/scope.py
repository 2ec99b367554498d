"""What the headlines show: everything, a feed, a folder of feeds, a saved search, a source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ScopeKind(StrEnum):
    """The kinds of lists the headlines can show."""

    ALL = "all"
    FEED = "feed"
    FOLDER = "folder"
    SEARCH = "search"
    SOURCE = "source"


def quoted(value: str) -> str:
    """A filter value in double quotes (the query language has no escape: quotes go)."""
    return '"' + value.replace('"', "") + '"'


@dataclass(frozen=True, slots=True)
class Scope:
    """A list of articles: a label for the status line and the query that selects it."""

    kind: ScopeKind = ScopeKind.ALL
    label: str = "all articles"
    query: str = ""
    urls: tuple[str, ...] = ()  # a feed's or a folder's subscriptions
    ids: tuple[int, ...] = ()  # their ids, one an address (a move to a new address keeps it)

    @classmethod
    def feed(cls, url: str, label: str, feed_id: int | None = None) -> Scope:
        """One subscription, by address (and by id, to follow it when it moves)."""
        ids = () if feed_id is None else (feed_id,)
        return cls(ScopeKind.FEED, label, f"feed:{quoted(url)}", (url,), ids)

    @classmethod
    def folder(cls, name: str, urls: list[str], ids: list[int] | None = None) -> Scope:
        """The feeds of a folder (OPML nesting); ``urls`` is not empty, ``ids`` (if given)
        are their ids in the same order."""
        query = " OR ".join(f"feed:{quoted(u)}" for u in urls)
        where = f"({query})" if len(urls) > 1 else query
        return cls(ScopeKind.FOLDER, name, where, tuple(urls), tuple(ids or ()))

    def moved(self, subscribed: dict[int, str]) -> Scope | None:
        """This feed's or folder's list at its feeds' addresses now (``subscribed``: every
        subscription's address by id), when one of them moved (a permanent redirect seen
        twice changes a subscription's address, not its id); None when none moved."""
        if self.kind not in (ScopeKind.FEED, ScopeKind.FOLDER) or len(self.ids) != len(self.urls):
            return None
        urls = [subscribed.get(i, url) for i, url in zip(self.ids, self.urls, strict=True)]
        if tuple(urls) == self.urls:
            return None
        if self.kind == ScopeKind.FOLDER:
            return Scope.folder(self.label, urls, list(self.ids))
        # (a feed with neither name nor title is labelled by its address: the new one)
        label = urls[0] if self.label == self.urls[0] else self.label
        return Scope.feed(urls[0], label, self.ids[0])

    def gone(self, subscribed: set[str], saved: set[str]) -> bool:
        """Whether what this list shows was removed (every feed of it unsubscribed, or the
        saved search deleted), given the addresses subscribed and the saved searches' names."""
        if self.kind in (ScopeKind.FEED, ScopeKind.FOLDER):
            return not subscribed.intersection(self.urls)
        if self.kind == ScopeKind.SEARCH:
            return self.label not in saved
        return False

    @classmethod
    def search(cls, name: str, query: str) -> Scope:
        """A saved search."""
        return cls(ScopeKind.SEARCH, name, f"({query})" if query.strip() else "")

    @classmethod
    def source(cls, name: str) -> Scope:
        """One source (a folder of files, or a feed's title)."""
        return cls(ScopeKind.SOURCE, name, f"source:{quoted(name)}")

    def combine(self, text: str, unread_only: bool = False) -> str:
        """The full query: the scope's, the search bar's text, and ``is:unread``."""
        parts = [p for p in (self.query, text.strip()) if p]
        if unread_only:
            parts.append("is:unread")
        return " ".join(parts)


def suggest_name(query: str) -> str:
    """A name to offer for a saved search: its words without filter names, quotes and the
    ``*`` of a prefix (the last word as typed is one)."""
    words = re.sub(r"\b[^\W\d_]+:", " ", query).replace('"', " ").replace("(", " ")
    words = words.replace("*", " ")
    return " ".join(words.replace(")", " ").split())[:40]
