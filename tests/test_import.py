"""`import`: merge semantics, idempotence, both notes kept, malformed files change nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from store import AnnotationStore, ImportFormatError
from store.export import select_items, to_json
from store.importer import NOTE_SEPARATOR, parse_import_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "store"


def export_of(store: AnnotationStore) -> bytes:
    return to_json(select_items(store)).encode()


def test_merge_unites_tags_and_keeps_both_differing_notes(tmp_path: Path) -> None:
    theirs = AnnotationStore(tmp_path / "theirs.json")
    theirs.add_tags("a1", ["Brexit", "trade"])
    theirs.set_note("a1", "their note")
    theirs.set_starred("a1", True)
    theirs.set_user_date("a1", "2025-01-01")
    span_id = theirs.add_span("a1", 0, 3, "abc", label="x", note="their span note")
    theirs.add_tags("a2", ["new"])
    mine = AnnotationStore(tmp_path / "mine.json")
    mine.add_tags("a1", ["brexit", "mine"])
    mine.set_note("a1", "my note")
    mine.set_user_date("a1", "2025-02-02")
    report = mine.import_annotations(parse_import_bytes(export_of(theirs), "x.json"))
    assert (report.added, report.merged, report.note_conflicts, report.date_conflicts) == (
        1,
        1,
        1,
        1,
    )
    merged = mine.get("a1")
    assert merged.tags == ("brexit", "mine", "trade")
    assert merged.note == "my note" + NOTE_SEPARATOR + "their note"
    assert merged.starred and merged.user_date == "2025-02-02"
    assert merged.span(span_id) is not None
    assert mine.get("a2").tags == ("new",)


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    theirs = AnnotationStore(tmp_path / "theirs.json")
    theirs.add_tags("a1", ["x"])
    theirs.set_note("a1", "their note")
    theirs.add_span("a1", 0, 3, "abc", note="n")
    mine = AnnotationStore(tmp_path / "mine.json")
    mine.set_note("a1", "my note")
    data = export_of(theirs)
    mine.import_annotations(parse_import_bytes(data, "x.json"))
    once = mine.path.read_bytes()
    report = mine.import_annotations(parse_import_bytes(data, "x.json"))
    assert report.unchanged == 1 and report.merged == 0 and report.added == 0
    assert mine.path.read_bytes() == once


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{"format": "newsreader-annotations-export", "schema_version": 2, "articles": [', ":1:"),
        (
            '{"format": "newsreader-annotations-export", "schema_version": 2,\n"articles": [\n'
            '{"id": "a1", "annotations": {"tags": "not a list"}}]}',
            ":3:",
        ),
        (
            '{"format": "newsreader-annotations-export", "schema_version": 9, "articles": []}',
            "newer",
        ),
        ("[1, 2, 3]", ":1:1"),
        ('{"some": "other json"}', "not a newsreader"),
    ],
)
def test_a_malformed_file_is_rejected_whole(tmp_path: Path, content: str, where: str) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    store.add_tags("a1", ["keep"])
    before = store.path.read_bytes()
    with pytest.raises(ImportFormatError, match="nothing was imported") as info:
        parse_import_bytes(content.encode(), "bad.json")
    assert where in str(info.value)
    assert store.path.read_bytes() == before


def test_one_bad_record_rejects_the_good_ones_too(tmp_path: Path) -> None:
    document = {
        "format": "newsreader-annotations-export",
        "schema_version": 2,
        "articles": [
            {"id": "good", "annotations": {"tags": ["fine"]}},
            {
                "id": "bad",
                "annotations": {"spans": [{"id": "s", "start": 5, "end": 1, "text": "x"}]},
            },
        ],
    }
    with pytest.raises(ImportFormatError, match="'bad'"):
        parse_import_bytes(json.dumps(document, indent=1).encode(), "f.json")


def test_imported_text_is_made_inert(tmp_path: Path) -> None:
    document = {
        "format": "newsreader-annotations-export",
        "schema_version": 2,
        "articles": [
            {"id": "a1", "annotations": {"tags": ["\x1b[2Jclear"], "note": "bell\x07\x9b31m"}}
        ],
    }
    store = AnnotationStore(tmp_path / "db.json")
    store.import_annotations(parse_import_bytes(json.dumps(document).encode(), "f.json"))
    assert store.get("a1").tags == ("clear",)
    assert store.get("a1").note == "bell"  # BEL and the 8-bit CSI sequence are gone


@pytest.mark.parametrize("hidden", ["\x1b]0;PWNED\x07", "\u202e", "\x00"])
def test_an_article_id_with_hidden_characters_is_refused_whole(hidden: str) -> None:
    document = {
        "format": "newsreader-annotations-export",
        "schema_version": 2,
        "articles": [
            {"id": "good", "annotations": {"tags": ["fine"]}},
            {"id": f"evil{hidden}id", "annotations": {"tags": ["x"]}},
        ],
    }
    with pytest.raises(ImportFormatError, match="hidden characters") as caught:
        parse_import_bytes(json.dumps(document).encode(), "f.json")
    assert hidden not in str(caught.value)  # the message names the id inertly


def test_a_store_file_of_an_old_version_can_be_imported(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "v1_annotations.json", tmp_path / "old.json")
    store = AnnotationStore(tmp_path / "db.json")
    incoming = parse_import_bytes((tmp_path / "old.json").read_bytes(), tmp_path / "old.json")
    report = store.import_annotations(incoming)
    assert report.added == 2
    assert store.get("004_cb8583c2889f7641").tags == ("schools",)
