"""The user's tags and notes, copied into the index so `tag:` filters and words in notes are
searched with the rest (the store stays where they live; the index holds a copy).

`IndexAnnotations.set` makes the copy what the store holds, writing only the articles
whose tags or notes differ, and keeps a note of where they were read from (`source`), so a
caller holding the same source need not read the store again.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from corpus.index.db import IndexDB, WriterBusy, execute_in
from corpus.index.schema import fts_delete, fts_insert

AnnotationLike = Any
"""A value of the annotations mapping: `(tags, note)` or an object with `.tags`/`.note`."""


def _tags_and_note(value: AnnotationLike) -> tuple[tuple[str, ...], str]:
    if isinstance(value, tuple | list):
        tags, note = value[0], value[1]
    else:
        tags, note = getattr(value, "tags", ()), getattr(value, "note", "")
    return tuple(sorted({str(t) for t in tags or ()})), str(note or "")


class IndexAnnotations:
    """The tags and notes of one index."""

    def __init__(self, db: IndexDB) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._seen: tuple[dict[str, tuple[tuple[str, ...], str]], str | None] | None = None

    def forget(self) -> None:
        """Forget what was last written (the cache file was replaced)."""
        self._seen = None

    def set(self, annotations: Mapping[str, AnnotationLike], source: str | None = None) -> int:
        """Make the index's tags and notes those of `annotations` (all others are cleared).

        Values are `(tags, note)` pairs or objects with `.tags` and `.note` (the store's
        `ArticleAnnotations`). Returns how many articles changed.

        `source` says where the annotations were read from, in a form that changes when
        that changes (the command line gives the store file's path, size, mtime and inode).
        It is kept with them: `source()` gives it back until annotations without it change
        the index's, so a caller holding the same source need not read the store.
        """
        wanted = {key: _tags_and_note(value) for key, value in annotations.items()}
        wanted = {key: value for key, value in wanted.items() if value[0] or value[1]}
        if (wanted, source) == self._seen or self.db.read_only:
            return 0  # (a read-only cache is searched with the tags it has)
        # no refresh lock: SQLite serialises the short write transactions, so a search with
        # annotations does not wait for a long refresh running in another thread
        import json  # (here: a search whose annotations are in step never loads json)

        with self._lock:
            conn = self.db.conn()
            stored = {
                article_id: (tuple(json.loads(tags)), note)
                for article_id, tags, note in conn.execute(
                    "SELECT article_id, tags, note FROM annotations"
                )
            }
            changed = [k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k)]
            stored_source = self.source()
            # annotations from elsewhere that change nothing leave the source as true as it was
            kept_source = source if source is not None or changed else stored_source
            if changed or kept_source != stored_source:
                try:
                    with self.db.write(give_up_after=0.2):
                        self._write(changed, wanted, kept_source)
                except WriterBusy:
                    # A refresh holds the write lock (a cold index commits a batch every
                    # half second and starts the next at once): do not queue behind it. The
                    # search runs on the tags and notes stored so far; the next call retries.
                    return 0
            self._seen = (wanted, source)
            return len(changed)

    def _write(
        self,
        changed: list[str],
        wanted: dict[str, tuple[tuple[str, ...], str]],
        source: str | None,
    ) -> None:
        import json

        conn = self.db.conn()
        rids = [
            rid
            for (rid,) in execute_in(
                conn, "SELECT rid FROM articles WHERE id IN ({marks})", changed
            )
        ]
        fts_delete(conn, rids)
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
        fts_insert(conn, rids)  # (summaries and names do not change: same generation)
        if source is None:
            conn.execute("DELETE FROM meta WHERE key = 'annotations_source'")
        else:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('annotations_source', ?)", (source,))

    def source(self) -> str | None:
        """The `source` of the annotations the index holds (`set`), if known."""
        value = self.db.meta("annotations_source")
        return value if isinstance(value, str) else None
