"""Hostile files, round two (issue 12): the index cache is disposable, so treat it so.

- A damaged cache (pages corrupted behind an intact header, a missing table, an FTS index
  that fails to open, a file cut short, a row that does not decode) is found, said in one
  line, moved aside as `<cache>.damaged` and rebuilt: by `search`, by `index` (which reads
  every page, `CorpusIndex.check`) and by the app.
- A full disk (a real file size limit; a really full tmpfs where one can be mounted): a
  clear message, exit 1, and the old cache as it was; `search` searches it as it is.
- A read-only file system (a tmpfs remounted read-only where possible): a valid cache is
  searched as it is, never treated as foreign and never deleted; `index` says it cannot
  update it.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from guards import hang_guard

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    f"a{n}.txt": f"Bridge number {n} reopens\n\nThe mayor of Springfield said on Monday that "
    f"bridge number {n} would reopen after repairs costing millions. Residents welcomed it.\n"
    for n in range(6)
}


@pytest.fixture(autouse=True)
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's store: `search` reads the default one."""
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "default-annotations.json"))


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with hang_guard(120):
        code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def make_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_cache(capsys: pytest.CaptureFixture[str], corpus: Path, cache: Path) -> None:
    code, _out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache), "--workers", "1")
    assert code == 0, err


