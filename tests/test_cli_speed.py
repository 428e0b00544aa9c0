"""Start-up: each `newsreader` command imports only what it uses.

Each check runs the command in a fresh interpreter and looks at `sys.modules` afterwards
(the harlequin way): `--version` and `--help` load no analysis, index, store, Rich or
Textual; the store commands load the store but no analysis; `search` on a current index
loads neither the analysis nor the reader. No test measures time (benchmarks/cli_speed.py
does). The constants the command line spells to stay light are checked against their
sources.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import json, sys
from tui.cli import main
try:
    code = main({argv!r})
except SystemExit as exit_:
    code = exit_.code
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""

ANALYSIS = {"corpus.analyze", "corpus.entities", "corpus.quotes", "corpus.clean"}
HEAVY = ANALYSIS | {"textual", "rich", "tinydb", "store", "corpus.index", "importlib.metadata"}
STARTUP = HEAVY | {"shutil", "difflib", "sqlite3"}


def modules_after(argv: list[str], tmp_path: Path) -> set[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NEWSREADER_DB": str(tmp_path / "store.json"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(argv=argv)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    last = done.stderr.strip().splitlines()[-1]
    return set(json.loads(last))


def loaded(modules: set[str], names: set[str]) -> set[str]:
    """Which of `names` (packages: any module in them) are among `modules`."""
    return {n for n in names if any(m == n or m.startswith(n + ".") for m in modules)}


@pytest.mark.parametrize("argv", [["--version"], ["--help"]], ids=["version", "help"])
def test_version_and_help_import_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    assert loaded(modules_after(argv, tmp_path), STARTUP) == set()


SAMPLE_ID = "27415430c2fae0bd"  # an article of the sample corpus


@pytest.mark.parametrize(
    "argv",
    [["tags"], ["tags", "--json"], ["note", SAMPLE_ID], ["tag", SAMPLE_ID, "x"]],
    ids=["tags", "tags-json", "note", "tag"],
)
def test_store_commands_import_no_analysis(argv: list[str], tmp_path: Path) -> None:
    """A full id already in the store: the corpus is not read, so not analysed either."""
    store = tmp_path / "store.json"
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "tag", SAMPLE_ID, "seed", "--db", str(store)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modules = modules_after(argv, tmp_path)
    assert "store" in modules
    assert loaded(modules, ANALYSIS | {"textual", "corpus.index", "importlib.metadata"}) == set()


def test_search_of_a_current_index_imports_no_analysis(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "2025"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("Harbour news\n\nThe harbour bridge reopened on Monday.\n")
    cache = str(tmp_path / "index.sqlite")
    argv = ["search", "harbour", str(tmp_path / "corpus"), "--cache", cache]
    first = modules_after(argv, tmp_path)  # builds the index: analyses
    assert "corpus.analyze" in first
    again = modules_after(argv, tmp_path)  # current: the query only
    assert "corpus.index" in again
    # only the store file's stat is taken: the index has its tags
    unwanted = ANALYSIS | {"textual", "rich", "corpus.reader", "tinydb", "importlib.metadata"}
    assert loaded(again, unwanted) == set()
    # nor what the refresh needs and the read side does without (issue 13's fourth round)
    refresh_only = {"corpus.model", "dataclasses", "hashlib", "platformdirs", "corpus.index.codec"}
    assert loaded(again, refresh_only) == set()


def test_the_constants_spelled_for_speed_are_their_sources() -> None:
    from corpus import analyze
    from corpus.version import VERSION
    from tui import cli_common

    assert cli_common.NO_NER == analyze.NO_NER
    from corpus.entities import BACKENDS

    assert cli_common.ENTITY_BACKENDS == BACKENDS
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == VERSION


def test_lazy_choices_are_checked_and_shown(capsys: pytest.CaptureFixture[str]) -> None:
    from corpus.entities import BACKENDS
    from store.export import FORMATS
    from tui.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "nonsense"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err and all(f in err for f in FORMATS)
    with pytest.raises(SystemExit):
        main(["people", "--help"])
    out = capsys.readouterr().out
    assert all(b in out for b in BACKENDS) and "mentions" in out


def test_the_command_table_names_what_each_module_registers() -> None:
    import argparse
    import importlib

    from tui.cli import COMMANDS

    for module, names in COMMANDS.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module).register(sub)
        assert tuple(sub.choices) == names, module


def test_a_command_builds_only_its_own_modules_parsers(tmp_path: Path) -> None:
    modules = modules_after(["tags", "--db", str(tmp_path / "store.json")], tmp_path)
    assert "tui.cli_store" in modules
    assert loaded(modules, {"tui.cli_corpus", "tui.cli_index", "tui.cli_quotes"}) == set()
    everything = modules_after(["--help"], tmp_path)
    assert {"tui.cli_corpus", "tui.cli_store", "tui.cli_index", "tui.cli_quotes"} <= everything


def test_the_script_ends_a_search_with_its_whole_output_and_exit_code(tmp_path: Path) -> None:
    """`entry` ends a search with os._exit: its output must be whole and its code kept."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"{n:02}.txt").write_text(f"Harbour news {n}\n\nThe harbour bridge reopened.\n")
    cache = str(tmp_path / "index.sqlite")

    def script(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui.launch", *argv],  # what the `newsreader` script runs
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
            timeout=120,
            check=False,
        )

    found = script("search", "harbour", str(corpus), "--cache", cache, "--limit", "50")
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.splitlines()) == 30  # a pipe: one tab-separated line per hit
    assert script("search", "nowhere", str(corpus), "--cache", cache).returncode == 1
    missing = script("search", "harbour", str(tmp_path / "absent"), "--cache", cache)
    assert missing.returncode == 2 and "absent" in missing.stderr


