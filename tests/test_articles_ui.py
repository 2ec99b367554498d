"""The article screen shows what a feed carries: code blocks line by line, images and
enclosures as numbered links, the author, the local date; F fetches the full text; a terminal
browser gets the terminal (the reader suspends itself) and the reader comes back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.containers import HorizontalScroll
from textual.content import Content
from textual.widgets import Static

from reader.store import FeedStore
from reader.ui.app import NewsReader
from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.feeds import FeedsScreen
from reader.ui.screens.links import LinksScreen
from reader.ui.widgets.feed_tree import FeedTree
from reader.ui.widgets.find_bar import FindBar

from .conftest import DATA, settle

ARTICLES = DATA / "articles"


def store_with(tmp_path: Path, *feeds: str) -> Path:
    db = tmp_path / "a.db"
    with FeedStore(db) as store:
        store.index([str(ARTICLES / name) for name in feeds])
    return db


async def open_article(pilot, app: NewsReader, words: str) -> ArticleScreen:
    await pilot.press("slash", *words, "enter")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


async def test_code_blocks_keep_their_lines_and_a_style_of_their_own(tmp_path: Path) -> None:
    app = NewsReader(store_with(tmp_path, "code.xml"))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_article(pilot, app, "secret without sending")
        blocks = list(screen.query(".code-block"))
        assert blocks and all(isinstance(b, HorizontalScroll) for b in blocks)
        code = blocks[0].query_one(Static)
        text = str(code.render())
        assert "Input: Secret sk // Server secret key\n" in text  # its own lines, not prose
        assert "\n       String u  // Username" in text  # indentation kept
        assert "```" not in text  # fences are not shown
        assert all("$text-secondary" in str(s.style) for s in screen.content.spans
                   if screen.content.plain[s.start : s.end] == "Output: Token t")  # fmt: skip
        meta = str(screen.query_one("#article-meta").render())
        assert "by Jane Doe" in meta and "2026-03-03 09:20 UTC" in meta  # local zone: TZ=UTC
        image = next(s for s in screen.content.spans
                     if screen.content.plain[s.start : s.end].startswith("[image:"))  # fmt: skip
        assert "italic" in str(image.style)


async def test_enclosures_are_lines_with_numbered_links(tmp_path: Path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("reader.ui.browser.opener_for", _recording(opened))
    app = NewsReader(store_with(tmp_path, "podcast.xml"))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_article(pilot, app, "solid-state")
        body = screen.content.plain
        assert "Enclosure: ep42.mp3 (audio/mpeg, 24.1 MB, 42:17) [1]" in body
        assert screen.links[0] == "https://cdn.talk.example.org/ep42.mp3"
        assert "by Ada Host" in str(screen.query_one("#article-meta").render())
        await pilot.press("o")
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("1")
        assert opened == ["https://cdn.talk.example.org/ep42.mp3"]


def _recording(opened: list[str]):
    from reader.opener import Opener, OpenerKind

    def opener_for(url: str, *args: object, **kw: object) -> Opener:
        opened.append(url)
        return Opener(OpenerKind.GRAPHICAL, ("true",))

    return opener_for


@pytest.fixture
def fake_w3m(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A terminal browser named w3m that writes down the address it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "w3m.log"
    script = bin_dir / "w3m"
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("BROWSER", "w3m")
    yield log


async def test_a_terminal_browser_gets_the_terminal(tmp_path: Path, fake_w3m: Path) -> None:
    app = NewsReader(store_with(tmp_path, "podcast.xml"))
    suspended: list[bool] = []

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:
        suspended.append(True)  # the headless test driver cannot really suspend
        yield

    app.suspend = suspend  # type: ignore[method-assign]
    async with app.run_test(size=(110, 36)) as pilot:
        await open_article(pilot, app, "show notes only")  # one link only: opened at once
        await pilot.press("o")
        await settle(app, pilot)
        assert suspended == [True]
        assert fake_w3m.read_text() == "https://talk.example.org/notes\n"
        assert isinstance(app.screen, ArticleScreen)  # back in the reader


async def test_F_fetches_the_full_text_and_the_feed_list_switches_it(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    page = (ARTICLES / "teaser-page.html").read_bytes()
    httpserver.expect_request("/news/plant").respond_with_data(
        page, content_type="text/html; charset=utf-8"
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>EV Briefing</title>'
        f"<item><title>Plant</title><guid>urn:x:plant</guid><link>{httpserver.url_for('/news/plant')}"
        "</link><pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate>"
        "<description>Xiaomi opened the second phase of its car factory.</description></item>"
        "</channel></rss>"
    )
    httpserver.expect_request("/feed.xml").respond_with_data(feed)
    db = tmp_path / "f.db"
    with FeedStore(db) as store:
        store.subscribe(httpserver.url_for("/feed.xml"))
    app = NewsReader(db, refresh=True)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(app, pilot)
        screen = await open_article(pilot, app, "plant")
        assert "die-casting presses" not in screen.content.plain  # the teaser
        await pilot.press("F")
        await settle(app, pilot)
        assert "die-casting presses" in screen.content.plain  # the page's article
        assert "full text from the page" in str(screen.query_one("#article-meta").render())
        await pilot.press("q", "f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        tree = app.screen.query_one(FeedTree)
        node = next(n for n in tree.root.children if n.data and n.data.scope.label == "EV Briefing")
        tree.move_cursor(node)
        await pilot.press("F")
        await settle(app, pilot)
        assert app.store.subscriptions()[0].full_text


def _count(screen: ArticleScreen) -> str:
    return str(screen.query_one(".find-bar--count").render())


async def test_find_matches_text_stored_in_nfd(tmp_path: Path, monkeypatch) -> None:
    """A store written before bodies were stored in NFC holds ``été`` as an ``e`` and a
    combining accent: the list highlights it and the article's find finds it, typed either
    way; a store written now holds the body in NFC."""
    text = "date 2021-05-02\nT Combi e\u0301te\u0301 cafe\u0301.\n\nUn autre e\u0301te\u0301.\n"
    (tmp_path / "combining.txt").write_text(text, encoding="utf-8")
    with monkeypatch.context() as before:
        before.setattr("reader.textutil.nfc", lambda t: t, raising=False)  # (older readers)
        db = store_with(tmp_path, str(tmp_path / "combining.txt"))
    app = NewsReader(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"cafe ete", "enter")
        await settle(app, pilot)
        from reader.ui.text import headline_row

        row = app.headlines.headlines.current
        assert row is not None and "e\u0301te\u0301" in row.title
        text_, spans = headline_row(row, app.headlines.headlines.terms, sources=8)
        marked = [text_[a:b] for a, b, style in spans if style == "$search-match"]
        assert marked == ["\u00e9t\u00e9", "caf\u00e9"]  # (shown in NFC, as titles are)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        for typed in ("ete", "été"):
            screen.query_one("#find-bar").value = ""
            await pilot.press("slash", *typed)
            await settle(app, pilot)
            assert _count(screen) == "3 found"  # (the heading's too)
            body = screen.content
            found = [body.plain[s.start : s.end] for s in body.spans
                     if str(s.style) == "$search-match"]  # fmt: skip
            assert found == ["e\u0301te\u0301", "e\u0301te\u0301"]
            await pilot.press("escape", "escape")
    (tmp_path / "now").mkdir()
    with FeedStore(store_with(tmp_path / "now", str(tmp_path / "combining.txt"))) as store:
        (article,) = store.headlines(store.search_id_array(""))
        assert "Combi été café." in store.article(article.rowid).body


async def test_find_in_a_long_article_restyles_only_what_changes(
    tmp_path: Path, monkeypatch
) -> None:
    """In an article of 3,000 paragraphs, each holding a match, n gives styles again only to
    the text around the match it leaves and the one it goes to, and a find typed restyles
    without laying the text out again (a find once took seconds a key: the whole body
    restyled, wrapped and drawn again)."""
    paragraphs = [f"Paragraph number {i} with some words, ending." for i in range(3000)]
    path = tmp_path / "long.txt"
    path.write_text("date 2021-05-10\nMany paragraphs here.\n\n" + "\n\n".join(paragraphs))
    app = NewsReader(store_with(tmp_path, str(path)))
    given: list[tuple[int, bool]] = []  # characters given to the body's widgets; a layout?
    from textual.widgets import Static as StaticWidget

    update = StaticWidget.update

    def spy(self, content="", *, layout: bool = True) -> None:
        if self.ancestors and any(a.id == "article-body" for a in self.ancestors):
            given.append((len(str(content)), layout))
        update(self, content, layout=layout)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        monkeypatch.setattr(StaticWidget, "update", spy)
        await pilot.press("slash", *"number")
        await settle(app, pilot)
        assert _count(screen) == "3000 found"
        assert given and not any(layout for _, layout in given)  # styles only
        await pilot.press("enter", "n", "n")
        await settle(app, pilot)
        assert _count(screen) == "3 of 3000"
        given.clear()
        await pilot.press("n")
        await settle(app, pilot)
        assert 0 < sum(chars for chars, _ in given) <= 4_000  # of a body of 140,000
        assert not any(layout for _, layout in given)
        await pilot.press("G")
        await settle(app, pilot)
        assert screen.scroll.scroll_y > 5000
        await pilot.press("N")  # back to match 3, near the top, brought into view
        await settle(app, pilot)
        assert _count(screen) == "3 of 3000" and screen.scroll.scroll_y < 20


async def test_a_long_paste_into_the_find_matches_once(tmp_path: Path, monkeypatch) -> None:
    """A terminal without bracketed paste sends a paste as a key a character: the keys that
    come together match the article once, not once each (1,000 keys pasted into the find of a
    5,000-paragraph article held the screen 27 s)."""
    from textual import events

    paragraphs = [f"Paragraph number {i} with some words, ending." for i in range(500)]
    path = tmp_path / "long.txt"
    path.write_text("date 2021-05-10\nMany paragraphs here.\n\n" + "\n\n".join(paragraphs))
    app = NewsReader(store_with(tmp_path, str(path)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("slash")
        matched: list[int] = []
        find = ArticleScreen._find_matches
        monkeypatch.setattr(
            ArticleScreen, "_find_matches", lambda self: (matched.append(1), find(self))
        )
        text = " ".join(f"word{i}" for i in range(150)) + " number"
        for ch in text:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
            await asyncio.sleep(0)  # (each key handled before the next, as from a terminal)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert screen.query_one("#find-bar", FindBar).value == text
        assert len(matched) <= 20  # (one a key before)
        await pilot.press("ctrl+u", *"number", "enter")  # typed, then Enter at once: matched
        await settle(app, pilot)
        assert _count(screen).startswith("1 of 500")


TITLED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Ville</title>
<item><title>MISE À JOUR : le défi énergétique de Zoë Dupré à Évry [b]x[/b]</title>
<guid>urn:evry:1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>
<description>{body}</description></item>
</channel></rss>"""


