"""Workers that search the corpus: a query (`/`), and the entity and speaker filters (`f`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.worker import get_current_worker

from corpus.model import ArticleSummary
from corpus.source import CorpusSource
from store.library import Library
from store.model import ArticleAnnotations
from tui.listing import ActiveFilter, SearchState, search_terms
from tui.messages import FilterReady, SearchDone
from tui.screens.filter_screen import FilterChoice
from tui.workers import Post

SEARCH_LIMIT = 500
"""The most hits a search lists."""


def run_search(
    post: Post,
    source: CorpusSource,
    query: str,
    annotations: Mapping[str, ArticleAnnotations],
) -> None:
    """Search the source; an index searches the reader's tags and notes too (`tag:`)."""
    try:
        set_annotations = getattr(source, "set_annotations", None)
        if set_annotations is not None:  # tag: filters and notes are searched in the index
            set_annotations(annotations)
        hits = source.search(query, limit=SEARCH_LIMIT)
    except Exception as error:
        post(SearchDone(None, str(error)))
        return
    post(SearchDone(SearchState(query, search_terms(query), hits)))


def compute_filter(
    post: Post,
    library: Library,
    summaries: Sequence[ArticleSummary],
    *choices: FilterChoice,
) -> None:
    """The articles that mention an entity (or quote a speaker) as the reader corrected them,
    one filter per choice."""
    worker = get_current_worker()
    among = [summary.id for summary in summaries]
    for choice in choices:
        ids = library.ids_mentioning(choice.kind, choice.value, among, lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return
        post(FilterReady(ActiveFilter(choice.kind, choice.value, ids)))
