"""Where things live (database, config, bundled sample) and the user's config file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from reader.entities import BACKENDS

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


@dataclass(frozen=True)
class Config:
    """The user's settings, with defaults for everything."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    entities_backend: str = "rules"
    path: Path | None = None


def load_config(path: Path | None = None) -> Config:
    """Read the TOML config; a missing file means defaults."""
    path = path or config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    import tomllib  # only when there is a file to parse: a few ms of every command's start-up

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f"{path}: [keymap] must map binding ids to key strings")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"{path}: theme must be a string")
    entities = data.get("entities", {})
    backend = entities.get("backend", "rules") if isinstance(entities, dict) else None
    if backend not in BACKENDS:
        raise ConfigError(f"{path}: [entities] backend must be one of {', '.join(BACKENDS)}")
    return Config(theme=theme, keymap=dict(keymap), path=path, entities_backend=backend)
