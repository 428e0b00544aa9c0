"""`newsreader index` and `newsreader search`: the corpus index from the command line.

`index PATH...` builds or refreshes the cache of analysed articles (`corpus.index`) with a
progress bar, using every core, and prints what changed. `search QUERY [PATH...]` answers
from the index: it first takes the folders' signature (`corpus.index_freshness`: one
`stat` a file, nothing read) and refreshes the index quietly only when it differs from the
one the last refresh stored (`--no-refresh` skips even that); then it prints the ranked
matches as they are cut, at most `--limit` (20), with the matching words highlighted on a
terminal, as plain lines to a pipe, or as JSON with `--json`; it exits 1 when nothing
matches, like grep. Tags and notes come from the annotation store (`--db`, else the default
store), so `tag:` filters work; the store is read again only when its file changed since
the index took its tags.

`read_from_index` lets `list`, `show`, `people` and `quotes` read the index instead of
analysing the corpus, when the index holds exactly what the analysis would give.

Article text is printed through `rich.text.Text` on a terminal and as text that went
through `corpus.textsafe.make_safe` (in the index) elsewhere: markup in an article is never
interpreted.

The cache is disposable but never someone else's file: a `--cache FILE` that is not a
newsreader index (an annotation store given by mistake, another program's database) is an
error, exit 2, and the file is left untouched. A damaged cache is moved aside and rebuilt
(one line on stderr says so); a cache that cannot be written (a full disk, a read-only file
system) is an error for `index` (exit 1, the cache as it was) and is searched as it is by
`search`.

Start-up: nothing but argparse is imported until a command runs; `search` then imports the
index and the store's path, and the store itself and Rich only when they are needed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui.cli_common import (
    CLIError,
    add_corpus_paths,
    add_db_option,
    add_ner_option,
    check_ner_backend,
    corpus_paths,
    read_annotations,
    store_path,
    styled_output,
    tsv_line,
    warn,
)

if TYPE_CHECKING:
    from rich.text import Text

    from corpus.index import AnalysisStandIn, CorpusIndex, RefreshReport
    from corpus.index_freshness import Signature, SignatureSoon
    from corpus.model import ArticleSummary, SearchHit

T = TypeVar("T")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    index = subparsers.add_parser(
        "index",
        help="build or refresh the corpus index (cache of analysed articles)",
        description=(
            "Analyse the articles under PATH into the corpus index, a cache the app, "
            "`search`, `list`, `show`, `people` and `quotes` read. Only added and changed "
            "files are analysed again."
        ),
    )
    add_corpus_paths(index)
    _add_common_options(index)
    index.add_argument(
        "--workers", type=int, default=None, metavar="N", help="processes (default: every core)"
    )
    add_engine_options(index)
    index.add_argument(
        "--from",
        dest="from_dir",
        metavar="DIR",
        help="load the records `analyze --engine dask -o DIR` wrote (nothing is analysed)",
    )
    index.set_defaults(func=run_index)

    search = subparsers.add_parser(
        "search",
        help="full-text search of the corpus",
        description=(
            "Search the articles under PATH (no PATH: the sample corpus). QUERY: words, "
            '"phrases", prefix*, AND/OR/NOT, -word, and filters tag:, speaker:, entity:, '
            "source:, date:2025-02..2025-03. Answers from the corpus index, refreshed first "
            "when a file under PATH changed. Exits 1 when nothing matches."
        ),
    )
    search.add_argument("query", metavar="QUERY", help="what to look for")
    add_corpus_paths(search)
    _add_common_options(search)
    search.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N results (default: 20)"
    )
    search.add_argument("--json", action="store_true", help="a JSON array for scripts")
    search.add_argument(
        "--no-refresh",
        dest="refresh",
        action="store_false",
        help="search the index as it is (skip looking for changed files; for scripts that "
        "keep it current with `newsreader index`)",
    )
    add_db_option(search)
    search.set_defaults(func=run_search)


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", metavar="PATH", help="index cache file (default: per corpus)")
    add_ner_option(parser)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """`--engine local|dask` and `--scheduler ADDRESS` (index and analyze)."""
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where files are read and analysed: a local process pool (default) or a Dask "
        "cluster (needs the `dask` extra; the files must be readable from every worker)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler to use (tcp://host:8786); default: a local cluster, one "
        "worker process per core (or --workers)",
    )


def check_engine(args: argparse.Namespace) -> None:
    """Exit 2 on `--scheduler` without `--engine dask`, or when Dask is not installed."""
    if args.scheduler and args.engine != "dask":
        raise CLIError("newsreader: --scheduler needs --engine dask", code=2)
    if args.engine == "dask":
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise CLIError(
                "newsreader: --engine dask needs Dask: "
                "pip install '.[dask]' (from a newsreader checkout)",
                code=2,
            )


def _open_index(args: argparse.Namespace, paths: list[Path]) -> CorpusIndex:
    from corpus.index import CacheWriteError, CorpusIndex, ForeignCacheError

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
    if args.from_dir is not None:
        return run_index_from(args)
    if not args.paths:
        raise CLIError("newsreader: index: give PATH, or --from DIR", code=2)
    paths = corpus_paths(args.paths)
    check_engine(args)  # (before the index is opened or created)
    with _open_index(args, paths) as index:
        report = refresh_with_progress(args, index, paths)
        print(summary_line(report, len(index.summaries()), index.cache_path))
    return 0


def refresh_with_progress(
    args: argparse.Namespace, index: CorpusIndex, paths: list[Path]
) -> RefreshReport:
    """Refresh `index` with a progress bar on stderr, on the engine `args` name (--workers,
    --engine, --scheduler); skipped files are said on stderr. Errors exit 1."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from corpus.distributed import DaskEngineError
    from corpus.index import CacheWriteError

    if args.workers is not None and args.workers < 1:
        raise CLIError("newsreader: --workers must be at least 1", code=2)
    check_engine(args)
    progress = Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )

    def refresh() -> RefreshReport:
        with progress:
            task = progress.add_task("index", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=max(total, 1))

            index.check()  # every page read: damage behind what a refresh reads too
            return index.refresh(
                paths,
                workers=args.workers,
                progress=advance,
                engine=args.engine,
                scheduler=args.scheduler,
            )

    try:
        report = index.recovering(refresh)
    except CacheWriteError as error:  # SQLite rolled back: the cache is as it was
        raise CLIError(f"newsreader: {error}; the cache was left as it was", code=1) from None
    except DaskEngineError as error:
        raise CLIError(f"newsreader: {error}", code=1) from None
    finally:
        _report_notices(index)
    for skipped in report.skipped:
        warn(f"newsreader: skipped {skipped.path}: {skipped.reason}")
    return report


