"""The people one article names: person mentions, full names, genders, titles, namesakes.

`PeopleIndex` reads the whole body once, when it is built, into the `SpeakerDocument`: the
genders that honorifics and gendered role words give ("Mr", "actress Negar Khan"), the full
name a surname or first name stands for ("Caddell" -> "Pat Caddell"), titles bound to the
name they precede ("US President Donald Trump"), people who share a surname ("Sir Ian Blair",
"Tony Blair"), names the entities cut short at a hyphen, and the person mentions (PERSON
entities, names the entities missed, and title mentions such as "the Prime Minister"). Its
methods name a mention from that index (`person_name`, `name_from_words`, `bind_title`,
`namesake`, `gender`). `people_by_surname` makes PERSON a name the recogniser labelled
otherwise when the article shows it is a person's.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from corpus.lexicon import (
    DROPPED_NAME_WORDS,
    FEMALE_ROLES,
    HONORIFICS,
    HONORIFICS_FEMALE,
    HONORIFICS_MALE,
    MALE_ROLES,
    ORG_WORDS,
    SENTENCE_INITIAL,
    TITLE_ALTERNATION,
    TITLE_WORDS,
)
from corpus.model import Entity
from corpus.quote_lexicon import first_name_genders
from corpus.speaker_tokens import MAX_CANDIDATES, Mention, SpeakerDocument, strip_possessive

# The entity labels that name a speaker.
ENTITY_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


class PeopleIndex:
    """The people of one body (`doc`), indexed when built."""

    def __init__(self, doc: SpeakerDocument) -> None:
        self.doc = doc
        self._untitled_leader: str | None = None
        self._hyphenated: dict[str, str] = {}
        self.namesakes: dict[str, dict[str, tuple[list[int], set[str]]]] = {}
        self._index_hyphenated()
        self._index_names()

    def _index_names(self) -> None:
        """Genders, full names, title bindings and person mentions of the article."""
        doc = self.doc
        body = doc.body
        firsts = first_name_genders()
        for match in _ROLE_GENDER_RE.finditer(body):
            gender = "f" if match.group(1).lower() in FEMALE_ROLES else "m"
            for part in match.group(2).split():
                doc.gender_by_name.setdefault(strip_possessive(part), gender)
        for match in _HONORIFIC_NAME_RE.finditer(body):
            honorific = match.group(1).lower()
            honorific_gender = (
                "m"
                if honorific in HONORIFICS_MALE
                else "f"
                if honorific in HONORIFICS_FEMALE
                else None
            )
            if honorific_gender:
                for part in match.group(2).split():
                    doc.gender_by_name.setdefault(strip_possessive(part), honorific_gender)
        # Capitalised runs, titles dropped; a lone capitalised word is kept only when it
        # could be a surname seen elsewhere (checked below), which keeps this pass cheap.
        runs: list[tuple[int, int, list[str]]] = []
        lone: list[tuple[int, int, str]] = []  # single words, looked at once names are known
        for match in NAME_RUN_RE.finditer(body):
            text = match.group()
            if " " not in text:
                lone.append((match.start(), match.end(), text))
                continue
            words = text.split()
            words[-1] = strip_possessive(words[-1])
            runs.append((match.start(), match.end(), drop_titles(words)))
        # Full names (two or more words after dropping titles) give each of their words a
        # full form, so "Caddell" and "Sir Keir" find "Pat Caddell" and "Keir Starmer".
        for _start, _end, run_words in runs:
            if len(run_words) < 2:
                continue
            for position, word in enumerate(run_words[:-1]):
                if word.lower() in firsts:
                    # "Fifteen-year-old Donald Young": the name starts at the first name.
                    full = " ".join(run_words[position:])
                    for name_word in (word, run_words[-1]):
                        doc.full_names.setdefault(name_word, full)
                    break
        self._index_namesakes(runs)
        # Person mentions: the PERSON entities, plus the names the entities missed (a name
        # run that overlaps an entity of any label is left to the entity).
        for entity in doc.entities:
            if entity.label != "PERSON" or self.doc.inside_quote(entity.start):
                continue
            canonical = self.person_name(entity)
            doc.persons.append(
                Mention(
                    entity.start, entity.end, canonical, self.gender(entity.text, canonical), None
                )
            )
        for start, end, text in lone:
            word = strip_possessive(text)
            if word in doc.full_names or word != text:
                runs.append((start, end, [word]))  # else no known surname: not a person
        for start, end, name_words in runs:
            if (
                len(name_words) == 1
                and name_words[0] not in doc.full_names
                and end - start == len(name_words[0])
            ):
                continue  # a lone capitalised word that is no known surname
            if self.doc.inside_quote(start) or self.entities_in(start, end):
                continue
            words = body[start:end].split()
            for position, word in enumerate(name_words[:-1]):
                if position and word.lower() in firsts:
                    name_words = name_words[position:]  # "European Commission Ursula …"
                    break
            if not name_words:
                continue
            honorific = any(w.lower().rstrip(".") in HONORIFICS for w in words[:2])
            known = name_words[0].lower() in firsts or name_words[-1] in doc.full_names
            if not (honorific or known) or name_words[0].lower() in SENTENCE_INITIAL:
                continue
            name = self.name_from_words(name_words)
            if len(words) >= 2 and len(name_words) == 1 and self.namesakes:
                name = self.namesake(words[-2], name_words[0], start, name)
            doc.persons.append(Mention(start, end, name, self.gender(body[start:end], name), None))
        doc.persons.sort(key=lambda m: m.start)
        self._index_titles()
        for person in doc.persons:
            doc.name_counts[person.name] = doc.name_counts.get(person.name, 0) + 1
        # Title mentions ("the Prime Minister") are person mentions too, for pronouns.
        for match in _TITLE_MENTION_RE.finditer(body):
            if self.doc.inside_quote(match.start()):
                continue
            bound = self.bind_title(match.group(1), match.group(2), match.start())
            if bound:
                doc.persons.append(
                    Mention(match.start(), match.end(), bound, self.gender(bound, bound), None)
                )
        doc.persons.sort(key=lambda m: m.start)
        doc.person_starts = [m.start for m in doc.persons]

    def _index_titles(self) -> None:
        """Bind titles to names: "US President Donald Trump", "president Zelensky"."""
        doc = self.doc
        body = doc.body
        # Matching the lowercased text is several times faster than a (?i) alternation.
        for match in _TITLE_WORD_RE.finditer(body.lower()):
            if not body[match.end() : match.end() + 1].isupper():
                continue
            named = _TITLE_NAME_RE.match(body, match.end())
            if named is None:
                continue
            title = _title_key(match.group(1).lower().split())
            if title is None:
                continue
            if _NOT_THE_TITLE_RE.search(body, max(0, match.start() - 12), match.start()):
                continue  # "shadow chancellor Oliver Letwin" is not "the chancellor"
            before = _MODIFIER_RE.search(body, max(0, match.start() - 40), match.start())
            modifier = before.group(1).lower() if before else ""
            entities = [
                e for e in self.entities_in(named.start(), named.end()) if e.label == "PERSON"
            ]
            if entities:
                name = self.person_name(entities[0])
            else:
                name = self.name_from_words(drop_titles(named.group().split()))
            if name:
                doc.titles.append((match.start(), modifier, title, name))

    def bind_title(self, modifier: str | None, title_words: str, position: int) -> str | None:
        """The name a title mention ("the US president") refers to, or None."""
        doc = self.doc
        title = _title_key(title_words.lower().split())
        if title is None:
            return None
        modifier = (modifier or "").lower()
        loose = title in {"leader", "chief"}
        # Only the bindings near the mention are looked at, so many titles stay linear.
        k = bisect_left(doc.titles, (position,))
        nearby = doc.titles[max(0, k - MAX_CANDIDATES) : k + MAX_CANDIDATES]
        candidates = [
            b for b in nearby if (loose or b[2] == title) and modifier and b[1].startswith(modifier)
        ]
        if not candidates:
            candidates = [b for b in nearby if b[2] == title]
        if candidates:
            preceding = [b for b in candidates if b[0] < position]
            nearest = preceding[-1][3] if preceding else candidates[0][3]
            return max(
                (b[3] for b in candidates),
                key=lambda name: (doc.name_counts.get(name, 0), name == nearest),
            )
        if title not in {"prime minister", "president", "chancellor", "leader"}:
            return None
        return self._most_mentioned_untitled()

    def _most_mentioned_untitled(self) -> str | None:
        """The most mentioned full-named person who holds no bound title (computed once)."""
        if self._untitled_leader is None:
            doc = self.doc
            titled = {b[3] for b in doc.titles}
            names = [n for n in doc.name_counts if n not in titled and " " in n]
            best = max(names, key=lambda n: doc.name_counts[n], default="")
            self._untitled_leader = best
        return self._untitled_leader or None

    def _index_namesakes(self, runs: list[tuple[int, int, list[str]]]) -> None:
        """Full names that share a surname ("Sir Ian Blair", "Tony Blair"): surname -> the
        full names, each with the positions it is mentioned at and the honorifics it is
        written with, so that "Mr Blair" can be told from "Sir Ian" (`namesake`). From the
        PERSON entities and from the capitalised runs that are full names."""
        doc = self.doc
        names: dict[str, dict[str, tuple[list[int], set[str]]]] = {}

        def add(full: str, position: int, first_word: str) -> None:
            words = full.split()
            if len(words) < 2:
                return
            positions, honorifics = names.setdefault(words[-1], {}).setdefault(full, ([], set()))
            positions.append(position)
            first = first_word.lower().rstrip(".")
            if first in HONORIFICS:
                honorifics.add(first)

        for entity in doc.entities:
            if entity.label == "PERSON":
                add(self.full_canonical(entity.canonical), entity.start, entity.text.split()[0])
        firsts = first_name_genders()
        for start, end, run_words in runs:
            if len(run_words) >= 2 and run_words[0].lower() in firsts:
                add(" ".join(run_words), start, doc.body[start:end].split()[0])
        self.namesakes = {
            surname: by_name for surname, by_name in names.items() if len(by_name) > 1
        }

    def person_name(self, entity: Entity) -> str:
        """The full name a PERSON entity mention stands for: its canonical name completed
        (`full_canonical`), or the namesake an honorific points to (`namesake`); the
        name alone when the entity runs on into "of" and a body."""
        if " of " in entity.text:
            # "Ray Rae Marshall" of the entity "Ray Rae Marshall of the … Foundation".
            head = entity.text[: entity.text.index(" of ")].split()
            named = drop_titles(head)
            if len(named) >= 2 and named == head[len(head) - len(named) :]:
                return self.name_from_words(named)
        name = self.full_canonical(entity.canonical)
        if self.namesakes:
            words = entity.text.split()
            if len(words) == 2:
                return self.namesake(words[0], strip_possessive(words[1]), entity.start, name)
        return name

    def namesake(self, honorific: str, surname: str, position: int, name: str) -> str:
        """Which of two people with one surname "<honorific> <surname>" at `position` is.

        "Mr Blair" is not the knight "Sir Ian Blair" (a knight is "Sir Ian", never "Mr
        Blair") and no woman; "Ms Lee" is no man. Of the people it may be, `name` when it
        is one of them, else the one mentioned last before `position` (or first after)."""
        by_name = self.namesakes.get(surname)
        honorific = honorific.lower().rstrip(".")
        if by_name is None or honorific not in HONORIFICS_MALE | HONORIFICS_FEMALE:
            return name
        titled = {"sir", "lord", "dame", "lady"}
        female = honorific in HONORIFICS_FEMALE
        fitting = []
        for full, (positions, used) in by_name.items():
            gender = first_name_genders().get(full.split()[0].lower())
            if female and (gender == "m" or used & HONORIFICS_MALE):
                continue
            if not female and (gender == "f" or used & HONORIFICS_FEMALE):
                continue
            if honorific in titled and used and honorific not in used:
                continue
            if honorific not in titled and used & titled:
                continue  # a knight or a peer is not "Mr X"
            fitting.append((full, positions))
        if not fitting or any(full == name for full, _positions in fitting):
            return name
        before = [(p, full) for full, positions in fitting for p in positions if p < position]
        if before:
            return max(before)[1]
        return min((p, full) for full, positions in fitting for p in positions)[1]

    def full_canonical(self, canonical: str) -> str:
        """An entity's canonical name, completed when it is one word of a full name here, or
        when a mention of it runs on over a hyphen ("Cormac Murphy" of "Cormac
        Murphy-O'Connor")."""
        if " " not in canonical and canonical in self.doc.full_names:
            return self.doc.full_names[canonical]
        return self._hyphenated.get(canonical, canonical)

    def _index_hyphenated(self) -> None:
        """Person entities cut short at a hyphen: canonical -> the name with its rest."""
        body = self.doc.body
        for entity in self.doc.entities:
            if entity.label != "PERSON" or body[entity.end : entity.end + 1] != "-":
                continue
            match = _HYPHEN_REST_RE.match(body, entity.end)
            if match is None or not entity.canonical.endswith(entity.text.split()[-1]):
                continue
            self._hyphenated.setdefault(entity.canonical, entity.canonical + match.group())

    def name_from_words(self, words: list[str]) -> str:
        """The name some name words give, honorifics dropped: a surname or first name
        completed to the full name the article uses ("Caddell" -> "Pat Caddell")."""
        words = [w for w in words if w.lower().rstrip(".") not in HONORIFICS]
        if not words:
            return ""
        if len(words) == 1 and words[0] in self.doc.full_names:
            return self.doc.full_names[words[0]]
        joined = " ".join(words)
        if len(words) >= 2 and words[-1] in self.doc.full_names:
            full = self.doc.full_names[words[-1]]
            if full.endswith(joined) or joined.endswith(full.split()[-1]):
                return full if len(full) >= len(joined) else joined
        return joined

    def gender(self, text: str, name: str) -> str | None:
        """The gender ("m", "f" or None) of the mention `text` named `name`: its honorific, the
        first name, else the gender the article gives a part of the name ("actress X")."""
        first = text.split()[0].lower().rstrip(".") if text.split() else ""
        if first in HONORIFICS_MALE:
            return "m"
        if first in HONORIFICS_FEMALE:
            return "f"
        parts = name.split()
        if parts:
            gender = first_name_genders().get(parts[0].lower())
            if gender:
                return gender
            for part in parts:
                if part in self.doc.gender_by_name:
                    return self.doc.gender_by_name[part]
        return None

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """The PERSON/ORG/GPE/NORP entities that overlap body[start:end]."""
        doc = self.doc
        k = bisect_left(doc.entity_starts, start)
        found: list[Entity] = []
        # An entity may begin before the mention (e.g. the mention starts at "Mr").
        k = max(0, k - 1)
        while k < len(doc.entities) and doc.entities[k].start < end:
            entity = doc.entities[k]
            if entity.end > start and entity.label in ENTITY_SPEAKER_LABELS:
                found.append(entity)
            k += 1
        return found


def _by_first_letter(alternation: str) -> str:
    """The same alternation with its branches grouped by their first letter, in their order
    ("p(?:rime\\s+minister|m|…)|c(?:hancellor|…)"): it matches exactly what the flat one
    does, and a word is tried against one group instead of every branch."""
    groups: dict[str, list[str]] = {}
    for branch in alternation.split("|"):
        groups.setdefault(branch[0], []).append(branch[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_TITLE_WORD_RE = re.compile(r"\b(" + _by_first_letter(TITLE_ALTERNATION) + r")\s+")
_TITLE_NAME_RE = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Sir|Dame|Dr)\.?\s+)?[A-Z][\w’'\-]+(?:\s+(?:(?:von|van|der|de|la)\s+)*[A-Z][\w’'\-]+)*"
)
# Words before a title that make it another office: "shadow chancellor", "former
# president" ("the chancellor" and "the president" are someone else).
_NOT_THE_TITLE_RE = re.compile(r"\b(?:[Ss]hadow|[Ff]ormer|[Ee]x-?)[ \t]*$")
_MODIFIER_RE = re.compile(r"\b([A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)?)\s+$")
# An optional capitalised modifier before a title ("the Ukrainian president"), group 1; the
# first word of a multi-word title ("Prime" of "Prime Minister") is not a modifier.
_CAPITALISED_MODIFIER = (
    r"(?:(?!(?i:prime|foreign|home|defen[cs]e|education|health)\b)([A-Z][\w]*)\s+)?"
)
_TITLE_MENTION_RE = re.compile(
    r"\b(?:[Tt]he|[Hh]is|[Hh]er)\s+"
    + _CAPITALISED_MODIFIER
    + r"((?i:"
    + TITLE_ALTERNATION
    + r"))\b(?!\s+[A-Z])"
)
TITLE_NP_RE = re.compile(
    r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)?\s*"
    + _CAPITALISED_MODIFIER
    + r"((?i:"
    + TITLE_ALTERNATION
    + r"))"
)
_HONORIFIC_NAME_RE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?\s+((?:[A-Z][\w’'\-]+)(?:\s+[A-Z][\w’'\-]+)?)"
)
# "Fletcher's daughter Jill", "actress Negar Khan": a gendered role word right before a name.
_ROLE_GENDER_RE = re.compile(
    # The lookahead only skips quickly the words that no capitalised word follows.
    r"\b(?=[a-z]+\s+[A-Z])("
    + _by_first_letter("|".join(sorted(FEMALE_ROLES | MALE_ROLES)))
    + r")\s+([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)"
)
# The rest of a hyphenated surname after a name: "-O'Connor", "-Smith".
_HYPHEN_REST_RE = re.compile(r"-[A-Z][\w’']*(?:-[A-Z][\w’']*)*")
NAME_RUN_RE = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?[A-Z][\w’'\-]*(?:\s+(?:(?:von|van|der|de|la|del|da|bin|al)\s+)*(?:[A-Z]\.\s+)?[A-Z][\w’'\-]*)*"
)


