"""Is the index current? The folder signature, the manifest a refresh leaves, streamed search.

Every change is made with a new size and an mtime set one second on, so no test depends on
the clock ticking between two writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_index import FakeAnalyser, markdown, write

from corpus import index_freshness
from corpus.index import CorpusIndex
from corpus.index import cache as index_cache
from corpus.index import db as index_db
from corpus.index import refresh as index_refresh
from corpus.index_freshness import SignatureSoon, changed_folders, tree_signature


@pytest.fixture
def analyser(monkeypatch: pytest.MonkeyPatch) -> FakeAnalyser:
    fake = FakeAnalyser()
    monkeypatch.setattr("corpus.analyze.analyze_document", fake)
    return fake


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """A corpus with articles two folders deep."""
    root = tmp_path / "corpus"
    write(root, "top.md", markdown("Harbour bridge reopens", "The harbour bridge reopened."))
    write(root, "2025/02/storm.md", markdown("Storm warning", "A storm is coming to the coast."))
    write(root, "2025/02/ferry.md", markdown("Ferry news", "The night ferry sails again."))
    write(root, "2025/03/budget.md", markdown("Budget vote", "The council delayed the vote."))
    return root


def later(path: Path) -> None:
    """Move the file's mtime one second on (a change the clock cannot hide)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def add_file(root: Path) -> None:
    write(root, "2025/02/new.md", markdown("Zeppelin lands", "A zeppelin landed."))


def change_file(root: Path) -> None:
    path = root / "2025/02/storm.md"
    path.write_text(markdown("Storm warning", "A bigger storm is coming to the coast."))
    later(path)


def touch_file(root: Path) -> None:
    later(root / "2025/02/storm.md")


def remove_file(root: Path) -> None:
    (root / "2025/02/ferry.md").unlink()


def remove_folder(root: Path) -> None:
    (root / "2025/03/budget.md").unlink()
    (root / "2025/03").rmdir()


CHANGES = [add_file, change_file, touch_file, remove_file, remove_folder]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_the_signature_sees_a_change_two_folders_down(nested: Path, change: object) -> None:
    before = tree_signature([nested])
    assert tree_signature([nested]) == before
    change(nested)  # type: ignore[operator]
    after = tree_signature([nested])
    assert after != before
    folders = changed_folders(before, after)
    assert folders and all(f.startswith(str(nested / "2025")) for f in folders)


def test_the_signature_leaves_out_hidden_files_and_ends_in_a_link_loop(nested: Path) -> None:
    before = tree_signature([nested])
    (nested / "2025" / ".DS_Store").write_bytes(b"finder")
    assert tree_signature([nested]) == before
    (nested / "2025" / "02" / "loop").symlink_to(nested / "2025")
    looped = tree_signature([nested])  # returns: the folder is entered once
    assert looped != before


def test_the_signature_of_a_file_path_and_a_missing_path(nested: Path, tmp_path: Path) -> None:
    file = nested / "top.md"
    before = tree_signature([file])
    file.write_text(markdown("Harbour bridge reopens", "The harbour bridge reopened today."))
    later(file)
    assert tree_signature([file]) != before
    assert tree_signature([tmp_path / "missing"]) != tree_signature([tmp_path / "gone"])


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_the_index_is_current_until_a_file_changes(
    tmp_path: Path, nested: Path, analyser: FakeAnalyser, change: object
) -> None:
    with CorpusIndex.for_paths([nested], tmp_path / "cache.sqlite") as index:
        assert not index.is_current([nested], tree_signature([nested]))  # never refreshed
        index.refresh([nested], workers=1)
        assert index.is_current([nested], tree_signature([nested]))
        change(nested)  # type: ignore[operator]
        signature = tree_signature([nested])
        assert not index.is_current([nested], signature)
        index.refresh([nested], workers=1, signature=signature)
        assert index.is_current([nested], tree_signature([nested]))


def test_a_manifest_is_of_its_paths_and_of_no_later_write(
    tmp_path: Path, nested: Path, analyser: FakeAnalyser
) -> None:
    with CorpusIndex.for_paths([nested], tmp_path / "cache.sqlite") as index:
        index.refresh([nested], workers=1)
        part = [nested / "2025"]
        assert not index.is_current(part, tree_signature(part))
        index_db.bump_generation(index.db.conn())  # what any refresh that changed something does
        assert not index.is_current([nested], tree_signature([nested]))


def test_a_cancelled_refresh_leaves_no_manifest(
    tmp_path: Path, nested: Path, analyser: FakeAnalyser
) -> None:
    with CorpusIndex.for_paths([nested], tmp_path / "cache.sqlite") as index:
        index.refresh([nested], workers=1)
        add_file(nested)
        report = index.refresh([nested], workers=1, cancelled=lambda: True)
        assert report.cancelled
        assert not index.is_current([nested], tree_signature([nested]))


