"""Pure-Python corpus analysis: reading, cleaning, dates, entities, quotes, index.

Never imports textual or tinydb (tests/test_layering.py checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    SAMPLE_DIR: Path
    """The built-in sample corpus: the five seed articles."""

    DATA_DIR: Path
    """Gazetteers and model weights shipped with the package (each names its source)."""

_FOLDERS = {"SAMPLE_DIR": "sample", "DATA_DIR": "data"}


def __getattr__(name: str) -> Path:
    """SAMPLE_DIR and DATA_DIR, made when first asked for: importing `corpus` (as the
    `newsreader` script does before it starts a search's walk) does not import pathlib."""
    if name not in _FOLDERS:
        raise AttributeError(f"module 'corpus' has no attribute {name!r}")
    from pathlib import Path

    folder = Path(__file__).parent / _FOLDERS[name]
    globals()[name] = folder
    return folder
