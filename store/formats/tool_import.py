"""Reading a tool's file back: documents matched to articles, spans turned into corrections.

The three importers (`doccano`, `label_studio`, `prodigy`) check their file's shape and give
`ToolDocument`s; `plan_import` then matches each to an article of the corpus (by the
`article_id` the export put in its meta, else by its exact text) and works out which span
annotations and tags make the article read as the tool's file says, given what the
recogniser found and what the store already holds:

- a span with an entity label where the corrected article has no entity of that label at
  that range becomes an entity correction (a relabel, or an entity the recogniser missed);
- a found (or reader-added) entity the file leaves out becomes "not an entity", for files
  whose spans are the document's complete annotation (every format here, once a person
  answered it: Label Studio tasks with only `predictions`, Prodigy answers other than accept
  are skipped);
- a speaker -> quote relation naming someone else than the quote's speaker becomes a speaker
  correction (a quote left without a relation, in a file that has relations, loses its
  speaker);
- any other label marks a passage (a quote span where no quote was found is one too);
- tags are added, a document note is merged into the article's note, span notes into spans.

Nothing is stored for what already holds, so importing the same file twice changes nothing.
Any problem (a malformed line, a text that is no article's body) rejects the whole file:
`ToolImportError` carries the file, line and what to do, and the store is not touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus.model import ENTITY_LABELS, Article
from corpus.textsafe import visible_name
from corpus.untrusted import loads_json
from store.corrections import corrected_article
from store.errors import ImportFormatError, InvalidAnnotationError
from store.formats.view import QUOTE_KINDS, SPEAKER_LABEL
from store.model import (
    NOT_AN_ENTITY,
    SPEAKER_PREFIX,
    ArticleAnnotations,
    SpanAnnotation,
    body_fingerprint,
)
from store.records import annotations_from_record, span_to_record, strict_record

MAX_TOOL_FILE_BYTES = 512 * 1024 * 1024


class ToolImportError(ImportFormatError):
    """A tool's file that cannot be imported; nothing was imported."""


def fail(source: str, line: int, problem: str, hint: str = "") -> ToolImportError:
    """The one-line error for `source:line`, with what to do about it."""
    todo = f"; {hint}" if hint else ""
    return ToolImportError(
        f"cannot import {visible_name(source)}:{line}: {problem}{todo}; nothing was imported"
    )


@dataclass(frozen=True, slots=True)
class ToolSpan:
    """A labelled range of a tool document's text."""

    start: int
    end: int
    label: str
    note: str = ""


