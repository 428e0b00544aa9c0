"""Checks of doccano, Label Studio and Prodigy files against the tools' documented formats.

Written from the tools' documentation, independently of newsreader's own readers, so a test
that passes them says the file is what the tool expects, not what newsreader happens to read:

- doccano: its JSONL import for sequence labelling (`text`, `label: [[start, end, label]]`,
  other keys kept as meta), for relation projects (`entities: [{id, start_offset,
  end_offset, label}]`, `relations: [{from_id, to_id, type}]`) and for intent detection
  (`entities` as triples, `cats` as category names); span labels are non-empty, offsets
  non-negative with start < end (doccano's `SpanLabel`), categories non-empty strings.
- Label Studio: the "Basic Label Studio JSON format" task (`data` holding the `$text`
  variable of the labeling config; `predictions` and `annotations` with a `result` list);
  results whose `from_name`/`to_name` name the config's control and object tags, of the
  control's type, with labels and choices the config declares; region ids of `A-Za-z0-9_-`;
  `labels` values `{start, end, text, labels}` with `text` the covered text; relations
  `{from_id, to_id, direction: left|right|bi, labels}` between regions of the same result.
- Prodigy: tasks of its annotation interfaces: `text`; `tokens` `{text, start, end, id, ws}`;
  `spans` `{start, end, label, token_start, token_end}` (token ends inclusive, span edges on
  token edges); `relations` `{head, child, label, head_span, child_span}`; a `choice` task's
  `options` `[{id, text}]` and `accept` of option ids; `meta` an object; `answer` one of
  accept, reject, ignore.

Each check returns the list of problems found (empty: valid).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

REGION_ID = re.compile(r"[A-Za-z0-9_-]+")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _offsets_problem(text: str, start: Any, end: Any) -> str | None:
    if not (_is_int(start) and _is_int(end)):
        return f"offsets {start!r}..{end!r} are not integers"
    if not 0 <= start < end <= len(text):
        return f"offsets {start}..{end} are not a range of a text of {len(text)} characters"
    return None


def doccano_problems(record: dict[str, Any]) -> list[str]:
    """What a doccano JSONL import would refuse or misread in `record`."""
    problems: list[str] = []
    text = record.get("text")
    if not isinstance(text, str) or not text:
        return ["no text"]
    if "relations" in record:
        ids = set()
        for entity in record.get("entities", []):
            if not isinstance(entity, dict) or not _is_int(entity.get("id")):
                problems.append(f"relation-project entity without an integer id: {entity!r}")
                continue
            ids.add(entity["id"])
            problem = _offsets_problem(text, entity.get("start_offset"), entity.get("end_offset"))
            if problem or not str(entity.get("label") or "").strip():
                problems.append(problem or f"entity {entity['id']} has no label")
        for relation in record["relations"]:
            if relation.get("from_id") not in ids or relation.get("to_id") not in ids:
                problems.append(f"relation {relation!r} names no entity")
            if not str(relation.get("type") or "").strip():
                problems.append(f"relation {relation!r} has no type")
        return problems
    spans = record.get("entities", record.get("label"))
    if not isinstance(spans, list):
        return ["no span list ('label' or 'entities')"]
    for span in spans:
        if not (isinstance(span, list) and len(span) == 3):
            problems.append(f"span {span!r} is not [start, end, label]")
            continue
        problem = _offsets_problem(text, span[0], span[1])
        if problem:
            problems.append(problem)
        if not isinstance(span[2], str) or not span[2].strip():
            problems.append(f"span {span!r} has no label")
    cats = record.get("cats", [])
    if not isinstance(cats, list) or not all(isinstance(c, str) and c for c in cats):
        problems.append(f"cats {cats!r} are not category names")
    return problems


def label_studio_config_names(config: str) -> dict[str, Any]:
    """The config's object and control tags: {name: (tag, values)}."""
    root = ET.fromstring(config)
    names: dict[str, Any] = {}
    for element in root.iter():
        name = element.get("name")
        if name:
            values = {child.get("value") for child in element}
            names[name] = (element.tag, values, element.get("toName"), element.get("value"))
    relations = {r.get("value") for r in root.iter("Relation")}
    names["<relations>"] = ("Relations", relations, None, None)
    return names


_CONTROL_OF_TYPE = {"labels": "Labels", "choices": "Choices", "textarea": "TextArea"}


