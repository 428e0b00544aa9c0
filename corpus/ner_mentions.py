"""The built-in recogniser's mentions: token ranges from the tagger, then fixed by rules.

`tagged_mentions` turns the name tagger's BIO tags into `Mention`s (token ranges with a
CoNLL type); the steps after it, each a function of the tokens and the shipped gazetteer,
fix what the tagger, trained on 1996 news, gets wrong in today's: an honorific and the name
after it are one person ("Mr Trump", "Sir Keir"); names the shipped lists know win over the
tagger ("Reform UK", "Oval Office"); a known first name before a capitalised word makes a
person; job titles are cut out of names ("US President Donald Trump" -> US, Donald Trump),
as are a place before a group ("UK Muslims"); stray connectors and lone titles are trimmed;
names run on over particles ("von der Leyen"); an organisation gets back the head word the
tagger left at a sentence start; a one-word mention that opens a sentence and is usually a
lower-case word is dropped. `corpus.ner_builtin` runs them in that order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from corpus.ner_features import TAGS
from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_tokens import CONNECTORS, LINE_BREAK, tokenize


def word_set(text: str) -> frozenset[str]:
    """The set of the space-separated words of `text` (keeps long word lists compact)."""
    return frozenset(text.split())


_NAME_PARTICLES = frozenset({"von", "der", "van", "de", "del", "da", "di", "du", "la", "le", "bin"})
# Sentence-initial words the tagger sometimes glues to a name ("Since Russia", "But Mr Trump").
_CAPITALISED_FUNCTION_WORDS = word_set(
    "Since But And When While After Before As If In On At For With From By During Although "
    "Though Because Unless Until Then So Yet However Meanwhile Asked Speaking Earlier Later "
    "This That These Those There Here It He She They We You His Her Their Our My Its A An No "
    "Not All Both Every Each Some Many Most More Under Over Despite Following According "
    "Without Like Unlike Also Even Only Now Today Yesterday Instead Indeed Still Why What How "
    "Who Where Which Whether Dear Thanks Thank Yes Tonight Tomorrow Amid Among Against"
)
_GENERIC_ORG_WORDS = frozenset(
    {"Government", "Cabinet", "Administration", "Opposition", "Budget", "Monarchy", "Crown"}
)
# Acronyms of common nouns, written in capitals like names but never one ("2.5% of GDP").
_COMMON_ACRONYMS = word_set("GDP GNP CPI PMI VAT CEO CFO COO IPO ETF DNA HIV")
# Endings of common words that open sentences ("Referring", "Qualifications", "Twelve").
_COMMON_WORD_ENDING = re.compile(
    r"(?:ing|ed|ly|tions?|ments?|ness|ities|ive|ful|less|elve|teen|ty)$"
)
SENTENCE_OPENERS = frozenset({LINE_BREAK, ".", "!", "?", "“", '"', "‘", "'", ":", "(", "—", "–"})
_TYPE_OF_TAG = [tag[2:] if tag != "O" else "" for tag in TAGS]


@dataclass(slots=True)
class Mention:
    """A mention being built: token range [first, last) and labels."""

    first: int
    last: int
    kind: str  # CoNLL type from the tagger, or the product label for rule mentions
    label: str = ""
    canonical: str = ""


def tagged_mentions(tags: list[int], indices: list[int]) -> list[Mention]:
    """Token ranges of the tagger's BIO output (only candidate tokens can be tagged)."""
    mentions: list[Mention] = []
    current: Mention | None = None
    for index in indices:
        tag = tags[index]
        if current is not None and (tag % 2 or not tag or index != current.last):
            mentions.append(current)
            current = None
        if not tag:
            continue
        if current is None:
            current = Mention(index, index + 1, _TYPE_OF_TAG[tag])
        else:
            current.last = index + 1
    if current is not None:
        mentions.append(current)
    return mentions


