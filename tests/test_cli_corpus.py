"""`newsreader analyze`, `list` and `show` through tui.cli.main."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from corpus import ner_spacy
from corpus.entities import EntityBackendUnavailable
from corpus.textsafe import dumps_inert
from tui import cli_corpus
from tui.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
SEEDS = FIXTURES / "seeds"


def test_analyze_jsonl_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SEEDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 5
    assert [r["date"] for r in records] == [
        "2025-02-22",
        "2025-02-22",
        "2025-02-23",
        "2025-02-26",
        None,
    ]
    assert records[-1]["byline"] == "Millie Cooke"
    assert set(records[0]) >= {"id", "path", "title", "body", "captions", "removed", "entities"}


def test_analyze_json_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SEEDS), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert isinstance(records, list) and len(records) == 5


def test_analyze_without_path_uses_the_sample_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5


def test_skipped_files_go_to_stderr_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "story.txt").write_text(
        "The ferry service will add two evening crossings from next month, the operator said.\n"
    )
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "empty.txt").write_text("")
    assert main(["analyze", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "broken.json" in captured.err and "invalid JSON" in captured.err
    assert "empty.txt: empty file" in captured.err


def test_no_readable_article_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("")
    assert main(["analyze", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no readable article" in captured.err


def test_missing_path_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["analyze", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and len(err.strip().splitlines()) == 1
    assert main(["list", str(missing)]) == 2


def test_unavailable_entity_backend_exits_1_saying_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unavailable() -> None:
        raise EntityBackendUnavailable("the spaCy entity backend needs spaCy (test)")

    def no_analysis(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus is read although the backend is unavailable")

    monkeypatch.setattr(ner_spacy, "spacy_pipeline", unavailable)
    monkeypatch.setattr(cli_corpus, "analyze_paths", no_analysis)
    assert main(["analyze", str(SEEDS), "--ner", "spacy"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "the spaCy entity backend needs spaCy (test)" in captured.err


def test_list_table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # a table, as on a terminal
    assert main(["list", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "27415430" in out and "2025-02-22" in out
    assert "Undated" in out and "The Independent" in out


def test_list_to_a_pipe_is_tab_separated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(SEEDS)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 5 and all(len(row) == 5 for row in rows)  # id, date, title, source, path
    first = next(row for row in rows if row[0] == "27415430c2fae0bd")
    assert first[1] == "2025-02-22" and first[3] == "The Independent"
    assert first[4].endswith("000_27415430c2fae0bd.txt")
    assert [row[1] for row in rows].count("") == 1  # the undated one: an empty cell


def test_list_prints_markup_in_titles_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "title": "[bold red]Breaking[/] [link=http://x]news[/link]",
        "source": "[blink]Evil Times[/blink]",
        "text": "The council voted on Tuesday to keep the library open on Sundays.",
    }
    (tmp_path / "a.json").write_text(json.dumps(record))
    assert main(["list", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[bold red]Breaking[/]" in out
    assert "[blink]Evil" in out


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(SEEDS), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows][-1] == "7a7d81bd043e34d3"
    assert set(rows[0]) == {"id", "date", "title", "source", "path"}


def test_show_prints_the_cleaned_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "7a7d81", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Starmer and European allies to head to US")
    assert "Millie Cooke" in out
    assert "Sign up to read this article" not in out
    assert "Get all your news in one place." not in out


def test_show_unknown_id_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "ffffffff", str(SEEDS)]) == 1
    assert "no article" in capsys.readouterr().err


def test_show_prints_no_escape_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "0123456789abcdef.txt").write_text(
        "The \x1b[2J\x1b]0;pwned\x07council voted on Tuesday to keep the library open.\n"
    )
    assert main(["show", "0123456789abcdef", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "council voted" in out


def test_subcommand_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", "--help"])
    assert exit_info.value.code == 0
    assert "--jsonl" in capsys.readouterr().out


UNSAFE_OUTPUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
@pytest.mark.parametrize("argv", [["analyze"], ["analyze", "--json"], ["list", "--json"]])
def test_json_output_with_non_utf8_and_hostile_file_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    raw_name = b"bad\xff\xfe\x1b]0;PWNED\x07\xe2\x80\xaename.txt"  # not UTF-8, ESC, BEL, U+202E
    with open(os.path.join(os.fsencode(tmp_path), raw_name), "wb") as out:
        out.write(b"The bridge reopened on Monday after repairs, the council said.\n")
    (tmp_path / "good.txt").write_text("A second article about the harbour and its ships.\n")
    assert main([*argv, str(tmp_path)]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # strict: a lone surrogate would raise here
    assert UNSAFE_OUTPUT.search(out) is None
    if argv == ["analyze"]:
        records = [json.loads(line) for line in out.splitlines()]
    else:
        records = json.loads(out)
    paths = sorted(os.fsencode(record["path"]) for record in records)
    # the JSON value is still the exact file name: a script can open the file with it
    assert paths == sorted(
        [os.path.join(os.fsencode(tmp_path), raw_name), b"%s/good.txt" % os.fsencode(tmp_path)]
    )


def test_dumps_inert_keeps_readable_text_and_escapes_only_unsafe_characters() -> None:
    value = {"title": "Café „quoted“ ☕", "path": "evil\u202etxt\x9b.exe\udcff"}
    text = dumps_inert(value)
    assert "Café „quoted“ ☕" in text
    assert "\\u202e" in text and "\\u009b" in text and "\\udcff" in text
    assert json.loads(text) == value


def test_skip_and_duplicate_messages_spell_out_the_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the names are made inert where they are quoted, whatever `warn` does with the message
    (tmp_path / "a.txt").write_text("The ferry sailed on time every day this week.\n")
    (tmp_path / "b\nnewsreader: forged\x1b]0;x\x07.txt").write_text(
        "The ferry sailed on time every day this week.\n"
    )
    (tmp_path / "c\u202e.bin").write_bytes(b"\x00\x01")
    messages: list[str] = []
    monkeypatch.setattr(cli_corpus, "warn", messages.append)
    cli_corpus.load_corpus([str(tmp_path)])
    assert len(messages) == 2
    assert all("\n" not in m and UNSAFE_OUTPUT.search(m) is None for m in messages)
    assert any("b\\x0anewsreader: forged\\x1b]0;x\\x07.txt: duplicate of" in m for m in messages)
    assert any("c\\u202e.bin: unsupported file type" in m for m in messages)
