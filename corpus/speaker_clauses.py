"""What a mention does in its clause, read from the characters around it.

`ClauseRoles.looks_like_subject`: whether a mention is a clause subject ("X said", "X, the
chairman, added", the inverted "says X." and "said Sandvine's chief technology officer Marc
Morin."), not the object of a preposition nor a possessor; `speaks`: whether it is the
subject of a reporting verb; `opens_sentence`: whether it starts its sentence, after at most
a title or an opening phrase. Pronoun resolution (`corpus.speaker_pronouns`), the
organisation "the firm" stands for (`corpus.speaker_names`) and the candidate features
(`corpus.quote_candidates`) ask these.
"""

from __future__ import annotations

import re

from corpus.lexicon import (
    ABBREVIATIONS,
    AUX_CHAIN,
    PREPOSITIONS,
    SAY_VERBS,
    SENTENCE_INITIAL,
    TITLE_MODIFIERS,
    TITLE_OR_ROLE,
    TITLE_WORDS,
)
from corpus.quote_lexicon import is_verb_form
from corpus.speaker_tokens import Mention, SpeakerDocument


class ClauseRoles:
    """Clause roles of the mentions of one body (`doc`); `reporting` tells cue words."""

    def __init__(self, doc: SpeakerDocument, reporting: frozenset[str]) -> None:
        self.doc = doc
        self._reporting = reporting
        self._subjects: dict[tuple[int, int], bool] = {}  # `looks_like_subject` per span

    def is_subject(self, mention: Mention) -> bool:
        if mention.subject is None:
            mention.subject = self.looks_like_subject(mention.start, mention.end)
        return mention.subject

    def looks_like_subject(self, start: int, end: int) -> bool:
        """Whether a mention is a clause subject: not after a preposition, not a possessor
        ("Sandvine's chief"), before its verb; or the inverted subject of a say verb ("said
        Sandvine's chief technology officer Marc Morin."). Kept per span: the windows of
        neighbouring quotations share their mentions."""
        found = self._subjects.get((start, end))
        if found is None:
            found = self._subjects[(start, end)] = self._read_subject(start, end)
        return found

    def _read_subject(self, start: int, end: int) -> bool:
        body = self.doc.body
        if body[end : end + 2] in ("’s", "'s") and not _CONTRACTED_IS_RE.match(body, end + 2):
            return False
        before = _PREVIOUS_WORDS_RE.search(body, max(0, start - 60), start)
        if before is not None:
            previous = before.group(2).lower()
            if previous == "and" and before.group(1):
                previous = before.group(1).lower()
            if previous == "to" and body[max(0, start - 16) : start].lower().rstrip().endswith(
                "according to"
            ):
                return True  # the source: "according to John Houlihan, editor of …"
            if previous in PREPOSITIONS:
                return False
            if previous in SAY_VERBS and not before.group(1) and self._ends_clause(end):
                return True  # an inverted subject: "…, says Frederic Sawicki, a lecturer"
            if previous in ("is", "was") and not before.group(1) and self._ends_clause(end):
                return True  # introduced: "The musical's director is Matthew Warchus."
            if self._inverted_after_title(before, start, end):
                return True  # "said Sandvine's chief technology officer Marc Morin."
        match = _NEXT_WORD_RE.match(body, end)
        if match is None or match.group(2) is None:
            return False
        word = match.group(2)
        if match.group(1) and self._predicate_after_appositive(end) is not None:
            return True  # "Jim Lanzone, vice president of search at Ask Jeeves, said"
        if match.group(1):
            # ", the prime minister, said" (an appositive) but not ", he said"; a name set off
            # by commas before its verb is the subject too ("The chief inspector, David Bell,
            # also said").
            if word.lower() in {"the", "a", "an", "who"} or word.isdigit():
                return True
            position = start - 1
            while position >= 0 and body[position] in " \t":
                position -= 1
            return (
                position >= 0
                and body[position] == ","
                and word.islower()
                and self._starts_predicate(word)
            )
        return self._starts_predicate(word)

    def _inverted_after_title(self, before: re.Match[str], start: int, end: int) -> bool:
        """Whether the mention body[start:end] is the inverted subject of a say verb with a
        title between ("said Sandvine's chief technology officer Marc Morin."); `before` is
        the `_PREVIOUS_WORDS_RE` match that ends at `start`."""
        word = before.group(2)
        return (
            (word.lower() in TITLE_OR_ROLE or word[:1].isupper())
            and self._ends_clause(end)
            and _INVERTED_AFTER_TITLE_RE.search(self.doc.body, max(0, start - 100), start)
            is not None
        )

    def _predicate_after_appositive(self, end: int) -> str | None:
        """The verb after an appositive set off by commas right after a mention (", vice
        president of X, said" -> "said"), or None. A participle there opens a clause of the
        sentence's subject ("The Scot defended Beattie, whose …, saying …")."""
        match = _APPOSITIVE_THEN_WORD_RE.match(self.doc.body, end)
        if match is None:
            return None
        word = match.group(1)
        if word.endswith("ing"):
            return None
        return word if self._starts_predicate(word) else None

    def _ends_clause(self, end: int) -> bool:
        """Whether punctuation (or the end) follows a mention: "says X." / "says X, the …",
        not "said X had agreed" (there X is the subject of the reported clause)."""
        body = self.doc.body
        position = end
        while position < len(body) and body[position] in " \t":
            position += 1
        return position >= len(body) or body[position] in ",.;:!?\n)"

    def speaks(self, mention: Mention) -> bool:
        """Whether a person mention is the subject of a reporting verb ("X said", "X, the
        chairman, added", "says X")."""
        body = self.doc.body
        before = _PREVIOUS_WORDS_RE.search(body, max(0, mention.start - 60), mention.start)
        if (
            before is not None
            and not before.group(1)
            and before.group(2).lower() in ("is", "was")
            and self._ends_clause(mention.end)
        ):
            return True  # introduced as the one who speaks next: "The director is X, …"
        if (
            before is not None
            and not before.group(1)
            and before.group(2).lower() in SAY_VERBS | {"that"}
        ):
            # "says X." is an inverted subject; in "said X had agreed" X is the subject of
            # the reported clause, not a speaker.
            return self._ends_clause(mention.end) and before.group(2).lower() != "that"
        if before is not None and self._inverted_after_title(before, mention.start, mention.end):
            return True
        match = _NEXT_WORDS_RE.match(body, mention.end)
        if match is not None:
            words = [w.lower() for w in match.group(1).split()]
            while words and words[0] in AUX_CHAIN:
                words = words[1:]
            if words and words[0] in self._reporting:
                return True
        verb = self._predicate_after_appositive(mention.end)
        if verb is None:
            return False
        return verb.lower() in self._reporting or verb.lower() in AUX_CHAIN

    def _starts_predicate(self, word: str) -> bool:
        """Whether `word` can open a clause's predicate ("said", "has", "also", "warned")."""
        lower = word.lower()
        return (
            lower in AUX_CHAIN
            or lower in self._reporting
            or (word.islower() and is_verb_form(lower))
        )

    def opens_sentence(self, start: int) -> bool:
        """Whether a mention starts its sentence (after at most an opening phrase)."""
        body = self.doc.body
        position = start - 1
        while position >= 0 and body[position] in " \t":
            position -= 1
        if position < 0 or body[position] in '.?!\n”"':
            return True
        # Skip a title before the name: "Foreign Secretary David Lammy", "On Sunday Steve …".
        while position >= 0 and (body[position].isalpha() or body[position] in " ’'."):
            word_end = position + 1
            while position >= 0 and body[position] not in " \t\n":
                position -= 1
            word = body[position + 1 : word_end]
            if word.endswith(".") and len(word) > 2 and word[:-1].lower() not in ABBREVIATIONS:
                return True  # "… said Tom Reed. Former minister David Mills": a new sentence
            if (
                not word[:1].isupper()
                and word.lower() not in TITLE_WORDS
                and word.lower() not in TITLE_MODIFIERS
            ):
                position = word_end - 1
                break
            while position >= 0 and body[position] in " \t":
                position -= 1
        if position < 0 or body[position] in '.?!\n”"':
            return True
        if body[position] != ",":
            return False
        floor = max(0, position - 300)
        sentence_start = max(
            body.rfind(". ", floor, position),
            body.rfind("\n", floor, position),
            body.rfind("? ", floor, position),
            floor - 1,
        )
        opening = body[sentence_start + 1 : position].split()
        if not opening or len(opening) > 25:
            return False
        first = opening[0].strip('“"').lower()
        return first in SENTENCE_INITIAL or first.endswith(("ing", "ed")) or first in PREPOSITIONS


