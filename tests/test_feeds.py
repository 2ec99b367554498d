"""Feed documents into articles: parsing, HTML to text, identities, updates, shared items."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.model import DatePrecision
from reader.store import FeedStore
from reader.store.sources import SourceError
from reader.store.sources.feed import parse_feed
from reader.store.sources.htmltext import html_to_line, html_to_text
from reader.textutil import listed_links, normalise_body

SAMPLE = Path(__file__).resolve().parent.parent / "feeds" / "syndicated"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def rss(items: str, title: str = "Test feed", extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://feed.example/</link>{extra}{items}</channel></rss>"
    ).encode()


def test_html_keeps_blocks_numbers_links_and_drops_what_a_reader_never_sees() -> None:
    text, links = html_to_text(
        "<h2>Heading</h2><p>One <a href='/a'>link</a> and <a href='https://x.org/b'>two</a>, "
        "<a href='/a'>again</a>.</p><ul><li>first</li><li>second</li></ul>"
        "<blockquote><p>Quoted words.</p></blockquote>"
        "<p><img src='c.png' alt='A chart'><img src='p.gif' width='1' height='1' alt='pixel'>"
        "</p><script>alert(1)</script><style>p{}</style><iframe src='x'></iframe>"
        "<p><a href='javascript:alert(1)'>bad</a> &eacute;t&eacute; &amp; co</p>",
        "https://site.example/post/",
    )
    assert links == ["https://site.example/a", "https://x.org/b", "https://site.example/post/c.png"]
    assert "One link [1] and two [2], again [1]." in text
    assert "* first" in text and "* second" in text
    assert "    Quoted words." in text
    assert "[image: A chart] [3]" in text and "pixel" not in text
    assert "alert" not in text and "p{}" not in text
    assert "bad été & co" in text
    assert "Heading" in text.splitlines()[0]


def test_titles_lose_markup_and_control_sequences() -> None:
    assert html_to_line("<b>Bold</b> &amp; <i>new</i>\x1b[31m") == "Bold & new"
    assert html_to_line("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"


def test_plain_text_titles_and_content_keep_their_angle_brackets() -> None:
    """A title or text that feedparser reports as plain text is not read as HTML: "vector<int>"
    lost "<int>", "Why <br> tags matter" its "<br>"; HTML titles still lose their markup."""
    feed = parse_feed(
        rss(
            "<item><title>C++ templates: vector&lt;int&gt; and std::map&lt;K, V&gt;</title>"
            "<guid>r1</guid></item>"
            "<item><title>Why &lt;br&gt; tags matter: a &lt; b</title><guid>r2</guid></item>"
            "<item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; \x1b[31mred</title><guid>r3</guid>"
            "</item>",
            title="Feed &lt;Brackets&gt;",
        ).replace(b"\x1b", b"&#x1b;"),
        "https://feed.example/rss",
        now=NOW,
    )
    assert feed.title == "Feed <Brackets>"
    titles = [i.article.title for i in feed.items]
    assert titles == [
        "C++ templates: vector<int> and std::map<K, V>",
        "Why <br> tags matter: a < b",
        "Bold & red",  # HTML by feedparser's guess for RSS; the escape sequence gone
    ]
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><id>urn:1</id><title type="text">Using the &lt;blink&gt; tag</title>
      <content type="text">write &lt;script&gt;alert(1)&lt;/script&gt; to test
Second line.</content></entry>
      <entry><id>urn:2</id>
      <title type="html">An &amp;lt;em&amp;gt; &lt;em&gt;title&lt;/em&gt;</title>
      <summary type="html">&lt;p&gt;Use &amp;lt;div&amp;gt;&lt;/p&gt;</summary></entry>
      <entry><id>urn:3</id>
      <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <b>t</b></div></title>
      </entry>
    </feed>"""
    plain, html, xhtml = (i.article for i in parse_feed(atom, "https://a.example/", now=NOW).items)
    assert plain.title == "Using the <blink> tag"
    assert plain.body == "write <script>alert(1)</script> to test\nSecond line."
    assert html.title == "An <em> title" and html.body == "Use <div>"
    assert xhtml.title == "X t"


