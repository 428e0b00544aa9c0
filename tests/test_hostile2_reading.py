"""Hostile files, round two (issue 12), reading: one bad file never takes down the corpus.

- JSON nested thousands deep or holding an integer of more than 4,300 digits, in an article
  file (`.json`, `.jsonl`), in the annotation store and in `import FILE`: one reported skip,
  a corrupt store or a rejected import, with the file, line and column, and nothing changed
  (`corpus.untrusted.loads_json`, used by the reader, the store and the importer);
- a store path or import file that is not a regular file (a FIFO, `/dev/zero`, a device
  behind a link) is refused at once, by name (`corpus.untrusted.read_regular_file`);
- the app's store-open dialog names the file and never offers "Open read-only" in a loop.

Every case runs under a hang guard; the `/dev/zero` cases run in a child process with a
memory limit, so a reader that tries to read it whole dies instead of filling the machine.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import resource
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from guards import hang_guard

from store import AnnotationStore, CorruptStoreError, StoreReadError
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = "The bridge reopened on Monday after repairs, the council said.\n"
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000
LONG_INT = "9" * 5_000

# (file name, content): each is one bad file next to a good article
HAZARDS = {
    "deep-array.json": DEEP_ARRAY,
    "deep-object.json": DEEP_OBJECT,
    "long-int.json": '{"id": ' + LONG_INT + ', "text": "A long id in an article."}',
    "negative-long-int.json": '[{"text": "A record.", "n": -' + LONG_INT + "}]",
    "deep-line.jsonl": '{"text": "A first record that is fine to read."}\n' + DEEP_ARRAY + "\n",
    "long-int-line.jsonl": '{"text": "x", "n": ' + LONG_INT + "}\n",
    "deep-in-field.json": '{"text": "A body.", "authors": ' + DEEP_ARRAY + "}",
}


@pytest.fixture(autouse=True)
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's store: `search` reads the default one."""
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "default-annotations.json"))


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with hang_guard(60):
        code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(params=sorted(HAZARDS))
def hazard_corpus(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A corpus of one good article and one hazardous JSON file; (folder, hazard name)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / request.param).write_text(HAZARDS[request.param], encoding="utf-8")
    return folder, request.param


def assert_reported(err: str, name: str) -> None:
    assert "Traceback" not in err
    skips = [line for line in err.splitlines() if name in line and "skipped" in line]
    assert skips, f"no skip reported for {name}: {err!r}"
    assert any(("nested" in line or "digits" in line) for line in skips), skips


@pytest.mark.parametrize("command", ["list", "analyze", "show", "index", "search"])
def test_a_json_hazard_is_one_reported_skip_for_every_command(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    hazard_corpus: tuple[Path, str],
    command: str,
) -> None:
    folder, name = hazard_corpus
    cache = str(tmp_path / "index.sqlite")
    argv = {
        "list": ["list", str(folder)],
        "analyze": ["analyze", str(folder)],
        "show": ["show", "", str(folder)],
        "index": ["index", str(folder), "--cache", cache, "--workers", "1"],
        "search": ["search", "bridge", str(folder), "--cache", cache],
    }[command]
    if command == "show":
        code, out, _ = run_cli(capsys, "list", "--json", str(folder))
        assert code == 0
        good = [row for row in json.loads(out) if row["title"].startswith("The bridge")]
        argv[1] = good[0]["id"]
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    if command != "index":
        assert "bridge reopened" in out
    if command != "search":  # search refreshes quietly; `index` lists the skips
        assert_reported(err, name)


def test_the_index_reports_the_skip_and_keeps_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, hazard_corpus: tuple[Path, str]
) -> None:
    from corpus.index import CorpusIndex

    folder, name = hazard_corpus
    with hang_guard(60), CorpusIndex(tmp_path / "index.sqlite") as index:
        report = index.refresh([folder], workers=1)
        assert any(name in s.path for s in report.skipped)
        assert any(s.title.startswith("The bridge") for s in index.summaries())


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@sync
async def test_the_app_shows_the_other_articles_and_names_the_skipped_file(
    tmp_path: Path,
) -> None:
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.headless import settle

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "deep.json").write_text(DEEP_ARRAY, encoding="utf-8")
    app = make_app(
        paths=[folder],
        db_path=tmp_path / "annotations.json",
        cache_path=tmp_path / "index.sqlite",
        config=AppConfig(path=tmp_path / "config.toml"),
    )
    with hang_guard(120):
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            screen = app.screen_stack[0]
            titles = [s.title for s in screen.summaries]  # type: ignore[attr-defined]
            assert any(t.startswith("The bridge") for t in titles)
            said = " ".join(str(n.message) for n in app._notifications)
            assert "deep.json" in said and "nested" in said
            assert "Could not load" not in said


