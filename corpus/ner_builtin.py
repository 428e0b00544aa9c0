"""The built-in recogniser: the name tagger, the mention rules and the labels, glued.

`find_builtin_entities(body)` tokenizes the cleaned body, tags its candidate tokens with the
two-pass name tagger (`corpus.ner_tagger`), fixes the mentions with the rules of
`corpus.ner_mentions`, labels them (`corpus.ner_labels`), makes labels consistent through
the article (a surname, or a word tagged elsewhere in it, gets the same label where the
tagger missed it), turns them into character spans merged with the
rule entities (DATE, MONEY, PERCENT, "Number 10": `corpus.ner_rules`), and gives every
mention its document-level canonical name (`corpus.ner_canonical`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict

from corpus.model import Entity
from corpus.ner_canonical import canonicalise_document
from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_labels import product_label
from corpus.ner_mentions import (
    SENTENCE_OPENERS,
    Mention,
    drop_sentence_initial_words,
    extend_organisation_heads,
    extend_particles,
    first_name_people,
    honorific_people,
    known_names,
    split_at_titles,
    split_place_and_group,
    tagged_mentions,
    trim,
    word_set,
)
from corpus.ner_rules import find_rule_entities_at, rule_trigger_indices
from corpus.ner_tagger import NameTagger, default_tagger
from corpus.ner_tokens import candidate_indices, tokenize

# Words after which "the White House"/"Downing Street" is a place rather than an actor.
_PLACE_WORDS = word_set(
    "in at to into inside outside near visit visits visited visiting arrive arrived arriving "
    "arrives reach reached toward towards from"
)
_NEWSPAPER_HEADS = word_set(
    "Times Telegraph Guardian Independent Observer Economist Sun Mirror Spectator Atlantic "
    "Post Journal Herald Scotsman Standard Express Mail Star Record Tribune"
)
_VOTING_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC"})


def find_builtin_entities(body: str, tagger: NameTagger | None = None) -> list[Entity]:
    """Entity mentions in `body` from the built-in recogniser, in text order, with
    document-level canonical names (`tagger` replaces the shipped name tagger)."""
    if not body:
        return []
    gaz = gazetteer()
    words, starts = tokenize(body)
    indices = candidate_indices(words)
    if tagger is None:
        tagger = default_tagger()
    vocab = tagger.lowercase_vocab
    tags = tagger.tag(words, indices)
    mentions = tagged_mentions(tags, indices)
    mentions = honorific_people(words, indices, mentions, gaz)
    mentions = known_names(words, indices, mentions, gaz, vocab)
    mentions = first_name_people(words, indices, mentions, gaz, vocab)
    mentions = [piece for m in mentions for piece in split_at_titles(m, words, gaz)]
    mentions = [piece for m in mentions for piece in split_place_and_group(m, words, gaz)]
    mentions = [m for m in (trim(m, words, gaz) for m in mentions) if m is not None]
    mentions = extend_particles(mentions, words)
    extend_organisation_heads(mentions, words, gaz)
    mentions = drop_sentence_initial_words(mentions, words, gaz, vocab, tagger.lexicon.casing)
    for mention in mentions:
        mention.label = product_label(mention, words, gaz)
    mentions = [m for m in mentions if m.label]
    mentions = _propagate_in_document(words, indices, mentions, gaz, vocab)
    spans = _to_spans(body, words, starts, mentions, gaz)
    return canonicalise_document(body, spans, gaz)


def _propagate_in_document(
    words: list[str],
    indices: list[int],
    mentions: list[Mention],
    gaz: Gazetteer,
    vocab: frozenset[str],
) -> list[Mention]:
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
    added: list[Mention] = []
    count = len(words)
    for i in indices:
        word = words[i]
        if word not in single_labels or i in covered:
            continue
        if (i > 0 and words[i - 1][0].isupper()) or (i + 1 < count and words[i + 1][0].isupper()):
            continue  # part of a longer capitalised run the tagger judged as a whole
        if word.lower() in vocab and (i == 0 or words[i - 1] in SENTENCE_OPENERS):
            continue
        label = single_labels[word].most_common(1)[0][0]
        added.append(Mention(i, i + 1, "PER" if label == "PERSON" else "", label))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.first)


def _to_spans(
    body: str,
    words: list[str],
    starts: list[int],
    mentions: list[Mention],
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
            and words[m.first - 2] not in SENTENCE_OPENERS
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
