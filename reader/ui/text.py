"""Pure builders from articles to Content: the only place spans become styles.

Text from feeds is untrusted: it is always wrapped in ``Content(...)`` (never markup) after
``clean``, so ``[@click=app.quit]`` or escape sequences show literally and do nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content

from reader.model import Article, DatedValue, DatePrecision, Mention
from reader.textutil import blocks, clean, clean_line, match_spans

Terms = Sequence[tuple[Sequence[str], bool]]

MATCH_STYLE = "$search-match"
ENTITY_STYLES = {
    "PERSON": "$entity-person",
    "ORG": "$entity-org",
    "PLACE": "$entity-place",
    "DATE": "$entity-date",
    "MONEY": "$entity-money",
}
DATE_WIDTH = 17
SOURCE_WIDTH = 14


def format_date(value: DatedValue) -> str:
    """A date shown at its precision: ``Mar 2021``, ``2021-03-05``, ``2021-03-05 10:20``."""
    w: datetime = value.when
    match value.precision:
        case DatePrecision.YEAR:
            return f"{w.year}"
        case DatePrecision.MONTH:
            return w.strftime("%b %Y")
        case DatePrecision.DAY:
            return w.strftime("%Y-%m-%d")
        case _:
            return w.strftime("%Y-%m-%d %H:%M")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def headline_content(article: Article, terms: Terms = ()) -> Content:
    """One headline row: date, source, star and title, with query matches highlighted."""
    date = format_date(article.date).ljust(DATE_WIDTH)
    source = _fit(clean_line(article.source), SOURCE_WIDTH - 1).ljust(SOURCE_WIDTH)
    mark = "★ " if article.starred else ("• " if not article.read else "  ")
    title = clean_line(article.title)
    offset = len(date) + len(source) + len(mark)
    content = Content(date + source + mark + title)
    content = content.stylize("$text-muted", 0, len(date))
    content = content.stylize("$text-secondary", len(date), len(date) + len(source))
    if article.starred:
        content = content.stylize("$warning", offset - 2, offset - 1)
    elif not article.read:
        content = content.stylize("$accent", offset - 2, offset - 1)
    content = content.stylize("bold" if not article.read else "$text-muted", offset)
    for start, end in match_spans(title, terms):
        content = content.stylize(MATCH_STYLE, offset + start, offset + end)
    return content


def title_content(article: Article) -> Content:
    """The article screen's heading."""
    return Content(clean_line(article.title)).stylize("bold")


def meta_content(article: Article) -> Content:
    """Date, source, language and link under the title."""
    source = clean_line(article.source)
    if article.also:
        source += " (also " + ", ".join(clean_line(s) for s in article.also) + ")"
    when = format_date(article.date)
    if article.dated_by == "first-seen":
        when += " (first seen; the feed gives no date)"
    parts = [when, source, article.language]
    if article.link:
        parts.append(clean_line(article.link))
    elif article.path:
        parts.append(clean_line(article.path))
    return Content("  ·  ".join(parts)).stylize("$text-muted")


def body_content(
    body: str,
    mentions: Sequence[Mention] = (),
    show_entities: bool = True,
    terms: Terms = (),
    current: int | None = None,
) -> Content:
    """The body with sub-headings, entity spans (by kind) and find matches styled.

    ``current`` is the index of the find match to show as the current one.
    """
    body = clean(body)
    content = Content(body)
    for kind, start, end in blocks(body):
        if kind == "heading":
            content = content.stylize("bold $accent", start, end)
    if show_entities:
        for m in mentions:
            style = ENTITY_STYLES.get(m.kind)
            if style and 0 <= m.start < m.end <= len(body):
                content = content.stylize(f"{style} bold", m.start, m.end)
    for i, (start, end) in enumerate(match_spans(body, terms)):
        style = "$search-current" if i == current else MATCH_STYLE
        content = content.stylize(style, start, end)
    return content
