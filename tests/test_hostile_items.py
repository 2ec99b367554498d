"""Hostile feed items and files, each failing alone: lone surrogates, files that cannot be
written, names that are not UTF-8 (the audit of text, dates and items)."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reader.cli.show import show_text
from reader.dates import local_date
from reader.store import FeedStore
from reader.store.items import ItemWriter
from reader.store.sources import feed as feed_module
from reader.store.sources.feed import parse_feed

from .conftest import write

LONE = (
    '{"version":"https://jsonfeed.org/version/1.1","title":"S","items":[{"id":"s1",'
    '"title":"Lone \\ud800","content_text":"body \\udc00",'
    '"date_published":"2026-03-02T10:00:00Z"}]}'
)


def json_feed(*items: dict[str, object], title: str = "J") -> str:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": list(items)}
    )


def fail_writes_of(monkeypatch: pytest.MonkeyPatch, name: str, message: str) -> None:
    """Writing the items of a file whose path ends with ``name`` raises ValueError."""
    real = ItemWriter.write

    def broken(self: ItemWriter, origin: str, source: str, items, path, full_text=False):  # type: ignore[no-untyped-def]
        if path and path.endswith(name):
            raise ValueError(message)
        return real(self, origin, source, items, path, full_text)

    monkeypatch.setattr(ItemWriter, "write", broken)


def guid_feed(title: str, item: str) -> str:
    """An RSS feed titled ``title`` with one item that names the global guid of news.example."""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><title>{item}</title><guid>https://news.example/a/1</guid>"
        f"<description>{item} text</description>"
        "<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )


def test_lone_surrogates_in_a_json_feed_become_replacement_characters() -> None:
    item = parse_feed(LONE.encode(), "https://s.example/feed.json").items[0]
    assert item.article.title == "Lone \ufffd"
    assert item.article.body == "body \ufffd"
    raw = (
        '{"version":"https://jsonfeed.org/version/1","title":"T\\udfff","items":[{"id":"\\ud801",'
        '"url":"https://s.example/\\ud800","date_published":"2026-03-02T10:00:00Z\\ud800",'
        '"authors":[{"name":"Ann \\udc00"}],"attachments":[{"url":"https://s.example/a.mp3",'
        '"mime_type":"audio/\\udc00"}],"content_html":"<p>x \\ud800</p>"}]}'
    )
    feed = parse_feed(raw.encode(), "https://s.example/feed.json")
    assert feed.title == "T\ufffd" and feed.warning is None
    a = feed.items[0].article
    assert a.guid == "\ufffd" and a.author == "Ann \ufffd" and "\ufffd" in a.body
    assert a.enclosures[0].type == "audio/\ufffd"


def test_a_reference_to_a_surrogate_in_broken_xml_is_a_replacement_character() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
        b"<title>A &#xD800; B</title><guid>x1</guid><description>x &#55296; y</description>"
        b"</item><broken</channel></rss>"
    )
    feed = parse_feed(data, "https://s.example/rss")
    assert feed.items[0].article.title == "A \ufffd B"
    assert feed.items[0].article.body == "x \ufffd y"


def test_a_json_feed_with_lone_surrogates_is_subscribed_and_refreshed(
    store: FeedStore, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.json", json_feed({"id": "g1", "title": "Good one"}))
    store.subscribe(good.as_uri(), fetch=True)
    bad = write(tmp_path / "lone.json", LONE)
    store.subscribe(bad.as_uri(), fetch=True)
    write(good, json_feed({"id": "g1", "title": "Good one"}, {"id": "g2", "title": "Good two"}))
    report = store.refresh()
    assert not report.failed
    titles = sorted(a.title for a in store.search(""))
    assert titles == ["Good one", "Good two", "Lone \ufffd"]


def test_index_stores_a_json_feed_with_lone_surrogates_and_the_text_beside_it(
    store: FeedStore, tmp_path: Path
) -> None:
    write(tmp_path / "d" / "lone.json", LONE)
    write(tmp_path / "d" / "good.txt", "date 2026-03-01\n\nA good article here.\n")
    report = store.index([str(tmp_path / "d")])
    assert report.added == 2 and not report.failed
    assert sorted(a.title for a in store.search("")) == ["A good article here.", "Lone \ufffd"]


def test_one_item_a_parser_chokes_on_is_left_out_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = feed_module.title_line

    def choke(value: object, kind: str | None = None) -> str:
        if "poison" in str(value):
            raise RuntimeError("choked")
        return real(value, kind)

    monkeypatch.setattr(feed_module, "title_line", choke)
    doc = json_feed({"id": "1", "title": "fine"}, {"id": "2", "title": "poison"})
    feed = parse_feed(doc.encode(), "https://s.example/feed.json")
    assert [i.article.title for i in feed.items] == ["fine"]
    assert feed.warning == "item 2 ('poison') not read: RuntimeError: choked"
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
        "<item><title>poison</title><guid>a</guid></item><item><title>ok</title><guid>b</guid>"
        "</item><item><title>poison too</title><guid>c</guid></item></channel></rss>"
    )
    feed = parse_feed(rss.encode(), "https://s.example/rss")
    assert [i.article.title for i in feed.items] == ["ok"]
    assert feed.warning == "item 1 ('poison') not read: RuntimeError: choked (and 1 other item)"


def test_a_file_that_cannot_be_written_fails_alone_and_keeps_its_articles(
    store: FeedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "d"
    bad = write(folder / "bad.json", json_feed({"id": "b1", "title": "First version"}))
    assert store.index([str(folder)]).added == 1
    for n in range(5):
        write(folder / f"t{n}.txt", f"date 2026-03-0{n + 1}\n\nText number {n}.\n")
    write(bad, json_feed({"id": "b1", "title": "Second version"}))
    fail_writes_of(monkeypatch, "bad.json", "cannot write this one")
    report = store.index([str(folder)])
    assert report.added == 5 and report.updated == 0
    assert report.failed == [(str(bad), "not stored (ValueError: cannot write this one)")]
    titles = sorted(a.title for a in store.search(""))
    assert titles == ["First version", *(f"Text number {n}." for n in range(5))]


def test_a_failed_write_loses_none_of_the_runs_counts(
    store: FeedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files counted after a write that failed (unchanged ones, here) are still in the
    report: the scan counts into the report object itself (the review: a copy put in its
    place lost 891 of 2,900 unchanged files)."""
    folder = tmp_path / "d"
    bad = write(folder / "a_bad.json", json_feed({"id": "b1", "title": "First"}))
    for n in range(2500):
        write(folder / f"z{n:04d}.txt", f"date 2026-03-01\n\nUnchanged text {n}.\n")
    assert store.index([str(folder)]).added == 2501
    write(bad, json_feed({"id": "b1", "title": "Second"}))
    for n in range(2000, 2500, 10):
        write(folder / f"z{n:04d}.txt", f"date 2026-03-01\n\nChanged text {n}.\n")
    fail_writes_of(monkeypatch, "a_bad.json", "boom")
    report = store.index([str(folder)], batch_size=1)
    assert (report.updated, report.unchanged, len(report.failed)) == (50, 2450, 1)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_fails_alone(store: FeedStore, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write(folder / "good.txt", "date 2026-03-01\n\nA good article here.\n")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"date 2026-03-01\n\nBad name.\n")
    report = store.index([str(folder)])
    assert report.added == 1
    assert report.failed == [
        (f"{folder}/caf\ufffd.txt", "its name is not valid UTF-8; not read (rename the file)")
    ]


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def rss_item(guid: str, date: str) -> str:
    return f"<item><title>{guid}</title><guid>{guid}</guid><pubDate>{date}</pubDate></item>"