def test_json_feed_titles_and_content_text_are_plain_text() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JF <Brackets> &amp;",
        "items": [
            {"id": "1", "title": "Understanding Option<T> in Rust\u001b[2J",
             "content_text": "Write Vec<String> and <b>x</b>\n\nPara two & more"},
            {"id": "2", "title": "Html <b>body</b>", "content_html": "<p>A <b>b</b> &lt;c&gt;</p>"},
        ],
    }  # fmt: skip
    feed = parse_feed(json.dumps(doc).encode(), "https://j.example/feed.json", now=NOW)
    assert feed.title == "JF <Brackets> &amp;"
    first, second = (i.article for i in feed.items)
    assert first.title == "Understanding Option<T> in Rust"
    assert first.body == "Write Vec<String> and <b>x</b>\n\nPara two & more"
    assert second.title == "Html <b>body</b>" and second.body == "A b <c>"


def test_rss_items_become_articles_with_dates_links_and_languages() -> None:
    feed = parse_feed(
        rss(
            "<item><title>Un défi pour Xiaomi</title><link>https://a.example/1</link>"
            "<guid>https://a.example/1</guid><pubDate>Tue, 24 Nov 2026 08:30:00 +0800</pubDate>"
            "<description>&lt;p&gt;Le groupe de Lei Jun prépare la suite.&lt;/p&gt;</description>"
            "</item>"
            "<item><title>Day only</title><guid isPermaLink='false'>42</guid>"
            "<pubDate>2026-11-20</pubDate><description>Plain text.</description></item>"
        ),
        "https://feed.example/rss",
        now=NOW,
    )
    assert feed.title == "Test feed"
    first, second = feed.items
    assert first.article.title == "Un défi pour Xiaomi"
    assert first.article.link == "https://a.example/1"
    assert first.article.date.when == datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    assert first.article.date.precision == DatePrecision.SECOND
    assert first.article.language == "fr"
    assert first.dated_by == "published"
    assert second.article.date.iso() == "2026-11-20"  # no time of day: day precision
    assert second.article.link is None


def test_dates_fall_back_to_updated_then_feed_then_first_seen() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <title>A</title><updated>2026-01-02T03:04:05Z</updated>
      <entry><title>u</title><id>tag:a,1</id><updated>2026-01-01T00:00:00+02:00</updated></entry>
    </feed>"""
    item = parse_feed(atom, "https://a.example/atom", now=NOW).items[0]
    assert item.dated_by == "updated"
    assert item.article.date.when == datetime(2025, 12, 31, 22, 0, tzinfo=UTC)
    with_feed_date = rss(
        "<item><title>t</title></item>", extra="<pubDate>2026-03-01T10:00:00Z</pubDate>"
    )
    assert parse_feed(with_feed_date, "u", now=NOW).items[0].dated_by == "feed"
    undated = parse_feed(rss("<item><title>t</title></item>"), "u", now=NOW).items[0]
    assert undated.dated_by == "first-seen"
    assert undated.article.date.when == NOW


@pytest.mark.parametrize(
    ("pub_date", "iso", "dated_by"),
    [
        ("2021-W09-3", "2021-03-03", "published"),  # feedparser: 2021-11-01
        ("2021-W09", None, "first-seen"),  # a week is no day: refused, not some other day
        ("Wed, 03 Mar 2021 10:00:00", "2021-03-03T10:00:00Z", "published"),  # no zone: UTC
        ("Wed, 03 Mar 2021 10:00:00 CEST", "2021-03-03T08:00:00Z", "published"),  # not 10:00Z
        ("Wed, 03 Mar 2021 10:00:00 BST", "2021-03-03T09:00:00Z", "published"),
        ("Wed, 03 Mar 2021 10:00:00 EDT", "2021-03-03T14:00:00Z", "published"),
        ("Wed, 03 Mar 2021 23:59:60 GMT", "2021-03-03T23:59:59Z", "published"),  # leap second
        ("mercredi 3 mars 2021 10:00", "2021-03-03T10:00Z", "published"),
        ("Wed, 02 Jun 2004 06:34:21 +0000 (UTC)", "2004-06-02T06:34:21Z", "published"),
    ],
)
def test_feed_dates_are_read_as_the_dated_text_reads_them(
    pub_date: str, iso: str | None, dated_by: str
) -> None:
    item = parse_feed(
        rss(f"<item><title>t</title><pubDate>{pub_date}</pubDate></item>"), "u", now=NOW
    ).items[0]
    assert item.dated_by == dated_by
    assert item.article.date.iso() == (iso or NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))


def test_item_identity_guid_then_link_then_title_and_date() -> None:
    def uid(item: str, url: str = "https://one.example/rss") -> str:
        return parse_feed(rss(item), url, now=NOW).items[0].uid

    assert uid("<item><guid>https://g/1</guid></item>") == uid(
        "<item><guid>https://g/1</guid><title>changed</title></item>", "https://two.example/rss"
    )  # a URL guid is global
    assert uid("<item><guid>1</guid></item>") != uid(
        "<item><guid>1</guid></item>", "https://two.example/rss"
    )  # a bare number is scoped to its feed
    assert uid("<item><link>https://l/1</link><title>a</title></item>") == uid(
        "<item><link>https://l/1</link><title>b</title></item>"
    )
    assert uid("<item><title>a</title></item>") != uid("<item><title>b</title></item>")


def test_a_guid_taken_for_the_link_is_a_link_only_when_it_is_an_address() -> None:
    """RSS says a guid is the item's permalink unless isPermaLink="false": a guid such as
    "topd-599" was shown as the article's link ("[1] topd-599", and `o` could not open it)."""

    def link(item: str) -> str | None:
        return parse_feed(rss(item), "https://one.example/rss", now=NOW).items[0].article.link

    assert link("<item><title>a</title><guid>topd-599</guid></item>") is None
    assert link("<item><title>a</title><guid>https://g.example/1</guid></item>") == (
        "https://g.example/1"
    )
    assert link(
        "<item><title>a</title><guid>topd-599</guid><link>https://l.example/1</link></item>"
    ) == ("https://l.example/1")


