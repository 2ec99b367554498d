"""The keys a user's keymap takes from the default bindings: on a screen where a default and
one of the user's bindings share a key, the user's wins. A leaf module (the app applies it, the
keymap's checks and ``--print-keymap`` report it), given the screens' bindings by its caller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.binding import Binding

NO_KEY = "<no key>"
"""What Textual is given for a binding left without a key (a key no terminal sends: an empty
string would leave the binding its default keys)."""

Scopes = Mapping[str, Sequence[type]]  # per screen, the classes whose bindings are live there


def taken_from_defaults(
    keymap: Mapping[str, str], scopes: Scopes
) -> dict[str, list[tuple[str, str, str]]]:
    """Per default binding (an id the user did not remap), the keys the user's bindings take
    from it: ``(key, the user's id, screen)``. The default loses such a key (everywhere: a
    keymap is per id), unless the user's binding already comes first on that screen (the
    focused widget's bindings before the screen's, the screen's before the app's)."""
    taken: dict[str, list[tuple[str, str, str]]] = {}
    for screen, classes in scopes.items():
        users: dict[str, tuple[str, int]] = {}  # key → the user's first binding, its class
        defaults: list[tuple[str, str, int]] = []  # key, id, class
        for at, cls in enumerate(classes):
            for item in cls.__dict__.get("BINDINGS", []):
                if not isinstance(item, Binding) or not item.id:
                    continue
                if item.id in keymap:
                    for key in keymap[item.id].split(","):
                        users.setdefault(key, (item.id, at))
                else:
                    defaults.extend((key, item.id, at) for key in item.key.split(","))
        for key, ident, at in defaults:
            if key in users and at <= users[key][1]:
                lost = taken.setdefault(ident, [])
                if all(k != key for k, _, _ in lost):
                    lost.append((key, users[key][0], screen))
    return taken


def effective_keymap(keymap: Mapping[str, str], scopes: Scopes) -> dict[str, str]:
    """The user's keymap and, for each default that loses keys to it, the keys it keeps
    (``""``: none; Textual is to be given ``NO_KEY`` for it)."""
    out = dict(keymap)
    taken = taken_from_defaults(keymap, scopes)
    for classes in scopes.values():
        for cls in classes:
            for item in cls.__dict__.get("BINDINGS", []):
                if isinstance(item, Binding) and item.id in taken and item.id not in out:
                    gone = {key for key, _, _ in taken[item.id]}
                    out[item.id] = ",".join(k for k in item.key.split(",") if k not in gone)
    return out
