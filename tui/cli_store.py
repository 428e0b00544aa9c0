"""`newsreader tag|note|star|tags|export|import`: the annotation store from the command line.

Every command takes `--db PATH` (default: `$NEWSREADER_DB`, else the user data folder).
Commands that name an article take an id or a unique prefix of one, matched against the ids
in the store and in the corpus (`--corpus PATH ...`, default the sample corpus); the corpus
is only read when the id is not already a full id in the store. Errors are one line on
stderr: 1 for a problem with the store, an id or an output file, 2 for a usage error.
Everything printed is inert text (user text is passed through `corpus.textsafe.make_safe`).

The store (and TinyDB) is imported when a command runs, the corpus analysis only by a
command that reads the corpus: `--help` and `--version` pay for neither.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from corpus.textsafe import make_safe, plural, visible_name
from tui.cli_common import (
    CLIError,
    LazyChoices,
    add_db_option,
    add_ner_option,
    check_ner_backend,
    corpus_paths,
    match_article_id,
    warn,
)

if TYPE_CHECKING:
    import datetime as dt

    from corpus.model import Article
    from store import AnnotationStore

T = TypeVar("T")


def load_articles(raw_paths: Sequence[str] | None, ner: str = "builtin") -> list[Article]:
    """The analysed articles of the corpus (sample corpus when no path is given).

    `ner="none"` (`corpus.analyze.NO_NER`) only cleans: enough for ids and titles.
    """
    from corpus.analyze import analyze_paths  # only commands that need the corpus pay for it

    return list(analyze_paths(corpus_paths(raw_paths), ner=ner).articles)


def _add_corpus_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument(
        "--corpus",
        metavar="PATH",
        nargs="+",
        action="extend",
        help=f"files or folders of articles {purpose} (default: the sample corpus)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    tag = subparsers.add_parser(
        "tag",
        help="add (or --remove) tags on an article",
        description="Add tags to article ID (an id or unique prefix); --remove takes them off.",
    )
    tag.add_argument("id", metavar="ID", help="article id or unique prefix")
    tag.add_argument("tags", nargs="+", metavar="TAG", help="tags (matched case-insensitively)")
    tag.add_argument("--remove", action="store_true", help="remove the tags instead")
    _add_corpus_option(tag, "to match ID against")
    add_db_option(tag)
    tag.set_defaults(func=run_tag)

    note = subparsers.add_parser(
        "note",
        help="set an article's note (TEXT, or - to read it from stdin)",
        description=(
            "Set the note of article ID to TEXT (Markdown allowed; - reads stdin; an empty "
            "TEXT clears it). Without TEXT, print the current note."
        ),
    )
    note.add_argument("id", metavar="ID", help="article id or unique prefix")
    note.add_argument("text", nargs="?", metavar="TEXT", help="the note, or - for stdin")
    _add_corpus_option(note, "to match ID against")
    add_db_option(note)
    note.set_defaults(func=run_note)

    star = subparsers.add_parser(
        "star", help="star (or --remove the star from) an article", description="Star article ID."
    )
    star.add_argument("id", metavar="ID", help="article id or unique prefix")
    star.add_argument("--remove", action="store_true", help="remove the star")
    _add_corpus_option(star, "to match ID against")
    add_db_option(star)
    star.set_defaults(func=run_star)

    tags = subparsers.add_parser(
        "tags",
        help="list every tag with the number of articles carrying it",
        description="Every tag in the store with its article count, most used first.",
    )
    tags.add_argument("--json", action="store_true", help="a JSON object {tag: count}")
    add_db_option(tags)
    tags.set_defaults(func=run_tags)

    export = subparsers.add_parser(
        "export",
        help="export annotations (json, jsonl, csv, md) or the corpus for another tool",
        description=(
            "Export the annotations (to stdout without -o). json is lossless (import gives an "
            "identical store); jsonl is one article a line; csv one row per annotation (cells "
            "that would start a spreadsheet formula get a leading '); md a report grouped by "
            "tag. Annotations of articles not in the corpus are exported as orphans. "
            "For other tools, every article of the corpus as the reader corrected it, offsets "
            "into the cleaned body: brat (a folder of <id>.txt + <id>.ann), doccano (JSONL), "
            "label-studio (a JSON task list), prodigy (JSONL), spacy (a DocBin, needs spaCy), "
            "conll (IOB2, one token a line)."
        ),
    )
    export.add_argument(
        "--format",
        choices=LazyChoices("store.export", "FORMATS"),
        default="json",
        metavar="FORMAT",
        help="%(choices)s (default: %(default)s)",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE|DIR", help="output file (- for stdout; brat: a folder)"
    )
    _add_corpus_option(export, "the annotations belong to")
    export.add_argument("--tag", metavar="T", help="only articles with tag T")
    export.add_argument("--since", metavar="DATE", help="only articles dated DATE or later")
    export.add_argument("--until", metavar="DATE", help="only articles dated DATE or earlier")
    export.add_argument(
        "--with-analysis", action="store_true", help="jsonl: add body, entities and quotes"
    )
    export.add_argument("--excel", action="store_true", help="csv: UTF-8 with BOM for Excel")
    export.add_argument(
        "--group-by", choices=("tag", "date"), default="tag", help="md: group by tag or date"
    )
    export.add_argument(
        "--doccano-task",
        choices=("labels", "relations", "intent"),
        default="labels",
        help="doccano: the project type (sequence labelling; with relations; intent detection "
        "and slot filling, where the tags are categories)",
    )
    export.add_argument(
        "--annotated-only",
        action="store_true",
        help="tool formats: only the articles the reader annotated, not the whole corpus",
    )
    add_ner_option(export)
    add_db_option(export)
    export.set_defaults(func=run_export)

    importer = subparsers.add_parser(
        "import",
        help="merge a json export, or a doccano/Label Studio/Prodigy file, into the store",
        description=(
            "Merge FILE (a `newsreader export --format json` file, or an annotation store "
            "file; - for stdin) into the store. Importing twice changes nothing; when both "
            "have a different note, both are kept. A malformed file changes nothing. "
            "--format doccano|label-studio|prodigy reads what those tools export: each "
            "document is matched to an article of --corpus (by the article_id of its meta, "
            "else by its exact text), and its spans, speaker relations, tags and notes "
            "become span annotations (corrections) and tags of that article."
        ),
    )
    importer.add_argument("file", metavar="FILE", help="file to import, or - for stdin")
    importer.add_argument(
        "--format",
        choices=LazyChoices("store.export", "IMPORT_FORMATS"),
        default="json",
        metavar="FORMAT",
        help="%(choices)s (default: %(default)s)",
    )
    _add_corpus_option(importer, "the tool's documents come from (tool formats)")
    add_ner_option(importer)
    add_db_option(importer)
    importer.set_defaults(func=run_import)


# --- shared ---------------------------------------------------------------------------------


def open_store(args: argparse.Namespace) -> AnnotationStore:
    from store import AnnotationStore, resolve_db_path

    return AnnotationStore(resolve_db_path(args.db))


def store_call(action: Callable[[], T]) -> T:
    """Run a store action; a StoreError becomes a one-line CLI error (exit 1, bad input 2)."""
    from store import ImportFormatError, InvalidAnnotationError, StoreError

    try:
        return action()
    except (InvalidAnnotationError, ImportFormatError) as error:  # bad input: a tag, a date,
        raise CLIError(f"newsreader: {make_safe(str(error))}", code=2) from None  # a file
    except StoreError as error:
        raise CLIError(f"newsreader: {make_safe(str(error))}", code=1) from None


def resolve_article_id(
    wanted: str, store: AnnotationStore, articles: Callable[[], list[Article]]
) -> str:
    """The article id `wanted` names; a full id already in the store skips reading the corpus."""
    stored = store_call(store.article_ids)
    if wanted and wanted in stored:
        return wanted
    titles = {a.id: a.title for a in articles()} if wanted else {}
    return match_article_id(wanted, stored, titles)


def _corpus_loader(args: argparse.Namespace) -> Callable[[], list[Article]]:
    """Reads the corpus only when called; ids and titles need no entities or quotes."""
    return lambda: load_articles(store_corpus(args), ner="none")


def store_corpus(args: argparse.Namespace) -> list[str] | None:
    """The corpus of a store command: `--corpus`, else the one the app last opened (said on
    stderr), else None (the sample corpus)."""
    if args.corpus:
        return list(args.corpus)
    from tui.config import last_corpus, load_config

    paths = last_corpus(load_config())
    if paths is None:
        return None
    shown = ", ".join(visible_name(str(p)) for p in paths)
    warn(f"newsreader: no --corpus given: reading {shown}, the corpus last opened in the app")
    return [str(p) for p in paths]


def _say_sample_corpus(store: AnnotationStore, articles: list[Article]) -> None:
    """An export of the sample corpus (no --corpus, no corpus opened in the app): say so, and
    how many annotated articles are not in it (they are exported as orphans, with no title)."""
    known = {article.id for article in articles}
    annotated = store_call(store.all)
    missing = sum(1 for aid, rec in annotated.items() if aid not in known and not rec.is_empty)
    note = f"; annotated but not in it: {plural(missing, 'article')} (exported without titles)"
    print(
        "newsreader: no --corpus given: the export reads the sample corpus"
        f"{note if missing else ''} (give --corpus PATH ... for your own)",
        file=sys.stderr,
    )


def _show(text: str) -> str:
    """User text on one line of terminal output: inert, newlines shown as ⏎."""
    return make_safe(text).replace("\n", "⏎")


# --- commands -------------------------------------------------------------------------------


def run_tag(args: argparse.Namespace) -> int:
    store = open_store(args)
    article_id = resolve_article_id(args.id, store, _corpus_loader(args))
    if args.remove:
        store_call(lambda: store.remove_tags(article_id, args.tags))
    else:
        store_call(lambda: store.add_tags(article_id, args.tags))
    tags = store_call(lambda: store.get(article_id)).tags
    print(f"{article_id}: " + (", ".join(_show(t) for t in tags) if tags else "(no tags)"))
    return 0


def run_note(args: argparse.Namespace) -> int:
    store = open_store(args)
    article_id = resolve_article_id(args.id, store, _corpus_loader(args))
    if args.text is None:
        note = store_call(lambda: store.get(article_id)).note
        if note:
            sys.stdout.write(make_safe(note).rstrip("\n") + "\n")
        return 0
    text = sys.stdin.read() if args.text == "-" else args.text
    store_call(lambda: store.set_note(article_id, text))
    saved = store_call(lambda: store.get(article_id)).note
    print(f"{article_id}: note " + (f"saved ({len(saved)} characters)" if saved else "cleared"))
    return 0


def run_star(args: argparse.Namespace) -> int:
    store = open_store(args)
    article_id = resolve_article_id(args.id, store, _corpus_loader(args))
    store_call(lambda: store.set_starred(article_id, not args.remove))
    print(f"{article_id}: " + ("unstarred" if args.remove else "starred"))
    return 0


def run_tags(args: argparse.Namespace) -> int:
    store = open_store(args)
    counts = store_call(store.tag_counts)
    if args.json:
        from corpus.textsafe import dumps_inert

        sys.stdout.write(dumps_inert(counts, indent=2) + "\n")
        return 0
    for tag, count in counts.items():
        print(f"{count:>6}  {_show(tag)}")
    return 0


def _parse_date_option(value: str | None, option: str) -> dt.date | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CLIError(f"newsreader: {option} wants a date YYYY-MM-DD, not {value!r}", 2) from None


def write_output(path: Path, data: bytes) -> None:
    """Write `-o PATH`: a file is replaced atomically, a FIFO or device written as a stream.

    A folder, socket, block device or a FIFO nobody reads is refused, and a write that fails
    is a clear error (exit 1, like every output file problem). See
    `store.storage.atomic_write_bytes`.
    """
    from store.storage import NotRegularFileError, atomic_write_bytes, describe_os_error

    shown = visible_name(str(path))
    if path.is_dir():
        raise CLIError(f"newsreader: cannot write {shown}: it is a folder", code=1)
    try:
        atomic_write_bytes(path, data, streams=True)
    except NotRegularFileError as error:
        raise CLIError(f"newsreader: cannot write {shown}: it is {error}", code=1) from None
    except OSError as error:
        raise CLIError(f"newsreader: cannot write {shown}: {describe_os_error(error)}", 1) from None


def run_export(args: argparse.Namespace) -> int:
    from store.export import TOOL_FORMATS, render, select_items, write_brat
    from store.storage import describe_os_error

    since = _parse_date_option(args.since, "--since")
    until = _parse_date_option(args.until, "--until")
    if args.format == "brat" and args.output in (None, "-"):
        raise CLIError("newsreader: --format brat writes a folder: give it with -o DIR", code=2)
    if args.format == "spacy" and args.output in (None, "-") and sys.stdout.isatty():
        raise CLIError("newsreader: --format spacy is binary: give a file with -o FILE", code=2)
    check_ner_backend(args.ner)
    every = args.format in TOOL_FORMATS and not args.annotated_only
    store = open_store(args)
    corpus = store_corpus(args)
    articles = load_articles(corpus, ner=args.ner)
    if not corpus:
        _say_sample_corpus(store, articles)
    items = store_call(
        lambda: select_items(
            store, articles, tag=args.tag, since=since, until=until, every_article=every
        )
    )
    orphans = sum(1 for item in items if item.article is None)
    if args.format == "brat":
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise CLIError(f"newsreader: cannot write brat folder {folder}: it is a file", 1)
        try:
            documents = write_brat(items, folder)
        except OSError as error:
            raise CLIError(
                f"newsreader: cannot write {folder}: {describe_os_error(error)}", 1
            ) from None
        warn(
            f"newsreader: wrote {plural(documents, 'brat document')} to {visible_name(str(folder))}"
        )
        if orphans:
            where = visible_name(str(folder / "orphans.json"))
            warn(f"newsreader: {plural(orphans, 'orphan article')} (no text) are in {where}")
        return 0
    filters = {"tag": args.tag, "since": args.since, "until": args.until}
    from store.formats.spacy_docbin import SpacyUnavailable

    try:
        data = render(
            args.format,
            items,
            with_analysis=args.with_analysis,
            excel=args.excel,
            group_by=args.group_by,
            filters=filters,
            doccano_task=args.doccano_task,
            model_version=f"newsreader-{args.ner}",
        )
    except SpacyUnavailable as error:
        raise CLIError(f"newsreader: {error}", code=1) from None
    if args.format in TOOL_FORMATS:
        orphans = 0  # not written: the tools need the text
        items = [item for item in items if item.article is not None]
    if args.output and args.output != "-":
        write_output(Path(args.output), data)
        counted = f"{plural(len(items), 'article')} ({plural(orphans, 'orphan')})"
        warn(f"newsreader: exported {counted} to {visible_name(args.output)}")
    else:  # no -o, or -o -: stdout
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def run_import(args: argparse.Namespace) -> int:
    from corpus.untrusted import UnreadableFile, read_bounded_stream, read_regular_file
    from store.importer import parse_import_bytes
    from store.storage import MAX_STORE_BYTES

    source = "<stdin>" if args.file == "-" else args.file
    # Only a regular file (a FIFO would block, /dev/zero never end) or stdin, both bounded.
    try:
        if args.file == "-":
            data = read_bounded_stream(sys.stdin.buffer, MAX_STORE_BYTES)
        else:
            data = read_regular_file(Path(args.file).expanduser(), MAX_STORE_BYTES)
    except UnreadableFile as error:
        raise CLIError(
            f"newsreader: cannot import {visible_name(source)}: {error}; nothing was imported",
            code=2,
        ) from None
    store = open_store(args)
    if args.format != "json":
        return _import_tool_file(args, store, data, source)
    incoming = store_call(lambda: parse_import_bytes(data, source))
    report = store_call(lambda: store.import_annotations(incoming))
    print(
        f"imported {plural(report.articles_in_file, 'article')} from {make_safe(source)}: "
        f"{report.added} new, {report.merged} merged, {report.unchanged} unchanged"
        + (f", {report.note_conflicts} differing notes kept both" if report.note_conflicts else "")
        + (
            f", {report.date_conflicts} differing dates kept the store's"
            if report.date_conflicts
            else ""
        )
    )
    return 0


def _import_tool_file(
    args: argparse.Namespace, store: AnnotationStore, data: bytes, source: str
) -> int:
    """`import --format doccano|label-studio|prodigy`: the tool's documents onto the corpus."""
    from store.annotations import iso_timestamp, utc_now
    from store.formats.tool_import import parse_tool_file, plan_import

    documents = store_call(lambda: parse_tool_file(args.format, data, source))
    check_ner_backend(args.ner)
    articles = load_articles(store_corpus(args), ner=args.ner)
    current = store_call(store.all)
    now = iso_timestamp(utc_now())
    plan = store_call(lambda: plan_import(documents, articles, current, source, now))
    report = store_call(lambda: store.import_annotations(plan.incoming))
    print(
        f"imported {plan.documents} {args.format} documents from {make_safe(source)}: "
        f"{plural(report.added + report.merged, 'article')} changed, {report.unchanged} unchanged "
        f"({plan.corrections} span annotations, {plan.tags} new tags)"
    )
    return 0


__all__ = ["load_articles", "register", "resolve_article_id"]
