"""Pilot tests of the reader: navigation, search, keymap, state, untrusted text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.app import NewsReader
from reader.ui.keymap import KeymapError, catalogue, keymap_toml, validate_keymap
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.search_bar import SearchBar

from .conftest import FEEDS, SAMPLE_ARTICLES, write


def make_app(tmp_path: Path, sources: list[str] | None = None, **kw) -> NewsReader:
    app = NewsReader(tmp_path / "ui.db", sources or [], **kw)
    return app


@pytest.fixture
def indexed_db(tmp_path: Path) -> Path:
    from reader.store import FeedStore

    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(FEEDS)])
    return tmp_path


def headlines(app: NewsReader) -> HeadlineList:
    return app.screen.query_one(HeadlineList)


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
        await pilot.press("J")
        assert app.screen.article.rowid == hl.ids[1]
        await pilot.press("K", "escape")
        assert isinstance(app.screen, HeadlinesScreen)
        assert headlines(app).current.read  # opening marks read


async def test_search_as_you_type_finds_the_seed(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"defi")
        await app.workers.wait_for_complete()
        await pilot.pause()
        hl = headlines(app)
        titles = [hl.article_at(i).title for i in range(len(hl.ids))]
        assert any(t.startswith("Au terme de deux conférences") for t in titles)
        status = str(app.screen.query_one("#status").render())
        assert "query: defi" in status
        # Typing printable keys bound elsewhere (q, r, s, j) goes into the search bar.
        await pilot.press("space", *"qrsj")
        assert app.screen.query_one(SearchBar).value == "defi qrsj"
        assert isinstance(app.screen, HeadlinesScreen)
        await pilot.press("escape")
        assert hl.has_focus


async def test_malformed_query_shows_its_message_in_place(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"soruce:x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.screen.query_one("#status")
        assert "unknown filter" in str(status.render()) and status.has_class("-error")
        app.screen.query_one(SearchBar).value = ""
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(headlines(app).ids) == SAMPLE_ARTICLES and not status.has_class("-error")


async def test_search_history(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash", *"tesla", "enter", "slash")
        bar = app.screen.query_one(SearchBar)
        bar.value = ""
        await pilot.press("up")
        assert bar.value == "tesla"


async def test_keymap_override_and_help(indexed_db: Path) -> None:
    app = make_app(indexed_db, keymap={"headlines.down": "n,down"})
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("n")
        assert headlines(app).cursor == 1
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table.plain
        assert "headlines.down" in table
        line = next(ln for ln in table.splitlines() if "headlines.down" in ln)
        assert "n" in line.split()[0]


async def test_read_and_star_toggle(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(110, 30)) as pilot:
        hl = headlines(app)
        assert not hl.current.read
        await pilot.press("r", "s")
        assert hl.current.read and hl.current.starred
        await pilot.press("slash", *"is:starred")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(hl.ids) == 1


async def test_articles_appear_while_indexing(tmp_path: Path, monkeypatch) -> None:
    from reader.store import index

    for i in range(30):
        write(tmp_path / "src" / "s" / f"{i}.txt", f"date 2020-01-{i % 28 + 1:02d} Article {i}.")
    monkeypatch.setattr(index, "BATCH", 10)  # three batches
    app = make_app(tmp_path, sources=[str(tmp_path / "src")])
    seen: list[int] = []
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        original = screen._apply

        def spy(*args, **kw):
            original(*args, **kw)
            seen.append(len(headlines(app).ids))

        screen._apply = spy
        screen._last_refresh = -1e9
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen and seen[-1] == 30
        assert "indexing" not in str(screen.query_one("#status").render())


async def test_background_indexing_fills_the_list(tmp_path: Path) -> None:
    app = make_app(tmp_path, sources=[str(FEEDS)])
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(headlines(app).ids) == SAMPLE_ARTICLES


HOSTILE = {
    "a.txt": "date 2024-01-01 [@click=app.quit]x[/] clique ici.",
    "b.txt": "date 2024-01-02 Titre avec [bold red]balises[/bold red] et tout.",
    "c.txt": "date 2024-01-03 Copie \x1b]52;c;SGVsbG8=\x07 du presse-papier. Suite.",
}


async def test_untrusted_text_is_shown_literally(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        write(tmp_path / "src" / "[red]evil" / name, text)
    from reader.store import FeedStore

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


def test_keymap_validation() -> None:
    assert validate_keymap({"headlines.down": " n , down "}) == {"headlines.down": "n,down"}
    with pytest.raises(KeymapError, match=r"valid ids: .*headlines\.down"):
        validate_keymap({"headlines.dwon": "n"})
    with pytest.raises(KeymapError, match="no keys"):
        validate_keymap({"headlines.down": " , "})
    toml = keymap_toml({"headlines.down": "n"})
    assert '"headlines.down" = "n"' in toml and '"app.quit" = "ctrl+q"' in toml
    assert {"app.quit", "headlines.search", "article.toggle_entities"} <= set(catalogue())
    printable = [b for b in catalogue().values() if b.priority and len(b.key) == 1]
    assert printable == []  # printable keys are never priority bindings


async def test_entity_panel_and_entity_screen(indexed_db: Path) -> None:
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.widgets.entity_panel import EntityPanel

    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        await app.workers.wait_for_complete()  # background entity extraction
        await pilot.press("slash", *"conferences lei")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ArticleScreen)
        body = app.screen.query_one("#article-body").render()
        highlighted = {body.plain[s.start : s.end] for s in body.spans if "entity" in str(s.style)}
        assert {"Lei Jun", "Elon Musk", "Xiaomi", "Tesla", "Great Wall Motor"} <= highlighted
        await pilot.press("e")
        panel = app.screen.query_one(EntityPanel)
        assert panel.has_class("-shown") and panel.has_focus
        labels = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert labels[0].startswith("● Xiaomi") and "×8" in labels[0]
        await pilot.press("enter")  # the highlighted entity: Xiaomi
        assert isinstance(app.screen, EntityScreen)
        articles = app.screen.query_one("#entity-articles", HeadlineList)
        store = app.store
        assert articles.ids == store.search_ids("entity:Xiaomi") and len(articles.ids) == 23
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.rowid == articles.ids[0]
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ArticleScreen)  # back to the seed article
        await pilot.press("x")
        assert not app.screen.show_entities


async def test_large_results_show_a_first_page_then_all(tmp_path: Path) -> None:
    from reader.store import FeedStore
    from reader.ui.screens.headlines import FIRST_PAGE

    for i in range(FIRST_PAGE + 50):
        write(tmp_path / "src" / "s" / f"{i}.txt", f"date 2020-01-01 Article tesla {i}.")
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(tmp_path / "src")])
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        first = screen._run_query("tesla", limit=FIRST_PAGE)
        screen._apply(*first, complete=False)
        assert len(headlines(app).ids) == FIRST_PAGE
        assert f"{FIRST_PAGE}+ of" in str(screen.query_one("#status").render())
        await pilot.press("slash", *"tesla")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(headlines(app).ids) == FIRST_PAGE + 50
        assert "+ of" not in str(screen.query_one("#status").render())


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
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape", "slash")
        app.screen.query_one(SearchBar).value = ""
        await pilot.press(*"conferences lei")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter", "enter")  # the seed article has no links
        assert app.screen.links == []
        assert app.screen.check_action("open_link", ()) is None
        assert not app.screen.query_one("#article-links").display


async def test_find_in_article_moves_between_matches(indexed_db: Path) -> None:
    app = make_app(indexed_db)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("slash", *"conferences lei", "enter", "enter")
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("slash", *"xiaomi", "enter")
        screen = app.screen
        body = screen.query_one("#article-body").render()
        styles = [str(s.style) for s in body.spans]
        assert styles.count("$search-current") == 1 and styles.count("$search-match") == 7
        await pilot.press("n", "n")
        assert screen.match_index == 2
        await pilot.press("N")
        assert screen.match_index == 1


async def test_entity_colours_follow_light_and_dark_themes(indexed_db: Path) -> None:
    app = make_app(indexed_db, theme_name="textual-light")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        light = app.get_css_variables()["entity-person"]
        app.theme = "textual-dark"
        await pilot.pause()
        dark = app.get_css_variables()["entity-person"]
        assert light != dark


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
    from reader.store import FeedStore

    with FeedStore(tmp_path / "ui.db") as store:
        for n in range(9):  # enough to parse in worker processes
            store.subscribe(rss_file(tmp_path / f"f{n}.xml", n))
    app = make_app(tmp_path, refresh=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(headlines(app).ids) == 27
        assert "27 articles" in str(app.screen.query_one("#status").render())
        rss_file(tmp_path / "f0.xml", 0, items=5)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
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
