"""Where things live (database, config, bundled sample) and the user's config file."""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from reader.entities import BACKENDS
from reader.files import NotRegular, read_regular
from reader.textutil import os_reason

APP = "newsreader"


class ConfigError(ValueError):
    """The config file is unreadable or has a wrong value; the message says where."""


def default_db_path() -> Path:
    """``NEWSREADER_DB``, else ``newsreader.db`` in the user data directory."""
    env = os.environ.get("NEWSREADER_DB")
    return Path(env) if env else Path(user_data_dir(APP, appauthor=False)) / "newsreader.db"


def config_path() -> Path:
    """``NEWSREADER_CONFIG``, else ``newsreader/config.toml`` in the user config directory."""
    env = os.environ.get("NEWSREADER_CONFIG")
    return Path(env) if env else Path(user_config_dir(APP, appauthor=False)) / "config.toml"


def bundled_feeds() -> Path:
    """The sample shipped with the package (installed copy first, then the source tree)."""
    here = Path(__file__).resolve().parent
    installed = here / "_feeds"
    return installed if installed.is_dir() else here.parent / "feeds"


def sample_digest() -> str:
    """A short digest of the bundled sample's files and this version: names its cached store."""
    import hashlib

    from reader import __version__

    root = bundled_feeds()
    # The folder is part of it: two installs (or checkouts) of the same version each have
    # their own sample store, whose articles name their own files.
    digest = hashlib.blake2b(f"{__version__}\0{root}".encode(), digest_size=6)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def sample_db_path() -> Path:
    """Where the bundled sample's own store is cached (never in the user's database)."""
    return Path(user_cache_dir(APP, appauthor=False)) / f"sample-{sample_digest()}.db"


@dataclass(frozen=True)
class Config:
    """The user's settings, with defaults for everything."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    entities_backend: str = "rules"
    refresh_minutes: float | None = None  # the reader refreshes subscriptions this often
    ignore: tuple[str, ...] = ()  # queries whose matches are hidden everywhere
    path: Path | None = None


KNOWN_KEYS = ("theme", "keymap", "entities", "refresh_minutes", "ignore")
ENTITIES_KEYS = ("backend",)  # the settings of the [entities] table
# The shortest timed refresh: every feed asked at most once a minute (and a fraction of a
# minute, nan or inf made the reader's timer spin: a blank screen at 100% CPU).
MIN_REFRESH_MINUTES = 1
# The longest: a week. A longer interval refreshes nothing in a session, and an absurd one
# breaks the timer: 1e300 minutes overflows Textual's Windows sleep (a count of 100 ns in a
# float: OverflowError), and from about 1.5e10 minutes its 64-bit count wraps around.
MAX_REFRESH_MINUTES = 7 * 24 * 60
MAX_CONFIG_BYTES = 1 << 20  # a config file is a few lines; more is something else


def unknown_binding(ident: str, known: Iterable[str]) -> str:
    """The one line for a [keymap] id not in ``known``: the closest ids, and where all are."""
    close = difflib.get_close_matches(ident, sorted(known), n=3)
    hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
    return (
        f"unknown binding id {ident!r} in [keymap]{hint}; `newsreader --print-keymap` "
        "lists every id (with this entry taken out)"
    )


def keymap_entry_problem(ident: str, keys: str, known: Collection[str]) -> str | None:
    """What is wrong with one [keymap] entry, in one line (an unknown binding id, no keys, an
    empty key), or None. The reader (``reader.ui.keymap.validate_keymap``) and every other
    command (``load_config``) refuse the same entries in the same words."""
    if ident not in known:
        return unknown_binding(ident, known)
    listed = [k.strip() for k in keys.split(",")]
    if not any(listed):
        return f"[keymap] {ident!r} has no keys"
    if not all(listed):
        return f"[keymap] {ident!r}: an empty key in {keys!r}"
    return None


def _check_keymap(path: Path, keymap: dict[str, str]) -> None:
    """Refuse what the reader refuses in a [keymap], for every command. (Keys that clash or
    that no terminal sends are the reader's warnings: judging them needs its screens.)"""
    from reader.keymap_ids import BINDING_IDS

    for ident, keys in keymap.items():
        if problem := keymap_entry_problem(ident, keys, BINDING_IDS):
            raise ConfigError(f"{path}: {problem}")


def load_config(path: Path | None = None) -> Config:
    """Read the TOML config; a missing file means defaults, unless ``NEWSREADER_CONFIG``
    named it (a mistyped name must not pass for an empty config)."""
    named = path is None and bool(os.environ.get("NEWSREADER_CONFIG"))
    path = path or config_path()
    if str(path) == os.devnull:  # the usual way to say "no config at all"
        return Config(path=path)
    try:
        content = read_regular(str(path), MAX_CONFIG_BYTES + 1)
        if len(content) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: larger than 1 MiB; not a config file")
        raw = content.decode("utf-8")
    except NotRegular as exc:  # /dev/zero never ends, a named pipe's open waits for ever
        if path.is_dir():
            raise ConfigError(f"{path}: a folder, not a config file") from None
        raise ConfigError(f"{path}: {exc}") from None
    except FileNotFoundError:
        if named:
            raise ConfigError(f"{path}: no such config file (named by NEWSREADER_CONFIG)") from None
        return Config(path=path)
    except IsADirectoryError:
        raise ConfigError(f"{path}: a folder, not a config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: {os_reason(exc)}") from exc
    import tomllib  # only when there is a file to parse: a few ms of every command's start-up

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f"{path}: [keymap] must map binding ids to key strings")
    _check_keymap(path, keymap)
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"{path}: theme must be a string")
    entities = data.get("entities", {})
    backend = entities.get("backend", "rules") if isinstance(entities, dict) else None
    if backend not in BACKENDS:
        raise ConfigError(f"{path}: [entities] backend must be one of {', '.join(BACKENDS)}")
    unknown = sorted(set(entities) - set(ENTITIES_KEYS)) if isinstance(entities, dict) else []
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r} in [entities]; its settings are "
            f"{', '.join(ENTITIES_KEYS)}"
        )
    minutes = data.get("refresh_minutes")
    if minutes is not None and (
        isinstance(minutes, bool)
        or not isinstance(minutes, int | float)
        or not math.isfinite(minutes)
        or not MIN_REFRESH_MINUTES <= minutes <= MAX_REFRESH_MINUTES
    ):
        raise ConfigError(
            f"{path}: refresh_minutes must be a number of minutes, at least {MIN_REFRESH_MINUTES}"
            f" and at most {MAX_REFRESH_MINUTES} (a week; leave it out for no timed refresh)"
        )
    ignore = data.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(q, str) for q in ignore):
        raise ConfigError(f'{path}: ignore must be a list of queries, e.g. ignore = ["sport"]')
    from reader.store.query import QueryError, parse  # the query language (no store opened)

    for rule in ignore:
        try:
            parse(rule, strict=True)
        except QueryError as exc:
            raise ConfigError(f"{path}: ignore rule {rule!r}: {exc}") from None
    unknown = sorted(set(data) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r}; the settings are {', '.join(KNOWN_KEYS)}"
        )
    return Config(
        theme=theme,
        keymap=dict(keymap),
        entities_backend=backend,
        refresh_minutes=float(minutes) if minutes is not None else None,
        ignore=tuple(q for q in ignore if q.strip()),
        path=path,
    )