@dataclass(slots=True)
class ToolDocument:
    """One document of a tool's file, as its importer read it."""

    line: int  # where it starts in the file (1-based)
    text: str
    article_id: str | None = None
    spans: list[ToolSpan] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)  # (speaker span, quote span)
    has_links: bool = False  # the format carries speaker relations
    tags: list[str] = field(default_factory=list)
    note: str = ""
    speakers: dict[tuple[int, int], str] = field(default_factory=dict)  # from the meta


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What `plan_import` found: the annotations to merge, and counts for the report."""

    incoming: dict[str, ArticleAnnotations]
    documents: int
    corrections: int
    tags: int


def span_id(article_id: str, start: int, end: int) -> str:
    """A stable id for an imported span (one range has one annotation)."""
    key = f"{article_id}\x00{start}\x00{end}".encode()
    return hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


def match_articles(
    documents: Sequence[ToolDocument], articles: Sequence[Article], source: str
) -> list[Article]:
    """The article of each document: by `article_id` when it has one, else by exact text."""
    by_id = {a.id: a for a in articles}
    by_text: dict[str, list[Article]] = {}
    for each in articles:
        by_text.setdefault(each.body, []).append(each)
    matched: list[Article] = []
    seen: dict[str, int] = {}
    for doc in documents:
        article: Article | None = by_id.get(doc.article_id) if doc.article_id else None
        if article is None:
            same = by_text.get(doc.text, [])
            if len(same) > 1:
                raise fail(
                    source, doc.line, f"{len(same)} articles have exactly this text",
                    "give the article id in the document's meta (article_id)",
                )  # fmt: skip
            if not same:
                named = (
                    f"article {visible_name(doc.article_id)!r} is not in the corpus and "
                    if (doc.article_id)
                    else ""
                )
                raise fail(
                    source, doc.line, f"{named}no article of the corpus has this text",
                    "give the corpus it was exported from with --corpus (and the same --ner)",
                )  # fmt: skip
            article = same[0]
        elif article.body != doc.text:
            raise fail(
                source, doc.line,
                f"the text differs from the cleaned body of article {visible_name(article.id)!r},"
                " so its offsets would not fit",
                "export again from this corpus, or import into the newsreader that exported it",
            )  # fmt: skip
        if article.id in seen:
            raise fail(
                source, doc.line, f"article {visible_name(article.id)!r} appears twice "
                f"(lines {seen[article.id]} and {doc.line})", "keep one of the two",
            )  # fmt: skip
        seen[article.id] = doc.line
        for span in doc.spans:
            if not 0 <= span.start < span.end <= len(doc.text):
                raise fail(
                    source, doc.line,
                    f"span {span.start}..{span.end} is not a range of the text "
                    f"({len(doc.text)} characters)", "offsets are into the text, end exclusive",
                )  # fmt: skip
        matched.append(article)
    return matched


def plan_import(
    documents: Sequence[ToolDocument],
    articles: Sequence[Article],
    current: Mapping[str, ArticleAnnotations],
    source: str,
    now: str,
) -> ImportPlan:
    """The annotations that make each matched article read as its document says."""
    matched = match_articles(documents, articles, source)
    incoming: dict[str, ArticleAnnotations] = {}
    corrections = tags = 0
    for doc, article in zip(documents, matched, strict=True):
        stored = current.get(article.id, ArticleAnnotations(article.id))
        spans = _corrections(doc, article, stored, now)
        corrections += len(spans)
        tags += sum(1 for t in doc.tags if not stored.has_tag(t))
        record = {
            "tags": list(doc.tags),
            "note": doc.note,
            "created": now,
            "updated": now,
            "spans": [span_to_record(s) for s in spans],
        }
        try:
            clean = strict_record(record)
        except InvalidAnnotationError as error:
            raise fail(source, doc.line, str(error), "fix the value in the tool") from None
        incoming[article.id] = annotations_from_record(article.id, clean)
    return ImportPlan(incoming, len(documents), corrections, tags)


def _corrections(
    doc: ToolDocument, article: Article, stored: ArticleAnnotations, now: str
) -> list[SpanAnnotation]:
    body = article.body
    fingerprint = body_fingerprint(body)
    corrected = corrected_article(article, stored.spans)
    entities = {(e.start, e.end): e for e in corrected.entities}
    quotes = {(q.start, q.end): q for q in article.quotes}
    corrected_quotes = {(q.start, q.end): q for q in corrected.quotes}
    wanted: dict[tuple[int, int], tuple[str, str, str]] = {}  # range -> (kind, label, note)

    def want(key: tuple[int, int], kind: str, label: str, note: str = "") -> None:
        wanted[key] = (kind, label, note)

    entity_ranges: set[tuple[int, int]] = set()
    for span in doc.spans:
        key = (span.start, span.end)
        if span.label in ENTITY_LABELS:
            entity_ranges.add(key)
            found = entities.get(key)
            if found is None or found.label != span.label:
                want(key, "entity", span.label, span.note)
            elif span.note:
                want(key, "entity", "", span.note)
        elif span.label in QUOTE_KINDS and key in quotes:
            if span.note:
                want(key, "quote", "", span.note)
        elif span.label == SPEAKER_LABEL:
            continue  # a speaker mention: it counts through its relation
        else:
            want(key, "span", span.label, span.note)
    for key in entities:
        if key not in entity_ranges:
            want(key, "entity", NOT_AN_ENTITY)
    if doc.has_links:
        said_by = dict(doc.speakers)  # a speaker the meta names (no mention in the text)
        for speaker, quote in doc.links:
            mention, said = doc.spans[speaker], doc.spans[quote]
            where, key = (mention.start, mention.end), (said.start, said.end)
            known = corrected_quotes.get(key)
            if known is not None and where == (known.speaker_start, known.speaker_end):
                said_by[key] = known.speaker or ""  # its own mention ("he"): its own name
            elif where in entities:
                said_by[key] = entities[where].canonical
            else:
                said_by[key] = body[mention.start : mention.end]
        in_file = {(s.start, s.end) for s in doc.spans if s.label in QUOTE_KINDS}
        for key, said_quote in corrected_quotes.items():
            if key not in in_file:
                continue
            name = said_by.get(key, "")
            if name != (said_quote.speaker or ""):
                want(key, "quote", SPEAKER_PREFIX + name, wanted.get(key, ("", "", ""))[2])
    spans: list[SpanAnnotation] = []
    for (start, end), (kind, label, note) in sorted(wanted.items()):
        mine = stored.span_at(start, end)
        same = mine is not None and mine.kind == kind and mine.label == (label or mine.label)
        if same and mine is not None and (not note or note in mine.note):
            continue  # the store says so already
        spans.append(
            SpanAnnotation(
                id=mine.id if mine is not None else span_id(article.id, start, end),
                start=start,
                end=end,
                text=body[start:end],
                kind=kind,
                label=label if label or mine is None else mine.label,
                note=note,
                body_fingerprint=fingerprint,
                created=mine.created if mine is not None and mine.created else now,
                updated=now,
            )
        )
    return spans


# --- reading the files ---------------------------------------------------------------------


def decoded(data: bytes, source: str) -> str:
    """`data` as text (UTF-8, a byte order mark allowed), or the error naming the place."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise fail(source, line, "not UTF-8 text", "save the file as UTF-8") from None