def test_items_repeating_an_earlier_items_identity_are_left_out_with_a_warning() -> None:
    """The first of each guid is kept, as before; the others were dropped without a word."""
    items = (
        "".join(
            f"<item><title>{title}</title><guid>{guid}</guid></item>"
            for title, guid in [("First", "g1"), ("Again", "g1"), ("Other", "g2"), ("Third", "g1")]
        )
        + "<item><title>Linked</title><link>https://l/1</link></item>" * 2
    )
    feed = parse_feed(rss(items), "https://one.example/rss", now=NOW)
    assert [i.article.title for i in feed.items] == ["First", "Other", "Linked"]
    assert feed.warning == (
        "2 items repeat an earlier item's guid, 1 item without a guid repeats an earlier "
        "item's link; only the first of each is kept"
    )
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": ['
        + b", ".join(
            b'{"id": "%d", "title": "%s", "content_text": "x"}' % (n, t)
            for n, t in [(1, b"One"), (1, b"One again"), (2, b"Two")]
        )
        + b"]}"
    )
    feed = parse_feed(doc, "https://j.example/feed.json", now=NOW)
    assert [i.article.title for i in feed.items] == ["One", "Two"]
    assert feed.warning == "1 item repeats an earlier item's guid; only the first is kept"
    assert parse_feed(rss(items.replace("g1", "g3", 1)), "u", now=NOW).warning == (
        "1 item repeats an earlier item's guid, 1 item without a guid repeats an earlier "
        "item's link; only the first of each is kept"
    )


def test_json_feed_items() -> None:
    feed = parse_feed((SAMPLE / "battery-notes.json").read_bytes(), "file:///x.json", now=NOW)
    assert feed.title == "Battery Notes"
    first, second = feed.items
    assert first.article.title == "CATL puts sodium-ion cells into mass production"
    assert listed_links(first.article.body) == ["https://battery-notes.example.org/glossary#sodium"]
    assert first.article.date.iso() == "2026-11-22T06:00:00Z"
    assert "Panasonic" in second.article.body and "\n\n" in second.article.body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
         b"</head><body>hi</body></html>", "it names a feed: /feed.xml"),
        (b"<!doctype html><html><body>no feed</body></html>", "web page"),
        (b'{"version": "1", "items": []}', "jsonfeed.org"),
        (b"{not json", "invalid JSON"),
        (b"<?xml version='1.0'?><nothing/>", "not a feed"),
    ],
)  # fmt: skip
def test_documents_that_are_not_feeds_give_one_line_reasons(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason) as info:
        parse_feed(data, "https://x.example/")
    assert "\n" not in str(info.value)


