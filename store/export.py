"""Exports of the annotation store: json (lossless), jsonl, csv, md and brat.

Everything a user wrote leaves in every format, notes included. Annotations whose article is
not in the corpus being read are exported too, marked as orphans (no title, path or text).

Output is inert: user text was made safe when it entered the store and is made safe again
here (a hand-edited store file could hold anything); JSON output escapes C1 controls and
bidi/zero-width characters as `\\uXXXX`, which keeps it lossless. CSV cells that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return)
get a leading `'`, the OWASP-recommended neutralisation; the `'` is visible in the cell.

The CSV writer (`csv_text`) and the Markdown escapers (`md_inline`, `md_code`,
`md_block_quote`) here are the only ones: `newsreader quotes` writes its CSV and Markdown with
them too, so a rule added here protects every CSV and md output at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.model import Article
from corpus.textsafe import make_safe
from store.annotations import AnnotationStore, iso_timestamp, utc_now
from store.importer import EXPORT_FORMAT
from store.model import ArticleAnnotations
from store.records import SCHEMA_VERSION, Record, span_to_record
from store.storage import atomic_write_bytes

FORMATS = ("json", "jsonl", "csv", "md", "brat")
CSV_COLUMNS = (
    "article_id",
    "date",
    "title",
    "orphan",
    "kind",
    "value",
    "start",
    "end",
    "span_text",
    "note",
)


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One annotated article as exported: its annotations, raw record, and article if known."""

    annotations: ArticleAnnotations
    record: Record
    article: Article | None  # None: an orphan (its article is not in the corpus read)

    @property
    def article_id(self) -> str:
        return self.annotations.article_id

    @property
    def date(self) -> str | None:
        """The user's date if set, else the article's."""
        return self.annotations.user_date or (self.article.date if self.article else None)

    @property
    def title(self) -> str:
        return self.article.title if self.article else ""


def select_items(
    store: AnnotationStore,
    articles: Iterable[Article] = (),
    *,
    tag: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[ExportItem]:
    """Annotated articles matching the filters: corpus articles in date order, then orphans.

    `since`/`until` are inclusive and compare the effective date (user date, else article
    date); undated articles are left out when either is given.
    """
    by_id = {a.id: a for a in articles}
    items: list[ExportItem] = []
    raw = store.raw_records()
    for article_id, found in store.all().items():
        item = ExportItem(found, raw[article_id], by_id.get(article_id))
        if tag is not None and not found.has_tag(tag):
            continue
        if since is not None or until is not None:
            if item.date is None:
                continue
            day = _parse_day(item.date)
            if day is None or (since and day < since) or (until and day > until):
                continue
        items.append(item)
    return sorted(items, key=_item_order)


def _parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _item_order(item: ExportItem) -> tuple[Any, ...]:
    if item.article is None:
        return (1, (), item.article_id)
    dated = (0 if item.date else 1, item.date or "", item.title.casefold() + item.article_id)
    return (0, dated, item.article_id)


# --- inert text ---------------------------------------------------------------------------------

# What json.dumps leaves raw but a terminal or editor may act on: DEL and C1 controls, bidi
# controls, zero-width and BOM characters, line/paragraph separators; and lone surrogates
# (an undecodable byte of a file name), which are never valid in UTF-8 output.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\u200b\u2060\u00ad"
    "\ufff9-\ufffb\u2028\u2029\ud800-\udfff]"
)


