"""`newsreader help [COMMAND]` and `newsreader completion SHELL`.

`help` prints what `--help` prints (the whole command line, or one subcommand); `completion`
prints a bash, zsh or tcsh completion script made from the same parser by shtab, so the
completions never fall behind the options.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli_common import CLIError

SHELLS = ("bash", "zsh", "tcsh")

EXAMPLES = {
    "analyze": """examples:
  newsreader analyze ~/news > articles.jsonl
  newsreader analyze - < saved-page.html | jq .entities
  newsreader analyze ~/archive -o records/ --workers 8   (partitioned JSON Lines)""",
    "list": """examples:
  newsreader list ~/news
  newsreader list ~/news | sort -t$'\\t' -k2 | cut -f1,3   (to a pipe: tab-separated)
  newsreader list ~/news --json | jq -r '.[].title'""",
    "show": """examples:
  newsreader show 2741 ~/news | less""",
    "tag": """examples:
  newsreader tag 2741 follow-up urgent --corpus ~/news
  newsreader tag 2741 urgent --remove""",
    "note": """examples:
  newsreader note 2741 'Call the council press office'
  echo 'Checked with the source' | newsreader note 2741 -
  newsreader note 2741                                   (print the note)""",
    "star": """examples:
  newsreader star 2741
  newsreader star 2741 --remove""",
    "tags": """examples:
  newsreader tags --json | jq -r '.[0].tag'""",
    "export": """examples:
  newsreader export --format csv --corpus ~/news -o notes.csv
  newsreader export --format jsonl --with-analysis --corpus ~/news -o - | jq .
  newsreader export --format brat --corpus ~/news -o brat-folder/""",
    "import": """examples:
  newsreader import colleague-export.json
  newsreader import --format doccano --corpus ~/news doccano.jsonl""",
    "index": """examples:
  newsreader index ~/news
  newsreader index ~/archive --workers 4
  newsreader index ~/archive --engine dask --scheduler tcp://10.0.0.5:8786""",
    "search": """examples:
  newsreader search 'storm AND (harbour OR port)' ~/news
  newsreader search 'speaker:"Keir Starmer" date:2025-02..2025-03' ~/news --json
  newsreader search 'tag:urgent' ~/news | cut -f1    (to a pipe: tab-separated)""",
    "quotes": """examples:
  newsreader quotes ~/news --speaker Starmer --format md -o starmer.md
  newsreader quotes ~/news --format jsonl | jq -r .speaker | sort | uniq -c""",
    "people": """examples:
  newsreader people ~/news --label PERSON --sort articles
  newsreader people ~/news --json | jq '.[:10]'""",
    "help": """examples:
  newsreader help
  newsreader help search""",
    "completion": """examples:
  newsreader completion bash > ~/.local/share/bash-completion/completions/newsreader
  newsreader completion zsh > ~/.zfunc/_newsreader      (a folder in $fpath)""",
}
"""Examples shown under each subcommand's help (`add_examples`)."""


def add_examples(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Put each registered subcommand's examples (`EXAMPLES`) under its help."""
    for name, subparser in subparsers.choices.items():
        subparser.epilog = EXAMPLES.get(name, subparser.epilog)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
    helper = subparsers.add_parser(
        "help",
        help="show the help of newsreader or of one command",
        description="Show the help of the whole command line, or of COMMAND.",
    )
    helper.add_argument("topic", nargs="?", metavar="COMMAND", help="a subcommand's name")
    helper.set_defaults(func=run_help)

    completion = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh, tcsh)",
        description=(
            "Print the completion script of SHELL for newsreader's commands and options; "
            "save it where your shell reads completions (examples below)."
        ),
    )
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or tcsh")
    completion.set_defaults(func=run_completion)


def run_help(args: argparse.Namespace) -> int:
    from tui.cli import build_parser

    parser = build_parser()
    if args.topic is None:
        parser.print_help()
        return 0
    subcommands = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    if args.topic not in subcommands:
        known = ", ".join(sorted(subcommands))
        raise CLIError(f"newsreader: no command {args.topic!r} (commands: {known})", code=2)
    subcommands[args.topic].print_help()
    return 0


PATH_DESTINATIONS = frozenset(
    {"paths", "corpus", "corpus_paths", "db", "cache", "output", "out", "file", "from_dir"}
)
"""The arguments that name files or folders: completed with file names."""


def run_completion(args: argparse.Namespace) -> int:
    import shtab

    from tui.cli import build_parser

    parser = build_parser()
    for action in _every_action(parser):
        if action.dest in PATH_DESTINATIONS:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return 0


def _every_action(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The parser's arguments and those of every subcommand."""
    actions = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                actions += _every_action(subparser)
    return actions
