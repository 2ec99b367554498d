"""Confirm: a yes-or-no question over the screen (mark 3,000 articles read?)."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.screens.once import LeavesOnce
from reader.ui.widgets.find_bar import Released, keys_in_order


class Confirm(LeavesOnce, ModalScreen[bool]):
    """Answers True for y or enter, False for n or escape. A question about something that
    cannot be undone at a scale (every article read) is asked with ``enter=False``: Enter
    does not answer it (pressed out of habit), only y does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    """The two answers."""

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical {
        width: auto; max-width: 70; height: auto; border: thick $accent;
        background: $surface; padding: 1 2;
        & > Static { width: auto; }
    }
    """

    def __init__(self, question: str, enter: bool = True) -> None:
        super().__init__()
        self.question = question
        self.enter = enter

    def compose(self) -> ComposeResult:
        yes = "y or enter: yes" if self.enter else "y: yes"
        with Vertical():
            yield Static(Content(self.question).stylize("bold"), markup=False)
            yield Static(Content(f"{yes}    n or escape: no").stylize("$text-muted"))

    async def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.enter:
            event.prevent_default()  # no binding runs: Enter does not answer this question
            event.stop()
            if isinstance(event, Released) and event.after is not None:
                event.after()
            return
        await keys_in_order(self, event)  # (`A y` typed together: the y answers, in order)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
