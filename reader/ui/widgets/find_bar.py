"""FindBar: one find widget for the headlines (as SearchBar) and the article.

Always mounted, shown and hidden by a class; it posts what happens as nested messages and
shows a count the screen gives it ("2 of 3"). The screen decides what the text means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Final

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType, NoBinding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

# The keys of the Input's own editing bindings (Textual's Input.BINDINGS).
_EDITING_KEYS: Final = frozenset(
    key.strip()
    for binding in Input.BINDINGS
    for key in (binding.key if isinstance(binding, Binding) else binding[0]).split(",")
)


class Forwarded(events.Key):
    """A key that reached the screen while a text box had the focus, sent on into the box
    (``keys_in_order``): when it comes back up unhandled, the screen lets Textual have it."""


Forwarded.handler_name = events.Key.handler_name  # (handled as any key is: ``on_key``)


class Released(events.Key):
    """A key held back (for a search's results, or an article still opening) and sent on;
    ``after`` (if any) is called once it has run, to send the next one. ``fresh``: a key
    typed while others were being sent on, queued behind them but never held itself."""

    after: Callable[[], None] | None = None
    fresh: bool = False


Released.handler_name = events.Key.handler_name


def released(
    key: str, character: str | None, after: Callable[[], None] | None, *, fresh: bool = False
) -> Released:
    """A key to send on, ``after`` to call once it has run."""
    event = Released(key, character)
    event.after = after
    event.fresh = fresh
    return event


def was_held(event: events.Key) -> bool:
    """Whether this key was held back once already (a screen holds it no more)."""
    return isinstance(event, Released) and not event.fresh


class InOrderInput(Input):
    """An Input whose editing keys keep their place among the characters typed.

    A printable key is inserted by the Input as its own message queue reaches it; the
    Input's other keys (backspace, delete, ctrl+u, ctrl+w, ctrl+k, home, end, the arrows,
    enter…) are bindings, run only after the key has bubbled through the bar and the screen,
    whose queues may be busy with the previous keystroke's results. Typed fast,
    ``tesla⌫⌫⌫⌫⌫xiaomi`` became ``tiaomi``, ``byd`` ctrl+u ``tesla`` an empty box and
    ``abc`` home ``x`` end ``y`` ← ``z`` ``xyzabc``. Here the Input's own bindings (as the
    keymap has them) run in its own queue, in the order the keys came.

    Enter hands the focus on (the screen moves it when it hears of the submission), but the
    keys typed right after it are already in this box's queue: ``tesla`` enter ``j`` typed
    the ``j`` into the box. They are held from the submission until the box loses the focus
    (then sent to what has it) or, if it keeps it, until ``HOLD_AFTER_SUBMIT`` has passed.
    """

    HOLD_AFTER_SUBMIT: ClassVar[float] = 0.25
    _held: list[tuple[str, str | None]] | None = None  # keys typed after enter, in order

    async def _on_key(self, event: events.Key) -> None:
        if self._held is not None:
            event.stop()
            event.prevent_default()
            self._held.append((event.key, event.character))
            return
        if event.key in _EDITING_KEYS:  # (not the scrolling keys an Input inherits: "up"
            try:  # is the search bar's history, as a scroll an Input cannot make skips it)
                bindings = self._bindings.get_bindings_for_key(event.key)
            except NoBinding:
                bindings = []
            if bindings and await self.app.run_action(bindings[0].action, self):
                event.stop()
                event.prevent_default()
                if bindings[0].action == "submit":
                    self._held = []
                    self.set_timer(self.HOLD_AFTER_SUBMIT, self._release)
                return
        await super()._on_key(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._release()  # (Textual calls the Input's own _on_blur after this one)

    def _release(self) -> None:
        """Send the keys held since enter to the app, which gives them to the focus."""
        held, self._held = self._held, None
        for key, character in held or ():
            self.app.post_message(events.Key(key, character))

    def _position_to_cell(self, position: int) -> int:
        """The cell of a position in the text: the position itself in ASCII text without tabs
        (the Input measured the text up to it twice a key, copying it: a 6,000-character
        query pasted a key at a time spent most of each key there)."""
        value = self.value
        if value.isascii() and "\t" not in value and value.isprintable():
            return position
        return super()._position_to_cell(position)


async def keys_in_order(screen: Screen, event: events.Key) -> None:
    """A screen's ``on_key``: run the bindings of the keys that reach it, in their order.

    Textual checks a key's bindings when the key has bubbled up to the app, against the
    focus as it is then. Keys that arrive together (a paste, typing while the app is busy)
    all go to the focused widget first, so a key that moves the focus (``/`` opens the search
    bar) made the keys after it act on the list (``l`` opened an article, ``m`` marked one)
    and those before it on the bar. Here each key runs its binding (as the keymap has it) as
    it passes, so the focus moves in order; and a key that reaches the screen while a text
    box has the focus was typed for that box: it goes into it, behind the keys before it
    (ctrl+u or ↑ typed right after ``/`` ran before the letters typed between them).

    A key that reaches a screen no longer on top was typed for the one that is: the keys
    after a `q` that closed an article were lost on it (`q j j enter` opened the article
    left again). It is sent on to the app, which gives it to the screen on top.
    """
    after = event.after if isinstance(event, Released) else None
    if screen.app.screen is not screen and not isinstance(event, Forwarded):
        event.stop()
        event.prevent_default()
        fresh = not isinstance(event, Released) or event.fresh
        screen.app.post_message(released(event.key, event.character, after, fresh=fresh))
        return
    try:
        focused = screen.focused
        if isinstance(focused, Input):
            if not isinstance(event, Forwarded):  # (one that came back up: Textual's own)
                event.stop()
                event.prevent_default()
                key = Forwarded(event.key, event.character)
                # (made here, its sender is this screen, and Textual stops a message bubbling
                # to its sender: it would never come back up to the app's bindings, ↑'s
                # history)
                key._sender = focused
                focused.post_message(key)
            return
        active = screen.active_bindings.get(event.key)
        if active is None or not active.enabled or active.binding.priority:
            return  # Textual's own handling (priority bindings never come this way)
        event.stop()
        event.prevent_default()
        await screen.app.run_action(active.binding.action, active.node)
    finally:
        if after is not None:
            after()


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

    def show(self, focus: bool = True) -> None:
        """Show the bar and put the cursor in it at once: keys that came with the one that
        opened it (a paste, typing while the app was busy) are already queued, and go to
        whatever has the focus when they are read (``focus()`` would move it after them).
        Without ``focus``, the bar only shows what is found (the keys stay where they are)."""
        self.add_class("-shown")
        if focus:
            self.screen.set_focus(self.input, scroll_visible=False)

    def set_placeholder(self, text: str | None) -> None:
        """What the empty box says (None: what it said at first)."""
        self.input.placeholder = self._placeholder if text is None else text

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