def honorific_people(
    words: list[str], indices: list[int], mentions: list[Mention], gaz: Gazetteer
) -> list[Mention]:
    """An honorific and the capitalised name after it are one PERSON ("Mr Trump", "Sir Keir")."""
    people: list[Mention] = []
    count = len(words)
    honorifics = gaz.honorifics
    next_free = 0
    for i in indices:
        word = words[i]
        if word not in honorifics or i < next_free or i + 1 >= count:
            continue
        following = words[i + 1]
        if (
            (following[0].isupper() or following in _NAME_PARTICLES)
            and following not in gaz.titles
            and following not in gaz.honorifics
        ):
            last = i + 1
            while last < count and (
                words[last][0].isupper()
                or (
                    words[last] in _NAME_PARTICLES
                    and last + 1 < count
                    and (words[last + 1][0].isupper() or words[last + 1] in _NAME_PARTICLES)
                )
            ):
                last += 1
            if words[last - 1][0].isupper():
                people.append(Mention(i, last, "PER"))
                next_free = last
    return _overriding(mentions, people)


def _overriding(mentions: list[Mention], winners: list[Mention]) -> list[Mention]:
    """`mentions` without those that overlap a winner, plus the winners, in text order."""
    if not winners:
        return mentions
    taken: set[int] = set()
    for winner in winners:
        taken.update(range(winner.first, winner.last))
    kept = [m for m in mentions if not any(t in taken for t in range(m.first, m.last))]
    return sorted(kept + winners, key=lambda m: m.first)


@cache
def _multiword_names() -> dict[str, list[tuple[str, ...]]]:
    """Multi-word names of the alias table and the FAC list, by first word, longest first."""
    gaz = gazetteer()
    names: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name in [*(a for a, (_, label) in gaz.aliases.items() if label), *gaz.fac]:
        words = tuple(tokenize(name)[0])
        if len(words) > 1:
            names[words[0]].append(words)
    for options in names.values():
        options.sort(key=len, reverse=True)
    return dict(names)


def known_names(
    words: list[str],
    indices: list[int],
    mentions: list[Mention],
    gaz: Gazetteer,
    vocab: frozenset[str],
) -> list[Mention]:
    """Names the shipped lists know: multi-word ones ("Reform UK", "Oval Office") win over the
    tagger; one-word places and aliases ("US", "Nato") fill in where it tagged nothing."""
    names = _multiword_names()
    found: list[Mention] = []
    next_free = 0
    covered: set[int] = set()
    for m in mentions:
        covered.update(range(m.first, m.last))
    for i in indices:
        word = words[i]
        if (
            i not in covered
            and (word in gaz.gpe or gaz.aliases.get(word, ("", ""))[1])
            and (word.lower() not in vocab or (word.isupper() and len(word) > 1))
            and word not in gaz.first_names
            and (i + 1 >= len(words) or not words[i + 1][0].isupper() or words[i + 1] in gaz.titles)
            and (
                i == 0
                or not words[i - 1][0].isupper()
                or words[i - 1] in SENTENCE_OPENERS
                or words[i - 1] in _CAPITALISED_FUNCTION_WORDS
                or words[i - 1] == "The"
            )
        ):
            found.append(Mention(i, i + 1, ""))  # "US", "Nato", "Ukraine" the tagger missed
            continue
        if i < next_free or word not in names:
            continue
        for name in names[words[i]]:
            end = i + len(name)
            if tuple(words[i:end]) == name:
                found.append(Mention(i, end, ""))
                next_free = end
                break
    return _overriding(mentions, found)


