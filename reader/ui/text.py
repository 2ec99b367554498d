"""Pure builders from articles to Content (and, for the headline list, to plain text with
style spans): the only place an article's text is given its styles.

Text from feeds is untrusted: it is always wrapped in ``Content(...)`` (never markup) after
``clean``, or drawn as plain segments, so ``[@click=app.quit]`` or escape sequences show
literally and do nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.content import Span as ContentSpan

from reader.dates import local_date, reading_date
from reader.model import (
    Article,
    DatedBy,
    DatedValue,
    EntityKind,
    FullTextState,
    Mention,
)
from reader.textutil import (
    BlockKind,
    MarkKind,
    SegmentKind,
    blocks,
    clean,
    clean_line,
    marks,
    match_spans,
    plural,
    segments,
)

Terms = Sequence[tuple[Sequence[str], bool]]

MATCH_STYLE = "$search-match"
CURRENT_STYLE = "$search-current"  # the match moved to
ENTITY_STYLES: dict[str, str] = {
    EntityKind.PERSON: "$entity-person",
    EntityKind.ORG: "$entity-org",
    EntityKind.PLACE: "$entity-place",
    EntityKind.DATE: "$entity-date",
    EntityKind.MONEY: "$entity-money",
}  # MISC has no colour: a name the extractor could not type is not highlighted
DATE_WIDTH = 16  # "2021-03-05 10:20"
SHORT_DATE_WIDTH = 10  # "2021-03-05": narrow terminals drop the time of day
UNREAD_MARK = "•"  # a headline's first mark cell: not read yet
STAR_MARK = "★"  # its second: starred


def format_date(value: DatedValue, short: bool = False) -> str:
    """A date in a list, at its precision: ``Mar 2021``, ``2021-03-05``, ``2021-03-05 10:20``
    (a time of day in the local zone; ``short`` leaves it out)."""
    return local_date(value, zone_name=False, time_of_day=not short)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, an ellipsis marking the cut (a wide character, CJK
    or emoji, takes two cells)."""
    if text.isascii():  # (the common case: a cell a character)
        return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
    return text if cell_len(text) <= width else set_cell_size(text, max(width - 1, 0)) + "…"


def padded(text: str, width: int) -> str:
    """``text`` with spaces after it up to ``width`` cells."""
    return text + " " * (width - (len(text) if text.isascii() else cell_len(text)))


