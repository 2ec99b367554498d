"""``newsreader show ID``: one article as the reader lays it out, as text or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from reader.cli.articles import article_record
from reader.cli.common import MAX_COUNT, Failure, db_arg, uses_store, write_json
from reader.dates import reading_date
from reader.model import Article, FullTextState
from reader.textutil import clean, clean_line, listed_links

if TYPE_CHECKING:
    from reader.store import FeedStore


def register(sub: Any) -> None:
    """Add ``show`` to the command parser."""
    p = sub.add_parser("show", help="one article as the reader lays it out (text or JSON)")
    p.add_argument("id", metavar="ID", help="the article's id, as `search --json` prints it")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object: the search fields plus text, links and enclosures",
    )
    db_arg(p)
    p.set_defaults(handler=cmd_show)


def show_record(a: Article) -> dict[str, Any]:
    """The JSON of ``show``: the ``search --json`` fields, then the text as laid out for
    reading, its numbered addresses in their ``[n]`` order and its enclosures."""
    record = article_record(a)
    record["text"] = clean(a.body)
    record["links"] = listed_links(a.body) or []
    record["enclosures"] = [e.record() for e in a.enclosures]
    record["full_text"] = str(a.full_text) if a.full_text else None
    if a.full_text_note:
        record["full_text_note"] = a.full_text_note
    return record


def show_text(a: Article) -> str:
    """The article as plain text: title, labelled facts (date in the local zone), the body.

    Every field is cleaned of terminal control sequences: it is strangers' text.
    """
    source = clean_line(a.source)
    if a.also:
        source += " (also " + ", ".join(clean_line(s) for s in a.also) + ")"
    when = reading_date(a.date)
    if a.dated_by == "first-seen":
        when += " (first seen; the feed gives no date, or none to believe)"
    facts = [("Date", when), ("Source", source)]
    if a.author:
        facts.append(("Author", clean_line(a.author)))
    if a.link:
        facts.append(("Link", clean_line(a.link)))
    elif a.path:
        facts.append(("File", clean_line(a.path)))
    if a.full_text == FullTextState.DONE:
        facts.append(("Text", "the full article, from its page"))
    elif a.full_text == FullTextState.FAILED:
        facts.append(
            ("Text", f"the feed's; full text not fetched: {clean_line(a.full_text_note or '')}")
        )
    elif a.full_text == FullTextState.PENDING:
        facts.append(("Text", "the feed's; the full text is fetched at the next refresh"))
    width = max(len(label) for label, _ in facts) + 2
    lines = [clean_line(a.title), ""]
    lines += [f"{label + ':':<{width}}{value}" for label, value in facts]
    return "\n".join(lines) + "\n\n" + clean(a.body).rstrip("\n") + "\n"


@uses_store(create=False)
def cmd_show(args: argparse.Namespace, store: FeedStore) -> int:
    """Print one article by its public id."""
    ref: str = args.id.strip()
    if not ref:
        raise Failure("show needs an article's ID (ids are what `search` prints first)", 2)
    found = store.article(ref)
    if found is None and ref.isascii() and ref.isdigit() and int(ref) <= MAX_COUNT:
        found = store.article(int(ref))
    if found is None:
        raise Failure(
            f"no article with id {clean_line(ref)!r} "
            "(ids are what `search` prints first on each line)"
        )
    if args.json:
        write_json(show_record(found))
    else:
        sys.stdout.write(show_text(found))
    return 0
