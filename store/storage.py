"""A TinyDB storage that never loses a write: atomic replace, an OS lock, a validated cache.

TinyDB's own `JSONStorage` rewrites the file in place (a kill mid-write leaves half a file)
and re-reads and re-serialises everything on every operation. `AtomicJSONStorage`:

- writes a temporary file in the same folder, flushes and fsyncs it, keeps the previous file
  as `<name>.bak` (a hard link, so it costs nothing), renames the new file over the old one
  and fsyncs the folder: a crash at any moment leaves the old or the new file, never a mix;
- does every read-modify-write inside `transaction()`, which holds an exclusive OS lock
  (`filelock`: flock on POSIX, msvcrt on Windows) on a sidecar `<name>.lock` file and re-reads
  the file first if anyone else changed it, so two processes never lose each other's writes;
- keeps the parsed file in memory, valid while the file's inode, size, mtime and ctime are
  unchanged (one `stat` per read), and the encoded line of every record, so a write
  re-serialises only the records that changed;
- refuses to write over a file it could not parse (corrupt, from a future version, a
  directory) or that has no write permission;
- reads only a regular file, at most `MAX_STORE_BYTES`, and never blocks: a FIFO, a device
  (`/dev/zero`) or a socket at the store path is refused by name (`corpus.untrusted`);
- resolves a store path that is a symbolic link once, so the lock, the `.bak` and every
  write are beside and on the file it points to (a store kept in a synced folder or a git
  checkout stays a link, and writers through the link and through the target exclude each
  other).

`atomic_write_bytes` is the one writer of every file newsreader writes (the store, exports,
quotes, drafts): it renames only over a regular file and writes into a FIFO or device as a
stream when asked to.

TinyDB sees the usual `{table: {doc_id: document}}` dict; `store.records` owns the file text.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from corpus.untrusted import UnreadableFile, file_kind, read_regular_file
from store.errors import (
    CorruptStoreError,
    FutureSchemaError,
    ReadOnlyStoreError,
    StoreError,
    StoreLockTimeout,
    StoreReadError,
    StoreWriteError,
)
from store.paths import resolve_link
from store.records import (
    ARTICLES_TABLE,
    SCHEMA_VERSION,
    parse_store_bytes,
    record_line,
    store_bytes,
)

MAX_STORE_BYTES = 512 * 1024 * 1024
"""A larger annotation file is refused (a store of 100,000 annotated articles is ~50 MB)."""

Tables = dict[str, dict[str, Any]]
Signature = tuple[int, ...]
_MISSING: Signature = (-1,)

_WRITE_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this system allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EISDIR: "there is a directory in the way",
    errno.ENOTDIR: "a folder in the path is a file",
    errno.EIO: "an input/output error",
}


def describe_os_error(error: OSError) -> str:
    """A short human reason for an OS error (errno-specific where it helps)."""
    if error.errno in _WRITE_PROBLEMS:
        return _WRITE_PROBLEMS[error.errno]
    return error.strerror or str(error)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable (a no-op where directories cannot be fsynced)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def temporary_name(path: Path) -> Path:
    """A unique hidden temporary file next to `path` (same folder, so rename is atomic)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


class NotRegularFileError(OSError):
    """`path` names something a written file must not replace (a FIFO, a device, a folder).

    The message says what it is; nothing was written.
    """


