"""The annotation store (tags, notes, span annotations) and export/import.

Never imports textual (tests/test_layering.py checks it). TinyDB dicts never leave this package:
`AnnotationStore` is the one object that touches TinyDB and hands out the frozen dataclasses
of `store.model`.

The names below are imported when first used (PEP 562), so a command that needs only
`store.paths` does not load TinyDB and every store module.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULE_OF = {
    "AnnotationStore": "store.annotations",
    "InvalidAnnotationError": "store.annotations",
    "CorruptStoreError": "store.errors",
    "FutureSchemaError": "store.errors",
    "ImportFormatError": "store.errors",
    "ReadOnlyStoreError": "store.errors",
    "StoreError": "store.errors",
    "StoreLockTimeout": "store.errors",
    "StoreReadError": "store.errors",
    "StoreWriteError": "store.errors",
    "UnknownSpanError": "store.errors",
    "ArticleAnnotations": "store.model",
    "ImportReport": "store.model",
    "SpanAnnotation": "store.model",
    "body_fingerprint": "store.model",
    "default_db_path": "store.paths",
    "resolve_db_path": "store.paths",
}

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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
