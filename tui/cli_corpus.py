"""`newsreader analyze`, `list` and `show`: the corpus for scripts and quick looks.

`analyze` prints the analysed articles as JSON (the contract is `Article.to_json`), `list`
a table of id, date, title and source, `show` one article's cleaned text. Skipped files go
to stderr (file: reason) and do not change the exit code; a corpus without one readable
article exits 1, a PATH that does not exist exits 2 (`tui.cli_common.corpus_paths`).
Article text is printed as inert text: Rich never interprets markup from it.

JSON output is valid UTF-8 and inert whatever the file names: a character that must not
reach a terminal (a control, a bidi override, an undecodable byte of a non-UTF-8 name,
which Python holds as a lone surrogate) is written as a ``\\uXXXX`` escape inside its
string. The value is unchanged for a JSON reader: ``os.fsencode(record["path"])`` gives
back the file name's exact bytes.
"""

from __future__ import annotations

import argparse
import sys

from corpus.analyze import NO_NER, analyze_paths
from corpus.model import Article, CorpusResult
from corpus.textsafe import visible_name
from store.export import dumps_inert
from tui.cli_common import (
    CLIError,
    add_ner_option,
    check_ner_backend,
    corpus_paths,
    match_article_id,
    warn,
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    analyze = subparsers.add_parser(
        "analyze",
        help="print the analysed articles as JSON",
        description=(
            "Read, clean and analyse the articles under PATH (files or folders; no PATH: the "
            "sample corpus) and print them as JSON, in date order (undated last)."
        ),
    )
    analyze.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    style = analyze.add_mutually_exclusive_group()
    style.add_argument(
        "--jsonl",
        dest="as_array",
        action="store_false",
        help="one JSON object per line (default)",
    )
    style.add_argument("--json", dest="as_array", action="store_true", help="one JSON array")
    add_ner_option(analyze)
    analyze.set_defaults(func=run_analyze, as_array=False)

    listing = subparsers.add_parser(
        "list",
        help="list the articles: id, date, title, source",
        description="List the articles under PATH (no PATH: the sample corpus).",
    )
    listing.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    listing.add_argument("--json", action="store_true", help="a JSON array for scripts")
    listing.set_defaults(func=run_list)

    show = subparsers.add_parser(
        "show",
        help="print one article's cleaned text",
        description="Print the cleaned text of article ID (an id or a unique id prefix).",
    )
    show.add_argument("id", metavar="ID", help="article id or unique prefix")
    show.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    show.set_defaults(func=run_show)


def load_corpus(raw_paths: list[str], ner: str = "builtin") -> CorpusResult:
    """Analyse the corpus, report skips and duplicates on stderr; no article -> exit 1.

    File names are spelled with `visible_name` here, where they are known to be names: a
    line break inside a name stays ``\\x0a`` even when `warn` keeps a message's own lines.
    """
    paths = corpus_paths(raw_paths)
    check_ner_backend(ner)  # before reading the corpus, not at its first article
    result = analyze_paths(paths, ner=ner)
    for skipped in result.skipped:
        warn(f"newsreader: skipped {visible_name(skipped.path)}: {skipped.reason}")
    for dropped, kept in result.duplicates:
        warn(f"newsreader: skipped {visible_name(dropped)}: duplicate of {visible_name(kept)}")
    if not result.articles:
        raise CLIError("newsreader: no readable article in the given paths", code=1)
    return result


def run_analyze(args: argparse.Namespace) -> int:
    result = load_corpus(args.paths, args.ner)
    out = sys.stdout
    if args.as_array:
        out.write(dumps_inert([a.to_json() for a in result.articles], indent=1) + "\n")
    else:
        for article in result.articles:
            out.write(dumps_inert(article.to_json()) + "\n")
    out.flush()
    return 0


def _summary_json(article: Article) -> dict[str, object]:
    return {
        "id": article.id,
        "date": article.date,
        "title": article.title,
        "source": article.source,
        "path": article.path,
    }


def run_list(args: argparse.Namespace) -> int:
    result = load_corpus(args.paths, NO_NER)
    if args.json:
        sys.stdout.write(dumps_inert([_summary_json(a) for a in result.articles]) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=None, show_lines=False, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("source", overflow="fold")
    for article in result.articles:
        table.add_row(
            Text(article.id[:8]),
            Text(article.date or "Undated"),
            Text(article.title),
            Text(article.source or ""),
        )
    Console(highlight=False).print(table)
    return 0


def find_article(articles: list[Article], wanted: str) -> Article:
    """The article whose id is `wanted`, or the only one whose id starts with it."""
    by_id = {a.id: a for a in articles}
    return by_id[match_article_id(wanted, by_id, {a.id: a.title for a in articles})]


def run_show(args: argparse.Namespace) -> int:
    result = load_corpus(args.paths, NO_NER)
    article = find_article(result.articles, args.id)
    lines = [article.title, ""]
    details = " · ".join(
        x for x in (article.date or "Undated", article.source, article.byline) if x
    )
    lines += [details, "", article.body]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