def test_a_signature_taken_before_a_change_is_not_current_after_it(
    tmp_path: Path, nested: Path, analyser: FakeAnalyser
) -> None:
    """The manifest is the signature the refresh started from: a later change is seen."""
    with CorpusIndex.for_paths([nested], tmp_path / "cache.sqlite") as index:
        early = tree_signature([nested])
        add_file(nested)  # after the signature, before the refresh's own walk
        index.refresh([nested], workers=1, signature=early)
        assert "Zeppelin lands" in {s.title for s in index.summaries()}
        assert not index.is_current([nested], tree_signature([nested]))


def test_streamed_hits_are_the_search_results_in_order(
    tmp_path: Path, analyser: FakeAnalyser
) -> None:
    root = tmp_path / "many"
    for number in range(30):
        write(root, f"{number:02}.md", markdown(f"Harbour {number}", f"Harbour news {number}."))
    with CorpusIndex.for_paths([root], tmp_path / "cache.sqlite") as index:
        index.refresh([root], workers=1)
        listed = index.search("harbour", limit=25)
        streamed = index.iter_search("harbour", limit=25)
        assert list(streamed) == listed and len(listed) == 25
        assert [h.article_id for h in listed] == index.search_ids("harbour", limit=25)
        assert list(index.iter_search("zeppelin")) == []


def test_ranking_fails_when_called_not_when_the_first_hit_is_taken(
    tmp_path: Path, nested: Path, analyser: FakeAnalyser
) -> None:
    with CorpusIndex.for_paths([nested], tmp_path / "cache.sqlite") as index:
        index.refresh([nested], workers=1)
        index.db.conn().execute("DROP TABLE fts")
        with pytest.raises(sqlite3.DatabaseError):
            index.iter_search("harbour")