def atomic_write_bytes(
    path: Path,
    data: bytes,
    *,
    mode: int | None = None,
    backup: Path | None = None,
    streams: bool = False,
) -> None:
    """Write `data` to `path` without ever replacing what is not a regular file.

    This is the one writer of every file newsreader writes (the store, exports, quotes):

    - a regular file, or nothing yet: a temp file in the same folder is written, fsynced,
      [the previous file kept as `backup`], renamed over `path`, and the folder fsynced, so
      a crash leaves the old or the new file, never a mix;
    - a symbolic link: the same, on the file it points to (resolved once); the link stays;
    - a FIFO or a character device (`-o /dev/null`, `-o /dev/stdout`, a named pipe) with
      `streams=True`: written into as a stream, never replaced; a FIFO that nobody reads is
      refused at once instead of blocking;
    - anything else (a folder, a socket, a block device, a FIFO or device without `streams`):
      `NotRegularFileError`, nothing written.

    `mode` defaults to the existing file's permissions (0o644 for a new file). With `backup`,
    the previous file stays reachable under that name (hard link, copy where links fail).
    Raises OSError; the old file is untouched when it does.
    """
    path = Path(path)
    try:
        info: os.stat_result | None = os.stat(path)  # follows links
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if streams and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
            _write_stream(path, data)
            return
        raise NotRegularFileError(
            f"{file_kind(info.st_mode)}, not a regular file; it was not replaced"
        )
    path = resolve_link(path)
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
    tmp = temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        if backup is not None:
            keep_backup(path, backup)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_directory(path.parent)


def _write_stream(path: Path, data: bytes) -> None:
    """Write `data` into a FIFO or character device as a stream (see `atomic_write_bytes`)."""
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO with no reader: open would block forever
            raise NotRegularFileError(
                "a FIFO that nothing is reading from; nothing was written"
            ) from None
        raise
    try:
        info = os.fstat(fd)
        if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
            # swapped for a regular file since the stat: writing in place would mix old
            # and new bytes
            raise NotRegularFileError("changed while it was opened; nothing was written")
        os.set_blocking(fd, True)
        write_all(fd, data)
    finally:
        os.close(fd)


