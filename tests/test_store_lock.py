"""The store's lock is the `filelock` package's: it excludes across objects and threads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from store.errors import StoreLockTimeout
from store.storage import FileLock


def test_two_locks_on_one_path_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "a.json.lock"
    first, second = FileLock(path, timeout=0.2), FileLock(path, timeout=0.2)
    locked = pytest.raises(StoreLockTimeout, match="locked by another process")
    with first.held(), locked, second.held():
        pass
    with second.held():  # released: free again, and the lock file is kept
        assert path.exists()


def test_a_waiting_writer_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    path = tmp_path / "a.json.lock"
    order: list[str] = []
    holding = threading.Event()

    def hold() -> None:
        with FileLock(path).held():
            holding.set()
            time.sleep(0.2)
            order.append("first done")

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    with FileLock(path, timeout=5).held():
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
