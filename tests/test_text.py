"""The pure builders behind the screens: rows, status line, scopes, links, months, find."""

from __future__ import annotations

from datetime import UTC, datetime

from reader.dates import month_buckets
from reader.model import Article, DatedValue, DatePrecision, EntityKind, Mention
from reader.textutil import article_links, literal_terms, match_spans
from reader.ui.scope import Scope, ScopeKind, suggest_name
from reader.ui.text import (
    body_content,
    format_date,
    headline_row,
    meta_content,
    plural,
    source_width,
    status_line,
)


def article(**kw) -> Article:
    fields = dict(
        rowid=1, uid="u", source="numerama", title="Xiaomi vise l'Europe", language="fr",
        date=DatedValue(datetime(2021, 3, 5, 10, 20, tzinfo=UTC), DatePrecision.MINUTE),
        path=None, link=None,
    )  # fmt: skip
    fields.update(kw)
    return Article(**fields)


def test_dates_keep_their_precision() -> None:
    when = datetime(2021, 3, 5, 10, 20, tzinfo=UTC)
    assert format_date(DatedValue(when, DatePrecision.MONTH)) == "Mar 2021"
    assert format_date(DatedValue(when, DatePrecision.YEAR)) == "2021"
    assert format_date(DatedValue(when, DatePrecision.MINUTE)) == "2021-03-05 10:20"
    assert format_date(DatedValue(when, DatePrecision.MINUTE), short=True) == "2021-03-05"


def test_a_headline_row_and_its_styles() -> None:
    text, spans = headline_row(article(), [(("xiaomi",), False)], sources=8)
    assert text == "2021-03-05 10:20 numerama •  Xiaomi vise l'Europe"
    assert {"$text-muted", "$text-secondary", "$accent", "bold", "$search-match"} <= {
        style for _, _, style in spans
    }
    assert text[slice(*spans[-1][:2])] == "Xiaomi"  # the match, over the title's own style
    _, cursor = headline_row(article(), sources=8, on_cursor=True)
    assert {style for _, _, style in cursor} == {"bold"}  # the cursor's own colours
    read, _ = headline_row(article(read=True, starred=True), sources=4)
    assert "num…  ★ Xiaomi" in read


def test_a_starred_article_still_says_it_is_unread() -> None:
    """The star took the unread dot's place: a starred article looked read. The two marks
    have a cell each, so that the titles stay in one column."""
    rows = {
        (read, starred): headline_row(article(read=read, starred=starred), sources=8)
        for read in (False, True)
        for starred in (False, True)
    }
    marks = {key: text[26:29] for key, (text, _) in rows.items()}
    assert marks == {(False, False): "•  ", (False, True): "•★ ", (True, False): "   ",
                     (True, True): " ★ "}  # fmt: skip
    assert {text[29:] for text, _ in rows.values()} == {"Xiaomi vise l'Europe"}
    text, spans = rows[(False, True)]
    assert (26, 27, "$accent") in spans and (27, 28, "$warning") in spans
    assert (29, len(text), "bold") in spans  # (unread: a bold title, as any unread row)


def test_the_source_column_is_sized_from_the_sources() -> None:
    assert source_width(["numerama", "reuters-wire"], 200) == 12
    assert source_width(["a-very-long-source-name-indeed-yes"], 200) == 24
    assert source_width(["a-very-long-source-name"], 60) == 12  # a fifth of the line
    assert source_width([], 100) == 8


def test_status_line_and_plurals() -> None:
    assert plural(1, "article") == "1 article" and plural(2000, "article") == "2,000 articles"
    assert plural(2, "saved search", "saved searches") == "2 saved searches"
    line = status_line(shown=3, complete=True, total=1, scope="Alpha", query="x",
                       unread_only=True, error=None, progress="indexing 1/2")  # fmt: skip
    assert line == "3 of 1 article  ·  Alpha  ·  query: x  ·  unread only  ·  indexing 1/2"
    empty = status_line(shown=0, complete=True, total=5, scope=None, query="zz",
                        unread_only=False, error=None, progress="")  # fmt: skip
    assert empty == "No article matches  ·  query: zz"
    assert status_line(shown=0, complete=True, total=5, scope=None, query="",
                       unread_only=False, error="bad", progress="").startswith("⚠ bad")  # fmt: skip
    counted = status_line(shown=325, complete=True, total=325, scope=None, query="",
                          unread_only=False, error=None, progress="", unread=12)  # fmt: skip
    assert counted == "325 of 325 articles  ·  12 unread"
    none = status_line(shown=0, complete=True, total=5, scope=None, query="zz",
                       unread_only=False, error=None, progress="", unread=0)  # fmt: skip
    assert none == "No article matches  ·  query: zz"  # (nothing listed: nothing to count)


def test_meta_and_body_content() -> None:
    meta = meta_content(article(also=("reuters",), link="https://x.example/a"))
    assert (
        meta.plain
        == "2021-03-05 10:20 UTC  ·  numerama (also reuters)  ·  fr  ·  https://x.example/a"
    )
    unknown = meta_content(article(language="und"))  # undetermined: not shown as "und"
    assert unknown.plain == "2021-03-05 10:20 UTC  ·  numerama"
    body = body_content(
        "Lei Jun dirige Xiaomi.\n\nLe marché\n\nSuite ici.",
        [Mention(0, 7, EntityKind.PERSON), Mention(15, 21, EntityKind.ORG)],
        terms=[(("suite",), False)],
        current=0,
    )
    styles = {(body.plain[s.start : s.end], str(s.style)) for s in body.spans}
    assert ("Lei Jun", "$entity-person bold") in styles
    assert ("Xiaomi", "$entity-org bold") in styles
    assert ("Le marché", "bold $accent") in styles  # a sub-heading
    assert ("Suite", "$search-current") in styles
    hidden = body_content("Lei Jun.", [Mention(0, 7, EntityKind.PERSON)], show_entities=False)
    assert hidden.spans == []


