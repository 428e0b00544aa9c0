"""The open article on the reader screen: opening it, drawing it, and moving about in it.

`ArticleDisplay` opens an article (from its cache, the in-memory corpus, or a worker reading
the index), draws it into `ArticleView` with the span bar under it and the info panel beside
it, shows the raw file (`r`), steps through spans (`]`/`[`) and search matches (`n`/`N`).
The state it draws from is the screen's (`article`, `current_span`, `raw_mode`,
`enabled_labels`, the annotations); what is drawn comes from `reader_render`.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import TYPE_CHECKING

from textual.widgets import Static

from corpus.model import Article
from corpus.source import MemoryCorpus
from tui.messages import RawLoaded
from tui.render import Block, NavSpan
from tui.screens.reader_render import (
    article_blocks,
    found_entity,
    match_places,
    next_place,
    related_versions,
    span_description,
)
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.info_panel import InfoPanel
from tui.workers import loading, run_in_thread

if TYPE_CHECKING:
    from tui.screens.reader import ReaderScreen

ARTICLE_CACHE_SIZE = 64


class ArticleCache:
    """The articles opened last (the index reads each from disk), the oldest dropped first."""

    def __init__(self, size: int = ARTICLE_CACHE_SIZE) -> None:
        self._size = size
        self._articles: OrderedDict[str, Article] = OrderedDict()

    def get(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    def remember(self, article: Article) -> None:
        self._articles[article.id] = article
        self._articles.move_to_end(article.id)
        while len(self._articles) > self._size:
            self._articles.popitem(last=False)


class ArticleDisplay:
    """Opens and draws a reader screen's article; keeps the raw files read and where `n`
    went last."""

    def __init__(self, screen: ReaderScreen) -> None:
        self._screen = screen
        self._cache = ArticleCache()
        self._wanted: str | None = None
        self.raw_text: dict[str, str] = {}
        """The raw files read for the raw view, by article id."""
        self.match_at: int | None = None
        """The body offset of the search match `n`/`N` went to last."""

    # -- opening -------------------------------------------------------------------------------

    def show(self, article_id: str) -> None:
        """Show an article now if it is cached or in memory, else fetch it in a worker."""
        screen = self._screen
        self._wanted = article_id
        cached = self._cache.get(article_id)
        if cached is None and isinstance(screen.source, MemoryCorpus):
            try:
                cached = screen.source.article(article_id)
            except KeyError:
                return
        if cached is not None:
            self._cache.remember(cached)
            self.display(cached)
        elif screen.source is not None:
            job = partial(loading.fetch_article, screen.post_message, screen.source, article_id)
            run_in_thread(screen, job, name="fetch_article", group="open")

    def opened(self, article: Article) -> None:
        """An article a worker read: shown if it is still the one wanted."""
        self._cache.remember(article)
        if article.id == self._wanted:
            self.display(article)

    def display(self, article: Article) -> None:
        screen = self._screen
        same = screen.article is not None and screen.article.id == article.id
        if not same:
            screen.current_span = None
            self.match_at = None
        screen.article = article
        if screen.raw_mode and article.id not in self.raw_text:
            self.read_raw(article)  # the raw view stays on while moving between articles
        self.redisplay(keep_scroll=same)
        if screen.query_one(InfoPanel).display:
            self.show_info()

    # -- drawing -------------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        """The blocks of the open article as it should look now."""
        screen = self._screen
        styles = screen.query_one(ArticleView).span_styles()
        article = screen.article
        if article is None:
            return []
        return article_blocks(
            article,
            screen.annotations_of(article.id),
            styles,
            paths=screen.nr_app.paths,
            enabled_labels=screen.enabled_labels,
            current=screen.current_span,
            terms=screen.search.terms if screen.search else (),
            raw_mode=screen.raw_mode,
            raw=self.raw_text.get(article.id),
        )

    def redisplay(self, *, keep_scroll: bool = True) -> None:
        if self._screen.article is None:
            return
        self._screen.query_one(ArticleView).show_blocks(self.blocks(), keep_scroll=keep_scroll)
        self.show_span_bar()

    def show_span_bar(self) -> None:
        """The line under the article about the highlighted span (none while selecting)."""
        screen = self._screen
        bar = screen.query_one("#span-bar", Static)
        span = screen.current_span
        if span is None or span.kind == "selection" or screen.raw_mode:
            bar.display = False
            return
        article = screen.article
        found = found_entity(article, span.start, span.end) if article is not None else None
        bar.update(span_description(span, found))
        bar.display = True

    def show_info(self) -> None:
        """Fill the info panel: entities, quotes, and the related versions of the story."""
        screen = self._screen
        panel = screen.query_one(InfoPanel)
        if screen.article is None:
            panel.show_article(None)
            return
        related = related_versions(screen.threads, screen.article.id, screen.summaries)
        panel.show_article(screen.corrected(), related, screen.span_annotations())

    # -- moving about --------------------------------------------------------------------------

    def go_to_span(self, span: NavSpan | None) -> None:
        """Highlight a span and scroll it into view."""
        if span is None:
            return
        screen = self._screen
        screen.current_span = span
        self.redisplay(keep_scroll=True)
        view = screen.query_one(ArticleView)
        view.scroll_to_body_offset(span.start)
        # (again once the span bar under the article has taken its line)
        screen.call_after_refresh(view.scroll_to_body_offset, span.start, only_if_hidden=True)

    def next_span(self, step: int) -> None:
        """`]` (`[`): the next (previous) span, round to the first (last)."""
        screen = self._screen
        spans = screen.spans()
        current = screen.current_span
        if step > 0:
            after = current.start if current else -1
            first = spans[0] if spans else None
            self.go_to_span(next((s for s in spans if s.start > after), first))
            return
        before = current.start if current else 1 << 60
        earlier = [s for s in spans if s.start < before]
        self.go_to_span(earlier[-1] if earlier else (spans[-1] if spans else None))

    def span_chosen(self, start: int) -> None:
        """A span picked in the info panel (or a place, when it is not a span now)."""
        span = next((s for s in self._screen.spans() if s.start == start), None)
        if span is None and self._screen.article is not None:
            self._screen.query_one(ArticleView).scroll_to_body_offset(start)
            return
        self.go_to_span(span)

    def next_match(self, step: int) -> None:
        """The next (previous) place in the article where a search word occurs; past the last,
        the next search result."""
        screen = self._screen
        search = screen.search
        if search is None or screen.article is None or not search.terms:
            return
        places = match_places(screen.article.body, search.terms)
        found = next_place(places, self.match_at, step)
        if found is None:
            article_list = screen.query_one(ArticleList)
            if step > 0:
                article_list.action_cursor_down()
            else:
                article_list.action_cursor_up()
            self.match_at = None
            return
        self.match_at = found
        screen.query_one(ArticleView).scroll_to_body_offset(found)
        screen.notify(f"match {places.index(found) + 1} of {len(places)}", timeout=1)

    # -- the raw file --------------------------------------------------------------------------

    def toggle_raw(self) -> None:
        """`r`: the raw file in place of the article, or the article again."""
        screen = self._screen
        if screen.article is None:
            return
        screen.raw_mode = not screen.raw_mode
        if screen.raw_mode and screen.article.id not in self.raw_text:
            self.read_raw(screen.article)
        self.redisplay(keep_scroll=False)

    def read_raw(self, article: Article) -> None:
        job = partial(loading.read_raw_file, self._screen.post_message, article)
        run_in_thread(self._screen, job, name="read_raw", group="raw")

    def raw_loaded(self, event: RawLoaded) -> None:
        screen = self._screen
        if event.error is not None:
            screen.notify(
                f"Could not read the raw file: {event.error}", severity="error", markup=False
            )
            screen.raw_mode = False
        else:
            assert event.raw is not None
            self.raw_text[event.article_id] = event.raw
        if screen.article is not None and screen.article.id == event.article_id:
            self.redisplay(keep_scroll=False)
