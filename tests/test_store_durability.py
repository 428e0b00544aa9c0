"""The store under faults: each protection has a test that fails without it.

Atomic replace, fsync of file and folder, the .bak copy, the OS lock with re-read, refusing
to overwrite corrupt or future files, and keeping unsaved changes in memory when a write
fails (full disk, read-only file, a directory in the way) so they can be saved again.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import store.storage as storage_module
from store import (
    AnnotationStore,
    CorruptStoreError,
    FutureSchemaError,
    StoreLockTimeout,
    StoreReadError,
    StoreWriteError,
)

ROOT = Path(__file__).resolve().parent.parent


def tags_on_disk(path: Path) -> dict[str, list[str]]:
    articles = json.loads(path.read_text())["articles"]
    return {aid: record["tags"] for aid, record in articles.items()}


def leftover_temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "annotations.json"
    store = AnnotationStore(path)
    store.add_tags("a1", ["first"])
    store.add_tags("a1", ["second"])
    return path


# --- atomic replace ---------------------------------------------------------------------------


def test_a_write_interrupted_half_way_leaves_the_old_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db.read_bytes()

    def write_half_then_die(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise KeyboardInterrupt  # stands in for the process dying mid-write

    monkeypatch.setattr(storage_module, "write_all", write_half_then_die)
    store = AnnotationStore(db)
    with pytest.raises(KeyboardInterrupt):
        store.set_note("a1", "x" * 100_000)
    assert db.read_bytes() == before
    assert leftover_temporaries(db.parent) == []


def test_file_and_folder_are_fsynced_before_and_after_the_rename(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[tuple[str, bool]] = []
    real_fsync = os.fsync
    old = db.read_bytes()

    def recording_fsync(fd: int) -> None:
        target = os.readlink(f"/proc/self/fd/{fd}")
        synced.append((target, db.read_bytes() == old))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    AnnotationStore(db).add_tags("a1", ["third"])
    temp_syncs = [still_old for target, still_old in synced if target.endswith(".tmp")]
    folder_syncs = [still_old for target, still_old in synced if target == str(db.parent)]
    assert temp_syncs == [True]  # the new content was on disk before it replaced the old
    assert folder_syncs == [False]  # and the rename itself was made durable after it


def test_the_previous_state_is_kept_as_bak(db: Path) -> None:
    store = AnnotationStore(db)
    before = db.read_bytes()
    store.add_tags("a1", ["third"])
    assert store.backup_path.read_bytes() == before
    assert tags_on_disk(store.backup_path) == {"a1": ["first", "second"]}


def test_temp_files_of_killed_writers_are_swept(db: Path) -> None:
    stray = db.parent / f".{db.name}.99999.deadbeef.tmp"
    stray.write_text("half a file")
    AnnotationStore(db).add_tags("a1", ["third"])
    assert not stray.exists()


# --- lock and re-read ---------------------------------------------------------------------------


def test_a_stale_instance_rereads_under_the_lock_instead_of_overwriting(db: Path) -> None:
    a = AnnotationStore(db)
    b = AnnotationStore(db)
    assert a.get("a1").tags == ("first", "second")  # a has the file cached now
    b.add_tags("b1", ["from-b"])
    a.add_tags("a2", ["from-a"])
    assert tags_on_disk(db) == {"a1": ["first", "second"], "a2": ["from-a"], "b1": ["from-b"]}


def test_writes_wait_for_the_lock(db: Path) -> None:
    before = db.read_bytes()
    lock_path = db.with_name(db.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        store = AnnotationStore(db, lock_timeout=0.2)
        with pytest.raises(StoreLockTimeout, match="locked"):
            store.add_tags("a1", ["blocked"])
        assert db.read_bytes() == before
        assert store.get("a1").tags == ("first", "second", "blocked")  # kept in memory
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    store.retry_pending()
    assert tags_on_disk(db)["a1"] == ["first", "second", "blocked"]


def test_two_store_instances_in_two_threads_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.json"

    def writer(name: str) -> None:
        store = AnnotationStore(path)  # like two app instances: separate caches and locks
        for n in range(100):
            store.add_tags(f"{name}-{n % 7}", [f"{name}{n}"])
            store.add_tags("shared", [f"{name}{n}"])

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("p", "q")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tags = tags_on_disk(path)
    expected = [f"p{n}" for n in range(100)] + [f"q{n}" for n in range(100)]
    assert sorted(tags["shared"]) == sorted(expected)
    assert sum(len(v) for k, v in tags.items() if k != "shared") == 200


# --- files that must not be overwritten ----------------------------------------------------------


def test_a_corrupt_file_gives_line_and_column_and_is_never_overwritten(db: Path) -> None:
    AnnotationStore(db).add_tags("a2", ["other"])
    lines = db.read_text().splitlines(keepends=True)
    lines[4] = lines[4].replace('"tags"', '"tags" oops', 1)  # break the first record's line
    db.write_text("".join(lines))
    broken = db.read_bytes()
    store = AnnotationStore(db)
    with pytest.raises(CorruptStoreError) as info:
        store.get("a1")
    assert info.value.line == 5
    assert f"{db}:5:" in str(info.value)
    assert str(store.backup_path) in str(info.value)
    with pytest.raises(CorruptStoreError):
        store.set_note("a1", "my unsaved note")
    assert db.read_bytes() == broken
    assert store.pending_writes == 1
    assert tags_on_disk(store.backup_path) == {"a1": ["first", "second"]}


def test_read_only_mode_on_a_corrupt_file_shows_the_backup(db: Path) -> None:
    AnnotationStore(db).add_tags("a2", ["other"])
    db.write_text(db.read_text()[:-10])
    store = AnnotationStore(db, read_only=True)
    assert store.get("a1").tags == ("first", "second")
    assert isinstance(store.problem, CorruptStoreError)


def test_a_file_from_a_future_version_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_text(
        json.dumps(
            {
                "format": "newsreader-annotations",
                "schema_version": 99,
                "articles": {},
                "future": [1, 2],
            }
        )
    )
    before = path.read_bytes()
    store = AnnotationStore(path)
    with pytest.raises(FutureSchemaError, match="schema version 99"):
        store.get("a1")
    with pytest.raises(FutureSchemaError):
        store.add_tags("a1", ["x"])
    assert path.read_bytes() == before


def test_a_directory_in_place_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.mkdir()
    (path / "inside").write_text("keep")
    store = AnnotationStore(path)
    with pytest.raises(StoreReadError, match="is a directory"):
        store.get("a1")
    with pytest.raises(StoreReadError, match="is a directory"):
        store.add_tags("a1", ["x"])
    assert store.pending_writes == 1
    assert (path / "inside").read_text() == "keep"


def test_a_file_replaced_by_a_directory_while_open(db: Path) -> None:
    store = AnnotationStore(db)
    assert store.get("a1").tags == ("first", "second")
    saved = db.read_bytes()
    db.unlink()
    db.mkdir()
    with pytest.raises(StoreReadError, match="is a directory"):
        store.set_note("a1", "typed while the file was gone")
    db.rmdir()
    db.write_bytes(saved)
    store.retry_pending()
    assert AnnotationStore(db).get("a1").note == "typed while the file was gone"


# --- failed writes keep the change ----------------------------------------------------------------


def test_a_full_disk_keeps_the_change_in_memory_until_it_can_be_saved(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db.read_bytes()

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage_module, "write_all", disk_full)
    store = AnnotationStore(db)
    with pytest.raises(StoreWriteError, match="disk is full") as info:
        store.set_note("a1", "a long note the user typed")
    assert str(db) in str(info.value)
    assert db.read_bytes() == before
    assert leftover_temporaries(db.parent) == []
    assert store.get("a1").note == "a long note the user typed"
    assert store.pending_writes == 1
    # someone else writes meanwhile; the pending note survives the reload
    other = 'from store import AnnotationStore; AnnotationStore(%r).add_tags("b1", ["elsewhere"])'
    subprocess.run([sys.executable, "-c", other % str(db)], cwd=ROOT, check=True, timeout=60)
    assert store.get("a1").note == "a long note the user typed"
    assert store.get("b1").tags == ("elsewhere",)
    monkeypatch.undo()
    store.retry_pending()
    assert store.pending_writes == 0
    fresh = AnnotationStore(db)
    assert fresh.get("a1").note == "a long note the user typed"
    assert fresh.get("b1").tags == ("elsewhere",)


def test_a_read_only_file_is_respected_and_the_change_kept(db: Path) -> None:
    before = db.read_bytes()
    db.chmod(0o444)
    try:
        store = AnnotationStore(db)
        with pytest.raises(StoreWriteError, match="read-only"):
            store.add_tags("a1", ["third"])
        assert db.read_bytes() == before
        assert store.get("a1").tags == ("first", "second", "third")
    finally:
        db.chmod(0o644)
    store.retry_pending()
    assert tags_on_disk(db)["a1"] == ["first", "second", "third"]


def test_a_real_file_size_limit_gives_a_clear_error(db: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse the write (EFBIG): a real failing file system call."""
    before = db.read_bytes()
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        from store import AnnotationStore, StoreWriteError
        store = AnnotationStore({str(db)!r})
        store.get("a1")
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            store.set_note("a1", "x" * 100_000)
        except StoreWriteError as error:
            print("ERROR", error)
            print("KEPT", len(store.get("a1").note))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "ERROR cannot save annotations" in result.stdout, result.stderr
    assert "larger than this system allows" in result.stdout
    assert "KEPT 100000" in result.stdout
    assert db.read_bytes() == before


