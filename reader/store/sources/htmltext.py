"""HTML from feeds and pages to readable text: blocks kept, code kept, links and images
numbered.

lxml parses (fast, forgiving, C); inscriptis lays the tree out as text (paragraphs, headings,
bulleted and numbered lists, indented block quotes, tables). Before layout the tree is
prepared here:

- scripts, styles, frames and forms go, tracking pixels go;
- each link keeps its text followed by ``[n]``; each image becomes ``[image: alt] [n]`` (its
  file name when it has no alt text) and each ``<video>``/``<audio>`` ``[video: name] [n]``,
  so that the address can be opened; the addresses are returned in their numbered order;
- ``<pre>`` (and ``<pre><code>``) is set aside and comes back as a fenced code block, its
  lines and indentation as they were (see ``reader.textutil.code_blocks``); inline
  ``<code>`` stays inline;
- a table's header row gets a rule of ``─`` under it, and a table a blank line before it.

Private-use characters U+E000–U+E00F mark these places during layout; they are removed from
the input first, so no feed can forge them. Likewise the ``data-nr-*`` attributes this module
puts on the tree (a medium's kind, the images a link holds, a list item's label): the feed's
own, in any case, are removed before any is set.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from urllib.parse import quote, unquote, urljoin, urlsplit

import lxml.html
from inscriptis import Inscriptis
from inscriptis.css_profiles import STRICT_CSS_PROFILE
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_document_state import HtmlDocumentState
from inscriptis.model.html_element import HtmlElement
from inscriptis.model.tag import CustomHtmlTagHandlerMapping
from inscriptis.model.tag.list_tag import li_start_handler, ol_start_handler
from lxml import etree

from reader.textutil import clean, fence_for

# Dropped with everything inside; other unknown tags (object, form…) keep their text.
_DROP = frozenset(
    "script style noscript iframe frame frameset input select textarea template svg math "
    "canvas audio video source track head meta link button".split()
)
_CSS = {
    **STRICT_CSS_PROFILE,
    "blockquote": HtmlElement(
        display=Display.block, margin_before=1, margin_after=1, padding_inline=4
    ),
    "table": HtmlElement(display=Display.block, margin_before=1, margin_after=1),
    # A definition list: each term on its line, its definition indented under it.
    "dl": HtmlElement(display=Display.block),
    "dt": HtmlElement(display=Display.block),
    "dd": HtmlElement(display=Display.block, padding_inline=4),
    "details": HtmlElement(display=Display.block, margin_before=1, margin_after=1),
    "summary": HtmlElement(display=Display.block),
}
# The attributes this module sets on the tree begin so; a feed's own are removed first.
_OWN_PREFIX = "data-nr-"
_BULLET = "data-nr-bullet"  # an <ol>'s item's label, as _prepare_lists numbers it
_WIDTH = "data-nr-width"  # an <ol>'s indent: its widest label's, as _prepare_lists sets it
_KIND = "data-nr-kind"  # an <img> made from a <video>/<audio>: its kind
_IMAGES = "data-nr-images"  # a link's images' addresses, as _image numbers them


def _li_start(state: HtmlDocumentState, attrs: dict) -> None:
    """An ``<li>`` of an ``<ol>`` takes the label ``_prepare_lists`` gave it (the layout's own
    numbers only count up from 1, in decimal); any other keeps the layout's bullet."""
    bullet = attrs.get(_BULLET)
    if bullet is None:
        li_start_handler(state, attrs)
        return
    item = state.tags[-1]
    item.list_bullet = bullet
    item.write("")


def _ol_start(state: HtmlDocumentState, attrs: dict) -> None:
    """An ``<ol>`` is indented by the width ``_number_items`` gave it: the layout sets each
    label flush right in the list's indent, and one wider than it pushed its item's text
    right (``viii.`` past ``ix.``)."""
    ol_start_handler(state, attrs)
    if (width := attrs.get(_WIDTH)) is not None:
        state.tags[-1].padding_inline = int(width)


_CONFIG = ParserConfig(
    css=_CSS,
    custom_html_tag_handler_mapping=CustomHtmlTagHandlerMapping(
        {"li": _li_start, "ol": _ol_start}, {}
    ),
)
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "gopher://", "gemini://")
_MEDIA_SCHEMES = ("http://", "https://")