def test_rollback_ends_the_transaction(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t VALUES (1)")
    index_db.rollback(conn)
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    index_db.rollback(conn)  # none open: nothing happens


def test_aliases_are_redone_only_when_a_person_name_comes_or_goes(
    tmp_path: Path, analyser: FakeAnalyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "people"
    write(root, "a.md", markdown("Harbour", "the mayor, Lopez, opened the harbour bridge."))
    write(root, "b.md", markdown("Budget", "The budget vote was delayed again."))
    calls: list[int] = []
    original = index_refresh.corpus_aliases

    def counted(names: object) -> dict[str, str]:
        calls.append(1)
        return original(names)  # type: ignore[arg-type]

    monkeypatch.setattr(index_refresh, "corpus_aliases", counted)
    with CorpusIndex.for_paths([root], tmp_path / "cache.sqlite") as index:
        index.refresh([root], workers=1)
        assert len(calls) == 1
        budget = root / "b.md"
        budget.write_text(markdown("Budget", "The budget vote was delayed once more."))
        later(budget)
        index.refresh([root], workers=1)
        assert len(calls) == 1  # the same people before and after: the aliases stand
        write(root, "c.md", markdown("Ferry", "Maria Lopez took the night ferry."))
        index.refresh([root], workers=1)
        assert len(calls) == 2
        assert index.aliases().get("Lopez") == "Maria Lopez"
        (root / "c.md").unlink()
        index.refresh([root], workers=1)
        assert len(calls) == 3 and "Lopez" not in index.aliases()


def test_aliases_left_unfinished_are_redone_by_the_next_refresh(
    tmp_path: Path, analyser: FakeAnalyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "people"
    write(root, "a.md", markdown("Harbour", "the mayor, Lopez, opened the harbour bridge."))
    with CorpusIndex.for_paths([root], tmp_path / "cache.sqlite") as index:
        index.refresh([root], workers=1)
        write(root, "c.md", markdown("Ferry", "Maria Lopez took the night ferry."))

        def crash(self: object) -> None:
            raise KeyboardInterrupt  # the refresh stops after its articles are in

        with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
            patched.setattr(index_refresh.Refresh, "_finish", crash)
            index.refresh([root], workers=1)
        assert "Lopez" not in index.aliases()
        budget = root / "a.md"
        budget.write_text(markdown("Harbour", "the mayor, Lopez, opened the new harbour bridge."))
        later(budget)
        index.refresh([root], workers=1)  # no name comes or goes now, but the last one did
        assert index.aliases().get("Lopez") == "Maria Lopez"


# --- the code digest, noted with the code files' stat ---------------------------------------


def new_process() -> None:
    """What a new process knows of the code: nothing yet."""
    index_cache.code_digest.cache_clear()
    index_cache.code_stat.cache_clear()


@pytest.fixture
def own_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The code digest covers two files of a folder of this test's own."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "clean.py").write_text("RULES = 1\n")
    (code / "quotes.py").write_text("VERBS = ['said']\n")
    monkeypatch.delenv(index_cache.CODE_DIGEST_ENV, raising=False)
    monkeypatch.setattr(
        index_cache, "code_files", lambda: [(p.name, p) for p in sorted(code.iterdir())]
    )
    new_process()
    yield code
    new_process()  # (the digest of the real code for the tests that follow)


def test_an_open_reads_the_code_only_when_its_files_changed(
    tmp_path: Path, nested: Path, analyser: FakeAnalyser, own_code: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    with CorpusIndex.for_paths([nested], cache) as index:
        index.refresh([nested], workers=1)
    new_process()
    read: list[Path] = []
    original = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.parent == own_code:
            read.append(path)
        return original(path)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(Path, "read_bytes", counted)
        with CorpusIndex.for_paths([nested], cache) as index:
            assert index.has_articles()  # current: not rebuilt
        assert read == []  # the stat of the code files was enough
        later(own_code / "clean.py")  # touched, not changed: read once, still current
        new_process()
        with CorpusIndex.for_paths([nested], cache) as index:
            assert index.has_articles()
        assert len(read) == 2
        new_process()
        with CorpusIndex.for_paths([nested], cache) as index:
            assert index.has_articles()
        assert len(read) == 2  # noted again with the new mtime
        (own_code / "clean.py").write_text("RULES = 2\n")  # changed: the cache is stale
        later(own_code / "clean.py")
        new_process()
        with CorpusIndex.for_paths([nested], cache) as index:
            assert not index.has_articles()  # rebuilt empty for the new code


def test_the_code_digest_takes_modules_of_sub_packages_and_leaves_out_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = {name for name, _ in index_cache.code_files()}
    assert "clean.py" in real and "data/quote_verbs.tsv" in real
    assert not any(name.startswith("index") for name in real)
    package = tmp_path / "corpus"
    for name in (
        "clean.py",
        "quoting/__init__.py",
        "quoting/speakers.py",
        "quoting/deeper/cues.py",
        "data/verbs.tsv",
        "data/more/names.txt",
        "index/cache.py",
        "index_freshness.py",
        "quoting/__pycache__/speakers.py",
        "sample/story.txt",
    ):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(f"# {name}\n")
    files = index_cache.code_files(package)
    assert [name for name, _ in files] == [
        "clean.py",
        "data/more/names.txt",
        "data/verbs.tsv",
        "quoting/__init__.py",
        "quoting/deeper/cues.py",
        "quoting/speakers.py",
    ]
    monkeypatch.delenv(index_cache.CODE_DIGEST_ENV, raising=False)
    monkeypatch.setattr(index_cache, "code_files", lambda: files)
    new_process()
    before = index_cache.code_digest()
    (package / "quoting/deeper/cues.py").write_text("CUES = ['said']\n")
    new_process()
    assert index_cache.code_digest() != before  # a module two packages down counts
    (package / "index/cache.py").write_text("# the index's own code\n")
    changed = index_cache.code_digest()
    new_process()
    assert index_cache.code_digest() == changed  # the index package does not
    new_process()


def test_a_signature_taken_soon_is_the_signature(nested: Path) -> None:
    expected = tree_signature([nested])
    with SignatureSoon([nested]) as soon:
        assert (soon._child is not None) == index_freshness._may_fork()  # a child walks it
        assert soon() == expected
        assert soon() == expected  # asked twice: the same value
    # a change made after the walk is not in it, and is seen by the next one
    add_file(nested)
    assert SignatureSoon([nested])() != expected


def test_a_signature_soon_without_a_child_walks_here(
    nested: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = tree_signature([nested])

    def no_fork() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", no_fork, raising=False)
    soon = SignatureSoon([nested])
    assert soon._child is None
    assert soon() == expected
    monkeypatch.undo()
    # a child that fails (here: it cannot walk) gives no value: the walk is done here
    monkeypatch.setattr(index_freshness, "tree_signature", lambda paths: 1 / 0)
    soon = SignatureSoon([nested])
    monkeypatch.undo()
    assert soon() == expected


def test_a_signature_soon_that_is_never_asked_for_leaves_no_child(nested: Path) -> None:
    soon = SignatureSoon([nested])
    child = soon._child
    soon.close()
    soon.close()  # twice is harmless
    if child is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(child[0], os.WNOHANG)  # already reaped