def run_index_from(args: argparse.Namespace) -> int:
    """`index --from DIR`: load what `analyze -o DIR` wrote into the index, analysing nothing.

    The index is the one of the corpus paths the folder was analysed from (or `--cache`)."""
    from corpus.index import CacheWriteError
    from corpus.records_dir import RecordsDirError, load_records_dir, read_meta

    folder = Path(args.from_dir).expanduser()
    try:
        meta = read_meta(folder)
    except RecordsDirError as error:
        raise CLIError(f"newsreader: {error}", code=2) from None
    if args.engine != "local" or args.scheduler:
        raise CLIError("newsreader: --from analyses nothing: no --engine or --scheduler", code=2)
    paths = corpus_paths(args.paths) if args.paths else [Path(p) for p in meta["paths"]]
    if args.ner == "builtin" and meta.get("ner"):
        args.ner = meta["ner"]
    with _open_index(args, paths) as index:
        try:
            loaded = index.recovering(lambda: load_records_dir(index, folder))
        except RecordsDirError as error:
            raise CLIError(f"newsreader: {error}", code=1) from None
        except CacheWriteError as error:
            raise CLIError(f"newsreader: {error}; the cache was left as it was", code=1) from None
        finally:
            _report_notices(index)
        from corpus.textsafe import visible_name

        print(
            f"{loaded} articles loaded from {visible_name(str(folder))} (nothing analysed); "
            f"cache {visible_name(str(index.cache_path))}"
        )
    return 0


