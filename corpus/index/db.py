"""The SQLite side of a cache: a connection per thread, one way to write, `IN` lists in chunks.

Every write goes through `transaction` (or `IndexDB.write`, the same on the calling
thread's connection): BEGIN IMMEDIATE, COMMIT at the end, ROLLBACK when anything is
raised, the error raised as it was. Connections are in autocommit mode (`isolation_level`
None), so nothing else opens a transaction behind the caller's back. `RefreshLock` keeps two
processes from refreshing (or rebuilding) one cache at once.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from corpus.index.errors import CacheWriteError, DamagedCacheError, cache_damage, write_failure

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a statement waits for another connection's write lock before it fails."""

IN_CHUNK = 500
"""Parameters of one `IN (...)` list (SQLite limits the parameters of a statement)."""


class WriterBusy(Exception):
    """Another connection held the write lock longer than the caller would wait: nothing
    was written."""


def sqlite_uri(path: Path, **params: str) -> str:
    """An SQLite `file:` URI for `path` (any character of the name escaped)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{urllib.parse.quote(os.fspath(path))}" + (f"?{query}" if query else "")


def rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK if a transaction is open; never hides the error being handled.

    SQLite rolls back by itself after some errors (a full disk); a ROLLBACK then would fail
    with "no transaction is active" and replace the real reason.
    """
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


@contextlib.contextmanager
def transaction(
    conn: sqlite3.Connection, *, give_up_after: float | None = None
) -> Iterator[sqlite3.Connection]:
    """A write transaction on `conn`: committed at the end, rolled back on any error.

    `give_up_after`: seconds to wait for another connection's write lock before raising
    `WriterBusy` (for writes that can wait for a later call); else the connection's busy
    timeout applies and a lock held longer raises SQLite's own error.
    """
    if give_up_after is None:
        conn.execute("BEGIN IMMEDIATE")
    else:
        conn.execute(f"PRAGMA busy_timeout = {int(give_up_after * 1000)}")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            raise WriterBusy from None
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def commit_so_far(conn: sqlite3.Connection) -> None:
    """Inside `transaction`: commit what is written and go on in a new write transaction
    (a long refresh shows its progress to other connections)."""
    conn.execute("COMMIT")
    conn.execute("BEGIN IMMEDIATE")


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """The `?,?,…` of an `IN` list of `count` parameters."""
    return ",".join("?" * count)


def execute_in(conn: sqlite3.Connection, sql: str, items: Sequence[Any]) -> list[Any]:
    """The rows of `sql` run for `items`, `IN_CHUNK` at a time; `sql` says `IN ({marks})`
    where the list goes. A statement that changes rows changes them chunk by chunk."""
    rows: list[Any] = []
    for chunk in chunks(items):
        rows.extend(conn.execute(sql.replace("{marks}", marks(len(chunk))), chunk))
    return rows


def bump_generation(conn: sqlite3.Connection) -> None:
    """Count one more committed change (inside the transaction that makes it): what is
    memoised by generation (summaries, names) is read again."""
    conn.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
    )


class IndexDB:
    """The connections to one cache file: one per thread (WAL mode), created on first use.

    What the opening found (`corpus.index.opening`) decides how they are made: read-only
    (`read_only`), and without locks when nobody can change the file (`immutable`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only = False
        """Searched as it is (a read-only file system or file, a full disk): never written."""
        self.immutable = False
        """Read without locks or shared memory: nobody can change the file meanwhile."""
        self.read_only_reason = ""
        self.inode: tuple[int, int] | None = None
        """(device, inode) of the file opened: a recovery moves aside only that one."""
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()

    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.read_only:
                params = {"mode": "ro", "immutable": "1"} if self.immutable else {"mode": "ro"}
                conn = sqlite3.connect(
                    sqlite_uri(self.path, **params),
                    uri=True,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                )
            else:
                conn = sqlite3.connect(
                    self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA mmap_size=268435456")
            conn.execute("PRAGMA cache_size=-32000")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (a later `conn()` opens a new one)."""
        with self._connections_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.ProgrammingError):  # its thread closed it
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    def write(
        self, *, give_up_after: float | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """`transaction` on this thread's connection."""
        return transaction(self.conn(), give_up_after=give_up_after)

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction on this thread's connection: every read inside sees the
        cache as it was at the first one, whatever other connections commit meanwhile."""
        conn = self.conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            rollback(conn)  # (nothing was written: ending the read is all it does)

    def meta(self, key: str) -> Any:
        """The `meta` value of `key`, or None."""
        row = self.conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def generation(self) -> int:
        """The number of committed changes (`bump_generation`)."""
        value = self.meta("generation")
        return int(value) if value is not None else 0

    def noted_damage(self, error: sqlite3.DatabaseError) -> sqlite3.DatabaseError:
        """`error`; when it is damage, noted in `meta` for the next open and said plainly."""
        damage = cache_damage(error)
        if damage is None:
            return error
        if self.read_only:
            return DamagedCacheError(
                f"the index cache {self.path} is damaged ({damage}) and read-only: "
                f"choose a writable place with --cache",
                damage,
            )
        with contextlib.suppress(sqlite3.Error):  # the page of `meta` may be damaged too
            conn = self.conn()
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('damaged', ?)", (damage,))
        return DamagedCacheError(
            f"the index cache {self.path} is damaged ({damage}); it is rebuilt the next "
            f"time newsreader opens it",
            damage,
        )

    def write_error(
        self, doing: str, error: BaseException, reason: str | None = None
    ) -> CacheWriteError:
        """The `CacheWriteError` of a write that failed with `error` (`doing`: "cannot ...")."""
        reason = reason or write_failure(error) or str(error)
        return CacheWriteError(f"{doing} the index cache {self.path}: {reason}", self.path)

    def read_only_error(self, doing: str) -> CacheWriteError:
        """The `CacheWriteError` that refuses a write to a read-only cache."""
        return CacheWriteError(
            f"{doing} the index cache {self.path}: {self.read_only_reason}", self.path
        )


class RefreshLock:
    """An exclusive lock on `<cache>.lock` across processes (the app and `newsreader index`).

    Two refreshes of one cache at once would analyse the same files twice; the second one
    waits, then finds the work done. Where `fcntl` is missing (Windows) there is no lock,
    which costs time, never correctness (SQLite still serialises the writes).
    """

    def __init__(self, cache_path: Path, cancelled: Callable[[], bool] | None) -> None:
        self.path = Path(f"{cache_path}.lock")
        self.cancelled = cancelled or (lambda: False)
        self.handle: Any = None

    def __enter__(self) -> bool:
        try:
            import fcntl
        except ImportError:
            return True
        self.handle = open(self.path, "a+")
        while True:
            try:
                fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if self.cancelled():
                    return False
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()  # closing releases the lock
