"""Noun-phrase walking over a sentence's tokens: the subject before a cue, the phrase after.

`PhraseWalker.np_left` walks left from a cue over auxiliaries and adverbs ("has also"), a
parenthesis ("(R-Utah)") and appositives ("David Frost, director general of X, warned") to
the subject; `np_right` reads the noun phrase that starts at a token ("Caddell", "the
spokesman", "9/11 widow Terry Strada", "groups of protesters"), when asked only if a verb
follows it; `np_ending_at` the phrase that ends at one. `subject_before` and
`clause_subject` find a sentence's subject without a cue. All return character spans;
naming them is `corpus.speaker_names`' job.
"""

from __future__ import annotations

from corpus.lexicon import (
    AUX_CHAIN,
    CALENDAR,
    CATENATIVES,
    CONJUNCTION_PREPOSITIONS,
    DETERMINERS,
    HONORIFICS,
    NAME_CONNECTORS,
    NOT_NOUN_HEADS,
    NP_HEAD_NOUNS,
    OBLIQUE_PREPOSITIONS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_NOUNS,
    SENTENCE_INITIAL,
    STOP_OBJECT,
)
from corpus.quote_lexicon import is_verb_form
from corpus.speaker_tokens import SpeakerDocument, Token, is_cap, is_possessive


