"""Where a corpus's cache lives and which caches may be read: the version stamp and the
digest of the analysis code it is keyed by.

A cache is read only when its `meta` version stamp is `cache_version(ner)`: the schema, the
analysis version, newsreader's version, the recogniser (`ner_identity`) and a digest of the
analysis code and data (`code_digest`). Hashing the code costs ~5 ms an open, so the cache
notes the code files' stat beside the digest (`note_code_stat`); while the files' stat is
the same, the noted digest is taken as it is (`noted_code_digest`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from corpus.digests import sha1
from corpus.index.db import IndexDB, WriterBusy
from corpus.index.errors import write_failure
from corpus.userdirs import user_dir
from corpus.version import VERSION

SCHEMA_VERSION = 1
"""Bump when the tables change shape."""

ANALYSIS_VERSION = 1
"""Bump to force a rebuild when analysis output changes in a way the code digest misses."""

APPLICATION_ID = 0x4E524958
"""`PRAGMA application_id` of every cache ("NRIX"): bytes 68-71 of the SQLite header say the
file is a newsreader index even when the pages behind the header are damaged."""

CODE_DIGEST_ENV = "NEWSREADER_INDEX_CODE_DIGEST"
"""Pins the code digest (benchmarks run against a source tree others are editing)."""

_PACKAGE = Path(__file__).resolve().parent.parent  # corpus/


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
    key = "\n".join(sorted(str(Path(p).expanduser().resolve()) for p in paths))
    if ner != "builtin":
        key += f"\nner={ner_identity(ner)}"
    digest = sha1(key.encode("utf-8")).hexdigest()[:20]
    return user_dir("cache") / f"{digest}.sqlite"


def code_files(package: Path = _PACKAGE) -> list[tuple[str, Path]]:
    """The analysis code and data, each with the name the digest takes it by (its path in
    the `corpus` package): every module of the package and of its sub-packages, and every
    file under `corpus/data`, minus the index (the `corpus/index` package and the modules
    named `index*`: changing them changes no analysis).

    Walked with `os.walk` (two `Path.rglob` passes cost ~4 ms of every search's open)."""
    found = []
    root = str(package)
    for folder, dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        dirs[:] = [d for d in dirs if d != "__pycache__" and not (prefix + d).startswith("index")]
        in_data = prefix.startswith("data/")
        for entry in names:
            name = prefix + entry
            if (in_data or entry.endswith(".py")) and not name.startswith("index"):
                path = os.path.join(folder, entry)
                if os.path.isfile(path):
                    found.append((name, Path(path)))
    return sorted(found)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the analysis code and data (`code_files`)."""
    pinned = os.environ.get(CODE_DIGEST_ENV)
    if pinned:
        return pinned
    digest = sha1()
    for name, path in code_files():
        digest.update(name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_stat() -> str:
    """The code files' names, sizes and mtimes: they are the files a digest was taken of
    while these are the same (reading and hashing 2 MB costs ~5 ms an open; this, 0.3)."""
    parts = []
    for name, path in code_files():
        info = os.stat(path)
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def noted_code_digest(conn: sqlite3.Connection) -> str | None:
    """The code digest the cache noted with the code files' stat, if they are still those."""
    if os.environ.get(CODE_DIGEST_ENV):
        return None  # (pinned: nothing to hash)
    row = conn.execute("SELECT value FROM meta WHERE key = 'code_stat'").fetchone()
    if row is None or not isinstance(row[0], str):
        return None
    stat, _, digest = row[0].partition(":")
    return digest if digest and stat == code_stat() else None


def note_code_stat(db: IndexDB) -> None:
    """Note the code files' stat with the digest in the version stamp, once after each
    change of the code, so the next open need not read the code (`noted_code_digest`).

    Called once the cache is known to carry the current version stamp.
    """
    if os.environ.get(CODE_DIGEST_ENV) or noted_code_digest(db.conn()) is not None:
        return
    value = f"{code_stat()}:{code_digest()}"
    try:
        with db.write(give_up_after=0.2) as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('code_stat', ?)", (value,))
    except WriterBusy:  # (a refresh is writing: the next open notes it)
        return
    except sqlite3.Error as error:
        if write_failure(error) is None:  # a full disk: only a speed-up is lost
            raise


def cache_version(ner: str = "builtin", code: str | None = None) -> str:
    """The version stamp a cache must carry to be read (`code`: the code digest, if known)."""
    return (
        f"schema={SCHEMA_VERSION};analysis={ANALYSIS_VERSION};newsreader={VERSION};"
        f"code={code or code_digest()};ner={ner_identity(ner)}"
    )
