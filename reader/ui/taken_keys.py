"""The keys a user's keymap takes from the default bindings: wherever one of the user's bindings
is live, a default that would get its key first loses the key. A small module (the app applies
it, the keymap's checks and ``--print-keymap`` report it), given the screens' bindings by its
caller, which it completes with the panels inside each screen and the modal screens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

Scopes = Mapping[str, Sequence[type]]  # per screen, the classes whose bindings are live there

EVERY_SCREEN = "every screen"
"""Where a priority binding of the user's takes a key (Textual tries those first everywhere)."""

Rank = tuple[int, int]


def _panels() -> dict[type, list[tuple[str, type]]]:
    """The widgets with bindings of their own that take the focus inside a screen, by screen,
    each with the name of that scope (a screen's and the app's bindings stay live there)."""
    from reader.ui.screens.article import ArticleScreen, BlockScroll
    from reader.ui.screens.entity import EntityScreen
    from reader.ui.screens.headlines import HeadlinesScreen
    from reader.ui.widgets.entity_panel import EntityPanel
    from reader.ui.widgets.find_bar import FindBar
    from reader.ui.widgets.search_bar import SearchBar
    from reader.ui.widgets.sources_panel import SourcesPanel

    return {
        HeadlinesScreen: [("the sources panel", SourcesPanel), ("the search bar", SearchBar)],
        ArticleScreen: [
            ("a code block or table", BlockScroll),
            ("an article's entity panel", EntityPanel),
            ("the find bar", FindBar),
        ],
        EntityScreen: [("an entity's related panel", EntityPanel)],
    }


def _modals() -> list[tuple[str, type]]:
    """The modal screens with bindings that are no scope of their own in ``key_scopes``."""
    from reader.ui.screens.confirm import Confirm
    from reader.ui.screens.help import HelpScreen
    from reader.ui.screens.prompt import Prompt

    return [("the help", HelpScreen), ("a question", Confirm), ("a prompt", Prompt)]


def complete(scopes: Scopes) -> dict[str, list[type]]:
    """The caller's scopes, and for each screen in them the same scope with each of its panels
    focused (a panel's scope given alone is replaced by its full one), and the modal screens
    not in them, over the app."""
    out = {name: list(classes) for name, classes in scopes.items()}
    panels = _panels()
    apps = [cls for classes in scopes.values() for cls in classes if issubclass(cls, App)]
    for classes in scopes.values():
        at = next((i for i, cls in enumerate(classes) if issubclass(cls, Screen)), None)
        if at is not None:
            for name, panel in panels.get(classes[at], []):
                out[name] = [panel, *classes[at:]]
    present = {cls for classes in out.values() for cls in classes}
    app = apps[:1]
    for name, modal in _modals():
        if modal not in present:
            out[name] = [modal, *app]
    return out


def in_order(classes: Sequence[type]) -> list[tuple[Binding, Rank]]:
    """The bindings with an id live while ``classes[0]`` has the focus (its ancestors after
    it), in the order Textual tries them on a key, with that rank: the priority bindings first
    (the app's first), then the others from the focused widget up, up to a modal screen (the
    app's others are not live above one). Within one class, the first listed is tried first,
    but a remapped binding goes after the defaults: equal ranks can go either way."""
    found: list[tuple[Binding, Rank]] = []
    modal = False
    for at, cls in enumerate(classes):
        for item in cls.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding) and item.id and (item.priority or not modal):
                found.append((item, (0, -at) if item.priority else (1, at)))
        modal = modal or issubclass(cls, ModalScreen)
    return sorted(found, key=lambda pair: pair[1])


def taken_from_defaults(
    keymap: Mapping[str, str], scopes: Scopes
) -> dict[str, list[tuple[str, str, str]]]:
    """Per default binding (an id the user did not remap), the keys the user's bindings take
    from it: ``(key, the user's id, screen)``. A default loses a key (everywhere: a keymap is
    per id) if it could get it before the user's binding on a screen where both are live, or
    if the user's gets it first wherever the default is live (it never reaches the default). A
    priority default keeps its keys (``keymap_problems`` says the user's cannot have them)."""
    taken: dict[str, list[tuple[str, str, str]]] = {}
    beaten: dict[tuple[str, str], tuple[str, str]] = {}  # (default, key) → first user, screen
    reached: set[tuple[str, str]] = set()  # (default, key) on a screen with no user's key
    for screen, classes in complete(scopes).items():
        users: dict[str, tuple[Binding, Rank]] = {}  # key → the user's first binding
        defaults: list[tuple[str, str, Rank]] = []  # key, id, rank
        for item, rank in in_order(classes):
            assert item.id is not None
            if item.id in keymap:
                for key in keymap[item.id].split(","):
                    users.setdefault(key, (item, rank))
            elif not item.priority:
                defaults.extend((key, item.id, rank) for key in item.key.split(","))
        for key, ident, rank in defaults:
            if key not in users:
                reached.add((ident, key))
                continue
            user, first = users[key]
            where = EVERY_SCREEN if user.priority else screen
            assert user.id is not None
            if rank <= first:
                lost = taken.setdefault(ident, [])
                if all(k != key for k, _, _ in lost):
                    lost.append((key, user.id, where))
            else:
                beaten.setdefault((ident, key), (user.id, where))
    for (ident, key), (user_id, where) in beaten.items():
        lost = taken.get(ident, [])
        if (ident, key) not in reached and all(k != key for k, _, _ in lost):
            taken.setdefault(ident, []).append((key, user_id, where))
    return taken


def effective_keymap(keymap: Mapping[str, str], scopes: Scopes) -> dict[str, str]:
    """The user's keymap and, for each default that loses keys to it, the keys it keeps
    (``""``: none; Textual is to be given ``NO_KEY`` for it)."""
    out = dict(keymap)
    taken = taken_from_defaults(keymap, scopes)
    for classes in complete(scopes).values():
        for cls in classes:
            for item in cls.__dict__.get("BINDINGS", []):
                if isinstance(item, Binding) and item.id in taken and item.id not in out:
                    gone = {key for key, _, _ in taken[item.id]}
                    out[item.id] = ",".join(k for k in item.key.split(",") if k not in gone)
    return out
