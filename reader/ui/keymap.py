"""The binding-id catalogue, validation of the user's [keymap], and its TOML rendering.

A key the user binds wins over a default that has it on the same screen: the default loses the
key (``taken_keys``). Two of the user's own bindings on one key are reported."""

from __future__ import annotations

import unicodedata

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys

from reader.config import keymap_entry_problem
from reader.ui import taken_keys

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
        if problem := keymap_entry_problem(ident, str(keys), known):
            raise KeymapError(problem)
        out[ident] = ",".join(k.strip() for k in str(keys).split(","))
    return out


def keymap_toml(keymap: dict[str, str]) -> str:
    """The effective keymap (defaults overlaid by the user's, less the keys the user's took
    from them), as a TOML [keymap] table; a key that never reaches its binding (held by
    another on the same screen, or on every screen) is said beside it, and a binding left
    without a key is a comment."""
    lost = lost_keys(keymap)
    effective = effective_keymap(keymap)
    lines = ["[keymap]"]
    for ident, binding in sorted(catalogue().items()):
        keys = effective.get(ident, binding.key)
        note = " (remapped)" if ident in keymap else ""
        for key, holder in lost.get(ident, []):
            note += f"; {key} goes to {holder}"
        if keys:
            lines.append(f'"{ident}" = "{keys}"  # {binding.description}{note}')
        else:
            lines.append(f'# "{ident}": no key  # {binding.description}{note}')
    return "\n".join(lines) + "\n"


def taken_from_defaults(keymap: dict[str, str]) -> dict[str, list[tuple[str, str, str]]]:
    """Per default binding, the keys the user's bindings take from it, with the user's binding
    and the screen (``taken_keys.taken_from_defaults``)."""
    return taken_keys.taken_from_defaults(keymap, _scopes())


def effective_keymap(keymap: dict[str, str]) -> dict[str, str]:
    """The user's keymap and the keys left to each default that loses some to it (``""``:
    none), as the reader applies it."""
    return taken_keys.effective_keymap(keymap, _scopes())


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
                if key:  # ("": a default left without a key)
                    taken[key] = item.id or _UNNAMED.get(item.action, item.action)
    return taken


# What the app's bindings without an id do, for a message that names them.
_UNNAMED = {"copy_or_quit_hint": "copying the selection (and the hint of how to quit)"}


def _clashes(keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(key, winner, loser, screen) for each key bound to two bindings live together, one of
    them remapped, in the effective keymap (in the order Textual tries them: the priority ones,
    then the focused widget's, the screen's, the app's; within one, the first listed). What is
    left: two of the user's bindings, or one of the user's before a default (which keeps the
    key on other screens)."""
    effective = effective_keymap(keymap)
    found = []
    for screen, classes in _scopes().items():
        owner: dict[str, str] = {}
        for item, _ in taken_keys.in_order(classes):
            assert item.id is not None
            for key in effective.get(item.id, item.key).split(","):
                if not key:
                    continue
                first = owner.setdefault(key, item.id)
                if first != item.id and (item.id in keymap or first in keymap):
                    found.append((key, first, item.id, screen))
    return found


def lost_keys(keymap: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Per binding id, its keys that never reach it, with what takes them instead (the keys
    the user's bindings took from a default included)."""
    lost: dict[str, list[tuple[str, str]]] = {}
    effective = effective_keymap(keymap)
    taken = _taken_everywhere(effective)
    for ident, binding in catalogue().items():
        for key in effective.get(ident, binding.key).split(","):
            if key in taken and taken[key] != ident:
                lost.setdefault(ident, []).append((key, f"{taken[key]} on every screen"))
    for ident, keys in taken_from_defaults(keymap).items():
        for key, user, screen in keys:
            lost.setdefault(ident, []).append((key, f"{user} on {screen}"))
    for key, winner, loser, screen in _clashes(keymap):
        if (key, winner) not in [(k, w.split(" on ")[0]) for k, w in lost.get(loser, [])]:
            lost.setdefault(loser, []).append((key, f"{winner} on {screen}"))
    return lost


def _left_without_a_key(keymap: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Per default binding that the user's bindings leave no key reaching it on any screen
    (taken from it, or held before it), the keys they have, with the user's binding of each.
    A screen's binding counts on the screen's list (one still reached in a panel of the screen,
    ``n`` in the sources panel, is as good as lost); a panel's or modal screen's on its own."""
    effective = effective_keymap(keymap)
    took = {
        ident: [(k, u) for k, u, _ in lost] for ident, lost in taken_from_defaults(keymap).items()
    }
    held: dict[tuple[str, str], set[str]] = {}  # (default, screen) → its keys held there
    for key, winner, loser, screen in _clashes(keymap):
        if loser not in keymap:
            held.setdefault((loser, screen), set()).add(key)
            if (key, winner) not in took.setdefault(loser, []):
                took[loser].append((key, winner))
    from reader.ui.app import key_scopes

    known = catalogue()
    main = set(key_scopes())
    out = {}
    for ident, lost in took.items():
        keys = {k for k in effective.get(ident, known[ident].key).split(",") if k}
        live = [
            screen
            for screen, classes in _scopes().items()
            if any(item is known[ident] for item, _ in taken_keys.in_order(classes))
        ]
        live = [screen for screen in live if screen in main] or live
        if not any(keys - held.get((ident, screen), set()) for screen in live):
            out[ident] = lost
    return out


def _scopes() -> dict[str, list[type]]:
    """The classes whose bindings are live together, per screen and per panel focused in one
    (focused widget first)."""
    from reader.ui.app import key_scopes

    return taken_keys.complete(key_scopes())


def keymap_problems(keymap: dict[str, str]) -> list[str]:
    """One line per key that cannot exist, per key bound to two of the user's bindings on one
    screen (the binding that wins is named: the focused widget's, then the screen's, then the
    app's), and per default binding the user's took every key from. A key the user binds
    that a default had is no problem: the user's wins."""
    problems = []
    effective = effective_keymap(keymap)
    taken = _taken_everywhere(effective)
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
        if winner in keymap and loser in keymap:
            problems.append(
                f"[keymap] {key!r} is bound to both {winner} and {loser} on {screen}; {winner} wins"
            )
    for ident, lost in _left_without_a_key(keymap).items():
        if lost:
            keys = " and ".join(repr(key) for key, _ in lost)
            yours = " and ".join(dict.fromkeys(user for _, user in lost))
            problems.append(
                f"[keymap] the default {ident} is now unbound from {keys} (yours for {yours}) "
                f"and has no key left; give it one under [keymap] to keep it"
            )
    return problems
