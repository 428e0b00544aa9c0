"""`newsreader analyze`, `list` and `show`: the corpus for scripts and quick looks.

`analyze` prints the analysed articles as JSON (the contract is `Article.to_json`), `list`
a table of id, date, title and source, `show` one article's cleaned text. Skipped files go
to stderr (file: reason) and do not change the exit code; a corpus without one readable
article exits 1, a PATH that does not exist exits 2 (`tui.cli_common.corpus_paths`).
Article text is printed as inert text: Rich never interprets markup from it.

`list`, `show` (and `people` and `quotes`, through `load_corpus`) read the corpus index that
`newsreader index PATH` makes, when it holds exactly what analysing the corpus now would
give (`tui.cli_index.read_from_index`): the same output, skip lines included, in a fraction
of the time. Otherwise they analyse the corpus as before; when that is more than a few
hundred articles, one line on stderr says why the index was not read. `analyze` always
analyses.

JSON output is valid UTF-8 and inert whatever the file names: a character that must not
reach a terminal (a control, a bidi override, an undecodable byte of a non-UTF-8 name,
which Python holds as a lone surrogate) is written as a ``\\uXXXX`` escape inside its
string. The value is unchanged for a JSON reader: ``os.fsencode(record["path"])`` gives
back the file name's exact bytes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli_common import (
    NO_NER,
    CLIError,
    add_corpus_paths,
    add_db_option,
    add_ner_option,
    check_ner_backend,
    corpus_paths,
    match_article_id,
    read_annotations,
    store_path,
    styled_output,
    tsv_line,
    warn,
)

if TYPE_CHECKING:
    from corpus.index import AnalysisStandIn, CorpusIndex
    from corpus.model import Article, ArticleSummary, CorpusResult, Skipped

FALLBACK_NOTE_ARTICLES = 500
"""From this many articles analysed, a command that could have read the index says why not."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    from tui.cli_index import add_engine_options  # (argparse and cli_common only)

    analyze = subparsers.add_parser(
        "analyze",
        help="print the analysed articles as JSON",
        description=(
            "Read, clean and analyse the articles under PATH (files or folders; no PATH: the "
            "sample corpus) and print them as JSON, in date order (undated last)."
        ),
    )
    add_corpus_paths(analyze, "files or folders (- alone: one file on stdin)")
    style = analyze.add_mutually_exclusive_group()
    style.add_argument(
        "--jsonl",
        dest="as_array",
        action="store_false",
        help="one JSON object per line (default)",
    )
    style.add_argument("--json", dest="as_array", action="store_true", help="one JSON array")
    add_ner_option(analyze)
    analyze.add_argument(
        "-o",
        "--out",
        metavar="DIR",
        help="write the records as partitioned JSON Lines (Parquet with pyarrow) under DIR, "
        "through the corpus index, for pandas, Dask, DuckDB or Spark; `index --from DIR` "
        "loads them",
    )
    analyze.add_argument(
        "--workers", type=int, default=None, metavar="N", help="with -o: processes (every core)"
    )
    analyze.add_argument("--cache", metavar="PATH", help="with -o: the index cache file")
    add_engine_options(analyze)
    analyze.set_defaults(func=run_analyze, as_array=False)

    listing = subparsers.add_parser(
        "list",
        help="list the articles: id, date, title, source",
        description=(
            "List the articles under PATH (no PATH: the sample corpus), from the corpus "
            "index when it is current."
        ),
    )
    add_corpus_paths(listing)
    listing.add_argument("--json", action="store_true", help="a JSON array for scripts")
    add_db_option(listing)
    listing.set_defaults(func=run_list)

    show = subparsers.add_parser(
        "show",
        help="print one article's cleaned text",
        description="Print the cleaned text of article ID (an id or a unique id prefix).",
    )
    show.add_argument("id", metavar="ID", help="article id or unique prefix")
    add_corpus_paths(show)
    add_db_option(show)
    show.set_defaults(func=run_show)


def analyze_paths(paths: Sequence[Path], *, ner: str = "builtin") -> CorpusResult:
    """`corpus.analyze.analyze_paths`, imported when a command analyses (not at start-up),
    with a progress line on a terminal's stderr (`Progress`)."""
    from corpus.analyze import analyze_paths as analyse

    with Progress("analysed") as progress:
        return analyse(paths, ner=ner, on_progress=progress)


