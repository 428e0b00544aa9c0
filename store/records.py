"""The stored shape of annotations: validation, conversion to dataclasses, migrations, file text.

This is the one module that knows what the JSON looks like. A store file (schema 2) is:

    {
    "format": "newsreader-annotations",
    "schema_version": 2,
    "articles": {
    "<article id>": {"created": "...", "note": "...", "spans": [...], "tags": [...], ...},
    ...
    }
    }

one article record per line, records sorted by article id and keys sorted within a record,
so the file diffs well in git and a hand edit is easy to find. Unknown keys in a record are
kept (a newer minor version may add fields).

Schema history (every earlier version migrates to the current one when read):
- 1: TinyDB's default layout, `{"_default": {"1": {"article_id", "tags", "note",
  "starred"}}, "meta": {"1": {"schema_version": 1}}}`, integer document ids, one document per
  article (duplicates possible).
- 2: records keyed by article id; read state, user date, timestamps, span annotations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from corpus.textsafe import has_unsafe, make_safe
from corpus.untrusted import loads_json
from store.errors import CorruptStoreError, FutureSchemaError, InvalidAnnotationError
from store.model import ArticleAnnotations, SpanAnnotation

FILE_FORMAT = "newsreader-annotations"
SCHEMA_VERSION = 2
ARTICLES_TABLE = "articles"

Record = dict[str, Any]

MAX_TAG_LENGTH = 200
MAX_SPAN_ID_LENGTH = 64
MAX_ANNOTATOR_LENGTH = 100
_HEX_DIGEST = re.compile(r"[0-9a-f]{40}")


def empty_record() -> Record:
    """A new article record: no tags, note, star, read mark, date or spans."""
    return {
        "tags": [],
        "note": "",
        "starred": False,
        "read": False,
        "user_date": None,
        "created": None,
        "updated": None,
        "spans": [],
    }


def record_is_empty(record: Mapping[str, Any]) -> bool:
    """True when `record` holds no annotation (it can be dropped from the store)."""
    return not (
        record.get("tags")
        or record.get("note")
        or record.get("starred")
        or record.get("read")
        or record.get("user_date")
        or record.get("spans")
    )


def add_missing_tags(tags: list[str], new_tags: Iterable[str]) -> None:
    """Append each of `new_tags` that `tags` lacks in any letter case (first spelling kept)."""
    present = {t.casefold() for t in tags}
    for tag in new_tags:
        if tag.casefold() not in present:
            tags.append(tag)
            present.add(tag.casefold())


# --- field values as the setters take them --------------------------------------------------


def clean_tag(tag: str) -> str:
    """A tag as stored: inert text, outer whitespace stripped; empty or huge tags refused."""
    cleaned = make_safe(str(tag)).strip()
    if not cleaned:
        raise InvalidAnnotationError(f"a tag cannot be empty: {tag!r}")
    if len(cleaned) > MAX_TAG_LENGTH:
        raise InvalidAnnotationError(f"a tag can be at most {MAX_TAG_LENGTH} characters")
    return cleaned


def clean_note(text: str) -> str:
    """A note as the store keeps it: inert text, and a blank note is no note ("")."""
    note = make_safe(text)
    return note if note.strip() else ""


def clean_user_date(value: str | dt.date | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or None; anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InvalidAnnotationError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _check_timestamp(name: str, value: Any, optional: bool) -> None:
    """`value` is an ISO 8601 date and time, as the store writes them (or empty/None)."""
    if value is None or value == "":
        if optional:
            return
        raise InvalidAnnotationError(f"{name!r} is missing")
    try:
        dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidAnnotationError(
            f"{name!r} is not an ISO 8601 timestamp: {make_safe(str(value))[:40]!r}"
        ) from None


def strict_record(raw: Record) -> Record:
    """A well-typed record (`record_problem` is None) with every value as a setter makes it.

    What `import` merges into the store: tags through `clean_tag`, the user date through
    `clean_user_date` (YYYY-MM-DD), notes, kinds and labels made inert, timestamps that parse
    as ISO 8601, spans whose offsets are a range covering their text (text without hidden
    characters: it was cut from a body that was made safe) and whose ids are short inert
    strings. Raises `InvalidAnnotationError` naming the first value the store would refuse.
    """
    clean: Record = {
        "tags": [clean_tag(tag) for tag in raw.get("tags", ())],
        "note": clean_note(raw.get("note", "")),
        "starred": raw.get("starred", False),
        "read": raw.get("read", False),
        "user_date": clean_user_date(raw.get("user_date")),
        "created": raw.get("created"),
        "updated": raw.get("updated"),
        "spans": [],
    }
    if not clean["note"].strip():
        clean["note"] = ""
    for key in ("created", "updated"):
        _check_timestamp(key, clean[key], optional=True)
    for index, span in enumerate(raw.get("spans", ())):
        try:
            clean["spans"].append(_strict_span(span))
        except InvalidAnnotationError as error:
            raise InvalidAnnotationError(f"span {index}: {error}") from None
    return clean


def clean_annotator(name: object) -> str:
    """An annotator's name as stored: plain text, one line, at most MAX_ANNOTATOR_LENGTH."""
    if not isinstance(name, str):
        raise InvalidAnnotationError("'annotator' must be a string")
    cleaned = " ".join(name.split())
    if has_unsafe(cleaned):
        raise InvalidAnnotationError(
            f"annotator name {make_safe(cleaned)[:40]!r} has hidden or control characters"
        )
    if len(cleaned) > MAX_ANNOTATOR_LENGTH:
        raise InvalidAnnotationError(
            f"annotator name must be at most {MAX_ANNOTATOR_LENGTH} characters"
        )
    return cleaned


