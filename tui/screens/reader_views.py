"""The views the reader screen opens over many articles: story threads (the related versions
in the info panel, `d` to compare two), and the corpus-wide views of the listed articles
(`p` people, `w` who said what, `l` timeline).

The articles are read in workers (`tui.workers.corpus_views`); what a view asks for as it
closes (a filter, an article to open) goes to `reader_search.corpus_view_chosen`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tui.messages import ArticlesGathered, CorpusView, DiffReady, ThreadsReady
from tui.render import plural
from tui.screens.reader_search import corpus_view_chosen
from tui.widgets.article_list import ArticleList
from tui.widgets.info_panel import InfoPanel
from tui.workers import corpus_views, run_in_thread

if TYPE_CHECKING:
    from tui.screens.reader import ReaderScreen

THREADS_LIMIT = 20_000
"""Story threads are built in the app (reading every body) up to this many articles."""


def build_threads(screen: ReaderScreen) -> None:
    """Group the loaded articles into story threads, in a worker (not for a huge corpus)."""
    if screen.source is None or len(screen.summaries) > THREADS_LIMIT:
        return
    ids = [s.id for s in screen.summaries]
    job = partial(corpus_views.build_threads, screen.post_message, screen.source, ids)
    run_in_thread(screen, job, name="build_threads", group="threads")


def threads_ready(screen: ReaderScreen, event: ThreadsReady) -> None:
    """Mark the threaded articles in the sidebar; the info panel lists related versions now."""
    screen.threads = event.threads
    article_list = screen.query_one(ArticleList)
    article_list.threaded = event.threaded
    article_list.refresh()
    if screen.query_one(InfoPanel).display:
        screen.article_display.show_info()


def related_chosen(screen: ReaderScreen, event: InfoPanel.RelatedChosen) -> None:
    """A related version picked in the info panel: open it, or (`d`) compare it."""
    if not event.diff:
        screen.open_article(event.article_id)
    elif screen.article is not None and screen.source is not None:
        similarity = None
        if screen.threads is not None:
            similarity = screen.threads.similarity(screen.article.id, event.article_id)
        job = partial(
            corpus_views.fetch_for_diff,
            screen.post_message,
            screen.source,
            screen.article,
            event.article_id,
            similarity,
        )
        run_in_thread(screen, job, name="fetch_for_diff", group="diff")


def show_diff(screen: ReaderScreen, event: DiffReady) -> None:
    from tui.screens.diff import DiffScreen

    diff = DiffScreen(event.new, event.old, similarity=event.similarity)
    screen.app.push_screen(diff, partial(corpus_view_chosen, screen))


def open_corpus_view(screen: ReaderScreen, view: CorpusView) -> None:
    """Read the listed articles, as the reader corrected and dated them, for a corpus view."""
    if screen.source is None or not screen.listed:
        screen.notify("No articles to look at yet", timeout=3)
        return
    screen.notify(f"Reading {plural(len(screen.listed), 'article')}…", timeout=2)
    ids = [s.id for s in screen.listed]
    job = partial(corpus_views.gather_articles, screen.post_message, screen.library(), ids, view)
    run_in_thread(screen, job, name="gather_articles", group="gather")


def show_corpus_view(screen: ReaderScreen, event: ArticlesGathered) -> None:
    from tui.screens.people import PeopleScreen
    from tui.screens.speakers import SpeakersScreen
    from tui.screens.timeline import TimelineScreen

    chosen = partial(corpus_view_chosen, screen)
    if event.view == "people":
        screen.app.push_screen(PeopleScreen(event.articles, entities=event.entities), chosen)
    elif event.view == "speakers":
        screen.app.push_screen(SpeakersScreen(event.articles, speakers=event.speakers), chosen)
    else:
        screen.app.push_screen(TimelineScreen(event.articles, candidates=event.entities), chosen)
