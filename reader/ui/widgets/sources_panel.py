"""SourcesPanel: every source with its unread/total counts; choosing one filters the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from reader.store.articles import SourceCount
from reader.textutil import clean_line
from reader.ui.widgets.option_list import OptionList

ALL_SOURCES = "\0all"


class SourcesPanel(OptionList):
    """The sources, "All" first; j/k move like everywhere else."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="sources.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sources.up"),
        Binding("enter", "select", "Show", show=False, id="sources.show",
                tooltip="List the source's articles (All: every source)"),
    ]  # fmt: skip
    """Vim keys besides the list's arrows; every one has an id (the help lists it)."""

    def show_counts(self, counts: Sequence[SourceCount]) -> None:
        """Replace the rows, keeping the highlighted one (the first, the first time)."""
        total = sum(c.total for c in counts)
        unread = sum(c.unread for c in counts)
        options = [Option(Content(f"All  {unread:,}/{total:,} unread"), id=ALL_SOURCES)]
        options += [
            Option(Content(f"{clean_line(c.name)}  {c.unread:,}/{c.total:,}"), id=c.name)
            for c in counts
        ]
        highlighted = self.highlighted
        self.set_options(options)
        self.highlighted = (
            highlighted if highlighted is not None and highlighted < len(options) else 0
        )
