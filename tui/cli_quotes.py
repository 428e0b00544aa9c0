"""Subcommands of `newsreader` registered by this area (see tui/cli.py)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `newsreader` parser."""
