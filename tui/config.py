"""The user's config file: key rebinding, quick tags for 1-9, theme.

Read from `$NEWSREADER_CONFIG`, else `<user config dir>/newsreader/config.toml`
(`$XDG_CONFIG_HOME/newsreader/config.toml` on Linux). Example::

    theme = "gruvbox"

    [keys]            # binding id = "key,other-key" (ids are listed by `?` in the app)
    tag = "t,plus"
    star = "S"

    [quick_tags]      # slot = tag; the keys 1-9 toggle these tags on the open article
    1 = "important"
    2 = "follow-up"
    4 = "misinformation"

A missing file gives the defaults; a broken one gives the defaults plus a message the app
shows as a notification (never an exception at start-up).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir

DEFAULT_QUICK_TAGS: dict[int, str] = {1: "important", 2: "follow-up", 3: "fact-check"}


@dataclass(frozen=True, slots=True)
class AppConfig:
    """Settings read from the config file (or the defaults)."""

    keymap: dict[str, str] = field(default_factory=dict)
    quick_tags: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_QUICK_TAGS))
    theme: str | None = None
    path: Path | None = None
    problems: tuple[str, ...] = ()


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "plus": "+",
    "minus": "-",
}


def key_display(keys: str) -> str:
    """How a binding's keys read in the help and the palette: "right_square_bracket" -> "]"."""
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def default_config_path() -> Path:
    """Where the config file is looked for."""
    override = os.environ.get("NEWSREADER_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir("newsreader", appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> AppConfig:
    """Read the config file; problems are collected, never raised."""
    path = path or default_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return AppConfig(path=path)
    except OSError as error:
        return AppConfig(path=path, problems=(f"config {path}: {error.strerror or error}",))
    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as error:
        return AppConfig(path=path, problems=(f"config {path}: {error}; using the defaults",))
    return parse_config(data, path)


def parse_config(data: dict[str, object], path: Path | None = None) -> AppConfig:
    """Build an `AppConfig` from parsed TOML, skipping (and reporting) bad entries."""
    problems: list[str] = []
    where = f"config {path}" if path else "config"
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if isinstance(keys, dict):
        for binding_id, value in keys.items():
            if isinstance(value, str) and value.strip():
                keymap[str(binding_id)] = value.replace(" ", "")
            else:
                problems.append(f'{where}: [keys] {binding_id} must be a string like "t,plus"')
    else:
        problems.append(f"{where}: [keys] must be a table")
    quick_tags = dict(DEFAULT_QUICK_TAGS)
    slots = data.get("quick_tags")
    if isinstance(slots, dict):
        quick_tags = {}
        for slot, tag in slots.items():
            try:
                number = int(slot)
            except ValueError:
                number = 0
            if not 1 <= number <= 9 or not isinstance(tag, str) or not tag.strip():
                problems.append(f'{where}: [quick_tags] {slot} must be 1-9 = "tag"')
                continue
            quick_tags[number] = tag.strip()
    elif slots is not None:
        problems.append(f"{where}: [quick_tags] must be a table")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        problems.append(f"{where}: theme must be a string")
        theme = None
    return AppConfig(
        keymap=keymap, quick_tags=quick_tags, theme=theme, path=path, problems=tuple(problems)
    )
