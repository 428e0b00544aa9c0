"""`reader.walk_stat` (the index's walk) finds what the reader's own walk finds, with stats."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import corpus.index.changes
from corpus import reader
from corpus.index import CorpusIndex


def _hostile_tree(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "b" / "deep").mkdir(parents=True)
    (corpus / "a").mkdir()
    (corpus / ".hidden").mkdir()
    (corpus / ".hidden" / "x.txt").write_text("hidden")
    (corpus / "a" / "one.txt").write_text("one")
    (corpus / "a" / "two.md").write_text("# two")
    (corpus / "a" / "data.bin.JSON").write_text("[]")
    (corpus / "a" / "odd.").write_text("odd")
    (corpus / "a" / "image.png").write_bytes(b"\x89PNG")
    (corpus / "b" / "deep" / "three").write_text("three")
    os.symlink(corpus / "a" / "one.txt", corpus / "b" / "same.txt")  # the same file again
    os.symlink(corpus, corpus / "b" / "loop")  # a folder loop
    os.symlink(root / "missing.txt", corpus / "b" / "dangling.txt")
    os.mkfifo(corpus / "b" / "pipe.txt")
    return corpus


def test_walk_stat_matches_the_reader_walk(tmp_path: Path) -> None:
    corpus = _hostile_tree(tmp_path)
    explicit = corpus / "a" / "image.png"
    paths = [corpus, explicit, tmp_path / "nowhere"]
    expected = [(str(path), reason) for path, reason in reader._walk(paths)]
    walked = list(reader.walk_stat(paths))
    assert [(path, reason) for path, _, reason in walked] == expected
    assert any(reason is None for _, reason in expected)
    assert any(reason and "FIFO" in reason for _, reason in expected)
    for path, info, reason in walked:
        if reason is None:
            assert info is not None
            assert (info.st_size, info.st_mtime_ns) == (
                os.stat(path).st_size,
                os.stat(path).st_mtime_ns,
            )
        else:
            assert info is None


def test_a_big_cache_finds_changes_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child-process walk notices added, changed and removed files like the in-process one."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in (
        ("keep.txt", "Harbour news\n\nThe harbour bridge reopened on Monday."),
        ("change.txt", "Storm warning\n\nA storm is expected on the coast tonight."),
        ("remove.txt", "Budget vote\n\nThe council delayed the budget vote."),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    index = CorpusIndex.for_paths([folder], tmp_path / "cache.sqlite")
    index.refresh([folder], workers=1)
    (folder / "remove.txt").unlink()
    (folder / "change.txt").write_text("Flood warning\n\nRivers rose overnight.", encoding="utf-8")
    (folder / "new.txt").write_text("Ferry news\n\nThe night ferry sails again.", encoding="utf-8")
    monkeypatch.setattr(corpus.index.changes, "CHILD_WALK_FILES", 1)
    walked_here: list[object] = []
    monkeypatch.setattr(corpus.index.changes, "find_changes_here", lambda *a: walked_here.append(a))
    report = index.refresh([folder], workers=2)
    assert walked_here == []  # the walk ran in the child
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 1)
    titles = sorted(summary.title for summary in index.summaries())
    assert titles == ["Ferry news", "Flood warning", "Harbour news"]
    index.close()