_CODE_OPEN, _CODE_CLOSE = "\ue000", "\ue001"  # a code block's place: \ue000 k \ue001
_TH_OPEN, _TH_CLOSE = "\ue002", "\ue003"  # around a table header cell's text
# An <ol start> or <li value> as HTML reads an integer (blank space before it, a sign, what
# follows the digits ignored), of ASCII digits only ("²" is a digit to str.isdigit and no
# number to int) and at most nine of them.
_LIST_NUMBER = re.compile(r"[ \t\n\f\r]*([-+]?[0-9]{1,9})(?![0-9])")
_MARKS = re.compile("[\ue000-\ue00f]")
_CODE_PLACE = re.compile("^(.*?)\ue000(\\d+)\ue001(.*)$", re.M)
_TH_CELL = re.compile("\ue002([^\ue003\n]*)\ue003?")
_IMAGE_RUN = re.compile(r"(?m)^([ \t]*\[image: [^\n]*\] \[\d+\])\n(?:[ \t]*\n)*\1$")


def _tiny(img: etree._Element) -> bool:
    """A tracking pixel: declared 0 or 1 pixel wide or high."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 1:
            return True
    return False


def _replace_with_text(el: etree._Element, text: str) -> None:
    """Put ``text`` (plus the element's tail) where ``el`` was, then remove ``el``."""
    parent = el.getparent()
    if parent is None:
        return
    tail = text + (el.tail or "")
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _drop_inline(el: etree._Element) -> None:
    """Remove an inline element; a space left before punctuation goes too (``pixel .``)."""
    if (el.tail or "")[:1] in _PUNCTUATION:
        prev, parent = el.getprevious(), el.getparent()
        if prev is not None and prev.tail:
            prev.tail = prev.tail.rstrip(" ")
        elif prev is None and parent is not None and parent.text:
            parent.text = parent.text.rstrip(" ")
    _replace_with_text(el, "")


_PUNCTUATION = frozenset(".,;:!?)]»”’")


class _Links:
    """The numbered addresses of one document (an address keeps its first number)."""

    def __init__(self, base: str | None, first: list[str]) -> None:
        self.base = base
        self.urls: list[str] = []
        self._numbers: dict[str, int] = {}
        for url in first:
            self.number(url)

    def resolve(self, href: str, schemes: tuple[str, ...] = _SAFE_SCHEMES) -> str | None:
        """The absolute address of ``href``, or None when it cannot be opened safely."""
        href = url_text(href)
        if not href or href.startswith("#"):
            return None
        try:
            url = urljoin(self.base, href) if self.base else href
        except ValueError:  # a malformed base or address ("http://[x/"): no link, the text stays
            return None
        return url if url.lower().startswith(schemes) else None

    def number(self, url: str) -> int:
        """The address's number, given it now if it is new."""
        number = self._numbers.get(url)
        if number is None:
            self.urls.append(url)
            number = self._numbers[url] = len(self.urls)
        return number


_URL_BREAKS = re.compile("[\t\n\r]")
_SPACE = re.compile(r"\s")


def url_text(value: str) -> str:
    """An address as written in markup or a feed, as a browser reads it: tabs and line breaks
    in it and blank space around it dropped, a space left inside it percent-encoded
    (``/a b`` is ``/a%20b``, not ``/ab``, another address); no control characters."""
    value = clean(_URL_BREAKS.sub("", value)).strip()
    return _SPACE.sub(lambda m: quote(m.group(0)), value) if _SPACE.search(value) else value


def _image_source(img: etree._Element) -> str:
    """The address an image shows: ``src``, else a lazy loader's ``data-src``, else the first
    candidate of ``srcset``."""
    for attr in ("src", "data-src", "data-lazy-src", "data-original"):
        value = (img.get(attr) or "").strip()
        if value and not value.lower().startswith("data:"):
            return value
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    return srcset.split(",")[0].split()[0] if srcset else ""


def _file_name(url: str) -> str:
    """The last part of an address's path, decoded (``chart.png``), else its host."""
    parts = urlsplit(url)
    name = posixpath.basename(unquote(parts.path).rstrip("/"))
    return " ".join(clean(name or parts.hostname or "").split())[:80]


def _media_to_images(root: lxml.html.HtmlElement) -> None:
    """``<video>`` and ``<audio>`` become images of their kind, so that they are numbered in
    document order with the rest (their own text is fallback for old browsers: dropped)."""
    for el in list(root.iter("video", "audio")):
        src = (el.get("src") or "").strip()
        if not src:
            source = next((s for s in el.iter("source") if (s.get("src") or "").strip()), None)
            src = (source.get("src") or "").strip() if source is not None else ""
        if not src:
            continue
        marker = lxml.html.Element("img", src=src, alt=(el.get("title") or "").strip())
        marker.set(_KIND, str(el.tag))
        marker.tail = el.tail
        el.addprevious(marker)
        el.getparent().remove(el)


_TAB = "\ue00f"  # a tab of the input while code is set aside
_HAS_PRE = re.compile(r"<(?:pre|xmp|listing|plaintext)\b", re.I)


def _untab(root: lxml.html.HtmlElement) -> None:
    """Tabs outside code are blank space again."""
    for el in root.iter():
        if el.text and _TAB in el.text:
            el.text = el.text.replace(_TAB, " ")
        if el.tail and _TAB in el.tail:
            el.tail = el.tail.replace(_TAB, " ")


def _code_text(pre: etree._Element) -> str:
    """A ``<pre>``'s text with its lines and indentation (``<br>`` as a new line, tabs as
    four columns, no control characters)."""
    for br in list(pre.iter("br")):
        _replace_with_text(br, "\n")
    text = pre.text_content().replace("\r\n", "\n").replace("\r", "\n").replace(_TAB, "\t")
    text = text.removeprefix("\n")  # HTML ignores a new line right after <pre>
    lines = [clean(line.expandtabs(4)).rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _inline_pre(pre: etree._Element, code: str) -> bool:
    """A ``<pre>`` that sits in running text (some extractors write inline code so) or in a
    table cell: it stays inline."""
    if any(isinstance(a.tag, str) and a.tag.lower() in ("td", "th") for a in pre.iterancestors()):
        return True
    if "\n" in code:
        return False
    parent = pre.getparent()
    if parent is not None and isinstance(parent.tag, str) and parent.tag.lower() == "p":
        return True
    prev = pre.getprevious()
    before = (prev.tail if prev is not None else parent.text if parent is not None else "") or ""
    return bool(before.strip() or (pre.tail or "").strip())


def _set_code_aside(root: lxml.html.HtmlElement) -> list[str]:
    """Replace each outermost ``<pre>`` with a placeholder paragraph; return the code texts."""
    codes: list[str] = []
    for pre in list(root.iter("pre", "xmp", "listing", "plaintext")):
        if pre.getparent() is None or any(
            isinstance(a.tag, str) and a.tag.lower() == "pre" for a in pre.iterancestors()
        ):
            continue
        code = _code_text(pre)
        if _inline_pre(pre, code):
            _replace_with_text(pre, " ".join(code.split()))
            continue
        if not code:
            _replace_with_text(pre, "")
            continue
        place = lxml.html.Element("p")
        place.text = f"{_CODE_OPEN}{len(codes)}{_CODE_CLOSE}"
        place.tail = pre.tail
        pre.addprevious(place)
        pre.getparent().remove(pre)
        codes.append(code)
    return codes


_LISTS = ("ul", "ol", "dl")


def _list_number(value: str | None) -> int | None:
    found = _LIST_NUMBER.match(value or "")
    return int(found.group(1)) if found else None


_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        "m cm d cd c xc l xl x ix v iv i".split(),
        strict=True,
    )
)


