"""ArticleScreen: one article's full text with entities highlighted, find, next/previous."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from reader.model import Article, Mention
from reader.store.query import highlight_terms, parse
from reader.textutil import clean_line, find_links, listed_links, match_spans
from reader.ui.text import ENTITY_STYLES, body_content, meta_content, title_content
from reader.ui.widgets.entity_panel import EntityPanel

if TYPE_CHECKING:
    from reader.ui.app import NewsReader


class FindBar(Input):
    """Find within the article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", id="find.dismiss"),
        Binding("enter", "close", "Keep matches", show=False, id="find.submit"),
    ]
    DEFAULT_CSS = """
    FindBar { dock: bottom; display: none; border: tall $accent; }
    FindBar.-shown { display: block; }
    """

    def action_close(self) -> None:
        self.remove_class("-shown")
        self.screen.query_one("#article-scroll").focus()


def article_links(article: Article) -> list[str]:
    """The article's links, numbered as the reader sees them.

    A feed article lists its links at the end of its text, ``[1]`` onwards, and its own link
    follows them; otherwise the article's own link comes first, then the web addresses in
    its text. No repeats.
    """
    listed = listed_links(article.body)
    if listed is not None:
        return [*listed, article.link] if article.link and article.link not in listed else listed
    links: list[str] = [article.link] if article.link else []
    for _, _, url in find_links(article.body):
        if url.lower().startswith("www."):
            url = "https://" + url
        if url not in links:
            links.append(url)
    return links


