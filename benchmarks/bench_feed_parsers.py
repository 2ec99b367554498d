"""Feed parser candidates: correctness on the feedparser corpus and speed on a large feed.

Correctness: the corpus's header comments state what a parser should find; this counts, per
parser, how many of the stated entry titles, links, ids and dates it reproduces (titles compared
as plain text). Speed: one generated 5,000-item RSS 2.0 file, median of 3 parses.

    python benchmarks/bench_feed_parsers.py [--corpus ../shared/dev-data/feeds/feedparser-tests]

fastfeedparser is measured only when installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import ast
import calendar
import contextlib
import datetime as dt
import html
import re
import statistics
import time
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from pathlib import Path

import feedparser

EXPECT = re.compile(
    r"entries\[0\]\['(title|link|id|published_parsed|updated_parsed)(?:_detail)?'\]"
    r"(?:\['value'\])?\s*==\s*(.+?)\s*(?:and |$)"
)


def plain(text: str | None) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text or "")).strip()


def as_epoch(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time | tuple):
        return calendar.timegm(tuple(value))  # type: ignore[arg-type]
    if isinstance(value, str):
        from dateutil import parser as dparser

        try:
            parsed = dparser.parse(value)
        except (ValueError, OverflowError):
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return int(parsed.timestamp())
    if isinstance(value, dt.datetime):
        return int(value.timestamp())
    return None


def cases(corpus: Path) -> list[tuple[bytes, str, object]]:
    found = []
    for path in sorted(corpus.glob("wellformed/**/*.xml")):
        data = path.read_bytes()
        m = re.search(rb"Expect:\s*(.*?)\n", data)
        if not m or "/base/http_" in str(path):
            continue
        for field, literal in EXPECT.findall(m.group(1).decode("utf-8", "replace")):
            with contextlib.suppress(ValueError, SyntaxError):
                found.append((data, field, ast.literal_eval(literal)))
    return found


def score(parse, entry_date, all_cases) -> tuple[int, int]:
    good = raised = 0
    for data, field, want in all_cases:
        try:
            entries = parse(data)["entries"]
        except Exception:
            raised += 1
            continue
        e = entries[0] if entries else {}
        if field.endswith("_parsed"):
            got_ok = entry_date(e, field) == as_epoch(want)
        elif field == "title":
            got_ok = plain(e.get("title")) == plain(str(want))
        else:
            got_ok = (e.get(field) or "") == want
        good += got_ok
    return good, raised


def big_feed(items: int = 5000) -> bytes:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    parts = [
        f"<item><title>Headline {i} &amp; more</title><link>https://e.org/{i}</link>"
        f"<guid>https://e.org/{i}</guid><pubDate>{format_datetime(start + dt.timedelta(minutes=i))}"
        f"</pubDate><description><![CDATA[<p>Item {i} with <a href='https://x.org/{i}'>a link"
        f"</a>.</p><p>Xiaomi and Lei Jun in Beijing.</p>]]></description></item>"
        for i in range(items)
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared/dev-data/feeds/feedparser-tests"
    ap.add_argument("--corpus", type=Path, default=default)
    args = ap.parse_args()
    parsers = [("feedparser", feedparser.parse, lambda e, f: as_epoch(dict.get(e, f)))]
    try:
        import fastfeedparser

        parsers.append(
            ("fastfeedparser", fastfeedparser.parse,
             lambda e, f: as_epoch(e.get(f.replace("_parsed", ""))))
        )  # fmt: skip
    except ImportError:
        print("fastfeedparser not installed: skipped")
    all_cases = cases(args.corpus) if args.corpus.is_dir() else []
    data = big_feed()
    print(f"corpus expectations: {len(all_cases)}; speed feed: 5,000 items, {len(data):,} bytes")
    print(f"{'parser':<16}{'expectations met':>18}{'raised':>8}{'5,000 items (s)':>17}")
    for name, parse, entry_date in [*parsers, ("xml.etree", None, None)]:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            (parse or ET.fromstring)(data)
            times.append(time.perf_counter() - started)
        if parse is None:
            met = "(no mapping)"
        else:
            good, raised = score(parse, entry_date, all_cases)
            met = f"{good}/{len(all_cases)}"
        print(f"{name:<16}{met:>18}{(raised if parse else ''):>8}{statistics.median(times):>17.3f}")


if __name__ == "__main__":
    main()