class Progress:
    """`analysed 1,234/10,000 articles · 250/s` on stderr, redrawn at most 5 times a second
    and wiped at the end; only when stderr is a terminal and the run lasts over a second."""

    def __init__(self, verb: str) -> None:
        import time

        self._verb = verb
        self._clock = time.monotonic
        self._start = self._clock()
        self._next = self._start + 1.0
        self._shown = False
        self._live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self._live or (now := self._clock()) < self._next:
            return
        self._next = now + 0.2
        rate = done / max(now - self._start, 1e-9)
        sys.stderr.write(f"\r{self._verb} {done:,}/{total:,} articles · {rate:,.0f}/s\x1b[K")
        sys.stderr.flush()
        self._shown = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def report_reading(skipped: Sequence[Skipped], duplicates: Sequence[tuple[str, str]]) -> None:
    """Skipped files and dropped duplicates on stderr, one line each, as the reader found them.

    File names are spelled with `visible_name` here, where they are known to be names: a
    line break inside a name stays ``\\x0a`` even when `warn` keeps a message's own lines.
    """
    from corpus.textsafe import visible_name

    for skip in skipped:
        warn(f"newsreader: skipped {visible_name(skip.path)}: {skip.reason}")
    for dropped, kept in duplicates:
        warn(f"newsreader: skipped {visible_name(dropped)}: duplicate of {visible_name(kept)}")


def _no_article() -> CLIError:
    return CLIError("newsreader: no readable article in the given paths", code=1)


def analysed_corpus(
    paths: list[Path], ner: str, why_not_indexed: str | None = None
) -> CorpusResult:
    """Analyse the corpus, report skips and duplicates on stderr; no article -> exit 1.

    For a command that could have read the index, a big corpus gets one more line: why it
    did not (`why_not_indexed`).
    """
    result = analyze_paths(paths, ner=ner)
    report_reading(result.skipped, result.duplicates)
    if why_not_indexed is not None and len(result.articles) >= FALLBACK_NOTE_ARTICLES:
        warn(
            f"newsreader: analysed {len(result.articles)} articles, as {why_not_indexed}; "
            "`newsreader index PATH` makes this command read the index instead"
        )
    if not result.articles:
        raise _no_article()
    return result


def load_corpus(raw_paths: list[str], ner: str = "builtin") -> CorpusResult:
    """The analysed corpus, from its index when current, else analysed; skips and
    duplicates on stderr; no article -> exit 1."""
    from tui.cli_index import NoCurrentIndex, read_from_index

    paths = corpus_paths(raw_paths)
    check_ner_backend(ner)  # before reading the corpus, not at its first article

    def from_index(index: CorpusIndex, stand_in: AnalysisStandIn) -> CorpusResult:
        from corpus.model import CorpusResult

        report_reading(stand_in.skipped, stand_in.duplicates)
        articles = list(index.articles())
        if not articles:
            raise _no_article()
        return CorpusResult(articles, list(stand_in.skipped), list(stand_in.duplicates))

    if ner == NO_NER:  # (an index's articles have entities: not what was asked for)
        return analysed_corpus(paths, ner)
    try:
        return read_from_index(paths, ner, from_index)
    except NoCurrentIndex as why:
        return analysed_corpus(paths, ner, str(why))


def run_analyze(args: argparse.Namespace) -> int:
    from corpus.textsafe import dumps_inert

    if "-" in args.paths:
        result = _analysed_stdin(args)
    else:
        paths = corpus_paths(args.paths)
        check_ner_backend(args.ner)  # before reading the corpus, not at its first article
        if args.out is not None:
            from tui.cli_index import run_analyze_to_dir

            return run_analyze_to_dir(args, paths)
        if args.engine != "local":
            raise CLIError("newsreader: --engine dask needs -o DIR (records to a folder)", code=2)
        result = analysed_corpus(paths, args.ner)
    out = sys.stdout
    if args.as_array:
        out.write(dumps_inert([a.to_json() for a in result.articles], indent=1) + "\n")
    else:
        for article in result.articles:
            out.write(dumps_inert(article.to_json()) + "\n")
    out.flush()
    return 0


