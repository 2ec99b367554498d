"""Timeline: an entity's articles per month as bars from zero, a few cells a month at most."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

MONTH_CELLS = 3  # at most, a month: a bar two cells wide and a gap
EIGHTHS = " ▁▂▃▄▅▆▇"  # a cell filled from the bottom, in eighths (8: "█")


def chart_lines(counts: Sequence[int], width: int, height: int) -> list[str]:
    """The bars of monthly ``counts`` (oldest first) in ``height`` rows, top row first, as
    wide as the months need (``MONTH_CELLS`` a month at most; within ``width``, months
    sharing a column past it, the busiest shown). Bars start from zero: any month with an
    article shows, and two months alike look alike."""
    if not counts or width < 1 or height < 1:
        return []
    n = len(counts)
    if n > width:
        values = [max(counts[i * n // width : (i + 1) * n // width] or [0]) for i in range(width)]
        bar, gap = 1, 0
    else:
        values = list(counts)
        cells = min(MONTH_CELLS, width // n)
        bar = max(cells - 1, 1)
        gap = cells - bar
    top = max(values) or 1
    levels = [0 if v <= 0 else max(1, round(v / top * height * 8)) for v in values]
    lines = []
    for row in range(height - 1, -1, -1):  # (row 0 is the bottom one)
        cells_ = []
        for level in levels:
            filled = min(max(level - row * 8, 0), 8)
            cells_.append(("█" if filled == 8 else EIGHTHS[filled]) * bar + " " * gap)
        lines.append("".join(cells_).rstrip())
    return lines


class Timeline(Widget):
    """Articles per month, oldest first, as bars (the axis and the summary are the screen's)."""

    DEFAULT_CSS = """
    Timeline { height: 3; color: $primary; }
    """

    def __init__(self, counts: Sequence[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts = list(counts)

    def render(self) -> Content:
        lines = chart_lines(self.counts, self.size.width, self.size.height)
        return Content("\n".join(lines))  # (never markup)