async def test_find_looks_in_the_heading_too(tmp_path: Path) -> None:
    """The find looked in the body alone: ``jour`` found nothing in an article titled "MISE À
    JOUR : …", ``evry`` one Évry of two, and an article opened from a search that matched
    only its title had nothing highlighted. The heading's matches are counted first, styled
    there (its text never read as markup), and n goes to them first; the body's still
    restyle piece by piece."""
    paragraphs = [f"&lt;p&gt;Paragraphe {i} sur la chaleur.&lt;/p&gt;" for i in range(300)]
    paragraphs[250] = "&lt;p&gt;La mairie d'Evry répond.&lt;/p&gt;"
    (tmp_path / "evry.xml").write_text(TITLED.format(body="".join(paragraphs)), "utf-8")
    app = NewsReader(store_with(tmp_path, str(tmp_path / "evry.xml")))

    def heading(screen: ArticleScreen) -> tuple[str, list[tuple[str, str]]]:
        title = screen.query_one("#article-title").render()
        assert isinstance(title, Content)
        return title.plain, [
            (title.plain[s.start : s.end], str(s.style))
            for s in title.spans
            if "search" in str(s.style)
        ]

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and len(screen._texts) > 1  # (in pieces)
        await pilot.press("slash", *"jour")
        await settle(app, pilot)
        assert _count(screen) == "1 found"
        assert heading(screen)[1] == [("JOUR", "$search-match")]
        await pilot.press("ctrl+u", *"evry")
        await settle(app, pilot)
        assert _count(screen) == "2 found"
        await pilot.press("enter")  # the first: the heading's
        await settle(app, pilot)
        plain, marked = heading(screen)
        assert plain.endswith("Évry [b]x[/b]") and marked == [("Évry", "$search-current")]
        assert _count(screen) == "1 of 2" and screen.scroll.scroll_y == 0
        await pilot.press("n")  # then the body's, far below
        await settle(app, pilot)
        assert _count(screen) == "2 of 2" and heading(screen)[1] == [("Évry", "$search-match")]
        assert screen.scroll.scroll_y > 100
        assert ("Evry", "$search-current") in [
            (screen.content.plain[s.start : s.end], str(s.style)) for s in screen.content.spans
        ]
        await pilot.press("n")  # round again: back up to the heading
        await settle(app, pilot)
        assert _count(screen) == "1 of 2" and screen.scroll.scroll_y == 0
        await pilot.press("escape", "escape")  # the find closed, then the article
        await pilot.press("slash", *"zoe", "enter")  # a search only the title matches
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert heading(screen)[1] == [("Zoë", "$search-match")]
        await pilot.press("n")
        assert _count(screen) == "1 of 1"
        assert heading(screen)[1] == [("Zoë", "$search-current")]


