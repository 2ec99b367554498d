"""Issue #15: code blocks, tables, images and media as the reader lays them out (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.store import FeedStore
from reader.store.sources.feed import parse_feed
from reader.store.sources.htmltext import html_to_text
from reader.store.sources.layout import compose_body
from reader.textutil import (
    BlockKind,
    MarkKind,
    SegmentKind,
    blocks,
    code_blocks,
    fence_for,
    format_duration,
    format_size,
    hanging_indent,
    listed_links,
    marks,
    normalise_body,
    segments,
)

from .conftest import DATA

ARTICLES = DATA / "articles"

CLOUDFLARE_LIKE = (
    "<p>The protocol:</p><pre><code>Input: Secret sk // Server secret key\n"
    "       String u  // Username\n</code></pre><p>Then <code>inline()</code> code.</p>"
)


def body_of(markup: str, base: str | None = "https://blog.example.org/post") -> str:
    text, links = html_to_text(markup, base)
    return compose_body(text, links)


def test_pre_code_keeps_its_lines_and_indentation_inline_code_stays_inline() -> None:
    body = body_of(CLOUDFLARE_LIKE)
    assert "Input: Secret sk // Server secret key\n       String u  // Username" in body
    assert "Secret key String u" not in body  # the flattening the issue saw
    assert "Then inline() code." in body
    (block,) = code_blocks(body)
    assert body[block.code_start : block.code_end] == (
        "Input: Secret sk // Server secret key\n       String u  // Username"
    )
    assert body[block.start : block.code_start] == "```\n"
    assert body[block.code_end : block.end] == "\n```"


def test_code_keeps_blank_lines_and_expands_tabs_in_a_real_feed() -> None:
    feed = parse_feed((ARTICLES / "code.xml").read_bytes(), "https://blog.example.org/rss")
    body = feed.items[0].article.body
    (block,) = code_blocks(body)
    code = body[block.code_start : block.code_end]
    assert code.splitlines() == [
        "Input: Secret sk // Server secret key",
        "       String u  // Username",
        "Output: Token t",
        "    if verify(sk, u):",
        "        return sign(sk, u)",
        "",
        "",
        "done",
    ]


def test_a_code_block_is_one_block_never_a_heading_and_segments_split_prose_from_code() -> None:
    body = body_of("<p>Before it.</p><pre>def f():\n\n    return 1\n\nx</pre><p>After it.</p>")
    kinds = [(k, body[s:e]) for k, s, e in blocks(body)]
    assert kinds[0] == (BlockKind.PARAGRAPH, "Before it.")
    assert kinds[1][0] == BlockKind.CODE and "return 1" in kinds[1][1]
    assert kinds[2] == (BlockKind.PARAGRAPH, "After it.")
    assert [(k, body[s:e]) for k, s, e in segments(body)] == [
        (SegmentKind.PROSE, "Before it."),
        (SegmentKind.CODE, "def f():\n\n    return 1\n\nx"),
        (SegmentKind.PROSE, "After it."),
    ]


def test_code_holding_backtick_fences_gets_a_longer_fence() -> None:
    code = "```\nnot the end\n```"
    assert fence_for(code) == "````"
    body = body_of(f"<pre>{code}</pre><p>after</p>")
    (block,) = code_blocks(body)
    assert body[block.code_start : block.code_end] == code
    assert body.endswith("after")


def test_normalise_body_keeps_code_but_still_tidies_prose() -> None:
    text = "a  \n\n\n\nb\n```\n  x  \n\n\n  y\n```\n\n\nc"
    assert normalise_body(text, keep_indent=True) == "a\n\nb\n\n```\n  x\n\n\n  y\n```\n\nc"
    assert normalise_body("```\nnot closed\n\n\nz") == "```\nnot closed\n\nz"


def test_pre_in_running_text_or_a_table_cell_stays_inline() -> None:
    assert "helper verify() inline" in body_of("<div>The helper <pre>verify()</pre> inline.</div>")
    body = body_of("<table><tr><td><pre>a\nb</pre></td><td>c</td></tr></table>")
    assert not code_blocks(body) and "a b" in body


def test_table_headers_get_a_rule_and_a_table_a_blank_line_before_it() -> None:
    body = body_of(
        "<div>Text before<table><thead><tr><th>Step</th><th>Median</th></tr></thead>"
        "<tr><td>Key lookup</td><td>0.2 ms</td></tr></table>after</div>"
    )
    lines = body.splitlines()
    at = lines.index("Step        Median")
    assert lines[at - 1] == "" and lines[at - 2] == "Text before"
    assert lines[at + 1] == "────        ──────"
    assert lines[at + 2].startswith("Key lookup  0.2 ms")
    found = {k: body[s:e] for k, s, e in marks(body)}
    assert found[MarkKind.TABLE_HEADER] == "Step        Median"
    assert found[MarkKind.TABLE_RULE] == "────        ──────"


def test_images_become_numbered_links_with_alt_or_file_name() -> None:
    feed = parse_feed((ARTICLES / "code.xml").read_bytes(), "https://blog.example.org/rss")
    body = feed.items[0].article.body
    # two different images with the same alt text are told apart by their numbers
    assert "[image: Dashboard] [1] and [image: Dashboard] [2]," in body
    assert "[image: flow chart.svg] [3]" in body  # no alt: the file name
    assert "[image: Rack] [4]" in body  # a lazy loader's data-src, not the data: URI
    assert "p.gif" not in body  # a tracking pixel
    assert listed_links(body) == [
        "https://blog.example.org/img/before.png",
        "https://blog.example.org/img/after.png",
        "https://cdn.example.org/media/flow%20chart.svg",
        "https://blog.example.org/img/lazy.jpg",
    ]
    images = [body[s:e] for k, s, e in marks(body) if k == MarkKind.IMAGE]
    assert images[0] == "[image: Dashboard] [1]" and len(images) == 4


def test_the_same_image_twice_in_a_row_shows_once_and_a_linked_image_has_one_number() -> None:
    body = body_of('<p><img src="/a.png" alt="A"></p><p><img src="/a.png" alt="A"></p><p>x</p>')
    assert body.count("[image: A] [1]") == 1
    body = body_of('<p><a href="/a.png"><img src="/a.png" alt="A"></a></p>')
    assert "[image: A] [1]" in body and "[1] [1]" not in body
    body = body_of('<p><a href="/page"><img src="/a.png" alt="A"></a></p>')
    assert "[image: A] [1] [2]" in body


def test_images_without_an_address_or_alt_go_and_unsafe_sources_are_not_links() -> None:
    body = body_of('<p>x <img src="data:image/png;base64,AAAA"> <img src="javascript:1" alt="J">')
    assert "[image: J]" in body and "javascript" not in body and "Links" not in body


def test_video_and_audio_are_numbered_media() -> None:
    body = body_of(
        '<p>Watch:</p><video src="/v/tour.mp4" controls>Your browser cannot play it</video>'
        '<audio><source src="https://cdn.example.org/a.ogg"></audio>'
    )
    assert "[video: tour.mp4] [1]" in body and "[audio: a.ogg] [2]" in body
    assert "browser cannot" not in body
    assert [k for k, _, _ in marks(body)].count(MarkKind.MEDIA) == 2


@pytest.mark.parametrize("forged", ["\ue000" + "0\ue001", "\ue002x\ue003", "\ue00f"])
def test_layout_marks_cannot_be_forged_by_a_feed(forged: str) -> None:
    body = body_of(f"<p>a {forged} b</p><pre>code</pre><table><tr><th>h</th></tr></table>")
    assert not any("\ue000" <= ch <= "\ue00f" for ch in body)
    assert body.count("```") == 2


def test_sizes_and_durations() -> None:
    assert format_size(24_100_000) == "24.1 MB" and format_size(512) == "512 bytes"
    assert format_size(None) is None and format_size(0) is None and format_size(1) is None
    assert format_duration(2537) == "42:17" and format_duration(3723) == "1:02:03"
    assert format_duration(None) is None and format_duration(0) is None


# -- strangers' markup: properties ------------------------------------------------------------
_pieces = st.sampled_from(
    [
        "<pre>", "</pre>", "<code>", "</code>", "```", "````", "\n", "\n\n", "\t", "  ",
        "<table><tr><th>", "</th><th>", "</th></tr><tr><td>", "</td></tr></table>",
        "<img src='/a.png' alt='A'>", "<img src='data:x'>", "<a href='/x'>", "</a>",
        "<video src='/v.mp4'></video>", "\ue000", "\ue001", "\ue002", "\ue00f", "\x1b[31m",
        "<p>", "</p>", "word", "─", "[image: x] [1]", "Enclosure: x [1]",
    ]
)  # fmt: skip
_markup = st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(_markup)
def test_any_markup_gives_consistent_blocks_segments_and_marks(markup: str) -> None:
    text, links = html_to_text(markup, "https://example.org/a/")
    body = compose_body(text, links)
    assert not any("\ue000" <= ch <= "\ue00f" for ch in body)
    assert normalise_body(body, keep_indent=True) == body  # laid out once and for all
    for block in code_blocks(body):
        assert 0 <= block.start <= block.code_start <= block.code_end <= block.end <= len(body)
    runs = segments(body)
    assert all(0 <= s <= e <= len(body) for _, s, e in runs)
    assert all(runs[i][2] <= runs[i + 1][1] for i in range(len(runs) - 1))
    for _, s, e in blocks(body) + marks(body):
        assert 0 <= s <= e <= len(body)


def test_code_blocks_are_not_read_for_entities(sample_store: FeedStore) -> None:
    """SQL keywords in a feed's code block were shown as organisations and people (`AS`,
    `SELECT`, `FROM`); the prose around the block still gives its names."""
    sample_store.extract_entities(workers=0)
    (rowid,) = sample_store.search_ids('"charging sessions" Berlin')
    names = {info.name for info, _ in sample_store.entities_of(rowid)}
    assert "Berlin" in names
    assert not names & {"AS", "BY", "AND", "FROM", "SELECT", "WHERE"}, names


def test_a_malformed_address_costs_its_link_not_the_text() -> None:
    """A base or an address urljoin cannot read ("http://[bad/") loses its link; the text is
    still turned into text (the whole item's markup was shown raw)."""
    html = '<p>Hello <a href="x.html">there</a> <b>world</b></p>'
    assert html_to_text(html, "http://[bad/", []) == ("Hello there world", [])
    html = '<p>Hello <a href="http://[bad/">there</a> <a href="/ok">ok</a></p>'
    assert html_to_text(html, "https://ok.example/a", []) == (
        "Hello there ok [1]",
        ["https://ok.example/ok"],
    )


def test_definition_lists_details_and_numbered_lists_keep_their_structure() -> None:
    """Terms and definitions were glued ("TermDefinition"), so were a details' summary and
    text; <ol start="5"> was numbered from 1, and glued under a list before it."""
    body = body_of(
        "<dl><dt>Term</dt><dd>Definition</dd><dt>Other</dt><dd>Its meaning</dd></dl>"
        "<details><summary>Summary line</summary>Hidden details</details>"
        "<ul><li>Bullet A<ol><li>Deep 1</li></ol></li><li>Bullet B</li></ul>"
        "<ol start='5'><li>Five</li><li>Six</li></ol><p>After.</p>"
    )
    assert body == (
        "Term\n    Definition\nOther\n    Its meaning\n\n"
        "Summary line\nHidden details\n\n"
        "  * Bullet A\n     1. Deep 1\n  * Bullet B\n\n"
        " 5. Five\n 6. Six\n\n"
        "After."
    )
    # a start that is no ASCII number ("²" passed str.isdigit, then int() failed and the
    # whole item was shown as its HTML source) or is too long is left alone
    for start in ("²", "①", "1" * 30):
        assert body_of(f"<ol start='{start}'><li>a</li><li>b</li></ol>") == " 1. a\n 2. b"


def items(markup: str) -> list[str]:
    """The labels of a list's items as laid out ("3. a" gives "3.")."""
    return [line.split()[0] for line in body_of(markup).splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("markup", "labels"),
    [
        # reversed: down from the number of items, or from start
        ("<ol reversed><li>a</li><li>b</li><li>c</li></ol>", ["3.", "2.", "1."]),
        ("<ol reversed start='10'><li>a</li><li>b</li></ol>", ["10.", "9."]),
        ("<ol reversed start='1'><li>a</li><li>b</li><li>c</li></ol>", ["1.", "0.", "-1."]),
        ("<ol reversed><li>a</li><li value='7'>b</li><li>c</li></ol>", ["3.", "7.", "6."]),
        # letters and roman numerals, from start, with value
        ("<ol type='a'><li>a</li><li>b</li><li>c</li></ol>", ["a.", "b.", "c."]),
        ("<ol type='A' start='25'><li>a</li><li>b</li><li>c</li></ol>", ["Y.", "Z.", "AA."]),
        (
            "<ol type='i'><li>a</li><li>b</li><li>c</li><li>d</li></ol>",
            ["i.", "ii.", "iii.", "iv."],
        ),
        ("<ol type='I' start='1998'><li>a</li><li>b</li></ol>", ["MCMXCVIII.", "MCMXCIX."]),
        ("<ol type='i' reversed><li>a</li><li>b</li></ol>", ["ii.", "i."]),
        ("<ol type='a'><li value='4'>a</li><li>b</li></ol>", ["d.", "e."]),
        ("<ol type='i'><li>a</li><li type='A'>b</li><li type='1'>c</li></ol>", ["i.", "B.", "3."]),
        # what a style cannot write is a decimal number, as in browsers
        ("<ol type='a' start='0'><li>a</li><li>b</li></ol>", ["0.", "a."]),
        ("<ol type='I' start='3999'><li>a</li><li>b</li></ol>", ["MMMCMXCIX.", "4000."]),
        ("<ol type='x'><li>a</li><li>b</li></ol>", ["1.", "2."]),
        # value: an integer as HTML reads one; one that is none is left alone
        ("<ol><li value='5'>a</li><li>b</li><li value=' 2x'>c</li></ol>", ["5.", "6.", "2."]),
        ("<ol start='-2'><li>a</li><li>b</li><li value='-9'>c</li></ol>", ["-2.", "-1.", "-9."]),
        ("<ol><li value='²'>a</li><li value='1e3'>b</li></ol>", ["1.", "1."]),
        # a nested list counts its own items; a list's items inside a block still count
        (
            "<ol type='I'><li>a<ol type='a'><li>x</li><li>y</li></ol></li><li>b</li></ol>",
            ["I.", "a.", "b.", "II."],
        ),
        ("<ol reversed><li>a</li><div><li>b</li></div></ol>", ["2.", "1."]),
        # a feed's own label attribute is no label
        ("<ul><li data-nr-bullet='[red]x'>a</li></ul>", ["*"]),
        ("<ol><li data-nr-bullet='Z. '>a</li></ol>", ["1."]),
    ],
)
def test_ordered_lists_number_as_browsers_do(markup: str, labels: list[str]) -> None:
    """<ol reversed> counted up from 1, <ol type="a|A|i|I"> in decimal, and <li value="²">
    (a digit to str.isdigit, no number to int) showed the whole item as its HTML source."""
    assert items(markup) == labels


def test_an_ordered_lists_labels_line_up_and_its_items_hang_under_their_text() -> None:
    """Labels wider than the list's four columns (``iii.``, ``viii.``, ``100.``) pushed
    their item's text right, and a wrapped roman or lettered item went back to the left edge
    (the hanging indent knew only digit labels): the list is as wide as its widest label,
    the labels flush right in it, and every item hangs under its text."""
    numerals = "".join(f"<li>item {n}</li>" for n in range(1, 10))
    lines = body_of(f"<ol type='i'>{numerals}</ol>").splitlines()
    assert lines[:3] == ["    i. item 1", "   ii. item 2", "  iii. item 3"]
    assert lines[7] == " viii. item 8"
    assert {line.index("item") for line in lines} == {7}
    assert {hanging_indent(line) for line in lines} == {7}
    for markup in (
        "<ol type='A'><li>one</li><li>two</li></ol>",
        "<ol type='I' start='11'><li>one</li><li>two</li></ol>",
        "<ol type='a'><li>x<ol type='i'><li>one</li><li>two</li></ol></li></ol>",
        "<ol start='99'><li>one</li><li>two</li></ol>",
    ):
        lines = [ln for ln in body_of(markup).splitlines() if "one" in ln or "two" in ln]
        assert len({line.index(line.split()[-1]) for line in lines}) == 1, lines
        assert [hanging_indent(line) for line in lines] == [
            line.index(line.split()[-1]) for line in lines
        ], lines
    assert body_of("<ol><li>a</li><li>b</li></ol>") == " 1. a\n 2. b"  # (as before)


@pytest.mark.parametrize(
    ("markup", "text", "links"),
    [
        # a forged kind: an image stays an image
        (
            "<p>See <img src='https://e.org/cat.png' alt='cat' data-nr-kind='video'> here</p>",
            "See [image: cat] [1] here",
            ["https://e.org/cat.png"],
        ),
        (
            "<p>See <img src='https://e.org/cat.png' alt='cat' DATA-NR-Kind='audio'> here</p>",
            "See [image: cat] [1] here",
            ["https://e.org/cat.png"],
        ),
        # a forged list of a link's images: the link keeps its number
        (
            "<p>Read <a href='https://evil.org/x' data-nr-images='https://evil.org/x'>"
            "<img src='https://e.org/i.png' alt='pic'></a></p>",
            "Read [image: pic] [1] [2]",
            ["https://e.org/i.png", "https://evil.org/x"],
        ),
        (
            "<p>Read <a href='https://evil.org/x' Data-Nr-Images='https://evil.org/x'>"
            "<img src='https://e.org/i.png' alt='pic'></a></p>",
            "Read [image: pic] [1] [2]",
            ["https://e.org/i.png", "https://evil.org/x"],
        ),
    ],
)
def test_a_feeds_own_data_nr_attributes_are_ignored(
    markup: str, text: str, links: list[str]
) -> None:
    """The module marks media and links with data-nr-* attributes of its own; a feed's, left in
    place, made an image a "[video: …]" and hid a link's number."""
    assert html_to_text(markup) == (text, links)


def test_every_data_nr_attribute_of_the_feed_is_removed() -> None:
    import lxml.html

    from reader.store.sources import htmltext

    root = lxml.html.fragment_fromstring(
        "<p data-nr-x='1' DATA-NR-Y='2' data-other='3'><a href='https://e.org/' "
        "data-nr-images='https://e.org/'>a</a><ul><li Data-Nr-Bullet='Z. '>b</li></ul></p>",
        create_parent="div",
    )
    htmltext._prepare(root, None)
    left = [n for el in root.iter(lxml.html.etree.Element) for n in el.attrib]
    assert "data-other" in left
    assert not [n for n in left if n.lower().startswith("data-nr-")]


def test_a_space_in_an_address_is_percent_encoded_not_deleted() -> None:
    """An address with a space, "https://e.org/a b", became "https://e.org/ab", another one; a
    browser asks for "a%20b" (line breaks in an address are dropped, blank space around it)."""
    _, links = html_to_text(
        "<p><a href=' https://e.org/a b '>one</a> <a href='https://e.org/c\nd'>two</a></p>"
    )
    assert links == ["https://e.org/a%20b", "https://e.org/cd"]
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>x</title>'
        b"<link>https://e.org/my page</link><enclosure url='https://e.org/my file.mp3' "
        b"type='audio/mpeg'/></item></channel></rss>"
    )
    item = parse_feed(rss, "https://e.org/rss").items[0]
    assert item.article.link == "https://e.org/my%20page"
    assert item.article.enclosures[0].url == "https://e.org/my%20file.mp3"
    # The item keeps the identity it had when the space was deleted.
    before = parse_feed(rss.replace(b"my page", b"mypage"), "https://e.org/rss").items[0]
    assert item.uid == before.uid


