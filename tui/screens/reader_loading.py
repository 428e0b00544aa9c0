"""The corpus arriving on the reader screen: the progress of a load (the sidebar fills as
articles arrive), the end of it with its notices (index cache, files not read), and the exit
when the corpus holds no readable article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import ProgressBar

from corpus.textsafe import visible_name
from tui.loading import LoadReport
from tui.messages import CorpusLoaded, CorpusProgress
from tui.render import plural
from tui.screens import reader_views
from tui.widgets.article_list import ArticleList

if TYPE_CHECKING:
    from tui.screens.reader import ReaderScreen

SKIPPED_SHOWN = 10
"""Skipped files listed on the terminal when the app exits without articles."""


def took_progress(screen: ReaderScreen, event: CorpusProgress) -> None:
    """More articles: the progress bar and status move on, the sidebar relists (throttled)."""
    screen.source = event.source
    bar = screen.query_one("#load-progress", ProgressBar)
    if event.total:
        bar.update(total=event.total, progress=event.done)
    # (`done`/`total` count steps, not files: the index reads, then analyses, each file)
    count = len(event.summaries)
    screen.loading_status = f"loading · {plural(count, 'article')} so far" + (
        f" · {min(99, 100 * event.done // event.total)}%" if event.total else ""
    )
    # The first rows (a warm cache's whole list) are shown at once: the refresh after them
    # can take seconds.
    if screen.listing.throttled() and screen.summaries:
        screen.listing.show_status()
        return
    screen.summaries = event.summaries


def took_corpus(screen: ReaderScreen, event: CorpusLoaded) -> None:
    """Loading finished: list the corpus, tell what went wrong, build the story threads."""
    if event.error is not None:
        screen.notify(f"Could not load the corpus: {event.error}", severity="error", timeout=30)
    screen.source = event.report.source
    screen.loading_status = None
    screen.query_one("#load-progress", ProgressBar).display = False
    screen.summaries = event.summaries
    notify_load_notices(screen, event.report)
    if not screen.summaries:
        screen.query_one(ArticleList).empty_message = "No articles found in the given paths"
        screen.query_one(ArticleList).refresh()
        if screen.nr_app.preloaded_source is None and not event.report.cancelled:
            exit_without_articles(screen, event.report)
    else:
        reader_views.build_threads(screen)


def notify_load_notices(screen: ReaderScreen, report: LoadReport) -> None:
    """The index cache's notices, and the files that were not read (the first, and how many)."""
    for notice in report.cache_notices:
        screen.notify(
            Text(notice).plain,
            title="Corpus index",
            severity="warning",
            markup=False,
            timeout=8,
        )
    skipped = report.skipped
    if skipped:
        first = skipped[0]
        more = f" and {len(skipped) - 1} more" if len(skipped) > 1 else ""
        screen.notify(
            Text(f"Skipped {first.path}: {first.reason}{more}").plain,
            title="Some files were not read",
            severity="warning",
            markup=False,
            timeout=8,
        )


def exit_without_articles(screen: ReaderScreen, report: LoadReport) -> None:
    """A corpus with no readable article: say so on the terminal and exit 1, as the command
    line does (the skipped files are listed, a few of them)."""
    from corpus.textsafe import visible_text

    shown = ", ".join(visible_name(str(p)) for p in screen.nr_app.paths) or "the corpus"
    lines = [f"newsreader: no readable article in {shown}"]
    for skipped in report.skipped[:SKIPPED_SHOWN]:
        lines.append(f"  skipped {visible_name(skipped.path)}: {visible_text(skipped.reason)}")
    if len(report.skipped) > SKIPPED_SHOWN:
        lines.append(f"  ... and {len(report.skipped) - SKIPPED_SHOWN} more files skipped")
    screen.app.exit(return_code=1, message=Text("\n".join(lines)))