def source_width(names: Sequence[str], width: int) -> int:
    """The source column: as wide as the longest name shown, within a fifth of the line
    (at least 8 and at most 24 cells)."""
    longest = max((cell_len(clean_line(n)) for n in names), default=8)
    return max(4, min(longest, max(8, min(24, width // 5))))


Span = tuple[int, int, str]  # start, end, style (a theme variable or a Textual style)


def headline_row(
    article: Article,
    terms: Terms = (),
    sources: int = 14,
    short_dates: bool | None = False,
    on_cursor: bool = False,
) -> tuple[str, list[Span]]:
    """One headline row's text (date, source, marks, title) and its styles, in the order
    they apply (a later one over an earlier one), matches highlighted. The marks are two
    cells, the unread dot then the star (``•★`` a starred article not read yet), so that
    titles stay in one column.

    On the cursor row the date and source take the cursor's colours (a theme's secondary
    colour may be the cursor's background).
    """
    # ``sources`` 0: no source column; ``short_dates`` None: no date (a window so narrow
    # that the title would not show)
    date = "" if short_dates is None else format_date(article.date, short_dates)
    if short_dates is not None:
        date = date.ljust(SHORT_DATE_WIDTH if short_dates else DATE_WIDTH) + " "
    source = padded(fit(clean_line(article.source), sources), sources) + " " if sources else ""
    dated, sourced = max(len(date) - 1, 0), max(len(source) - 1, 0)  # (the columns' text)
    mark = f"{' ' if article.read else UNREAD_MARK}{STAR_MARK if article.starred else ' '} "
    title = clean_line(article.title)
    start = len(date) + len(source)
    offset = start + len(mark)
    text = f"{date}{source}{mark}{title}"
    spans: list[Span] = []
    if not on_cursor:
        spans.append((0, dated, "$text-muted"))
        spans.append((len(date), len(date) + sourced, "$text-secondary"))
        if not article.read:
            spans.append((start, start + 1, "$accent"))
        if article.starred:
            spans.append((start + 1, start + 2, "$warning"))
    if not article.read:
        spans.append((offset, len(text), "bold"))
    elif not on_cursor:
        spans.append((offset, len(text), "$text-muted"))
    spans.extend(
        (offset + begin, offset + end, MATCH_STYLE) for begin, end in match_spans(title, terms)
    )
    return text, spans


def title_content(
    article: Article, mentions: Sequence[Mention] = (), show_entities: bool = True
) -> Content:
    """The article screen's heading, with the entities in it (offsets into the cleaned title:
    a feed item's title, apart from its body) styled by kind."""
    title = clean_line(article.title)
    content = Content(title).stylize("bold")
    if show_entities:
        for m in mentions:
            style = ENTITY_STYLES.get(m.kind)
            if style and 0 <= m.start < m.end <= len(title):
                content = content.stylize(style, m.start, m.end)
    return content


def meta_content(article: Article, now: datetime | None = None) -> Content:
    """Under the title: the date in the local zone (and its age when recent), the source,
    the author, the language, the link, and where the text came from."""
    source = clean_line(article.source)
    if article.also:
        source += " (also " + ", ".join(clean_line(s) for s in article.also) + ")"
    when = reading_date(article.date, now)
    if article.dated_by == DatedBy.FIRST_SEEN:
        when += " (first seen; the feed gives no date, or none to believe)"
    parts = [when, source]
    if article.author:
        parts.append(f"by {clean_line(article.author)}")
    if article.language != "und":  # (no language was found: nothing to say)
        parts.append(article.language)
    if article.link:
        parts.append(clean_line(article.link))
    elif article.path:
        parts.append(clean_line(article.path))
    if article.full_text == FullTextState.DONE:
        parts.append("full text from the page")
    elif article.full_text == FullTextState.FAILED:
        parts.append(f"the feed's teaser (full text: {clean_line(article.full_text_note or '')})")
    elif article.full_text == FullTextState.PENDING:
        parts.append("the feed's teaser (full text at the next refresh)")
    return Content("  ·  ".join(p for p in parts if p)).stylize("$text-muted")


MARK_STYLES = {
    MarkKind.IMAGE: "$accent italic",
    MarkKind.MEDIA: "$accent italic",
    MarkKind.ENCLOSURE: "$accent bold",
    MarkKind.TABLE_HEADER: "bold",
    MarkKind.TABLE_RULE: "$text-muted",
    MarkKind.LINKS: "bold $accent",
}
CODE_STYLE = "$text-secondary"


def body_styles(
    body: str, mentions: Sequence[Mention] = (), show_entities: bool = True, title: str = ""
) -> list[ContentSpan]:
    """The styles of a (cleaned) body but its find matches: sub-headings, code, marks and
    entity spans (by kind), in the order they apply (a later one over an earlier one). The
    first block is a sub-heading only when it is not the article's ``title`` (a dated text's
    title is its first sentence)."""
    spans = []
    for kind, start, end in blocks(body, lead=opens_with(body, title)):
        if kind == BlockKind.HEADING:
            spans.append(ContentSpan(start, end, "bold $accent"))
        elif kind == BlockKind.CODE:
            spans.append(ContentSpan(start, end, CODE_STYLE))
    for mark, start, end in marks(body):
        spans.append(ContentSpan(start, end, MARK_STYLES[mark]))
    if show_entities:
        for m in mentions:
            style = ENTITY_STYLES.get(m.kind)
            if style and 0 <= m.start < m.end <= len(body):
                spans.append(ContentSpan(m.start, m.end, f"{style} bold"))
    return spans


def opens_with(body: str, title: str) -> bool:
    """Whether ``body`` opens with ``title`` (or ``title`` with the body's first line, when
    it is a cut of it), spaces and control characters aside; True without a title."""
    if not title.strip():
        return True
    first = clean_line(body.lstrip().split("\n", 1)[0])[:40]
    title = clean_line(title)[:40]
    return bool(first) and (first.startswith(title) or title.startswith(first))


def match_style(index: int, current: int | None) -> str:
    """The style of find match number ``index``, ``current`` being the one moved to."""
    return CURRENT_STYLE if index == current else MATCH_STYLE


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
    spans = body_styles(body, mentions, show_entities)
    for i, (start, end) in enumerate(match_spans(body, terms)):
        spans.append(ContentSpan(start, end, match_style(i, current)))
    return Content(body, spans)


PIECE = 2000  # characters of prose the article screen shows in one widget (about)


def body_pieces(body: str, limit: int = PIECE) -> list[tuple[SegmentKind, int, int]]:
    """The body's runs (``segments``), long prose cut between paragraphs into pieces of about
    ``limit`` characters (a paragraph is never cut; the blank line between two pieces is left
    out, the screen's margin shows it). The article screen shows each piece in a widget of its
    own: a find restyles, and draws again, only the pieces whose matches changed."""
    out: list[tuple[SegmentKind, int, int]] = []
    for kind, start, end in segments(body):
        while kind == SegmentKind.PROSE and end - start > limit:
            cut = body.rfind("\n\n", start + 1, start + limit + 2)
            if cut < 0:
                cut = body.find("\n\n", start + limit, end)
                if cut < 0:
                    break  # one long paragraph
            out.append((kind, start, cut))
            start = cut + 2
            while start < end and body[start] == "\n":
                start += 1
        out.append((kind, start, end))
    return out


def status_line(
    *,
    shown: int,
    complete: bool,
    total: int,
    scope: str | None,
    query: str,
    unread_only: bool,
    error: str | None,
    progress: str,
    unread: int | None = None,
) -> str:
    """The headlines' status line: how many of how many (and how many of those listed are
    unread, once counted: ``unread`` None leaves it out), what is shown, what runs."""
    if error:
        text = f"⚠ {error}"
    else:
        more = "" if complete else "+"
        text = f"{shown:,}{more} of {plural(total, 'article')}"
        if not shown and total:
            text = "No article matches"
        elif shown and unread is not None:
            text += f"  ·  {unread:,} unread"
        if scope:
            text += f"  ·  {clean_line(scope)}"
        if query:
            text += f"  ·  query: {clean_line(query)}"
        if unread_only:
            text += "  ·  unread only"
    if progress:
        text += f"  ·  {progress}"
    return text
