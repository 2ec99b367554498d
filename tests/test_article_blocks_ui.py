"""The article screen lays out what HTML gave a body: quotes and list items wrap under their
own text (a hanging indent), tables keep their columns (never wrapped, they scroll sideways
as code does), and a code block or table scrolls sideways by keys the footer and help name."""

from __future__ import annotations

import html
from pathlib import Path

from textual.containers import HorizontalScroll
from textual.geometry import Region

from reader.store import FeedStore
from reader.textutil import clean
from reader.ui.app import NewsReader
from reader.ui.screens.article import ArticleScreen, BodyText
from reader.ui.widgets.find_bar import FindBar

from .conftest import settle

QUOTE = (
    "A quoted paragraph that is long enough to wrap around on a narrow terminal for sure, "
    "and then goes on a little longer still."
)
ITEM = "A list item whose text is long enough to wrap, at least once, at sixty columns wide."


def feed(tmp_path: Path, markup: str, title: str = "Layout") -> Path:
    """An RSS file of one item whose body is ``markup``, indexed into a new store."""
    path = tmp_path / "layout.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><guid>g1</guid>"
        "<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate>"
        f"<description>{html.escape(markup)}</description></item></channel></rss>",
        encoding="utf-8",
    )
    db = tmp_path / "a.db"
    with FeedStore(db) as store:
        store.index([str(path)])
    return db


async def opened(app: NewsReader, pilot) -> ArticleScreen:
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


def rows(widget) -> list[str]:
    """The lines a widget shows (its whole content, in or out of view)."""
    region = widget.content_region
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    assert region.width  # laid out
    return [line.text.rstrip() for line in lines]


async def test_quotes_and_list_items_wrap_under_their_text(tmp_path: Path) -> None:
    """A wrapped quote's or list item's lines start under its first line's text (they went
    back to the column of the body's edge); find styles and n still land on the words."""
    db = feed(tmp_path, f"<p>Intro.</p><blockquote><p>{QUOTE}</p></blockquote>"
              f"<ul><li>{ITEM}</li><li>Short.</li></ul><p>Outro.</p>")  # fmt: skip
    app = NewsReader(db)
    async with app.run_test(size=(64, 40)) as pilot:
        screen = await opened(app, pilot)
        shown = [line for piece in screen.query(BodyText) for line in rows(piece)]
        start = next(i for i, line in enumerate(shown) if line.startswith("    A quoted"))
        quote = shown[start : shown.index("", start)]
        assert len(quote) >= 2
        assert all(line.startswith("    ") and line[4] != " " for line in quote)
        assert " ".join(line.strip() for line in quote) == QUOTE
        item = next(i for i, line in enumerate(shown) if line.startswith("  * A list item"))
        assert shown[item + 1].startswith("    ") and shown[item + 1][4] != " "
        assert shown[item + 2] == "  * Short."
        await pilot.press("slash", *"longer still", "enter")
        await settle(app, pilot)
        body = screen.content
        current = [body.plain[s.start : s.end] for s in body.spans
                   if str(s.style) == "$search-current"]  # fmt: skip
        assert current == ["longer still"]
        strip = next(s for s in app.screen._compositor.render_strips() if "longer still" in s.text)
        assert strip.text.startswith(" " * 6) and strip.text[6] != " "  # (padding 2, indent 4)
        assert any(seg.text == "longer still" and seg.style and seg.style.bgcolor
                   for seg in strip)  # fmt: skip


