"""The main screen: date sidebar, the highlighted article, the info panel, and every action.

The reading state lives here (the summaries, the annotations, filters, search, the open
article), as typed reactives where a change must be drawn: changing the corpus, the filters,
the search or the order relists the sidebar (their watchers), changing the highlighted
entity types redraws the article. Widgets only draw what they are given; everything slow
runs in a worker (`tui/workers/`) and comes back as a message (`tui/messages.py`).

The screen composes, binds keys and takes in messages; each job around that has a module:
  reader_loading   the corpus arriving (progress, notices, no articles at all)
  reader_store     the annotation store: opened, writes taken in, export
  reader_sidebar   the sidebar's rows (`tui.listing` decides them) and the status bar
  reader_article   the open article: opening, drawing, raw file, moving about in it
  reader_render    what is drawn of the article (pure functions)
  reader_marks     tags, note, date, read marks of an article (`t` `n` `D` `C` ...)
  reader_annotate  span annotations (`a` `v` `A` ctrl+z)
  reader_search    search and filters (`/` `f` `F` `'`)
  reader_views     story threads, compare (`d`), the corpus-wide views (`p` `w` `l`)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from corpus.model import ENTITY_LABELS, Article, ArticleSummary
from corpus.source import CorpusSource
from store.corrections import corrected_article
from store.library import Library
from store.model import ArticleAnnotations, SpanAnnotation
from tui import messages
from tui.listing import ActiveFilter, SearchState
from tui.render import DEFAULT_HIDDEN_LABELS, SHOW_SPEAKERS, Block, NavSpan, safe
from tui.screens import (
    reader_annotate,
    reader_loading,
    reader_marks,
    reader_search,
    reader_store,
    reader_views,
)
from tui.screens.filter_screen import FilterChoice
from tui.screens.highlights import HighlightsScreen
from tui.screens.reader_annotate import UndoStep
from tui.screens.reader_article import ArticleDisplay
from tui.screens.reader_render import reader_spans
from tui.screens.reader_sidebar import SidebarListing
from tui.widgets.article_list import ArticleList, RowMarks
from tui.widgets.article_view import ArticleView
from tui.widgets.coverage import CoverageChart
from tui.widgets.info_panel import InfoPanel
from tui.widgets.legend import EntityLegend
from tui.widgets.status_bar import StatusBar
from tui.workers import loading, run_in_thread, search
from tui.workers import store as store_workers
from tui.workers.store import StoreChange, StoreWrites

if TYPE_CHECKING:
    from corpus.threads import ThreadIndex
    from store.annotations import AnnotationStore
    from tui.app import NewsreaderApp

DEFAULT_LABELS = (frozenset(ENTITY_LABELS) - DEFAULT_HIDDEN_LABELS) | {SHOW_SPEAKERS}
"""The entity types highlighted at first, and the speakers after quotes."""


class ReaderScreen(Screen[None]):
    """Sidebar + article + info panel; owns the reading state and the store writes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "page_down", "Page down", show=False, id="page-down"),
        Binding("b", "page_up", "Page up", show=False, id="page-up"),
        Binding("right_square_bracket", "next_span", "Next span", show=False, id="next-span"),
        Binding("left_square_bracket", "previous_span", "Prev span", show=False, id="prev-span"),
        Binding("J", "next_unread(1)", "Next unread", show=False, id="next-unread"),
        Binding("K", "next_unread(-1)", "Previous unread", show=False, id="prev-unread"),
        Binding("C", "mark_all_read", "Mark all read", show=False, id="mark-all-read"),
        Binding("F", "remove_filter", "Remove a filter", show=False, id="remove-filter"),
        Binding("apostrophe", "saved_filters", "Saved filters", show=False, id="saved-filters"),
        Binding("t", "tag", "Tag", id="tag"),
        Binding("T", "untag", "Untag", show=False, id="untag"),
        *[
            Binding(str(n), f"quick_tag({n})", f"Quick tag {n}", show=False, id=f"quick-tag-{n}")
            for n in range(1, 10)
        ],
        Binding("n", "next_match(1)", "Next match", id="next-match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="prev-match"),
        Binding("n", "note", "Note", id="note"),
        Binding("a", "annotate", "Annotate", show=False, id="annotate"),
        Binding("v", "select", "Select text", show=False, id="select"),
        Binding("A", "annotations", "Annotations", show=False, id="annotations"),
        Binding("ctrl+z", "undo", "Undo annotation", show=False, id="undo"),
        Binding("s", "star", "Star", id="star"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle-read"),
        Binding("D", "set_date", "Set date", show=False, id="set-date"),
        Binding("slash", "search", "Search", id="search"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("i", "toggle_info", "Info", id="info"),
        Binding("r", "toggle_raw", "Raw", id="raw"),
        Binding("o", "flip_order", "Order", show=False, id="order"),
        Binding("h", "highlights", "Highlights", show=False, id="highlights"),
        Binding("p", "corpus_view('people')", "People", show=False, id="people"),
        Binding("w", "corpus_view('speakers')", "Who said what", show=False, id="speakers"),
        Binding("l", "corpus_view('timeline')", "Timeline", show=False, id="timeline"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    # (`always_update`: setting one relists or redraws even when the value is equal, as
    # every change did before these were watched; and a long list is never compared.)
    summaries: var[Sequence[ArticleSummary]] = var(list, init=False, always_update=True)
    """Every article loaded so far, as the source lists them; a change relists."""
    filters: var[list[ActiveFilter]] = var(list, init=False, always_update=True)
    """The stacked filters, in the order added; a change relists (assign, do not mutate)."""
    search: var[SearchState | None] = var(None, init=False, always_update=True)
    """The search whose hits replace the sidebar; a change relists and rebinds `n`/`N`."""
    newest_first: var[bool] = var(True, init=False)
    """The sidebar's order of days; a change relists."""
    enabled_labels: var[frozenset[str]] = var(DEFAULT_LABELS, init=False, always_update=True)
    """The entity types highlighted, and `SHOW_SPEAKERS` when speakers are drawn; a change
    redraws the article."""
    article: var[Article | None] = var(None, init=False)
    """The article on display, as analysed (the reader's corrections are applied in drawing)."""
    current_span: var[NavSpan | None] = var(None, init=False)
    """The highlighted span (`]`/`[`, the info panel, a selection being made)."""
    raw_mode: var[bool] = var(False, init=False)
    """Showing the raw file (`r`) in place of the article, while moving between articles."""
    loading_status: var[str | None] = var("loading…", init=False)
    """What the status bar says about loading; None once the corpus is loaded."""

    NARROW_WIDTH: ClassVar[int] = 110
    """Below this many columns the sidebar makes way for the info panel, and the footer is
    compact."""

    def __init__(self) -> None:
        super().__init__()
        self.source: CorpusSource | None = None
        self.listed: list[ArticleSummary] = []
        """The summaries that pass the filters (the reader's dates applied)."""
        self.annotations: dict[str, ArticleAnnotations] = {}
        self.marks: dict[str, RowMarks] = {}
        """What the sidebar shows of each annotated article (kept with `annotations`)."""
        self.read_only = False
        self.note_drafts: dict[str, str] = {}
        self.undo_steps: list[UndoStep] = []
        """Annotation changes of this session, last last, to take back with ctrl+z or `u`."""
        self.threads: ThreadIndex | None = None
        """The story-thread index once built, for "related"."""
        self.listing = SidebarListing(self)
        self.article_display = ArticleDisplay(self)
        self._writes = StoreWrites(self)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notify with inert text: messages name files, queries and tags from outside."""
        super().notify(
            safe(str(message)), title=safe(title), severity=severity, timeout=timeout, markup=False
        )

    @property
    def nr_app(self) -> NewsreaderApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> AnnotationStore | None:
        return self.nr_app.store  # type: ignore[no-any-return]

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            with Vertical(id="sidebar"):
                yield CoverageChart(id="coverage")
                yield ProgressBar(total=None, show_eta=False, id="load-progress")
                yield ArticleList(id="articles")
            with Vertical(id="main"):
                yield EntityLegend(id="legend")
                yield ArticleView(id="article")
                yield Static("", id="span-bar", markup=False)
            yield InfoPanel(id="info")
        yield Footer()

    def _fit_panes(self) -> None:
        """Keep the article readable: at a narrow width the info panel replaces the sidebar."""
        narrow = self.size.width < self.NARROW_WIDTH
        info = self.query_one(InfoPanel).display
        sidebar = self.query_one("#sidebar")
        hide = narrow and info
        if hide and sidebar.has_focus_within:
            self.query_one(InfoPanel).query_one("#info-options").focus()
        sidebar.set_class(hide, "-narrow-hidden")
        sidebar.set_class(info, "-with-info")
        footer = self.query_one(Footer)
        footer.compact = narrow
        if footer.show_command_palette == narrow:  # (Quit and Help must fit: `?` lists ctrl+p)
            footer.show_command_palette = not narrow
            footer.refresh(recompose=True)

    def on_resize(self) -> None:
        self._fit_panes()

    def on_mount(self) -> None:
        self.query_one(ArticleList).marks = self.marks
        self.query_one(InfoPanel).display = False
        self.query_one(ArticleView).reading_width = self.nr_app.config.reading_width
        self.query_one("#span-bar", Static).display = False
        self.query_one(EntityLegend).show_enabled(self.enabled_labels)
        self.query_one(ArticleList).focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.listing.show_status()
        self.open_store()
        self.load()

    def _theme_changed(self, _theme: object) -> None:
        self.redisplay(keep_scroll=True)

    # -- loading (reader_loading), the store (reader_store) -------------------------------------

    def load(self) -> None:
        app = self.nr_app
        args = (app.preloaded_source, app.paths, app.cache_path, app.ner)
        job = partial(loading.load, self.post_message, *args)
        run_in_thread(self, job, name="load", group="load")

    def open_store(self) -> None:
        job = partial(store_workers.open_store, self.post_message, self.nr_app.open_store)
        run_in_thread(self, job, name="open_store", group="store-open")

    @on(messages.CorpusProgress)
    def _corpus_progress(self, event: messages.CorpusProgress) -> None:
        reader_loading.took_progress(self, event)

    @on(messages.CorpusLoaded)
    def _corpus_loaded(self, event: messages.CorpusLoaded) -> None:
        reader_loading.took_corpus(self, event)

    @on(messages.StoreOpened)
    def _store_opened(self, event: messages.StoreOpened) -> None:
        reader_store.took_store(self, event)

    @on(messages.StoreOpenFailed)
    def _store_open_failed(self, event: messages.StoreOpenFailed) -> None:
        reader_store.ask_after_store_failure(self, event.error)

    @property
    def writes_pending(self) -> int:
        """Store writes asked for whose result has not been taken in yet (`q` waits for them)."""
        return self._writes.pending

    def _store_or_warn(self) -> AnnotationStore | None:
        if self.store is None:
            self.notify("The annotation store is not open yet", severity="warning")
        return self.store

    def write(self, article_id: str, what: str, change: StoreChange) -> None:
        """Apply `change(store)` in a worker, in order with earlier writes."""
        if (store := self._store_or_warn()) is not None:
            self._writes.write(store, article_id, what, change)

    def mark_many_read(self, ids: list[str], what: str) -> None:
        """Mark many articles read, in one write."""
        if (store := self._store_or_warn()) is not None:
            self._writes.mark_read(store, ids, what)

    def mark_read(self, article_id: str) -> None:
        """Mark an article read (opening it does), unless it is."""
        if not self.annotations_of(article_id).read:
            self.write(article_id, "mark as read", lambda s: s.set_read(article_id, True))

    @on(messages.AnnotationsChanged)
    def _annotations_changed(self, event: messages.AnnotationsChanged) -> None:
        self._writes.taken_in()
        reader_store.took_write(self, event)

    @on(messages.ManyChanged)
    def _many_changed(self, event: messages.ManyChanged) -> None:
        self._writes.taken_in()
        reader_store.took_many(self, event)

    @on(messages.StoreFailed)
    def _store_failed(self, event: messages.StoreFailed) -> None:
        self._writes.taken_in()
        reader_store.write_failed(self, event)

    @on(messages.ExportDone)
    def _export_done(self, event: messages.ExportDone) -> None:
        reader_store.export_done(self, event)

    # -- listing (reader_sidebar), search and filters (reader_search) --------------------------

    def watch_summaries(self) -> None:
        self.relist()

    def watch_filters(self) -> None:
        self.relist()

    def watch_search(self) -> None:
        self.relist()
        self.refresh_bindings()  # n/N step between matches while there is a search

    def watch_newest_first(self) -> None:
        self.relist()

    def relist(self) -> None:
        """Rebuild the sidebar rows from the summaries, filters, order and search."""
        self.listing.relist()

    def add_filter(self, active: ActiveFilter) -> None:
        """Stack a filter (relisted even when it is there already)."""
        self.filters = self.filters if active in self.filters else [*self.filters, active]

    def add_mention_filters(self, *choices: FilterChoice) -> None:
        """Entity or speaker filters: the articles they match are found in a worker."""
        if self.source is None:
            return
        summaries = list(self.summaries)
        job = partial(search.compute_filter, self.post_message, self.library(), summaries, *choices)
        run_in_thread(self, job, name="compute_filter", group="filter")

    @on(messages.FilterReady)
    def _filter_ready(self, event: messages.FilterReady) -> None:
        self.add_filter(event.active)

    @on(messages.SearchDone)
    def _search_done(self, event: messages.SearchDone) -> None:
        reader_search.search_done(self, event)

    # -- the open article (reader_article) -----------------------------------------------------

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        self.show_article(event.article_id)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.show_article(event.article_id)
        self.mark_read(event.article_id)
        self.query_one(ArticleView).focus()

    def annotations_of(self, article_id: str) -> ArticleAnnotations:
        found = self.annotations.get(article_id)
        return found if found is not None else ArticleAnnotations(article_id)

    def summary(self, article_id: str) -> ArticleSummary | None:
        """The listed summary of an article (the reader's date applied)."""
        return next((s for s in self.listed if s.id == article_id), None)

    def show_article(self, article_id: str) -> None:
        """Show an article now if it is cached or in memory, else fetch it in a worker."""
        self.article_display.show(article_id)

    def open_article(self, article_id: str) -> None:
        """Move the sidebar cursor to an article and show it."""
        self.query_one(ArticleList).select_article(article_id)
        self.show_article(article_id)

    def open_id(self) -> str | None:
        """The article an action applies to: the one under the sidebar cursor.

        Keys can arrive before the cursor's `Highlighted` message is handled, so the cursor,
        not the article on display, decides; the display is brought in line first.
        """
        target = self.query_one(ArticleList).cursor_article_id
        if target is None and self.article is not None:
            target = self.article.id
        if target is None:
            self.notify("Open an article first", severity="warning", timeout=3)
            return None
        if self.article is None or self.article.id != target:
            self.show_article(target)
        return target

    @on(messages.ArticleOpened)
    def _article_opened(self, event: messages.ArticleOpened) -> None:
        self.article_display.opened(event.article)

    @on(messages.ArticleOpenFailed)
    def _article_open_failed(self, event: messages.ArticleOpenFailed) -> None:
        self.notify(f"Could not open the article: {event.error}", severity="error", markup=False)

    @on(messages.RawLoaded)
    def _raw_loaded(self, event: messages.RawLoaded) -> None:
        self.article_display.raw_loaded(event)

    def library(self) -> Library:
        """The corpus with the reader's annotations as they are now, for a worker to read
        (`store.library`: corrections and dates applied in every view and filter)."""
        assert self.source is not None
        return Library(self.source, self.annotations)

    def corrected(self) -> Article:
        """The open article with the reader's corrections applied."""
        assert self.article is not None
        return corrected_article(self.article, self.span_annotations())

    def span_annotations(self) -> tuple[SpanAnnotation, ...]:
        """The open article's span annotations, one per range."""
        if self.article is None:
            return ()
        found = self.annotations.get(self.article.id)
        return found.distinct_spans if found is not None else ()

    def spans(self) -> list[NavSpan]:
        """The open article's spans that `]`/`[` step through."""
        if self.article is None:
            return []
        return reader_spans(self.article, self.span_annotations(), self.enabled_labels)

    def render_blocks(self) -> list[Block]:
        """The blocks of the open article as it should look now."""
        return self.article_display.blocks()

    def redisplay(self, *, keep_scroll: bool = True) -> None:
        self.article_display.redisplay(keep_scroll=keep_scroll)

    def go_to_span(self, span: NavSpan | None) -> None:
        """Highlight a span and scroll it into view."""
        self.article_display.go_to_span(span)

    def watch_enabled_labels(self, labels: frozenset[str]) -> None:
        self.query_one(EntityLegend).show_enabled(labels)
        if self.current_span and self.current_span.kind == "entity":
            self.current_span = None
        self.redisplay(keep_scroll=True)

    def toggle_label(self, label: str) -> None:
        self.enabled_labels = self.enabled_labels ^ {label}

    @on(EntityLegend.Toggled)
    def _legend_toggled(self, event: EntityLegend.Toggled) -> None:
        self.toggle_label(event.label)

    @on(InfoPanel.SpanChosen)
    def _span_chosen(self, event: InfoPanel.SpanChosen) -> None:
        self.article_display.span_chosen(event.start)

    # -- story threads and the corpus-wide views (reader_views) --------------------------------

    @on(messages.ThreadsReady)
    def _threads_ready(self, event: messages.ThreadsReady) -> None:
        reader_views.threads_ready(self, event)

    @on(InfoPanel.RelatedChosen)
    def _related_chosen(self, event: InfoPanel.RelatedChosen) -> None:
        reader_views.related_chosen(self, event)

    @on(messages.DiffReady)
    def _diff_ready(self, event: messages.DiffReady) -> None:
        reader_views.show_diff(self, event)

    @on(messages.ArticlesGathered)
    def _articles_gathered(self, event: messages.ArticlesGathered) -> None:
        reader_views.show_corpus_view(self, event)

    # -- actions -------------------------------------------------------------------------------
    # (an action that only asks with a dialog is the function that does: `action_tag(self)`
    # is `reader_marks.ask_tags(self)`)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n`/`N` step between search matches while there is a search; else `n` is the note."""
        if action == "next_match":
            return self.search is not None and bool(self.search.terms)
        return True

    def action_page_down(self) -> None:
        """Page down; at the end of the article, go on to the next one (as newsboat does)."""
        view = self.query_one(ArticleView)
        if view.scroll_y >= view.max_scroll_y and self.article is not None:
            self.listing.open_next(1, unread_only=False, at_end=True)
            return
        view.page_forward()

    def action_page_up(self) -> None:
        self.query_one(ArticleView).page_back()

    def action_next_unread(self, step: int) -> None:
        self.listing.open_next(step, unread_only=True)

    def action_next_match(self, step: int) -> None:
        self.article_display.next_match(step)

    def action_next_span(self) -> None:
        self.article_display.next_span(1)

    def action_previous_span(self) -> None:
        self.article_display.next_span(-1)

    def action_toggle_raw(self) -> None:
        self.article_display.toggle_raw()

    def action_toggle_info(self) -> None:
        panel = self.query_one(InfoPanel)
        panel.display = not panel.display
        if panel.display:
            self.article_display.show_info()
            panel.query_one("#info-options").focus()
        elif panel.has_focus_within:
            self.query_one(ArticleList).focus()
        self._fit_panes()
        self.query_one(ArticleView).on_resize()

    def action_flip_order(self) -> None:
        self.newest_first = not self.newest_first
        self.notify("Newest first" if self.newest_first else "Oldest first", timeout=2)

    def action_highlights(self) -> None:
        def chosen(labels: frozenset[str] | None) -> None:
            if labels is not None:
                self.enabled_labels = labels

        self.app.push_screen(HighlightsScreen(self.enabled_labels), chosen)

    def action_back(self) -> None:
        if self.current_span is not None:
            self.current_span = None
            self.redisplay(keep_scroll=True)
        elif self.search is not None:
            self.search = None
        elif not self.query_one(ArticleList).has_focus:
            self.query_one(ArticleList).focus()

    action_tag = reader_marks.ask_tags
    action_untag = reader_marks.ask_untag
    action_quick_tag = reader_marks.toggle_quick_tag
    action_note = reader_marks.edit_note
    action_set_date = reader_marks.ask_date
    action_star = reader_marks.toggle_star
    action_toggle_read = reader_marks.toggle_read
    action_mark_all_read = reader_marks.confirm_mark_all_read
    action_annotate = reader_annotate.annotate
    action_select = reader_annotate.select
    action_annotations = reader_annotate.list_annotations
    action_undo = reader_annotate.undo
    action_search = reader_search.ask_search
    action_filter = reader_search.ask_filter
    action_remove_filter = reader_search.ask_remove_filter
    action_saved_filters = reader_search.ask_saved_filter
    action_export = reader_store.ask_export
    action_corpus_view = reader_views.open_corpus_view


__all__ = ["ReaderScreen"]