# --- the annotation store ------------------------------------------------------------------

STORE_HEAD = '{\n"format": "newsreader-annotations",\n"schema_version": 2,\n"articles": {\n'
STORE_HAZARDS = {
    "deep": STORE_HEAD + '"a1": {"tags": ["t"], "future": ' + DEEP_ARRAY + "}\n}\n}\n",
    "long-int": STORE_HEAD + '"a1": {"tags": ["t"], "future": ' + LONG_INT + "}\n}\n}\n",
    "deep-object": STORE_HEAD + '"a1": ' + DEEP_OBJECT + "\n}\n}\n",
}


@pytest.mark.parametrize("kind", sorted(STORE_HAZARDS))
def test_a_json_hazard_in_the_store_is_a_corrupt_store_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    db = tmp_path / "annotations.json"
    db.write_text(STORE_HAZARDS[kind], encoding="utf-8")
    before = db.read_bytes()
    with hang_guard(30):
        store = AnnotationStore(db)
        with pytest.raises(CorruptStoreError) as info:
            store.all()
        assert info.value.line == 5 and info.value.column > 1
        assert f"{db}:5:" in str(info.value)
        with pytest.raises(CorruptStoreError):
            store.add_tags("a2", ["new"])
    code, _out, err = run_cli(capsys, "tags", "--db", str(db))
    assert code == 1 and f"{db}:5:" in err and "Traceback" not in err
    code, _out, err = run_cli(capsys, "tag", "a1", "more", "--db", str(db))
    assert code == 1 and f"{db}:5:" in err
    assert db.read_bytes() == before
    # read-only (what the app offers) shows the last good state instead of failing
    assert AnnotationStore(db, read_only=True).all() == {}