def rss_doc(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
        f"{''.join(items)}</channel></rss>"
    ).encode()


def test_unusable_feed_dates_are_handled_as_no_date() -> None:
    feed = parse_feed(
        rss_doc(
            rss_item("far", "Fri, 31 Dec 9999 23:59:59 GMT"),  # not believed: now
            rss_item("soon", "Thu, 12 Mar 2026 11:00:00 GMT"),  # within two days: kept
            rss_item("later", "Fri, 13 Mar 2026 12:00:01 GMT"),
            rss_item("offset", "Mon, 02 Mar 2026 10:00:00 +9900"),
            rss_item("fine", "Mon, 02 Mar 2026 10:00:00 +1400"),
            rss_item("bce", "-0001-01-01T00:00:00Z"),  # feedparser: the year 2000 (the retest)
        ),
        "https://r.example/rss",
        now=NOW,
    )
    dates = {i.article.title: (i.article.date.iso(), i.dated_by) for i in feed.items}
    assert dates == {
        "far": ("2026-03-10T12:00:00Z", "first-seen"),
        "soon": ("2026-03-12T11:00:00Z", "published"),
        "later": ("2026-03-10T12:00:00Z", "first-seen"),
        "offset": ("2026-03-10T12:00:00Z", "first-seen"),
        "fine": ("2026-03-01T20:00:00Z", "published"),
        "bce": ("2026-03-10T12:00:00Z", "first-seen"),
    }
    doc = json_feed(
        {"id": "neg", "title": "neg", "date_published": "-0001-01-01T00:00:00Z"},
        {
            "id": "off",
            "title": "off",
            "date_published": "2026-03-02T10:00:00+99:00",
            "date_modified": "2026-03-03T10:00:00Z",
        },
        {"id": "far", "title": "far", "date_published": "9999-12-31T23:59:59Z"},
    )
    feed = parse_feed(doc.encode(), "https://j.example/feed.json", now=NOW)
    assert feed.warning is None
    dates = {i.article.title: (i.article.date.iso(), i.dated_by) for i in feed.items}
    assert dates == {
        "neg": ("2026-03-10T12:00:00Z", "first-seen"),
        "off": ("2026-03-03T10:00:00Z", "updated"),
        "far": ("2026-03-10T12:00:00Z", "first-seen"),
    }