class ArticleScreen(Screen[None]):
    """The full text of one article from a list of ids (for next/previous)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,backspace", "back", "Back", id="article.back"),
        Binding("J", "step(1)", "Next article", id="article.next"),
        Binding("K", "step(-1)", "Previous article", id="article.prev"),
        Binding(
            "e",
            "toggle_entities",
            "Entities",
            id="article.toggle_entities",
            tooltip="Show or hide the panel of this article's entities",
        ),
        Binding(
            "x",
            "toggle_highlights",
            "Highlights",
            show=False,
            id="article.toggle_highlights",
            tooltip="Entity highlighting on or off",
        ),
        Binding("slash", "find", "Find", id="article.find"),
        Binding("n", "match(1)", "Next match", show=False, id="article.next_match"),
        Binding("N", "match(-1)", "Previous match", show=False, id="article.prev_match"),
        Binding("r", "toggle_read", "Read", show=False, id="article.toggle_read"),
        Binding("s", "toggle_star", "Star", id="article.toggle_star"),
        Binding("o", "open_link", "Open link", id="article.open_link"),
        Binding("y", "copy_link", "Copy link", show=False, id="article.copy_link"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="article.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="article.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="article.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="article.page_up"),
    ]
    """Reading keys; each has an id for the user keymap."""

    show_entities: reactive[bool] = reactive(True, bindings=True)
    """Whether entity spans are highlighted."""

    def __init__(self, ids: list[int], index: int) -> None:
        super().__init__()
        self.ids = ids
        self.index = index
        self.article: Article | None = None
        self.find_terms: list = []
        self.links: list[str] = []
        self.mentions: list[Mention] = []
        self.match_index = 0

    @property
    def reader(self) -> NewsReader:
        return cast("NewsReader", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="article-main"):
            with VerticalScroll(id="article-scroll"):
                yield Static(id="article-title", markup=False)
                yield Static(id="article-meta", markup=False)
                yield Static(id="article-legend", markup=False)
                yield Static(id="article-body", markup=False)
                yield Static(id="article-links", markup=False)
            yield EntityPanel(id="entity-panel")
        yield FindBar(placeholder="find in article", id="find-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#article-scroll").focus()

    def load(self) -> None:
        """Show the article at ``self.index`` and mark it read."""
        store = self.reader.store
        article = store.article(self.ids[self.index])
        if article is None:
            self.notify("This article is no longer in the store.", severity="warning")
            return
        if not article.read:
            store.set_read([article.rowid])
        self.article = article
        self.mentions = store.mentions(article.rowid)  # computed now if not extracted yet
        self.reader.last_article = article.rowid
        self.match_index = 0
        self.query_one("#article-title", Static).update(title_content(article))
        self.query_one("#article-meta", Static).update(meta_content(article))
        self.render_body()
        self.query_one("#article-scroll", VerticalScroll).scroll_home(animate=False)
        self.links = article_links(article)
        links = self.query_one("#article-links", Static)
        links.display = bool(self.links) and listed_links(article.body) is None
        if self.links:
            lines = [Content("Links").stylize("bold $accent")]
            lines += [Content(f"[{i}] {clean_line(u)}") for i, u in enumerate(self.links, 1)]
            links.update(Content("\n").join(lines))
        self.refresh_bindings()
        panel = self.query_one(EntityPanel)
        if panel.has_class("-shown"):
            panel.show_entities(store.entities_of(article.rowid))

    def render_body(self) -> None:
        if self.article is None:
            return
        mentions = self.mentions
        body = body_content(
            self.article.body,
            mentions,
            self.show_entities,
            self.find_terms,
            self.match_index if self.find_terms else None,
        )
        self.query_one("#article-body", Static).update(body)
        legend = self.query_one("#article-legend", Static)
        if mentions and self.show_entities:
            parts = [Content("entities: ").stylize("$text-muted")]
            for kind, style in ENTITY_STYLES.items():
                if any(m.kind == kind for m in mentions):
                    parts.append(Content(kind.lower()).stylize(f"{style} bold"))
                    parts.append(Content("  "))
            legend.update(Content.assemble(*parts))
        legend.display = bool(mentions and self.show_entities)

    def watch_show_entities(self) -> None:
        self.render_body()

    # -- actions ----------------------------------------------------------------------------
    def action_back(self) -> None:
        panel = self.query_one(EntityPanel)
        if panel.has_focus:
            self.query_one("#article-scroll").focus()
            return
        self.dismiss()

    def action_step(self, step: int) -> None:
        new = self.index + step
        if 0 <= new < len(self.ids):
            self.index = new
            self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            new = self.index + cast(int, parameters[0])
            return 0 <= new < len(self.ids) or None
        if action in ("open_link", "copy_link"):
            return bool(self.links) or None
        return True

    def action_toggle_entities(self) -> None:
        panel = self.query_one(EntityPanel)
        panel.toggle_class("-shown")
        if panel.has_class("-shown") and self.article is not None:
            panel.show_entities(self.reader.store.entities_of(self.article.rowid))
            panel.focus()
        else:
            self.query_one("#article-scroll").focus()

    def action_toggle_highlights(self) -> None:
        self.show_entities = not self.show_entities

    @on(EntityPanel.Chosen)
    def _entity_chosen(self, event: EntityPanel.Chosen) -> None:
        from reader.ui.screens.entity import EntityScreen

        self.app.push_screen(EntityScreen(event.entity_id))

    def action_scroll(self, lines: int) -> None:
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.scroll_relative(y=pages * max(scroll.size.height - 2, 1), animate=False)

    def action_toggle_read(self) -> None:
        if self.article:
            self.reader.store.set_read([self.article.rowid], not self.article.read)
            self.article = self.reader.store.article(self.article.rowid)
            self.notify("Marked read" if self.article and self.article.read else "Marked unread")

    def action_toggle_star(self) -> None:
        if self.article:
            self.reader.store.set_starred([self.article.rowid], not self.article.starred)
            self.article = self.reader.store.article(self.article.rowid)
            self.notify("Starred" if self.article and self.article.starred else "Unstarred")

    def action_open_link(self) -> None:
        """Open the only link, or choose among the numbered ones."""
        if len(self.links) == 1:
            webbrowser.open(self.links[0])
        elif self.links:
            from reader.ui.screens.links import LinksScreen

            self.app.push_screen(LinksScreen(self.links))

    def action_copy_link(self) -> None:
        if self.links:
            self.app.copy_to_clipboard(self.article.link if self.article and self.article.link
                                       else self.links[0])  # fmt: skip
            self.notify("Link copied")

    # -- find -------------------------------------------------------------------------------
    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.add_class("-shown")
        bar.focus()

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        try:
            terms = highlight_terms(parse(event.value))
        except ValueError:
            terms = []
        self.find_terms = [(t.tokens, t.prefix) for t in terms]
        self.match_index = 0
        self.render_body()
        self._scroll_to_match()

    def action_match(self, step: int) -> None:
        if not self.find_terms or self.article is None:
            return
        count = len(match_spans(self.article.body, self.find_terms))
        if count:
            self.match_index = (self.match_index + step) % count
            self.render_body()
            self._scroll_to_match()

    def _scroll_to_match(self) -> None:
        if self.article is None or not self.find_terms:
            return
        spans = match_spans(self.article.body, self.find_terms)
        if not spans:
            return
        start = spans[self.match_index % len(spans)][0]
        body = self.query_one("#article-body", Static)
        width = max(body.content_region.width, 1)
        # Rough line estimate: wrapped lines before the match.
        lines = 0
        for para in self.article.body[:start].split("\n"):
            lines += max(1, -(-len(para) // width))
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.scroll_to(y=max(body.region.y - scroll.region.y + lines - 3, 0), animate=False)
