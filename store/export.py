"""Exports of the annotation store: json (lossless), jsonl, csv, md, and the tools' formats.

json, jsonl, csv and md are the store's own: everything a user wrote leaves in them, notes
included, and annotations whose article is not in the corpus being read are exported too,
marked as orphans (no title, path or text). brat, doccano, label-studio, prodigy, spacy and
conll (`store.formats`) write every article of the corpus read, as the reader corrected it,
with offsets into the cleaned body.

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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from corpus.model import Article
from corpus.textsafe import dumps_inert, make_safe
from store.annotations import AnnotationStore, iso_timestamp, utc_now
from store.corrections import corrected_article
from store.formats.brat import (  # noqa: F401  (brat's helpers, where they used to be)
    brat_ann,
    brat_annotation_conf,
    brat_file_stem,
    brat_fragments,
    brat_type,
    write_brat,
)
from store.formats.view import is_annotated
from store.importer import EXPORT_FORMAT
from store.model import ArticleAnnotations
from store.records import SCHEMA_VERSION, Record, span_to_record

FORMATS = (
    "json",
    "jsonl",
    "csv",
    "md",
    "brat",
    "doccano",
    "label-studio",
    "prodigy",
    "spacy",
    "conll",
)
TOOL_FORMATS = ("brat", "doccano", "label-studio", "prodigy", "spacy", "conll")
"""The formats that write every article of the corpus (annotated or not) for another tool."""
IMPORT_FORMATS = ("json", "doccano", "label-studio", "prodigy")
CSV_COLUMNS = (
    "article_id",
    "date",
    "title",
    "url",
    "orphan",
    "kind",
    "value",
    "start",
    "end",
    "span_text",
    "note",
    "annotator",
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
    every_article: bool = False,
) -> list[ExportItem]:
    """Articles in the store matching the filters: corpus articles in date order, then orphans.

    `every_article` adds the corpus articles nobody annotated (the tools' formats write the
    whole corpus). `since`/`until` are inclusive and compare the effective date (user date,
    else article date); undated articles are left out when either is given.
    """
    by_id = {a.id: a for a in articles}
    items: list[ExportItem] = []
    raw = store.raw_records()
    stored = store.all()
    candidates = [(aid, ann, raw[aid]) for aid, ann in stored.items()]
    if every_article:
        candidates += [
            (a.id, ArticleAnnotations(a.id), {}) for a in by_id.values() if a.id not in stored
        ]
    for article_id, found, record in candidates:
        item = ExportItem(found, record, by_id.get(article_id))
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
        "url": article.url if article else None,
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
    if with_analysis:  # the analysis as the reader corrected it (`store.corrections`)
        article = corrected_article(item.article, ann.spans) if item.article else None
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
    url = item.article.url if item.article else None
    head = (item.article_id, item.date or "", item.title, url or "", item.article is None)
    for tag in ann.tags:
        yield (*head, "tag", tag, None, None, "", "", "")
    if ann.note:
        yield (*head, "note", "", None, None, "", ann.note, "")
    if ann.starred:
        yield (*head, "starred", "yes", None, None, "", "", "")
    if ann.user_date:
        yield (*head, "user_date", ann.user_date, None, None, "", "", "")
    for span in ann.spans:
        label = span.label + ("" if span.anchored else " [not found in current text]")
        yield (*head, span.kind, label, span.start, span.end, span.text, span.note, span.annotator)


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
        if item.article.url:
            facts.append(f"url {md_inline(item.article.url)}")
    else:
        facts.append("orphan")
    lines.append("- " + ", ".join(facts))
    if ann.tags:
        lines.append("- tags: " + ", ".join(md_inline(t) for t in ann.tags))
    lines.append("")
    if ann.note:
        lines += [md_block_quote(ann.note), ""]
    for span in ann.distinct_spans:
        what = md_inline(span.kind + (f": {span.label}" if span.label else ""))
        flag = "" if span.anchored else " (not found in the current text)"
        if span.annotator:
            flag += f" (by {md_inline(span.annotator)})"
        lines.append(f"- {md_quoted(span.text)} — {what}{flag}")
        if span.note:
            lines += ["", "  " + md_block_quote(span.note).replace("\n", "\n  "), ""]
    if ann.spans:
        lines.append("")
    return lines


_OPENING_MARKS = "“‘\"'«„"
_CLOSING_MARKS = "”’\"'»“"


def md_quoted(text: str) -> str:
    """Span text in quotation marks, inline: a quote that has its own marks keeps just those."""
    shown = md_inline(text)
    plain = text.strip()
    if len(plain) > 1 and plain[0] in _OPENING_MARKS and plain[-1] in _CLOSING_MARKS:
        return shown
    return f"“{shown}”"


def md_reference(item: ExportItem, home: str) -> list[str]:
    """An article's line under its other tags: its full entry is under `home`."""
    title = md_inline(item.title) if item.article else md_code(item.article_id)
    return [f"- {title} — see {_tag_heading(home)}", ""]


