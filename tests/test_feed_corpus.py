"""The feedparser test corpus (about 2,100 real test feeds) through the indexer.

The corpus lives beside the project (../shared/dev-data, not redistributable with it); these
tests skip with a reason when it is absent.
"""

from __future__ import annotations

import ast
import calendar
import re
from pathlib import Path

import feedparser
import pytest

from reader.store import FeedStore
from reader.store.sources import SourceError
from reader.store.sources.feed import parse_feed
from reader.store.sources.htmltext import html_to_line

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "feeds" / "feedparser-tests"
pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"feedparser test corpus not found at {CORPUS}"
)
# Expectations about an entry's title, link, id or dates, as the corpus writes them.
EXPECT = re.compile(
    r"entries\[0\]\['(title|link|id|published_parsed|updated_parsed)(?:_detail)?'\]"
    r"(?:\['value'\])?\s*==\s*(.+?)\s*(?:and |$)"
)
# These need the HTTP headers the original test server sent (Content-Location as base URL).
NEEDS_HTTP = re.compile(r"wellformed/base/http_")


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xml", ".json"))


def test_every_file_is_indexed_or_reported_in_one_line(tmp_path: Path) -> None:
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    assert len(files) > 2000
    with FeedStore(tmp_path / "corpus.db") as store:
        report = store.index([str(CORPUS)])
        rows = dict(store.db.conn.execute("SELECT display, status FROM files").fetchall())
        stored = store.count()
    assert len(rows) == len(files)  # every file has an outcome
    reported = {path for path, _ in report.failed} | {path for path, _ in report.skips}
    for path, status in rows.items():
        assert status == "ok" or path in reported
    for _, reason in report.failed + report.skips + report.warnings:
        assert reason and "\n" not in reason
        assert not reason.startswith(("TypeError", "AttributeError", "KeyError", "ValueError"))
    assert stored > 1000
    ok = sum(1 for s in rows.values() if s == "ok")
    assert ok >= 2090, f"only {ok} of {len(files)} files read; failures: {report.failed[:5]}"


def expectations() -> list[tuple[Path, str, object]]:
    cases = []
    for path in corpus_files():
        if "/wellformed/" not in str(path) or NEEDS_HTTP.search(str(path)):
            continue
        head = path.read_bytes()[:2000].decode("utf-8", "replace")
        m = re.search(r"Expect:\s*(.*?)\n", head)
        if not m:
            continue
        for field, literal in EXPECT.findall(m.group(1)):
            try:
                value = ast.literal_eval(literal)
            except (ValueError, SyntaxError):
                continue
            if value not in ("", None):
                cases.append((path, field, value))
    return cases


def _title_text(path: Path, value: str) -> str:
    """The expected title as text: a plain-text one (feedparser's type) as it is, angle
    brackets and all ('History of the <blink> tag'), an HTML one without its markup."""
    entries = feedparser.parse(path.read_bytes()).entries
    detail = entries[0].get("title_detail") if entries else None
    if detail and detail.get("type") == "text/plain":  # (not base64 of another type)
        return " ".join(value.split())
    return html_to_line(value)


def test_well_formed_feeds_yield_the_expected_titles_links_ids_and_dates() -> None:
    cases = expectations()
    assert len(cases) > 150
    wrong = []
    for path, field, value in cases:
        try:
            items = parse_feed(path.read_bytes(), "file://" + str(path)).items
        except SourceError as exc:
            wrong.append((path.name, field, f"error {exc}"))
            continue
        article = items[0].article if items else None
        if article is None:
            got, want = None, value
        elif field == "title":
            got, want = article.title, _title_text(path, str(value)) or "(untitled)"
        elif field == "link":
            got, want = article.link, value
        elif field == "id":
            got, want = article.guid, value
        else:
            got = int(article.date.when.timestamp())
            want = calendar.timegm(tuple(value))  # type: ignore[arg-type]
        if got != want:
            wrong.append((path.relative_to(CORPUS).as_posix(), field, got, want))
    assert wrong == [], "\n".join(map(str, wrong))
