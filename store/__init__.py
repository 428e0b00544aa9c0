"""The annotation store (tags, notes, span annotations) and export/import.

Never imports textual (tests/test_layering.py checks it). TinyDB dicts never leave this package:
`AnnotationStore` is the one object that touches TinyDB and hands out the frozen dataclasses
of `store.model`.
"""

from __future__ import annotations

from store.annotations import AnnotationStore, InvalidAnnotationError
from store.errors import (
    CorruptStoreError,
    FutureSchemaError,
    ImportFormatError,
    ReadOnlyStoreError,
    StoreError,
    StoreLockTimeout,
    StoreReadError,
    StoreWriteError,
    UnknownSpanError,
)
from store.model import ArticleAnnotations, ImportReport, SpanAnnotation, body_fingerprint
from store.paths import default_db_path, resolve_db_path

__all__ = [
    "AnnotationStore",
    "ArticleAnnotations",
    "CorruptStoreError",
    "FutureSchemaError",
    "ImportFormatError",
    "ImportReport",
    "InvalidAnnotationError",
    "ReadOnlyStoreError",
    "SpanAnnotation",
    "StoreError",
    "StoreLockTimeout",
    "StoreReadError",
    "StoreWriteError",
    "UnknownSpanError",
    "body_fingerprint",
    "default_db_path",
    "resolve_db_path",
]