def _list_label(n: int, kind: str | None) -> str:
    """An ordered list item's label: ``type`` ``a``/``A`` letters (``z`` then ``aa``), ``i``/``I``
    roman numerals (1 to 3999), else a decimal number; a number a style cannot write (0 or
    below in letters, 4000 in roman numerals) is decimal, as in browsers."""
    if kind in ("a", "A") and n >= 1:
        letters = ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        label = letters
    elif kind in ("i", "I") and 1 <= n <= 3999:
        label = ""
        for value, numeral in _ROMAN:
            count, n = divmod(n, value)
            label += numeral * count
    else:
        return f"{n}. "
    return f"{label.upper() if kind in ('A', 'I') else label}. "


def _number_items(ol: etree._Element) -> None:
    """Label the items of an ``<ol>`` as a browser numbers them: from ``start``, else from 1
    or (``reversed``) from the number of its items, counting up or (``reversed``) down; an
    item's ``value`` gives its own number and the next count on from it; the list's
    ``type`` (an item's own ``type`` first) writes them in letters or roman numerals."""
    items = [li for li in ol.iter("li") if next(li.iterancestors("ol", "ul"), None) is ol]
    down = ol.get("reversed") is not None
    step = -1 if down else 1
    start = _list_number(ol.get("start"))
    number = start if start is not None else len(items) if down else 1
    kind = ol.get("type")
    labels = []
    for li in items:
        if (value := _list_number(li.get("value"))) is not None:
            number = value
        own = li.get("type")
        labels.append(_list_label(number, own if own in ("1", "a", "A", "i", "I") else kind))
        li.set(_BULLET, labels[-1])
        number += step
    # Indented by the widest label (four columns at least, as a <ul>): the labels flush right
    # in it, the items' text in one column. A letter or roman label keeps a space before it,
    # which tells it from a sentence that starts with an initial ("A. Smith"; see
    # ``reader.textutil.hanging_indent``).
    lettered = any(not label[0].isdigit() and label[0] != "-" for label in labels)
    ol.set(_WIDTH, str(max([4, *(len(label) + lettered for label in labels)])))


