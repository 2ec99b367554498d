"""Relative addresses in feed items' content resolve against the ``xml:base`` in scope for
that content (feed, entry or content level); RSS and Atom without one, and JSON Feed, keep
resolving against the item's link; a hostile base is never used."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from reader.cli.show import show_text
from reader.store import FeedStore
from reader.store.sources.feed import parse_feed
from reader.textutil import listed_links

from .conftest import write

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FEED_URL = "https://feeds.example/blog/atom.xml"
HTTP = "application/atom+xml; charset=utf-8"  # as refreshing gives it (the feed's address too)
CONTENT = (
    "&lt;p&gt;A &lt;a href=&quot;images/pic.png&quot;&gt;picture&lt;/a&gt;: "
    "&lt;img src=&quot;images/pic.png&quot; alt=&quot;Pic&quot;&gt; and "
    "&lt;a href=&quot;/about&quot;&gt;about&lt;/a&gt;.&lt;/p&gt;"
)


def atom(entries: str, feed_attrs: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<feed xmlns="http://www.w3.org/2005/Atom"{feed_attrs}><title>Blog</title>'
        f"<id>tag:blog.example,2024:feed</id><updated>2024-05-02T00:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def entry(n: int = 1, content_attrs: str = "", attrs: str = "", link: str = "") -> str:
    link = link or "https://blog.example/2024/05/post"
    return (
        f"<entry{attrs}><title>Post {n}</title><id>tag:blog.example,2024:{n}</id>"
        f'<updated>2024-05-01T00:00:00Z</updated><link href="{link}"/>'
        f'<content type="html"{content_attrs}>{CONTENT}</content></entry>'
    )


def links_of(data: bytes, url: str = "file:///feeds/blog.xml", content_type: str | None = None):
    """Each item's numbered links (a file is indexed with no content type; a refresh gives
    the server's)."""
    feed = parse_feed(data, url, content_type, now=NOW)
    return [listed_links(item.article.body) for item in feed.items]


@pytest.mark.parametrize("content_type", [None, HTTP], ids=["file", "http"])
def test_a_feed_level_xml_base_is_the_base_of_relative_links(content_type: str | None) -> None:
    data = atom(entry(), ' xml:base="https://blog.example/"')
    url = "file:///feeds/blog.xml" if content_type is None else FEED_URL
    assert links_of(data, url, content_type) == [
        ["https://blog.example/images/pic.png", "https://blog.example/about"]
    ]


@pytest.mark.parametrize("content_type", [None, HTTP], ids=["file", "http"])
def test_a_content_or_entry_level_xml_base_wins_over_the_feeds(content_type: str | None) -> None:
    data = atom(
        entry(1, ' xml:base="https://cdn.example/media/"')
        + entry(2, attrs=' xml:base="https://blog.example/2024/"')
        + entry(3),
        ' xml:base="https://blog.example/"',
    )
    url = "file:///feeds/blog.xml" if content_type is None else FEED_URL
    assert links_of(data, url, content_type) == [
        ["https://cdn.example/media/images/pic.png", "https://cdn.example/about"],
        ["https://blog.example/2024/images/pic.png", "https://blog.example/about"],
        ["https://blog.example/images/pic.png", "https://blog.example/about"],
    ]


def test_a_summary_resolves_against_its_own_xml_base() -> None:
    data = atom(
        "<entry><title>S</title><id>tag:s,1</id><updated>2024-05-01T00:00:00Z</updated>"
        '<link href="https://blog.example/2024/05/post"/>'
        f'<summary type="html" xml:base="https://blog.example/s/">{CONTENT}</summary></entry>'
    )
    assert links_of(data) == [
        ["https://blog.example/s/images/pic.png", "https://blog.example/about"]
    ]


def test_a_relative_xml_base_resolves_against_the_document_or_the_items_link() -> None:
    data = atom(entry(1, ' xml:base="/media/"'))
    # Over HTTP feedparser resolves it against the feed's address (RFC 3986, XML Base).
    assert links_of(data, FEED_URL, HTTP) == [
        ["https://feeds.example/media/images/pic.png", "https://feeds.example/about"]
    ]
    # A file has no web address: the item's link stands for the document's.
    assert links_of(data) == [
        ["https://blog.example/media/images/pic.png", "https://blog.example/about"]
    ]


