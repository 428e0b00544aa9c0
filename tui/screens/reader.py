"""The main screen: date sidebar, the highlighted article, the info panel, and every action.

State lives here (the listed summaries, the annotation cache, filters, search, the open
article); widgets only draw what they are given. Everything slow (loading, opening an article
from the index, search, filters that need article bodies, store writes, export) runs in a
worker and comes back as a message.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import get_current_worker

from corpus.model import ENTITY_LABELS, Article, ArticleSummary, SearchHit
from corpus.people import aggregate_entities, aggregate_speakers
from corpus.source import CorpusSource, MemoryCorpus
from corpus.textsafe import visible_name
from store.corrections import corrected_article, dismissed_entities, marked_passages
from store.model import NOT_AN_ENTITY, SpanAnnotation
from tui.loading import (
    LoadReport,
    OrderedRunner,
    corpus_name,
    corpus_roots,
    folder_of,
    ids_mentioning,
    load_corpus,
    with_folder_sources,
)
from tui.render import (
    DEFAULT_HIDDEN_LABELS,
    SHOW_SPEAKERS,
    Block,
    NavSpan,
    highlight_terms,
    navigable_spans,
    plural,
    render_body,
    render_header,
    render_raw,
    safe,
    snippet_window,
)
from tui.screens.annotate import AnnotateSpan, SpanEdit, label_kind
from tui.screens.annotations import AnnotationsScreen, describe_label
from tui.screens.confirm import Confirm
from tui.screens.date_prompt import DatePrompt
from tui.screens.error_screen import ErrorScreen
from tui.screens.export_screen import ExportChoice, ExportScreen
from tui.screens.filter_screen import FilterChoice, FilterScreen, parse_date_range
from tui.screens.highlights import HighlightsScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.pick_one import PickOne
from tui.screens.search_prompt import SearchPrompt
from tui.screens.select import SelectionDone, SelectScreen
from tui.screens.tag_prompt import TagPrompt
from tui.screens.timeline import top_candidates
from tui.widgets.article_list import ArticleList, RowMarks, group_by_day, make_search_rows
from tui.widgets.article_view import ArticleView, component_style
from tui.widgets.coverage import CoverageChart
from tui.widgets.info_panel import InfoPanel
from tui.widgets.legend import EntityLegend
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.app import NewsreaderApp

_ARTICLE_CACHE_SIZE = 64
THREADS_LIMIT = 20_000
"""Story threads are built in the app (reading every body) up to this many articles."""


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """One stacked filter; `ids` is set for filters computed from article bodies."""

    kind: str
    value: str
    ids: frozenset[str] | None = None

    @property
    def label(self) -> str:
        if self.kind in ("starred", "unread"):
            return self.kind
        return f"{self.kind}:{self.value}"


@dataclass(slots=True)
class SearchState:
    """The search whose results replace the sidebar."""

    query: str
    terms: tuple[str, ...]
    hits: list[SearchHit]


def _empty_annotations(article_id: str) -> Any:
    from store.model import ArticleAnnotations

    return ArticleAnnotations(article_id)


def _marks_of(annotations: Any) -> RowMarks:
    return RowMarks(
        tags=tuple(annotations.tags),
        note=bool(annotations.note) or any(s.note for s in annotations.spans),
        starred=bool(annotations.starred),
        read=bool(annotations.read),
    )


__all__ = ["ReaderScreen", "corrected_article"]


@dataclass(frozen=True, slots=True)
class UndoStep:
    """How to take back one annotation change: `change(store)` puts the span back."""

    article_id: str
    description: str
    change: Callable[[Any], object]


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

    class CorpusProgress(Message):
        """The loader has more articles (or is done)."""

        def __init__(
            self,
            source: CorpusSource,
            summaries: Sequence[ArticleSummary],
            done: int,
            total: int | None,
        ) -> None:
            super().__init__()
            self.source = source
            self.summaries = summaries
            self.done = done
            self.total = total

    class CorpusLoaded(Message):
        """Loading finished."""

        def __init__(self, report: LoadReport, summaries: Sequence[ArticleSummary]) -> None:
            super().__init__()
            self.report = report
            self.summaries = summaries

    class StoreOpened(Message):
        def __init__(self, store: Any, annotations: dict[str, Any]) -> None:
            super().__init__()
            self.store = store
            self.annotations = annotations

    class StoreOpenFailed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class AnnotationsChanged(Message):
        def __init__(self, article_id: str, annotations: Any) -> None:
            super().__init__()
            self.article_id = article_id
            self.annotations = annotations

    class StoreFailed(Message):
        def __init__(self, article_id: str, what: str, error: Exception) -> None:
            super().__init__()
            self.article_id = article_id
            self.what = what
            self.error = error

    class ArticleOpened(Message):
        def __init__(self, article: Article) -> None:
            super().__init__()
            self.article = article

    class RawLoaded(Message):
        def __init__(self, article_id: str, raw: str | None, error: str | None) -> None:
            super().__init__()
            self.article_id = article_id
            self.raw = raw
            self.error = error

    class SearchDone(Message):
        def __init__(self, state: SearchState | None, error: str | None = None) -> None:
            super().__init__()
            self.state = state
            self.error = error

    class FilterReady(Message):
        def __init__(self, active: ActiveFilter) -> None:
            super().__init__()
            self.active = active

    class ArticlesGathered(Message):
        """The listed articles, read in full for a corpus-wide view, with its aggregates.

        `aggregates` is what the view lists (entity or speaker statistics), computed in the
        worker so that a large corpus never aggregates on the UI thread.
        """

        def __init__(self, view: str, articles: list[Article], aggregates: list[Any]) -> None:
            super().__init__()
            self.view = view
            self.articles = articles
            self.aggregates = aggregates

    class ExportDone(Message):
        def __init__(self, path: Path, error: str | None) -> None:
            super().__init__()
            self.path = path
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.source: CorpusSource | None = None
        self.summaries: Sequence[ArticleSummary] = []
        self.listed: list[ArticleSummary] = []
        self.annotations: dict[str, Any] = {}
        self.marks: dict[str, RowMarks] = {}
        self.filters: list[ActiveFilter] = []
        self.search: SearchState | None = None
        self.newest_first = True
        self.enabled_labels: frozenset[str] = (frozenset(ENTITY_LABELS) - DEFAULT_HIDDEN_LABELS) | {
            SHOW_SPEAKERS
        }
        """The entity types highlighted, and `SHOW_SPEAKERS` when speakers are drawn."""
        self.article: Article | None = None
        self.raw_mode = False
        self.current_span: NavSpan | None = None
        self.loading_status: str | None = "loading…"
        self.read_only = False
        self.note_drafts: dict[str, str] = {}
        self._raw_text: dict[str, str] = {}
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._wanted_article: str | None = None
        self._writes = OrderedRunner()
        self._last_relist: tuple[float, float] = (0.0, 0.0)  # (when, how long it took)
        self.threads: Any = None
        """The story-thread index (`corpus.threads.ThreadIndex`) once built, for "related"."""
        self._known_ids: tuple[Sequence[ArticleSummary], set[str] | None] | None = None
        self._match_at: int | None = None
        """The body offset of the search match `n`/`N` went to last."""
        self._undo: list[UndoStep] = []
        self._writes_asked = 0
        self._writes_done = 0
        self._sourced: tuple[Sequence[ArticleSummary], list[ArticleSummary]] | None = None
        """Annotation changes of this session, last last, to take back with ctrl+z or `u`."""

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
    def store(self) -> Any:
        return self.nr_app.store

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

    NARROW_WIDTH: ClassVar[int] = 110
    """Below this many columns the sidebar makes way for the info panel, and the footer is
    compact."""

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
        self._show_status()
        self.open_store()
        self.load()

    def _theme_changed(self, _theme: object) -> None:
        self.redisplay(keep_scroll=True)

    # -- loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="store-open", exit_on_error=False)
    def open_store(self) -> None:
        try:
            store = self.nr_app.open_store()
            annotations = {a.article_id: a for a in _all_annotations(store)}
        except Exception as error:
            self.post_message(self.StoreOpenFailed(error))
            return
        self.post_message(self.StoreOpened(store, annotations))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()
        app = self.nr_app
        if app.preloaded_source is not None:
            source = app.preloaded_source
            self.post_message(self.CorpusLoaded(LoadReport(source), list(source.summaries())))
            return

        def progress(source: CorpusSource, done: int, total: int | None) -> None:
            # The index's summary list is lazy: materialise it here, off the UI thread.
            self.post_message(self.CorpusProgress(source, list(source.summaries()), done, total))

        try:
            report = load_corpus(
                app.paths,
                cache_path=app.cache_path,
                ner=app.ner,
                on_progress=progress,
                cancelled=lambda: worker.is_cancelled,
            )
        except Exception as error:
            self.post_message(self.CorpusLoaded(LoadReport(MemoryCorpus()), []))
            self.app.call_from_thread(
                self.notify, f"Could not load the corpus: {error}", severity="error", timeout=30
            )
            return
        self.post_message(self.CorpusLoaded(report, list(report.source.summaries())))

    @on(CorpusProgress)
    def _corpus_progress(self, event: CorpusProgress) -> None:
        self.source = event.source
        bar = self.query_one("#load-progress", ProgressBar)
        if event.total:
            bar.update(total=event.total, progress=event.done)
        # (`done`/`total` count steps, not files: the index reads, then analyses, each file)
        count = len(event.summaries)
        self.loading_status = f"loading · {plural(count, 'article')} so far" + (
            f" · {min(99, 100 * event.done // event.total)}%" if event.total else ""
        )
        # Regrouping a big corpus takes a while: while loading, do it at most a quarter of
        # the time, so keys stay responsive as articles arrive. The first rows (a warm
        # cache's whole list) are shown at once: the refresh after them can take seconds.
        now = time.monotonic()
        throttled = now - self._last_relist[0] < max(0.5, 4 * self._last_relist[1])
        if throttled and self.summaries:
            self._show_status()
            return
        self.summaries = event.summaries
        self.relist()

    @on(CorpusLoaded)
    def _corpus_loaded(self, event: CorpusLoaded) -> None:
        self.source = event.report.source
        self.summaries = event.summaries
        self.loading_status = None
        self.query_one("#load-progress", ProgressBar).display = False
        self.relist()
        for notice in event.report.cache_notices:
            self.notify(
                Text(notice).plain,
                title="Corpus index",
                severity="warning",
                markup=False,
                timeout=8,
            )
        skipped = event.report.skipped
        if skipped:
            first = skipped[0]
            more = f" and {len(skipped) - 1} more" if len(skipped) > 1 else ""
            self.notify(
                Text(f"Skipped {first.path}: {first.reason}{more}").plain,
                title="Some files were not read",
                severity="warning",
                markup=False,
                timeout=8,
            )
        if not self.summaries:
            self.query_one(ArticleList).empty_message = "No articles found in the given paths"
            self.query_one(ArticleList).refresh()
            if self.nr_app.preloaded_source is None and not event.report.cancelled:
                self._exit_without_articles(event.report)
        elif len(self.summaries) <= THREADS_LIMIT:
            self._build_threads(self.source, [s.id for s in self.summaries])

    def _exit_without_articles(self, report: LoadReport) -> None:
        """A corpus with no readable article: say so on the terminal and exit 1, as the
        command line does (the skipped files are listed, a few of them)."""
        from corpus.textsafe import visible_text

        shown = ", ".join(visible_name(str(p)) for p in self.nr_app.paths) or "the corpus"
        lines = [f"newsreader: no readable article in {shown}"]
        for skipped in report.skipped[:10]:
            lines.append(f"  skipped {visible_name(skipped.path)}: {visible_text(skipped.reason)}")
        if len(report.skipped) > 10:
            lines.append(f"  ... and {len(report.skipped) - 10} more files skipped")
        self.app.exit(return_code=1, message=Text("\n".join(lines)))

    @on(StoreOpened)
    def _store_opened(self, event: StoreOpened) -> None:
        self.nr_app.store = event.store
        self.read_only = bool(getattr(event.store, "read_only", False))
        self.annotations = dict(event.annotations)
        self.marks.clear()
        self.marks.update({k: _marks_of(v) for k, v in self.annotations.items()})
        self.relist()
        self.redisplay(keep_scroll=True)

    @on(StoreOpenFailed)
    def _store_open_failed(self, event: StoreOpenFailed) -> None:
        from corpus.textsafe import visible_text
        from store import CorruptStoreError, FutureSchemaError, default_db_path

        error = event.error
        path = self.nr_app.db_path or default_db_path()
        message = str(error) or type(error).__name__
        if str(path) not in message:  # every message names the file it is about
            message = f"annotation file {path}: {message}"
        # Read-only mode helps only with a file that is there but cannot be parsed (it shows
        # the last good state); offering it again after it failed would loop.
        can_read_only = isinstance(error, CorruptStoreError | FutureSchemaError) and not (
            self.nr_app.store_read_only
        )

        def chosen(choice: str | None) -> None:
            if choice == "read-only":
                self.nr_app.store_read_only = True
                self.open_store()
            else:  # printed on the terminal after exit: markup literal, escapes spelled out
                self.app.exit(return_code=1, message=Text(visible_text(message)))

        if can_read_only:
            advice = (
                "Open it read-only to read the corpus without saving changes, "
                "or quit and fix or move the file."
            )
            choices = [("read-only", "Open read-only"), ("quit", "Quit")]
        else:
            advice = "Quit, then fix or move the file, or choose another one with --db."
            choices = [("quit", "Quit")]
        self.app.push_screen(
            ErrorScreen("The annotation store cannot be opened", f"{message}\n\n{advice}", choices),
            chosen,
        )

    # -- listing -------------------------------------------------------------------------------

    def sourced_summaries(self) -> list[ArticleSummary]:
        """All summaries, an article's folder as its source where it names none (cached)."""
        cached = self._sourced
        if cached is None or cached[0] is not self.summaries:
            roots = corpus_roots(self.nr_app.paths)
            cached = (self.summaries, with_folder_sources(self.summaries, roots))
            self._sourced = cached
        return cached[1]

    def effective_summaries(self) -> list[ArticleSummary]:
        """All summaries, with the reader's dates in place of the stated ones and folders as
        sources where an article names none."""
        summaries = self.sourced_summaries()
        user_dates = {k: a.user_date for k, a in self.annotations.items() if a.user_date}
        if not user_dates:
            return list(summaries)
        return [
            dataclasses.replace(s, date=user_dates[s.id]) if s.id in user_dates else s
            for s in summaries
        ]

    def _passes(self, summary: ArticleSummary) -> bool:
        marks = self.marks.get(summary.id, RowMarks())
        for active in self.filters:
            if active.kind == "tag" and active.value.casefold() not in {
                t.casefold() for t in marks.tags
            }:
                return False
            if active.kind == "starred" and not marks.starred:
                return False
            if active.kind == "unread" and marks.read:
                return False
            if (
                active.kind == "source"
                and (summary.source or "").casefold() != active.value.casefold()
            ):
                return False
            if active.kind == "date":
                bounds = parse_date_range(active.value)
                if (
                    bounds is None
                    or not summary.date
                    or not (bounds[0] <= summary.date[:10] <= bounds[1])
                ):
                    return False
            if active.ids is not None and summary.id not in active.ids:
                return False
        return True

    def relist(self) -> None:
        """Rebuild the sidebar rows from the summaries, filters, order and search."""
        started = time.monotonic()
        try:
            self._relist()
        finally:
            self._last_relist = (time.monotonic(), time.monotonic() - started)

    def _relist(self) -> None:
        article_list = self.query_one(ArticleList)
        # Until the reader moves, the cursor stays on the first row while articles arrive.
        keep = article_list.cursor_article_id if article_list.moved_by_user else None
        summaries = self.effective_summaries()
        self.listed = [s for s in summaries if self._passes(s)] if self.filters else summaries
        sources = {s.source for s in summaries[:5000]}
        # (undated articles are grouped by source: their rows need not repeat it)
        article_list.show_source = len(sources) > 1 and any(s.date for s in summaries[:5000])
        if self.search is not None:
            allowed = {s.id for s in self.listed}
            by_id = {s.id: s for s in self.listed}
            match_style = component_style(article_list, "article-list--match")
            hits = [
                (
                    hit.article_id,
                    by_id[hit.article_id].title,
                    highlight_terms(*snippet_window(hit.snippet, hit.highlights), match_style),
                    by_id[hit.article_id].date,
                )
                for hit in self.search.hits
                if hit.article_id in allowed
            ]
            article_list.show_source = True  # (the date of each hit)
            article_list.empty_message = "No matches"
            article_list.set_rows(make_search_rows(hits), keep=keep)
        else:
            article_list.empty_message = "No articles" if not self.filters else "No articles match"
            article_list.set_rows(
                group_by_day(self.listed, newest_first=self.newest_first), keep=keep
            )
        self.query_one(CoverageChart).show_dates(s.date for s in self.listed)
        cursor = article_list.cursor_article_id
        if cursor is not None and (self.article is None or self.article.id != cursor):
            self.show_article(cursor)
        self._show_status()

    def _show_status(self) -> None:
        total = len(self.summaries)
        marks = self.marks
        cached = self._known_ids
        if cached is None or cached[0] is not self.summaries or (cached[1] is None and marks):
            cached = (self.summaries, {s.id for s in self.summaries} if marks else None)
            self._known_ids = cached
        ids = cached[1]

        def known(article_id: str) -> bool:  # annotations of articles not in this corpus
            return ids is None or article_id in ids

        tagged = sum(1 for k, m in marks.items() if m.tags and known(k))
        starred = sum(1 for k, m in marks.items() if m.starred and known(k))
        read = sum(1 for k, m in marks.items() if m.read and known(k))
        listed = self.query_one(ArticleList).article_count if self.search else len(self.listed)
        self.query_one(StatusBar).show(
            corpus=corpus_name(self.nr_app.paths)
            if not self.nr_app.corpus_label
            else self.nr_app.corpus_label,
            listed=listed,
            total=total,
            tagged=tagged,
            starred=starred,
            unread=max(0, total - read),
            filters=[f.label for f in self.filters],
            search=self.search.query if self.search else None,
            loading=self.loading_status,
            read_only=self.read_only,
        )

    # -- the open article ----------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        self.show_article(event.article_id)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.show_article(event.article_id)
        annotations = self.annotations_of(event.article_id)
        if not annotations.read:
            self._write(
                event.article_id, "mark as read", lambda s: s.set_read(event.article_id, True)
            )
        self.query_one(ArticleView).focus()

    def annotations_of(self, article_id: str) -> Any:
        found = self.annotations.get(article_id)
        return found if found is not None else _empty_annotations(article_id)

    def show_article(self, article_id: str) -> None:
        """Show an article now if it is cached or in memory, else fetch it in a worker."""
        self._wanted_article = article_id
        cached = self._articles.get(article_id)
        if cached is None and isinstance(self.source, MemoryCorpus):
            try:
                cached = self.source.article(article_id)
            except KeyError:
                return
        if cached is not None:
            self._remember(cached)
            self._display(cached)
        elif self.source is not None:
            self._fetch_article(self.source, article_id)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _fetch_article(self, source: CorpusSource, article_id: str) -> None:
        try:
            article = source.article(article_id)
        except Exception as error:
            self.app.call_from_thread(
                self.notify, f"Could not open the article: {error}", severity="error", markup=False
            )
            return
        self.post_message(self.ArticleOpened(article))

    @on(ArticleOpened)
    def _article_opened(self, event: ArticleOpened) -> None:
        self._remember(event.article)
        if event.article.id == self._wanted_article:
            self._display(event.article)

    def _remember(self, article: Article) -> None:
        self._articles[article.id] = article
        self._articles.move_to_end(article.id)
        while len(self._articles) > _ARTICLE_CACHE_SIZE:
            self._articles.popitem(last=False)

    def _display(self, article: Article) -> None:
        same = self.article is not None and self.article.id == article.id
        if not same:
            self.current_span = None
            self._match_at = None
        self.article = article
        if self.raw_mode and article.id not in self._raw_text:
            self._read_raw(article)  # the raw view stays on while moving between articles
        self.redisplay(keep_scroll=same)
        if self.query_one(InfoPanel).display:
            self._show_info()

    def _show_info(self) -> None:
        """Fill the info panel: entities, quotes, and the related versions of the story."""
        panel = self.query_one(InfoPanel)
        if self.article is None:
            panel.show_article(None)
            return
        related: list[tuple[str, str, float]] = []
        if self.threads is not None:
            try:
                found = self.threads.related(self.article.id, limit=10)
            except KeyError:  # an article that arrived after the threads were built
                found = []
            titles = {s.id: s.title for s in self.summaries} if found else {}
            related = [(i, titles.get(i, i), score) for i, score in found]
        panel.show_article(self.corrected(), related, self._span_annotations())

    def corrected(self) -> Article:
        assert self.article is not None
        return corrected_article(self.article, self._span_annotations())

    def _span_annotations(self) -> tuple[SpanAnnotation, ...]:
        """The open article's span annotations, one per range."""
        if self.article is None:
            return ()
        found = self.annotations.get(self.article.id)
        return found.distinct_spans if found is not None else ()

    def render_blocks(self) -> list[Block]:
        """The blocks of the open article as it should look now."""
        view = self.query_one(ArticleView)
        styles = view.span_styles()
        if self.article is None:
            return []
        article = self.corrected()
        annotations = self.annotations_of(article.id)
        if annotations.user_date:
            article = dataclasses.replace(article, date=annotations.user_date)
        if article.source is None:
            folder = folder_of(article.path, corpus_roots(self.nr_app.paths))
            if folder is not None:
                article = dataclasses.replace(article, source=folder)
        blocks = render_header(article, annotations.tags, styles, starred=annotations.starred)
        if annotations.note:
            note = Text("✎ ", style=styles["section"])
            note.append(annotations.note.strip().splitlines()[0][:200], style=styles["meta"])
            blocks.append(Block(note))
        if self.raw_mode:
            raw = self._raw_text.get(article.id)
            title = (
                "Raw file: removed segments marked" if raw is not None else "Reading the raw file…"
            )
            name = safe(Path(article.path).name)
            blocks.append(Block(Text(f"{title} — {name}", style=styles["section"])))
            if raw is not None:
                blocks.extend(render_raw(raw, article.removed, styles))
            return blocks
        spans = self._span_annotations()
        blocks.extend(
            render_body(
                article,
                styles,
                enabled_labels=self.enabled_labels,
                current=self.current_span,
                terms=self.search.terms if self.search else (),
                dismissed=dismissed_entities(self.article, spans),
                marks=marked_passages(self.article, spans),
                noted=[(s.start, s.end) for s in spans if s.note],
                show_speakers=SHOW_SPEAKERS in self.enabled_labels,
            )
        )
        return blocks

    def redisplay(self, *, keep_scroll: bool = True) -> None:
        if self.article is None:
            return
        self.query_one(ArticleView).show_blocks(self.render_blocks(), keep_scroll=keep_scroll)
        self._show_span_bar()

    def span_description(self, span: NavSpan) -> Text:
        """One line about a span: what it is, what the reader said about it, their note."""
        line = Text()
        found = self._found_entity(span.start, span.end)
        shown = " ".join(safe(span.text).split())
        shown = shown if len(shown) <= 50 else shown[:49] + "…"
        if span.kind == "dismissed":
            line.append("not an entity", style="bold")
            line.append(f" (found as {span.label}) ")
        elif span.kind == "mark":
            line.append(safe(span.label) or "note", style="bold")
            line.append(" ")
        elif span.kind in ("quote", "scare"):
            line.append("quote" if span.kind == "quote" else "scare quote", style="bold")
            if span.speaker:
                line.append(f" — {safe(span.speaker)}")
            line.append(" ")
            shown = ""
        else:
            line.append(span.label, style="bold")
            if found is None:
                line.append(" (added by you)")
            elif found.label != span.label:
                line.append(f" (found as {found.label})")
            line.append(" ")
        if shown:
            line.append(f"“{shown}”", style="italic")
        if found is not None and span.kind == "entity" and found.canonical not in ("", found.text):
            line.append(f" = {safe(found.canonical)}", style="dim")
        if span.note:
            line.append("  ✎ ")
            line.append(" ".join(safe(span.note).split()))
        line.append("   a annotate · v select · A list", style="dim")
        return line

    def _show_span_bar(self) -> None:
        """The line under the article about the highlighted span (none while selecting)."""
        bar = self.query_one("#span-bar", Static)
        span = self.current_span
        if span is None or span.kind == "selection" or self.raw_mode:
            bar.display = False
            return
        bar.update(self.span_description(span))
        bar.display = True

    # -- store writes --------------------------------------------------------------------------

    @property
    def writes_pending(self) -> int:
        """Store writes asked for whose result has not been taken in yet (`q` waits for them)."""
        return self._writes_asked - self._writes_done

    def _write(self, article_id: str, what: str, change: Callable[[Any], object]) -> None:
        """Apply `change(store)` in a worker, in order with earlier writes."""
        if self.store is None:
            self.notify("The annotation store is not open yet", severity="warning")
            return
        self._writes_asked += 1
        self._store_write(self._writes.ticket(), article_id, what, change)

    @work(thread=True, group="store", exit_on_error=False)
    def _store_write(
        self, ticket: int, article_id: str, what: str, change: Callable[[Any], object]
    ) -> None:
        store = self.store

        def job() -> Any:
            change(store)
            return store.get(article_id)

        try:
            annotations = self._writes.run(ticket, job)
        except Exception as error:
            self.post_message(self.StoreFailed(article_id, what, error))
            return
        self.post_message(self.AnnotationsChanged(article_id, annotations))

    @on(AnnotationsChanged)
    def _annotations_changed(self, event: AnnotationsChanged) -> None:
        self._writes_done += 1
        self.nr_app.note_saved(event.article_id, event.annotations)
        old = self.annotations.get(event.article_id)
        date_changed = getattr(old, "user_date", None) != event.annotations.user_date
        self.annotations[event.article_id] = event.annotations
        self.marks[event.article_id] = _marks_of(event.annotations)
        if self.filters or date_changed:
            self.relist()
        else:
            self.query_one(ArticleList).refresh_article(event.article_id)
            self._show_status()
        if self.article is not None and self.article.id == event.article_id:
            current = self.current_span
            if current is not None:  # the same range, as it is now (relabelled, dismissed ...)
                self.current_span = next(
                    (s for s in self._spans() if (s.start, s.end) == (current.start, current.end)),
                    current,
                )
            self.redisplay(keep_scroll=True)
            if self.query_one(InfoPanel).display:
                self._show_info()
            for screen in self.app.screen_stack:
                if isinstance(screen, AnnotationsScreen) and screen.article_id == event.article_id:
                    screen.show(self._span_annotations())

    @on(StoreFailed)
    def _store_failed(self, event: StoreFailed) -> None:
        self._writes_done += 1
        self.notify(
            f"Could not {event.what}: {event.error}",
            title="Not saved",
            severity="error",
            markup=False,
            timeout=10,
        )

    # -- actions: reading ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n`/`N` step between search matches while there is a search; else `n` is the note."""
        if action == "next_match":
            return self.search is not None and bool(self.search.terms)
        return True

    def action_page_down(self) -> None:
        """Page down; at the end of the article, go on to the next one (as newsboat does)."""
        view = self.query_one(ArticleView)
        if view.scroll_y >= view.max_scroll_y and self.article is not None:
            self._open_next(1, unread_only=False, at_end=True)
            return
        view.page_forward()

    def action_next_unread(self, step: int) -> None:
        self._open_next(step, unread_only=True)

    def _open_next(self, step: int, *, unread_only: bool, at_end: bool = False) -> None:
        """Open the next (previous) listed article, or the next unread one; it is read now."""
        article_list = self.query_one(ArticleList)
        ids = [r.article_id for r in article_list.rows if r.kind == "article" and r.article_id]
        current = article_list.cursor_article_id
        start = ids.index(current) if current in ids else -1
        order = ids[start + 1 :] if step > 0 else list(reversed(ids[: max(0, start)]))
        if unread_only:
            order = [i for i in order if not self.marks.get(i, RowMarks()).read]
        if not order:
            what = "unread article" if unread_only else "article"
            where = "after this one" if step > 0 else "before this one"
            self.notify(f"No {what} {where}", timeout=2)
            return
        target = order[0]
        article_list.select_article(target)
        self.show_article(target)
        if not self.annotations_of(target).read:
            self._write(target, "mark as read", lambda s: s.set_read(target, True))
        if at_end:
            self.notify("Next article", timeout=1)

    def action_next_match(self, step: int) -> None:
        """The next (previous) place in the article where a search word occurs; past the last,
        the next search result."""
        if self.search is None or self.article is None or not self.search.terms:
            return
        body = self.article.body.casefold()
        places = sorted(
            {m.start() for term in self.search.terms if term for m in _occurrences(body, term)}
        )
        view = self.query_one(ArticleView)
        here = self._match_at if self._match_at is not None else -1
        if step > 0:
            found = next((p for p in places if p > here), None)
        else:
            found = next((p for p in reversed(places) if p < here), None) if here >= 0 else None
        if found is None:
            article_list = self.query_one(ArticleList)
            if step > 0:
                article_list.action_cursor_down()
            else:
                article_list.action_cursor_up()
            self._match_at = None
            return
        self._match_at = found
        view.scroll_to_body_offset(found)
        shown = places.index(found) + 1
        self.notify(f"match {shown} of {len(places)}", timeout=1)

    def action_mark_all_read(self) -> None:
        """Mark every listed article read (after a yes), in one write."""
        ids = [s.id for s in self.listed if not self.marks.get(s.id, RowMarks()).read]
        if not ids:
            self.notify("Every listed article is read already", timeout=3)
            return
        question = f"Mark {plural(len(ids), 'listed article')} read?"

        def chosen(yes: bool | None) -> None:
            if yes:
                self._write_many(ids, f"mark {len(ids)} articles read")

        detail = "Only the articles listed now (filters and search apply); u marks one unread."
        self.app.push_screen(Confirm(question, detail, "Mark read"), chosen)

    def _write_many(self, ids: list[str], what: str) -> None:
        if self.store is None:
            self.notify("The annotation store is not open yet", severity="warning")
            return
        self._writes_asked += 1
        self._store_write_many(self._writes.ticket(), ids, what)

    @work(thread=True, group="store", exit_on_error=False)
    def _store_write_many(self, ticket: int, ids: list[str], what: str) -> None:
        store = self.store

        def job() -> dict[str, Any]:
            store.set_read_many(ids, True)
            return {i: store.get(i) for i in ids}

        try:
            changed = self._writes.run(ticket, job)
        except Exception as error:
            self.post_message(self.StoreFailed(ids[0], what, error))
            return
        self.post_message(self.ManyChanged(changed))

    class ManyChanged(Message):
        """Many articles' annotations changed in one write."""

        def __init__(self, annotations: dict[str, Any]) -> None:
            super().__init__()
            self.annotations = annotations

    @on(ManyChanged)
    def _many_changed(self, event: ManyChanged) -> None:
        self._writes_done += 1
        self.annotations.update(event.annotations)
        self.marks.update({k: _marks_of(v) for k, v in event.annotations.items()})
        if self.filters:
            self.relist()
        else:
            self.query_one(ArticleList).refresh()
        self._show_status()
        self.notify(f"{plural(len(event.annotations), 'article')} marked read", timeout=3)

    def action_remove_filter(self) -> None:
        """Remove one of the active filters (`f` → Clear all removes them all)."""
        if not self.filters:
            self.notify("No filter to remove", timeout=2)
            return
        if len(self.filters) == 1:
            self._drop_filter(self.filters[0])
            return
        labels = [f.label for f in self.filters]

        def chosen(label: str | None) -> None:
            found = next((f for f in self.filters if f.label == label), None)
            if found is not None:
                self._drop_filter(found)

        self.app.push_screen(PickOne("Remove which filter?", labels), chosen)

    def _drop_filter(self, active: ActiveFilter) -> None:
        self.filters.remove(active)
        self.relist()
        self.notify(f"Filter {active.label} removed", timeout=2)

    def action_saved_filters(self) -> None:
        """Apply one of the config's saved filters ([filters]), in place of the active ones."""
        saved = self.nr_app.config.saved_filters
        if not saved:
            current = " ".join(shlex.quote(f.label) for f in self.filters) or "tag:x unread"
            self.notify(
                f"No saved filters yet. Add them to {self.nr_app.config.path} as\n"
                f'[filters]\nmy-filter = "{current}"',
                timeout=10,
            )
            return
        names = list(saved)
        shown = [f"{name}  ({saved[name]})" for name in names]

        def chosen(picked: str | None) -> None:
            if picked is None:
                return
            name = names[shown.index(picked)]
            self.apply_filter_line(saved[name])

        self.app.push_screen(
            PickOne("Saved filters", shown, hint="enter applies (in place of the active ones)"),
            chosen,
        )

    def apply_filter_line(self, line: str) -> None:
        """Set the filters to those of a saved line ("tag:important unread source:sport")."""
        from tui.config import parse_filter_line

        self.filters.clear()
        computed: list[FilterChoice] = []
        for kind, value in parse_filter_line(line):
            if kind in ("entity", "speaker"):
                computed.append(FilterChoice(kind, value))
            else:
                self.filters.append(ActiveFilter(kind, value))
        self.relist()
        if computed and self.source is not None:
            self._compute_filter(self.source, list(self.summaries), *computed)

    def action_page_up(self) -> None:
        self.query_one(ArticleView).page_back()

    def _spans(self) -> list[NavSpan]:
        if self.article is None:
            return []
        spans = self._span_annotations()
        return navigable_spans(
            self.corrected(),
            self.enabled_labels,
            dismissed=dismissed_entities(self.article, spans),
            marks=marked_passages(self.article, spans),
            notes={(s.start, s.end): s.note for s in spans if s.note},
        )

    def _go_to_span(self, span: NavSpan | None) -> None:
        if span is None:
            return
        self.current_span = span
        self.redisplay(keep_scroll=True)
        view = self.query_one(ArticleView)
        view.scroll_to_body_offset(span.start)
        # (again once the span bar under the article has taken its line)
        self.call_after_refresh(view.scroll_to_body_offset, span.start, only_if_hidden=True)

    def action_next_span(self) -> None:
        spans = self._spans()
        after = self.current_span.start if self.current_span else -1
        self._go_to_span(next((s for s in spans if s.start > after), spans[0] if spans else None))

    def action_previous_span(self) -> None:
        spans = self._spans()
        before = self.current_span.start if self.current_span else 1 << 60
        earlier = [s for s in spans if s.start < before]
        self._go_to_span(earlier[-1] if earlier else (spans[-1] if spans else None))

    @on(InfoPanel.SpanChosen)
    def _span_chosen(self, event: InfoPanel.SpanChosen) -> None:
        spans = self._spans()
        span = next((s for s in spans if s.start == event.start), None)
        if span is None and self.article is not None:
            self.query_one(ArticleView).scroll_to_body_offset(event.start)
            return
        self._go_to_span(span)

    def action_toggle_info(self) -> None:
        panel = self.query_one(InfoPanel)
        panel.display = not panel.display
        if panel.display:
            self._show_info()
            panel.query_one("#info-options").focus()
        elif panel.has_focus_within:
            self.query_one(ArticleList).focus()
        self._fit_panes()
        self.query_one(ArticleView).on_resize()

    def action_toggle_raw(self) -> None:
        if self.article is None:
            return
        self.raw_mode = not self.raw_mode
        if self.raw_mode and self.article.id not in self._raw_text:
            self._read_raw(self.article)
        self.redisplay(keep_scroll=False)

    @work(thread=True, exclusive=True, group="raw", exit_on_error=False)
    def _read_raw(self, article: Article) -> None:
        from corpus.reader import read_text

        try:
            raw = read_text(Path(article.path))
        except Exception as error:
            self.post_message(self.RawLoaded(article.id, None, str(error)))
            return
        self.post_message(self.RawLoaded(article.id, raw, None))

    @on(RawLoaded)
    def _raw_loaded(self, event: RawLoaded) -> None:
        if event.error is not None:
            self.notify(
                f"Could not read the raw file: {event.error}", severity="error", markup=False
            )
            self.raw_mode = False
        else:
            assert event.raw is not None
            self._raw_text[event.article_id] = event.raw
        if self.article is not None and self.article.id == event.article_id:
            self.redisplay(keep_scroll=False)

    def action_flip_order(self) -> None:
        self.newest_first = not self.newest_first
        self.relist()
        self.notify("Newest first" if self.newest_first else "Oldest first", timeout=2)

    def toggle_label(self, label: str) -> None:
        enabled = set(self.enabled_labels)
        enabled.symmetric_difference_update({label})
        self._set_labels(frozenset(enabled))

    def _set_labels(self, labels: frozenset[str]) -> None:
        self.enabled_labels = labels
        self.query_one(EntityLegend).show_enabled(labels)
        if self.current_span and self.current_span.kind == "entity":
            self.current_span = None
        self.redisplay(keep_scroll=True)

    @on(EntityLegend.Toggled)
    def _legend_toggled(self, event: EntityLegend.Toggled) -> None:
        self.toggle_label(event.label)

    def action_highlights(self) -> None:
        def chosen(labels: frozenset[str] | None) -> None:
            if labels is not None:
                self._set_labels(labels)

        self.app.push_screen(HighlightsScreen(self.enabled_labels), chosen)

    def action_back(self) -> None:
        if self.current_span is not None:
            self.current_span = None
            self.redisplay(keep_scroll=True)
        elif self.search is not None:
            self.search = None
            self.relist()
            self.refresh_bindings()
        elif not self.query_one(ArticleList).has_focus:
            self.query_one(ArticleList).focus()

    # -- actions: annotating -------------------------------------------------------------------

    def _open_id(self) -> str | None:
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

    def _summary(self, article_id: str) -> ArticleSummary | None:
        """The listed summary of an article (the reader's date applied)."""
        return next((s for s in self.listed if s.id == article_id), None)

    def tag_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for marks in self.marks.values():
            counts.update(marks.tags)
        return counts

    def action_tag(self) -> None:
        article_id = self._open_id()
        if article_id is None:
            return

        def chosen(tags: list[str] | None) -> None:
            if tags:
                self._write(article_id, "add tags", lambda s: s.add_tags(article_id, tags))

        current = tuple(self.annotations_of(article_id).tags)
        self.app.push_screen(TagPrompt(self.tag_counts(), current), chosen)

    def action_untag(self) -> None:
        article_id = self._open_id()
        if article_id is None:
            return
        tags = list(self.annotations_of(article_id).tags)
        if not tags:
            self.notify("This article has no tags", timeout=3)
            return

        def chosen(tag: str | None) -> None:
            if tag:
                self._write(
                    article_id, "remove the tag", lambda s: s.remove_tags(article_id, [tag])
                )

        self.app.push_screen(PickOne("Remove which tag?", tags), chosen)  # PickOne shows safe()

    def action_quick_tag(self, slot: int) -> None:
        article_id = self._open_id()
        if article_id is None:
            return
        tag = self.nr_app.config.quick_tags.get(slot)
        if not tag:
            self.notify(
                f'No quick tag in slot {slot}: set [quick_tags] {slot} = "tag" in '
                f"{self.nr_app.config.path}",
                markup=False,
                timeout=5,
            )
            return
        if tag in self.annotations_of(article_id).tags:
            self._write(article_id, "remove the tag", lambda s: s.remove_tags(article_id, [tag]))
        else:
            self._write(article_id, "add the tag", lambda s: s.add_tags(article_id, [tag]))

    def action_note(self) -> None:
        article_id = self._open_id()
        if article_id is None:
            return
        saved = self.annotations_of(article_id).note
        draft = self.note_drafts.get(article_id, saved)
        summary = self._summary(article_id)
        title = "Note: " + safe(summary.title if summary else article_id)

        def closed(text: str | None) -> None:
            if text is None:
                if draft == saved or editor.discarded:
                    self.note_drafts.pop(article_id, None)
                if editor.discarded:
                    self.notify("Note changes discarded", timeout=3)
                return
            self.note_drafts[article_id] = text

            def change(store: Any) -> None:
                store.set_note(article_id, text)
                self.note_drafts.pop(article_id, None)

            self._write(article_id, "save the note (your text is kept: press n again)", change)

        editor = NoteEditor(title, draft, original=saved, article_id=article_id)
        self.app.push_screen(editor, closed)

    def action_star(self) -> None:
        article_id = self._open_id()
        if article_id is not None:
            starred = not self.annotations_of(article_id).starred
            self._write(article_id, "star", lambda s: s.set_starred(article_id, starred))

    def action_toggle_read(self) -> None:
        article_id = self._open_id()
        if article_id is not None:
            read = not self.annotations_of(article_id).read
            self._write(article_id, "mark as read", lambda s: s.set_read(article_id, read))

    def action_set_date(self) -> None:
        article_id = self._open_id()
        if article_id is None:
            return
        summary = next((s for s in self.summaries if s.id == article_id), None)

        def chosen(value: str | None) -> None:
            if value is None:
                return
            date = value or None
            self._write(article_id, "set the date", lambda s: s.set_user_date(article_id, date))

        current = self.annotations_of(article_id).user_date
        self.app.push_screen(DatePrompt(current, summary.date if summary else None), chosen)

    def _annotatable(self) -> Article | None:
        """The open article when it is on display (annotations need its body), else None."""
        article_id = self._open_id()
        if article_id is None:
            return None
        if self.article is None or self.article.id != article_id:
            self.notify("The article is still opening; try again", timeout=3)
            return None
        if self.raw_mode:
            self.notify("The raw file cannot be annotated: r shows the article", timeout=3)
            return None
        return self.article

    def _found_entity(self, start: int, end: int) -> Any:
        """The entity the analysis found at exactly this range (before corrections)."""
        if self.article is None:
            return None
        return next((e for e in self.article.entities if (e.start, e.end) == (start, end)), None)

    def _found_quote(self, start: int, end: int) -> Any:
        if self.article is None:
            return None
        return next((q for q in self.article.quotes if (q.start, q.end) == (start, end)), None)

    def action_annotate(self) -> None:
        article = self._annotatable()
        if article is None:
            return
        span = self.current_span
        if span is None:
            spans = self._spans()
            if not spans:
                self.notify("Nothing highlighted to annotate: v selects any text", timeout=3)
                return
            span = spans[0]
            self._go_to_span(span)
        self._open_annotate(span)

    def _open_annotate(self, span: NavSpan) -> None:
        """The annotate dialog for `span`; what it returns is saved on that range."""
        article = self.article
        if article is None:
            return
        existing = self.annotations_of(article.id).span_at(span.start, span.end)
        found = self._found_entity(span.start, span.end)

        def chosen(edit: SpanEdit | None) -> None:
            if edit is not None:
                self._save_span(article, span.start, span.end, edit.label, edit.note)

        self.app.push_screen(
            AnnotateSpan(
                span,
                label=existing.label if existing else "",
                note=existing.note if existing else "",
                labels=self.nr_app.config.labels,
                found=found.label if found is not None else None,
            ),
            chosen,
        )

    def _save_span(self, article: Article, start: int, end: int, label: str, note: str) -> None:
        """Store `label` and `note` on `body[start:end]` (one annotation per range), or
        remove the range's annotation when both are empty; the change can be undone."""
        from store.model import body_fingerprint

        article_id = article.id
        text = article.body[start:end]
        before = self.annotations_of(article_id).span_at(start, end)
        quote = self._found_quote(start, end) is not None
        if label == NOT_AN_ENTITY and self._found_entity(start, end) is None:
            self.notify("No entity was found there: nothing to dismiss", timeout=3)
            return
        if not label and not note:
            if before is None:
                return
            self._write(article_id, "remove the annotation", _remove_at(article_id, start, end))
            self._remember_undo(
                article_id, f"removing {describe_label(before)}", start, end, before
            )
            return
        kind = label_kind(label, quote=quote)
        fingerprint = body_fingerprint(article.body)

        def change(store: Any) -> None:
            store.add_span(
                article_id,
                start,
                end,
                text,
                kind=kind,
                label=label,
                note=note,
                body_fingerprint=fingerprint,
            )

        self._write(article_id, "save the annotation", change)
        shown = describe_label(SpanAnnotation("", start, end, text, kind, label, note))
        self._remember_undo(article_id, f"{shown} on “{text[:30]}”", start, end, before)

    def _remember_undo(
        self, article_id: str, what: str, start: int, end: int, before: SpanAnnotation | None
    ) -> None:
        if before is not None:
            change = _restore(article_id, before)
        else:
            change = _remove_at(article_id, start, end)
        self._undo.append(UndoStep(article_id, what, change))
        del self._undo[:-100]

    def action_undo(self) -> None:
        """Take back the last annotation change of this session."""
        if not self._undo:
            self.notify("No annotation change to undo", timeout=3)
            return
        step = self._undo.pop()
        self._write(step.article_id, "undo the annotation change", step.change)
        self.notify(f"Undone: {step.description}", timeout=3)

    def delete_span(self, span: SpanAnnotation) -> None:
        """Remove the annotation of `span`'s range (undoable)."""
        if self.article is None:
            return
        self._save_span(self.article, span.start, span.end, "", "")

    def edit_span(self, span: SpanAnnotation) -> None:
        """The annotate dialog for an annotation from the list (`A`)."""
        for candidate in self._spans():
            if (candidate.start, candidate.end) == (span.start, span.end):
                self._open_annotate(candidate)
                return
        kind = "quote" if span.label.startswith("speaker:") else "selection"
        self._open_annotate(
            NavSpan(span.start, span.end, kind, span.label, span.text, note=span.note)
        )

    def action_annotations(self) -> None:
        article = self._annotatable()
        if article is None:
            return

        def chosen(start: int | None) -> None:
            if start is None:
                return
            span = next((s for s in self._spans() if s.start == start), None)
            if span is not None:
                self._go_to_span(span)
            else:
                self.query_one(ArticleView).scroll_to_body_offset(start)

        self.app.push_screen(
            AnnotationsScreen(
                article.id,
                article.title,
                self._span_annotations(),
                edit=self.edit_span,
                delete=self.delete_span,
                undo=self.action_undo,
            ),
            chosen,
        )

    def action_select(self) -> None:
        """Start selecting text: at the highlighted span, else at the top of the view."""
        from tui.selection import body_text, start_selection

        article = self._annotatable()
        if article is None:
            return
        text = body_text(article.body)
        view = self.query_one(ArticleView)
        if self.current_span is not None:
            selection = start_selection(text, self.current_span.start, self.current_span.end)
        else:
            selection = start_selection(text, view.first_body_offset_in_view() or 0)
        if selection is None:
            self.notify("This article has no text to select", timeout=3)
            return
        before = self.current_span

        def show(start: int, end: int) -> None:
            self.current_span = NavSpan(start, end, "selection", "", article.body[start:end])
            self.redisplay(keep_scroll=True)
            view.scroll_to_body_offset(start, only_if_hidden=True)

        def span_step(offset: int, step: int) -> tuple[int, int] | None:
            spans = self._spans()
            if step > 0:
                found = next((s for s in spans if s.start > offset), None)
            else:
                found = next((s for s in reversed(spans) if s.start < offset), None)
            return (found.start, found.end) if found else None

        def done(result: SelectionDone | None) -> None:
            if result is None:
                self.current_span = before
                self.redisplay(keep_scroll=True)
                return
            chosen = article.body[result.start : result.end]
            target = NavSpan(result.start, result.end, "selection", "", chosen)
            self.current_span = target
            if result.label is None:
                self._open_annotate(target)
                return
            label = result.label
            if label == NOT_AN_ENTITY:
                entity = self._found_entity(result.start, result.end) or self._entity_within(
                    result.start, result.end
                )
                if entity is None:
                    self.notify("No entity was found there: nothing to dismiss", timeout=3)
                    return
                self._save_span(
                    article,
                    entity.start,
                    entity.end,
                    NOT_AN_ENTITY,
                    self._note_at(entity.start, entity.end),
                )
                return
            found = self._found_entity(result.start, result.end)
            if found is not None and found.label == label:
                label = ""  # the entity as found: no correction (a dismissal is taken back)
            self._save_span(
                article, result.start, result.end, label, self._note_at(result.start, result.end)
            )

        self.app.push_screen(
            SelectScreen(
                text,
                selection,
                labels=self.nr_app.config.labels,
                show=show,
                line_step=view.body_offset_on_line,
                span_step=span_step,
            ),
            done,
        )

    def _note_at(self, start: int, end: int) -> str:
        if self.article is None:
            return ""
        existing = self.annotations_of(self.article.id).span_at(start, end)
        return existing.note if existing else ""

    def _entity_within(self, start: int, end: int) -> Any:
        """The one found entity that overlaps `start..end`, if exactly one does."""
        if self.article is None:
            return None
        found = [e for e in self.article.entities if e.start < end and e.end > start]
        return found[0] if len(found) == 1 else None

    # -- search, filter, export ----------------------------------------------------------------

    def action_search(self) -> None:
        def chosen(query: str | None) -> None:
            if query and self.source is not None:
                self.notify(Text("Searching for ").plain + query, timeout=2, markup=False)
                self._run_search(self.source, query, dict(self.annotations))

        self.app.push_screen(SearchPrompt(self.search.query if self.search else ""), chosen)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(self, source: CorpusSource, query: str, annotations: dict[str, Any]) -> None:
        import re

        try:
            set_annotations = getattr(source, "set_annotations", None)
            if set_annotations is not None:  # tag: filters and notes are searched in the index
                set_annotations(annotations)
            hits = source.search(query, limit=500)
        except Exception as error:
            self.post_message(self.SearchDone(None, str(error)))
            return
        words = [
            w.casefold()
            for w in re.findall(r"\w+", re.sub(r"\b\w+:\S+", " ", query))
            if w not in ("AND", "OR", "NOT", "NEAR")
        ]
        self.post_message(self.SearchDone(SearchState(query, tuple(words), hits)))

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        if event.state is None:
            self.notify(f"Search failed: {event.error}", severity="error", markup=False)
            return
        self.search = event.state
        self._match_at = None
        self.relist()
        self.refresh_bindings()  # n/N step between matches now
        count = len(event.state.hits)
        self.notify(
            f"{count} match{'es' if count != 1 else ''} · esc returns to the list", timeout=3
        )
        article_list = self.query_one(ArticleList)
        article_list.focus()
        if article_list.cursor_article_id:
            self.show_article(article_list.cursor_article_id)

    def filter_suggestions(self) -> dict[str, list[str]]:
        sources = sorted({s.source for s in self.sourced_summaries()[:20000] if s.source})
        entities: list[str] = []
        speakers: list[str] = []
        if self.article is not None:
            entities = sorted({e.canonical or e.text for e in self.article.entities})
            speakers = sorted({q.speaker for q in self.article.quotes if q.speaker})
        return {
            "tag": [t for t, _ in self.tag_counts().most_common()],
            "source": sources,
            "entity": entities,
            "speaker": speakers,
        }

    def action_filter(self) -> None:
        def chosen(choice: FilterChoice | None) -> None:
            if choice is None:
                return
            if choice.kind == "clear":
                self.filters.clear()
                self.relist()
            elif choice.kind in ("entity", "speaker"):
                if self.source is not None:
                    self._compute_filter(self.source, list(self.summaries), choice)
            else:
                self._add_filter(ActiveFilter(choice.kind, choice.value))

        self.app.push_screen(
            FilterScreen(self.filter_suggestions(), [f.label for f in self.filters]), chosen
        )

    def _add_filter(self, active: ActiveFilter) -> None:
        if active not in self.filters:
            self.filters.append(active)
        self.relist()

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _compute_filter(
        self, source: CorpusSource, summaries: list[ArticleSummary], *choices: FilterChoice
    ) -> None:
        """The articles that mention an entity (or quote a speaker), one filter per choice."""
        worker = get_current_worker()
        for choice in choices:
            ids = ids_mentioning(
                source, summaries, choice.kind, choice.value, lambda: worker.is_cancelled
            )
            if worker.is_cancelled:
                return
            self.post_message(self.FilterReady(ActiveFilter(choice.kind, choice.value, ids)))

    @on(FilterReady)
    def _filter_ready(self, event: FilterReady) -> None:
        self._add_filter(event.active)

    def action_export(self) -> None:
        formats = self.nr_app.export_formats()
        if not formats:
            self.notify("Export is not available in this build", severity="error")
            return

        def run(choice: ExportChoice) -> None:
            if self.store is None:
                self.post_message(self.ExportDone(choice.path, "the store is not open yet"))
                return
            self._run_export(choice)

        self.app.push_screen(ExportScreen(formats, Path.cwd(), run))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _run_export(self, choice: ExportChoice) -> None:
        try:
            self.nr_app.export(choice.format, choice.path, self.source)
        except Exception as error:
            self.post_message(self.ExportDone(choice.path, str(error) or type(error).__name__))
            return
        self.post_message(self.ExportDone(choice.path, None))

    # -- story threads: related versions, the thread marker, `d` to compare ---------------------

    class ThreadsReady(Message):
        def __init__(self, threads: Any, threaded: frozenset[str]) -> None:
            super().__init__()
            self.threads = threads
            self.threaded = threaded

    class DiffReady(Message):
        def __init__(self, new: Article, old: Article, similarity: float | None) -> None:
            super().__init__()
            self.new = new
            self.old = old
            self.similarity = similarity

    @work(thread=True, exclusive=True, group="threads", exit_on_error=False)
    def _build_threads(self, source: CorpusSource, ids: list[str]) -> None:
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
        self.post_message(self.ThreadsReady(index, threaded))

    @on(ThreadsReady)
    def _threads_ready(self, event: ThreadsReady) -> None:
        self.threads = event.threads
        article_list = self.query_one(ArticleList)
        article_list.threaded = event.threaded
        article_list.refresh()
        if self.query_one(InfoPanel).display:
            self._show_info()

    @on(InfoPanel.RelatedChosen)
    def _related_chosen(self, event: InfoPanel.RelatedChosen) -> None:
        if not event.diff:
            self._corpus_view_chosen(("open-article", event.article_id))
        elif self.article is not None and self.source is not None:
            similarity = None
            if self.threads is not None:
                similarity = self.threads.similarity(self.article.id, event.article_id)
            self._fetch_for_diff(self.source, self.article, event.article_id, similarity)

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def _fetch_for_diff(
        self, source: CorpusSource, new: Article, old_id: str, similarity: float | None
    ) -> None:
        try:
            old = source.article(old_id)
        except KeyError:
            return
        self.post_message(self.DiffReady(new, old, similarity))

    @on(DiffReady)
    def _diff_ready(self, event: DiffReady) -> None:
        from tui.screens.diff import DiffScreen

        self.app.push_screen(
            DiffScreen(event.new, event.old, similarity=event.similarity),
            self._corpus_view_chosen,
        )

    # -- corpus-wide views (people, speakers, timeline) ---------------------------------------

    def action_corpus_view(self, view: str) -> None:
        if self.source is None or not self.listed:
            self.notify("No articles to look at yet", timeout=3)
            return
        self.notify(f"Reading {plural(len(self.listed), 'article')}…", timeout=2)
        user_dates = {k: a.user_date for k, a in self.annotations.items() if a.user_date}
        self._gather_articles(self.source, [s.id for s in self.listed], view, user_dates)

    @work(thread=True, exclusive=True, group="gather", exit_on_error=False)
    def _gather_articles(
        self, source: CorpusSource, ids: list[str], view: str, user_dates: dict[str, str]
    ) -> None:
        """Read the listed articles, with the dates the reader set (`D`) in place of theirs."""
        worker = get_current_worker()
        articles: list[Article] = []
        for article_id in ids:
            if worker.is_cancelled:
                return
            try:
                article = source.article(article_id)
            except KeyError:
                continue
            date = user_dates.get(article_id)
            articles.append(dataclasses.replace(article, date=date) if date else article)
        aggregates: list[Any]
        if view == "speakers":
            aggregates = aggregate_speakers(articles)
        else:
            entities = aggregate_entities(articles)
            aggregates = entities if view == "people" else top_candidates(entities)
        if not worker.is_cancelled:
            self.post_message(self.ArticlesGathered(view, articles, aggregates))

    @on(ArticlesGathered)
    def _articles_gathered(self, event: ArticlesGathered) -> None:
        from tui.screens.people import PeopleScreen
        from tui.screens.speakers import SpeakersScreen
        from tui.screens.timeline import TimelineScreen

        screen: Any
        if event.view == "people":
            screen = PeopleScreen(event.articles, entities=event.aggregates)
        elif event.view == "speakers":
            screen = SpeakersScreen(event.articles, speakers=event.aggregates)
        else:
            screen = TimelineScreen(event.articles, candidates=event.aggregates)
        self.app.push_screen(screen, self._corpus_view_chosen)

    def _corpus_view_chosen(self, choice: tuple[str, Any] | None) -> None:
        """Act on what a corpus-wide view asked for: a filter, or an article to open."""
        if not choice:
            return
        what, value = choice
        if what == "filter-entity" and self.source is not None:
            self._compute_filter(self.source, list(self.summaries), FilterChoice("entity", value))
        elif what == "filter-speaker" and self.source is not None:
            self._compute_filter(self.source, list(self.summaries), FilterChoice("speaker", value))
        elif what == "filter-dates":
            first, last = value
            self._add_filter(ActiveFilter("date", f"{first}..{last}"))
        elif what == "open-article":
            article_list = self.query_one(ArticleList)
            article_list.select_article(value)
            self.show_article(value)

    @on(ExportDone)
    def _export_done(self, event: ExportDone) -> None:
        dialog = next(
            (s for s in self.app.screen_stack if isinstance(s, ExportScreen) and s.running), None
        )
        error = visible_name(str(event.error)) if event.error else None
        if dialog is not None:
            dialog.export_finished(ExportChoice("", event.path), error)
        if error:
            self.notify(f"Export failed: {error}", severity="error", markup=False, timeout=10)
        else:
            path = visible_name(str(event.path))
            self.notify(f"Exported to {path}", title="Export", markup=False, timeout=5)


def _occurrences(text: str, term: str) -> list[re.Match[str]]:
    return list(re.finditer(re.escape(term), text))


def _remove_at(article_id: str, start: int, end: int) -> Callable[[Any], object]:
    """A store change that removes every annotation of one range."""

    def change(store: Any) -> None:
        for span in store.get(article_id).spans:
            if (span.start, span.end) == (start, end):
                store.remove_span(article_id, span.id)

    return change


def _restore(article_id: str, span: SpanAnnotation) -> Callable[[Any], object]:
    """A store change that puts `span` back as it was."""

    def change(store: Any) -> None:
        store.restore_span(article_id, span)

    return change


def _all_annotations(store: Any) -> list[Any]:
    """Every stored `ArticleAnnotations`, whatever shape `store.all()` returns."""
    found = store.all()
    if isinstance(found, dict):
        return list(found.values())
    return list(found)
