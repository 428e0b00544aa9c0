"""A corpus folder's README and licence files are reported as skipped, not read as articles."""

from __future__ import annotations

from pathlib import Path

from corpus.reader import FOLDER_DOCUMENT_REASON, read_paths, walk_stat

STORY = "The council reopened the bridge on Monday after repairs, a spokesman said.\n"


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sport").mkdir(parents=True)
    (folder / "sport" / "001.txt").write_text(STORY, encoding="utf-8")
    for name in ("README.md", "README.orig.TXT", "readme.txt", "LICENSE", "sport/Changelog.md"):
        (folder / name).write_text("This corpus holds 2,225 articles from 2004-2005.\n")
    (folder / "readmeister.txt").write_text("Readmeister wins the cup, the club said.\n")
    return folder


def test_readme_and_licence_files_are_skipped_and_reported(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    result = read_paths([folder])
    assert sorted(Path(d.path).name for d in result.documents) == ["001.txt", "readmeister.txt"]
    skipped = {Path(s.path).name: s.reason for s in result.skipped}
    assert skipped == dict.fromkeys(
        ["README.md", "README.orig.TXT", "readme.txt", "LICENSE", "Changelog.md"],
        FOLDER_DOCUMENT_REASON,
    )
    walked = {Path(name).name: reason for name, _, reason in walk_stat([folder])}
    assert walked["README.orig.TXT"] == FOLDER_DOCUMENT_REASON and walked["001.txt"] is None


def test_a_readme_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    result = read_paths([folder / "README.md"])
    assert len(result.documents) == 1 and not result.skipped
