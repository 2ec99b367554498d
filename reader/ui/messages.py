"""Messages that cross screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class IndexProgress(Message):
    """Background indexing advanced."""

    done: int
    total: int
    label: str = "indexing"


@dataclass
class IndexFinished(Message):
    """Background indexing ended; ``summary`` is the one-line report."""

    summary: str
    failed: int