def label_studio_problems(task: dict[str, Any], config: str) -> list[str]:
    """What Label Studio would refuse in `task` for a project with labeling `config`."""
    names = label_studio_config_names(config)
    problems: list[str] = []
    data = task.get("data")
    if not isinstance(data, dict):
        return ["no data object"]
    objects = {n: v for n, v in names.items() if v[0] == "Text"}
    for name, (_tag, _values, _to, value) in objects.items():
        if not isinstance(data.get(str(value).lstrip("$")), str):
            problems.append(f"data has no {value} for the Text tag {name}")
    text = data.get("text", "")
    for key in ("predictions", "annotations"):
        for entry in task.get(key, []):
            result = entry.get("result")
            if not isinstance(result, list):
                problems.append(f"{key} entry without a result list")
                continue
            problems += _result_problems(result, names, text)
    return problems


def _result_problems(result: list[Any], names: dict[str, Any], text: str) -> list[str]:
    problems: list[str] = []
    region_ids = {r.get("id") for r in result if r.get("type") != "relation"}
    for region in result:
        kind = region.get("type")
        if kind == "relation":
            if region.get("from_id") not in region_ids or region.get("to_id") not in region_ids:
                problems.append(f"relation {region!r} joins regions that are not in the result")
            if region.get("direction") not in ("left", "right", "bi"):
                problems.append(f"relation direction {region.get('direction')!r}")
            if not set(region.get("labels", [])) <= names["<relations>"][1]:
                problems.append(f"relation labels {region.get('labels')!r} are not declared")
            continue
        if not isinstance(region.get("id"), str) or not REGION_ID.fullmatch(region["id"]):
            problems.append(f"region id {region.get('id')!r}")
        control = names.get(region.get("from_name"))
        if control is None or control[0] != _CONTROL_OF_TYPE.get(kind):
            problems.append(f"from_name {region.get('from_name')!r} is no {kind} control")
            continue
        if region.get("to_name") != control[2] or region.get("to_name") not in names:
            problems.append(f"to_name {region.get('to_name')!r} is not the control's object")
        value = region.get("value", {})
        if kind == "labels":
            problem = _offsets_problem(text, value.get("start"), value.get("end"))
            if problem:
                problems.append(problem)
            elif value.get("text") != text[value["start"] : value["end"]]:
                problems.append(f"region text {value.get('text')!r} is not the covered text")
            if not value.get("labels") or not set(value["labels"]) <= control[1]:
                problems.append(f"labels {value.get('labels')!r} are not declared")
        elif kind == "choices" and not set(value.get("choices", [])) <= control[1]:
            problems.append(f"choices {value.get('choices')!r} are not declared")
        elif kind == "textarea" and not all(isinstance(t, str) for t in value.get("text", [])):
            problems.append("textarea text is not a list of strings")
    return problems


def prodigy_problems(task: dict[str, Any]) -> list[str]:
    """What Prodigy's annotation interfaces would refuse or misplace in `task`."""
    problems: list[str] = []
    text = task.get("text")
    if not isinstance(text, str):
        return ["no text"]
    tokens = task.get("tokens", [])
    for index, token in enumerate(tokens):
        if token.get("id") != index:
            problems.append(f"token {index} has id {token.get('id')!r}")
        covered = text[token["start"] : token["end"]]
        if covered != token["text"] or not isinstance(token["ws"], bool):
            problems.append(f"token {index} does not match the text")
    spans = task.get("spans", [])
    for span in spans:
        problem = _offsets_problem(text, span.get("start"), span.get("end"))
        if problem or not isinstance(span.get("label"), str) or not span["label"]:
            problems.append(problem or f"span {span!r} has no label")
            continue
        if tokens and "token_start" in span:
            first, last = span["token_start"], span["token_end"]
            if not 0 <= first <= last < len(tokens):
                problems.append(f"span {span!r} token range is out of the tokens")
            elif tokens[first]["start"] != span["start"] or tokens[last]["end"] != span["end"]:
                problems.append(f"span {span!r} does not start and end on its tokens")
    for relation in task.get("relations", []):
        if relation.get("head_span") not in spans or relation.get("child_span") not in spans:
            problems.append(f"relation {relation!r} joins spans that are not the task's")
        if not (_is_int(relation.get("head")) and _is_int(relation.get("child"))):
            problems.append(f"relation {relation!r} has no head/child token")
        if not isinstance(relation.get("label"), str):
            problems.append(f"relation {relation!r} has no label")
    options = task.get("options")
    if options is not None:
        ids = [o.get("id") for o in options]
        if len(set(ids)) != len(ids) or not all("text" in o for o in options):
            problems.append("options need unique ids and a text")
        if not set(task.get("accept", [])) <= set(ids):
            problems.append("accept names options that are not offered")
    if not isinstance(task.get("meta", {}), dict):
        problems.append("meta is not an object")
    if task.get("answer") not in (None, "accept", "reject", "ignore"):
        problems.append(f"answer {task.get('answer')!r}")
    return problems
