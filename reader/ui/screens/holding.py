"""Keys typed for what a screen is about to show, held until it is shown.

A terminal sends fast typing in one burst, queued before the first key is handled. When a key
asks for something that comes later (a search's results, the feed list's rows, read off the
UI thread), the keys after it reached what was there before: `/tesla` enter `A y` marked the
list shown before the matches came, and `f j j A y` marked the first row of the feed list
read, the `j`s having moved the cursor of an empty list.
"""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual.screen import Screen
from textual.timer import Timer

from reader.ui.widgets.find_bar import released

STALLED = 0.5  # seconds after which a key released is taken as run where nothing tells


class HoldsKeys:
    """Mixed in before ``Screen``: ``hold`` keeps a key back; ``release_keys`` sends the keys
    held on to the app (which gives them to the focus), one at a time, each once the one
    before has run: `A y` sent together gave the `y` to the list before `A` had opened its
    question."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[tuple[str, str | None]] | None = None  # held, in the order typed
        self._hold_limit: Timer | None = None
        self._sending: list[tuple[str, str | None]] = []  # released, one at a time
        self._sent = 0  # keys released so far

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

    def release_keys(self) -> None:
        """Send the keys held on (what they were typed for is shown, or the limit passed)."""
        if self._hold_limit is not None:
            self._hold_limit.stop()  # (it would release a later hold before its time)
            self._hold_limit = None
        self._sending.extend(self._held or ())
        self._held = None
        self._send_next()

    def _send_next(self) -> None:
        if self._sending:
            screen = cast(Screen[Any], self)
            key, character = self._sending.pop(0)
            self._sent += 1
            sent = self._sent

            def next_one() -> None:
                """This key has run (or went where that is not told): the next one goes."""
                if self._sent == sent:
                    self._send_next()

            screen.app.post_message(released(key, character, next_one))
            screen.set_timer(STALLED, next_one)
