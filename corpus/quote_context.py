"""The text around a quotation, as units numbered by paragraph and sentence.

The speaker candidates of a quotation (`corpus.quote_candidates`) come from a window around
it: from the paragraph before (at most `BEFORE_CHARS`) to the paragraph after (at most
`AFTER_CHARS`). The window is read as units: the attributor's tokens outside quotations,
and one stand-in unit for each quotation, numbered by paragraph and sentence (a paragraph
break ends a sentence; a quotation that ends its sentence does too when a capital follows).
The units of every wanted quotation's window are made once per body (`window_units` gives a
window as a slice), with each sentence's range and, on demand, whether a sentence holds a
reporting cue or a quotation (`sentence_facts`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.quote_speakers import QuoteAttributor
    from corpus.speaker_tokens import Token as _Token

    _Unit = _Token  # a token outside quotations, or a quotation's stand-in (`quote` >= 0)

# How far the context of a quotation reaches, in characters, on each side.
BEFORE_CHARS = 600
AFTER_CHARS = 450


class QuoteContext:
    """The units around the quotations of one attributor's body."""

    def __init__(self, attributor: QuoteAttributor, kinds: Sequence[str] = ()) -> None:
        self.attr = attributor
        self.doc = attributor.doc
        self.kinds = kinds
        self._all_units: list[_Unit] | None = None
        self.unit_starts: list[int] = []
        self._quote_unit: dict[int, int] = {}
        self._sentence_ranges: dict[int, list[int]] = {}  # sentence -> [first, end) units
        self.offset = 0  # where the last window `window_units` gave starts among all units
        # (first, end) of a sentence's units in all units -> (its tokens have a cue, it
        # holds a quotation)
        self._sentence_facts: dict[tuple[int, int], tuple[bool, bool]] = {}

    def wanted(self, number: int) -> bool:
        """Whether the model chooses the speaker of quotation `number`: a direct quotation
        that is a quoted sentence (it opens its sentence, its words begin with a capital, or
        its own full stop ends the sentence).
        A fragment woven into the reporter's sentence ("… claimed it would “stop the
        killing”") keeps the rules' choice: PolNeAR rarely lists such fragments as direct
        quotations, so the model has not learnt them, and the rules were tuned on them."""
        if number < len(self.kinds) and self.kinds[number] != "direct":
            return False
        quote = self.doc.quotes[number]
        if self.starts_with_capital(quote.start, quote.end):
            return True
        if self.attr._inner_last(quote) in ".?!":
            return True  # it ends its sentence, full stop inside (US style): PolNeAR lists these
        body = self.doc.body
        position = quote.start - 1
        while position >= 0 and body[position] in " \t":
            position -= 1
        return position < 0 or body[position] in '.?!\n”"…'

    def starts_with_capital(self, start: int, end: int) -> bool:
        """Whether the quoted words begin with a capital letter (a quoted sentence)."""
        body = self.doc.body
        for position in range(start + 1, min(end, start + 6)):
            char = body[position]
            if char.isalpha():
                return char.isupper()
            if char.isdigit():
                return True
        return False

    def window(self, number: int) -> tuple[int, int]:
        """(start, end) of the text around quotation `number` that its candidates come from:
        from the paragraph before (at most BEFORE_CHARS) to the paragraph after."""
        doc = self.doc
        attr = self.attr
        quote = doc.quotes[number]
        starts = doc.paragraph_starts
        first_paragraph = attr._paragraph_of(quote.start)
        after_paragraph = attr._paragraph_of(quote.end - 1) + 2
        window_start = max(starts[max(0, first_paragraph - 1)], quote.start - BEFORE_CHARS)
        window_end = min(
            starts[after_paragraph] if after_paragraph < len(starts) else len(doc.body),
            quote.end + AFTER_CHARS,
        )
        return window_start, window_end

    def window_units(self, number: int) -> tuple[list[_Unit], int]:
        """The units of the window around quotation `number`, and the index of its unit.

        The units (tokens outside quotations, and the quotations) of every quotation's window
        are made and numbered once per body; a window is a slice of them.
        """
        if self._all_units is None:
            self._index_units()
        assert self._all_units is not None
        target = self._quote_unit.get(number, -1)
        if target < 0:
            return [], -1
        window_start, window_end = self.window(number)
        low = bisect_left(self.unit_starts, window_start)
        high = bisect_left(self.unit_starts, window_end)
        self.offset = low
        return self._all_units[low:high], target - low

    def sentence_span(self, sentence: int, count: int) -> tuple[int, int]:
        """(first, end) indices of a sentence's units in the last window `window_units` gave (of
        `count` units); (0, 0) when none of them is there. Units are in sentence order."""
        found = self._sentence_ranges.get(sentence)
        if found is None:
            return 0, 0
        first = max(found[0] - self.offset, 0)
        end = min(found[1] - self.offset, count)
        return (first, end) if first < end else (0, 0)

    def three_sentences(self, sentence: int, count: int) -> tuple[int, int]:
        """(first, end) of the units of the sentences before, of and after `sentence`."""
        spans = [self.sentence_span(s, count) for s in (sentence - 1, sentence, sentence + 1)]
        present = [span for span in spans if span[1] > span[0]]
        if not present:
            return 0, 0
        return present[0][0], present[-1][1]

    @staticmethod
    def runs(units: list[_Unit], sentence: int, bounds: tuple[int, int]) -> list[tuple[int, int]]:
        """(start, end) unit ranges of tokens between quotations, one sentence each, in the
        sentences from the one before the quote's to the one after it (all within
        `bounds`)."""
        runs: list[tuple[int, int]] = []
        start = -1
        first, end = bounds
        for i in range(first, end):
            unit = units[i]
            inside = unit.quote < 0 and sentence - 1 <= unit.sentence <= sentence + 1
            if start >= 0 and (
                not inside or unit.sentence != units[start].sentence or unit.quote >= 0
            ):
                runs.append((start, i))
                start = -1
            if inside and start < 0:
                start = i
        if start >= 0:
            runs.append((start, end))
        return runs

    def sentence_facts(self, units: list[_Unit], sentence: int) -> tuple[bool, bool]:
        """Whether the units of `sentence` in this window hold a reporting cue, and a
        quotation ("… And Yelling says: “…”" names the speaker of the quote after it)."""
        first, end = self.sentence_span(sentence, len(units))
        key = (first + self.offset, end + self.offset)
        found = self._sentence_facts.get(key)
        if found is None:
            tokens = [u for u in units[first:end] if u.quote < 0]
            found = (
                any(self.attr._cue_at(tokens, k) for k in range(len(tokens))),
                len(tokens) < end - first,
            )
            self._sentence_facts[key] = found
        return found

    def _index_units(self) -> None:
        """The tokens (shared with the rules) of the union of the wanted quotations' windows,
        with a stand-in for each quotation there, numbered by paragraph and sentence once."""
        from corpus.speaker_tokens import Token as _Token

        doc = self.doc
        attr = self.attr
        regions: list[list[int]] = []
        for number in range(len(doc.quotes)):
            if not self.wanted(number):
                continue
            start, end = self.window(number)
            if regions and start <= regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], end)
            else:
                regions.append([start, end])
        units: list[_Unit] = []
        k = 0
        for region_start, region_end in regions:
            tokens = attr._window_tokens(region_start, region_end)
            while k < len(doc.quotes) and doc.quotes[k].start < region_start:
                k += 1
            t = 0
            while k < len(doc.quotes) and doc.quotes[k].start < region_end:
                quote = doc.quotes[k]
                while t < len(tokens) and tokens[t].start < quote.start:
                    units.append(tokens[t])
                    t += 1
                self._quote_unit[k] = len(units)
                units.append(
                    _Token(
                        quote.start,
                        quote.end,
                        "",
                        "",
                        quote=k,
                        paragraph=attr._paragraph_of(quote.start),
                    )
                )
                k += 1
            units.extend(tokens[t:])
        self._number_paragraphs_and_sentences(units)
        self._all_units = units
        self.unit_starts = [u.start for u in units]
        ranges = self._sentence_ranges
        for i, unit in enumerate(units):
            found = ranges.get(unit.sentence)
            if found is None:
                ranges[unit.sentence] = [i, i + 1]
            else:
                found[1] = i + 1

    def _number_paragraphs_and_sentences(self, units: list[_Unit]) -> None:
        """Number the units' paragraphs and sentences (a paragraph break ends a sentence)."""
        attr = self.attr
        body = self.doc.body
        starts = self.doc.paragraph_starts
        sentence = 0
        in_sentence = False  # whether the current sentence has a unit yet
        paragraph = -1
        next_start = -1  # where the paragraph after the current one starts
        past_end = len(body) + 1
        count = len(starts)
        for i, unit in enumerate(units):
            if unit.quote < 0:
                # Paragraph numbers change only past the next paragraph's start.
                if paragraph < 0 or unit.start >= next_start:
                    new_paragraph = bisect_left(starts, unit.start + 1) - 1
                    if new_paragraph != paragraph and in_sentence:
                        sentence += 1
                    paragraph = new_paragraph
                    next_start = starts[paragraph + 1] if paragraph + 1 < count else past_end
                unit.paragraph = paragraph
                unit.sentence = sentence
                in_sentence = True
                text = unit.text
                if (text == "." or text == "?" or text == "!") and self._token_ends_sentence(
                    units, i
                ):
                    sentence += 1
                    in_sentence = False
                continue
            if paragraph >= 0 and unit.paragraph != paragraph and in_sentence:
                sentence += 1
            paragraph = attr._paragraph_of(unit.end - 1)
            next_start = starts[paragraph + 1] if paragraph + 1 < count else past_end
            unit.sentence = sentence
            in_sentence = True
            if self._quote_ends_sentence(unit) and i + 1 < len(units):
                following = units[i + 1]
                if following.quote >= 0 or following.text[:1].isupper():
                    sentence += 1
                    in_sentence = False

    def _token_ends_sentence(self, units: list[_Unit], i: int) -> bool:
        from corpus.lexicon import ABBREVIATIONS

        token = units[i]
        body = self.doc.body
        if token.end < len(body) and not body[token.end].isspace() and body[token.end] not in '”"’':
            return False
        if token.text == "." and i > 0:
            prev = units[i - 1] if units[i - 1].quote < 0 else None
            if prev is not None and (
                prev.lower in ABBREVIATIONS or (len(prev.text) == 1 and prev.text.isupper())
            ):
                return False
        return True

    def _quote_ends_sentence(self, unit: _Unit) -> bool:
        quote = self.doc.quotes[unit.quote]
        return not quote.closed or self.attr._inner_last(quote) in ".?!…"