def test_malformed_xml_still_yields_items_with_a_warning() -> None:
    data = rss("<item><title>Kept & going</title><link>https://k/1</link></item>").replace(
        b"</channel></rss>", b""
    )
    feed = parse_feed(data, "u", now=NOW)
    assert [i.article.title for i in feed.items] == ["Kept & going"]
    assert feed.warning and "read anyway" in feed.warning


def test_empty_feed_has_no_items_and_no_error() -> None:
    feed = parse_feed(rss(""), "u")
    assert feed.items == [] and feed.warning is None


def test_a_feed_cut_short_after_its_title_is_said_to_be_broken() -> None:
    """Not an empty feed: the document ends inside its channel (a truncated download)."""
    feed = parse_feed(b'<rss version="2.0"><channel><title>x</title>', "u", now=NOW)
    assert feed.items == []
    assert feed.warning and feed.warning.endswith("no item in it")
    assert "malformed" in feed.warning and "\n" not in feed.warning


def test_charset_header_contradicting_utf8_content_is_overruled() -> None:
    data = rss("<item><title>Été à Pékin</title></item>")
    feed = parse_feed(data, "u", content_type="application/rss+xml; charset=iso-8859-1")
    assert feed.items[0].article.title == "Été à Pékin"
    assert feed.warning and "iso-8859-1" in feed.warning


def test_hostile_text_is_cleaned() -> None:
    feed = parse_feed(
        rss("<item><title>\x1b]0;pwned\x07Title [@click=app.quit]</title>"
            "<description>Body \x1b[2J text</description></item>"),
        "u",
    )  # fmt: skip
    a = feed.items[0].article
    assert "\x1b" not in a.title and "\x1b" not in a.body
    assert a.title == "Title [@click=app.quit]"


# -- the store ---------------------------------------------------------------------------------
def write_feed(path: Path, items: str, title: str = "Test feed") -> None:
    path.write_bytes(rss(items, title))


