"""Terminal and markup injection through the `newsreader` command line.

A corpus of hostile files (tests/fixtures/hostile: escape sequences, OSC 8 links, OSC 52
clipboard writes, title changes, C0/C1 controls, bidi overrides, zero-width characters and
Rich/Textual markup in titles, bodies, bylines and sources) and hostile *file names* go
through `list`, `analyze`, `show`, `search`, `tag`, `note`, `tags` and `export`, both
in-process (`tui.cli.main` with capsys) and as a real subprocess writing to a pipe. Every
output must be inert: no control character, no bidi control, no lone surrogate, and markup
such as ``[bold]`` printed literally (so Rich did not interpret it).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.annotations import AnnotationStore
from tui.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
NEWSREADER = Path(sys.executable).with_name("newsreader")

# What must never reach a terminal from the data: C0 controls but tab and newline, DEL, C1,
# bidi embeddings/overrides/isolates/marks, and lone surrogates (undecodable name bytes).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)
# File names a scraper (or an attacker who can drop files in the corpus folder) can create.
MARKUP = ("[bold]Council[/bold]", "[red]", "[link=https://evil.example]", "[/]")


def assert_inert(output: str, where: str = "output") -> None:
    # CRLF is a line ending (CSV uses it); a lone CR returns the cursor and lets the rest of
    # the line overwrite what was printed before it, so it counts as unsafe.
    found = UNSAFE.search(output.replace("\r\n", "\n"))
    assert found is None, f"{where}: {found.group()!r} at {found.start()}: {output!r}"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    """The hostile fixture files, with benign names."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "annotations.json"
    with AnnotationStore(path) as store:
        store.add_tags("0000000000000000", ["seed"])  # the store file exists for `search --db`
    return path


def article_ids(capsys: pytest.CaptureFixture[str], folder: Path) -> dict[str, str]:
    code, out, _err = run_cli(capsys, "list", "--json", str(folder))
    assert code == 0
    return {row["title"]: row["id"] for row in json.loads(out)}


# --- hostile article text ---------------------------------------------------------------------


