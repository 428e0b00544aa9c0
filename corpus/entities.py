"""Named-entity recognition: who and what an article names, with one canonical name each.

`find_entities(body)` returns the entity mentions of one cleaned body with document-level
canonical names; `canonicalize_corpus(articles)` resolves canonical names across a corpus and
rewrites quote speakers to match.

The built-in recogniser (the default, pure Python, no download) combines:
- an averaged-perceptron tagger trained on CoNLL-2003 (corpus/ner_tagger.py) that finds
  PER/ORG/LOC/MISC names among capitalised tokens;
- rules for DATE, MONEY, PERCENT, "Number 10" and "Article 5" (corpus/ner_rules.py);
- honorifics ("Mr", "Sir") that always start a PERSON and stay in its span, job titles that
  never do ("President Trump" -> "Trump");
- shipped gazetteers and cue words that turn CoNLL types into the product's labels (LOC ->
  GPE/LOC/FAC, MISC -> NORP/EVENT/LAW, everything else in MISC is dropped);
- document-level consistency: a surname, or a name seen tagged elsewhere in the article, gets
  the same label when the tagger missed it, and every mention of a person gets the person's
  fullest name as its canonical form ("Sir Keir", "Starmer" -> "Keir Starmer").

`find_entities(body, backend="spacy")` uses spaCy instead; spaCy is imported only then.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from corpus.model import Article, Entity, Quote
from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_rules import find_rule_entities
from corpus.ner_tagger import TAGS, default_tagger
from corpus.ner_tokens import CONNECTORS, candidate_mask, tokenize

BACKENDS = ("builtin", "spacy")
SPACY_MODEL = "en_core_web_sm"
# Words after which "the White House"/"Downing Street" is a place rather than an actor.
_PLACE_WORDS = frozenset(
    "in at to into inside outside near visit visits visited visiting arrive arrived arriving "
    "arrives reach reached toward towards from".split()
)
_NAME_PARTICLES = frozenset({"von", "der", "van", "de", "del", "da", "di", "du", "la", "le", "bin"})
_SURNAME_HONORIFICS = frozenset({"Sir", "Dame"})  # "Sir Keir" names a first name
_DEMONYM_SUFFIX = re.compile(r"(?:an|ans|ese|ish|ch|i|is|ic)$")
_TYPE_OF_TAG = [tag[2:] if tag != "O" else "" for tag in TAGS]


@dataclass(slots=True)
class _Mention:
    """A mention being built: token range [first, last) and labels."""

    first: int
    last: int
    kind: str  # CoNLL type from the tagger, or the product label for rule mentions
    label: str = ""
    canonical: str = ""


def find_entities(body: str, backend: str = "builtin") -> list[Entity]:
    """Entity mentions in `body`, in text order, with document-level canonical names.

    `backend` is "builtin" (default) or "spacy" (needs spaCy and an English model installed).
    """
    if backend == "spacy":
        return _find_entities_spacy(body)
    if backend != "builtin":
        raise ValueError(f"unknown entity backend {backend!r} (choose from {', '.join(BACKENDS)})")
    if not body:
        return []
    gaz = gazetteer()
    words, starts, ends, line_start = tokenize(body)
    candidates = candidate_mask(words)
    tags = default_tagger().tag(words, line_start, candidates)
    mentions = _tagged_mentions(tags)
    mentions = _honorific_people(words, candidates, mentions, gaz)
    mentions = [m for m in (_trim(m, words, gaz) for m in mentions) if m is not None]
    for mention in mentions:
        mention.label = _product_label(mention, words, gaz)
    mentions = [m for m in mentions if m.label]
    mentions = _propagate_in_document(words, line_start, candidates, mentions, gaz)
    spans = _to_spans(body, words, starts, ends, mentions)
    return _canonicalise_document(body, spans, gaz)


def _tagged_mentions(tags: list[int]) -> list[_Mention]:
    """Token ranges of the tagger's BIO output."""
    mentions: list[_Mention] = []
    current: _Mention | None = None
    for index, tag in enumerate(tags):
        if tag == 0 or tag % 2:  # O or B-
            if current is not None:
                mentions.append(current)
                current = None
            if tag:
                current = _Mention(index, index + 1, _TYPE_OF_TAG[tag])
        elif current is not None:
            current.last = index + 1
    if current is not None:
        mentions.append(current)
    return mentions