def _prepare_lists(root: lxml.html.HtmlElement) -> None:
    """Give each outermost list a paragraph's blank lines around it (a list right after
    another was glued to it), and label the items of each ``<ol>`` (``_number_items``: the
    layout reads only a ``value`` of ASCII digits and counts up in decimal). (A feed's own
    label attribute is gone already: ``_strip_own_attributes``.)"""
    for el in list(root.iter(*_LISTS)):
        if el.tag == "ol":
            _number_items(el)
        if el.getparent() is not None and not any(
            isinstance(a.tag, str) and a.tag.lower() in (*_LISTS, "li") for a in el.iterancestors()
        ):
            block = lxml.html.Element("p")
            block.tail, el.tail = el.tail, None
            el.addprevious(block)
            block.append(el)


def _inline_captions(root: lxml.html.HtmlElement) -> None:
    """A figure's caption goes on the line under (or above) what it captions, in the same
    block: alone in a block of its own, a short caption would be taken for a sub-heading
    (``reader.textutil.blocks``)."""
    for caption in list(root.iter("figcaption")):
        parent = caption.getparent()
        if parent is None:
            continue
        prev = caption.getprevious()
        before = prev is not None or (parent.text or "").strip()
        after = (caption.tail or "").strip() or caption.getnext() is not None
        caption.tag = "span"
        inner = [el for el in caption.iterdescendants() if el.tag in ("p", "div")]
        for n, el in enumerate(inner):  # (a caption's paragraphs: its lines)
            el.tag = "span"
            if n:
                el.addprevious(lxml.html.Element("br"))
        if before:
            caption.addprevious(lxml.html.Element("br"))
        if after:
            br = lxml.html.Element("br")
            br.tail, caption.tail = caption.tail, None
            caption.addnext(br)


def _mark_table_headers(root: lxml.html.HtmlElement) -> None:
    """Give each table a paragraph's blank lines around it, and wrap the text of each
    header cell of its first row in markers."""
    for table in list(root.iter("table")):
        parent = table.getparent()
        if parent is not None and not any(a.tag == "table" for a in table.iterancestors()):
            block = lxml.html.Element("p")
            block.tail, table.tail = table.tail, None
            table.addprevious(block)
            block.append(table)
        row = next(table.iter("tr"), None)
        if row is None:
            continue
        cells = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("th", "td")]
        if not cells or not all(c.tag.lower() == "th" for c in cells):
            continue
        for cell in cells:
            if not cell.text_content().strip():
                continue
            cell.text = _TH_OPEN + (cell.text or "")
            last = cell[-1] if len(cell) else None
            if last is not None:
                last.tail = (last.tail or "") + _TH_CLOSE
            else:
                cell.text += _TH_CLOSE


def _strip_own_attributes(root: lxml.html.HtmlElement) -> None:
    """Remove the feed's own ``data-nr-*`` attributes, in any case, from every element: only
    those this module sets are read (a forged ``data-nr-kind`` made an image a ``[video: …]``,
    a forged ``data-nr-images`` hid a link's number)."""
    for el in root.iter(etree.Element):
        for name in [n for n in el.attrib if n.lower().startswith(_OWN_PREFIX)]:
            del el.attrib[name]