def dumps_inert(value: Any, **kwargs: Any) -> str:
    """json.dumps with non-ASCII kept readable but every unsafe character \\u-escaped."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def inert(text: str | None) -> str:
    return make_safe(text or "")


# --- json ---------------------------------------------------------------------------------------


def article_fields(item: ExportItem) -> dict[str, Any]:
    article = item.article
    return {
        "id": item.article_id,
        "orphan": article is None,
        "path": article.path if article else None,
        "date": article.date if article else None,
        "title": article.title if article else None,
        "source": article.source if article else None,
    }


def to_json(
    items: Sequence[ExportItem],
    *,
    exported: str | None = None,
    filters: Mapping[str, str | None] | None = None,
) -> str:
    """Everything, lossless: `import` of this into an empty store gives an identical store."""
    document = {
        "format": EXPORT_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported": exported or iso_timestamp(utc_now()),
        "filters": dict(filters or {}),
        "articles": [
            {**article_fields(item), "annotations": item.record}
            for item in sorted(items, key=lambda i: i.article_id)
        ],
    }
    return dumps_inert(document, indent=2) + "\n"


# --- jsonl --------------------------------------------------------------------------------------


def jsonl_record(item: ExportItem, with_analysis: bool = False) -> dict[str, Any]:
    ann = item.annotations
    record: dict[str, Any] = {
        **article_fields(item),
        "user_date": ann.user_date,
        "tags": list(ann.tags),
        "note": ann.note,
        "starred": ann.starred,
        "read": ann.read,
        "created": ann.created,
        "updated": ann.updated,
        "spans": [span_to_record(s) for s in ann.spans],
    }
    if with_analysis:
        article = item.article
        record["body"] = article.body if article else None
        record["entities"] = [e.to_json() for e in article.entities] if article else []
        record["quotes"] = [q.to_json() for q in article.quotes] if article else []
    return record


def to_jsonl(items: Sequence[ExportItem], *, with_analysis: bool = False) -> str:
    """One article a line, for pandas, jq and annotation tools."""
    return "".join(dumps_inert(jsonl_record(i, with_analysis)) + "\n" for i in items)


# --- csv ----------------------------------------------------------------------------------------

# A cell a spreadsheet would run as a formula: it starts with = + - @ (OWASP), or with the
# full-width forms some spreadsheets also accept, possibly after white space or a line break
# (a spreadsheet may trim them), or with a tab / carriage return.
_FORMULA_START = re.compile(r"[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r]")


def csv_cell(value: object) -> object:
    """A cell value safe to open in a spreadsheet (ints pass through)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return "" if value is None else value
    text = make_safe(value)
    return "'" + text if _FORMULA_START.match(text) else text


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, excel: bool = False
) -> str:
    """The one CSV writer: a header, then `rows`, every cell through `csv_cell`, CRLF lines.

    `excel` puts a UTF-8 byte order mark in front, which Excel needs to read UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" if excel else "") + buffer.getvalue()


def csv_rows(item: ExportItem) -> Iterable[tuple[object, ...]]:
    ann = item.annotations
    head = (item.article_id, item.date or "", item.title, item.article is None)
    for tag in ann.tags:
        yield (*head, "tag", tag, None, None, "", "")
    if ann.note:
        yield (*head, "note", "", None, None, "", ann.note)
    if ann.starred:
        yield (*head, "starred", "yes", None, None, "", "")
    if ann.user_date:
        yield (*head, "user_date", ann.user_date, None, None, "", "")
    for span in ann.spans:
        label = span.label + ("" if span.anchored else " [not found in current text]")
        yield (*head, span.kind, label, span.start, span.end, span.text, span.note)


def to_csv(items: Sequence[ExportItem], *, excel: bool = False) -> str:
    """One row per annotation (tag, note, star, user date, span), properly quoted."""
    return csv_text(CSV_COLUMNS, (row for item in items for row in csv_rows(item)), excel=excel)


# --- markdown -----------------------------------------------------------------------------------

# Characters CommonMark/GFM act on inside a line: escapes, code spans, emphasis, links and
# images, raw HTML and entities, headings, tables, strikethrough. Each gets a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}!~&])")
# A line-start list marker ("- x", "+ x", "1. x", "2) x"): escaped too, since an md_inline
# text may be the first thing after a "- " bullet, where it would open a nested list.
_MD_LIST_MARKER = re.compile(r"^(\d{1,9}(?=[.)])|(?=[-+]))")


def md_inline(text: str | None) -> str:
    """Text shown literally in Markdown: inert, one line, every active character escaped.

    Runs of white space (line breaks included) become one space, so no text can end the line
    and start a block of its own.
    """
    line = " ".join(inert(text).split())
    escaped = _MD_SPECIAL.sub(r"\\\1", line)
    return _MD_LIST_MARKER.sub(r"\1\\", escaped, count=1)


def md_code(text: str | None) -> str:
    """`text` as a Markdown code span, shown exactly: ids, paths.

    Inside a code span a backslash is literal, so escaping cannot work there; instead the span
    is fenced with one more backquote than the longest run of backquotes in the text (padded
    with a space when the text starts or ends with one), which no text can close early.
    Raw HTML is never interpreted inside a code span.
    """
    line = " ".join(inert(text).split())
    if not line:
        return md_inline(line)
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def md_block_quote(text: str) -> str:
    """A user's Markdown note as a block quote; raw HTML is shown, not rendered."""
    safe = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join("> " + line if line else ">" for line in safe.splitlines())


