"""LinksScreen: choose one of an article's numbered links to open or copy."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets.option_list import Option

from reader.textutil import clean_line
from reader.ui.browser import open_link
from reader.ui.screens.once import LeavesOnce
from reader.ui.widgets.option_list import OptionList


class LinksScreen(LeavesOnce, ModalScreen[None]):
    """The article's links, numbered; a digit or enter opens one, y copies it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="links.close"),
        Binding("y", "copy", "Copy link", id="links.copy"),
        Binding("j", "cursor(1)", "Down", show=False, id="links.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="links.up"),
        *[
            Binding(str(n), f"open({n})", f"Open [{n}]", show=False, id=f"links.open_{n}")
            for n in range(1, 10)
        ],
    ]
    """A digit opens that link at once; the list's own keys choose one."""

    def __init__(self, links: list[str]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        options = [
            Option(Content(f"[{i}] {clean_line(url)}"), id=str(i - 1))
            for i, url in enumerate(self.links, start=1)
        ]
        panel = OptionList(*options, id="links")
        panel.border_title = "open a link (1-9, or enter)"
        yield panel

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open(int(event.option.id or 0) + 1)

    def action_open(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            problem = open_link(self.app, self.links[number - 1])
            if problem:
                self.notify(problem, severity="warning")
            self.dismiss()
        else:
            self.notify(f"There is no link [{number}].")

    def action_cursor(self, step: int) -> None:
        panel = self.query_one(OptionList)
        panel.highlighted = max(0, min((panel.highlighted or 0) + step, len(self.links) - 1))

    def action_copy(self) -> None:
        panel = self.query_one(OptionList)
        if panel.highlighted is not None:
            self.app.copy_to_clipboard(self.links[panel.highlighted])
            self.notify("Link copied")
