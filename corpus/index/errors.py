"""What goes wrong with an index cache: the exceptions it raises, and which errors are damage.

SQLite says little about why a statement failed; `cache_damage` and `write_failure` tell the
two cases the index acts on apart: damage (a rebuild cures it: the cache is moved aside) and
a write that cannot be made (a full disk, a read-only file: the cache is as it was).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path


class IndexCacheError(Exception):
    """A problem with the index cache file; the message names the file and what to do."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ForeignCacheError(IndexCacheError):
    """The cache path holds something that is not provably a newsreader index: untouched."""


class CacheWriteError(IndexCacheError):
    """The cache cannot be written (a full disk, a read-only file system): it is as it was."""


class IndexNotCurrent(Exception):
    """The index does not hold what analysing the corpus now would give; the message says why."""


class DamagedCacheError(sqlite3.DatabaseError):
    """Damage met in the cache: a row that does not decode, a page `check` finds bad.

    `reason` is what is damaged, in a few words; the message may say more.
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = " ".join((reason or message).split())


_DAMAGE_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_SHORT_READ = 522  # SQLITE_IOERR_SHORT_READ: the file is shorter than its pages say
_DAMAGE_WORDS = (
    "malformed",
    "file is not a database",
    "no such table",
    "no such column",
    "vtable constructor failed",
    "invalid fts5 file format",
    "fts5: corrupt",
    "damaged",
)
_WRITE_CODES = {
    13: "the disk is full",  # SQLITE_FULL
    8: "the file is read-only",  # SQLITE_READONLY
    10: "an input/output error (or a file size limit) while writing",  # SQLITE_IOERR
    14: "its files cannot be created",  # SQLITE_CANTOPEN
}
_WRITE_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this system allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """`error` and the errors it was raised from or while handling (a ROLLBACK that failed)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def cache_damage(error: BaseException) -> str | None:
    """What is damaged when `error` comes from a damaged cache file, else None.

    Damage is what a rebuild cures: SQLite's "malformed" and "not a database", a table or
    column that the schema has and the file lacks, an FTS index that fails to open, a row
    that does not decode (`DamagedCacheError`). Raised in a worker process, an error arrives
    as its message only, so the words are checked too.
    """
    for link in _chain(error):
        if isinstance(link, DamagedCacheError):
            return link.reason
        if isinstance(link, sqlite3.DatabaseError):
            code = getattr(link, "sqlite_errorcode", None)
            text = str(link)
            if code is not None and (code & 0xFF in _DAMAGE_CODES or code == _SHORT_READ):
                return text
            if any(word in text.lower() for word in _DAMAGE_WORDS):
                return text
    return None


def write_failure(error: BaseException, path: Path | None = None) -> str | None:
    """Why a write to the cache failed (a full disk ...), or None if `error` is no such thing.

    SQLite reports some writes that fail for lack of space as a plain I/O error; with the
    cache's `path`, the free space of its file system tells them apart.
    """
    for link in _chain(error):
        if isinstance(link, sqlite3.DatabaseError):
            code = getattr(link, "sqlite_errorcode", None)
            if code is not None and code != _SHORT_READ and code & 0xFF in _WRITE_CODES:
                if code & 0xFF == 10 and path is not None and _disk_full(path):
                    return "the disk is full"
                return _WRITE_CODES[code & 0xFF]
            if "disk is full" in str(link):
                return "the disk is full"
        elif isinstance(link, OSError) and link.errno in _WRITE_ERRNOS:
            return _WRITE_ERRNOS[link.errno]
    return None


def _disk_full(path: Path) -> bool:
    try:
        info = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024