def md_article(item: ExportItem) -> list[str]:
    ann = item.annotations
    title = md_inline(item.title) if item.article else "(article not in this corpus)"
    star = " ★" if ann.starred else ""
    lines = [f"### {title}{star}", ""]
    facts = [f"id {md_code(item.article_id)}", f"date {md_inline(item.date or 'undated')}"]
    if item.article is not None:
        facts.append(f"source {md_inline(item.article.source or 'unknown')}")
    else:
        facts.append("orphan")
    lines.append("- " + ", ".join(facts))
    if ann.tags:
        lines.append("- tags: " + ", ".join(md_inline(t) for t in ann.tags))
    lines.append("")
    if ann.note:
        lines += [md_block_quote(ann.note), ""]
    for span in ann.spans:
        what = md_inline(span.kind + (f": {span.label}" if span.label else ""))
        flag = "" if span.anchored else " (not found in the current text)"
        lines.append(f"- “{md_inline(span.text)}” — {what}{flag}")
        if span.note:
            lines += ["", "  " + md_block_quote(span.note).replace("\n", "\n  "), ""]
    if ann.spans:
        lines.append("")
    return lines


def _tag_heading(tag: str) -> str:
    return f"Tag: {md_inline(tag)}" if tag else "Untagged"


def to_markdown(
    items: Sequence[ExportItem], *, group_by: str = "tag", exported: str | None = None
) -> str:
    """A readable report grouped by tag (an article appears under each of its tags) or date."""
    groups: dict[str, list[ExportItem]] = {}
    if group_by == "date":
        for item in items:
            groups.setdefault(item.date or "Undated", []).append(item)
        order = sorted(groups, key=lambda k: (k == "Undated", k))
    else:
        spelling: dict[str, str] = {}
        for item in items:
            tags = item.annotations.tags or ("",)
            for tag in tags:
                key = spelling.setdefault(tag.casefold(), tag)
                groups.setdefault(key, []).append(item)
        order = sorted(groups, key=lambda k: (k == "", k.casefold()))
    orphans = sum(1 for i in items if i.article is None)
    lines = [
        "# Annotations",
        "",
        f"{len(items)} annotated articles ({orphans} not in the corpus read), "
        f"grouped by {group_by}. Exported {exported or iso_timestamp(utc_now())}.",
        "",
    ]
    for key in order:
        heading = md_inline(key) if group_by == "date" else _tag_heading(key)
        lines += [f"## {heading} ({len(groups[key])})", ""]
        for item in groups[key]:
            lines += md_article(item)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- brat ---------------------------------------------------------------------------------------

_BRAT_TYPE = re.compile(r"[^A-Za-z0-9_-]+")
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


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
    return inert(text).replace("\r", "").replace("\n", " ⏎ ").replace("\t", " ")