def people_by_surname(entities: list[Entity]) -> list[Entity]:
    """The entities, with the names the recogniser labelled otherwise made PERSON where the
    article shows they are people: "Cate Blanchett" (labelled ORG) when "Blanchett" alone
    is a PERSON, and "Blanchett" (labelled ORG) when the article also has "Cate Blanchett".

    A name is a person's when some PERSON entity is, or ends with, its last word and a full
    name (two or three capitalised words) ending with that word appears in the article."""
    surnames: set[str] = set()
    full_surnames: set[str] = set()
    others = False
    # Per distinct text: None (not a name of capitalised words), or (surname, full name).
    seen: dict[str, tuple[str, bool] | None] = {}
    for entity in entities:
        text = entity.text
        if text in seen:
            found = seen[text]
        else:
            words = text.split()
            if not words or len(words) > 3 or not all(w[:1].isupper() for w in words):
                found = None
            else:
                found = (
                    strip_possessive(words[-1]),
                    len(words) >= 2 and words[0].lower() not in ORG_WORDS,
                )
            seen[text] = found
        if found is None:
            continue
        surname, full = found
        if entity.label == "PERSON":
            surnames.add(surname)
        elif entity.label in ENTITY_SPEAKER_LABELS:
            others = True
        if full:
            full_surnames.add(surname)
    if not others:
        return entities
    people = surnames & full_surnames
    if not people:
        return entities
    out: list[Entity] = []
    for entity in entities:
        found = seen[entity.text]
        if (
            found is not None
            and found[0] in people
            and entity.label != "PERSON"
            and entity.label in ENTITY_SPEAKER_LABELS
        ):
            words = entity.text.split()
            if all(w.lower() not in ORG_WORDS for w in words) and all(
                strip_possessive(w) == w for w in words[:-1]
            ):
                entity = replace(entity, label="PERSON")
        out.append(entity)
    return out


def drop_titles(words: list[str]) -> list[str]:
    """Name words without leading honorifics, titles and nationality words."""
    last_title = -1
    for k, word in enumerate(words):
        lower = word.lower().rstrip(".")
        if lower in DROPPED_NAME_WORDS:
            last_title = k
    rest = words[last_title + 1 :] if last_title >= 0 else words
    if rest and rest[0].lower() in SENTENCE_INITIAL:
        rest = rest[1:]
    return rest


def _title_key(lowered: list[str]) -> str | None:
    """A normalised title ("prime minister", "president") from the words of a title NP."""
    joined = " ".join(w for w in lowered if w in TITLE_WORDS)
    if not joined:
        return None
    if "prime minister" in joined or joined.endswith("pm") or joined == "premier":
        return "prime minister"
    words = joined.split()
    if words[-1] in {"spokesman", "spokeswoman", "spokesperson"}:
        return None
    return words[-1]
