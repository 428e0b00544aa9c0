"""What every tool export writes of an article: its text and its spans as the reader left them.

`annotated_document(article, annotations)` applies the reader's corrections
(`store.corrections`: relabelled, added and dismissed entities, corrected speakers) and lists,
in body order, the entities, the quotes, the speaker mentions the quotes are linked to, and
the passages the reader marked, each with the reader's note on it. `found` keeps the analysis
as the recogniser made it, for formats that show machine suggestions beside the reader's
answer (Label Studio's `predictions`).

Labels are ours (`corpus.model.ENTITY_LABELS`), plus `QUOTE`/`SCARE_QUOTE` for quotes,
`SPEAKER` for a speaker mention that is not an entity, and the reader's own label (or
`PASSAGE`) for a marked passage. Offsets index `Article.body`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corpus.model import Article
from store.corrections import (
    applies_to,
    corrected_article,
    distinct,
    is_entity_correction,
    is_speaker_correction,
    marked_passages,
)
from store.model import ArticleAnnotations, SpanAnnotation

QUOTE_LABELS = {"direct": "QUOTE", "scare": "SCARE_QUOTE"}
"""The label of a quote span, by the quote's kind."""
QUOTE_KINDS = {label: kind for kind, label in QUOTE_LABELS.items()}
SPEAKER_LABEL = "SPEAKER"
"""A speaker mention that is no entity (a quote's speaker is linked to it)."""
PASSAGE_LABEL = "PASSAGE"
"""A passage the reader marked without a label."""
SPEAKER_RELATION = "speaker"
"""The name of the speaker -> quote relation in every format that has relations."""


@dataclass(frozen=True, slots=True)
class DocSpan:
    """One span of the exported text: `text == body[start:end]`."""

    start: int
    end: int
    label: str
    text: str
    role: str  # "entity" | "quote" | "speaker" | "passage"
    canonical: str = ""  # an entity's canonical name; a quote's speaker
    note: str = ""
    by_reader: bool = False  # the reader added or changed it (or noted on it)
    annotator: str = ""  # who last set the reader's label or note on it


@dataclass(frozen=True, slots=True)
class SpeakerLink:
    """Quote `spans[quote]` was said by the mention `spans[speaker]` (named `name`)."""

    speaker: int
    quote: int
    name: str


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    """One article as the tool formats write it."""

    article_id: str
    text: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    path: str
    tags: tuple[str, ...]
    note: str
    starred: bool
    spans: tuple[DocSpan, ...]
    links: tuple[SpeakerLink, ...]
    found: tuple[DocSpan, ...]  # the analysis before the reader's corrections
    found_links: tuple[SpeakerLink, ...]
    annotated: bool  # the reader wrote anything about this article

    def meta(self) -> dict[str, Any]:
        """What identifies the article and what the reader wrote on it as a whole."""
        meta: dict[str, Any] = {"article_id": self.article_id, "title": self.title}
        for key, value in (("date", self.date), ("source", self.source), ("url", self.url)):
            if value:
                meta[key] = value
        if self.note:
            meta["note"] = self.note
        if self.starred:
            meta["starred"] = True
        return meta

    def quote_speakers(self) -> list[list[Any]]:
        """`[quote start, quote end, speaker name]` for every attributed quote (also those
        whose speaker the text does not name where a relation could point)."""
        return [
            [s.start, s.end, s.canonical] for s in self.spans if s.role == "quote" and s.canonical
        ]


def is_annotated(annotations: ArticleAnnotations) -> bool:
    """True when the reader wrote something: opening (reading) an article is no annotation."""
    a = annotations
    return bool(a.tags or a.note or a.starred or a.user_date or a.spans)