def test_list_prints_titles_with_markup_literally(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no title is folded
    code, out, err = run_cli(capsys, "list", str(hostile_corpus))
    assert code == 0
    assert_inert(out, "stdout")
    assert_inert(err, "stderr")
    assert "[bold]Council[/bold] votes [red]today[/] evil" in out
    assert "[link=https://evil.example]Click[/link] blink nul" in out
    assert "Gazette [/]" in out  # a source is printed through Rich too


def test_list_and_analyze_json_carry_markup_as_data(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path
) -> None:
    for argv in (["list", "--json"], ["analyze"], ["analyze", "--json"]):
        code, out, err = run_cli(capsys, *argv, str(hostile_corpus))
        assert code == 0
        assert_inert(out, f"{argv} stdout")
        assert_inert(err, f"{argv} stderr")
        records = (
            json.loads(out)
            if out.lstrip().startswith("[")
            else [json.loads(x) for x in out.split("\n") if x]
        )
        titles = {r["title"] for r in records}
        assert any("[bold]Council[/bold]" in t for t in titles)
        for record in records:
            for value in record.values():
                if isinstance(value, str):
                    assert_inert(value, f"{argv} field")
    code, out, _err = run_cli(capsys, "analyze", str(hostile_corpus))
    bodies = " ".join(json.loads(line)["body"] for line in out.splitlines())
    assert "[link=https://evil.example]rebuild[/link]" in bodies
    assert "[@click=app.quit]click me[/]" in bodies
    assert "PWNED" not in out and "cm0gLXJmIH4=" not in out  # payloads of removed sequences


def test_show_prints_the_article_inert_with_markup_literal(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path
) -> None:
    ids = article_ids(capsys, hostile_corpus)
    assert len(ids) == 3
    for title, article_id in ids.items():
        code, out, err = run_cli(capsys, "show", article_id, str(hostile_corpus))
        assert code == 0
        assert_inert(out, f"show {title!r}")
        assert_inert(err, "stderr")
        assert out.startswith(title)
    council = next(i for t, i in ids.items() if "Council" in t)
    _code, out, _err = run_cli(capsys, "show", council, str(hostile_corpus))
    assert "[bold]Springfield[/bold]" in out
    assert "[link=https://evil.example]rebuild[/link]" in out
    assert "\\[escaped]" in out


HOSTILE_QUERIES = [
    "bridge",
    "[bold]",
    "Springfield [/bold]",
    "\x1b[31mcouncil\x1b[0m",
    "\x1b]0;PWNED\x07council",
    "council\u202e",
    '"unbalanced',
    "a AND (",
    "NOT",
    "*",
    "tag:[bold]x",
    "date:2025-99..x",
    "\x00\x01\x02",
    "[link=https://evil.example]rebuild",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_with_hostile_queries_is_inert_and_never_crashes(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, db: Path, tmp_path: Path, query: str
) -> None:
    cache = tmp_path / "index.sqlite"
    for extra in ([], ["--json"]):
        code, out, err = run_cli(
            capsys, "search", query, str(hostile_corpus), "--cache", str(cache), "--db", str(db),
            *extra,
        )  # fmt: skip
        assert code in (0, 1), err
        assert_inert(out, "stdout")
        assert_inert(err, "stderr")
        assert "Traceback" not in err


def test_search_hits_show_markup_literally(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, db: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "index.sqlite"
    code, out, err = run_cli(
        capsys, "search", "Springfield", str(hostile_corpus), "--cache", str(cache), "--db", str(db)
    )
    assert code == 0, err
    assert_inert(out)
    assert "[bold]Council[/bold]" in out  # the title, not a bold "Council"
    code, out, _err = run_cli(
        capsys, "search", "rebuild", str(hostile_corpus), "--cache", str(cache), "--db", str(db),
        "--json",
    )  # fmt: skip
    assert code == 0
    (hit,) = json.loads(out)
    assert "[link=https://evil.example]" in hit["snippet"]


# --- tags, notes and exports ------------------------------------------------------------------

HOSTILE_TAGS = [
    "[bold]urgent[/bold]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;PWNED\x07title",
    "\x1b]52;c;ZXZpbA==\x07clip",
    "bidi\u202eevil",
    "=cmd|' /C calc'!A0",
    "[link=https://evil.example]x[/link]",
]


def test_tags_notes_and_exports_are_inert(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, db: Path, tmp_path: Path
) -> None:
    ids = article_ids(capsys, hostile_corpus)
    article_id = next(i for t, i in ids.items() if "Council" in t)
    corpus = ["--corpus", str(hostile_corpus), "--db", str(db)]
    code, out, err = run_cli(capsys, "tag", article_id, *HOSTILE_TAGS, *corpus)
    assert code == 0, err
    assert_inert(out, "tag stdout")
    assert "[bold]urgent[/bold]" in out
    note = "Note with [bold]markup[/bold] \x1b]52;c;ZXZpbA==\x07 and \x1b[2J and \u202e bidi."
    code, out, err = run_cli(capsys, "note", article_id, note, *corpus)
    assert code == 0, err
    assert_inert(out + err)
    code, out, err = run_cli(capsys, "note", article_id, *corpus)
    assert code == 0
    assert_inert(out, "note stdout")
    assert "[bold]markup[/bold]" in out and "ZXZpbA" not in out

    code, out, err = run_cli(capsys, "tags", "--db", str(db))
    assert code == 0
    assert_inert(out, "tags")
    assert "[bold]urgent[/bold]" in out and "[link=https://evil.example]x[/link]" in out
    code, out, _err = run_cli(capsys, "tags", "--json", "--db", str(db))
    assert_inert(out, "tags --json")
    assert "[bold]urgent[/bold]" in json.loads(out)

    for fmt in ("json", "jsonl", "csv", "md"):
        code, out, err = run_cli(
            capsys, "export", "--format", fmt, "--corpus", str(hostile_corpus), "--db", str(db)
        )
        assert code == 0, err
        exported = out.lstrip("\ufeff")
        assert_inert(exported, f"export {fmt}")
        assert_inert(err, f"export {fmt} stderr")
        # Markdown escapes brackets so a renderer shows them as typed
        literal = "\\[bold\\]urgent\\[/bold\\]" if fmt == "md" else "[bold]urgent[/bold]"
        assert literal in exported, fmt


# --- hostile file names -----------------------------------------------------------------------


def test_a_hostile_article_name_never_reaches_the_table(
    capsys: pytest.CaptureFixture[str], hostile_names: Path
) -> None:
    code, out, _err = run_cli(capsys, "list", str(hostile_names))
    assert code == 0
    assert_inert(out, "list stdout")  # the table shows titles, not paths


def test_skip_messages_show_hostile_file_names_inert(
    capsys: pytest.CaptureFixture[str], hostile_names: Path
) -> None:
    code, _out, err = run_cli(capsys, "list", str(hostile_names))
    assert code == 0
    assert "skipped" in err
    assert_inert(err, "stderr")
    # a line break in a name cannot forge a line of its own; zero-width characters show
    assert len(err.splitlines()) == 1 and "newsreader: forged" not in err.splitlines()[0][:20]
    assert "\\u200b" in err


def test_json_paths_of_hostile_names_are_inert(
    capsys: pytest.CaptureFixture[str], hostile_names: Path
) -> None:
    for argv in (["analyze"], ["list", "--json"]):
        code, out, _err = run_cli(capsys, *argv, str(hostile_names))
        assert code == 0
        assert_inert(out, f"{argv} stdout")  # JSON escapes ESC and BEL but not U+202E


def test_a_missing_path_argument_is_echoed_inert(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "list", "/nonexistent/\x1b]0;PWNED\x07\u202e")
    assert code == 2
    assert_inert(err, "stderr")


def _non_utf8_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "bytes"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff\xfename.txt"), "wb") as out:
        out.write(b"The bridge reopened on Monday after repairs, the council said.\n")
    (folder / "good.txt").write_text("A second article about the harbour and its ships.\n")
    return folder


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_analyze_output_is_valid_utf8_with_non_utf8_names(tmp_path: Path) -> None:
    folder = _non_utf8_corpus(tmp_path)
    for env_extra in ({}, {"PYTHONIOENCODING": "utf-8"}):
        env = {**os.environ, **env_extra}
        done = subprocess.run(
            [str(NEWSREADER), "analyze", str(folder)], capture_output=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        text = done.stdout.decode("utf-8")  # strict: the JSON must be valid UTF-8
        assert len(text.splitlines()) == 2
        assert_inert(text)
        for line in text.splitlines():  # the path still names the file, byte for byte
            assert os.path.exists(os.fsencode(json.loads(line)["path"]))


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_index_and_search_survive_non_utf8_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Path
) -> None:
    """The non-UTF-8 name ends as an indexed article or a reported skip; the rest is found."""
    folder = _non_utf8_corpus(tmp_path)
    cache = ["--cache", str(tmp_path / "index.sqlite")]
    code, out, err = run_cli(capsys, "index", str(folder), *cache)
    assert code == 0, err
    assert_inert(out + err, "index")
    indexed_both = out.startswith("2 articles")
    assert indexed_both or ("bad\\xff\\xfename.txt" in err and "skipped" in err), out + err
    code, out, err = run_cli(capsys, "search", "harbour", str(folder), *cache, "--db", str(db))
    assert code == 0, err
    assert_inert(out + err, "search harbour")
    assert "harbour" in out
    code, out, err = run_cli(capsys, "search", "bridge", str(folder), *cache, "--db", str(db))
    assert code == (0 if indexed_both else 1), err
    assert_inert(out + err, "search bridge")


# --- a real process writing to a real pipe ----------------------------------------------------


def _run_newsreader(*argv: str) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "400"
    done = subprocess.run(
        [str(NEWSREADER), *argv], capture_output=True, env=env, timeout=180, check=False
    )
    return done.returncode, done.stdout, done.stderr


def _assert_bytes_inert(data: bytes, where: str) -> str:
    text = data.decode("utf-8")  # strict: no stray bytes
    assert_inert(text, where)
    return text


@pytest.mark.skipif(not NEWSREADER.exists(), reason="the newsreader script is not installed")
def test_subprocess_output_has_no_control_characters(hostile_corpus: Path, tmp_path: Path) -> None:
    code, out, err = _run_newsreader("list", str(hostile_corpus))
    assert code == 0, err
    text = _assert_bytes_inert(out, "list stdout")
    _assert_bytes_inert(err, "list stderr")
    assert "[bold]Council[/bold] votes [red]today[/] evil" in text
    code, out, err = _run_newsreader("analyze", str(hostile_corpus))
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in _assert_bytes_inert(out, "analyze").splitlines()]
    code, out, err = _run_newsreader("show", ids[0], str(hostile_corpus))
    assert code == 0, err
    _assert_bytes_inert(out, "show stdout")


@pytest.mark.skipif(not NEWSREADER.exists(), reason="the newsreader script is not installed")
def test_subprocess_stderr_with_hostile_names_is_inert(hostile_names: Path) -> None:
    code, out, err = _run_newsreader("list", str(hostile_names))
    assert code == 0
    _assert_bytes_inert(out, "stdout")
    _assert_bytes_inert(err, "stderr")


def test_search_results_name_hostile_files_inertly(
    capsys: pytest.CaptureFixture[str], hostile_names: Path, db: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "index.sqlite"
    argv = ["search", "bridge", str(hostile_names), "--cache", str(cache), "--db", str(db)]
    for extra in ([], ["--json"]):
        code, out, err = run_cli(capsys, *argv, *extra)
        assert code == 0, err
        assert "bridge" in out
        assert_inert(out, f"search {extra} stdout")  # each hit's meta line shows its path
        assert_inert(err, "stderr")


def test_a_multi_line_error_keeps_its_lines(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, tmp_path: Path
) -> None:
    """Making names visible must not turn the program's own line breaks into '\\x0a'."""
    for number in range(3):  # three articles whose ids all start with "abc"
        (hostile_corpus / f"{number}_abc{number:013x}.txt").write_text(
            f"Article {number} about the harbour and its ships.\n"
        )
    db = tmp_path / "store.json"
    code, _out, err = run_cli(capsys, "tag", "abc", "x", "--corpus", str(hostile_corpus),
                              "--db", str(db))  # fmt: skip
    assert code == 1
    assert "\\x0a" not in err
    assert len(err.splitlines()) >= 4  # the message, then one line per matching article


@pytest.mark.parametrize(
    "argv",
    [
        ["quotes", "--format", "csv"],
        ["quotes", "--format", "md"],
        ["quotes", "--format", "jsonl"],
        ["people"],
        ["people", "--json"],
    ],
    ids=["quotes-csv", "quotes-md", "quotes-jsonl", "people", "people-json"],
)
def test_quotes_and_people_output_is_inert(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, argv: list[str]
) -> None:
    code, out, err = run_cli(capsys, *argv, str(hostile_corpus))
    assert code == 0, err
    assert_inert(out, f"{argv} stdout")
    assert_inert(err, f"{argv} stderr")
    if argv[0] == "quotes":
        assert "rebuild" in out  # the Springfield quote, markup and all
        if argv[-1] != "md":
            assert "[link=https://evil.example]rebuild[/link]" in out
    else:
        assert "Jane Smith" in out


def test_index_progress_and_summary_are_inert(
    capsys: pytest.CaptureFixture[str], hostile_corpus: Path, hostile_names: Path, tmp_path: Path
) -> None:
    (hostile_corpus / "names").symlink_to(hostile_names)
    cache = tmp_path / "index.sqlite"
    code, out, err = run_cli(capsys, "index", str(hostile_corpus), "--cache", str(cache))
    assert code == 0, err
    assert_inert(out, "index stdout")
    assert_inert(err, "index stderr")  # skip lines name the hostile files
    assert "skipped" in err


def test_a_file_name_taken_for_an_option_is_echoed_inert(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`newsreader list corpus/*` where a scraped file is named "-\\x1b]0;...": argparse
    takes it for an option and prints it back in its error message."""
    name = "-\x1b]0;PWNED\x07\u202e.txt"
    with pytest.raises(SystemExit) as exit_info:
        main(["list", name])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err
    assert_inert(err, "stderr")


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    title=st.text(alphabet=st.characters(exclude_categories=()), max_size=60),
    source=st.text(alphabet=st.characters(exclude_categories=()), max_size=30),
    text=st.text(alphabet=st.characters(exclude_categories=()), min_size=1, max_size=400),
)
def test_any_record_lists_and_shows_inertly(title: str, source: str, text: str) -> None:
    """Whatever a JSON record holds (surrogates, controls, wide and combining characters),
    `list` and `show` print inert text or report a skip; they never crash."""
    record = {"id": "fuzz", "title": title, "source": source, "text": "Words. " + text}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.json"
        path.write_text(json.dumps(record), encoding="utf-8")  # ensure_ascii: any code point
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            listed = main(["list", folder])
            shown = main(["show", "fuzz", folder])
    assert listed == 0 and shown == 0, err.getvalue()
    assert_inert(out.getvalue(), "stdout")
    assert_inert(err.getvalue(), "stderr")


def test_an_imported_hostile_article_id_is_printed_inert(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A shared export file is outside input too: its article ids reach `tag`/`star`/`note`."""
    db = tmp_path / "store.json"
    code, _out, err = run_cli(capsys, "tag", "27415430c2fae0bd", "seed", "--db", str(db))
    assert code == 0, err
    code, exported, err = run_cli(capsys, "export", "--format", "json", "--db", str(db))
    assert code == 0, err
    hostile = exported.replace("27415430c2fae0bd", "evil\\u001b]0;PWNED\\u0007\\u202eid")
    (tmp_path / "shared.json").write_text(hostile, encoding="utf-8")
    code, out, err = run_cli(capsys, "import", str(tmp_path / "shared.json"), "--db", str(db))
    assert_inert(out + err, "import")
    if code != 0:
        return  # refusing the file is a fine answer too (but then nothing else may print it)
    for argv in (["tag", "evil", "x"], ["star", "evil"], ["note", "evil", "n"], ["tags"]):
        code, out, err = run_cli(capsys, *argv, "--db", str(db))
        assert code == 0, err
        assert_inert(out, f"{argv} stdout")
        assert_inert(err, f"{argv} stderr")
