"""The index as plain rows: `analyze -o DIR` writes them (`corpus.records_dir`), `index --from
DIR` loads them, so an index can be built once and copied without analysing again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from corpus.index.db import IndexDB, bump_generation, marks
from corpus.index.manifest import forget_manifest
from corpus.index.schema import INSERT_ARTICLE, PLAIN_TABLES


def export_tables(conn: sqlite3.Connection) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for every analysed row, in a fixed order; articles without their
    row id, entity names by article id. `import_tables` of them gives the same index."""
    for row in conn.execute("SELECT * FROM articles ORDER BY id"):
        yield "articles", tuple(row[1:])
    for row in conn.execute(
        "SELECT a.id, n.label, n.name FROM entity_names n JOIN articles a USING (rid) "
        "ORDER BY a.id, n.rowid"
    ):
        yield "entity_names", tuple(row)
    for table in PLAIN_TABLES:
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
            yield table, tuple(row)


def import_tables(db: IndexDB, rows: Iterable[tuple[str, Sequence[Any]]]) -> int:
    """Replace the analysed content with `export_tables` rows (nothing is analysed);
    returns the number of articles. One transaction: an error leaves the index as it was.
    Tags and notes stay. No manifest: the next refresh compares the files as usual."""
    articles = 0
    rids: dict[str, int] = {}
    with db.write() as conn:
        forget_manifest(conn)
        conn.execute("DELETE FROM articles")
        conn.execute("DELETE FROM entity_names")
        for table in PLAIN_TABLES:
            conn.execute(f"DELETE FROM {table}")
        for table, row in rows:
            if table == "articles":
                cursor = conn.execute(INSERT_ARTICLE, tuple(row))
                assert cursor.lastrowid is not None
                rids[row[0]] = cursor.lastrowid
                articles += 1
            elif table == "entity_names":
                article_id, label, name = row
                conn.execute(
                    "INSERT INTO entity_names VALUES (?, ?, ?)",
                    (rids[article_id], label, name),
                )
            elif table in PLAIN_TABLES:
                conn.execute(f"INSERT INTO {table} VALUES ({marks(len(row))})", tuple(row))
            else:
                raise ValueError(f"not a table of the index: {table!r}")
        conn.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('aliases_current', '1')")
        bump_generation(conn)
    return articles
