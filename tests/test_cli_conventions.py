"""The command line's conventions (issue 17): `-` for stdin and stdout, one way to give the
corpus, `newsreader help`, examples in the help, TSV to a pipe, progress on a terminal."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from corpus import SAMPLE_DIR
from tui.cli import main

STORY = (
    "Storm closes the harbour\n\n"
    "The storm closed the harbour on Monday, said John Smith of the Met Office.\n"
)


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None
) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_reads_one_article_from_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", "-", stdin=STORY.encode())
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and record["path"] == "-" and record["title"] == "Storm closes the harbour"
    assert "John Smith" in {e["text"] for e in record["entities"]}
    # the same text in a file gives the same analysis (but its path)
    lines = '{"title": "One", "text": "Body one."}\n{"title": "Two", "text": "Body two."}\n'
    code, out, _ = run(capsys, "analyze", "-", stdin=lines.encode())
    assert code == 0 and [json.loads(x)["title"] for x in out.splitlines()] == ["One", "Two"]


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "message"),
    [
        (["analyze", "-"], b"", 1, "stdin: no readable article"),
        (["analyze", "-"], b"\x00\x01\x02" * 50, 1, "binary file"),
        (["analyze", "-", str(SAMPLE_DIR)], b"x", 2, "read alone"),
        (["analyze", "-", "-o", "out"], b"x", 2, "not stdin"),
    ],
)
def test_analyze_stdin_refusals_say_why(
    capsys: pytest.CaptureFixture[str], argv: list[str], stdin: bytes, code: int, message: str
) -> None:
    got, out, err = run(capsys, *argv, stdin=stdin)
    assert (got, out) == (code, "") and message in err


def test_export_to_dash_writes_stdout_not_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "store.json")
    assert run(capsys, "tag", "2741", "urgent", "--db", db)[0] == 0
    code, out, err = run(capsys, "export", "--format", "json", "-o", "-", "--db", db)
    assert code == 0 and json.loads(out)["articles"][0]["annotations"]["tags"] == ["urgent"]
    assert not (tmp_path / "-").exists() and "exported" not in err
    code, _, err = run(capsys, "export", "--format", "brat", "-o", "-", "--db", db)
    assert code == 2 and "writes a folder" in err
    code, _, err = run(capsys, "export", "--format", "csv", "-o", "one.csv", "--db", db)
    assert code == 0 and "exported 1 article (0 orphans) to one.csv" in err


def test_progress_is_drawn_only_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import cli_corpus

    ticks = iter(range(0, 1000, 2))  # two seconds an article: every call redraws
    monkeypatch.setattr("time.monotonic", lambda: next(ticks))
    with cli_corpus.Progress("analysed") as progress:  # stderr is captured: not a terminal
        progress(1, 3)
    assert capsys.readouterr().err == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli_corpus.Progress("analysed") as progress:
        progress(1, 3)
        progress(3, 3)
    drawn = terminal.getvalue()
    assert "analysed 1/3 articles" in drawn and "analysed 3/3 articles" in drawn
    assert drawn.endswith("\r\x1b[K")  # wiped at the end


def test_exports_carry_the_articles_url() -> None:
    from corpus.analyze import analyze_read
    from corpus.reader import read_stream
    from store.export import CSV_COLUMNS, ExportItem, article_fields, csv_rows, md_article
    from store.model import ArticleAnnotations

    record = {"title": "Harbour", "text": "The harbour reopened.", "url": "https://example.org/h"}
    (article,) = analyze_read(read_stream(json.dumps(record).encode())).articles
    item = ExportItem(ArticleAnnotations(article.id, tags=("port",)), {}, article)
    assert article_fields(item)["url"] == "https://example.org/h"
    (row,) = csv_rows(item)
    assert dict(zip(CSV_COLUMNS, row, strict=True))["url"] == "https://example.org/h"
    assert any("url https://example.org/h" in line for line in md_article(item))
    orphan = ExportItem(ArticleAnnotations("gone", tags=("port",)), {}, None)
    assert article_fields(orphan)["url"] is None


def test_help_lists_the_app_options_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "help")
    assert code == 0
    app = out[out.index("app options") :]
    assert all(option in app for option in ("--db PATH", "--cache PATH", "--ner BACKEND"))
    assert "builtin, spacy" in app
    examples = out[out.index("examples:") :].splitlines()
    assert examples[1].startswith("  newsreader ~/news")  # kept as written, not re-filled
    for command in ("analyze", "search", "export", "help", "completion"):
        assert f"    {command}" in out
    code, out, _ = run(capsys, "help", "search")
    assert code == 0 and out.startswith("usage: newsreader search")
    code, _, err = run(capsys, "help", "serach")
    assert code == 2 and "no command 'serach'" in err and "search" in err


@pytest.mark.parametrize("shell", ["bash", "zsh", "tcsh"])
def test_completion_scripts_name_every_command_and_complete_paths(
    capsys: pytest.CaptureFixture[str], shell: str
) -> None:
    pytest.importorskip("shtab")
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0 and "newsreader" in out
    for command in ("analyze", "search", "export", "people", "completion"):
        assert command in out
    if shell == "tcsh":  # (shtab's tcsh script completes commands and choices)
        assert "completion/(bash zsh tcsh)" in out
        return
    assert "--no-refresh" in out and "--with-analysis" in out
    files = "_shtab_compgen_files" if shell == "bash" else ":_files"
    assert out.count(files) >= 10  # PATH, --corpus, --db, --cache, -o ... complete file names


def test_every_command_shows_examples_and_takes_the_corpus_the_same_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import argparse

    from tui.cli import build_parser

    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, subparser in commands.choices.items():
        assert "examples:\n  newsreader" in subparser.format_help(), name
        options = {o for action in subparser._actions for o in action.option_strings}
        reads_a_corpus = any(a.dest == "paths" for a in subparser._actions)
        if reads_a_corpus or name in ("tag", "note", "star", "export", "import"):
            assert "--corpus" in options, name
    by_path = run(capsys, "list", str(SAMPLE_DIR))[1]
    by_option = run(capsys, "list", "--corpus", str(SAMPLE_DIR))[1]
    assert by_path == by_option and len(by_path.splitlines()) == 5
