"""Files and JSON the user points at: regular files only, bounded size, bounded JSON.

Every reader of a file named on the command line or found in a corpus folder (the corpus
reader, the annotation store, `import FILE`) goes through here, so one check covers them all:

- `read_regular_file` opens without blocking (`O_NONBLOCK`: a FIFO would block `open`
  forever), checks with `fstat` on the open file that it is a regular file (so a file swapped
  for a FIFO or a device after a `stat` is still refused) and reads at most `max_bytes` plus
  one byte (`/dev/zero`, or a file another process keeps appending to, is never read without
  end). `read_bounded_stream` bounds a pipe (stdin) the same way.
- `loads_json` parses JSON as `json.loads` does, but refuses nesting deeper than
  `MAX_JSON_DEPTH` (Python's decoder raises RecursionError on a few thousand ``[``, and a
  parsed value nested hundreds deep would break `copy.deepcopy` and `json.dumps` later) and
  integers of more than `MAX_JSON_INT_DIGITS` digits (ValueError in the decoder; converting
  longer digit strings takes quadratic time where the interpreter's limit is lifted). Both are
  reported as `json.JSONDecodeError` with the line and column of the offending token, so every
  caller's existing handling of invalid JSON covers them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import IO, Any

MAX_JSON_DEPTH = 100
"""Deepest nesting of arrays and objects accepted (articles and stores use fewer than 10)."""

MAX_JSON_INT_DIGITS = 4300
"""Longest integer accepted, in digits (Python's default `sys.get_int_max_str_digits`)."""


class UnreadableFile(ValueError):
    """A file that cannot be read as asked; the message is the reason (no file name)."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, for messages ("a FIFO", "a device", "a folder")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _open_regular(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor of the regular file at `path`; never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError as error:
        raise UnreadableFile("a folder, not read") from error
    except OSError as error:
        raise UnreadableFile(f"cannot open: {error.strerror or error}") from error
    try:
        info = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(info.st_mode):  # checked on the open file: a swap cannot slip by
        os.close(fd)
        raise UnreadableFile(f"{file_kind(info.st_mode)}, not read")
    return fd


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the regular file at `path` (links followed), at most `max_bytes`.

    Raises `UnreadableFile` at once for anything else: a FIFO, socket, device or folder
    ("a FIFO, not read"), a file over `max_bytes` (also one that grows past it while it is
    read), or an OS error ("cannot open: ..."/"cannot read: ..."; the `OSError` is the
    exception's `__cause__`).
    """
    fd = _open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise UnreadableFile(f"too large ({size} bytes; the limit is {max_bytes})")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise UnreadableFile(f"too large (over {max_bytes} bytes, still growing)")
        return b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    finally:
        os.close(fd)


def read_file_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first `size` bytes of the regular file at `path` (same checks as `read_regular_file`)."""
    fd = _open_regular(path)
    try:
        return os.read(fd, size)
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    finally:
        os.close(fd)


def read_bounded_stream(stream: IO[bytes], max_bytes: int) -> bytes:
    """At most `max_bytes` from a binary stream (stdin); `UnreadableFile` if there is more."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(1 << 20, max_bytes + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise UnreadableFile(f"too large (over {max_bytes} bytes)")
    return b"".join(chunks)


def resolve_link(path: Path) -> Path:
    """The file a path names: a symbolic link (or a chain of them) resolved to its target.

    Only a link to a regular file, or a dangling one (the path of its missing target), is
    resolved; a link to anything else (`/dev/stdin`, a FIFO) or a link loop stays as given,
    so that opening it reports what it is. The folders above stay as given.
    """
    if not os.path.islink(path):
        return path
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Path(os.path.realpath(path))
    except OSError:
        return path
    return Path(os.path.realpath(path)) if stat.S_ISREG(info.st_mode) else path


# --- JSON -----------------------------------------------------------------------------------

# A JSON string runs from its quote to the next unescaped quote, or to the end of the text
# when it is never closed (so an unterminated string is one token and the scan stays linear).
_STRING = r'"[^"\\]*+(?:\\[\s\S]?[^"\\]*+)*+(?:"|\Z)'
_STRINGS = re.compile(_STRING)
_TOKENS = re.compile(_STRING + r"|[\[{]|[\]}]|-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")


class _IntegerTooLong(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _IntegerTooLong(digits)
    return int(digits)


def _problem_at(text: str, depth_limit: int) -> tuple[str, int] | None:
    """The first nesting or integer problem in `text` and its index (the slow, exact scan)."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        first = token[0]
        if first in "[{":
            depth += 1
            if depth > depth_limit:
                return f"nested more than {depth_limit} levels deep", match.start()
        elif first in "]}":
            depth = max(depth - 1, 0)
        elif (
            first != '"'
            and (digits := token.lstrip("-")).isdigit()
            and len(digits) > MAX_JSON_INT_DIGITS
        ):
            return f"an integer of more than {MAX_JSON_INT_DIGITS} digits", match.start()
    return None


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether a parsed JSON value nests arrays/objects more than `limit` deep (level by level)."""
    level = [value]
    for _depth in range(limit):
        below: list[Any] = []
        for container in level:
            children = container.values() if type(container) is dict else container
            below.extend(child for child in children if type(child) in _CONTAINERS)
        if not below:
            return False
        level = below
    return True


_CONTAINERS = (list, dict)


def loads_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads(text)` with bounded nesting and integers (see the module docstring).

    Raises `json.JSONDecodeError` (with `msg`, `lineno`, `colno`) for invalid JSON and for
    the two hazards.
    """
    import json  # here, not at the top: `newsreader search` imports this module and parses no JSON

    try:
        value = json.loads(text, parse_int=_bounded_int)
    except (RecursionError, _IntegerTooLong):  # the decoder's own limits: find the place
        value = None
        found = _problem_at(text, max_depth)
    else:
        # fewer opening brackets than the limit cannot nest deeper than it
        if text.count("[") + text.count("{") <= max_depth or not isinstance(value, list | dict):
            return value
        if not _nested_deeper_than(value, max_depth):
            return value
        found = _problem_at(text, max_depth)
    message, index = found or (f"nested more than {max_depth} levels deep", 0)
    raise json.JSONDecodeError(message, text, index)