def brat_ann(item: ExportItem) -> tuple[str, set[str]]:
    """The .ann text for one article, and the entity types it uses."""
    assert item.article is not None
    body = item.article.body
    lines: list[str] = []
    types: set[str] = set()
    counter = {"T": 0, "#": 0}

    def add_text_bound(kind: str, start: int, end: int) -> str | None:
        if not 0 <= start < end <= len(body):
            return None
        counter["T"] += 1
        tid = f"T{counter['T']}"
        offsets, text = brat_fragments(body, start, end)
        lines.append(f"{tid}\t{kind} {offsets}\t{text}")
        types.add(kind)
        return tid

    def add_note(target: str, text: str) -> None:
        counter["#"] += 1
        lines.append(f"#{counter['#']}\tAnnotatorNotes {target}\t{brat_note(text)}")

    ann = item.annotations
    first_line_end = body.find("\n") if "\n" in body else len(body)
    if (ann.note or ann.tags or ann.starred or ann.user_date) and first_line_end > 0:
        # Article-level annotations hang on the first line of the text.
        target = add_text_bound("Article", 0, first_line_end)
        if target is not None:
            facts = []
            if ann.tags:
                facts.append("tags: " + ", ".join(ann.tags))
            if ann.starred:
                facts.append("starred")
            if ann.user_date:
                facts.append(f"date: {ann.user_date}")
            if ann.note:
                facts.append("note: " + ann.note)
            add_note(target, " | ".join(facts))
    for entity in item.article.entities:
        add_text_bound(brat_type(entity.label, "Entity"), entity.start, entity.end)
    for quote in item.article.quotes:
        tid = add_text_bound("Quote", quote.start, quote.end)
        if tid is not None and quote.speaker:
            add_note(tid, f"speaker: {quote.speaker}")
    for span in ann.spans:
        tid = add_text_bound(brat_type(span.label or span.kind), span.start, span.end)
        if tid is None:
            continue
        facts = [f"kind: {span.kind}"]
        if span.label:
            facts.append(f"label: {span.label}")
        if not span.anchored:
            facts.append("not found in the current text")
        if span.note:
            facts.append("note: " + span.note)
        add_note(tid, " | ".join(facts))
    return "".join(line + "\n" for line in lines), types


def brat_annotation_conf(types: Iterable[str]) -> str:
    return (
        "[entities]\n"
        + "".join(f"{t}\n" for t in sorted(types))
        + ("\n[relations]\n\n[events]\n\n[attributes]\n")
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
    items: Sequence[ExportItem], folder: Path, write: Callable[[Path, bytes], None] | None = None
) -> int:
    """Write `<id>.txt` + `<id>.ann` per article and `annotation.conf` into `folder`.

    Orphans have no text for brat; they go to `orphans.json` (json export format).
    Returns the number of articles written as brat documents.
    """
    put = write or (lambda path, data: atomic_write_bytes(path, data))
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    types: set[str] = set()
    documents = 0
    for item in items:
        if item.article is None:
            continue
        stem = brat_file_stem(item.article_id, taken)
        ann_text, used = brat_ann(item)
        types |= used
        put(folder / f"{stem}.txt", item.article.body.encode("utf-8"))
        put(folder / f"{stem}.ann", ann_text.encode("utf-8"))
        documents += 1
    orphans = [i for i in items if i.article is None]
    if orphans:
        put(folder / "orphans.json", to_json(orphans).encode("utf-8"))
    put(folder / "annotation.conf", brat_annotation_conf(types | {"Article"}).encode("utf-8"))
    return documents


def render(
    fmt: str,
    items: Sequence[ExportItem],
    *,
    with_analysis: bool = False,
    excel: bool = False,
    group_by: str = "tag",
    filters: Mapping[str, str | None] | None = None,
) -> bytes:
    """A single-file export as UTF-8 bytes (every format but brat)."""
    if fmt == "json":
        text = to_json(items, filters=filters)
    elif fmt == "jsonl":
        text = to_jsonl(items, with_analysis=with_analysis)
    elif fmt == "csv":
        text = to_csv(items, excel=excel)
    elif fmt == "md":
        text = to_markdown(items, group_by=group_by)
    else:
        raise ValueError(f"not a single-file export format: {fmt}")
    return text.encode("utf-8")