def _tag_heading(tag: str) -> str:
    return f"Tag: {md_inline(tag)}" if tag else "Untagged"


def to_markdown(
    items: Sequence[ExportItem], *, group_by: str = "tag", exported: str | None = None
) -> str:
    """A readable report of the annotated articles, grouped by tag or date.

    Grouped by tag, an article's entry is under its first tag (in the report's order) and a
    one-line reference to it under each of its other tags. Articles that were only opened
    (read) are no annotation and are left out.
    """
    items = [item for item in items if is_annotated(item.annotations)]
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
    home: dict[str, str] = {}
    for key in order:
        heading = md_inline(key) if group_by == "date" else _tag_heading(key)
        lines += [f"## {heading} ({len(groups[key])})", ""]
        for item in groups[key]:
            if item.article_id in home:
                lines += md_reference(item, home[item.article_id])
                continue
            home[item.article_id] = key
            lines += md_article(item)
    return "\n".join(lines).rstrip("\n") + "\n"


def render(
    fmt: str,
    items: Sequence[ExportItem],
    *,
    with_analysis: bool = False,
    excel: bool = False,
    group_by: str = "tag",
    filters: Mapping[str, str | None] | None = None,
    doccano_task: str = "labels",
    model_version: str = "newsreader",
) -> bytes:
    """A single-file export as bytes (every format but brat; UTF-8 text but for spacy).

    Raises `store.formats.spacy_docbin.SpacyUnavailable` for spacy without spaCy installed.
    """
    if fmt in TOOL_FORMATS:
        return render_tool(fmt, items, doccano_task=doccano_task, model_version=model_version)
    if fmt == "json":
        text = to_json(items, filters=filters)
    elif fmt == "jsonl":
        text = to_jsonl(items, with_analysis=with_analysis)
    elif fmt == "csv":
        text = to_csv([i for i in items if is_annotated(i.annotations)], excel=excel)
    elif fmt == "md":
        text = to_markdown(items, group_by=group_by)
    else:
        raise ValueError(f"not a single-file export format: {fmt}")
    return text.encode("utf-8")


def render_tool(
    fmt: str,
    items: Sequence[ExportItem],
    *,
    doccano_task: str = "labels",
    model_version: str = "newsreader",
) -> bytes:
    """An export for another tool (`store.formats`): the corpus articles among `items`."""
    from store.formats.view import documents_of

    documents = documents_of(items)
    if fmt == "doccano":
        from store.formats.doccano import to_doccano

        return "".join(line + "\n" for line in to_doccano(documents, doccano_task)).encode()
    if fmt == "label-studio":
        from store.formats.label_studio import to_label_studio

        return to_label_studio(documents, model_version).encode("utf-8")
    if fmt == "prodigy":
        from store.formats.prodigy import to_prodigy

        return "".join(line + "\n" for line in to_prodigy(documents)).encode("utf-8")
    if fmt == "spacy":
        from store.formats.spacy_docbin import to_docbin

        return to_docbin(documents)
    if fmt == "conll":
        from store.formats.conll import to_conll

        return to_conll(documents).encode("utf-8")
    raise ValueError(f"not a single-file tool format: {fmt}")
