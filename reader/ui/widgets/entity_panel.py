"""EntityPanel: the entities of one article with their mention counts; enter opens one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets.option_list import Option

from reader.model import EntityInfo
from reader.textutil import clean_line
from reader.ui.text import ENTITY_STYLES
from reader.ui.widgets.option_list import OptionList


def entity_label(info: EntityInfo, count: int) -> Content:
    """``● Name  ORG ×3`` with the bullet in the entity's colour."""
    style = ENTITY_STYLES.get(info.kind, "$text")
    return Content.assemble(
        Content("● ").stylize(style),
        Content(clean_line(info.name)).stylize("bold"),
        Content(f"  {info.kind.lower()} ×{count}").stylize("$text-muted"),
    )


class EntityPanel(OptionList):
    """Lists entities; posts ``EntityPanel.Chosen`` with the entity id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="entities.down"),
        Binding("k", "cursor_up", "Up", show=False, id="entities.up"),
        Binding("enter", "select", "Open", show=False, id="entities.open",
                tooltip="The entity's screen: every article that mentions it"),
    ]  # fmt: skip
    """j and k move in the panel when it has the focus (not the article behind it)."""

    DEFAULT_CSS = """
    EntityPanel { width: 38; max-width: 40%; border-left: solid $panel; display: none; }
    EntityPanel.-shown { display: block; }
    """

    @dataclass
    class Chosen(Message):
        """An entity was chosen."""

        entity_id: int

    def show_entities(self, items: list[tuple[EntityInfo, int]]) -> None:
        """Replace the list."""
        self.set_options(
            [Option(entity_label(info, n), id=str(info.id)) for info, n in items]
            or [Option(Content("No entities found").stylize("$text-muted"), disabled=True)]
        )
        if items:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(int(event.option.id)))
