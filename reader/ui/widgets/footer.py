"""Footer: Textual's key footer, without the keys it leaks.

Textual's ``Footer`` composes its keys again whenever the screen's bindings change (each
article shown, each change of focus), and binds each new key's ``compact`` to its own. The
binding is a watcher kept in the footer's list of ``compact`` watchers, and that list is
pruned only when ``compact`` changes, which it never does here: every key the footer ever
showed stayed alive, about 16 widgets and 280 KiB an article stepped through (1,000 articles
read with ``J``: 54 → 333 MB). Before each compose this footer drops the watchers of keys
that are no longer mounted. Its command palette key reaches the right edge, and the keys
that would run under it are left out whole (Textual's showed the last one cut: "q Quit f▏^p
palette"). A binding the keymap left without a key is not shown.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from reader.keymap_ids import NO_KEY

_WATCHERS = "__watchers"  # where Textual keeps an object's watchers (``reactive._watch``)


class Footer(TextualFooter):
    """``textual.widgets.Footer``, its old keys let go when it composes new ones."""

    # The palette's key is docked right, but kept Textual's ``margin-right: 1`` for keys in a
    # row: when the keys overflow a narrow screen, the last column showed a letter of the key
    # under it ("▏^p paletted" at 40 columns).
    # A group's label (``←→ Sideways``) had no margin in a compact footer: the next key
    # followed it without a space ("Line start/endtab Wide block").
    DEFAULT_CSS = """
    Footer FooterKey.-command-palette { margin-right: 0; }
    Footer.-compact FooterLabel { margin-right: 1; }
    """

    def compose(self) -> ComposeResult:
        watchers = getattr(self, _WATCHERS, {}).get("compact")
        if watchers:
            watchers[:] = [(node, call) for node, call in watchers if node.is_attached]
        for widget in super().compose():
            if not (isinstance(widget, FooterKey) and widget.key == NO_KEY):
                yield widget  # (a binding the user's keymap left without a key: not shown)
        self.call_after_refresh(self._fit)  # once the keys are mounted

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Show the keys, in order, that fit whole left of the palette's key; hide the rest.

        Widths are measured from the keys' content, not their laid-out regions: a key hidden
        at a narrow width has no region to measure when the screen widens again. Spacing
        follows Textual's horizontal layout (adjacent margins collapse to the larger)."""
        if not self.is_attached:
            return
        size = self.size
        viewport = self.app.size
        room = size.width
        keys = []
        for child in self.children:
            if child.has_class("-command-palette"):
                if child.display:
                    room -= child.get_content_width(size, viewport) + child.styles.gutter.width
            else:
                keys.append(child)
        right = 0  # where the previous key's box ends
        previous_margin = 0
        fits = True
        for key in keys:
            margin = key.styles.margin
            width = key.get_content_width(size, viewport) + key.styles.gutter.width
            start = right + max(previous_margin, margin.left)
            fits = fits and start + width + margin.right <= room  # (a space before the bar)
            key.display = fits
            right, previous_margin = start + width, margin.right
