"""Is the corpus index current? The folder tree's signature, and the manifest that keeps it.

`tree_signature(paths)` is one pass over the corpus folders: one `scandir` a folder and one
`stat` a file (taken relative to the folder's descriptor), nothing read. For every folder it
keeps a digest of its entries that are not hidden: name, file type, size and mtime in
nanoseconds (a folder entry by its name only: its own entries are in its own digest), so
any file added, removed, renamed, rewritten or touched anywhere under the paths changes the
digest of the folder that holds it. A listing or a `stat` that fails is part of the digest
too (as its errno). Symbolic links are followed and a folder is entered once, as the reader
walks (`corpus.reader.walk_stat`).

The signature covers more than the reader reads (a changed `.pdf` beside the articles, a
file's type): anything that changes what a refresh would find changes the signature, and a
change that does not only costs one refresh that finds nothing to do. File contents are not
compared, as a refresh does not compare them either: a file whose size and mtime are the
same is the same file.

Every complete refresh (`CorpusIndex.refresh`) stores the signature it was started with as
the index's manifest, stamped with the index generation after it. `CorpusIndex.is_current`
compares a fresh signature with it: equal, and no write to the index since, means a
refresh would find nothing to do. The signature is taken before the refresh walks the
corpus, so a file changed during a refresh makes the manifest differ next time (one refresh
too many, never one too few).

This module imports nothing beyond the standard library (and `corpus.digests`), and at its
top only what the interpreter has loaded already: the `newsreader` script starts the walk of
a search with it (`start_early_walk`) before it imports anything else.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
from typing import TYPE_CHECKING

from corpus.digests import blake2b

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

MANIFEST_FORMAT = 2
"""Bump when the signature changes shape (a manifest of another format is never current).
2: folder digests of marshal format 0 (format 1 digested marshal's default, whose bytes
depend on whether a name string is interned, so two processes could digest one folder two
ways)."""

Signature = dict[str, bytes]
"""Folder (or "" for the paths themselves) -> digest of its entries."""

_SCANDIR_TAKES_A_DESCRIPTOR = os.scandir in os.supports_fd


def _digest(entries: list[tuple[object, ...]]) -> bytes:
    """The digest of a folder's entries. Marshal format 0 writes a value the same way
    whatever its objects' identity: no references to repeated objects, no interning flags
    (names from `pathlib` are interned, names from the command line or a listing are not)."""
    return blake2b(marshal.dumps(entries, 0), digest_size=16).digest()


def _folder_entries(folder: str, subfolders: list[str]) -> list[tuple[object, ...]]:
    """(name, type, size, mtime_ns) of every entry of `folder` that is not hidden.

    A sub-folder is `(name, "dir")` and is appended to `subfolders`; an entry whose `stat`
    fails is `(name, "error", errno)`. With a folder descriptor every `stat` is relative to
    it (one name to look up, not the whole path).
    """
    entries: list[tuple[object, ...]] = []
    if _SCANDIR_TAKES_A_DESCRIPTOR:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            with os.scandir(descriptor) as listing:
                for entry in listing:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if entry.is_dir():  # follows a link, as the reader does
                        entries.append((name, "dir"))
                        subfolders.append(os.path.join(folder, name))
                        continue
                    try:
                        info = entry.stat()
                    except OSError as error:
                        entries.append((name, "error", error.errno))
                        continue
                    entries.append(
                        (name, stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
                    )
        finally:
            os.close(descriptor)
        return entries
    with os.scandir(folder) as listing:  # (Windows: no descriptors for folders)
        for entry in listing:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir():
                entries.append((name, "dir"))
                subfolders.append(entry.path)
                continue
            try:
                info = entry.stat()
            except OSError as error:
                entries.append((name, "error", error.errno))
                continue
            entries.append((name, stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns))
    return entries


def tree_signature(paths: Sequence[Path | str]) -> Signature:
    """The signature of the files and folders under `paths` (see the module docstring)."""
    signature: Signature = {}
    seen: set[tuple[int, int]] = set()
    top: list[tuple[object, ...]] = []
    stack: list[str] = []
    for path in reversed(paths):
        name = os.fspath(path)
        try:
            info = os.stat(name)
        except OSError as error:
            top.append((name, "error", error.errno))
            continue
        if stat.S_ISDIR(info.st_mode):
            top.append((name, "dir"))
            stack.append(name)
        else:
            top.append((name, stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns))
    signature[""] = _digest(top)
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            signature[folder] = _digest([("error", error.errno)])
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:  # a link loop, or a folder reached twice
            continue
        seen.add(key)
        subfolders: list[str] = []
        try:
            entries = _folder_entries(folder, subfolders)
        except OSError as error:
            signature[folder] = _digest([("error", error.errno)])
            continue
        signature[folder] = _digest(entries)
        stack.extend(reversed(subfolders))
    return signature


def paths_key(paths: Sequence[Path | str]) -> tuple[str, ...]:
    """The corpus paths as a manifest names them (as given: the walk's names come from them)."""
    return tuple(os.fspath(path) for path in paths)


def encode_manifest(generation: int, paths: Sequence[Path | str], signature: Signature) -> bytes:
    """What the index stores after a complete refresh of `paths` (see `manifest_matches`)."""
    return marshal.dumps((MANIFEST_FORMAT, generation, paths_key(paths), signature))


def manifest_matches(
    blob: object, generation: int, paths: Sequence[Path | str], signature: Signature
) -> bool:
    """Whether a stored manifest says the index is current for `paths` with `signature`.

    False for anything that is not a manifest of this format (a damaged or foreign value).
    """
    if not isinstance(blob, bytes):
        return False
    try:
        stored = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return False
    return stored == (MANIFEST_FORMAT, generation, paths_key(paths), signature)


def changed_folders(old: Signature, new: Signature) -> list[str]:
    """The folders whose entries differ between two signatures (added and removed ones too)."""
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


class SignatureSoon:
    """`tree_signature(paths)`, started beside the caller: call the object for the result.

    Where the process can fork and runs no other thread (the command line, before it
    imports the index), the walk runs in a child process, on another core while the caller
    goes on importing and opening the index; the child sends the signature down a pipe and
    exits. The result is the very value `tree_signature` gives, as the child runs that
    function. Anywhere else (no `fork`, threads running, a failed fork or a failed child)
    the walk runs in this process when the result is asked for. `close()` (or leaving a
    `with` block) ends a child whose result was never asked for.
    """

    def __init__(self, paths: Sequence[Path | str]) -> None:
        self._paths = list(paths)
        self._signature: Signature | None = None
        self._child: tuple[int, int] | None = _adopt_early_walk(self._paths)
        if self._child is None and _may_fork():
            self._child = _fork_walker(self._paths)

    def __call__(self) -> Signature:
        if self._signature is None:
            signature = self._from_child() if self._child is not None else None
            self._signature = tree_signature(self._paths) if signature is None else signature
        return self._signature

    def close(self) -> None:
        if self._child is not None:
            pid, reader = self._child
            self._child = None
            os.close(reader)  # a child still writing gets EPIPE and exits
            _reap(pid)

    def __enter__(self) -> SignatureSoon:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _from_child(self) -> Signature | None:
        assert self._child is not None
        pid, reader = self._child
        self._child = None
        with os.fdopen(reader, "rb") as pipe:
            payload = pipe.read()
        if _reap(pid) != 0:
            return None
        try:
            names, signature = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None
        if names != paths_key(self._paths) or not isinstance(signature, dict):
            return None
        return signature


def _may_fork() -> bool:
    """Whether forking is safe here: the call exists and no other thread is running."""
    if not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


_early_walk: tuple[tuple[str, ...], int, int] | None = None
"""The walk `start_early_walk` started: (its raw paths, the child's pid, the pipe's read end)."""


def start_early_walk(raw_paths: Sequence[str]) -> None:
    """Start the walk of a search's corpus at once, in a child process, from the command
    line's words (`tui.launch` guesses them from `sys.argv` before argparse is imported).

    The next `SignatureSoon` adopts the child when the paths it is given are these words as
    the command line turns them into paths (`Path(word).expanduser()`), and ends it
    otherwise (a wrong guess costs one fork, never a wrong signature). Does nothing where
    `SignatureSoon` would not fork, or when a walk was started already.
    """
    global _early_walk
    if _early_walk is not None or not raw_paths or not _may_fork():
        return
    raw = tuple(raw_paths)
    child = _fork_walker(raw, expand=True)
    if child is not None:
        _early_walk = (raw, *child)


def _adopt_early_walk(paths: Sequence[Path | str]) -> tuple[int, int] | None:
    """The early walk's child when it walks `paths`; any other early walk is ended."""
    global _early_walk
    if _early_walk is None:
        return None
    raw, pid, reader = _early_walk
    _early_walk = None
    if _expanded(raw) == paths_key(paths):
        return pid, reader
    os.close(reader)
    _reap(pid)
    return None


def _expanded(raw_paths: Sequence[str]) -> tuple[str, ...]:
    """The command line's paths from its words, named as `paths_key` names them."""
    from pathlib import Path

    return paths_key([Path(word).expanduser() for word in raw_paths])


def _plain_names(words: Sequence[str]) -> tuple[str, ...]:
    """`_expanded(words)` without importing pathlib (~5 ms, in the child that walks): `~`
    expanded, `.` parts and repeated or trailing slashes dropped, as `PurePosixPath` does.
    Where it differs (another platform, an odd spelling) the parent's check of the names
    makes the search walk the corpus itself."""
    names = []
    for word in words:
        word = os.path.expanduser(word)
        if word.startswith("//") and not word.startswith("///"):
            root = "//"
        else:
            root = "/" if word.startswith("/") else ""
        parts = [part for part in word.split("/") if part and part != "."]
        names.append(root + "/".join(parts) or ".")
    return tuple(names)


def _fork_walker(paths: Sequence[Path | str], *, expand: bool = False) -> tuple[int, int] | None:
    """Fork a child that writes `marshal.dumps((names, tree_signature(names)))` to a pipe
    and exits; `names` is `paths_key(paths)`, or with `expand` the words `paths` named as a
    path of each would name them (`_plain_names`; the parent checks the names it gets)."""
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: walk, send, exit without the parent's exit handlers or buffers
        code = 1
        try:
            os.close(reader)
            names = _plain_names([os.fspath(p) for p in paths]) if expand else paths_key(paths)
            payload = marshal.dumps((names, tree_signature(names)))
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def _reap(pid: int) -> int:
    """Wait for a child; its exit status (non-zero if it could not be waited for)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 1
    return status
