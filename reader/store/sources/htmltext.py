"""HTML from feeds to readable text: blocks kept, links numbered, images as their alt text.

lxml parses (fast, forgiving, C); inscriptis lays the tree out as text (paragraphs, headings,
bulleted and numbered lists, indented block quotes, tables, preformatted text). Before layout
the tree is prepared here: scripts, styles, frames and forms go, tracking pixels go, an image
becomes ``[image: alt]``, and each link keeps its text followed by ``[n]``; the addresses are
returned in that order so the article view can list and open them.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin

import lxml.html
from inscriptis import Inscriptis
from inscriptis.css_profiles import STRICT_CSS_PROFILE
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement
from lxml import etree

from reader.textutil import clean

# Dropped with everything inside; other unknown tags (object, form…) keep their text.
_DROP = frozenset(
    "script style noscript iframe frame frameset input select textarea template svg math "
    "canvas audio video source track head meta link".split()
)
_CSS = {
    **STRICT_CSS_PROFILE,
    "blockquote": HtmlElement(
        display=Display.block, margin_before=1, margin_after=1, padding_inline=4
    ),
}
_CONFIG = ParserConfig(css=_CSS)
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "gopher://", "gemini://")


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


def _prepare(root: lxml.html.HtmlElement, base: str | None) -> list[str]:
    """Strip what a reader never sees, number links; return the link addresses."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _replace_with_text(el, "")
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.lower() in _DROP:
            _replace_with_text(el, "")
    for img in list(root.iter("img")):
        alt = " ".join((img.get("alt") or "").split())
        _replace_with_text(img, "" if _tiny(img) or not alt else f" [image: {alt}] ")
    links: list[str] = []
    numbers: dict[str, int] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urljoin(base, href) if base else href
        if not url.lower().startswith(_SAFE_SCHEMES):
            continue  # javascript:, data: and relative addresses with nowhere to resolve
        if not a.text_content().strip():
            continue
        number = numbers.get(url)
        if number is None:
            links.append(url)
            number = numbers[url] = len(links)
        marker = etree.SubElement(a, "span")
        marker.text = f" [{number}]"
    return links


def html_to_text(markup: str, base: str | None = None) -> tuple[str, list[str]]:
    """Readable text of an HTML fragment or document, and its numbered link addresses.

    Terminal control characters are removed from the result; entities are decoded.
    """
    markup = _xml_safe(clean(markup))  # lxml refuses control characters in text it builds
    if "<" not in markup:
        return clean(html_lib.unescape(markup)).strip(), []
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
        links = _prepare(root, base)
        text = _simple_layout(root)
        if text is None:
            text = Inscriptis(root, _CONFIG).get_text()
    except (etree.ParserError, ValueError):
        return clean(html_lib.unescape(markup)).strip(), []
    return clean(text), links


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
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
        for el in list(root.iter()):
            if isinstance(el.tag, str) and el.tag.lower() in _DROP:
                _replace_with_text(el, "")
        text = root.text_content()
    except (etree.ParserError, ValueError):
        text = html_lib.unescape(markup)
    return " ".join(clean(text).split())
