"""The corpus index's reading and analysis on a Dask cluster (`newsreader index --engine dask`).

The index's refresh (`corpus.index`) maps two per-file functions over the files it must
read: `_scan_file` (records, ids, digests, line keys: the statistics of the corpus-level
steps) and `_analyse_file` (the same `corpus.analyze.analyze_document` the local pool
runs). `DaskEngine.map` runs them as `dask.distributed` futures over batches of file paths
instead of in a local process pool; the refresh itself (walk, ids, duplicates, line counts,
recurring lines, SQLite writes, corpus-level names) stays in the calling process, so the
index holds the same rows whichever engine filled it. What the local pool reads from the
cache file (the recurring line keys) is broadcast to the workers instead
(`Client.scatter(..., broadcast=True)`): a remote worker need not see the cache.

Dask is an optional extra (`pip install '.[dask]'` from a checkout): this module imports it only
when an engine starts, and nothing in the app or the default commands imports this module.

Faults: each batch is submitted with `retries` (a worker that dies has its batches run
again elsewhere; the results are keyed by batch, so none is lost or counted twice); a file
that cannot be read is a `Skipped`, as locally; a cluster whose workers cannot see the files
fails first thing, naming the first path (`WorkersCannotRead`), and so does one whose workers
run another version of the analysis code (they would write other rows).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

DEFAULT_BATCH_FILES = 64
"""Most files one task reads: enough to amortise a task's ~1 ms of scheduling."""

IN_FLIGHT_PER_WORKER = 4
"""Batches submitted ahead per worker: keeps workers busy, bounds memory and what a
Ctrl-C has to cancel."""


class DaskEngineError(Exception):
    """The cluster cannot do the work; the message says why."""


class WorkersCannotRead(DaskEngineError):
    """The cluster's workers cannot read the corpus files (they must see the same paths)."""


def _run_batch(function: Callable[..., Any], items: Sequence[Any], *extra: Any) -> list[Any]:
    """One task: `function(item, *extra)` for each item of a batch, in order."""
    return [function(item, *extra) for item in items]


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start worker processes with SIGINT ignored (inherited through exec): a Ctrl-C reaches
    the whole foreground process group, and only this process should act on it, by
    cancelling and closing the cluster; the workers would each print a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _same(value: Any) -> Any:
    return value


def _worker_state(path: str, ner: str) -> tuple[str | None, str]:
    """On a worker: why it cannot read `path` (None: it can), and its analysis version."""
    from corpus.index import cache_version

    return _readable(path), cache_version(ner)


def _readable(path: str) -> str | None:
    """Why this process cannot read `path` (None: it can)."""
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


class DaskEngine:
    """A `dask.distributed` client for one refresh; `map` is the refresh's mapper.

    `scheduler`: the address of a running scheduler (`tcp://host:8786`); None starts a
    `LocalCluster` on this machine, one single-threaded worker process per core (or
    `workers`). `processes=False` runs the local workers as threads (tests).
    """

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        workers: int | None = None,
        processes: bool = True,
        retries: int = 3,
        batch_files: int | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.processes = processes
        self.retries = retries
        self.batch_files = batch_files
        self._client: Any = None
        self._cluster: Any = None

    # -- life --

    @property
    def client(self) -> Any:
        """The `distributed.Client`, started on first use."""
        if self._client is None:
            from distributed import Client, LocalCluster

            if self.scheduler is not None:
                try:
                    self._client = Client(self.scheduler, timeout=30)
                except (OSError, TimeoutError) as error:
                    raise DaskEngineError(
                        f"cannot reach the Dask scheduler {self.scheduler}: {error}"
                    ) from error
            else:
                with _workers_ignore_ctrl_c():
                    self._cluster = LocalCluster(
                        n_workers=self.workers or os.cpu_count() or 1,
                        threads_per_worker=1,
                        processes=self.processes,
                        dashboard_address=":0",  # (any free port: no clash with another)
                    )
                self._client = Client(self._cluster)
        return self._client

    def worker_count(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    def close(self) -> None:
        """Cancel what is still running and stop the client (and the cluster it started)."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- work --

    def check_workers(self, path: str, ner: str, version: str) -> None:
        """Raise `WorkersCannotRead` unless every worker can read `path` (the first file to
        read), and `DaskEngineError` unless every worker runs the analysis code of `version`
        (`corpus.index.cache_version`: another version would write other rows)."""
        answers = self.client.run(_worker_state, path, ner)
        for worker, (reason, theirs) in sorted(answers.items()):
            if reason is not None:
                raise WorkersCannotRead(
                    f"the Dask worker {worker} cannot read {path} ({reason}): the corpus files "
                    "must be readable from every worker, at the same path"
                )
            if theirs != version:
                raise DaskEngineError(
                    f"the Dask worker {worker} runs another version of newsreader or of its "
                    f"analysis ({theirs}, here {version}): install the same on every worker"
                )

    def broadcast(self, value: Any) -> Any:
        """`value` as a future to pass to `map` as an extra argument: each worker fetches it
        once. A task that returns it, not scattered data: if the worker holding it dies, the
        scheduler computes it again (scattered data would be lost with its worker)."""
        return self.client.submit(_same, value, pure=False)

    def map(
        self,
        function: Callable[..., Any],
        items: Sequence[Any],
        ordered: bool,
        *extra: Any,
    ) -> Iterator[Any]:
        """`function(item, *extra)` for every item, run in batches on the cluster.

        Results come one item at a time: in the order of `items` when `ordered`, else batch
        by batch as they finish. At most `IN_FLIGHT_PER_WORKER` batches a worker are
        submitted ahead; closing the iterator (an exception, Ctrl-C) cancels them.
        """
        if not items:
            return
        from distributed import as_completed

        client = self.client
        workers = self.worker_count()
        size = self.batch_files or max(
            1, min(DEFAULT_BATCH_FILES, len(items) // (workers * IN_FLIGHT_PER_WORKER * 2) or 1)
        )
        batches = [items[start : start + size] for start in range(0, len(items), size)]
        window = workers * IN_FLIGHT_PER_WORKER
        pending: list[Any] = []  # futures in submission order
        submitted = 0

        def submit() -> Any:
            nonlocal submitted
            future = client.submit(
                _run_batch, function, batches[submitted], *extra, retries=self.retries, pure=False
            )
            submitted += 1
            return future

        try:
            if ordered:
                while submitted < len(batches) and len(pending) < window:
                    pending.append(submit())
                while pending:
                    future = pending.pop(0)
                    results = future.result()
                    future.release()
                    if submitted < len(batches):
                        pending.append(submit())
                    yield from results
            else:
                first = [submit() for _ in range(min(window, len(batches)))]
                pending = list(first)
                running = as_completed(first)
                for future in running:
                    pending.remove(future)
                    results = future.result()
                    future.release()
                    if submitted < len(batches):
                        more = submit()
                        pending.append(more)
                        running.add(more)
                    yield from results
        finally:
            if pending:
                client.cancel(pending)