@pytest.mark.parametrize("kind", ["deep", "long-int"])
def test_a_json_hazard_in_an_import_file_rejects_it_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    db = tmp_path / "annotations.json"
    AnnotationStore(db).add_tags("keep", ["mine"])
    before = db.read_bytes()
    value = DEEP_ARRAY if kind == "deep" else LONG_INT
    incoming = tmp_path / "incoming.json"
    incoming.write_text(
        '{"format": "newsreader-annotations-export", "schema_version": 2,\n'
        '"articles": [{"id": "x1", "annotations": {"tags": ["t"], "n": ' + value + "}}]}\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli(capsys, "import", str(incoming), "--db", str(db))
    assert code == 2, err
    assert f"{incoming}:2:" in err and "nothing was imported" in err
    assert "Traceback" not in err
    assert db.read_bytes() == before


# --- not a regular file ----------------------------------------------------------------------


def release_readers(path: Path) -> bool:
    """Let a reader blocked in `open(path)` go on (it reads nothing); True if there was one."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:  # ENXIO: nobody is waiting on it
        return False
    return True


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO nobody writes to. A reader that blocks on it (in a worker thread, where the
    hang guard cannot reach) is released after 15 s, so the test fails instead of hanging."""
    path = tmp_path / "annotations.json"
    os.mkfifo(path)
    blocked: list[bool] = []
    timer = threading.Timer(15, lambda: blocked.append(release_readers(path)))
    timer.start()
    yield path
    timer.cancel()
    assert not release_readers(path) and not any(blocked), "a reader blocked on the FIFO"


def test_a_fifo_as_the_store_is_refused_at_once(
    fifo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with hang_guard(10):
        with pytest.raises(StoreReadError, match="FIFO"):
            AnnotationStore(fifo).all()
        with pytest.raises(StoreReadError, match="FIFO"):
            AnnotationStore(fifo, read_only=True).all()
        with pytest.raises(StoreReadError, match="FIFO"):
            AnnotationStore(fifo).add_tags("a1", ["x"])
        for argv in (["tags"], ["tag", "a1", "x"], ["search", "bridge"]):
            code, _out, err = run_cli(capsys, *argv, "--db", str(fifo))
            assert code == 1 and str(fifo) in err and "FIFO" in err, (argv, err)
    assert fifo.is_fifo()
    assert not fifo.with_name("annotations.json.lock").exists()  # nothing made beside it


def test_a_fifo_given_to_import_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "export.json"
    os.mkfifo(pipe)
    db = tmp_path / "annotations.json"
    code, _out, err = run_cli(capsys, "import", str(pipe), "--db", str(db))
    assert code == 2 and str(pipe) in err and "FIFO" in err
    assert not db.exists()


CHILD = textwrap.dedent(
    """
    import sys
    from tui.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def _limit_memory() -> None:
    limit = 1 << 31  # 2 GB: a reader of /dev/zero dies here instead of filling the machine
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_child(*argv: str, stdin: Any = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=stdin,
        preexec_fn=_limit_memory,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "/dev/zero"],
        ["import", "LINK"],
        ["tags", "--db", "LINK"],
        ["tag", "a1", "x", "--db", "LINK"],
        ["export", "--db", "LINK"],
    ],
    ids=["import", "import-link", "tags-db-link", "tag-db-link", "export-db-link"],
)
def test_dev_zero_is_refused_by_name_not_read(tmp_path: Path, argv: list[str]) -> None:
    """As the store, /dev/zero is reached through a private link: a newsreader that writes
    beside or over its store (a lock file, a rename) must not touch /dev itself."""
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    argv = [str(link) if a == "LINK" else a for a in argv]
    if "--db" not in argv:
        argv += ["--db", str(tmp_path / "annotations.json")]
    result = run_child(*argv)
    assert result.returncode in (1, 2), result.stderr[-2000:]
    assert "device" in result.stderr and "MemoryError" not in result.stderr
    named = str(link) if str(link) in argv else "/dev/zero"
    assert named in result.stderr


def test_import_from_stdin_is_bounded(tmp_path: Path) -> None:
    """`import -` reads a pipe: at most the store's size limit, then a clear refusal."""
    script = (
        "import sys, store.storage as s, tui.cli_store as c; c.MAX_STORE_BYTES = 1 << 20; "
        "from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-c", script, "import", "-", "--db", str(tmp_path / "a.json")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=zero,
            preexec_fn=_limit_memory,
        )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "<stdin>" in result.stderr and "too large" in result.stderr


# --- the app's store-open dialog ---------------------------------------------------------------


async def _dialog(tmp_path: Path, db: Path) -> tuple[Any, str, list[str]]:
    from textual.widgets import Button, Static

    from corpus.source import MemoryCorpus
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.headless import settle
    from tui.screens.error_screen import ErrorScreen

    app = make_app(source=MemoryCorpus([]), db_path=db, config=AppConfig(path=tmp_path / "c"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        buttons = [b.id or "" for b in app.screen.query(Button)]
        if "read-only" in buttons:
            await pilot.click("#read-only")
            await settle(pilot)
        return app, message, buttons


@sync
async def test_the_store_dialog_names_the_file_and_read_only_opens(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    db.write_text(STORE_HAZARDS["deep"], encoding="utf-8")
    before = db.read_bytes()
    with hang_guard(60):
        app, message, buttons = await _dialog(tmp_path, db)
    assert f"{db}:5:" in message and "nested" in message
    assert buttons == ["read-only", "quit"]
    assert app.store is not None and app.store.read_only  # opened, no second dialog
    assert db.read_bytes() == before


@sync
async def test_the_store_dialog_for_a_fifo_offers_no_read_only_loop(
    tmp_path: Path, fifo: Path
) -> None:
    with hang_guard(60):
        _app, message, buttons = await _dialog(tmp_path, fifo)
    assert str(fifo) in message and "FIFO" in message
    assert buttons == ["quit"]


def test_a_json_list_of_a_million_non_articles_is_a_few_lines_not_a_million(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "many.json").write_text("[" + ",".join(["[]"] * 1_000_000) + "]")
    code, out, err = run_cli(capsys, "list", str(folder))
    assert code == 0 and "bridge reopened" in out
    skips = [line for line in err.splitlines() if "many.json" in line]
    assert len(skips) == 11, skips[:3]
    assert "999990 more records skipped" in skips[-1]


@pytest.mark.parametrize("option", ["--db", "--cache"])
def test_a_link_to_a_pipe_is_refused_by_name_not_resolved_to_a_new_file(
    tmp_path: Path, option: str
) -> None:
    """`--db /dev/stdin` with a pipe on stdin: refused as a FIFO, never a file 'pipe:[N]'.

    The link is a private copy of /dev/stdin's: a buggy newsreader that replaces or deletes
    it (as main did before issue 12) must not damage the system's /dev/stdin.
    """
    stdin = tmp_path / "stdin"
    stdin.symlink_to("/proc/self/fd/0")
    argv = ["search", "x", str(tmp_path)] if option == "--cache" else ["tag", "a1", "x"]
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *argv, option, str(stdin)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        input="{}",
    )
    assert result.returncode in (1, 2), result.stderr
    assert str(stdin) in result.stderr and "FIFO" in result.stderr
    assert stdin.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["stdin"]
