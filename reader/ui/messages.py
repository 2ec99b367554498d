"""Messages that cross screens: small dataclasses, posted up to the app.

Screens never import each other: to open another screen they post one of these, and the app
(which knows every screen) answers. Progress messages replace the unhandled one before them
(``can_replace``), so a fast worker cannot flood the queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual.message import Message

from reader.ui.scope import Scope


@dataclass
class WorkProgress(Message):
    """Background work (indexing, refreshing, extracting) advanced."""

    label: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, WorkProgress) and message.label == self.label


@dataclass
class WorkFinished(Message):
    """Background work ended: its one-line summary and its failures, each what failed (a
    feed's name, a file's path) and why, in one line."""

    label: str
    summary: str
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # the work went on
    failed_feeds: list[str] = field(default_factory=list)  # a refresh's: their addresses


@dataclass
class WorkFailed(Message):
    """Background work stopped on an error it could not go past (a read-only or full
    database): what it was doing, and why, in one line."""

    label: str
    reason: str


@dataclass
class OpenArticle(Message):
    """Show the article at ``index`` of ``ids`` (the list it was chosen from, for J/K; never
    changed in place, so it is passed as it is, not copied); ``terms``: the words of the
    search that listed it (``(tokens, prefix)``, as the list highlights them), found in the
    article as its find would."""

    ids: Sequence[int]
    index: int
    terms: Sequence[tuple[Sequence[str], bool]] = ()


@dataclass
class OpenEntity(Message):
    """Show an entity's screen."""

    entity_id: int


@dataclass
class OpenScope(Message):
    """Show the headlines of a feed, a folder, a saved search or everything."""

    scope: Scope
