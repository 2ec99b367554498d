"""Python's garbage collector, set for a reader that must answer every keystroke at once.

Once the first screen is painted, the objects alive then (Textual's, Rich's, the screens') are
frozen out of the collector's reach, and the full-collection threshold goes from 10 to 1: a
full collection comes after every second young (generation 1) collection instead of every
eleventh (CPython also waits while the objects that survived the last one have grown by less
than a quarter). Drawing makes garbage that only a full collection frees (Textual caches each
drawn line's pieces in a list holding the line itself), so a full collection's time follows the
garbage made since the last one: at 100,000 articles 40-120 ms with the default, the reader's
worst keystrokes; 12-26 ms now (docs/performance.md, "The reader's worst keystroke").
"""

from __future__ import annotations

import gc
import threading

FULL_THRESHOLD = 1  # gc's third threshold; Python's default is 10

_lock = threading.Lock()
_running = 0  # collectors started and not stopped (apps open at once, in tests)
_saved: tuple[int, int, int] | None = None  # the thresholds found by the first one


class Collector:
    """``start()`` once the first screen is painted; ``stop()`` on leaving. The thresholds
    found before the first start come back when the last collector stops."""

    def __init__(self) -> None:
        self._started = False

    def start(self) -> None:
        """Freeze what is alive now and make full collections frequent and small."""
        global _running, _saved
        gc.freeze()
        with _lock:
            if self._started:
                return
            self._started = True
            if _running == 0:
                _saved = gc.get_threshold()
                young, middle, _ = _saved
                gc.set_threshold(young, middle, FULL_THRESHOLD)
            _running += 1

    def stop(self) -> None:
        """Leave; the last one out gives back the thresholds."""
        global _running, _saved
        with _lock:
            if not self._started:
                return
            self._started = False
            _running -= 1
            if _running == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
