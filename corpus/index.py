"""The corpus index: every article analysed once and kept in an SQLite cache.

One cache file per corpus (`platformdirs.user_cache_dir("newsreader")/<hash>.sqlite`, or a
path of the caller's choosing). It holds, per file, its size, mtime and record fingerprint,
and per article its metadata, cleaned body, entities and quotes, plus an FTS5 full-text
index over title, body, entity names, quote speakers, tags and notes.

Refreshing (`CorpusIndex.refresh`) walks the corpus paths and re-reads only files whose size
or mtime changed (a file whose records read the same is only re-stamped), analyses added and
changed files in a process pool, and drops removed ones. The corpus-level boilerplate signal
of the cleaner (`clean.recurring_lines`) is kept incrementally: per line key, the number of
articles containing it. When a refresh changes the set of recurring keys, the unchanged
files whose lines are affected are analysed again, so the index always matches what
`analyze_paths` would produce for the corpus as it is now. `refresh(engine="dask")` runs the
same reading and analysis functions on a Dask cluster (`corpus.distributed`); everything that
needs the whole corpus stays here, so the rows are the same.

The cache is disposable, but only our own: a cache written by another version of the
schema, of newsreader or of the analysis code (a digest of the `corpus` package's source and
data) is deleted and rebuilt, never misread; a damaged one (a missing table, an FTS index
that fails to open, pages that do not decode) is moved aside as `<name>.damaged` and rebuilt,
with a line in `CorpusIndex.notices`. A file is deleted or moved only when it is provably a
newsreader index (the SQLite header's application id, `APPLICATION_ID`, or for caches
written before it the `meta` version stamp) or sits in newsreader's own cache folder;
anything else at the cache path (an annotation store, another program's database, a FIFO)
raises `ForeignCacheError` and is left untouched. On a read-only file system the cache is
opened as it is (`immutable`) and searched, never rebuilt; a write that fails (a full disk)
raises `CacheWriteError` and leaves the cache as it was. Reads and writes are thread-safe:
each thread gets its own SQLite connection (WAL mode), and writers take one lock.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import marshal
import os
import re
import sqlite3
import sys
import threading
import time
import urllib.parse
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from corpus.index_freshness import Signature, encode_manifest, manifest_matches, tree_signature
from corpus.model import Article, ArticleSummary, Entity, Quote, SearchHit, Skipped
from corpus.untrusted import UnreadableFile, read_file_head, resolve_link
from corpus.version import VERSION

if TYPE_CHECKING:
    from corpus.distributed import DaskEngine

T = TypeVar("T")

SCHEMA_VERSION = 1
"""Bump when the tables change shape."""

ANALYSIS_VERSION = 1
"""Bump to force a rebuild when analysis output changes in a way the code digest misses."""

APPLICATION_ID = 0x4E524958
"""`PRAGMA application_id` of every cache ("NRIX"): bytes 68-71 of the SQLite header say the
file is a newsreader index even when the pages behind the header are damaged."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_HEADER = 100

_NUMERIC_LABELS = frozenset({"DATE", "MONEY", "PERCENT"})
"""Entity labels left out of the searchable names (they are numbers, not names)."""

_SNIPPET_OPEN = "\x01"
_SNIPPET_CLOSE = "\x02"
"""Highlight markers: control characters `textsafe.make_safe` removes from every text."""

_BATCH_SECONDS = 0.5
_BATCH_ROWS = 500
_YIELD_EVERY = 256
"""Files walked between two GIL hand-overs in a refresh (the app's UI runs meanwhile)."""
_BUSY_TIMEOUT_SECONDS = 30.0
_CHILD_WALK_FILES = 20_000
"""Cached files from which a refresh walks the corpus in a child process (not under the GIL)."""


# --- public types ---------------------------------------------------------------------


class IndexCacheError(Exception):
    """A problem with the index cache file; the message names the file and what to do."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ForeignCacheError(IndexCacheError):
    """The cache path holds something that is not provably a newsreader index: untouched."""


class CacheWriteError(IndexCacheError):
    """The cache cannot be written (a full disk, a read-only file system): it is as it was."""


class IndexNotCurrent(Exception):
    """The index does not hold what analysing the corpus now would give; the message says why."""


@dataclass(frozen=True, slots=True)
class AnalysisStandIn:
    """What `read_paths` reports beside the articles, for an index that stands in for an
    analysis of the corpus (`CorpusIndex.stand_in`)."""

    skipped: tuple[Skipped, ...]  # in walk order
    duplicates: tuple[tuple[str, str], ...]  # (dropped, kept), in the order of the dropped


class DamagedCacheError(sqlite3.DatabaseError):
    """Damage met in the cache: a row that does not decode, a page `check` finds bad.

    `reason` is what is damaged, in a few words; the message may say more.
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = " ".join((reason or message).split())


@dataclass(slots=True)
class RefreshReport:
    """What one refresh did. Counts are files, except `articles` (articles analysed)."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    reanalysed: int = 0  # unchanged files analysed again for a boilerplate change
    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (dropped, kept)
    seconds: float = 0.0
    cancelled: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


class SummaryList(Sequence[ArticleSummary]):
    """Sidebar rows kept as plain tuples; an `ArticleSummary` is made on access.

    Loading 100,000 rows as tuples costs a fraction of building as many dataclasses, and the
    sidebar only ever looks at the rows on screen.
    """

    __slots__ = ("_positions", "_rows")

    def __init__(self, rows: list[tuple[str, str | None, str, str | None, str]]) -> None:
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


# --- cache location and version -------------------------------------------------------


def _snapshot_stamp(generation: int) -> str:
    """What a summaries snapshot must carry: its generation and the marshal format."""
    return f"{generation}:{marshal.version}:{sys.version_info[0]}.{sys.version_info[1]}"


def ner_identity(ner: str) -> str:
    """The recogniser a cache was analysed with: the backend, and for spaCy the pipeline
    (two pipelines give different entities, so they never share a cache)."""
    if ner != "spacy":
        return ner
    from corpus.entities import EntityBackendUnavailable, spacy_model_name

    try:
        return f"spacy:{spacy_model_name()}"
    except EntityBackendUnavailable:
        return ner  # refused with its message where the backend is checked


def default_cache_path(paths: Sequence[Path], ner: str = "builtin") -> Path:
    """The cache file for a corpus: a hash of its resolved paths in the user cache folder."""
    import platformdirs

    key = "\n".join(sorted(str(Path(p).expanduser().resolve()) for p in paths))
    if ner != "builtin":
        key += f"\nner={ner_identity(ner)}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    return Path(platformdirs.user_cache_dir("newsreader")) / f"{digest}.sqlite"


CODE_DIGEST_ENV = "NEWSREADER_INDEX_CODE_DIGEST"
"""Pins the code digest (benchmarks run against a source tree others are editing)."""


def _code_files() -> list[Path]:
    """The analysis code and data: the `corpus` package's modules and data, minus the index."""
    package = Path(__file__).parent
    files = sorted(package.glob("*.py")) + sorted(p for p in (package / "data").rglob("*"))
    return [path for path in files if not path.name.startswith("index") and path.is_file()]


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the analysis code and data (`_code_files`)."""
    pinned = os.environ.get(CODE_DIGEST_ENV)
    if pinned:
        return pinned
    digest = hashlib.sha1()
    for path in _code_files():
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _code_stat() -> str:
    """The code files' names, sizes and mtimes: they are the files a digest was taken of
    while these are the same (reading and hashing 2 MB costs ~5 ms an open; this, 0.3)."""
    parts = []
    for path in _code_files():
        info = path.stat()
        parts.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _noted_code_digest(conn: sqlite3.Connection) -> str | None:
    """The code digest the cache noted with the code files' stat, if they are still those."""
    if os.environ.get(CODE_DIGEST_ENV):
        return None  # (pinned: nothing to hash)
    row = conn.execute("SELECT value FROM meta WHERE key = 'code_stat'").fetchone()
    if row is None or not isinstance(row[0], str):
        return None
    stat, _, digest = row[0].partition(":")
    return digest if digest and stat == _code_stat() else None


def cache_version(ner: str = "builtin", code: str | None = None) -> str:
    """The version stamp a cache must carry to be read (`code`: the code digest, if known)."""
    return (
        f"schema={SCHEMA_VERSION};analysis={ANALYSIS_VERSION};newsreader={VERSION};"
        f"code={code or _code_digest()};ner={ner_identity(ner)}"
    )


# --- telling damage, failed writes and foreign files apart -------------------------------

_DAMAGE_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_SHORT_READ = 522  # SQLITE_IOERR_SHORT_READ: the file is shorter than its pages say
_DAMAGE_WORDS = (
    "malformed",
    "file is not a database",
    "no such table",
    "no such column",
    "vtable constructor failed",
    "invalid fts5 file format",
    "fts5: corrupt",
    "damaged",
)
_WRITE_CODES = {
    13: "the disk is full",  # SQLITE_FULL
    8: "the file is read-only",  # SQLITE_READONLY
    10: "an input/output error (or a file size limit) while writing",  # SQLITE_IOERR
    14: "its files cannot be created",  # SQLITE_CANTOPEN
}
_WRITE_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this system allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """`error` and the errors it was raised from or while handling (a ROLLBACK that failed)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def cache_damage(error: BaseException) -> str | None:
    """What is damaged when `error` comes from a damaged cache file, else None.

    Damage is what a rebuild cures: SQLite's "malformed" and "not a database", a table or
    column that the schema has and the file lacks, an FTS index that fails to open, a row
    that does not decode (`DamagedCacheError`). Raised in a worker process, an error arrives
    as its message only, so the words are checked too.
    """
    for link in _chain(error):
        if isinstance(link, DamagedCacheError):
            return link.reason
        if isinstance(link, sqlite3.DatabaseError):
            code = getattr(link, "sqlite_errorcode", None)
            text = str(link)
            if code is not None and (code & 0xFF in _DAMAGE_CODES or code == _SHORT_READ):
                return text
            if any(word in text.lower() for word in _DAMAGE_WORDS):
                return text
    return None


def _write_failure(error: BaseException, path: Path | None = None) -> str | None:
    """Why a write to the cache failed (a full disk ...), or None if `error` is no such thing.

    SQLite reports some writes that fail for lack of space as a plain I/O error; with the
    cache's `path`, the free space of its file system tells them apart.
    """
    for link in _chain(error):
        if isinstance(link, sqlite3.DatabaseError):
            code = getattr(link, "sqlite_errorcode", None)
            if code is not None and code != _SHORT_READ and code & 0xFF in _WRITE_CODES:
                if code & 0xFF == 10 and path is not None and _disk_full(path):
                    return "the disk is full"
                return _WRITE_CODES[code & 0xFF]
            if "disk is full" in str(link):
                return "the disk is full"
        elif isinstance(link, OSError) and link.errno in _WRITE_ERRNOS:
            return _WRITE_ERRNOS[link.errno]
    return None


def _disk_full(path: Path) -> bool:
    try:
        info = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024


def _uri(path: Path, **params: str) -> str:
    """An SQLite `file:` URI for `path` (any character of the name escaped)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{urllib.parse.quote(os.fspath(path))}" + (f"?{query}" if query else "")


