"""Direct quotation or scare quote: the syntactic rule of the gold notes.

A quotation is *direct* when the quoted words form a clause or a verb phrase (finite or
non-finite); it is a *scare* quote when it is a single word or a phrase with no verb (a
noun, adjective or adverb phrase used as a term or label). The test looks for verbs with
evidence that needs no tagger: auxiliaries and modals, verb contractions, a subject pronoun,
"to" + a verb, "not"/"never" + a base-form verb ("not stand by"), a verb first in the quote
followed by something a verb governs, a finite verb after a noun in a longer quote (a
base-form verb after a plural noun: "families go hungry"). Long quotations are direct.
Base forms come from the CoNLL-2003 tag counts (`corpus.quote_lexicon.is_base_verb`).
"""

from __future__ import annotations

import re
from itertools import pairwise

from corpus.quote_lexicon import (
    base_verb_counts,
    is_base_verb,
    is_verb_form,
    mostly_verb,
    verb_counts,
)


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a word-list literal."""
    return text.split()


_WORD_RE = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*", re.UNICODE)

AUXILIARIES = frozenset(
    _words(
        """am is are was were be been being has have had having do does did done doing will would
    shall should can could may might must cannot ought"""
    )
)
CONTRACTIONS = ("n’t", "n't", "’re", "'re", "’ve", "'ve", "’ll", "'ll", "’m", "'m", "’d", "'d")
SUBJECT_PRONOUNS = frozenset(["i", "we", "you", "he", "she", "they"])
# Words after "’s" that show it is "is"/"has", not a possessive.
_IS_AFTER_PRONOUN = frozenset(
    ["it", "that", "there", "here", "what", "who", "he", "she", "where", "how"]
)
DETERMINERS = frozenset(
    _words(
        """a an the this that these those his her their its our my your some any no every each all
    both such"""
    )
)
OBJECT_WORDS = frozenset(
    _words(
        """me us him them it itself himself herself themselves ourselves myself nothing something
    anything everything everyone anyone nobody somebody that what how why whether if up down
    out off in on into onto for to with at by from over back away together forward ahead
    through about against around"""
    )
)
# Participles and -ing words that are nearly always adjectives in news copy.
ADJECTIVAL = frozenset(
    _words(
        """united elected lasting outdated limited detailed so-called alleged armed skilled
    qualified developed sophisticated unprecedented interested concerned balanced renewed
    sustained extended ongoing leading outstanding amazing exciting interesting
    disappointing growing existing upcoming missing rising living remaining ruling governing
    founding devastating shocking striking compelling damning misleading staggering
    unfounded biased rigged failed failing broken troubled embattled coordinated organised
    organized advanced increased reduced fixed mixed unrelenting relentless enduring binding"""
    )
)
_LONG_QUOTE_WORDS = 10
_CLAUSE_SUBJECTS = frozenset(
    _words("""that this it what who which there everything nothing everyone""")
)
_SPLIT_ADVERBS = frozenset(["ever", "never", "not", "also", "really", "just", "even", "actually"])


def quote_words(text: str) -> list[str]:
    """The words of a quote's text (marks and punctuation dropped)."""
    return _WORD_RE.findall(text)


def classify_quote(text: str) -> str:
    """ "direct" or "scare" for the words between the quotation marks."""
    words = quote_words(text)
    if len(words) <= 1:
        return "scare"
    if len(words) >= _LONG_QUOTE_WORDS:
        return "direct"
    stripped = text.strip().rstrip("”\"’'")
    if _is_title_case(words) and "?" not in stripped and "!" not in stripped:
        return "scare"  # a name or title: "Face the Nation", "Contract with America"
    if _SENTENCE_BREAK_RE.search(stripped) or stripped.endswith(("?", "!")):
        return "direct"  # several sentences, or a question or exclamation
    lowered = [w.lower() for w in words]
    for position, word in enumerate(lowered):
        if word in AUXILIARIES or word.endswith(CONTRACTIONS):
            return "direct"
        if word in SUBJECT_PRONOUNS and position + 1 < len(lowered):
            return "direct"
        if (
            word in _CLAUSE_SUBJECTS
            and position + 1 < len(lowered)
            and lowered[position + 1].endswith("s")
            and is_verb_form(lowered[position + 1])
        ):
            return "direct"  # "That makes me smart", "it seems"
        if (
            word == "to"
            and position + 2 < len(lowered)
            and lowered[position + 1] in _SPLIT_ADVERBS
            and _base_verb(lowered[position + 2])
        ):
            return "direct"  # "to ever run"
        if (word.endswith("’s") or word.endswith("'s")) and word[:-2] in _IS_AFTER_PRONOUN:
            return "direct"
        if word == "to" and position + 1 < len(lowered):
            following = lowered[position + 1]
            if following not in DETERMINERS and _base_verb(following):
                return "direct"
        if (
            word in _NEGATIONS
            and position + 1 < len(lowered)
            and _verb_after_negation(lowered[position + 1])
        ):
            return "direct"  # "not stand by", "never give up"
    if _starts_with_verb(words, lowered):
        return "direct"
    if len(words) >= 4 and _finite_verb_after_noun(words, lowered):
        return "direct"
    return "scare"


