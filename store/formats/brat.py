"""`export --format brat`: a brat folder of `<id>.txt` + `<id>.ann` and its `annotation.conf`.

Every article of the corpus read is a document (an annotated one or not); the `.txt` is the
cleaned body, so brat's offsets are offsets into it. The `.ann` holds the article as the
reader corrected it (`store.formats.view`):

- `T` lines: entities (a relabelled one with its new type, a dismissed one left out, a
  missed one added), `Quote`s, `Speaker` mentions that are no entity, marked passages, and
  an `Article` span on the first line that carries the tags, star, date and note;
- `A` lines: each quote's `Kind` attribute, `direct` or `scare`;
- `R` lines: `Says Arg1:<speaker> Arg2:<quote>`, the speaker of each attributed quote;
- `#` lines: AnnotatorNotes with the reader's notes and what they corrected.

`annotation.conf` declares every type, the `Says` relation, the `Kind` attribute and an
`<OVERLAP>` rule allowing any overlap (quotes contain entities), so brat's verifier accepts
the documents. Orphans (annotations whose article is not in the corpus) have no text for
brat: they go to `orphans.json` in the json export format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from corpus.textsafe import make_safe
from store.corrections import applies_to, dismissed_entities
from store.formats.view import PASSAGE_LABEL, QUOTE_KINDS, annotated_document
from store.storage import atomic_write_bytes

_BRAT_TYPE = re.compile(r"[^A-Za-z0-9_-]+")
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
ARTICLE_TYPE, QUOTE_TYPE, SPEAKER_TYPE, SAYS, KIND = "Article", "Quote", "Speaker", "Says", "Kind"


def brat_type(name: str, default: str = "Annotation") -> str:
    """A brat annotation type (no spaces or punctuation brat would choke on)."""
    cleaned = _BRAT_TYPE.sub("_", name).strip("_")
    if not cleaned:
        return default
    return cleaned if cleaned[0].isalpha() else f"T_{cleaned}"


def brat_fragments(body: str, start: int, end: int) -> tuple[str, str]:
    """brat offsets (`s e` or `s e;s e` split at newlines) and the one-line text for a span."""
    parts: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", body[start:end]):
        parts.append((start + match.start(), start + match.end()))
    if not parts:
        parts = [(start, end)]
    offsets = ";".join(f"{s} {e}" for s, e in parts)
    text = " ".join(body[s:e] for s, e in parts)
    return offsets, text.replace("\t", " ")


def brat_note(text: str) -> str:
    """AnnotatorNotes text is one line: newlines become ⏎."""
    return make_safe(text or "").replace("\r", "").replace("\n", " ⏎ ").replace("\t", " ")


class _Ann:
    """The lines of one `.ann` file, numbered as brat wants them."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.lines: list[str] = []
        self.counts = {"T": 0, "#": 0, "A": 0, "R": 0}
        self.types: set[str] = set()
        self.kind_of: dict[str, str] = {}
        self.speaker_types: set[str] = set()

    def next_id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def text_bound(self, kind: str, start: int, end: int) -> str | None:
        if not 0 <= start < end <= len(self.body):
            return None
        tid = self.next_id("T")
        offsets, text = brat_fragments(self.body, start, end)
        self.lines.append(f"{tid}\t{kind} {offsets}\t{text}")
        self.types.add(kind)
        self.kind_of[tid] = kind
        return tid

    def note(self, target: str, text: str) -> None:
        self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{brat_note(text)}")


def brat_ann(item: Any) -> tuple[str, set[str]]:
    """The .ann text for one export item, and the entity types it uses."""
    text, types, _speakers = _brat_document(item)
    return text, types


