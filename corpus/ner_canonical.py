"""Canonical names: one name for every mention of an entity, in an article and a corpus.

`canonicalise_document` gives each mention of one body its canonical name: a person's
fullest name in the article ("Sir Keir", "Starmer" -> "Keir Starmer"), an alias's full
form ("Nato" -> "North Atlantic Treaty Organization"), an acronym's long form when the
article spells it out first ("Institute for Fiscal Studies (IFS)"). `canonicalize_corpus`
then resolves a person known in an article only by a surname (or, after "Sir"/"Dame", a
first name) against the full names of the whole corpus, and renames quote speakers to match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from corpus.model import Article, Entity, Quote
from corpus.ner_gazetteer import Gazetteer

_SURNAME_HONORIFICS = frozenset({"Sir", "Dame"})  # "Sir Keir" names a first name


def canonicalise_document(
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
