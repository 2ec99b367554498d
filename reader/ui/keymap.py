"""The binding-id catalogue, validation of the user's [keymap], and its TOML rendering."""

from __future__ import annotations

import unicodedata

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = frozenset(k.value.split("+")[-1] for k in Keys if not k.value.startswith("<")) | frozenset(
    KEY_NAME_REPLACEMENTS.values()
)


class KeymapError(ValueError):
    """A [keymap] entry names no known binding, or has no keys."""


def _classes() -> list[type]:
    from reader.ui.app import NewsReader
    from reader.ui.screens.article import ArticleScreen, BlockScroll
    from reader.ui.screens.confirm import Confirm
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.screens.feeds import FeedsScreen
    from reader.ui.screens.headlines import HeadlinesScreen
    from reader.ui.screens.help import HelpScreen
    from reader.ui.screens.links import LinksScreen
    from reader.ui.screens.prompt import Prompt
    from reader.ui.widgets.entity_panel import EntityPanel
    from reader.ui.widgets.find_bar import FindBar
    from reader.ui.widgets.headline_list import HeadlineList
    from reader.ui.widgets.search_bar import SearchBar
    from reader.ui.widgets.sources_panel import SourcesPanel

    return [
        NewsReader,
        HeadlinesScreen,
        HeadlineList,
        SourcesPanel,
        SearchBar,
        ArticleScreen,
        BlockScroll,
        EntityPanel,
        FindBar,
        EntityScreen,
        FeedsScreen,
        HelpScreen,
        LinksScreen,
        Confirm,
        Prompt,
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
        listed = [k.strip() for k in str(keys).split(",")]
        if not any(listed):
            raise KeymapError(f"[keymap] {ident!r} has no keys")
        if not all(listed):
            raise KeymapError(f"[keymap] {ident!r}: an empty key in {keys!r}")
        cleaned = ",".join(listed)
        out[ident] = cleaned
    return out


def keymap_toml(keymap: dict[str, str]) -> str:
    """The effective keymap (defaults overlaid by the user's), as a TOML [keymap] table;
    a key that never reaches its binding (held by another on the same screen, or on every
    screen) is said beside it."""
    lost = lost_keys(keymap)
    lines = ["[keymap]"]
    for ident, binding in sorted(catalogue().items()):
        keys = keymap.get(ident, binding.key)
        note = "" if ident not in keymap else "  # remapped"
        for key, holder in lost.get(ident, []):
            note += f"; {key} goes to {holder}"
        lines.append(f'"{ident}" = "{keys}"  # {binding.description}{note}')
    return "\n".join(lines) + "\n"


def key_exists(key: str) -> bool:
    """Whether a terminal can send ``key`` (``j``, ``ctrl+n``, ``pagedown``, ``question_mark``)."""
    *mods, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in mods):
        return False
    if len(base) == 1 or base in _NAMED:
        return True
    try:
        return len(unicodedata.lookup(base.replace("_", " "))) == 1
    except KeyError:
        return False


# Keys a terminal sends as another key: bound, they never fire.
_SENT_AS = {"ctrl+m": "enter", "ctrl+i": "tab", "ctrl+left_square_bracket": "escape"}


def sent_as(key: str) -> str | None:
    """The key a terminal sends instead of ``key`` (``shift+j`` arrives as ``J``), or None."""
    *mods, base = key.split("+")
    if mods == ["shift"] and len(base) == 1 and base.isalpha() and base.islower():
        return base.upper()
    return _SENT_AS.get(key)


def _taken_everywhere(keymap: dict[str, str]) -> dict[str, str]:
    """Keys held on every screen before any screen or widget sees them: the app's priority
    bindings (as the keymap sets them) and the command palette's key, with what holds them."""
    from textual.app import App

    from reader.ui.app import NewsReader

    taken = {}
    if NewsReader.ENABLE_COMMAND_PALETTE:
        taken[App.COMMAND_PALETTE_BINDING] = "the command palette"
    for item in NewsReader.BINDINGS:
        if isinstance(item, Binding) and item.priority:
            for key in keymap.get(item.id or "", item.key).split(","):
                taken[key] = item.id or _UNNAMED.get(item.action, item.action)
    return taken


