"""Can the index stand in for an analysis of the corpus as it is now?

`CorpusIndex.stand_in` lets `newsreader list`, `show`, `people` and `quotes` answer from the
index instead of analysing the corpus, but only when the index holds exactly what
`corpus.reader.read_paths` and the analysis would give now, with the same skipped files and
duplicates in the same order; `stand_in` says so or raises `IndexNotCurrent` with why not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from corpus.index.db import execute_in
from corpus.index.errors import DamagedCacheError, IndexNotCurrent
from corpus.index.report import AnalysisStandIn
from corpus.model import Skipped


def stand_in(conn: sqlite3.Connection, paths: Sequence[Path]) -> AnalysisStandIn:
    """What analysing `paths` now would report beside the articles, if the index holds
    exactly the articles it would give; else `IndexNotCurrent` saying why not.

    Walks the corpus as the reader does (one `stat` a file) and compares with the files
    the index holds; then checks what only a history of refreshes can make differ from
    one analysis of the corpus as it is: an article whose analysis failed, a duplicate
    whose kept copy comes after it, an id that gained its digest suffix before the
    article that holds the plain id. Skipped files and records come out in walk order,
    duplicates in the order of the dropped copies, as `corpus.reader.read_paths` gives
    them. Run it inside `CorpusIndex.reading()` to read the articles from the same snapshot.
    """
    from corpus import reader

    order: dict[str, int] = {}  # file -> position in the walk
    walk_skips: list[tuple[int, Skipped]] = []
    current: dict[str, tuple[int, int]] = {}
    for name, info, reason in reader.walk_stat(paths):
        if info is None:
            walk_skips.append((len(order), Skipped(name, reason or "cannot read")))
            continue
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raise IndexNotCurrent("a file name is not valid UTF-8 (not indexed)") from None
        order.setdefault(name, len(order))
        current.setdefault(name, (info.st_size, info.st_mtime_ns))
    stored: dict[str, tuple[int, int]] = {}
    file_skips: dict[str, str] = {}
    records = 0
    for path, size, mtime, state, count, skipped in conn.execute(
        "SELECT path, size, mtime_ns, state, records, skipped FROM files"
    ):
        if state != "done":
            raise IndexNotCurrent("a refresh of it did not finish")
        stored[path] = (size, mtime)
        records += count
        if skipped != "[]":
            file_skips[path] = skipped
    if stored != current:
        raise IndexNotCurrent("files were added, changed or removed since it was refreshed")
    (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    if articles != records:
        raise IndexNotCurrent("the analysis of an article failed when it was indexed")

    def place(record_path: str, file: str) -> tuple[int, int]:
        """Where a record comes in a walk: its file's place, then its number in it."""
        number = record_path[len(file) + 1 :] if record_path != file else "0"
        return (order[file], int(number) if number.isdigit() else 0)

    duplicates = conn.execute("SELECT path, file, kept FROM duplicates").fetchall()
    if duplicates:
        kept_files: dict[str, str] = dict(
            execute_in(
                conn,
                "SELECT path, file FROM articles WHERE path IN ({marks})",
                sorted({kept for _, _, kept in duplicates}),
            )
        )
        for path, file, kept in duplicates:
            kept_file = kept_files.get(kept)
            if kept_file is None or place(kept, kept_file) >= place(path, file):
                raise IndexNotCurrent("a duplicate was kept in place of an earlier copy")
        duplicates.sort(key=lambda row: place(row[0], row[1]))
    for suffixed, file, path, plain_file, plain_path in conn.execute(
        "SELECT a.id, a.file, a.path, b.file, b.path FROM articles a "
        "JOIN articles b ON b.id = substr(a.id, 1, length(a.id) - 9) "
        "WHERE substr(a.id, -9, 1) = '-' AND substr(a.id, -8) = substr(a.digest, 1, 8)"
    ):
        if place(plain_path, plain_file) >= place(path, file):
            raise IndexNotCurrent(f"article {suffixed} was indexed before its namesake")
    skipped_in_order: list[Skipped] = []
    walk_skips.reverse()
    for file in current:
        while walk_skips and walk_skips[-1][0] <= order[file]:
            skipped_in_order.append(walk_skips.pop()[1])
        if file in file_skips:
            try:
                pairs = json.loads(file_skips[file])
                skipped_in_order.extend(Skipped(path, reason) for path, reason in pairs)
            except (ValueError, TypeError) as error:
                raise DamagedCacheError(f"a files row is damaged: {error}") from error
    skipped_in_order.extend(skip for _, skip in reversed(walk_skips))
    return AnalysisStandIn(
        tuple(skipped_in_order), tuple((path, kept) for path, _, kept in duplicates)
    )
