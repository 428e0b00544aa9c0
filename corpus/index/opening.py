"""Opening a cache file: created when new, rebuilt when ours and stale or damaged, searched as
it is where it cannot be written, and set aside when damage is met later on.

The cache is disposable, but only our own: a cache written by another version of the
schema, of newsreader or of the analysis code is deleted and rebuilt, never misread; a
damaged one (a missing table, an FTS index that fails to open, pages that do not decode) is
moved aside as `<name>.damaged` and rebuilt, with a line in the notices. Only a file that is
provably a newsreader index (`cache_ownership`) or sits in newsreader's own cache folder is
ever deleted or moved. On a read-only file system the cache is opened as it is (`immutable`)
and searched, never rebuilt; a full disk that leaves SQLite unable to open it for writing
does the same with a cache that is current and whole.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from corpus.index.cache import note_code_stat
from corpus.index.db import BUSY_TIMEOUT_SECONDS, IndexDB, RefreshLock, sqlite_uri
from corpus.index.errors import (
    CacheWriteError,
    ForeignCacheError,
    cache_damage,
    write_failure,
)
from corpus.index.ownership import cache_ownership
from corpus.index.schema import add_person_names, cache_problem, create_if_new


def file_inode(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def on_read_only_file_system(path: Path) -> bool:
    """Whether the folder `path` is in (or would be in) is on a read-only file system."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): writes will say so
        return False


class CacheOpener:
    """Opens `db`'s file for recogniser `ner`, and sets it aside when damage is met.

    `owned`: the path is in newsreader's own cache folder (`default_cache_path`), so
    whatever file is there is ours to rebuild. Elsewhere (`--cache FILE`) only a file that
    is provably a newsreader index is ever deleted. What was done that the user should hear
    about (a rebuild) is appended to `notices`.
    """

    def __init__(self, db: IndexDB, ner: str, owned: bool, notices: list[str]) -> None:
        self.db = db
        self.ner = ner
        self.owned = owned
        self.notices = notices

    def open(self, *, again: bool = True) -> None:
        """Open the cache; create it, or rebuild it if it is ours and stale or damaged.

        Raises `ForeignCacheError`, `CacheWriteError` (cannot be created or rebuilt), OSError.
        """
        path = self.db.path
        state = self._ownership()
        if on_read_only_file_system(path):
            self._open_read_only(state, "the file system is read-only", immutable=True)
            return
        if state == "ours" and not os.access(path, os.W_OK):
            self._open_read_only(state, "the file is read-only", immutable=False)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if state == "ours" and (problem := self._problem()) is not None:
                with RefreshLock(path, None):  # no other process is rebuilding it meanwhile
                    problem = self._problem()  # (it may have been rebuilt while we waited)
                    if problem == "stale":
                        self._delete_files()
                    elif problem is not None:
                        aside = self._move_aside()
                        self.notices.append(
                            f"the index cache {path} was damaged ({problem}); it was moved to "
                            f"{aside} and is rebuilt"
                        )
            create_if_new(path, self.ner)
            add_person_names(self.db)
            note_code_stat(self.db)
            self.db.inode = file_inode(path)
        except (sqlite3.Error, OSError) as error:
            self.db.close()
            damage = cache_damage(error)
            if damage is not None and state == "ours" and again:  # damage the checks missed
                with RefreshLock(path, None):
                    aside = self._move_aside()
                self.notices.append(
                    f"the index cache {path} was damaged ({damage}); it was moved to {aside} "
                    f"and is rebuilt"
                )
                self.open(again=False)
                return
            if damage is not None or (reason := write_failure(error, path)) is None:
                raise
            if state != "ours" or self._problem_when_read_only() is not None:
                raise self.db.write_error("cannot write", error, reason) from error
            # A full disk: SQLite cannot even make the shared-memory file a reader needs.
            # A cache that is current and whole is still read, as on a read-only disk.
            self._open_read_only(state, reason, immutable=True)

    def set_aside(self, error: BaseException) -> None:
        """After an operation met damage (`cache_damage(error)`): close, move the file aside.

        Raises `CacheWriteError` when the cache cannot be rebuilt (read-only) and `error`
        itself when it is no damage. The caller opens the cache anew (`open`).
        """
        damage = cache_damage(error)
        if damage is None:
            raise error
        path = self.db.path
        if self.db.read_only:
            raise CacheWriteError(
                f"the index cache {path} is damaged ({damage}) and cannot be "
                f"rebuilt: it is read-only; choose a writable place with --cache",
                path,
            ) from error
        self.db.close()
        with RefreshLock(path, None):
            # moved only if it is still the file that failed (not one rebuilt meanwhile)
            if file_inode(path) == self.db.inode:
                aside = self._move_aside()
                self.notices.append(
                    f"the index cache {path} was damaged ({damage}); it was moved "
                    f"to {aside} and is rebuilt"
                )

    def _ownership(self) -> str:
        """`cache_ownership`, except that anything in our own cache folder is ours."""
        try:
            return cache_ownership(self.db.path)
        except ForeignCacheError:
            if self.owned and self.db.path.is_file():
                return "ours"
            raise

    def _problem(self) -> str | None:
        """None when the cache can be used; "stale" (another version); else what is damaged."""
        try:
            conn = sqlite3.connect(self.db.path, timeout=BUSY_TIMEOUT_SECONDS)
            try:
                return cache_problem(conn, self.ner)
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            if (damage := cache_damage(error)) is not None:
                return damage
            raise

    def _problem_when_read_only(self) -> str | None:
        try:
            conn = sqlite3.connect(sqlite_uri(self.db.path, mode="ro", immutable="1"), uri=True)
            try:
                return cache_problem(conn, self.ner)
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            return cache_damage(error) or str(error)

    def _open_read_only(self, state: str, where: str, *, immutable: bool) -> None:
        """A cache that cannot be written is searched as it is, if it is current and whole.

        `immutable` (a read-only file system, a full disk): SQLite reads the file without
        the shared-memory file and locks, as nobody can change it meanwhile.
        """
        db = self.db
        path = db.path
        db.read_only = True
        db.immutable = immutable
        db.read_only_reason = where
        if state != "ours":
            raise CacheWriteError(
                f"cannot create the index cache {path}: {where}; choose a writable place with "
                f"--cache",
                path,
            )
        try:
            problem = cache_problem(db.conn(), self.ner)
        except sqlite3.DatabaseError as error:
            problem = cache_damage(error) or str(error)
        if problem is not None:
            db.close()
            what = (
                "was written by another version of newsreader"
                if problem == "stale"
                else f"is damaged ({problem})"
            )
            raise CacheWriteError(
                f"the index cache {path} {what} and cannot be rebuilt: {where}; choose a "
                f"writable place with --cache",
                path,
            )
        db.inode = file_inode(path)

    def _delete_files(self) -> None:
        """Delete the cache and its sidecars (called only for a file that is ours)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.db.path}{suffix}")

    def _move_aside(self) -> Path:
        """Rename the cache and its sidecars to `<name>.damaged` (replacing an older one)."""
        path = self.db.path
        aside = path.with_name(path.name + ".damaged")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
            except FileNotFoundError:  # keep the set consistent: no older sidecar stays
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{aside}{suffix}")
        return aside