async def test_a_huge_body_is_shown_cut_with_a_line_saying_so(tmp_path: Path) -> None:
    """A 3.6 MB item took 4–6 s to open and the reader's memory grew by 150–250 MB: a body
    longer than SHOWN_LIMIT is shown up to a paragraph's end before it, then a line naming
    `newsreader show`, which prints it whole. Its entities past the cut are not styled."""
    from reader.ui.screens.article import SHOWN_LIMIT

    paragraph = "Tesla ouvre une usine à Berlin avec Renault. " * 40
    body = "\n\n".join(f"{i}. {paragraph}" for i in range(SHOWN_LIMIT // len(paragraph) + 40))
    write_to = tmp_path / "huge" / "huge.txt"
    write_to.parent.mkdir()
    write_to.write_text(f"date 2021-03-05\n\nUn article immense\n\n{body}\n", encoding="utf-8")
    db = tmp_path / "h.db"
    with FeedStore(db) as store:
        store.index([str(write_to.parent)])
        uid = store.article(store.search_ids("")[0]).uid  # type: ignore[union-attr]
    app = NewsReader(db)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_article(pilot, app, "immense")
        await settle(app, pilot)
        text = screen._text
        assert len(text) < SHOWN_LIMIT + 200
        cut = text.rindex("\n\n[The text goes on for ")
        assert text[:cut].endswith("Renault.")  # (at a paragraph's end)
        assert f"`newsreader show {uid}` prints it whole.]" in text
        assert screen.mentions and not any(s.end > cut for s in screen._styles)
        await pilot.press("slash", *"zzyzx")  # a find says the rest is not looked in
        await settle(app, pilot)
        count = screen.query_one(FindBar).query_one(".find-bar--count", Static)
        assert str(count.render()) == "no match in the part shown"


def test_a_huge_body_of_one_paragraph_is_cut_at_a_words_end() -> None:
    """A body over the limit with no paragraph's end late enough was cut in the middle of a
    word (`s44439 s44`)."""
    from datetime import UTC, datetime

    from reader.model import Article, DatedValue, DatePrecision
    from reader.ui.screens.article import SHOWN_LIMIT, shown_body

    body = " ".join(f"s{i}" for i in range(SHOWN_LIMIT // 5))
    article = Article(
        rowid=1, uid="u", source="s", title="t", language="en",
        date=DatedValue(datetime(2026, 1, 1, tzinfo=UTC), DatePrecision.DAY),
        path=None, link=None, body=body,
    )  # fmt: skip
    text, cut = shown_body(article)
    assert cut is not None and SHOWN_LIMIT // 2 < cut <= SHOWN_LIMIT
    assert body[cut] == " " and text[:cut].split()[-1] in body.split()
