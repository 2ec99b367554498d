"""HeadlineList: a Line-API list that stays instant with 100,000 headlines.

It holds only article ids; rows are fetched from the store a page at a time as they scroll
into view, rendered from ``reader.ui.text.headline_row`` straight into segments, and cached as
strips.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle

from reader.model import Article
from reader.ui.text import Span, Terms, headline_row, source_width

PAGE = 200
NARROW = 100  # below this width, dates drop their time of day
NO_SOURCE = 50  # below this width, rows drop their source (the title had no room left)
NO_DATE = 30  # and below this one their date
OPENING = 1.0  # seconds an article chosen may take to open before keys go on as usual


class HeadlineList(ScrollView, can_focus=True):
    """Every matching article's date, source and title, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="headlines.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="headlines.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="headlines.page_down"),
        Binding("pageup,b", "page_up", "Page up", show=False, id="headlines.page_up"),
        Binding("g,home", "first", "First", show=False, id="headlines.first"),
        Binding("G,end", "last", "Last", show=False, id="headlines.last"),
        Binding("enter,l", "open", "Open", id="headlines.open", tooltip="Read the article"),
    ]
    """Navigation keys; every one has an id so a user keymap can remap it."""

    COMPONENT_CLASSES = {"headline-list--cursor"}  # noqa: RUF012

    DEFAULT_CSS = """
    HeadlineList {
        background: $surface;
        & > .headline-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .headline-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False)
    """Index of the highlighted row."""

    class Highlighted(Message):
        """The cursor moved to an article."""

        def __init__(self, article: Article | None) -> None:
            super().__init__()
            self.article = article

    class Selected(Message):
        """An article was chosen (enter)."""

        def __init__(self, article: Article) -> None:
            super().__init__()
            self.article = article

    def __init__(
        self, fetch: Callable[[Sequence[int]], list[Article]], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self.ids: Sequence[int] = []  # replaced whole, never changed in place
        self.terms: Terms = ()
        self.source_names: list[str] = []
        self._rows: dict[int, Article] = {}
        self._pending: dict[int, Article] = {}  # state changes not written yet
        self._writes: Counter[int] = Counter()  # of each of those, the writes still running
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._styles: dict[tuple[bool, tuple[str, ...]], RichStyle] = {}  # resolved, per theme
        # When an article was chosen whose screen is not open yet: keys typed right after
        # enter reach this list first (the screen that owns it clears this when covered).
        self.opening_since: float | None = None

    def set_sources(self, names: list[str]) -> None:
        """The source names the list may show (they size the source column)."""
        if names != self.source_names:
            self.source_names = names
            self._strips.clear()
            self.refresh()

    # -- data -------------------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int], terms: Terms = (), keep: int | None = None) -> None:
        """Show these articles; keep the cursor on article ``keep`` when it is still listed."""
        self.ids = ids
        self.terms = terms
        self._rows.clear()
        self._strips.clear()
        self.virtual_size = Size(self.size.width, len(ids))
        index = 0
        if keep is not None:
            with contextlib.suppress(ValueError):
                index = ids.index(keep)
        self.set_reactive(HeadlineList.cursor, min(index, max(len(ids) - 1, 0)))
        self.scroll_to(y=max(self.cursor - self.size.height // 2, 0), animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def article_at(self, index: int) -> Article | None:
        """The headline record at a list index, fetching its page from the store if needed."""
        if not 0 <= index < len(self.ids):
            return None
        rowid = self.ids[index]
        article = self._pending.get(rowid) or self._rows.get(rowid)
        if article is None:
            if len(self._rows) > 8 * PAGE:
                self._rows.clear()
            start = max(index - PAGE // 2, 0)
            for a in self._fetch(self.ids[start : start + PAGE]):
                self._rows[a.rowid] = a
            article = self._rows.get(rowid)
        return article

    @property
    def current(self) -> Article | None:
        """The article under the cursor."""
        return self.article_at(self.cursor)

    @property
    def writing(self) -> bool:
        """Whether marks shown on rows are still waiting to be written."""
        return bool(self._pending)

    def update_article(self, article: Article, pending: bool = False) -> None:
        """Repaint one article after its state (read, starred) changed.

        ``pending``: the change is still being written; until ``written(rowid)``, it wins over
        what the store says (a list reloaded meanwhile must not show the old state).
        """
        self._rows[article.rowid] = article
        if pending:
            self._pending[article.rowid] = article
            self._writes[article.rowid] += 1
        self._strips.clear()
        self.refresh()

    def written(self, rowid: int) -> None:
        """A change to this article is done (stored, or failed). Once its last one is, the
        store's record is the truth again, and the article is read again from it (a page
        read while a write ran holds the state before it)."""
        self._writes[rowid] -= 1
        if self._writes[rowid] > 0:
            return
        del self._writes[rowid]
        self._pending.pop(rowid, None)
        self._rows.pop(rowid, None)
        self._strips.clear()
        self.refresh()

    def forget_rows(self) -> None:
        """Drop cached records so rows are fetched again (state may have changed)."""
        self._rows.clear()
        self._strips.clear()
        self.refresh()

    # -- rendering --------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        article = self.article_at(index)
        if article is None:
            return Strip.blank(width, self.rich_style)
        is_cursor = index == self.cursor
        key = (article.rowid, article.read, article.starred, width, is_cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            style = (
                self.get_visual_style("headline-list--cursor") if is_cursor else self.visual_style
            )
            text, spans = headline_row(
                article,
                self.terms,
                sources=source_width(self.source_names, width) if width >= NO_SOURCE else 0,
                short_dates=None if width < NO_DATE else width < NARROW,
                on_cursor=is_cursor,
            )
            length = cell_len(text)
            if length > width:  # one line: cut it rather than let it wrap
                text, length = set_cell_size(text, width - 1) + "…", width
                spans = [(b, min(e, len(text)), name) for b, e, name in spans if b < len(text)]
            segments = self._segments(text, spans, style, is_cursor)
            strip = Strip(segments, length).crop_extend(0, width, style.rich_style)
            self._strips[key] = strip
        return strip

    def _segments(
        self, text: str, spans: list[Span], base: VisualStyle, is_cursor: bool
    ) -> list[Segment]:
        """The row's segments, each style a combination of the base and the spans over it in
        their order (as Textual renders content, without its wrapping and formatting: 40
        rows took 14.8 ms that way, and every keystroke repaints them all)."""
        cuts = sorted({0, len(text), *(b for b, _, _ in spans), *(e for _, e, _ in spans)})
        segments = []
        for start, end in pairwise(cuts):
            names = tuple(name for b, e, name in spans if b <= start and end <= e)
            key = (is_cursor, names)
            rich = self._styles.get(key)
            if rich is None:
                combined = base
                for name in names:
                    combined = combined + self._get_style(name)
                rich = self._styles[key] = combined.rich_style
            segments.append(Segment(text[start:end], rich))
        return segments

    # -- cursor -----------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.ids) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        self.post_message(self.Highlighted(self.current))

    def _refresh_row(self, index: int) -> None:
        _, scroll_y = self.scroll_offset
        self.refresh(Region(0, index - scroll_y, self.size.width, 1))

    def on_focus(self) -> None:
        self._strips.clear()
        self._styles.clear()

    def on_blur(self) -> None:
        self._strips.clear()
        self._styles.clear()

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(self.size.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.size.height - 1, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.ids) - 1

    @property
    def opening(self) -> bool:
        """Whether an article chosen here is still opening (for at most ``OPENING`` s: a
        screen that never came must not hold keys back for long)."""
        since = self.opening_since
        return since is not None and time.monotonic() - since < OPENING

    def action_open(self) -> None:
        if (article := self.current) is not None:
            self.opening_since = time.monotonic()
            self.post_message(self.Selected(article))

    async def _on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.ids):
            if index == self.cursor and event.chain > 1:
                self.action_open()
            self.cursor = index
