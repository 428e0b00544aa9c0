"""Finding quotation spans: one linear scan over the quotation marks of a body.

Handles curly “ ” and straight " marks (a straight mark opens when it is followed by a
non-space and closes when it follows one), the low-high marks of German and Czech („…“, also
„…” as in Polish, and single ‚…‘), guillemets both ways round (« … » and German »…«, single
‹…› and ›…‹), one level of nested quotes (‘single’ or a second pair of double marks),
British multi-paragraph quotations (a quote left open at the end of a paragraph continues
when the next paragraph opens with a mark; only the last paragraph closes it), a mark left
unclosed at the end of an article (the quote runs to the end of its paragraph) and a mark
left unclosed before the next quote in the same paragraph (the quote ends at the first
clause break after it).

Paragraphs are separated by one or more newlines, so bodies joined by "\\n\\n" and raw
texts with single-newline paragraphs both work. Every mark is looked at a constant number of
times, so the scan is linear even for a paragraph of a million marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“«„"
CLOSERS = "”»"
STRAIGHT = '"'
# Marks that open a one-level quotation of their own only at the top level (inside an open
# double quotation they are nested quotes and stay inside it): ‚…‘ and the single
# guillemets ‹…› / ›…‹. Each needs its closing mark later in the same paragraph.
SINGLE_OPENERS = "‚‹›"
# What closes a quotation opened by each double mark. German „ closes with “ (or Polish ”);
# a German » (opening only where a « follows) closes with «; English “ and French « close
# with either of the closing marks.
_CLOSERS_FOR = {"„": "“”", "»": "«", "“": CLOSERS, "«": CLOSERS}
_SINGLE_CLOSER_RE = {
    "‚": re.compile(r"‘|’(?![^\W_])"),  # ’ between letters is an apostrophe ("geht’s")
    "‹": re.compile("›"),
    "›": re.compile("‹"),
}
# Every mark that can end a closed quotation (for stripping the marks off its text).
CLOSING_MARKS = "”»«“‘’›‹" + STRAIGHT
QUOTE_MARKS = OPENERS + CLOSERS + STRAIGHT + SINGLE_OPENERS
_WORD_CHAR_RE = re.compile(r"[^\W_]")  # a single quotation needs a word: not "‹ ›" arrows
_MARK_RE = re.compile('[“”«»„"‚‹›]')
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*")
_CLAUSE_BREAK_RE = re.compile(r"[,;:.?!—–]|\s-\s")
_OPENING_CONTEXT = " \t\n([{—–-/"
_SENTENCE_END = ".?!…"

# Mark roles after looking at a mark and its neighbours.
OPEN, CLOSE, BOTH, NONE = 1, 2, 3, 0


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation found by the scan: `body[start:end]` includes its marks.

    `closed` is False when the closing mark is missing; `paragraphs` counts the paragraphs
    a British multi-paragraph quotation spans.
    """

    start: int
    end: int
    closed: bool
    paragraphs: int = 1


