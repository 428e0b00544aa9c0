"""The article as the reader corrected it, from their span annotations.

One function serves the app (what it highlights and lists) and the exports (what brat and the
others write), so a correction means the same thing everywhere:

- an entity span labelled with an entity type relabels the found entity at that range, or,
  where nothing was found, adds the entity the recogniser missed;
- an entity span labelled `NOT_AN_ENTITY` drops the found entity (`dismissed_entities` still
  gives it, so the reader can see it and change their mind);
- a quote span labelled `SPEAKER_PREFIX + name` gives the quote that speaker;
- any other span (kind "span", or a label that is none of these) is a passage the reader
  marked (`marked_passages`), e.g. "claim" or "important".

Only spans still anchored to this body are applied (`SpanAnnotation.anchored` and the text at
the offsets); one range has one annotation (`ArticleAnnotations.distinct_spans`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from corpus.model import ENTITY_LABELS, Article, Entity
from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX, ArticleAnnotations, SpanAnnotation


def reader_view(article: Article, annotations: ArticleAnnotations | None) -> Article:
    """`article` as the reader sees it everywhere: their corrections and their date applied."""
    if annotations is None:
        return article
    if annotations.spans:
        article = corrected_article(article, annotations.spans)
    if annotations.user_date and annotations.user_date != article.date:
        article = dataclasses.replace(article, date=annotations.user_date)
    return article


def distinct(spans: Iterable[SpanAnnotation]) -> tuple[SpanAnnotation, ...]:
    """One annotation per range, in body order (see `ArticleAnnotations.distinct_spans`)."""
    return ArticleAnnotations("", spans=tuple(spans)).distinct_spans


def applies_to(span: SpanAnnotation, body: str) -> bool:
    """True when `span` sits on `body` (anchored, and its text is at its offsets)."""
    return span.anchored and 0 <= span.start < span.end and body[span.start : span.end] == span.text


def is_entity_correction(span: SpanAnnotation) -> bool:
    """A span that relabels, adds or dismisses an entity."""
    return span.label == NOT_AN_ENTITY or (
        span.label in ENTITY_LABELS and span.kind in ("entity", "span")
    )


def is_speaker_correction(span: SpanAnnotation) -> bool:
    """A span that corrects a quote's speaker."""
    return span.label.startswith(SPEAKER_PREFIX)


def corrected_article(article: Article, spans: Sequence[SpanAnnotation]) -> Article:
    """`article` with the reader's entity and speaker corrections applied."""
    labels: dict[tuple[int, int], tuple[str, SpanAnnotation]] = {}
    speakers: dict[tuple[int, int], str] = {}
    for span in distinct(spans):
        if not applies_to(span, article.body):
            continue
        key = (span.start, span.end)
        if is_entity_correction(span):
            labels[key] = (span.label, span)
        elif is_speaker_correction(span):
            speakers[key] = span.label.removeprefix(SPEAKER_PREFIX).strip()
    if labels:
        entities: list[Entity] = []
        found: set[tuple[int, int]] = set()
        for entity in article.entities:
            key = (entity.start, entity.end)
            found.add(key)
            label = labels.get(key, (entity.label, None))[0]
            if label == NOT_AN_ENTITY:
                continue
            entities.append(
                dataclasses.replace(entity, label=label) if label != entity.label else entity
            )
        for key, (label, span) in labels.items():
            if key not in found and label != NOT_AN_ENTITY:
                entities.append(
                    Entity(span.start, span.end, span.text, label, " ".join(span.text.split()))
                )
        entities.sort(key=lambda e: (e.start, -e.end))
        article = dataclasses.replace(article, entities=tuple(entities))
    if speakers:
        quotes = tuple(
            dataclasses.replace(
                quote, speaker=speakers[key] or None, speaker_start=None, speaker_end=None
            )
            if (key := (quote.start, quote.end)) in speakers
            else quote
            for quote in article.quotes
        )
        article = dataclasses.replace(article, quotes=quotes)
    return article


def dismissed_entities(article: Article, spans: Sequence[SpanAnnotation]) -> list[Entity]:
    """The found entities the reader said are not entities (with their found label)."""
    dismissed = {
        (s.start, s.end)
        for s in distinct(spans)
        if s.label == NOT_AN_ENTITY and applies_to(s, article.body)
    }
    return [e for e in article.entities if (e.start, e.end) in dismissed]


def marked_passages(article: Article, spans: Sequence[SpanAnnotation]) -> list[SpanAnnotation]:
    """The spans that mark a passage (no entity or speaker correction), in body order."""
    return [
        s
        for s in distinct(spans)
        if applies_to(s, article.body)
        and not is_entity_correction(s)
        and not is_speaker_correction(s)
        and s.kind not in ("entity", "quote")
    ]
