"""Selecting text of an article body from the keyboard, by words and sentences.

A selection is a range of the body that starts at a word's start and ends at a word's end
(`TextSelection`); the selection bar (`tui.screens.select`) moves and extends it with these
pure functions, so they can be tested without a terminal:

- `moved(sel, ±1)`: the next / previous word alone;
- `extended(sel, ±1)`: the end one word further / back (never before the first word);
- `to_sentence_end(sel, ±1)`: the end to the end of this (or the next) sentence / back one;
- `sentence_of(sel)`: the whole sentence the selection starts in.

Words are runs of letters and digits, with inner hyphens, dots, commas, ampersands and
slashes ("U.S", "1,000", "AT&T") and a currency sign or per cent sign stuck to them; an
apostrophe ends a word, so "Starmer's" selects as "Starmer" then "s". Sentences end at
., ! or ? (with closing quotation marks) before white space, and at paragraph breaks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[$£€¥]?\w+(?:[-.,&/]\w+)*%?")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[^\s\w]|\s+[^\W\d_a-z]|\s*$)|\n\n")
_CLOSING = re.compile(r"[.!?…]*[\"'”’)\]]*")


@dataclass(frozen=True, slots=True)
class TextSelection:
    """`body[start:end]`: from the start of word `first` to the end of word `last`."""

    first: int
    last: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class BodyText:
    """The words and sentence ends of one body, found once."""

    body: str
    word_starts: tuple[int, ...]
    word_ends: tuple[int, ...]
    sentence_ends: tuple[int, ...]  # offsets just past each sentence's last character

    def select(self, first: int, last: int, *, closing: bool = False) -> TextSelection:
        """Words `first` to `last`; `closing` takes the punctuation and quotation marks that
        close the last word's sentence too (a whole sentence ends with its full stop)."""
        first = min(max(first, 0), len(self.word_starts) - 1)
        last = min(max(last, first), len(self.word_starts) - 1)
        end = self.word_ends[last]
        if closing:
            found = _CLOSING.match(self.body, end)
            end = found.end() if found else end
        return TextSelection(first, last, self.word_starts[first], end)

    def word_at(self, offset: int) -> int:
        """The word at `offset`, or the first one after it (the last word at the end)."""
        index = bisect.bisect_right(self.word_starts, offset) - 1
        if index < 0 or offset >= self.word_ends[index]:
            index += 1
        return min(max(index, 0), len(self.word_starts) - 1)

    def covering(self, start: int, end: int) -> TextSelection | None:
        """The words that `body[start:end]` touches (a found span, to start selecting from)."""
        if not self.word_starts:
            return None
        first = self.word_at(start)
        last = max(first, bisect.bisect_left(self.word_starts, end) - 1)
        return self.select(first, last)

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        """(first word, last word) of the sentence that holds `offset`."""
        ends = self.sentence_ends
        index = bisect.bisect_right(ends, offset)
        begin = ends[index - 1] if index > 0 else 0
        finish = ends[index] if index < len(ends) else len(self.body)
        first = bisect.bisect_left(self.word_starts, begin)
        last = bisect.bisect_left(self.word_starts, finish) - 1
        first = min(first, len(self.word_starts) - 1)
        return first, max(first, last)


@lru_cache(maxsize=8)
def body_text(body: str) -> BodyText:
    """The words and sentences of `body` (cached: a few articles are selected in at a time)."""
    starts: list[int] = []
    ends: list[int] = []
    for match in _WORD.finditer(body):
        starts.append(match.start())
        ends.append(match.end())
    sentence_ends = tuple(m.end() for m in _SENTENCE_END.finditer(body))
    return BodyText(body, tuple(starts), tuple(ends), sentence_ends)


def start_selection(text: BodyText, start: int, end: int | None = None) -> TextSelection | None:
    """A selection of the words of `body[start:end]`, or of the word at `start`."""
    if not text.word_starts:
        return None
    if end is not None and end > start:
        return text.covering(start, end)
    index = text.word_at(start)
    return text.select(index, index)


def moved(text: BodyText, sel: TextSelection, step: int) -> TextSelection:
    """The word `step` words after (before, when negative) the selection, alone."""
    index = sel.last + step if step > 0 else sel.first + step
    index = min(max(index, 0), len(text.word_starts) - 1)
    return text.select(index, index)


def extended(text: BodyText, sel: TextSelection, step: int) -> TextSelection:
    """The selection with its end `step` words further (or back; never before `first`)."""
    return text.select(sel.first, max(sel.first, sel.last + step))


def to_sentence_end(text: BodyText, sel: TextSelection, step: int) -> TextSelection:
    """The end moved to the end of the sentence (step 1: this one, or the next one when the
    selection ends a sentence already; step -1: back to the end of the previous sentence)."""
    if step > 0:
        _, last = text.sentence_bounds(text.word_starts[sel.last])
        if last == sel.last and last + 1 < len(text.word_starts):
            _, last = text.sentence_bounds(text.word_starts[last + 1])
        return text.select(sel.first, last, closing=True)
    first_of_sentence, _ = text.sentence_bounds(text.word_starts[sel.last])
    if first_of_sentence > sel.first:
        return text.select(sel.first, first_of_sentence - 1, closing=True)
    return text.select(sel.first, sel.first)


def sentence_of(text: BodyText, sel: TextSelection) -> TextSelection:
    """The whole sentence the selection starts in."""
    first, last = text.sentence_bounds(sel.start)
    return text.select(first, last, closing=True)
