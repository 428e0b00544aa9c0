"""The corpus-level boilerplate signal: segments that recur verbatim in many documents.

A banner, a menu line or a site's sign-off is in nearly every file of a corpus; the cleaner
(`corpus.clean.clean_document`) treats a segment whose key is in the recurring set as junk.
`recurring_min_docs` is the one definition of the threshold: `recurring_lines` (the in-memory
analysis), the corpus index's refresh and the distributed analysis all count by it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from corpus.clean_segments import line_key, split_segments
from corpus.model import Document

LONG_KEY = 150
"""Keys at least this long (a full paragraph) need twice the documents to count."""


def recurring_min_docs(total: int, key_length: int, min_docs: int | None = None) -> int | None:
    """How many of `total` documents a key of `key_length` characters must be in to recur.

    The one definition of the boilerplate threshold, used by `recurring_lines`, the corpus
    index's refresh and the distributed analysis. None: the corpus is too small for any
    signal (under 10 documents). `min_docs` overrides the threshold of a short key (default:
    5 documents and at least 2% of the corpus); a paragraph-length key (`LONG_KEY`
    characters or more) needs twice as many: news agencies' copy repeats whole paragraphs
    across follow-up stories, while banners recur in nearly every file. The threshold never
    falls as keys get longer, so `recurring_min_docs(total, 0)` is the least of them.
    """
    if min_docs is None:
        if total < 10:
            return None
        min_docs = max(5, round(total * 0.02))
    return min_docs * 2 if key_length >= LONG_KEY else min_docs


def document_line_keys(text: str) -> set[str]:
    """The distinct keys of one document's segments that count towards recurrence."""
    return {key for key in map(line_key, split_segments(text)) if len(key) >= 3}


def recurring_keys(
    counts: Iterable[tuple[str, int]], total: int, min_docs: int | None = None
) -> frozenset[str]:
    """The keys whose document counts reach `recurring_min_docs` in a corpus of `total`."""
    if recurring_min_docs(total, 0, min_docs) is None:
        return frozenset()
    return frozenset(
        key
        for key, count in counts
        if count >= (recurring_min_docs(total, len(key), min_docs) or 0)
    )


def recurring_lines(documents: Iterable[Document], min_docs: int | None = None) -> frozenset[str]:
    """Keys of segments that recur verbatim in many documents: corpus-level boilerplate.

    A key counts once per document; the threshold is `recurring_min_docs` (`min_docs`
    overrides a short key's). Keys shorter than 3 characters are ignored.
    """
    counts: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        counts.update(document_line_keys(document.text))
    return recurring_keys(counts.items(), total, min_docs)