def paragraph_bounds(body: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty paragraph: text between newline runs, stripped."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH_BREAK_RE.finditer(body):
        _append_stripped(body, position, match.start(), bounds)
        position = match.end()
    _append_stripped(body, position, len(body), bounds)
    return bounds


def _append_stripped(body: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _role(body: str, index: int, start: int, end: int) -> int:
    """What a mark at `index` can do, given the paragraph [start, end)."""
    char = body[index]
    if char in OPENERS:
        return OPEN
    if char in CLOSERS:
        return CLOSE
    before = body[index - 1] if index > start else " "
    after = body[index + 1] if index + 1 < end else " "
    can_open = before in _OPENING_CONTEXT and not after.isspace()
    can_close = not before.isspace() and (not after.isalnum() or before in ".,?!")
    if before in " \t" and (after.isspace() or not after.isalnum()) and not can_open:
        # A closing mark typed after a space ("… in the end, " said X"): it closes when the
        # words before the space end a clause.
        position = index - 1
        while position > start and body[position] in " \t":
            position -= 1
        if body[position] in ".,?!":
            return CLOSE
    if can_open and can_close:
        return BOTH
    if can_open:
        return OPEN
    if can_close:
        return CLOSE
    if before.isalnum() and after.isalnum():
        return BOTH  # word"word: decided by the state of the scan
    return NONE


def _follows_sentence_end(body: str, index: int, start: int) -> bool:
    position = index - 1
    while position >= start and body[position] in " \t":
        position -= 1
    return position >= start and body[position] in _SENTENCE_END


def _clause_break_end(body: str, open_index: int, limit: int) -> int:
    """Where an unclosed quote should end: its first clause break, else before `limit`."""
    match = _CLAUSE_BREAK_RE.search(body, open_index + 1, limit)
    end = match.start() if match else limit
    while end > open_index + 1 and body[end - 1].isspace():
        end -= 1
    return end


def find_quote_spans(body: str, paragraphs: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """Every top-level quotation in `body`, in order (nested quotes stay inside their host).

    `paragraphs` are the body's `paragraph_bounds`, when the caller has them already.
    """
    if paragraphs is None:
        paragraphs = paragraph_bounds(body)
    spans: list[QuoteSpan] = []
    carried: tuple[int, str, int] | None = None  # (open index, opener, paragraphs so far)
    for number, (start, end) in enumerate(paragraphs):
        carried = _scan_paragraph(body, start, end, carried, spans)
        if carried is None:
            continue
        open_index, opener, count = carried
        next_start = paragraphs[number + 1][0] if number + 1 < len(paragraphs) else None
        if next_start is not None and body[next_start] in OPENERS + STRAIGHT + opener:
            carried = (open_index, opener, count + 1)  # British continuation paragraph
            continue
        spans.append(QuoteSpan(open_index, end, closed=False, paragraphs=count))
        carried = None
    return spans


def _scan_paragraph(
    body: str,
    start: int,
    end: int,
    carried: tuple[int, str, int] | None,
    spans: list[QuoteSpan],
) -> tuple[int, str, int] | None:
    """Scan one paragraph; return the quote still open at its end, if any."""
    marks = [m.start() for m in _MARK_RE.finditer(body, start, end)]
    roles = [_role(body, i, start, end) for i in marks]
    # Suffix counts of marks that can close a curly or a straight quote, so every decision
    # about nesting looks ahead in constant time.
    count = len(marks)
    curly_close_after = [0] * (count + 1)
    straight_close_after = [0] * (count + 1)
    for k in range(count - 1, -1, -1):
        is_curly_close = body[marks[k]] in CLOSERS
        is_straight_close = body[marks[k]] == STRAIGHT and roles[k] in (CLOSE, BOTH)
        curly_close_after[k] = curly_close_after[k + 1] + is_curly_close
        straight_close_after[k] = straight_close_after[k + 1] + is_straight_close
    # Index of the next curly opener at or after k (to test that a nested quote closes
    # before another one opens).
    next_open = [count] * (count + 1)
    for k in range(count - 1, -1, -1):
        next_open[k] = k if body[marks[k]] in OPENERS else next_open[k + 1]
    next_close = [count] * (count + 1)
    for k in range(count - 1, -1, -1):
        next_close[k] = k if body[marks[k]] in CLOSERS else next_close[k + 1]
    # Whether a « follows mark k (a » at the top level then opens a German »…« quote).
    left_guillemet_after = [False] * (count + 1)
    for k in range(count - 1, -1, -1):
        left_guillemet_after[k] = body[marks[k]] == "«" or left_guillemet_after[k + 1]
    single_closer = _SingleCloserFinder(body, end)

    outer: int | None = None
    opener = ""
    paragraphs = 1
    nested = False
    k = 0
    if carried is not None:
        outer, opener, paragraphs = carried
        if count and marks[0] == start and (roles[0] in (OPEN, BOTH) or body[start] == opener):
            k = 1  # the continuation paragraph's reopening mark
    while k < count:
        index, role, char = marks[k], roles[k], body[marks[k]]
        k += 1
        if outer is None:
            if char in SINGLE_OPENERS:
                closer = single_closer.after(char, index)
                if closer < 0 or not _single_mark_opens(body, index, start, end):
                    continue
                if _WORD_CHAR_RE.search(body, index + 1, closer):
                    _close(spans, index, closer + 1, 1)
                # Marks inside the single quotation stay inside it; a pair with no word
                # between ("News›‹", "‹ ›" arrows) is used up without making a quotation.
                while k < count and marks[k] <= closer:
                    k += 1
                continue
            if (
                char == "»"
                and left_guillemet_after[k]
                and index + 1 < end
                and not body[index + 1].isspace()
            ):
                outer, opener, paragraphs, nested = index, char, 1, False
                continue
            if role in (OPEN, BOTH):
                outer, opener, paragraphs, nested = index, char, 1, False
            elif (
                char in CLOSERS
                and (index == start or body[index - 1].isspace())
                and index + 1 < end
                and body[index + 1].isalnum()
                and curly_close_after[k]
            ):
                # A closing mark typed for an opening one ("”Mr. Trump embodies …”").
                outer, opener, paragraphs, nested = index, "“", 1, False
            continue  # a stray closing mark or an inch mark: ignore
        if nested:
            if char in CLOSERS or (char == STRAIGHT and role in (CLOSE, BOTH)):
                nested = False
            continue
        if opener == STRAIGHT:
            if char == STRAIGHT:
                if role in (CLOSE, BOTH):
                    _close(spans, outer, index + 1, paragraphs)
                    outer = None
                elif role == OPEN:
                    if _follows_sentence_end(body, index, start):
                        continue  # a reopening mark of a flattened multi-paragraph quote
                    _cut(spans, outer, _clause_break_end(body, outer, index))
                    outer, paragraphs = index, 1
            elif char in OPENERS:
                if curly_close_after[k]:
                    nested = True
            elif char in CLOSERS and not straight_close_after[k]:
                _close(spans, outer, index + 1, paragraphs)
                outer = None
            continue
        # A curly (or guillemet) quote is open.
        if char in _CLOSERS_FOR[opener]:
            _close(spans, outer, index + 1, paragraphs)
            outer = None
        elif char in SINGLE_OPENERS or char in CLOSERS:
            continue  # a nested single quote, or a closing mark of another style
        elif char in OPENERS:
            first_close = next_close[k]
            closes_twice = first_close < count and next_close[first_close + 1] < next_open[k]
            if _follows_sentence_end(body, index, start) and not closes_twice:
                continue  # a reopening mark inside one quotation
            if closes_twice:
                nested = True
            else:
                _cut(spans, outer, _clause_break_end(body, outer, index))
                outer, opener, paragraphs = index, char, 1
        elif char == STRAIGHT:
            if role in (CLOSE, BOTH) and not curly_close_after[k]:
                _close(spans, outer, index + 1, paragraphs)
                outer = None
            elif role in (OPEN, BOTH) and curly_close_after[k] and straight_close_after[k]:
                nested = True
    if outer is None:
        return None
    return (outer, opener, paragraphs)


class _SingleCloserFinder:
    """The next closing mark of a single quotation in one paragraph, found in linear time.

    Each search starts after the opening mark and its result is kept, so a paragraph of many
    opening marks with few (or no) closing marks is still scanned once per kind of mark.
    """

    def __init__(self, body: str, end: int) -> None:
        self._body = body
        self._end = end
        self._found: dict[str, int] = {}

    def after(self, opener: str, index: int) -> int:
        """Index of the first mark closing `opener` after `index`, or -1."""
        found = self._found.get(opener)
        if found is not None and (found < 0 or found > index):
            return found
        match = _SINGLE_CLOSER_RE[opener].search(self._body, index + 1, self._end)
        position = match.start() if match else -1
        self._found[opener] = position
        return position


def _single_mark_opens(body: str, index: int, start: int, end: int) -> bool:
    """A ‚ opens only after a space or bracket and before a word (else it is a comma glyph)."""
    if body[index] != "‚":
        return True
    before = body[index - 1] if index > start else " "
    return before in _OPENING_CONTEXT and index + 1 < end and not body[index + 1].isspace()


def _cut(spans: list[QuoteSpan], start: int, end: int) -> None:
    """Record an unclosed quote cut short by the next opening mark (if it has words)."""
    if end - start > 1:
        spans.append(QuoteSpan(start, end, False))


def _close(spans: list[QuoteSpan], start: int, end: int, paragraphs: int) -> None:
    if end - start > 2:  # an empty pair of marks is not a quotation
        spans.append(QuoteSpan(start, end, True, paragraphs))
