"""HeadlinesScreen: the list of headlines, the sources panel, search as you type."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.store import QueryError
from reader.store.query import as_you_type, highlight_terms, parse
from reader.textutil import clean_line
from reader.ui.messages import IndexFinished, IndexProgress
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from reader.ui.app import NewsReader

ALL_SOURCES = "\0all"
FIRST_PAGE = 200  # matches shown before the full list of a large result arrives


class HeadlinesScreen(Screen[None]):
    """Every article, newest first; `/` filters it as you type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="headlines.search", tooltip="Search as you type"),
        Binding("n", "next_match", "Next", show=False, id="headlines.next_match"),
        Binding("N", "prev_match", "Previous", show=False, id="headlines.prev_match"),
        Binding(
            "r",
            "toggle_read",
            "Read",
            id="headlines.toggle_read",
            tooltip="Mark the article read or unread",
        ),
        Binding("s", "toggle_star", "Star", id="headlines.toggle_star"),
        Binding(
            "p",
            "toggle_sources",
            "Sources",
            id="headlines.toggle_sources",
            tooltip="Show or hide the sources panel",
        ),
        Binding("q", "app.quit", "Quit", id="headlines.quit"),
    ]
    """Screen keys; printable ones are never priority, so typing in search always works."""

    query_text: reactive[str] = reactive("")
    """The active query (search bar text combined with the chosen source)."""

    def __init__(self) -> None:
        super().__init__()
        self.source_filter: str | None = None
        self.error: str | None = None
        self.indexing: str = ""
        self._last_refresh = 0.0
        self.complete = True

    @property
    def reader(self) -> NewsReader:
        return cast("NewsReader", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield OptionList(id="sources")
            yield HeadlineList(self.reader.store.headlines, id="headlines")
        yield SearchBar()
        yield Static(id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_sources()
        self._apply(*self._run_query(""), keep=None)
        self.query_one(HeadlineList).focus()

    # -- querying ---------------------------------------------------------------------------
    def _full_query(self, text: str) -> str:
        text = as_you_type(text)
        if self.source_filter is None:
            return text
        name = self.source_filter.replace('"', "")
        return f'{text} source:"{name}"'.strip()

    def _run_query(
        self, text: str, limit: int | None = None
    ) -> tuple[str, list[int], list, str | None]:
        query = self._full_query(text)
        try:
            tree = parse(query)
            ids = self.reader.store.search_ids(query, limit=limit)
        except QueryError as exc:
            return text, [], [], str(exc)
        terms = [(t.tokens, t.prefix) for t in highlight_terms(tree)]
        return text, ids, terms, None

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search(self, text: str) -> None:
        """Run a query off the UI thread; only the latest one is applied.

        The first screenful is shown as soon as it is found; the full list of matches (up to
        every article in the store) follows, unless a newer keystroke has arrived meanwhile.
        """
        first = self._run_query(text, limit=FIRST_PAGE)
        complete = first[3] is not None or len(first[1]) < FIRST_PAGE
        self.app.call_from_thread(self._apply_if_current, *first, complete)
        if complete or get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._apply_if_current, *self._run_query(text), True)

    def _apply_if_current(
        self, text: str, ids: list[int], terms: list, error: str | None, complete: bool = True
    ) -> None:
        if text == self.query_one(SearchBar).value:
            self._apply(text, ids, terms, error, complete=complete)

    def _apply(
        self,
        text: str,
        ids: list[int],
        terms: list,
        error: str | None,
        keep: int | None = -1,
        complete: bool = True,
    ) -> None:
        headlines = self.query_one(HeadlineList)
        self.error = error
        self.complete = complete
        if error is None:
            if keep == -1:
                current = headlines.current
                keep = current.rowid if current else None
            headlines.set_ids(ids, terms, keep=keep)
            self.query_text = self._full_query(text)
        self.update_status()

    def rerun(self) -> None:
        """Run the active query again (after indexing or a state change)."""
        self.search(self.query_one(SearchBar).value)

    def update_status(self) -> None:
        headlines = self.query_one(HeadlineList)
        total = self.reader.store.count()
        if self.error:
            text = f"⚠ {self.error}"
        else:
            shown = len(headlines.ids)
            where = f"  ·  query: {self.query_text}" if self.query_text else ""
            more = "" if self.complete else "+"
            text = f"{shown:,}{more} of {total:,} articles{where}"
            if not shown and total:
                text = f"No article matches  ·  query: {self.query_text}"
        if self.indexing:
            text += f"  ·  {self.indexing}"
        status = self.query_one("#status", Static)
        status.update(Content(text))  # Content, never markup: queries are typed by people
        status.set_class(bool(self.error), "-error")

    # -- sources panel ----------------------------------------------------------------------
    def refresh_sources(self) -> None:
        panel = self.query_one("#sources", OptionList)
        counts = self.reader.store.sources()
        total = sum(c.total for c in counts)
        unread = sum(c.unread for c in counts)
        options = [Option(Content(f"All  {unread}/{total}"), id=ALL_SOURCES)]
        options += [
            Option(Content(f"{clean_line(c.name)}  {c.unread}/{c.total}"), id=c.name)
            for c in counts
        ]
        highlighted = panel.highlighted
        panel.set_options(options)
        if highlighted is not None and highlighted < len(options):
            panel.highlighted = highlighted

    @on(OptionList.OptionSelected, "#sources")
    def _source_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.source_filter = None if chosen == ALL_SOURCES else chosen
        self.rerun()
        self.query_one(HeadlineList).focus()

    def action_toggle_sources(self) -> None:
        panel = self.query_one("#sources", OptionList)
        panel.toggle_class("-shown")
        if panel.has_class("-shown"):
            panel.focus()
        else:
            self.query_one(HeadlineList).focus()

    # -- search -----------------------------------------------------------------------------
    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        bar.add_class("-shown")
        bar.focus()

    @on(SearchBar.Changed)
    def _query_changed(self, event: SearchBar.Changed) -> None:
        self.search(event.value)

    @on(SearchBar.Dismissed)
    def _search_dismissed(self) -> None:
        bar = self.query_one(SearchBar)
        if not bar.value:
            bar.remove_class("-shown")
        self.query_one(HeadlineList).focus()

    @on(SearchBar.Submitted)
    def _search_submitted(self) -> None:
        self.query_one(HeadlineList).focus()

    def action_next_match(self) -> None:
        self.query_one(HeadlineList).action_cursor_down()

    def action_prev_match(self) -> None:
        self.query_one(HeadlineList).action_cursor_up()

    # -- articles ---------------------------------------------------------------------------
    @on(HeadlineList.Selected)
    def _open(self, event: HeadlineList.Selected) -> None:
        from reader.ui.screens.article import ArticleScreen

        headlines = self.query_one(HeadlineList)
        self.app.push_screen(ArticleScreen(headlines.ids, headlines.cursor))

    def on_screen_resume(self) -> None:
        """Back from an article: follow it in the list and repaint its read state."""
        headlines = self.query_one(HeadlineList)
        last = getattr(self.reader, "last_article", None)
        if last is not None and last in headlines.ids:
            headlines.cursor = headlines.ids.index(last)
        headlines.forget_rows()
        self.refresh_sources()
        self.update_status()

    def _toggle(self, field: str) -> None:
        headlines = self.query_one(HeadlineList)
        article = headlines.current
        if article is None:
            return
        store = self.reader.store
        if field == "read":
            store.set_read([article.rowid], not article.read)
        else:
            store.set_starred([article.rowid], not article.starred)
        [fresh] = store.headlines([article.rowid])
        headlines.update_article(fresh)
        self.refresh_sources()

    def action_toggle_read(self) -> None:
        self._toggle("read")

    def action_toggle_star(self) -> None:
        self._toggle("starred")

    # -- indexing ---------------------------------------------------------------------------
    def on_index_progress(self, message: IndexProgress) -> None:
        """Show progress, and let new articles appear as batches land (at most twice a second)."""
        self.indexing = f"{message.label} {message.done:,}/{message.total:,}"
        self.update_status()
        now = time.monotonic()
        if now - self._last_refresh >= 0.5:
            self._last_refresh = now
            self.rerun()

    def on_index_finished(self, message: IndexFinished) -> None:
        self.indexing = message.summary if message.failed else ""
        self.refresh_sources()
        self.rerun()
