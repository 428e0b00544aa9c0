"""Pure-Python corpus analysis: reading, cleaning, dates, entities, quotes, index.

Never imports textual or tinydb (tests/test_layering.py checks it).
"""

from __future__ import annotations

from pathlib import Path

SAMPLE_DIR = Path(__file__).parent / "sample"
"""The built-in sample corpus: the five seed articles."""

DATA_DIR = Path(__file__).parent / "data"
"""Gazetteers and model weights shipped with the package (each names its source)."""
