"""Label Studio: a JSON task list for a named-entity project, and back.

One task per article (Label Studio's "Basic Label Studio JSON format"): `data.text` is the
cleaned body, with `article_id`, `title`, `date`, `source`, `url` and `speakers` (`[quote
start, quote end, name]`, also for a speaker the text names nowhere) beside it;
`predictions` hold the recogniser's analysis (`model_version` names it) and, for an article
the reader annotated, `annotations` hold the reader's answer, corrections applied. Results
(documented in Label Studio's "Label Studio JSON format of annotated tasks"):

- spans: `{"id", "from_name": "label", "to_name": "text", "type": "labels",
  "value": {"start", "end", "text", "labels": [LABEL]}}`;
- speaker -> quote: `{"type": "relation", "from_id", "to_id", "direction": "right",
  "labels": ["speaker"]}`;
- document tags: `{"from_name": "tags", "type": "choices", "value": {"choices": [...]}}`;
- the article's note: `{"from_name": "note", "type": "textarea", "value": {"text": [note]}}`,
  and a span's note as the per-region `textarea` result `span_note` with the span's id.

`label_config(labels, tags)` is the labeling interface these tasks are made for. Offsets are
code points of the cleaned body, as Label Studio stores them since 1.4; `parse_label_studio`
also accepts the UTF-16 offsets of older versions (it checks each region's `text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from corpus.model import ENTITY_LABELS
from corpus.untrusted import loads_json
from store.formats.tool_import import (
    ToolDocument,
    ToolSpan,
    decoded,
    fail,
    is_int,
    meta_speakers,
    string_list,
    text_of,
)
from store.formats.view import (
    PASSAGE_LABEL,
    QUOTE_LABELS,
    SPEAKER_LABEL,
    SPEAKER_RELATION,
    AnnotatedDocument,
    DocSpan,
    SpeakerLink,
)

FROM_LABELS, FROM_TAGS, FROM_NOTE, FROM_SPAN_NOTE, TO_TEXT = (
    "label", "tags", "note", "span_note", "text",
)  # fmt: skip


def label_config(labels: Iterable[str] = (), tags: Iterable[str] = ()) -> str:
    """The Label Studio labeling config (XML) for tasks exported here."""
    every = list(dict.fromkeys([*ENTITY_LABELS, *QUOTE_LABELS.values(), SPEAKER_LABEL, *labels]))
    label_lines = "".join(f"    <Label value={quoteattr(v)}/>\n" for v in every)
    choice_lines = "".join(f"    <Choice value={quoteattr(t)}/>\n" for t in dict.fromkeys(tags))
    return (
        "<View>\n"
        f'  <Relations>\n    <Relation value="{SPEAKER_RELATION}"/>\n  </Relations>\n'
        f'  <Labels name="{FROM_LABELS}" toName="{TO_TEXT}">\n{label_lines}  </Labels>\n'
        f'  <Text name="{TO_TEXT}" value="$text"/>\n'
        f'  <TextArea name="{FROM_SPAN_NOTE}" toName="{TO_TEXT}" perRegion="true" '
        'placeholder="note on this span"/>\n'
        f'  <Choices name="{FROM_TAGS}" toName="{TO_TEXT}" choice="multiple" '
        f'allowNested="true">\n{choice_lines}  </Choices>\n'
        f'  <TextArea name="{FROM_NOTE}" toName="{TO_TEXT}" placeholder="note on the article"/>\n'
        "</View>\n"
    )


def _regions(
    spans: Sequence[DocSpan], links: Sequence[SpeakerLink], prefix: str, notes: bool
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for index, span in enumerate(spans):
        region = f"{prefix}{index}"
        value = {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]}
        results.append(
            {"id": region, "from_name": FROM_LABELS, "to_name": TO_TEXT, "type": "labels",
             "value": value}
        )  # fmt: skip
        if notes and span.note:
            note_value = {"start": span.start, "end": span.end, "text": [span.note]}
            results.append(
                {"id": region, "from_name": FROM_SPAN_NOTE, "to_name": TO_TEXT,
                 "type": "textarea", "value": note_value}
            )  # fmt: skip
    for link in links:
        results.append(
            {"type": "relation", "from_id": f"{prefix}{link.speaker}",
             "to_id": f"{prefix}{link.quote}", "direction": "right", "labels": [SPEAKER_RELATION]}
        )  # fmt: skip
    return results


def label_studio_task(document: AnnotatedDocument, model_version: str) -> dict[str, Any]:
    """One Label Studio task for `document`."""
    data = {"text": document.text, **document.meta(), "speakers": document.quote_speakers()}
    data.pop("note", None)  # the note is part of the reader's answer
    task: dict[str, Any] = {
        "data": data,
        "predictions": [
            {"model_version": model_version,
             "result": _regions(document.found, document.found_links, "p", notes=False)}
        ],
    }  # fmt: skip
    if document.annotated:
        result = _regions(document.spans, document.links, "r", notes=True)
        if document.tags:
            result.append(
                {"id": "tags", "from_name": FROM_TAGS, "to_name": TO_TEXT, "type": "choices",
                 "value": {"choices": list(document.tags)}}
            )  # fmt: skip
        if document.note:
            result.append(
                {"id": "note", "from_name": FROM_NOTE, "to_name": TO_TEXT, "type": "textarea",
                 "value": {"text": [document.note]}}
            )  # fmt: skip
        task["annotations"] = [{"result": result, "was_cancelled": False, "ground_truth": False}]
    return task


def to_label_studio(documents: Sequence[AnnotatedDocument], model_version: str) -> str:
    """The task list as JSON text."""
    from corpus.textsafe import dumps_inert

    return dumps_inert([label_studio_task(d, model_version) for d in documents], indent=1) + "\n"


# --- import ----------------------------------------------------------------------------------


def _code_points(text: str, utf16: int) -> int | None:
    """The code-point index of UTF-16 offset `utf16` in `text` (None inside a pair)."""
    units = 0
    for index, char in enumerate(text):
        if units == utf16:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == utf16 else None


def _line_of(raw: str, index: int) -> int:
    """The line of the file where task `index` starts (a best guess for one-line files)."""
    position = -1
    for _ in range(index + 1):
        position = raw.find('"data"', position + 1)
        if position < 0:
            return 1
    return raw.count("\n", 0, position) + 1


def parse_label_studio(data: bytes, source: str) -> list[ToolDocument]:
    """The answered tasks of a Label Studio JSON export; all or nothing.

    A task's latest annotation that was not cancelled is its answer; a task with none (only
    predictions, or none at all) was not answered and is left out.
    """
    raw = decoded(data, source)
    try:
        tasks = loads_json(raw)
    except json.JSONDecodeError as error:
        raise fail(
            source, error.lineno, f"not JSON ({error.msg})",
            "give the file Label Studio's JSON export wrote",
        ) from None  # fmt: skip
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not tasks:
        raise fail(source, 1, "not a Label Studio task list (a JSON list of tasks)")
    documents: list[ToolDocument] = []
    for index, task in enumerate(tasks):
        line = _line_of(raw, index)
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise fail(source, line, f"task {index} has no 'data' object", "export as JSON")
        text = text_of(task["data"], "text", source, line, "the task's text is data.text")
        article_id = task["data"].get("article_id")
        if article_id is not None and not (isinstance(article_id, str) and article_id):
            raise fail(source, line, f"task {index}: data.article_id must be a string")
        answer = _answer(task, source, line, index)
        if answer is None:
            continue
        doc = ToolDocument(line, text, article_id=article_id, has_links=True)
        doc.speakers = meta_speakers(task["data"].get("speakers"), source, line)
        _read_results(doc, answer, source, index)
        documents.append(doc)
    if not documents:
        raise fail(source, 1, "no task has an annotation", "annotate (submit) tasks first")
    return documents


def _answer(task: dict[str, Any], source: str, line: int, index: int) -> list[Any] | None:
    annotations = task.get("annotations", task.get("completions", []))
    if not isinstance(annotations, list):
        raise fail(source, line, f"task {index}: 'annotations' must be a list")
    answered = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled", False)]
    if not answered:
        return None
    latest = max(answered, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
    result = latest.get("result")
    if not isinstance(result, list):
        raise fail(source, line, f"task {index}: an annotation's 'result' must be a list")
    return result


def _read_results(doc: ToolDocument, results: list[Any], source: str, index: int) -> None:
    line = doc.line
    span_of: dict[str, int] = {}
    notes: dict[str, str] = {}
    relations: list[tuple[str, str]] = []
    for number, result in enumerate(results):
        where = f"task {index}, result {number}"
        if not isinstance(result, dict) or not isinstance(result.get("type"), str):
            raise fail(source, line, f"{where} has no type")
        kind, value = result["type"], result.get("value")
        if kind == "relation":
            ends = result.get("from_id"), result.get("to_id")
            if not all(isinstance(e, str) for e in ends):
                raise fail(source, line, f"{where}: a relation needs from_id and to_id")
            labels = string_list(result.get("labels"), source, line, "labels")
            if not labels or SPEAKER_RELATION in (lab.casefold() for lab in labels):
                relations.append((str(ends[0]), str(ends[1])))
            continue
        if not isinstance(value, dict):
            raise fail(source, line, f"{where} has no 'value' object")
        region = result.get("id")
        if kind == "labels":
            doc.spans.append(_span(doc.text, value, source, line, where))
            if isinstance(region, str):
                span_of[region] = len(doc.spans) - 1
        elif kind == "choices":
            doc.tags += string_list(value.get("choices"), source, line, "choices")
        elif kind == "textarea":
            texts = "\n".join(string_list(value.get("text"), source, line, "text"))
            if "start" in value and isinstance(region, str):
                notes[region] = texts
            elif texts.strip():
                doc.note = "\n\n".join(n for n in (doc.note, texts) if n)
    for region, note in notes.items():
        if region in span_of:
            i = span_of[region]
            doc.spans[i] = ToolSpan(doc.spans[i].start, doc.spans[i].end, doc.spans[i].label, note)
    for one, other in relations:
        if one not in span_of or other not in span_of:
            raise fail(source, line, f"task {index}: a relation names a region that is not there")
        a, b = span_of[one], span_of[other]
        if doc.spans[a].label in QUOTE_LABELS.values():
            a, b = b, a  # drawn from the quote to its speaker
        doc.links.append((a, b))


def _span(text: str, value: dict[str, Any], source: str, line: int, where: str) -> ToolSpan:
    start, end = value.get("start"), value.get("end")
    labels = string_list(value.get("labels"), source, line, "labels")
    if not (is_int(start) and is_int(end)) or not labels:
        raise fail(source, line, f"{where}: a labels result needs integer start/end and labels")
    assert isinstance(start, int) and isinstance(end, int)
    shown = value.get("text")
    if isinstance(shown, str) and text[start:end] != shown:
        start16, end16 = _code_points(text, start), _code_points(text, end)
        if start16 is None or end16 is None or text[start16:end16] != shown:
            raise fail(
                source, line, f"{where}: the text at {start}..{end} is not {shown!r}",
                "the task's text was changed after it was annotated",
            )  # fmt: skip
        start, end = start16, end16
    if not 0 <= start < end <= len(text):
        raise fail(source, line, f"{where}: {start}..{end} is not a range of the text")
    return ToolSpan(start, end, labels[0].strip() or PASSAGE_LABEL)