def keep_backup(path: Path, backup: Path) -> None:
    """Make `backup` a copy of the current `path` (if it exists) before `path` is replaced."""
    staged = backup.with_name(backup.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(staged)
    try:
        os.link(path, staged)
    except FileNotFoundError:
        return
    except OSError:  # no hard links here (FAT, some network file systems): copy instead
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    os.replace(staged, backup)


class FileLock:
    """An exclusive OS lock on a sidecar file, shared by threads and processes alike.

    The lock is the `filelock` package's (`flock` on POSIX, `msvcrt.locking` on Windows, a
    lock file's existence where the file system has neither). A new lock object is made per
    acquisition, so two `FileLock`s on one path in one process exclude each other too. The
    lock file stays when released: removing it could let a second writer lock a new file
    while a third still holds the old one.
    """

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        import filelock  # imported when the store first writes: commands that only read skip it

        lock = filelock.FileLock(
            self.path,
            timeout=self.timeout,
            mode=0o600,
            thread_local=False,
            poll_interval=0.005,
            preserve_lock_file=True,
        )
        try:
            lock.acquire()
        except filelock.Timeout:
            raise StoreLockTimeout(
                f"annotation file is locked by another process for over "
                f"{self.timeout:g} s: {self.path}",
                self.path,
            ) from None
        except OSError as error:
            raise StoreWriteError(
                f"cannot lock annotation file: {self.path}: {describe_os_error(error)}",
                self.path,
            ) from error
        try:
            yield
        finally:
            lock.release()


class AtomicJSONStorage(Storage):
    """TinyDB storage over one annotation file; see the module docstring.

    TinyDB calls `read()` and `write()`; writes are only allowed inside `transaction()`
    (the annotation store opens one around every change), where they update memory and the
    file is written once when the transaction ends.
    """

    def __init__(self, path: Path, read_only: bool = False, lock_timeout: float = 30.0) -> None:
        super().__init__()
        # A link (a store kept in a synced folder or a git checkout) is resolved once: the
        # lock, the backup and every write are beside and on the file it points to.
        self.path = resolve_link(Path(path))
        self.shown = str(path) if self.path == Path(path) else f"{path} (a link to {self.path})"
        """The file as messages name it: as given, and its target when it is a link."""
        self.read_only = read_only
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"), lock_timeout)
        self.loaded_version = SCHEMA_VERSION
        """The schema version of the file as last read (older versions are migrated)."""
        self.problem: StoreError | None = None
        """Read-only stores only: why the main file could not be used (the .bak is shown)."""
        self.generation = 0
        """Bumped every time the file is (re)loaded from disk."""
        self.replay: Callable[[], None] | None = None
        """Called after a reload outside a transaction, to re-apply changes not yet saved."""
        self._tables: Tables | None = None
        self._diverged = False  # memory holds replayed changes the file does not have
        self._signature: Signature | None = None
        self._active = 0  # > 0 inside a transaction or a replay: reads and writes hit memory
        self._changed = False
        self._dirty: set[str] = set()
        self._lines: dict[str, bytes] = {}
        self._order: list[str] | None = None
        self._swept_temporaries = False
        self._thread_lock = threading.RLock()

    # --- TinyDB interface -------------------------------------------------------------------

    def read(self) -> Tables | None:
        with self._thread_lock:
            if not self._active:
                self._refresh(replay=True)
            return self._tables

    def write(self, data: Tables) -> None:
        with self._thread_lock:
            if not self._active:
                raise RuntimeError("AtomicJSONStorage.write outside transaction()")
            self._tables = data
            self._changed = True

    def close(self) -> None:
        pass

    # --- transactions -----------------------------------------------------------------------

    def mark_dirty(self, article_ids: Iterable[str]) -> None:
        """Declare records changed in place, so their lines are serialised again."""
        self._dirty.update(article_ids)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock the file, bring memory up to date with it, run the body, write once if changed.

        On any error the in-memory copy is dropped (the next read reloads the file), so memory
        never claims a state the file does not have.
        """
        if self.read_only:
            raise ReadOnlyStoreError(
                f"annotation store {self.shown} is open read-only; nothing was changed", self.path
            )
        with self._thread_lock:
            self._stat_signature()  # a FIFO or device at the path: refused before a lock file
            self._ensure_folder()  # is created beside it (next to /dev/null, say)
            with self.lock.held():
                self._refresh(replay=False)
                self._active += 1
                self._changed = False
                try:
                    yield
                    if self._changed:
                        self._commit()
                except BaseException:
                    self.invalidate()
                    raise
                finally:
                    self._active -= 1

    @contextlib.contextmanager
    def replaying(self) -> Iterator[None]:
        """Let TinyDB operations change memory only (used to re-apply unsaved changes)."""
        with self._thread_lock:
            self._changed = False
            self._active += 1
            try:
                yield
            finally:
                self._active -= 1

    def invalidate(self) -> None:
        """Forget the in-memory copy; the next read reloads the file."""
        self._signature = None
        self._order = None
        self._lines.clear()
        self._dirty.clear()

    # --- reading ----------------------------------------------------------------------------

    def _stat_signature(self) -> Signature:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return _MISSING
        except OSError as error:
            raise StoreReadError(
                f"cannot read annotation file {self.shown}: {describe_os_error(error)}", self.path
            ) from error
        if stat.S_ISDIR(st.st_mode):
            raise StoreReadError(
                f"annotation file {self.shown} is a directory, not a file; move it away or "
                f"choose another file with --db",
                self.path,
            )
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read, /dev/zero never end
            raise StoreReadError(
                f"annotation file {self.shown} is {file_kind(st.st_mode)}, not a regular file; "
                f"nothing was read or written. Choose another file with --db",
                self.path,
            )
        return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _refresh(self, *, replay: bool) -> None:
        signature = self._stat_signature()
        if (
            signature == self._signature
            and self._tables is not None
            and not (self._diverged and not replay)
        ):
            return
        if signature == _MISSING:
            articles: dict[str, Any] = {}
            version = SCHEMA_VERSION
        else:
            articles, version, signature = self._load()
        self._tables = {ARTICLES_TABLE: articles}
        self._signature = signature
        self.loaded_version = version
        self.generation += 1
        self._order = None
        self._lines.clear()
        self._dirty.clear()
        self._diverged = False
        if replay and self.replay is not None:
            with self.replaying():
                self.replay()
            self._diverged = self._changed

    def _load(self) -> tuple[dict[str, Any], int, Signature]:
        try:
            st = os.stat(self.path)
            data = read_regular_file(self.path, MAX_STORE_BYTES)
        except (OSError, UnreadableFile) as error:
            self._stat_signature()  # raises the message for a directory or FIFO swapped in
            cause = error.__cause__ if isinstance(error, UnreadableFile) else error
            reason = describe_os_error(cause) if isinstance(cause, OSError) else str(error)
            raise StoreReadError(
                f"cannot read annotation file {self.shown}: {reason}; nothing was changed",
                self.path,
            ) from error
        signature = (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        backup = self.backup_path if self.backup_path.exists() else None
        try:
            articles, version = parse_store_bytes(data, self.path, backup)
        except (CorruptStoreError, FutureSchemaError) as error:
            if not self.read_only:
                raise
            # Read-only mode is what the app offers after this error: show the last good
            # state (the .bak) if there is one, and say so.
            self.problem = error
            return self._load_backup(), SCHEMA_VERSION, signature
        self.problem = None
        return articles, version, signature

    def _load_backup(self) -> dict[str, Any]:
        try:
            data = read_regular_file(self.backup_path, MAX_STORE_BYTES)
            articles, _ = parse_store_bytes(data, self.backup_path)
        except (UnreadableFile, StoreError):
            return {}
        return articles

    # --- writing ----------------------------------------------------------------------------

    def _ensure_folder(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreWriteError(
                f"cannot create the folder for annotation file {self.shown}: "
                f"{describe_os_error(error)}",
                self.path,
            ) from error

    def _check_writable(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        # No write bit at all means the user made the file read-only on purpose: respect it
        # even when running as root (where os.access would say yes).
        if not st.st_mode & 0o222 or not os.access(self.path, os.W_OK):
            raise StoreWriteError(
                f"cannot save annotations: {self.shown} is read-only (no write permission). "
                f"Your change is kept in memory; make the file writable and save again",
                self.path,
            )

    def _serialise(self) -> bytes:
        """The file's bytes, re-encoding only the records marked dirty since the last write.

        Every change goes through the annotation store, which marks the records it touches;
        if the record count and the cached line count ever disagree, everything is
        re-encoded (tests/test_store.py checks the file against a full serialisation).
        """
        articles: dict[str, Any] = (self._tables or {}).get(ARTICLES_TABLE, {})
        lines = self._lines
        for article_id in self._dirty:
            record = articles.get(article_id)
            if record is None:
                if lines.pop(article_id, None) is not None:
                    self._order = None
                continue
            if article_id not in lines:
                self._order = None
            lines[article_id] = record_line(article_id, record).encode("utf-8")
        self._dirty.clear()
        if len(lines) != len(articles):
            lines.clear()
            lines.update(
                (aid, record_line(aid, record).encode("utf-8")) for aid, record in articles.items()
            )
            self._order = None
        if self._order is None:
            self._order = sorted(lines)
        return store_bytes([lines[a] for a in self._order])

    def _commit(self) -> None:
        self._check_writable()
        data = self._serialise()
        try:
            self._sweep_temporaries()
            if self.loaded_version < SCHEMA_VERSION:
                self._keep_migration_backup()
            atomic_write_bytes(
                self.path,
                data,
                mode=0o600 if not self.path.exists() else None,
                backup=self.backup_path,
            )
            self._signature = self._stat_signature()
        except OSError as error:
            raise StoreWriteError(
                f"cannot save annotations to {self.shown}: {describe_os_error(error)}. "
                f"The file was left as it was; your change is kept in memory, save again "
                f"once the problem is fixed",
                self.path,
            ) from error
        self.loaded_version = SCHEMA_VERSION

    def _keep_migration_backup(self) -> None:
        """Before the first write in the current schema, keep the old file as `.v<N>.bak`."""
        target = self.path.with_name(f"{self.path.name}.v{self.loaded_version}.bak")
        if not target.exists():
            keep_backup(self.path, target)

    def _sweep_temporaries(self) -> None:
        """Remove temp files left by killed writers (safe: temp files only exist under the lock)."""
        if self._swept_temporaries:
            return
        self._swept_temporaries = True
        prefix = f".{self.path.name}."
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path.parent):
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