def _honorific_people(
    words: list[str], candidates: list[bool], mentions: list[_Mention], gaz: Gazetteer
) -> list[_Mention]:
    """An honorific and the capitalised name after it are one PERSON ("Mr Trump", "Sir Keir")."""
    people: list[_Mention] = []
    count = len(words)
    i = 0
    while i < count - 1:
        word = words[i]
        following = words[i + 1]
        if (
            word in gaz.honorifics
            and (following[0].isupper() or following in _NAME_PARTICLES)
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
                i = last
                continue
        i += 1
    if not people:
        return mentions
    taken = set()
    for person in people:
        taken.update(range(person.first, person.last))
    kept = [m for m in mentions if not any(t in taken for t in range(m.first, m.last))]
    return sorted(kept + people, key=lambda m: m.first)


def _trim(mention: _Mention, words: list[str], gaz: Gazetteer) -> _Mention | None:
    """Drop job titles and stray connectors from a mention's edges; None if nothing is left."""
    first, last = mention.first, mention.last
    while last > first and (words[last - 1] in CONNECTORS or words[last - 1] in ("'", "’")):
        last -= 1
    while first < last and words[first] in CONNECTORS:
        first += 1
    if mention.kind == "PER":
        while first < last - 1 and words[first] in gaz.titles:
            first += 1
            while first < last - 1 and words[first] in CONNECTORS:
                first += 1
    if first >= last:
        return None
    if all(w in gaz.titles for w in words[first:last]) and words[first] not in gaz.aliases:
        return None  # "the Prime Minister": a title alone is not an entity
    mention.first, mention.last = first, last
    return mention


def _product_label(mention: _Mention, words: list[str], gaz: Gazetteer) -> str:
    """The product label of a tagger mention ("" when the product has no label for it)."""
    tokens = words[mention.first : mention.last]
    text = " ".join(tokens)
    kind = mention.kind
    alias = gaz.aliases.get(text)
    if alias and alias[1] and not (kind == "PER" and len(tokens) > 1):
        return alias[1]
    if kind == "PER":
        return "PERSON"
    if text in gaz.norp:
        return "NORP"
    if text in gaz.gpe:
        return "GPE"
    if text in gaz.loc:
        return "LOC"
    head = tokens[-1]
    cue = gaz.cues.get(head) or gaz.cues.get(tokens[0])
    if kind == "LOC":
        if cue in ("FAC", "LOC"):
            return cue
        return "GPE"
    if kind == "ORG":
        return "ORG"
    # MISC
    if cue in ("EVENT", "LAW"):
        return cue
    if len(tokens) == 1 and _DEMONYM_SUFFIX.search(text):
        return "NORP"
    if len(tokens) == 2 and tokens[0] in gaz.norp and tokens[1][0].isupper():
        return ""
    return ""


def _propagate_in_document(
    words: list[str],
    line_start: list[bool],
    candidates: list[bool],
    mentions: list[_Mention],
    gaz: Gazetteer,
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
            if len(name) >= 2:
                surnames.add(name[-1])
    for m in mentions:
        if m.last - m.first == 1 and words[m.first] in surnames and m.label != "PERSON":
            m.label = "PERSON"
            m.kind = "PER"
    single_labels: dict[str, Counter[str]] = defaultdict(Counter)
    covered = [False] * len(words)
    for m in mentions:
        for t in range(m.first, m.last):
            covered[t] = True
        if m.last - m.first == 1:
            single_labels[words[m.first]][m.label] += 1
    for word in surnames:
        single_labels[word]["PERSON"] += 100
    if not single_labels:
        return mentions
    vocab = default_tagger().lowercase_vocab
    added: list[_Mention] = []
    for i, word in enumerate(words):
        if covered[i] or not candidates[i] or word not in single_labels:
            continue
        if (i > 0 and words[i - 1][0].isupper()) or (
            i + 1 < len(words) and words[i + 1][0].isupper()
        ):
            continue  # part of a longer capitalised run the tagger judged as a whole
        if word.lower() in vocab and (line_start[i] or (i > 0 and words[i - 1] in ".!?“\"‘'")):
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
    ends: list[int],
    mentions: list[_Mention],
) -> list[tuple[int, int, str, str]]:
    """Character spans (start, end, label, canonical) of tagger and rule mentions, merged."""
    spans: list[tuple[int, int, str, str]] = []
    for m in mentions:
        start, end = starts[m.first], ends[m.last - 1]
        text = body[start:end]
        label = m.label
        if text in ("White House", "Downing Street"):
            if body[max(0, start - 4) : start].lower() == "the " and text == "White House":
                start -= 4
            before = _word_before(body, start)
            if before in _PLACE_WORDS or (
                before == "the" and _word_before(body, start - 4) in _PLACE_WORDS
            ):
                label = "FAC"
            else:
                label = "ORG"
        spans.append((start, end, label, ""))
    rules = find_rule_entities(body)
    if rules:
        for rule in rules:
            label = rule.label
            if rule.canonical == "Downing Street":  # "Number 10"
                label = "FAC" if _word_before(body, rule.start) in _PLACE_WORDS else "ORG"
            spans.append((rule.start, rule.end, label, rule.canonical))
        spans = _resolve_overlaps(spans)
    spans.sort()
    return spans


def _word_before(body: str, start: int) -> str:
    """The lower-cased word just before offset `start` ("" at the start)."""
    end = start
    while end > 0 and body[end - 1] == " ":
        end -= 1
    begin = end
    while begin > 0 and body[begin - 1].isalpha():
        begin -= 1
    return body[begin:end].lower()


def _resolve_overlaps(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Keep non-overlapping spans, preferring rule spans (they carry a canonical) then longer."""
    ordered = sorted(spans, key=lambda s: (not s[3], -(s[1] - s[0]), s[0]))
    kept: list[tuple[int, int, str, str]] = []
    for span in ordered:
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return kept


def _canonicalise_document(
    body: str, spans: list[tuple[int, int, str, str]], gaz: Gazetteer
) -> list[Entity]:
    """Entities with canonical names consistent within the document."""
    full_names: list[list[str]] = []
    for start, end, label, _ in spans:
        if label == "PERSON":
            name = _person_name(body[start:end], gaz)
            if len(name) >= 2:
                full_names.append(name)
    entities: list[Entity] = []
    for start, end, label, canonical in spans:
        text = body[start:end]
        if not canonical:
            canonical = _canonical(text, label, full_names, gaz)
        entities.append(Entity(start, end, text, label, canonical))
    return entities


def _person_name(text: str, gaz: Gazetteer) -> list[str]:
    """The words of a person mention without its honorific."""
    name = text.split()
    while len(name) > 1 and name[0] in gaz.honorifics:
        name = name[1:]
    return name


def _canonical(text: str, label: str, full_names: list[list[str]], gaz: Gazetteer) -> str:
    """The canonical name of one mention, given the full person names of its document."""
    if label == "PERSON":
        name = _person_name(text, gaz)
        honorific = text.split()[0] if len(name) < len(text.split()) else ""
        return " ".join(_fullest_name(name, honorific, full_names))
    alias = gaz.aliases.get(text)
    if alias:
        return alias[0]
    if label == "NORP":
        return gaz.norp.get(text, text)
    if text.startswith("the "):
        return text[4:]
    return text


def _fullest_name(name: list[str], honorific: str, full_names: list[list[str]]) -> list[str]:
    """The longest known full name that `name` abbreviates (`name` itself if none)."""
    lowered = [w.lower() for w in name]
    best = name
    for full in full_names:
        if len(full) <= len(best):
            continue
        full_lowered = [w.lower() for w in full]
        if full_lowered[-len(lowered) :] == lowered or (
            honorific in _SURNAME_HONORIFICS and len(name) == 1 and full_lowered[0] == lowered[0]
        ):
            best = full
    return best


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


_SPACY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "DATE", "MONEY", "PERCENT"}
)
_spacy_pipeline: Any = None


def _find_entities_spacy(body: str) -> list[Entity]:
    """Entities from spaCy's English model, with this module's canonical names."""
    global _spacy_pipeline
    if _spacy_pipeline is None:
        try:
            import spacy  # imported only when the spaCy backend is asked for
        except ImportError as error:
            raise RuntimeError(
                "the spaCy entity backend needs spaCy: pip install 'newsreader[spacy]'"
            ) from error
        try:
            _spacy_pipeline = spacy.load(SPACY_MODEL, disable=["parser", "lemmatizer"])
        except OSError as error:
            raise RuntimeError(
                f"the spaCy entity backend needs the {SPACY_MODEL} model: "
                f"python -m spacy download {SPACY_MODEL}"
            ) from error
    gaz = gazetteer()
    spans: list[tuple[int, int, str, str]] = []
    for ent in _spacy_pipeline(body).ents:
        if ent.label_ not in _SPACY_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        text = body[start:end]
        if text.endswith(("'s", "’s")):
            end -= 2
        if ent.label_ != "DATE" and text.lower().startswith("the ") and "White House" not in text:
            start += 4
        if start < end:
            canonical = ""
            if ent.label_ == "PERCENT":
                number = re.match(r"\d+(?:\.\d+)?", text)
                canonical = (number.group() if number else text) + "%"
            spans.append((start, end, ent.label_, canonical))
    return _canonicalise_document(body, spans, gaz)