def _root_page(cache: Path, name: str) -> tuple[int, int]:
    conn = sqlite3.connect(cache)
    try:
        (page,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    return page, size


def corrupt_page(name: str) -> Callable[[Path], None]:
    def damage(cache: Path) -> None:
        page, size = _root_page(cache, name)
        with open(cache, "r+b") as handle:
            handle.seek((page - 1) * size)
            handle.write(b"\xde\xad\xbe\xef" * (size // 4))

    return damage


def run_sql(statement: str) -> Callable[[Path], None]:
    def damage(cache: Path) -> None:
        conn = sqlite3.connect(cache)
        conn.executescript(statement)
        conn.close()

    return damage


def cut_in_half(cache: Path) -> None:
    with open(cache, "r+b") as handle:
        handle.truncate(cache.stat().st_size // 2)


DAMAGE = {
    "pages of the articles table": corrupt_page("articles"),
    "pages of the files table": corrupt_page("files"),
    "pages of the FTS index": corrupt_page("fts_idx"),
    "the FTS data root": corrupt_page("fts_data"),
    "a missing articles table": run_sql("DROP TABLE articles"),
    "a missing FTS config": run_sql("DROP TABLE fts_config"),
    "an FTS of an unknown format": run_sql("UPDATE fts_config SET v = 99 WHERE k = 'version'"),
    "a file cut in half": cut_in_half,
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(
    request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path]:
    """(corpus, cache): a cache built for the corpus, then damaged."""
    corpus = make_corpus(tmp_path / "corpus")
    cache = tmp_path / "index.sqlite"
    build_cache(capsys, corpus, cache)
    DAMAGE[request.param](cache)
    return corpus, cache


def assert_rebuilt(err: str, cache: Path) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "damaged" in line]
    assert len(lines) == 1, err
    assert str(cache) in lines[0] and f"{cache}.damaged" in lines[0]
    assert Path(f"{cache}.damaged").exists()


def test_search_rebuilds_a_damaged_cache(
    damaged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, cache = damaged
    code, out, err = run_cli(capsys, "search", "mayor", str(corpus), "--cache", str(cache))
    assert code == 0, err
    assert out.count("Bridge number") == 6
    assert_rebuilt(err, cache)
    code, out, err = run_cli(capsys, "search", "mayor", str(corpus), "--cache", str(cache))
    assert code == 0 and "damaged" not in err  # once rebuilt it stays quiet


def test_index_rebuilds_a_damaged_cache(
    damaged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, cache = damaged
    code, out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache))
    assert code == 0, err
    assert out.startswith("6 articles indexed: 6 files added")
    assert_rebuilt(err, cache)


def _app_load(tmp_path: Path, corpus: Path, cache: Path) -> tuple[list[str], str]:
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.headless import settle

    async def scenario() -> tuple[list[str], str]:
        app = make_app(
            paths=[corpus],
            db_path=tmp_path / "annotations.json",
            cache_path=cache,
            config=AppConfig(path=tmp_path / "config.toml"),
        )
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            screen = app.screen_stack[0]
            said = " ".join(str(n.message) for n in app._notifications)
            return [s.title for s in screen.summaries], said  # type: ignore[attr-defined]

    with hang_guard(120):
        return asyncio.run(scenario())


@pytest.mark.parametrize(
    "kind", ["pages of the files table", "a missing articles table", "a missing FTS config"]
)
def test_the_app_rebuilds_a_damaged_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    cache = tmp_path / "index.sqlite"
    build_cache(capsys, corpus, cache)
    DAMAGE[kind](cache)
    titles, said = _app_load(tmp_path, corpus, cache)
    assert len(titles) == 6
    assert "damaged" in said and str(cache) in said
    assert "Could not load" not in said
    assert Path(f"{cache}.damaged").exists()


def test_damage_met_when_an_article_is_opened_is_rebuilt_on_the_next_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row that does not decode is found only when read: noted, and rebuilt next time."""
    from corpus.index import CorpusIndex, DamagedCacheError

    corpus = make_corpus(tmp_path / "corpus")
    cache = tmp_path / "index.sqlite"
    build_cache(capsys, corpus, cache)
    run_sql("UPDATE articles SET extra = x'00010203'")(cache)
    with CorpusIndex(cache) as index:
        first = index.summaries()[0].id
        with pytest.raises(DamagedCacheError, match="rebuilt the next time"):
            index.article(first)
    with CorpusIndex(cache) as index:
        assert any("damaged" in notice for notice in index.notices)
        index.refresh([corpus], workers=1)
        assert index.article(first).title.startswith("Bridge number")


def test_busy_is_not_damage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cache locked by another writer is waited for, never moved aside."""
    from corpus.index import cache_damage

    locked = sqlite3.OperationalError("database is locked")
    assert cache_damage(locked) is None
    assert cache_damage(sqlite3.OperationalError("no such module: fts5")) is None
    assert cache_damage(sqlite3.DatabaseError("database disk image is malformed"))


# --- a full disk ----------------------------------------------------------------------------------


def test_a_file_size_limit_while_indexing_leaves_the_old_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RLIMIT_FSIZE makes the kernel refuse the cache's writes (EFBIG), as a full disk would."""
    corpus = make_corpus(tmp_path / "corpus")
    cache = tmp_path / "index.sqlite"
    build_cache(capsys, corpus, cache)
    for n in range(40):
        (corpus / f"new{n}.txt").write_text(
            f"New story {n}\n\n" + f"Councillor Jones said the ferry {n} would run. " * 300
        )
    script = textwrap.dedent(
        """
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        from tui.cli import main
        limit = int(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        sys.exit(main(sys.argv[2:]))
        """
    )
    limit = cache.stat().st_size + 8192
    argv = ["index", str(corpus), "--cache", str(cache), "--workers", "1"]
    result = subprocess.run(
        [sys.executable, "-c", script, str(limit), *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert f"cannot update the index cache {cache}" in result.stderr
    assert "the cache was left as it was" in result.stderr
    # the old cache is whole: it opens and finds the old articles, then the new ones
    code, out, err = run_cli(capsys, "search", "mayor", str(corpus), "--cache", str(cache))
    assert code == 0 and out.count("Bridge number") == 6 and "damaged" not in err, err


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (root on Linux); the test is skipped where none can be mounted."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_really_full_disk_while_indexing(
    tmp_path: Path, small_tmpfs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    cache = small_tmpfs / "index.sqlite"
    build_cache(capsys, corpus, cache)
    for n in range(40):
        (corpus / f"new{n}.txt").write_text(
            f"New story {n}\n\n" + f"Councillor Jones said the ferry {n} would run. " * 40
        )
    filler = fill(small_tmpfs)  # the new stories fit in the 1 MB once the filler is gone
    code, _out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache), "--workers", "1")
    assert code == 1 and "Traceback" not in err
    assert "the disk is full" in err and "the cache was left as it was" in err
    code, out, err = run_cli(capsys, "search", "mayor", str(corpus), "--cache", str(cache))
    assert code == 0 and out.count("Bridge number") == 6, err
    assert "the disk is full" in err and "searching the index as it is" in err
    filler.unlink()
    code, out, err = run_cli(capsys, "search", "ferry", str(corpus), "--cache", str(cache))
    assert code == 0 and "New story" in out and "damaged" not in err


# --- a read-only file system ---------------------------------------------------------------------


@pytest.fixture
def read_only_cache(
    tmp_path: Path, small_tmpfs: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path, bytes]:
    """(corpus, cache, its bytes): a cache built on a tmpfs, then remounted read-only."""
    corpus = make_corpus(tmp_path / "corpus")
    cache = small_tmpfs / "index.sqlite"
    build_cache(capsys, corpus, cache)
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], capture_output=True)
    if remounted.returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only")
    return corpus, cache, cache.read_bytes()


def test_a_valid_cache_on_a_read_only_file_system_is_searched_as_it_is(
    read_only_cache: tuple[Path, Path, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, cache, before = read_only_cache
    (corpus / "later.txt").write_text("Later story\n\nThe mayor spoke again on Tuesday.\n")
    for refresh in ([], ["--no-refresh"]):
        code, out, err = run_cli(
            capsys, "search", "mayor", str(corpus), "--cache", str(cache), *refresh
        )
        assert code == 0, err
        assert out.count("Bridge number") == 6 and "Later story" not in out
        assert "Traceback" not in err and "not a newsreader index" not in err
    assert cache.read_bytes() == before
    code, _out, err = run_cli(capsys, "index", str(corpus), "--cache", str(cache))
    assert code == 1 and "read-only" in err and str(cache) in err
    assert cache.read_bytes() == before


def test_the_app_shows_a_read_only_cache_as_it_is(
    tmp_path: Path, read_only_cache: tuple[Path, Path, bytes]
) -> None:
    corpus, cache, before = read_only_cache
    titles, said = _app_load(tmp_path, corpus, cache)
    assert len(titles) == 6
    assert "read-only" in said and "Could not load" not in said
    assert cache.read_bytes() == before


def test_a_read_only_file_system_is_searched_as_it_is_where_none_can_be_mounted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path without a mount: the file system is said to be read-only."""
    import corpus.index.opening as opening

    corpus = make_corpus(tmp_path / "corpus")
    cache = tmp_path / "index.sqlite"
    build_cache(capsys, corpus, cache)
    before = cache.read_bytes()
    monkeypatch.setattr(opening, "on_read_only_file_system", lambda path: True)
    (corpus / "later.txt").write_text("Later story\n\nThe mayor spoke again on Tuesday.\n")
    code, out, err = run_cli(capsys, "search", "mayor", str(corpus), "--cache", str(cache))
    assert code == 0 and out.count("Bridge number") == 6 and "Later story" not in out, err
    assert cache.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["corpus", "index.sqlite", "index.sqlite.lock"]
    )
    shutil.rmtree(corpus)
