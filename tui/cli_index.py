"""`newsreader index` and `newsreader search`: the corpus index from the command line.

`index PATH...` builds or refreshes the cache of analysed articles (`corpus.index`) with a
progress bar, using every core, and prints what changed. `search QUERY [PATH...]` refreshes
the index quietly (unless `--no-refresh`), then prints the ranked matches with the matching
words highlighted (or JSON with `--json`); it exits 1 when nothing matches, like grep. Tags
and notes come from the annotation store (`--db`, else the default store), so `tag:`
filters work.

Article text is printed through `rich.text.Text` only: markup in an article is never
interpreted.

The cache is disposable but never someone else's file: a `--cache FILE` that is not a
newsreader index (an annotation store given by mistake, another program's database) is an
error, exit 2, and the file is left untouched. A damaged cache is moved aside and rebuilt
(one line on stderr says so); a cache that cannot be written (a full disk, a read-only file
system) is an error for `index` (exit 1, the cache as it was) and is searched as it is by
`search`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from corpus.index import CacheWriteError, CorpusIndex, ForeignCacheError, RefreshReport
from corpus.model import ArticleSummary, SearchHit
from corpus.textsafe import visible_name
from store.export import dumps_inert
from tui.cli_common import (
    CLIError,
    add_db_option,
    add_ner_option,
    check_ner_backend,
    corpus_paths,
    warn,
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    index = subparsers.add_parser(
        "index",
        help="build or refresh the corpus index (cache of analysed articles)",
        description=(
            "Analyse the articles under PATH into the corpus index, a cache the app and "
            "`search` read. Only added and changed files are analysed again."
        ),
    )
    index.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    _add_common_options(index)
    index.add_argument(
        "--workers", type=int, default=None, metavar="N", help="processes (default: every core)"
    )
    index.set_defaults(func=run_index)

    search = subparsers.add_parser(
        "search",
        help="full-text search of the corpus",
        description=(
            "Search the articles under PATH (no PATH: the sample corpus). QUERY: words, "
            '"phrases", prefix*, AND/OR/NOT, -word, and filters tag:, speaker:, entity:, '
            "source:, date:2025-02..2025-03. Exits 1 when nothing matches."
        ),
    )
    search.add_argument("query", metavar="QUERY", help="what to look for")
    search.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    _add_common_options(search)
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results")
    search.add_argument("--json", action="store_true", help="a JSON array for scripts")
    search.add_argument(
        "--no-refresh",
        dest="refresh",
        action="store_false",
        help="search the index as it is (skip looking for changed files; fast on big corpora)",
    )
    add_db_option(search)
    search.set_defaults(func=run_search)


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", metavar="PATH", help="index cache file (default: per corpus)")
    add_ner_option(parser)


def _open_index(args: argparse.Namespace, paths: list[Path]) -> CorpusIndex:
    check_ner_backend(args.ner)
    cache = Path(args.cache).expanduser() if args.cache else None
    try:
        index = CorpusIndex.for_paths(paths, cache, ner=args.ner)
    except ForeignCacheError as error:
        raise CLIError(f"newsreader: {'--cache ' if cache else ''}{error}", code=2) from None
    except CacheWriteError as error:
        raise CLIError(f"newsreader: {error}", code=1) from None
    except OSError as error:
        raise CLIError(f"newsreader: cannot open the index cache: {error}", code=1) from error
    _report_notices(index)
    return index


def _report_notices(index: CorpusIndex) -> None:
    """What was done to the cache (moved aside and rebuilt ...), one line each, once."""
    for notice in index.notices:
        warn(f"newsreader: {notice}")
    index.notices.clear()


def run_index(args: argparse.Namespace) -> int:
    paths = corpus_paths(args.paths)
    if args.workers is not None and args.workers < 1:
        raise CLIError("newsreader: --workers must be at least 1", code=2)
    console = Console(stderr=True)
    with _open_index(args, paths) as index:
        progress = Progress(
            TextColumn("indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )

        def refresh() -> RefreshReport:
            with progress:
                task = progress.add_task("index", total=None)

                def advance(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=max(total, 1))

                index.check()  # every page read: damage behind what a refresh reads too
                return index.refresh(paths, workers=args.workers, progress=advance)

        try:
            report = index.recovering(refresh)
        except CacheWriteError as error:  # SQLite rolled back: the cache is as it was
            raise CLIError(f"newsreader: {error}; the cache was left as it was", code=1) from None
        finally:
            _report_notices(index)
        for skipped in report.skipped:
            warn(f"newsreader: skipped {skipped.path}: {skipped.reason}")
        print(summary_line(report, len(index.summaries()), index.cache_path))
    return 0


def summary_line(report: RefreshReport, articles: int, cache: Path) -> str:
    """One line on what a refresh did."""
    return (
        f"{articles} articles indexed: {report.added} files added, {report.changed} changed, "
        f"{report.removed} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped, {len(report.duplicates)} duplicates; "
        f"{report.articles} articles analysed in {report.seconds:.1f} s "
        f"({report.articles_per_second:.0f} articles/s); cache {visible_name(str(cache))}"
    )


def _annotations(db: str | None) -> Mapping[str, Any]:
    """{article_id: ArticleAnnotations} from the store, or nothing if there is no store."""
    from store.annotations import AnnotationStore
    from store.errors import StoreError
    from store.paths import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        if db:
            raise CLIError(f"newsreader: {db}: no such file or directory", code=2)
        return {}
    try:
        with AnnotationStore(path, read_only=True) as store:
            return store.all()
    except StoreError as error:
        raise CLIError(f"newsreader: {error}", code=1) from None


def run_search(args: argparse.Namespace) -> int:
    paths = corpus_paths(args.paths)
    if args.limit < 1:
        raise CLIError("newsreader: --limit must be at least 1", code=2)
    annotations = _annotations(args.db)
    with _open_index(args, paths) as index:

        def search() -> list[tuple[SearchHit, ArticleSummary]]:
            _report_notices(index)  # (a rebuild is said before its refresh)
            if args.refresh or not len(index.summaries()):
                try:
                    report = index.refresh(paths)
                except CacheWriteError as error:  # the index as it is can still be searched
                    warn(f"newsreader: {error}; searching the index as it is")
                else:
                    if report.articles:
                        warn(f"newsreader: indexed {report.articles} new or changed articles")
            hits = index.search(args.query, limit=args.limit, annotations=annotations)
            return [(hit, index.summary(hit.article_id)) for hit in hits]

        try:
            found = index.recovering(search)  # every read done before anything is printed
        except CacheWriteError as error:
            raise CLIError(f"newsreader: {error}", code=1) from None
        finally:
            _report_notices(index)
        if args.json:
            # bidi, C1 and lone-surrogate characters of paths and snippets \u-escaped
            sys.stdout.write(dumps_inert([hit_json(hit, summary) for hit, summary in found]) + "\n")
        else:
            print_hits(found)
    return 0 if found else 1


def hit_json(hit: SearchHit, summary: ArticleSummary) -> dict[str, Any]:
    return {
        "id": hit.article_id,
        "rank": hit.rank,
        "title": summary.title,
        "date": summary.date,
        "source": summary.source,
        "path": summary.path,
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
    }


def hit_text(number: int, title: str, meta: str, hit: SearchHit) -> Text:
    """One result as inert Rich text: number, title, meta line, highlighted snippet."""
    text = Text()
    text.append(f"{number:>3}. ", style="dim")
    text.append(title, style="bold")
    text.append(f"\n     {meta}\n     ", style="dim")
    snippet = Text(hit.snippet)
    for start, end in hit.highlights:
        snippet.stylize("bold reverse", start, end)
    text.append_text(snippet)
    return text


def print_hits(found: list[tuple[SearchHit, ArticleSummary]]) -> None:
    console = Console(highlight=False, soft_wrap=False)
    if not found:
        warn("newsreader: no matches")
        return
    for number, (hit, summary) in enumerate(found, start=1):
        meta = "  ".join(
            part
            for part in (summary.date or "undated", summary.source, visible_name(summary.path))
            if part
        )
        console.print(hit_text(number, summary.title, meta, hit))
