"""HelpScreen: the live key bindings of the screen below, with their ids."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def bindings_table(screen: Screen) -> Content:
    """Keys, ids and descriptions of every binding active on ``screen``, as plain Content."""
    rows: dict[str, tuple[list[str], str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        ident = binding.id or binding.action
        keys, description = rows.setdefault(ident, ([], binding.description or binding.action))
        display = screen.app.get_key_display(replace(binding, key=key))
        if display not in keys:
            keys.append(display)
    lines = [Content("Keys").stylize("bold")]
    for ident, (keys, description) in sorted(rows.items()):
        lines.append(
            Content.assemble(
                Content(f"{', '.join(keys):<22}").stylize("bold $accent"),
                Content(f"{description:<26}"),
                Content(ident).stylize("$text-muted"),
            )
        )
    lines.append(Content(""))
    lines.append(
        Content(
            'Remap any id in config.toml under [keymap], e.g. "headlines.down" = "n,down"'
        ).stylize("$text-muted")
    )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Lists the bindings that are live on the screen it was opened from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.table = bindings_table(below)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self.table, id="help-table", markup=False)
