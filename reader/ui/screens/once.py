"""A screen leaves once: keys queued behind the one that closed it find it gone.

Keys a terminal sends in one burst (`q q`, a key held down, a paste) are all queued before the
first is handled. When the first closes a screen, the next ones are still handled by it:
Textual's ``dismiss`` then pops whatever screen is on top (or none: ``ScreenStackError``)
and calls the result callback again.
"""

from __future__ import annotations

from typing import Any, cast

from textual.app import ScreenStackError
from textual.await_complete import AwaitComplete
from textual.screen import Screen


class LeavesOnce:
    """Mixed in before ``Screen``: ``dismiss`` of a screen no longer on top does nothing."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        screen = cast(Screen[Any], self)
        try:
            on_top = screen.app.screen is screen
        except ScreenStackError:
            on_top = False
        if not on_top:
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]