@pytest.mark.parametrize("content_type", [None, HTTP], ids=["file", "http"])
def test_without_xml_base_links_resolve_against_the_items_link_as_before(
    content_type: str | None,
) -> None:
    url = "file:///feeds/blog.xml" if content_type is None else "https://feeds.example/rss?"
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>R</title>'
        "<link>https://site.example/</link>"
        "<item><title>Linked</title><link>https://site.example/2024/05/post</link>"
        f"<guid>https://site.example/p1</guid><description>{CONTENT}</description></item>"
        "<item><title>Unlinked</title><guid isPermaLink='false'>u2</guid>"
        f"<description>{CONTENT}</description></item></channel></rss>"
    ).encode()
    assert links_of(rss, url, content_type) == [
        ["https://site.example/2024/05/images/pic.png", "https://site.example/about"],
        ["https://site.example/images/pic.png", "https://site.example/about"],  # channel link
    ]
    plain_atom = atom(entry())
    assert links_of(plain_atom, url, content_type) == [
        ["https://blog.example/2024/05/images/pic.png", "https://blog.example/about"]
    ]
    # An xml:base on one entry leaves the others resolving against their links, whatever
    # form feedparser gives the feed's own address (here without its empty query).
    mixed = atom(entry(1, attrs=' xml:base="https://other.example/"') + entry(2))
    assert links_of(mixed, url, content_type) == [
        ["https://other.example/images/pic.png", "https://other.example/about"],
        ["https://blog.example/2024/05/images/pic.png", "https://blog.example/about"],
    ]


def test_json_feed_items_resolve_against_their_url_as_before() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "home_page_url": "https://j.example/",
        "items": [
            {
                "id": "1",
                "url": "https://j.example/2024/05/post",
                "content_html": '<p><a href="images/pic.png">pic</a> xml:base="https://x/"</p>',
            }
        ],
    }
    assert links_of(
        json.dumps(doc).encode(), "https://j.example/feed.json", "application/json"
    ) == [["https://j.example/2024/05/images/pic.png"]]


HOSTILE = [
    "javascript:alert(1)//",
    "JavaScript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/",
    "ftp://files.example/pub/",
    "vbscript:msgbox(1)",
    "http://[bad/",
]


@pytest.mark.parametrize("content_type", [None, HTTP], ids=["file", "http"])
@pytest.mark.parametrize("level", ["feed", "content"])
@pytest.mark.parametrize("base", HOSTILE)
def test_a_hostile_xml_base_is_not_used(base: str, level: str, content_type: str | None) -> None:
    attr = f' xml:base="{base}"'
    data = atom(entry(1, attr if level == "content" else ""), attr if level == "feed" else "")
    url = "file:///feeds/blog.xml" if content_type is None else FEED_URL
    feed = parse_feed(data, url, content_type, now=NOW)
    (item,) = feed.items
    links = listed_links(item.article.body) or []
    assert all(link.startswith("https://blog.example/") for link in links)
    if item.article.link is None:  # feedparser could not resolve the link against that base
        assert base == "http://[bad/" and level == "feed" and content_type is None
        return
    # The item's link (absolute) is the base, as without xml:base; the text keeps its layout.
    assert links == [
        "https://blog.example/2024/05/images/pic.png",
        "https://blog.example/about",
    ]
    assert "A picture [1]: [image: Pic] [1] and about [2]." in item.article.body


def test_an_indexed_atom_file_shows_links_under_its_xml_base(
    store: FeedStore, tmp_path: Path
) -> None:
    write(tmp_path / "feeds" / "blog.xml", atom(entry(), ' xml:base="https://blog.example/"'))
    assert store.index([str(tmp_path / "feeds")]).added == 1
    (found,) = store.search("")
    article = store.article(found.uid)
    assert article is not None
    shown = show_text(article)
    assert "[1] https://blog.example/images/pic.png" in shown
    assert "2024/05/images" not in shown


def test_a_refreshed_feed_resolves_under_its_xml_base(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    data = atom(entry(1, ' xml:base="media/"'), ' xml:base="https://blog.example/"')
    httpserver.expect_request("/atom").respond_with_handler(
        lambda r: Response(data, content_type=HTTP)
    )
    store.subscribe(httpserver.url_for("/atom"))
    assert not store.refresh().failed
    (found,) = store.search("")
    article = store.article(found.uid)
    assert article is not None
    assert listed_links(article.body) == [
        "https://blog.example/media/images/pic.png",
        "https://blog.example/about",
    ]
