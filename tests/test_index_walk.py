"""`reader.walk_stat` (the index's walk) finds what the reader's own walk finds, with stats."""

from __future__ import annotations

import os
from pathlib import Path

from corpus import reader


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