def _strict_span(span: Mapping[str, Any]) -> Record:
    span_id, start, end, text = span["id"], span["start"], span["end"], span["text"]
    if not span_id or has_unsafe(span_id) or len(span_id) > MAX_SPAN_ID_LENGTH:
        raise InvalidAnnotationError(
            f"span id {make_safe(span_id)[:40]!r} must be 1 to {MAX_SPAN_ID_LENGTH} plain "
            f"characters"
        )
    if not 0 <= start < end:
        raise InvalidAnnotationError(f"span offsets {start}..{end} are not a range")
    if len(text) != end - start:
        raise InvalidAnnotationError(
            f"span text has {len(text)} characters but offsets {start}..{end} cover {end - start}"
        )
    if has_unsafe(text):
        raise InvalidAnnotationError("span text has hidden characters")
    fingerprint = span.get("body_fingerprint", "")
    if fingerprint and not _HEX_DIGEST.fullmatch(fingerprint):
        raise InvalidAnnotationError("'body_fingerprint' must be 40 hex digits (a SHA-1)")
    for key in ("created", "updated"):
        _check_timestamp(key, span.get(key, ""), optional=True)
    return {
        "id": span_id,
        "start": start,
        "end": end,
        "text": text,
        "kind": make_safe(span.get("kind", "span")).strip() or "span",
        "label": make_safe(span.get("label", "")).strip(),
        "note": make_safe(span.get("note", "")),
        "body_fingerprint": fingerprint,
        "created": span.get("created", ""),
        "updated": span.get("updated", ""),
        "anchored": span.get("anchored", True),
        "annotator": clean_annotator(span.get("annotator", "")),
    }


# --- conversion -----------------------------------------------------------------------------


def span_to_record(span: SpanAnnotation) -> Record:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "kind": span.kind,
        "label": span.label,
        "note": span.note,
        "body_fingerprint": span.body_fingerprint,
        "created": span.created,
        "updated": span.updated,
        "anchored": span.anchored,
        "annotator": span.annotator,
    }


def span_from_record(raw: Mapping[str, Any]) -> SpanAnnotation:
    return SpanAnnotation(
        id=raw["id"],
        start=raw["start"],
        end=raw["end"],
        text=raw["text"],
        kind=raw.get("kind", "span"),
        label=raw.get("label", ""),
        note=raw.get("note", ""),
        body_fingerprint=raw.get("body_fingerprint", ""),
        created=raw.get("created", ""),
        updated=raw.get("updated", ""),
        anchored=raw.get("anchored", True),
        annotator=raw.get("annotator", ""),
    )


def annotations_to_record(ann: ArticleAnnotations) -> Record:
    return {
        "tags": list(ann.tags),
        "note": ann.note,
        "starred": ann.starred,
        "read": ann.read,
        "user_date": ann.user_date,
        "created": ann.created,
        "updated": ann.updated,
        "spans": [span_to_record(s) for s in ann.spans],
    }


