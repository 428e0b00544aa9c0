"""doccano: JSONL for a sequence-labelling project, and back.

One article a line, in the shapes doccano's own JSONL import reads (backend
`data_import/pipeline`): the text in `text`, and

- `labels` (default, a "Sequence Labeling" project): `label: [[start, end, "LABEL"], ...]`,
  the document tags in `cats`, the quotes' speakers in `speakers: [[start, end, name]]`;
- `relations` (a sequence-labelling project with relations): `entities: [{id, start_offset,
  end_offset, label}]` and `relations: [{id, from_id, to_id, type: "speaker"}]`, speaker ->
  quote;
- `intent` (an "Intent Detection and Slot Filling" project): `entities: [[start, end,
  "LABEL"]]` and the tags in `cats`, which that project type reads as categories.

Every other key (`article_id`, `title`, `date`, `source`, `url`, `note`) is doccano meta,
shown beside the text and exported back unchanged. Quotes overlap the entities inside them:
tick "Allow overlapping spans" in the project's settings. Offsets are code-point indices
into the cleaned body, as doccano's Python backend counts them.

`parse_doccano` reads any of the three shapes, and doccano's own exports of them (which add
`id` and `Comments`); the comments are merged into the article's note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.formats.tool_import import (
    ToolDocument,
    ToolSpan,
    fail,
    is_int,
    jsonl_objects,
    meta_speakers,
    string_list,
    text_of,
)
from store.formats.view import SPEAKER_RELATION, AnnotatedDocument

DOCCANO_VARIANTS = ("labels", "relations", "intent")


def doccano_record(document: AnnotatedDocument, variant: str = "labels") -> dict[str, Any]:
    """One doccano JSONL object for `document`."""
    record: dict[str, Any] = {"text": document.text}
    spans = document.spans
    if variant == "relations":
        record["entities"] = [
            {"id": i, "start_offset": s.start, "end_offset": s.end, "label": s.label}
            for i, s in enumerate(spans)
        ]
        record["relations"] = [
            {"id": i, "from_id": k.speaker, "to_id": k.quote, "type": SPEAKER_RELATION}
            for i, k in enumerate(document.links)
        ]
    else:
        key = "entities" if variant == "intent" else "label"
        record[key] = [[s.start, s.end, s.label] for s in spans]
    record["speakers"] = document.quote_speakers()
    record["cats"] = list(document.tags)
    record.update(document.meta())
    return record


def to_doccano(documents: Sequence[AnnotatedDocument], variant: str = "labels") -> list[str]:
    """The JSONL lines (JSON-ready dicts are turned into text by the caller's inert dumper)."""
    from corpus.textsafe import dumps_inert

    if variant not in DOCCANO_VARIANTS:
        raise ValueError(f"doccano variant must be one of {', '.join(DOCCANO_VARIANTS)}")
    return [dumps_inert(doccano_record(d, variant)) for d in documents]


def _span(value: Any, source: str, line: int, index: int) -> ToolSpan:
    if isinstance(value, list) and len(value) == 3:
        start, end, label = value
    elif isinstance(value, dict):
        start, end = value.get("start_offset"), value.get("end_offset")
        label = value.get("label")
    else:
        raise fail(
            source, line, f"span {index} is neither [start, end, label] nor an object",
            "doccano spans look like [0, 5, \"PERSON\"]",
        )  # fmt: skip
    if not (is_int(start) and is_int(end) and isinstance(label, str) and label.strip()):
        raise fail(source, line, f"span {index} needs integer offsets and a label: {value!r}")
    if not start < end:
        raise fail(source, line, f"span {index} ends before it starts ({start}..{end})")
    return ToolSpan(start, end, label.strip())


def _comments(value: Any, source: str, line: int) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(source, line, "'Comments' must be a list")
    found: list[str] = []
    for comment in value:
        text = comment.get("text") if isinstance(comment, dict) else comment
        if not isinstance(text, str):
            raise fail(source, line, "a comment must be a string or an object with 'text'")
        found.append(text)
    return found


def parse_doccano(data: bytes, source: str) -> list[ToolDocument]:
    """The documents of a doccano JSONL file (see the module doc); all or nothing."""
    documents: list[ToolDocument] = []
    for line, value in jsonl_objects(data, source, "doccano"):
        text = text_of(value, "text", source, line, "doccano lines carry the text in 'text'")
        raw_spans = value.get("entities")
        label = value.get("label")
        tags = string_list(value.get("cats"), source, line, "cats")
        if raw_spans is None and isinstance(label, list) and all(isinstance(v, str) for v in label):
            tags += label  # a text-classification project: `label` holds the categories
            label = None
        if raw_spans is None:
            raw_spans = label if label is not None else []
        if not isinstance(raw_spans, list):
            raise fail(source, line, "the spans ('label' or 'entities') must be a list")
        spans = [_span(v, source, line, i) for i, v in enumerate(raw_spans)]
        doc = ToolDocument(line, text, spans=spans, tags=tags)
        article_id = value.get("article_id")
        if article_id is not None and not (isinstance(article_id, str) and article_id):
            raise fail(source, line, "'article_id' must be a non-empty string")
        doc.article_id = article_id
        note = value.get("note", "")
        if not isinstance(note, str):
            raise fail(source, line, "'note' must be a string")
        doc.note = "\n\n".join(
            n for n in [note, *_comments(value.get("Comments"), source, line)] if n
        )
        if "relations" in value:
            doc.has_links = True
            doc.speakers = meta_speakers(value.get("speakers"), source, line)
            doc.links = _relations(value, raw_spans, spans, source, line)
        documents.append(doc)
    return documents


def _relations(
    value: dict[str, Any], raw_spans: list[Any], spans: list[ToolSpan], source: str, line: int
) -> list[tuple[int, int]]:
    relations = value["relations"]
    if not isinstance(relations, list):
        raise fail(source, line, "'relations' must be a list")
    index_of: dict[Any, int] = {}
    for index, raw in enumerate(raw_spans):
        key = raw.get("id", index) if isinstance(raw, dict) else index
        index_of[key] = index
    links: list[tuple[int, int]] = []
    for number, relation in enumerate(relations):
        if not isinstance(relation, dict):
            raise fail(source, line, f"relation {number} is not an object")
        kind = relation.get("type")
        if not isinstance(kind, str):
            raise fail(source, line, f"relation {number} has no type")
        if kind.casefold() != SPEAKER_RELATION:
            continue
        ends = [index_of.get(relation.get(k)) for k in ("from_id", "to_id")]
        if None in ends:
            raise fail(
                source, line, f"relation {number} names a span id that is not in 'entities'",
                "from_id and to_id are ids of the line's entities",
            )  # fmt: skip
        speaker, quote = ends[0], ends[1]
        assert speaker is not None and quote is not None
        if spans[speaker].label.endswith("QUOTE"):
            speaker, quote = quote, speaker  # drawn from the quote to its speaker
        links.append((speaker, quote))
    return links
