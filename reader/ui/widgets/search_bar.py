"""SearchBar: the docked query input with its history; always mounted, shown by a class."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """Type a query; every change is posted, escape dismisses, up/down walk the history."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Leave search", id="search.dismiss"),
        Binding("up", "history(-1)", "Earlier query", show=False, id="search.history_back"),
        Binding("down", "history(1)", "Later query", show=False, id="search.history_forward"),
        Binding("enter", "submit_query", "Go to results", show=False, id="search.submit"),
    ]

    DEFAULT_CSS = """
    SearchBar { display: none; border: tall $accent; }
    SearchBar.-shown { display: block; }
    """

    class Dismissed(Message):
        """The user left the search bar."""

    class Submitted(Message):
        """The user pressed enter: focus the results."""

    def __init__(self) -> None:
        super().__init__(
            placeholder='search: words, "phrase", xiao*, -word, a OR b, '
            "source: after: before: entity: is:unread",
            id="search-bar",
        )
        self.history: list[str] = []
        self._position = 0

    def remember(self, query: str) -> None:
        """Add a query to the history (most recent last, no duplicates)."""
        query = query.strip()
        if query:
            if query in self.history:
                self.history.remove(query)
            self.history.append(query)
        self._position = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._position = max(0, min(self._position + step, len(self.history)))
        self.value = self.history[self._position] if self._position < len(self.history) else ""
        self.cursor_position = len(self.value)

    def action_dismiss(self) -> None:
        self.remember(self.value)
        self.post_message(self.Dismissed())

    def action_submit_query(self) -> None:
        self.remember(self.value)
        self.post_message(self.Submitted())
