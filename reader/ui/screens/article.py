"""ArticleScreen: one article's full text with entities highlighted, find, next/previous.

It shows the article at once and its entities as soon as they are ready (an article opened
before extraction reached it gets them computed in a worker). Leaving it dismisses it with the
id of the last article shown, so the list below can follow.
"""

from __future__ import annotations

import bisect
import contextlib
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalScroll, Vertical, VerticalScroll
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.selection import Selection
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from reader.model import Article, FullTextState, Mention
from reader.store import FeedStore, StoreError
from reader.store.sources import SourceError
from reader.textutil import (
    SegmentKind,
    article_links,
    clean,
    clean_line,
    hanging_indent,
    listed_links,
    literal_terms,
    match_spans,
)
from reader.ui.browser import open_link
from reader.ui.messages import OpenEntity
from reader.ui.screens.links import LinksScreen
from reader.ui.screens.once import LeavesOnce
from reader.ui.text import (
    ENTITY_STYLES,
    Terms,
    body_pieces,
    body_styles,
    match_style,
    meta_content,
    title_content,
)
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.find_bar import FindBar, keys_in_order
from reader.ui.widgets.footer import Footer
from reader.ui.widgets.hanging import Hanging, rows_above, word_ended
from reader.ui.writer import StoreWriter, a_mark, failure_reason

SCAN = 500  # ids checked at a time when looking for the next unread article
PASTED_KEYS = 0.03  # seconds between two changes of the find under which keys are a paste
PASTE_PAUSE = 0.05  # seconds without a change after which a paste's text is matched


class BodyText(Static):
    """One piece of the body. Its height is kept while only its styles change (a find, the
    current match, entities): restyled, it is drawn again when in view, and the screen's
    layout does not wrap its text again. Prose holding indented lines (quotes, list items)
    is drawn with hanging indents (``Hanging``)."""

    def __init__(self, classes: str) -> None:
        super().__init__(markup=False, classes=classes)
        self._plain: str | None = None
        self._hanging = False  # the text has lines to draw with a hanging indent
        self._heights: dict[int, int] = {}  # width → height, for this text

    def show(self, content: Content) -> None:
        """Show ``content``: a layout only if its text changed."""
        same = content.plain == self._plain
        if not same:
            self._plain = content.plain
            self._heights.clear()
            self._hanging = self.has_class("-prose") and any(
                hanging_indent(line) for line in content.plain.split("\n")
            )
        self.update(Hanging(content) if self._hanging else content, layout=not same)

    def row_of(self, before: str) -> int:
        """The row, from this piece's top, of the character after ``before`` (the text of the
        piece up to it), at the width the piece has."""
        width = max(self.content_region.width, 1)
        if isinstance(self.visual, Hanging):
            return self.visual.row_of(before, width, self.styles)  # type: ignore[arg-type]
        text = Content(word_ended(before, self._plain or ""))
        return rows_above(text, self.styles, width)  # type: ignore[arg-type]

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text selected with the mouse (a ``Hanging`` is not text Textual reads)."""
        if self._plain is None:
            return None
        return selection.extract(self._plain), "\n"

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, ArticleScreen):
            screen.relaid()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().get_content_height(container, viewport, width)
        return height


class BlockScroll(HorizontalScroll):
    """A code block or a table: its lines are not wrapped; wider than the screen, it scrolls
    sideways by these keys once it has the focus (Tab from the text). They show in the footer
    then, and only when there is something to scroll (else the article's keys have them)."""

    STEP = 8  # columns a ←/→ moves (one column a key left a long line out of reach)

    SIDEWAYS = Binding.Group("Sideways", compact=True)
    EDGES = Binding.Group("Line start/end")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "sideways(-1)", "Left", id="article.block_left", group=SIDEWAYS,
                tooltip=f"In a code block or table: {STEP} columns left"),
        Binding("right", "sideways(1)", "Right", id="article.block_right", group=SIDEWAYS,
                tooltip=f"In a code block or table: {STEP} columns right"),
        Binding("shift+left", "sideways_page(-1)", "Page left", show=False,
                id="article.block_page_left", tooltip="In a code block or table: a width left"),
        Binding("shift+right", "sideways_page(1)", "Page right", show=False,
                id="article.block_page_right", tooltip="In a code block or table: a width right"),
        Binding("home", "line_edge(0)", "Line start", id="article.block_home", group=EDGES,
                tooltip="In a code block or table: to the start of its lines"),
        Binding("end", "line_edge(1)", "Line end", id="article.block_end", group=EDGES,
                tooltip="In a code block or table: to the end of its longest line"),
    ]  # fmt: skip
    """Sideways keys of a focused code block or table; each has an id for the user keymap."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sideways", "sideways_page", "line_edge"):
            return self.max_scroll_x > 0  # (nothing to scroll: the keys are the article's)
        return True

    def on_blur(self) -> None:
        """Left (escape, tab on): back to the start of its lines. Left scrolled sideways, its
        short lines looked blank in the text."""
        self.scroll_to(x=0, animate=False, immediate=True)

    def action_sideways(self, step: int) -> None:
        self.scroll_relative(x=step * self.STEP, animate=False, immediate=True)

    def action_sideways_page(self, step: int) -> None:
        page = max(self.scrollable_content_region.width - self.STEP, 1)
        self.scroll_relative(x=step * page, animate=False, immediate=True)

    def action_line_edge(self, end: int) -> None:
        self.scroll_to(x=self.max_scroll_x if end else 0, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.screen.refresh_bindings()  # (wider or narrower than the screen now)


EXACT_PLACE = 20_000  # characters of a piece up to which the place kept is found exactly
SHOWN_LIMIT = 300_000  # characters of a body shown (50,000 words; a news article is far less)


def shown_body(article: Article) -> tuple[str, int | None]:
    """The body as the screen shows it, and where it was cut (None: whole). A body longer
    than ``SHOWN_LIMIT`` is cut at a paragraph's end before it (one long paragraph: at a
    line's or a word's end), with a line saying so: a
    3.6 MB item took 4–6 s to open, and the reader's memory grew by 150–250 MB."""
    text = clean(article.body)
    if len(text) <= SHOWN_LIMIT:
        return text, None
    cut = text.rfind("\n\n", 0, SHOWN_LIMIT)
    if cut < SHOWN_LIMIT // 2:  # no paragraph ends late enough: a line's end, else a word's
        cut = max(text.rfind("\n", 0, SHOWN_LIMIT), text.rfind(" ", 0, SHOWN_LIMIT))
        if cut < SHOWN_LIMIT // 2:
            cut = SHOWN_LIMIT
    rest = len(text) - cut
    note = (
        f"\n\n[The text goes on for {rest:,} more characters, not shown here; "
        f"`newsreader show {article.uid}` prints it whole.]"
    )
    return text[:cut] + note, cut


