"""The messages the reader screen's workers post back to it, one dataclass each.

Slow work runs in thread workers (`tui/workers/`); each ends by posting one of these to the
screen, which takes it in on the UI thread (`@on(CorpusLoaded)` ...). A failure is a message
too (its handler tells the reader), so no worker touches a widget or calls `notify` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from corpus.model import Article, ArticleSummary
from corpus.source import CorpusSource
from store.model import ArticleAnnotations
from tui.listing import ActiveFilter, SearchState
from tui.loading import LoadReport

if TYPE_CHECKING:
    from corpus.people import EntityStats, SpeakerStats
    from corpus.threads import ThreadIndex
    from store.annotations import AnnotationStore

CorpusView = Literal["people", "speakers", "timeline"]
"""The corpus-wide views: `p` people, `w` who said what, `l` timeline."""


# -- loading ---------------------------------------------------------------------------------


@dataclass
class CorpusProgress(Message):
    """The loader has more articles (`done` of `total` steps, the total when known)."""

    source: CorpusSource
    summaries: Sequence[ArticleSummary]
    done: int
    total: int | None


@dataclass
class CorpusLoaded(Message):
    """Loading finished; `error` says why it failed (the report is then an empty corpus's)."""

    report: LoadReport
    summaries: Sequence[ArticleSummary]
    error: str | None = None


@dataclass
class StoreOpened(Message):
    """The annotation store is open, with every article's annotations read from it."""

    store: AnnotationStore
    annotations: dict[str, ArticleAnnotations]


@dataclass
class StoreOpenFailed(Message):
    """The annotation store could not be opened."""

    error: Exception


@dataclass
class ArticleOpened(Message):
    """An article read from the source (the index) to be shown."""

    article: Article


@dataclass
class ArticleOpenFailed(Message):
    """An article could not be read from the source."""

    article_id: str
    error: str


@dataclass
class RawLoaded(Message):
    """The raw file of an article (`r`), or why it could not be read."""

    article_id: str
    raw: str | None
    error: str | None


# -- store writes ----------------------------------------------------------------------------


@dataclass
class AnnotationsChanged(Message):
    """A store write is saved: the article's annotations as they are now."""

    article_id: str
    annotations: ArticleAnnotations


@dataclass
class ManyChanged(Message):
    """Many articles' annotations changed in one write."""

    annotations: dict[str, ArticleAnnotations]


@dataclass
class StoreFailed(Message):
    """A store write failed; `what` says what it was to do ("add tags")."""

    article_id: str
    what: str
    error: Exception


@dataclass
class ExportDone(Message):
    """An export finished: written to `path`, or `error` says why not."""

    path: Path
    error: str | None


# -- search and filters ----------------------------------------------------------------------


@dataclass
class SearchDone(Message):
    """A search finished: its results, or `error` says why it failed."""

    state: SearchState | None
    error: str | None = None


@dataclass
class FilterReady(Message):
    """An entity or speaker filter, computed from the articles it matches."""

    active: ActiveFilter


# -- story threads and corpus-wide views ------------------------------------------------------


@dataclass
class ThreadsReady(Message):
    """The story threads are built; `threaded` are the articles in a thread of two or more."""

    threads: ThreadIndex
    threaded: frozenset[str]


@dataclass
class DiffReady(Message):
    """Two versions of a story, read for `d` (compare)."""

    new: Article
    old: Article
    similarity: float | None


@dataclass
class ArticlesGathered(Message):
    """The listed articles, read in full for a corpus-wide view, with what the view lists.

    The view's aggregates are computed in the worker, so that a large corpus never aggregates
    on the UI thread: `entities` for people (all) and the timeline (its candidates),
    `speakers` for who said what.
    """

    view: CorpusView
    articles: list[Article]
    entities: list[EntityStats]
    speakers: list[SpeakerStats]
