"""Span annotations: one range is one annotation, undo puts a span back, corrections apply.

`store.corrections` is what the app highlights and what the exports write, so a correction
(a relabel, "not an entity", a missed entity, a speaker) means one thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from corpus.model import Article, Entity, Quote
from store import AnnotationStore, InvalidAnnotationError
from store.corrections import corrected_article, dismissed_entities, marked_passages
from store.model import NOT_AN_ENTITY, ArticleAnnotations, SpanAnnotation


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations.json", clock=Clock())


def test_annotating_a_range_twice_updates_the_one_span(store: AnnotationStore) -> None:
    first = store.add_span("a1", 4, 16, "Keir Starmer", kind="entity", note="check him")
    second = store.add_span("a1", 4, 16, "Keir Starmer", kind="entity", label=NOT_AN_ENTITY)
    assert first == second
    (span,) = store.get("a1").spans
    assert (span.id, span.label, span.note) == (first, NOT_AN_ENTITY, "")
    assert span.created < span.updated
    other = store.add_span("a1", 4, 8, "Keir", kind="entity", label="PERSON")
    assert other != first and len(store.get("a1").spans) == 2


def test_a_file_with_two_spans_on_one_range_reads_as_one_and_heals(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    store = AnnotationStore(path, clock=Clock())
    store.add_span("a1", 0, 3, "Ann", kind="entity", note="a note")
    data = json.loads(path.read_text())
    (raw,) = data["articles"]["a1"]["spans"]
    twin = dict(raw, id="bbbbbbbbbbbb", label=NOT_AN_ENTITY, note="", updated="2999-01-01T00:00Z")
    data["articles"]["a1"]["spans"].append(twin)
    path.write_text(json.dumps(data))
    old = AnnotationStore(path, clock=Clock())
    annotations = old.get("a1")
    assert len(annotations.spans) == 2
    (merged,) = annotations.distinct_spans
    assert (merged.label, merged.note) == (NOT_AN_ENTITY, "a note")
    assert annotations.span_at(0, 3) == merged
    old.add_span("a1", 0, 3, "Ann", kind="entity", label="ORG", note="a note")
    (healed,) = old.get("a1").spans
    assert (healed.label, healed.note) == ("ORG", "a note")


def test_restore_span_puts_back_a_deleted_or_changed_span(store: AnnotationStore) -> None:
    span_id = store.add_span("a1", 0, 3, "Ann", kind="entity", label="ORG", note="n")
    before = store.get("a1").span(span_id)
    assert before is not None
    store.update_span("a1", span_id, label="PERSON", note="")
    store.restore_span("a1", before)
    assert store.get("a1").spans == (before,)
    store.remove_span("a1", span_id)
    assert store.get("a1").is_empty
    store.restore_span("a1", before)
    assert store.get("a1").spans == (before,)
    with pytest.raises(InvalidAnnotationError):
        store.restore_span("a1", SpanAnnotation("x", 0, 9, "Ann"))


def _article() -> Article:
    body = "“Yes,” Ann said. Once Google agreed. Bob left."
    return Article(
        id="a1",
        path="a1.txt",
        date=None,
        title="t",
        source=None,
        byline=None,
        body=body,
        entities=(
            Entity(7, 10, "Ann", "PERSON", "Ann"),
            Entity(17, 28, "Once Google", "PERSON", "Once Google"),
        ),
        quotes=(Quote(0, 6, body[:6], "direct", "Ann", 7, 10),),
    )


def test_corrections_relabel_add_dismiss_and_respeak() -> None:
    article = _article()
    body = article.body
    google = body.index("Google")
    bob = body.index("Bob")
    spans = [
        SpanAnnotation("1", 17, 28, "Once Google", "entity", NOT_AN_ENTITY),
        SpanAnnotation("2", google, google + 6, "Google", "entity", "ORG"),  # missed
        SpanAnnotation("3", 7, 10, "Ann", "entity", "ORG"),
        SpanAnnotation("4", 0, 6, body[:6], "quote", "speaker:Cat"),
        SpanAnnotation("5", bob, bob + 8, "Bob left", "span", "claim", "check"),
        SpanAnnotation("6", 38, 41, "xxx", "entity", "PERSON"),  # not anchored here: ignored
    ]
    fixed = corrected_article(article, spans)
    assert [(e.text, e.label, e.canonical) for e in fixed.entities] == [
        ("Ann", "ORG", "Ann"),
        ("Google", "ORG", "Google"),
    ]
    assert (fixed.quotes[0].speaker, fixed.quotes[0].speaker_start) == ("Cat", None)
    assert [e.text for e in dismissed_entities(article, spans)] == ["Once Google"]
    assert [s.label for s in marked_passages(article, spans)] == ["claim"]


def test_the_last_correction_of_a_range_wins() -> None:
    article = _article()
    spans = (
        SpanAnnotation("1", 7, 10, "Ann", "entity", NOT_AN_ENTITY, updated="2026-01-01"),
        SpanAnnotation("2", 7, 10, "Ann", "entity", "GPE", updated="2026-01-02"),
    )
    fixed = corrected_article(article, spans)
    assert ("Ann", "GPE") in [(e.text, e.label) for e in fixed.entities]
    assert dismissed_entities(article, spans) == []
    assert ArticleAnnotations("a1", spans=spans).span_at(7, 10) is not None


def test_set_read_many_is_one_write(store: AnnotationStore, tmp_path: Path) -> None:
    store.add_tags("b", ["keep"])
    writes = []
    commit = store._storage._commit
    store._storage._commit = lambda: (writes.append(1), commit())[1]  # type: ignore[method-assign]
    assert store.set_read_many(["a", "b", "c", "a"]) == 3
    assert len(writes) == 1  # one file write for the three
    assert all(store.get(i).read for i in "abc") and store.get("b").tags == ("keep",)
    assert store.set_read_many(["a", "b"]) == 0
    assert store.set_read_many(["a"], read=False) == 1 and not store.get("a").read
    assert "a" not in store  # nothing else was kept about it