def annotations_from_record(article_id: str, raw: Mapping[str, Any]) -> ArticleAnnotations:
    return ArticleAnnotations(
        article_id=article_id,
        tags=tuple(raw.get("tags", ())),
        note=raw.get("note", ""),
        starred=raw.get("starred", False),
        read=raw.get("read", False),
        user_date=raw.get("user_date"),
        created=raw.get("created"),
        updated=raw.get("updated"),
        spans=tuple(span_from_record(s) for s in raw.get("spans", ())),
    )


# --- validation -----------------------------------------------------------------------------

_RECORD_TYPES: dict[str, tuple[type, ...]] = {
    "tags": (list,),
    "note": (str,),
    "starred": (bool,),
    "read": (bool,),
    "user_date": (str, type(None)),
    "created": (str, type(None)),
    "updated": (str, type(None)),
    "spans": (list,),
}
_SPAN_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "start": (int,),
    "end": (int,),
    "text": (str,),
    "kind": (str,),
    "label": (str,),
    "note": (str,),
    "body_fingerprint": (str,),
    "created": (str,),
    "updated": (str,),
    "anchored": (bool,),
}
_SPAN_REQUIRED = ("id", "start", "end", "text")


def _type_problem(key: str, value: Any, allowed: tuple[type, ...]) -> str | None:
    # bool is an int subclass: an offset of `true` is a hand-editing mistake, not a number
    if isinstance(value, bool) and bool not in allowed:
        return f"{key!r} must be {_type_names(allowed)}, not {json.dumps(value)}"
    if not isinstance(value, allowed):
        return f"{key!r} must be {_type_names(allowed)}, not {type(value).__name__}"
    return None


def _type_names(allowed: tuple[type, ...]) -> str:
    names = {
        list: "a list",
        str: "a string",
        bool: "true or false",
        int: "an integer",
        type(None): "null",
    }
    return " or ".join(names.get(t, t.__name__) for t in allowed)


def _plain_record_ok(raw: Any) -> bool:
    """Fast check of a record without spans (most records): exact JSON types only."""
    if type(raw) is not dict:
        return False
    get = raw.get
    tags = get("tags", [])
    if type(tags) is not list or not all(type(t) is str for t in tags):
        return False
    if type(get("note", "")) is not str:
        return False
    if type(get("starred", False)) is not bool or type(get("read", False)) is not bool:
        return False
    for key in ("user_date", "created", "updated"):
        value = get(key)
        if value is not None and type(value) is not str:
            return False
    spans = get("spans", [])
    return type(spans) is list and not spans


def record_problem(raw: Any) -> str | None:
    """What is wrong with an article record, or None when it is well-formed."""
    if _plain_record_ok(raw):
        return None
    if not isinstance(raw, dict):
        return "an article record must be a JSON object"
    for key, allowed in _RECORD_TYPES.items():
        if key in raw and (problem := _type_problem(key, raw[key], allowed)):
            return problem
    if not all(isinstance(t, str) for t in raw.get("tags", ())):
        return "'tags' must be a list of strings"
    seen: set[str] = set()
    for index, span in enumerate(raw.get("spans", ())):
        if not isinstance(span, dict):
            return f"span {index} must be a JSON object"
        for key in _SPAN_REQUIRED:
            if key not in span:
                return f"span {index} has no {key!r}"
        for key, allowed in _SPAN_TYPES.items():
            if key in span and (problem := _type_problem(key, span[key], allowed)):
                return f"span {index}: {problem}"
        if not 0 <= span["start"] <= span["end"]:
            return f"span {index}: offsets {span['start']}..{span['end']} are not a range"
        if span["id"] in seen:
            return f"span id {span['id']!r} appears twice"
        seen.add(span["id"])
    return None


# --- file text ------------------------------------------------------------------------------


def record_line(article_id: str, record: Mapping[str, Any]) -> str:
    """One article's line in the store file (without the separating comma)."""
    return (
        json.dumps(article_id, ensure_ascii=False)
        + ": "
        + json.dumps(record, ensure_ascii=False, sort_keys=True)
    )


def store_text(lines: Iterable[str]) -> str:
    """The whole store file from record lines already sorted by article id."""
    return store_bytes(line.encode("utf-8") for line in lines).decode("utf-8")


