"""One refresh of an index: walk the corpus, read what changed, analyse, commit in batches.

A refresh re-reads only files whose size or mtime changed (a file whose records read the
same is only re-stamped), analyses added and changed files in a process pool (or on a Dask
cluster: `corpus.distributed`), and drops removed ones. The corpus-level boilerplate signal
of the cleaner (`clean.recurring_lines`) is kept incrementally: per line key, the number of
articles containing it. When a refresh changes the set of recurring keys, the unchanged
files whose lines are affected are analysed again, so the index always matches what
`analyze_paths` would produce for the corpus as it is now. Ids and duplicates are decided
here, in walk order, and the corpus-level aliases are redone when a person name came or
went. Everything that needs the whole corpus stays in this process, so the rows are the
same whichever engine did the per-file work (`corpus.index.workers`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.index.cache import cache_version
from corpus.index.changes import find_changes
from corpus.index.codec import ArticleRow
from corpus.index.db import IndexDB, bump_generation, chunks, commit_so_far, execute_in, marks
from corpus.index.manifest import forget_manifest, store_manifest
from corpus.index.names import corpus_aliases
from corpus.index.report import RefreshReport
from corpus.index.schema import INSERT_ARTICLE, fts_delete, fts_insert
from corpus.index.summaries import write_current_snapshot
from corpus.index.workers import AnalysedFile, AnalyseTask, FileMapper, analyse_file, scan_file
from corpus.index_freshness import Signature, tree_signature
from corpus.model import ArticleSummary

if TYPE_CHECKING:
    from corpus.distributed import DaskEngine

_BATCH_SECONDS = 0.5
_BATCH_ROWS = 500
_PRESENT_NAMES = "SELECT name FROM person_names WHERE articles > 0 AND name IN ({marks})"


def dask_engine(
    engine: str | DaskEngine, scheduler: str | None, workers: int | None
) -> tuple[DaskEngine | None, bool]:
    """The engine `refresh(engine=...)` names, and whether the refresh owns (closes) it:
    "local" (the process pool: None), "dask" (one at `scheduler`, or a `LocalCluster`), or a
    `DaskEngine` given (used as it is and left open)."""
    if engine == "dask":
        from corpus.distributed import DaskEngine

        return DaskEngine(scheduler, workers=workers), True
    if not isinstance(engine, str):
        return engine, False
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: 'local' or 'dask'")
    return None, False


def _recurring_rows(conn: sqlite3.Connection, total: int) -> dict[int, str]:
    """{hash: key} of the recurring line keys, by `clean.recurring_min_docs` (the one rule)."""
    from corpus import clean

    least = clean.recurring_min_docs(total, 0)
    if least is None:
        return {}
    return {
        key_hash: key
        for key_hash, key, docs in conn.execute(
            "SELECT hash, key, docs FROM line_docs WHERE docs >= ? AND key IS NOT NULL", (least,)
        )
        if docs >= (clean.recurring_min_docs(total, len(key)) or 0)
    }


class Refresh:
    """One refresh of the cache `db` (see the module docstring); `run` does it."""

    def __init__(
        self,
        db: IndexDB,
        ner: str,
        paths: Sequence[Path],
        *,
        workers: int | None,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        on_articles: Callable[[list[ArticleSummary]], None] | None,
        signature: Signature | None = None,
        walk_in_child: bool = True,
        engine: DaskEngine | None = None,
        owns_engine: bool = False,
    ) -> None:
        self.db = db
        self.ner = ner
        self.conn = db.conn()
        self.paths = [Path(p) for p in paths]
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.progress = progress or (lambda done, total: None)
        self.cancelled = cancelled or (lambda: False)
        self.on_articles = on_articles
        self.report = RefreshReport()
        self.signature = signature  # taken before the walk if not given
        self.walk_in_child = walk_in_child
        self.changed_anything = False
        self.names_before: dict[str, bool] = {}  # person name -> in the corpus before
        self.aliases_were_current: bool | None = None  # (None: not looked at yet)
        self.done = 0
        self.total = 0
        self.mapper = FileMapper(self.workers, engine, owns_engine=owns_engine)

    def _tick(self) -> None:
        self.done += 1
        self.progress(self.done, self.total)

    # -- the steps --

    def run(self) -> RefreshReport:
        started = time.perf_counter()
        try:
            signature = self.signature if self.signature is not None else tree_signature(self.paths)
            forget_manifest(self.conn)  # (a refresh that stops half-way leaves none)
            self._run()
            if not self.report.cancelled:
                store_manifest(self.db, self.paths, signature)
        finally:
            self.mapper.close()
            if self.changed_anything:
                write_current_snapshot(self.db)
            self.report.seconds = time.perf_counter() - started
        return self.report

    def _run(self) -> None:
        changes = find_changes(
            self.db, self.paths, workers=self.workers, in_child=self.walk_in_child
        )
        self.report.skipped.extend(changes.skipped)
        removed, candidates, forced = changes.removed, changes.candidates, changes.forced
        current, stored = changes.current, changes.stored

        self.total = 2 * len(candidates)
        self.progress(0, self.total)

        if removed:
            with self.db.write() as conn:
                for path in removed:
                    self._drop_file(path)
                    conn.execute("DELETE FROM files WHERE path = ?", (path,))
                bump_generation(conn)  # summaries() must drop the removed rows
        self.report.removed = len(removed)

        engine = self.mapper.engine
        if engine is not None and candidates:
            engine.check_workers(candidates[0], self.ner, cache_version(self.ner))
        tasks = self._read_files(candidates, current, stored, forced)
        if self.cancelled():
            self.report.cancelled = True
            self._finish()
            return
        tasks += self._boilerplate_changes(set(candidates))
        self.report.unchanged = (
            changes.files - self.report.added - self.report.changed - self.report.reanalysed
        )
        self.total = self.done + len(tasks)
        self.progress(self.done, self.total)
        self._analyse(tasks)
        self._finish()

    def _drop_file(self, path: str) -> None:
        """Forget a file: its articles, its duplicates and its share of the line counts."""
        conn = self.conn
        row = conn.execute("SELECT line_keys FROM files WHERE path = ?", (path,)).fetchone()
        if row and row[0]:
            counts = Counter(array("q", row[0]))
            conn.executemany(
                "UPDATE line_docs SET docs = docs - ? WHERE hash = ?",
                [(n, h) for h, n in counts.items()],
            )
        self._delete_articles(path)
        conn.execute("DELETE FROM duplicates WHERE file = ?", (path,))

    def _delete_articles(self, path: str) -> None:
        rids = [r for (r,) in self.conn.execute("SELECT rid FROM articles WHERE file = ?", (path,))]
        self._delete_rids(rids)

    def _delete_rids(self, rids: Sequence[int]) -> None:
        if not rids:
            return
        self.changed_anything = True
        fts_delete(self.conn, rids)
        for chunk in chunks(rids):
            listed = marks(len(chunk))
            gone = Counter(
                name
                for (name,) in self.conn.execute(
                    f"SELECT name FROM entity_names WHERE rid IN ({listed}) AND label = 'PERSON'",
                    chunk,
                )
            )
            self._note_names(gone)
            self.conn.executemany(
                "UPDATE person_names SET articles = articles - ? WHERE name = ?",
                [(count, name) for name, count in gone.items()],
            )
            self.conn.execute(f"DELETE FROM entity_names WHERE rid IN ({listed})", chunk)
            self.conn.execute(f"DELETE FROM articles WHERE rid IN ({listed})", chunk)

    def _read_files(
        self,
        candidates: list[str],
        current: Mapping[str, tuple[int, int]],
        stored: Mapping[str, tuple[int, int, str]],
        forced: set[str],
    ) -> list[AnalyseTask]:
        """Read new and changed files; update line counts; decide ids and duplicates."""
        tasks: list[tuple[str, tuple[tuple[int, str], ...]]] = []
        digest_owner: dict[str, str] = {}
        assigned: set[str] = set()
        last_commit = time.perf_counter()
        with self.db.write() as conn:
            fingerprints: dict[str, str] = dict(
                execute_in(
                    conn,
                    "SELECT path, fingerprint FROM files WHERE state = 'done' "
                    "AND path IN ({marks})",
                    [path for path in candidates if path in stored],
                )
            )
            for scan in self.mapper.map(scan_file, candidates, ordered=True):
                self._tick()
                size, mtime = current[scan.path]
                skipped_json = json.dumps([[s.path, s.reason] for s in scan.skipped])
                self.report.skipped.extend(scan.skipped)
                if scan.path not in forced and fingerprints.get(scan.path) == scan.fingerprint:
                    # touched, not changed: same records
                    conn.execute(
                        "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                        (size, mtime, scan.path),
                    )
                    self.done += 1
                    continue
                if scan.path in stored:
                    self.report.changed += 1
                else:
                    self.report.added += 1
                self._drop_file(scan.path)
                wanted: list[tuple[int, str]] = []
                hashes = array("q")
                for record in scan.records:
                    kept = digest_owner.get(record.digest)
                    if kept is None:
                        row = conn.execute(
                            "SELECT path FROM articles WHERE digest = ? LIMIT 1", (record.digest,)
                        ).fetchone()
                        kept = row[0] if row else None
                    if kept is not None:
                        conn.execute(
                            "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?)",
                            (record.path, scan.path, kept),
                        )
                        self.report.duplicates.append((record.path, kept))
                        continue
                    digest_owner[record.digest] = record.path
                    article_id = record.stated_id or record.digest[:16]
                    if (
                        article_id in assigned
                        or conn.execute(
                            "SELECT 1 FROM articles WHERE id = ?", (article_id,)
                        ).fetchone()
                    ):
                        article_id = f"{article_id}-{record.digest[:8]}"
                    assigned.add(article_id)
                    wanted.append((record.index, article_id))
                    hashes.extend(h for h, _ in record.keys)
                    conn.executemany(
                        "INSERT INTO line_docs VALUES (?1, 1, NULL) ON CONFLICT(hash) "
                        "DO UPDATE SET docs = docs + 1, key = coalesce(key, ?2)",
                        record.keys,
                    )
                conn.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        scan.path,
                        size,
                        mtime,
                        scan.fingerprint,
                        "pending" if wanted else "done",
                        len(wanted),
                        hashes.tobytes(),
                        skipped_json,
                    ),
                )
                if wanted:
                    tasks.append((scan.path, tuple(wanted)))
                else:
                    self.done += 1
                if time.perf_counter() - last_commit > _BATCH_SECONDS:
                    commit_so_far(conn)
                    last_commit = time.perf_counter()
                if self.cancelled():
                    break
        return [self._task(path, records) for path, records in tasks]

    def _task(self, path: str, records: tuple[tuple[int, str], ...]) -> AnalyseTask:
        return AnalyseTask(str(self.db.path), self.db.generation(), self.ner, path, records)

    def _boilerplate_changes(self, read_now: set[str]) -> list[AnalyseTask]:
        """Store the new recurring line keys; queue unchanged files whose cleaning changes."""
        with self.db.write() as conn:
            (total,) = conn.execute("SELECT coalesce(sum(records), 0) FROM files").fetchone()
            new = _recurring_rows(conn, total)
            old = dict(conn.execute("SELECT hash, key FROM recurring"))
            changed_keys = set(new) ^ set(old)
            tasks: list[AnalyseTask] = []
            if changed_keys:
                conn.execute("DELETE FROM recurring")
                conn.executemany("INSERT INTO recurring VALUES (?, ?)", new.items())
                conn.execute("DELETE FROM line_docs WHERE docs <= 0")
                bump_generation(conn)
                affected: list[str] = []
                for path, blob in conn.execute(
                    "SELECT path, line_keys FROM files WHERE state = 'done' AND records > 0"
                ):
                    if path not in read_now and not changed_keys.isdisjoint(array("q", blob)):
                        affected.append(path)
                for path in affected:
                    records = tuple(
                        conn.execute(
                            "SELECT record, id FROM articles WHERE file = ? ORDER BY record",
                            (path,),
                        ).fetchall()
                    )
                    conn.execute("UPDATE files SET state = 'pending' WHERE path = ?", (path,))
                    tasks.append(self._task(path, records))
                self.report.reanalysed = len(affected)
        return tasks

    def _analyse(self, tasks: list[AnalyseTask]) -> None:
        """Analyse queued files (in the pool) and insert their articles in batches."""
        if not tasks:
            return
        generation = self.db.generation()
        tasks = [replace(task, generation=generation) for task in tasks]
        extra: tuple[Any, ...] = ()
        engine = self.mapper.engine
        if engine is not None:  # the workers get the recurring keys, not the cache path
            keys = frozenset(key for (key,) in self.conn.execute("SELECT key FROM recurring"))
            extra = (engine.broadcast(keys),)
        batch: list[AnalysedFile] = []
        last_commit = time.perf_counter()
        pending_rows = 0
        for analysed in self.mapper.map(analyse_file, tasks, False, *extra):
            self._tick()
            batch.append(analysed)
            pending_rows += len(analysed.rows)
            if pending_rows >= _BATCH_ROWS or time.perf_counter() - last_commit > _BATCH_SECONDS:
                self._insert(batch)
                batch, pending_rows, last_commit = [], 0, time.perf_counter()
            if self.cancelled():
                self.report.cancelled = True
                break
        if batch:
            self._insert(batch)

    def _insert(self, batch: list[AnalysedFile]) -> None:
        summaries: list[ArticleSummary] = []
        with self.db.write() as conn:
            for analysed in batch:
                self._delete_articles(analysed.path)
                rids: list[int] = []
                self.changed_anything = True
                for row in analysed.rows:
                    rid = self._insert_article(row)
                    assert rid is not None
                    rids.append(rid)
                    summaries.append(
                        ArticleSummary(row.id, row.date, row.title, row.source, row.path)
                    )
                for rid, (_, pairs) in zip(rids, analysed.names, strict=True):
                    conn.executemany(
                        "INSERT INTO entity_names VALUES (?, ?, ?)",
                        [(rid, label, name) for label, name in pairs],
                    )
                    people = [name for label, name in pairs if label == "PERSON"]
                    self._note_names(people)
                    conn.executemany(
                        "INSERT INTO person_names VALUES (?, 1) ON CONFLICT(name) "
                        "DO UPDATE SET articles = articles + 1",
                        [(name,) for name in people],
                    )
                fts_insert(conn, rids)
                if analysed.skipped:
                    self.report.skipped.extend(analysed.skipped)
                conn.execute("UPDATE files SET state = 'done' WHERE path = ?", (analysed.path,))
                self.report.articles += len(analysed.rows)
            bump_generation(conn)
        if self.on_articles is not None and summaries:
            self.on_articles(summaries)

    def _insert_article(self, row: ArticleRow) -> int:
        """Insert one article row; an id taken meanwhile gets the reader's digest suffix."""
        try:
            cursor = self.conn.execute(INSERT_ARTICLE, row)
        except sqlite3.IntegrityError:
            taken = self.conn.execute(
                "SELECT rid, file FROM articles WHERE id = ?", (row.id,)
            ).fetchone()
            if taken is not None and taken[1] == row.file:
                self._delete_rids([taken[0]])  # an older analysis of this very file
                cursor = self.conn.execute(INSERT_ARTICLE, row)
            else:
                suffixed = row._replace(id=f"{row.id}-{row.digest[:8]}")
                cursor = self.conn.execute(INSERT_ARTICLE, suffixed)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _note_names(self, names: Iterable[str]) -> None:
        """Before person names' counts change: whether each was in the corpus (first time
        each is seen in this refresh), and that the aliases may no longer be current.

        Called inside the write transaction that changes the counts: a refresh that stops
        before `_finish` leaves the aliases marked as not current, and the next one redoes
        them.
        """
        conn = self.conn
        if self.aliases_were_current is None:
            flag = conn.execute("SELECT 1 FROM meta WHERE key = 'aliases_current'").fetchone()
            self.aliases_were_current = flag is not None
            conn.execute("DELETE FROM meta WHERE key = 'aliases_current'")
        new = [name for name in dict.fromkeys(names) if name not in self.names_before]
        present = {name for (name,) in execute_in(conn, _PRESENT_NAMES, new)}
        self.names_before.update((name, name in present) for name in new)

    def _names_changed(self) -> bool:
        """Whether a person name came into the corpus or left it in this refresh."""
        present = {
            name for (name,) in execute_in(self.conn, _PRESENT_NAMES, list(self.names_before))
        }
        return any(was != (name in present) for name, was in self.names_before.items())

    def _finish(self) -> None:
        """Recompute the corpus-level aliases of entity names, if the set of person names
        changed (the aliases depend on nothing else: at 100,000 articles they take a second).
        """
        if not self.changed_anything:
            return
        with self.db.write() as conn:
            conn.execute("DELETE FROM person_names WHERE articles <= 0")
            if self.aliases_were_current is None:  # no person name was touched
                flag = conn.execute("SELECT 1 FROM meta WHERE key = 'aliases_current'").fetchone()
                self.aliases_were_current = flag is not None
            if self._names_changed() or not self.aliases_were_current:
                aliases = corpus_aliases(
                    ("PERSON", name, count)
                    for name, count in conn.execute("SELECT name, articles FROM person_names")
                )
                old = dict(conn.execute("SELECT name, canonical FROM aliases"))
                if aliases != old:
                    conn.execute("DELETE FROM aliases")
                    conn.executemany("INSERT INTO aliases VALUES (?, ?)", aliases.items())
                    bump_generation(conn)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('aliases_current', '1')")