def rows_on_screen(app: NewsReader) -> list[str]:
    """The lines of the screen as drawn."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_deep_nesting_leaves_room_for_the_text(tmp_path: Path) -> None:
    """Forty quotes in one another: the indent stops at half the width, the text is read."""
    words = "deep quote text that goes on and on for a while " * 4
    db = feed(tmp_path, "<blockquote>" * 40 + words + "</blockquote>" * 40)
    app = NewsReader(db)
    async with app.run_test(size=(64, 40)) as pilot:
        screen = await opened(app, pilot)
        shown = [line for piece in screen.query(BodyText) for line in rows(piece)]
        text = [line for line in shown if line.strip() and "Layout" not in line]
        assert " ".join(line.strip() for line in text) == words.strip()
        half = next(iter(screen.query(BodyText))).size.width // 2
        assert all(line[: len(line) - len(line.lstrip())] == " " * half for line in text)


def wide_table(columns: int, rows_: int) -> str:
    head = "".join(f"<th>Col{c}</th>" for c in range(columns))
    body = "".join(
        "<tr>" + "".join(f"<td>r{r}c{c} cell</td>" for c in range(columns)) + "</tr>"
        for r in range(rows_)
    )
    return f"<p>Intro.</p><table><tr>{head}</tr>{body}</table><p>Outro.</p>"


async def test_a_wide_table_keeps_its_columns_and_scrolls_sideways(tmp_path: Path) -> None:
    """60 columns × 300 rows: one line a row (the header wrapped over 15 lines, columns no
    longer lined up); the table scrolls sideways, End reaching its last column."""
    db = feed(tmp_path, wide_table(60, 300))
    app = NewsReader(db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await opened(app, pilot)
        (table,) = screen.query(".table-block")
        assert isinstance(table, HorizontalScroll)
        piece = table.query_one(BodyText)
        assert piece.size.height == 302  # header, rule, 300 rows
        assert table.max_scroll_x > 500
        lines = clean(screen.content.plain).split("\n")
        header = next(line for line in lines if line.startswith("Col0"))
        assert header.index("Col59") == next(
            line for line in lines if line.startswith("r299c0")
        ).index("r299c59")
        table.focus()
        await pilot.press("end")
        await settle(app, pilot)
        assert table.scroll_x == table.max_scroll_x
        await pilot.press("home")
        await settle(app, pilot)
        assert table.scroll_x == 0
        await pilot.press("end", "escape")  # left scrolled sideways: its start again
        await settle(app, pilot)
        assert screen.scroll.has_focus and table.scroll_x == 0


async def test_a_long_code_line_is_reached_by_keys_the_footer_names(tmp_path: Path) -> None:
    """A 100,000-character line: End goes to its end, Home back, → and shift+→ move by more
    than one column; Tab from the text goes to the block; the footer names the keys while
    the block has the focus, and the help lists them."""
    db = feed(tmp_path, "<p>Intro para.</p><pre>" + "y" * 100_000 + "</pre><p>Outro.</p>")
    app = NewsReader(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(app, pilot)
        (block,) = screen.query(".code-block")
        assert "tab Wide block" in rows_on_screen(app)[-1]
        await pilot.press("tab")
        await settle(app, pilot)
        assert block.has_focus
        footer = " ".join(rows_on_screen(app)[-1:])
        assert "Sideways" in footer and "Line start/end " in footer, footer  # (a space after)
        await pilot.press("right")
        await settle(app, pilot)
        step = block.scroll_x
        assert step >= 8
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert block.scroll_x - step >= block.scrollable_content_region.width // 2
        await pilot.press("end")
        await settle(app, pilot)
        assert block.scroll_x == block.max_scroll_x > 99_000
        await pilot.press("home")
        await settle(app, pilot)
        assert block.scroll_x == 0
        await pilot.press("j")  # the article's own keys still work
        await settle(app, pilot)
        await pilot.press("escape")  # back to the text first
        await settle(app, pilot)
        assert screen.scroll.has_focus and isinstance(app.screen, ArticleScreen)
        await pilot.press("question_mark")
        await settle(app, pilot)
        help_text = str(app.screen.query_one("#help-table").render())
        assert "article.block_end" in help_text and "article.block_home" in help_text


async def test_n_scrolls_a_code_block_to_a_match_far_right(tmp_path: Path) -> None:
    db = feed(tmp_path, "<p>Intro.</p><pre>" + "x " * 2000 + "needle</pre><p>Outro.</p>")
    app = NewsReader(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(app, pilot)
        (block,) = screen.query(".code-block")
        await pilot.press("slash", *"needle", "enter")
        await settle(app, pilot)
        assert block.scroll_x <= 4000 < block.scroll_x + block.scrollable_content_region.width
        await pilot.press("escape")  # the find closed: the block's start again
        await settle(app, pilot)
        assert app.screen is screen and not screen.query_one(FindBar).shown
        assert block.scroll_x == 0


async def test_a_block_that_fits_leaves_the_keys_to_the_article(tmp_path: Path) -> None:
    """A code block narrower than the screen has nothing to scroll: no Tab to it is offered,
    and focused, its Home and End are the article's (top, bottom)."""
    paragraphs = "".join(f"<p>Paragraph {i} of the text.</p>" for i in range(60))
    db = feed(tmp_path, f"<p>Intro.</p><pre>short = 1</pre>{paragraphs}")
    app = NewsReader(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(app, pilot)
        (block,) = screen.query(".code-block")
        assert "Wide block" not in rows_on_screen(app)[-1]
        block.focus()
        await pilot.press("end")
        await settle(app, pilot)
        assert screen.scroll.scroll_y == screen.scroll.max_scroll_y > 0


async def test_the_entity_panel_keeps_the_top_row_among_short_paragraphs_and_code(
    tmp_path: Path,
) -> None:
    """The text kept at the top when the panel opens or closes was estimated as a share of
    its piece's characters: among paragraphs, blank lines and a code block it came back a
    row or paragraphs off, drifting as the panel was toggled. It is found exactly now."""
    code = "\n".join(f"line{i} " + ("x" * 300 if i % 3 == 0 else "short") for i in range(60))
    paras = "".join(
        f"<p>After code paragraph {i} " + " ".join(f"w{i}x{j}" for j in range(40)) + "</p>"
        for i in range(30)
    )
    db = feed(tmp_path, f"<p>Intro para.</p><pre>{code}</pre>{paras}")
    app = NewsReader(db)
    async with app.run_test(size=(110, 32)) as pilot:
        await opened(app, pilot)
        await pilot.press("G")
        await settle(app, pilot)
        await pilot.press("b", "b", "b")
        await settle(app, pilot)
        tops = []
        for _ in range(6):
            tops.append(rows_on_screen(app)[1])
            await pilot.press("e")
            await settle(app, pilot)
        assert len({top.split()[0] for top in tops}) == 1, tops
