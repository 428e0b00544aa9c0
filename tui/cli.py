"""The `newsreader` command: open the app on a corpus, or run a subcommand for scripts.

`newsreader [PATH ...]` opens the app (no PATH: the built-in sample corpus). The first word
decides: a known subcommand name runs that subcommand, anything else is a corpus path. Each
area registers its subcommands from its own module (`register(subparsers)`), so the command
table lives next to the code it drives.

Start-up is kept to what the command uses: the command modules import only argparse and
`tui.cli_common` at the top, and each command imports the analysis, the index, the store,
Rich or Textual when it runs (tests/test_cli_speed.py checks which modules `--version`,
`--help` and the store commands load). The version is a constant (`corpus.version`), not
read through `importlib.metadata`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from corpus.textsafe import visible_text
from corpus.version import VERSION
from tui.cli_common import (
    CLIError,
    add_db_option,
    add_ner_option,
    check_ner_backend,
    corpus_paths,
    join_corpus_paths,
)

COMMANDS = {
    "tui.cli_corpus": ("analyze", "list", "show"),
    "tui.cli_store": ("tag", "note", "star", "tags", "export", "import"),
    "tui.cli_index": ("index", "search"),
    "tui.cli_quotes": ("quotes", "people"),
    "tui.cli_help": ("help", "completion"),
}
"""Each command module and the subcommands its `register` adds (tests/test_cli_speed.py
checks the table against the modules): a command builds only its own module's parsers."""


def package_version() -> str:
    """The version `--version` prints (a constant: no package metadata is read)."""
    return VERSION


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, sized to the terminal without importing `shutil`, that
    keeps example blocks as written.

    argparse imports `shutil` (and with it `bz2`, `lzma` ...) for the terminal width as
    soon as a parser is made, help or not: 2 ms of every start-up. `os` gives the width.
    A paragraph of a description or epilog whose first line ends in ":" ("examples:") or
    whose lines are indented is printed as it is; other paragraphs are filled.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in text.split("\n\n"):
            lines = block.strip("\n").splitlines()
            if lines and (lines[0].endswith(":") or all(x.startswith("  ") for x in lines)):
                blocks.append("\n".join(indent + line for line in lines))
            else:
                blocks.append(super()._fill_text(block, width, indent))
        return "\n\n".join(blocks)

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """`$COLUMNS`, else the terminal's width, else 80 (what `shutil.get_terminal_size` does)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class InertArgumentParser(argparse.ArgumentParser):
    """An argument parser whose messages spell out hidden characters.

    argparse echoes arguments in its errors ("unrecognized arguments: ..."), and a scraped
    file name passed on the command line can carry terminal escape sequences.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        super()._print_message(visible_text(message) if message else message, file)


TOP_EXAMPLES = """examples:
  newsreader ~/news                        open the app on a folder of articles
  newsreader search 'storm tag:urgent' ~/news
  newsreader list ~/news | cut -f1,3       (to a pipe: tab-separated columns)
  newsreader analyze - < article.html      one article from stdin, as JSON
  newsreader export --format csv --corpus ~/news -o notes.csv

Run `newsreader help COMMAND` (or `newsreader COMMAND --help`) for a subcommand's options."""


class TopLevelParser(InertArgumentParser):
    """The `newsreader` parser: its help also lists the options of the app itself."""

    def format_help(self) -> str:
        formatter = self._get_formatter()
        formatter.start_section("app options (newsreader [PATH ...])")
        formatter.add_arguments(build_app_parser()._actions[1:])  # (not its -h)
        formatter.end_section()
        help_text = super().format_help()
        epilog_at = help_text.rfind("examples:")
        return help_text[:epilog_at] + formatter.format_help() + "\n" + help_text[epilog_at:]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The subcommand parser: every subcommand, or only those of `command`'s module."""
    parser = TopLevelParser(
        prog="newsreader",
        usage="newsreader [PATH ...] [app options]\n       newsreader COMMAND [options]",
        description=(
            "A terminal reader for news corpora. `newsreader [PATH ...]` opens the app on the "
            "articles under PATH (files or folders; no PATH: the built-in sample corpus); a "
            "COMMAND does the same work for scripts."
        ),
        epilog=TOP_EXAMPLES,
    )
    parser.add_argument("--version", action="version", version=f"newsreader {package_version()}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=InertArgumentParser, prog="newsreader"
    )
    for module, names in COMMANDS.items():
        if command is None or command in names:
            importlib.import_module(module).register(sub)
    from tui.cli_help import add_examples

    add_examples(sub)
    return parser


def build_app_parser() -> argparse.ArgumentParser:
    parser = InertArgumentParser(
        prog="newsreader",
        description="Open the newsreader app on a corpus (no PATH: the built-in sample corpus).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of articles")
    add_db_option(parser)
    parser.add_argument("--cache", metavar="PATH", help="corpus index cache file")
    add_ner_option(parser)
    return parser


def run_app(args: argparse.Namespace) -> int:
    from tui.app import make_app  # imported here: subcommands never pay for textual

    paths = corpus_paths(args.paths)
    check_ner_backend(args.ner)
    app = make_app(paths=paths, db_path=args.db, cache_path=args.cache, ner=args.ner)
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        command = command_of(argv)
        if command is not None or (argv and argv[0] in ("-h", "--help", "--version")):
            parser = build_parser(command if argv[0] == command else None)
            args = parser.parse_args(argv)
            join_corpus_paths(args)
            handler: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
            if handler is None:
                parser.print_help()
                return 0
            return handler(args)
        return run_app(build_app_parser().parse_args(argv))
    except CLIError as error:
        print(visible_text(str(error)), file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsreader list | head`
        sys.stderr.close()
        return 0


FAST_EXIT_COMMANDS = frozenset({"search"})
"""Commands that leave nothing to finalize (their writes are committed before they answer):
the `newsreader` script ends them with `os._exit`, which skips the interpreter's teardown of
every module (~10 ms of a 60 ms search; benchmarks/RESULTS.md, issue 13)."""


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names (its first word that is not an option), or None: the app."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if any(first in names for names in COMMANDS.values()) else None


def entry() -> None:
    """The `newsreader` script: `main` on the process's arguments, then exit."""
    code = main(sys.argv[1:])
    if command_of(sys.argv[1:]) not in FAST_EXIT_COMMANDS:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `newsreader search ... | head`: the reader stopped reading
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