def first_name_people(
    words: list[str],
    indices: list[int],
    mentions: list[Mention],
    gaz: Gazetteer,
    vocab: frozenset[str],
) -> list[Mention]:
    """A known first name before a capitalised word makes a PERSON ("Donald Trump").

    The tagger, trained on 1996 news, does not know every name; a first name from the
    gazetteer right before a one-word mention or an untagged capitalised word settles it,
    unless that word is a place, a title or a head word such as "Street" or "Party".
    """
    first_names = gaz.first_names
    covered: dict[int, Mention] = {}
    for m in mentions:
        for t in range(m.first, m.last):
            covered[t] = m
    result: list[Mention] = []
    absorbed: set[int] = set()
    count = len(words)
    for i in indices:
        word = words[i]
        if word not in first_names or word in gaz.gpe or i + 1 >= count:
            continue
        given = covered.get(i)
        if given is not None and given.last - given.first != 1:
            continue  # already inside a longer name
        # An editor's bracket closes between the first name and the surname:
        # "(Russian President Vladimir) Putin" -- the surname after it is the person.
        bracketed = words[i + 1] == ")" and i + 2 < count and "(" in words[max(0, i - 6) : i]
        after = i + 2 if bracketed else i + 1
        if after >= count:
            continue
        following = words[after]
        if (
            not following[0].isupper()
            or following in gaz.titles
            or following in gaz.cues
            or following in gaz.gpe
            or following.lower() in vocab
        ):
            continue
        surname = covered.get(after)
        if surname is None or (surname.first == after and surname.last - surname.first == 1):
            if bracketed:
                if surname is not None:
                    absorbed.add(id(surname))
                result.append(Mention(after, after + 1, "PER"))
                continue
            # "Donald" and "Trump" tagged apart (or "Trump" as a place): one person
            absorbed.update(id(m) for m in (given, surname) if m is not None)
            result.append(Mention(i, i + 2, "PER"))
    if not result:
        return mentions
    kept = [m for m in mentions if id(m) not in absorbed]
    return sorted(kept + result, key=lambda m: m.first)


def trim(mention: Mention, words: list[str], gaz: Gazetteer) -> Mention | None:
    """Drop stray connectors from a mention's edges; None if it is only a title."""
    first, last = mention.first, mention.last
    while last > first and (words[last - 1] in CONNECTORS or words[last - 1] in ("'", "’")):
        last -= 1
    while first < last and (
        words[first] in CONNECTORS or words[first] in _CAPITALISED_FUNCTION_WORDS
    ):
        first += 1
    if first >= last:
        return None
    if last - first == 1 and (
        words[first] in _GENERIC_ORG_WORDS
        or words[first] in _COMMON_ACRONYMS
        or _is_stray_letter(words[first])
    ):
        return None  # "the Government", "his Cabinet", "GDP"
    name = words[first:last]
    if (
        all(w in gaz.titles for w in name)
        and any(w in gaz.title_roles for w in name)
        and " ".join(name) not in gaz.aliases
    ):
        return None  # "the Prime Minister": a title alone is not an entity
    mention.first, mention.last = first, last
    return mention


def _is_stray_letter(word: str) -> bool:
    """A lone capital ("Â" of a mis-decoded "Â£", an initial cut off its name) is not a name."""
    return len(word) == 1


def split_at_titles(mention: Mention, words: list[str], gaz: Gazetteer) -> list[Mention]:
    """Cut job titles out of a mention: "US President Donald Trump" -> US, Donald Trump.

    A title is a run of title words holding at least one role word ("Foreign Secretary",
    "President"). What follows a title is a person; what precedes it keeps the tagger's type
    unless the tagger called the whole run a person ("Conservative Party leader ...").
    A title after a connector is part of a name ("Office of the President") and stays.
    """
    first, last = mention.first, mention.last
    titles, roles = gaz.titles, gaz.title_roles
    if last - first < 2:
        return [mention]
    if mention.kind == "ORG":  # "the European Commission Ursula von der Leyen"
        for t in range(first + 1, last - 1):
            if gaz.cues.get(words[t]) == "ORG" and words[t + 1] in gaz.first_names:
                return [Mention(first, t + 1, "ORG"), Mention(t + 1, last, "PER")]
    if not any(words[t] in roles for t in range(first, last)):
        return [mention]
    pieces: list[Mention] = []
    piece_start = first
    t = first
    after_title = False
    while t < last:
        if words[t] in titles and (t == first or words[t - 1] not in CONNECTORS):
            run_end = t
            while run_end < last and words[run_end] in titles:
                run_end += 1
            if any(words[r] in roles for r in range(t, run_end)):
                if piece_start < t:
                    kind = mention.kind if (mention.kind != "PER" or after_title) else ""
                    pieces.append(Mention(piece_start, t, "PER" if after_title else kind))
                piece_start = run_end
                after_title = True
                t = run_end
                continue
            t = run_end
            continue
        t += 1
    if piece_start < last:
        kind = "PER" if after_title else mention.kind
        pieces.append(Mention(piece_start, last, kind))
    return pieces