def _prepare(
    root: lxml.html.HtmlElement, base: str | None, first: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Strip what a reader never sees, set code aside, number links, images and media; return
    the link addresses and the code texts."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _replace_with_text(el, "")
    _strip_own_attributes(root)
    codes = _set_code_aside(root)
    _media_to_images(root)
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.lower() in _DROP and el.getparent() is not None:
            _replace_with_text(el, "")
    _mark_table_headers(root)
    _prepare_lists(root)
    _inline_captions(root)
    links = _Links(base, first or [])
    open_anchors: list[etree._Element] = []  # a link's number comes after what it holds
    for el in list(root.iter("a", "img")):
        while open_anchors and open_anchors[-1] not in el.iterancestors():
            _anchor(open_anchors.pop(), links)
        if el.tag == "img":
            _image(el, links)
        else:
            open_anchors.append(el)
    while open_anchors:
        _anchor(open_anchors.pop(), links)
    return links.urls, codes


def _image(img: etree._Element, links: _Links) -> None:
    """``[image: alt] [n]``; a tracking pixel, or an image with neither alt text nor an
    address to open, goes."""
    kind = img.get(_KIND) or "image"
    alt = " ".join(clean(img.get("alt") or "").split())
    url = links.resolve(_image_source(img), _MEDIA_SCHEMES)
    label = alt or (_file_name(url) if url else "")
    if _tiny(img) or not label:
        _drop_inline(img)
        return
    number = f" [{links.number(url)}]" if url else ""
    holder = next(img.iterancestors("a"), None)
    if holder is not None and url:
        holder.set(_IMAGES, f"{holder.get(_IMAGES) or ''} {url}")
    after = "" if (img.tail or " ")[:1] in _NO_SPACE_BEFORE else " "
    _replace_with_text(img, f" [{kind}: {label}]{number}{after}")


_MEDIA_MARK = re.compile(r"\[(?:image|video|audio): [^\]]*\](?: \[\d+\])?")
_NO_SPACE_BEFORE = frozenset(" \t\n.,;:!?)]»”’")


def _anchor(a: etree._Element, links: _Links) -> None:
    """The link's text, then ``[n]``; nothing for a link with no text, or one that only wraps
    an image of the same address (the image has its number)."""
    url = links.resolve(a.get("href") or "")
    images = (a.attrib.pop(_IMAGES, None) or "").split()
    if url is None:
        return
    words = _MEDIA_MARK.sub("", a.text_content()).strip()
    if not words and (not images or url in images):
        return
    marker = etree.SubElement(a, "span")
    marker.text = f" [{links.number(url)}]"


def _finish(text: str, codes: list[str]) -> str:
    """Put the code blocks back, fenced; rule table headers; drop repeated image lines."""
    if _TH_OPEN in text:
        text = _rule_headers(text)
    if codes:

        def fenced(m: re.Match[str]) -> str:
            index = int(m.group(2))
            code = codes[index] if index < len(codes) else ""
            fence = fence_for(code)
            before, after = m.group(1).rstrip(), m.group(3).strip()
            return (
                (before + "\n\n" if before.strip() else "\n")
                + f"{fence}\n{code}\n{fence}\n"
                + ("\n" + after if after else "")
            )

        text = _CODE_PLACE.sub(fenced, text)
    if "[image: " in text:
        text = _IMAGE_RUN.sub(r"\1", text)
    return _MARKS.sub("", text)


def _rule_headers(text: str) -> str:
    """A header row keeps its columns (the markers' width becomes padding) and gets a rule of
    ``─`` under each of its cells."""
    out = []
    for line in text.split("\n"):
        if _TH_OPEN not in line:
            out.append(line)
            continue
        rule = [" "] * len(line)
        shown = []
        pos = 0
        for m in _TH_CELL.finditer(line):
            shown.append(line[pos : m.start()])
            start = sum(map(len, shown))
            cell = m.group(1)
            shown.append(cell + " " * (len(m.group(0)) - len(cell)))
            width = len(cell.rstrip())
            lead = len(cell) - len(cell.lstrip())
            rule[start + lead : start + width] = "─" * (width - lead)
            pos = m.end()
        shown.append(line[pos:])
        header = _MARKS.sub("", "".join(shown)).rstrip()
        out.append(header)
        out.append("".join(rule).rstrip())
    return "\n".join(out)


def html_to_text(
    markup: str, base: str | None = None, first_links: list[str] | None = None
) -> tuple[str, list[str]]:
    """Readable text of an HTML fragment or document, and its numbered link addresses.

    ``first_links`` take the first numbers (an item's enclosures, listed before its text).
    Terminal control characters are removed from the result; entities are decoded.
    """
    first = list(first_links or [])
    markup = _MARKS.sub("", markup)
    tabs = "\t" in markup and _HAS_PRE.search(markup) is not None
    if tabs:  # clean() turns tabs into spaces; code needs them to expand to its columns
        markup = markup.replace("\t", _TAB)
    markup = _xml_safe(clean(markup))  # lxml refuses control characters
    if "<" not in markup:  # (cleaning may have taken a tag apart: no code is left)
        return clean(html_lib.unescape(markup.replace(_TAB, " "))).strip(), first
    try:
        root = _fragment(markup)
        links, codes = _prepare(root, base, first)
        if tabs:
            _untab(root)
        text = _simple_layout(root)
        if text is None:
            text = Inscriptis(root, _CONFIG).get_text()
    except (etree.ParserError, ValueError):
        return clean(html_lib.unescape(markup.replace(_TAB, " "))).strip(), first
    return clean(_finish(text, codes)), links


MAX_DEPTH = 200  # elements open at once that are kept; deeper ones are flattened
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK = frozenset(
    "address article aside blockquote dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup li main nav ol p pre section table tbody td "
    "tfoot th thead tr ul".split()
)


def _fragment(markup: str) -> lxml.html.HtmlElement:
    """Parse an HTML fragment under a ``<div>``.

    libxml2 stops at 256 nested elements and drops everything after that point; a document
    that deep is parsed again with the elements beyond ``MAX_DEPTH`` flattened, so that no
    text is lost (their block elements become line breaks).
    """
    parser = lxml.html.HTMLParser()
    root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=parser)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        root = lxml.html.fragment_fromstring(_flatten(markup), create_parent="div")
    return root


