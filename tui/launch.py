"""The `newsreader` script: before the command line is imported, a search starts its walk.

`newsreader search QUERY PATH ...` spends most of its time in two things that do not depend on
each other: importing and parsing (argparse, the index, SQLite) and walking the corpus to see
whether the index is current. `entry` reads the corpus paths from the words of the command
line (`search_paths`, a guess made without argparse) and has a child process walk them
(`corpus.index_freshness.start_early_walk`) while this process imports the rest. The guess
only decides where the walk starts: the search adopts the child only when the paths argparse
gives are the ones it walks (otherwise it walks them itself), so a wrong guess costs a fork,
never a wrong answer. tests/test_cli_speed.py checks the option tables against the parser.
"""

from __future__ import annotations

import sys

SEARCH_VALUE_OPTIONS = frozenset({"--cache", "--db", "--limit", "--ner", "--spacy-model"})
"""The options of `newsreader search` that take a value (the next word, or `=value`)."""

SEARCH_FLAG_OPTIONS = frozenset({"--json"})
"""The options of `newsreader search` that take none (besides --no-refresh, which walks nothing)."""


def search_paths(argv: list[str]) -> list[str] | None:
    """The PATH words of `newsreader search QUERY PATH ...` in `argv`, or None where that
    is not what `argv` plainly says (another command, --no-refresh, --corpus, an option
    spelled any other way, no PATH): the cases argparse alone can read."""
    if not argv or argv[0] != "search":
        return None
    positionals: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word == "--":
            positionals.extend(words)
            break
        if not word.startswith("-") or word == "-":
            positionals.append(word)
            continue
        name, equals, _ = word.partition("=")
        if name in SEARCH_VALUE_OPTIONS:
            if not equals and next(words, None) is None:
                return None
        elif name not in SEARCH_FLAG_OPTIONS or equals:
            return None
    return positionals[1:] or None


def entry() -> None:
    """Start the walk of a search (see the module docstring), then run `tui.cli.entry`."""
    paths = search_paths(sys.argv[1:])
    if paths is not None:
        from corpus.index_freshness import start_early_walk

        start_early_walk(paths)
    from tui.cli import entry as run

    run()


if __name__ == "__main__":
    entry()
