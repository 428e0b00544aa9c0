"""Workers that read the corpus: loading it, opening one article, reading a raw file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.worker import get_current_worker

from corpus.model import Article
from corpus.source import CorpusSource, MemoryCorpus
from tui.loading import LoadReport, load_corpus
from tui.messages import ArticleOpened, ArticleOpenFailed, CorpusLoaded, CorpusProgress, RawLoaded
from tui.workers import Post


def load(
    post: Post,
    preloaded: CorpusSource | None,
    paths: Sequence[Path],
    cache_path: Path | None,
    ner: str,
) -> None:
    """Load the corpus (`preloaded`, else the files at `paths`), posting progress on the way."""
    worker = get_current_worker()
    if preloaded is not None:
        post(CorpusLoaded(LoadReport(preloaded), list(preloaded.summaries())))
        return

    def progress(source: CorpusSource, done: int, total: int | None) -> None:
        # The index's summary list is lazy: materialise it here, off the UI thread.
        post(CorpusProgress(source, list(source.summaries()), done, total))

    try:
        report = load_corpus(
            paths,
            cache_path=cache_path,
            ner=ner,
            on_progress=progress,
            cancelled=lambda: worker.is_cancelled,
        )
    except Exception as error:
        post(CorpusLoaded(LoadReport(MemoryCorpus()), [], error=str(error)))
        return
    post(CorpusLoaded(report, list(report.source.summaries())))


def fetch_article(post: Post, source: CorpusSource, article_id: str) -> None:
    """Read one article from the source (the index reads and decodes it)."""
    try:
        article = source.article(article_id)
    except Exception as error:
        post(ArticleOpenFailed(article_id, str(error)))
        return
    post(ArticleOpened(article))


def read_raw_file(post: Post, article: Article) -> None:
    """Read an article's file as it is on disk, for the raw view (`r`)."""
    from corpus.reader import read_text

    try:
        raw = read_text(Path(article.path))
    except Exception as error:
        post(RawLoaded(article.id, None, str(error)))
        return
    post(RawLoaded(article.id, raw, None))
