"""HeadlinesScreen: the list of headlines, the sources panel, search as you type, triage."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker, get_current_worker

from reader.store import Change, FeedStore, QueryError, Superseded
from reader.store.query import as_you_type, highlight_terms, parse
from reader.textutil import clean_line
from reader.ui.messages import OpenArticle
from reader.ui.scope import Scope, ScopeKind, suggest_name
from reader.ui.screens.confirm import Confirm
from reader.ui.screens.holding import HoldsKeys
from reader.ui.screens.prompt import Prompt
from reader.ui.snapshot import IdSnapshot
from reader.ui.state import UiState
from reader.ui.text import plural, status_line
from reader.ui.widgets.find_bar import FindBar, keys_in_order, was_held
from reader.ui.widgets.footer import Footer
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.sources_panel import ALL_SOURCES, SourcesPanel
from reader.ui.writer import AN_OTHER, StoreWriter, a_mark, marks_of

FIRST_PAGE = 200  # matches shown before the full list of a large result arrives
HOLD_LIMIT = 5.0  # seconds keys for the list wait for the results they were typed for
MARK_HOLD = 1.0  # ...and for the list's marks (`A`) to be written
SCAN = 500  # rows checked at a time when looking for the next unread article


class HeadlinesScreen(HoldsKeys, Screen[None]):
    """Every article (or a feed's, a search's), newest first; `/` filters it as you type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="headlines.search", tooltip="Search as you type"),
        Binding("n", "next_unread(1)", "Next unread", id="headlines.next_unread"),
        Binding("N", "next_unread(-1)", "Prev unread", show=False, id="headlines.prev_unread"),
        Binding("right_square_bracket", "step(1)", "Next match", show=False,
                id="headlines.next_match"),
        Binding("left_square_bracket", "step(-1)", "Previous match", show=False,
                id="headlines.prev_match"),
        Binding("m", "read_next", "Read, next", show=False, id="headlines.read_next",
                tooltip="Mark this article read and go to the next unread one"),
        Binding("A", "mark_all_read", "All read", id="headlines.mark_all_read",
                tooltip="Mark every article of the list as shown read"),
        Binding("u", "toggle_unread_only", "Unread only", show=False,
                id="headlines.toggle_unread_only", tooltip="Show only unread articles, or all"),
        Binding("r", "toggle_read", "Read", show=False, id="headlines.toggle_read",
                tooltip="Mark the article read or unread"),
        Binding("s", "toggle_star", "Star", show=False, id="headlines.toggle_star"),
        Binding("p", "toggle_sources", "Sources", show=False, id="headlines.toggle_sources",
                tooltip="Show or hide the sources panel"),
        Binding("escape", "clear", "Clear", show=False, id="headlines.clear",
                tooltip="Clear the search, then the feed or source shown, then unread only"),
        Binding("q", "quit", "Quit", id="headlines.quit"),
    ]  # fmt: skip
    """Screen keys; printable ones are never priority, so typing in search always works."""

    scope: reactive[Scope] = reactive(Scope, init=False)
    """Which articles: all of them, a feed's, a folder's, a saved search's, a source's."""
    search_text: reactive[str] = reactive("", init=False)
    """What the search bar holds (the query typed)."""
    unread_only: reactive[bool] = reactive(False, init=False, bindings=True)
    """Show only unread articles."""
    progress: reactive[str] = reactive("")
    """Background work in progress, or its last summary when something failed."""
    error: reactive[str | None] = reactive(None)
    """The message of a malformed query, shown instead of the count."""
    found: reactive[tuple[int, bool]] = reactive((0, True))
    """Articles listed, and whether that is all of them (the full list may still come)."""

    @dataclass
    class Results(Message):
        """A search finished in the worker."""

        query: str
        ids: Sequence[int]
        terms: list[tuple[tuple[str, ...], bool]]
        error: str | None
        complete: bool
        total: int | None = None  # the scope's articles ("1 of 4 articles · Alpha"), if counted

    @dataclass
    class Counted(Message):
        """The unread articles of a query, counted off the UI thread (the store keeps the
        counts across read marks: recounting after a mark reads only the marks' log)."""

        query: str
        unread: int
        serial: int  # the count asked for (``_count_serial``): older ones may be out of date

    def __init__(self, store: FeedStore, writer: StoreWriter, state: UiState, key: str) -> None:
        """``state`` is shared with the app, which saves it; ``key`` names this database in
        it (the last article read is remembered per database)."""
        super().__init__()
        self.store = store
        self.writer = writer
        self.state = state
        self.key = key
        self._position = state.positions.get(key)  # the article the last session ended on
        self._total = 0
        self._last_rerun = 0.0
        self._search_lock = threading.Lock()
        # (the row first shown, the article to restore) while the full list is on its way
        self._restore: tuple[int, int] | None = None
        self._shown_query: str | None = None  # the query of the list shown
        self._search_thread: int | None = None  # the thread running the latest search
        self._search_serial = 0  # searches asked for so far (on the UI thread)
        self._typed = False  # a search for the text typed is on its way
        self._choosing = False  # enter chose a source: its message is on its way
        self._marking = False  # `A` marks the list: the rows change once it is written
        self._unread: int | None = None  # unread articles listed (None: not counted yet)
        self._count_serial = 0  # unread counts asked for so far (on the UI thread)
        self._adjusted = 0  # the last count asked before a mark shown at once: older ones lag
        self._counted_serial = 0  # the count shown (a worker's may come after a newer one's)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield SourcesPanel(id="sources")
            yield HeadlineList(self.store.headlines, id="headlines")
        yield SearchBar(self.state)
        yield Static(id="status", markup=False)
        yield Footer(compact=True)

    @property
    def headlines(self) -> HeadlineList:
        """The list widget."""
        return self.query_one(HeadlineList)

    @property
    def search_bar(self) -> SearchBar:
        """The search bar."""
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.set_reactive(HeadlinesScreen.scope, Scope())
        self.refresh_sources()
        keep = None
        if self._position is not None:
            with contextlib.suppress(sqlite3.DatabaseError):  # damaged: said when opened
                article = self.store.article(self._position)
                keep = article.rowid if article is not None else None
        # The first screenful now, the full list from the search worker: on a large store the
        # list of every id (0.7 s at 1,000,000 articles) would hold the first paint back.
        first = self._run_query(self.full_query(), limit=FIRST_PAGE)
        self._apply(first, keep=keep)
        if first.complete and first.error is None:  # fewer articles than a page: counted now
            with contextlib.suppress(sqlite3.DatabaseError):
                self._unread = self.store.count_matches(first.query)[1]
        if not first.complete:
            if keep is not None and keep not in first.ids and first.ids:
                self._restore = (first.ids[0], keep)  # found in the full list, if still there
            self.search(self.full_query())
        self.headlines.focus()
        # (_apply's update is skipped while mounting: with no start-up work to report, the
        # status line stayed empty)
        self.call_after_refresh(self.update_status)

    # -- the query --------------------------------------------------------------------------
    def full_query(self) -> str:
        """What runs: the scope's query, the search text (its last word a prefix) and the
        unread filter."""
        return self.scope.combine(as_you_type(self.search_text), self.unread_only)

    def _run_query(self, query: str, limit: int | None = None) -> Results:
        try:
            tree = parse(query)
            ids = self.store.search_id_array(query, limit=limit)
        except QueryError as exc:
            return self.Results(query, [], [], str(exc), True)
        terms = [(t.tokens, t.prefix) for t in highlight_terms(tree)]
        complete = limit is None or len(ids) < limit
        return self.Results(query, ids, terms, None, complete)

    def search(self, query: str) -> Worker[None]:
        """Run a query off the UI thread; only the latest one is applied.

        Searches are numbered here, on the UI thread, in the order they are asked for: the
        workers may start in another order, and only the newest may interrupt another.
        """
        self._search_serial += 1
        self._count_serial += 1
        return self._search(query, self._search_serial, self.scope.query, self._count_serial)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, serial: int, scope: str = "", count: int = 0) -> None:
        """The search worker. The first screenful is shown as soon as it is found; then the
        full list of matches (up to every article in the store) follows, and then its unread
        articles are counted (``count`` numbers that count), unless a newer query has been
        asked meanwhile. The newest search interrupts the statement of the one it
        replaces: the full list of a common word on a large store would otherwise keep a core
        busy while the next keystroke's first screenful is looked for.
        """
        me = threading.get_ident()
        with self._search_lock:
            if serial != self._search_serial:
                return  # a newer search was asked before this one started
            self.store.db.forget_interrupt()  # meant for an earlier search on this thread
            running, self._search_thread = self._search_thread, me
            if running is not None:
                self.store.db.interrupt(running)  # an older search: this one replaces it
        try:
            with self.store.db.background():  # (close() waits: it closed connections in use)
                first = self._run_query(query, limit=FIRST_PAGE)
                if scope and first.error is None:  # what "of N articles" counts: the scope's
                    try:
                        first.total = self.store.count_matches(scope)[0]  # (kept by the store)
                    except sqlite3.OperationalError:
                        if self.store.db.was_interrupted():
                            return  # a newer search replaced this one
                        raise
                self.post_message(first)
                if first.error is not None or get_current_worker().is_cancelled:
                    return
                if not first.complete:
                    full = self._run_query(query)
                    full.total = first.total
                    self.post_message(full)
                    if get_current_worker().is_cancelled:
                        return
                try:  # after the lists: it holds back neither the first screenful nor the rest
                    unread = self.store.count_matches(query)[1]
                except sqlite3.OperationalError:
                    if self.store.db.was_interrupted():
                        return  # a newer search replaced this one
                    raise
                self.post_message(self.Counted(query, unread, count))
        except Superseded:
            return  # a newer search is running; its results are the ones shown
        finally:
            with self._search_lock:  # no interrupt reaches this thread's next work
                if self._search_thread == me:
                    self._search_thread = None
        # The connection is kept: Textual runs thread workers on asyncio's default pool, so
        # the thread comes back for a later keystroke with its connection and, with ignore
        # rules, its set of hidden ids (rebuilding it cost 20 ms a keystroke at 100,000
        # articles with two rules). close() closes it with the others.

    def rerun(self) -> None:
        """Run the active query again (the scope or the store changed)."""
        self.search(self.full_query())

    @on(Results)
    def _results(self, message: Results) -> None:
        if message.query != self.full_query() or not self.query(HeadlineList):
            return  # an older query's, or the screen is being taken down
        keep = -1
        if self._restore is not None and (
            message.query != self._shown_query or message.error is not None
        ):
            self._restore = None  # meant for a list no longer asked for
        if self._restore is not None and message.complete:
            shown, wanted = self._restore
            self._restore = None
            current = self.headlines.current
            if current is not None and current.rowid == shown:  # the cursor has not moved
                keep = wanted
        elif (
            self._restore is None
            and not message.complete
            and message.query == self._shown_query  # the same list read again (new articles)
            and message.ids
            and (current := self.headlines.current) is not None
            and current.rowid not in message.ids
        ):
            # More new articles than the first page came in above the cursor: its article is
            # in the full list, which follows (the cursor went to the first row and stayed).
            self._restore = (message.ids[0], current.rowid)
        self._apply(message, keep=keep)
        self.release_keys()

    def _apply(self, results: Results, keep: int | None = -1) -> None:
        self.error = results.error
        if results.query != self._shown_query:
            self._unread = None  # the last list's: this one's is counted next
        self._shown_query = results.query
        if results.error is None:
            if keep == -1:
                current = self.headlines.current
                keep = current.rowid if current else None
            self.headlines.set_ids(results.ids, results.terms, keep=keep)
            self._total = self.store.count() if results.total is None else results.total
            self.found = (len(results.ids), results.complete)
        self.update_status()

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if (
            message.query != self._shown_query
            or message.serial <= self._adjusted
            or message.serial < self._counted_serial
        ):
            return  # another list's, counted before a mark shown since, or before the last
        self._unread, self._counted_serial = message.unread, message.serial
        self.update_status()

    def recount(self) -> None:
        """Count the unread articles of the list again, off the UI thread (marks changed).
        While marks shown at once are still being written, the count may be read before they
        are: it is not trusted (the last write's own recount is)."""
        self._count_serial += 1
        if self.headlines.writing:
            self._adjusted = self._count_serial
        self._recount(self.full_query(), self._count_serial)

    @work(thread=True, exclusive=True, group="unread", exit_on_error=False)
    def _recount(self, query: str, serial: int) -> None:
        """The count worker: the store brings the query's kept counts up to date from the log
        of marks (milliseconds at 100,000 articles), or counts them again. Its connection is
        kept for the next one, as the search worker's is."""
        with self.store.db.background():  # (close() waits: it closed connections in use)
            try:
                unread = self.store.count_matches(query)[1]
            except (QueryError, sqlite3.Error):
                return  # a malformed query has no count; a damaged store is said elsewhere
            self.post_message(self.Counted(query, unread, serial))

    def watch_scope(self) -> None:
        self.rerun()

    def watch_unread_only(self) -> None:
        self.rerun()

    def watch_progress(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        """The status line: counts, scope, query, filters, background work."""
        if not self.is_mounted or not self.query("#status"):
            return  # not composed yet, or being taken down while a worker still reports
        shown, complete = self.found
        text = status_line(
            shown=shown,
            complete=complete,
            total=self._total,
            scope=self.scope.label
            if self.scope.kind != ScopeKind.ALL
            else ("the bundled sample" if getattr(self.app, "sample", False) else None),
            query=self.search_text,
            unread_only=self.unread_only,
            error=self.error,
            progress=self.progress,
            unread=self._unread,
        )
        status = self.query_one("#status", Static)
        status.update(Content(text))  # Content, never markup: queries are typed by people
        status.set_class(bool(self.error), "-error")
        self.search_bar.set_count("" if self.error else f"{shown:,}{'' if complete else '+'}")

    def store_changed(self, change: Change = Change.CONTENT) -> None:
        """The store changed (a refresh, another process): counts and the list follow, as far
        as ``change`` reaches them. New mentions (the extraction beside the reader) change
        neither the rows nor the counts (unless an ignore rule names entities), and the list
        only of a query naming entities; marks change the rows and counts, and the list only
        of a query asking for marks; anything else, rows and counts (both cheap to read
        again), and the list as ``matches_change`` says.

        Marks alone never take rows away: in "unread only" (or a search for ``is:unread``) an
        article marked read stays where it is, shown read, until the list is asked for again
        (``u``, a search, another feed). Taken away at once, the next ``r`` (meant to undo)
        marked the article that had moved under the cursor."""
        if not self.is_mounted or not self.query(SourcesPanel) or not self.query(HeadlineList):
            return  # not composed yet, or being taken down while a worker still reports
        if change != Change.ENTITIES or self.store.matches_change("", change):
            self.refresh_sources()
            self.headlines.forget_rows()
        if change == Change.MARKS:
            self.recount()
            return
        if self.scope.kind in (ScopeKind.FEED, ScopeKind.FOLDER, ScopeKind.SEARCH):
            subscriptions = self.store.subscriptions()
            moved = self.scope.moved({s.id: s.url for s in subscriptions})
            if moved is not None:  # a permanent redirect: the feed is followed to its address
                self.scope = moved  # (its watcher reads the list again)
                return
            subscribed = {s.url for s in subscriptions}
            saved = {s.name for s in self.store.saved_searches(counts=False)}
            if self.scope.gone(subscribed, saved):
                # removed by another process (`newsreader remove`, `unsave`): "0 of 0" under
                # its name would stay until escape
                said = f"{self.scope.label} was removed: all articles are shown."
                self.notify(said, markup=False)
                self.scope = Scope()  # (its watcher reads the list again)
                return
        if self.store.matches_change(self.full_query(), change):
            self.rerun()  # (which counts the unread articles too)
        elif change & Change.MARKS:
            self.recount()

    # -- sources panel ----------------------------------------------------------------------
    def refresh_sources(self) -> None:
        """The sources panel's rows: each source with its unread/total counts."""
        if not self.query(SourcesPanel):
            return  # being taken down (a write finishing as the reader quits)
        counts = self.store.sources()
        self.headlines.set_sources([c.name for c in counts])
        self.query_one(SourcesPanel).show_counts(counts)

    @on(OptionList.OptionSelected, "#sources")
    def _source_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.scope = Scope() if chosen in (None, ALL_SOURCES) else Scope.source(chosen)
        self.set_focus(self.headlines)
        if self._choosing:  # keys typed after enter: held for the list, until it is shown
            self._choosing = False
            if self._shown_query == self.full_query():  # (the same source: nothing to wait)
                self.release_keys()

    def action_toggle_sources(self) -> None:
        """Show the sources and give them the focus, or hide them. The focus moves at once
        (``focus()`` moves it once the keys already queued are handled: `p j j enter` in one
        burst moved the list's cursor and opened an article)."""
        panel = self.query_one(SourcesPanel)
        panel.toggle_class("-shown")
        if panel.has_class("-shown"):
            self.set_focus(panel)
            if panel.highlighted is None:
                panel.highlighted = 0
        else:
            self.set_focus(self.headlines)

    # -- search -----------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        stale = self._shown_query != self.full_query() and not was_held(event)
        if self._choosing or (
            not isinstance(self.focused, Input)
            and (stale or self.headlines.opening or self._marking or self.holding)
        ):
            # The list shows another query's results than the one asked for: a key for it
            # (`A`, enter, `r`, `j`) would act on those. Held until the results are shown.
            # Or an article chosen is opening: the keys are for it (`enter q` quit), also
            # those released meanwhile, until its screen is over this one. Or a source is
            # being chosen: the keys after it are for its list. Or the list is being marked
            # read: `A y r` marked every article read, the `r` acting on the row as it was.
            marking = self._marking and not stale and not self.holding
            # (until the results come, or HOLD_LIMIT; a mark waits for another process's
            # write up to 30 s: keys wait for it MARK_HOLD at most, `A y q` quits then)
            self.hold(event, MARK_HOLD if marking else HOLD_LIMIT)
            return
        panel = self.focused if isinstance(self.focused, SourcesPanel) else None
        active = self.active_bindings.get(event.key)
        await keys_in_order(self, event)  # keys typed together act in their order
        if (
            panel is not None
            and panel.highlighted is not None
            and active is not None
            and active.binding.action == "select"
        ):
            self._choosing = True  # (the choice comes as a message, behind the next keys)

    def release_keys(self) -> None:
        self._choosing = self._marking = False  # (should they never end: HOLD_LIMIT)
        super().release_keys()

    def _marks_written(self) -> None:
        """`A`'s write is done (or failed): the keys typed after it go on, once the list
        read again (if it was) is shown."""
        if self._marking:
            self._marking = False
            if self._shown_query == self.full_query():
                self.release_keys()

    def action_search(self) -> None:
        self.search_bar.show()

    @on(FindBar.Changed)
    def _search_changed(self, event: FindBar.Changed) -> None:
        """The text changed: searched once the changes already queued are handled. Keys that
        come together (a paste without bracketed paste is a key a character) ask for one
        search, not one each: 6,300 searches asked for, each cancelling every older one still
        queued, held the screen 40 s."""
        self.search_text = event.value
        if not self._typed:
            self._typed = True
            self.call_later(self._search_typed)

    def _search_typed(self) -> None:
        self._typed = False
        self.rerun()

    @on(FindBar.Dismissed)
    def _search_dismissed(self, event: FindBar.Dismissed) -> None:
        """Escape in the bar: back to the list, the filter kept (escape there clears it)."""
        if not event.value:
            self.search_bar.hide()
        self.headlines.focus()

    @on(FindBar.Submitted)
    def _search_submitted(self) -> None:
        self.search_bar.remember()
        self.headlines.focus()

    @on(SearchBar.SaveRequested)
    def _save_requested(self, event: SearchBar.SaveRequested) -> None:
        """Ctrl+s in the search bar: name the query (within the scope shown) and save it."""
        self.search_bar.remember()
        # What the list shows: the last word as typed is a prefix ("berl" lists berl*).
        query = self.scope.combine(as_you_type(event.value))

        def save(name: str) -> None:
            self.writer.submit(
                lambda store: not store.save_search(name, query),  # True: one was replaced
                lambda replaced: self.notify(
                    f"{'Replaced' if replaced else 'Saved'} search {name!r}: {query}"
                ),
                weight=AN_OTHER,
            )

        def named(name: str | None) -> None:
            if not name:
                return
            taken = self.store.saved_query(name)
            if taken is None or taken == query:
                save(name)
                return
            # (it was replaced at once: a saved search lost to a name typed again)
            question = f"Replace the saved search {clean_line(name)!r} ({clean_line(taken)})?"
            self.app.push_screen(Confirm(question), lambda yes: save(name) if yes else None)

        self.app.push_screen(Prompt("Save this search as", suggest_name(query)), named)

    def action_clear(self) -> None:
        """Escape in the list: clear the search; then go back to every article."""
        if self.search_text or self.search_bar.value:
            self.search_bar.value = ""
            self.search_bar.hide()
            self.search_text = ""
            self.rerun()
        elif self.scope.kind != ScopeKind.ALL:
            self.scope = Scope()
        elif self.unread_only:
            self.unread_only = False

    def show_scope(self, scope: Scope) -> None:
        """Show a feed's, a folder's or a saved search's articles (from the feed list)."""
        self.search_bar.value = ""
        self.search_bar.hide()
        self.search_text = ""
        if scope == self.scope:
            self.rerun()
        self.scope = scope

    # -- moving -----------------------------------------------------------------------------
    def action_step(self, step: int) -> None:
        """Next or previous match: every row listed is one, so the next row."""
        self.headlines.cursor += step

    def _next_unread_index(
        self, step: int, start: int | None = None, stop: int | None = None
    ) -> int | None:
        """The list index of the next (or previous) unread article after ``start`` (the
        cursor), short of ``stop`` (the end of the list that way)."""
        ids = self.headlines.ids
        position = self.headlines.cursor if start is None else start
        end = (len(ids) if step > 0 else -1) if stop is None else stop
        while True:
            lo = position + 1 if step > 0 else max(position - SCAN, end + 1)
            hi = min(position + 1 + SCAN, end) if step > 0 else position
            if lo >= hi:
                return None
            chunk = ids[lo:hi]
            unread = set(self.store.unread_among(chunk))
            order = range(len(chunk)) if step > 0 else range(len(chunk) - 1, -1, -1)
            for i in order:
                if chunk[i] in unread:
                    return lo + i
            position = hi - 1 if step > 0 else lo

    def _to_next_unread(self, step: int) -> None:
        """To the next (or previous) unread article; past the last, from the other end of the
        list, as newsboat does, and said."""
        found = self._next_unread_index(step)
        if found is not None:
            self.headlines.cursor = found
            return
        cursor = self.headlines.cursor
        start = -1 if step > 0 else len(self.headlines.ids)
        found = self._next_unread_index(step, start, stop=cursor)
        if found is not None:
            self.headlines.cursor = found
            self.notify(
                "Wrapped to the top: no unread article below."
                if step > 0
                else "Wrapped to the bottom: no unread article above."
            )
            return
        current = self.headlines.current
        alone = current is not None and not current.read
        self.notify("No other unread article." if alone else "No unread article.")

    def action_next_unread(self, step: int) -> None:
        self._to_next_unread(step)

    def action_read_next(self) -> None:
        """Mark this article read and go to the next unread one."""
        article = self.headlines.current
        if article is None:
            return
        if not article.read:
            self._set_state(article.rowid, read=True)
        self._to_next_unread(1)

    def follow(self, rowid: int | None) -> None:
        """Back from an article: the cursor follows it, rows show their new state."""
        if rowid is not None and rowid in self.headlines.ids:
            self.headlines.cursor = self.headlines.ids.index(rowid)
        self.headlines.forget_rows()
        self.refresh_sources()
        self.recount()  # (the article's marks)
        self.update_status()

    # -- state ------------------------------------------------------------------------------
    def _set_state(self, rowid: int, read: bool | None = None, starred: bool | None = None) -> None:
        """Change one article's state: at once on screen, written in the background."""
        article = self.headlines.article_at(self.headlines.ids.index(rowid))
        if article is None:
            return
        new = replace(
            article,
            read=article.read if read is None else read,
            starred=article.starred if starred is None else starred,
        )
        self.headlines.update_article(new, pending=True)
        if new.read != article.read and self._unread is not None:
            self._unread += 1 if article.read else -1  # at once, as the row; counted after
            self._adjusted = self._count_serial
            self.update_status()

        def write(store: FeedStore) -> None:
            store.mark(new.uid, read, starred)

        def done(_: object) -> None:
            self.headlines.written(rowid)
            self.refresh_sources()
            self.recount()

        def failed() -> None:  # (said by the app): the row shows the store's state again
            self.headlines.written(rowid)
            self.recount()

        self.writer.submit(write, done, failed, weight=a_mark(rowid))

    def action_toggle_read(self) -> None:
        if (article := self.headlines.current) is not None:
            self._set_state(article.rowid, read=not article.read)

    def action_toggle_star(self) -> None:
        if (article := self.headlines.current) is not None:
            self._set_state(article.rowid, starred=not article.starred)

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only

    def action_mark_all_read(self) -> None:
        """Mark every article of the list as shown read; ask first when that is more than
        one screenful. Only what is listed now: articles that come in while the question is
        on screen stay unread."""
        query = self.full_query()
        shown, complete = self.found
        if not shown:
            return
        listed = self.headlines.ids  # replaced whole by the list, never changed: a snapshot
        # the full list still being read: the query's ids, read now
        pending = None if complete else IdSnapshot(self.store, query)

        def mark(yes: bool | None = True) -> None:
            if yes:
                self._marking = True
                self.writer.submit(
                    lambda store: store.set_read(listed if pending is None else pending.ids()),
                    lambda n: self._marked(int(n)),
                    self._marks_written,
                    weight=marks_of(listed) if pending is None else pending.weight(shown),
                )

        if shown > max(self.headlines.size.height, 1):
            many = f"{shown:,}{'' if complete else '+'}"
            self.app.push_screen(Confirm(f"Mark the {many} articles listed read?"), mark)
        else:
            mark()

    def _marked(self, count: int) -> None:
        self.notify(f"{plural(count, 'article')} marked read")
        again = self.store.matches_change(self.full_query(), Change.MARKS)
        if again:
            self.rerun()  # (marks alone keep the rows: a list marked whole is asked again)
        self.store_changed()
        if again:
            self._marking = False  # (the keys held go on with the list read again)
        else:
            self._marks_written()

    @on(HeadlineList.Highlighted)
    def _highlighted(self, event: HeadlineList.Highlighted) -> None:
        if event.article is not None:
            self.state.positions[self.key] = event.article.uid

    # -- articles ---------------------------------------------------------------------------
    def action_quit(self) -> None:
        """Quit (a `q` typed while an article opens is held for it: ``on_key``)."""
        self.app.leave()  # type: ignore[attr-defined]

    def on_screen_suspend(self) -> None:
        self.headlines.opening_since = None  # the article's screen is over this one now
        self.release_keys()  # (keys typed while it opened are its own)

    def on_screen_resume(self) -> None:
        self.headlines.opening_since = None

    @on(HeadlineList.Selected)
    def _open(self, event: HeadlineList.Selected) -> None:
        hl = self.headlines
        self.post_message(OpenArticle(hl.ids, hl.cursor, hl.terms))  # (the search's words)
