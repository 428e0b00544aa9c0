"""The work a refresh hands to other processes, and the mapper that runs it there.

Two functions of one file each, both pure and picklable, so they run in a spawned process
pool (`FileMapper`) or on a Dask cluster (`corpus.distributed`) alike: `scan_file` reads a
file's records (ids, text digests and the line keys of the cleaner's corpus-level
boilerplate signal: no analysis); `analyse_file` analyses the records a refresh gave ids
into ready-to-insert rows (`codec.ArticleRow`). Everything that needs the whole corpus
stays in the refresh.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.index.codec import ArticleRow, article_row
from corpus.index.db import sqlite_uri
from corpus.model import Skipped

if TYPE_CHECKING:
    from corpus.distributed import DaskEngine


def _key_hash(key: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


def _document_line_keys(text: str) -> list[str]:
    """The distinct line keys of one document that count towards recurrence, sorted (a set's
    order depends on the process's string hash seed: workers must store the same bytes)."""
    from corpus import clean

    return sorted(clean.document_line_keys(text))


@dataclass(frozen=True, slots=True)
class RecordScan:
    index: int  # position in `reader.documents_from_file(path)`
    path: str
    stated_id: str | None  # an id from the file name (single-article files) or the record
    digest: str
    keys: tuple[tuple[int, str], ...]  # (hash, key) of its distinct line keys


@dataclass(frozen=True, slots=True)
class FileScan:
    path: str
    records: tuple[RecordScan, ...]
    skipped: tuple[Skipped, ...]
    fingerprint: str


def scan_file(path: str) -> FileScan:
    """Read one file: its records' ids, text digests and line keys (no analysis)."""
    from corpus import reader  # (searching never reads a file: only refreshes import it)

    results = reader.documents_from_file(Path(path))
    single = len(results) == 1
    records: list[RecordScan] = []
    skipped: list[Skipped] = []
    fingerprint = hashlib.sha1()
    for index, result in enumerate(results):
        if isinstance(result, Skipped):
            skipped.append(result)
            fingerprint.update(f"skip:{result.reason}\n".encode())
            continue
        digest = reader.text_hash(result.text)
        fingerprint.update(f"{digest}:{result.id}:{result.title}:{result.date}\n".encode())
        stated = (reader._id_from_name(Path(path)) if single else None) or result.id or None
        keys = tuple((_key_hash(key), key) for key in _document_line_keys(result.text))
        records.append(RecordScan(index, result.path, stated, digest, keys))
    return FileScan(path, tuple(records), tuple(skipped), fingerprint.hexdigest())


@dataclass(frozen=True, slots=True)
class AnalyseTask:
    db_path: str
    generation: int
    ner: str
    path: str
    records: tuple[tuple[int, str], ...]  # (record index, article id)


@dataclass(frozen=True, slots=True)
class AnalysedFile:
    path: str
    rows: tuple[ArticleRow, ...]
    names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (id, ((label, name), ...))
    skipped: tuple[Skipped, ...]


_worker_recurring: tuple[tuple[str, int], frozenset[str]] | None = None


def _load_recurring(db_path: str, generation: int) -> frozenset[str]:
    """The recurring line keys of refresh `generation`, read once per process."""
    global _worker_recurring
    if _worker_recurring is not None and _worker_recurring[0] == (db_path, generation):
        return _worker_recurring[1]
    conn = sqlite3.connect(sqlite_uri(Path(db_path), mode="ro"), uri=True)
    try:
        keys = frozenset(row[0] for row in conn.execute("SELECT key FROM recurring"))
    finally:
        conn.close()
    _worker_recurring = ((db_path, generation), keys)
    return keys


def analyse_file(task: AnalyseTask, recurring: frozenset[str] | None = None) -> AnalysedFile:
    """Analyse the given records of one file into ready-to-insert rows.

    `recurring`: the recurring line keys, when the caller sent them (a Dask worker need not
    see the cache); else they are read from the cache file.
    """
    from corpus import reader
    from corpus.analyze import analyze_document

    if recurring is None:
        recurring = _load_recurring(task.db_path, task.generation)
    results = reader.documents_from_file(Path(task.path))
    rows: list[ArticleRow] = []
    names: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    skipped: list[Skipped] = []
    for index, article_id in task.records:
        record = results[index] if index < len(results) else None
        if record is None or isinstance(record, Skipped):
            skipped.append(Skipped(task.path, "file changed while it was being indexed"))
            continue
        document = replace(record, id=article_id)
        try:
            article = analyze_document(document, recurring=recurring, ner=task.ner)
        except Exception as error:  # one bad article must not stop a corpus
            skipped.append(Skipped(record.path, f"analysis failed: {type(error).__name__}"))
            continue
        rows.append(article_row(article, task.path, index, reader.text_hash(document.text)))
        pairs = {(e.label, e.canonical) for e in article.entities}
        names.append((article.id, tuple(sorted(pairs))))
    return AnalysedFile(task.path, tuple(rows), tuple(names), tuple(skipped))


class FileMapper:
    """Maps a per-file function over files: in this process, in a pool of `workers` spawned
    processes, or on a Dask engine (`engine`; closed with the mapper if `owns_engine`)."""

    def __init__(
        self, workers: int, engine: DaskEngine | None = None, *, owns_engine: bool = False
    ) -> None:
        self.workers = workers
        self.engine = engine
        self.owns_engine = owns_engine
        self._pool: Any = None

    def map(
        self, function: Callable[..., Any], items: Sequence[Any], ordered: bool, *extra: Any
    ) -> Iterator[Any]:
        """`function(item, *extra)` for each item, in order if `ordered`."""
        if self.engine is not None:
            yield from self.engine.map(function, items, ordered, *extra)
            return
        if self.workers <= 1 or len(items) < 8 or extra:  # (extra: only an engine's)
            for item in items:
                yield function(item, *extra)
            return
        if self._pool is None:
            import multiprocessing

            # spawn: the app refreshes from a thread, and forking a threaded process is unsafe
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(min(self.workers, len(items)))
        chunksize = max(1, min(16, len(items) // (self.workers * 8) or 1))
        mapper = self._pool.imap if ordered else self._pool.imap_unordered
        yield from mapper(function, items, chunksize)

    def close(self) -> None:
        if self.engine is not None and self.owns_engine:
            self.engine.close()
            self.engine = None
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