def test_a_dated_text_file_with_an_unusable_date_fails_alone(
    store: FeedStore, tmp_path: Path
) -> None:
    folder = tmp_path / "d"
    write(folder / "good.txt", "date 2026-03-01\n\nA good article here.\n")
    write(folder / "offset.txt", "date 2026-03-02T10:00:00+99:00\n\nText.\n")
    write(folder / "bce.txt", "date -0001-01-01\n\nText.\n")
    report = store.index([str(folder)])
    assert report.added == 1
    assert sorted(report.failed) == [
        (str(folder / "bce.txt"), "unreadable date after 'date': '-0001-01-01'"),
        (str(folder / "offset.txt"), "unreadable date after 'date': '2026-03-02T10:00:00+99:00'"),
    ]


def test_a_date_an_older_version_stored_far_ahead_is_shown_then_replaced(
    store: FeedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = write(tmp_path / "far.xml", rss_doc(rss_item("far", "Fri, 31 Dec 9999 23:59:59 GMT")))
    with monkeypatch.context() as m:  # as the version before this rule stored it
        m.setattr(feed_module, "believable", lambda value, seen: value)
        store.subscribe(feed.as_uri(), fetch=True)
    (article,) = store.search("")
    assert article.date.iso() == "9999-12-31T23:59:59Z"
    for zone, shown in [("Asia/Tokyo", "23:59 UTC"), ("Pacific/Kiritimati", "23:59 UTC"),
                        ("America/New_York", "18:59 EST")]:  # fmt: skip
        monkeypatch.setenv("TZ", zone)
        time.tzset()  # (past the calendar's end east of UTC: shown in UTC)
        assert f"Date:   9999-12-31 {shown}" in show_text(article)
        assert local_date(article.date, zone_name=False) == f"9999-12-31 {shown[:5]}"
    write(feed, rss_doc(rss_item("far", "Fri, 31 Dec 9999 23:59:58 GMT")))
    assert store.refresh().items.updated == 1
    (again,) = store.search("")
    assert again.date.when.year == datetime.now(UTC).year and again.dated_by == "first-seen"
    assert again.uid == article.uid


def test_relative_guids_of_two_feeds_on_one_host_stay_apart(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    def doc(title: str, guid: str) -> bytes:
        return rss_doc(
            f"<item><title>{title}</title><guid>{guid}</guid><description>{title} text"
            "</description><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>"
        ).replace(b"<title>R</title>", f"<title>{title} feed</title>".encode())

    for name, title in [("dupesA", "From A"), ("dupesB", "From B")]:
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            doc(title, "shared-guid-1"), content_type="application/rss+xml"
        )
    httpserver.expect_request("/dupesC.xml").respond_with_data(
        doc("From C", "/shared-guid-1"), content_type="application/rss+xml"
    )
    store.subscribe(httpserver.url_for("/dupesA.xml"), fetch=True)
    store.subscribe(httpserver.url_for("/dupesB.xml"), fetch=True)
    store.subscribe(httpserver.url_for("/dupesC.xml"), fetch=True)
    report = store.refresh()
    assert report.items.added == 0 and report.items.updated == 0
    assert sorted(a.title for a in store.search("")) == ["From A", "From B", "From C"]


def test_titles_are_capped_and_lose_zero_width_characters() -> None:
    long = "word " * 200_000  # a 1 MB title
    doc = json_feed(
        {"id": "1", "title": long, "content_text": "Body."},
        {"id": "2", "title": "Zero\u200bwidth\ufeff and\u2028lines\u2029 \u200djoined"},
    )
    first, second = parse_feed(doc.encode(), "https://t.example/feed.json").items
    assert len(first.article.title) <= 1000 and first.article.title.endswith("word…")
    assert second.article.title == "Zerowidth and lines joined"


def test_another_feed_naming_an_articles_guid_does_not_rewrite_it(
    store: FeedStore, tmp_path: Path
) -> None:
    """A guid that is an address is global (the same article in two feeds is one article),
    but only the feed whose article it is rewrites it: another feed naming the same guid is
    recorded as carrying it too, and its text does not replace the first feed's."""

    alpha = write(tmp_path / "alpha.xml", guid_feed("Alpha", "Original"))
    beta = write(tmp_path / "beta.xml", guid_feed("Beta", "HIJACK"))
    store.subscribe(str(alpha), fetch=True)
    store.subscribe(str(beta), fetch=True)
    [article] = store.search("")
    assert article.title == "Original" and article.source == "Alpha"
    assert store.search("source:Beta") == [article]  # Beta carries it too
    write(beta, guid_feed("Alpha", "HIJACK again"))  # taking the first feed's title: no more
    store.refresh()
    assert [a.title for a in store.search("")] == ["Original"]
    write(alpha, guid_feed("Alpha", "Corrected"))  # its own feed still rewrites it
    store.refresh()
    assert [a.title for a in store.search("")] == ["Corrected"]
    store.unsubscribe(str(alpha))  # Beta carries it alone now: its next version counts
    write(beta, guid_feed("Beta", "Beta's own"))
    store.refresh()
    assert [a.title for a in store.search("")] == ["Beta's own"]


def test_articles_stored_before_owners_were_kept_get_one(tmp_path: Path) -> None:
    """A database of schema 12 (no owners): on opening, each article is owned by the origin
    that carries it under its source's name, and the other feed no longer rewrites it."""
    import sqlite3

    path = tmp_path / "old.db"
    alpha = write(tmp_path / "alpha.xml", guid_feed("Alpha", "Original"))
    beta = write(tmp_path / "beta.xml", guid_feed("Beta", "Other"))
    with FeedStore(path) as store:
        store.subscribe(str(alpha), fetch=True)
        store.subscribe(str(beta), fetch=True)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE origins DROP COLUMN owner")
    conn.execute("ALTER TABLE feeds DROP COLUMN retry_after")
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_to")
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_seen")  # (schema 15's)
    conn.execute("ALTER TABLE generation DROP COLUMN titles_below")  # (schema 16's)
    conn.execute("PRAGMA user_version = 12")
    conn.commit()
    conn.close()
    with FeedStore(path) as store:
        owners = store.db.conn.execute(
            "SELECT origin, owner FROM origins ORDER BY owner"
        ).fetchall()
        assert [owner for _, owner in owners] == [0, 1]
        write(beta, guid_feed("Alpha", "HIJACK"))
        store.refresh()
        assert [(a.title, a.source) for a in store.search("")] == [("Original", "Alpha")]