def _brat_document(item: Any) -> tuple[str, set[str], set[str]]:
    assert item.article is not None
    article, ann = item.article, item.annotations
    document = annotated_document(article, ann)
    out = _Ann(article.body)
    facts = []
    if ann.tags:
        facts.append("tags: " + ", ".join(ann.tags))
    if ann.starred:
        facts.append("starred")
    if ann.user_date:
        facts.append(f"date: {ann.user_date}")
    if ann.note:
        facts.append("note: " + ann.note)
    for entity in dismissed_entities(article, ann.spans):
        dismissal = ann.span_at(entity.start, entity.end)
        noted = f": {dismissal.note}" if dismissal is not None and dismissal.note else ""
        facts.append(f"not an entity: {entity.text!r} ({entity.label}){noted}")
    for stored in ann.distinct_spans:
        if not applies_to(stored, article.body):
            label = f" ({stored.label})" if stored.label else ""
            facts.append(f"not found in the current text: {stored.text!r}{label}")
    first_line_end = article.body.find("\n") if "\n" in article.body else len(article.body)
    if facts and first_line_end > 0:
        target = out.text_bound(ARTICLE_TYPE, 0, first_line_end)
        if target is not None:
            out.note(target, " | ".join(facts))
    ids: list[str | None] = []
    for span in document.spans:
        if span.role == "entity":
            kind = brat_type(span.label, "Entity")
        elif span.role == "quote":
            kind = QUOTE_TYPE
        elif span.role == "speaker":
            kind = SPEAKER_TYPE
        else:
            kind = brat_type(span.label, PASSAGE_LABEL.title())
        tid = out.text_bound(kind, span.start, span.end)
        ids.append(tid)
        if tid is None:
            continue
        if span.role == "quote":
            kind_value = QUOTE_KINDS.get(span.label, "direct")
            out.lines.append(f"{out.next_id('A')}\t{KIND} {tid} {kind_value}")
        said: list[str] = []
        if span.by_reader and span.role in ("entity", "quote"):
            said.append("corrected by the reader")
        if span.note:
            said.append("note: " + span.note)
        if span.annotator:
            said.append("annotator: " + span.annotator)
        if said:
            out.note(tid, " | ".join(said))
    for link in document.links:
        speaker, quote = ids[link.speaker], ids[link.quote]
        if speaker is None or quote is None:
            continue
        out.lines.append(f"{out.next_id('R')}\t{SAYS} Arg1:{speaker} Arg2:{quote}")
        out.speaker_types.add(out.kind_of[speaker])
    return "".join(line + "\n" for line in out.lines), out.types, out.speaker_types


def brat_annotation_conf(types: Iterable[str], speaker_types: Iterable[str] = ()) -> str:
    """annotation.conf for the documents: their types, `Says`, `Kind` and the overlap rule."""
    speakers = "|".join(sorted(set(speaker_types))) or SPEAKER_TYPE
    return (
        "# newsreader brat export: offsets are into each .txt, the article's cleaned body.\n"
        "[entities]\n"
        + "".join(f"{t}\n" for t in sorted(set(types)))
        + "\n[relations]\n"
        + f"{SAYS}\tArg1:{speakers}, Arg2:{QUOTE_TYPE}\n"
        + "# Quotes contain the entities they name, and a passage may cross anything.\n"
        + "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        + "\n[events]\n\n[attributes]\n"
        + f"{KIND}\tArg:{QUOTE_TYPE}, Value:direct|scare\n"
    )


def brat_file_stem(article_id: str, taken: set[str]) -> str:
    stem = _FILE_NAME.sub("_", article_id).strip("._") or "article"
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}_{n}"
    taken.add(candidate)
    return candidate


def write_brat(
    items: Sequence[Any], folder: Path, write: Callable[[Path, bytes], None] | None = None
) -> int:
    """Write `<id>.txt` + `<id>.ann` per article and `annotation.conf` into `folder`.

    Orphans have no text for brat; they go to `orphans.json` (json export format).
    Returns the number of articles written as brat documents.
    """
    from store.export import to_json

    put = write or (lambda path, data: atomic_write_bytes(path, data))
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    types: set[str] = {ARTICLE_TYPE, QUOTE_TYPE}
    speaker_types: set[str] = set()
    documents = 0
    for item in items:
        if item.article is None:
            continue
        stem = brat_file_stem(item.article_id, taken)
        ann_text, used, speakers = _brat_document(item)
        types |= used
        speaker_types |= speakers
        put(folder / f"{stem}.txt", item.article.body.encode("utf-8"))
        put(folder / f"{stem}.ann", ann_text.encode("utf-8"))
        documents += 1
    orphans = [i for i in items if i.article is None]
    if orphans:
        put(folder / "orphans.json", to_json(orphans).encode("utf-8"))
    conf = brat_annotation_conf(types | {SPEAKER_TYPE}, speaker_types)
    put(folder / "annotation.conf", conf.encode("utf-8"))
    return documents