def _spans_and_links(
    article: Article, marks: Mapping[tuple[int, int], SpanAnnotation]
) -> tuple[list[DocSpan], list[SpeakerLink]]:
    """The article's spans in body order, each flagged with the reader's annotation of its
    range in `marks` (a correction or a note), and the speaker links."""
    body = article.body
    spans: list[DocSpan] = []

    def flags(key: tuple[int, int]) -> dict[str, Any]:
        mark = marks.get(key)
        if mark is None:
            return {}
        return {"note": _note_of(mark), "by_reader": True, "annotator": mark.annotator}

    for e in article.entities:
        key = (e.start, e.end)
        spans.append(DocSpan(e.start, e.end, e.label, e.text, "entity", e.canonical, **flags(key)))
    mentions: dict[int, tuple[int, int] | None] = {}
    for index, q in enumerate(article.quotes):
        label = QUOTE_LABELS.get(q.kind, "QUOTE")
        said_by = q.speaker or ""  # a quote's `canonical` is its speaker's name
        spans.append(
            DocSpan(q.start, q.end, label, q.text, "quote", said_by, **flags((q.start, q.end)))
        )
        mentions[index] = _speaker_mention(article, index)
    entity_at = {(s.start, s.end): s for s in spans if s.role == "entity"}
    for mention in mentions.values():
        if mention is not None and mention not in entity_at:
            start, end = mention
            spans.append(DocSpan(start, end, SPEAKER_LABEL, body[start:end], "speaker"))
            entity_at[mention] = spans[-1]
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -spans[i].end, i))
    position = {old: new for new, old in enumerate(order)}
    ordered = [spans[i] for i in order]
    index_of = {(s.start, s.end, s.role): i for i, s in enumerate(ordered)}
    links: list[SpeakerLink] = []
    for q_index, q in enumerate(article.quotes):
        mention = mentions[q_index]
        if mention is None or not q.speaker:
            continue
        target = entity_at[mention]
        speaker = index_of[(target.start, target.end, target.role)]
        quote = position[len(article.entities) + q_index]
        links.append(SpeakerLink(speaker, quote, q.speaker))
    links.sort(key=lambda k: (k.quote, k.speaker))
    return ordered, links


def _speaker_mention(article: Article, index: int) -> tuple[int, int] | None:
    """Where quote `index`'s speaker is named: the found mention, or (for a speaker the reader
    gave) the mention of that name nearest the quote."""
    quote = article.quotes[index]
    if not quote.speaker:
        return None
    start, end = quote.speaker_start, quote.speaker_end
    if start is not None and end is not None and 0 <= start < end <= len(article.body):
        return start, end
    named = [
        e
        for e in article.entities
        if quote.speaker in (e.canonical, e.text) and not quote.start <= e.start < quote.end
    ]
    if not named:
        return None
    nearest = min(named, key=lambda e: (abs(e.start - quote.start), e.start))
    return nearest.start, nearest.end


def annotated_document(article: Article, annotations: ArticleAnnotations) -> AnnotatedDocument:
    """`article` with the reader's corrections, marked passages, notes, tags (see module doc)."""
    spans = annotations.spans
    corrected = corrected_article(article, spans)
    applied = [s for s in distinct(spans) if applies_to(s, article.body)]
    marks = {
        (s.start, s.end): s
        for s in applied
        if _note_of(s) or is_entity_correction(s) or is_speaker_correction(s)
    }
    doc_spans, links = _spans_and_links(corrected, marks)
    for passage in marked_passages(article, spans):
        doc_spans.append(
            DocSpan(
                passage.start,
                passage.end,
                passage.label or PASSAGE_LABEL,
                passage.text,
                "passage",
                note=passage.note,
                by_reader=True,
                annotator=passage.annotator,
            )
        )
    if any(s.role == "passage" for s in doc_spans):
        doc_spans, links = _resorted(doc_spans, links)
    found, found_links = _spans_and_links(article, {})
    return AnnotatedDocument(
        article_id=article.id,
        text=article.body,
        title=article.title,
        date=annotations.user_date or article.date,
        source=article.source,
        url=article.url,
        path=article.path,
        tags=annotations.tags,
        note=annotations.note,
        starred=annotations.starred,
        spans=tuple(doc_spans),
        links=tuple(links),
        found=tuple(found),
        found_links=tuple(found_links),
        annotated=is_annotated(annotations),
    )


def _note_of(span: SpanAnnotation) -> str:
    """The reader's note on a span; a free label on an entity or quote (no correction, no
    passage) is kept in it too."""
    free = (
        span.label
        and span.kind in ("entity", "quote")
        and not is_entity_correction(span)
        and not is_speaker_correction(span)
    )
    return " | ".join(part for part in (f"label: {span.label}" if free else "", span.note) if part)


def _resorted(
    spans: list[DocSpan], links: list[SpeakerLink]
) -> tuple[list[DocSpan], list[SpeakerLink]]:
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -spans[i].end, i))
    position = {old: new for new, old in enumerate(order)}
    moved = [SpeakerLink(position[k.speaker], position[k.quote], k.name) for k in links]
    return [spans[i] for i in order], moved


def documents_of(items: Iterable[Any]) -> list[AnnotatedDocument]:
    """The `AnnotatedDocument` of every export item whose article is in the corpus read
    (orphans have no text for a tool to show)."""
    return [
        annotated_document(item.article, item.annotations)
        for item in items
        if item.article is not None
    ]


def all_tags(documents: Iterable[AnnotatedDocument]) -> list[str]:
    """Every tag used in `documents`, one spelling per tag, in first-seen order."""
    seen: dict[str, str] = {}
    for document in documents:
        for tag in document.tags:
            seen.setdefault(tag.casefold(), tag)
    return list(seen.values())
