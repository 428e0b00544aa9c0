"""Where the annotation file lives by default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_ENV_VAR = "NEWSREADER_DB"
DB_FILE_NAME = "annotations.json"


def default_db_path() -> Path:
    """`$NEWSREADER_DB` if set, else the user data folder (~/.local/share/newsreader/ on Linux)."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir("newsreader", appauthor=False)) / DB_FILE_NAME


def resolve_db_path(option: str | os.PathLike[str] | None) -> Path:
    """The store file for a `--db` option value: the value itself, else `default_db_path()`."""
    return Path(option).expanduser() if option else default_db_path()


def resolve_link(path: Path) -> Path:
    """The file `path` names: a symbolic link (or a chain of them) resolved to its target.

    Only a link is resolved (the folders above stay as given, so messages show the path the
    user typed). A dangling link gives the path of its missing target, a link loop the path
    itself (opening it then fails with ELOOP, which is reported).
    """
    if not os.path.islink(path):
        return path
    return Path(os.path.realpath(path))
