"""OptionList: Textual's, which lays nothing out where it has no room for text.

In a window of 12 columns or less the sources panel, the entity panel and the link chooser
are narrower than their border, padding and scrollbar, and Textual's ``OptionList`` then
wraps its options to a width of zero, where Rich's ``chop_cells`` fails (``range() arg 3
must not be zero``): the reader ended with a traceback. Here an option takes one line until
the list is wide enough to lay it out (the window widened again, it is laid out as before).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import OptionList as TextualOptionList


class OptionList(TextualOptionList):
    """``textual.widgets.OptionList`` that survives a width with no room for text."""

    def _text_width(self, width: int) -> int:
        """The width left for an option's text in ``width`` columns of content."""
        return width - self.get_component_styles("option-list--option").padding.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._text_width(width) < 1:
            return len(self.options)
        return super().get_content_height(container, viewport, width)

    def _update_lines(self) -> None:
        region = self.scrollable_content_region
        if not region or self._text_width(region.width - self._get_left_gutter_width()) < 1:
            # One line an option, so that moving (page up and down read the lines) works;
            # laid out properly when there is room (a resize calls this again).
            cache = self._line_cache
            cache.clear()
            for index in range(len(self.options)):
                cache.index_to_line[index] = index
                cache.heights[index] = 1
                cache.lines.append((index, 0))
            self.virtual_size = Size(max(region.width, 0), len(self.options))
            return
        super()._update_lines()
