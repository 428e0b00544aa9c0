"""`--engine dask` under faults: a worker killed mid-run, a Ctrl-C, and who imports Dask.

The killed-worker test runs a `LocalCluster` of 2 worker *processes* (a thread cannot be
killed) with one file a task, and kills one worker's process as soon as the analysis has
started: Dask runs its tasks again on the other worker (and on the one its nanny starts),
and the index must hold every article exactly once, as the local refresh writes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from test_dask_index import index_rows, make_corpus

from corpus.distributed import DaskEngine
from corpus.index import CorpusIndex

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("faults") / "corpus")


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> dict[str, Any]:
    cache = tmp_path_factory.mktemp("local") / "local.sqlite"
    with CorpusIndex.for_paths([corpus], cache) as index:
        index.refresh([corpus], workers=1)
    return index_rows(cache)


@pytest.fixture
def thread_engine() -> Iterator[DaskEngine]:
    with DaskEngine(workers=2, processes=False, batch_files=1) as started:
        yield started


def test_a_killed_worker_loses_and_duplicates_no_article(
    tmp_path: Path, corpus: Path, local_rows: dict[str, Any]
) -> None:
    cache = tmp_path / "cache.sqlite"
    killed: list[int] = []
    with DaskEngine(workers=2, processes=True, batch_files=1) as engine:
        pids = engine.client.run(os.getpid)
        victim = sorted(pids.values())[0]
        scanned = {"files": 0}

        def progress(done: int, total: int) -> None:
            scanned["files"] = done
            # (the second phase: every file was read; kill once, while batches are queued)
            if not killed and total and done > total // 2 + 1:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        with CorpusIndex.for_paths([corpus], cache) as index:
            report = index.refresh([corpus], engine=engine, progress=progress)
        assert killed and not report.cancelled
    assert index_rows(cache) == local_rows


def test_ctrl_c_stops_the_run_and_the_rerun_does_the_rest(
    tmp_path: Path, corpus: Path, local_rows: dict[str, Any], thread_engine: DaskEngine
) -> None:
    cache = tmp_path / "cache.sqlite"
    ticks = {"n": 0}

    def interrupt_in_the_analysis(done: int, total: int) -> None:
        ticks["n"] += 1
        if ticks["n"] > 34:  # after the 29 readable files were read, a few analysed
            raise KeyboardInterrupt

    with CorpusIndex.for_paths([corpus], cache) as index:
        with pytest.raises(KeyboardInterrupt):
            index.refresh([corpus], engine=thread_engine, progress=interrupt_in_the_analysis)
        partial = len(index.summaries())
        assert partial < len(local_rows["articles"])
        report = index.refresh([corpus], engine=thread_engine)
        assert report.articles == len(local_rows["articles"]) - partial  # only the missing
    rows = index_rows(cache)
    # (a line key's text is kept from its second sighting on; the files read again after the
    # interruption count as second sightings, locally too: compare the counts)
    assert [r[:2] for r in rows.pop("line_docs")] == [r[:2] for r in local_rows["line_docs"]]
    assert rows == {table: v for table, v in local_rows.items() if table != "line_docs"}


def test_neither_the_app_nor_a_local_index_imports_dask(tmp_path: Path) -> None:
    code = f"""
import sys
import corpus.index, corpus.distributed, corpus.records_dir, tui.app
from tui.cli import main
main(["index", {str(ROOT / "corpus" / "sample")!r}, "--workers", "1",
      "--cache", {str(tmp_path / "c.sqlite")!r}])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
print("dask modules:", ",".join(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "5 articles indexed" in result.stdout
    assert result.stdout.splitlines()[-1] == "dask modules: "
