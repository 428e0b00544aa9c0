"""`newsreader quotes` and `newsreader people` on hand-written fixture articles.

`load_corpus` is replaced by the fixture so these tests check the export formats and the
speaker matching, not the quote finder of the day; one test runs the real pipeline on the
built-in sample corpus and checks only the shape of the output.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from corpus.model import Article, CorpusResult
from store.export import md_inline
from tui import cli_quotes
from tui.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "threads" / "articles.json"


@pytest.fixture
def fixture_corpus(monkeypatch: pytest.MonkeyPatch) -> list[Article]:
    articles = [Article.from_json(d) for d in json.loads(FIXTURE.read_text(encoding="utf-8"))]

    def load(paths: list[str], ner: str = "builtin") -> CorpusResult:
        return CorpusResult(articles=articles)

    monkeypatch.setattr(cli_quotes, "load_corpus", load)
    return articles


def test_quotes_csv_for_one_speaker(
    fixture_corpus: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quotes", "--speaker", "reed", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["article_id"] for r in rows] == ["bridge-2", "orchestra", "bridge-3"]
    assert {r["speaker"] for r in rows} == {"Tom Reed"}
    assert rows[0]["text"] == "“a tax on commuters”"
    assert rows[1]["kind"] == "scare"
    assert list(rows[0]) == list(cli_quotes.QUOTE_FIELDS)


def test_quotes_jsonl_all_speakers_to_file(fixture_corpus: list[Article], tmp_path: Path) -> None:
    out = tmp_path / "quotes.jsonl"
    assert main(["quotes", "--format", "jsonl", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 7
    assert [r["speaker"] for r in records] == ["Ana Berg"] + ["Maria Lopez"] * 3 + ["Tom Reed"] * 3
    lopez = [r for r in records if r["speaker"] == "Maria Lopez"]
    assert [r["date"] for r in lopez] == ["2025-03-01", "2025-03-02", None]
    article = next(a for a in fixture_corpus if a.id == lopez[0]["article_id"])
    assert article.body[lopez[0]["start"] : lopez[0]["end"]] == lopez[0]["text"]


def test_quotes_to_a_folder_exits_1_saying_why(
    fixture_corpus: list[Article], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quotes", "-o", str(tmp_path)]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_quotes_markdown_escapes_text(
    fixture_corpus: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quotes", "--speaker", "Ana Berg", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Ana Berg\n")
    assert "“We wanted music that people can hum on the way home,”" in out
    assert "*City Orchestra announces spring season*" in out
    assert md_inline("a *b* [c](d) `e`") == r"a \*b\* \[c\](d) \`e\`"


def test_unknown_speaker_exits_1(
    fixture_corpus: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quotes", "--speaker", "Nobody Atall"]) == 1
    err = capsys.readouterr().err
    assert "no speaker matches 'Nobody Atall'" in err
    assert "Maria Lopez" in err


def test_people_json_and_table(
    fixture_corpus: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "--json"]) == 0
    people = json.loads(capsys.readouterr().out)
    assert people[0] == {
        "canonical": "Valmora",
        "label": "GPE",
        "articles": 4,
        "mentions": 7,
        "first_date": "2025-03-01",
        "last_date": "2025-03-20",
        "surface_forms": ["Valmora"],
    }
    assert main(["people", "--json", "--label", "person", "--sort", "name"]) == 0
    names = [p["canonical"] for p in json.loads(capsys.readouterr().out)]
    assert names == ["Ana Berg", "Maria Lopez", "Tom Reed"]
    assert main(["people"]) == 0
    table = capsys.readouterr().out
    assert "Tom Reed" in table and "PERSON" in table and "2025-03-20" in table


def test_json_output_escapes_hidden_characters(
    fixture_corpus: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "Evil\u202eTitle\x9b"
    for index, article in enumerate(fixture_corpus):
        entities = tuple(dataclasses.replace(e, canonical=hostile) for e in article.entities)
        fixture_corpus[index] = dataclasses.replace(article, title=hostile, entities=entities)
    assert main(["quotes", "--format", "jsonl"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x9b" not in out
    assert "\\u202e" in out and "\\u009b" in out
    assert {json.loads(line)["article_title"] for line in out.splitlines()} == {hostile}
    assert main(["people", "--json"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\\u202e" in out
    assert hostile in {p["canonical"] for p in json.loads(out)}


def test_quotes_on_the_sample_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    """The real pipeline end to end: a CSV with the contract's header."""
    assert main(["quotes", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(cli_quotes.QUOTE_FIELDS)