# What the app's bindings without an id do, for a message that names them.
_UNNAMED = {"copy_or_quit_hint": "copying the selection (and the hint of how to quit)"}


def _clashes(keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(key, winner, loser, screen) for each key bound to two bindings live together, one of
    them remapped (the focused widget's wins, then the screen's, then the app's; within one,
    the first listed)."""
    found = []
    for screen, classes in _scopes().items():
        owner: dict[str, str] = {}
        for cls in classes:
            for item in cls.__dict__.get("BINDINGS", []):
                if not isinstance(item, Binding) or not item.id:
                    continue
                for key in keymap.get(item.id, item.key).split(","):
                    first = owner.setdefault(key, item.id)
                    if first != item.id and (item.id in keymap or first in keymap):
                        found.append((key, first, item.id, screen))
    return found


def lost_keys(keymap: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Per binding id, its keys that never reach it, with what takes them instead."""
    lost: dict[str, list[tuple[str, str]]] = {}
    taken = _taken_everywhere(keymap)
    for ident, binding in catalogue().items():
        for key in keymap.get(ident, binding.key).split(","):
            if key in taken and taken[key] != ident:
                lost.setdefault(ident, []).append((key, f"{taken[key]} on every screen"))
    for key, winner, loser, screen in _clashes(keymap):
        if (key, winner) not in [(k, w.split(" on ")[0]) for k, w in lost.get(loser, [])]:
            lost.setdefault(loser, []).append((key, f"{winner} on {screen}"))
    return lost


def _scopes() -> dict[str, list[type]]:
    """The classes whose bindings are live together, per screen (focused widget first)."""
    from reader.ui.app import NewsReader
    from reader.ui.screens.article import ArticleScreen, BlockScroll
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.screens.feeds import FeedsScreen
    from reader.ui.screens.headlines import HeadlinesScreen
    from reader.ui.screens.links import LinksScreen
    from reader.ui.widgets.headline_list import HeadlineList

    # (a code block's keys are meant to take the article's Home and End while it has the
    # focus: its scope is its own, so that only a clash between two of its keys is said)
    return {
        "the headlines": [HeadlineList, HeadlinesScreen, NewsReader],
        "an article": [ArticleScreen, NewsReader],
        "a code block or table": [BlockScroll],
        "an entity's screen": [HeadlineList, EntityScreen, NewsReader],
        "the feed list": [FeedsScreen, NewsReader],
        "the article's links": [LinksScreen, NewsReader],
    }


def keymap_problems(keymap: dict[str, str]) -> list[str]:
    """One line per key that cannot exist, and per key bound to two actions on one screen
    (the binding that wins is named: the focused widget's, then the screen's, then the app's)."""
    problems = []
    taken = _taken_everywhere(keymap)
    for ident, keys in keymap.items():
        listed = keys.split(",")
        if len(set(listed)) < len(listed):
            problems.append(f"[keymap] {ident!r}: a key is listed twice in {keys!r}")
        for key in listed:
            if not key_exists(key):
                problems.append(f"[keymap] {ident!r}: {key!r} is not a key a terminal can send")
            elif (instead := sent_as(key)) is not None:
                how = (
                    f"write it {instead!r}"
                    if len(instead) == 1
                    else f"a terminal sends the same bytes for {instead!r}"
                )
                problems.append(f"[keymap] {ident!r}: {key!r} never arrives as such ({how})")
            elif key in taken and taken[key] != ident:
                problems.append(
                    f"[keymap] {ident!r}: {key!r} is taken by {taken[key]} on every screen"
                )
    for key, winner, loser, screen in _clashes(keymap):
        problems.append(
            f"[keymap] {key!r} is bound to both {winner} and {loser} on {screen}; {winner} wins"
        )
    return problems