def store_bytes(lines: Iterable[bytes]) -> bytes:
    """`store_text` from UTF-8 encoded record lines (what the storage caches per record)."""
    body = b",\n".join(list(lines))
    header = (
        f'{{\n"format": "{FILE_FORMAT}",\n"schema_version": {SCHEMA_VERSION},\n"articles": {{\n'
    ).encode("ascii")
    return b"".join((header, body, b"\n" if body else b"", b"}\n}\n"))


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _record_position(text: str, article_id: str) -> tuple[int, int]:
    index = text.find(json.dumps(article_id, ensure_ascii=False))
    if index < 0:
        index = text.find(json.dumps(article_id))
    return _position(text, max(index, 0))


def parse_store_bytes(
    data: bytes, path: Path, backup: Path | None = None
) -> tuple[dict[str, Record], int]:
    """The article records in a store file and the schema version it was written in.

    Earlier versions are migrated in memory (the file is rewritten on the next write).
    Raises `CorruptStoreError` (with line and column) or `FutureSchemaError`.
    """
    if not data.strip():
        return {}, SCHEMA_VERSION
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start].decode("utf-8", "replace"), error.start)
        raise CorruptStoreError(path, line, column, "not UTF-8 text", backup) from None
    try:
        document = loads_json(text)
    except json.JSONDecodeError as error:
        raise CorruptStoreError(path, error.lineno, error.colno, error.msg, backup) from None
    if not isinstance(document, dict):
        raise CorruptStoreError(path, 1, 1, "the file is not a JSON object", backup)
    version = document.get("schema_version")
    if version is None and "_default" in document:
        version = _v1_version(document)
    if not isinstance(version, int) or isinstance(version, bool):
        raise CorruptStoreError(
            path, 1, 1, "not a newsreader annotation file (no schema_version)", backup
        )
    if version > SCHEMA_VERSION:
        raise FutureSchemaError(path, version, SCHEMA_VERSION)
    if version < 1:
        raise CorruptStoreError(path, 1, 1, f"unknown schema version {version}", backup)
    if version == 1:
        articles = migrate_v1_to_v2(document, path, backup)
    else:
        found = document.get(ARTICLES_TABLE)
        if not isinstance(found, dict):
            index = text.find('"articles"')
            line, column = _position(text, max(index, 0))
            raise CorruptStoreError(path, line, column, "'articles' must be a JSON object", backup)
        articles = found
    for article_id, record in articles.items():
        if problem := record_problem(record):
            line, column = _record_position(text, article_id)
            raise CorruptStoreError(
                path, line, column, f"article {article_id!r}: {problem}", backup
            )
    return articles, version


def _v1_version(document: dict[str, Any]) -> int | None:
    meta = document.get("meta")
    if isinstance(meta, dict):
        for doc in meta.values():
            if isinstance(doc, dict) and "schema_version" in doc:
                value = doc["schema_version"]
                return value if isinstance(value, int) else None
    return 1


def migrate_v1_to_v2(
    document: dict[str, Any], path: Path, backup: Path | None = None
) -> dict[str, Record]:
    """Schema 1 (TinyDB default layout, integer ids) to schema 2 records keyed by article id.

    Several v1 documents for one article are merged: tags united (first spelling wins,
    compared case-insensitively), notes joined with a blank line, starred if any is.
    """
    table = document.get("_default")
    if not isinstance(table, dict):
        raise CorruptStoreError(path, 1, 1, "schema 1 file without a '_default' table", backup)
    articles: dict[str, Record] = {}
    for doc_id, doc in table.items():
        if not isinstance(doc, dict) or not isinstance(doc.get("article_id"), str):
            raise CorruptStoreError(
                path, 1, 1, f"schema 1 document {doc_id!r} has no article_id", backup
            )
        tags = doc.get("tags", [])
        note = doc.get("note", "")
        starred = doc.get("starred", False)
        if not (
            isinstance(tags, list)
            and all(isinstance(t, str) for t in tags)
            and isinstance(note, str)
            and isinstance(starred, bool)
        ):
            raise CorruptStoreError(
                path, 1, 1, f"schema 1 document {doc_id!r} has fields of the wrong type", backup
            )
        record = articles.setdefault(doc["article_id"], empty_record())
        add_missing_tags(record["tags"], (t.strip() for t in tags if t.strip()))
        if note and note not in record["note"]:
            record["note"] = f"{record['note']}\n\n{note}" if record["note"] else note
        record["starred"] = record["starred"] or starred
    return articles
