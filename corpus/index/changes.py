"""What a refresh must do: the corpus walked (one `stat` a file) and compared with the files
the cache holds, in this process or, for a big corpus, in a spawned child process.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.index.db import BUSY_TIMEOUT_SECONDS, IndexDB, execute_in, sqlite_uri
from corpus.model import Skipped

_YIELD_EVERY = 256
"""Files walked between two GIL hand-overs in a refresh (the app's UI runs meanwhile)."""

CHILD_WALK_FILES = 20_000
"""Cached files from which a refresh walks the corpus in a child process (not under the GIL)."""


@dataclass(slots=True)
class Changes:
    """What a refresh must do, found by walking the corpus and comparing with `files`."""

    files: int  # readable files under the paths
    removed: list[str]
    candidates: list[str]  # new, changed or forced files to read
    forced: set[str]  # candidates whose size and mtime did not change (read them anyway)
    current: dict[str, tuple[int, int]]  # (size, mtime_ns) of the candidates
    stored: dict[str, tuple[int, int, str]]  # the `files` rows of the candidates
    skipped: list[Skipped]


def find_changes_here(conn: sqlite3.Connection, paths: Sequence[Path]) -> Changes:
    """Walk `paths` (one stat a file) and compare with the cache's `files` table."""
    from corpus import reader

    skipped: list[Skipped] = []
    current: dict[str, tuple[int, int]] = {}
    shared = threading.active_count() > 1  # (a command line has no UI thread to let run)
    for count, (name, info, reason) in enumerate(reader.walk_stat(paths)):
        if info is None:
            skipped.append(Skipped(name, reason or "cannot read"))
            continue
        try:
            name.encode("utf-8")  # SQLite text: a name with undecodable bytes cannot be kept
        except UnicodeEncodeError:
            skipped.append(Skipped(name, "file name is not valid UTF-8, not indexed"))
            continue
        current.setdefault(name, (info.st_size, info.st_mtime_ns))
        if shared and count % _YIELD_EVERY == 0:
            time.sleep(0)  # let other threads (the app's UI) run: this loop holds the GIL
    stored = {
        path: (size, mtime, state)
        for path, size, mtime, state in conn.execute(
            "SELECT path, size, mtime_ns, state FROM files"
        )
    }
    removed = [path for path in stored if path not in current]
    candidates = [
        path
        for path, stat in current.items()
        if path not in stored or stored[path][:2] != stat or stored[path][2] != "done"
    ]
    # duplicates whose kept copy goes away must be read again
    going = set(removed) | set(candidates)
    has_duplicates = conn.execute("SELECT 1 FROM duplicates LIMIT 1").fetchone()
    if going and has_duplicates:
        # by index: articles_file, duplicates_kept
        kept_paths = [
            path
            for (path,) in execute_in(
                conn, "SELECT path FROM articles WHERE file IN ({marks})", sorted(going)
            )
        ]
        for (dup_file,) in execute_in(
            conn, "SELECT DISTINCT file FROM duplicates WHERE kept IN ({marks})", kept_paths
        ):
            if dup_file in current and dup_file not in going:
                candidates.append(dup_file)
                going.add(dup_file)
    forced = {p for p in candidates if p in stored and stored[p][:2] == current[p]}
    return Changes(
        files=len(current),
        removed=removed,
        candidates=candidates,
        forced=forced,
        current={path: current[path] for path in candidates},
        stored={path: stored[path] for path in candidates if path in stored},
        skipped=skipped,
    )


def find_changes_in_child(cache_path: str, paths: list[str]) -> Changes:
    """`find_changes_here` in a child process, on its own read-only connection."""
    conn = sqlite3.connect(
        sqlite_uri(Path(cache_path), mode="ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS
    )
    try:
        return find_changes_here(conn, [Path(p) for p in paths])
    finally:
        conn.close()


def find_changes(db: IndexDB, paths: Sequence[Path], *, workers: int, in_child: bool) -> Changes:
    """The changes, found in a child process when the corpus is big (`CHILD_WALK_FILES`),
    `in_child` allows it and `workers` is more than one.

    Walking and comparing 100,000 files is seconds of Python holding the GIL; in the app
    that would starve the UI thread while it shows the cached summaries.
    """
    conn = db.conn()
    (known,) = conn.execute("SELECT count(*) FROM files").fetchone()
    if in_child and workers > 1 and known >= CHILD_WALK_FILES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            future = pool.submit(find_changes_in_child, str(db.path), [str(p) for p in paths])
            return future.result()
    return find_changes_here(conn, paths)
