"""The annotation store from the reader screen: opening it (and what to do when it cannot be
opened), taking in what each write saved, and export (`e`).

The writes themselves run in workers, in order (`tui.workers.store.StoreWrites`); each
comes back as a message, and what it saved is drawn at once: the sidebar's marks, the
status bar's counts, the open article, the annotation list when it is open.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from corpus.textsafe import visible_name
from store.model import ArticleAnnotations
from tui.messages import AnnotationsChanged, ExportDone, ManyChanged, StoreFailed, StoreOpened
from tui.render import plural
from tui.screens.annotations import AnnotationsScreen
from tui.screens.error_screen import ErrorScreen
from tui.screens.export_screen import ExportChoice, ExportScreen
from tui.widgets.article_list import ArticleList, RowMarks
from tui.widgets.info_panel import InfoPanel
from tui.workers import run_in_thread
from tui.workers import store as store_workers

if TYPE_CHECKING:
    from tui.screens.reader import ReaderScreen


def marks_of(annotations: ArticleAnnotations) -> RowMarks:
    """What the sidebar shows of an article's annotations."""
    return RowMarks(
        tags=tuple(annotations.tags),
        note=bool(annotations.note) or any(s.note for s in annotations.spans),
        starred=bool(annotations.starred),
        read=bool(annotations.read),
    )


def took_store(screen: ReaderScreen, event: StoreOpened) -> None:
    """The store is open: its annotations mark the sidebar and the open article."""
    screen.nr_app.store = event.store
    screen.read_only = bool(getattr(event.store, "read_only", False))
    screen.annotations = dict(event.annotations)
    screen.marks.clear()
    screen.marks.update({k: marks_of(v) for k, v in screen.annotations.items()})
    screen.relist()
    screen.redisplay(keep_scroll=True)


def ask_after_store_failure(screen: ReaderScreen, error: Exception) -> None:
    """The store cannot be opened: offer to open it read-only where that helps, else quit."""
    from corpus.textsafe import visible_text
    from store import CorruptStoreError, FutureSchemaError, default_db_path

    app = screen.nr_app
    path = app.db_path or default_db_path()
    message = str(error) or type(error).__name__
    if str(path) not in message:  # every message names the file it is about
        message = f"annotation file {path}: {message}"
    # Read-only mode helps only with a file that is there but cannot be parsed (it shows
    # the last good state); offering it again after it failed would loop.
    can_read_only = isinstance(error, CorruptStoreError | FutureSchemaError) and not (
        app.store_read_only
    )

    def chosen(choice: str | None) -> None:
        if choice == "read-only":
            app.store_read_only = True
            screen.open_store()
        else:  # printed on the terminal after exit: markup literal, escapes spelled out
            app.exit(return_code=1, message=Text(visible_text(message)))

    if can_read_only:
        advice = (
            "Open it read-only to read the corpus without saving changes, "
            "or quit and fix or move the file."
        )
        choices = [("read-only", "Open read-only"), ("quit", "Quit")]
    else:
        advice = "Quit, then fix or move the file, or choose another one with --db."
        choices = [("quit", "Quit")]
    app.push_screen(
        ErrorScreen("The annotation store cannot be opened", f"{message}\n\n{advice}", choices),
        chosen,
    )


def took_write(screen: ReaderScreen, event: AnnotationsChanged) -> None:
    """A write is saved: draw the article's annotations as they are now."""
    screen.nr_app.note_saved(event.article_id, event.annotations)
    old = screen.annotations.get(event.article_id)
    date_changed = getattr(old, "user_date", None) != event.annotations.user_date
    screen.annotations[event.article_id] = event.annotations
    screen.marks[event.article_id] = marks_of(event.annotations)
    if screen.filters or date_changed:
        screen.relist()
    else:
        screen.query_one(ArticleList).refresh_article(event.article_id)
        screen.listing.show_status()
    if screen.article is None or screen.article.id != event.article_id:
        return
    current = screen.current_span
    if current is not None:  # the same range, as it is now (relabelled, dismissed ...)
        screen.current_span = next(
            (s for s in screen.spans() if (s.start, s.end) == (current.start, current.end)),
            current,
        )
    screen.redisplay(keep_scroll=True)
    if screen.query_one(InfoPanel).display:
        screen.article_display.show_info()
    for shown in screen.app.screen_stack:
        if isinstance(shown, AnnotationsScreen) and shown.article_id == event.article_id:
            shown.show(screen.span_annotations())


def took_many(screen: ReaderScreen, event: ManyChanged) -> None:
    """Many articles were marked read in one write."""
    screen.annotations.update(event.annotations)
    screen.marks.update({k: marks_of(v) for k, v in event.annotations.items()})
    if screen.filters:
        screen.relist()
    else:
        screen.query_one(ArticleList).refresh()
    screen.listing.show_status()
    screen.notify(f"{plural(len(event.annotations), 'article')} marked read", timeout=3)


def write_failed(screen: ReaderScreen, event: StoreFailed) -> None:
    screen.notify(
        f"Could not {event.what}: {event.error}",
        title="Not saved",
        severity="error",
        markup=False,
        timeout=10,
    )


def ask_export(screen: ReaderScreen) -> None:
    """`e`: the export dialog; the export runs in a worker while the dialog waits for it."""
    app = screen.nr_app
    formats = app.export_formats()
    if not formats:
        screen.notify("Export is not available in this build", severity="error")
        return

    def run(choice: ExportChoice) -> None:
        if screen.store is None:
            screen.post_message(ExportDone(choice.path, "the store is not open yet"))
            return
        write = partial(app.export, choice.format, choice.path, screen.source)
        job = partial(store_workers.export, screen.post_message, write, choice.path)
        run_in_thread(screen, job, name="export", group="export")

    app.push_screen(ExportScreen(formats, Path.cwd(), run))


def export_done(screen: ReaderScreen, event: ExportDone) -> None:
    """Tell the export dialog (still open) and the reader how the export went."""
    dialog = next(
        (s for s in screen.app.screen_stack if isinstance(s, ExportScreen) and s.running), None
    )
    error = visible_name(str(event.error)) if event.error else None
    if dialog is not None:
        dialog.export_finished(ExportChoice("", event.path), error)
    if error:
        screen.notify(f"Export failed: {error}", severity="error", markup=False, timeout=10)
    else:
        path = visible_name(str(event.path))
        screen.notify(f"Exported to {path}", title="Export", markup=False, timeout=5)
