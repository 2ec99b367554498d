"""Keys typed for what a screen is about to show, held until it is shown.

A terminal sends fast typing in one burst, queued before the first key is handled. When a key
asks for something that comes later (a search's results, the feed list's rows, read off the
UI thread), the keys after it reached what was there before: `/tesla` enter `A y` marked the
list shown before the matches came, and `f j j A y` marked the first row of the feed list
read, the `j`s having moved the cursor of an empty list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.timer import Timer

from reader.ui.widgets.find_bar import Released, released

STALLED = 0.5  # seconds after which a key released is taken as run where nothing tells
PAUSED = 6.0  # seconds a key sent on may stay held by a screen before the rest go on anyway
PASSED_ON = frozenset({"ctrl+q", "ctrl+c"})  # keys never queued behind others: quitting


class KeySender:
    """The app's keys sent on after being held, one at a time, each once the one before has
    run. One per app, whichever screen held them: keys typed meanwhile go behind them
    (``queue``), so that they act in the order typed. A huge article took seconds to open:
    `q` held for it went on only after the `enter` typed after it, which the article took,
    and the next `q`, meant to leave the next article, quit."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._to_send: list[tuple[str, str | None, bool]] = []  # (key, character, fresh)
        self._in_flight: int | None = None  # the serial of the key sent and not yet run
        self._sent = 0
        self._paused = False  # the key sent is held by a screen: the rest wait for it

    @property
    def busy(self) -> bool:
        """Keys are still being sent on."""
        return self._in_flight is not None or bool(self._to_send)

    def send(self, keys: Iterable[tuple[str, str | None]]) -> None:
        """Send ``keys`` (held by a screen) on before those still waiting: those were sent to
        the screen, or typed, after them."""
        self._to_send[:0] = [(key, character, False) for key, character in keys]
        if self._paused:  # (the key held is among them: what follows it comes after)
            self._paused = False
            self._send_next()
        elif self._in_flight is None:
            self._send_next()

    def held(self) -> None:
        """The key sent on was held by a screen (for what it is about to show): the next
        ones wait until that screen sends its keys on, behind them (or ``PAUSED`` passes).
        Sent at once, the next `enter` went to the article the held `q` was meant to
        close, and that `q` then quit."""
        if self._in_flight is None or self._paused:
            return
        self._paused = True
        sent = self._in_flight

        def give_up() -> None:
            if self._paused and self._in_flight == sent:
                self._paused = False
                self._send_next()

        self.app.set_timer(PAUSED, give_up)

    def queue(self, event: events.Key) -> bool:
        """Put a key just typed behind the keys still being sent on (True), unless none are
        or it is one that quits."""
        if not self.busy or event.key in PASSED_ON:
            return False
        event.stop()
        event.prevent_default()
        self._to_send.append((event.key, event.character, True))
        return True

    def _send_next(self) -> None:
        if not self._to_send:
            self._in_flight = None
            return
        key, character, fresh = self._to_send.pop(0)
        self._sent += 1
        sent = self._in_flight = self._sent

        def next_one() -> None:
            """This key has run (or went where that is not told): the next one goes."""
            if self._in_flight == sent and not self._paused:
                self._send_next()

        self.app.post_message(released(key, character, next_one, fresh=fresh))
        self.app.set_timer(STALLED, next_one)


def key_sender(app: App[Any]) -> KeySender:
    """The app's ``KeySender``."""
    sender = getattr(app, "_key_sender", None)
    if sender is None:
        sender = KeySender(app)
        app._key_sender = sender  # type: ignore[attr-defined]
    return sender


class HoldsKeys:
    """Mixed in before ``Screen``: ``hold`` keeps a key back; ``release_keys`` sends the keys
    held on to the app (which gives them to the focus), one at a time, each once the one
    before has run (``KeySender``): `A y` sent together gave the `y` to the list before `A`
    had opened its question."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[tuple[str, str | None]] | None = None  # held, in the order typed
        self._hold_limit: Timer | None = None

    @property
    def holding(self) -> bool:
        """Keys are being held."""
        return self._held is not None

    def hold(self, event: events.Key, limit: float) -> None:
        """Keep ``event`` back; the keys held go on after ``limit`` seconds all the same
        (what they wait for may never come)."""
        event.stop()
        event.prevent_default()
        if self._held is None:
            self._held = []
            self._hold_limit = cast(Screen[Any], self).set_timer(limit, self.release_keys)
        self._held.append((event.key, event.character))
        if isinstance(event, Released) and event.after is not None:
            key_sender(cast(Screen[Any], self).app).held()  # the keys after it wait too

    def release_keys(self) -> None:
        """Send the keys held on (what they were typed for is shown, or the limit passed)."""
        if self._hold_limit is not None:
            self._hold_limit.stop()  # (it would release a later hold before its time)
            self._hold_limit = None
        held, self._held = self._held or [], None
        key_sender(cast(Screen[Any], self).app).send(held)
