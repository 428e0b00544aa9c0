"""`newsreader index` and `newsreader search`: output, JSON, highlighting and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from test_index import FakeAnalyser, markdown, write

from corpus.model import SearchHit
from tui.cli import main
from tui.cli_index import hit_text


@pytest.fixture(autouse=True)
def no_user_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "no-store.json"))


@pytest.fixture
def analyser(monkeypatch: pytest.MonkeyPatch) -> FakeAnalyser:
    fake = FakeAnalyser()
    monkeypatch.setattr("corpus.analyze.analyze_document", fake)
    return fake


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write(
        folder,
        "a.md",
        markdown("Harbour bridge reopens", "The harbour bridge reopened.", "2025-02-10"),
    )
    write(
        folder,
        "b.md",
        markdown("Budget vote delayed", "The council [bold]delayed[/] it.", "2025-03-05"),
    )
    return folder


def test_index_prints_a_summary(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache.sqlite"
    assert main(["index", str(corpus_dir), "--cache", str(cache), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 articles indexed" in out and "2 files added" in out
    assert cache.exists()
    assert main(["index", str(corpus_dir), "--cache", str(cache), "--workers", "1"]) == 0
    assert "0 files added, 0 changed, 0 removed, 2 unchanged" in capsys.readouterr().out


def test_search_prints_ranked_results_and_exits_1_on_no_match(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = str(tmp_path / "cache.sqlite")
    assert main(["search", "harbour", str(corpus_dir), "--cache", cache]) == 0
    out = capsys.readouterr().out
    assert "Harbour bridge reopens" in out and "Budget" not in out
    assert main(["search", "zeppelin", str(corpus_dir), "--cache", cache]) == 1
    assert "no matches" in capsys.readouterr().err


def test_search_json(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = str(tmp_path / "cache.sqlite")
    assert main(["search", "council OR harbour", str(corpus_dir), "--cache", cache, "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert {r["title"] for r in results} == {"Harbour bridge reopens", "Budget vote delayed"}
    for result in results:
        for start, end in result["highlights"]:
            assert result["snippet"][start:end].casefold() in {"council", "harbour"}


def test_article_text_is_printed_inert(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = str(tmp_path / "cache.sqlite")
    assert main(["search", "council", str(corpus_dir), "--cache", cache]) == 0
    assert "[bold]delayed[/]" in capsys.readouterr().out


def test_hit_text_highlights_only_the_matches() -> None:
    hit = SearchHit("x", -1.0, "a [red]storm[/red] today", ((7, 12),))
    text = hit_text(1, "[b]Title[/b]", "2025-01-01", hit)
    console = Console(width=200, record=True, color_system=None)
    console.print(text)
    assert "[red]storm[/red]" in console.export_text()
    assert "[b]Title[/b]" in text.plain
    styled = [
        text.plain[span.start : span.end] for span in text.spans if span.style == "bold reverse"
    ]
    assert styled == ["storm"]


@pytest.mark.parametrize(
    "argv",
    [
        ["index", "/nonexistent/corpus"],
        ["search", "storm", "/nonexistent/corpus"],
    ],
)
def test_a_missing_path_is_a_one_line_error_with_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "/nonexistent/corpus" in err and err.count("\n") == 1


def test_bad_options_exit_2(tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser) -> None:
    cache = str(tmp_path / "cache.sqlite")
    assert main(["index", str(corpus_dir), "--cache", cache, "--workers", "0"]) == 2
    assert main(["search", "x", str(corpus_dir), "--cache", cache, "--limit", "0"]) == 2
    missing_db = str(tmp_path / "missing.json")
    assert main(["search", "x", str(corpus_dir), "--cache", cache, "--db", missing_db]) == 2


def test_search_no_refresh_uses_the_index_as_it_is(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = str(tmp_path / "cache.sqlite")
    assert main(["index", str(corpus_dir), "--cache", cache, "--workers", "1"]) == 0
    write(corpus_dir, "c.md", markdown("Zeppelin lands", "A zeppelin landed.", "2025-04-01"))
    assert main(["search", "zeppelin", str(corpus_dir), "--cache", cache, "--no-refresh"]) == 1
    assert main(["search", "zeppelin", str(corpus_dir), "--cache", cache]) == 0
    assert "Zeppelin lands" in capsys.readouterr().out
