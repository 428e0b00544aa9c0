"""The tables of a cache: their schema, the check that a cache has them whole, and the
full-text index kept in step with the articles and their tags and notes.

Per file: its size, mtime, record fingerprint and line keys (`files`); per article: its
metadata, cleaned body, searchable names and speakers and the rest of its analysis as one
compressed blob (`articles`, see `corpus.index.codec`); the corpus-level boilerplate counts
(`line_docs`, `recurring`), person names and their aliases, duplicates, the user's tags and
notes (`annotations`), and an FTS5 index over title, body, names, speakers, tags and notes.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from corpus.index.cache import APPLICATION_ID, cache_version, noted_code_digest
from corpus.index.db import BUSY_TIMEOUT_SECONDS, IndexDB, execute_in, transaction
from corpus.index.errors import cache_damage

SCHEMA = """
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

SCHEMA_OBJECTS = frozenset(
    [
        *re.findall(r"CREATE (?:VIRTUAL )?(?:TABLE|VIEW) (\w+)", SCHEMA),
        *("fts_data", "fts_idx", "fts_docsize", "fts_config"),  # FTS5's own tables
    ]
)
"""Every table a cache has (`person_names` too once `meta` says so)."""

FTS_COLUMNS = "title, body, names, speakers, tags, notes"

PLAIN_TABLES = ("files", "duplicates", "line_docs", "recurring", "person_names", "aliases")
"""The analysed tables besides `articles` and `entity_names`, copied row for row."""

INSERT_ARTICLE = (
    "INSERT INTO articles (id, file, record, digest, path, date, title, source, "
    "byline, url, body, names, speakers, extra, sort_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
"""An `articles` row without its row id (`codec.ArticleRow`)."""


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of `script`, one at a time."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""


def create_if_new(path: Path, ner: str) -> None:
    """Write the schema into a new (or empty) file, header first.

    The schema is committed in rollback-journal mode, so the SQLite header with
    `APPLICATION_ID` is in the main file before anything else (in WAL mode it would sit
    in the -wal file until a checkpoint, and a crash then would leave an empty file).
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return
        try:
            with transaction(conn):
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                for statement in _statements(SCHEMA):
                    conn.execute(statement)
                conn.execute("INSERT INTO meta VALUES ('version', ?)", (cache_version(ner),))
                conn.execute("INSERT INTO meta VALUES ('generation', '0')")
        except sqlite3.OperationalError as error:
            if "already exists" not in str(error):  # (another process created it)
                raise
    finally:
        conn.close()


def cache_problem(conn: sqlite3.Connection, ner: str) -> str | None:
    """None when the cache on `conn` can be used; "stale" (another version); else the damage.

    The version stamp, then the structure: every table, and an FTS index that opens.
    """
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != cache_version(ner, noted_code_digest(conn)):
            return "stale"
        noted = conn.execute("SELECT value FROM meta WHERE key = 'damaged'").fetchone()
        if noted:  # damage met after an earlier open (`IndexDB.noted_damage`)
            return str(noted[0])
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        flagged = conn.execute("SELECT 1 FROM meta WHERE key = 'person_names'").fetchone()
        wanted = SCHEMA_OBJECTS | ({"person_names"} if flagged else set())
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


def add_person_names(db: IndexDB) -> None:
    """Make sure the `person_names` table (person name -> articles) exists and is filled.

    Derived from `entity_names`; caches written before it existed get it built once.
    Reading it instead of grouping millions of `entity_names` rows keeps the alias work
    of a refresh, and the first article opened after one, fast at 100,000 articles.
    """
    if db.read_only or db.meta("person_names") is not None:
        return
    with db.write() as conn:
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


def fts_insert(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Index the current text of articles `rids` (articles row and annotations)."""
    execute_in(
        conn,
        f"INSERT INTO fts(rowid, {FTS_COLUMNS}) SELECT rid, {FTS_COLUMNS} "
        "FROM fts_content WHERE rid IN ({marks})",
        rids,
    )


def fts_delete(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Remove articles `rids` from the full-text index (before their text changes)."""
    execute_in(
        conn,
        f"INSERT INTO fts(fts, rowid, {FTS_COLUMNS}) SELECT 'delete', rid, {FTS_COLUMNS} "
        "FROM fts_content WHERE rid IN ({marks})",
        rids,
    )
