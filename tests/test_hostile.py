"""Strangers' text, generated: what reads it never raises, keeps its offsets inside the text and
lets no terminal control sequence through; XML bombs expand nothing and fetch nothing."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from reader.entities import extract
from reader.store import FeedStore, QueryError
from reader.store.query import as_you_type, compile_query, parse
from reader.store.sources import Skipped, SourceError
from reader.store.sources.dated_text import load_dated_text
from reader.store.sources.feed import parse_feed
from reader.store.sources.htmltext import html_to_line, html_to_text

from .conftest import FEEDS

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = settings(  # benchmarks/stress.py runs these with thousands of examples
    max_examples=int(os.environ.get("NEWSREADER_HOSTILE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Text with what strangers put in it: escapes, controls, markup, quotes, accents, bidi marks.
pieces = st.sampled_from(
    [
        "\x1b[31m", "\x1b]0;title\x07", "\x1b[2J", "\x9b1m", "\x07", "\x00", "\r\n", "\t",
        "[@click=app.quit]", "[bold]", "[/]", "<b>", "</p>", "<script>x</script>", "&amp;",
        "&#27;", "&#x1b;", '"', "«", "»", "é", "Élysée", "Xiaomi", "Lei Jun", "Pékin", "\u202e",
        "date ", "2021-03", " ", "\n\n", "M.", "U.S.", "(", ")", "OR", "-", "*", ":",
    ]
)  # fmt: skip
hostile_text = st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=40).map("".join)


def clean_output(text: str) -> bool:
    return CONTROL.search(text.replace("\n", "")) is None


@HOSTILE
@given(hostile_text)
def test_dated_text_loader(text: str) -> None:
    for data in (
        text.encode("utf-8", "surrogatepass"),
        ("date 2021-03 " + text).encode("utf-8", "ignore"),
    ):
        try:
            article, _ = load_dated_text(data)
        except (Skipped, SourceError):
            continue
        assert clean_output(article.title) and clean_output(article.body)
        assert article.title and article.body


@HOSTILE
@given(hostile_text)
def test_html_to_text(markup: str) -> None:
    text, links = html_to_text(markup, "https://example.org/a/")
    assert clean_output(text)
    assert all(clean_output(link) for link in links)
    assert clean_output(html_to_line(markup))


@HOSTILE
@given(hostile_text)
def test_feed_parser(text: str) -> None:
    for data in (
        text.encode("utf-8", "ignore"),
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{text}</title><item>'
        f"<title>{text}</title><description>{text}</description></item></channel></rss>".encode(
            "utf-8", "ignore"
        ),
    ):
        try:
            feed = parse_feed(data, "https://example.org/feed")
        except SourceError:
            continue
        for item in feed.items:
            assert clean_output(item.article.title) and clean_output(item.article.body)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    with FeedStore(tmp_path_factory.mktemp("hostile") / "s.db") as store:
        store.index([str(FEEDS)])
        yield store


@HOSTILE
@given(hostile_text)
def test_query_parser_and_search(sample: FeedStore, text: str) -> None:
    for query in (text, as_you_type(text)):
        try:
            node = parse(query)
            compile_query(node)
            sample.search_ids(query, limit=5)
            sample.search_ids(query, order="relevance", limit=5)
        except QueryError as exc:
            assert "\n" not in str(exc)


@HOSTILE
@given(hostile_text)
def test_entity_extractor(text: str) -> None:
    for lang in (None, "fr", "en"):
        for m in extract(text, lang):
            assert 0 <= m.start < m.end <= len(text)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>Bomb &lol9;</title><description>&lol9;</description></item></channel></rss>
"""


def test_billion_laughs_expands_nothing() -> None:
    started = time.perf_counter()
    try:
        feed = parse_feed(BILLION_LAUGHS.encode(), "https://example.org/bomb")
    except SourceError:
        return
    assert time.perf_counter() - started < 10
    for item in feed.items:
        assert len(item.article.body) < 10_000 and len(item.article.title) < 10_000
    assert len(feed.title or "") < 10_000


def test_external_entities_fetch_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY remote SYSTEM "{httpserver.url_for("/xxe")}">
 <!ENTITY local SYSTEM "file://{secret}">
]>
<rss version="2.0"><channel><title>x</title>
<item><title>&local;</title><description>&remote; &local;</description></item></channel></rss>
"""
    try:
        feed = parse_feed(doc.encode(), "https://example.org/xxe")
        texts = [i.article.title + i.article.body for i in feed.items]
    except SourceError:
        texts = []
    assert not any("TOP-SECRET" in t for t in texts)
    assert httpserver.log == []  # nothing was fetched