class PhraseWalker:
    """Noun phrases among the tokens of one body (`doc`); `reporting` tells cue words."""

    def __init__(self, doc: SpeakerDocument, reporting: frozenset[str]) -> None:
        self.doc = doc
        self._reporting = reporting

    def subject_before(self, tokens: list[Token]) -> tuple[int, int] | None:
        """The nearest noun phrase before the cue that is followed by its own verb and not
        governed by a preposition ("European leaders on Saturday piled …, reiterating")."""
        for i in range(len(tokens) - 2, -1, -1):
            token = tokens[i]
            led = token.lower in ("the", "a", "an") and i + 1 < len(tokens)
            if not (is_cap(token) or token.lower in ("they", "he", "she") or led):
                continue
            if i > 0 and (is_cap(tokens[i - 1]) or tokens[i - 1].lower in DETERMINERS):
                continue  # not the start of the phrase
            if (
                i > 0
                and tokens[i - 1].lower in PREPOSITIONS
                and tokens[i - 1].lower not in CONJUNCTION_PREPOSITIONS
                and tokens[i - 1].lower != "with"  # "with the PM using …"
            ):
                continue
            span = self.np_right(tokens, i, need_verb=True)
            if span is None:
                continue
            if token.lower in ("they", "he", "she") or led:
                return span
            if token.lower not in SENTENCE_INITIAL | {"it"}:
                return span
        return None

    def clause_subject(self, tokens: list[Token]) -> tuple[int, int] | None:
        """The subject at the start of the sentence (or after an opening phrase)."""
        starts = [0, *[i + 1 for i, t in enumerate(tokens[:-1]) if t.text == ","][:2]]
        for start in starts:
            span = self.np_right(tokens, start, need_verb=True)
            if span is not None:
                return span
        return None

    def np_left(self, tokens: list[Token], cue_index: int, floor: int) -> tuple[int, int] | None:
        """Offsets of the subject noun phrase ending before `cue_index` (or None).

        Walks left over auxiliaries and adverbs ("has also"), a parenthesis ("(R-Utah)") and
        an appositive or relative clause ("David Frost, director general of X, warned").
        """
        j = cue_index - 1
        while (
            j >= floor
            and not is_cap(tokens[j])
            and (
                tokens[j].lower in AUX_CHAIN
                or (
                    tokens[j].lower in CATENATIVES
                    and j + 1 < len(tokens)
                    and tokens[j + 1].lower == "to"
                )
            )
        ):
            j -= 1  # "has also", "is expected to", "continued to chant"
        j = self._skip_parenthesis(tokens, j, floor)
        if j < floor:
            return None
        appositive: tuple[int, int] | None = None
        for _segment in range(3):  # "Scott Pruitt, the attorney general, one of …, said"
            if j < floor or tokens[j].text != ",":
                break
            k = j - 1
            while k >= floor and k > j - 25 and tokens[k].text not in ",;:":
                k -= 1
            if k < floor or tokens[k].text != "," or k + 1 >= j:
                participle = tokens[cue_index].lower.endswith("ing")
                if appositive is None and not participle and (k < floor or tokens[k].text != ","):
                    j -= 1  # "Peter Ainsworth MP, said:": a comma, no appositive
                    break
                return None
            appositive = (k + 1, j - 1)
            j = self._skip_parenthesis(tokens, k - 1, floor)
            found = self.np_ending_at(tokens, j, floor)
            if found is None or self.doc.body[found[0] : found[1]][:1].isupper():
                break
            # A common-noun appositive ("the attorney general of Oklahoma"): look before it.
            before = j
            while before >= floor and tokens[before].start >= found[0]:
                before -= 1
            if before < floor or tokens[before].text != ",":
                break
            appositive = (before + 1, j)
            j = before - 1  # the comma that opens the appositive
            break
        if j < floor:
            return None
        found = self.np_ending_at(tokens, j, floor)
        if appositive is not None:
            first = tokens[appositive[0]]
            if first.lower == "who" or first.lower == "which":
                return found
            named = self.np_ending_at(tokens, appositive[1], appositive[0])
            if found is None or (
                named is not None
                and is_cap(tokens[appositive[1]])
                and not self.doc.body[found[0] : found[1]].split()[-1][:1].isupper()
            ):
                return named  # "a spokesman, Max Blain, said"
        return found

    @staticmethod
    def _skip_parenthesis(tokens: list[Token], j: int, floor: int) -> int:
        if j >= floor and tokens[j].text == ")":
            k = j - 1
            while k >= floor and k > j - 12 and tokens[k].text != "(":
                k -= 1
            if k >= floor and tokens[k].text == "(":
                return k - 1
        return j

    def np_ending_at(self, tokens: list[Token], j: int, floor: int) -> tuple[int, int] | None:
        """A pronoun, a capitalised name or a determiner-led noun phrase ending at token j."""
        if j < floor:
            return None
        token = tokens[j]
        if token.lower in PRONOUNS:
            return token.start, token.end
        end = token.end
        if is_cap(token) and (token.lower not in CALENDAR or self._calendar_surname(tokens, j)):
            k = j
            while k - 1 >= floor:
                prev = tokens[k - 1]
                if (
                    (is_cap(prev) and prev.lower not in CALENDAR and not is_possessive(prev))
                    or prev.lower in NAME_CONNECTORS
                    or (
                        prev.text == "."
                        and k - 2 >= floor
                        and (tokens[k - 2].lower in HONORIFICS or len(tokens[k - 2].text) == 1)
                    )
                    or (prev.lower == "and" and k - 2 >= floor and is_cap(tokens[k - 2]))
                ):
                    k -= 1
                elif (
                    prev.lower in {"of", "for"}
                    and k - 2 >= floor
                    and is_cap(tokens[k - 2])
                    and tokens[k - 2].lower not in SENTENCE_INITIAL
                    and not tokens[k - 2].lower.endswith("ing")
                ):
                    k -= 1  # "Institute for Fiscal Studies", "Secretary of State"
                else:
                    break
            while k < j and (
                tokens[k].lower in NAME_CONNECTORS
                or tokens[k].lower == "and"
                or tokens[k].text == "."
            ):
                k += 1
            if k > floor and tokens[k - 1].lower == "the":
                k -= 1
            first = tokens[k]
            if k == j and first.lower in SENTENCE_INITIAL:
                return None
            return self._unless_oblique(tokens, k, floor, first.start, end)
        if not (token.text.isalpha() and token.text.islower()):
            return None
        if (
            token.lower in STOP_OBJECT
            or token.lower in self._reporting
            or token.lower in AUX_CHAIN
            or token.lower in NOT_NOUN_HEADS
            or token.lower.endswith("ly")
        ):
            return None
        # A common-noun phrase: back to its determiner (or a possessive name), or a bare
        # plural role noun ("officials said", "European leaders added").
        k = j
        steps = 0
        determined = False
        while k - 1 >= floor and steps < 6:
            prev = tokens[k - 1]
            if prev.lower in DETERMINERS or is_possessive(prev):
                k -= 1
                determined = True
                if is_possessive(prev):
                    # The possessor's own words: "the prime minister's official spokesman".
                    steps = 0
                    while (
                        k - 1 >= floor
                        and steps < 3
                        and tokens[k - 1].text.isalpha()
                        and tokens[k - 1].lower not in STOP_OBJECT
                        and tokens[k - 1].lower not in self._reporting
                        and tokens[k - 1].lower not in AUX_CHAIN
                        and (tokens[k - 1].text.islower() or tokens[k - 1].lower in DETERMINERS)
                    ):
                        k -= 1
                        steps += 1
                        if tokens[k].lower in DETERMINERS:
                            break
                break
            if (
                is_cap(prev)
                or prev.text.isdigit()
                or (
                    prev.text.replace("-", "").isalnum()
                    and prev.text.islower()
                    and prev.lower not in STOP_OBJECT
                    and prev.lower not in self._reporting
                    and prev.lower not in AUX_CHAIN
                )
            ):
                k -= 1
                steps += 1
                continue
            break
        if not determined:
            if token.lower not in ROLE_NOUNS:
                return None
            while k < j and not is_cap(tokens[k]) and not tokens[k].text.isdigit():
                k += 1  # keep capitalised modifiers only: "European leaders"
        return self._unless_oblique(tokens, k, floor, tokens[k].start, end)

    def _unless_oblique(
        self, tokens: list[Token], k: int, floor: int, start: int, end: int
    ) -> tuple[int, int] | None:
        """The phrase (start, end) whose first token is k, unless a preposition governs it.

        "groups of protesters" and "Mr Morgan of the Sierra Club" extend back over "of"; "on
        the ground" and "in Iraq" are not subjects.
        """
        if k <= floor or tokens[k - 1].lower not in OBLIQUE_PREPOSITIONS:
            return start, end
        # A prepositional phrase inside a longer subject: "a narrator in the Clinton ad".
        outer = self.np_ending_at(tokens, k - 2, floor) if k - 2 >= floor else None
        if outer is not None:
            return outer[0], end
        if tokens[k - 1].lower == "of":
            return start, end  # "footage of Trump saying"
        return None

    @staticmethod
    def _calendar_surname(tokens: list[Token], j: int) -> bool:
        """ "May" in "Theresa May": a month or day name right after a capitalised name."""
        if j == 0 or tokens[j].lower not in {"may", "march", "june", "april", "august"}:
            return False
        prev = tokens[j - 1]
        return is_cap(prev) and prev.lower not in CALENDAR and prev.lower not in SENTENCE_INITIAL

    def _is_premodifier(self, token: Token) -> bool:
        text = token.text
        if text.isdigit() or text in "/-":
            return True
        lower = token.lower
        return (
            text.isalpha()
            and text.islower()
            and lower not in STOP_OBJECT
            and lower not in self._reporting
            and lower not in AUX_CHAIN
            and lower not in CALENDAR
        )

    def np_right(
        self, tokens: list[Token], i: int, need_verb: bool = False
    ) -> tuple[int, int] | None:
        """Offsets of the noun phrase starting at token i ("Caddell", "the spokesman")."""
        while i < len(tokens) and (tokens[i].lower in CALENDAR or tokens[i].text in ",—–"):
            i += 1
        if i >= len(tokens):
            return None
        token = tokens[i]
        if not (token.lower in PRONOUNS or token.lower in DETERMINERS or is_cap(token)):
            # Lowercase or numeric modifiers before a name: "9/11 widow Terry Strada".
            m = i
            while m < len(tokens) and m < i + 5 and self._is_premodifier(tokens[m]):
                m += 1
            if m == i or m >= len(tokens) or not is_cap(tokens[m]):
                return None
            inner = self.np_right(tokens, m, need_verb)
            return (token.start, inner[1]) if inner is not None else None
        end_index: int
        if token.lower in PRONOUNS:
            end_index = i + 1
        elif token.lower in DETERMINERS or is_cap(token):
            j = i + 1 if token.lower in DETERMINERS else i
            head = None
            while j < len(tokens) and j < i + 8:
                t = tokens[j]
                if is_cap(t) and (t.lower not in CALENDAR or self._calendar_surname(tokens, j)):
                    head = j
                    if is_possessive(t):
                        j += 1
                        continue
                elif (
                    (t.text == "." and j > i and tokens[j - 1].lower in HONORIFICS)
                    or t.lower in NAME_CONNECTORS
                    or (
                        t.lower == "and"
                        and head is not None
                        and j + 1 < len(tokens)
                        and is_cap(tokens[j + 1])
                    )
                ):
                    pass
                elif t.text.isalpha() and t.text.islower() and t.lower in NP_HEAD_NOUNS:
                    head = j  # "the spokesman", "An All England club spokesperson"
                elif (
                    t.text.isalpha()
                    and t.text.islower()
                    and token.lower in DETERMINERS
                    and not is_verb_form(t.lower)
                    and t.lower not in STOP_OBJECT
                    and head is None
                ):
                    pass  # an adjective before the head: "a senior official"
                else:
                    break
                j += 1
            if head is None:
                return None
            end_index = head + 1
            if (
                token.lower not in DETERMINERS
                and token.lower in SENTENCE_INITIAL
                and end_index == i + 1
            ):
                return None
        else:
            return None
        if end_index + 1 < len(tokens) and tokens[end_index].lower == "of":
            # "Small groups of protesters", "Mr Morgan of the Sierra Club".
            inner = self.np_right(tokens, end_index + 1)
            noun = tokens[end_index + 1]
            if (
                inner is None
                and noun.text.isalpha()
                and noun.text.islower()
                and (
                    noun.lower in ROLE_NOUNS
                    or (noun.lower.endswith("s") and noun.lower not in STOP_OBJECT)
                )
            ):
                inner = (noun.start, noun.end)  # "groups of protesters"
            if inner is not None:
                while end_index < len(tokens) and tokens[end_index].end <= inner[1]:
                    end_index += 1
        if need_verb:
            verb_index = end_index
            if verb_index < len(tokens) and tokens[verb_index].text == "(":
                while verb_index < len(tokens) and tokens[verb_index].text != ")":
                    verb_index += 1
                verb_index += 1
            if (
                verb_index + 1 < len(tokens)
                and tokens[verb_index].lower in {"on", "last", "this"}
                and tokens[verb_index + 1].lower in CALENDAR
            ):
                verb_index += 2
            if verb_index >= len(tokens):
                return None
            nxt = tokens[verb_index].lower
            if nxt == "to" or not (
                nxt in AUX_CHAIN
                or nxt in self._reporting
                or is_verb_form(nxt)
                or nxt.endswith("ed")
            ):
                return None
            if i > 0 and tokens[i - 1].lower == "with" and not nxt.endswith("ing"):
                return None  # "with Mr Zelensky": only "with X doing" has a subject
        return tokens[i].start, tokens[end_index - 1].end
