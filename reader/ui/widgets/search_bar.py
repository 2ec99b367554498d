"""SearchBar: the headlines' FindBar, with a history of queries and a key to save one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from reader.ui.state import UiState
from reader.ui.widgets.find_bar import FindBar

PLACEHOLDER = (
    'search: words, "phrase", xiao*, -word, a OR b, source: feed: after: before: entity: is:unread'
)


class SearchBar(FindBar, inherit_bindings=False):
    """Search as you type; up and down walk earlier queries; ctrl+s saves the query."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Leave search", id="search.dismiss"),
        Binding("up", "history(-1)", "Earlier query", show=False, id="search.history_back"),
        Binding("down", "history(1)", "Later query", show=False, id="search.history_forward"),
        Binding("ctrl+s", "save", "Save search", id="search.save", tooltip="Save this query"),
    ]
    """Keys while the search bar has focus."""

    @dataclass
    class SaveRequested(Message):
        """Ctrl+s: save the query under a name."""

        value: str

    def __init__(self, state: UiState) -> None:
        super().__init__(PLACEHOLDER, id="search-bar")
        self.state = state  # the app's saved state: its history, oldest first
        self.history = state.history
        self._position = len(self.history)
        self._draft = ""  # what was typed before up began to walk the history

    def remember(self) -> None:
        """Add the current query to the history."""
        self.state.remember(self.value)
        self._position = len(self.history)

    def action_history(self, step: int) -> None:
        """Up and down: earlier and later queries; down past the newest gives back what was
        being typed before up (it was thrown away)."""
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        self._position = max(0, min(self._position + step, len(self.history)))
        at_end = self._position == len(self.history)
        self.value = self._draft if at_end else self.history[self._position]
        self.input.cursor_position = len(self.value)

    def action_save(self) -> None:
        if self.value.strip():
            self.post_message(self.SaveRequested(self.value))

    def action_dismiss(self) -> None:
        self.remember()
        super().action_dismiss()
