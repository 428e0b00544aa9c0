"""Hostile files, round two (issue 12): `import` is as strict as the store's own setters.

A value the store would refuse when typed (`AnnotationStore.set_user_date("tomorrow")`, an
empty tag, a span whose text does not fit its offsets) is refused in an import file too,
and one such value rejects the whole file, naming the file, line, column and record: these
values reach the md and CSV exports and the app as they are (`store.records.strict_record`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from store import AnnotationStore, ImportFormatError, InvalidAnnotationError
from store.importer import parse_import_bytes
from tui.cli import main

SPAN = {"id": "s1", "start": 4, "end": 9, "text": "Smith", "kind": "entity", "label": "PERSON"}
BAD_RECORDS = {
    "a word as the date": {"user_date": "tomorrow"},
    "a date out of range": {"user_date": "2025-13-45"},
    "a day-month-year date": {"user_date": "05/03/2025"},
    "a date with markup": {"user_date": "[bold]2025-03-05[/bold]"},
    "a date with an escape": {"user_date": "2025-03-05\x1b]0;PWNED\x07"},
    "an empty tag": {"tags": ["ok", "   "]},
    "a tag of escapes only": {"tags": ["\x1b[2J\x1b[H"]},
    "a huge tag": {"tags": ["x" * 201]},
    "a created time that is no time": {"created": "yesterday", "tags": ["t"]},
    "span text longer than its offsets": {"spans": [{**SPAN, "text": "Smithy"}]},
    "an empty span": {"spans": [{**SPAN, "end": 4, "text": ""}]},
    "span text with an escape": {"spans": [{**SPAN, "text": "\x1b[31m"}]},
    "a span id with a bidi override": {"spans": [{**SPAN, "id": "s\u202e1"}]},
    "a span fingerprint that is no digest": {"spans": [{**SPAN, "body_fingerprint": "<b>"}]},
}


def export_file(path: Path, records: dict[str, dict[str, Any]]) -> Path:
    document = {
        "format": "newsreader-annotations-export",
        "schema_version": 2,
        "articles": [{"id": aid, "annotations": rec} for aid, rec in records.items()],
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(BAD_RECORDS))
def test_a_value_the_store_refuses_rejects_the_whole_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    db = tmp_path / "annotations.json"
    AnnotationStore(db).add_tags("mine", ["kept"])
    before = db.read_bytes()
    incoming = export_file(
        tmp_path / "incoming.json",
        {"good0000": {"tags": ["fine"]}, "bad00000": BAD_RECORDS[kind]},
    )
    code = main(["import", str(incoming), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{incoming}:" in err and "'bad00000'" in err and "nothing was imported" in err
    assert "\x1b" not in err and "\u202e" not in err
    assert db.read_bytes() == before


def test_the_same_values_are_refused_by_the_setters() -> None:
    """The strictness is the setters' own: each refused date or tag is refused when typed."""
    store = AnnotationStore(Path("/nonexistent/never-written.json"))
    for value in ("tomorrow", "2025-13-45", "05/03/2025"):
        with pytest.raises(InvalidAnnotationError):
            store.set_user_date("a1", value)
    for tag in ("   ", "\x1b[2J\x1b[H", "x" * 201):
        with pytest.raises(InvalidAnnotationError):
            store.add_tags("a1", [tag])


def test_good_values_are_imported_as_the_setters_store_them(tmp_path: Path) -> None:
    incoming = {
        "a1": {
            "user_date": "2025-03-05",
            "tags": ["  spaced  ", "x\x1b[31m"],
            "note": "fine\x07",
            "created": "2025-03-05T10:00:00.000Z",
            "spans": [{**SPAN, "note": "n\x1b[1m", "body_fingerprint": "a" * 40}],
        },
        "a2": {"user_date": "20250306"},  # an ISO basic date, stored as the setter stores it
    }
    data = export_file(tmp_path / "in.json", incoming).read_bytes()
    parsed = parse_import_bytes(data, tmp_path / "in.json")
    assert parsed["a1"].user_date == "2025-03-05" and parsed["a2"].user_date == "2025-03-06"
    assert parsed["a1"].tags == ("spaced", "x") and parsed["a1"].note == "fine"
    assert parsed["a1"].spans[0].note == "n" and parsed["a1"].spans[0].text == "Smith"


def test_a_store_file_with_a_bad_date_is_rejected_by_import_too(tmp_path: Path) -> None:
    """`import` also takes a store file: the same rules, with the store file's own layout."""
    store_file = tmp_path / "other-store.json"
    AnnotationStore(store_file).add_tags("a1", ["t"])
    text = store_file.read_text().replace('"user_date": null', '"user_date": "soon"')
    store_file.write_text(text)
    with pytest.raises(ImportFormatError, match=r"'a1'.*not a date"):
        parse_import_bytes(store_file.read_bytes(), store_file)
