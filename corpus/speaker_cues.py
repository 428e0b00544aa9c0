"""Reporting cues: where a reporting verb or phrase starts among a sentence's tokens.

`CueReader.cue_at` gives the length of the cue that starts at a token ("said", "according
to", "is expected to warn") from the reporting verbs and phrases of `corpus.quote_lexicon`,
leaving out the words that only look like one ("his calls", "continues to live", "Asked
whether …"); `cue_text` its offsets, extended by an auxiliary chain ("is expected to warn")
and by the object of "told" ("told the BBC").
"""

from __future__ import annotations

from functools import lru_cache

from corpus.lexicon import (
    CALENDAR,
    CUE_CHAIN,
    DETERMINERS,
    NAME_CONNECTORS,
    POSSESSIVE_DETERMINERS,
    STOP_OBJECT,
)
from corpus.quote_lexicon import reporting_verbs
from corpus.speaker_tokens import Token, is_cap, is_possessive


@lru_cache(maxsize=4)
def _phrases_by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Reporting phrases by their first word, in their list order ("is expected to" left out:
    it only extends a cue)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase[0] != "is":
            index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


@lru_cache(maxsize=4)
def _cue_words(reporting: frozenset[str], phrases: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """The words a reporting cue can start with: the verbs and the phrases' first words."""
    return reporting | frozenset(phrase[0] for phrase in phrases if phrase[0] != "is")


class CueReader:
    """The reporting cues of the shipped word lists (one reader serves a whole body)."""

    def __init__(self) -> None:
        self.reporting, phrases = reporting_verbs()
        self._phrases_by_first = _phrases_by_first_word(phrases)
        self._cue_words = _cue_words(self.reporting, phrases)

    def cue_at(self, tokens: list[Token], i: int) -> int:
        """Length of the reporting cue starting at token i (0 when there is none)."""
        token = tokens[i]
        if token.lower not in self._cue_words:
            return 0  # most words: neither a reporting verb nor a phrase's first word
        for phrase in self._phrases_by_first.get(token.lower, ()):
            if i + len(phrase) <= len(tokens) and all(
                tokens[i + k].lower == phrase[k] for k in range(1, len(phrase))
            ):
                return len(phrase)
        if token.lower not in self.reporting:
            return 0
        if token.text in {"Asked", "Asking", "Speaking"}:
            return 0  # a participial opening ("Asked whether …, he said")
        if (
            i + 1 < len(tokens)
            and tokens[i + 1].lower == "to"
            and token.lower.startswith("continu")
        ):
            return 0  # "continues to live": not a reporting verb
        if (
            i > 0
            and tokens[i - 1].lower in DETERMINERS
            and token.lower not in {"accusations", "accusation"}
        ):
            return 0  # "his calls", "a warning": a noun
        if i > 0 and is_possessive(tokens[i - 1]):
            return 0
        return 1

    def cue_text(self, tokens: list[Token], i: int, length: int) -> tuple[int, int]:
        """(start, end) offsets of the cue, extended by "is expected to" and "told X"."""
        start_index = i
        while start_index > 0 and tokens[start_index - 1].lower in CUE_CHAIN:
            start_index -= 1
        if start_index < i and tokens[start_index].lower == "to":
            start_index = i  # a bare infinitive: "to say"
        while start_index < i and tokens[start_index].lower in {
            "to",
            "expected",
            "set",
            "due",
            "going",
        }:
            if tokens[start_index].lower in {"is", "was", "are", "were"}:
                break
            start_index += 1
        end_index = i + length
        head = tokens[i].lower
        if head in {"told", "tells", "tell", "telling"}:
            end_index = self._object_end(tokens, end_index)
        elif (
            head in {"repeated", "reiterated", "renewed"}
            and end_index + 1 < len(tokens)
            and tokens[end_index].lower in POSSESSIVE_DETERMINERS
            and tokens[end_index + 1].lower in self.reporting
        ):
            end_index += 2
        return tokens[start_index].start, tokens[end_index - 1].end

    def _object_end(self, tokens: list[Token], i: int) -> int:
        j = i
        if j < len(tokens) and tokens[j].lower in {"the", "a", "an"}:
            j += 1
        start = j
        while j < len(tokens) and (
            is_cap(tokens[j]) or (j > start and tokens[j].lower in NAME_CONNECTORS)
        ):
            if tokens[j].lower in CALENDAR and (
                j == start or j + 1 >= len(tokens) or not is_cap(tokens[j + 1])
            ):
                break
            j += 1
        if (
            j < len(tokens)
            and tokens[j].text.isalpha()
            and tokens[j].text.islower()
            and tokens[j].lower not in STOP_OBJECT
            and not tokens[j].lower.endswith(("ed", "ing", "ly"))
        ):
            j += 1
        if j == start:
            return i
        return j
