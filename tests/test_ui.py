"""Pilot tests of the reader: navigation, search, keymap, state, untrusted text."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import threading
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content

from reader.keymap_ids import NO_KEY
from reader.store import FeedStore
from reader.ui.app import NewsReader
from reader.ui.keymap import (
    KeymapError,
    catalogue,
    effective_keymap,
    keymap_problems,
    keymap_toml,
    validate_keymap,
)
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.confirm import Confirm
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.sources_panel import SourcesPanel

from .conftest import FEEDS, SAMPLE_ARTICLES, settle, write


def make_app(tmp_path: Path, sources: list[str] | None = None, **kw) -> NewsReader:
    return NewsReader(tmp_path / "ui.db", sources or [], **kw)


@pytest.fixture
def indexed_db(tmp_path: Path) -> Path:
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(FEEDS)])
    return tmp_path


def hold_searches(
    monkeypatch: pytest.MonkeyPatch, gates: dict[str, threading.Event]
) -> Callable[..., Any]:
    """Hold back a search (with text: the list of every article is never held) whose text
    holds a gate's word ("" for any) until that gate is set; the store's own search, for the
    results expected."""
    search = FeedStore.search_id_array

    def held(self: FeedStore, text: str, order: str = "date", limit: int | None = None) -> object:
        for word, gate in gates.items():
            if text.strip() and word in text:
                gate.wait(20)
        return search(self, text, order, limit)

    monkeypatch.setattr(FeedStore, "search_id_array", held)
    return search


def headlines(app: NewsReader) -> HeadlineList:
    return app.headlines.query_one(HeadlineList)


def burst(app: NewsReader, keys: list[str]) -> None:
    """Keys as a terminal delivers fast typing or a paste: all queued at once."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def settle_burst(app: NewsReader, pilot: Any) -> None:
    """Wait until a burst's keys, released one at a time, have all run."""
    await settle(app, pilot)
    await pilot.pause(0.3)
    await settle(app, pilot)


def status(app: NewsReader) -> str:
    return str(app.headlines.query_one("#status").render())


