"""NewsReader: the Textual application."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.store import FeedStore
from reader.ui.messages import IndexFinished, IndexProgress
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.screens.help import HelpScreen

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


class NewsReader(App[int]):
    """Headlines, articles with highlighted entities, and instant search."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, id="app.quit"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="List the live keys"),
        Binding(
            "R",
            "refresh_feeds",
            "Refresh feeds",
            show=False,
            id="app.refresh_feeds",
            tooltip="Fetch every subscription now (conditional GET)",
        ),
    ]
    """App-wide keys."""

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
        refresh_minutes: float | None = None,
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
        self.theme_name = theme_name
        self.sample = sample
        self.refresh_minutes = refresh_minutes
        self.last_article: int | None = None
        if sample:
            self.sub_title = "the bundled sample (add yours: newsreader add URL, or index FOLDER)"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Entity and match colours, darker on light themes; any theme may override them."""
        try:
            dark = self.current_theme.dark
        except Exception:  # no theme chosen yet
            dark = True
        palette = DARK_PALETTE if dark else LIGHT_PALETTE
        return {**palette, "search-match": "black on #f5c211", "search-current": "black on #ff7800"}

    def get_default_screen(self) -> Screen:
        return HeadlinesScreen()

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        if self.theme_name:
            if self.theme_name in self.available_themes:
                self.theme = self.theme_name
            else:
                self.notify(f"Unknown theme {self.theme_name!r}", severity="warning")
        self.index_sources(refresh=self.refresh_on_start)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node) -> None:
        keys = ", ".join(sorted(b.key for b in clashed_bindings))
        if keys not in getattr(self, "_clashes", set()):
            self._clashes = getattr(self, "_clashes", set()) | {keys}
            self.notify(f"Key clash in keymap: {keys}", severity="warning")

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_sources(self, refresh: bool = False) -> None:
        """Index the SOURCEs (and refresh subscriptions), then extract entities, in the background.

        Articles are listed and readable before their entities are ready; one opened before
        its turn gets its entities computed on demand.
        """

        def progress(label: str) -> Callable[[int, int], None]:
            def report(done: int, total: int) -> None:
                self.call_from_thread(self._post_to_headlines, IndexProgress(done, total, label))

            return report

        if self.sources:
            report = self.store.index(self.sources, progress("indexing"))
            self.call_from_thread(
                self._post_to_headlines, IndexFinished(report.summary(), len(report.failed))
            )
        if refresh:
            fetched = self.store.refresh((), progress("refreshing"))
            self.call_from_thread(
                self._post_to_headlines, IndexFinished(fetched.summary(), len(fetched.failed))
            )
        self.store.extract_entities()

    def action_refresh_feeds(self) -> None:
        if not self.store.subscriptions():
            self.notify("No subscriptions: add one with `newsreader add URL`.")
            return
        self.notify("Refreshing feeds…")
        self.index_sources(refresh=True)

    def _post_to_headlines(self, message: IndexProgress | IndexFinished) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HeadlinesScreen):
                screen.post_message(message)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.id and binding.id not in seen and binding.description:
                seen.add(binding.id)
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or f"{binding.description} ({binding.id})",
                    lambda node=active.node, action=binding.action: self.run_action(action, node),
                )

    def on_unmount(self) -> None:
        self.store.close()
