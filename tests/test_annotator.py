"""The annotator's name on span annotations (issue 17): who last set a span's label or note
is stored, kept through export and import, and written by every format that has a place
for it, so annotations made by several people can be compared span by span."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from corpus.analyze import analyze_paths
from corpus.model import Article
from store import AnnotationStore, InvalidAnnotationError, body_fingerprint
from store.export import CSV_COLUMNS, render, select_items, write_brat
from store.importer import parse_import_bytes
from tui.config import parse_config

SEEDS = Path(__file__).parent / "fixtures" / "clean" / "seeds"


@pytest.fixture(scope="module")
def article() -> Article:
    return next(iter(analyze_paths([SEEDS]).articles))


def _annotate(store: AnnotationStore, article: Article, label: str = "PERSON") -> str:
    start = article.body.index("prime minister")
    return store.add_span(
        article.id,
        start,
        start + 14,
        "prime minister",
        "entity",
        label,
        "",
        body_fingerprint(article.body),
    )


def test_the_store_records_who_last_set_a_span(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "db.json"
    with AnnotationStore(path, annotator="ana") as ana:
        span_id = _annotate(ana, article)
    with AnnotationStore(path, annotator="  Ben\tOkafor ") as ben:
        assert ben.get(article.id).spans[0].annotator == "ana"
        ben.update_span(article.id, span_id, note="a title, not a name")
        (span,) = ben.get(article.id).spans
    assert (span.annotator, span.note) == ("Ben Okafor", "a title, not a name")
    with AnnotationStore(path, annotator="ana") as ana:
        ana.update_span(article.id, span_id)  # nothing changed: the name stays
        assert ana.get(article.id).spans[0].annotator == "Ben Okafor"
        assert _annotate(ana, article, "ORG") == span_id  # one range, one span, relabelled
        assert ana.get(article.id).spans[0].annotator == "ana"


def test_the_name_comes_from_the_environment_else_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, article: Article
) -> None:
    monkeypatch.delenv("NEWSREADER_ANNOTATOR", raising=False)
    with AnnotationStore(tmp_path / "a.json") as store:
        _annotate(store, article)
        assert store.get(article.id).spans[0].annotator == ""
    monkeypatch.setenv("NEWSREADER_ANNOTATOR", "chen")
    with AnnotationStore(tmp_path / "b.json") as store:
        _annotate(store, article)
        assert store.get(article.id).spans[0].annotator == "chen"


@pytest.mark.parametrize("name", ["x" * 101, "ana\x1b[31m", 7])
def test_a_bad_name_is_refused(tmp_path: Path, name: object) -> None:
    with pytest.raises(InvalidAnnotationError):
        AnnotationStore(tmp_path / "db.json", annotator=name)  # type: ignore[arg-type]


def test_every_export_with_a_place_for_it_carries_the_name(
    tmp_path: Path, article: Article
) -> None:
    with AnnotationStore(tmp_path / "db.json", annotator="ana") as store:
        _annotate(store, article)
        items = select_items(store, [article])
    (record,) = json.loads(render("json", items))["articles"]
    assert record["annotations"]["spans"][0]["annotator"] == "ana"
    rows = list(csv.reader(io.StringIO(render("csv", items).decode())))
    assert rows[0] == list(CSV_COLUMNS)
    spans = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["annotator"] for r in spans if r["kind"] == "entity"] == ["ana"]
    assert "(by ana)" in render("md", items).decode()
    (task,) = [json.loads(line) for line in render("prodigy", items).decode().splitlines()]
    named = [s for s in task["spans"] if s.get("annotator")]
    assert [(s["label"], s["annotator"]) for s in named] == [("PERSON", "ana")]
    write_brat(items, tmp_path / "brat")
    assert "annotator: ana" in (tmp_path / "brat" / f"{article.id}.ann").read_text()


def test_import_keeps_the_name_of_the_later_edit(tmp_path: Path, article: Article) -> None:
    with AnnotationStore(tmp_path / "ben.json", annotator="ben") as ben:
        _annotate(ben, article)
        exported = render("json", select_items(ben, [article]))
    with AnnotationStore(tmp_path / "ana.json", annotator="ana") as ana:
        _annotate(ana, article, "ORG")  # ana's label is the later one
        ana.import_annotations(parse_import_bytes(exported, "ben.json"))
        (span,) = ana.get(article.id).spans
        assert (span.label, span.annotator) == ("ORG", "ana")
    with AnnotationStore(tmp_path / "new.json", annotator="chen") as chen:
        chen.import_annotations(parse_import_bytes(exported, "ben.json"))
        assert chen.get(article.id).spans[0].annotator == "ben"


def test_the_config_names_the_annotator() -> None:
    assert parse_config({"annotator": " ana "}).annotator == "ana"
    assert parse_config({}).annotator is None
    bad = parse_config({"annotator": "\x07bell"})
    assert bad.annotator is None and any("annotator" in p for p in bad.problems)
