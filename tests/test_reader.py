"""corpus.reader: walking, formats, encodings, skips, ids and duplicates."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from corpus import reader
from corpus.reader import (
    UnreadableFile,
    decode_bytes,
    iter_corpus_files,
    read_paths,
    read_text,
    text_hash,
)

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
FORMATS = FIXTURES / "formats"
SEEDS = FIXTURES / "seeds"

ARTICLE = "The bridge reopened on Monday after a year of repairs, the council said.\n"


def by_name(result, name):  # type: ignore[no-untyped-def]
    return next(d for d in result.documents if Path(d.path.split("#")[0]).name == name)


def test_seed_ids_come_from_the_hex_in_the_file_name() -> None:
    result = read_paths([SEEDS])
    assert sorted(d.id for d in result.documents) == [
        "27415430c2fae0bd",
        "74c6b1bede9f04c4",
        "7a7d3776cb5ccbdd",
        "7a7d81bd043e34d3",
        "cb8583c2889f7641",
    ]
    assert result.skipped == [] and result.duplicates == []


def test_ids_are_stable_when_the_folder_moves(tmp_path: Path) -> None:
    first = tmp_path / "one"
    shutil.copytree(FORMATS, first)
    moved = tmp_path / "elsewhere" / "renamed"
    shutil.copytree(FORMATS, moved)
    ids_first = sorted(d.id for d in read_paths([first]).documents)
    ids_moved = sorted(d.id for d in read_paths([moved]).documents)
    assert ids_first == ids_moved
    assert len(set(ids_first)) == len(ids_first)


def test_id_without_hex_name_is_a_hash_of_the_normalised_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("  The   bridge\nreopened.  ", encoding="utf-8")
    document = read_paths([tmp_path]).documents[0]
    assert document.id == text_hash("The bridge reopened.")[:16]
    assert len(document.id) == 16


def test_json_object_fields() -> None:
    document = by_name(read_paths([FORMATS]), "record.json")
    assert document.id == "harbour-42"
    assert document.title == "Lighthouse reopens after repairs"
    assert document.date == "2024-05-03"
    assert document.byline == "Sam Reed"
    assert document.source == "Coast Gazette"
    assert document.url == "https://example.org/lighthouse"
    assert document.text.startswith("The old lighthouse")


def test_json_list_records_and_a_record_without_text() -> None:
    result = read_paths([FORMATS / "records.json"])
    assert [Path(d.path).name for d in result.documents] == ["records.json#1", "records.json#2"]
    assert result.documents[0].source == "Valley Post"
    assert result.documents[0].date == "March 9, 2024"
    assert result.documents[1].title == "Library opens longer on Saturdays"
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("records.json#3", "record has no text (text/body/content)")
    ]


def test_jsonl_bad_line_is_skipped_and_the_rest_read() -> None:
    result = read_paths([FORMATS / "records.jsonl"])
    assert len(result.documents) == 2
    assert result.documents[0].date == "2023-11-20"
    assert len(result.skipped) == 1
    assert result.skipped[0].path.endswith("records.jsonl#2")
    assert "invalid JSON" in result.skipped[0].reason


def test_markdown_front_matter() -> None:
    document = by_name(read_paths([FORMATS]), "notes.md")
    assert document.title == "Market square to be pedestrianised"
    assert document.date == "2024-02-14"
    assert document.byline == "Lee Marsh"
    assert "---" not in document.text
    assert document.format == "md"


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Ferry strike ends\n\nCrews went back to work.\n")
    document = read_paths([tmp_path]).documents[0]
    assert document.title == "Ferry strike ends"
    assert "Ferry strike ends" not in document.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cp1252.txt", "Café owners"),
        ("utf16.txt", "Der Stadtrat hat am Montag beschlossen, dass die Brücke"),
        ("utf8_bom.txt", "Les habitants du quartier ont inauguré"),
    ],
)
def test_encodings(name: str, expected: str) -> None:
    document = by_name(read_paths([FORMATS]), name)
    assert document.text.startswith(expected)
    assert "\ufeff" not in document.text


def test_decode_bytes_fallbacks() -> None:
    assert decode_bytes("naïve".encode()) == "naïve"
    assert decode_bytes("\ufeffnaïve".encode()) == "naïve"
    assert decode_bytes("naïve".encode("utf-16")) == "naïve"
    assert decode_bytes("“quoted” – café".encode("cp1252")) == "“quoted” – café"
    # 0x81 is undefined in cp1252: that byte alone becomes U+FFFD, the rest stays cp1252
    assert decode_bytes(b"caf\xe9 \x81") == "café \ufffd"


def test_one_undefined_cp1252_byte_keeps_the_files_quotation_marks(tmp_path: Path) -> None:
    (tmp_path / "windows.txt").write_bytes(b"\x93We are ready,\x94 she said \x96 on Monday.\x8d\n")
    (document,) = read_paths([tmp_path]).documents
    assert document.text == "\u201cWe are ready,\u201d she said \u2013 on Monday.\ufffd\n"


def test_binary_empty_and_whitespace_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "zeros.txt").write_bytes(b"abc\x00\x00def")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t\n")
    result = read_paths([tmp_path])
    assert [Path(d.path).name for d in result.documents] == ["good.txt"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons == {
        "image.txt": "binary file",
        "zeros.txt": "binary file",
        "empty.txt": "empty file",
        "blank.txt": "empty file",
    }


def test_escape_sequences_and_controls_are_removed_on_reading(tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text(
        "The \x1b[31mmayor\x1b[0m said \x1b]52;c;ZXZpbA==\x07yes.\x07\r\nIt rained.\u202e"
    )
    text = read_paths([tmp_path]).documents[0].text
    assert text == "The mayor said yes.\nIt rained."
    assert read_text(tmp_path / "evil.txt") == text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_reported_and_never_opened(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "pipe.txt")
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(read_paths([tmp_path])), daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert outcome, "reading a folder with a FIFO must not block"
    result = outcome[0]
    assert [Path(d.path).name for d in result.documents] == ["good.txt"]  # type: ignore[attr-defined]
    (skipped,) = result.skipped  # type: ignore[attr-defined]
    assert Path(skipped.path).name == "pipe.txt" and "FIFO" in skipped.reason
    with pytest.raises(UnreadableFile):
        read_text(tmp_path / "pipe.txt")


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text("A hidden article that must not be read at all.\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("Something in a hidden folder, not read.\n")
    result = read_paths([tmp_path])
    assert [Path(d.path).name for d in result.documents] == ["good.txt"]
    assert result.skipped == []
    assert [p.name for p in iter_corpus_files([tmp_path])] == ["good.txt"]


def test_folders_are_walked_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "one.txt").write_text("Story one is about the ferry service today.\n")
    (tmp_path / "a" / "deep" / "two.txt").write_text("Story two is about the new library hours.\n")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_corpus_files([tmp_path])]
    assert names == ["a/deep/two.txt", "b/one.txt"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_end(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text(ARTICLE)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    result = read_paths([tmp_path])
    assert [Path(d.path).name for d in result.documents] == ["story.txt"]
    assert [Path(s.path).name for s in result.skipped] == ["dangling.txt"]


def test_same_text_twice_is_one_article_and_the_duplicate_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text("  " + ARTICLE.replace(" ", "  ") + "\n\n")
    result = read_paths([tmp_path])
    assert [Path(d.path).name for d in result.documents] == ["a.txt"]
    assert result.duplicates == [(str(tmp_path / "b.txt"), str(tmp_path / "a.txt"))]


def test_unsupported_extension_in_a_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    result = read_paths([tmp_path])
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("photo.jpg", "unsupported file type (.jpg)")
    ]


def test_unreadable_file_is_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    real_open = os.open

    def refusing_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    result = read_paths([tmp_path])
    assert result.documents == []
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("locked.txt", "cannot open: Permission denied")
    ]


def test_same_hex_name_with_different_text_gets_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "000_27415430c2fae0bd.txt").write_text(ARTICLE)
    (tmp_path / "b" / "000_27415430c2fae0bd.txt").write_text("A different story entirely.\n")
    ids = [d.id for d in read_paths([tmp_path]).documents]
    assert ids[0] == "27415430c2fae0bd"
    assert ids[1].startswith("27415430c2fae0bd-") and len(set(ids)) == 2


def test_read_text_of_a_json_record_path_reads_the_file() -> None:
    text = read_text(FORMATS / "records.json#2")
    assert text.lstrip().startswith("[")


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(ARTICLE)
    result = read_paths([story, tmp_path, story])
    assert len(result.documents) == 1
    assert result.duplicates == [] and result.skipped == []


def test_a_folder_tree_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    depth = sys.getrecursionlimit() + 100
    here = os.getcwd()
    try:
        os.chdir(tmp_path)  # relative mkdirs: the absolute path would grow with every level
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        Path("bottom.txt").write_text(ARTICLE)
    finally:
        os.chdir(here)
    try:
        result = read_paths([tmp_path])
        assert [Path(d.path).name for d in result.documents] == ["bottom.txt"]
        assert result.skipped == []
    finally:
        for level in range(depth, 0, -1):  # shutil.rmtree would recurse once per level
            folder = tmp_path / Path(*(["d"] * level))
            for entry in os.listdir(folder):
                os.unlink(folder / entry)
            os.rmdir(folder)


def test_walk_order_is_depth_first_by_name_and_keeps_the_argument_order(tmp_path: Path) -> None:
    for name in ("b/x.txt", "b/a/y.txt", "a.txt", "c/z.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"A story filed as {name} about the harbour.\n")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_corpus_files([tmp_path])]
    assert names == ["a.txt", "b/a/y.txt", "b/x.txt", "c/z.txt"]
    named = iter_corpus_files([tmp_path / "c", tmp_path / "a.txt", tmp_path / "b"])
    assert [p.relative_to(tmp_path).as_posix() for p in named] == [
        "c/z.txt",
        "a.txt",
        "b/a/y.txt",
        "b/x.txt",
    ]


def test_an_article_over_the_size_cap_is_skipped_with_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_ARTICLE_BYTES", 1000)
    (tmp_path / "huge.txt").write_text("The council met again. " * 100)  # 2,300 bytes
    (tmp_path / "small.txt").write_text(ARTICLE)
    (tmp_path / "records.jsonl").write_text(
        '{"text": "%s"}\n{"text": "A short record about the ferry."}\n' % ("word " * 300)
    )
    result = read_paths([tmp_path])
    assert sorted(Path(d.path.split("#")[0]).name for d in result.documents) == [
        "records.jsonl",
        "small.txt",
    ]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons == {
        "huge.txt": "too large for one article: 0.0 MB",
        "records.jsonl#1": "too large for one article: 0.0 MB",
    }


def test_the_article_size_cap_counts_utf8_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_ARTICLE_BYTES", 3 * 1024 * 1024)
    assert reader.article_too_large("a" * (3 * 1024 * 1024)) is None
    assert reader.article_too_large("é" * (1024 * 1024)) is None  # 2 MB of UTF-8
    assert reader.article_too_large("é" * (2 * 1024 * 1024)) == (
        "too large for one article: 4.0 MB"
    )


def test_a_file_that_grows_while_it_is_read_stops_at_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 10_000)
    (tmp_path / "growing.log.txt").write_text(ARTICLE)  # fstat: small
    requested: list[int] = []

    def endless_read(fd: int, size: int) -> bytes:  # another process keeps appending
        requested.append(size)
        assert len(requested) < 100, "read past the cap"
        return b"x" * size

    monkeypatch.setattr(reader.os, "read", endless_read)
    result = read_paths([tmp_path])
    assert result.documents == []
    assert [s.reason for s in result.skipped] == ["too large (over 10000 bytes, still growing)"]
    assert sum(requested) == 10_001  # one byte past the cap, no more


def test_html_character_references_are_decoded_in_text_and_json_fields(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "&#163;1.8m indecency fine for Viacom\n\nThe caf&eacute; owner &amp; AT&T said so.\n",
        encoding="utf-8",
    )
    record = {"title": "Q&amp;A: &lt;b&gt; bold", "text": "Price &#x20AC;5 and R&D. &#27;[31m"}
    (tmp_path / "b.json").write_text(json.dumps(record), encoding="utf-8")
    docs = {Path(d.path).name: d for d in read_paths([tmp_path]).documents}
    assert docs["a.txt"].text.startswith("£1.8m indecency fine")
    assert "café owner & AT&T said so." in docs["a.txt"].text
    assert docs["b.json"].title == "Q&A: <b> bold"
    assert docs["b.json"].text == "Price €5 and R&D. [31m"  # a reference to ESC is not obeyed
