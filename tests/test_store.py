"""AnnotationStore: what it stores, tag matching, spans, re-anchoring, file format, migration."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import (
    AnnotationStore,
    ArticleAnnotations,
    InvalidAnnotationError,
    ReadOnlyStoreError,
    UnknownSpanError,
    body_fingerprint,
    default_db_path,
)
from store.records import SCHEMA_VERSION, record_line, store_text

FIXTURES = Path(__file__).parent / "fixtures" / "store"


class Clock:
    """A frozen clock that advances one second per call."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations.json", clock=Clock())


def test_unannotated_article_is_empty(store: AnnotationStore) -> None:
    ann = store.get("nope")
    assert ann == ArticleAnnotations(article_id="nope")
    assert ann.is_empty
    assert store.all() == {}
    assert not store.path.exists()  # reading never creates the file


def test_tags_are_case_preserving_and_matched_case_insensitively(store: AnnotationStore) -> None:
    store.add_tags("a1", ["Brexit", "politics"])
    store.add_tags("a1", ["BREXIT", "Economy"])
    assert store.get("a1").tags == ("Brexit", "politics", "Economy")
    assert store.get("a1").has_tag("brexit")
    store.remove_tags("a1", ["POLITICS"])
    assert store.get("a1").tags == ("Brexit", "Economy")


def test_tag_counts_group_spellings(store: AnnotationStore) -> None:
    store.add_tags("a1", ["Brexit", "eu"])
    store.add_tags("a2", ["brexit"])
    store.add_tags("a3", ["Brexit"])
    assert store.tag_counts() == {"Brexit": 3, "eu": 1}
    assert store.articles_with_tag("BREXIT") == ["a1", "a2", "a3"]


def test_every_article_field_round_trips_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = AnnotationStore(path, clock=Clock())
    store.add_tags("a1", ["x, y", 'say "hi"'])
    store.set_note("a1", "line one\n\n- **markdown**\nlast")
    store.set_starred("a1", True)
    store.set_read("a1", True)
    store.set_user_date("a1", dt.date(2025, 2, 24))
    reopened = AnnotationStore(path).get("a1")
    assert reopened.tags == ("x, y", 'say "hi"')
    assert reopened.note == "line one\n\n- **markdown**\nlast"
    assert reopened.starred and reopened.read
    assert reopened.user_date == "2025-02-24"
    assert reopened.created == "2026-03-01T12:00:01.000Z"
    assert reopened.updated == "2026-03-01T12:00:05.000Z"


def test_an_article_with_nothing_left_is_dropped(store: AnnotationStore) -> None:
    store.add_tags("a1", ["x"])
    store.remove_tags("a1", ["x"])
    assert "a1" not in store
    assert json.loads(store.path.read_text())["articles"] == {}


def test_a_change_that_changes_nothing_does_not_write(store: AnnotationStore) -> None:
    store.add_tags("a1", ["x"])
    before = store.path.stat().st_mtime_ns, store.path.stat().st_ino
    store.add_tags("a1", ["X"])
    assert (store.path.stat().st_mtime_ns, store.path.stat().st_ino) == before
    assert store.get("a1").updated == "2026-03-01T12:00:01.000Z"


def test_bad_input_is_refused(store: AnnotationStore) -> None:
    with pytest.raises(InvalidAnnotationError):
        store.add_tags("a1", ["   "])
    with pytest.raises(InvalidAnnotationError):
        store.set_user_date("a1", "24/02/2025")
    with pytest.raises(InvalidAnnotationError):
        store.add_span("a1", 5, 3, "xx")
    with pytest.raises(InvalidAnnotationError):
        store.add_span("a1", 0, 3, "four")
    assert store.all() == {}


def test_control_sequences_never_enter_the_store(store: AnnotationStore) -> None:
    store.add_tags("a1", ["\x1b[31mred\x1b[0m", "bell\x07"])
    store.set_note("a1", "osc\x1b]52;c;ZXZpbA==\x07 note \u202eevil")
    ann = store.get("a1")
    assert ann.tags == ("red", "bell")
    assert ann.note == "osc note evil"
    assert "\x1b" not in store.path.read_text()


def test_spans_add_update_remove(store: AnnotationStore) -> None:
    body = "Sir Keir Starmer said the UK would act."
    fp = body_fingerprint(body)
    span_id = store.add_span(
        "a1", 4, 16, "Keir Starmer", kind="entity", label="PERSON", body_fingerprint=fp
    )
    store.update_span("a1", span_id, label="not an entity", note="a title")
    (span,) = store.get("a1").spans
    assert (span.start, span.end, span.text, span.kind) == (4, 16, "Keir Starmer", "entity")
    assert (span.label, span.note, span.body_fingerprint) == ("not an entity", "a title", fp)
    with pytest.raises(UnknownSpanError):
        store.remove_span("a1", "missing")
    store.remove_span("a1", span_id)
    assert store.get("a1").spans == ()


