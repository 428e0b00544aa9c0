"""The manifest: what the last complete refresh saw, so a search can tell the index is
current without walking the corpus (the signature itself is `corpus.index_freshness`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from corpus.index.db import IndexDB
from corpus.index_freshness import Signature, encode_manifest, manifest_matches


def is_current(db: IndexDB, paths: Sequence[Path], signature: Signature) -> bool:
    """Whether the manifest is of `paths` with `signature`, and nothing was written since."""
    blob = db.meta("manifest")
    if blob is None:
        return False
    return manifest_matches(blob, db.generation(), paths, signature)


def forget_manifest(conn: sqlite3.Connection) -> None:
    """Drop the manifest (before a write that a complete refresh has not seen)."""
    if conn.execute("SELECT 1 FROM meta WHERE key = 'manifest'").fetchone():
        conn.execute("DELETE FROM meta WHERE key = 'manifest'")


def store_manifest(db: IndexDB, paths: Sequence[Path], signature: Signature) -> None:
    """The manifest of a complete refresh of `paths`, started with `signature`."""
    with db.write() as conn:
        blob = encode_manifest(db.generation(), paths, signature)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('manifest', ?)", (blob,))
