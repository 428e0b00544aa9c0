"""`analyze --engine dask -o DIR` writes partitioned records; `index --from DIR` loads them
into an index equal to the local one, analysing nothing.

One end-to-end run of the command line on a 2-process `LocalCluster`; the rest through the
API on the module's thread cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from test_dask_index import index_rows, make_corpus

from corpus import analyze
from corpus.analyze import analyze_paths
from corpus.distributed import DaskEngine
from corpus.index import CorpusIndex
from corpus.records_dir import (
    RecordsDirError,
    load_records_dir,
    parquet_available,
    write_records_dir,
)
from tui.cli import main


@pytest.fixture(scope="module")
def engine() -> Iterator[DaskEngine]:
    with DaskEngine(workers=2, processes=False) as started:
        yield started


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("records") / "corpus")


def partition_records(folder: Path) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for part in sorted(folder.glob("part-*.*")):
        if part.suffix == ".parquet":
            import pyarrow.parquet as pq

            records.extend(pq.read_table(part).to_pylist())
        else:
            records.extend(json.loads(line) for line in part.read_text("utf-8").splitlines())
    return records


def test_records_written_on_dask_load_into_the_local_index(
    tmp_path: Path, corpus: Path, engine: DaskEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "local.sqlite"
    with CorpusIndex.for_paths([corpus], local) as index:
        index.refresh([corpus], workers=1)
        local_articles = list(index.articles())
    out = tmp_path / "out"
    with CorpusIndex.for_paths([corpus], tmp_path / "dask.sqlite") as index:
        index.refresh([corpus], engine=engine)
        written = write_records_dir(index, out, [corpus], partition_rows=7, format="jsonl")
    assert written.records == len(local_articles) and written.partitions == -(-written.records // 7)
    expected = [article.to_json() for article in analyze_paths([corpus]).articles]
    assert partition_records(out) == json.loads(json.dumps(expected))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an article was analysed")

    monkeypatch.setattr(analyze, "analyze_document", refuse)
    loaded = tmp_path / "loaded.sqlite"
    with CorpusIndex.for_paths([corpus], loaded) as index:
        assert load_records_dir(index, out) == len(local_articles)
        assert list(index.articles()) == local_articles
        assert [hit.article_id for hit in index.search("Okafor")]
        again = index.refresh([corpus], workers=1)  # the files are those it was built from
        assert (again.added, again.changed, again.articles) == (0, 0, 0)
    assert index_rows(loaded) == index_rows(local)


def test_a_folder_of_another_analysis_version_is_refused(
    tmp_path: Path, corpus: Path, engine: DaskEngine
) -> None:
    out = tmp_path / "out"
    with CorpusIndex.for_paths([corpus], tmp_path / "a.sqlite") as index:
        index.refresh([corpus], engine=engine)
        write_records_dir(index, out, [corpus], format="jsonl")
    meta = out / "_index" / "meta.json"
    meta.write_text(meta.read_text("utf-8").replace('"version": "', '"version": "old-'), "utf-8")
    with CorpusIndex.for_paths([corpus], tmp_path / "b.sqlite") as index:
        with pytest.raises(RecordsDirError, match="another version"):
            load_records_dir(index, out)
        assert len(index.summaries()) == 0


def test_the_command_line_end_to_end(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local.sqlite"
    assert main(["index", str(corpus), "--workers", "1", "--cache", str(local)]) == 0
    out = tmp_path / "out"
    cache = tmp_path / "dask.sqlite"
    argv = ["analyze", str(corpus), "--engine", "dask", "--workers", "2", "-o", str(out)]
    assert main([*argv, "--cache", str(cache)]) == 0
    chosen = "parquet" if parquet_available() else "jsonl"
    assert f"records in 1 {chosen} partitions" in capsys.readouterr().err
    expected = [article.to_json() for article in analyze_paths([corpus]).articles]
    assert partition_records(out) == json.loads(json.dumps(expected))
    loaded = tmp_path / "loaded.sqlite"
    assert main(["index", "--from", str(out), "--cache", str(loaded)]) == 0
    assert "(nothing analysed)" in capsys.readouterr().out
    assert index_rows(loaded) == index_rows(local) == index_rows(cache)
    assert main(["analyze", str(corpus), "--engine", "dask"]) == 2
    assert "needs -o DIR" in capsys.readouterr().err
    assert main(["index", str(corpus), "--scheduler", "tcp://127.0.0.1:1"]) == 2


def test_without_dask_installed_the_engine_is_refused_with_the_install_line(
    tmp_path: Path,
    corpus: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def no_distributed(name: str, *args: object) -> object:
        return None if name == "distributed" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", no_distributed)
    argv = ["index", str(corpus), "--engine", "dask", "--cache", str(tmp_path / "c.sqlite")]
    assert main(argv) == 2
    assert "pip install '.[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "c.sqlite").exists()  # refused before the index is opened
