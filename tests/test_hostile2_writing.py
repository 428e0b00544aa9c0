"""Hostile files, round two (issue 12), writing: never replace what is not ours.

- `export -o PATH` and `quotes -o PATH` write into a FIFO or a character device as a stream
  (a FIFO nobody reads is refused at once) and never swap it for a regular file; a link to
  a file keeps being a link (`store.storage.atomic_write_bytes`, the one writer);
- a store path that is a symbolic link is resolved once: the target is locked, backed up
  and replaced, the link stays, and writers through the link and through the target
  exclude each other;
- `--cache FILE` only ever deletes or rebuilds a provable newsreader index: an annotation
  store, another program's database or a FIFO given as the cache is an error (exit 2) and
  is left exactly as it was (no sidecar files either), for `index`, `search` and the app.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from guards import hang_guard

from store import AnnotationStore
from store.storage import atomic_write_bytes
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
WRITER = Path(__file__).parent / "fixtures" / "store" / "tag_writer.py"
GOOD = "The bridge reopened on Monday after repairs, the council said.\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with hang_guard(60):
        code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "annotations.json"
    AnnotationStore(path).add_tags("a1b2c3d4e5f60001", ["kept"])
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "quote.txt").write_text(
        "Council reopens bridge\n\n“We are delighted,” said Jane Smith, the council leader.\n",
        encoding="utf-8",
    )
    return folder


class FifoReader:
    """Reads a FIFO in a thread until the writer closes it."""

    def __init__(self, path: Path) -> None:
        self.data = b""
        self.thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self.thread.start()

    def _read(self, path: Path) -> None:
        with open(path, "rb") as handle:
            self.data = handle.read()

    def wait(self) -> bytes:
        self.thread.join(10)
        assert not self.thread.is_alive(), "the writer never closed the FIFO"
        return self.data


def hold_reader(path: Path) -> int:
    """Once a reader has the FIFO open, a writer descriptor that keeps it from seeing EOF."""
    for _ in range(500):
        try:
            return os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: the reader is not there yet
            threading.Event().wait(0.01)
    raise AssertionError("the reader never opened the FIFO")


EXPORTS = {
    "export": ["export", "--format", "json"],
    "quotes": ["quotes", "--format", "jsonl"],
}


@pytest.mark.parametrize("command", sorted(EXPORTS))
def test_output_into_a_fifo_is_streamed_and_the_fifo_stays(
    tmp_path: Path, db: Path, corpus: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    pipe = tmp_path / "out.pipe"
    os.mkfifo(pipe)
    argv = [*EXPORTS[command], "-o", str(pipe)]
    argv += ["--db", str(db)] if command == "export" else [str(corpus)]
    # nobody reads: refused at once instead of blocking, and the FIFO is not replaced
    code, _out, err = run_cli(capsys, *argv)
    assert code == 1 and "FIFO" in err and str(pipe) in err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    # somebody reads: the output arrives through the FIFO
    reader = FifoReader(pipe)
    held = hold_reader(pipe)
    code, _out, err = run_cli(capsys, *argv)
    os.close(held)
    assert code == 0, err
    data = reader.wait()
    assert (b"kept" in data) if command == "export" else (b"Jane Smith" in data)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("command", sorted(EXPORTS))
def test_output_into_a_device_is_written_not_replaced(
    tmp_path: Path, db: Path, corpus: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """`-o /dev/null` through a link (a real device node where root may make one)."""
    targets = [tmp_path / "null-link"]
    targets[0].symlink_to(os.devnull)
    try:
        os.mknod(tmp_path / "null-node", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        targets.append(tmp_path / "null-node")
    except (OSError, AttributeError):
        pass  # not root (or no mknod): the link alone
    before = os.stat(os.devnull)
    for target in targets:
        argv = [*EXPORTS[command], "-o", str(target)]
        argv += ["--db", str(db)] if command == "export" else [str(corpus)]
        code, _out, err = run_cli(capsys, *argv)
        assert code == 0, err
        assert stat.S_ISCHR(os.stat(target).st_mode)
    assert os.path.islink(targets[0])
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_output_through_a_link_replaces_the_target_and_keeps_the_link(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real" / "export.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "export.json"
    link.symlink_to(real)
    code, _out, err = run_cli(capsys, "export", "-o", str(link), "--db", str(db))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "kept" in real.read_text()


@pytest.mark.parametrize("kind", ["socket", "fifo"])
def test_the_app_and_the_store_never_stream_or_replace_a_non_regular_file(
    tmp_path: Path, kind: str
) -> None:
    """Without `streams` (the app's export, the store) a FIFO or socket is refused."""
    import socket

    path = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    with hang_guard(10), pytest.raises(OSError, match="not a regular file"):
        atomic_write_bytes(path, b"data")  # (NotRegularFileError)
    assert not path.is_file() and path.exists()
    if kind == "socket":
        with hang_guard(10), pytest.raises(OSError, match="socket"):
            atomic_write_bytes(path, b"data", streams=True)
        server.close()


# --- a store behind a symbolic link ---------------------------------------------------------------


@pytest.fixture
def linked_store(tmp_path: Path) -> tuple[Path, Path]:
    """(link, target): the store lives in `real/`, the user points at `sync/` (a link)."""
    target = tmp_path / "real" / "annotations.json"
    target.parent.mkdir()
    AnnotationStore(target).add_tags("a1", ["first"])
    link = tmp_path / "sync" / "annotations.json"
    link.parent.mkdir()
    link.symlink_to(target)
    return link, target


def test_a_store_behind_a_link_writes_the_target_and_keeps_the_link(
    linked_store: tuple[Path, Path],
) -> None:
    link, target = linked_store
    before = target.read_bytes()
    store = AnnotationStore(link)
    store.add_tags("a1", ["second"])
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["articles"]["a1"]["tags"] == ["first", "second"]
    backup = target.with_name("annotations.json.bak")
    assert not backup.is_symlink() and backup.read_bytes() == before
    assert target.with_name("annotations.json.lock").exists()
    assert not link.with_name("annotations.json.bak").exists()
    assert not link.with_name("annotations.json.lock").exists()
    assert AnnotationStore(target).get("a1").tags == ("first", "second")


def test_writers_through_the_link_and_the_target_exclude_each_other(
    linked_store: tuple[Path, Path],
) -> None:
    link, target = linked_store

    def start(path: Path, prefix: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), prefix, "300", "3", "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        return process

    writers = [start(link, "l"), start(target, "t")]
    for process in writers:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in writers:
        process.communicate(timeout=300)
        assert process.returncode == 0
    tags = {t for ann in AnnotationStore(target).all().values() for t in ann.tags}
    assert tags == {"first"} | {f"l{i}" for i in range(300)} | {f"t{i}" for i in range(300)}
    assert link.is_symlink()


def test_a_dangling_link_creates_its_target_and_a_link_loop_is_an_error(
    tmp_path: Path,
) -> None:
    from store import StoreReadError

    target = tmp_path / "not-yet" / "annotations.json"
    link = tmp_path / "annotations.json"
    link.symlink_to(target)
    AnnotationStore(link).add_tags("a1", ["x"])
    assert link.is_symlink() and AnnotationStore(target).get("a1").tags == ("x",)
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with hang_guard(10), pytest.raises(StoreReadError, match=r"loop\.json"):
        AnnotationStore(loop).all()


# --- --cache FILE: only our own index ----------------------------------------------------------


def other_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts(name TEXT, balance INTEGER)")
    conn.execute("INSERT INTO accounts VALUES ('mine', 1000)")
    conn.commit()
    conn.close()


FOREIGN = ["store", "sqlite", "text", "fifo", "folder"]


@pytest.fixture(params=FOREIGN)
def foreign_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """Something at the --cache path that is not a newsreader index."""
    path = tmp_path / "precious"
    if request.param == "store":
        AnnotationStore(path).add_tags("a1b2c3d4e5f60001", ["weeks", "of", "work"])
    elif request.param == "sqlite":
        other_programs_database(path)
    elif request.param == "text":
        path.write_text("notes I keep\n" * 100)
    elif request.param == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
        (path / "inside").write_text("keep")
    yield path


def snapshot(folder: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for item in sorted(folder.rglob("*")):
        if item.is_fifo():
            found[item.name] = "fifo"
        elif item.is_file():
            found[item.name] = item.read_bytes()
    return found


@pytest.mark.parametrize("command", ["index", "search"])
def test_a_cache_path_that_is_not_an_index_is_left_untouched(
    tmp_path: Path,
    corpus: Path,
    foreign_cache: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    (tmp_path / "db.json").write_text("")
    before = snapshot(tmp_path)
    argv = [command, str(corpus), "--cache", str(foreign_cache)]
    if command == "search":
        argv = ["search", "bridge", str(corpus), "--cache", str(foreign_cache)]
        argv += ["--db", str(tmp_path / "db.json")]
    code, _out, err = run_cli(capsys, *argv)
    assert code == 2, err
    assert str(foreign_cache) in err and "not a newsreader index" in err and "untouched" in err
    assert snapshot(tmp_path) == before  # no -wal, -shm or .lock beside it either


def test_swapping_db_and_cache_never_destroys_annotations(
    tmp_path: Path, corpus: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "index.sqlite"
    code, _out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache))
    assert code == 0, err
    store_before, cache_before = db.read_bytes(), cache.read_bytes()
    code, _out, err = run_cli(
        capsys, "search", "bridge", str(corpus), "--cache", str(db), "--db", str(cache)
    )
    assert code in (1, 2) and "Traceback" not in err
    assert db.read_bytes() == store_before
    assert cache.read_bytes() == cache_before
    assert AnnotationStore(db).get("a1b2c3d4e5f60001").tags == ("kept",)


def test_our_own_index_of_another_version_is_still_rebuilt(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "index.sqlite"
    assert run_cli(capsys, "index", str(corpus), "--cache", str(cache))[0] == 0
    conn = sqlite3.connect(cache)
    conn.execute("UPDATE meta SET value = 'schema=0;newsreader=0.0.1' WHERE key = 'version'")
    conn.commit()
    conn.close()
    code, out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache))
    assert code == 0, err and "2 files added" in out
    # a cache written before the application id existed is recognised by its meta stamp
    conn = sqlite3.connect(cache)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("UPDATE meta SET value = 'schema=1;newsreader=0.0.1;code=x' WHERE key='version'")
    conn.commit()
    conn.close()
    code, out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache))
    assert code == 0 and "2 files added" in out, err


def test_an_empty_file_given_as_the_cache_is_used(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty file holds nothing to lose (and is what a killed first run may leave)."""
    cache = tmp_path / "index.sqlite"
    cache.write_bytes(b"")
    code, out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache))
    assert code == 0 and "2 files added" in out, err


def test_the_app_reads_the_corpus_without_destroying_a_store_given_as_its_cache(
    tmp_path: Path, corpus: Path, db: Path
) -> None:
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.headless import settle

    before = db.read_bytes()

    async def scenario() -> list[str]:
        app = make_app(
            paths=[corpus],
            db_path=tmp_path / "other.json",
            cache_path=db,
            config=AppConfig(path=tmp_path / "config.toml"),
        )
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            screen = app.screen_stack[0]
            said = " ".join(str(n.message) for n in app._notifications)
            assert str(db) in said and "not a newsreader index" in said
            return [s.title for s in screen.summaries]  # type: ignore[attr-defined]

    with hang_guard(120):
        titles = asyncio.run(scenario())
    assert any(t.startswith("The bridge") for t in titles)
    assert db.read_bytes() == before
    shutil.rmtree(tmp_path / "corpus")
