"""HelpScreen: the app's own keys, grouped by screen, as the user's keymap sets them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.screens.once import LeavesOnce

Group = tuple[str, Sequence[type]]  # a screen's title and the classes whose keys it has


def bindings_of(classes: Sequence[type]) -> list[Binding]:
    """The bindings with ids declared on these classes, in their declared order."""
    found: dict[str, Binding] = {}
    for cls in classes:
        for item in cls.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding) and item.id and item.id not in found:
                found[item.id] = item
    return list(found.values())


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words (a word longer
    than a line is broken where the line ends)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cell_len(word) > width:  # (no description has one; a keymap could)
            if line:
                lines.append(line)
                line = ""
            head = chop_cells(word, width)[0]
            lines.append(head)
            word = word[len(head) :]
        if not line:
            line = word
        elif cell_len(line) + 1 + cell_len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


class HelpScreen(LeavesOnce, ModalScreen[None]):
    """Every key of every screen, the one it was opened from first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="help.top"),
        Binding("G,end", "edge(1)", "Bottom", show=False, id="help.bottom"),
    ]
    """Keys of the help screen."""

    def __init__(self, groups: Sequence[Group], keymap: dict[str, str], first: str) -> None:
        super().__init__()
        self.groups = sorted(groups, key=lambda g: g[0] != first)
        self.keymap = keymap

    def table(self, width: int = 100) -> Content:
        """The keys as text: per screen, the keys, what they do and (when ``width`` leaves
        room for it) their binding id. A description longer than its column goes on below,
        in the same column (it was cut with "…", at 100 columns and less)."""
        id_width = max(
            (len(b.id or "") for _, classes in self.groups for b in bindings_of(classes)),
            default=0,
        )
        describe = min(60, width - 24 - id_width - 1)  # keys 24 columns, a space before the id
        with_ids = describe >= 30
        if not with_ids:
            describe = max(width - 26, 20)
        lines: list[Content] = []
        for title, classes in self.groups:
            rows = bindings_of(classes)
            if not rows:
                continue
            lines.append(Content(title).stylize("bold $accent"))
            for binding in rows:
                keys = self.keymap.get(binding.id or "", binding.key)
                shown = (
                    ", ".join(
                        self.app.get_key_display(replace(binding, key=key.strip()))
                        for key in keys.split(",")
                    )
                    if keys
                    else "(no key)"
                )
                text = binding.tooltip or binding.description
                first, *rest = wrap_cells(text, describe)
                lines.append(
                    Content.assemble(
                        Content(f"  {shown:<20} ").stylize("bold"),
                        Content(first + " " * (describe - cell_len(first)) + " "),
                        Content(binding.id or "" if with_ids else "").stylize("$text-muted"),
                    )
                )
                lines.extend(Content(" " * 23 + more) for more in rest)
            lines.append(Content(""))
        lines.append(
            Content(
                'Remap any id in config.toml under [keymap], e.g. "headlines.down" = "j,down"; '
                "newsreader --print-keymap prints them all."
            ).stylize("$text-muted")
        )
        return Content("\n").join(lines)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(id="help-table", markup=False)

    def on_resize(self) -> None:
        inner = min(140, int(self.size.width * 0.95)) - 8  # border, padding, scrollbar
        self.query_one("#help-table", Static).update(self.table(inner))

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False, immediate=True)

    def action_page(self, pages: int) -> None:
        view = self.query_one(VerticalScroll)
        page = max(view.scrollable_content_region.height - 1, 1)
        view.scroll_relative(y=pages * page, animate=False, immediate=True)

    def action_edge(self, end: int) -> None:
        view = self.query_one(VerticalScroll)
        if end:
            view.scroll_end(animate=False, immediate=True)
        else:
            view.scroll_home(animate=False, immediate=True)
