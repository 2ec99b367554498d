"""The binding-id catalogue, validation of the user's [keymap], and its TOML rendering."""

from __future__ import annotations

from textual.binding import Binding


class KeymapError(ValueError):
    """A [keymap] entry names no known binding, or has no keys."""


def _classes() -> list[type]:
    from reader.ui.app import NewsReader
    from reader.ui.screens.article import ArticleScreen, FindBar
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.screens.headlines import HeadlinesScreen
    from reader.ui.screens.help import HelpScreen
    from reader.ui.screens.links import LinksScreen
    from reader.ui.widgets.headline_list import HeadlineList
    from reader.ui.widgets.search_bar import SearchBar

    return [
        NewsReader,
        HeadlinesScreen,
        HeadlineList,
        SearchBar,
        ArticleScreen,
        FindBar,
        EntityScreen,
        HelpScreen,
        LinksScreen,
    ]


def catalogue() -> dict[str, Binding]:
    """Every binding with an id, by id, from our classes' BINDINGS."""
    found: dict[str, Binding] = {}
    for cls in _classes():
        for item in cls.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding) and item.id:
                found[item.id] = item
    return found


def validate_keymap(keymap: dict[str, str]) -> dict[str, str]:
    """Normalise a user keymap (whitespace around commas) and reject unknown ids."""
    known = catalogue()
    out: dict[str, str] = {}
    for ident, keys in keymap.items():
        if ident not in known:
            raise KeymapError(
                f"unknown binding id {ident!r} in [keymap]; valid ids: {', '.join(sorted(known))}"
            )
        cleaned = ",".join(k.strip() for k in str(keys).split(",") if k.strip())
        if not cleaned:
            raise KeymapError(f"[keymap] {ident!r} has no keys")
        out[ident] = cleaned
    return out


def keymap_toml(keymap: dict[str, str]) -> str:
    """The effective keymap (defaults overlaid by the user's), as a TOML [keymap] table."""
    lines = ["[keymap]"]
    for ident, binding in sorted(catalogue().items()):
        keys = keymap.get(ident, binding.key)
        note = "" if ident not in keymap else "  # remapped"
        lines.append(f'"{ident}" = "{keys}"  # {binding.description}{note}')
    return "\n".join(lines) + "\n"