def _rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK if a transaction is open; never hides the error being handled.

    SQLite rolls back by itself after some errors (a full disk); a ROLLBACK then would fail
    with "no transaction is active" and replace the real reason.
    """
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _on_read_only_file_system(path: Path) -> bool:
    """Whether the folder `path` is in (or would be in) is on a read-only file system."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): writes will say so
        return False


def _foreign(path: Path, what: str) -> ForeignCacheError:
    return ForeignCacheError(
        f"{path} is not a newsreader index cache ({what}); it was left untouched. Give "
        f"--cache a new file name, or the path of an index cache",
        path,
    )


def _legacy_index_version(path: Path) -> str | None:
    """The `meta` version stamp of a cache written before `APPLICATION_ID`, else None."""
    try:
        conn = sqlite3.connect(_uri(path, mode="ro"), uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    value = row[0] if row else None
    if isinstance(value, str) and value.startswith("schema=") and ";newsreader=" in value:
        return value
    return None


def cache_ownership(path: Path) -> str:
    """ "missing", "empty" or "ours" for the file at `path`; `ForeignCacheError` for the rest.

    Ours: an SQLite file whose header carries `APPLICATION_ID` (damaged pages behind the
    header do not matter), or a cache from before the application id whose `meta` table
    carries a newsreader version stamp. An empty file holds nothing to lose.
    """
    try:
        head = read_file_head(path, _SQLITE_HEADER)
    except UnreadableFile as error:
        if isinstance(error.__cause__, FileNotFoundError):
            return "missing"
        raise _foreign(path, str(error)) from None
    if not head:
        return "empty"
    if not head.startswith(_SQLITE_MAGIC):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        looks = (
            "it holds JSON text: an annotation store?"
            if text[:1] in (b"{", b"[")
            else ("it is not an SQLite database")
        )
        raise _foreign(path, looks)
    if len(head) == _SQLITE_HEADER and int.from_bytes(head[68:72], "big") == APPLICATION_ID:
        return "ours"
    if _legacy_index_version(path) is not None:
        return "ours"
    raise _foreign(path, "an SQLite database of another program, or one too damaged to tell")


# --- schema ---------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,          -- 'pending' (read, not yet analysed) | 'done'
    records INTEGER NOT NULL,     -- articles kept from this file (not duplicates)
    line_keys BLOB NOT NULL,      -- int64 hashes of the kept articles' line keys
    skipped TEXT NOT NULL         -- JSON [[path, reason], ...]
);
CREATE TABLE articles(
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    record INTEGER NOT NULL,
    digest TEXT NOT NULL,
    path TEXT NOT NULL,
    date TEXT,
    title TEXT NOT NULL,
    source TEXT,
    byline TEXT,
    url TEXT,
    body TEXT NOT NULL,
    names TEXT NOT NULL,
    speakers TEXT NOT NULL,
    extra BLOB NOT NULL,
    sort_key TEXT NOT NULL
);
CREATE INDEX articles_file ON articles(file);
CREATE INDEX articles_digest ON articles(digest);
CREATE INDEX articles_order ON articles(sort_key, id, date, title, source, path);
CREATE TABLE entity_names(rid INTEGER NOT NULL, label TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX entity_names_rid ON entity_names(rid);
CREATE TABLE aliases(name TEXT PRIMARY KEY, canonical TEXT NOT NULL);
CREATE TABLE duplicates(path TEXT PRIMARY KEY, file TEXT NOT NULL, kept TEXT NOT NULL);
CREATE INDEX duplicates_kept ON duplicates(kept);
CREATE TABLE line_docs(hash INTEGER PRIMARY KEY, docs INTEGER NOT NULL, key TEXT);
CREATE TABLE recurring(hash INTEGER PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE annotations(article_id TEXT PRIMARY KEY, tags TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE article_tags(article_id TEXT NOT NULL, tag TEXT NOT NULL);
CREATE INDEX article_tags_tag ON article_tags(tag);
CREATE VIEW fts_content AS
    SELECT a.rid AS rid, a.title AS title, a.body AS body, a.names AS names,
           a.speakers AS speakers, coalesce(n.tags, '') AS tags, coalesce(n.note, '') AS notes
    FROM articles a LEFT JOIN annotations n ON n.article_id = a.id;
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, names, speakers, tags, notes,
    content='fts_content', content_rowid='rid', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(8.0, 1.0, 3.0, 3.0, 4.0, 2.0)');
"""

_SCHEMA_OBJECTS = frozenset(
    [
        *re.findall(r"CREATE (?:VIRTUAL )?(?:TABLE|VIEW) (\w+)", _SCHEMA),
        *("fts_data", "fts_idx", "fts_docsize", "fts_config"),  # FTS5's own tables
    ]
)
"""Every table a cache has (`person_names` too once `meta` says so)."""

_FTS_COLUMNS = "title, body, names, speakers, tags, notes"

_PLAIN_TABLES = ("files", "duplicates", "line_docs", "recurring", "person_names", "aliases")
"""The analysed tables besides `articles` and `entity_names`, copied row for row."""


def _cache_problem(conn: sqlite3.Connection, ner: str) -> str | None:
    """None when the cache on `conn` can be used; "stale" (another version); else the damage.

    The version stamp, then the structure: every table, and an FTS index that opens.
    """
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != cache_version(ner, _noted_code_digest(conn)):
            return "stale"
        noted = conn.execute("SELECT value FROM meta WHERE key = 'damaged'").fetchone()
        if noted:  # damage met after an earlier open (`_noted_damage`)
            return str(noted[0])
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        flagged = conn.execute("SELECT 1 FROM meta WHERE key = 'person_names'").fetchone()
        wanted = _SCHEMA_OBJECTS | ({"person_names"} if flagged else set())
        if missing := sorted(wanted - names):
            return f"no table {missing[0]}"
        # the first row of every table reads its root page (a search that finds the index
        # current reads neither `files` nor most of `articles`: damage there is found here)
        for table in sorted(wanted - {"fts", "fts_content"}):
            conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()  # (not an index)
        # opening the FTS index reads its configuration and root page
        conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'newsreader' LIMIT 1").fetchall()
    except sqlite3.DatabaseError as error:  # (a busy database is no damage: raised)
        if (damage := cache_damage(error)) is None:
            raise
        return damage
    return None


def _fts_insert(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Index the current text of articles `rids` (articles row and annotations)."""
    for chunk in _chunks(rids, 500):
        marks = ",".join("?" * len(chunk))
        conn.execute(
            f"INSERT INTO fts(rowid, {_FTS_COLUMNS}) SELECT rid, {_FTS_COLUMNS} "
            f"FROM fts_content WHERE rid IN ({marks})",
            chunk,
        )


def _fts_delete(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Remove articles `rids` from the full-text index (before their text changes)."""
    for chunk in _chunks(rids, 500):
        marks = ",".join("?" * len(chunk))
        conn.execute(
            f"INSERT INTO fts(fts, rowid, {_FTS_COLUMNS}) SELECT 'delete', rid, "
            f"{_FTS_COLUMNS} FROM fts_content WHERE rid IN ({marks})",
            chunk,
        )


def _begin_write_briefly(conn: sqlite3.Connection, wait_ms: int = 200) -> bool:
    """BEGIN IMMEDIATE, giving up after `wait_ms` if another connection is writing."""
    conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_SECONDS * 1000)}")
    return True


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- line keys (the cleaner's corpus-level boilerplate signal) -------------------------


def _key_hash(key: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


def _document_line_keys(text: str) -> list[str]:
    """The distinct line keys of one document that count towards recurrence, sorted (a set's
    order depends on the process's string hash seed: workers must store the same bytes)."""
    from corpus import clean

    return sorted(clean.document_line_keys(text))


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


# --- work done in pool processes ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _RecordScan:
    index: int  # position in `reader.documents_from_file(path)`
    path: str
    stated_id: str | None  # an id from the file name (single-article files) or the record
    digest: str
    keys: tuple[tuple[int, str], ...]  # (hash, key) of its distinct line keys


@dataclass(frozen=True, slots=True)
class _FileScan:
    path: str
    records: tuple[_RecordScan, ...]
    skipped: tuple[Skipped, ...]
    fingerprint: str


def _scan_file(path: str) -> _FileScan:
    """Read one file: its records' ids, text digests and line keys (no analysis)."""
    from corpus import reader  # (searching never reads a file: only refreshes import it)

    results = reader.documents_from_file(Path(path))
    single = len(results) == 1
    records: list[_RecordScan] = []
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
        records.append(_RecordScan(index, result.path, stated, digest, keys))
    return _FileScan(path, tuple(records), tuple(skipped), fingerprint.hexdigest())


@dataclass(frozen=True, slots=True)
class _AnalyseTask:
    db_path: str
    generation: int
    ner: str
    path: str
    records: tuple[tuple[int, str], ...]  # (record index, article id)


@dataclass(frozen=True, slots=True)
class _AnalysedFile:
    path: str
    rows: tuple[tuple[Any, ...], ...]
    names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (id, ((label, name), ...))
    skipped: tuple[Skipped, ...]


_worker_recurring: tuple[tuple[str, int], frozenset[str]] | None = None


def _load_recurring(db_path: str, generation: int) -> frozenset[str]:
    """The recurring line keys of refresh `generation`, read once per process."""
    global _worker_recurring
    if _worker_recurring is not None and _worker_recurring[0] == (db_path, generation):
        return _worker_recurring[1]
    conn = sqlite3.connect(_uri(Path(db_path), mode="ro"), uri=True)
    try:
        keys = frozenset(row[0] for row in conn.execute("SELECT key FROM recurring"))
    finally:
        conn.close()
    _worker_recurring = ((db_path, generation), keys)
    return keys


def _analyse_file(task: _AnalyseTask, recurring: frozenset[str] | None = None) -> _AnalysedFile:
    """Analyse the given records of one file into ready-to-insert rows.

    `recurring`: the recurring line keys, when the caller sent them (a Dask worker need not
    see the cache); else they are read from the cache file.
    """
    from corpus import reader
    from corpus.analyze import analyze_document

    if recurring is None:
        recurring = _load_recurring(task.db_path, task.generation)
    results = reader.documents_from_file(Path(task.path))
    rows: list[tuple[Any, ...]] = []
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
        rows.append(_article_row(article, task.path, index, reader.text_hash(document.text)))
        pairs = {(e.label, e.canonical) for e in article.entities}
        names.append((article.id, tuple(sorted(pairs))))
    return _AnalysedFile(task.path, tuple(rows), tuple(names), tuple(skipped))


def _sort_key(date: str | None, title: str, article_id: str) -> str:
    """A string that sorts like `model.date_sort_key`: dated first, by date, title, id.

    SQLite compares text as UTF-8 bytes, which orders like Python compares `str`; "\x01"
    ends the date so a shorter date sorts before a longer one with the same start.
    """
    return (f"0{date}\x01" if date else "1\x01") + title.casefold() + article_id


def _article_row(article: Article, file: str, record: int, digest: str) -> tuple[Any, ...]:
    names: dict[str, None] = {}
    for entity in article.entities:
        if entity.label not in _NUMERIC_LABELS:
            names.setdefault(entity.canonical, None)
            names.setdefault(entity.text, None)
    speakers = {q.speaker: None for q in article.quotes if q.speaker}
    extra = {
        "captions": list(article.captions),
        "removed": list(article.removed),
        # text is body[start:end]; not stored twice
        "entities": [[e.start, e.end, e.label, e.canonical] for e in article.entities],
        "quotes": [
            [q.start, q.end, q.kind, q.speaker, q.speaker_start, q.speaker_end, q.cue]
            for q in article.quotes
        ],
    }
    blob = zlib.compress(json.dumps(extra, separators=(",", ":")).encode("utf-8"), 6)
    date = article.date
    sort_key = _sort_key(date, article.title, article.id)
    return (
        article.id,
        file,
        record,
        digest,
        article.path,
        date,
        article.title,
        article.source,
        article.byline,
        article.url,
        article.body,
        "\n".join(names),
        "\n".join(speakers),
        blob,
        sort_key,
    )


def _stand_in_article(entities: Sequence[Entity]) -> Article:
    return Article(
        id="",
        path="",
        date=None,
        title="",
        source=None,
        byline=None,
        body="",
        entities=tuple(entities),
    )


def _article_from_row(row: Sequence[Any]) -> Article:
    try:
        return _decode_article_row(row)
    except (zlib.error, ValueError, KeyError, TypeError, IndexError) as error:
        raise DamagedCacheError(f"article row {row[0]!r} is damaged: {error}") from error


def _decode_article_row(row: Sequence[Any]) -> Article:
    (article_id, path, date, title, source, byline, url, body, blob) = row
    extra = json.loads(zlib.decompress(blob))
    entities = tuple(
        Entity(start, end, body[start:end], label, canonical)
        for start, end, label, canonical in extra["entities"]
    )
    quotes = tuple(
        Quote(
            start,
            end,
            body[start:end],
            kind,
            speaker,
            speaker_start,
            speaker_end,
            cue,
        )
        for start, end, kind, speaker, speaker_start, speaker_end, cue in extra["quotes"]
    )
    return Article(
        id=article_id,
        path=path,
        date=date,
        title=title,
        source=source,
        byline=byline,
        body=body,
        captions=tuple(extra["captions"]),
        removed=tuple(extra["removed"]),
        entities=entities,
        quotes=quotes,
        url=url,
    )


# --- search query language ------------------------------------------------------------

_QUERY_TOKEN = re.compile(
    r"""
    (?P<filter>(?P<field>tag|speaker|entity|source|date):
        (?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s()"]+)))
    | (?P<neg>-)?"(?P<phrase>[^"]*)"?
    | (?P<open>\()
    | (?P<close>\))
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TERM_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(slots=True)
class ParsedQuery:
    """A search query split into an FTS5 expression, exclusions and column filters."""

    match: str = ""  # FTS5 expression of the free text ("" when only filters)
    exclude: list[str] = field(default_factory=list)  # FTS5 expressions to leave out
    tags: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    dates: list[tuple[str | None, str | None]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # every word, for a fallback match
    highlight: list[str] = field(default_factory=list)  # words to mark in snippets


def _fts_string(text: str) -> str | None:
    """`text` as one FTS5 string (a phrase of its words), or None if it has no words."""
    words = _TERM_WORD.findall(text)
    if not words:
        return None
    return '"' + " ".join(words).replace('"', '""') + '"'


def _parse_date_range(value: str) -> tuple[str | None, str | None]:
    if ".." in value:
        low, high = value.split("..", 1)
        return (low or None, high or None)
    return (value, value)


def parse_query(query: str) -> ParsedQuery:
    """Split a user query into free text (FTS5 syntax), exclusions and filters.

    Words, "phrases", prefix*, AND/OR/NOT (upper case) and parentheses go to FTS5 with every
    word quoted, so no character of the query is FTS5 syntax by accident. A leading NOT or a
    `-word` becomes an exclusion. Filters: `tag:`, `speaker:`, `entity:`, `source:` and
    `date:FROM..TO` (either end may be left out; `date:2025-02` is a month).
    """
    parsed = ParsedQuery()
    parts: list[str] = []
    pending_not = False
    for match in _QUERY_TOKEN.finditer(query):
        if match.group("filter"):
            name = match.group("field").lower()
            value = (match.group("fquoted") or match.group("fvalue") or "").strip()
            if not value:
                continue
            if name == "tag":
                parsed.tags.append(value.casefold())
            elif name == "speaker":
                parsed.speakers.append(value)
                parsed.highlight.extend(_TERM_WORD.findall(value.casefold()))
            elif name == "entity":
                parsed.entities.append(value)
                parsed.highlight.extend(_TERM_WORD.findall(value.casefold()))
            elif name == "source":
                parsed.sources.append(value)
            else:
                parsed.dates.append(_parse_date_range(value))
            continue
        operand: str | None = None
        negated = False
        if match.group("phrase") is not None:
            operand = _fts_string(match.group("phrase"))
            negated = bool(match.group("neg"))
            parsed.terms.extend(w.casefold() for w in _TERM_WORD.findall(match.group("phrase")))
        elif match.group("open"):
            parts.append("(")
            continue
        elif match.group("close"):
            parts.append(")")
            continue
        else:
            word = match.group("word")
            if word in _OPERATORS:
                if word == "NOT" and (not parts or parts[-1] in ("(", "AND", "OR")):
                    pending_not = True
                else:
                    parts.append(word)
                continue
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            prefix = word.endswith("*")
            operand = _fts_string(word.rstrip("*"))
            if operand is not None and prefix:
                operand += " *"
            parsed.terms.extend(w.casefold() for w in _TERM_WORD.findall(word))
        if operand is None:
            continue
        if not (pending_not or negated):
            parsed.highlight.extend(_TERM_WORD.findall(operand.casefold()))
        if pending_not or negated:
            pending_not = False
            if parts and parts[-1] not in ("(", "AND", "OR"):
                parts.extend(("NOT", operand))  # `a -b` is `a NOT b`
            else:
                if parts and parts[-1] in ("AND", "OR"):
                    parts.pop()
                parsed.exclude.append(operand)
            continue
        parts.append(operand)
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    while parts and parts[0] in _OPERATORS:
        parts.pop(0)
    parsed.match = " ".join(parts)
    return parsed


def _plain_match(parsed: ParsedQuery) -> str:
    """A fallback FTS5 expression: every word of the query, all required."""
    return " ".join(f'"{term}"' for term in parsed.terms)


_SUFFIXES = ("ing", "ies", "es", "ed", "ly", "s")


def highlight_stems(words: Sequence[str]) -> tuple[str, ...]:
    """Lower-case word starts to mark: each word with a plural or -ing ending stripped."""
    stems: set[str] = set()
    for word in words:
        word = word.lower()
        for suffix in _SUFFIXES:
            if len(word) - len(suffix) >= 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        if word:
            stems.add(word)
    return tuple(sorted(stems, key=len, reverse=True))


def _word_starts(lowered: str, stems: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of every word in `lowered[start:end]` that begins with one of `stems`."""
    found: list[tuple[int, int]] = []
    for stem in stems:
        at = lowered.find(stem, start, end)
        while at >= 0:
            if at == 0 or not lowered[at - 1].isalnum():
                stop = at + len(stem)
                while stop < len(lowered) and (lowered[stop].isalnum() or lowered[stop] == "_"):
                    stop += 1
                if stop <= end:
                    found.append((at, stop))
            at = lowered.find(stem, at + 1, end)
    found.sort()
    merged: list[tuple[int, int]] = []
    for span in found:  # a shorter stem inside a longer one's word: keep one span
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


def word_snippet(
    text: str, stems: Sequence[str], width: int = 160
) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """A one-line window of `text` around the first word starting with one of `stems`.

    Returns the snippet and the (start, end) of every such word inside it. Plain `str.find`
    on the lower-cased text: a regex with word boundaries costs ten times more here.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character whose lower case is longer
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    firsts = _word_starts(lowered, stems, 0, len(lowered))
    if not firsts:
        return None
    first_start, first_end = firsts[0]
    start = max(0, first_start - width // 3)
    if start > 0:
        space = text.find(" ", start, first_start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first_end, end)
        end = space if space > 0 else end
    prefix = "…" if start > 0 else ""
    snippet = prefix + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
    shift = len(prefix) - start
    marks = tuple((a + shift, b + shift) for a, b in firsts if a >= start and b <= end)
    return snippet, marks


def _snippet_offsets(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Strip FTS5's highlight markers from `marked`, returning the text and highlight spans."""
    pieces = marked.replace("\n", " ").split(_SNIPPET_OPEN)
    out = [pieces[0].replace(_SNIPPET_CLOSE, "")]
    position = len(out[0])
    spans: list[tuple[int, int]] = []
    for piece in pieces[1:]:
        inside, _, after = piece.partition(_SNIPPET_CLOSE)
        spans.append((position, position + len(inside)))
        out.append(inside)
        out.append(after)
        position += len(inside) + len(after)
    return "".join(out), tuple(spans)


# --- the index ------------------------------------------------------------------------


AnnotationLike = Any
"""A value of the annotations mapping: `(tags, note)` or an object with `.tags`/`.note`."""


def _tags_and_note(value: AnnotationLike) -> tuple[tuple[str, ...], str]:
    if isinstance(value, tuple | list):
        tags, note = value[0], value[1]
    else:
        tags, note = getattr(value, "tags", ()), getattr(value, "note", "")
    return tuple(sorted({str(t) for t in tags or ()})), str(note or "")


class CorpusIndex:
    """A `CorpusSource` backed by an SQLite cache of analysed articles (see module doc)."""

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
        self.read_only = False
        """The cache is searched as it is: a read-only file system or file; never written."""
        self.notices: list[str] = []
        """One line for each thing done to the cache the user should hear about (a rebuild)."""
        self._immutable = False
        self._read_only_reason = ""
        self._inode: tuple[int, int] | None = None  # of the file opened (see `recover`)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._refresh_lock = threading.Lock()  # one refresh at a time in this process
        self._annotations_lock = threading.Lock()
        self._reset_memo()
        self._open()

    def _reset_memo(self) -> None:
        self._generation = 0  # bumped on every committed change
        self._summaries: tuple[int, SummaryList] | None = None
        self._aliases: tuple[int, dict[str, str]] | None = None
        self._people_cache: tuple[int, dict[str, list[str]]] | None = None
        self._annotations_seen: tuple[dict[str, tuple[tuple[str, ...], str]], str | None] | None = (
            None
        )

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
            conn = sqlite3.connect(_uri(path, mode="ro"), uri=True, timeout=_BUSY_TIMEOUT_SECONDS)
            try:
                if _cache_problem(conn, ner) is not None:
                    return None
            finally:
                conn.close()
        except (ForeignCacheError, sqlite3.Error, OSError):
            return None
        return cls(path, ner=ner, owned=owned)

    # -- opening, and what is done with a cache that cannot be used as it is --

    def _open(self, *, again: bool = True) -> None:
        """Open the cache; create it, or rebuild it if it is ours and stale or damaged."""
        path = self.cache_path
        state = self._ownership()
        if _on_read_only_file_system(path):
            self._open_read_only(state, "the file system is read-only", immutable=True)
            return
        if state == "ours" and not os.access(path, os.W_OK):
            self._open_read_only(state, "the file is read-only", immutable=False)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if state == "ours" and (problem := self._problem()) is not None:
                with _RefreshLock(path, None):  # no other process is rebuilding it meanwhile
                    problem = self._problem()  # (it may have been rebuilt while we waited)
                    if problem == "stale":
                        self._delete_files()
                    elif problem is not None:
                        aside = self._move_aside()
                        self.notices.append(
                            f"the index cache {path} was damaged ({problem}); it was moved to "
                            f"{aside} and is rebuilt"
                        )
            self._create_if_new()
            self._add_person_names(self._conn())
            self._note_code_stat(self._conn())
            self._inode = _inode(path)
        except (sqlite3.Error, OSError) as error:
            self.close()
            damage = cache_damage(error)
            if damage is not None and state == "ours" and again:  # damage the checks missed
                with _RefreshLock(path, None):
                    aside = self._move_aside()
                self.notices.append(
                    f"the index cache {path} was damaged ({damage}); it was moved to {aside} "
                    f"and is rebuilt"
                )
                self._open(again=False)
                return
            if damage is not None or (reason := _write_failure(error, path)) is None:
                raise
            if state != "ours" or self._problem_when_read_only() is not None:
                raise self._write_error("cannot write", error, reason) from error
            # A full disk: SQLite cannot even make the shared-memory file a reader needs.
            # A cache that is current and whole is still read, as on a read-only disk.
            self._open_read_only(state, reason, immutable=True)

    def _problem_when_read_only(self) -> str | None:
        try:
            conn = sqlite3.connect(_uri(self.cache_path, mode="ro", immutable="1"), uri=True)
            try:
                return self._problem_of(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            return cache_damage(error) or str(error)

    def _ownership(self) -> str:
        """`cache_ownership`, except that anything in our own cache folder is ours."""
        try:
            return cache_ownership(self.cache_path)
        except ForeignCacheError:
            if self.owned and self.cache_path.is_file():
                return "ours"
            raise

    def _problem(self) -> str | None:
        """None when the cache can be used; "stale" (another version); else what is damaged."""
        try:
            conn = sqlite3.connect(self.cache_path, timeout=_BUSY_TIMEOUT_SECONDS)
            try:
                return self._problem_of(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            if (damage := cache_damage(error)) is not None:
                return damage
            raise

    def _problem_of(self, conn: sqlite3.Connection) -> str | None:
        """`_problem` on an open connection: the version stamp, then the structure."""
        return _cache_problem(conn, self.ner)

    def _create_if_new(self) -> None:
        """Write the schema into a new (or empty) file, header first.

        The schema is committed in rollback-journal mode, so the SQLite header with
        `APPLICATION_ID` is in the main file before anything else (in WAL mode it would sit
        in the -wal file until a checkpoint, and a crash then would leave an empty file).
        """
        conn = sqlite3.connect(self.cache_path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                return
            version = cache_version(self.ner).replace("'", "''")
            try:
                conn.executescript(
                    f"BEGIN IMMEDIATE; PRAGMA application_id = {APPLICATION_ID};"
                    + _SCHEMA
                    + f"INSERT INTO meta VALUES ('version', '{version}');"
                    + "INSERT INTO meta VALUES ('generation', '0'); COMMIT;"
                )
            except sqlite3.OperationalError as error:
                _rollback(conn)
                if "already exists" not in str(error):  # (another process created it)
                    raise
        finally:
            conn.close()

    def _open_read_only(self, state: str, where: str, *, immutable: bool) -> None:
        """A cache that cannot be written is searched as it is, if it is current and whole.

        `immutable` (a read-only file system, a full disk): SQLite reads the file without
        the shared-memory file and locks, as nobody can change it meanwhile.
        """
        path = self.cache_path
        self.read_only = True
        self._immutable = immutable
        self._read_only_reason = where
        if state != "ours":
            raise CacheWriteError(
                f"cannot create the index cache {path}: {where}; choose a writable place with "
                f"--cache",
                path,
            )
        try:
            problem = self._problem_of(self._conn())
        except sqlite3.DatabaseError as error:
            problem = cache_damage(error) or str(error)
        if problem is not None:
            self.close()
            what = (
                "was written by another version of newsreader"
                if problem == "stale"
                else f"is damaged ({problem})"
            )
            raise CacheWriteError(
                f"the index cache {path} {what} and cannot be rebuilt: {where}; choose a "
                f"writable place with --cache",
                path,
            )
        self._inode = _inode(path)

    def _write_error(
        self, doing: str, error: BaseException, reason: str | None = None
    ) -> CacheWriteError:
        reason = reason or _write_failure(error) or str(error)
        return CacheWriteError(
            f"{doing} the index cache {self.cache_path}: {reason}",
            self.cache_path,
        )

    def _delete_files(self) -> None:
        """Delete the cache and its sidecars (called only for a file that is ours)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.cache_path}{suffix}")

    def _move_aside(self) -> Path:
        """Rename the cache and its sidecars to `<name>.damaged` (replacing an older one)."""
        aside = self.cache_path.with_name(self.cache_path.name + ".damaged")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.replace(f"{self.cache_path}{suffix}", f"{aside}{suffix}")
            except FileNotFoundError:  # keep the set consistent: no older sidecar stays
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{aside}{suffix}")
        return aside

    def recover(self, error: BaseException) -> None:
        """After an operation met damage (`cache_damage(error)`): move aside, start anew.

        The new cache is empty: the caller refreshes it. Raises `CacheWriteError` when the
        cache cannot be rebuilt (read-only) and `error` itself when it is no damage.
        """
        damage = cache_damage(error)
        if damage is None:
            raise error
        if self.read_only:
            raise CacheWriteError(
                f"the index cache {self.cache_path} is damaged ({damage}) and cannot be "
                f"rebuilt: it is read-only; choose a writable place with --cache",
                self.cache_path,
            ) from error
        self.close()
        with _RefreshLock(self.cache_path, None):
            # moved only if it is still the file that failed (not one rebuilt meanwhile)
            if _inode(self.cache_path) == self._inode:
                aside = self._move_aside()
                self.notices.append(
                    f"the index cache {self.cache_path} was damaged ({damage}); it was moved "
                    f"to {aside} and is rebuilt"
                )
        self._reset_memo()
        self._open()

    def recovering(self, action: Callable[[], T]) -> T:
        """`action()`; if it meets a damaged cache, `recover` and run it once more."""
        try:
            return action()
        except sqlite3.DatabaseError as error:
            if cache_damage(error) is None:
                raise
            self.recover(error)
        return action()

    def _note_code_stat(self, conn: sqlite3.Connection) -> None:
        """Note the code files' stat with the digest in the version stamp, once after each
        change of the code, so the next open need not read the code (`_noted_code_digest`).

        Called once the cache is known to carry the current version stamp.
        """
        if os.environ.get(CODE_DIGEST_ENV) or _noted_code_digest(conn) is not None:
            return
        value = f"{_code_stat()}:{_code_digest()}"
        if not _begin_write_briefly(conn):  # (a refresh is writing: the next open notes it)
            return
        try:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('code_stat', ?)", (value,))
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            _rollback(conn)
            if _write_failure(error) is None:  # a full disk: only a speed-up is lost
                raise

    def _add_person_names(self, conn: sqlite3.Connection) -> None:
        """Make sure the `person_names` table (person name -> articles) exists and is filled.

        Derived from `entity_names`; caches written before it existed get it built once.
        Reading it instead of grouping millions of `entity_names` rows keeps the alias work
        of a refresh, and the first article opened after one, fast at 100,000 articles.
        """
        if (
            self.read_only
            or conn.execute("SELECT 1 FROM meta WHERE key = 'person_names'").fetchone()
        ):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not conn.execute("SELECT 1 FROM meta WHERE key = 'person_names'").fetchone():
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS person_names("
                    "name TEXT PRIMARY KEY, articles INTEGER NOT NULL)"
                )
                conn.execute("DELETE FROM person_names")
                conn.execute(
                    "INSERT INTO person_names SELECT name, count(*) FROM entity_names "
                    "WHERE label = 'PERSON' GROUP BY name"
                )
                conn.execute("INSERT INTO meta VALUES ('person_names', '1')")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.read_only:
                params = {"mode": "ro", "immutable": "1"} if self._immutable else {"mode": "ro"}
                conn = sqlite3.connect(
                    _uri(self.cache_path, **params),
                    uri=True,
                    timeout=_BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                )
            else:
                conn = sqlite3.connect(
                    self.cache_path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA mmap_size=268435456")
            conn.execute("PRAGMA cache_size=-32000")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (the index must not be used afterwards)."""
        with self._connections_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.ProgrammingError):  # its thread closed it
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading --

    def __len__(self) -> int:
        return len(self.summaries())

    def _db_generation(self) -> int:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def summaries(self) -> SummaryList:
        """Every article in date order (undated last), as light rows.

        Read from a snapshot (one marshalled blob, written after each refresh) when it is
        current: decoding it costs a third of reading 100,000 rows through SQLite.
        """
        generation = self._db_generation()
        cached = self._summaries
        if cached is not None and cached[0] == generation:
            return cached[1]
        rows = self._snapshot_rows(generation)
        if rows is None:
            rows = self._summary_rows()
            if not self._refresh_lock.locked():  # a refresh writes it when it is done
                self._write_snapshot(generation, rows)
        summaries = SummaryList(rows)
        self._summaries = (generation, summaries)
        return summaries

    def _summary_rows(self) -> list[tuple[str, str | None, str, str | None, str]]:
        return (
            self._conn()
            .execute("SELECT id, date, title, source, path FROM articles ORDER BY sort_key")
            .fetchall()
        )

    def _snapshot_rows(
        self, generation: int
    ) -> list[tuple[str, str | None, str, str | None, str]] | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'summaries'").fetchone()
        if row is None or not isinstance(row[0], bytes):
            return None
        try:
            stamp, rows = marshal.loads(row[0])
        except (ValueError, EOFError, TypeError):
            return None
        return rows if stamp == _snapshot_stamp(generation) else None  # type: ignore[no-any-return]

    def _write_snapshot(
        self, generation: int, rows: list[tuple[str, str | None, str, str | None, str]]
    ) -> None:
        """Store the summary rows of `generation` (skipped if the database is busy or full)."""
        if self.read_only:
            return
        conn = self._conn()
        blob = marshal.dumps((_snapshot_stamp(generation), rows))
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return
        try:
            if self._db_generation() == generation:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('summaries', ?)", (blob,))
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            _rollback(conn)
            if _write_failure(error) is None:  # a snapshot is only a speed-up
                raise
        except BaseException:
            _rollback(conn)
            raise

    def aliases(self) -> dict[str, str]:
        """Document-level canonical name -> corpus-level canonical name (only differing ones)."""
        generation = self._db_generation()
        cached = self._aliases
        if cached is not None and cached[0] == generation:
            return cached[1]
        aliases = dict(self._conn().execute("SELECT name, canonical FROM aliases").fetchall())
        self._aliases = (generation, aliases)
        return aliases

    def article(self, article_id: str, *, corpus_names: bool = True) -> Article:
        """The full analysed article, with corpus-level canonical names (KeyError if unknown).

        `corpus_names=False` leaves the names as the article's own analysis gave them (for
        a caller that shows only the text: the entity recogniser is not even imported).
        Damage met here (a page or row that does not decode, long after the cache was
        opened) is noted in the cache, so the next open rebuilds it, and raised as a
        `DamagedCacheError` that says so.
        """
        try:
            row = (
                self._conn()
                .execute(
                    "SELECT id, path, date, title, source, byline, url, body, extra "
                    "FROM articles WHERE id = ?",
                    (article_id,),
                )
                .fetchone()
            )
            if row is None:
                raise KeyError(article_id)
            article = _article_from_row(row)
            return self._with_corpus_names(article) if corpus_names else article
        except sqlite3.DatabaseError as error:
            raise self._noted_damage(error) from error

    def _noted_damage(self, error: sqlite3.DatabaseError) -> sqlite3.DatabaseError:
        """`error`; when it is damage, noted in `meta` for the next open and said plainly."""
        damage = cache_damage(error)
        if damage is None:
            return error
        if self.read_only:
            return DamagedCacheError(
                f"the index cache {self.cache_path} is damaged ({damage}) and read-only: "
                f"choose a writable place with --cache",
                damage,
            )
        with contextlib.suppress(sqlite3.Error):  # the page of `meta` may be damaged too
            conn = self._conn()
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('damaged', ?)", (damage,))
        return DamagedCacheError(
            f"the index cache {self.cache_path} is damaged ({damage}); it is rebuilt the next "
            f"time newsreader opens it",
            damage,
        )

    def check(self) -> None:
        """Read every page (`PRAGMA quick_check`, ~2 ms a MB); `DamagedCacheError` if any is bad.

        For `newsreader index`, whose reader asks for a sound cache; other commands find
        damage as they meet it.
        """
        try:
            rows = self._conn().execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.DatabaseError as error:
            raise self._noted_damage(error) from error
        if rows != [("ok",)]:
            first = " ".join(str(rows[0][0]).replace("***", " ").split())
            raise self._noted_damage(DamagedCacheError(f"a page check failed: {first}"))

    def _people(self) -> dict[str, list[str]]:
        """Every full person name of the corpus, by its lower-cased first and last word."""
        generation = self._db_generation()
        cached = self._people_cache
        if cached is not None and cached[0] == generation:
            return cached[1]
        people: dict[str, list[str]] = {}
        for (name,) in self._conn().execute(
            "SELECT name FROM person_names WHERE articles > 0 AND instr(name, ' ') > 0"
        ):
            parts = name.lower().split()
            people.setdefault(parts[0], []).append(name)
            if parts[-1] != parts[0]:
                people.setdefault(parts[-1], []).append(name)
        self._people_cache = (generation, people)
        return people

    def _with_corpus_names(self, article: Article) -> Article:
        """`article` with corpus-level canonical names and quote speakers.

        `entities.canonicalize_corpus` resolves a one-word person name against the full
        names of every article; given this article and a stand-in article holding the full
        names that share a first or last word with its one-word names, it resolves exactly
        as it would over the whole corpus.
        """
        from corpus.entities import canonicalize_corpus

        short = {
            e.canonical.lower()
            for e in article.entities
            if e.label == "PERSON" and " " not in e.canonical
        }
        if not short:
            return article
        people = self._people()
        names = sorted({name for key in short for name in people.get(key, ())})
        if not names:
            return article
        stand_in = _stand_in_article([Entity(0, 0, n, "PERSON", n) for n in names])
        return canonicalize_corpus([article, stand_in])[0]

    def summary(self, article_id: str) -> ArticleSummary:
        """The sidebar row of one article (KeyError if unknown)."""
        try:
            row = (
                self._conn()
                .execute(
                    "SELECT id, date, title, source, path FROM articles WHERE id = ?",
                    (article_id,),
                )
                .fetchone()
            )
        except sqlite3.DatabaseError as error:
            raise self._noted_damage(error) from error
        if row is None:
            raise KeyError(article_id)
        return ArticleSummary(*row)

    def articles(self) -> Iterator[Article]:
        """Every article in date order (for exports and `analyze`; reads every body)."""
        cursor = self._conn().execute(
            "SELECT id, path, date, title, source, byline, url, body, extra "
            "FROM articles ORDER BY sort_key"
        )
        try:
            for row in cursor:
                yield self._with_corpus_names(_article_from_row(row))
        except sqlite3.DatabaseError as error:
            raise self._noted_damage(error) from error

    def skipped(self) -> list[Skipped]:
        """Every file or record the last refreshes could not read."""
        found: list[Skipped] = []
        for (blob,) in self._conn().execute("SELECT skipped FROM files WHERE skipped != '[]'"):
            try:
                found.extend(Skipped(path, reason) for path, reason in json.loads(blob))
            except (ValueError, TypeError) as error:
                raise DamagedCacheError(f"a files row is damaged: {error}") from error
        return found

    def duplicates(self) -> list[tuple[str, str]]:
        """(dropped path, kept path) of every duplicate article in the corpus."""
        rows = self._conn().execute("SELECT path, kept FROM duplicates").fetchall()
        return [(dropped, kept) for dropped, kept in rows]

    def has_articles(self) -> bool:
        """Whether the index holds any article (without loading the summaries)."""
        return self._conn().execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: every read in this thread inside sees the cache as it was
        at the first one, whatever a refresh in another process commits meanwhile."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield
        finally:
            _rollback(conn)  # (nothing was written: ending the read is all it does)

    def stand_in(self, paths: Sequence[Path]) -> AnalysisStandIn:
        """What analysing `paths` now would report beside the articles, if the index holds
        exactly the articles it would give; else `IndexNotCurrent` saying why not.

        Walks the corpus as the reader does (one `stat` a file) and compares with the files
        the index holds; then checks what only a history of refreshes can make differ from
        one analysis of the corpus as it is: an article whose analysis failed, a duplicate
        whose kept copy comes after it, an id that gained its digest suffix before the
        article that holds the plain id. Skipped files and records come out in walk order,
        duplicates in the order of the dropped copies, as `corpus.reader.read_paths` gives
        them. Run it inside `reading()` to read the articles from the same snapshot.
        """
        from corpus import reader

        conn = self._conn()
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
            kept_files: dict[str, str] = {}
            for chunk in _chunks(sorted({kept for _, _, kept in duplicates}), 500):
                marks = ",".join("?" * len(chunk))
                kept_files.update(
                    conn.execute(f"SELECT path, file FROM articles WHERE path IN ({marks})", chunk)
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

    # -- search --

    def _names_for(self, name: str) -> list[str]:
        """`name` and every document-level name the corpus resolves to it."""
        folded = name.casefold()
        found = [name]
        for alias, canonical in self.aliases().items():
            if canonical.casefold() == folded and alias.casefold() != folded:
                found.append(alias)
        return found

    def _column_filter(self, column: str, name: str) -> str:
        """An FTS5 filter: `column` contains `name` or one of its document-level aliases."""
        alternatives = self._names_for(name)
        strings = [s for a in alternatives if (s := _fts_string(a)) is not None]
        if not strings:
            return ""
        return f"{column} : ({' OR '.join(strings)})"

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
        return self._hits(*ranking)

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
        conn = self._conn()
        ranked = ranking[2]
        ids: dict[int, str] = {}
        for chunk in _chunks([rid for rid, _ in ranked], 500):
            marks = ",".join("?" * len(chunk))
            ids.update(conn.execute(f"SELECT rid, id FROM articles WHERE rid IN ({marks})", chunk))
        return [ids[rid] for rid, _ in ranked if rid in ids]

    def _rank(
        self,
        query: str,
        limit: int,
        annotations: Mapping[str, AnnotationLike] | None,
        annotations_source: str | None = None,
    ) -> tuple[ParsedQuery, str, list[tuple[int, float]]] | None:
        """(parsed query, FTS5 expression used, [(rid, rank)] best first), or None: no hits."""
        if annotations is not None:
            try:
                self.set_annotations(annotations, annotations_source)
            except sqlite3.Error as error:
                # a full disk: search with the tags and notes the index already has
                if _write_failure(error) is None:
                    raise
        parsed = parse_query(query)
        match = parsed.match
        column_filters = [self._column_filter("names", name) for name in parsed.entities]
        column_filters += [self._column_filter("speakers", name) for name in parsed.speakers]
        if not all(column_filters):
            return None  # a filter without a single word matches nothing
        full_match = " AND ".join([f"({match})"] * bool(match) + column_filters)
        where: list[str] = []
        params: list[Any] = []
        for tag in parsed.tags:
            where.append("a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)")
            params.append(tag)
        for source in parsed.sources:
            where.append("a.source LIKE ?")
            params.append(f"%{source}%")
        for low, high in parsed.dates:
            if low:
                where.append("a.date >= ?")
                params.append(low)
            if high:
                where.append("substr(a.date, 1, ?) <= ?")
                params.extend((len(high), high))
        for expression in parsed.exclude:
            where.append("a.rid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.append(expression)
        if not full_match and not where:
            return None
        try:
            ranked = self._run_rank(full_match, where, params, limit)
        except sqlite3.OperationalError as error:
            if cache_damage(error) is not None:  # a missing table is no syntax error
                raise
            # an FTS5 syntax error (stray operator, odd parentheses): all words instead
            plain = _plain_match(parsed)
            full_match = " AND ".join([f"({plain})"] * bool(plain) + column_filters)
            excluded = [w for w in where if "fts MATCH" not in w]
            kept = params[: len(params) - len(parsed.exclude)]
            if not full_match and not excluded:
                return None
            ranked = self._run_rank(full_match, excluded, kept, limit)
        return (parsed, full_match, ranked) if ranked else None

    def _run_rank(
        self, match: str, where: list[str], params: list[Any], limit: int
    ) -> list[tuple[int, float]]:
        conn = self._conn()
        conditions = " AND ".join(where)
        if match and conditions:
            return conn.execute(
                "SELECT fts.rowid, fts.rank FROM fts JOIN articles a ON a.rid = fts.rowid "
                f"WHERE fts MATCH ? AND {conditions} ORDER BY fts.rank LIMIT ?",
                [match, *params, limit],
            ).fetchall()
        if match:  # without a join: FTS5 ranks on its own several times faster
            return conn.execute(
                "SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?",
                [match, limit],
            ).fetchall()
        return conn.execute(
            f"SELECT a.rid, 0.0 FROM articles a WHERE {conditions} ORDER BY a.sort_key LIMIT ?",
            [*params, limit],
        ).fetchall()

    _HIT_ROWS = (4, 16, 64, 256, 500)
    """Rows read per batch of hits: the first few at once (the first lines print at once)."""

    def _hits(
        self, parsed: ParsedQuery, match: str, ranked: list[tuple[int, float]]
    ) -> Iterator[SearchHit]:
        """The hits of `ranked`, in order, with snippets, read a batch of rows at a time."""
        conn = self._conn()
        # Snippets are cut in Python around the query's words (microseconds an article);
        # FTS5's snippet() re-tokenises whole articles, which costs ~0.5 ms each.
        stems = highlight_stems(parsed.highlight)
        done = 0
        for size in itertools.chain(self._HIT_ROWS, itertools.repeat(self._HIT_ROWS[-1])):
            batch = ranked[done : done + size]
            if not batch:
                return
            done += len(batch)
            marks = ",".join("?" * len(batch))
            try:
                texts: dict[int, tuple[str, str, str]] = {
                    rid: (article_id, title, body)
                    for rid, article_id, title, body in conn.execute(
                        f"SELECT rid, id, title, body FROM articles WHERE rid IN ({marks})",
                        [rid for rid, _ in batch],
                    )
                }
            except sqlite3.DatabaseError as error:  # (long after the ranking: noted, said)
                raise self._noted_damage(error) from error
            hits: list[SearchHit] = []
            unmarked: list[int] = []
            for rid, rank in batch:
                if rid not in texts:
                    continue  # removed between the two queries
                article_id, title, body = texts[rid]
                found = None
                if stems:
                    found = word_snippet(body, stems) or word_snippet(title, stems)
                if found is None:
                    if match:
                        unmarked.append(len(hits))
                    found = (body[:160].replace("\n", " "), ())
                hits.append(SearchHit(article_id, float(rank), found[0], found[1]))
            if unmarked:
                rids_by_id = {texts[rid][0]: rid for rid, _ in batch if rid in texts}
                self._fts_snippets(hits, unmarked, rids_by_id, match)
            yield from hits

    def _fts_snippets(
        self, hits: list[SearchHit], positions: list[int], rids_by_id: dict[str, int], match: str
    ) -> None:
        """Replace the snippets of `hits[positions]` by FTS5's (matches the words stemmed)."""
        wanted = {rids_by_id[hits[p].article_id]: p for p in positions}
        marks = ",".join("?" * len(wanted))
        for rid, marked in self._conn().execute(
            f"SELECT rowid, snippet(fts, -1, ?, ?, '…', 24) FROM fts "
            f"WHERE fts MATCH ? AND rowid IN ({marks})",
            [_SNIPPET_OPEN, _SNIPPET_CLOSE, match, *wanted],
        ):
            snippet, highlights = _snippet_offsets(marked or "")
            position = wanted[rid]
            hits[position] = replace(hits[position], snippet=snippet, highlights=highlights)

    # -- annotations --

    def set_annotations(
        self, annotations: Mapping[str, AnnotationLike], source: str | None = None
    ) -> int:
        """Make the index's tags and notes those of `annotations` (all others are cleared).

        Values are `(tags, note)` pairs or objects with `.tags` and `.note` (the store's
        `ArticleAnnotations`). Returns how many articles changed.

        `source` says where the annotations were read from, in a form that changes when
        that changes (the command line gives the store file's path, size, mtime and inode).
        It is kept with them: `annotations_source()` gives it back until annotations without
        it change the index's, so a caller holding the same source need not read the store.
        """
        wanted = {key: _tags_and_note(value) for key, value in annotations.items()}
        wanted = {key: value for key, value in wanted.items() if value[0] or value[1]}
        if (wanted, source) == self._annotations_seen or self.read_only:
            return 0  # (a read-only cache is searched with the tags it has)
        # no refresh lock: SQLite serialises the short write transactions, so a search with
        # annotations does not wait for a long refresh running in another thread
        with self._annotations_lock:
            conn = self._conn()
            stored = {
                article_id: (tuple(json.loads(tags)), note)
                for article_id, tags, note in conn.execute(
                    "SELECT article_id, tags, note FROM annotations"
                )
            }
            changed = [k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k)]
            stored_source = self.annotations_source()
            # annotations from elsewhere that change nothing leave the source as true as it was
            kept_source = source if source is not None or changed else stored_source
            if changed or kept_source != stored_source:
                if not _begin_write_briefly(conn):
                    # A refresh holds the write lock (a cold index commits a batch every
                    # half second and starts the next at once): do not queue behind it. The
                    # search runs on the tags and notes stored so far; the next call retries.
                    return 0
                try:
                    rids = [
                        rid
                        for chunk in _chunks(changed, 500)
                        for (rid,) in conn.execute(
                            f"SELECT rid FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                            chunk,
                        )
                    ]
                    _fts_delete(conn, rids)
                    for article_id in changed:
                        conn.execute("DELETE FROM annotations WHERE article_id = ?", (article_id,))
                        conn.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
                        if article_id in wanted:
                            tags, note = wanted[article_id]
                            conn.execute(
                                "INSERT INTO annotations VALUES (?, ?, ?)",
                                (article_id, json.dumps(list(tags)), note),
                            )
                            conn.executemany(
                                "INSERT INTO article_tags VALUES (?, ?)",
                                [(article_id, t.casefold()) for t in tags],
                            )
                    _fts_insert(conn, rids)  # (summaries and names do not change: same generation)
                    if kept_source is None:
                        conn.execute("DELETE FROM meta WHERE key = 'annotations_source'")
                    else:
                        conn.execute(
                            "INSERT OR REPLACE INTO meta VALUES ('annotations_source', ?)",
                            (kept_source,),
                        )
                    conn.execute("COMMIT")
                except BaseException:
                    _rollback(conn)
                    raise
            self._annotations_seen = (wanted, source)
            return len(changed)

    def annotations_source(self) -> str | None:
        """The `source` of the annotations the index holds (`set_annotations`), if known."""
        row = (
            self._conn()
            .execute("SELECT value FROM meta WHERE key = 'annotations_source'")
            .fetchone()
        )
        return row[0] if row and isinstance(row[0], str) else None

    # -- freshness --

    def is_current(self, paths: Sequence[Path], signature: Signature) -> bool:
        """Whether a refresh of `paths` would find nothing to do, without walking the corpus.

        True when the manifest of the last complete refresh (`corpus.index_freshness`) is of
        these paths, the folders' `signature` (`tree_signature(paths)`, taken by the caller)
        is the one it stored, and no refresh has written to the index since.
        """
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()
        if row is None:
            return False
        return manifest_matches(row[0], self._db_generation(), paths, signature)

    def _forget_manifest(self) -> None:
        conn = self._conn()
        if conn.execute("SELECT 1 FROM meta WHERE key = 'manifest'").fetchone():
            conn.execute("DELETE FROM meta WHERE key = 'manifest'")

    def _store_manifest(self, paths: Sequence[Path], signature: Signature) -> None:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            blob = encode_manifest(self._db_generation(), paths, signature)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('manifest', ?)", (blob,))
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    # -- the index as plain rows (`analyze -o DIR`, `index --from DIR`) --

    def version(self) -> str:
        """The cache version stamp: the schema, newsreader, the NER backend, the analysis code."""
        (value,) = self._conn().execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return str(value)

    def export_tables(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """(table, row) for every analysed row, in a fixed order; articles without their
        row id, entity names by article id. `import_tables` of them gives the same index.
        Call it inside `reading()` for one snapshot."""
        conn = self._conn()
        for row in conn.execute("SELECT * FROM articles ORDER BY id"):
            yield "articles", tuple(row[1:])
        for row in conn.execute(
            "SELECT a.id, n.label, n.name FROM entity_names n JOIN articles a USING (rid) "
            "ORDER BY a.id, n.rowid"
        ):
            yield "entity_names", tuple(row)
        for table in _PLAIN_TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                yield table, tuple(row)

    def import_tables(self, rows: Iterable[tuple[str, Sequence[Any]]]) -> int:
        """Replace the analysed content with `export_tables` rows (nothing is analysed);
        returns the number of articles. One transaction: an error leaves the index as it was.
        Tags and notes stay. No manifest: the next refresh compares the files as usual."""
        if self.read_only:
            raise CacheWriteError(
                f"cannot load into the index cache {self.cache_path}: {self._read_only_reason}",
                self.cache_path,
            )
        conn = self._conn()
        articles = 0
        rids: dict[str, int] = {}
        with self._refresh_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._forget_manifest()
                conn.execute("DELETE FROM articles")
                conn.execute("DELETE FROM entity_names")
                for table in _PLAIN_TABLES:
                    conn.execute(f"DELETE FROM {table}")
                for table, row in rows:
                    if table == "articles":
                        cursor = conn.execute(
                            "INSERT INTO articles (id, file, record, digest, path, date, title, "
                            "source, byline, url, body, names, speakers, extra, sort_key) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            tuple(row),
                        )
                        assert cursor.lastrowid is not None
                        rids[row[0]] = cursor.lastrowid
                        articles += 1
                    elif table == "entity_names":
                        article_id, label, name = row
                        conn.execute(
                            "INSERT INTO entity_names VALUES (?, ?, ?)",
                            (rids[article_id], label, name),
                        )
                    elif table in _PLAIN_TABLES:
                        marks = ",".join("?" * len(row))
                        conn.execute(f"INSERT INTO {table} VALUES ({marks})", tuple(row))
                    else:
                        raise ValueError(f"not a table of the index: {table!r}")
                conn.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('aliases_current', '1')")
                self._bump_generation(conn)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        self._write_snapshot(self._db_generation(), self._summary_rows())
        return articles

    # -- refreshing --

    def _bump_generation(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
            "WHERE key = 'generation'"
        )

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
        """Bring the index up to date with the files under `paths`.

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
            raise CacheWriteError(
                f"cannot update the index cache {self.cache_path}: {self._read_only_reason}",
                self.cache_path,
            )
        try:
            with self._refresh_lock, _RefreshLock(self.cache_path, cancelled) as locked:
                if not locked:  # cancelled while another process was refreshing
                    return RefreshReport(cancelled=True)
                run = _Refresh(self, paths, workers, progress, cancelled, on_articles)
                run.signature = signature
                run.walk_in_child = walk_in_child
                if engine == "dask":
                    from corpus.distributed import DaskEngine

                    run.engine = DaskEngine(scheduler, workers=workers)
                    run.owns_engine = True
                elif not isinstance(engine, str):
                    run.engine = engine
                elif engine != "local":
                    raise ValueError(f"unknown engine {engine!r}: 'local' or 'dask'")
                return run.run()
        except (sqlite3.Error, OSError) as error:
            # a full disk: SQLite rolled the transaction back, the cache is as it was
            if cache_damage(error) is not None:
                raise
            if (reason := _write_failure(error, self.cache_path)) is None:
                raise
            raise self._write_error("cannot update", error, reason) from error


@dataclass(slots=True)
class _Changes:
    """What a refresh must do, found by walking the corpus and comparing with `files`."""

    files: int  # readable files under the paths
    removed: list[str]
    candidates: list[str]  # new, changed or forced files to read
    forced: set[str]  # candidates whose size and mtime did not change (read them anyway)
    current: dict[str, tuple[int, int]]  # (size, mtime_ns) of the candidates
    stored: dict[str, tuple[int, int, str]]  # the `files` rows of the candidates
    skipped: list[Skipped]


def _find_changes(conn: sqlite3.Connection, paths: Sequence[Path]) -> _Changes:
    """Walk `paths` (one stat a file) and compare with the cache's `files` table."""
    from corpus import reader

    skipped: list[Skipped] = []
    current: dict[str, tuple[int, int]] = {}
    shared = threading.active_count() > 1  # (a command line has no UI thread to let run)
    for count, (name, info, reason) in enumerate(reader.walk_stat(paths)):
        if info is None:
            skipped.append(Skipped(name, reason or "cannot read"))
            continue
        try:
            name.encode("utf-8")  # SQLite text: a name with undecodable bytes cannot be kept
        except UnicodeEncodeError:
            skipped.append(Skipped(name, "file name is not valid UTF-8, not indexed"))
            continue
        current.setdefault(name, (info.st_size, info.st_mtime_ns))
        if shared and count % _YIELD_EVERY == 0:
            time.sleep(0)  # let other threads (the app's UI) run: this loop holds the GIL
    stored = {
        path: (size, mtime, state)
        for path, size, mtime, state in conn.execute(
            "SELECT path, size, mtime_ns, state FROM files"
        )
    }
    removed = [path for path in stored if path not in current]
    candidates = [
        path
        for path, stat in current.items()
        if path not in stored or stored[path][:2] != stat or stored[path][2] != "done"
    ]
    # duplicates whose kept copy goes away must be read again
    going = set(removed) | set(candidates)
    has_duplicates = conn.execute("SELECT 1 FROM duplicates LIMIT 1").fetchone()
    if going and has_duplicates:
        kept_paths: list[str] = []
        for chunk in _chunks(sorted(going), 500):  # by index: articles_file, duplicates_kept
            marks = ",".join("?" * len(chunk))
            kept_paths += [
                path
                for (path,) in conn.execute(
                    f"SELECT path FROM articles WHERE file IN ({marks})", chunk
                )
            ]
        for chunk in _chunks(kept_paths, 500):
            marks = ",".join("?" * len(chunk))
            for (dup_file,) in conn.execute(
                f"SELECT DISTINCT file FROM duplicates WHERE kept IN ({marks})", chunk
            ).fetchall():
                if dup_file in current and dup_file not in going:
                    candidates.append(dup_file)
                    going.add(dup_file)
    forced = {p for p in candidates if p in stored and stored[p][:2] == current[p]}
    return _Changes(
        files=len(current),
        removed=removed,
        candidates=candidates,
        forced=forced,
        current={path: current[path] for path in candidates},
        stored={path: stored[path] for path in candidates if path in stored},
        skipped=skipped,
    )


def _find_changes_in_child(cache_path: str, paths: list[str]) -> _Changes:
    """`_find_changes` in a worker process, on its own read-only connection."""
    conn = sqlite3.connect(
        _uri(Path(cache_path), mode="ro"), uri=True, timeout=_BUSY_TIMEOUT_SECONDS
    )
    try:
        return _find_changes(conn, [Path(p) for p in paths])
    finally:
        conn.close()


class _RefreshLock:
    """An exclusive lock on `<cache>.lock` across processes (the app and `newsreader index`).

    Two refreshes of one cache at once would analyse the same files twice; the second one
    waits, then finds the work done. Where `fcntl` is missing (Windows) there is no lock,
    which costs time, never correctness (SQLite still serialises the writes).
    """

    def __init__(self, cache_path: Path, cancelled: Callable[[], bool] | None) -> None:
        self.path = Path(f"{cache_path}.lock")
        self.cancelled = cancelled or (lambda: False)
        self.handle: Any = None

    def __enter__(self) -> bool:
        try:
            import fcntl
        except ImportError:
            return True
        self.handle = open(self.path, "a+")
        while True:
            try:
                fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if self.cancelled():
                    return False
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()  # closing releases the lock


class _Refresh:
    """One refresh of a `CorpusIndex`: scan, read changed files, analyse, commit."""

    def __init__(
        self,
        index: CorpusIndex,
        paths: Sequence[Path],
        workers: int | None,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        on_articles: Callable[[list[ArticleSummary]], None] | None,
    ) -> None:
        self.index = index
        self.conn = index._conn()
        self.paths = [Path(p) for p in paths]
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.progress = progress or (lambda done, total: None)
        self.cancelled = cancelled or (lambda: False)
        self.on_articles = on_articles
        self.report = RefreshReport()
        self.signature: Signature | None = None  # taken before the walk if not given
        self.walk_in_child = True
        self.changed_anything = False
        self.names_before: dict[str, bool] = {}  # person name -> in the corpus before
        self.aliases_were_current: bool | None = None  # (None: not looked at yet)
        self.done = 0
        self.total = 0
        self._pool: Any = None
        self.engine: DaskEngine | None = None  # (None: the local process pool)
        self.owns_engine = False

    # -- pool --

    def _map(
        self, function: Callable[..., Any], items: Sequence[Any], ordered: bool, *extra: Any
    ) -> Iterator[Any]:
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

    def _close_pool(self) -> None:
        if self.engine is not None and self.owns_engine:
            self.engine.close()
            self.engine = None
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def _tick(self) -> None:
        self.done += 1
        self.progress(self.done, self.total)

    # -- the steps --

    def run(self) -> RefreshReport:
        started = time.perf_counter()
        try:
            signature = self.signature if self.signature is not None else tree_signature(self.paths)
            self.index._forget_manifest()  # (a refresh that stops half-way leaves none)
            self._run()
            if not self.report.cancelled:
                self.index._store_manifest(self.paths, signature)
        finally:
            self._close_pool()
            if self.changed_anything:
                generation = self.index._db_generation()
                self.index._write_snapshot(generation, self.index._summary_rows())
            self.report.seconds = time.perf_counter() - started
        return self.report

    def _find_changes(self) -> _Changes:
        """The changes, found in a child process when the corpus is big (see `_CHILD_WALK_FILES`).

        Walking and comparing 100,000 files is seconds of Python holding the GIL; in the app
        that would starve the UI thread while it shows the cached summaries.
        """
        (known,) = self.conn.execute("SELECT count(*) FROM files").fetchone()
        if self.walk_in_child and self.workers > 1 and known >= _CHILD_WALK_FILES:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                future = pool.submit(
                    _find_changes_in_child,
                    str(self.index.cache_path),
                    [str(p) for p in self.paths],
                )
                return future.result()
        return _find_changes(self.conn, self.paths)

    def _run(self) -> None:
        conn = self.conn
        changes = self._find_changes()
        self.report.skipped.extend(changes.skipped)
        removed, candidates, forced = changes.removed, changes.candidates, changes.forced
        current, stored = changes.current, changes.stored

        self.total = 2 * len(candidates)
        self.progress(0, self.total)

        if removed:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for path in removed:
                    self._drop_file(path)
                    conn.execute("DELETE FROM files WHERE path = ?", (path,))
                self.index._bump_generation(conn)  # summaries() must drop the removed rows
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        self.report.removed = len(removed)

        if self.engine is not None and candidates:
            ner = self.index.ner
            self.engine.check_workers(candidates[0], ner, cache_version(ner))
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
        _fts_delete(self.conn, rids)
        for chunk in _chunks(rids, 500):
            marks = ",".join("?" * len(chunk))
            gone = Counter(
                name
                for (name,) in self.conn.execute(
                    f"SELECT name FROM entity_names WHERE rid IN ({marks}) AND label = 'PERSON'",
                    chunk,
                )
            )
            self._note_names(gone)
            self.conn.executemany(
                "UPDATE person_names SET articles = articles - ? WHERE name = ?",
                [(count, name) for name, count in gone.items()],
            )
            self.conn.execute(f"DELETE FROM entity_names WHERE rid IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM articles WHERE rid IN ({marks})", chunk)

    def _read_files(
        self,
        candidates: list[str],
        current: Mapping[str, tuple[int, int]],
        stored: Mapping[str, tuple[int, int, str]],
        forced: set[str],
    ) -> list[_AnalyseTask]:
        """Read new and changed files; update line counts; decide ids and duplicates."""
        conn = self.conn
        tasks: list[tuple[str, tuple[tuple[int, str], ...]]] = []
        digest_owner: dict[str, str] = {}
        assigned: set[str] = set()
        last_commit = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        try:
            fingerprints: dict[str, str] = {}
            for chunk in _chunks([path for path in candidates if path in stored], 500):
                marks = ",".join("?" * len(chunk))
                fingerprints.update(
                    conn.execute(
                        f"SELECT path, fingerprint FROM files WHERE state = 'done' "
                        f"AND path IN ({marks})",
                        chunk,
                    )
                )
            for scan in self._map(_scan_file, candidates, ordered=True):
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
                    conn.execute("COMMIT")
                    conn.execute("BEGIN IMMEDIATE")
                    last_commit = time.perf_counter()
                if self.cancelled():
                    break
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        return [self._task(path, records) for path, records in tasks]

    def _task(self, path: str, records: tuple[tuple[int, str], ...]) -> _AnalyseTask:
        return _AnalyseTask(
            str(self.index.cache_path), self.index._db_generation(), self.index.ner, path, records
        )

    def _boilerplate_changes(self, read_now: set[str]) -> list[_AnalyseTask]:
        """Store the new recurring line keys; queue unchanged files whose cleaning changes."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            (total,) = conn.execute("SELECT coalesce(sum(records), 0) FROM files").fetchone()
            new = _recurring_rows(conn, total)
            old = dict(conn.execute("SELECT hash, key FROM recurring"))
            changed_keys = set(new) ^ set(old)
            tasks: list[_AnalyseTask] = []
            if changed_keys:
                conn.execute("DELETE FROM recurring")
                conn.executemany("INSERT INTO recurring VALUES (?, ?)", new.items())
                conn.execute("DELETE FROM line_docs WHERE docs <= 0")
                self.index._bump_generation(conn)
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
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        return tasks

    def _analyse(self, tasks: list[_AnalyseTask]) -> None:
        """Analyse queued files (in the pool) and insert their articles in batches."""
        if not tasks:
            return
        generation = self.index._db_generation()
        tasks = [replace(task, generation=generation) for task in tasks]
        extra: tuple[Any, ...] = ()
        if self.engine is not None:  # the workers get the recurring keys, not the cache path
            keys = frozenset(key for (key,) in self.conn.execute("SELECT key FROM recurring"))
            extra = (self.engine.broadcast(keys),)
        batch: list[_AnalysedFile] = []
        last_commit = time.perf_counter()
        pending_rows = 0
        for analysed in self._map(_analyse_file, tasks, False, *extra):
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

    def _insert(self, batch: list[_AnalysedFile]) -> None:
        conn = self.conn
        summaries: list[ArticleSummary] = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for analysed in batch:
                self._delete_articles(analysed.path)
                rids: list[int] = []
                self.changed_anything = True
                for row in analysed.rows:
                    rid = self._insert_article(row)
                    assert rid is not None
                    rids.append(rid)
                    summaries.append(ArticleSummary(row[0], row[5], row[6], row[7], row[4]))
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
                _fts_insert(conn, rids)
                if analysed.skipped:
                    self.report.skipped.extend(analysed.skipped)
                conn.execute("UPDATE files SET state = 'done' WHERE path = ?", (analysed.path,))
                self.report.articles += len(analysed.rows)
            self.index._bump_generation(conn)
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        if self.on_articles is not None and summaries:
            self.on_articles(summaries)

    def _insert_article(self, row: tuple[Any, ...]) -> int:
        """Insert one article row; an id taken meanwhile gets the reader's digest suffix."""
        sql = (
            "INSERT INTO articles (id, file, record, digest, path, date, title, source, "
            "byline, url, body, names, speakers, extra, sort_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        try:
            cursor = self.conn.execute(sql, row)
        except sqlite3.IntegrityError:
            taken = self.conn.execute(
                "SELECT rid, file FROM articles WHERE id = ?", (row[0],)
            ).fetchone()
            if taken is not None and taken[1] == row[1]:
                self._delete_rids([taken[0]])  # an older analysis of this very file
                cursor = self.conn.execute(sql, row)
            else:
                cursor = self.conn.execute(sql, (f"{row[0]}-{row[3][:8]}", *row[1:]))
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
        for chunk in _chunks(new, 500):
            marks = ",".join("?" * len(chunk))
            present = {
                name
                for (name,) in conn.execute(
                    f"SELECT name FROM person_names WHERE articles > 0 AND name IN ({marks})",
                    chunk,
                )
            }
            self.names_before.update((name, name in present) for name in chunk)

    def _names_changed(self) -> bool:
        """Whether a person name came into the corpus or left it in this refresh."""
        present: set[str] = set()
        for chunk in _chunks(list(self.names_before), 500):
            marks = ",".join("?" * len(chunk))
            present.update(
                name
                for (name,) in self.conn.execute(
                    f"SELECT name FROM person_names WHERE articles > 0 AND name IN ({marks})",
                    chunk,
                )
            )
        return any(was != (name in present) for name, was in self.names_before.items())

    def _finish(self) -> None:
        """Recompute the corpus-level aliases of entity names, if the set of person names
        changed (the aliases depend on nothing else: at 100,000 articles they take a second).
        """
        if not self.changed_anything:
            return
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
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
                    self.index._bump_generation(conn)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('aliases_current', '1')")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


def corpus_aliases(names: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """Document-level canonical -> corpus-level canonical, from (label, name, articles) rows.

    Only names that change are returned. Used to widen `entity:` and `speaker:` filters: a
    surname-only name resolves as `entities.canonicalize_corpus` resolves a plain mention
    of it. (Articles themselves get the exact per-mention resolution: `CorpusIndex.article`.)
    """
    from corpus.entities import canonicalize_corpus

    people: list[Entity] = []
    short: list[str] = []
    for label, name, _count in names:
        if label != "PERSON":
            continue
        if " " in name:
            people.append(Entity(0, 0, name, "PERSON", name))
        else:
            short.append(name)
    if not people or not short:
        return {}
    mentions = [Entity(0, 0, name, "PERSON", name) for name in short]
    resolved = canonicalize_corpus([_stand_in_article(mentions), _stand_in_article(people)])
    return {
        before.canonical: after.canonical
        for before, after in zip(mentions, resolved[0].entities, strict=True)
        if after.canonical != before.canonical
    }
