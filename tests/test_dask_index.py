"""`newsreader index --engine dask`: the same index as the local path, built on a Dask cluster.

A `LocalCluster` of 2 thread workers (one per test module) reads and analyses; the index
must then hold exactly the rows the local refresh writes (ids, bodies, entities, quotes,
line counts, recurring keys, duplicates, skips) and give the same articles with their
corpus-level names. The corpus mixes the five seed articles, twenty reports where one
paragraph-length key recurs in six files and a short banner in all of them (the
corpus-level boilerplate signal), a duplicate, a broken JSON file and an unsupported file.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from corpus.analyze import analyze_paths
from corpus.distributed import DaskEngine, DaskEngineError, WorkersCannotRead
from corpus.index import CorpusIndex

SEEDS = Path(__file__).parent / "fixtures" / "clean" / "seeds"
SHARED = (
    "The regional water authority said on Tuesday that the reservoir levels across the "
    "northern valleys had fallen below the seasonal average for the third consecutive month "
    "this spring."
)
BANNER = "Sign up for the morning briefing from the Valley Courier newsroom"


def make_corpus(folder: Path) -> Path:
    for number, seed in enumerate(sorted(SEEDS.iterdir())):
        target = folder / ("seeds/a" if number % 2 else "seeds/b") / seed.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, target)
    reports = folder / "reports"
    reports.mkdir(parents=True)
    for number in range(20):
        body = [
            f"Council meeting {number} discussed the budget for district {number * 3}, "
            f"Mayor Helen Okafor said.",
            f'"We will look again at route {number + 40}," Okafor told residents.',
            BANNER,
        ]
        if number < 6:
            body.insert(1, SHARED)
        text = f"---\ntitle: Report {number}\ndate: 2025-03-{number + 1:02d}\n---\n\n"
        (reports / f"r{number:02d}.md").write_text(text + "\n\n".join(body) + "\n", "utf-8")
    first = sorted(SEEDS.iterdir())[0]
    shutil.copy(first, folder / "copy-of-the-first.txt")
    (folder / "broken.json").write_text('{"title": "x", "text": ', "utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    return folder


@pytest.fixture(scope="module")
def engine() -> Iterator[DaskEngine]:
    with DaskEngine(workers=2, processes=False) as started:
        yield started


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("dask") / "corpus")


def index_rows(cache: Path) -> dict[str, Any]:
    """Every table's content, articles keyed by id (row ids depend on arrival order)."""
    conn = sqlite3.connect(cache)
    try:
        ids = dict(conn.execute("SELECT rid, id FROM articles"))
        return {
            "articles": sorted(row[1:] for row in conn.execute("SELECT * FROM articles")),
            "entity_names": sorted(
                (ids[rid], label, name)
                for rid, label, name in conn.execute("SELECT * FROM entity_names")
            ),
            "files": sorted(conn.execute("SELECT * FROM files")),
            **{
                table: sorted(conn.execute(f"SELECT * FROM {table}"))
                for table in ("person_names", "aliases", "recurring", "line_docs", "duplicates")
            },
        }
    finally:
        conn.close()


def build(cache: Path, corpus: Path, **options: Any) -> tuple[Any, dict[str, Any], list[Any]]:
    with CorpusIndex.for_paths([corpus], cache) as index:
        report = index.refresh([corpus], **options)
        articles = list(index.articles())
    return report, index_rows(cache), articles


def test_a_dask_index_holds_the_same_records_as_a_local_one(
    tmp_path: Path, corpus: Path, engine: DaskEngine
) -> None:
    local_report, local_rows, local_articles = build(tmp_path / "local.sqlite", corpus, workers=1)
    seen: list[tuple[int, int]] = []
    dask_report, dask_rows, dask_articles = build(
        tmp_path / "dask.sqlite",
        corpus,
        engine=engine,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert local_rows["recurring"] and local_rows["duplicates"]  # the fixture has both
    assert dask_rows == local_rows
    assert dask_articles == local_articles
    assert dask_articles == analyze_paths([corpus]).articles
    assert dask_report.skipped == local_report.skipped
    assert {s.path for s in dask_report.skipped} == {
        str(corpus / "broken.json"),
        str(corpus / "notes.pdf"),
    }
    assert dask_report.articles == local_report.articles == len(local_articles)
    assert seen[-1][0] == seen[-1][1] > 0  # progress reached its total


def test_a_dask_rerun_analyses_only_what_changed(
    tmp_path: Path, corpus: Path, engine: DaskEngine
) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache.sqlite"
    with CorpusIndex.for_paths([folder], cache) as index:
        index.refresh([folder], engine=engine)
        again = index.refresh([folder], engine=engine)
        assert (again.added, again.changed, again.articles) == (0, 0, 0)
        report_path = folder / "reports" / "r19.md"
        report_path.write_text(report_path.read_text("utf-8") + "\nA late correction.\n", "utf-8")
        changed = index.refresh([folder], engine=engine)
        assert (changed.changed, changed.articles) == (1, 1)
        assert list(index.articles()) == analyze_paths([folder]).articles


def test_workers_that_cannot_read_the_files_fail_naming_the_first_path(
    tmp_path: Path, engine: DaskEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_corpus(tmp_path / "corpus")
    monkeypatch.setattr("corpus.distributed._readable", lambda path: "No such file or directory")
    with CorpusIndex.for_paths([folder], tmp_path / "cache.sqlite") as index:
        with pytest.raises(WorkersCannotRead, match=re.escape("broken.json")):
            index.refresh([folder], engine=engine)
        assert len(index.summaries()) == 0


def test_workers_with_another_analysis_version_are_refused(
    tmp_path: Path, engine: DaskEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_corpus(tmp_path / "corpus")
    monkeypatch.setattr(
        "corpus.distributed._worker_state", lambda path, ner: (None, "0.1:other-code")
    )
    with CorpusIndex.for_paths([folder], tmp_path / "cache.sqlite") as index:
        with pytest.raises(DaskEngineError, match="another version"):
            index.refresh([folder], engine=engine)
        assert len(index.summaries()) == 0