def _analysed_stdin(args: argparse.Namespace) -> CorpusResult:
    """`analyze -`: the articles of the bytes on stdin (a text, JSON, JSON Lines or HTML)."""
    from corpus.analyze import analyze_read
    from corpus.reader import MAX_FILE_BYTES, read_stream
    from corpus.untrusted import UnreadableFile, read_bounded_stream

    if args.paths != ["-"]:
        raise CLIError("newsreader: '-' (stdin) is read alone, not with other paths", code=2)
    if args.out is not None or args.engine != "local":
        raise CLIError("newsreader: -o and --engine read folders, not stdin", code=2)
    check_ner_backend(args.ner)
    try:
        data = read_bounded_stream(sys.stdin.buffer, MAX_FILE_BYTES)
    except UnreadableFile as error:
        raise CLIError(f"newsreader: stdin: {error}", code=1) from None
    result = analyze_read(read_stream(data, "-"), ner=args.ner)
    report_reading(result.skipped, result.duplicates)
    if not result.articles:
        raise CLIError("newsreader: stdin: no readable article", code=1)
    return result


def _summary_json(summary: ArticleSummary) -> dict[str, object]:
    return {
        "id": summary.id,
        "date": summary.date,
        "title": summary.title,
        "source": summary.source,
        "path": summary.path,
    }


def corpus_summaries(paths: list[Path], db: str | None = None) -> Sequence[ArticleSummary]:
    """Every article's id, date, title, source and path in date order, with the dates the
    reader set (store `db`): from the index when current, else cleaned (no entities); skips
    on stderr; no article -> exit 1."""
    from store.library import Library
    from tui.cli_index import NoCurrentIndex, read_from_index

    annotations = read_annotations(store_path(db))

    def from_index(index: CorpusIndex, stand_in: AnalysisStandIn) -> Sequence[ArticleSummary]:
        report_reading(stand_in.skipped, stand_in.duplicates)
        return Library(index, annotations).summaries()

    try:
        summaries = read_from_index(paths, "builtin", from_index)
    except NoCurrentIndex as why:
        from corpus.source import MemoryCorpus

        articles = analysed_corpus(paths, NO_NER, str(why)).articles
        return Library(MemoryCorpus(articles), annotations).summaries()
    if not summaries:
        raise _no_article()
    return summaries


def run_list(args: argparse.Namespace) -> int:
    summaries = corpus_summaries(corpus_paths(args.paths), args.db)
    if args.json:
        from corpus.textsafe import dumps_inert

        sys.stdout.write(dumps_inert([_summary_json(s) for s in summaries]) + "\n")
        return 0
    if not styled_output():  # a pipe: id, date, title, source, path, tab-separated
        from corpus.textsafe import visible_name

        for s in summaries:
            sys.stdout.write(tsv_line((s.id, s.date, s.title, s.source, visible_name(s.path))))
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=None, show_lines=False, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("source", overflow="fold")
    for summary in summaries:
        table.add_row(
            Text(summary.id[:8]),
            Text(summary.date or "Undated"),
            Text(summary.title),
            Text(summary.source or ""),
        )
    Console(highlight=False).print(table)
    return 0


def find_article(articles: list[Article], wanted: str) -> Article:
    """The article whose id is `wanted`, or the only one whose id starts with it."""
    by_id = {a.id: a for a in articles}
    return by_id[match_article_id(wanted, by_id, {a.id: a.title for a in articles})]


def corpus_article(paths: list[Path], wanted: str) -> Article:
    """The article `wanted` names (an id or unique prefix): its text from the index when
    current, else from the cleaned corpus; skips on stderr; no article -> exit 1."""
    from tui.cli_index import NoCurrentIndex, read_from_index

    def from_index(index: CorpusIndex, stand_in: AnalysisStandIn) -> Article:
        report_reading(stand_in.skipped, stand_in.duplicates)
        summaries = index.summaries()
        if not summaries:
            raise _no_article()
        titles = {summary.id: summary.title for summary in summaries}
        return index.article(match_article_id(wanted, titles, titles), corpus_names=False)

    try:
        return read_from_index(paths, "builtin", from_index)
    except NoCurrentIndex as why:
        return find_article(analysed_corpus(paths, NO_NER, str(why)).articles, wanted)


def run_show(args: argparse.Namespace) -> int:
    from store.corrections import reader_view

    article = corpus_article(corpus_paths(args.paths), args.id)
    article = reader_view(article, read_annotations(store_path(args.db)).get(article.id))
    lines = [article.title, ""]
    details = " · ".join(
        x for x in (article.date or "Undated", article.source, article.byline) if x
    )
    lines += [details, "", article.body]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
