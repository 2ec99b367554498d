"""EntityScreen: every article that mentions an entity, its timeline, and its company."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from reader.dates import from_epoch
from reader.textutil import clean_line
from reader.ui.text import ENTITY_STYLES
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.headline_list import HeadlineList

if TYPE_CHECKING:
    from reader.ui.app import NewsReader


def _months(timeline: list[tuple[str, int]]) -> list[int]:
    """Monthly counts with the empty months between the first and the last filled in."""
    if not timeline:
        return []
    counts = dict(timeline)
    y, m = map(int, timeline[0][0].split("-"))
    end = tuple(map(int, timeline[-1][0].split("-")))
    out = []
    while (y, m) <= end:
        out.append(counts.get(f"{y:04d}-{m:02d}", 0))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class EntityScreen(Screen[None]):
    """One entity: its articles (newest first), mentions per month, entities seen with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", id="entity.back"),
        Binding("tab", "app.focus_next", "Switch list", show=False, id="entity.focus_next"),
    ]

    def __init__(self, entity_id: int) -> None:
        super().__init__()
        self.entity_id = entity_id

    @property
    def reader(self) -> NewsReader:
        return cast("NewsReader", self.app)

    def compose(self) -> ComposeResult:
        store = self.reader.store
        info = store.entity(self.entity_id)
        timeline = store.entity_timeline(self.entity_id)
        with Vertical(id="entity-head"):
            if info is not None:
                style = ENTITY_STYLES.get(info.kind, "$text")
                first = from_epoch(info.first, 2).iso() if info.first is not None else "?"
                last = from_epoch(info.last, 2).iso() if info.last is not None else "?"
                yield Static(
                    Content.assemble(
                        Content(clean_line(info.name)).stylize(f"bold {style}"),
                        Content(
                            f"  {info.kind.lower()}  ·  {info.articles} articles  ·  "
                            f"{first} → {last}"
                        ).stylize("$text-muted"),
                    ),
                    id="entity-title",
                )
            yield Sparkline(_months(timeline), id="entity-timeline")
            yield Static(Content("articles per month").stylize("$text-muted"), id="entity-axis")
        with Horizontal(id="entity-main"):
            yield HeadlineList(store.headlines, id="entity-articles")
            yield EntityPanel(id="entity-related", classes="-shown")
        yield Footer()

    def on_mount(self) -> None:
        store = self.reader.store
        articles = self.query_one("#entity-articles", HeadlineList)
        articles.set_ids(store.articles_with_entity(self.entity_id), keep=None)
        related = self.query_one("#entity-related", EntityPanel)
        related.border_title = "seen with"
        related.show_entities(store.cooccurring(self.entity_id, limit=25))
        articles.focus()

    def action_back(self) -> None:
        self.dismiss()

    @on(HeadlineList.Selected)
    def _open(self, event: HeadlineList.Selected) -> None:
        from reader.ui.screens.article import ArticleScreen

        articles = self.query_one("#entity-articles", HeadlineList)
        self.app.push_screen(ArticleScreen(articles.ids, articles.cursor))

    @on(EntityPanel.Chosen)
    def _other(self, event: EntityPanel.Chosen) -> None:
        self.app.push_screen(EntityScreen(event.entity_id))

    def on_screen_resume(self) -> None:
        self.query_one("#entity-articles", HeadlineList).forget_rows()
