"""Mention -> speaker: the name, gender and personhood of the mention a rule found.

`SpeakerNamer.make` turns a mention span and its cue into an `Attribution`. The mention is
first narrowed or moved to the person it stands for: the name set off after a role phrase
("the mayor of Leeds, Jane Whitfield"), a person named before "of ORG" ("Jane Doe of Acme"),
the name a title or a body runs on into ("Treasury Secretary John Snow"). Then it is named:
pronouns by `corpus.speaker_pronouns`; entities by their canonical names (people completed by
`corpus.speaker_people`: "Mr Blair" told from "Sir Ian Blair" by the honorific); "X
spokesman" as "X spokesperson", with the body as the article names it ("a spokesman for the
World Summit … (WSIS)" -> "WSIS spokesperson"); title phrases ("the Prime Minister") by the
name they are bound to; "it" and "the firm" as the organisation that spoke before; and the
capitalised names the entities missed.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from corpus.lexicon import (
    AUX_CHAIN,
    CALENDAR,
    DETERMINERS,
    HONORIFICS,
    NAME_CONNECTORS,
    NAME_PARTICLE_PATTERN,
    ORG_ALIASES,
    ORG_WORDS,
    ORGANISATION_NOUNS,
    PLURAL_GROUP_HEADS,
    POSSESSIVE_DETERMINERS,
    PRONOUNS,
    RANK_WORDS,
    ROLE_ADJECTIVES,
    ROLE_NOUNS,
    ROLE_PHRASE_FUNCTION_WORDS,
    SENTENCE_INITIAL,
    SPOKES_NOUNS,
    STOP_OBJECT,
    TITLE_OR_ROLE,
    TITLE_WORDS,
)
from corpus.model import Entity
from corpus.quote_lexicon import first_name_genders, is_verb_form
from corpus.speaker_clauses import ClauseRoles
from corpus.speaker_people import NAME_RUN_RE, TITLE_NP_RE, PeopleIndex, drop_titles
from corpus.speaker_pronouns import PronounResolver
from corpus.speaker_tokens import (
    MAX_CANDIDATES,
    Attribution,
    Mention,
    SpeakerDocument,
    strip_possessive,
)


class SpeakerNamer:
    """Names the speaker mentions of one body (`doc`)."""

    def __init__(
        self,
        doc: SpeakerDocument,
        people: PeopleIndex,
        clauses: ClauseRoles,
        pronouns: PronounResolver,
        reporting: frozenset[str],
    ) -> None:
        self.doc = doc
        self.people = people
        self.clauses = clauses
        self.pronouns = pronouns
        self._reporting = reporting

    def make(self, span: tuple[int, int], cue: tuple[int, int] | None) -> Attribution:
        """The attribution to the mention body[span] with the cue body[cue]: the mention
        moved to the person it stands for, then named (no name: an unresolved pronoun
        keeps its span, anything else gives the cue alone)."""
        body = self.doc.body
        cue_text = body[cue[0] : cue[1]] if cue else None
        start, end = self._appositive_person(*span)
        start, end = self._person_before_of(start, end)
        start, end = self._titled_person_after(start, end)
        name, gender, is_person = self._resolve(start, end)
        cue_end = cue[1] if cue else None
        if name is None and cue is not None and cue[0] >= end and body[start:end].lower() == "it":
            # "In a statement, it added: …": an organisation speaks.
            name = self._organisation_before(start)
        if name is None:
            # An unresolved pronoun still marks who governs the quote; the name stays None.
            if (
                body[start:end].lower() in PRONOUNS
                or body[start:end].split()[-1] in PLURAL_GROUP_HEADS
            ):
                return Attribution(None, start, end, cue_text, cue_end=cue_end)
            return Attribution(cue=cue_text, cue_end=cue_end)
        return Attribution(name, start, end, cue_text, gender, is_person, cue_end)

    def _appositive_person(self, start: int, end: int) -> tuple[int, int]:
        """The named person set off after a role phrase, else the mention itself.

        "The mayor of Leeds, Jane Whitfield, said" and "said the mayor of Leeds, Jane
        Whitfield." name Jane Whitfield; "the company, Acme, said" keeps "the company" (the
        appositive is no person) and "Sam Pruitt, the attorney general," keeps the name.
        """
        body = self.doc.body
        if not _is_role_phrase(body[start:end]):
            return start, end
        match = _APPOSITIVE_NAME_RE.match(body, end)
        if match is None:
            # "the director" of "the director of Northgate Museum, Dr. Priya Shah,".
            postmodifier = _POSTMODIFIER_RE.match(body, end)
            if postmodifier is not None:
                match = _APPOSITIVE_NAME_RE.match(body, postmodifier.end())
        if match is None:
            return start, end
        name_start, name_end = match.span(1)
        _name, _gender, is_person = self._resolve(name_start, name_end)
        if not is_person:
            return start, end
        return name_start, name_end

    def _titled_person_after(self, start: int, end: int) -> tuple[int, int]:
        """The person a mention is a modifier of, else the mention itself.

        "Treasury" of "Treasury Secretary John Snow", "Sandvine's chief" of "Sandvine's
        chief technology officer Marc Morin", "S" of "S&P credit analyst Helena Hessel" and
        "the Liberal Democrat spokesman" of "... spokesman Menzies Campbell": the words after
        the mention run on, with no punctuation, through a title or role word straight into a
        person's name, so the name is the speaker. Not when that person owns what follows
        ("the prime minister Tony Blair's spokesman")."""
        body = self.doc.body
        words = body[start:end].split()
        if not words or (len(words) == 1 and words[0].lower() in PRONOUNS):
            return start, end
        match = _MODIFIER_TAIL_RE.match(body, end)
        if match is None:
            return start, end
        titled = strip_possessive(words[-1]).lower() in TITLE_OR_ROLE
        for word in _WORD_AFTER_RE.finditer(body, match.end(), min(len(body), end + 120)):
            text = word.group(1)
            if text[:1].isupper() and titled:
                person = self._person_at(word.start(1))
                if person is not None:
                    tail = body[person[1] : person[1] + 2]
                    if tail in ("’s", "'s"):
                        return start, end
                    return person
            lower = text.lower()
            if lower in TITLE_OR_ROLE:
                titled = True
            elif (
                text.islower()
                and text.isalpha()
                and lower not in STOP_OBJECT
                and lower not in self._reporting
                and lower not in AUX_CHAIN
                and not is_verb_form(lower)
            ):
                titled = False  # a modifier: "technology" of "chief technology officer"
            else:
                break
            if word.end() < len(body) and body[word.end()] not in " \t":
                break
        return start, end

    def _person_at(self, position: int) -> tuple[int, int] | None:
        """The span of a person's name that starts at `position` (after a title or role
        word): a PERSON entity, or (without one) two or more capitalised words that name no
        organisation."""
        doc = self.doc
        k = bisect_left(doc.entity_starts, position)
        if k < len(doc.entities) and doc.entities[k].start == position:
            entity = doc.entities[k]
            return (entity.start, entity.end) if entity.label == "PERSON" else None
        match = NAME_RUN_RE.match(doc.body, position)
        if match is None or self.people.entities_in(position, match.end()):
            return None
        run = match.group().split()
        if len(run) >= 2 and not any(strip_possessive(w).lower() in ORG_WORDS for w in run):
            possessive = match.group().endswith(("’s", "'s"))
            return position, match.end() - 2 if possessive else match.end()
        return None

    def _person_before_of(self, start: int, end: int) -> tuple[int, int]:
        """ "Jane Doe" of "Jane Doe of Acme": a person named before "of ORG" is the speaker,
        not the organisation (the mention is narrowed to the name); "Bank of England",
        "Secretary of State" and "the mayor of Leeds" stay whole."""
        body = self.doc.body
        text = body[start:end]
        cut = text.find(" of ")
        if cut <= 0:
            return start, end
        head = text[:cut].rstrip(",")
        words = head.split()
        if not words or not all(w[:1].isupper() or w.lower() in NAME_CONNECTORS for w in words):
            return start, end
        last = strip_possessive(words[-1]).lower()
        if last in TITLE_WORDS or last in ORG_WORDS or last in ROLE_NOUNS:
            return start, end
        head_end = start + len(head)
        people = [e for e in self.people.entities_in(start, head_end) if e.label == "PERSON"]
        known = (
            words[0].lower().rstrip(".") in HONORIFICS
            or (len(words) >= 2 and words[0].lower() in first_name_genders())
            or strip_possessive(words[-1]) in self.doc.full_names
        )
        if people or known:
            return start, head_end
        return start, end

    def _resolve(self, start: int, end: int) -> tuple[str | None, str | None, bool]:
        """(name, gender, is a person) for the mention body[start:end]."""
        text = self.doc.body[start:end]
        words = text.split()
        lowered = [w.lower() for w in words]
        if len(words) == 1 and lowered[0] in PRONOUNS:
            return self.pronouns.resolve_pronoun(lowered[0], start)
        head = strip_possessive(lowered[-1])
        if len(words) == 2 and lowered[0] == "the" and head in ORGANISATION_NOUNS:
            owner = self._organisation_before(start)  # "said the firm": the firm named before
            if owner is not None:
                return owner, None, False
        entities = self.people.entities_in(start, end)
        for word_match in _SPOKES_FOR_RE.finditer(text):
            # "a spokeswoman for the Home Office": the body after "for".
            owner = self._owner_after(start + word_match.end(1))
            if owner:
                return f"{owner} spokesperson", None, False
        if head in SPOKES_NOUNS:
            owner_end = start + text.rfind(words[-1])
            owner = self._owner_name(start, owner_end, entities)
            if not owner:
                owner = self._owner_after(end)  # "a spokesman for Lufthansa"
            return (f"{owner} spokesperson" if owner else "spokesperson"), None, False
        core = " ".join(drop_titles([strip_possessive(w) for w in words]))
        if entities and " and " not in text and not any(core in e.text for e in entities):
            entities = []  # the entity covers only part of the name ("Downing" of "Downing Street")
        people = [e for e in entities if e.label == "PERSON"]
        if people and head not in ROLE_NOUNS:
            if len(people) >= 2 and " and " in text:
                return " and ".join(self.people.person_name(p) for p in people), None, True
            person = people[-1]
            canonical = self.people.person_name(person)
            return canonical, self.people.gender(person.text, canonical), True
        if entities and head not in ROLE_NOUNS and len(entities) == 1:
            entity = entities[0]
            if entity.end - entity.start >= len(text.rstrip("’'s")) - 4:
                return entity.canonical, None, False
        stripped = [w for w in words if w.lower() not in DETERMINERS or w[0].isupper()]
        if not stripped:
            return None, None, False
        title_match = TITLE_NP_RE.fullmatch(text)
        if title_match is not None:
            bound = self.people.bind_title(title_match.group(1), title_match.group(2), start)
            if bound is not None:
                return bound, self.people.gender(bound, bound), True
        if head in PLURAL_GROUP_HEADS and words[0].islower():
            return self.pronouns.resolve_plural(start), None, True
        alias = ORG_ALIASES.get(" ".join(stripped).lower())
        if alias:
            return alias, None, False
        if (words[0][0].isupper() or not words[0][0].isalpha()) and head not in ROLE_NOUNS:
            name_words = drop_titles([strip_possessive(w) for w in words])
            if any(w[:1].islower() for w in name_words) and name_words[-1][:1].isupper():
                # "LSE chief executive Clara Furse": the name is the final capitalised run.
                k = len(name_words)
                while k > 0 and (
                    name_words[k - 1][:1].isupper() or name_words[k - 1] in NAME_CONNECTORS
                ):
                    k -= 1
                name_words = name_words[k:]
            if " and " in text:
                parts = re.split(r"\s+and\s+", text)
                names = [self.people.name_from_words(drop_titles(p.split())) for p in parts]
                return " and ".join(n for n in names if n), None, True
            if name_words:
                name = self.people.name_from_words(name_words)
                if len(name_words) == 1 and len(words) >= 2 and self.people.namesakes:
                    name = self.people.namesake(words[-2], name_words[0], start, name)
                looks_person = (
                    words[0].lower().rstrip(".") in HONORIFICS
                    or name_words[0].lower() in first_name_genders()
                    or name != " ".join(name_words)
                    or (
                        2 <= len(name_words) <= 4
                        and not any(w.lower() in ORG_WORDS for w in name_words)
                        and not any(w.isupper() and len(w) > 1 for w in name_words)
                    )
                )
                if looks_person or len(stripped) == len(name_words):
                    return name, self.people.gender(text, name), looks_person
        if words[-1][:1].islower() and stripped[0].lower() in DETERMINERS:
            stripped = stripped[1:] or stripped  # "The statement said" -> "statement"
        return " ".join(stripped), None, False

    def _owner_name(self, start: int, end: int, entities: list[Entity]) -> str | None:
        """ "Downing Street" of "a Downing Street spokesman", "Trump" of "Trump’s spokesman",
        "All England club" of "An All England club spokesperson" (a body's name written
        with a lowercase "club", of which an entity may cover only a part: "England")."""
        written = [
            w
            for w in self.doc.body[start:end].split()
            if w.lower() not in DETERMINERS and w.lower().rstrip(".") not in HONORIFICS
        ]
        spoken = " ".join(strip_possessive(w) for w in written)
        compound = (
            len(written) >= 2
            and written[0][:1].isupper()
            and strip_possessive(written[-1]).lower() in ORG_WORDS
            and all(w[:1].isupper() or strip_possessive(w).lower() in ORG_WORDS for w in written)
        )
        if entities:
            entity = entities[-1]
            if (
                compound
                and len(entities) == 1
                and entity.label in ("ORG", "GPE")
                and entity.text in spoken
            ):
                return spoken
            return entity.canonical
        if compound:
            return spoken
        words = [
            strip_possessive(w)
            for w in self.doc.body[start:end].split()
            if (w[0].isupper() or w.isdigit()) and w.lower() not in DETERMINERS
        ]
        if not words:
            # "a council spokesman", "a government spokeswoman": the lowercase owner.
            words = [
                strip_possessive(w)
                for w in self.doc.body[start:end].split()
                if strip_possessive(w).isalpha()
                and w.lower() not in DETERMINERS
                and w.lower() not in ROLE_ADJECTIVES
            ]
            return " ".join(words) or None
        joined = " ".join(words)
        return ORG_ALIASES.get(joined.lower(), self.people.name_from_words(words))

    def _owner_after(self, end: int) -> str | None:
        """The body a spokesperson speaks for, named after the mention ("a spokesman for
        Lufthansa", "a spokeswoman for the Home Office"): the acronym the article gives it
        ("the World Summit for the Information Society (WSIS)" -> "WSIS", the name it uses
        next), else its entity name when the entity is the whole name, else its words; "for
        the company" is the organisation the article last made a subject."""
        body = self.doc.body
        match = _FOR_OWNER_RE.match(body, end)
        if match is None:
            described = _FOR_DESCRIBED_OWNER_RE.match(body, end)
            if described is not None:
                return self._organisation_before(end)
            return None
        owner_start, owner_end = match.span(1)
        acronym = _ACRONYM_AFTER_RE.match(body, owner_end)
        if acronym is not None:
            return acronym.group(1)
        for entity in self.people.entities_in(owner_start, owner_end):
            if entity.start <= owner_start + 1 and entity.label != "PERSON":
                if entity.end >= owner_end - 1 or " " not in match.group(1):
                    return entity.canonical
                return match.group(
                    1
                )  # the entity is a part: "World Summit" of "World Summit for …"
        people = [e for e in self.people.entities_in(owner_start, owner_end) if e.label == "PERSON"]
        if people:
            return self.people.person_name(people[0])  # "a spokesman for the author"
        return ORG_ALIASES.get(match.group(1).lower(), match.group(1))

    def _organisation_before(self, position: int) -> str | None:
        """The organisation that "the company", "the firm" or "it" (saying something) refers
        to: the nearest organisation before `position`, within the paragraph and the three
        before it, that is the subject of a reporting verb ("NTL said it had …"): an ORG
        entity, or a capitalised name no entity covers that names no person."""
        doc = self.doc
        body = doc.body
        horizon = doc.paragraph_starts[max(0, self.doc.paragraph_of(position) - 3)]
        best: tuple[int, str] | None = None
        k = bisect_left(doc.entity_starts, position) - 1
        stop = k - MAX_CANDIDATES
        while k >= 0 and k > stop and doc.entities[k].start >= horizon:
            entity = doc.entities[k]
            k -= 1
            if (
                entity.label == "ORG"
                and entity.end <= position
                and not self.doc.inside_quote(entity.start)
                and self.clauses.speaks(Mention(entity.start, entity.end, "", None, None))
            ):
                best = (entity.start, entity.canonical)
                break
        # A name no entity covers, nearer than that entity.
        firsts = first_name_genders()
        found: list[tuple[int, int, str]] = []
        for match in NAME_RUN_RE.finditer(body, best[0] + 1 if best else horizon, position):
            words = match.group().split()
            if len(words) == 1 and not _ACRONYM_RE.fullmatch(words[0]):
                continue  # "Critics said": a capitalised word alone may be any noun
            if (
                any(w.lower() in CALENDAR for w in words)
                or self.people.entities_in(match.start(), match.end())
                or words[0].lower().rstrip(".") in HONORIFICS
                or words[0].lower() in firsts
                or words[0].lower() in SENTENCE_INITIAL
                or words[-1] in doc.full_names
            ):
                continue
            found.append((match.start(), match.end(), strip_possessive(match.group())))
        for start, end, name in reversed(found):
            if not self.doc.inside_quote(start) and self.clauses.speaks(
                Mention(start, end, "", None, None)
            ):
                return name
        return best[1] if best else None


# What may stand right after a mention before the words that lead to a name: the rest of an
# ampersand name ("&P" of "S&P") and a possessive.
_MODIFIER_TAIL_RE = re.compile(r"(?:&[A-Z][\w]*)?(?:[’']s)?(?=[ \t]+[A-Za-z])")
# One word after a space or tab.
_WORD_AFTER_RE = re.compile(r"[ \t]+([A-Za-z][\w’'\-]*)")


# ", Jane Whitfield," / ", Dr. Omar J. Haddad." right after a mention: a run of capitalised
# words (initials, dotted honorifics and name particles allowed) closed by punctuation, a line
# break or the end of the text.
_NAME_WORD = r"(?:[A-Z]\.|(?:Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Gen|Rev|St)\.|[A-Z][\w’'\-]*)"
_APPOSITIVE_NAME_RE = re.compile(
    rf",[ \t]+({_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|{NAME_PARTICLE_PATTERN})){{0,5}})"
    r"[ \t]*(?:[,;:.!?)\n]|$)"
)
_SPOKES_FOR_RE = re.compile(r"\b(spokes(?:man|woman|person|men|people))[ \t]+(?:for|at)[ \t]")
# " for Lufthansa", " for the Home Office", " for the World Summit for the Information
# Society" after a spokesperson mention (group 1: the body).
_FOR_OWNER_RE = re.compile(
    r"[ \t]+(?:for|at)[ \t]+(?:the[ \t]+)?"
    r"([A-Z][\w’'\-]*(?:[ \t]+(?:(?:of|for)[ \t]+(?:the[ \t]+)?)?[A-Z][\w’'\-]*)*)"
)
_ACRONYM_RE = re.compile(r"[A-Z][A-Z&\-]+")
# " (WSIS)": the acronym given after a body's name.
_ACRONYM_AFTER_RE = re.compile(r"[ \t]*\(([A-Z][A-Z&]{1,9})\)")
# " for the company" after a spokesperson mention.
_FOR_DESCRIBED_OWNER_RE = re.compile(
    r"[ \t]+for[ \t]+the[ \t]+(?:" + "|".join(sorted(ORGANISATION_NOUNS)) + r")\b"
)
# "of Northgate Museum", "at the Bank of England": a capitalised of/for/at phrase after a role.
_POSTMODIFIER_RE = re.compile(
    r"[ \t]+(?:of|for|at)[ \t]+(?:the[ \t]+)?[A-Z][\w’'\-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w’'\-]*)*"
)


def _is_role_phrase(text: str) -> bool:
    """A mention naming a role or group rather than a person: "the mayor of Leeds", "its
    chief executive", "Leeds’s mayor", "Labour leader", "Acting Detective Chief
    Superintendent" (not "Sam Pruitt", not a pronoun)."""
    words = text.split()
    if not words or (len(words) == 1 and words[0].lower() in PRONOUNS):
        return False
    if all(word.lower() in RANK_WORDS for word in words):
        return True  # a title alone, in capitals: the name comes after it
    first = words[0].lower()
    led = (
        first in DETERMINERS or first in POSSESSIVE_DETERMINERS or strip_possessive(first) != first
    )
    rest = words[1:] if led else words
    return any(
        (word.isalpha() and word.islower() and word not in ROLE_PHRASE_FUNCTION_WORDS)
        or (led and word.lower() in TITLE_WORDS)
        for word in rest
    )