def _flatten(markup: str) -> str:
    """``markup`` with the tags of elements nested deeper than ``MAX_DEPTH`` removed (a block
    element's become ``<br>``); their text stays where it was."""
    open_tags: list[tuple[str, bool]] = []  # (name, kept), outermost first
    kept = 0
    out: list[str] = []
    pos = 0
    broken = True  # a line break was put last, with no text after it
    for m in _TAG.finditer(markup):
        closing, name, empty = m.group(1), m.group(2).lower(), m.group(3)
        replacement = None
        if not closing:
            if name in _VOID or empty:
                continue
            if kept >= MAX_DEPTH:
                replacement = "<br>" if name in _BLOCK else ""
                open_tags.append((name, False))
            else:
                open_tags.append((name, True))
                kept += 1
        else:
            for i in range(len(open_tags) - 1, max(len(open_tags) - 64, -1), -1):
                if open_tags[i][0] == name:
                    if not open_tags[i][1]:
                        replacement = "<br>" if name in _BLOCK else ""
                    kept -= sum(1 for _, k in open_tags[i:] if k)
                    del open_tags[i:]
                    break
        if replacement is not None:
            before = markup[pos : m.start()]
            broken = broken and not before.strip()
            if broken and replacement:
                replacement = ""  # one break for a run of flattened blocks
            broken = broken or bool(replacement)
            out.append(before)
            out.append(replacement)
            pos = m.end()
    out.append(markup[pos:])
    return "".join(out)


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Text without the few characters XML cannot hold at all (lone surrogates, U+FFFE/F)."""
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


_INLINE = frozenset(
    "a span b strong i em u s small sub sup code abbr cite q mark time font".split()
)


def _inline_only(el: etree._Element) -> bool:
    return all(isinstance(d.tag, str) and d.tag.lower() in _INLINE for d in el.iterdescendants())


def _simple_layout(root: lxml.html.HtmlElement) -> str | None:
    """Paragraphs of inline text, laid out directly (most feed items); None for anything else.

    Gives what the full layout gives for such markup, at a fraction of its cost (measured in
    benchmarks/bench_refresh.py); tests/test_feeds.py compares the two.
    """
    paragraphs: list[str] = []
    loose: list[str] = [root.text or ""]
    for child in root:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if (tag not in _INLINE and tag != "p") or not _inline_only(child):
            return None
        if tag == "p":
            paragraphs.append(" ".join("".join(loose).split()))
            paragraphs.append(" ".join(child.text_content().split()))
            loose = [child.tail or ""]
        else:
            loose.append(child.text_content() + (child.tail or ""))
    paragraphs.append(" ".join("".join(loose).split()))
    return "\n\n".join(p for p in paragraphs if p)


def html_to_line(markup: str) -> str:
    """One line of plain text from a title that may hold markup or entities."""
    markup = _xml_safe(clean(markup))
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split())
    try:
        root = _fragment(markup)
        for el in list(root.iter()):
            if isinstance(el.tag, str) and el.tag.lower() in _DROP:
                _replace_with_text(el, "")
        text = root.text_content()
    except (etree.ParserError, ValueError):
        text = html_lib.unescape(markup)
    return " ".join(clean(text).split())
