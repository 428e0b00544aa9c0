"""Exports for doccano, Label Studio and Prodigy validate against the tools' documented
formats and come back through `import --format ...` as the same corrections; edits made in
the tool become span annotations and tags; importing twice changes nothing; a bad file is
refused whole with its file and line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tool_schemas import doccano_problems, label_studio_problems, prodigy_problems

from corpus.analyze import analyze_paths
from corpus.model import Article
from store import AnnotationStore, ImportFormatError, body_fingerprint
from store.corrections import corrected_article
from store.export import render, select_items
from store.formats.label_studio import label_config
from store.formats.tool_import import parse_tool_file, plan_import
from store.formats.view import documents_of
from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX

SEEDS = Path(__file__).parent / "fixtures" / "clean" / "seeds"
NOW = "2030-01-01T00:00:00.000Z"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return list(analyze_paths([SEEDS]).articles)


def annotate(store: AnnotationStore, articles: list[Article]) -> None:
    """A relabel, a dismissal, a missed entity, a speaker, a passage, tags, notes."""
    first = articles[0]
    fp = body_fingerprint(first.body)
    person = next(e for e in first.entities if e.label == "PERSON")
    dismissed = next(e for e in first.entities if e.label == "GPE")
    store.add_span(first.id, person.start, person.end, person.text, "entity", "ORG", "why", fp)
    store.add_span(
        first.id, dismissed.start, dismissed.end, dismissed.text, "entity", NOT_AN_ENTITY, "", fp
    )
    start = first.body.index("prime minister")
    store.add_span(first.id, start, start + 14, "prime minister", "entity", "PERSON", "", fp)
    quote = next(q for q in first.quotes if q.speaker)
    store.add_span(
        first.id, quote.start, quote.end, quote.text, "quote", SPEAKER_PREFIX + "Someone Else"
    )
    store.add_span(first.id, 0, 3, first.body[:3], "span", "claim", "check it", fp)
    store.add_tags(first.id, ["ukraine", "to check"])
    store.set_note(first.id, "the article's note")
    store.add_tags(articles[1].id, ["schools"])


def export(fmt: str, store: AnnotationStore, articles: list[Article], **kw: Any) -> bytes:
    items = select_items(store, articles, every_article=True)
    return render(fmt, items, **kw)


def import_into(
    store: AnnotationStore, fmt: str, data: bytes, articles: list[Article]
) -> tuple[int, int, int]:
    documents = parse_tool_file(fmt, data, f"file.{fmt}")
    plan = plan_import(documents, articles, store.all(), f"file.{fmt}", NOW)
    report = store.import_annotations(plan.incoming)
    return report.added, report.merged, report.unchanged


def corrected_view(store: AnnotationStore, articles: list[Article]) -> list[Any]:
    """What the reader sees: entities and speakers after corrections, passages, tags."""
    seen = []
    for article in articles:
        ann = store.get(article.id)
        fixed = corrected_article(article, ann.spans)
        seen.append(
            (
                [(e.start, e.end, e.label) for e in fixed.entities],
                [(q.start, q.end, q.speaker) for q in fixed.quotes],
                sorted(t.casefold() for t in ann.tags),
            )
        )
    return seen


FORMATS = ["doccano", "label-studio", "prodigy"]
VARIANTS: dict[str, dict[str, Any]] = {
    "doccano": {"doccano_task": "relations"},
    "label-studio": {},
    "prodigy": {},
}


def validate(fmt: str, data: bytes) -> list[str]:
    if fmt == "label-studio":
        tasks = json.loads(data)
        labels = {
            v["labels"][0]
            for t in tasks
            for key in ("predictions", "annotations")
            for e in t.get(key, [])
            for v in (r.get("value", {}) for r in e["result"] if r["type"] == "labels")
        }
        tags = {c for t in tasks for e in t.get("annotations", []) for r in e["result"]
                if r["type"] == "choices" for c in r["value"]["choices"]}  # fmt: skip
        config = label_config(labels, tags)
        return [p for t in tasks for p in label_studio_problems(t, config)]
    check: Callable[[dict[str, Any]], list[str]] = (
        doccano_problems if fmt == "doccano" else prodigy_problems
    )
    return [p for line in data.decode().splitlines() for p in check(json.loads(line))]


@pytest.mark.parametrize(
    ("fmt", "variant"),
    [
        ("doccano", {}),
        ("doccano", {"doccano_task": "relations"}),
        ("doccano", {"doccano_task": "intent"}),
        ("label-studio", {}),
        ("prodigy", {}),
    ],
)
def test_exports_follow_the_documented_formats(
    tmp_path: Path, articles: list[Article], fmt: str, variant: dict[str, Any]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotate(store, articles)
    data = export(fmt, store, articles, **variant)
    assert validate(fmt, data) == []
    lines = data.decode().splitlines() if fmt != "label-studio" else json.loads(data)
    assert len(lines) == len(articles)  # every article, annotated or not


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_round_trip_into_an_empty_store_gives_the_same_corrections(
    tmp_path: Path, articles: list[Article], fmt: str
) -> None:
    mine = AnnotationStore(tmp_path / "mine.json")
    annotate(mine, articles)
    data = export(fmt, mine, articles, **VARIANTS[fmt])
    theirs = AnnotationStore(tmp_path / "theirs.json")
    import_into(theirs, fmt, data, articles)
    assert corrected_view(theirs, articles) == corrected_view(mine, articles)
    first = theirs.get(articles[0].id)
    assert "the article's note" in first.note
    claim = first.span_at(0, 3)
    assert claim is not None and claim.label == "claim"
    if fmt == "label-studio":  # the one format with a place for span notes
        assert claim.note == "check it"


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_twice_changes_nothing(
    tmp_path: Path, articles: list[Article], fmt: str
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotate(store, articles)
    data = export(fmt, store, articles, **VARIANTS[fmt])
    before = store.path.read_bytes()
    assert import_into(store, fmt, data, articles)[:2] == (0, 0)  # its own export: no change
    assert store.path.read_bytes() == before
    fresh = AnnotationStore(tmp_path / "fresh.json")
    import_into(fresh, fmt, data, articles)
    once = fresh.path.read_bytes()
    added, merged, _unchanged = import_into(fresh, fmt, data, articles)
    assert (added, merged) == (0, 0) and fresh.path.read_bytes() == once


def edit_doccano(data: bytes, article: Article) -> bytes:
    """What a doccano user does: relabel one entity, delete one, add one, add a category."""
    lines = [json.loads(line) for line in data.decode().splitlines()]
    record = next(r for r in lines if r["article_id"] == article.id)
    spans = record["label"]
    entities = [s for s in spans if s[2] in ("PERSON", "GPE", "ORG", "NORP", "DATE")]
    entities[0][2] = "NORP"
    spans.remove(entities[1])
    word = article.body.index("talks")
    spans.append([word, word + 5, "EVENT"])
    record["cats"].append("edited in doccano")
    return "".join(json.dumps(r) + "\n" for r in lines).encode()


def test_edits_made_in_doccano_come_back_as_corrections(
    tmp_path: Path, articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    first = articles[0]
    data = edit_doccano(export("doccano", store, articles), first)
    import_into(store, "doccano", data, articles)
    entities = [e for e in first.entities if e.label in ("PERSON", "GPE", "ORG", "NORP", "DATE")]
    relabelled, removed = entities[0], entities[1]
    ann = store.get(first.id)
    assert ann.has_tag("edited in doccano")
    fixed = corrected_article(first, ann.spans)
    labels = {(e.start, e.end): e.label for e in fixed.entities}
    assert labels[relabelled.start, relabelled.end] == "NORP"
    assert (removed.start, removed.end) not in labels
    word = first.body.index("talks")
    assert labels[word, word + 5] == "EVENT"
    assert ann.span_at(removed.start, removed.end).label == NOT_AN_ENTITY  # type: ignore[union-attr]
    assert len(ann.spans) == 3  # nothing stored for what the file leaves as it was


def test_a_tool_edit_newer_than_the_store_wins_on_the_same_span(
    tmp_path: Path, articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    first = articles[0]
    entity = first.entities[0]
    store.add_span(first.id, entity.start, entity.end, entity.text, "entity", "LAW")
    lines = [json.loads(line) for line in export("doccano", store, articles).decode().splitlines()]
    record = next(r for r in lines if r["article_id"] == first.id)
    span = next(s for s in record["label"] if s[:2] == [entity.start, entity.end])
    span[2] = "FAC"
    import_into(store, "doccano", "".join(json.dumps(r) + "\n" for r in lines).encode(), articles)
    (only,) = [s for s in store.get(first.id).spans if s.start == entity.start]
    assert only.label == "FAC"  # one range keeps one annotation, updated


def test_documents_without_an_id_are_matched_by_their_text(
    tmp_path: Path, articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    data = export("prodigy", store, articles)
    lines = [json.loads(line) for line in data.decode().splitlines()]
    for task in lines:
        del task["meta"]["article_id"]
    lines[2]["options"] = [{"id": "x", "text": "matched by text"}]
    lines[2]["accept"] = ["x"]
    data = "".join(json.dumps(t) + "\n" for t in lines).encode()
    import_into(store, "prodigy", data, articles)
    assert store.get(articles[2].id).tags == ("matched by text",)


def test_unanswered_and_rejected_tasks_are_left_out(
    tmp_path: Path, articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    tasks = json.loads(export("label-studio", store, articles))
    assert all("annotations" not in t for t in tasks)  # nothing annotated: predictions only
    with pytest.raises(ImportFormatError, match="no task has an annotation"):
        parse_tool_file("label-studio", json.dumps(tasks).encode(), "ls.json")
    lines = export("prodigy", store, articles).decode().splitlines()
    rejected = [json.loads(line) | {"answer": "reject"} for line in lines]
    assert parse_tool_file("prodigy", "\n".join(map(json.dumps, rejected)).encode(), "p") == []


BAD_LINES = {
    "not JSON": "{oops",
    "a span past the text": '{"text": "abc", "label": [[0, 9, "PERSON"]]}',
    "a span without a label": '{"text": "abc", "label": [[0, 2, ""]]}',
    "a span that ends before it starts": '{"text": "abc", "label": [[2, 1, "PERSON"]]}',
    "no text": '{"label": []}',
    "a text no article has": '{"text": "no such article", "label": []}',
    "an unknown article id": '{"text": "abc", "article_id": "nope", "label": []}',
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_a_malformed_file_is_rejected_whole_naming_file_and_line(
    tmp_path: Path, articles: list[Article], kind: str
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    store.add_tags(articles[0].id, ["kept"])
    before = store.path.read_bytes()
    good = export("doccano", store, articles).decode().splitlines()[0]
    data = f"{good}\n{BAD_LINES[kind]}\n".encode()
    with pytest.raises(ImportFormatError, match=r"file\.doccano:2: .*nothing was imported"):
        import_into(store, "doccano", data, articles)
    assert store.path.read_bytes() == before


def test_a_text_that_is_not_the_articles_body_is_refused(
    tmp_path: Path, articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    lines = [json.loads(line) for line in export("doccano", store, articles).decode().splitlines()]
    lines[1]["text"] = lines[1]["text"].replace("the", "teh", 1)
    data = "".join(json.dumps(r) + "\n" for r in lines).encode()
    with pytest.raises(ImportFormatError, match=r":2: the text differs from the cleaned body"):
        import_into(store, "doccano", data, articles)


def test_label_studio_offsets_of_old_versions_are_code_units(tmp_path: Path) -> None:
    body = "🙂 Angela Merkel spoke."
    article = Article("emoji", "e.txt", None, "t", None, None, body)
    task = {
        "data": {"text": body, "article_id": "emoji"},
        "annotations": [{"result": [{"id": "a", "from_name": "label", "to_name": "text",
            "type": "labels", "value": {"start": 3, "end": 16, "text": "Angela Merkel",
            "labels": ["PERSON"]}}]}],
    }  # fmt: skip
    (doc,) = parse_tool_file("label-studio", json.dumps([task]).encode(), "ls.json")
    assert body[doc.spans[0].start : doc.spans[0].end] == "Angela Merkel"
    plan = plan_import([doc], [article], {}, "ls.json", NOW)
    assert plan.incoming["emoji"].spans[0].label == "PERSON"


def test_speaker_relations_point_from_the_speaker_to_the_quote(
    tmp_path: Path, articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    (first, *_rest) = documents_of(select_items(store, articles, every_article=True))
    assert first.links
    for link in first.links:
        assert first.spans[link.quote].role == "quote"
        assert first.spans[link.speaker].role in ("entity", "speaker")
    tasks = json.loads(export("label-studio", store, articles))
    result = tasks[0]["predictions"][0]["result"]
    regions = {r["id"]: r for r in result if r["type"] == "labels"}
    relations = [r for r in result if r["type"] == "relation"]
    assert relations and all(
        regions[r["to_id"]]["value"]["labels"][0].endswith("QUOTE") for r in relations
    )


def test_the_format_checks_catch_a_broken_file(tmp_path: Path, articles: list[Article]) -> None:
    """The checks are not vacuous: one wrong value in each format is reported."""
    store = AnnotationStore(tmp_path / "db.json")
    annotate(store, articles)
    record = json.loads(export("doccano", store, articles).decode().splitlines()[0])
    record["label"][0][1] = len(record["text"]) + 1
    assert doccano_problems(record)
    tasks = json.loads(export("label-studio", store, articles))
    region = tasks[0]["annotations"][0]["result"][0]
    region["value"]["labels"] = ["NOT_DECLARED"]
    assert label_studio_problems(tasks[0], label_config())
    task = json.loads(export("prodigy", store, articles).decode().splitlines()[0])
    task["spans"][0]["start"] += 1
    assert prodigy_problems(task)