async def test_navigation_open_and_back(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        hl = headlines(app)
        assert len(hl.ids) == SAMPLE_ARTICLES and hl.cursor == 0
        await pilot.press("j", "j", "down")
        assert hl.cursor == 3
        await pilot.press("k")
        assert hl.cursor == 2
        await pilot.press("G")
        assert hl.cursor == SAMPLE_ARTICLES - 1
        await pilot.press("g")
        assert hl.cursor == 0
        first = hl.current
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.rowid == first.rowid
        await pilot.press("K")  # nothing before the first: said, not silent
        await pilot.pause()
        assert app.screen.article.rowid == first.rowid
        assert [n.message for n in app._notifications] == ["This is the first article of the list."]
        await pilot.press("J")
        assert app.screen.article.rowid == hl.ids[1]
        await pilot.press("q")  # q goes back from an article, as in newsboat
        assert isinstance(app.screen, HeadlinesScreen)
        assert hl.cursor == 1  # the list followed the article read last
        await settle(app, pilot)
        assert hl.article_at(0).read and hl.article_at(1).read  # opening marks read


async def test_work_finishing_while_the_screen_is_taken_down(indexed_db: Path) -> None:
    """Background work that ends as the reader quits: the headlines screen, its panels
    already removed, is told the store changed and says nothing (a CI run caught
    `NoMatches: SourcesPanel` from the entity extraction's last message)."""
    from reader.ui.messages import WorkFinished
    from reader.ui.widgets.sources_panel import SourcesPanel

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await app.headlines.query_one(SourcesPanel).remove()
        app.post_message(WorkFinished("entities", "entities of 3 articles", []))
        await pilot.pause()
        app.headlines.store_changed()  # and directly: nothing raised
        await pilot.pause()


async def test_search_as_you_type_and_escape(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"defi")
        await settle(app, pilot)
        hl = headlines(app)
        titles = [hl.article_at(i).title for i in range(len(hl.ids))]
        assert any(t.startswith("Au terme de deux conférences") for t in titles)
        assert "query: defi" in status(app)
        # Typing printable keys bound elsewhere (q, r, s, j) goes into the search bar.
        await pilot.press("space", *"qrsj")
        assert app.screen.query_one(SearchBar).value == "defi qrsj"
        await pilot.press(*["backspace"] * 5)
        await pilot.press("escape")  # leaves the bar, keeps the filter
        await settle(app, pilot)
        assert hl.has_focus and len(hl.ids) < SAMPLE_ARTICLES and "query: defi" in status(app)
        await pilot.press("escape")  # in the list: clears it
        await settle(app, pilot)
        assert len(hl.ids) == SAMPLE_ARTICLES and "query" not in status(app)
        assert not app.screen.query_one(SearchBar).shown


async def test_malformed_query_shows_its_message_in_place(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"soruce:x")
        await settle(app, pilot)
        line = app.screen.query_one("#status")
        assert "unknown filter" in str(line.render()) and line.has_class("-error")
        app.screen.query_one(SearchBar).value = ""
        await settle(app, pilot)
        assert len(headlines(app).ids) == SAMPLE_ARTICLES and not line.has_class("-error")


async def test_search_history_survives_a_restart(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"tesla", "enter", "j", "j")
        remembered = headlines(app).current.uid
    again = make_app(indexed_db)
    async with again.run_test(size=(110, 30)) as pilot:
        assert headlines(again).current.uid == remembered  # the list position too
        await pilot.press("slash", "up")
        assert again.screen.query_one(SearchBar).value == "tesla"


async def test_a_theme_picked_in_the_palette_survives_a_restart(indexed_db: Path) -> None:
    """ctrl+p → theme: the theme picked was gone at the next start. It is kept, unless
    --theme or the config names one, which wins."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"theme")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press(*"nord")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.theme == "nord"
    again = make_app(indexed_db)
    async with again.run_test(size=(110, 30)) as pilot:
        assert again.theme == "nord"
    named = make_app(indexed_db, theme_name="textual-light")  # --theme, or the config's
    async with named.run_test(size=(110, 30)) as pilot:
        assert named.theme == "textual-light"
    again = make_app(indexed_db)  # (the one named was not taken for one picked)
    async with again.run_test(size=(110, 30)) as pilot:
        assert again.theme == "nord"


async def test_down_past_the_newest_query_gives_back_what_was_typed(indexed_db: Path) -> None:
    """Up then down in the search bar threw away the query being typed."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"tesla", "enter")
        await pilot.press("slash", "ctrl+u", *"byd")
        bar = app.screen.query_one(SearchBar)
        await pilot.press("up")
        assert bar.value == "tesla"
        await pilot.press("down")
        assert bar.value == "byd"
        await pilot.press("x")
        assert bar.value == "bydx"


async def test_keymap_override_and_grouped_help(indexed_db: Path) -> None:
    app = make_app(indexed_db, keymap={"headlines.down": "d,down"})
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("d")
        assert headlines(app).cursor == 1
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table().plain
        line = next(ln for ln in table.splitlines() if "headlines.down" in ln)
        assert line.split()[0].rstrip(",") == "d"
        assert table.index("Headlines") < table.index("Article") < table.index("Feed list")
        assert "Scroll Right" not in table and "Copy selected text" not in table
        assert "headlines.next_unread" in table and "app.feeds" in table
        shown = app.screen.query_one("#help-table")
        lines = app.screen.table(shown.content_region.width).plain.splitlines()
        assert max(map(len, lines[:-1])) <= shown.content_region.width  # no id wraps
        assert any(ln.rstrip().endswith("headlines.toggle_unread_only") for ln in lines)
        view = app.screen.query_one("#help")
        await pilot.press("space")
        assert view.scroll_offset.y > 10  # a page, as everywhere else
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y
        await pilot.press("g")
        assert view.scroll_offset.y == 0


@pytest.mark.parametrize("width", [100, 60])
async def test_the_help_wraps_long_descriptions(indexed_db: Path, width: int) -> None:
    """Descriptions longer than their column were cut with "…" at 100 columns and less:
    they go on below, in the same column, every word of them shown."""
    import re

    from reader.ui.screens.help import bindings_of

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        table = screen.table(width).plain
        assert "…" not in table
        lines = table.splitlines()
        assert max(map(len, lines[:-1])) <= width
        words = " ".join(lines)
        rows = [b for _, classes in screen.groups for b in bindings_of(classes)]
        for binding in rows:  # the ids column left out, as a reader's eye does
            words = words.replace(f" {binding.id}", " ")
        for binding in rows:
            text = binding.tooltip or binding.description
            assert re.search(r"\s+".join(map(re.escape, text.split())), words), text
        assert any(re.match(" {23}[a-z]", ln) for ln in lines)  # (in the same column)


def test_keymap_validation_and_problems() -> None:
    assert validate_keymap({"headlines.down": " n , down "}) == {"headlines.down": "n,down"}
    with pytest.raises(KeymapError, match=r"did you mean 'headlines\.down'"):
        validate_keymap({"headlines.dwon": "n"})
    with pytest.raises(KeymapError, match="no keys"):
        validate_keymap({"headlines.down": " , "})
    toml = keymap_toml({"headlines.down": "n"})
    assert '"headlines.down" = "n"' in toml and '"app.quit" = "ctrl+q"' in toml
    ids = set(catalogue())
    assert {"app.quit", "app.feeds", "app.help", "headlines.search", "headlines.open"} <= ids
    assert {
        "headlines.mark_all_read",
        "headlines.next_unread",
        "headlines.toggle_unread_only",
    } <= ids
    printable = [b for b in catalogue().values() if b.priority and len(b.key) == 1]
    assert printable == []  # printable keys are never priority bindings
    # The README's old example left next_unread without a key; a key no terminal sends.
    problems = keymap_problems({"headlines.down": "n,down", "headlines.up": "ctrl+shft+k"})
    assert any(
        "the default headlines.next_unread is now unbound from 'n' (yours for headlines.down)" in p
        for p in problems
    )
    assert any("'ctrl+shft+k' is not a key" in p for p in problems)
    assert keymap_problems({"headlines.down": "j,down,ctrl+d"}) == []


async def test_read_star_next_unread_and_mark_and_move_on(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        # The background extraction's commit reloads the list: let it land first, or a reload
        # read before the marks' write can replace the row just marked (1 full run in 4).
        await settle(app, pilot)
        hl = headlines(app)
        assert not hl.current.read
        await pilot.press("r", "s")
        assert hl.current.read and hl.current.starred  # at once on screen
        await settle(app, pilot)
        assert app.store.search_ids("is:starred") == [hl.ids[0]]
        await pilot.press("r", "r")  # twice: back to read (the writes keep their order)
        await settle(app, pilot)
        assert app.store.article(hl.ids[0]).read
        await pilot.press("n")  # next unread: row 1 (row 0 is read)
        assert hl.cursor == 1
        await pilot.press("m")  # mark read and move on
        await settle(app, pilot)
        assert hl.cursor == 2 and app.store.article(hl.ids[1]).read
        await pilot.press("N")  # previous unread: none above, so the last one, said
        assert hl.cursor == SAMPLE_ARTICLES - 1
        assert "Wrapped to the bottom" in str(list(app._notifications)[-1].message)
        await pilot.press("u")  # unread only
        await settle(app, pilot)
        assert len(hl.ids) == SAMPLE_ARTICLES - 2 and "unread only" in status(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert len(hl.ids) == SAMPLE_ARTICLES


async def test_the_status_line_counts_the_unread_articles_listed(indexed_db: Path) -> None:
    """The status line said "50 of 50 articles" and nothing of what was left to read: the
    unread articles of the list follow marks (at once, then as stored), searches, the unread
    filter, and marks made elsewhere."""
    from reader.store import Change

    app = make_app(indexed_db)
    n = SAMPLE_ARTICLES
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert status(app).startswith(f"{n} of {n} articles  ·  {n} unread")
        await pilot.press("r")
        assert f"  ·  {n - 1} unread" in status(app)  # with the row, before it is written
        await settle(app, pilot)
        assert f"  ·  {n - 1} unread" in status(app)
        await pilot.press("j", "r", "r", "r")  # read, unread, read
        await settle(app, pilot)
        assert f"{n} of {n} articles  ·  {n - 2} unread" in status(app)
        await pilot.press("slash", *"byd", "enter")
        await settle(app, pilot)
        few = len(headlines(app).ids)
        unread = app.store.count_matches("byd")[1]
        assert 0 < few < n and status(app).startswith(f"{few} of {n} articles  ·  {unread} unread")
        with FeedStore(app.store.db.path) as other:  # another process marks the search read
            other.mark_read("byd")
        app.headlines.store_changed(Change.MARKS)  # (what the reader does when it sees that)
        await settle(app, pilot)
        assert status(app).startswith(f"{few} of {n} articles  ·  0 unread")
        await pilot.press("escape", "u")  # every article, unread only
        await settle(app, pilot)
        left = app.store.count_matches("")[1]
        assert status(app).startswith(f"{left} of {n} articles  ·  {left} unread")
        await pilot.press("r")  # read: the row stays listed, no longer unread
        await settle(app, pilot)
        assert len(headlines(app).ids) == left
        assert status(app).startswith(f"{left} of {n} articles  ·  {left - 1} unread")
        await pilot.press("slash", *"zzzzq", "enter")
        await settle(app, pilot)
        assert status(app) == "No article matches  ·  query: zzzzq  ·  unread only"


async def test_a_starred_row_still_shows_it_is_unread(indexed_db: Path) -> None:
    """`s` put a star in place of the unread dot: both show, the titles in one column."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        title = hl.article_at(0).title[:20]
        column = hl.render_line(1).text.index(hl.article_at(1).title[:20])
        await pilot.press("s")
        await settle(app, pilot)
        row = hl.render_line(0).text
        assert row[column - 3 : column] == "•★ " and row.index(title) == column
        await pilot.press("r")
        await settle(app, pilot)
        assert hl.render_line(0).text[column - 3 : column] == " ★ "


async def test_mark_all_read_asks_when_the_list_is_long(indexed_db: Path) -> None:
    from reader.ui.screens.confirm import Confirm

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"byd", "enter")  # a few articles: no question
        await settle(app, pilot)
        few = len(headlines(app).ids)
        assert 0 < few < 20
        await pilot.press("A")
        await settle(app, pilot)
        assert not isinstance(app.screen, Confirm)
        assert app.store.count_matches("byd") == (few, 0)
        await pilot.press("escape", "A")  # every article: more than a screenful
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        from textual.widgets import Static

        lines = [w for w in app.screen.query(Static)]  # the question and the answers, on screen
        assert [str(w.render()) for w in lines] == [
            f"Mark the {SAMPLE_ARTICLES} articles listed read?",
            "y or enter: yes    n or escape: no",
        ]
        assert all(w.content_region.width >= len(str(w.render())) for w in lines)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.store.count_matches("")[1] == SAMPLE_ARTICLES - few
        await pilot.press("A", "y")
        await settle(app, pilot)
        assert app.store.count_matches("")[1] == 0
        assert all(headlines(app).article_at(i).read for i in range(5))


async def test_articles_appear_while_indexing(tmp_path: Path, monkeypatch) -> None:
    from reader.store import index

    for i in range(30):
        write(tmp_path / "src" / "s" / f"{i}.txt", f"date 2020-01-{i % 28 + 1:02d} Article {i}.")
    monkeypatch.setattr(index, "BATCH", 10)  # three batches
    app = make_app(tmp_path, sources=[str(tmp_path / "src")])
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert len(headlines(app).ids) == 30
        assert "indexing" not in status(app)


HOSTILE = {
    "a.txt": "date 2024-01-01 [@click=app.quit]x[/] clique ici.",
    "b.txt": "date 2024-01-02 Titre avec [bold red]balises[/bold red] et tout.",
    "c.txt": "date 2024-01-03 Copie \x1b]52;c;SGVsbG8=\x07 du presse-papier. Suite.",
}


async def test_untrusted_text_is_shown_literally(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        write(tmp_path / "src" / "[red]evil" / name, text)
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "src")])
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 20)) as pilot:
        hl = headlines(app)
        rows = [hl.render_line(y).text for y in range(3)]
        assert any("[@click=app.quit]x[/]" in r for r in rows)
        assert any("[bold red]balises[/bold red]" in r for r in rows)
        assert all("\x1b" not in r and "\x07" not in r for r in rows)
        assert any("[red]evil" in r for r in rows)
        await pilot.press("G", "enter")
        assert isinstance(app.screen, ArticleScreen)
        body = str(app.screen.query_one("#article-title").render())
        assert "[@click=app.quit]x[/]" in body
        await pilot.click("#article-title")
        assert app.is_running  # clicking the text ran no action


async def test_entity_panel_and_entity_screen(indexed_db: Path) -> None:
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.widgets.entity_panel import EntityPanel

    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)  # background entity extraction
        await pilot.press("slash", *"conferences lei")
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ArticleScreen)
        await settle(app, pilot)
        body = app.screen.content
        highlighted = {body.plain[s.start : s.end] for s in body.spans if "entity" in str(s.style)}
        assert {"Lei Jun", "Elon Musk", "Xiaomi", "Tesla", "Great Wall Motor"} <= highlighted
        await pilot.press("e")
        panel = app.screen.query_one(EntityPanel)
        assert panel.has_class("-shown") and panel.has_focus
        labels = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert labels[0].startswith("● Xiaomi") and "×8" in labels[0]
        scrolled = app.screen.query_one("#article-scroll").scroll_y
        await pilot.press("j")  # moves in the panel, not the article behind it
        assert panel.highlighted == 1
        assert app.screen.query_one("#article-scroll").scroll_y == scrolled
        await pilot.press("k")
        assert panel.highlighted == 0
        await pilot.press("enter")  # the highlighted entity: Xiaomi
        assert isinstance(app.screen, EntityScreen)
        articles = app.screen.query_one("#entity-articles", HeadlineList)
        assert articles.ids == app.store.search_ids("entity:Xiaomi") and len(articles.ids) == 23
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.rowid == articles.ids[0]
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ArticleScreen)  # back to the seed article
        await pilot.press("x")
        assert not app.screen.show_entities


async def test_an_entity_seen_in_one_month_or_a_few_is_drawn_sensibly(tmp_path: Path) -> None:
    """With a single month the chart was three full-width rows of blocks (and two months of
    3 and 4 articles drew one bar full, the other nearly empty): one month is said in a
    line, a few are bars from zero, a few cells a month."""
    from reader.ui.messages import OpenEntity
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.widgets.timeline import MONTH_CELLS, Timeline, chart_lines

    said = "Elon Musk met Lei Jun in Beijing on Tuesday, officials said."
    for day in ("2026-03-03", "2026-03-05", "2026-03-12", "2026-05-02"):
        write(tmp_path / "src" / "wire" / f"{day}.txt", f"date {day}\n\n{said}\n")
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "src" / "wire" / f"2026-03-{d}.txt") for d in ("03", "05")])
        store.extract_entities()
        once = store.entity("Elon Musk").id
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.post_message(OpenEntity(once))
        await settle(app, pilot)
        assert isinstance(app.screen, EntityScreen)
        assert not app.screen.query_one(Timeline).display  # no chart of one month
        assert str(app.screen.query_one("#entity-axis").render()) == "2 articles, all in 2026-03"
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.post_message(OpenEntity(once))
        await settle(app, pilot)
        chart = app.screen.query_one(Timeline)
        assert chart.display and chart.counts == [3, 0, 1]
        lines = [chart.render_line(y).text.rstrip() for y in range(chart.size.height)]
        assert lines == chart_lines([3, 0, 1], chart.size.width, 3)
        assert max(len(line) for line in lines) <= 3 * MONTH_CELLS  # not the screen's width
        axis = str(app.screen.query_one("#entity-axis").render())
        assert axis == "articles per month (at most 3)"
    assert chart_lines([3, 4], 100, 3) == ["▂▂ ██", "██ ██", "██ ██"]  # from zero: alike
    assert chart_lines([1, 0, 0, 2], 2, 1) == ["▄█"]  # more months than cells: the busiest


async def test_large_results_show_a_first_page_then_all(tmp_path: Path) -> None:
    from reader.ui.screens.headlines import FIRST_PAGE

    for i in range(FIRST_PAGE + 50):
        write(tmp_path / "src" / "s" / f"{i}.txt", f"date 2020-01-01 Article tesla {i}.")
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "src")])
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.headlines
        screen.search_text = "tesla"
        screen._apply(screen._run_query(screen.full_query(), limit=FIRST_PAGE))
        assert len(headlines(app).ids) == FIRST_PAGE
        assert f"{FIRST_PAGE}+ of" in status(app)
        await pilot.press("slash", *"tesla")
        await settle(app, pilot)
        ids = headlines(app).ids
        assert len(ids) == FIRST_PAGE + 50
        assert "+ of" not in status(app)
        # Held as 8-byte integers (a million ids: 8 MB, not about 40 in a list), in order.
        assert isinstance(ids, array) and ids.itemsize == 8
        assert list(ids) == store_ids(tmp_path / "ui.db", "tesla")
        await pilot.press("escape", "escape", "G", "enter", "K")  # the last article, then back one
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.rowid == ids[-2]


def store_ids(path: Path, query: str) -> list[int]:
    with FeedStore(path) as store:
        return store.search_ids(query)


async def test_article_links_are_numbered_and_open(indexed_db: Path, monkeypatch) -> None:
    import webbrowser

    from reader.ui.screens.links import LinksScreen

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url))
    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("slash", *"communique groupe publie", "enter", "enter")
        assert isinstance(app.screen, ArticleScreen)
        links = str(app.screen.query_one("#article-links").render())
        assert "[1] https://www.mi.com/global/" in links
        assert "[2] https://www.mi.com/global/about/investor" in links
        await pilot.press("o")
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("down", "enter")
        assert opened == ["https://www.mi.com/global/about/investor"]
        await pilot.press("o", "1")  # a digit opens that link at once
        assert opened[-1] == "https://www.mi.com/global/"
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape", "escape", "slash")
        app.screen.query_one(SearchBar).value = ""
        await pilot.press(*"conferences lei")
        await settle(app, pilot)
        await pilot.press("enter", "enter")  # the seed article has no links
        assert app.screen.links == []
        await pilot.press("o")
        assert any("no link" in str(n.message) for n in app._notifications)
        assert not app.screen.query_one("#article-links").display


async def test_find_in_article_counts_and_jumps(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("slash", *"conferences lei", "enter", "enter")
        assert isinstance(app.screen, ArticleScreen)
        screen = app.screen
        await pilot.press("slash", *"xiaomi")
        bar = screen.query_one(FindBar)
        assert str(bar.query_one(".find-bar--count").render()) == "9 found"  # 1 in the heading
        await pilot.press("enter", "n")  # to the first match (the heading's), then the body's
        assert screen.match_index == 1
        assert str(bar.query_one(".find-bar--count").render()) == "2 of 9"
        body = screen.content
        styles = [str(s.style) for s in body.spans]
        assert styles.count("$search-current") == 1 and styles.count("$search-match") == 7
        assert not bar.input.has_focus  # the keys are the article's again, as in less
        await pilot.press("n", "n")
        assert screen.match_index == 3
        await pilot.press("N")
        assert screen.match_index == 2
        assert bar.shown and str(bar.query_one(".find-bar--count").render()) == "3 of 9"
        await pilot.press("slash")  # back in the bar, the text kept
        assert bar.input.has_focus and bar.value == "xiaomi"
        bar.value = "Lei Jun:"  # typed as it is: the colon is no filter
        await pilot.pause()
        assert str(bar.query_one(".find-bar--count").render()) != "no match"
        await pilot.press("enter", "escape")  # escape closes the find first
        assert app.screen is screen and not bar.shown and screen.find_terms == []
        styles = [str(s.style) for s in screen.content.spans]
        assert "$search-match" not in styles and "$search-current" not in styles
        await pilot.press("escape")  # then leaves the article
        assert app.screen is not screen


async def test_what_is_typed_in_a_bar_shows(indexed_db: Path) -> None:
    """The bar's text box keeps its one row when focused (a focused Input's border took it)."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"defi")
        bar = app.headlines.query_one(SearchBar)
        assert bar.input.has_focus
        assert bar.input.content_region.height == 1 and bar.input.content_region.width > 10
        assert "defi" in bar.input.render_line(0).text
        await pilot.press("enter", "enter", "slash", *"xiaomi")
        find = app.screen.query_one(FindBar)
        assert find.input.has_focus and "xiaomi" in find.input.render_line(0).text


async def test_article_keys_q_g_and_next_unread(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("G")
        assert screen.scroll.scroll_y == screen.scroll.max_scroll_y
        await pilot.press("g")
        assert screen.scroll.scroll_y == 0
        await pilot.press("m")  # the next unread article of the list
        assert screen.index == 1
        await pilot.press("q")
        assert isinstance(app.screen, HeadlinesScreen)


async def test_entity_colours_follow_light_and_dark_themes(indexed_db: Path) -> None:
    app = make_app(indexed_db, theme_name="textual-light")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        light = app.get_css_variables()["entity-person"]
        app.theme = "textual-dark"
        await pilot.pause()
        dark = app.get_css_variables()["entity-person"]
        assert light != dark


async def test_the_cursor_row_keeps_the_source_readable_in_a_light_theme(indexed_db: Path) -> None:
    app = make_app(indexed_db, theme_name="textual-light")
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        hl = headlines(app)
        strip = hl.render_line(0)
        styles = {seg.style.color for seg in strip if seg.style and seg.text.strip()}
        backgrounds = {seg.style.bgcolor for seg in strip if seg.style}
        assert not styles & backgrounds  # no text in the colour of its own background


def rss_file(path: Path, n: int, items: int = 3) -> str:
    body = "".join(
        f"<item><title>Feed {n} story {i}</title><guid>https://f{n}.example/{i}</guid>"
        f"<pubDate>2026-11-{10 + i:02d}T10:00:00Z</pubDate>"
        f"<description>&lt;p&gt;See &lt;a href='https://f{n}.example/more'&gt;more&lt;/a&gt;"
        f"&lt;/p&gt;</description></item>"
        for i in range(items)
    )
    path.write_text(f'<rss version="2.0"><channel><title>Feed {n}</title>{body}</channel></rss>')
    return str(path)


async def test_subscriptions_refresh_in_the_background_and_with_R(tmp_path: Path) -> None:
    with FeedStore(tmp_path / "ui.db") as store:
        for n in range(9):  # enough to parse in worker processes
            store.subscribe(rss_file(tmp_path / f"f{n}.xml", n))
    app = make_app(tmp_path, refresh=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert len(headlines(app).ids) == 27
        assert "27 articles" in status(app)
        rss_file(tmp_path / "f0.xml", 0, items=5)
        await pilot.press("R")
        await settle(app, pilot)
        assert len(headlines(app).ids) == 29
        await pilot.press("slash", *"feed 0 story 4", "enter", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.links == ["https://f0.example/more", "https://f0.example/4"]
        assert app.screen.query_one("#article-links").display is False


async def test_R_without_subscriptions_says_how_to_add_one(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert any("newsreader add" in str(n.message) for n in app._notifications)


async def test_the_palette_lists_each_action_once(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert "Search as you type" in titles


async def test_the_reader_freezes_its_start_up_objects_after_the_first_paint(
    indexed_db: Path,
) -> None:
    """Full collections of every Textual object made the reader's worst keystrokes (115–208 ms
    against 47–88 ms frozen, 100,000 articles): they are frozen once the first screen shows."""
    import gc

    gc.unfreeze()
    app = make_app(indexed_db)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert gc.get_freeze_count() > 10_000


async def test_a_large_list_paints_its_first_screenful_then_restores_the_position(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On mount only the first screenful is read (FIRST_PAGE, 10 here for the 50 sample
    articles); the full list follows from the search worker, and the article the last session
    ended on is found again in it even when it is beyond the first screenful."""
    from reader.ui.screens import headlines as screen

    monkeypatch.setattr(screen, "FIRST_PAGE", 10)

    async def until(pilot, done) -> None:
        """Settle, then wait (up to 5 s) for the full list's message to be handled."""
        await settle(pilot.app, pilot)
        for _ in range(250):
            if done():
                return
            await pilot.pause(0.02)

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: len(headlines(app).ids) == SAMPLE_ARTICLES)
        assert len(headlines(app).ids) == SAMPLE_ARTICLES
        for _ in range(30):
            await pilot.press("j")
        remembered = headlines(app).current.uid
    applied: list[tuple[int, bool]] = []  # each list the screen showed: (rows, complete)
    apply = HeadlinesScreen._apply

    def recorded(
        self: HeadlinesScreen, results: HeadlinesScreen.Results, keep: int | None = -1
    ) -> None:
        applied.append((len(results.ids), results.complete))
        apply(self, results, keep)

    monkeypatch.setattr(HeadlinesScreen, "_apply", recorded)
    again = make_app(indexed_db)
    async with again.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: applied[-1][1])
        assert applied[0] == (10, False)  # the first paint: the first screenful only
        assert applied[-1] == (SAMPLE_ARTICLES, True)
        assert len(headlines(again).ids) == SAMPLE_ARTICLES
        assert headlines(again).current.uid == remembered
        assert headlines(again).cursor == 30


async def test_an_older_search_that_starts_late_never_interrupts_a_newer_one(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Searches are numbered in the order they are asked for: a worker that starts after a
    newer one (its thread descheduled) returns at once instead of interrupting it."""
    import threading
    import time
    import types

    from reader.store.database import Database
    from reader.ui.screens import headlines as screen

    late = {"first": True}

    def get_ident() -> int:
        if late["first"]:  # the older search's worker reaches the lock 100 ms late
            late["first"] = False
            time.sleep(0.1)
        return threading.get_ident()

    monkeypatch.setattr(screen, "threading", types.SimpleNamespace(
        get_ident=get_ident, Lock=threading.Lock))  # fmt: skip
    interrupts: list[int] = []
    interrupt = Database.interrupt

    def recorded(self: Database, thread: int) -> None:
        interrupts.append(thread)
        interrupt(self, thread)

    monkeypatch.setattr(Database, "interrupt", recorded)
    search_ids = FeedStore.search_ids

    def slow_newer(self: FeedStore, text: str, order: str = "date", limit: int | None = None):
        if text.startswith("xiaomi"):  # the newer search is still running when the older starts
            time.sleep(0.3)
        return search_ids(self, text, order, limit)

    monkeypatch.setattr(FeedStore, "search_ids", slow_newer)
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        late["first"] = True
        interrupts.clear()
        app.headlines.search_text = "tesla"
        app.headlines.search(app.headlines.full_query())  # asked first, starts late
        await pilot.pause(0.03)  # its worker has started (and is held back)
        app.headlines.search_text = "xiaomi"
        app.headlines.search(app.headlines.full_query())
        for _ in range(3):
            await settle(app, pilot)
            await pilot.pause(0.3)
        assert interrupts == []
        with FeedStore(indexed_db / "ui.db") as store:
            assert len(headlines(app).ids) == len(store.search_ids("xiaomi*"))


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([*"tesla", *["backspace"] * 5, *"xiaomi"], "xiaomi"),
        ([*"byd", "ctrl+u", *"tesla"], "tesla"),
        ([*"byd", "ctrl+w", *"tesla"], "tesla"),
        ([*"abc", "home", "x", "end", "y", "left", "z"], "xabczy"),
        ([*"abcd", "left", "left", "ctrl+k", *"xy"], "abxy"),
    ],
)
async def test_editing_keys_keep_their_place_among_fast_typed_characters(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str], expected: str
) -> None:
    """Keys typed faster than the screen handles each change (held back 30 ms here) still
    edit in order: backspace, ctrl+u, home… were bindings run after the key bubbled through
    the busy screen, so `tesla⌫⌫⌫⌫⌫xiaomi` became `tiaomi` in a real terminal, `byd` ctrl+u
    `tesla` an empty box and `abc` home `x` end `y` ← `z` `xyzabc`."""
    import time

    from textual import events

    rerun = HeadlinesScreen.rerun

    def busy(self: HeadlinesScreen) -> None:
        time.sleep(0.03)  # the screen's work for one keystroke, made slow
        rerun(self)

    monkeypatch.setattr(HeadlinesScreen, "rerun", busy)
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        bar = app.screen.query_one(SearchBar)
        for key in keys:  # as a terminal delivers them: all queued at once
            char = key if len(key) == 1 else None
            app.post_message(events.Key(key, char))
        for _ in range(100):
            await pilot.pause(0.05)
            if bar.value == expected or len(bar.value) >= len(expected):
                break
        await settle(app, pilot)
        assert bar.value == expected


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["slash", *"byd", "ctrl+u", *"tesla"], "tesla"),
        (["slash", *"byd", "backspace", "backspace", "backspace", *"tesla"], "tesla"),
        (["slash", *"abc", "home", "x", "end", "y", "left", "z"], "xabczy"),
        (["slash", *"abc", "left", "left", "ctrl+k", "x"], "ax"),
    ],
)
async def test_keys_typed_with_the_slash_that_opens_the_bar_keep_their_order(
    indexed_db: Path, keys: list[str], expected: str
) -> None:
    """Keys sent in one burst with the `/` that opens the search bar reach the screen after
    the focus moved: the letters went into the box behind the keys before them, but the
    editing keys ran at once (`/byd` ctrl+u `tesla` left an empty box)."""
    from textual import events

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        for key in keys:  # as a terminal delivers them: all queued at once
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert app.screen.query_one(SearchBar).value == expected


async def test_a_key_typed_right_after_enter_goes_where_enter_sent_the_focus(
    indexed_db: Path,
) -> None:
    """`tesla` enter `j` in one burst typed the `j` into the box (the screen moves the focus
    to the list when it hears of the submission, after the `j` was queued in the box)."""

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"tesla")
        await settle(app, pilot)  # (the matches listed: enter goes to them)
        burst(app, ["enter", "j", "j"])
        await settle(app, pilot)
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert app.screen.query_one(SearchBar).value == "tesla"
        assert app.focused is headlines(app)
        assert headlines(app).cursor == 2  # the two j's moved down the matches


@pytest.mark.parametrize(
    ("leave", "keys"),
    [
        ("enter", ["j", "j"]),
        ("enter", ["A"]),
        ("enter", ["j", "enter"]),
        ("enter", ["j", "r"]),
        ("escape", ["j"]),
    ],
)
async def test_keys_typed_before_a_searchs_results_came_act_on_them(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch, leave: str, keys: list[str]
) -> None:
    """`tesla` enter then a key for the list, before the matches for `tesla` were found: the
    key acted on the list shown before (all articles). `A` asked to mark all of them read,
    `j` enter opened an article that does not match, `j r` marked one, and `j j` moved
    down a list that was then replaced. The keys wait for the matches."""
    gate = threading.Event()  # holds every search's results back (the river is listed)
    search = hold_searches(monkeypatch, {"": gate})
    with FeedStore(indexed_db / "ui.db") as store:
        matches = list(search(store, "tesla*"))
        everything = len(search(store, ""))
    assert 3 < len(matches) < everything
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        try:
            await settle(app, pilot)
            await pilot.press("slash", *"tesla", leave)  # (escape keeps the filter too)
            await pilot.pause(0.2)
            await pilot.press(*keys)
            await pilot.pause(0.2)
        finally:
            gate.set()
        await settle(app, pilot)
        await pilot.pause(0.1)
        await settle(app, pilot)
        with FeedStore(indexed_db / "ui.db") as store:
            read = set(store.search_id_array("is:read"))
        if keys == ["A"]:
            assert isinstance(app.screen, Confirm)  # (more than the list's height)
            assert app.screen.question == f"Mark the {len(matches)} articles listed read?"
            await pilot.press("y")
            await settle(app, pilot)
            with FeedStore(indexed_db / "ui.db") as store:
                assert set(store.search_id_array("is:read")) == set(matches)
        elif keys == ["j", "enter"]:
            assert isinstance(app.screen, ArticleScreen)
            assert app.screen.article is not None
            assert app.screen.article.rowid == matches[1]
        elif keys == ["j", "r"]:
            assert read == {matches[1]}
        else:
            assert list(headlines(app).ids) == matches
            assert headlines(app).cursor == (2 if keys == ["j", "j"] else 1)


async def test_a_hold_is_not_released_by_an_earlier_holds_time_limit(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time limit of a hold whose results came went on running, and released the keys of
    a later hold before that hold's results (they acted on the list shown before)."""
    from reader.ui.screens import headlines as headlines_module

    limit = 4.0
    monkeypatch.setattr(headlines_module, "HOLD_LIMIT", limit)
    gates = {"byd": threading.Event(), "tesla": threading.Event()}
    hold_searches(monkeypatch, gates)
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        try:
            await settle(app, pilot)
            screen = app.headlines
            await pilot.press("slash", *"byd", "enter")
            await pilot.pause(0.1)
            await pilot.press("j")  # held: the first hold's limit runs from here
            first = time.monotonic()
            assert screen._held == [("j", "j")]
            gates["byd"].set()
            await pilot.pause(0.2)
            assert screen._held is None  # released by its results
            await pilot.press("slash", "ctrl+u", *"tesla", "enter")
            await pilot.pause(0.1)
            await pilot.press("k")  # the second hold
            if time.monotonic() > first + limit - 0.5:  # (a machine too busy to tell)
                pytest.skip("typing the second search took longer than the first hold's limit")
            while time.monotonic() < first + limit + 0.5:  # past the first hold's limit
                await pilot.pause(0.1)
            assert screen._held == [("k", "k")]  # (its own limit is further off)
        finally:
            for gate in gates.values():
                gate.set()
        await settle(app, pilot)


@pytest.mark.parametrize("leave", ["q", "escape"])
async def test_keys_after_the_key_that_closed_an_article_go_to_the_list(
    indexed_db: Path, leave: str
) -> None:
    """`q j j j enter` in one burst in an article: the j's reached the article's screen after
    it had closed and were lost, and enter opened the article just left again."""

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        ids = list(headlines(app).ids)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        burst(app, [leave, "j", "j", "j", "enter"])
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article is not None and app.screen.article.rowid == ids[3]


async def test_a_question_opened_by_a_key_gets_the_key_typed_after_it(indexed_db: Path) -> None:
    """`A y j` in one burst: the `y` reached the list before `A` had opened its question,
    and the question stayed open."""

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 12)) as pilot:  # (A asks: more than a screenful)
        await settle(app, pilot)
        burst(app, ["A", "y", "j"])
        await settle_burst(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)
        assert headlines(app).cursor == 1
    with FeedStore(indexed_db / "ui.db") as store:
        assert store.count_matches("is:unread")[0] == 0


async def test_a_burst_that_searches_marks_and_answers_marks_the_matches(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/tesla` enter `A y` in one burst, the search slower than the keys: the `y` went into
    the search box and the question asked about every article; now `A` waits for the
    matches, `y` answers its question and a key after it goes to the list."""

    gate = threading.Event()
    search = hold_searches(monkeypatch, {"": gate})
    with FeedStore(indexed_db / "ui.db") as store:
        matches = set(search(store, "tesla*"))
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 12)) as pilot:  # (A asks: more than a screenful)
        try:
            await settle(app, pilot)
            burst(app, ["slash", *"tesla", "enter", "A", "y", "j"])
            await pilot.pause(0.5)
        finally:
            gate.set()
        await settle(app, pilot)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert app.screen.query_one(SearchBar).value == "tesla"
        assert headlines(app).cursor == 1  # the `j` after the question's `y`: not lost
    with FeedStore(indexed_db / "ui.db") as store:
        assert set(store.search_id_array("is:read")) == matches


@pytest.mark.parametrize(
    "keys",
    [
        ["q", "q"],
        ["escape", "escape", "escape"],
        ["f", "q", "q"],
        ["question_mark", "escape", "escape"],
    ],
)
async def test_keys_queued_behind_the_one_that_closed_a_screen_do_not_close_another(
    indexed_db: Path, keys: list[str]
) -> None:
    """`q q` in one burst in an article: the second `q` was handled by the article screen
    after it left, and popped the screen below it (here none: ScreenStackError, and the
    reader ended on a traceback). `f q q` ended the same way in the feed list's mount."""
    from textual import events

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        if keys[0] in ("q", "escape"):
            await pilot.press("enter")  # an article open
            await settle(app, pilot)
            assert isinstance(app.screen, ArticleScreen)
        for key in keys:  # as a terminal delivers them: all queued at once
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(app, pilot)
        await pilot.pause(0.2)
    assert app._exception is None
    assert app.fatal is None


async def test_searches_reuse_their_threads_connections(indexed_db: Path) -> None:
    """Search workers keep their connection (the pool's threads come back): a connection, and
    with ignore rules its set of hidden ids, is not made again for every keystroke."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        made = app.store.db._serial
        for query in ("t", "te", "tes", "tesl", "tesla", "x", "xi", "xia", "xiao", "xiaomi"):
            app.headlines.search_text = query
            app.headlines.search(app.headlines.full_query())
            await settle(app, pilot)
        assert app.store.db._serial - made <= 3  # at most a few pool threads, not ten


async def test_keys_typed_with_the_slash_go_into_the_search(indexed_db: Path) -> None:
    """A paste, or keys typed while the app is busy, arrive together: the ones after ``/``
    go into the bar, not to the list (where ``l`` opened an article and ``m`` marked one)."""
    from textual import events

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        for key in ("slash", *"volk"):  # queued at once, as a terminal delivers one write
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await settle(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)
        assert app.screen.query_one(SearchBar).value == "volk"
        app.screen.query_one(SearchBar).value = ""
        await pilot.press("escape", "escape", "enter")  # an article, and its find bar
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        read = app.screen.query_one(FindBar)
        for key in ("slash", *"mark"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await settle(app, pilot)
        assert read.value == "mark"


async def test_keys_queued_together_act_in_their_order(indexed_db: Path) -> None:
    """A key before the one that opens the bar acts on the list (s stars the article under
    the cursor), the keys after it go into the bar; and the keymap's keys are the ones
    honoured (search moved to f, / given to the sources panel)."""
    from textual import events

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        for key in ("s", "slash", *"volk"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await settle(app, pilot)
        assert app.screen.query_one(SearchBar).value == "volk"
        assert app.store.count_matches("is:starred")[0] == 1
    keymap = {"headlines.search": "f", "headlines.toggle_sources": "slash"}
    app = make_app(indexed_db, keymap=keymap)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        shown = app.screen.query_one(SourcesPanel).display
        app.post_message(events.Key("slash", "/"))
        await settle(app, pilot)
        assert app.screen.query_one(SourcesPanel).display != shown
        assert not app.screen.query_one(SearchBar).shown
        for key in ("f", *"volk"):
            app.post_message(events.Key(key, key))
        await settle(app, pilot)
        assert app.screen.query_one(SearchBar).value == "volk"


async def test_a_notification_leaves_the_search_bar_and_status_line_visible(
    indexed_db: Path,
) -> None:
    """A toast (here the one marking read gives) is drawn above the bottom bars: over the
    search bar it hid the query and its count for seconds."""
    from textual.widgets._toast import Toast

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"xiaomi")
        await settle(app, pilot)
        app.notify("22 articles marked read, a long enough message to reach the bar's count")
        await pilot.pause()
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert toasts
        bars = [app.headlines.query_one(SearchBar), app.headlines.query_one("#status")]
        for toast in toasts:
            for bar in bars:
                assert not toast.region.overlaps(bar.region), (toast.region, bar.region)


async def test_ctrl_c_says_how_to_quit(indexed_db: Path) -> None:
    """ctrl+c (a terminal user's reflex) neither quits nor does nothing: it says which keys
    quit here (the screen's copy binding used to take it silently)."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages == ["Press q or ^q to quit."]
        assert app.is_running and isinstance(app.screen, HeadlinesScreen)


async def test_unread_only_keeps_a_row_marked_read_so_r_undoes(indexed_db: Path) -> None:
    """In "unread only", r marks the article read and it stays where it is (shown read): a
    second r marks it unread again, not the article that moved up under the cursor. Asking
    for the list again (u twice) leaves it out; A empties the list at once."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        hl = headlines(app)
        first, second = hl.ids[0], hl.ids[1]
        await pilot.press("r")
        await settle(app, pilot)
        app._watch_store()  # what its poll does every two seconds: the writer's commit seen
        await settle(app, pilot)
        assert app.store.article(first).read
        assert hl.ids[0] == first and hl.current.rowid == first and hl.current.read
        await pilot.press("r")
        await settle(app, pilot)
        app._watch_store()
        await settle(app, pilot)
        assert not app.store.article(first).read and not app.store.article(second).read
        await pilot.press("r", "u", "u")
        await settle(app, pilot)
        assert first not in hl.ids and hl.ids[0] == second
        await pilot.press("A")
        await settle(app, pilot)
        if isinstance(app.screen, Confirm):
            await pilot.press("y")
            await settle(app, pilot)
        assert len(hl.ids) == 0 and "No article matches" in status(app)


def damage_bodies(db: Path, table: str = "bodies") -> None:
    """Overwrite the first page of ``table`` with garbage (as a disk error would)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\xff" * size)


async def test_an_article_on_a_damaged_page_is_said_not_a_crash(indexed_db: Path) -> None:
    """Opening an article whose text SQLite cannot read says so in one line (the file, and
    `--rebuild`) and goes back to the list; the reader goes on."""
    damage_bodies(indexed_db / "ui.db")
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        assert len(headlines(app).ids) == SAMPLE_ARTICLES  # the headlines need no body
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)
        errors = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert any("damaged" in e and "--rebuild" in e and "ui.db" in e for e in errors)
        await pilot.press("j", "slash", "t", "e", "s", "l", "a", "enter")
        await settle(app, pilot)
        assert headlines(app).ids  # searching still works
    assert app.return_code in (0, None)


async def test_a_damaged_page_met_elsewhere_ends_the_reader_with_one_line(tmp_path: Path) -> None:
    """Anywhere else (here the article's entities), a damaged database ends the reader with
    the one line the command line prints (the file, and `--rebuild`), not a traceback."""
    db = tmp_path / "ui.db"
    with FeedStore(db) as store:
        store.index([str(FEEDS)])
        store.extract_entities()
    damage_bodies(db, table="entities")
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("enter")
        app.simulate_key("e")  # not waited for: the reader ends under the pilot
        for _ in range(100):
            if app.fatal:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1
    assert app.fatal is not None and "damaged" in app.fatal and "--rebuild" in app.fatal
    assert str(db) in app.fatal


async def test_footer_keys_do_not_pile_up_as_articles_are_read(indexed_db: Path) -> None:
    """Each article shown changes the screen's bindings and the footer composes its keys
    again; the old keys must go (Textual's footer kept every one: 16 widgets an article)."""
    from textual.widgets._footer import FooterKey

    def keys_alive() -> int:
        gc.collect()
        return sum(isinstance(o, FooterKey) for o in gc.get_objects())

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("enter")
        alive = []
        for _ in range(4):
            await pilot.press(*["J"] * 10, "escape", "enter")
            await settle(app, pilot)
            alive.append(keys_alive())
        # (the first round's count may still hold a screen being taken down)
        assert alive[3] - alive[1] < 16, alive  # not a footer's worth more for 20 articles


async def test_enter_then_q_typed_fast_does_not_quit(indexed_db: Path) -> None:
    """``enter q`` typed faster than the article opens: the q reached the headlines first
    and quit the reader (a tester, three times out of three); then it was dropped (the
    article stayed open). Now it waits for the article, and closes it."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        first = headlines(app).current
        assert first is not None and not first.read
        app.simulate_key("enter")  # both queued at once, as a fast typist sends them
        app.simulate_key("q")
        await settle(app, pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, HeadlinesScreen) and app.return_code is None
        assert app.store.article(first.rowid).read  # (it was opened)
        # an article chosen whose screen never came holds q back for a second at most
        headlines(app).opening_since = time.monotonic() - 2
        await pilot.press("q")
        assert app.return_code == 0


def test_keymap_keys_that_can_never_fire_are_said() -> None:
    """A key the terminal sends as another (``shift+j`` is ``J``, ``ctrl+m`` is enter), a key
    a priority binding holds on every screen (the command palette's ``ctrl+p``), a key listed
    twice, and a clash on the links list were all taken silently (a tester's keymap)."""
    problems = keymap_problems(
        {
            "headlines.down": "shift+j",
            "headlines.up": "ctrl+m",
            "headlines.search": "ctrl+p",
            "links.open_1": "2",
            "article.next": "J,J",
        }
    )
    assert any("'shift+j' never arrives as such (write it 'J')" in p for p in problems)
    assert any("'ctrl+m' never arrives as such" in p and "'enter'" in p for p in problems)
    assert any("'ctrl+p' is taken by the command palette" in p for p in problems)
    assert any(
        "links.open_2 is now unbound from '2' (yours for links.open_1)" in p for p in problems
    )
    assert any("listed twice" in p for p in problems)
    assert keymap_problems({"headlines.down": "J", "app.quit": "ctrl+q"}) == []


async def test_m_past_the_last_unread_article_says_so(indexed_db: Path) -> None:
    """``m`` (mark read, go to the next unread) with no unread article below says so, as
    ``n`` does, rather than doing nothing visible."""
    with FeedStore(indexed_db / "ui.db") as store:
        store.mark_read("")
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        assert [str(n.message) for n in app._notifications] == ["No unread article."]


async def test_next_unread_past_the_last_goes_on_from_the_top(indexed_db: Path) -> None:
    """`n` on the last row said "No unread article below." with unread articles above: it
    goes on from the top, as newsboat does, and says so; `N` from the bottom; "No unread
    article" only when there is none. In an article, `m` does the same."""
    with FeedStore(indexed_db / "ui.db") as store:
        store.mark_read("")
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)

        def said() -> str:
            return str(list(app._notifications)[-1].message) if app._notifications else ""

        await pilot.press(*"jjj", "r", *"jjjjjjj", "r")  # rows 3 and 10 unread
        await settle(app, pilot)
        app.clear_notifications()
        await pilot.press("G", "n")
        assert hl.cursor == 3 and said() == "Wrapped to the top: no unread article below."
        await pilot.press("n")
        assert hl.cursor == 10
        await pilot.press("g", "N")
        assert hl.cursor == 10
        assert said() == "Wrapped to the bottom: no unread article above."
        await pilot.press("r", "n")  # row 3 the only unread one: from the top again
        assert hl.cursor == 3
        app.clear_notifications()
        await pilot.press("n", "N")
        assert hl.cursor == 3 and said() == "No other unread article."
        await pilot.press("m")  # marked read: none left
        assert hl.cursor == 3 and said() == "No unread article."
        await pilot.press("r", "G", "enter")  # row 3 unread again; the last article opened
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("m")
        assert screen.index == 3
        assert said() == "Wrapped to the top of the list: no unread article after this one."
        await settle(app, pilot)
        await pilot.press("m")
        assert screen.index == 3 and said() == "No other unread article."


@pytest.mark.parametrize("width", [40, 120])
async def test_the_palette_key_reaches_the_right_edge_of_the_footer(
    indexed_db: Path, width: int
) -> None:
    """At 40 columns the keys overflow the footer and the last column showed a letter of the
    key under the palette's ("▏^p paletted")."""
    from textual.widgets._footer import FooterKey

    app = NewsReader(indexed_db / "ui.db")
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    async with app.run_test(size=(width, 12)) as pilot:
        await settle(app, pilot)
        (palette,) = [k for k in app.screen.query(FooterKey) if k.has_class("-command-palette")]
        assert palette.region.right == width


@pytest.mark.parametrize(("width", "article"), [(63, False), (72, False), (49, True), (60, True)])
async def test_the_footer_leaves_out_whole_keys_that_do_not_fit(
    indexed_db: Path, width: int, article: bool
) -> None:
    """The key under the palette's was cut mid-word ("q Quit f1 H▏^p palette"): the keys
    shown are the first ones, each whole and left of the palette's key; every key shows
    again when the screen is wide enough."""
    from textual.widgets._footer import FooterKey

    app = NewsReader(indexed_db / "ui.db")
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    async with app.run_test(size=(width, 20)) as pilot:
        await settle(app, pilot)
        if article:
            await pilot.press("enter")
            await settle(app, pilot)
        await pilot.pause(0.1)  # (the footer composes its keys after a refresh)

        def footer() -> tuple[list[FooterKey], list[FooterKey], FooterKey]:
            found = list(app.screen.query(FooterKey))
            (palette,) = [k for k in found if k.has_class("-command-palette")]
            keys = [k for k in found if k is not palette]
            return keys, [k for k in keys if k.display], palette

        keys, shown, palette = footer()
        assert 0 < len(shown) < len(keys)
        assert shown == keys[: len(shown)]  # the first ones, in order
        for key in shown:
            assert key.region.right < palette.region.x, (key.description, key.region)
        await pilot.resize_terminal(160, 20)
        await pilot.pause(0.1)
        keys, shown, palette = footer()
        assert shown == keys


@pytest.mark.parametrize(
    "keys", [("p",), ("enter", "e"), ("enter", "e", "enter"), ("enter", "o")]
)  # the sources panel, the entity panel, an entity's screen, the link chooser
async def test_a_window_too_narrow_for_a_list_of_options_is_survived(
    tmp_path: Path, keys: tuple[str, ...]
) -> None:
    """At 12 columns or less these lists had no room for text and the reader ended with a
    traceback (Rich's chop_cells with width 0); back at a usable width they are laid out."""
    from textual.widgets import OptionList as TextualOptionList

    with FeedStore(tmp_path / "n.db") as store:
        store.index([str(FEEDS)])
        store.extract_entities()
    app = NewsReader(tmp_path / "n.db")
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    async with app.run_test(size=(100, 25)) as pilot:
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        lists = list(app.screen.query(TextualOptionList))
        assert lists and all(lst.option_count for lst in lists)
        for width in (12, 5, 1):
            await pilot.resize_terminal(width, 4)
            await settle(app, pilot)
            for key in ("pagedown", "end", "pageup", "down"):  # moving reads the lines
                await pilot.press(key)
                await settle(app, pilot)
        await pilot.resize_terminal(100, 25)
        await settle(app, pilot)
        assert all(len(lst._lines) >= lst.option_count for lst in lists)
    assert app.return_code in (None, 0)


async def test_the_sources_panel_groups_thousands_as_the_feed_list_does() -> None:
    from textual.app import App, ComposeResult

    from reader.store.articles import SourceCount

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield SourcesPanel()

    app = One()
    async with app.run_test() as pilot:
        panel = app.query_one(SourcesPanel)
        panel.show_counts([SourceCount("wire", total=100000, unread=48361)])
        await pilot.pause()
        rows = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
    assert rows == ["All  48,361/100,000 unread", "wire  48,361/100,000"]


def test_print_keymap_says_which_keys_never_reach_their_binding() -> None:
    """`--print-keymap` printed `"headlines.toggle_read" = "N"` although N went to
    prev_unread; `j,,down` was taken; ctrl+c was said to be held by "copy_or_quit_hint"."""
    toml = keymap_toml(
        {"headlines.toggle_read": "N", "app.feeds": "F", "headlines.up": "k,up,ctrl+p"}
    )
    lines = {line.split(" = ")[0].strip('"'): line for line in toml.splitlines()[1:]}
    assert "ctrl+p goes to the command palette on every screen" in lines["headlines.up"]
    # the user's own keys win over the defaults' (which lose them)
    assert "goes to" not in lines["headlines.toggle_read"] + lines["app.feeds"]
    assert "goes to" not in keymap_toml({})  # the defaults never lose a key
    with pytest.raises(KeymapError, match="an empty key"):
        validate_keymap({"headlines.down": "j,,down"})
    problems = keymap_problems({"headlines.up": "ctrl+c"})
    assert problems == [
        "[keymap] 'headlines.up': 'ctrl+c' is taken by copying the selection (and the hint "
        "of how to quit) on every screen"
    ]


def test_a_users_key_wins_over_the_default_that_had_it() -> None:
    """`"headlines.toggle_read" = "N"` was said to lose N to the default prev_unread (and
    `--print-keymap` said so): the user's binding wins, the default loses the key, and only
    a default left without any key is said; two of the user's own on one key still are."""
    keymap = {"headlines.toggle_read": "N"}
    assert effective_keymap(keymap) == {"headlines.toggle_read": "N", "headlines.prev_unread": ""}
    assert keymap_problems(keymap) == [
        "[keymap] the default headlines.prev_unread is now unbound from 'N' (yours for "
        "headlines.toggle_read) and has no key left; give it one under [keymap] to keep it"
    ]
    lines = keymap_toml(keymap).splitlines()
    assert '"headlines.toggle_read" = "N"  # Read (remapped)' in lines
    assert (
        '# "headlines.prev_unread": no key  # Prev unread; N goes to headlines.toggle_read on '
        "the headlines" in lines
    )
    # a default that keeps other keys loses the one taken (j: the list's, before the screen's)
    keymap = {"headlines.toggle_sources": "j"}
    assert effective_keymap(keymap)["headlines.down"] == "down"
    assert keymap_problems(keymap) == [  # (the sources panel's j, live inside the screen)
        "[keymap] the default sources.down is now unbound from 'j' (yours for "
        "headlines.toggle_sources) and has no key left; give it one under [keymap] to keep it"
    ]
    assert (
        '"headlines.down" = "down"  # Down; j goes to headlines.toggle_sources on the headlines'
        in keymap_toml(keymap)
    )
    # the user's already first (the screen's before the app's): the default keeps its key
    assert effective_keymap({"headlines.toggle_read": "f"}) == {"headlines.toggle_read": "f"}
    assert keymap_problems({"headlines.toggle_read": "f"}) == []
    both = keymap_problems({"headlines.toggle_read": "N", "headlines.toggle_star": "N"})
    assert (
        "[keymap] 'N' is bound to both headlines.toggle_read and headlines.toggle_star on the "
        "headlines; headlines.toggle_read wins" in both
    )


def test_a_users_key_wins_in_the_panels_of_its_screen_and_not_above_a_modal() -> None:
    """A screen's or the app's binding is live while a panel of the screen has the focus: the
    panel's default lost nothing (`sources.down`, `entities.down` kept j silently, and j moved
    in the sources panel instead of closing it). Above a modal screen the app's bindings are
    not live (links.down lost j to app.feeds for nothing), but a priority one is: help.close
    was printed with q though q quits there."""
    keymap = {"headlines.toggle_sources": "j"}
    assert effective_keymap(keymap)["sources.down"] == ""
    assert (
        '# "sources.down": no key  # Down; j goes to headlines.toggle_sources on the sources '
        "panel" in keymap_toml(keymap).splitlines()
    )
    keymap = {"app.feeds": "j"}
    effective = effective_keymap(keymap)
    for ident in ("sources.down", "entities.down", "feeds.down"):
        assert effective[ident] == "", ident
    assert effective["headlines.down"] == effective["article.down"] == "down"
    assert "links.down" not in effective and "help.down" not in effective  # (modal screens)
    said = " ".join(keymap_problems(keymap))
    assert "the default sources.down is now unbound from 'j'" in said
    assert "the default entities.down is now unbound from 'j'" in said
    assert "links.down" not in said and "help.down" not in said
    lines = keymap_toml({"app.quit": "q"}).splitlines()
    assert (
        '"help.close" = "escape,question_mark,f1"  # Close help; q goes to app.quit on every '
        "screen" in lines
    )
    assert '"app.quit" = "q"  # Quit (remapped)' in lines  # (one comment: "# Quit  # remapped")


async def test_keys_taken_in_panels_and_modal_screens_work_so(indexed_db: Path) -> None:
    """j bound to the sources toggle closes the sources panel from inside it; j bound to the
    feed list still moves in the links list (a modal screen); q bound to quit quits from the
    help, as ``--print-keymap`` says."""
    from textual.widgets import OptionList

    from reader.ui.screens.links import LinksScreen

    app = make_app(indexed_db, keymap={"headlines.toggle_sources": "j"})
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one(SourcesPanel)
        await pilot.press("j")
        assert panel.has_class("-shown") and panel.has_focus
        await pilot.press("j")
        assert not panel.has_class("-shown")
    app = make_app(indexed_db, keymap={"app.feeds": "j"})
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("slash", *"communique groupe publie", "enter", "enter", "o")
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("j")
        assert isinstance(app.screen, LinksScreen)
        assert app.screen.query_one("#links", OptionList).highlighted == 1
    app = make_app(indexed_db, keymap={"app.quit": "q"})
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_a_users_key_taken_from_a_default_works_in_the_reader(indexed_db: Path) -> None:
    """The keys the user gave win on the screen, whichever of the widget, the screen or the
    app held the default; a default left without a key shows in no footer."""
    from textual.widgets._footer import FooterKey

    from reader.ui.screens.feeds import FeedsScreen

    keymap = {"headlines.toggle_read": "N", "headlines.toggle_sources": "j", "app.feeds": "n"}
    app = make_app(indexed_db, keymap=keymap, warnings=keymap_problems(keymap))
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        assert not hl.current.read
        await pilot.press("N")
        assert hl.current.read and hl.cursor == 0  # toggled read, not moved
        await pilot.press("down", "j")  # j: the sources panel, no longer down
        assert hl.cursor == 1
        assert app.screen.query_one(SourcesPanel).has_class("-shown")
        keys = [k.key for k in app.screen.query(FooterKey)]
        assert "n" in keys and NO_KEY not in keys  # (next unread has no key left)
        assert not [n for n in app._notifications if "keymap:" in str(n.message)]
        await pilot.press("p", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table().plain
        line = next(ln for ln in table.splitlines() if "headlines.prev_unread" in ln)
        assert line.split()[:2] == ["(no", "key)"]


def test_no_color_tells_the_kinds_of_entity_apart_by_decoration(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With NO_COLOR the palette showed as greys a step apart (245, 246, 247): people,
    organisations and places could not be told apart."""
    app = NewsReader(indexed_db / "ui.db")
    plain = app.get_theme_variable_defaults()
    monkeypatch.setenv("NO_COLOR", "1")
    marked = app.get_theme_variable_defaults()
    assert marked["entity-person"] == plain["entity-person"]  # bold, as every entity
    assert marked["entity-org"] == plain["entity-org"] + " underline"
    assert marked["entity-place"] == plain["entity-place"] + " italic"
    app.store.close()


async def test_entities_in_a_feed_items_title_are_highlighted(tmp_path: Path) -> None:
    from reader.ui.text import ENTITY_STYLES

    from .test_entities import TITLED_FEED

    write(tmp_path / "src" / "wire.xml", TITLED_FEED)
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "src")])
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "enter")  # the older item: "Angela Merkel Visits Paris"
        assert isinstance(app.screen, ArticleScreen)
        await settle(app, pilot)
        title = app.screen.query_one("#article-title").render()
        assert isinstance(title, Content) and title.plain == "Angela Merkel Visits Paris"
        styled = {title.plain[s.start : s.end]: str(s.style) for s in title.spans}
        assert ENTITY_STYLES["PERSON"] in styled["Angela Merkel"]
        assert ENTITY_STYLES["PLACE"] in styled["Paris"]
        legend = str(app.screen.query_one("#article-legend").render())
        assert "person" in legend and "place" in legend  # the body has none: the title's
        await pilot.press("x")  # entities hidden: the title is plain bold
        title = app.screen.query_one("#article-title").render()
        assert isinstance(title, Content)
        assert all("entity" not in str(s.style) for s in title.spans)


async def test_an_article_opened_from_a_search_finds_its_words(indexed_db: Path) -> None:
    """The search's words are found in the article it opens, as its find would find them:
    accents aside, a phrase as a phrase, a prefix as a prefix; filters and negated words are
    not searched for. n goes to the first; escape closes the find, then leaves."""
    from reader.textutil import fold

    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        query = 'défi "lei jun" xiao* -bitcoin source:numerama'
        await pilot.press("slash", *query, "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        body = screen.content
        found = [body.plain[s.start : s.end] for s in body.spans
                 if str(s.style) == "$search-match"]  # fmt: skip
        assert {fold(f) for f in found} == {"defi", "lei jun", "xiaomi"}
        assert "défi" in found and "Lei Jun" in found
        title = screen.query_one("#article-title").render()
        assert isinstance(title, Content)
        in_title = [s for s in title.spans if str(s.style) == "$search-match"]
        assert len(in_title) == 2  # Lei Jun, Xiaomi: the heading is looked in too
        bar = screen.query_one(FindBar)
        assert not bar.shown  # nothing to close before leaving: q and escape go back at once
        await pilot.press("n")
        assert bar.shown and not bar.input.has_focus
        count = str(bar.query_one(".find-bar--count").render())
        assert count == f"1 of {len(found) + len(in_title)}"
        title = screen.query_one("#article-title").render()
        assert isinstance(title, Content)  # the heading's first, then the body's
        assert [str(s.style) for s in title.spans].count("$search-current") == 1
        assert "$search-current" not in [str(s.style) for s in screen.content.spans]
        await pilot.press("N", "N")
        assert screen.match_index == len(found) + len(in_title) - 2
        await pilot.press("escape")  # the find closes first
        assert app.screen is screen and not bar.shown
        assert "$search-match" not in [str(s.style) for s in screen.content.spans]
        await pilot.press("escape")
        assert app.screen is not screen
        await pilot.press("enter")  # opened again: escape leaves at once
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HeadlinesScreen)


async def test_a_long_paste_typed_key_by_key_asks_for_few_searches(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A terminal without bracketed paste sends a paste as a key a character: the keys that
    came together ask for one search, not one each (6,300 keys once asked for 6,300, each
    cancelling every older one still queued: 40 s of a frozen screen), and the search bar
    does not measure its whole text again at each key."""
    from textual import events
    from textual.widgets import _input

    measured: list[int] = []
    expand = _input.expand_tabs_inline

    def counting(text: str, tab_size: int = 8) -> str:
        measured.append(len(text))
        return expand(text, tab_size)

    monkeypatch.setattr(_input, "expand_tabs_inline", counting)
    text = " ".join(f"word{i}" for i in range(300)) + " xiaomi"  # 2,296 characters
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, HeadlinesScreen)
        asked = screen._search_serial
        measured.clear()
        for ch in text:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await settle(app, pilot)
        assert screen.query_one(SearchBar).value == text
        assert screen._search_serial - asked <= 20  # (one a key before)
        assert sum(measured) < 10 * len(text)  # (5,000,000 characters measured before)
        assert "No article matches" in status(app) and text[:20] in status(app)
        await pilot.press("ctrl+u")  # (cleared, and the list is whole again)
        await pilot.press(*"xiaomi")
        await settle(app, pilot)
        assert 0 < len(headlines(app).ids) < SAMPLE_ARTICLES


async def test_a_binding_left_without_a_key_shows_no_placeholder(indexed_db: Path) -> None:
    """Textual is given a placeholder key for a binding the user's keymap left without one:
    the command palette showed it as "headlines.prev_unread (<no key>)"."""
    app = make_app(indexed_db, keymap={"headlines.toggle_read": "N"})
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        helps = [command.help for command in app.get_system_commands(app.screen)]
        assert "headlines.prev_unread (no key)" in helps
        assert not any(NO_KEY in (text or "") for text in helps)
        assert NO_KEY not in app._quit_keys()


async def test_keys_typed_before_the_feed_lists_rows_act_on_them(
    indexed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`f j j A` in one burst, the counts slower than the keys: the `j`s moved the cursor of
    an empty list and `A` marked the first row read; now they wait for the rows, and the
    third row is marked."""

    from reader.ui.screens.feeds import FeedsScreen

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 40)) as pilot:  # (a row's unread fit: A asks not)
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        await pilot.press("j", "j")
        await settle(app, pilot)
        chosen = screen.feed_tree.cursor_node.data  # type: ignore[union-attr]
        assert chosen is not None and 0 < chosen.unread <= 30
        await pilot.press("q")
        await settle(app, pilot)

    gate = threading.Event()
    real = FeedStore.subscriptions

    def slow(self: FeedStore, *args: Any, **kwargs: Any) -> Any:
        gate.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FeedStore, "subscriptions", slow)
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 40)) as pilot:
        try:
            await settle(app, pilot)
            burst(app, ["f", "j", "j", "A"])
            await pilot.pause(0.5)
        finally:
            gate.set()
        await settle_burst(app, pilot)
        shown = app.screen.feed_tree.cursor_node.data  # type: ignore[attr-defined]
        assert shown is not None and shown.key == chosen.key
    with FeedStore(indexed_db / "ui.db") as store:
        assert store.count_matches("is:read")[0] == chosen.unread


async def test_keys_typed_with_the_key_that_shows_the_sources_go_to_them(
    indexed_db: Path,
) -> None:
    """`p j j enter` in one burst opened an article: the panel took the focus only after the
    keys had gone to the list. Now the third source is chosen, and a `j` after it moves
    the list."""

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        panel = app.headlines.query_one(SourcesPanel)
        burst(app, ["p", "j", "j", "enter", "j"])
        await settle(app, pilot)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)  # no article opened
        chosen = panel.get_option_at_index(2).id
        assert app.headlines.scope.label == chosen, app.headlines.scope
        assert headlines(app).cursor == 1  # the `j` after enter: the list's


async def test_q_in_the_entity_panel_closes_it_and_keys_typed_with_e_go_to_it(
    indexed_db: Path,
) -> None:
    """`e q` left the panel on screen with only the focus moved (a user saw nothing
    happen); now it closes the panel, and a second `q` goes back. `e j enter` in one burst
    moved the article: the panel took the focus after the keys; now it opens the second
    name's screen."""
    from textual import events

    from reader.ui.screens.entity import EntityScreen
    from reader.ui.widgets.entity_panel import EntityPanel

    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)  # (the background extraction)
        await pilot.press("slash", *"conferences lei", "enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        article = app.screen
        await pilot.press("e")
        panel = article.query_one(EntityPanel)
        assert panel.has_class("-shown")
        await pilot.press("q")
        assert app.screen is article and not panel.has_class("-shown")
        for key in ["e", "q"]:  # in one burst: the `q` closed the article, not the panel
            app.post_message(events.Key(key, key))
        await settle(app, pilot)
        assert app.screen is article and not panel.has_class("-shown")
        burst(app, ["e", "j", "enter"])
        await settle(app, pilot)
        assert isinstance(app.screen, EntityScreen)
        assert str(app.screen.entity_id) == panel.get_option_at_index(1).id
        await pilot.press("q")
        await settle(app, pilot)
        assert app.screen is article and panel.has_focus  # (the panel it was opened from)
        await pilot.press("q", "q")
        await settle(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)


async def test_a_key_typed_after_marking_the_list_read_acts_on_the_marked_rows(
    indexed_db: Path,
) -> None:
    """`A y r` in one burst marked every article read: the `r` toggled the row as it was
    before the marks were written (unread → read). Typed slowly it leaves that article
    unread; now the burst does the same."""

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 12)) as pilot:  # (A asks: more than a screenful)
        await settle(app, pilot)
        burst(app, ["A", "y", "r"])
        await settle_burst(app, pilot)
    with FeedStore(indexed_db / "ui.db") as store:
        assert store.count_matches("is:read")[0] == SAMPLE_ARTICLES - 1


async def test_keys_typed_while_held_keys_go_on_come_after_them(indexed_db: Path) -> None:
    """Keys held for a screen go on one at a time; a key typed meanwhile went straight to
    the screen, before the held ones still waiting. A huge article took seconds to open: the
    `enter` typed after a held `q` was taken by the article, and the next `q`, meant for the
    article that `enter` was to open, quit."""
    from reader.ui.screens.holding import key_sender

    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        assert hl.cursor == 0
        key_sender(app).send([("j", "j"), ("j", "j"), ("j", "j")])  # held ones, released
        burst(app, ["g"])  # typed meanwhile: to the top, after the three
        await settle_burst(app, pilot)
        assert hl.cursor == 0
        assert not key_sender(app).busy
        burst(app, ["j", "j"])  # and nothing is queued once they have gone
        await settle_burst(app, pilot)
        assert hl.cursor == 2


async def test_open_and_close_typed_three_times_in_one_burst_stays_in_the_reader(
    indexed_db: Path,
) -> None:
    """`enter q enter q enter q` in one burst quit: the keys held while the second article
    opened let the next `enter` go on before that article's screen came, so it went to the
    article, and the last `q` reached the list."""
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        burst(app, ["enter", "q"] * 3)
        await settle_burst(app, pilot)
        await pilot.pause(0.6)
        assert app.is_running and isinstance(app.screen, HeadlinesScreen)
        assert hl.cursor == 0
        burst(app, ["enter", "q", "enter", "j", "q"])  # the j scrolls the article
        await settle_burst(app, pilot)
        await pilot.pause(0.6)
        assert isinstance(app.screen, HeadlinesScreen) and hl.cursor == 0
        burst(app, ["enter", "q", "enter", "q", "j"])  # the j moves the list
        await settle_burst(app, pilot)
        await pilot.pause(0.6)
        assert isinstance(app.screen, HeadlinesScreen) and hl.cursor == 1


async def test_scroll_keys_in_one_burst_in_an_article_each_scroll(indexed_db: Path) -> None:
    """Ten `j`s (a held key) or two `space`s in one burst scrolled the article one step:
    each scroll waited for the next refresh and started from where the view still was."""
    app = make_app(indexed_db)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"conferences lei")
        await settle(app, pilot)
        await pilot.press("enter", "enter")  # the seed article: long enough
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.query_one("#article-scroll")
        page = view.size.height - 2
        assert view.max_scroll_y > 2 * page + 10
        burst(app, ["j"] * 10)
        await settle_burst(app, pilot)
        assert view.scroll_y == 10
        burst(app, ["space"] * 2)
        await settle_burst(app, pilot)
        assert view.scroll_y == 10 + 2 * page
        burst(app, ["G", "k", "k"])
        await settle_burst(app, pilot)
        assert view.scroll_y == view.max_scroll_y - 2
        burst(app, ["g", "j"])
        await settle_burst(app, pilot)
        assert view.scroll_y == 1
        burst(app, ["q", "enter", "G"])  # G before the article is laid out: still its end
        await settle_burst(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.query_one("#article-scroll")
        assert view.scroll_y == view.max_scroll_y > 0


def one_long_paragraph(tmp_path: Path, words: int) -> NewsReader:
    """A reader on a store of one dated text: a title, then one paragraph of ``words`` words
    (``word0 word1 …``) and ``FINDME``."""
    text = " ".join(f"word{i}" for i in range(words))
    write(
        tmp_path / "news" / "long.txt", f"date 2026-11-20\n\nOne long paragraph.\n\n{text} FINDME\n"
    )
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "news")])
    return make_app(tmp_path)


async def open_first(app: NewsReader, pilot: Any) -> ArticleScreen:
    """Open the list's first article; its screen."""
    from .test_article_blocks_ui import opened

    return await opened(app, pilot)


async def test_a_find_in_a_long_paragraph_scrolls_to_the_match(tmp_path: Path) -> None:
    """A find in an article of one long paragraph said "1 of 1" with the match hundreds of
    rows below the view, worse with the entity panel open (narrower): the match's row was
    counted as if every row held a full width of characters, where word wrapping leaves
    rows shorter."""
    from textual.content import Content

    from reader.ui.screens.article import BodyText

    app = one_long_paragraph(tmp_path, 12000)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_first(app, pilot)
        for panel in (False, True):
            if panel:
                await pilot.press("e", "escape")  # the panel shown, the focus back on the text
                await settle(app, pilot)
            for word in ("word6000", "word11000"):
                await pilot.press("slash", *word, "enter")
                await settle(app, pilot)
                view = screen.query_one("#article-scroll")
                piece = next(t for t in screen.query(BodyText) if word in (t._plain or ""))
                rows = Content(piece._plain or "").wrap(piece.content_region.width)
                row = next(i for i, line in enumerate(rows) if word in line.plain)
                top = piece.region.y - view.region.y + view.scroll_y
                assert view.scroll_y <= top + row < view.scroll_y + view.size.height, (panel, word)
                await pilot.press("escape")


async def test_the_entity_panel_keeps_the_reading_place(tmp_path: Path) -> None:
    """Opening the entity panel (the text narrower) took a reader three pages into a long
    paragraph back to the first: the same scroll offset, laid out again, was earlier text.
    The text at the top of the view stays there, the panel shown and hidden again."""
    from textual.content import Content

    from reader.ui.screens.article import BodyText

    app = one_long_paragraph(tmp_path, 6000)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_first(app, pilot)
        view = screen.query_one("#article-scroll")
        piece = next(t for t in screen.query(BodyText) if "word5000" in (t._plain or ""))

        def top_word() -> str:
            rows = Content(piece._plain or "").wrap(piece.content_region.width)
            row = int(view.scroll_y) - (piece.region.y - view.region.y + int(view.scroll_y))
            return rows[row].plain.split()[0]

        await pilot.press("space", "space", "space", "space")
        await settle(app, pilot)
        before = top_word()
        assert before != "word0"
        for key in ("e", "e"):  # shown, then hidden
            await pilot.press(key)
            await settle(app, pilot)
            number = int(top_word().removeprefix("word"))
            # (a piece this long is placed by its share of characters: a row or two off)
            assert abs(number - int(before.removeprefix("word"))) <= 35, (key, top_word())
