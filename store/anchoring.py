"""Finding span annotations again after an article's cleaned body changed.

A span annotation keeps its text and the fingerprint of the body it was made on. When the
fingerprint no longer matches, the span is moved to the occurrence of its text nearest to its
old offset; failing an exact match, to the nearest match ignoring case and runs of
whitespace (a cleaner that re-wraps lines). A span that cannot be found is flagged
(`anchored=False`) with its old offsets, never dropped.
"""

from __future__ import annotations

import dataclasses
import re

from store.model import SpanAnnotation


def _occurrences(body: str, text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    index = body.find(text)
    while index >= 0:
        found.append((index, index + len(text)))
        index = body.find(text, index + 1)
    return found


def _loose_occurrences(body: str, text: str) -> list[tuple[int, int]]:
    words = text.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(body)]


def reanchor_span(span: SpanAnnotation, body: str, fingerprint: str) -> SpanAnnotation:
    """`span` placed in `body` (whose fingerprint is `fingerprint`), or flagged unanchored."""
    if body[span.start : span.end] == span.text:
        if span.body_fingerprint == fingerprint and span.anchored:
            return span
        return dataclasses.replace(span, body_fingerprint=fingerprint, anchored=True)
    candidates = _occurrences(body, span.text) or _loose_occurrences(body, span.text)
    if not candidates:
        return span if not span.anchored else dataclasses.replace(span, anchored=False)
    start, end = min(candidates, key=lambda c: (abs(c[0] - span.start), c[0]))
    return dataclasses.replace(
        span,
        start=start,
        end=end,
        text=body[start:end],
        body_fingerprint=fingerprint,
        anchored=True,
    )