_NEXT_WORD_RE = re.compile(r"(?:[’']s?)?\s*(,)?\s*([A-Za-z0-9]+)?")
# The next two lowercase words after a mention ("has said", "said"), no punctuation between.
_NEXT_WORDS_RE = re.compile(r"[ \t]+((?:[a-z]+)(?:[ \t]+[a-z]+)?)")
# ", <appositive>, <word>" right after a mention: the appositive has no sentence or quote
# punctuation and the word after its closing comma is lowercase ("…, said").
_APPOSITIVE_THEN_WORD_RE = re.compile(r",[ \t]+[^,.;:!?\n“”\"]{2,120}?,[ \t]+([a-z]+)\b")
# The word before a mention, and the word before a "X and" conjunct ("from Sir Keir and").
_PREVIOUS_WORDS_RE = re.compile(
    r"(?:\b([A-Za-z]+)\s+(?:(?:Mr|Mrs|Ms|Sir|Dame|Dr)\.?\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*\s+)?\b([A-Za-z]+)\s*$"
)
# A say verb, then up to six words of a title before a name: "said Sandvine's chief
# technology officer ", "said the England coach " (the name is the inverted subject).
_INVERTED_AFTER_TITLE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(SAY_VERBS)) + r")[ \t]+(?:the[ \t]+)?"
    r"(?:(?!(?:the|a|an|that|of|to|in|on|at|for|with|by|from|and|or|but|he|she|it|they|who"
    r"|which|was|is|were|are|had|has|have|would|will)\b)[A-Za-z][\w’'&\-]*[ \t]+){1,6}$"
)
# After "’s", words that make it "is" or "has", not a possessive ("Curry's pressing ahead").
_CONTRACTED_IS_RE = re.compile(
    r"[ \t]+(?:[a-z]+ing|been|got|not|also|now|already|just|still|never|always)\b"
)