def drop_sentence_initial_words(
    mentions: list[Mention],
    words: list[str],
    gaz: Gazetteer,
    vocab: frozenset[str],
    casing: Mapping[str, str] | None = None,
) -> list[Mention]:
    """Drop a one-word mention that opens a sentence and is usually a lower-case word; and
    from a person's name that opens a sentence, such a word glued before it ("Once Google",
    "Strong Oscar contenders": "Google", "Oscar").

    `casing` is the tagger's lexicon of each word's usual casing in news ("x": lower case):
    only a word that is nearly always written in lower case, and is no first name, title or
    known name, is taken off a name ("Will Smith", "General Motors" keep theirs).
    """
    kept = []
    usual = casing or {}
    for m in mentions:
        opens = m.first == 0 or words[m.first - 1] in SENTENCE_OPENERS
        if opens and m.kind == "PER" and m.last - m.first >= 2:
            word = words[m.first]
            if (
                usual.get(word.lower()) == "x"
                and word[0].isupper()
                and not word.isupper()
                and words[m.first + 1][0].isupper()
                and word not in gaz.first_names
                and word not in gaz.census_first_names
                and word not in gaz.honorifics
                and word not in gaz.titles
                and word not in gaz.aliases
            ):
                m.first += 1
        if m.last - m.first == 1 and opens:
            word = words[m.first]
            if (
                (word.lower() in vocab or _COMMON_WORD_ENDING.search(word))
                and not word.isupper()
                and word not in gaz.aliases
                and word not in gaz.gpe
                and word not in gaz.norp
                and word not in gaz.first_names
            ):
                continue
        kept.append(m)
    return kept


def split_place_and_group(mention: Mention, words: list[str], gaz: Gazetteer) -> list[Mention]:
    """ "UK Muslims" is a place and a group: GPE "UK" and NORP "Muslims"."""
    if mention.last - mention.first < 2 or words[mention.last - 1] not in gaz.norp:
        return [mention]
    place = " ".join(words[mention.first : mention.last - 1])
    alias = gaz.aliases.get(place)
    if place in gaz.gpe or (alias is not None and alias[1] == "GPE"):
        return [
            Mention(mention.first, mention.last - 1, "LOC"),
            Mention(mention.last - 1, mention.last, "MISC"),
        ]
    return [mention]


def extend_organisation_heads(mentions: list[Mention], words: list[str], gaz: Gazetteer) -> None:
    """Give an organisation back the head word the tagger left out at a sentence start:
    "The Office for National Statistics" tagged as "National Statistics" -> the whole name."""
    previous_end = 0
    for m in mentions:
        first = m.first
        if (
            m.kind == "ORG"
            and first >= 2 + previous_end
            and words[first - 1] in ("for", "of")
            and gaz.cues.get(words[first - 2]) == "ORG"
        ):
            m.first = first - 2
        previous_end = m.last


def extend_particles(mentions: list[Mention], words: list[str]) -> list[Mention]:
    """A person's name runs on over "von der", "de", "van" ("Ursula von der Leyen")."""
    count = len(words)
    result: list[Mention] = []
    skip_until = -1
    for m in mentions:
        if m.first < skip_until:
            continue
        if m.kind == "PER":
            end = m.last
            while end < count and words[end] in _NAME_PARTICLES:
                end += 1
            if end > m.last and end < count and words[end][0].isupper():
                m.last = end = end + 1
                skip_until = end
        result.append(m)
    return result
