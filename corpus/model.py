"""The domain types every part of newsreader shares.

Small frozen dataclasses (and two named tuples, `corpus.rows`): `corpus/` produces them, `tui/`
renders them, `store/` refers to them by id and offsets. Offsets are Python string indices into
`Article.body`, end exclusive, so `article.body[span.start:span.end] == span.text` always holds.

The JSON shape of an analysed article (`Article.to_json`) is the public contract of
`newsreader analyze`; other tools read it, so it only ever grows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from corpus.rows import ArticleSummary, SearchHit

__all__ = [
    "ENTITY_LABELS",
    "Article",
    "ArticleSummary",
    "CorpusResult",
    "Document",
    "Entity",
    "EntityLabel",
    "Quote",
    "QuoteKind",
    "SearchHit",
    "Skipped",
    "date_sort_key",
]

EntityLabel = Literal[
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "DATE", "MONEY", "PERCENT"
]
ENTITY_LABELS: tuple[str, ...] = (
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "LOC",
    "FAC",
    "EVENT",
    "LAW",
    "DATE",
    "MONEY",
    "PERCENT",
)
QuoteKind = Literal["direct", "scare"]


@dataclass(frozen=True, slots=True)
class Entity:
    """A named mention in an article body: `body[start:end] == text`."""

    start: int
    end: int
    text: str
    label: str
    canonical: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation in an article body, quotation marks included in the span.

    `speaker` is the canonical name of who said it (None when it cannot be attributed);
    `speaker_start`/`speaker_end` mark the mention of the speaker in the body, `cue` the
    reporting verb phrase ("said", "told CNN", "according to").
    """

    start: int
    end: int
    text: str
    kind: str  # "direct" | "scare"
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from disk, before cleaning.

    `text` is decoded and already made safe (no control characters or escape sequences).
    The metadata fields carry what the file format itself states (JSON fields, a BBC title
    line); the cleaner fills in what it finds in the text.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    byline: str | None = None
    url: str | None = None
    format: str = "txt"  # txt | md | json | jsonl


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or record) that could not be turned into an article, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned, dated, titled article with its entities and quotes."""

    id: str
    path: str
    date: str | None  # ISO YYYY-MM-DD, None when the article states no date
    title: str
    source: str | None
    byline: str | None
    body: str  # cleaned paragraphs joined by "\n\n"
    captions: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    url: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n") if self.body else []

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    def to_json(self) -> dict[str, Any]:
        """The `newsreader analyze` record (field order is part of the contract)."""
        return {
            "id": self.id,
            "path": self.path,
            "date": self.date,
            "title": self.title,
            "source": self.source,
            "byline": self.byline,
            "body": self.body,
            "captions": list(self.captions),
            "removed": list(self.removed),
            "entities": [e.to_json() for e in self.entities],
            "quotes": [q.to_json() for q in self.quotes],
            "url": self.url,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=data["id"],
            path=data["path"],
            date=data.get("date"),
            title=data.get("title") or "",
            source=data.get("source"),
            byline=data.get("byline"),
            body=data.get("body") or "",
            captions=tuple(data.get("captions") or ()),
            removed=tuple(data.get("removed") or ()),
            entities=tuple(Entity(**e) for e in data.get("entities") or ()),
            quotes=tuple(Quote(**q) for q in data.get("quotes") or ()),
            url=data.get("url"),
        )


def date_sort_key(article: Article) -> tuple[int, str, str]:
    """Sort key for "in date order, undated last" (then by title, then id, for stability)."""
    return (0 if article.date else 1, article.date or "", article.title.casefold() + article.id)


@dataclass(slots=True)
class CorpusResult:
    """What reading and analysing a set of paths gives: articles, skips, duplicates."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (dropped path, kept path)
