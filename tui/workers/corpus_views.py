"""Workers that read many articles: story threads, two versions to compare, and the articles
of a corpus-wide view (people, who said what, timeline) with what the view lists."""

from __future__ import annotations

from collections.abc import Sequence

from textual.worker import get_current_worker

from corpus.model import Article
from corpus.people import EntityStats, SpeakerStats, aggregate_entities, aggregate_speakers
from corpus.source import CorpusSource
from store.library import Library
from tui.messages import ArticlesGathered, CorpusView, DiffReady, ThreadsReady
from tui.screens.timeline import top_candidates
from tui.workers import Post


def build_threads(post: Post, source: CorpusSource, ids: Sequence[str]) -> None:
    """Group the articles into story threads (versions of one story), for "related"."""
    from corpus.threads import ThreadIndex

    worker = get_current_worker()
    index = ThreadIndex()
    for article_id in ids:
        if worker.is_cancelled:
            return
        try:
            index.add_article(source.article(article_id))
        except KeyError:
            continue
    threaded = frozenset(
        article_id
        for thread in index.find_threads()
        if len(thread) > 1
        for article_id in thread.article_ids
    )
    post(ThreadsReady(index, threaded))


def fetch_for_diff(
    post: Post, source: CorpusSource, new: Article, old_id: str, similarity: float | None
) -> None:
    """Read the other version of a story, to compare it with the open one (`d`)."""
    try:
        old = source.article(old_id)
    except KeyError:
        return
    post(DiffReady(new, old, similarity))


def gather_articles(post: Post, library: Library, ids: Sequence[str], view: CorpusView) -> None:
    """Read the listed articles as the reader corrected and dated them (`store.library`), and
    aggregate what `view` lists."""
    worker = get_current_worker()
    articles = list(library.articles(ids, lambda: worker.is_cancelled))
    if worker.is_cancelled:
        return
    entities: list[EntityStats] = []
    speakers: list[SpeakerStats] = []
    if view == "speakers":
        speakers = aggregate_speakers(articles)
    else:
        found = aggregate_entities(articles)
        entities = found if view == "people" else top_candidates(found)
    if not worker.is_cancelled:
        post(ArticlesGathered(view, articles, entities, speakers))
