"""`RecordStore`: the annotation records on disk, and the machinery every change goes through.

The records (one per article, keyed by article id) live in a TinyDB database on
`AtomicJSONStorage` (store/storage.py: atomic, locked, backed-up writes). Every change is an
idempotent operation ("add these tags", "set this note") queued and then applied in a
locked transaction against the current file. If saving fails (full disk, read-only file, a
corrupt file on disk), the operation stays queued: reads keep showing it, the error says
what went wrong, and `retry_pending()` (or the next change) tries again, so nothing the
user did is lost while the app runs. `store.annotations.AnnotationStore` builds the changes
the product offers on it; records are read back as `store.model` dataclasses, cached until
they change.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from tinydb import TinyDB
from tinydb.table import Document, Table

from store.errors import InvalidAnnotationError, ReadOnlyStoreError, StoreError
from store.model import ArticleAnnotations
from store.paths import default_db_path
from store.records import (
    ARTICLES_TABLE,
    Record,
    annotations_from_record,
    empty_record,
    record_is_empty,
)
from store.storage import AtomicJSONStorage


class _ArticleTable(Table):
    """A TinyDB table whose document ids are article ids (strings), not integers.

    TinyDB's `_update_table` copies the whole table twice per change to convert ids between
    int and str; ours are strings on both sides, so the updater runs on the stored dict
    directly (the storage's transaction drops memory on any error, so a half-applied change
    never survives).
    """

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Callable[[dict[Any, Any]], None]) -> None:
        tables = self._storage.read() or {}
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self.clear_cache()


class _ArticleDB(TinyDB):
    table_class = _ArticleTable


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso_timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


RecordChange = Callable[[Record], None]


@dataclass(frozen=True, slots=True)
class Operation:
    """One queued change: `apply(store)` brings the records to the wanted state (idempotent)."""

    description: str
    apply: Callable[[RecordStore], None]


class RecordStore:
    """The records of one annotation file, read as dataclasses and changed by queued operations.

    Thread-safe; several stores (in one process or many) can share a file. With
    `read_only=True` every change raises `ReadOnlyStoreError`.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        clock: Callable[[], dt.datetime] = utc_now,
        lock_timeout: float = 30.0,
    ) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = read_only
        self._clock = clock
        self._lock = threading.RLock()
        self._pending: list[Operation] = []
        # Dataclasses already built from records, dropped per record on change and all at
        # once when the storage reloads the file (its generation changes).
        self._converted: dict[str, ArticleAnnotations] = {}
        self._converted_generation = -1
        self._db = _ArticleDB(
            self.path, read_only=read_only, lock_timeout=lock_timeout, storage=AtomicJSONStorage
        )
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self._storage.replay = self._replay_pending
        self._table = self._db.table(ARTICLES_TABLE, cache_size=0)

    # --- state of the store ------------------------------------------------------------------

    @property
    def backup_path(self) -> Path:
        """The previous state of the file, kept by every write."""
        return self._storage.backup_path

    @property
    def problem(self) -> StoreError | None:
        """Read-only stores: why the file itself could not be read (its `.bak` is shown)."""
        return self._storage.problem

    @property
    def pending_writes(self) -> int:
        """Changes made but not yet saved because a write failed."""
        with self._lock:
            return len(self._pending)

    def pending_descriptions(self) -> list[str]:
        with self._lock:
            return [op.description for op in self._pending]

    def retry_pending(self) -> None:
        """Try again to save changes whose write failed. Raises the StoreError if it fails."""
        with self._lock:
            if self._pending:
                self._flush()

    def discard_pending(self) -> None:
        """Drop unsaved changes (the user chose not to keep them)."""
        with self._lock:
            self._pending.clear()
            self._storage.invalidate()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------------

    def get(self, article_id: str) -> ArticleAnnotations:
        """The annotations of one article (empty ones when it has none)."""
        with self._lock:
            record = self._records().get(article_id)
            if record is None:
                return ArticleAnnotations(article_id=article_id)
            return self._converted_record(article_id, record)

    def all(self) -> dict[str, ArticleAnnotations]:
        """Every annotated article, by id, in id order."""
        with self._lock:
            records = self._records()
            return {aid: self._converted_record(aid, records[aid]) for aid in sorted(records)}

    def article_ids(self) -> list[str]:
        """Ids of every annotated article, sorted."""
        with self._lock:
            return sorted(self._records())

    def __len__(self) -> int:
        with self._lock:
            return len(self._records())

    def __contains__(self, article_id: object) -> bool:
        with self._lock:
            return article_id in self._records()

    def raw_records(self) -> dict[str, Record]:
        """A deep copy of every stored record (for `store.export` only: stays inside store/)."""
        with self._lock:
            records = self._records()
            return {aid: copy.deepcopy(records[aid]) for aid in sorted(records)}

    def _records(self) -> dict[str, Record]:
        tables = self._storage.read() or {}
        return tables.get(ARTICLES_TABLE, {})

    def _converted_record(self, article_id: str, record: Record) -> ArticleAnnotations:
        if self._converted_generation != self._storage.generation:
            self._converted.clear()
            self._converted_generation = self._storage.generation
        converted = self._converted.get(article_id)
        if converted is None:
            converted = annotations_from_record(article_id, record)
            self._converted[article_id] = converted
        return converted

    # --- the change machinery ----------------------------------------------------------------

    def _now(self) -> str:
        return iso_timestamp(self._clock())

    def _change_article(
        self, description: str, article_id: str, change: RecordChange, now: str | None = None
    ) -> None:
        if not isinstance(article_id, str) or not article_id:
            raise InvalidAnnotationError(f"not an article id: {article_id!r}")
        stamp = now or self._now()

        def apply(store: RecordStore) -> None:
            store._update_record(article_id, change, stamp)

        self._queue(Operation(description, apply))

    def _update_record(self, article_id: str, change: RecordChange, now: str) -> None:
        current = self._records().get(article_id)
        record = copy.deepcopy(current) if current is not None else empty_record()
        for key, value in empty_record().items():
            record.setdefault(key, value)
        before = copy.deepcopy(record)
        change(record)
        if record == before:
            return
        if record_is_empty(record):
            if current is not None:
                self._table.remove(doc_ids=[article_id])  # type: ignore[list-item]
                self._storage.mark_dirty([article_id])
                self._converted.pop(article_id, None)
            return
        record["created"] = record["created"] or now
        record["updated"] = now
        self._put(article_id, record)

    def _put(self, article_id: str, record: Record) -> None:
        if self._table.contains(doc_id=article_id):  # type: ignore[arg-type]

            def replace(doc: MutableMapping[str, Any]) -> None:
                doc.clear()
                doc.update(record)

            self._table.update(replace, doc_ids=[article_id])  # type: ignore[list-item]
        else:
            self._table.insert(Document(record, doc_id=article_id))  # type: ignore[arg-type]
        self._storage.mark_dirty([article_id])
        self._converted.pop(article_id, None)

    def _queue(self, operation: Operation) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(
                f"annotation store {self.path} is open read-only; not saved: "
                f"{operation.description}",
                self.path,
            )
        with self._lock:
            self._pending.append(operation)
            self._flush()

    def _flush(self) -> None:
        """Apply every pending operation in one locked transaction; keep them if it fails."""
        with self._storage.transaction():
            for operation in self._pending:
                operation.apply(self)
        self._pending.clear()

    def _replay_pending(self) -> None:
        """After a reload from disk, re-apply changes not yet saved so reads still show them."""
        for operation in self._pending:
            operation.apply(self)