_SENTENCE_BREAK_RE = re.compile(r"[.?!…]\s+[A-Z“\"‘']")
_TITLE_FUNCTION_WORDS = frozenset(
    _words("a an the of and or in on at to for with by from the nor but as vs")
)


def _is_title_case(words: list[str]) -> bool:
    """Every word but the short function words starts with a capital ("Face the Nation")."""
    if len(words) < 2 or words[0][:1].islower():
        return False
    if any(w.lower().endswith(CONTRACTIONS) or w.lower()[-2:] in ("’s", "'s") for w in words):
        return False  # "It's Our Time": a clause
    return all(w[:1].isupper() or w.lower() in _TITLE_FUNCTION_WORDS for w in words)


_NEGATIONS = frozenset(["not", "never"])


def _verb_after_negation(word: str) -> bool:
    """A base-form verb after "not"/"never", not an adjective ("not clear", "not free")."""
    if word in ADJECTIVAL:
        return False
    base = base_verb_counts().get(word, 0)
    if not base:
        return False
    _verb, _other, adjective = verb_counts()[word]
    return base >= adjective


def _base_verb(word: str) -> bool:
    """A verb form, or a word CoNLL never saw whose inflections it tags as verbs ("kick":
    "kicked", "kicks")."""
    counts = verb_counts().get(word)
    if counts is not None:
        return counts[0] > 0
    return is_verb_form(word) or _has_verb_inflections(word)


def _has_verb_inflections(word: str) -> bool:
    """At least two of the word's regular inflections are attested as verbs."""
    table = verb_counts()
    stem = word[:-1] if word.endswith("e") else word
    inflections = {word + "s", stem + "ed", stem + "ing"}
    return sum(1 for form in inflections if form in table and table[form][0] > 0) >= 2


def _starts_with_verb(words: list[str], lowered: list[str]) -> bool:
    """A quote that opens with a verb governing what follows ("step up", "done nothing")."""
    first, following = lowered[0], lowered[1]
    if first in ADJECTIVAL:
        return False
    if not is_verb_form(first):
        return False
    if following in _OBLIQUE_PREPOSITIONS and _mostly_noun(first):
        # A word that is far more often a noun, then a preposition: a noun phrase ("step in
        # the wrong direction", "cause for concern"), not "step up" or "stand by".
        return False
    if following in DETERMINERS or following in OBJECT_WORDS:
        return True
    if following.endswith(("’s", "'s")):
        return True
    if first.endswith(("ed", "en")) or first in _IRREGULAR_PARTICIPLES:
        # A participle before a noun is usually an adjective ("united leadership").
        return words[1][0].isupper() or following in _PREPOSITIONS or is_verb_form(following)
    if first.endswith("ing"):
        return True
    return mostly_verb(first)


_PREPOSITIONS = frozenset(
    _words(
        """in on at by for with from of to into over under after before during without within about
    against between through across"""
    )
)
# Prepositions that begin a noun's complement ("step in", "cause for"); particles such as
# "up", "down", "out", "over", "back" are left out, they follow verbs ("step up", "hand
# over"), and so is "to" ("like to", "return to").
_OBLIQUE_PREPOSITIONS = frozenset(
    _words("in on for with at by from into onto of through about against around")
)


def _mostly_noun(word: str) -> bool:
    """A base word CoNLL tags as something else at least twice as often as a verb ("step")."""
    if word.endswith("s"):
        return False  # "Starts with one": a present-tense verb as often as a plural noun
    counts = verb_counts().get(word)
    return counts is not None and counts[1] >= 2 * counts[0]


_IRREGULAR_PARTICIPLES = frozenset(
    _words(
        """held done been brought made taken given seen known shown told said built paid sent kept
    left lost won run put set cut hit gone come become begun"""
    )
)


_NOT_PLURAL_NOUN_ENDINGS = ("ss", "us", "is", "ous", "’s", "'s")


def _finite_verb_after_noun(words: list[str], lowered: list[str]) -> bool:
    """ "Russia blocks negotiations": a mostly-verb finite form after a noun-like word."""
    if _base_verb_after_plural_noun(words, lowered):
        return True
    for position in range(1, len(lowered) - 1):
        word = lowered[position]
        if word in ADJECTIVAL or not word.endswith(("s", "ed")):
            continue
        previous = lowered[position - 1]
        if previous in DETERMINERS or previous in _PREPOSITIONS or previous == "and":
            continue
        counts = verb_counts().get(word)
        if counts is not None and counts[0] > counts[1]:
            return True
    return False


def _base_verb_after_plural_noun(words: list[str], lowered: list[str]) -> bool:
    """ "families go hungry": a present-tense base form right after a plural noun.

    A capitalised word is not taken for the verb ("What Users Spend on Drugs": a title).
    """
    for position, (previous, word) in enumerate(pairwise(lowered), start=1):
        if (
            words[position][:1].islower()
            and len(previous) > 3
            and previous.endswith("s")
            and not previous.endswith(_NOT_PLURAL_NOUN_ENDINGS)
            and previous not in DETERMINERS
            and previous not in _PREPOSITIONS
            and word not in ADJECTIVAL
            and is_base_verb(word)
        ):
            return True
    return False
