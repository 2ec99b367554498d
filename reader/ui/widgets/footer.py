"""Footer: Textual's key footer, without the keys it leaks.

Textual's ``Footer`` composes its keys again whenever the screen's bindings change (each
article shown, each change of focus), and binds each new key's ``compact`` to its own. The
binding is a watcher kept in the footer's list of ``compact`` watchers, and that list is
pruned only when ``compact`` changes, which it never does here: every key the footer ever
showed stayed alive, about 16 widgets and 280 KiB an article stepped through (1,000 articles
read with ``J``: 54 → 333 MB). Before each compose this footer drops the watchers of keys
that are no longer mounted. Its command palette key reaches the right edge.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter

_WATCHERS = "__watchers"  # where Textual keeps an object's watchers (``reactive._watch``)


class Footer(TextualFooter):
    """``textual.widgets.Footer``, its old keys let go when it composes new ones."""

    # The palette's key is docked right, but kept Textual's ``margin-right: 1`` for keys in a
    # row: when the keys overflow a narrow screen, the last column showed a letter of the key
    # under it ("▏^p paletted" at 40 columns).
    DEFAULT_CSS = """
    Footer FooterKey.-command-palette { margin-right: 0; }
    """

    def compose(self) -> ComposeResult:
        watchers = getattr(self, _WATCHERS, {}).get("compact")
        if watchers:
            watchers[:] = [(node, call) for node, call in watchers if node.is_attached]
        yield from super().compose()