def run_analyze_to_dir(args: argparse.Namespace, paths: list[Path]) -> int:
    """`analyze ... -o DIR`: refresh the corpus's index (on `--engine`), then write its
    records as partitions under DIR (`corpus.records_dir`)."""
    from corpus.records_dir import write_records_dir
    from corpus.textsafe import visible_name

    out = Path(args.out).expanduser()
    if out.exists() and not out.is_dir():
        raise CLIError(f"newsreader: -o {visible_name(str(out))}: not a folder", code=2)
    check_engine(args)
    with _open_index(args, paths) as index:
        refresh_with_progress(args, index, paths)
        try:
            written = write_records_dir(index, out, paths)
        except OSError as error:
            raise CLIError(f"newsreader: cannot write {visible_name(str(out))}: {error}") from None
    warn(
        f"newsreader: {written.records} records in {written.partitions} {written.format} "
        f"partitions under {visible_name(str(out))}"
    )
    return 0


def summary_line(report: RefreshReport, articles: int, cache: Path) -> str:
    """One line on what a refresh did."""
    from corpus.textsafe import visible_name

    return (
        f"{articles} articles indexed: {report.added} files added, {report.changed} changed, "
        f"{report.removed} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped, {len(report.duplicates)} duplicates; "
        f"{report.articles} articles analysed in {report.seconds:.1f} s "
        f"({report.articles_per_second:.0f} articles/s); cache {visible_name(str(cache))}"
    )


# --- search -----------------------------------------------------------------------------


def store_stamp(path: Path) -> str:
    """The store file as the index remembers where its tags came from: name, size, mtime and
    inode (the store replaces its file on every write), or that there is none."""
    name = os.fsencode(path).decode("utf-8", "backslashreplace")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return f"{name}\x00missing"
    return f"{name}\x00{info.st_size}\x00{info.st_mtime_ns}\x00{info.st_ino}\x00{info.st_dev}"


def _refresh_quietly(index: CorpusIndex, paths: list[Path], signature: Signature | None) -> None:
    from corpus.index import CacheWriteError

    try:
        report = index.refresh(paths, signature=signature, walk_in_child=False)
    except CacheWriteError as error:  # the index as it is can still be searched
        warn(f"newsreader: {error}; searching the index as it is")
    else:
        if report.articles:
            warn(f"newsreader: indexed {report.articles} new or changed articles")


def run_search(args: argparse.Namespace) -> int:
    from corpus.index_freshness import SignatureSoon

    paths = corpus_paths(args.paths)
    if args.limit < 1:
        raise CLIError("newsreader: --limit must be at least 1", code=2)
    # Started before the index is imported and opened (in a child process where it can
    # fork, so the walk and the imports share the two cores); a file that changes after
    # the walk is seen next time.
    soon = SignatureSoon(paths) if args.refresh else None
    try:
        return _search(args, paths, soon)
    finally:
        if soon is not None:
            soon.close()


EARLY_ROWS = 20
"""How many results a search takes (ranked, snippets cut, rows read) before it asks whether
the index is current: the work is done while the corpus is walked beside it."""


def _search(args: argparse.Namespace, paths: list[Path], soon: SignatureSoon | None) -> int:
    from corpus.index import CacheWriteError, DamagedCacheError

    store = store_path(args.db)
    with _open_index(args, paths) as index:

        def search() -> Iterator[tuple[SearchHit, ArticleSummary]]:
            stamp = store_stamp(store)
            annotations = None if index.annotations_source() == stamp else read_annotations(store)
            hits = index.iter_search(
                args.query, limit=args.limit, annotations=annotations, annotations_source=stamp
            )
            return ((hit, index.summary(hit.article_id)) for hit in hits)

        def rank() -> Iterator[tuple[SearchHit, ArticleSummary]]:
            _report_notices(index)  # (a rebuild is said before its refresh)
            if soon is None:
                if not index.has_articles():
                    _refresh_quietly(index, paths, None)
                return search()
            # the first results are taken before the walk is asked for: an index found
            # current (as most are) answers with them, a stale one is refreshed and asked again
            found = search()
            first = [row for _, row in zip(range(EARLY_ROWS), found, strict=False)]
            signature = soon()
            if index.is_current(paths, signature):
                return itertools.chain(first, found)
            _refresh_quietly(index, paths, signature)
            return search()

        try:
            found = index.recovering(rank)  # ranked before anything is printed
        except CacheWriteError as error:
            raise CLIError(f"newsreader: {error}", code=1) from None
        finally:
            _report_notices(index)
        try:
            shown = write_json_hits(found) if args.json else print_hits(found)
        except DamagedCacheError as error:  # a page met while the hits are read
            raise CLIError(f"newsreader: {error}", code=1) from None
    return 0 if shown else 1


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


