"""`newsreader import`: read a json export (or a store file) and merge it into the store.

Parsing is separate from merging: the whole file is read and checked first, so a malformed
file is rejected with its line and column before anything changes. Merging is idempotent
(importing twice changes nothing) and never drops text: when both sides have a different
note, both are kept, the imported one after a separator line.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.textsafe import has_unsafe, visible_name
from corpus.untrusted import loads_json
from store.errors import (
    CorruptStoreError,
    FutureSchemaError,
    ImportFormatError,
    InvalidAnnotationError,
)
from store.model import ArticleAnnotations
from store.records import (
    SCHEMA_VERSION,
    Record,
    add_missing_tags,
    annotations_from_record,
    parse_store_bytes,
    record_problem,
    strict_record,
)

EXPORT_FORMAT = "newsreader-annotations-export"
NOTE_SEPARATOR = "\n\n--- imported note ---\n"


def _position(text: str, needle: str) -> tuple[int, int]:
    index = max(text.find(needle), 0)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _fail(source: Path | str, line: int, column: int, problem: str) -> ImportFormatError:
    return ImportFormatError(
        f"cannot import {source}:{line}:{column}: {problem}; nothing was imported",
        Path(source) if isinstance(source, Path) else None,
    )


def parse_import_bytes(data: bytes, source: Path | str) -> dict[str, ArticleAnnotations]:
    """The annotations in an export file (json format) or a store file; all or nothing.

    Raises `ImportFormatError` naming the file, line and column of the first problem.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _fail(source, 1, error.start + 1, "not UTF-8 text") from None
    try:
        document = loads_json(text)
    except json.JSONDecodeError as error:
        raise _fail(source, error.lineno, error.colno, error.msg) from None
    if not isinstance(document, dict):
        raise _fail(source, 1, 1, "not a newsreader json export (expected a JSON object)")
    if document.get("format") == EXPORT_FORMAT:
        records = _export_records(document, text, source)
    else:
        try:
            records, _ = parse_store_bytes(data, Path(str(source)))
        except (CorruptStoreError, FutureSchemaError) as error:
            raise ImportFormatError(
                f"cannot import {source}: not a newsreader json export or annotation file "
                f"({error}); nothing was imported",
                None,
            ) from None
    for article_id in records:
        # Ids come from file names and JSON ids that the reader already made safe, so a
        # legitimate file never holds one with a control or bidi character; refusing it here
        # keeps it out of every later message and screen.
        if has_unsafe(article_id):
            where = _position(text, json.dumps(article_id, ensure_ascii=False))
            raise _fail(
                source, *where, f"article id {visible_name(article_id)} has hidden characters"
            )
    strict: dict[str, Record] = {}
    for article_id, record in records.items():
        # Everything a setter would refuse (an empty tag, a user date that is not
        # YYYY-MM-DD, a span whose text does not fit its offsets) rejects the whole file:
        # these values reach exports, the CSV and the app as they are.
        try:
            strict[article_id] = strict_record(record)
        except InvalidAnnotationError as error:
            where = _position(text, json.dumps(article_id, ensure_ascii=False))
            raise _fail(source, *where, f"article {article_id!r}: {error}") from None
    return {aid: annotations_from_record(aid, r) for aid, r in strict.items()}


def _export_records(document: dict[str, Any], text: str, source: Path | str) -> dict[str, Record]:
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail(source, *_position(text, '"schema_version"'), "schema_version missing")
    if version > SCHEMA_VERSION:
        raise _fail(
            source,
            *_position(text, '"schema_version"'),
            f"written by a newer newsreader (schema {version}, this one knows {SCHEMA_VERSION})",
        )
    articles = document.get("articles")
    if not isinstance(articles, list):
        raise _fail(source, *_position(text, '"articles"'), "'articles' must be a list")
    records: dict[str, Record] = {}
    for index, entry in enumerate(articles):
        article_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(article_id, str) or not article_id:
            raise _fail(source, *_position(text, '"articles"'), f"article {index} has no id")
        where = _position(text, json.dumps(article_id, ensure_ascii=False))
        record = entry.get("annotations")
        if (problem := record_problem(record)) is not None:
            raise _fail(source, *where, f"article {article_id!r}: {problem}")
        if article_id in records:
            raise _fail(source, *where, f"article {article_id!r} appears twice")
        records[article_id] = record
    return records


@dataclass(slots=True)
class MergeResult:
    record: Record
    note_conflict: bool = False
    date_conflict: bool = False


def merge_notes(current: str, incoming: str) -> tuple[str, bool]:
    """Both notes when they differ (incoming after a separator), and whether they did."""
    if not incoming.strip() or incoming in current:
        return current, False
    if not current.strip():
        return incoming, False
    return current + NOTE_SEPARATOR + incoming, True


def merge_records(current: Record, incoming: Record) -> MergeResult:
    """`incoming` merged into `current` (neither is modified).

    Tags are united (case-insensitively), starred/read if either says so, the earlier
    `created` wins, notes both kept when they differ, the store's user date kept when the two
    differ (reported), spans added by id and range (one range has one annotation: a span with
    a known id or range keeps the store's kind and label unless it was edited later, and
    both notes if they differ).
    """
    merged = copy.deepcopy(current)
    result = MergeResult(merged)
    if incoming.get("tags"):
        add_missing_tags(merged.setdefault("tags", []), incoming["tags"])
    merged["note"], result.note_conflict = merge_notes(
        merged.get("note", ""), incoming.get("note", "")
    )
    merged["starred"] = bool(merged.get("starred")) or bool(incoming.get("starred"))
    merged["read"] = bool(merged.get("read")) or bool(incoming.get("read"))
    theirs = incoming.get("user_date")
    if theirs and not merged.get("user_date"):
        merged["user_date"] = theirs
    elif theirs and theirs != merged.get("user_date"):
        result.date_conflict = True
    created = [c for c in (merged.get("created"), incoming.get("created")) if c]
    merged["created"] = min(created) if created else None
    spans = merged.setdefault("spans", [])
    by_id = {s["id"]: s for s in spans}
    by_range = {(s.get("start"), s.get("end")): s for s in spans}
    for span in incoming.get("spans", ()):
        mine = by_id.get(span["id"]) or by_range.get((span.get("start"), span.get("end")))
        if mine is None:
            if not any(_same_span(s, span) for s in spans):
                spans.append(copy.deepcopy(span))
                by_range[(span.get("start"), span.get("end"))] = spans[-1]
            continue
        if _newer(span, mine) and any(span.get(k) != mine.get(k) for k in ("kind", "label")):
            # One range has one annotation; the later edit of it wins (a correction made in
            # another tool after the store's).
            mine["kind"], mine["label"] = span.get("kind", "span"), span.get("label", "")
            mine["updated"] = span["updated"]
            mine["annotator"] = span.get("annotator", "")
        mine["note"], conflict = merge_notes(mine.get("note", ""), span.get("note", ""))
        result.note_conflict = result.note_conflict or conflict
    for key, value in incoming.items():
        merged.setdefault(key, copy.deepcopy(value))
    return result


def _newer(incoming: Record, mine: Record) -> bool:
    """True when `incoming` was edited after `mine` (ISO 8601 UTC stamps compare as text)."""
    theirs, ours = incoming.get("updated") or "", mine.get("updated") or ""
    return bool(theirs) and theirs > ours


def _same_span(a: Record, b: Record) -> bool:
    keys = ("start", "end", "text", "kind", "label")
    return all(a.get(k) == b.get(k) for k in keys) and (b.get("note", "") in a.get("note", ""))