SEARCH_ARGVS = [
    ["search", "harbour", "news"],
    ["search", "harbour", "news", "more"],
    ["search", "--limit", "5", "harbour", "news"],
    ["search", "--limit=5", "harbour", "news", "--json"],
    ["search", "harbour", "news", "--cache", "x.sqlite", "--db", "s.json", "--ner", "builtin"],
    ["search", "harbour", "--", "-odd name", "news"],
    ["search", "harbour", "~/news", "news/", "./news//2025"],
    ["search", "harbour", "-"],
    ["search", "harbour", "--json", "news"],  # guessed, but argparse refuses it
    ["search", "--json", "harbour"],  # no PATH: the sample corpus, not guessed
    ["search", "harbour", "news", "--no-refresh"],
    ["search", "harbour", "news", "--lim", "5"],  # an abbreviation: argparse's to read
    ["search", "harbour", "--corpus", "news"],
    ["search", "harbour", "news", "--json=yes"],
    ["search", "harbour", "news", "--limit"],
    ["search", "harbour", "news", "-h"],
    ["list", "news"],
]


@pytest.mark.parametrize("argv", SEARCH_ARGVS, ids=[" ".join(a[1:]) for a in SEARCH_ARGVS])
def test_the_scripts_guess_of_a_searchs_paths_is_argparses_or_none(argv: list[str]) -> None:
    from tui.cli import build_parser
    from tui.launch import search_paths

    guess = search_paths(argv)
    if guess is None:
        return
    try:
        args = build_parser("search").parse_args(argv)
    except SystemExit:  # argparse refuses it (a PATH after an option): the walk is wasted
        assert argv == ["search", "harbour", "--json", "news"]
        return
    assert args.refresh and not getattr(args, "corpus_paths", None)
    assert guess == args.paths


def test_the_guesses_that_are_made_are_the_plain_ones() -> None:
    from tui.launch import search_paths

    guessed = [argv for argv in SEARCH_ARGVS if search_paths(argv) is not None]
    assert guessed == SEARCH_ARGVS[:9]  # every entry of the option tables is exercised
    assert search_paths(["search", "harbour", "--", "-odd name", "news"]) == ["-odd name", "news"]


def test_the_scripts_option_tables_are_the_search_parsers() -> None:
    """Every option of `newsreader search` is in one of the tables of `tui.launch` (or is one
    it leaves to argparse), with the right arity: a new option cannot be misread as a PATH."""
    from tui.cli import build_parser
    from tui.launch import SEARCH_FLAG_OPTIONS, SEARCH_VALUE_OPTIONS

    search = build_parser("search")._subparsers._group_actions[0].choices["search"]  # type: ignore[union-attr]
    left_to_argparse = {"-h", "--help", "--no-refresh", "--corpus"}
    values, flags = set(), set()
    for action in search._actions:
        for option in action.option_strings:
            if option in left_to_argparse:
                continue
            (values if action.nargs is None else flags).add(option)
            assert action.nargs in (None, 0), option
    assert values == SEARCH_VALUE_OPTIONS
    assert flags == SEARCH_FLAG_OPTIONS


EARLY = """
import json, os, sys
from pathlib import Path
from corpus import index_freshness as f
words = json.loads(sys.argv[1]); given = [Path(p) for p in json.loads(sys.argv[2])]
f.start_early_walk(words)
early = f._early_walk[1] if f._early_walk else None
with f.SignatureSoon(given) as soon:
    adopted = soon._child is not None and soon._child[0] == early
    same = soon() == f.tree_signature(given)
print(json.dumps([early is not None, adopted, same]))
"""


@pytest.mark.parametrize(
    ("words", "given", "adopted"),
    [
        (["corpus"], ["corpus"], True),
        (["./corpus//"], ["corpus"], True),
        (["~/corpus"], ["HOME/corpus"], True),
        (["corpus", "other"], ["corpus"], False),  # a wrong guess: walked again
        (["other"], ["corpus"], False),
    ],
)
def test_an_early_walk_is_adopted_only_for_its_own_paths(
    words: list[str], given: list[str], adopted: bool, tmp_path: Path
) -> None:
    for folder in ("corpus/2025", "other"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.txt").write_text("Harbour news\n\nThe bridge reopened.\n")
    given = [g.replace("HOME", str(tmp_path)) for g in given]
    done = subprocess.run(
        [sys.executable, "-c", EARLY, json.dumps(words), json.dumps(given)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=True,
    )
    forked, took, same = json.loads(done.stdout)
    assert forked  # a fresh interpreter runs no other thread: it forks
    assert (took, same) == (adopted, True)


@pytest.mark.parametrize(
    "word",
    ["corpus", "corpus/", "./corpus", "a//b/./c/", "/", "//x", "///x", ".", "~", "~/x", "x/.."],
)
def test_the_childs_names_are_pathlibs(word: str) -> None:
    from corpus.index_freshness import _expanded, _plain_names

    assert _plain_names([word]) == _expanded([word])
