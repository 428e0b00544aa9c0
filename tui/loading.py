"""Blocking work the app runs in worker threads: loading a corpus, filters, ordered store writes.

Nothing here touches widgets; the app's workers call these functions and post the results
back as messages. The choice between the SQLite corpus index (large corpora, cached) and
analysing into memory lives in `load_corpus`, the one place that knows about both.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.model import Article, ArticleSummary, Skipped
from corpus.source import CorpusSource, MemoryCorpus

if TYPE_CHECKING:
    from corpus.index import CorpusIndex

ProgressCallback = Callable[[CorpusSource, int, int | None], None]
"""Called with the source, articles done, and the total when known."""


@dataclass(slots=True)
class LoadReport:
    """What loading gave: the source and the files that could not be read."""

    source: CorpusSource
    skipped: list[Skipped] = field(default_factory=list)
    cancelled: bool = False
    cache_notices: list[str] = field(default_factory=list)  # about the index cache itself


def corpus_name(paths: Sequence[Path] | None) -> str:
    """A short name for the header: the folder or file name, "+N" when there are several."""
    if not paths:
        return "sample corpus"
    first = Path(paths[0])
    name = first.name or str(first)
    if first.name == "sample" and first.parent.name == "corpus":
        name = "sample corpus"
    return name if len(paths) == 1 else f"{name} +{len(paths) - 1}"


def corpus_roots(paths: Sequence[Path]) -> list[str]:
    """The folders of a corpus, as given and resolved, for `folder_of`."""
    import os

    roots: list[str] = []
    for path in paths:
        for form in (str(path), os.path.realpath(path)):
            form = form.rstrip(os.sep) or os.sep
            if form not in roots:
                roots.append(form)
    return roots


def folder_of(path: str, roots: Sequence[str]) -> str | None:
    """The top folder of `path` under the corpus folder it is in ("business" for
    bbc/business/001.txt), or None for a file directly in a corpus folder or outside them."""
    import os

    for root in roots:
        prefix = root if root.endswith(os.sep) else root + os.sep
        if path.startswith(prefix):
            first, separator, _ = path[len(prefix) :].partition(os.sep)
            return first if separator and first else None
    return None


def with_folder_sources(
    summaries: Sequence[ArticleSummary], roots: Sequence[str]
) -> list[ArticleSummary]:
    """`summaries` where an article that names no source has its folder as the source (a
    BBC-style corpus keeps its sections as folders: business, politics, sport ...)."""
    out: list[ArticleSummary] = []
    for summary in summaries:
        if summary.source is None and (folder := folder_of(summary.path, roots)) is not None:
            summary = summary._replace(source=folder)
        out.append(summary)
    return out


def load_corpus(
    paths: Sequence[Path],
    *,
    cache_path: Path | None = None,
    ner: str = "builtin",
    on_progress: ProgressCallback,
    cancelled: Callable[[], bool],
    batch_seconds: float = 0.3,
    warm_refresh_delay: float = 0.5,
) -> LoadReport:
    """Load `paths` through the corpus index (cached); analyse into memory if it cannot open.

    `on_progress` is called from this (worker) thread as articles become available, so the
    first articles can be read before the corpus is done. With a warm cache the indexed
    articles are reported at once and the refresh (which notices added, changed and removed
    files) starts `warm_refresh_delay` seconds later.
    """
    import sqlite3

    from corpus.index import CorpusIndex, IndexCacheError

    try:
        index = CorpusIndex.for_paths(list(paths), cache_path=cache_path, ner=ner)
        known = index.recovering(lambda: len(index))
    except IndexCacheError as error:
        # not our file (left untouched), or one that cannot be created or rebuilt: say so,
        # and read the corpus without a cache
        report = _load_into_memory(paths, ner, on_progress, cancelled, batch_seconds)
        report.cache_notices.append(_notice(error.path, f"{error}; the corpus was read without it"))
        return report
    except (OSError, sqlite3.Error):  # no writable cache folder: still read the corpus
        return _load_into_memory(paths, ner, on_progress, cancelled, batch_seconds)
    return _load_with_index(index, known, paths, on_progress, cancelled, warm_refresh_delay)


def _notice(cache: Path, message: str) -> str:
    """A line about the index cache (shown apart from the files that were not read)."""
    return f"{cache}: {message}"


def _load_with_index(
    index: CorpusIndex,
    known: int,
    paths: Sequence[Path],
    on_progress: ProgressCallback,
    cancelled: Callable[[], bool],
    warm_refresh_delay: float,
) -> LoadReport:
    if known:  # a warm cache: the sidebar can show what is indexed before the refresh
        on_progress(index, known, None)
        # Let the app draw those rows and take keys before the refresh competes for the CPU
        # (checking 100,000 files for changes takes seconds, in a child process).
        deadline = time.monotonic() + warm_refresh_delay
        while time.monotonic() < deadline and not cancelled():
            time.sleep(0.05)
    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.3:
            last[0] = now
            on_progress(index, done, total)

    from corpus.index import CacheWriteError, RefreshReport

    problems: list[str] = []
    try:
        report = index.recovering(
            lambda: index.refresh(list(paths), progress=progress, cancelled=cancelled)
        )
    except CacheWriteError as error:  # a full disk, a read-only cache: shown as it is
        problems.append(_notice(error.path, f"{error}; the articles indexed before are shown"))
        report = RefreshReport()
    count = len(index)
    unchanged = not (report.added or report.changed or report.removed or report.articles)
    if not (known and unchanged):  # (else the rows shown are already the final ones)
        on_progress(index, count, count)
    notices = [_notice(index.cache_path, notice) for notice in index.notices]
    index.notices.clear()
    skipped = list(getattr(report, "skipped", None) or [])
    return LoadReport(index, skipped, cancelled(), cache_notices=notices + problems)


def _load_into_memory(
    paths: Sequence[Path],
    ner: str,
    on_progress: ProgressCallback,
    cancelled: Callable[[], bool],
    batch_seconds: float,
) -> LoadReport:
    from corpus.analyze import iter_analyze

    corpus = MemoryCorpus()
    skipped: list[Skipped] = []
    batch: list[Article] = []
    last = time.monotonic()
    for article in iter_analyze(list(paths), ner=ner, on_skip=skipped.append):
        batch.append(article)
        if cancelled():
            return LoadReport(corpus, skipped, cancelled=True)
        if time.monotonic() - last >= batch_seconds:
            corpus.extend(batch)
            batch = []
            last = time.monotonic()
            on_progress(corpus, len(corpus), None)
    corpus.extend(batch)
    on_progress(corpus, len(corpus), len(corpus))
    return LoadReport(corpus, skipped)


def load_articles_json(path: Path) -> MemoryCorpus:
    """A `MemoryCorpus` from a JSON list of `Article.to_json` records (tests, screenshots)."""
    import json

    records = json.loads(Path(path).read_text(encoding="utf-8"))
    return MemoryCorpus(Article.from_json(record) for record in records)


class OrderedRunner:
    """Runs jobs from several worker threads one at a time, in the order they were queued.

    Each store write runs in its own worker (so tests can wait for it), but "tag then untag"
    must reach the file in that order: `ticket()` is taken on the UI thread when the job is
    queued, `run(ticket, job)` waits for its turn in the worker.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def ticket(self) -> int:
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            return ticket

    def run(self, ticket: int, job: Callable[[], Any]) -> Any:
        with self._condition:
            self._condition.wait_for(lambda: self._serving == ticket)
        try:
            return job()
        finally:
            with self._condition:
                self._serving += 1
                self._condition.notify_all()
