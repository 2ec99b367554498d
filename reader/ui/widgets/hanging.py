"""Hanging: text whose indented lines (quotes, list items) wrap under their own text.

A body laid out from HTML keeps a quote's or a list item's indent as leading spaces, and its
list marker (``  * Bullet``). Wrapped as plain text, such a line's next rows went back to the
body's edge. Drawn as a ``Hanging``, each row after the first starts where the first row's
text starts, past the spaces and the marker. The text is the body's as it is: styles given
as offsets into it (entities, find matches) apply unchanged; only the drawing differs.
"""

from __future__ import annotations

from dataclasses import replace

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Offset
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from reader.textutil import hanging_indent


class Hanging(Visual):
    """``content`` drawn with hanging indents. An indent never takes more than half the
    width (40 quotes one in another: the text still has room); past that, the line's
    leading spaces are not all drawn."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.lines = content.split("\n", allow_blank=True)
        self.hangs = [hanging_indent(line.plain) for line in self.lines]
        self._height: tuple[tuple[int, int], int] | None = None

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def layout(self, line: int, width: int) -> tuple[int, int]:
        """Line ``line`` at ``width``: how many of its leading spaces are not drawn, and
        where its text starts (the hang, those spaces taken off)."""
        hang = self.hangs[line]
        limit = width // 2
        if hang <= limit:
            return 0, hang
        plain = self.lines[line].plain
        spaces = len(plain) - len(plain.lstrip(" "))
        dropped = min(hang - limit, spaces)
        return dropped, hang - dropped

    def get_height(self, rules: RulesMap, width: int) -> int:
        key = (width, id(rules))
        if self._height is not None and self._height[0] == key:
            return self._height[1]
        height = 0
        for y, line in enumerate(self.lines):
            if not self.hangs[y] or width <= 2:
                height += line.get_height(rules, width)
            else:
                _, indent = self.layout(y, width)
                height += line[self.hangs[y] :].get_height(rules, width - indent)
        self._height = (key, height)
        return height

    def row_of(self, before: str, width: int, rules: RulesMap) -> int:
        """The row, from the top, of the character after ``before`` (the text up to it)."""
        lines = before.split("\n")
        rows = 0
        for y, line in enumerate(lines):
            hang = self.hangs[y] if width > 2 else 0
            indent = self.layout(y, width)[1] if hang else 0
            if y < len(lines) - 1:
                rows += self.lines[y][hang:].get_height(rules, width - indent)
            elif len(line) > hang:
                part = Content(word_ended(line, self.lines[y].plain)[hang:])
                rows += rows_above(part, rules, max(width - indent, 1))
        return rows

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        strips: list[Strip] = []
        for y, line in enumerate(self.lines):
            hang = self.hangs[y]
            if not hang or width <= 2:
                rows = line.render_strips(width, None, style, _line_options(options, y, 0))
                strips.extend(_placed(row, 0, y) for row in rows)
            else:
                dropped, indent = self.layout(y, width)
                rest = line[hang:]
                rows = rest.render_strips(
                    width - indent, None, style, _line_options(options, y, hang)
                )
                head = line[dropped:hang].render_strips(
                    indent, 1, style, _line_options(options, y, dropped)
                )
                blank = Strip.blank(indent, style.rich_style)
                for n, row in enumerate(rows):
                    lead = _placed(head[0], dropped, y) if n == 0 and head else blank
                    strips.append(Strip.join([lead, _placed(row, hang, y)]))
            if height is not None and len(strips) >= height:
                break
        return strips[:height] if height is not None else strips


def _line_options(options: RenderOptions, y: int, shift: int) -> RenderOptions:
    """The options to draw line ``y`` alone, from its column ``shift`` on: the selection
    on it, if any, in that line's columns."""
    if options.selection is None:
        return options
    span = options.selection.get_span(y)
    if span is None:
        return replace(options, selection=None)
    start, end = span
    selection = Selection(
        Offset(max(start - shift, 0), 0), None if end == -1 else Offset(max(end - shift, 0), 0)
    )
    return replace(options, selection=selection)


def _placed(strip: Strip, shift: int, y: int) -> Strip:
    """A row drawn from a part of a line, its text offsets (which a mouse selection reads)
    made the line's: ``shift`` columns on, on line ``y`` of the whole text."""
    for segment in strip:
        meta = segment.style.meta if segment.style is not None else None
        if meta and "offset" in meta:
            x, _ = meta["offset"]
            return strip.apply_offsets(x + shift, y)
    return strip


def word_ended(before: str, text: str) -> str:
    """``before`` (a start of ``text``) with the rest of the word it ends in: wrapped as
    ``text`` is, its rows are ``text``'s first rows (words are wrapped greedily)."""
    end = len(before)
    while end < len(text) and not text[end].isspace():
        end += 1
    return before + text[len(before) : end]


def rows_above(content: Content, rules: RulesMap, width: int) -> int:
    """The rows wrapped ``content`` takes before its last: the row its end is on. Exact
    where counting characters was not: a row holds fewer than ``width`` of them where a
    word did not fit (a find in a long paragraph scrolled hundreds of rows short)."""
    return max(content.get_height(rules, width) - 1, 0) if content.plain else 0
