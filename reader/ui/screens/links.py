"""LinksScreen: choose one of an article's numbered links to open or copy."""

from __future__ import annotations

import webbrowser
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.textutil import clean_line


class LinksScreen(ModalScreen[None]):
    """The article's links, numbered; enter opens one in the browser, y copies it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="links.close"),
        Binding("y", "copy", "Copy link", id="links.copy"),
    ]

    def __init__(self, links: list[str]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        options = [
            Option(Content(f"[{i}] {clean_line(url)}"), id=str(i - 1))
            for i, url in enumerate(self.links, start=1)
        ]
        panel = OptionList(*options, id="links")
        panel.border_title = "open a link"
        yield panel

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        webbrowser.open(self.links[int(event.option.id or 0)])
        self.dismiss()

    def action_copy(self) -> None:
        panel = self.query_one(OptionList)
        if panel.highlighted is not None:
            self.app.copy_to_clipboard(self.links[panel.highlighted])
            self.notify("Link copied")