def jsonl_objects(data: bytes, source: str, what: str) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a JSONL file with their line numbers (blank lines skipped)."""
    objects: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(decoded(data, source).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = loads_json(line)
        except json.JSONDecodeError as error:
            raise fail(
                source, number, f"not JSON ({error.msg}, column {error.colno})",
                f"a {what} file has one JSON object a line",
            ) from None  # fmt: skip
        if not isinstance(value, dict):
            raise fail(source, number, "not a JSON object", f"a {what} line is one object")
        objects.append((number, value))
    if not objects:
        raise fail(source, 1, f"no {what} documents in the file", f"export the {what} dataset")
    return objects


def text_of(value: dict[str, Any], key: str, source: str, line: int, what: str) -> str:
    """The document text `value[key]`, which must be a non-empty string."""
    text = value.get(key)
    if not isinstance(text, str) or not text:
        raise fail(source, line, f"no text ({key!r} must be a non-empty string)", what)
    return text


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def string_list(value: Any, source: str, line: int, name: str) -> list[str]:
    """`value` as a list of strings (absent: empty), or the error."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(source, line, f"{name!r} must be a list of strings")
    return list(value)


def meta_speakers(value: Any, source: str, line: int) -> dict[tuple[int, int], str]:
    """The `speakers` the export put in a document's meta: `[[start, end, name], ...]`."""
    if value is None:
        return {}
    found: dict[tuple[int, int], str] = {}
    if isinstance(value, list):
        for entry in value:
            if not (isinstance(entry, list) and len(entry) == 3):
                break
            start, end, name = entry
            if not (is_int(start) and is_int(end) and isinstance(name, str)):
                break
            found[(start, end)] = name
        else:
            return found
    raise fail(source, line, "'speakers' must be a list of [start, end, name]")


def parse_tool_file(fmt: str, data: bytes, source: str) -> list[ToolDocument]:
    """The documents of a `doccano`, `label-studio` or `prodigy` file; all or nothing."""
    if len(data) > MAX_TOOL_FILE_BYTES:
        raise fail(source, 1, f"larger than {MAX_TOOL_FILE_BYTES // 2**20} MiB")
    if fmt == "doccano":
        from store.formats.doccano import parse_doccano

        return parse_doccano(data, source)
    if fmt == "label-studio":
        from store.formats.label_studio import parse_label_studio

        return parse_label_studio(data, source)
    if fmt == "prodigy":
        from store.formats.prodigy import parse_prodigy

        return parse_prodigy(data, source)
    raise ValueError(f"not a tool import format: {fmt}")
