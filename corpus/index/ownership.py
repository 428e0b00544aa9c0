"""Whose file is at the cache path: only a file that is provably a newsreader index is ever
deleted, rebuilt or moved aside.

Ours: an SQLite file whose header carries `APPLICATION_ID`, or a cache from before the
application id whose `meta` table carries a newsreader version stamp. Anything else (an
annotation store, another program's database, a FIFO) raises `ForeignCacheError` and is
left untouched.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from corpus.index.cache import APPLICATION_ID
from corpus.index.db import sqlite_uri
from corpus.index.errors import ForeignCacheError
from corpus.untrusted import UnreadableFile, read_file_head

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_HEADER = 100


def _foreign(path: Path, what: str) -> ForeignCacheError:
    return ForeignCacheError(
        f"{path} is not a newsreader index cache ({what}); it was left untouched. Give "
        f"--cache a new file name, or the path of an index cache",
        path,
    )


def _legacy_index_version(path: Path) -> str | None:
    """The `meta` version stamp of a cache written before `APPLICATION_ID`, else None."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    value = row[0] if row else None
    if isinstance(value, str) and value.startswith("schema=") and ";newsreader=" in value:
        return value
    return None


def cache_ownership(path: Path) -> str:
    """ "missing", "empty" or "ours" for the file at `path`; `ForeignCacheError` for the rest.

    Ours: an SQLite file whose header carries `APPLICATION_ID` (damaged pages behind the
    header do not matter), or a cache from before the application id whose `meta` table
    carries a newsreader version stamp. An empty file holds nothing to lose.
    """
    try:
        head = read_file_head(path, _SQLITE_HEADER)
    except UnreadableFile as error:
        if isinstance(error.__cause__, FileNotFoundError):
            return "missing"
        raise _foreign(path, str(error)) from None
    if not head:
        return "empty"
    if not head.startswith(_SQLITE_MAGIC):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        looks = (
            "it holds JSON text: an annotation store?"
            if text[:1] in (b"{", b"[")
            else ("it is not an SQLite database")
        )
        raise _foreign(path, looks)
    if len(head) == _SQLITE_HEADER and int.from_bytes(head[68:72], "big") == APPLICATION_ID:
        return "ours"
    if _legacy_index_version(path) is not None:
        return "ours"
    raise _foreign(path, "an SQLite database of another program, or one too damaged to tell")