def test_indexing_a_feed_file_then_updating_an_item_keeps_its_state(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    feed = folder / "news.xml"
    item = (
        "<item><guid>https://n/1</guid><title>{}</title>"
        "<pubDate>2026-11-01T10:00:00Z</pubDate></item>"
    )
    write_feed(feed, item.format("Before"))
    with FeedStore(tmp_path / "s.db") as store:
        assert store.index([str(folder)]).added == 1
        (article,) = store.search("")
        assert (article.title, article.source, article.path) == ("Before", "Test feed", str(feed))
        store.set_read([article.rowid])
        store.set_starred([article.rowid])
        write_feed(feed, item.format("After"))
        report = store.index([str(folder)])
        assert (report.added, report.updated) == (0, 1)
        (again,) = store.search("")
        assert (again.uid, again.title, again.read, again.starred) == (
            article.uid, "After", True, True
        )  # fmt: skip
        assert store.search("after") and not store.search("before")
        feed.unlink()
        assert store.index([str(folder)]).removed == 1
        assert store.count() == 0


def test_same_item_in_two_feeds_is_one_article_with_both_sources(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    shared = "<item><guid>https://wire/1</guid><title>Shared story</title></item>"
    write_feed(folder / "a.xml", shared, "Alpha")
    write_feed(folder / "b.xml", shared + "<item><title>Only in B</title></item>", "Beta")
    with FeedStore(tmp_path / "s.db") as store:
        store.index([str(folder)])
        assert store.count() == 2
        (hit,) = store.search("shared")
        article = store.article(hit.rowid)
        assert {article.source, *article.also} == {"Alpha", "Beta"}
        assert [a.title for a in store.search("source:beta shared")] == ["Shared story"]
        assert [a.title for a in store.search("source:alpha shared")] == ["Shared story"]
        (folder / "a.xml").unlink()
        store.index([str(folder)])
        assert store.count() == 2  # still carried by Beta
        assert store.article(hit.rowid).source == "Beta"


def test_sample_feed_files_are_searchable(tmp_path: Path) -> None:
    with FeedStore(tmp_path / "s.db") as store:
        report = store.index([str(SAMPLE)])
        assert report.added == 7 and not report.failed
        store.extract_entities()
        assert [a.source for a in store.search("saragosse")] == ["Carnet auto"]
        titles = {a.title for a in store.search("entity:Xiaomi")}
        assert "Xiaomi opens a second car plant in Beijing" in titles
        (plant,) = store.search("yizhuang factory")
        body = store.article(plant.rowid).body
        assert "tracking" not in body and "[image: The Yizhuang plant from the air]" in body
        assert listed_links(body) == [
            "https://ev-briefing.example.org/2026/03/xiaomi-europe",
            "https://ev-briefing.example.org/img/yizhuang.jpg",
        ]


@pytest.mark.parametrize(
    "markup",
    [
        "<p>One <b>bold</b> and <a href='https://x.org/'>a link</a>.</p><p>Two\n  lines</p>",
        "Loose <i>text</i> first<p>then a paragraph</p>and a tail",
        "<p>  spaced   out  </p>\n\n<p>&eacute;t&eacute; <code>x</code></p>",
    ],
)
def test_simple_paragraphs_take_the_fast_layout_with_the_same_result(markup: str) -> None:
    import lxml.html
    from inscriptis import Inscriptis

    from reader.store.sources import htmltext

    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    htmltext._prepare(root, None)
    fast = htmltext._simple_layout(root)
    full = Inscriptis(root, htmltext._CONFIG).get_text()
    assert fast is not None
    assert fast == "\n".join(line.strip() for line in full.strip().split("\n"))


def test_structured_html_takes_the_full_layout() -> None:
    import lxml.html

    from reader.store.sources import htmltext

    for markup in ("<p>a</p><ul><li>b</li></ul>", "<p>a<br>b</p>", "<blockquote>q</blockquote>"):
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
        assert htmltext._simple_layout(root) is None


@pytest.mark.parametrize(
    ("encoding", "title"),
    [
        ("koi8-r", "Как пережить новогоднюю ночь: советы редакции"),
        ("shift_jis", "記事投稿が反映されない問題について調べてみた"),
    ],
)
def test_an_undeclared_encoding_is_detected_with_a_warning(encoding: str, title: str) -> None:
    body = (title + ", " + title + ". ") * 8
    data = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>' + title + "</title>"
        "<item><title>" + title + "</title><description>" + body + "</description>"
        "<guid>https://x.example/1</guid></item></channel></rss>"
    ).encode(encoding)
    parsed = parse_feed(data, "file:///undeclared.xml")
    assert parsed.items[0].article.title == title  # not read as Windows-1252 mojibake
    assert parsed.warning is not None and parsed.warning.startswith(
        "not in its declared encoding; read as "
    )


def test_a_stray_latin1_byte_in_a_utf8_feed_spoils_only_itself() -> None:
    """One raw 0xE9 in a UTF-8 feed had feedparser read the whole document as ISO-8859-15:
    "L'Ã©tÃ©" in the body (the title was right)."""
    text = "L'été à Paris: crème brûlée, œuvre — “citation” €."
    item = rss(
        f"<item><title>Été défi</title><guid>b1</guid>"
        f"<description><![CDATA[<p>{text}</p><p>stray \x00 byte</p>]]></description></item>"
    ).replace(b"\x00", b"\xe9")
    for content_type in (None, "application/rss+xml; charset=utf-8"):
        feed = parse_feed(item, "https://feed.example/rss", content_type, now=NOW)
        article = feed.items[0].article
        assert (article.title, article.body) == ("Été défi", f"{text}\n\nstray é byte")
        assert feed.warning is not None
        assert feed.warning.endswith("read as UTF-8, that byte as Windows-1252")
    doc = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J",
         "items": [{"id": "1", "title": "Été", "content_text": f"{text} \x00"}]},
        ensure_ascii=False,
    ).encode().replace(b"\\u0000", b"\x93")  # fmt: skip
    feed = parse_feed(doc, "https://feed.example/feed.json", now=NOW)
    assert feed.items[0].article.body == f"{text} “"
    assert feed.warning is not None and "that byte as Windows-1252" in feed.warning
    # Declared in another encoding, or mostly not UTF-8: read as before.
    latin = rss("<item><title>Été défi, naïve</title><guid>l1</guid></item>").replace(
        b'encoding="utf-8"', b'encoding="iso-8859-1"'
    )
    assert parse_feed(latin.decode().encode("latin-1"), "u").items[0].article.title == (
        "Été défi, naïve"
    )


