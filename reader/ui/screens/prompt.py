"""Prompt: one line of text asked over the screen (the name of a saved search)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.ui.screens.once import LeavesOnce


class Prompt(LeavesOnce, ModalScreen[str | None]):
    """Answers the text typed (enter), or None (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]
    """Enter answers; escape cancels."""

    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical {
        width: 60; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, question: str, suggestion: str = "") -> None:
        super().__init__()
        self.question = question
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.question).stylize("bold"), markup=False)
            yield Input(value=self.suggestion, select_on_focus=True)

    @on(Input.Submitted)
    def _answered(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
