"""`newsreader tag|note|star|tags|export|import` through the real argument parser."""

from __future__ import annotations

import argparse
import io
import json
import os
from pathlib import Path

import pytest

import tui.cli_store as cli_store
from corpus.model import Article
from store import AnnotationStore
from tui.cli_common import CLIError

FIXTURES = Path(__file__).parent / "fixtures" / "store"


def fixture_articles() -> list[Article]:
    data = json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8"))
    return [Article.from_json(a) for a in data]


class Result:
    def __init__(self, code: int, out: bytes, err: str) -> None:
        self.code = code
        self.out_bytes = out
        self.out = out.decode("utf-8")
        self.err = err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.fixture(autouse=True)
def fake_corpus(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The corpus is the fixture articles; records which paths were asked for."""
    calls: list[str] = []

    def load(paths: list[str] | None, ner: str = "builtin") -> list[Article]:
        calls.append(",".join(paths or []))
        return fixture_articles()

    monkeypatch.setattr(cli_store, "load_articles", load)
    return calls


def run(
    argv: list[str],
    capsysbinary: pytest.CaptureFixture[bytes],
    stdin: str | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> Result:
    """Parse and run like `tui.cli.main` does for this area's subcommands."""
    parser = argparse.ArgumentParser(prog="newsreader")
    cli_store.register(parser.add_subparsers(dest="command"))
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        args = parser.parse_args(argv)
        code = args.func(args)
    except CLIError as error:
        print(str(error), file=__import__("sys").stderr)
        code = error.code
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsysbinary.readouterr()
    return Result(code, captured.out, captured.err.decode("utf-8"))


def test_tag_by_unique_prefix_and_remove(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    result = run(["tag", "c9d8", "Nato", "Defence", "--db", str(db)], capsysbinary)
    assert result.code == 0
    assert result.out.strip() == "c9d8e7f6a5b40003: Nato, Defence"
    result = run(["tag", "c9d8", "nato", "--remove", "--db", str(db)], capsysbinary)
    assert result.out.strip() == "c9d8e7f6a5b40003: Defence"
    assert AnnotationStore(db).get("c9d8e7f6a5b40003").tags == ("Defence",)


def test_a_full_store_id_does_not_read_the_corpus(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes], fake_corpus: list[str]
) -> None:
    AnnotationStore(db).add_tags("orphan-id", ["x"])
    assert run(["tag", "orphan-id", "y", "--db", str(db)], capsysbinary).code == 0
    assert fake_corpus == []
    assert run(["tag", "orph", "z", "--db", str(db)], capsysbinary).code == 0
    assert fake_corpus == [""]  # a prefix needs the corpus ids too
    assert AnnotationStore(db).get("orphan-id").tags == ("x", "y", "z")


def test_an_ambiguous_prefix_lists_the_candidates(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    result = run(["star", "a1b2", "--db", str(db)], capsysbinary)
    assert result.code == 1
    assert "matches 2 articles" in result.err
    assert "a1b2c3d4e5f60001" in result.err and "a1b2ffff00000002" in result.err
    assert "Schools funding" in result.err
    assert not db.exists()


def test_an_unknown_id_is_an_error_with_suggestions(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    result = run(["tag", "a1b2c3d4e5f6000X", "t", "--db", str(db)], capsysbinary)
    assert result.code == 1
    assert "no article id starts with 'a1b2c3d4e5f6000X'" in result.err
    assert "did you mean" in result.err and "a1b2c3d4e5f60001" in result.err


def test_an_empty_tag_is_a_usage_error(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run(["tag", "c9d8", "  ", "--db", str(db)], capsysbinary).code == 2


def test_note_from_argument_and_stdin_and_printing_it(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["note", "a1b2f", "short note", "--db", str(db)], capsysbinary).code == 0
    assert AnnotationStore(db).get("a1b2ffff00000002").note == "short note"
    text = "line one\n\x1b]52;c;ZXZpbA==\x07line two\n"
    result = run(["note", "a1b2f", "-", "--db", str(db)], capsysbinary, text, monkeypatch)
    assert result.code == 0 and "note saved" in result.out
    shown = run(["note", "a1b2f", "--db", str(db)], capsysbinary)
    assert shown.out == "line one\nline two\n"
    assert b"\x1b" not in shown.out_bytes
    assert run(["note", "a1b2f", "", "--db", str(db)], capsysbinary).out.endswith("cleared\n")


def test_star_and_unstar(db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert run(["star", "c9", "--db", str(db)], capsysbinary).out.strip().endswith("starred")
    assert AnnotationStore(db).get("c9d8e7f6a5b40003").starred
    run(["star", "c9", "--remove", "--db", str(db)], capsysbinary)
    assert not AnnotationStore(db).get("c9d8e7f6a5b40003").starred


def test_tags_lists_counts_and_is_inert(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    store = AnnotationStore(db)
    store.add_tags("a", ["Brexit", "two\nlines"])
    store.add_tags("b", ["brexit"])
    result = run(["tags", "--db", str(db)], capsysbinary)
    assert result.out.splitlines() == ["     2  Brexit", "     1  two⏎lines"]
    as_json = run(["tags", "--json", "--db", str(db)], capsysbinary)
    assert json.loads(as_json.out) == {"Brexit": 2, "two\nlines": 1}


def test_db_defaults_to_the_environment_variable(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "env.json"))
    assert run(["tag", "c9", "x"], capsysbinary).code == 0
    assert AnnotationStore(tmp_path / "env.json").get("c9d8e7f6a5b40003").tags == ("x",)


def test_export_to_stdout_and_import_round_trip(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = tmp_path / "a.json"
    run(["tag", "c9", "=SUM(A1)", "a,b", "--db", str(db)], capsysbinary)
    run(["note", "c9", 'x\n"y"', "--db", str(db)], capsysbinary)
    exported = run(["export", "--db", str(db)], capsysbinary)
    assert exported.code == 0
    export_file = tmp_path / "export.json"
    export_file.write_bytes(exported.out_bytes)
    other = tmp_path / "b.json"
    imported = run(["import", str(export_file), "--db", str(other)], capsysbinary)
    assert imported.code == 0 and "1 new" in imported.out
    assert AnnotationStore(other).all() == AnnotationStore(db).all()
    again = run(["import", str(export_file), "--db", str(other)], capsysbinary)
    assert "0 new, 0 merged, 1 unchanged" in again.out


def test_import_of_a_malformed_file_changes_nothing(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = tmp_path / "a.json"
    AnnotationStore(db).add_tags("x", ["keep"])
    before = db.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "newsreader-annotations-export", "schema_version": 2,\n"articles": [}'
    )
    result = run(["import", str(bad), "--db", str(db)], capsysbinary)
    assert result.code == 2  # bad input
    assert f"{bad}:2:" in result.err and "nothing was imported" in result.err
    assert db.read_bytes() == before


def test_export_formats_to_files_replace_atomically(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = tmp_path / "a.json"
    run(["tag", "a1b2c", "ukraine", "--db", str(db)], capsysbinary)
    target = tmp_path / "out.csv"
    target.write_text("old content")
    inode = target.stat().st_ino
    result = run(
        ["export", "--format", "csv", "--excel", "-o", str(target), "--db", str(db)], capsysbinary
    )
    assert result.code == 0 and result.out == ""
    assert target.read_bytes().startswith(b"\xef\xbb\xbfarticle_id,")
    assert target.stat().st_ino != inode  # replaced by rename, not rewritten in place
    for fmt in ("json", "jsonl", "md"):
        out = tmp_path / f"out.{fmt}"
        assert (
            run(["export", "--format", fmt, "-o", str(out), "--db", str(db)], capsysbinary).code
            == 0
        )
        assert "ukraine" in out.read_text()
    brat = tmp_path / "brat"
    assert (
        run(["export", "--format", "brat", "-o", str(brat), "--db", str(db)], capsysbinary).code
        == 0
    )
    assert (brat / "a1b2c3d4e5f60001.ann").exists()


def test_export_errors(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    db = tmp_path / "a.json"
    AnnotationStore(db).add_tags("x", ["t"])
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run(["export", "-o", str(blocker / "out.json"), "--db", str(db)], capsysbinary)
    assert result.code == 1 and "cannot write" in result.err
    result = run(
        ["export", "-o", str(tmp_path / "missing" / "out.json"), "--db", str(db)], capsysbinary
    )
    assert result.code == 1 and "cannot write" in result.err
    assert run(["export", "--format", "brat", "--db", str(db)], capsysbinary).code == 2
    assert run(["export", "--since", "yesterday", "--db", str(db)], capsysbinary).code == 2
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = run(["export", "-o", str(locked / "o.json"), "--db", str(db)], capsysbinary)
        assert result.code == 1 and "permission denied" in result.err


def test_a_corrupt_store_is_a_clear_error(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = tmp_path / "a.json"
    db.write_text('{\n"format": "newsreader-annotations",\n"schema_version": 2,\n"articles": {,}}')
    before = db.read_bytes()
    result = run(["tag", "c9", "x", "--db", str(db)], capsysbinary)
    assert result.code == 1
    assert f"{db}:4:" in result.err
    assert db.read_bytes() == before


def test_an_export_without_corpus_says_it_reads_the_sample_and_counts_orphans(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    store = AnnotationStore(db)
    store.add_tags("0123456789abcdef", ["from another corpus"])  # not in the corpus read
    result = run(["export", "--db", str(db)], capsysbinary)
    assert result.code == 0
    assert "no --corpus given: the export reads the sample corpus" in result.err
    assert "annotated but not in it: 1 article (exported without titles)" in result.err
    with_corpus = run(["export", "--db", str(db), "--corpus", "x"], capsysbinary)
    assert "sample corpus" not in with_corpus.err
