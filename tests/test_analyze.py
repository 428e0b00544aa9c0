"""corpus.analyze: the pipeline from paths to sorted, analysed articles."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from corpus import entities
from corpus.analyze import analyze_document, analyze_paths, iter_analyze
from corpus.model import Article, Entity, Skipped
from corpus.reader import read_paths
from corpus.source import MemoryCorpus

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
        "url",  # added later: the contract only ever grows, after the original fields
    ]
    assert Article.from_json(data) == article
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
    assert len({a.id for a in articles}) == 11  # renamed articles come again, same id
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


def test_ner_names_the_entity_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    document = read_paths([FIXTURES / "seeds"]).documents[3]
    backends: list[str] = []

    def recording_find_entities(body: str, backend: str = "builtin") -> list[Entity]:
        backends.append(backend)
        return []

    monkeypatch.setattr(entities, "find_entities", recording_find_entities)
    analyze_document(document, ner="spacy")
    analyze_document(document, ner="builtin")
    assert backends == ["spacy", "builtin"]
    analyze_document(document, ner="none")
    assert backends == ["spacy", "builtin"]


def _two_articles_naming_one_person(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text(
        "Keir Starmer visits Paris\n\nPrime Minister Keir Starmer met the French president "
        "in Paris on Monday to discuss the war.\n\nThe talks lasted three hours, officials said.\n"
    )
    (folder / "b.txt").write_text(
        'Budget row grows\n\n"We will not raise taxes," Mr Starmer said on Tuesday in a speech '
        "to business leaders.\n\nThe opposition said the plan did not add up.\n"
    )


def test_iter_analyze_delivers_corpus_canonical_names_as_a_last_batch(tmp_path: Path) -> None:
    _two_articles_naming_one_person(tmp_path)
    stream = list(iter_analyze([tmp_path]))
    first_pass, last_batch = stream[:2], stream[2:]
    assert [Path(a.path).name for a in first_pass] == ["a.txt", "b.txt"]
    # as it arrives, "Mr Starmer" is only "Starmer"; the last batch renames him
    assert first_pass[1].quotes[0].speaker == "Starmer"
    assert [a.id for a in last_batch] == [first_pass[1].id]
    assert last_batch[0].quotes[0].speaker == "Keir Starmer"
    persons = {e.canonical for e in last_batch[0].entities if e.label == "PERSON"}
    assert persons == {"Keir Starmer"}
    # the last version of each id is what analyze_paths gives
    final = {a.id: a for a in stream}
    assert final == {a.id: a for a in analyze_paths([tmp_path]).articles}
    # the app's loader adds batches to a MemoryCorpus: one article per id, the final one
    corpus = MemoryCorpus()
    corpus.extend(stream)
    assert len(corpus) == 2
    assert corpus.article(first_pass[1].id).quotes[0].speaker == "Keir Starmer"


def test_iter_analyze_without_ner_yields_each_article_once(tmp_path: Path) -> None:
    _two_articles_naming_one_person(tmp_path)
    stream = list(iter_analyze([tmp_path], ner="none"))
    assert [Path(a.path).name for a in stream] == ["a.txt", "b.txt"]
