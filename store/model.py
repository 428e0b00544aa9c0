"""What the rest of newsreader sees of the annotation store: small frozen dataclasses.

`ArticleAnnotations` is everything a user wrote about one article; `SpanAnnotation` is a
note or correction on a character span of the article's cleaned body (an entity, a quote,
or any selection). Offsets are Python string indices into `Article.body`, end exclusive,
like `corpus.model.Span`. The store keeps the span's text and a fingerprint of the body it
was made on, so a span can be found again if the cleaner changes the body
(`AnnotationStore.reanchor`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

SPAN_KINDS: tuple[str, ...] = ("entity", "quote", "span")
"""What a span annotation is attached to: a found entity, a found quote, or free text."""

NOT_AN_ENTITY = "not-an-entity"
"""The label of an entity span the reader says is not an entity (the entity is dropped)."""

SPEAKER_PREFIX = "speaker:"
"""Quote span labels starting with this correct the quote's speaker ("speaker:Keir Starmer")."""


def body_fingerprint(body: str) -> str:
    """The fingerprint stored with span annotations: sha1 of the cleaned body (UTF-8)."""
    return hashlib.sha1(body.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class SpanAnnotation:
    """A user's annotation on `body[start:end]` of one article.

    `label` is what the user says the span is: a corrected entity label, "not an entity", a
    corrected quote speaker, or any short text. `anchored` is False when the body changed and
    `reanchor` could not find `text` again (the span is kept, flagged, with its old offsets).
    `annotator` names who last set the label or note (the store's `annotator`, "" if unnamed),
    so annotations exported by several people can be compared span by span.
    """

    id: str
    start: int
    end: int
    text: str
    kind: str = "span"
    label: str = ""
    note: str = ""
    body_fingerprint: str = ""
    created: str = ""
    updated: str = ""
    anchored: bool = True
    annotator: str = ""


@dataclass(frozen=True, slots=True)
class ArticleAnnotations:
    """Everything stored about one article. An article nobody annotated gets an empty one.

    `created`/`updated` are ISO 8601 UTC timestamps (None for an empty record);
    `user_date` is an ISO date the user set for an undated or misdated article.
    """

    article_id: str
    tags: tuple[str, ...] = ()
    note: str = ""
    starred: bool = False
    read: bool = False
    user_date: str | None = None
    created: str | None = None
    updated: str | None = None
    spans: tuple[SpanAnnotation, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when there is nothing worth keeping (the store then drops the record)."""
        return not (
            self.tags or self.note or self.starred or self.read or self.user_date or self.spans
        )

    def has_tag(self, tag: str) -> bool:
        """Case-insensitive tag membership (tags keep the case they were first typed in)."""
        folded = tag.casefold()
        return any(t.casefold() == folded for t in self.tags)

    def span(self, span_id: str) -> SpanAnnotation | None:
        return next((s for s in self.spans if s.id == span_id), None)

    def span_at(self, start: int, end: int) -> SpanAnnotation | None:
        """The annotation of `body[start:end]`, if there is one.

        The store keeps one span annotation per range (annotating a range again updates it).
        A file written before that may hold several for one range: they read as one, the
        one updated last with the last label and the last note that were not empty.
        """
        found = [s for s in self.spans if s.start == start and s.end == end]
        return _merged(found) if found else None

    @property
    def distinct_spans(self) -> tuple[SpanAnnotation, ...]:
        """The span annotations one per range (see `span_at`), in body order."""
        by_range: dict[tuple[int, int], list[SpanAnnotation]] = {}
        for span in self.spans:
            by_range.setdefault((span.start, span.end), []).append(span)
        merged = [_merged(found) for found in by_range.values()]
        return tuple(sorted(merged, key=lambda s: (s.start, -s.end, s.id)))


def _merged(found: list[SpanAnnotation]) -> SpanAnnotation:
    """Several annotations of one range as one (see `ArticleAnnotations.span_at`)."""
    if len(found) == 1:
        return found[0]
    ordered = sorted(found, key=lambda s: s.updated)
    latest = ordered[-1]
    label = next((s.label for s in reversed(ordered) if s.label), "")
    note = next((s.note for s in reversed(ordered) if s.note), "")
    return replace(latest, label=label, note=note)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `AnnotationStore.import_annotations` did."""

    articles_in_file: int
    added: int  # articles new to the store
    merged: int  # existing articles that changed
    unchanged: int
    note_conflicts: int  # notes that differed: both kept, one after the other
    date_conflicts: int  # user dates that differed: the store's was kept
