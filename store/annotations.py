"""`AnnotationStore`: the one object that reads and writes the user's annotations.

Everything else in newsreader calls its methods and gets frozen dataclasses back
(`store.model`); the TinyDB database, its storage and the raw records stay inside store/.

Every change is an idempotent operation queued and applied in a locked transaction, kept
while saving fails (`store.record_store.RecordStore`, which this class builds on): this
module says which changes there are (tags, notes, stars, read marks, user dates, span
annotations, an import) and what each does to an article's record.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from corpus.textsafe import make_safe
from store.anchoring import reanchor_span
from store.errors import InvalidAnnotationError, UnknownSpanError
from store.model import ArticleAnnotations, ImportReport, SpanAnnotation, body_fingerprint
from store.record_store import Operation, RecordStore, iso_timestamp, utc_now
from store.records import (
    MAX_TAG_LENGTH,
    Record,
    add_missing_tags,
    clean_annotator,
    clean_note,
    clean_tag,
    clean_user_date,
    record_is_empty,
    span_from_record,
    span_to_record,
)

ANNOTATOR_ENV = "NEWSREADER_ANNOTATOR"
"""The environment variable naming the annotator when the app or command does not."""


class AnnotationStore(RecordStore):
    """Tags, notes, stars, read marks, user dates and span annotations, keyed by article id.

    `path` defaults to `default_db_path()`. Thread-safe; several stores (in one process or
    many) can share a file. With `read_only=True` every change raises `ReadOnlyStoreError`
    and a corrupt file shows its `.bak` instead (see `problem`).

    `annotator` names the person whose span annotations this store writes (each added or
    edited span records it); it defaults to `$NEWSREADER_ANNOTATOR`, else no name.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        clock: Callable[[], dt.datetime] = utc_now,
        lock_timeout: float = 30.0,
        annotator: str | None = None,
    ) -> None:
        super().__init__(path, read_only=read_only, clock=clock, lock_timeout=lock_timeout)
        if annotator is None:
            annotator = os.environ.get(ANNOTATOR_ENV, "")
        self.annotator = clean_annotator(annotator)

    # --- queries ----------------------------------------------------------------------------------

    def tag_counts(self) -> dict[str, int]:
        """Every tag with the number of articles carrying it, most used first.

        Tags that differ only in case count as one, shown in the spelling most articles use.
        """
        with self._lock:
            counts: Counter[str] = Counter()
            spellings: dict[str, Counter[str]] = {}
            for record in self._records().values():
                for tag in record.get("tags", ()):
                    folded = tag.casefold()
                    counts[folded] += 1
                    spellings.setdefault(folded, Counter())[tag] += 1
        named = {spellings[f].most_common(1)[0][0]: n for f, n in counts.items()}
        return dict(sorted(named.items(), key=lambda item: (-item[1], item[0].casefold())))

    def articles_with_tag(self, tag: str) -> list[str]:
        """Ids of articles carrying `tag` (case-insensitive), sorted."""
        folded = tag.casefold()
        with self._lock:
            return sorted(
                aid
                for aid, record in self._records().items()
                if any(t.casefold() == folded for t in record.get("tags", ()))
            )

    # --- article-level changes ---------------------------------------------------------------

    def add_tags(self, article_id: str, tags: Iterable[str]) -> None:
        """Add tags (case-preserving; a tag already there in any case is not added again)."""
        wanted = _unique_tags(clean_tag(t) for t in _as_list(tags))
        if not wanted:
            raise InvalidAnnotationError("no tag given")

        def change(record: Record) -> None:
            add_missing_tags(record["tags"], wanted)

        self._change_article(f"tag {article_id} {', '.join(wanted)}", article_id, change)

    def add_tag(self, article_id: str, tag: str) -> None:
        self.add_tags(article_id, [tag])

    def remove_tags(self, article_id: str, tags: Iterable[str]) -> None:
        """Remove tags, matched case-insensitively (tags not there are ignored)."""
        unwanted = {clean_tag(t).casefold() for t in _as_list(tags)}

        def change(record: Record) -> None:
            record["tags"] = [t for t in record["tags"] if t.casefold() not in unwanted]

        self._change_article(f"untag {article_id}", article_id, change)

    def remove_tag(self, article_id: str, tag: str) -> None:
        self.remove_tags(article_id, [tag])

    def set_tags(self, article_id: str, tags: Iterable[str]) -> None:
        """Replace the article's tags with `tags`."""
        wanted = _unique_tags(clean_tag(t) for t in _as_list(tags))

        def change(record: Record) -> None:
            record["tags"] = list(wanted)

        self._change_article(f"set tags of {article_id}", article_id, change)

    def set_note(self, article_id: str, text: str) -> None:
        """Replace the article's note (multi-line, Markdown allowed; "" clears it)."""
        note = clean_note(text)

        def change(record: Record) -> None:
            record["note"] = note

        self._change_article(f"note on {article_id}", article_id, change)

    def set_starred(self, article_id: str, starred: bool = True) -> None:
        def change(record: Record) -> None:
            record["starred"] = bool(starred)

        self._change_article(f"star {article_id}", article_id, change)

    def set_read(self, article_id: str, read: bool = True) -> None:
        def change(record: Record) -> None:
            record["read"] = bool(read)

        self._change_article(f"mark {article_id} read", article_id, change)

    def set_read_many(self, article_ids: Iterable[str], read: bool = True) -> int:
        """Mark many articles read (or unread) in one write; returns how many changed.

        ("Mark all read" over thousands of listed articles: one transaction, not one each.)
        """
        ids = list(dict.fromkeys(article_ids))
        for article_id in ids:
            if not isinstance(article_id, str) or not article_id:
                raise InvalidAnnotationError(f"not an article id: {article_id!r}")
        now = self._now()
        changed: list[int] = [0]

        def change(record: Record) -> None:
            record["read"] = bool(read)

        def apply(store: RecordStore) -> None:
            records = store._records()
            count = 0
            for article_id in ids:
                current = records.get(article_id)
                was = bool(current.get("read")) if current is not None else False
                if was != bool(read):
                    store._update_record(article_id, change, now)
                    count += 1
            changed[0] = count

        self._queue(Operation(f"mark {len(ids)} articles {'read' if read else 'unread'}", apply))
        return changed[0]

    def set_user_date(self, article_id: str, date: str | dt.date | None) -> None:
        """Set (or with None clear) the date the user gives an undated or misdated article."""
        value = clean_user_date(date)

        def change(record: Record) -> None:
            record["user_date"] = value

        self._change_article(f"date {article_id}", article_id, change)

    # --- span annotations --------------------------------------------------------------------

    def add_span(
        self,
        article_id: str,
        start: int,
        end: int,
        text: str,
        kind: str = "span",
        label: str = "",
        note: str = "",
        body_fingerprint: str = "",
    ) -> str:
        """Annotate `body[start:end]` (whose text is `text`); returns the span's id.

        One range has one annotation: annotating a range that has one already updates it
        (its kind, label and note become the given ones; its id and `created` stay), so
        "label it, then say it is not an entity" leaves one span. Several annotations of one
        range in a file written before this rule become that one.

        `body_fingerprint` is `store.body_fingerprint(article.body)`, so the span can be
        re-anchored if the cleaner later changes the body.
        """
        if isinstance(start, bool) or isinstance(end, bool) or not 0 <= start < end:
            raise InvalidAnnotationError(f"span offsets {start}..{end} are not a range")
        if len(text) != end - start:
            raise InvalidAnnotationError(
                f"span text has {len(text)} characters but offsets {start}..{end} cover "
                f"{end - start}"
            )
        now = self._now()
        span = SpanAnnotation(
            id=secrets.token_hex(6),
            start=start,
            end=end,
            text=text,
            kind=make_safe(kind).strip() or "span",
            label=make_safe(label).strip(),
            note=make_safe(note),
            body_fingerprint=body_fingerprint,
            created=now,
            updated=now,
            annotator=self.annotator,
        )
        raw = span_to_record(span)
        fields = {
            "kind": span.kind,
            "label": span.label,
            "note": span.note,
            "text": text,
            "annotator": self.annotator,
        }
        if body_fingerprint:
            fields["body_fingerprint"] = body_fingerprint

        def change(record: Record) -> None:
            spans = record["spans"]
            same = [s for s in spans if (s["start"], s["end"]) == (start, end)]
            if not same:
                spans.append(dict(raw))
                return
            kept = same[0]
            if len(same) > 1:
                record["spans"] = [s for s in spans if s is kept or all(s is not o for o in same)]
            if any(kept.get(k) != v for k, v in fields.items()):
                kept.update(fields)
                kept["updated"] = now

        self._change_article(f"annotate {article_id} {span.text[:30]!r}", article_id, change, now)
        placed = self.get(article_id).span_at(start, end)
        return placed.id if placed is not None else span.id

    def restore_span(self, article_id: str, span: SpanAnnotation) -> None:
        """Put `span` back exactly as it was (undoing a change or a deletion).

        It replaces the annotation with its id, and any other one of its range.
        """
        if len(span.text) != span.end - span.start or not 0 <= span.start < span.end:
            raise InvalidAnnotationError(f"span offsets {span.start}..{span.end} do not fit")
        raw = span_to_record(
            replace(span, label=make_safe(span.label).strip(), note=make_safe(span.note))
        )

        def change(record: Record) -> None:
            spans = [
                s
                for s in record["spans"]
                if s["id"] != span.id and (s["start"], s["end"]) != (span.start, span.end)
            ]
            spans.append(dict(raw))
            spans.sort(key=lambda s: (s["created"], s["id"]))
            if spans != record["spans"]:
                record["spans"] = spans

        self._change_article(f"restore annotation {span.id}", article_id, change)

    def update_span(
        self,
        article_id: str,
        span_id: str,
        *,
        kind: str | None = None,
        label: str | None = None,
        note: str | None = None,
    ) -> None:
        """Change a span annotation's kind, label or note (None leaves a field as it is)."""
        self._require_span(article_id, span_id)
        fields: dict[str, Any] = {}
        if kind is not None:
            fields["kind"] = make_safe(kind).strip() or "span"
        if label is not None:
            fields["label"] = make_safe(label).strip()
        if note is not None:
            fields["note"] = make_safe(note)
        if fields:
            fields["annotator"] = self.annotator
        now = self._now()

        def change(record: Record) -> None:
            for span in record["spans"]:
                if span["id"] == span_id and any(span.get(k) != v for k, v in fields.items()):
                    span.update(fields)
                    span["updated"] = now

        self._change_article(f"edit annotation {span_id}", article_id, change, now)

    def remove_span(self, article_id: str, span_id: str) -> None:
        """Delete a span annotation. Raises UnknownSpanError if there is none with that id."""
        self._require_span(article_id, span_id)

        def change(record: Record) -> None:
            record["spans"] = [s for s in record["spans"] if s["id"] != span_id]

        self._change_article(f"remove annotation {span_id}", article_id, change)

    def reanchor(self, article_id: str, body: str) -> list[SpanAnnotation]:
        """Re-place this article's spans on `body` if it changed; return the ones not found.

        Spans whose text moved are updated in the store (unless read-only); spans whose text
        is gone are flagged `anchored=False` and kept.
        """
        annotations = self.get(article_id)
        if not annotations.spans:
            return []
        fingerprint = body_fingerprint(body)
        placed = [reanchor_span(s, body, fingerprint) for s in annotations.spans]
        moved = {
            s.id: span_to_record(s)
            for s, old in zip(placed, annotations.spans, strict=True)
            if s != old
        }
        if moved and not self.read_only:
            now = self._now()

            def change(record: Record) -> None:
                for span in record["spans"]:
                    new = moved.get(span["id"])
                    if new is not None:
                        for key in ("start", "end", "text", "body_fingerprint", "anchored"):
                            span[key] = new[key]
                        span["updated"] = now

            self._change_article(f"re-anchor spans of {article_id}", article_id, change, now)
        return [s for s in placed if not s.anchored]

    def _require_span(self, article_id: str, span_id: str) -> None:
        if self.get(article_id).span(span_id) is None:
            raise UnknownSpanError(
                f"article {article_id!r} has no span annotation {span_id!r} in {self.path}",
                self.path,
            )

    # --- import ------------------------------------------------------------------------------

    def import_annotations(self, incoming: Mapping[str, ArticleAnnotations]) -> ImportReport:
        """Merge annotations from an export (see `store.importer.merge_records`), in one write.

        Idempotent: importing the same annotations again changes nothing.
        """
        from store.importer import merge_records  # importer imports this module's helpers
        from store.records import annotations_to_record

        records = {aid: annotations_to_record(ann) for aid, ann in incoming.items()}
        now = self._now()
        report: list[ImportReport] = []

        def apply(store: RecordStore) -> None:
            existing = store._records()
            added = merged = unchanged = notes = dates = 0
            for article_id, record in records.items():
                current = existing.get(article_id)
                if current is None:
                    if not record_is_empty(record):
                        store._put(article_id, copy.deepcopy(record))
                        added += 1
                    continue
                result = merge_records(current, record)
                notes += result.note_conflict
                dates += result.date_conflict
                if result.record == current:
                    unchanged += 1
                    continue
                result.record["updated"] = now
                store._put(article_id, result.record)
                merged += 1
            report[:] = [ImportReport(len(records), added, merged, unchanged, notes, dates)]

        self._queue(Operation(f"import {len(records)} articles", apply))
        return report[0]


def _as_list(tags: Iterable[str] | str) -> list[str]:
    return [tags] if isinstance(tags, str) else list(tags)


def _unique_tags(tags: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    unique: list[str] = []
    for tag in tags:
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            unique.append(tag)
    return unique


__all__ = [
    "MAX_TAG_LENGTH",
    "AnnotationStore",
    "InvalidAnnotationError",
    "clean_tag",
    "clean_user_date",
    "iso_timestamp",
    "span_from_record",
    "utc_now",
]
