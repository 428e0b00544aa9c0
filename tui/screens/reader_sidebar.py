"""The reader screen's sidebar and status bar, drawn from the screen's state.

`SidebarListing.relist` asks `tui.listing` what to list for the summaries, annotations,
filters and search, and turns it into the sidebar's rows: articles grouped by day in the
order the reader chose, or the search's hits with their highlighted snippets. It keeps what
a relist of a large corpus should not redo: the summaries with their folders as sources,
the ids of the corpus's articles (for the status bar's counts), and how long a relist took
(while loading, relists are throttled by it). It also moves the sidebar's cursor on to the
next article (`J`/`K`, space at the end of one).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from corpus.model import ArticleSummary
from tui.listing import following, list_articles, mark_counts, with_user_dates
from tui.loading import corpus_name, corpus_roots, with_folder_sources
from tui.render import highlight_terms, snippet_window
from tui.widgets.article_list import ArticleList, RowMarks, group_by_day, make_search_rows
from tui.widgets.article_view import component_style
from tui.widgets.coverage import CoverageChart
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.screens.reader import ReaderScreen


class SidebarListing:
    """Relists a reader screen's sidebar and fills its status bar."""

    def __init__(self, screen: ReaderScreen) -> None:
        self._screen = screen
        self._sourced: tuple[Sequence[ArticleSummary], list[ArticleSummary]] | None = None
        self._known_ids: tuple[Sequence[ArticleSummary], set[str] | None] | None = None
        self._last_relist: tuple[float, float] = (0.0, 0.0)  # (when, how long it took)

    def sourced_summaries(self) -> list[ArticleSummary]:
        """All summaries, an article's folder as its source where it names none (cached)."""
        summaries = self._screen.summaries
        cached = self._sourced
        if cached is None or cached[0] is not summaries:
            roots = corpus_roots(self._screen.nr_app.paths)
            cached = (summaries, with_folder_sources(summaries, roots))
            self._sourced = cached
        return cached[1]

    def throttled(self) -> bool:
        """Whether a relist now would come too soon after the last one, while loading.

        Regrouping a big corpus takes a while: while loading, do it at most a quarter of the
        time, so keys stay responsive as articles arrive.
        """
        now = time.monotonic()
        return now - self._last_relist[0] < max(0.5, 4 * self._last_relist[1])

    def relist(self) -> None:
        """Rebuild the sidebar rows from the summaries, filters, order and search."""
        started = time.monotonic()
        try:
            self._relist()
        finally:
            self._last_relist = (time.monotonic(), time.monotonic() - started)

    def _relist(self) -> None:
        screen = self._screen
        article_list = screen.query_one(ArticleList)
        # Until the reader moves, the cursor stays on the first row while articles arrive.
        keep = article_list.cursor_article_id if article_list.moved_by_user else None
        summaries = with_user_dates(self.sourced_summaries(), screen.annotations)
        listing = list_articles(summaries, screen.annotations, screen.filters, screen.search)
        screen.listed = listing.listed
        article_list.show_source = listing.show_source
        article_list.empty_message = listing.empty_message
        if listing.hits is not None:
            match_style = component_style(article_list, "article-list--match")
            hits = [
                (
                    hit.article_id,
                    summary.title,
                    highlight_terms(*snippet_window(hit.snippet, hit.highlights), match_style),
                    summary.date,
                )
                for hit, summary in listing.hits
            ]
            article_list.set_rows(make_search_rows(hits), keep=keep)
        else:
            rows = group_by_day(listing.listed, newest_first=screen.newest_first)
            article_list.set_rows(rows, keep=keep)
        screen.query_one(CoverageChart).show_dates(s.date for s in listing.listed)
        cursor = article_list.cursor_article_id
        if cursor is not None and (screen.article is None or screen.article.id != cursor):
            screen.show_article(cursor)
        self.show_status()

    def show_status(self) -> None:
        """The status bar: the corpus, what is listed of it, the counts, filters and search."""
        screen = self._screen
        app = screen.nr_app
        summaries = screen.summaries
        total = len(summaries)
        cached = self._known_ids
        if cached is None or cached[0] is not summaries or (cached[1] is None and screen.marks):
            cached = (summaries, {s.id for s in summaries} if screen.marks else None)
            self._known_ids = cached
        counts = mark_counts(screen.annotations, cached[1])  # (not another corpus's articles)
        search = screen.search
        listed = screen.query_one(ArticleList).article_count if search else len(screen.listed)
        screen.query_one(StatusBar).show(
            corpus=app.corpus_label or corpus_name(app.paths),
            listed=listed,
            total=total,
            tagged=counts.tagged,
            starred=counts.starred,
            unread=max(0, total - counts.read),
            filters=[f.label for f in screen.filters],
            search=search.query if search else None,
            loading=screen.loading_status,
            read_only=screen.read_only,
        )

    def open_next(self, step: int, *, unread_only: bool, at_end: bool = False) -> None:
        """Open the next (previous) listed article, or the next unread one; it is read now."""
        screen = self._screen
        article_list = screen.query_one(ArticleList)
        ids = [r.article_id for r in article_list.rows if r.kind == "article" and r.article_id]

        def skipped(article_id: str) -> bool:
            return unread_only and screen.marks.get(article_id, RowMarks()).read

        order = following(ids, article_list.cursor_article_id, step, skipped)
        if not order:
            what = "unread article" if unread_only else "article"
            where = "after this one" if step > 0 else "before this one"
            screen.notify(f"No {what} {where}", timeout=2)
            return
        screen.open_article(order[0])
        screen.mark_read(order[0])
        if at_end:
            screen.notify("Next article", timeout=1)
