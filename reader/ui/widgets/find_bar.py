"""FindBar: one find widget for the headlines (as SearchBar) and the article.

Always mounted, shown and hidden by a class; it posts what happens as nested messages and
shows a count the screen gives it ("2 of 3"). The screen decides what the text means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static


class InOrderInput(Input):
    """An Input whose deletions keep their place among the characters typed.

    A printable key is inserted by the Input as its own message queue reaches it; backspace
    and delete are bindings, run only after the key has bubbled through the bar and the
    screen, whose queues may be busy with the previous keystroke's results. Typed fast,
    ``tesla⌫⌫⌫⌫⌫xiaomi`` became ``tiaomi``. Here they are handled in the Input's own queue.
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "backspace":
            event.stop()
            event.prevent_default()
            self.action_delete_left()
            return
        if event.key == "delete":
            event.stop()
            event.prevent_default()
            self.action_delete_right()
            return
        await super()._on_key(event)


def opens_now(screen: Screen, event: events.Key, action: str) -> bool:
    """Whether ``event`` is the screen's own key for ``action`` (wherever the keymap put it),
    on its way up from the focused widget. The screen then opens its bar at once instead of
    leaving the key to the app's binding check, which comes after the keys typed with it
    have gone by (to the list, where ``l`` opens an article and ``m`` marks one)."""
    bindings = screen._bindings.key_to_bindings.get(event.key, ())
    return any(binding.action == action for binding in bindings)


def forward_stray_key(screen: Screen, event: events.Key) -> None:
    """A screen's ``on_key``: a printable key that reached the screen while a text box has
    the focus was already on its way to another widget when the box took it (typed or
    pasted together with the key that opened the box): it goes into the box, in order."""
    focused = screen.focused
    if isinstance(focused, Input) and event.is_printable and event.character:
        event.stop()
        event.prevent_default()
        focused.post_message(events.Key(event.key, event.character))


class FindBar(Horizontal):
    """Type to find; every change is posted; enter goes to the matches; escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close find", id="find.dismiss"),
    ]
    """Keys while the bar has focus (typing goes to the text)."""

    DEFAULT_CSS = """
    FindBar {
        dock: bottom; height: 3; display: none; border: tall $accent; padding: 0 1;
        & > Input, & > Input:focus {
            width: 1fr; height: 1; border: none; padding: 0; background: $surface;
        }
        & > .find-bar--count { width: auto; height: 1; padding: 0 0 0 1; color: $text-muted; }
    }
    FindBar.-shown { display: block; }
    """

    @dataclass
    class Changed(Message):
        """The text changed."""

        bar: FindBar
        value: str

    @dataclass
    class Submitted(Message):
        """Enter: go to the (next) match."""

        bar: FindBar
        value: str

    @dataclass
    class Dismissed(Message):
        """Escape: the bar closes."""

        bar: FindBar
        value: str

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield InOrderInput(placeholder=self._placeholder)
        yield Static(classes="find-bar--count", markup=False)

    @property
    def input(self) -> Input:
        """The text box."""
        return self.query_one(Input)

    @property
    def value(self) -> str:
        """The text typed."""
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text
        self.input.cursor_position = len(text)

    @property
    def shown(self) -> bool:
        """Whether the bar is on screen."""
        return self.has_class("-shown")

    def show(self) -> None:
        """Show the bar and put the cursor in it at once: keys that came with the one that
        opened it (a paste, typing while the app was busy) are already queued, and go to
        whatever has the focus when they are read (``focus()`` would move it after them)."""
        self.add_class("-shown")
        self.screen.set_focus(self.input, scroll_visible=False)

    def hide(self) -> None:
        """Hide the bar."""
        self.remove_class("-shown")

    def set_count(self, text: str) -> None:
        """What the screen found: ``2 of 3``, ``no match``, ``48 articles``."""
        self.query_one(".find-bar--count", Static).update(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def action_dismiss(self) -> None:
        self.post_message(self.Dismissed(self, self.value))
