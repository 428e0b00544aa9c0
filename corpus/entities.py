"""Named-entity recognition (interface; the recogniser lands with issue 3).

`find_entities(body)` returns the entity mentions of one cleaned body with document-level
canonical names; `canonicalize_corpus(articles)` resolves canonical names across a corpus and
rewrites quote speakers to match.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.model import Article, Entity


def find_entities(body: str) -> list[Entity]:
    """Entity mentions in `body` (none until the recogniser lands)."""
    return []


def canonicalize_corpus(articles: Sequence[Article]) -> list[Article]:
    """Resolve canonical names across `articles` (identity until the recogniser lands)."""
    return list(articles)
