"""Python's garbage collector, set for a reader that must answer every keystroke at once.

Once the first screen is painted, the objects alive then (Textual's, Rich's, the screens') are
frozen out of the collector's reach, and a full collection runs after every young (generation 1)
one instead of every tenth. Drawing makes garbage that only a full collection frees (Textual
caches each drawn line's pieces in a list holding the line itself), so a full collection's time
follows the garbage made since the last one: ten young collections' worth took 40-120 ms at
100,000 articles, the reader's worst keystrokes; one's worth takes 10-25 ms
(docs/performance.md, "The reader's worst keystroke").
"""

from __future__ import annotations

import gc

FULL_EVERY = 1  # young (generation 1) collections per full one; Python's default is 10


class Collector:
    """``start()`` once the first screen is painted; ``stop()`` on leaving."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Freeze what is alive now and collect fully after every young collection."""
        gc.freeze()
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, FULL_EVERY)

    def stop(self) -> None:
        """Give back the thresholds found at ``start()``."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
