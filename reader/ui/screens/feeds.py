"""FeedsScreen: the feed list. Every subscription (in its folder) and saved search with its
unread/total counts, the last refresh and the last error; enter opens one's headlines."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from reader.store import Change, FeedStore, QueryError
from reader.store.articles import SourceCount
from reader.store.saved import SavedSearch
from reader.store.subscriptions import SharedCount, Subscription
from reader.ui.messages import OpenScope
from reader.ui.screens.confirm import Confirm
from reader.ui.screens.holding import HoldsKeys
from reader.ui.screens.once import LeavesOnce
from reader.ui.snapshot import IdSnapshot
from reader.ui.state import UiState
from reader.ui.text import plural
from reader.ui.widgets.feed_tree import Entry, EntryKind, FeedTree, entries
from reader.ui.widgets.find_bar import keys_in_order
from reader.ui.widgets.footer import Footer
from reader.ui.writer import AN_OTHER, StoreWriter

SHOW_AFTER = 0.05  # seconds of counting after which the list is shown before saved searches
HOLD_LIMIT = 5.0  # seconds keys typed before the rows are shown wait for them


class FeedsScreen(LeavesOnce, HoldsKeys, Screen[None]):
    """Subscriptions and saved searches; mark one read, or everything; open one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,l", "open", "Open", id="feeds.open", tooltip="Show its headlines"),
        Binding("A", "mark_read", "Mark read", id="feeds.mark_read",
                tooltip="Mark every article of the feed, folder or search read"),
        Binding("C", "mark_everything_read", "All read", id="feeds.mark_everything_read",
                tooltip="Mark every article read (asks first)"),
        Binding("space", "toggle_folder", "Fold", id="feeds.toggle_folder",
                tooltip="Fold or unfold the folder under the cursor (on a feed, its folder)"),
        Binding("F", "toggle_full_text", "Full text", show=False, id="feeds.toggle_full_text",
                tooltip="Fetch each new item's page for its full text (teaser feeds), or not"),
        Binding("j", "cursor(1)", "Down", show=False, id="feeds.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="feeds.up"),
        Binding("g,home", "edge(0)", "First", show=False, id="feeds.first"),
        Binding("G,end", "edge(1)", "Last", show=False, id="feeds.last"),
        Binding("escape,q,h", "back", "Back", id="feeds.back", tooltip="Back to the headlines"),
    ]  # fmt: skip
    """Keys of the feed list (newsboat's A and C)."""

    @dataclass
    class Counts(Message):
        """The subscriptions, saved searches and sources with their counts, read in a worker."""

        subscriptions: list[Subscription]
        searches: list[SavedSearch]
        sources: list[SourceCount]
        everything: tuple[int, int]
        shared: list[SharedCount] = field(default_factory=list)  # carried twice: folders' sums

    def __init__(
        self, store: FeedStore, writer: StoreWriter, state: UiState | None = None, key: str = ""
    ) -> None:
        """``state`` (shared with the app, which saves it) keeps the folded folders between
        sessions under ``key``, the database's name."""
        super().__init__()
        self.store = store
        self.writer = writer
        self.state = state if state is not None else UiState()
        self.key = key
        self._counted: dict[str, SavedSearch] = {}  # saved searches' last counts, by name
        self._everything: tuple[int, int] | None = None  # every article, the unread ones
        self._rows: list[tuple[str, Entry]] | None = None  # what the tree shows, for resizes
        self._shared: list[SharedCount] = []  # with it: articles two of its feeds carry
        self._ready = False  # the rows are shown and numbered: keys for them can act

    def compose(self) -> ComposeResult:
        tree = FeedTree("feeds", id="feed-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static(id="feed-detail", markup=False)
        yield Footer(compact=True)

    @property
    def feed_tree(self) -> FeedTree:
        """The list."""
        return self.query_one(FeedTree)

    def on_mount(self) -> None:
        if not self.query(FeedTree):
            return  # taken down before it was shown (`f q q` in one burst quits first)
        self.feed_tree.folded = set(self.state.folds.get(self.key, []))
        self.feed_tree.first_row = self.state.feed_rows.get(self.key)
        self.feed_tree.border_title = "reading counts…"  # not an empty box meanwhile
        self.query_one("#feed-detail", Static).update(Content("reading counts…"))
        self.reload()
        self.feed_tree.focus()

    @work(thread=True, exclusive=True, group="feed-counts", exit_on_error=False)
    def reload(self) -> None:
        """Read the counts off the UI thread.

        Saved searches are counted last, one by one: when that takes a while (a common word
        over 100,000 articles is tens of milliseconds), the list is shown first with their
        last counts (… for a search not counted yet), and again once every count is read.
        """
        store = self.store
        started = time.monotonic()
        try:
            with self.store.db.background():  # (close() waits: it closed connections in use)
                subscriptions = store.subscriptions()
                sources = store.sources()
                everything = store.count_matches("")
                shared = store.shared_articles()
                fresh = store.saved_searches(counts=False)
                known = self._counted  # replaced whole on the UI thread: safe to read here
                # Until counted again, a saved search shows its last counts (… if it has none):
                # a list re-read after every change must not flicker.
                searches = [
                    known[s.name] if s.name in known and known[s.name].query == s.query else s
                    for s in fresh
                ]
                shown = False
                for i, search in enumerate(fresh):
                    if not shown and time.monotonic() - started > SHOW_AFTER:
                        self.post_message(
                            self.Counts(subscriptions, list(searches), sources, everything, shared)
                        )
                        shown = True
                    searches[i] = store.count_saved(search)
                    if get_current_worker().is_cancelled:
                        return
                self.post_message(self.Counts(subscriptions, searches, sources, everything, shared))
                store.save_counts()  # for the next process (never waits for another writer)
        finally:
            self.store.db.release()

    @on(Counts)
    def _counts(self, message: Counts) -> None:
        self._counted = {s.name: s for s in message.searches if s.counted}
        self._everything = message.everything
        rows = entries(message.subscriptions, message.searches, message.sources, message.everything)
        self._rows = rows
        self._shared = message.shared
        self._show(rows, self.size.width)
        failing = sum(1 for s in message.subscriptions if s.error)
        self.feed_tree.border_title = (
            f"{plural(len(message.subscriptions), 'feed')}, "
            f"{plural(len(message.searches), 'saved search', 'saved searches')}"
            + (f"  ·  {failing} failing" if failing else "")
            + "  ·  unread/total"
        )
        self._detail(self.feed_tree.cursor_node.data if self.feed_tree.cursor_node else None)

    def _show(self, rows: list[tuple[str, Entry]], width: int) -> None:
        """Lay the rows out; keys wait until the tree has numbered them (``show``)."""
        self._ready = False
        self.feed_tree.show(rows, width, self._shared)
        self.feed_tree.call_after_refresh(self._rows_ready)

    def _rows_ready(self) -> None:
        """The rows are shown and numbered, the cursor on its row: keys held go on."""
        self._ready = True
        if self.holding:
            self.release_keys()

    async def on_key(self, event: events.Key) -> None:
        """Keys typed before the rows are shown are held for them (`f j j A` in one burst
        moved the cursor of an empty list, then marked the first row read), also while the
        rows are laid out again; then keys typed together act in their order."""
        if not self._ready or self.holding:  # (also keys sent on from the headlines)
            self.hold(event, HOLD_LIMIT)
            return
        await keys_in_order(self, event)

    def on_resize(self, event: events.Resize) -> None:
        """Names are cut to the width, counts aligned after them: lay the rows out again."""
        if self._rows is not None:
            self._show(self._rows, event.size.width)

    def store_changed(self, change: Change = Change.CONTENT) -> None:
        """A refresh or another process changed the store: counts follow. Every kind of
        change, ``Change.NONE`` included: a feed's state (fetched, failing) is shown here."""
        if self.is_mounted:  # (not while it is being taken down)
            self.reload()

    @on(Tree.NodeExpanded)
    @on(Tree.NodeCollapsed)
    def _folded(self) -> None:
        """A folder folded or unfolded (the key, a click on its arrow): kept for the next
        session."""
        folded = sorted(self.feed_tree.folded_now())
        if folded != self.state.folds.get(self.key, []):
            self.state.folds[self.key] = folded

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        self._detail(event.node.data)

    def _detail(self, entry: Entry | None) -> None:
        text = "" if entry is None else f"{entry.scope.label}  ·  {entry.detail}"
        detail = self.query_one("#feed-detail", Static)
        detail.update(Content(text))
        detail.set_class(entry is not None and entry.failing, "-error")

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[Entry]) -> None:
        event.stop()
        self._open(event.node)

    def action_open(self) -> None:
        if self.feed_tree.cursor_node is not None:
            self._open(self.feed_tree.cursor_node)

    def _open(self, node: TreeNode[Entry]) -> None:
        """Show the row's headlines; the list shown again later starts on this row (it
        started on "all articles"). "Other sources" and "Saved searches" have no list of
        their own: folded or unfolded (enter did nothing at all)."""
        if node.data is None:
            self.feed_tree.toggle_folder()
            return
        self.state.feed_rows[self.key] = node.data.key
        self.post_message(OpenScope(node.data.scope))

    def action_mark_read(self) -> None:
        node = self.feed_tree.cursor_node
        if node is None or node.data is None:
            return
        entry = node.data
        query = entry.scope.query
        # What the row holds now: articles that come in while the question is asked stay unread
        listed = IdSnapshot(self.store, f"({query}) is:unread" if query else "is:unread")

        def mark(yes: bool | None = True) -> None:
            if yes:
                self.writer.submit(
                    lambda store: store.set_read(listed.ids()),
                    lambda n: self._marked(entry, n),
                    weight=listed.weight(unread),
                )

        # As in the headlines: more unread articles than a screenful is asked about first. A
        # saved search's row may not be counted yet, or show its last counts: counted now
        # (remembered by the store until the database changes).
        unread = entry.unread
        if entry.kind == EntryKind.SEARCH:
            try:
                unread = self.store.count_matches(query)[1]
            except QueryError:
                unread = 0
        if unread > max(self.size.height, 1):
            label = "every feed" if entry.kind == EntryKind.ALL else entry.scope.label
            question = f"Mark the {plural(unread, 'unread article')} of {label} read?"
            self.app.push_screen(Confirm(question), mark)
        else:
            mark()

    def action_toggle_full_text(self) -> None:
        node = self.feed_tree.cursor_node
        if node is None or node.data is None or node.data.kind != EntryKind.FEED:
            self.notify("Full text is a switch of one feed: choose a feed.")
            return
        entry = node.data
        url, on = entry.key.removeprefix("feed:"), not entry.full_text

        def done(_: object) -> None:
            what = "new items' pages fetched for their full text" if on else "the feed's own text"
            self.notify(f"{entry.scope.label}: {what}")
            self.reload()

        self.writer.submit(lambda store: store.set_full_text(url, on), done, weight=AN_OTHER)

    def action_mark_everything_read(self) -> None:
        listed = IdSnapshot(self.store, "is:unread")  # what comes in meanwhile stays unread

        unread = self._everything[1] if self._everything else None

        def answer(yes: bool | None) -> None:
            if yes:
                self.writer.submit(
                    lambda store: store.set_read(listed.ids()),
                    lambda n: self._marked(None, n),
                    weight=listed.weight(unread),
                )

        what = "every article" if unread is None else f"all {plural(unread, 'unread article')}"
        where = "in every feed and indexed folder"  # (everything: files indexed too)
        self.app.push_screen(Confirm(f"Mark {what} read, {where}?", enter=False), answer)

    def _marked(self, entry: Entry | None, count: object) -> None:
        where = "" if entry is None or entry.kind == EntryKind.ALL else f" in {entry.scope.label}"
        self.notify(f"{plural(int(count), 'article')} marked read{where}")  # type: ignore[call-overload]
        self.reload()

    def action_toggle_folder(self) -> None:
        self.feed_tree.toggle_folder()

    def action_cursor(self, step: int) -> None:
        if step > 0:
            self.feed_tree.action_cursor_down()
        else:
            self.feed_tree.action_cursor_up()

    def action_edge(self, last: int) -> None:
        if last:  # the tree's own actions scroll the row fully into view
            self.feed_tree.action_scroll_end()
        else:
            self.feed_tree.action_scroll_home()

    def action_back(self) -> None:
        self.dismiss()