def write_json_hits(found: Iterator[tuple[SearchHit, ArticleSummary]]) -> int:
    """A JSON array, written one hit at a time (bidi, C1 and lone surrogates \\u-escaped);
    the same text as `dumps_inert` of the whole list. Returns the number of hits."""
    from corpus.textsafe import dumps_inert

    out = sys.stdout
    count = 0
    for count, (hit, summary) in enumerate(found, start=1):
        out.write(("[" if count == 1 else ", ") + dumps_inert(hit_json(hit, summary)))
        out.flush()
    out.write(("]" if count else "[]") + "\n")
    return count


def _hit_pieces(number: int, title: str, meta: str) -> list[tuple[str, str]]:
    """The text of one result before its snippet, with the style of each piece."""
    return [(f"{number:>3}. ", "dim"), (title, "bold"), (f"\n     {meta}\n     ", "dim")]


def hit_text(number: int, title: str, meta: str, hit: SearchHit) -> Text:
    """One result as inert Rich text: number, title, meta line, highlighted snippet."""
    from rich.text import Text

    text = Text()
    for piece, style in _hit_pieces(number, title, meta):
        text.append(piece, style=style)
    snippet = Text(hit.snippet)
    for start, end in hit.highlights:
        snippet.stylize("bold reverse", start, end)
    text.append_text(snippet)
    return text


def hit_tsv(hit: SearchHit, summary: ArticleSummary) -> str:
    """One result to a pipe: id, date, title, source, path, snippet, tab-separated."""
    from corpus.textsafe import visible_name

    cells = (hit.article_id, summary.date, summary.title, summary.source)
    return tsv_line((*cells, visible_name(summary.path), hit.snippet))


def print_hits(found: Iterator[tuple[SearchHit, ArticleSummary]]) -> int:
    """Each result as it comes: styled on a terminal, plain lines to a pipe or a file.

    Returns the number of results; none is said on stderr.
    """
    from corpus.textsafe import visible_name

    show: Callable[[int, str, str, SearchHit], None]
    if styled_output():
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=False)

        def show(number: int, title: str, meta: str, hit: SearchHit) -> None:
            console.print(hit_text(number, title, meta, hit))

    else:  # a pipe: one tab-separated line a hit (`hit_tsv`)
        out = sys.stdout
        count = 0
        for hit, summary in found:
            out.write(hit_tsv(hit, summary))
            out.flush()
            count += 1
        if not count:
            warn("newsreader: no matches")
        return count

    count = 0
    for count, (hit, summary) in enumerate(found, start=1):
        meta = "  ".join(
            part
            for part in (summary.date or "undated", summary.source, visible_name(summary.path))
            if part
        )
        show(count, summary.title, meta, hit)
    if not count:
        warn("newsreader: no matches")
    return count


# --- the index standing in for an analysis ------------------------------------------------


class NoCurrentIndex(Exception):
    """There is no index that holds what analysing the corpus now gives; the message says why."""


def read_from_index(
    paths: Sequence[Path], ner: str, use: Callable[[CorpusIndex, AnalysisStandIn], T]
) -> T:
    """`use(index, stand_in)` on the corpus's own index (the one `newsreader index PATH`
    makes), when it holds exactly what analysing `paths` now would give: every read in one
    snapshot. Nothing is created or rebuilt; `NoCurrentIndex` says why there is none."""
    from corpus.index import CorpusIndex, IndexCacheError, IndexNotCurrent

    try:
        index = CorpusIndex.open_existing(paths, ner=ner)
    except (IndexCacheError, OSError) as error:
        raise NoCurrentIndex(f"its index cannot be opened ({error})") from None
    if index is None:
        raise NoCurrentIndex("it has no index")
    with index, index.reading():
        try:
            stand_in = index.stand_in(paths)
        except IndexNotCurrent as why:
            raise NoCurrentIndex(f"its index is out of date: {why}") from None
        return use(index, stand_in)
