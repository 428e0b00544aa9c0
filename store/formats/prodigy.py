"""Prodigy: JSONL annotation tasks, and back.

One task per article in Prodigy's task format (its "Annotation interfaces" reference):
`text`, `tokens` (`{text, start, end, id, ws}`), `spans` (`{start, end, label, token_start,
token_end}`, token ends inclusive), `relations` speaker -> quote (`{head, child, label,
head_span, child_span}`, as `rel.manual` writes them), the tags as a multiple `choice`
(`options: [{id, text}]` of every tag in the export, `accept: [ids]`), `meta` (`article_id`,
`title`, `date`, `source`, `url`, `note`, `speakers`) and `"answer": "accept"`. Quotes
overlap the entities inside them, so load the file with the `spans` interfaces
(`spans.manual`), which allow overlapping spans.

`parse_prodigy` reads Prodigy's `db-out` JSONL back: tasks answered "reject" or "ignore" are
left out; the others' spans are the article's annotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.formats.tokens import body_tokens, token_range
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
from store.formats.view import SPEAKER_RELATION, AnnotatedDocument, all_tags

ANSWERS = ("accept", "reject", "ignore")


def prodigy_task(document: AnnotatedDocument, options: Sequence[str]) -> dict[str, Any]:
    """One Prodigy task for `document`; `options` are the tags offered as choices."""
    tokens = body_tokens(document.text)
    spans: list[dict[str, Any]] = []
    for span in document.spans:
        entry: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
        if span.annotator:
            entry["annotator"] = span.annotator
        covered = token_range(tokens, span.start, span.end)
        if covered is not None:
            entry["token_start"], entry["token_end"] = covered
        spans.append(entry)
    relations = []
    for link in document.links:
        head, child = spans[link.speaker], spans[link.quote]
        if "token_end" not in head or "token_end" not in child:
            continue
        relations.append(
            {"head": head["token_end"], "child": child["token_end"], "label": "SPEAKER",
             "head_span": head, "child_span": child}
        )  # fmt: skip
    meta = document.meta()
    meta.pop("starred", None)
    meta["speakers"] = document.quote_speakers()
    return {
        "text": document.text,
        "tokens": [
            {"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws}
            for i, t in enumerate(tokens)
        ],
        "spans": spans,
        "relations": relations,
        "options": [{"id": tag, "text": tag} for tag in options],
        "accept": list(document.tags),
        "meta": meta,
        "answer": "accept",
    }


def to_prodigy(documents: Sequence[AnnotatedDocument]) -> list[str]:
    """The JSONL lines."""
    from corpus.textsafe import dumps_inert

    options = all_tags(documents)
    return [dumps_inert(prodigy_task(d, options)) for d in documents]


def parse_prodigy(data: bytes, source: str) -> list[ToolDocument]:
    """The accepted tasks of a Prodigy JSONL file (see the module doc); all or nothing."""
    documents: list[ToolDocument] = []
    for line, task in jsonl_objects(data, source, "Prodigy"):
        text = text_of(task, "text", source, line, "Prodigy tasks carry the text in 'text'")
        answer = task.get("answer", "accept")
        if answer not in ANSWERS:
            raise fail(source, line, f"'answer' must be one of {', '.join(ANSWERS)}")
        if answer != "accept":
            continue
        meta = task.get("meta", {})
        if not isinstance(meta, dict):
            raise fail(source, line, "'meta' must be an object")
        article_id = meta.get("article_id")
        if article_id is not None and not (isinstance(article_id, str) and article_id):
            raise fail(source, line, "meta.article_id must be a non-empty string")
        note = meta.get("note", "")
        if not isinstance(note, str):
            raise fail(source, line, "meta.note must be a string")
        raw_spans = task.get("spans", [])
        if not isinstance(raw_spans, list):
            raise fail(source, line, "'spans' must be a list")
        spans = [_span(s, source, line, i) for i, s in enumerate(raw_spans)]
        doc = ToolDocument(line, text, article_id=article_id, spans=spans, note=note)
        doc.tags = _tags(task, source, line)
        if "relations" in task:
            doc.has_links = True
            doc.speakers = meta_speakers(meta.get("speakers"), source, line)
            doc.links = _links(task["relations"], spans, source, line)
        documents.append(doc)
    return documents


def _span(value: Any, source: str, line: int, index: int) -> ToolSpan:
    if not isinstance(value, dict):
        raise fail(source, line, f"span {index} is not an object")
    start, end, label = value.get("start"), value.get("end"), value.get("label")
    if not (is_int(start) and is_int(end) and isinstance(label, str) and label.strip()):
        raise fail(
            source, line, f"span {index} needs integer start and end and a label",
            'Prodigy spans look like {"start": 0, "end": 5, "label": "PERSON"}',
        )  # fmt: skip
    assert isinstance(start, int) and isinstance(end, int) and isinstance(label, str)
    if not start < end:
        raise fail(source, line, f"span {index} ends before it starts ({start}..{end})")
    return ToolSpan(start, end, label.strip())


def _tags(task: dict[str, Any], source: str, line: int) -> list[str]:
    if "options" not in task:
        return []
    options = task["options"]
    if not isinstance(options, list):
        raise fail(source, line, "'options' must be a list")
    text_of_id: dict[Any, str] = {}
    for option in options:
        if not isinstance(option, dict) or "id" not in option:
            raise fail(source, line, "an option needs an id")
        text = option.get("text", option["id"])
        text_of_id[option["id"]] = str(text)
    accepted = task.get("accept", [])
    if not isinstance(accepted, list):
        raise fail(source, line, "'accept' must be a list of option ids")
    unknown = [a for a in accepted if a not in text_of_id]
    if unknown:
        raise fail(source, line, f"'accept' names options that are not offered: {unknown!r}")
    return string_list([text_of_id[a] for a in accepted], source, line, "accept")


def _links(relations: Any, spans: list[ToolSpan], source: str, line: int) -> list[tuple[int, int]]:
    if not isinstance(relations, list):
        raise fail(source, line, "'relations' must be a list")
    index_of = {(s.start, s.end): i for i, s in enumerate(spans)}
    links: list[tuple[int, int]] = []
    for number, relation in enumerate(relations):
        if not isinstance(relation, dict):
            raise fail(source, line, f"relation {number} is not an object")
        label = relation.get("label", "")
        if not isinstance(label, str) or label.casefold() != SPEAKER_RELATION:
            continue
        ends = []
        for key in ("head_span", "child_span"):
            span = relation.get(key)
            where = (span.get("start"), span.get("end")) if isinstance(span, dict) else None
            if where not in index_of:
                raise fail(
                    source, line, f"relation {number}: its {key} is not one of the task's spans",
                    "a speaker relation joins two of the spans",
                )  # fmt: skip
            ends.append(index_of[where])
        head, child = ends
        if spans[head].label.endswith("QUOTE"):
            head, child = child, head
        links.append((head, child))
    return links