def test_mojibake_quotes_with_c1_controls_lose_only_the_controls() -> None:
    title = "Minister says \u00e2\u20ac\x9cno\u00e2\u20ac\x9d to budget cuts"
    body = (
        "&lt;p&gt;The minister said \u00e2\u20ac\u0153no\u00e2\u20ac\x9d on Monday.&lt;/p&gt;"
        "&lt;p&gt;Second paragraph.&lt;/p&gt;"
    )
    item = parse_feed(
        rss(f"<item><title>{title}</title><guid>m1</guid><description>{body}</description></item>"),
        "https://feed.example/rss",
        now=NOW,
    ).items[0]
    # (feedparser reads U+009C as Windows-1252's "œ"; U+009D, undefined there, stays)
    assert item.article.title == "Minister says \u00e2\u20ac\u0153no\u00e2\u20ac to budget cuts"
    assert item.article.body == (
        "The minister said \u00e2\u20ac\u0153no\u00e2\u20ac on Monday.\n\nSecond paragraph."
    )


@pytest.mark.parametrize("depth", [100, 255, 256, 1000, 5000])
def test_deeply_nested_html_loses_no_text(depth: int) -> None:
    markup = "<p>before</p>" + "<div>" * depth + "inner" + "</div>" * depth + "<p>after</p>"
    text, _ = html_to_text(markup)
    assert normalise_body(text) == "before\n\ninner\n\nafter"
    paragraphs = "".join(f"<div><p>p{i}</p>" for i in range(400)) + "</div>" * 400
    text, _ = html_to_text(f"{paragraphs}<p>last</p>")
    assert text.split() == [f"p{i}" for i in range(400)] + ["last"]  # every line, in order
    assert html_to_line("<b>" * depth + "deep" + "</b>" * depth + " title") == "deep title"


def test_an_item_without_guid_or_link_keeps_its_identity_when_its_title_keeps_brackets() -> None:
    """Such an item is known by its title: read as HTML, as every title was before plain-text
    titles kept their angle brackets, so that an item stored then is not stored again."""
    from reader.store.sources.feed import item_uid

    url = "https://feed.example/rss"
    item = rss("<item><title>Why std::vector&lt;int&gt; beats arrays</title></item>")
    feed = parse_feed(item, url, now=NOW)
    (only,) = feed.items
    assert only.article.title == "Why std::vector<int> beats arrays"
    assert only.uid == item_uid(url, None, None, "Why std::vector beats arrays", "")
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "J",
           "items": [{"id": "", "title": "Option<T> in Rust", "content_text": "x"}]}  # fmt: skip
    (json_item,) = parse_feed(json.dumps(doc).encode(), url, now=NOW).items
    assert json_item.article.title == "Option<T> in Rust"
    assert json_item.uid == item_uid(url, None, None, "Option in Rust", "")


def test_a_latin_feed_that_says_it_is_utf8_is_read_as_windows_1252() -> None:
    """Latin-1 bytes declared UTF-8 went to chardet, which read short texts as hp-roman8 or
    iso8859-15: "Øre Åse Ærø" came out "Äre ése ór½", "½" as "œ"."""

    for title in ("Øre Åse Ærø", "Ñandú ¥ 50 ½", "Café crème défi"):
        data = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
            f"<item><title>{title}</title><guid>g</guid></item></channel></rss>"
        ).encode("latin-1")
        for content_type in ("application/rss+xml; charset=utf-8", None):
            parsed = parse_feed(data, "http://127.0.0.1/f.xml", content_type)
            assert parsed.items[0].article.title == title
            assert parsed.warning is not None and "read as Windows-1252" in parsed.warning


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("1700000000", "2023-11-14"),
        ("20231114", "2023-11-14"),
        ("12345", None),  # feedparser's reading: 2012-12-10
        ("1700000000123456", None),  # 1699-11-30
        ("202311", None),  # 2020-08-18
        ("20231399", None),  # 2023-05-19
        ("¹⁷⁰⁰⁰⁰⁰⁰⁰⁰", None),  # the item was dropped ("invalid literal for int()")
    ],
)
def test_a_feed_date_of_digits_alone_is_a_unix_time_or_a_date_form_else_none(
    raw: str, day: str | None
) -> None:
    data = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>t</title>'
        f"<guid>g</guid><pubDate>{raw}</pubDate></item></channel></rss>"
    ).encode()
    (item,) = parse_feed(data, "http://127.0.0.1/f.xml").items
    dated = str(item.dated_by) != "first-seen"
    assert (item.article.date.when.date().isoformat() if dated else None) == day
