"""NewsReader: the Textual application.

The app owns the store, the writer thread and the background work (indexing, refreshing,
extracting). Screens are given the store and the writer; they never import each other but post
``OpenArticle``, ``OpenEntity`` and ``OpenScope`` messages, which the app answers. Changes made
by background work or by another process (a refresh from cron) are noticed through SQLite's
``data_version`` and passed to the screens that show counts.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from reader.keymap_ids import NO_KEY
from reader.store import FeedStore, background_priority
from reader.store.database import DamagedDatabase, translate
from reader.store.fetch import FetchSettings
from reader.textutil import plural
from reader.ui.collector import Collector
from reader.ui.messages import (
    OpenArticle,
    OpenEntity,
    OpenScope,
    WorkFailed,
    WorkFinished,
    WorkProgress,
)
from reader.ui.screens.article import ArticleScreen, BlockScroll
from reader.ui.screens.entity import EntityScreen
from reader.ui.screens.feeds import FeedsScreen
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.screens.help import Group, HelpScreen
from reader.ui.screens.holding import key_sender
from reader.ui.screens.links import LinksScreen
from reader.ui.state import UiState
from reader.ui.taken_keys import effective_keymap
from reader.ui.text import fit
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.sources_panel import SourcesPanel
from reader.ui.writer import StoreWriter, Unsaved, WriteDone, WriteFailed, failure_reason

DARK_PALETTE = {
    "entity-person": "#e5a50a",
    "entity-org": "#3d9be9",
    "entity-place": "#2ec27e",
    "entity-date": "#c061cb",
    "entity-money": "#e66100",
}
LIGHT_PALETTE = {
    "entity-person": "#8a5a00",
    "entity-org": "#0b5cad",
    "entity-place": "#1a7f37",
    "entity-date": "#8250df",
    "entity-money": "#bc4c00",
}
# With NO_COLOR (no-color.org) the terminal shows the palette as greys a step apart: the
# kinds of entity are told apart by the type's decoration too (bold for every one).
NO_COLOR_MARKS = {"entity-org": "underline", "entity-place": "italic", "entity-date": "dim"}
QUIT_WAIT = 3.0  # seconds quitting waits for marks that another process's write lock holds up
WATCH_SECONDS = 2.0  # how often the reader looks for changes made by other processes
FAILURE_SECONDS = 10.0  # a refresh's new failures: the toast, and the status line's reasons
SLOW_SECONDS = 3.0  # a refresh that has not moved for this long names the feeds it waits for
LOCK_WAIT = "waiting for another process's write to the database"


class NewsReader(App[int]):
    """Headlines, articles with highlighted entities, search, the feed list, triage."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, id="app.quit"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="List the keys"),
        Binding("f", "feeds", "Feeds", id="app.feeds",
                tooltip="The feed list: subscriptions and saved searches with their counts"),
        Binding("R", "refresh_feeds", "Refresh", show=False, id="app.refresh_feeds",
                tooltip="Fetch every subscription now (conditional GET)"),
        # (Textual's own hint for ctrl+c never showed: the screen's copy binding took the key)
        Binding("ctrl+c", "copy_or_quit_hint", show=False, priority=True, system=True),
    ]  # fmt: skip
    """App-wide keys."""

    HELP_GROUPS: ClassVar[list[Group]] = [
        ("Headlines", [HeadlinesScreen, HeadlineList]),
        ("Sources panel (p in the headlines)", [SourcesPanel]),
        ("Search bar", [SearchBar]),
        ("Article", [ArticleScreen, BlockScroll]),
        ("Find in the article", [FindBar]),
        ("Entity panel (e in an article; q or escape closes it)", [EntityPanel]),
        ("Links", [LinksScreen]),
        ("Entity", [EntityScreen]),
        ("Feed list", [FeedsScreen]),
        ("Everywhere", []),  # filled in __init__: the app's own class is not defined yet
    ]
    """What the help screen lists, per screen."""

    def __init__(
        self,
        db_path: str | Path | None = None,
        sources: Sequence[str] = (),
        keymap: dict[str, str] | None = None,
        theme_name: str | None = None,
        refresh: bool = False,
        *,
        store: FeedStore | None = None,
        sample: bool = False,
        user_db: Path | None = None,
        refresh_minutes: float | None = None,
        warnings: Sequence[str] = (),
        state: UiState | None = None,
    ) -> None:
        super().__init__()
        if store is None:
            if db_path is None:
                raise ValueError("NewsReader needs a store or a db_path")
            store = FeedStore(db_path)
        self.store = store
        self.sources = list(sources)
        self.refresh_on_start = refresh
        self.user_keymap = dict(keymap or {})
        # the user's keys, and the defaults' less the keys the user's took ("": none left)
        self.keymap = effective_keymap(self.user_keymap, key_scopes())
        self.theme_name = theme_name
        self.sample = sample
        self.refresh_minutes = refresh_minutes
        self.warnings = list(warnings)
        self.fatal: str | None = None  # why the reader ended early (one line), if it did
        self._waited = False  # quitting waited QUIT_WAIT for marks being written
        self._leaving: float | None = None  # when quitting was asked for (leave)
        self._leave_now = False  # asked again while waiting: without the marks unwritten
        self._exiting = False  # exit() was called: the screens are being taken down
        self._failures_seen = 0  # the writer's failures said as toasts before quitting
        self._marks_wait_said = False  # the writer's present wait for the lock was said
        self._failed_feeds: set[str] = set()  # the feeds the status line says failed (addresses)
        self._failed_line: Timer | None = None  # takes the status line's "failed: …" away
        self._clashes_said: set[tuple[str, ...]] = set()
        self.state = state if state is not None else UiState.load()
        if self.state.problem:
            self.warnings.append(self.state.problem)
        self.writer = StoreWriter(store, self.post_message)
        self._data_version = -1
        self._checkpoint = store.checkpoint()  # what the screens were last told of
        self.collector = Collector()
        self.help_groups = [
            (title, [NewsReader] if title == "Everywhere" else classes)
            for title, classes in self.HELP_GROUPS
        ]
        self.fetching = False  # an index or a refresh runs in the background
        # the feeds the refresh has still to fetch (names, set by its thread), and its last
        # progress (when it came): a refresh that stops moving says what it waits for
        self._waiting: list[str] = []
        self._last_progress: tuple[WorkProgress, float] | None = None
        self.user_db = user_db  # with the sample: the user's database, empty when it opened
        # its file's and its log's (size, mtime) when last asked
        self._user_db_seen: tuple[tuple[int, int], tuple[int, int]] | None = None
        self._user_db_said = False
        self.reopen = False  # quit to open the user's database instead of the sample
        if sample:
            self.sub_title = "the bundled sample (add yours: newsreader add URL, or index FOLDER)"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Entity and match colours, darker on light themes; any theme may override them."""
        try:
            dark = self.current_theme.dark
        except Exception:  # no theme chosen yet
            dark = True
        palette = DARK_PALETTE if dark else LIGHT_PALETTE
        if os.environ.get("NO_COLOR"):
            palette = {
                name: f"{colour} {NO_COLOR_MARKS[name]}" if name in NO_COLOR_MARKS else colour
                for name, colour in palette.items()
            }
        return {**palette, "search-match": "black on #f5c211", "search-current": "black on #ff7800"}

    def get_default_screen(self) -> Screen:
        return HeadlinesScreen(self.store, self.writer, self.state, self.state_key)

    @property
    def headlines(self) -> HeadlinesScreen:
        """The headlines screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, HeadlinesScreen)
        return screen

    async def on_event(self, event: events.Event) -> None:
        """A key typed while keys held for a screen are still being sent on goes behind
        them (``KeySender``): otherwise it would act before keys typed earlier."""
        if type(event) is events.Key and not event.is_forwarded and key_sender(self).queue(event):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.set_keymap({ident: keys or NO_KEY for ident, keys in self.keymap.items()})
        # --theme or the config's theme, else the one last picked (the command palette)
        if self.theme_name and self.theme_name in self.available_themes:
            self.theme = self.theme_name
        elif self.state.theme is not None and self.state.theme in self.available_themes:
            self.theme = self.state.theme
        self._theme_chosen = True  # from now on a change of theme is the user's: kept
        for warning in self.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self._data_version = self._version()
        self.set_interval(WATCH_SECONDS, self._watch_store)
        if self.sample and self.user_db is not None:
            self.set_interval(WATCH_SECONDS, self._watch_user_db)
        if self.refresh_minutes:
            self.set_interval(self.refresh_minutes * 60, self._scheduled_refresh)
        self.set_interval(1.0, self._name_the_slow)
        self.set_interval(1.0, self._say_marks_waiting)
        refresh = self.refresh_on_start
        if refresh and not self.store.db.writable:  # (it would fetch every feed, then say so)
            refresh = False
            self.notify("The database is read-only: feeds are not refreshed.", severity="warning")
        self.background_work(index=bool(self.sources), refresh=refresh)
        # After the first paint, the objects of Textual, Rich and the screens (alive for the
        # whole session) move out of the garbage collector's reach, and its full collections
        # of the rest come often and small: they were the reader's worst keystrokes
        # (reader.ui.collector).
        self.call_after_refresh(self.collector.start)

    _theme_chosen = False

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the reader (ctrl+p, theme) is kept for the next session."""
        if self._theme_chosen:
            self.state.theme = theme

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: object) -> None:
        """Textual found a key bound twice. The start-up check (``keymap_problems``) has
        already said so for the keymap's own clashes; anything else is said once. A binding
        the keymap gives one of its own keys (``j,down`` left with ``down``) is none: Textual
        counts it as clashing with itself."""
        clashed = [
            b for b in clashed_bindings if b.key not in self.keymap.get(b.id or "", "").split(",")
        ]
        if not clashed:
            return
        ids = sorted(b.id or b.action for b in clashed)
        said = " ".join(self.warnings)
        if all(i in said for i in ids) or tuple(ids) in self._clashes_said:
            return
        self._clashes_said.add(tuple(ids))
        keys = ", ".join(sorted({b.key for b in clashed}))
        self.notify(f"keymap: {keys} bound to {' and '.join(ids)}", severity="warning")

    @property
    def state_key(self) -> str:
        """What names this database in the state file (positions, folds, failures said): its
        full path, however ``--db`` was typed (``feeds.db`` from one folder and the same file
        by its full path from another were two databases there)."""
        return str(self.store.path.resolve())

    # -- background work --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="work", exit_on_error=False)
    def background_work(self, index: bool = False, refresh: bool = False) -> None:
        """Index the SOURCEs, refresh subscriptions, then extract entities, off the UI thread.

        Articles are listed and readable before their entities are ready; one opened before
        its turn gets its entities computed on demand.
        """

        stage = "indexing" if index else "refreshing" if refresh else "entities"
        fetching = index or refresh
        reported: set[str] = set()  # the stages whose progress the status line was given
        if fetching:
            self.fetching = True

        def progress(
            label: str, pending: set[str] | None = None, names: dict[str, str | None] | None = None
        ) -> Callable[[int, int], None]:
            nonlocal stage
            stage = label

            def report(done: int, total: int) -> None:
                if pending is not None:  # (called by the thread that changes it)
                    named = names or {}
                    self._waiting = [
                        named[url] or _last_part(url) for url in named if url in pending
                    ] + [_last_part(url) for url in sorted(pending.difference(named))]
                reported.add(label)
                self.post_message(WorkProgress(label, done, total))

            return report

        try:
            # close() waits for all of it: it closed this thread's connection while the
            # bookkeeping after a refresh it had stopped still used it (a segmentation fault
            # at quitting). The worker processes this thread starts run at a lower priority:
            # on a busy machine the screen gets the CPU first.
            with self.store.db.background(), background_priority():
                if index:
                    report = self.store.index(self.sources, progress("indexing"))
                    failed = [(Path(path).name, reason) for path, reason in report.failed]
                    self.post_message(WorkFinished("indexing", report.summary(), failed))
                if refresh:
                    known = {s.url: s.name or s.title for s in self.store.subscriptions()}
                    pending: set[str] = set()
                    try:
                        fetched = self.store.refresh(
                            (), progress("refreshing", pending, known), pending=pending
                        )
                    finally:
                        self._waiting = []
                    # (by the names before too: a feed that moved is named by its old address)
                    names = known | {s.url: s.name or s.title for s in self.store.subscriptions()}
                    failed = [
                        (names.get(url) or _last_part(url), reason)
                        for url, reason in fetched.failed
                    ]
                    # (a feed moved to a new address: said too; other warnings are for the
                    # command line, where they are not said again at every scheduled refresh)
                    warned = [(names.get(u) or _last_part(u), why) for u, why in fetched.moved]
                    urls = [url for url, _ in fetched.failed]
                    self.post_message(
                        WorkFinished("refreshing", fetched.summary(), failed, warned, urls)
                    )
                if fetching:
                    self.fetching = False  # (R may fetch again while the entities are read)
                self.store.db.check_open()  # (closing: no worker process started for nothing)
                # One spawned worker extracts and writes: this process keeps its interpreter and
                # its memory for the screen, and a core for itself; entity searches keep their
                # index meanwhile (a bulk run drops it, and they would scan every mention).
                extracted = self.store.extract_entities(progress("entities"), workers=1, bulk=False)
                if extracted or "entities" in reported:
                    # (also when another process extracted them all meanwhile: an `index`
                    # run beside the reader left "entities 0/7,000" on its status line)
                    self.post_message(
                        WorkFinished("entities", f"entities of {extracted} articles", [])
                    )
        except Exception as exc:  # said, never a status line left on "refreshing 9/9"
            self.post_message(WorkFailed(stage, failure_reason(exc, self.store.path)))
        finally:
            if fetching:
                self.fetching = False
            self.store.db.release()

    def action_refresh_feeds(self) -> None:
        if self.sample:
            self._leave_sample()
            return
        if self.fetching:  # (a thread worker cannot be cancelled: a second would fetch again)
            waiting = self._waiting
            if self._held_by_another():
                self.notify(f"Already refreshing: {LOCK_WAIT}.")
            elif waiting:
                self.notify(
                    f"Already refreshing: waiting for {_names(waiting, 3)} ({_limit()})",
                    markup=False,
                )
            else:
                self.notify("Already refreshing: the feeds are being fetched.")
            return
        if not self.store.subscriptions():
            self.notify("No subscriptions: add one with `newsreader add URL`.")
            return
        self.fetching = True  # at once: a second R before the worker starts is said too
        self.notify("Refreshing feeds…")
        self.background_work(refresh=True)

    def _user_db_filled(self) -> bool:
        """Whether the user's database (shown the sample instead) holds articles or
        subscriptions now; asked again only when its file or its write-ahead log changed
        (a process that keeps the database open commits into the log alone)."""
        if self.user_db is None:
            return False
        seen = []
        for path in (self.user_db, Path(f"{self.user_db}-wal")):
            try:
                stat = path.stat()
            except OSError:
                seen.append((0, 0))
            else:
                seen.append((stat.st_size, stat.st_mtime_ns))
        if tuple(seen) == self._user_db_seen:
            return self._user_db_said
        filled = FeedStore.holds_anything(self.user_db)
        if filled is None:
            return False  # not made yet, being made, or locked: asked again at the next look
        self._user_db_seen = (seen[0], seen[1])
        return filled

    def _watch_user_db(self) -> None:
        """With the sample on screen: say once when the user's database has something."""
        if self._user_db_said or not self._user_db_filled():
            return
        self._user_db_said = True
        key = self._keys_of(lambda b: b.id == "app.refresh_feeds") or "R"
        self.notify(
            f"Your database has articles now: press {key} to open it.", timeout=15, markup=False
        )

    def _leave_sample(self) -> None:
        """``R`` on the sample: open the user's database if it has something, else say how
        to fill it."""
        if self._user_db_said or self._user_db_filled():
            self.reopen = True
            self.leave()
            return
        where = f" ({self.user_db})" if self.user_db is not None else ""
        self.notify(
            f"This is the bundled sample; your database{where} is still empty: "
            "`newsreader add URL` or `newsreader index FOLDER` fills it.",
            markup=False,
        )

    def _scheduled_refresh(self) -> None:
        """``refresh_minutes``: refresh in the background unless work is running."""
        if self.store.db.writable and not any(
            w.group == "work" and w.is_running for w in self.workers
        ):
            self.background_work(refresh=bool(self.store.subscriptions()))

    @on(WorkProgress)
    def _progress(self, message: WorkProgress) -> None:
        if not self.screen_stack:
            return  # quitting while the worker still reports
        self._last_progress = (message, time.monotonic())
        self.headlines.progress = _progress_line(message)
        self._changed(throttle=True)

    def _name_the_slow(self) -> None:
        """A refresh that has not moved for ``SLOW_SECONDS`` names the feeds it waits for in
        the status line ("refreshing 13/14  ·  waiting for Slow feed (30 s limit)")."""
        if not self.fetching or self._last_progress is None or not self.screen_stack:
            return
        message, at = self._last_progress
        waiting = self._waiting
        if (
            message.label not in ("refreshing", "indexing")
            or time.monotonic() - at < SLOW_SECONDS
            or not self.headlines.progress.startswith(_progress_line(message))
        ):
            return
        if self._held_by_another():
            self.headlines.progress = f"{_progress_line(message)}  ·  {LOCK_WAIT}"
        elif waiting and message.label == "refreshing":
            line = f"{_progress_line(message)}  ·  waiting for {_names(waiting, 2)} ({_limit()})"
            self.headlines.progress = line

    def _say_marks_waiting(self) -> None:
        """Once a write of the user's (a mark, a saved search) has waited ``SLOW_SECONDS``
        for another process's write lock, say so, once a wait: `A y` while an index runs
        from cron changed nothing on screen until written, and said nothing unless a
        refresh was running too (its status line names the wait)."""
        waited = self.writer.lock_wait()
        if waited is None or waited < SLOW_SECONDS:
            self._marks_wait_said = False
            return
        if self._marks_wait_said or self._leaving is not None or not self.screen_stack:
            return  # (the quit wait says it its own way)
        self._marks_wait_said = True
        self.notify(f"Your changes are {LOCK_WAIT}…", timeout=10)

    def _held_by_another(self) -> bool:
        """Whether a write of this reader has waited ``SLOW_SECONDS`` for another process's
        write lock (an index or a refresh from cron writing the same database)."""
        waited = self.store.db.longest_lock_wait()
        return waited is not None and waited >= SLOW_SECONDS

    @on(WorkFinished)
    def _finished(self, message: WorkFinished) -> None:
        if not self.screen_stack:
            return
        failures = message.failures
        failed_feeds = message.failed_feeds
        told = 0  # failures already said (at an earlier refresh, or in an earlier session)
        if message.label == "refreshing":
            new = self._untold(list(zip(failed_feeds, failures, strict=True)))
            told = len(failures) - len(new)
            failed_feeds = [url for url, _ in new]
            failures = [failure for _, failure in new]
        self._failed_feeds = set(failed_feeds)
        if self._failed_line is not None:
            self._failed_line.stop()
            self._failed_line = None
        if failures:
            first = failures[:3]
            reasons = "; ".join(f"{where} ({reason})" for where, reason in first)
            more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
            # the failures first: the line is cut at the screen's width
            line = f"failed: {reasons}{more}  ·  {message.summary}"
            self.headlines.progress = line
            # The toast names them only, so that it stays a line or two at 80 columns; the
            # reasons are in the status line and, for feeds, in the feed list.
            short = ", ".join(where for where, _ in first)
            failure = "new failure" if told else "failure"
            why = "  (f: the feed list says why)" if message.label == "refreshing" else ""
            self.notify(f"{message.label}: {plural(len(failures), failure)}: {short}{more}{why}",
                        severity="warning", timeout=FAILURE_SECONDS)  # fmt: skip
            if message.label == "refreshing":
                # (the feed list keeps saying why; a file that failed to index is said here
                # alone, so its line stays until the next work ends)
                self._failed_line = self.set_timer(
                    FAILURE_SECONDS, lambda: self._clear_failed_line(line)
                )
        else:
            self.headlines.progress = ""
        if message.warnings:
            notes = "; ".join(f"{where}: {why}" for where, why in message.warnings[:2])
            extra = len(message.warnings) - 2
            more = f" (and {extra} more: `newsreader refresh` lists them)" if extra > 0 else ""
            self.notify(f"{message.label}: {notes}{more}", timeout=10, markup=False)
        self._changed()

    def _untold(
        self, failed: list[tuple[str, tuple[str, str]]]
    ) -> list[tuple[str, tuple[str, str]]]:
        """Of a refresh's failures (address, (name, reason)), those the user has not been
        told of: a feed failing the same way as when last said (at an earlier refresh or in
        an earlier session: ``UiState.failures``) is not said again; one that worked since,
        or fails another way, is. The feed list shows every failure."""
        key = self.state_key
        said = self.state.failures.get(key, {})
        kinds = {url: failure_kind(reason) for url, (_, reason) in failed}
        new = [(url, failure) for url, failure in failed if said.get(url) != kinds[url]]
        self.state.failures[key] = said | kinds
        self._forget_mended(key)
        return new

    def _forget_mended(self, key: str) -> None:
        """Forget the failures said of feeds that have no error in the store any more (they
        worked since, here or in another process, or were unsubscribed): their next failure
        is said."""
        said = self.state.failures.get(key)
        if not said:
            return
        failing = self.store.failing_feeds(said)
        if len(failing) < len(said):
            kept = {url: kind for url, kind in said.items() if url in failing}
            if kept:
                self.state.failures[key] = kept
            else:
                del self.state.failures[key]

    def _clear_failed_line(self, line: str) -> None:
        """The status line's new failures go with their toast (unless it says more since)."""
        self._failed_line = None
        if self.screen_stack and self.headlines.progress == line:
            self.headlines.progress = ""
            self._failed_feeds = set()

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        if not self.screen_stack:
            return
        # (the status line without the database's path, which would push the reason past its
        # width; the toast says it whole)
        reason = message.reason.removeprefix(f"{self.store.path}: ")
        self.headlines.progress = f"{message.label} stopped: {reason}"
        self.notify(f"{message.label} stopped: {message.reason}", severity="error", timeout=10)
        self._changed()

    # -- changes ----------------------------------------------------------------------------
    def _version(self) -> int:
        return int(self.store.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def _watch_store(self) -> None:
        """Another connection (a worker, another process) committed: screens follow."""
        version = self._version()
        if version != self._data_version:
            self._data_version = version
            self._forget_mended_failures()
            self._forget_mended(self.state_key)
            self._changed()

    def _forget_mended_failures(self) -> None:
        """The status line's "failed: …" goes once none of the feeds it names has an error
        in the store any more (another process refreshed them since)."""
        if not self._failed_feeds or not self.headlines.progress.startswith("failed: "):
            return
        if not self.store.failing_feeds(self._failed_feeds):
            self._failed_feeds = set()
            self.headlines.progress = ""

    _last_change = 0.0

    def _changed(self, throttle: bool = False) -> None:
        """Tell the screens that show counts and lists what changed (at most twice a second
        while work runs): the store says which kinds of change the writes since the last
        call made, so that a list the extraction beside it leaves alone is not read again."""
        now = time.monotonic()
        if throttle and now - self._last_change < 0.5:
            return
        self._last_change = now
        self._data_version = self._version()
        change, self._checkpoint = self.store.changed_since(self._checkpoint)
        for screen in self.screen_stack:
            if isinstance(screen, (HeadlinesScreen, FeedsScreen)):
                screen.store_changed(change)

    def exit(
        self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """End the app. From now on no write's follow-up runs: the screens they update are
        being taken down, widgets first (a mark finishing during the quit wait met a
        headlines screen without its list)."""
        self._exiting = True
        super().exit(result, return_code, message)

    @property
    def _ending(self) -> bool:
        """The app is ending: by ``exit()``, or shut down without it (a test's Pilot ends
        so; the screens are being taken down either way)."""
        return self._exiting or not self.is_running

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        if not self._ending:
            message.then(message.result)

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        if self._ending:
            return  # said by the command line (on_unmount's ``fatal``)
        if self._leaving is None:  # (a toast of the quit wait goes with the screen)
            self._failures_seen += 1  # (in the order of the writer's failures)
        self.notify(message.reason, severity="error", timeout=10)
        if message.then is not None:
            message.then()

    # -- navigation -------------------------------------------------------------------------
    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        below = self.screen
        follow = below.follow if isinstance(below, (HeadlinesScreen, EntityScreen)) else None
        screen = ArticleScreen(self.store, self.writer, message.ids, message.index, message.terms)
        self.push_screen(screen, follow)

    @on(OpenEntity)
    def _open_entity(self, message: OpenEntity) -> None:
        self.push_screen(EntityScreen(self.store, message.entity_id))

    @on(OpenScope)
    def _open_scope(self, message: OpenScope) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.headlines.show_scope(message.scope)

    def action_feeds(self) -> None:
        if not isinstance(self.screen, FeedsScreen):
            self.push_screen(FeedsScreen(self.store, self.writer, self.state, self.state_key))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text, whoever asks (screens pass ``markup=True`` by default):
        toasts name feeds, addresses and servers' reasons, and in markup a feed titled
        ``[@click=app.quit]`` would be an action."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_copy_or_quit_hint(self) -> None:
        """ctrl+c: copy the selected text if there is some, else say how to quit (a terminal
        user's reflex; the reader does not quit on it), or, while quitting waits for marks
        being written, quit at once without them."""
        focused = self.focused
        selected = getattr(focused, "selected_text", None) or self.screen.get_selected_text()
        if selected:
            self.copy_to_clipboard(selected)
            return
        if self._leaving is not None:
            self.leave()
            return
        self.notify(f"Press {self._quit_keys()} to quit.", title="Quit?", markup=False)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        current = {
            HeadlinesScreen: "Headlines",
            ArticleScreen: "Article",
            EntityScreen: "Entity",
            FeedsScreen: "Feed list",
        }.get(type(self.screen), "Headlines")
        self.push_screen(HelpScreen(self.help_groups, self.keymap, current))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every live action of ours once, then the framework's own commands
        that are not ours under another name."""
        titles: set[str] = set()
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.id in seen or not binding.description:
                continue
            seen.add(binding.id)
            title = binding.tooltip or binding.description
            if title in titles:
                continue
            titles.add(title)
            yield SystemCommand(
                title,
                f"{binding.id} ({'no key' if binding.key == NO_KEY else binding.key})",
                lambda node=active.node, action=binding.action: self.run_action(action, node),
            )
        for command in super().get_system_commands(screen):
            if command.title not in titles and command.title not in ("Quit", "Keys"):
                titles.add(command.title)
                yield command

    # -- leaving ----------------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """A damaged database met anywhere in the reader ends it with one line naming
        ``--rebuild`` (``fatal``, said by the command line), not a traceback. (Textual's hook
        for an exception nothing handled; it ends the app either way.) An article whose text
        is damaged is said in place (``ArticleScreen.load``) and the reader goes on."""
        if isinstance(error, sqlite3.DatabaseError):
            reason = translate(error, self.store.path)
            if isinstance(reason, DamagedDatabase):
                self.fatal = str(reason)
                self.exit(return_code=1)
                return
        super()._handle_exception(error)

    async def action_quit(self) -> None:
        """ctrl+q (and the palette's Quit): as ``q``, marks still being written first."""
        self.leave()

    def leave(self) -> None:
        """Quit. Marks still being written are waited for, said on screen: a write of the
        reader's own (marking 100,000 articles read) for as long as it takes, a write held up
        by another process's write lock for ``QUIT_WAIT`` seconds of that wait. Quitting
        again meanwhile (ctrl+q, q, ctrl+c) leaves at once without them. Whatever is not
        saved is said by the command line (``fatal``), which exits 1."""
        if self._leaving is not None:
            self._leave_now = True  # asked again: without the marks still being written
            self.exit()
            return
        self._leaving = time.monotonic()
        if not self.writer.unfinished:
            self.exit()
            return
        said: list[str] = []

        def check() -> None:
            if not self.writer.unfinished:
                timer.stop()
                self.exit()
                return
            waited = self.writer.lock_wait()
            assert self._leaving is not None
            if waited is not None and min(waited, time.monotonic() - self._leaving) >= QUIT_WAIT:
                timer.stop()  # another process kept the lock: given up (on_unmount says so)
                self._waited = True
                self.exit()
                return
            # (a lock wait of a moment is every write's start: not worth a message)
            held = waited is not None and waited >= 0.2
            self._say_leaving(
                "Saving your marks: another process is writing to the database…"
                if held
                else "Saving your marks…",
                said,
            )

        timer = self.set_interval(0.1, check)
        check()

    def _say_leaving(self, text: str, said: list[str]) -> None:
        """The toast of the quit wait; one at a time, replaced when its reason changes."""
        keys = self._quit_keys()
        text = f"{text} ({keys} again: quit without them)"
        if said and said[-1] == text:
            return
        said.append(text)
        # (Textual has no public way to take a toast back before its timeout)
        for notification in list(self._notifications):
            if notification.message in said[:-1]:  # the reason before: replaced
                self._unnotify(notification, refresh=False)
        self.notify(text, timeout=600)

    def _quit_keys(self) -> str:
        """The keys that quit, as the keymap sets them ("q or ctrl+q")."""
        return self._keys_of(lambda b: b.action in ("quit", "app.quit")) or "ctrl+q"

    def _keys_of(self, chosen: Callable[[Binding], bool]) -> str:
        """The keys of the active bindings ``chosen`` picks, as shown ("q or ctrl+q"), less
        the placeholder of one the user's keymap left without a key; "" when none."""
        keys = [
            self.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if chosen(active.binding) and active.binding.key != NO_KEY
        ]
        return " or ".join(dict.fromkeys(keys))

    def on_unmount(self) -> None:
        self.collector.stop()  # first: whatever fails below, the thresholds come back
        self.state.save()  # search history and the last article, for the next session
        if self._leave_now:
            self.writer.cancel()  # (rolls back a write of our own, not one waiting for a lock)
        # (an interrupted write of our own takes a moment to roll back)
        stopped = self.writer.stop(
            timeout=0.2 if self._waited else 1.0 if self._leave_now else QUIT_WAIT
        )
        held = not stopped and self.writer.lock_wait() is not None
        # (the failures whose toasts were shown before the quit are said)
        unfinished, given_up, failed, reasons = self.writer.unsaved(self._failures_seen)
        left = (Unsaved() if stopped else unfinished) + given_up
        lost = left + failed
        if lost and not self.fatal:
            if held:
                # Left waiting for the write lock: the process ends without them (the thread
                # is a daemon; its transaction never began).
                why = f"another process kept {self.store.path} busy"
            elif left:
                why = f"quit before {'it was' if lost.single else 'they were'} written"
            else:
                # Failed during the quit wait: its toast went with the screen.
                why = reasons[0]
            self.fatal = f"{lost} not saved: {why}"
        self.store.close()


def key_scopes() -> dict[str, list[type]]:
    """The classes whose bindings are live together, per screen (focused widget first)."""
    # (a code block's own keys take the article's Home and End while it has the focus, as a
    # focused widget's keys do; its scope is its own here, so that only a clash between two
    # of its keys is said. A key of the user's keymap on the article still takes the key
    # from the block: ``taken_keys`` completes these scopes with the panels)
    return {
        "the headlines": [HeadlineList, HeadlinesScreen, NewsReader],
        "an article": [ArticleScreen, NewsReader],
        "a code block or table": [BlockScroll],
        "an entity's screen": [HeadlineList, EntityScreen, NewsReader],
        "the feed list": [FeedsScreen, NewsReader],
        "the article's links": [LinksScreen, NewsReader],
    }


def failure_kind(reason: str) -> str:
    """What a feed's failure is, less what may differ between two fetches that fail the
    same way: an HTTP status (``HTTP 503``, whatever its wait), else the reason with its
    numbers left out (a line and column, a size, a time)."""
    if (status := re.match(r"HTTP \d+", reason)) is not None:
        return status.group()
    return re.sub(r"\d+", "#", reason)


def _progress_line(message: WorkProgress) -> str:
    """The status line of work under way: "refreshing 13/14"."""
    return f"{message.label} {message.done:,}/{message.total:,}"


def _names(names: Sequence[str], most: int) -> str:
    """Names in a line ("Slow feed", "A, B and C", "A, B and 3 more"): at most ``most``,
    each cut to 30 characters."""
    shown = [fit(name, 30) for name in names[:most]]
    rest = len(names) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest:,} more"
    return f"{', '.join(shown[:-1])} and {shown[-1]}" if len(shown) > 1 else shown[0]


def _limit() -> str:
    """How long a feed may take: "30 s limit"."""
    return f"{FetchSettings().total_timeout:g} s limit"


def _last_part(url: str) -> str:
    """``https://example.org/feeds/news.xml`` → ``news.xml``: a feed with no name yet, by the
    last part of its address."""
    where = url.rstrip("/")
    return where.rsplit("/", 1)[-1] or where
