"""Pronouns: the person "he" or "she" refers to, the people "they" or "the pair" are.

`PronounResolver` keeps the speakers of the quotations attributed so far (`note_speaker`), the
most salient referents, and the names the current quotation speaks of (`enter_quote`), who
are not its speaker. "he"/"she" is the nearest person of a compatible gender (honorifics and
first names) that opens a sentence or speaks, else the last such speaker, within the paragraph
and the three before; "they"/"we" the last two people joined by "and", else the last two
named, else the last group that spoke.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from corpus.quote_spans import QuoteSpan
from corpus.speaker_clauses import ClauseRoles
from corpus.speaker_tokens import (
    MAX_CANDIDATES,
    Attribution,
    Mention,
    SpeakerDocument,
    strip_possessive,
)


class PronounResolver:
    """Pronouns of one body (`doc`), resolved quotation by quotation, in order."""

    def __init__(self, doc: SpeakerDocument, clauses: ClauseRoles) -> None:
        self.doc = doc
        self.clauses = clauses
        self._speaker_events: list[tuple[int, str, str | None]] = []
        self._plural_events: list[tuple[int, str, str | None]] = []
        self.named_in_quote: frozenset[str] = frozenset()  # capitalised words of the quote

    def enter_quote(self, quote: QuoteSpan) -> None:
        """Make `quote` the quotation being attributed: the names it speaks of (its
        capitalised words) are no candidates for "he" and "she" (`resolve_pronoun`)."""
        self.named_in_quote = frozenset(
            strip_possessive(word)
            for word in _CAPITALISED_WORD_RE.findall(self.doc.body, quote.start + 1, quote.end)
            if word != "I"
        )

    def note_speaker(self, position: int, result: Attribution) -> None:
        """Remember who spoke the quotation at `position`: people joined by "and" or a
        group for "they", a person or a spokesperson for "he" and "she"."""
        speaker = result.speaker
        if speaker is None:
            return
        if " and " in speaker or (
            not result.is_person
            and speaker.endswith("s")
            and speaker[-2:] != "ss"
            and speaker.split()[-1].islower()
        ):
            self._plural_events.append((position, speaker, None))
        elif result.is_person or speaker.endswith("spokesperson"):
            self._speaker_events.append((position, speaker, result.gender))

    def resolve_pronoun(self, pronoun: str, position: int) -> tuple[str | None, str | None, bool]:
        if pronoun in {"i", "you", "it"}:
            return None, None, False
        if pronoun in {"they", "we"}:
            return self.resolve_plural(position), None, False
        gender = "m" if pronoun == "he" else "f"
        if self.named_in_quote:
            # Someone the quotation speaks of by name ("I said to Harry …") is not its speaker.
            found = self._resolve_person_pronoun(gender, position, self.named_in_quote)
            if found is not None:
                return found, gender, True
        found = self._resolve_person_pronoun(gender, position, frozenset())
        return (found, gender, True) if found is not None else (None, None, False)

    def _resolve_person_pronoun(
        self, gender: str, position: int, skip: frozenset[str]
    ) -> str | None:
        """The person "he" or "she" at `position` refers to, leaving out the people whose
        first name or surname is in `skip`."""
        doc = self.doc
        paragraph = self.doc.paragraph_of(position)
        horizon = doc.paragraph_starts[max(0, paragraph - 3)]
        k = bisect_left(doc.person_starts, position)

        def skipped(m: Mention) -> bool:
            words = m.name.split()
            return bool(skip) and bool(words) and (words[0] in skip or words[-1] in skip)

        # The speaker of an earlier quotation and the subject that opens a sentence are the
        # most salient referents; the nearest of them with a compatible gender wins.
        best_event = self._latest_event(self._speaker_events, position, horizon, gender)
        for m in self._persons_before(k):
            if m.start < horizon or (best_event is not None and m.start < best_event[0]):
                break
            if (
                m.gender in (None, gender)
                and not skipped(m)
                and self.clauses.is_subject(m)
                and (self.clauses.opens_sentence(m.start) or self.clauses.speaks(m))
            ):
                return m.name
        if best_event is not None:
            return best_event[1]
        fallback: Mention | None = None
        for m in self._persons_before(k):
            if m.start < horizon:
                break
            if m.gender not in (None, gender) or skipped(m):
                continue
            if self.clauses.is_subject(m):
                return m.name
            if fallback is None:
                fallback = m
        if fallback is not None:
            return fallback.name
        for m in self._persons_before(k):
            if m.gender == gender and not skipped(m):
                return m.name
        return None

    def _persons_before(self, k: int) -> Iterator[Mention]:
        """The person mentions before index k, nearest first, at most MAX_CANDIDATES of
        them (so a body of very many quotes and names stays linear)."""
        persons = self.doc.persons
        for idx in range(k - 1, max(-1, k - 1 - MAX_CANDIDATES), -1):
            yield persons[idx]

    @staticmethod
    def _latest_event(
        events: list[tuple[int, str, str | None]], position: int, horizon: int, gender: str | None
    ) -> tuple[int, str, str | None] | None:
        """The last event before `position` (and not before `horizon`) of a compatible gender.

        Events are appended in text order, so a binary search finds the start; the walk back
        stops at the horizon, which keeps a body of many quotes linear.
        """
        k = bisect_left(events, (position,)) - 1
        stop = k - MAX_CANDIDATES
        while k >= 0 and k > stop and events[k][0] >= horizon:
            if gender is None or events[k][2] in (None, gender):
                return events[k]
            k -= 1
        return None

    def resolve_plural(self, position: int) -> str | None:
        """ "they"/"the pair": the last two people joined by "and", else the last two named."""
        doc = self.doc
        persons = doc.persons
        k = bisect_left(doc.person_starts, position)
        body = doc.body
        paragraph = self.doc.paragraph_of(position)
        horizon = doc.paragraph_starts[max(0, paragraph - 1)]
        plural = self._latest_event(self._plural_events, position, horizon, None)
        latest_event = (plural[0], plural[1]) if plural is not None else None
        for idx in range(k - 1, max(0, k - 1 - MAX_CANDIDATES), -1):
            second, first = persons[idx], persons[idx - 1]
            if first.start < horizon or (
                latest_event is not None and second.start < latest_event[0]
            ):
                break
            if body[first.end : second.start].strip() in {"and", "&"} and first.name != second.name:
                return f"{first.name} and {second.name}"
        paragraph_start = doc.paragraph_starts[paragraph]
        names: list[str] = []
        for m in self._persons_before(k):
            if m.start < paragraph_start or (
                latest_event is not None and m.start < latest_event[0]
            ):
                break
            if m.name not in names:
                names.append(m.name)
            if len(names) == 2:
                return f"{names[1]} and {names[0]}"
        if latest_event is not None:
            return latest_event[1]
        return None


_CAPITALISED_WORD_RE = re.compile(r"\b[A-Z][\w’'\-]*")