def test_scopes_combine_into_queries() -> None:
    feed = Scope.feed("https://a.example/rss", "A")
    assert feed.kind == ScopeKind.FEED and feed.query == 'feed:"https://a.example/rss"'
    assert feed.combine("tesla", unread_only=True) == 'feed:"https://a.example/rss" tesla is:unread'
    folder = Scope.folder("News", ["u1", "u2"])
    assert folder.query == '(feed:"u1" OR feed:"u2")'
    assert Scope.search("Musk", 'entity:"Elon Musk"').query == '(entity:"Elon Musk")'
    assert Scope.source('a"b').query == 'source:"ab"'
    assert Scope().combine("") == ""
    assert suggest_name('entity:"Elon Musk" after:2024') == "Elon Musk 2024"
    assert suggest_name("entity:Berlin defi*") == "Berlin defi"  # (as the list shows it)


def test_article_links_in_their_numbers() -> None:
    feed = article(
        body="Texte [1].\n\nLinks\n\n[1] https://a.example/x", link="https://own.example"
    )
    assert article_links(feed) == ["https://a.example/x", "https://own.example"]
    dump = article(body="Voir www.mi.com et https://a.example/y.", link=None)
    assert article_links(dump) == ["https://www.mi.com", "https://a.example/y"]
    # Markup written around an address in a plain-text body ends it; an IPv6 host keeps its own.
    marked = article(body="[link=http://evil]L[/link] and http://[::1]:8080/feed", link=None)
    assert article_links(marked) == ["http://evil", "http://[::1]:8080/feed"]


def test_find_takes_text_as_typed() -> None:
    assert literal_terms("Input:") == [(("Input",), True)]
    assert literal_terms("lei jun ") == [(("lei", "jun"), False)]
    assert literal_terms("  ") == []
    spans = match_spans("Input: Secret sk; input", literal_terms("input:"))
    assert spans == [(0, 5), (18, 23)]


def test_months_are_filled_in() -> None:
    assert month_buckets([("2021-11", 2), ("2022-02", 1)]) == [2, 0, 0, 1]
    assert month_buckets([]) == []


def test_feed_list_names_fit_their_column() -> None:
    from rich.cells import cell_len

    from reader.ui.widgets.feed_tree import fit

    assert fit("Le carnet", 12) == "Le carnet   "
    assert fit("A very long feed title indeed", 12) == "A very long…"
    first = fit("http://127.0.0.1:8765/f/wellformed_atom_feed_title_missing.xml", 30)
    second = fit("http://127.0.0.1:8765/f/wellformed_atom_entry_link_missing.xml", 30)
    assert first != second and first.startswith("127.0.0.1:8765") and first.endswith(".xml")
    assert "…" in first and len(first) == 30
    assert cell_len(fit("년 뉴스", 10)) == 10  # wide characters count two cells
    assert cell_len(fit("年年年年年年年年", 9)) == 9


def test_narrow_rows_keep_the_title() -> None:
    """At 20 columns a row showed only its date and source, never the title."""
    a = article(read=False)
    wide, _ = headline_row(a, sources=8, short_dates=True)
    assert wide.startswith("2021-03-05 numerama •  Xiaomi")
    no_source, _ = headline_row(a, sources=0, short_dates=True)
    assert no_source == "2021-03-05 •  Xiaomi vise l'Europe"
    bare, spans = headline_row(a, sources=0, short_dates=None)
    assert bare == "•  Xiaomi vise l'Europe"
    assert (0, 1, "$accent") in spans  # the unread mark, as on every row


def test_wide_source_names_keep_the_titles_in_one_column() -> None:
    """The source column was padded and cut by characters: a CJK or emoji name (two cells a
    character) pushed its title right by as many cells."""
    from rich.cells import cell_len

    names = ["numerama", "中文新闻源", "📰emoji", "中文新闻源中文新闻源中文新闻源"]
    width = source_width(names, 120)
    starts = set()
    for name in names:
        text, _ = headline_row(article(source=name, title="T"), sources=width)
        starts.add(cell_len(text[: text.rindex("T")]))
    assert len(starts) == 1
    assert source_width(["中文新闻源"], 120) == 10


def test_a_feed_items_text_may_open_with_a_sub_heading() -> None:
    """The first block was never a sub-heading (a dated text's is its lead, the title's
    sentence), so an item whose HTML opened with <h2> showed it as plain text."""
    from reader.ui.text import body_styles

    body = "First H2 block\n\nParagraph after.\n\nAnother H2\n\nEnd."

    def headings(title: str) -> list[str]:
        return [
            body[s.start : s.end] for s in body_styles(body, title=title) if "$accent" in s.style
        ]

    assert headings("Rich HTML article") == ["First H2 block", "Another H2"]
    assert headings("First H2 block") == ["Another H2"]  # the title again: the lead
    assert headings("") == ["Another H2"]
