"""`CorpusIndex`: the corpus as the cache holds it, a `CorpusSource` for the app and the CLI.

The class is the one door to a cache: it opens it (`corpus.index.opening`), answers reads
(summaries, articles, search, what an analysis would report) from the modules that know
each, keeps the user's tags and notes in step, and runs a refresh (`corpus.index.refresh`,
imported only when one runs: a search of a current index never loads it).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from corpus.index import manifest, tables
from corpus.index.annotations import AnnotationLike, IndexAnnotations
from corpus.index.cache import default_cache_path
from corpus.index.db import BUSY_TIMEOUT_SECONDS, IndexDB, RefreshLock, sqlite_uri
from corpus.index.errors import DamagedCacheError, ForeignCacheError, cache_damage, write_failure
from corpus.index.names import CorpusNames
from corpus.index.opening import CacheOpener
from corpus.index.ownership import cache_ownership
from corpus.index.schema import cache_problem
from corpus.index.search import Ranking, hits, rank, ranked_ids
from corpus.index.summaries import (
    SummaryList,
    snapshot_rows,
    summary_rows,
    write_current_snapshot,
    write_snapshot,
)
from corpus.index_freshness import Signature
from corpus.rows import ArticleSummary, SearchHit
from corpus.untrusted import resolve_link

if TYPE_CHECKING:
    from corpus.distributed import DaskEngine
    from corpus.index.report import AnalysisStandIn, RefreshReport
    from corpus.model import Article, Skipped

# Decoding articles (`codec`, the model's dataclasses), the stand-in and the refresh report
# are imported by the methods that need them: a search of a current index builds none of
# them (`corpus.rows` says why that matters).

T = TypeVar("T")


class CorpusIndex:
    """A `CorpusSource` backed by an SQLite cache of analysed articles (see `corpus.index`).

    Reads and writes are thread-safe: each thread gets its own SQLite connection (WAL mode),
    and writers take one lock.
    """

    def __init__(self, cache_path: Path, ner: str = "builtin", *, owned: bool = False) -> None:
        """Open (create, rebuild or move aside and rebuild) the cache at `cache_path`.

        `owned`: the path is in newsreader's own cache folder (`default_cache_path`), so
        whatever file is there is ours to rebuild. Elsewhere (`--cache FILE`) only a file
        that is provably a newsreader index is ever deleted (`cache_ownership`). Raises
        `ForeignCacheError`, `CacheWriteError` (cannot be created or rebuilt), OSError.
        """
        self.cache_path = resolve_link(Path(cache_path))
        self.ner = ner
        self.owned = owned
        self.notices: list[str] = []
        """One line for each thing done to the cache the user should hear about (a rebuild)."""
        self.db = IndexDB(self.cache_path)
        """The cache's connections and transactions."""
        self._opener = CacheOpener(self.db, ner, owned, self.notices)
        self._refresh_lock = threading.Lock()  # one refresh at a time in this process
        self._summaries: tuple[int, SummaryList] | None = None
        self._names = CorpusNames(self.db)
        self._annotations = IndexAnnotations(self.db)
        self._opener.open()

    @property
    def read_only(self) -> bool:
        """The cache is searched as it is: a read-only file system or file; never written."""
        return self.db.read_only

    @classmethod
    def for_paths(
        cls, paths: Sequence[Path], cache_path: Path | None = None, ner: str = "builtin"
    ) -> CorpusIndex:
        """The index for a corpus (not refreshed: call `refresh(paths)` to bring it up to date)."""
        if cache_path is None:
            return cls(default_cache_path(paths, ner), ner=ner, owned=True)
        return cls(cache_path, ner=ner)

    @classmethod
    def open_existing(
        cls, paths: Sequence[Path], cache_path: Path | None = None, ner: str = "builtin"
    ) -> CorpusIndex | None:
        """The index of a corpus if there is one of this version and whole, else None.

        For commands that only read: a missing cache is not created, and a stale, damaged
        or foreign one is left as it is (the next `index`, `search` or app rebuilds it).
        Whether it is up to date with the files is `stand_in` (or `is_current`).
        """
        owned = cache_path is None
        path = resolve_link(default_cache_path(paths, ner) if cache_path is None else cache_path)
        try:
            if cache_ownership(path) != "ours":
                return None
            conn = sqlite3.connect(
                sqlite_uri(path, mode="ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS
            )
            try:
                if cache_problem(conn, ner) is not None:
                    return None
            finally:
                conn.close()
        except (ForeignCacheError, sqlite3.Error, OSError):
            return None
        return cls(path, ner=ner, owned=owned)

    # -- damage met after the open --

    def recover(self, error: BaseException) -> None:
        """After an operation met damage (`cache_damage(error)`): move aside, start anew.

        The new cache is empty: the caller refreshes it. Raises `CacheWriteError` when the
        cache cannot be rebuilt (read-only) and `error` itself when it is no damage.
        """
        self._opener.set_aside(error)
        self._summaries = None
        self._names.forget()
        self._annotations.forget()
        self._opener.open()

    def recovering(self, action: Callable[[], T]) -> T:
        """`action()`; if it meets a damaged cache, `recover` and run it once more."""
        try:
            return action()
        except sqlite3.DatabaseError as error:
            if cache_damage(error) is None:
                raise
            self.recover(error)
        return action()

    def close(self) -> None:
        """Close every thread's connection (the index must not be used afterwards)."""
        self.db.close()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading --

    def __len__(self) -> int:
        return len(self.summaries())

    def summaries(self) -> SummaryList:
        """Every article in date order (undated last), as light rows (`corpus.index.summaries`)."""
        generation = self.db.generation()
        cached = self._summaries
        if cached is not None and cached[0] == generation:
            return cached[1]
        conn = self.db.conn()
        rows = snapshot_rows(conn, generation)
        if rows is None:
            rows = summary_rows(conn)
            if not self._refresh_lock.locked():  # a refresh writes it when it is done
                write_snapshot(self.db, generation, rows)
        summaries = SummaryList(rows)
        self._summaries = (generation, summaries)
        return summaries

    def aliases(self) -> dict[str, str]:
        """Document-level canonical name -> corpus-level canonical name (only differing ones)."""
        return self._names.aliases()

    def article(self, article_id: str, *, corpus_names: bool = True) -> Article:
        """The full analysed article, with corpus-level canonical names (KeyError if unknown).

        `corpus_names=False` leaves the names as the article's own analysis gave them (for
        a caller that shows only the text: the entity recogniser is not even imported).
        Damage met here (a page or row that does not decode, long after the cache was
        opened) is noted in the cache, so the next open rebuilds it, and raised as a
        `DamagedCacheError` that says so.
        """
        from corpus.index.codec import ARTICLE_COLUMNS, article_from_row

        try:
            row = (
                self.db.conn()
                .execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
                .fetchone()
            )
            if row is None:
                raise KeyError(article_id)
            article = article_from_row(row)
            return self._names.with_corpus_names(article) if corpus_names else article
        except sqlite3.DatabaseError as error:
            raise self.db.noted_damage(error) from error

    def check(self) -> None:
        """Read every page (`PRAGMA quick_check`, ~2 ms a MB); `DamagedCacheError` if any is bad.

        For `newsreader index`, whose reader asks for a sound cache; other commands find
        damage as they meet it.
        """
        try:
            rows = self.db.conn().execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.DatabaseError as error:
            raise self.db.noted_damage(error) from error
        if rows != [("ok",)]:
            first = " ".join(str(rows[0][0]).replace("***", " ").split())
            raise self.db.noted_damage(DamagedCacheError(f"a page check failed: {first}"))

    def summary(self, article_id: str) -> ArticleSummary:
        """The sidebar row of one article (KeyError if unknown)."""
        try:
            row = (
                self.db.conn()
                .execute(
                    "SELECT id, date, title, source, path FROM articles WHERE id = ?",
                    (article_id,),
                )
                .fetchone()
            )
        except sqlite3.DatabaseError as error:
            raise self.db.noted_damage(error) from error
        if row is None:
            raise KeyError(article_id)
        return ArticleSummary(*row)

    def articles(self) -> Iterator[Article]:
        """Every article in date order (for exports and `analyze`; reads every body)."""
        from corpus.index.codec import ARTICLE_COLUMNS, article_from_row

        cursor = self.db.conn().execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY sort_key")
        try:
            for row in cursor:
                yield self._names.with_corpus_names(article_from_row(row))
        except sqlite3.DatabaseError as error:
            raise self.db.noted_damage(error) from error

    def skipped(self) -> list[Skipped]:
        """Every file or record the last refreshes could not read."""
        import json

        from corpus.model import Skipped

        found: list[Skipped] = []
        for (blob,) in self.db.conn().execute("SELECT skipped FROM files WHERE skipped != '[]'"):
            try:
                found.extend(Skipped(path, reason) for path, reason in json.loads(blob))
            except (ValueError, TypeError) as error:
                raise DamagedCacheError(f"a files row is damaged: {error}") from error
        return found

    def duplicates(self) -> list[tuple[str, str]]:
        """(dropped path, kept path) of every duplicate article in the corpus."""
        rows = self.db.conn().execute("SELECT path, kept FROM duplicates").fetchall()
        return [(dropped, kept) for dropped, kept in rows]

    def has_articles(self) -> bool:
        """Whether the index holds any article (without loading the summaries)."""
        return self.db.conn().execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: every read in this thread inside sees the cache as it was
        at the first one, whatever a refresh in another process commits meanwhile."""
        with self.db.reading():
            yield

    def stand_in(self, paths: Sequence[Path]) -> AnalysisStandIn:
        """What analysing `paths` now would report beside the articles, if the index holds
        exactly the articles it would give; else `IndexNotCurrent` saying why not
        (`corpus.index.stand_in`). Run it inside `reading()` to read the articles from the
        same snapshot."""
        from corpus.index.stand_in import stand_in

        return stand_in(self.db.conn(), paths)

    # -- search --

    def search(
        self,
        query: str,
        limit: int = 200,
        annotations: Mapping[str, AnnotationLike] | None = None,
    ) -> list[SearchHit]:
        """Articles matching `query` (see `parse_query`), best first (bm25).

        `annotations` ({article_id: (tags, note)} or `ArticleAnnotations`-like objects) are
        written into the index first, so `tag:` filters and words in notes are found.
        """
        return list(self.iter_search(query, limit, annotations))

    def iter_search(
        self,
        query: str,
        limit: int = 200,
        annotations: Mapping[str, AnnotationLike] | None = None,
        annotations_source: str | None = None,
    ) -> Iterator[SearchHit]:
        """`search`, one hit at a time: the ranking is done in this call, each snippet when
        its hit is taken, so a caller prints the first result before the last is cut.

        What fails in the ranking (damage to the full-text index, a busy cache) is raised
        here; the hits' texts are read later, a few rows at a time. `annotations_source`
        goes with `annotations` to `set_annotations`.
        """
        ranking = self._rank(query, limit, annotations, annotations_source)
        if ranking is None:
            return iter(())
        return hits(self.db, ranking)

    def search_ids(
        self,
        query: str,
        limit: int | None = None,
        annotations: Mapping[str, AnnotationLike] | None = None,
    ) -> list[str]:
        """Ids of the articles matching `query`, best first, without snippets (fast)."""
        ranking = self._rank(query, limit or 1 << 31, annotations)
        if ranking is None:
            return []
        return ranked_ids(self.db, ranking)

    def _rank(
        self,
        query: str,
        limit: int,
        annotations: Mapping[str, AnnotationLike] | None,
        annotations_source: str | None = None,
    ) -> Ranking | None:
        if annotations is not None:
            try:
                self.set_annotations(annotations, annotations_source)
            except sqlite3.Error as error:
                # a full disk: search with the tags and notes the index already has
                if write_failure(error) is None:
                    raise
        return rank(self.db, self._names, query, limit)

    # -- annotations --

    def set_annotations(
        self, annotations: Mapping[str, AnnotationLike], source: str | None = None
    ) -> int:
        """Make the index's tags and notes those of `annotations` (all others are cleared);
        returns how many articles changed. `source`: where they were read from, given back
        by `annotations_source()` (see `IndexAnnotations.set`)."""
        return self._annotations.set(annotations, source)

    def annotations_source(self) -> str | None:
        """The `source` of the annotations the index holds (`set_annotations`), if known."""
        return self._annotations.source()

    # -- freshness --

    def is_current(self, paths: Sequence[Path], signature: Signature) -> bool:
        """Whether a refresh of `paths` would find nothing to do, without walking the corpus.

        True when the manifest of the last complete refresh (`corpus.index_freshness`) is of
        these paths, the folders' `signature` (`tree_signature(paths)`, taken by the caller)
        is the one it stored, and no refresh has written to the index since.
        """
        return manifest.is_current(self.db, paths, signature)

    # -- the index as plain rows (`analyze -o DIR`, `index --from DIR`) --

    def version(self) -> str:
        """The cache version stamp: the schema, newsreader, the NER backend, the analysis code."""
        (value,) = self.db.conn().execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return str(value)

    def export_tables(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """(table, row) for every analysed row, in a fixed order; articles without their
        row id, entity names by article id. `import_tables` of them gives the same index.
        Call it inside `reading()` for one snapshot."""
        return tables.export_tables(self.db.conn())

    def import_tables(self, rows: Iterable[tuple[str, Sequence[Any]]]) -> int:
        """Replace the analysed content with `export_tables` rows (nothing is analysed);
        returns the number of articles. One transaction: an error leaves the index as it was.
        Tags and notes stay. No manifest: the next refresh compares the files as usual."""
        if self.read_only:
            raise self.db.read_only_error("cannot load into")
        with self._refresh_lock:
            articles = tables.import_tables(self.db, rows)
        write_current_snapshot(self.db)
        return articles

    # -- refreshing --

    def refresh(
        self,
        paths: Sequence[Path],
        *,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_articles: Callable[[list[ArticleSummary]], None] | None = None,
        signature: Signature | None = None,
        walk_in_child: bool = True,
        engine: str | DaskEngine = "local",
        scheduler: str | None = None,
    ) -> RefreshReport:
        """Bring the index up to date with the files under `paths` (`corpus.index.refresh`).

        `workers`: processes for reading and analysis (None: every core; 1: in this
        process). `progress(done, total)` is called as files are read and analysed (the
        total can grow once reading shows which unchanged files need analysis again);
        `cancelled()` is polled between files (what is done so far is kept; the rest is done
        by the next refresh); `on_articles` receives the summaries of each committed batch.

        A refresh that runs to the end stores the folders' `tree_signature` as the index's
        manifest (`is_current`): the one in `signature` when the caller took it already
        (before anything else), else one taken first thing. `walk_in_child=False` walks a
        big corpus in this process, for callers with no other thread to keep responsive
        (the command line).

        `engine="dask"` reads and analyses on a Dask cluster (`corpus.distributed`): the
        one at `scheduler`, else a `LocalCluster` of `workers` processes; a `DaskEngine`
        given is used as it is and left open. The index gets the same rows either way.
        """
        if self.read_only:
            raise self.db.read_only_error("cannot update")
        from corpus.index.refresh import Refresh, dask_engine
        from corpus.index.report import RefreshReport

        try:
            with self._refresh_lock, RefreshLock(self.cache_path, cancelled) as locked:
                if not locked:  # cancelled while another process was refreshing
                    return RefreshReport(cancelled=True)
                chosen, owned = dask_engine(engine, scheduler, workers)
                run = Refresh(
                    self.db,
                    self.ner,
                    paths,
                    workers=workers,
                    progress=progress,
                    cancelled=cancelled,
                    on_articles=on_articles,
                    signature=signature,
                    walk_in_child=walk_in_child,
                    engine=chosen,
                    owns_engine=owned,
                )
                return run.run()
        except (sqlite3.Error, OSError) as error:
            # a full disk: SQLite rolled the transaction back, the cache is as it was
            if cache_damage(error) is not None:
                raise
            if (reason := write_failure(error, self.cache_path)) is None:
                raise
            raise self.db.write_error("cannot update", error, reason) from error
