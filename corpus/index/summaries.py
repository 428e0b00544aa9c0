"""The sidebar's rows: every article's id, date, title, source and path, in date order.

Read from a snapshot (one marshalled blob in `meta`, written after each refresh) when it is
of the cache's current generation: decoding it costs a third of reading 100,000 rows
through SQLite. `SummaryList` keeps the rows as tuples and makes an `ArticleSummary` only
for a row that is looked at.
"""

from __future__ import annotations

import marshal
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from typing import overload

from corpus.index.db import BUSY_TIMEOUT_SECONDS, IndexDB, WriterBusy
from corpus.index.errors import write_failure
from corpus.rows import ArticleSummary

SummaryRow = tuple[str, str | None, str, str | None, str]
"""(id, date, title, source, path): the fields of an `ArticleSummary`."""


class SummaryList(Sequence[ArticleSummary]):
    """Sidebar rows kept as plain tuples; an `ArticleSummary` is made on access.

    Loading 100,000 rows as tuples costs a fraction of building as many dataclasses, and the
    sidebar only ever looks at the rows on screen.
    """

    __slots__ = ("_positions", "_rows")

    def __init__(self, rows: list[SummaryRow]) -> None:
        self._rows = rows
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> ArticleSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleSummary]: ...

    def __getitem__(self, index: int | slice) -> ArticleSummary | list[ArticleSummary]:
        if isinstance(index, slice):
            return [ArticleSummary(*row) for row in self._rows[index]]
        return ArticleSummary(*self._rows[index])

    def __iter__(self) -> Iterator[ArticleSummary]:
        for row in self._rows:
            yield ArticleSummary(*row)

    def position(self, article_id: str) -> int | None:
        """Where the article with `article_id` is in the list (None if absent)."""
        if self._positions is None:
            self._positions = {row[0]: i for i, row in enumerate(self._rows)}
        return self._positions.get(article_id)


def _snapshot_stamp(generation: int) -> str:
    """What a summaries snapshot must carry: its generation and the marshal format."""
    return f"{generation}:{marshal.version}:{sys.version_info[0]}.{sys.version_info[1]}"


def summary_rows(conn: sqlite3.Connection) -> list[SummaryRow]:
    """Every article's row, through SQL."""
    return conn.execute(
        "SELECT id, date, title, source, path FROM articles ORDER BY sort_key"
    ).fetchall()


def snapshot_rows(conn: sqlite3.Connection, generation: int) -> list[SummaryRow] | None:
    """The rows of the snapshot, if it is one of `generation` (else None)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'summaries'").fetchone()
    if row is None or not isinstance(row[0], bytes):
        return None
    try:
        stamp, rows = marshal.loads(row[0])
    except (ValueError, EOFError, TypeError):
        return None
    return rows if stamp == _snapshot_stamp(generation) else None  # type: ignore[no-any-return]


def write_snapshot(db: IndexDB, generation: int, rows: list[SummaryRow]) -> None:
    """Store the summary rows of `generation` (skipped if the database is busy or full)."""
    if db.read_only:
        return
    blob = marshal.dumps((_snapshot_stamp(generation), rows))
    try:
        with db.write(give_up_after=BUSY_TIMEOUT_SECONDS) as conn:
            if db.generation() == generation:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('summaries', ?)", (blob,))
    except WriterBusy:
        return
    except sqlite3.Error as error:
        if write_failure(error) is None:  # a snapshot is only a speed-up
            raise


def write_current_snapshot(db: IndexDB) -> None:
    """The snapshot of the cache as it is now (after a refresh or a load has committed)."""
    write_snapshot(db, db.generation(), summary_rows(db.conn()))