def test_a_really_full_tmpfs(tmp_path: Path) -> None:
    """Where a small tmpfs can be mounted (root on Linux), fill it for real."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = mount_point / "annotations.json"
        store = AnnotationStore(path)
        store.add_tags("a1", ["small"])
        before = path.read_bytes()
        with pytest.raises(StoreWriteError, match="disk is full"):
            store.set_note("a1", "y" * 200_000)
        assert path.read_bytes() == before
        assert store.get("a1").note == "y" * 200_000
        assert leftover_temporaries(mount_point) == []
        store.set_note("a1", "")  # the user shortens it: the pending change is replaced
        assert store.pending_writes == 0
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_a_record_of_the_wrong_shape_is_reported_at_its_line(db: Path) -> None:
    AnnotationStore(db).add_tags("a2", ["other"])
    text = db.read_text()
    db.write_text(text.replace('"tags": ["other"]', '"tags": "other"'))
    broken = db.read_bytes()
    store = AnnotationStore(db)
    with pytest.raises(CorruptStoreError, match="'tags' must be a list") as info:
        store.all()
    assert info.value.line == 6  # header (4 lines) + a1 + a2
    with pytest.raises(CorruptStoreError):
        store.add_tags("a3", ["x"])
    assert db.read_bytes() == broken
