"""What the reader screen draws of the open article, as functions of its state (no widgets).

The blocks `ArticleView` draws (header, note line, body or raw file) with the reader's
annotations applied, the spans `]`/`[` step through, the line under the article about the
highlighted span, the places `n`/`N` step between, and the related versions the info panel
lists.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from corpus.model import Article, ArticleSummary, Entity, Quote
from store.corrections import corrected_article, dismissed_entities, marked_passages
from store.model import ArticleAnnotations, SpanAnnotation
from tui.loading import corpus_roots, folder_of
from tui.render import (
    SHOW_SPEAKERS,
    Block,
    NavSpan,
    navigable_spans,
    render_body,
    render_header,
    render_raw,
    safe,
)

if TYPE_CHECKING:
    from corpus.threads import ThreadIndex


def article_blocks(
    article: Article,
    annotations: ArticleAnnotations,
    styles: Mapping[str, Style],
    *,
    paths: Sequence[Path],
    enabled_labels: frozenset[str],
    current: NavSpan | None,
    terms: Sequence[str],
    raw_mode: bool,
    raw: str | None,
) -> list[Block]:
    """The blocks of `article` (as analysed) as the reader should see it now: corrected by
    their span annotations, with their date, tags, star and note (its folder under the corpus
    `paths` as the source where it names none); the raw file (`raw`, None while it is being
    read) in raw mode."""
    spans = annotations.distinct_spans
    shown = corrected_article(article, spans)
    if annotations.user_date:
        shown = dataclasses.replace(shown, date=annotations.user_date)
    if shown.source is None:
        folder = folder_of(shown.path, corpus_roots(paths))
        if folder is not None:
            shown = dataclasses.replace(shown, source=folder)
    blocks = render_header(shown, annotations.tags, styles, starred=annotations.starred)
    if annotations.note:
        note = Text("✎ ", style=styles["section"])
        note.append(annotations.note.strip().splitlines()[0][:200], style=styles["meta"])
        blocks.append(Block(note))
    if raw_mode:
        title = "Raw file: removed segments marked" if raw is not None else "Reading the raw file…"
        name = safe(Path(shown.path).name)
        blocks.append(Block(Text(f"{title} — {name}", style=styles["section"])))
        if raw is not None:
            blocks.extend(render_raw(raw, shown.removed, styles))
        return blocks
    blocks.extend(
        render_body(
            shown,
            styles,
            enabled_labels=enabled_labels,
            current=current,
            terms=terms,
            dismissed=dismissed_entities(article, spans),
            marks=marked_passages(article, spans),
            noted=[(s.start, s.end) for s in spans if s.note],
            show_speakers=SHOW_SPEAKERS in enabled_labels,
        )
    )
    return blocks


def reader_spans(
    article: Article, spans: Sequence[SpanAnnotation], enabled_labels: frozenset[str]
) -> list[NavSpan]:
    """The spans `]`/`[` step through, in body order: the highlighted entities (as
    corrected), the quotes, the dismissed entities and the passages the reader marked."""
    return navigable_spans(
        corrected_article(article, spans),
        enabled_labels,
        dismissed=dismissed_entities(article, spans),
        marks=marked_passages(article, spans),
        notes={(s.start, s.end): s.note for s in spans if s.note},
    )


def found_entity(article: Article, start: int, end: int) -> Entity | None:
    """The entity the analysis found at exactly this range (before corrections)."""
    return next((e for e in article.entities if (e.start, e.end) == (start, end)), None)


def found_quote(article: Article, start: int, end: int) -> Quote | None:
    """The quote the analysis found at exactly this range."""
    return next((q for q in article.quotes if (q.start, q.end) == (start, end)), None)


def entity_within(article: Article, start: int, end: int) -> Entity | None:
    """The one found entity that overlaps `start..end`, if exactly one does."""
    found = [e for e in article.entities if e.start < end and e.end > start]
    return found[0] if len(found) == 1 else None


def span_description(span: NavSpan, found: Entity | None) -> Text:
    """One line about a span: what it is, what the reader said about it, their note.

    `found` is the entity the analysis found at the span's range, if any."""
    line = Text()
    shown = " ".join(safe(span.text).split())
    shown = shown if len(shown) <= 50 else shown[:49] + "…"
    if span.kind == "dismissed":
        line.append("not an entity", style="bold")
        line.append(f" (found as {span.label}) ")
    elif span.kind == "mark":
        line.append(safe(span.label) or "note", style="bold")
        line.append(" ")
    elif span.kind in ("quote", "scare"):
        line.append("quote" if span.kind == "quote" else "scare quote", style="bold")
        if span.speaker:
            line.append(f" — {safe(span.speaker)}")
        line.append(" ")
        shown = ""
    else:
        line.append(span.label, style="bold")
        if found is None:
            line.append(" (added by you)")
        elif found.label != span.label:
            line.append(f" (found as {found.label})")
        line.append(" ")
    if shown:
        line.append(f"“{shown}”", style="italic")
    if found is not None and span.kind == "entity" and found.canonical not in ("", found.text):
        line.append(f" = {safe(found.canonical)}", style="dim")
    if span.note:
        line.append("  ✎ ")
        line.append(" ".join(safe(span.note).split()))
    line.append("   a annotate · v select · A list", style="dim")
    return line


def match_places(body: str, terms: Sequence[str]) -> list[int]:
    """The body offsets where a search word occurs (casefolded), in order."""
    folded = body.casefold()
    return sorted(
        {m.start() for term in terms if term for m in re.finditer(re.escape(term), folded)}
    )


def next_place(places: Sequence[int], here: int | None, step: int) -> int | None:
    """The place after `here` (before it, for a negative `step`; None: before the first)."""
    at = here if here is not None else -1
    if step > 0:
        return next((p for p in places if p > at), None)
    return next((p for p in reversed(places) if p < at), None) if at >= 0 else None


def related_versions(
    threads: ThreadIndex | None, article_id: str, summaries: Sequence[ArticleSummary]
) -> list[tuple[str, str, float]]:
    """(id, title, similarity) of the other versions of the story, for the info panel."""
    if threads is None:
        return []
    try:
        found = threads.related(article_id, limit=10)
    except KeyError:  # an article that arrived after the threads were built
        found = []
    titles = {s.id: s.title for s in summaries} if found else {}
    return [(i, titles.get(i, i), score) for i, score in found]
