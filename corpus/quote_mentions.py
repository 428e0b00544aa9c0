"""The mentions in the words around a quotation that could be its speaker.

In one run of tokens (the words of one sentence between quotations) a mention is an entity
(PERSON, ORG, GPE, NORP ...), a pronoun ("he", "them"; not "her" as a determiner), a role noun
phrase ("the spokesman", "the British producer": `_role_heads`) or a capitalised name the
entities missed, each with its kind. `kind_of_text` gives the kind of a candidate that the
rules chose rather than the run named.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

from corpus.lexicon import (
    CALENDAR,
    ROLE_NOUNS,
    SENTENCE_INITIAL,
    SPOKES_NOUNS,
    TITLE_WORD_MODIFIERS,
    TITLE_WORDS,
)
from corpus.lexicon import CANDIDATE_PRONOUNS as _PRONOUN_TYPES
from corpus.speaker_tokens import is_cap as _is_cap
from corpus.speaker_tokens import strip_possessive as _strip_possessive

if TYPE_CHECKING:
    from corpus.quote_candidates import Candidate
    from corpus.quote_speakers import QuoteAttributor
    from corpus.speaker_tokens import Token as _Token


@lru_cache(maxsize=1)
def _role_heads() -> frozenset[str]:
    """Lowercase nouns that head a role phrase ("the spokesman", "the British producer")."""
    return ROLE_NOUNS | (TITLE_WORDS - TITLE_WORD_MODIFIERS)


def find_mentions(
    attr: QuoteAttributor, tokens: list[_Token], opens_sentence: bool
) -> list[tuple[int, int, int, int, str]]:
    """(start, end, first token, last token, kind) of every mention in one run (which
    `opens_sentence` or not)."""
    if not tokens:
        return []
    role_heads = _role_heads()
    found: list[tuple[int, int, int, int, str]] = []
    taken: list[tuple[int, int]] = []
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    for entity in attr._entities_in(tokens[0].start, tokens[-1].end):
        first = starts.get(entity.start)
        last = ends.get(entity.end)
        if first is None:
            continue
        if last is None:
            # "Mr Trump’s": the entity ends inside the possessive token.
            last = bisect_left([t.end for t in tokens], entity.end)
            if last >= len(tokens):
                continue
        found.append((entity.start, entity.end, first, last, entity.label.lower()))
        taken.append((entity.start, tokens[last].end))
    n = len(tokens)
    for j, token in enumerate(tokens):
        lower = token.lower
        if lower in _PRONOUN_TYPES:
            if lower == "her" and j + 1 < n and tokens[j + 1].text[:1].isalnum():
                continue  # "her campaign": a determiner
            found.append((token.start, token.end, j, j, _PRONOUN_TYPES[lower]))
            continue
        if token.text.isalpha() and token.text.islower() and lower in role_heads:
            if j + 1 < n and tokens[j + 1].lower in role_heads:
                continue  # "campaign spokesman": the head is the last noun
            span = attr._np_ending_at(tokens, j, 0)
            start = span[0] if span is not None else token.start
            first = starts.get(start, j)
            kind_of = "spokes" if lower in SPOKES_NOUNS else "role"
            found.append((start, token.end, first, j, kind_of))
            continue
        if (
            _is_cap(token)
            and not (j + 1 < n and _is_cap(tokens[j + 1]))
            and lower not in CALENDAR
            and lower not in _PRONOUN_TYPES
        ):
            if any(s <= token.start < e for s, e in taken):
                continue  # the last word of an entity
            span = attr._np_ending_at(tokens, j, 0)
            if span is None:
                continue
            first = starts.get(span[0], j)
            if first == j and lower in SENTENCE_INITIAL:
                continue
            if first == j == 0 and opens_sentence and token.text not in attr.doc.full_names:
                continue  # "Exact figures are …": capitalised only because it opens

            if any(s < span[1] and span[0] < e and span[1] <= e for s, e in taken):
                continue  # the entity itself (a phrase headed after it stays: "the US
                # President" holds "US")
            kind_of = "role" if lower in role_heads else "cap"
            found.append((span[0], span[1], first, j, kind_of))
    return found


def kind_of_text(attr: QuoteAttributor, candidate: Candidate) -> str:
    """What a candidate that is no mention of its window is (a rule's choice, a carried
    speaker): a pronoun kind, "spokes", an entity label, "role", "cap" or "other"."""
    text = attr.doc.body[candidate.start : candidate.end]
    words = text.split()
    if not words:
        return "other"
    if len(words) == 1 and words[0].lower() in _PRONOUN_TYPES:
        return _PRONOUN_TYPES[words[0].lower()]
    head = _strip_possessive(words[-1].lower())
    if head in SPOKES_NOUNS:
        return "spokes"
    entities = attr._entities_in(candidate.start, candidate.end)
    if entities:
        return entities[-1].label.lower()
    if head in ROLE_NOUNS:
        return "role"
    return "cap" if words[-1][:1].isupper() else "other"