def test_a_figure_caption_or_a_term_is_no_sub_heading() -> None:
    """A <figcaption> came out as a block of its own, and a short one was shown as a
    sub-heading; so were a definition list's glued terms."""
    body = body_of(
        "<p>First paragraph.</p>"
        "<figure><img src='fig.jpg' alt='Figure alt'><figcaption>Figure caption text"
        "</figcaption></figure>"
        "<figure><figcaption><p>Caption above</p></figcaption><img src='g.jpg' alt='G'></figure>"
        "<dl><dt>Term</dt><dd>Definition</dd></dl><h2>A real sub-heading</h2><p>Last.</p>"
    )
    kinds = [(kind, body[start:end]) for kind, start, end in blocks(body)]
    assert kinds[:5] == [
        (BlockKind.PARAGRAPH, "First paragraph."),
        (BlockKind.PARAGRAPH, "[image: Figure alt] [1]\nFigure caption text"),
        (BlockKind.PARAGRAPH, "Caption above\n[image: G] [2]"),
        (BlockKind.PARAGRAPH, "Term\n    Definition"),
        (BlockKind.HEADING, "A real sub-heading"),
    ]


def test_hanging_indent_of_quotes_and_list_items() -> None:
    assert hanging_indent("    A quote") == 4
    assert hanging_indent("  * Bullet A") == 4
    assert hanging_indent("      + Nested B1") == 8
    assert hanging_indent("         12. Deep") == 13
    assert hanging_indent(" 5. Five") == 4
    assert hanging_indent("Plain text") == 0
    assert hanging_indent("* a star item") == 2
    assert hanging_indent("of the word") == 0
    assert hanging_indent("    ") == 0
    # letters and roman numerals, after an indent (the layout gives their lists one)
    assert hanging_indent("   a. Item") == 6
    assert hanging_indent("  iv. Item") == 6
    assert hanging_indent(" XII. Item") == 6
    assert hanging_indent("   b) Item") == 6
    # at the start of a line, a sentence's initial; and no numeral but letters
    assert hanging_indent("I. Kant wrote that") == 0
    assert hanging_indent("A. Smith said so") == 0
    assert hanging_indent("iv. is no item here") == 0
    assert hanging_indent("  iiii. x") == 2 and hanging_indent("  OK. x") == 2


def test_a_table_is_a_run_of_its_own() -> None:
    body = (
        "Intro.\n\nName        Value\n────        ─────\nalpha       1\nbeta gamma  22\n\n"
        "Outro.\n\nNot a table\n───────────\nbut a line under a word."
    )
    runs = [(kind, body[s:e]) for kind, s, e in segments(body)]
    assert runs == [
        (SegmentKind.PROSE, "Intro."),
        (SegmentKind.TABLE, "Name        Value\n────        ─────\nalpha       1\nbeta gamma  22"),
        (SegmentKind.PROSE, "Outro.\n\nNot a table\n───────────\nbut a line under a word."),
    ]
