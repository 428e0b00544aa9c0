"""The reader's corrections reach every view and command (`store.library.Library`).

A span marked "not an entity", an entity the recogniser missed, a corrected speaker and a
date set with `D` must mean the same in the People and Who-said-what aggregates, the entity and
speaker filters (from memory and from the corpus index), `newsreader people`/`quotes` and the
JSONL export with the analysis. Before the service, only the reader view applied them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus import SAMPLE_DIR
from corpus.analyze import analyze_paths
from corpus.index import CorpusIndex
from corpus.model import Article
from corpus.people import aggregate_entities, aggregate_speakers
from corpus.source import MemoryCorpus
from store.annotations import AnnotationStore
from store.library import Library
from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX, ArticleAnnotations, SpanAnnotation
from tui.cli import main


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return analyze_paths([SAMPLE_DIR]).articles


def person_once(articles: list[Article]) -> tuple[Article, str]:
    """An article and a PERSON canonical name only that article mentions."""
    seen: dict[str, set[str]] = {}
    for article in articles:
        for entity in article.entities:
            if entity.label == "PERSON":
                seen.setdefault(entity.canonical, set()).add(article.id)
    name = next(n for n, ids in sorted(seen.items()) if len(ids) == 1)
    article = next(a for a in articles if a.id in seen[name])
    return article, name


def dismissals(article: Article, name: str) -> ArticleAnnotations:
    spans = tuple(
        SpanAnnotation(f"d{i}", e.start, e.end, e.text, "entity", NOT_AN_ENTITY)
        for i, e in enumerate(article.entities)
        if e.canonical == name
    )
    return ArticleAnnotations(article.id, spans=spans)


def a_missed_word(article: Article) -> tuple[int, int, str]:
    """A capitalised-free word of the body that is no entity: a 'missed' name to add."""
    covered = {i for e in article.entities for i in range(e.start, e.end)}
    start = next(
        i
        for i in range(len(article.body) - 8)
        if article.body[i : i + 8].isalpha()
        and (i == 0 or not article.body[i - 1].isalpha())
        and not article.body[i + 8].isalpha()
        and not covered & set(range(i, i + 8))
    )
    return start, start + 8, article.body[start : start + 8]


def speaker_fix(articles: list[Article]) -> tuple[Article, ArticleAnnotations]:
    article = next(a for a in articles if any(q.speaker for q in a.quotes))
    quote = next(q for q in article.quotes if q.speaker)
    span = SpanAnnotation(
        "s1", quote.start, quote.end, article.body[quote.start : quote.end], "quote",
        SPEAKER_PREFIX + "Zelda Quartermain",
    )  # fmt: skip
    return article, ArticleAnnotations(article.id, spans=(span,))


def test_a_dismissed_person_leaves_the_people_view_and_the_filter(
    articles: list[Article],
) -> None:
    article, name = person_once(articles)
    plain = Library(MemoryCorpus(articles))
    assert name in {s.canonical for s in plain.people()}
    assert plain.ids_mentioning("entity", name) == {article.id}
    library = Library(MemoryCorpus(articles), {article.id: dismissals(article, name)})
    assert name not in {s.canonical for s in library.people()}
    assert library.ids_mentioning("entity", name) == frozenset()
    # the reader view still shows the article (without the entity), and its text
    assert library.article(article.id).body == article.body
    assert all(e.canonical != name for e in library.article(article.id).entities)


def test_an_added_entity_and_a_corrected_speaker_are_counted(articles: list[Article]) -> None:
    article = articles[0]
    start, end, word = a_missed_word(article)
    added = SpanAnnotation("a1", start, end, word, "entity", "PERSON")
    quoted, fix = speaker_fix(articles)
    annotations = {article.id: ArticleAnnotations(article.id, spans=(added,)), quoted.id: fix}
    if quoted.id == article.id:
        annotations = {article.id: ArticleAnnotations(article.id, spans=(added, *fix.spans))}
    library = Library(MemoryCorpus(articles), annotations)
    people = {(s.canonical, s.label): s for s in library.people()}
    assert people[(word, "PERSON")].article_count == 1
    assert library.ids_mentioning("entity", word) == {article.id}
    speakers = {s.name: s for s in library.speakers()}
    assert speakers["Zelda Quartermain"].quote_count == 1
    assert library.ids_mentioning("speaker", "zelda quartermain") == {quoted.id}
    # and nothing else moved: the uncorrected aggregate differs only by these
    before = {s.name: s.quote_count for s in aggregate_speakers(articles)}
    after = {s.name: s.quote_count for s in library.speakers()}
    assert sum(after.values()) == sum(before.values())


def test_the_readers_date_is_the_articles_date_everywhere(articles: list[Article]) -> None:
    article = articles[-1]
    library = Library(
        MemoryCorpus(articles), {article.id: ArticleAnnotations(article.id, user_date="1999-12-31")}
    )
    row = next(s for s in library.summaries() if s.id == article.id)
    assert row.date == "1999-12-31"
    assert library.article(article.id).date == "1999-12-31"
    assert article.date != "1999-12-31" and article.entities
    assert {s.first_date for s in library.people([article.id])} == {"1999-12-31"}


def test_filters_from_the_index_read_only_the_corrected_articles(
    tmp_path: Path, articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_DIR, corpus)
    index = CorpusIndex.for_paths([corpus], cache_path=tmp_path / "index.sqlite")
    try:
        index.refresh([corpus])
        article, name = person_once(articles)
        quoted, fix = speaker_fix(articles)
        library = Library(index, {article.id: dismissals(article, name), quoted.id: fix})
        memory = Library(MemoryCorpus(articles), library.annotations)
        read: list[str] = []
        real = index.article

        def counting(article_id: str, **kwargs: bool) -> Article:
            read.append(article_id)
            return real(article_id, **kwargs)

        monkeypatch.setattr(index, "article", counting)
        for kind, value in [
            ("entity", name),
            ("speaker", "Zelda Quartermain"),
            ("speaker", next(q.speaker for q in quoted.quotes if q.speaker)),
        ]:
            read.clear()
            assert library.ids_mentioning(kind, value) == memory.ids_mentioning(kind, value)
            assert set(read) <= {article.id, quoted.id}
        assert library.ids_mentioning("entity", name) == frozenset()
        assert library.ids_mentioning("speaker", "Zelda Quartermain") == {quoted.id}
    finally:
        index.close()


def test_people_and_quotes_commands_read_the_corrections(
    tmp_path: Path,
    articles: list[Article],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    article, name = person_once(articles)
    quoted, fix = speaker_fix(articles)
    db = tmp_path / "store.json"
    with AnnotationStore(db) as store:
        for span in dismissals(article, name).spans:
            store.add_span(article.id, span.start, span.end, span.text, "entity", NOT_AN_ENTITY)
        (span,) = fix.spans
        store.add_span(quoted.id, span.start, span.end, span.text, "quote", span.label)
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "none.json"))  # no store yet: none
    assert main(["people", str(SAMPLE_DIR), "--json"]) == 0
    before = {row["canonical"] for row in json.loads(capsys.readouterr().out)}
    assert main(["people", str(SAMPLE_DIR), "--json", "--db", str(db)]) == 0
    after = {row["canonical"] for row in json.loads(capsys.readouterr().out)}
    assert name in before and before - after == {name}
    assert main(["quotes", str(SAMPLE_DIR), "--format", "jsonl", "--db", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["article_id"] for r in rows if r["speaker"] == "Zelda Quartermain"] == [quoted.id]
    assert main(["quotes", str(SAMPLE_DIR), "--db", str(tmp_path / "missing.json")]) == 2


def test_the_jsonl_export_with_the_analysis_is_corrected(
    tmp_path: Path, articles: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    article, name = person_once(articles)
    db = tmp_path / "store.json"
    with AnnotationStore(db) as store:
        for span in dismissals(article, name).spans:
            store.add_span(article.id, span.start, span.end, span.text, "entity", NOT_AN_ENTITY)
    out = tmp_path / "out.jsonl"
    argv = ["export", "--format", "jsonl", "--with-analysis", "--db", str(db), "-o", str(out)]
    assert main([*argv, "--corpus", str(SAMPLE_DIR)]) == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == article.id
    assert name not in {e["canonical"] for e in record["entities"]}
    assert len(record["entities"]) == len(article.entities) - len(dismissals(article, name).spans)
    assert name in {s.canonical for s in aggregate_entities([article])}


def test_list_and_show_give_the_readers_date(
    tmp_path: Path, articles: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    first = articles[0]
    db = tmp_path / "store.json"
    with AnnotationStore(db) as store:
        store.set_user_date(first.id, "2031-01-02")
    assert main(["list", str(SAMPLE_DIR), "--json", "--db", str(db)]) == 0
    rows = json.loads(capsys.readouterr().out)
    dated = [r for r in rows if r["date"]]
    assert dated[-1]["id"] == first.id and dated[-1]["date"] == "2031-01-02"  # now the latest
    assert [r["id"] for r in rows if r["id"] != first.id] == [a.id for a in articles[1:]]
    assert main(["show", first.id[:8], str(SAMPLE_DIR), "--db", str(db)]) == 0
    assert "2031-01-02" in capsys.readouterr().out.splitlines()[2]
