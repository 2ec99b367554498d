"""EntityScreen: every article that mentions an entity, its timeline, and its company."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from reader.dates import from_epoch, month_buckets
from reader.model import DatePrecision
from reader.store import FeedStore
from reader.textutil import clean_line
from reader.ui.messages import OpenArticle, OpenEntity
from reader.ui.screens.once import LeavesOnce
from reader.ui.text import ENTITY_STYLES, plural
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.footer import Footer
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.timeline import Timeline

NARROW = 100  # below this width the "seen with" panel gets narrower


def axis(timeline: list[tuple[str, int]]) -> str:
    """What the chart shows, in words: a single month's count stands alone."""
    if len(timeline) == 1:
        month, count = timeline[0]
        return f"{plural(count, 'article')}, all in {month}"
    most = max((count for _, count in timeline), default=0)
    return f"articles per month (at most {most:,})" if timeline else ""


class EntityScreen(LeavesOnce, Screen[None]):
    """One entity: its articles (newest first), mentions per month, entities seen with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,backspace", "back", "Back", id="entity.back"),
        Binding("tab", "app.focus_next", "Switch list", show=False, id="entity.focus_next"),
    ]
    """Keys of the entity's screen (the lists have their own)."""

    def __init__(self, store: FeedStore, entity_id: int) -> None:
        super().__init__()
        self.store = store
        self.entity_id = entity_id

    def compose(self) -> ComposeResult:
        store = self.store
        info = store.entity(self.entity_id)
        timeline = store.entity_timeline(self.entity_id)
        with Vertical(id="entity-head"):
            if info is not None:
                style = ENTITY_STYLES.get(info.kind, "$text")
                first = from_epoch(info.first, DatePrecision.MONTH).iso() if info.first else "?"
                last = from_epoch(info.last, DatePrecision.MONTH).iso() if info.last else "?"
                yield Static(
                    Content.assemble(
                        Content(clean_line(info.name)).stylize(f"bold {style}"),
                        Content(
                            f"  {info.kind.lower()}  ·  {plural(info.articles, 'article')}  ·  "
                            f"{first} → {last}"
                        ).stylize("$text-muted"),
                    ),
                    id="entity-title",
                )
            months = month_buckets(timeline)
            chart = Timeline(months, id="entity-timeline")
            chart.display = len(months) > 1  # one month is said in words, not drawn
            yield chart
            yield Static(Content(axis(timeline)).stylize("$text-muted"), id="entity-axis")
        with Horizontal(id="entity-main"):
            yield HeadlineList(store.headlines, id="entity-articles")
            yield EntityPanel(id="entity-related", classes="-shown")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        articles = self.query_one("#entity-articles", HeadlineList)
        articles.set_sources([c.name for c in self.store.sources()])
        articles.set_ids(self.store.articles_with_entity(self.entity_id), keep=None)
        related = self.query_one("#entity-related", EntityPanel)
        related.border_title = "seen with"
        related.show_entities(self.store.cooccurring(self.entity_id, limit=25))
        articles.focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def action_back(self) -> None:
        self.dismiss()

    @on(HeadlineList.Selected)
    def _open(self, event: HeadlineList.Selected) -> None:
        articles = self.query_one("#entity-articles", HeadlineList)
        self.post_message(OpenArticle(articles.ids, articles.cursor))

    @on(EntityPanel.Chosen)
    def _other(self, event: EntityPanel.Chosen) -> None:
        self.post_message(OpenEntity(event.entity_id))

    def follow(self, rowid: int | None) -> None:
        """Back from an article: the cursor follows it, rows show their new state."""
        articles = self.query_one("#entity-articles", HeadlineList)
        if rowid is not None and rowid in articles.ids:
            articles.cursor = articles.ids.index(rowid)
        articles.forget_rows()
