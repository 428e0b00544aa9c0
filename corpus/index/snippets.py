"""Search snippets: the one-line window of an article shown under a hit, words marked.

`word_snippet` cuts the window in Python around the first word that starts with one of the
query's stems (`highlight_stems`): microseconds an article, where FTS5's `snippet()`
re-tokenises the whole article. FTS5's snippet, its markers stripped (`snippet_offsets`),
serves the hits whose words only the stemmer matched.
"""

from __future__ import annotations

from collections.abc import Sequence

SNIPPET_OPEN = "\x01"
SNIPPET_CLOSE = "\x02"
"""Highlight markers: control characters `textsafe.make_safe` removes from every text."""

_SUFFIXES = ("ing", "ies", "es", "ed", "ly", "s")


def highlight_stems(words: Sequence[str]) -> tuple[str, ...]:
    """Lower-case word starts to mark: each word with a plural or -ing ending stripped."""
    stems: set[str] = set()
    for word in words:
        word = word.lower()
        for suffix in _SUFFIXES:
            if len(word) - len(suffix) >= 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        if word:
            stems.add(word)
    return tuple(sorted(stems, key=len, reverse=True))


def _word_starts(lowered: str, stems: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of every word in `lowered[start:end]` that begins with one of `stems`."""
    found: list[tuple[int, int]] = []
    for stem in stems:
        at = lowered.find(stem, start, end)
        while at >= 0:
            if at == 0 or not lowered[at - 1].isalnum():
                stop = at + len(stem)
                while stop < len(lowered) and (lowered[stop].isalnum() or lowered[stop] == "_"):
                    stop += 1
                if stop <= end:
                    found.append((at, stop))
            at = lowered.find(stem, at + 1, end)
    found.sort()
    merged: list[tuple[int, int]] = []
    for span in found:  # a shorter stem inside a longer one's word: keep one span
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


def word_snippet(
    text: str, stems: Sequence[str], width: int = 160
) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """A one-line window of `text` around the first word starting with one of `stems`.

    Returns the snippet and the (start, end) of every such word inside it. Plain `str.find`
    on the lower-cased text: a regex with word boundaries costs ten times more here.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character whose lower case is longer
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    firsts = _word_starts(lowered, stems, 0, len(lowered))
    if not firsts:
        return None
    first_start, first_end = firsts[0]
    start = max(0, first_start - width // 3)
    if start > 0:
        space = text.find(" ", start, first_start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first_end, end)
        end = space if space > 0 else end
    prefix = "…" if start > 0 else ""
    snippet = prefix + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
    shift = len(prefix) - start
    marks = tuple((a + shift, b + shift) for a, b in firsts if a >= start and b <= end)
    return snippet, marks


def snippet_offsets(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Strip FTS5's highlight markers from `marked`, returning the text and highlight spans."""
    pieces = marked.replace("\n", " ").split(SNIPPET_OPEN)
    out = [pieces[0].replace(SNIPPET_CLOSE, "")]
    position = len(out[0])
    spans: list[tuple[int, int]] = []
    for piece in pieces[1:]:
        inside, _, after = piece.partition(SNIPPET_CLOSE)
        spans.append((position, position + len(inside)))
        out.append(inside)
        out.append(after)
        position += len(inside) + len(after)
    return "".join(out), tuple(spans)