def test_reanchor_moves_spans_to_the_nearest_occurrence(store: AnnotationStore) -> None:
    old = "Mr Trump met Mr Putin. Later Mr Trump left."
    first = store.add_span("a1", 29, 37, "Mr Trump", body_fingerprint=body_fingerprint(old))
    new = "UPDATED. Mr Trump met Mr Putin. Later Mr Trump left."
    assert store.reanchor("a1", new) == []
    span = store.get("a1").span(first)
    assert span is not None
    assert (span.start, span.end) == (38, 46)  # the second "Mr Trump", not the first
    assert span.body_fingerprint == body_fingerprint(new)


def test_reanchor_ignores_rewrapped_whitespace(store: AnnotationStore) -> None:
    old = "He said: the talks\nwere useful."
    span_id = store.add_span("a1", 9, 30, "the talks\nwere useful")
    assert store.reanchor("a1", "He said: the talks were useful.") == []
    span = store.get("a1").span(span_id)
    assert span is not None and span.text == "the talks were useful" and span.anchored
    assert old  # the old body only mattered for the offsets


def test_reanchor_flags_and_keeps_spans_it_cannot_find(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    span_id = store.add_span("a1", 0, 5, "Hello", note="keep me")
    flagged = store.reanchor("a1", "A completely different body.")
    assert [s.id for s in flagged] == [span_id]
    span = AnnotationStore(tmp_path / "db.json").get("a1").span(span_id)
    assert span is not None and not span.anchored and span.note == "keep me"
    assert (span.start, span.end) == (0, 5)


def test_file_is_readable_json_with_one_record_per_line_in_id_order(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = AnnotationStore(path)
    for article_id in ("b", "c", "a"):
        store.add_tags(article_id, ["t"])
    text = path.read_text()
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data["articles"]) == ["a", "b", "c"]
    record_lines = [line for line in text.splitlines() if line.startswith('"a"')]
    assert len(record_lines) == 1
    assert list(json.loads("{" + record_lines[0].rstrip(",") + "}")["a"]) == sorted(
        data["articles"]["a"]
    )


def test_v1_file_is_migrated_and_the_original_kept(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    shutil.copy(FIXTURES / "v1_annotations.json", path)
    original = path.read_bytes()
    store = AnnotationStore(path)
    ann = store.get("000_27415430c2fae0bd")
    assert ann.tags == ("Ukraine", "defence", "Starmer")
    assert ann.note == "Compare with the 003 piece.\n\nSecond note from an old duplicate."
    assert ann.starred
    assert store.get("004_cb8583c2889f7641").tags == ("schools",)
    assert path.read_bytes() == original  # reading never rewrites
    store.set_read("004_cb8583c2889f7641", True)
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    assert (tmp_path / "annotations.json.v1.bak").read_bytes() == original
    assert AnnotationStore(path).get("000_27415430c2fae0bd").tags == ann.tags


def test_read_only_store_refuses_changes(tmp_path: Path) -> None:
    AnnotationStore(tmp_path / "db.json").add_tags("a1", ["x"])
    ro = AnnotationStore(tmp_path / "db.json", read_only=True)
    assert ro.get("a1").tags == ("x",)
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        ro.add_tags("a1", ["y"])
    assert ro.pending_writes == 0


def test_default_path_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "env.json"))
    assert default_db_path() == tmp_path / "env.json"
    monkeypatch.delenv("NEWSREADER_DB")
    assert default_db_path().name == "annotations.json"
    assert "newsreader" in default_db_path().parts


def test_other_processes_changes_are_seen_on_the_next_read(tmp_path: Path) -> None:
    a = AnnotationStore(tmp_path / "db.json")
    b = AnnotationStore(tmp_path / "db.json")
    assert a.get("x").tags == ()
    b.add_tags("x", ["from-b"])
    assert a.get("x").tags == ("from-b",)


# --- the incremental serialiser never writes a stale record ------------------------------------

_ops = st.lists(
    st.tuples(
        st.sampled_from(["tag", "untag", "note", "star", "read", "span", "unspan"]),
        st.sampled_from(["a", "b", "c", "d"]),
        st.sampled_from(["x", "Y", "z, w", "=1", "ünï"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_ops)
def test_file_always_equals_a_full_serialisation_of_memory(tmp_path: Path, ops: list) -> None:
    path = tmp_path / f"prop-{len(list(tmp_path.iterdir()))}.json"
    store = AnnotationStore(path)
    other = AnnotationStore(path)  # a second writer forces reloads now and then
    for n, (op, article_id, word) in enumerate(ops):
        writer = other if n % 5 == 4 else store
        if op == "tag":
            writer.add_tags(article_id, [word])
        elif op == "untag":
            writer.remove_tags(article_id, [word])
        elif op == "note":
            writer.set_note(article_id, word * n)
        elif op == "star":
            writer.set_starred(article_id, n % 2 == 0)
        elif op == "read":
            writer.set_read(article_id, n % 3 == 0)
        elif op == "span":
            writer.add_span(article_id, n, n + len(word), word, note=word)
        elif spans := writer.get(article_id).spans:
            writer.remove_span(article_id, spans[0].id)
    fresh = AnnotationStore(path)
    assert fresh.all() == store.all() == other.all()
    if path.exists():
        records = json.loads(path.read_text())["articles"]
        expected = store_text(record_line(a, records[a]) for a in sorted(records))
        assert path.read_text() == expected
