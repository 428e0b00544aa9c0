"""`newsreader quotes` and `newsreader people`: who said what, and who is in the corpus.

`quotes` exports attributed quotes (all speakers, or the ones matching `--speaker NAME`) as
CSV, Markdown or JSON lines, to stdout or `-o FILE`, in speaker then date order. The CSV and
Markdown are written by `store.export`'s writers, the same as `export`'s: formula cells
neutralised, every Markdown-active character escaped, article ids in safe code spans.
`--speaker` matches a speaker's full name case-insensitively, else every speaker whose name
contains all its words ("Starmer" -> "Keir Starmer"); no match exits 1.
`people` lists every canonical entity with its label, article and mention counts and the
first and last date it is seen (`--json` for scripts). Both read the corpus index when it
is current (`tui.cli_corpus.load_corpus`), else analyse the corpus.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli_common import (
    CLIError,
    LazyChoices,
    add_corpus_paths,
    add_db_option,
    add_ner_option,
    library_of,
    warn,
)
from tui.cli_corpus import load_corpus

if TYPE_CHECKING:
    from corpus.people import EntityStats, SpeakerStats

QUOTE_FIELDS = (
    "speaker",
    "date",
    "article_id",
    "article_title",
    "kind",
    "text",
    "start",
    "end",
    "cue",
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    quotes = subparsers.add_parser(
        "quotes",
        help="export attributed quotes (csv, md or jsonl)",
        description=(
            "Export the attributed quotes of the articles under PATH (no PATH: the sample "
            "corpus), by speaker and in date order."
        ),
    )
    add_corpus_paths(quotes)
    quotes.add_argument(
        "--speaker",
        metavar="NAME",
        help="only this speaker (full name, or words of it: 'Starmer')",
    )
    quotes.add_argument(
        "--format", choices=("csv", "md", "jsonl"), default="csv", help="output format"
    )
    quotes.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    add_db_option(quotes)
    add_ner_option(quotes)
    quotes.set_defaults(func=run_quotes)

    people = subparsers.add_parser(
        "people",
        help="list the people, organisations and places in the corpus",
        description=(
            "List every canonical entity of the articles under PATH with its label, number "
            "of articles and mentions, and the first and last date it is seen."
        ),
    )
    add_corpus_paths(people)
    people.add_argument("--json", action="store_true", help="a JSON array for scripts")
    people.add_argument(
        "--sort",
        choices=LazyChoices("corpus.people", "ENTITY_SORT_KEYS"),
        default="mentions",
        metavar="KEY",
        help="sort order: %(choices)s (default: %(default)s)",
    )
    people.add_argument(
        "--label",
        action="append",
        metavar="LABEL",
        help="only this label (repeatable; default: all named labels)",
    )
    add_db_option(people)
    add_ner_option(people)
    people.set_defaults(func=run_people)


def quote_rows(speakers: Sequence[SpeakerStats]) -> list[dict[str, object]]:
    """One flat record per quote, in the order of `speakers` then date."""
    return [
        {"speaker": speaker.name, **quote.to_json()}
        for speaker in speakers
        for quote in speaker.quotes
    ]


def _quote_record(row: dict[str, object]) -> dict[str, object]:
    return {name: row.get(name) for name in QUOTE_FIELDS}


def format_csv(rows: Sequence[dict[str, object]]) -> str:
    """The quotes as CSV, through the one CSV writer (formula cells get a leading ')."""
    from store.export import csv_text

    return csv_text(QUOTE_FIELDS, ([row.get(name) for name in QUOTE_FIELDS] for row in rows))


def format_jsonl(rows: Sequence[dict[str, object]]) -> str:
    from corpus.textsafe import dumps_inert

    return "".join(dumps_inert(_quote_record(r)) + "\n" for r in rows)


def format_markdown(speakers: Sequence[SpeakerStats]) -> str:
    """A section per speaker, a bullet per quote, through `store.export`'s Markdown escapers."""
    from store.export import md_code, md_inline

    lines: list[str] = []
    for speaker in speakers:
        if not speaker.quotes:
            continue
        count = f"{speaker.quote_count} quote{'s' if speaker.quote_count != 1 else ''}"
        lines += [f"## {md_inline(speaker.name)}", "", f"{count}.", ""]
        for quote in speaker.quotes:
            where = f"{md_inline(quote.date or 'undated')}, *{md_inline(quote.article_title)}*"
            lines.append(f"- {md_inline(quote.text)} ({where}, {md_code(quote.article_id)})")
        lines.append("")
    return "\n".join(lines)


def _write(text: str, output: str | None) -> None:
    """`text` to stdout (no FILE, or -) or atomically to FILE as UTF-8."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from tui.cli_store import write_output

    write_output(Path(output).expanduser(), text.encode("utf-8"))


def run_quotes(args: argparse.Namespace) -> int:
    from corpus.people import find_speaker

    result = load_corpus(args.paths, args.ner)
    speakers = library_of(result.articles, args.db).speakers()
    if args.speaker is not None:
        matched = find_speaker(speakers, args.speaker)
        if not matched:
            known = ", ".join(s.name for s in speakers[:12]) or "none"
            raise CLIError(
                f"newsreader: no speaker matches {args.speaker!r} (speakers: {known})", code=1
            )
        if len(matched) > 1:
            warn(f"newsreader: {args.speaker!r} matches {', '.join(s.name for s in matched)}")
        speakers = matched
    if args.format == "md":
        text = format_markdown(speakers)
    elif args.format == "jsonl":
        text = format_jsonl(quote_rows(speakers))
    else:
        text = format_csv(quote_rows(speakers))
    _write(text, args.output)
    return 0


def entity_json(stats: EntityStats) -> dict[str, object]:
    return {
        "canonical": stats.canonical,
        "label": stats.label,
        "articles": stats.article_count,
        "mentions": stats.mention_count,
        "first_date": stats.first_date,
        "last_date": stats.last_date,
        "surface_forms": list(stats.surface_forms),
    }


def run_people(args: argparse.Namespace) -> int:
    from corpus.people import NAMED_LABELS, sort_entities
    from corpus.textsafe import dumps_inert

    result = load_corpus(args.paths, args.ner)
    labels = {label.upper() for label in args.label} if args.label else NAMED_LABELS
    stats = sort_entities(library_of(result.articles, args.db).people(labels=labels), args.sort)
    if args.json:
        sys.stdout.write(dumps_inert([entity_json(s) for s in stats]) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for name, justify in (
        ("name", "left"),
        ("label", "left"),
        ("articles", "right"),
        ("mentions", "right"),
        ("first", "left"),
        ("last", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=name != "name")  # type: ignore[arg-type]
    for s in stats:
        table.add_row(
            Text(s.canonical),
            Text(s.label),
            Text(str(s.article_count)),
            Text(str(s.mention_count)),
            Text(s.first_date or "undated"),
            Text(s.last_date or "undated"),
        )
    Console(highlight=False).print(table)
    return 0
