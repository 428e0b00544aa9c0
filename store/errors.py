"""Errors raised by the annotation store, each naming the file it is about.

Every error is a `StoreError`, so the app and the command line can catch one type and show
its message; the subclasses tell the app what it can offer (read-only mode after a corrupt
file, "save again" after a failed write).
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Something is wrong with the annotation file; the message says what and where."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class CorruptStoreError(StoreError):
    """The file is not valid annotation JSON. It is never overwritten while in this state."""

    def __init__(
        self, path: Path, line: int, column: int, problem: str, backup: Path | None = None
    ) -> None:
        where = f"{path}:{line}:{column}"
        hint = f"; the last good state is in {backup}" if backup is not None else ""
        super().__init__(
            f"annotation file {where}: {problem}. The file was left untouched; fix it or "
            f"move it away to start a new one{hint}",
            path,
        )
        self.line = line
        self.column = column
        self.problem = problem
        self.backup = backup


class FutureSchemaError(StoreError):
    """The file was written by a newer newsreader (a schema version this one does not know)."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"annotation file {path} has schema version {found}, but this newsreader only "
            f"knows versions up to {supported}; upgrade newsreader. The file was left untouched",
            path,
        )
        self.found = found
        self.supported = supported


class StoreReadError(StoreError):
    """The file exists but cannot be read (a directory, no permission, an I/O error)."""


class StoreWriteError(StoreError):
    """A write failed (full disk, read-only file or file system, no permission).

    The change is kept in memory as a pending write; `AnnotationStore.retry_pending()`
    tries again.
    """


class ReadOnlyStoreError(StoreError):
    """The store was opened read-only and something tried to change it."""


class StoreLockTimeout(StoreWriteError):
    """Another process held the store's lock for too long."""


class InvalidAnnotationError(StoreError, ValueError):
    """A tag, date or span the store cannot accept (empty tag, bad date, bad offsets)."""


class UnknownSpanError(StoreError, KeyError):
    """No span annotation with that id on that article."""

    def __str__(self) -> str:  # KeyError would add quotes around the message
        return str(self.args[0])


class ImportFormatError(StoreError):
    """A file given to `import` is not a newsreader export; nothing was imported."""