class ArticleScreen(LeavesOnce, Screen[int | None]):
    """The full text of one article from a list of ids (for next/previous)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,h,backspace", "back", "Back", id="article.back"),
        Binding("J", "step(1)", "Next", id="article.next", tooltip="Next article"),
        Binding("K", "step(-1)", "Prev", id="article.prev", tooltip="Previous article"),
        Binding("m", "next_unread", "Next unread", show=False, id="article.next_unread",
                tooltip="The next unread article of the list"),
        Binding("e", "toggle_entities", "Entities", id="article.toggle_entities",
                tooltip="Show or hide the panel of this article's entities"),
        Binding("x", "toggle_highlights", "Highlights", show=False, id="article.toggle_highlights",
                tooltip="Entity highlighting on or off"),
        Binding("slash", "find", "Find", id="article.find", tooltip="Find words in the article"),
        Binding("tab", "next_block", "Wide block", id="article.to_block",
                tooltip="To the next code block or table wider than the screen, which then "
                "scrolls sideways (Esc: back to the text)"),
        Binding("n", "match(1)", "Next match", show=False, id="article.next_match"),
        Binding("N", "match(-1)", "Previous match", show=False, id="article.prev_match"),
        Binding("r", "toggle_read", "Read", show=False, id="article.toggle_read"),
        Binding("s", "toggle_star", "Star", show=False, id="article.toggle_star"),
        Binding("o", "open_link", "Link", id="article.open_link",
                tooltip="Open a link of the article (a numbered chooser when there are several)"),
        Binding("y", "copy_link", "Copy link", show=False, id="article.copy_link"),
        Binding("F", "full_text", "Full text", show=False, id="article.full_text",
                tooltip="Fetch the full text of this article from its page (teaser feeds)"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="article.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="article.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="article.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="article.page_up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="article.top"),
        Binding("G,end", "edge(1)", "Bottom", show=False, id="article.bottom"),
    ]  # fmt: skip
    """Reading keys; each has an id for the user keymap."""

    show_entities: reactive[bool] = reactive(True, bindings=True)
    """Whether entity spans are highlighted."""
    index: reactive[int] = reactive(0, init=False, bindings=True)
    """Position of the article shown in ``ids``."""

    @dataclass
    class FullText(Message):
        """A full-text fetch finished: its state, why it failed, whether the text changed."""

        uid: str
        state: str
        note: str | None
        changed: bool

    @dataclass
    class Mentions(Message):
        """An article's entity mentions are ready."""

        rowid: int
        mentions: list[Mention]
        title: list[Mention]  # in the title (a feed item's, apart from its body)

    def __init__(
        self,
        store: FeedStore,
        writer: StoreWriter,
        ids: Sequence[int],
        index: int,
        terms: Terms = (),
    ) -> None:
        """``terms``: the words of the search the article was chosen from, found in it as
        if its find had been run with them (``n`` goes to the first)."""
        super().__init__()
        self.store = store
        self.writer = writer
        self._writes = 0  # marks asked for and not written yet
        self._failed = False  # one of them failed
        self.ids = ids
        self.set_reactive(ArticleScreen.index, index)
        self.article: Article | None = None
        self.find_terms: list[tuple[tuple[str, ...], bool]] = [(tuple(w), p) for w, p in terms]
        self._find_text = ""  # what the find bar holds, matched at the next _find_typed
        self._finding = False  # changed since last matched
        self._last_change = 0.0  # when the find's text last changed (time.monotonic)
        self._find_timer: Timer | None = None
        self._searched = terms_label(self.find_terms)  # what the find holds from the search
        self.links: list[str] = []
        self.mentions: list[Mention] = []
        self.title_mentions: list[Mention] = []
        self.match_index = -1
        self._scrolls = 0  # scroll keys run (``_end_again``)
        self._anchor: int | None = None  # the offset to bring back to the top (``relaid``)
        self._layout: list[SegmentKind] | None = None  # the body's pieces, as mounted
        self._text = ""  # the body as shown
        self._cut = False  # the body is too long to be shown whole (``shown_body``)
        self._runs: list[tuple[SegmentKind, int, int]] = []  # its pieces (body_pieces)
        self._starts: list[int] = []  # where each piece starts
        self._texts: list[BodyText] = []  # one per piece
        self._styles: list[ContentSpan] = []  # the body's styles but the find's
        self._piece_styles: list[list[ContentSpan]] = []  # the same, in each piece
        self._title_matches: list[tuple[int, int]] = []  # the find's in the heading (first)
        self._matches: list[tuple[int, int]] = []  # the find's matches in the body
        self._match_ends: list[int] = []
        self._shown: list[tuple[ContentSpan, ...]] = []  # each piece's match styles shown

    def compose(self) -> ComposeResult:
        with Horizontal(id="article-main"):
            with VerticalScroll(id="article-scroll"):
                yield Static(id="article-title", markup=False)
                yield Static(id="article-meta", markup=False)
                yield Static(id="article-legend", markup=False)
                yield Vertical(id="article-body")
                yield Static(id="article-links", markup=False)
            yield EntityPanel(id="entity-panel")
        yield FindBar("find in the article (words as typed)", id="find-bar")
        yield Footer(compact=True)

    @property
    def scroll(self) -> VerticalScroll:
        """The scrolling text."""
        return self.query_one("#article-scroll", VerticalScroll)

    def on_mount(self) -> None:
        if self._searched:  # n goes to the search's words, the bar shows them
            self.query_one(FindBar).set_placeholder(f"the search's words: {self._searched}")
        self.load()
        self.scroll.focus()

    def watch_index(self) -> None:
        self.load()

    def load(self) -> None:
        """Show the article at ``index``, mark it read, and ask for its entities."""
        try:
            article = self.store.article(self.ids[self.index])
        except sqlite3.DatabaseError as exc:  # a damaged page: said, and the reader goes on
            self.notify(failure_reason(exc, self.store.path), title="This article cannot be read",
                        severity="error", timeout=20)  # fmt: skip
            if self.article is None:  # opened on it: back to the list
                self.dismiss(None)
            return
        if article is None:
            self.notify("This article is no longer in the store.", severity="warning")
            return
        if not article.read:
            uid = article.uid
            self.writer.submit(lambda store: store.set_read([uid]), weight=a_mark(article.rowid))
            article = replace(article, read=True)
        self.article = article
        self.mentions = []
        self.title_mentions = []
        self.match_index = -1
        self.query_one("#article-meta", Static).update(meta_content(article))
        self.render_body()  # (finds the matches, the heading's too)
        self.render_title()
        self._show_count()
        self.scroll.scroll_home(animate=False, immediate=True)
        self.links = article_links(article)
        links = self.query_one("#article-links", Static)
        links.display = bool(self.links) and listed_links(article.body) is None
        if self.links:
            lines = [Content("Links").stylize("bold $accent")]
            lines += [Content(f"[{i}] {clean_line(u)}") for i, u in enumerate(self.links, 1)]
            links.update(Content("\n").join(lines))
        self.refresh_bindings()
        self.fetch_mentions(article.rowid)

    @work(thread=True, exclusive=True, group="mentions", exit_on_error=False)
    def fetch_mentions(self, rowid: int) -> None:
        """Entity mentions (extracted now if extraction has not reached the article)."""
        try:
            with self.store.db.background():  # (close() waits: it closed connections in use)
                body = self.store.mentions(rowid)
                self.post_message(
                    self.Mentions(rowid, body, self.store.mentions(rowid, title=True))
                )
        finally:
            self.store.db.release()

    @on(Mentions)
    def _mentions_ready(self, message: Mentions) -> None:
        if self.article is None or message.rowid != self.article.rowid:
            return
        self.mentions = message.mentions
        self.title_mentions = message.title
        self.render_title()
        self.render_body()
        panel = self.query_one(EntityPanel)
        if panel.has_class("-shown"):
            panel.show_entities(self.store.entities_of(self.article.rowid))

    def render_title(self) -> None:
        """The title, with its entities styled as the body's are, and the find's matches."""
        if self.article is not None:
            content = title_content(self.article, self.title_mentions, self.show_entities)
            current = self._current()
            for i, (start, end) in enumerate(self._title_matches):
                content = content.stylize(match_style(i, current), start, end)
            self.query_one("#article-title", Static).update(content)

    def render_body(self) -> None:
        """The body with entities, find matches and the current match styled; prose wraps,
        code blocks and tables keep their lines (one wider than the screen scrolls sideways).

        The body is shown in pieces (``body_pieces``): a find or a move to the next match
        gives their styles again only to the pieces whose matches changed."""
        if self.article is None:
            return
        text, cut = shown_body(self.article)
        self._cut = cut is not None  # (a find then says where it did not look)
        mentions = self.mentions if cut is None else [m for m in self.mentions if m.end <= cut]
        shown = [*mentions, *self.title_mentions]  # the kinds the legend names
        if text != self._text or not self._texts:
            self._text = text
            self._runs = runs = body_pieces(text)
            self._starts = [start for _, start, _ in runs]
            holder = self.query_one("#article-body", Vertical)
            if [kind for kind, _, _ in runs] != self._layout:
                self._layout = [kind for kind, _, _ in runs]
                holder.remove_children()
                self._texts = []
                widgets: list[Widget] = []
                for kind, _, _ in runs:
                    piece = BodyText(classes=f"-{kind}")
                    self._texts.append(piece)
                    if kind == SegmentKind.PROSE:
                        widgets.append(piece)
                    else:  # not wrapped: wider than the screen, it scrolls sideways
                        widgets.append(BlockScroll(piece, classes=f"{kind}-block"))
                holder.mount_all(widgets)
        self._styles = body_styles(text, mentions, self.show_entities, self.article.title)
        self._piece_styles = [[] for _ in self._runs]
        for span in self._styles:  # each style in the pieces it covers, in its order
            at = max(bisect.bisect_right(self._starts, span.start) - 1, 0)
            while at < len(self._runs) and self._runs[at][1] < span.end:
                _, lo, hi = self._runs[at]
                if span.start < hi:
                    clipped = ContentSpan(max(span.start, lo) - lo, min(span.end, hi) - lo,
                                          span.style)  # fmt: skip
                    self._piece_styles[at].append(clipped)
                at += 1
        self._find_matches()
        self._shown = [self._match_styles(i) for i in range(len(self._runs))]
        for i, piece in enumerate(self._texts):
            piece.show(self._piece_content(i))
        legend = self.query_one("#article-legend", Static)
        if shown and self.show_entities:
            parts = [Content("entities: ").stylize("$text-muted")]
            for entity_kind, style in ENTITY_STYLES.items():
                if any(m.kind == entity_kind for m in shown):
                    parts.append(Content(entity_kind.lower()).stylize(f"{style} bold"))
                    parts.append(Content("  "))
            legend.update(Content.assemble(*parts))
        legend.display = bool(shown and self.show_entities)

    @property
    def content(self) -> Content:
        """The whole body as shown (styled), as one."""
        current = self._current()
        first = len(self._title_matches)  # (the heading's matches come first)
        matches = [ContentSpan(a, b, match_style(first + i, current))
                   for i, (a, b) in enumerate(self._matches)]  # fmt: skip
        return Content(self._text, [*self._styles, *matches])

    def _current(self) -> int | None:
        return self.match_index if self.find_terms and self.match_index >= 0 else None

    def _find_matches(self) -> None:
        """The find's matches: in the heading as shown (counted first), then in the body."""
        terms = self.find_terms
        title = clean_line(self.article.title) if self.article is not None and terms else ""
        self._title_matches = match_spans(title, terms) if terms else []
        self._matches = match_spans(self._text, terms) if terms else []
        self._match_ends = [end for _, end in self._matches]

    def _match_styles(self, piece: int) -> tuple[ContentSpan, ...]:
        """The find's styles in a piece (offsets into it)."""
        _, lo, hi = self._runs[piece]
        first = bisect.bisect_right(self._match_ends, lo)  # (matches never overlap)
        current = self._current()
        before = len(self._title_matches)  # (numbered after the heading's)
        out = []
        for i in range(first, len(self._matches)):
            start, end = self._matches[i]
            if start >= hi:
                break
            style = match_style(before + i, current)
            out.append(ContentSpan(max(start, lo) - lo, min(end, hi) - lo, style))
        return tuple(out)

    def _piece_content(self, piece: int) -> Content:
        _, lo, hi = self._runs[piece]
        return Content(self._text[lo:hi], [*self._piece_styles[piece], *self._shown[piece]])

    def _restyle(self, pieces: Sequence[int] | None = None) -> None:
        """Give the find's styles again to ``pieces`` (all of them, and the heading, if None):
        only to those whose matches, or current match, changed."""
        if pieces is None:
            self.render_title()
        for i in range(len(self._runs)) if pieces is None else pieces:
            styles = self._match_styles(i)
            if styles != self._shown[i]:
                self._shown[i] = styles
                self._texts[i].show(self._piece_content(i))

    def _piece_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def watch_show_entities(self) -> None:
        self.render_title()
        self.render_body()

    # -- moving -----------------------------------------------------------------------------
    def action_back(self) -> None:
        panel = self.query_one(EntityPanel)
        if self.focused is panel:  # one layer at a time: the panel first (it stayed on
            # screen). (Not ``has_focus``: set by the Focus event, after the keys queued)
            panel.remove_class("-shown")
            self.set_focus(self.scroll)
            return
        if isinstance(self.focused, BlockScroll):
            self.set_focus(self.scroll)
            return
        bar = self.query_one(FindBar)
        if bar.shown:  # one layer at a time: the find first, then the article
            self._close_find()
            return
        self.dismiss(self.article.rowid if self.article else None)

    def action_step(self, step: int) -> None:
        new = self.index + step
        if 0 <= new < len(self.ids):
            self.index = new
        else:  # said, rather than a key that does nothing
            self.notify(f"This is the {'last' if step > 0 else 'first'} article of the list.")

    def action_next_unread(self) -> None:
        """The next unread article of the list this one was opened from; past the last, the
        first from the top of the list (said), as newsboat does."""
        found = self._first_unread(self.index + 1, len(self.ids))
        if found is None:
            found = self._first_unread(0, self.index)
            if found is not None:
                self.notify("Wrapped to the top of the list: no unread article after this one.")
        if found is None:
            self.notify("No other unread article.")
        else:
            self.index = found

    def _first_unread(self, start: int, stop: int) -> int | None:
        """The position in ``ids`` of the first unread article from ``start`` to ``stop``."""
        for lo in range(start, stop, SCAN):
            chunk = self.ids[lo : min(lo + SCAN, stop)]
            unread = set(self.store.unread_among(chunk))
            for offset, rowid in enumerate(chunk):
                if rowid in unread:
                    return lo + offset
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_link":
            return bool(self.links) or None
        if action == "next_block":
            return bool(self._wide_blocks())
        return True

    def _wide_blocks(self) -> list[BlockScroll]:
        """The code blocks and tables wider than the screen, in order."""
        return [b for b in self.query(BlockScroll) if b.max_scroll_x > 0]

    def action_next_block(self) -> None:
        """The next code block or table wider than the screen (the first below the top of the
        view, from the text); after the last, back to the text."""
        blocks = self._wide_blocks()
        if not blocks:
            raise SkipAction()  # (Tab moves the focus as anywhere else)
        focused = self.focused
        if isinstance(focused, BlockScroll) and focused in blocks:
            at = blocks.index(focused) + 1
            if at == len(blocks):
                self.scroll.focus()
                return
            blocks[at].focus()
            return
        top = self.scroll.region.y
        below = [b for b in blocks if b.region.bottom > top]
        (below or blocks)[0].focus()

    # Scrolls are immediate: deferred to the next refresh (Textual's default), each key of a
    # burst (a held `j`, `space space`) started from the same place and they scrolled once.
    def action_scroll(self, lines: int) -> None:
        self._scrolls += 1
        self._anchor = None
        self.scroll.scroll_relative(y=lines, animate=False, immediate=True)

    def action_page(self, pages: int) -> None:
        self._scrolls += 1
        self._anchor = None
        page = max(self.scroll.size.height - 2, 1)
        self.scroll.scroll_relative(y=pages * page, animate=False, immediate=True)

    def action_edge(self, bottom: int) -> None:
        self._scrolls += 1
        self._anchor = None
        if bottom:
            self.scroll.scroll_end(animate=False, immediate=True)
            # The text laid out again meanwhile (`enter G` typed together: the article was
            # still being laid out) is longer: the end again, unless another key scrolled.
            self.call_after_refresh(self._end_again, self._scrolls)
        else:
            self.scroll.scroll_home(animate=False, immediate=True)

    def _end_again(self, scrolls: int) -> None:
        if scrolls == self._scrolls:
            self.scroll.scroll_end(animate=False, immediate=True)

    # -- entities ---------------------------------------------------------------------------
    def action_toggle_entities(self) -> None:
        # The text is narrower with the panel (wider without it): laid out again, the same
        # scroll offset showed text from further up (pages back in a long article).
        self._keep_reading_place()
        panel = self.query_one(EntityPanel)
        panel.toggle_class("-shown")
        if panel.has_class("-shown") and self.article is not None:
            panel.show_entities(self.store.entities_of(self.article.rowid))
            self.set_focus(panel)  # (at once: `e j enter` typed together is the panel's)
        else:
            self.set_focus(self.scroll)

    def action_toggle_highlights(self) -> None:
        self.show_entities = not self.show_entities

    @on(EntityPanel.Chosen)
    def _entity_chosen(self, event: EntityPanel.Chosen) -> None:
        self.post_message(OpenEntity(event.entity_id))

    # -- state and links --------------------------------------------------------------------
    def _set(self, read: bool | None = None, starred: bool | None = None, said: str = "") -> None:
        """Change the article's marks: at once on screen, written in the background;
        ``said`` is told once the write is done (a failure is told instead)."""
        if self.article is None:
            return
        article = self.article = replace(
            self.article,
            read=self.article.read if read is None else read,
            starred=self.article.starred if starred is None else starred,
        )

        def write(store: FeedStore) -> None:
            store.mark(article.uid, read, starred)

        self._writes += 1

        def settled(failed: bool) -> None:
            """After a failure (said by the app), once no write of this screen is left, the
            article shown takes the state the store has: the next toggle starts from it."""
            self._writes -= 1
            self._failed = self._failed or failed
            shown = self.article
            if self._writes or not self._failed or shown is None:
                return
            self._failed = False
            with contextlib.suppress(sqlite3.DatabaseError):  # said by the failed write
                stored = self.store.article(shown.rowid)
                if stored is not None:
                    self.article = replace(shown, read=stored.read, starred=stored.starred)

        def done(_: object) -> None:
            if said:
                self.notify(said)
            settled(False)

        self.writer.submit(write, done, lambda: settled(True), weight=a_mark(article.rowid))

    def action_toggle_read(self) -> None:
        if self.article:
            read = not self.article.read
            self._set(read=read, said="Marked read" if read else "Marked unread")

    def action_toggle_star(self) -> None:
        if self.article:
            starred = not self.article.starred
            self._set(starred=starred, said="Starred" if starred else "Unstarred")

    def action_open_link(self) -> None:
        """Open the only link, or choose among the numbered ones."""
        if not self.links:
            self.notify("This article has no link to open.")
        elif len(self.links) == 1:
            problem = open_link(self.app, self.links[0])
            if problem:
                self.notify(problem, severity="warning")
        else:
            self.app.push_screen(LinksScreen(self.links))

    def action_full_text(self) -> None:
        """Fetch the full text of this article from its page now (a teaser feed)."""
        if self.article is None or not self.article.link:
            self.notify("This article has no page to fetch its full text from.")
            return
        self.notify("Fetching the full text…")
        self.fetch_full_text(self.article.uid)

    @work(thread=True, exclusive=True, group="full-text", exit_on_error=False)
    def fetch_full_text(self, uid: str) -> None:
        """The page's article, through the polite fetcher (no write lock while fetching)."""
        try:
            result = self.store.fetch_full_text(uid)
            self.post_message(self.FullText(uid, str(result.state), result.note, result.changed))
        except (KeyError, StoreError, SourceError) as exc:
            self.post_message(self.FullText(uid, "failed", str(exc), False))
        finally:
            self.store.db.release()

    @on(FullText)
    def _full_text(self, message: FullText) -> None:
        if message.note and message.state != FullTextState.DONE:
            self.notify(f"Full text: {message.note}", severity="warning", timeout=8)
        elif message.changed:
            self.notify("The full text replaces the teaser.")
        if self.article is not None and self.article.uid == message.uid:
            self.load()

    def action_copy_link(self) -> None:
        if self.links:
            own = self.article.link if self.article and self.article.link else self.links[0]
            self.app.copy_to_clipboard(own)
            self.notify("Link copied")

    # -- find -------------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        await keys_in_order(self, event)  # keys typed together act in their order

    def action_find(self) -> None:
        self.query_one(FindBar).show()

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        """The find's text changed: matched at once, unless it changed a moment before (a
        paste without bracketed paste is a key a character): then once the keys stop. Matched
        once each, 1,000 keys pasted into the find of a 5,000-paragraph article took 27 s of
        CPU."""
        if self._searched and not event.value:
            return  # (the empty box the search's words are shown in)
        self._find_text = event.value
        now = time.monotonic()
        quick, self._last_change = now - self._last_change < PASTED_KEYS, now
        self._finding = True
        if self._find_timer is not None:
            self._find_timer.stop()
            self._find_timer = None
        if quick:  # keys faster than anyone types (a paste): matched once they stop
            self._find_timer = self.set_timer(PASTE_PAUSE, self._find_typed)
        else:
            self._find_typed()

    def _find_typed(self) -> None:
        self._find_timer = None
        if not self._finding:
            return  # (done already: Enter or n came before the timer)
        self._finding = False
        self.find_terms = literal_terms(self._find_text)
        self.match_index = -1
        self._forget_search()
        self._find_matches()
        self._restyle()
        self._show_count()

    def _forget_search(self) -> None:
        """The find no longer holds the search's words (something else was typed)."""
        if self._searched:
            self._searched = ""
            self.query_one(FindBar).set_placeholder(None)

    @on(FindBar.Submitted)
    def _find_submitted(self) -> None:
        """Enter: to the first match, and the keys go back to the article (``n``/``N`` move
        between matches, as after a search in ``less``); the bar stays with its count."""
        self.action_match(1)
        self.scroll.focus()

    @on(FindBar.Dismissed)
    def _find_dismissed(self, event: FindBar.Dismissed) -> None:
        if not event.value and not self._searched:
            self._close_find()
        self.scroll.focus()

    def _close_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.hide()
        self._forget_search()
        bar.value = ""
        self.find_terms = []
        self.match_index = -1
        self._find_matches()
        self._restyle()
        self.scroll.focus()
        for block in self.query(BlockScroll):  # scrolled sideways to a match: back
            block.scroll_to(x=0, animate=False, immediate=True)

    def _count(self) -> int:
        """How many matches the find has, the heading's and the body's."""
        return len(self._title_matches) + len(self._matches)

    def _show_count(self) -> None:
        count = self._count()
        bar = self.query_one(FindBar)
        if not self.find_terms:
            bar.set_count("")
        elif not count:
            bar.set_count("no match in the part shown" if self._cut else "no match")
        elif self.match_index < 0:
            bar.set_count(f"{count} found")
        else:
            bar.set_count(f"{self.match_index + 1} of {count}")

    def action_match(self, step: int) -> None:
        """The next (``step`` 1) or previous match, the heading's first: only the pieces
        holding it and the one before (or the heading) are styled again."""
        self._find_typed()  # (text typed just before: matched first)
        count = self._count()
        bar = self.query_one(FindBar)
        if self.find_terms and not bar.shown:  # the search's words: the bar says where
            bar.show(focus=False)
        if not count:
            self._show_count()
            return
        before = self._current()
        if self.match_index < 0:
            self.match_index = 0 if step > 0 else count - 1
        else:
            self.match_index = (self.match_index + step) % count
        in_title = len(self._title_matches)
        pieces: set[int] = set()
        for i in (before, self.match_index):
            if i is not None and i >= in_title:
                start, end = self._matches[i - in_title]
                pieces.update(range(self._piece_of(start), self._piece_of(end - 1) + 1))
        if any(i is not None and i < in_title for i in (before, self.match_index)):
            self.render_title()
        self._restyle(sorted(pieces))
        self._show_count()
        if self.match_index < in_title:
            self.call_after_refresh(self.scroll.scroll_home, animate=False)
        else:
            self.call_after_refresh(
                self._scroll_to_match, *self._matches[self.match_index - in_title]
            )

    def _keep_reading_place(self) -> None:
        """Keep the text at the top of the view there when the text is laid out again at
        another width (the entity panel shown or hidden): which character is at the top is
        found in its piece, and scrolled back to the top once laid out."""
        if self.article is None or not self._runs or self.scroll.scroll_y <= 0:
            return
        view = self.scroll.region.y
        for (_, lo, hi), text in zip(self._runs, self._texts, strict=True):
            region = text.region
            if region.height and region.y <= view < region.bottom:
                row = view - region.y
                if hi - lo > EXACT_PLACE:  # (each row_of wraps the text up to the offset)
                    offset = lo + int(row / region.height * (hi - lo))
                else:  # the first character of that row (a share of the characters was
                    # paragraphs off in a piece of short paragraphs and blank lines)
                    first, last = lo, hi
                    while first < last:
                        middle = (first + last + 1) // 2
                        if text.row_of(self._text[lo:middle]) <= row:
                            first = middle
                        else:
                            last = middle - 1
                    offset = first
                self._anchor = offset  # (scrolled to once laid out again: ``relaid``)
                return

    def relaid(self) -> None:
        """A piece of the body was laid out at another width: the text kept at the top of
        the view (``_keep_reading_place``) goes back there."""
        if self._anchor is not None:
            offset, self._anchor = self._anchor, None
            self.call_after_refresh(self._scroll_to_match, offset, None, 0)

    def _scroll_to_match(self, start: int, end: int | None = None, above: int = 4) -> None:
        """Scroll so that the line holding ``start`` is in view, ``above`` lines from the top;
        in a code block or a table (not wrapped), sideways too, so that the match is in
        view."""
        if self.article is None or not self._runs:
            return
        which = self._piece_of(start)
        _, lo, _ = self._runs[which]
        text = self._texts[which]
        lines = text.row_of(self._text[lo:start])
        top = text.region.y - self.scroll.region.y + self.scroll.scroll_y
        self.scroll.scroll_to(y=max(top + lines - above, 0), animate=False, immediate=True)
        block = text.parent
        if isinstance(block, HorizontalScroll):
            column = start - max(self._text.rfind("\n", lo, start) + 1, lo)
            width = block.scrollable_content_region.width
            length = (end if end is not None else start + 1) - start
            if not block.scroll_x <= column <= block.scroll_x + width - min(length, width):
                block.scroll_to(x=max(column - width // 4, 0), animate=False)


def terms_label(terms: Terms) -> str:
    """A search's words as the find bar names them: ``defi*``, ``"lei jun"``."""
    parts = []
    for words, prefix in terms:
        text = " ".join(words)
        parts.append((f'"{text}"' if len(words) > 1 else text) + ("*" if prefix else ""))
    return " ".join(parts)
