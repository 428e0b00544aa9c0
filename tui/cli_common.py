"""What every `newsreader` subcommand shares: errors with exit codes, corpus paths, output."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from corpus import SAMPLE_DIR
from corpus.textsafe import visible_name, visible_text


class CLIError(Exception):
    """A user-facing error: printed as one line on stderr, exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def corpus_paths(paths: Sequence[str] | None) -> list[Path]:
    """The corpus paths to read: the given ones (each must exist), or the sample corpus."""
    if not paths:
        return [SAMPLE_DIR]
    resolved: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise CLIError(f"newsreader: {visible_name(raw)}: no such file or directory", code=2)
        resolved.append(path)
    return resolved


def warn(message: str) -> None:
    """A message on stderr, every hidden character (escape, control, bidi) spelled out.

    Messages name files, and a scraped file's name can carry terminal escape sequences.
    """
    print(visible_text(message), file=sys.stderr)
