"""Quotation finding and speaker attribution (interface; the finder lands with issue 3)."""

from __future__ import annotations

from collections.abc import Sequence

from corpus.model import Entity, Quote


def find_quotes(body: str, entities: Sequence[Entity] = ()) -> list[Quote]:
    """Quotations in `body` with their speakers (none until the finder lands)."""
    return []
