"""Where the annotation file lives by default."""

from __future__ import annotations

import os
from pathlib import Path

from corpus.untrusted import resolve_link
from corpus.userdirs import user_dir

__all__ = ["DB_ENV_VAR", "DB_FILE_NAME", "default_db_path", "resolve_db_path", "resolve_link"]

DB_ENV_VAR = "NEWSREADER_DB"
DB_FILE_NAME = "annotations.json"


def default_db_path() -> Path:
    """`$NEWSREADER_DB` if set, else the user data folder (~/.local/share/newsreader/ on Linux)."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return user_dir("data") / DB_FILE_NAME


def resolve_db_path(option: str | os.PathLike[str] | None) -> Path:
    """The store file for a `--db` option value: the value itself, else `default_db_path()`."""
    return Path(option).expanduser() if option else default_db_path()
