"""`list`, `show`, `people` and `quotes` read a current index and print what the analysis
prints; `search` refreshes only when a file changed, streams, and keeps its options.

The corpus is the five seed articles (real analysis) in nested folders, with a duplicate,
a broken JSON file and an unsupported file beside them, so skip lines are compared too.
Every command runs once analysing (no index) and once from the index, and the two outputs,
stdout and stderr, must be the same.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from corpus.textsafe import dumps_inert
from tui import cli_corpus
from tui.cli import main

SEEDS = Path(__file__).parent / "fixtures" / "clean" / "seeds"


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default index cache and the store live in this test's folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "store.json"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded") / "corpus"
    names = sorted(p.name for p in SEEDS.iterdir())
    for number, name in enumerate(names):
        target = folder / ("2025/02" if number % 2 else "2025/03") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS / name, target)
    shutil.copy(SEEDS / names[0], folder / "2025" / "copy-of-the-first.txt")  # a duplicate
    (folder / "2025" / "broken.json").write_text('{"title": "x", "text": ')
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    return folder


@pytest.fixture
def corpus(tmp_path: Path, seeded: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeded, folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build_index(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, _out, err = run(capsys, "index", str(corpus), "--workers", "1")
    assert code == 0, err


def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus was analysed although its index is current")

    monkeypatch.setattr(cli_corpus, "analyze_paths", refuse)


def some_id(capsys: pytest.CaptureFixture[str], corpus: Path) -> str:
    code, out, _err = run(capsys, "list", "--json", str(corpus))
    assert code == 0
    rows = json.loads(out)
    return str(next(r["id"] for r in rows if "Starmer" in r["title"]))


COMMANDS = {
    "list": ["list"],
    "list-json": ["list", "--json"],
    "people-json": ["people", "--json"],
    "people": ["people", "--sort", "name"],
    "quotes-jsonl": ["quotes", "--format", "jsonl"],
    "quotes-md": ["quotes", "--format", "md"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_index_backed_command_prints_what_the_analysis_prints(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    corpus: Path,
    command: str,
) -> None:
    argv = [*COMMANDS[command], str(corpus)]
    analysed = run(capsys, *argv)
    assert analysed[0] == 0, analysed[2]
    assert "broken.json" in analysed[2] and "duplicate of" in analysed[2]
    build_index(capsys, corpus)
    no_analysis(monkeypatch)
    assert run(capsys, *argv) == analysed


def test_show_from_the_index_is_show_from_the_analysis(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    wanted = some_id(capsys, corpus)
    analysed = [run(capsys, "show", prefix, str(corpus)) for prefix in (wanted, wanted[:6], "f")]
    assert analysed[0][0] == 0 and "Starmer" in analysed[0][1].splitlines()[0]
    assert analysed[2][0] == 1  # no id starts with "f": the same error both ways
    build_index(capsys, corpus)
    no_analysis(monkeypatch)
    indexed = [run(capsys, "show", prefix, str(corpus)) for prefix in (wanted, wanted[:6], "f")]
    assert indexed == analysed


@pytest.mark.parametrize("change", ["add", "change", "remove"])
def test_a_changed_file_two_folders_down_sends_list_back_to_the_analysis(
    capsys: pytest.CaptureFixture[str], corpus: Path, change: str
) -> None:
    build_index(capsys, corpus)
    folder = corpus / "2025" / "02"
    victim = sorted(folder.iterdir())[0]
    if change == "add":
        (folder / "new.txt").write_text("Zeppelin lands\n\nA zeppelin landed in the harbour.\n")
    elif change == "change":
        victim.write_text("Zeppelin lands\n\nA zeppelin landed in the harbour today.\n")
        info = victim.stat()
        os.utime(victim, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    else:
        victim.unlink()
    code, out, _err = run(capsys, "list", "--json", str(corpus))
    assert code == 0
    titles = {row["title"] for row in json.loads(out)}
    assert ("Zeppelin lands" in titles) == (change != "remove")
    assert len(titles) == {"add": 6, "change": 5, "remove": 4}[change]


def test_a_big_corpus_without_an_index_says_why_it_was_analysed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli_corpus, "FALLBACK_NOTE_ARTICLES", 3)
    folder = tmp_path / "small"
    for number in range(3):
        (folder / f"{number}.txt").parent.mkdir(exist_ok=True)
        (folder / f"{number}.txt").write_text(f"Story {number}\n\nThe ferry {number} sailed.\n")
    code, _out, err = run(capsys, "list", str(folder))
    assert code == 0
    assert "analysed 3 articles, as it has no index" in err
    assert "newsreader index PATH" in err
    code, _out, err = run(capsys, "analyze", str(folder))
    assert code == 0 and err == ""  # analyze always analyses: nothing to say


# --- search ------------------------------------------------------------------------------


def search(
    capsys: pytest.CaptureFixture[str], corpus: Path, query: str, *options: str
) -> tuple[int, str, str]:
    cache = str(corpus.parent / "i.sqlite")
    return run(capsys, "search", query, str(corpus), "--cache", cache, *options)


def test_search_refreshes_only_when_a_file_changed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    from corpus.index import CorpusIndex

    code, out, err = search(capsys, corpus, "Starmer")
    assert code == 0 and "Starmer" in out and "indexed 5 new or changed articles" in err
    refreshes: list[object] = []
    original = CorpusIndex.refresh

    def counted(self: CorpusIndex, *args: object, **kwargs: object) -> object:
        refreshes.append(args)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CorpusIndex, "refresh", counted)
    assert search(capsys, corpus, "Starmer")[0] == 0
    assert refreshes == []  # nothing changed: no walk of the files table, no refresh
    (corpus / "2025" / "03" / "zeppelin.txt").write_text("Zeppelin lands\n\nA zeppelin landed.\n")
    assert search(capsys, corpus, "zeppelin", "--no-refresh")[0] == 1
    assert refreshes == []
    code, out, err = search(capsys, corpus, "zeppelin")
    assert code == 0 and "Zeppelin lands" in out and "indexed 1 new or changed" in err
    assert len(refreshes) == 1


def test_search_json_streamed_is_one_json_array(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    code, out, _err = search(capsys, corpus, "the", "--json", "--limit", "3")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 3
    assert out == dumps_inert(hits) + "\n"  # the text `dumps_inert` gives the whole list
    code, out, _err = search(capsys, corpus, "zeppelin", "--json")
    assert (code, out) == (1, "[]\n")


def test_search_limit_and_tab_separated_lines(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    code, out, _err = search(capsys, corpus, "the")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 5  # five articles; the default limit is 20
    assert all(len(row) == 6 for row in rows)  # id, date, title, source, path, snippet
    assert all(len(row[0]) == 16 and "the" in row[5].casefold() for row in rows)
    code, out, _err = search(capsys, corpus, "the", "--limit", "2")
    assert [line.split("\t")[0] for line in out.splitlines()] == [row[0] for row in rows[:2]]
    assert "\x1b" not in out  # no styles to a pipe


def test_search_takes_tags_again_only_when_the_store_changed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    from tui import cli_index

    wanted = some_id(capsys, corpus)
    assert search(capsys, corpus, "tag:urgent")[0] == 1  # builds the index; no store yet
    reads: list[Path] = []
    original = cli_index.read_annotations
    monkeypatch.setattr(
        cli_index, "read_annotations", lambda path: reads.append(path) or original(path)
    )
    assert search(capsys, corpus, "tag:urgent")[0] == 1
    assert reads == []  # no store, as before: nothing to read
    assert run(capsys, "tag", wanted, "urgent")[0] == 0
    code, out, _err = search(capsys, corpus, "tag:urgent")
    assert code == 0 and "Starmer" in out and len(reads) == 1
    assert search(capsys, corpus, "tag:urgent")[0] == 0
    assert len(reads) == 1  # the same store file: the index has its tags
    assert run(capsys, "tag", wanted, "urgent", "--remove")[0] == 0
    assert search(capsys, corpus, "tag:urgent")[0] == 1
    assert len(reads) == 2
