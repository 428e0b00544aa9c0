"""corpus.analyze: the pipeline from paths to sorted, analysed articles."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from corpus.analyze import analyze_document, analyze_paths, iter_analyze
from corpus.model import Article, Skipped
from corpus.reader import read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def test_seeds_in_date_order_undated_last() -> None:
    result = analyze_paths([FIXTURES / "seeds"])
    assert [a.id for a in result.articles] == [
        "27415430c2fae0bd",
        "74c6b1bede9f04c4",
        "7a7d3776cb5ccbdd",
        "cb8583c2889f7641",
        "7a7d81bd043e34d3",
    ]
    assert [a.date for a in result.articles][-1] is None
    assert all(a.source == "The Independent" for a in result.articles)


def test_offsets_of_entities_and_quotes_index_the_body() -> None:
    for article in analyze_paths([FIXTURES / "seeds"]).articles:
        for entity in article.entities:
            assert article.body[entity.start : entity.end] == entity.text
        for quote in article.quotes:
            assert article.body[quote.start : quote.end] == quote.text


def test_analyze_document_is_picklable_and_pure() -> None:
    document = read_paths([FIXTURES / "seeds"]).documents[3]
    pickle.dumps(document)
    first = analyze_document(document)
    second = analyze_document(pickle.loads(pickle.dumps(document)))
    assert first == second
    assert isinstance(first, Article)
    assert first.title.startswith("Starmer and European allies")
    assert first.byline == "Millie Cooke"


def test_json_round_trip_keeps_the_contract_fields() -> None:
    article = analyze_paths([FIXTURES / "seeds"]).articles[0]
    data = article.to_json()
    assert list(data) == [
        "id",
        "path",
        "date",
        "title",
        "source",
        "byline",
        "body",
        "captions",
        "removed",
        "entities",
        "quotes",
    ]
    assert Article.from_json(data).body == article.body
    assert data["body"] == "\n\n".join(article.paragraphs)


def test_skips_and_duplicates_are_reported(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "seeds", tmp_path / "seeds")
    shutil.copy(FIXTURES / "seeds" / "001_74c6b1bede9f04c4.txt", tmp_path / "zz_copy.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = analyze_paths([tmp_path])
    assert len(result.articles) == 5
    assert [Path(s.path).name for s in result.skipped] == ["empty.txt"]
    assert [Path(d).name for d, _ in result.duplicates] == ["zz_copy.txt"]


def test_iter_analyze_yields_articles_and_reports_skips(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "formats", tmp_path / "formats")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    skipped: list[Skipped] = []
    articles = list(iter_analyze([tmp_path], on_skip=skipped.append))
    assert len(articles) == 11
    assert {Path(s.path).name for s in skipped} == {
        "binary.txt",
        "records.json#3",
        "records.jsonl#2",
    }
    titles = {a.title for a in articles}
    assert "Lighthouse reopens after repairs" in titles
    assert "Harbour council approves new ferry timetable" in titles


def test_ner_none_only_cleans() -> None:
    full = analyze_paths([FIXTURES / "seeds"])
    cleaned = analyze_paths([FIXTURES / "seeds"], ner="none")
    assert [a.body for a in cleaned.articles] == [a.body for a in full.articles]
    assert all(a.entities == () and a.quotes == () for a in cleaned.articles)
