"""Who said it: the reporting cue and the speaker of each quotation.

For every quotation the attributor looks at the rest of its sentence, outside any quote:

- a quote that opens its sentence ("“…,” said Caddell.", "“…,” he said.", "“…,” a Downing
  Street spokesman added.") takes the cue after it, in either order;
- a quote inside or at the end of a sentence ("Sir Keir said: “…”", "accused France of
  having “done nothing”", "is expected to warn Mr Trump not to “be weak”") takes the nearest
  cue before it, whose subject is found by walking left over auxiliaries, adverbs and
  appositives ("David Frost, director general of …, warned"); "according to X" and
  "said X:" take the noun phrase after the cue;
- a quote with no cue of its own that opens its sentence continues the previous quotation
  (same speaker, cue None) or, when it opens a paragraph, takes the speaker of the
  sentence before it ("Caddell continued:"); a person the sentence just before introduces
  ("Treasury Secretary John Snow put a brave face on it, saying …") speaks it instead;
- in "He added [that] the council had pledged “…”" the reporting clause's subject speaks.

Mentions become names with the entities when they overlap a PERSON/ORG/GPE/NORP entity
(its `canonical`), with "X spokesman" -> "X spokesperson" (the body as the article names it:
"a spokesman for the World Summit … (WSIS)" -> "WSIS spokesperson"), titles ("the Prime
Minister") bound to the name they precede elsewhere in the article ("shadow chancellor X" is
not "the chancellor"), a body or title before a name standing for the person ("Treasury
Secretary John Snow"), "Mr Blair" told from "Sir Ian Blair" by the honorific, "it" and "the
firm" saying something named as the organisation that spoke before, and pronouns resolved
to the most recent person of a compatible gender (honorifics and a first-name list) that
was a subject or a speaker and is not named inside the quotation. A name the recogniser
labelled otherwise is a person when its surname is a PERSON of the article. Without
entities a small capitalised-name finder stands in.

The rules above make one reading per quotation. For direct quotations that are quoted
sentences, the speaker mention is then chosen by the learned model (`corpus.quote_model`)
among the candidates of `corpus.quote_candidates`, where the rules' readings are features
("the rules chose this one, by this path"), not a fixed order; the chosen mention is named by
the same rules (`_make`). `RULES_ONLY` keeps the rules' reading.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import overload

from corpus.model import Entity
from corpus.quote_candidates import Candidate, CandidateFinder
from corpus.quote_lexicon import first_name_genders, is_verb_form, reporting_verbs
from corpus.quote_model import SpeakerChooser, speaker_model
from corpus.quote_spans import QuoteSpan


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a word-list literal."""
    return text.split()


_TOKEN_RE = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*|[^\w\s]")
_WINDOW = 300
_MAX_CANDIDATES = 60  # person mentions looked at when resolving a pronoun
_AFTER_WINDOW = 160

HONORIFICS_MALE = frozenset({"mr", "sir", "lord", "mister"})
HONORIFICS_FEMALE = frozenset({"ms", "mrs", "miss", "dame", "lady", "madam"})
HONORIFICS_OTHER = frozenset({"dr", "prof", "professor", "rev", "sen", "rep", "gov", "gen"})
HONORIFICS = HONORIFICS_MALE | HONORIFICS_FEMALE | HONORIFICS_OTHER
ABBREVIATIONS = HONORIFICS | frozenset(
    _words(
        """st jr sr lt col capt sgt vs etc inc corp co ltd no mt ft jan feb mar apr jun jul aug sep
    sept oct nov dec ariz calif fla ga ill mass mich minn nev pa tenn tex va wash wis"""
    )
)
TITLE_WORDS = frozenset(
    _words(
        """president prime minister pm chancellor secretary chief leader king queen senator
    governor mayor candidate nominee premier chairman chairwoman chair director commissioner
    ambassador envoy general spokesman spokeswoman spokesperson speaker vice deputy foreign
    home defence defense education health justice state first lady sen rep gov cardinal
    archbishop bishop producer coach manager treasurer professor economist analyst lecturer
    superintendent inspector"""
    )
)
ROLE_NOUNS = frozenset(
    _words(
        """spokesman spokeswoman spokesperson spokesmen spokespeople official officials minister
    ministers secretary president leader leaders source sources aide aides statement readout
    report reports adviser advisers advisor advisors chief pair sides campaign government
    administration ministry department office spokesperson's candidate nominee senator
    governor mayor chancellor premier analyst analysts expert experts economist economists
    lawyer lawyers attorney directors prosecutor prosecutors police officer officers researchers
    scientists critics supporters voters residents witnesses protesters activists democrats
    republicans diplomat diplomats envoy ambassador group groups union unions company firm
    bank committee commission council party team agency court judge author authors memo
    letter email document survey poll study website post tweet newspaper paper chairman
    chairwoman director executive founder manager member members mother father wife husband
    son daughter sister brother friend woman man people producer producers coach manager
    managers boss owner captain player players singer actor actress presenter lecturer
    professor researcher researchers commissioner inspector superintendent bishop archbishop
    cardinal treasurer"""
    )
)
SPOKES_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokespeople"})
DETERMINERS = frozenset(
    _words("""a an the his her their its our my your this that these those one two three some""")
)
POSSESSIVE_DETERMINERS = frozenset(["his", "her", "their", "its", "our", "my", "your"])
PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it", "you"])
# Words that may sit between a subject and its cue: auxiliaries, negation, adverbs.
AUX_CHAIN = frozenset(
    _words(
        """has have had is was were are will would could can may might should must also later then
    previously reportedly repeatedly again recently further quickly once earlier first
    publicly privately simply just not never already even still expected to set due going
    has’ve ’d 've 'd last week separately subsequently initially originally often always
    frequently immediately finally eventually angrily bluntly flatly"""
    )
)
# Verbs that take "to" + the cue: "protesters continued to chant", "he went on to say".
CATENATIVES = frozenset(
    _words(
        """continued continues continue began begins begin started starts start tried tries
        wanted wants decided decides refused refuses went goes appeared appears seemed seems
        sought seeks used hoped hopes"""
    )
)
# Links of an auxiliary chain that belong in the cue ("is expected to warn").
CUE_CHAIN = frozenset({"is", "was", "are", "were", "expected", "to", "set", "due", "going"})
NAME_CONNECTORS = frozenset({"von", "der", "van", "de", "la", "le", "del", "da", "di", "bin", "al"})
CALENDAR = frozenset(
    _words(
        """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday tonight"""
    )
)
SENTENCE_INITIAL = frozenset(
    _words(
        """the a an but and or so yet in on at as after before when while if though although
    because since meanwhile however speaking asked asking earlier later also then this that
    these those there here it its his her their our we they he she i you what who why how
    where one some many most all both each every no not now still just even last next"""
    )
)
STOP_OBJECT = frozenset(
    _words(
        """that on in at during after before about of for with by from as when while if but and or
    to he she they it we i you him them us me his her their this what how why whether was is
    were are had has have would will"""
    )
)
ORG_ALIASES = {"number 10": "Downing Street", "no 10": "Downing Street", "no. 10": "Downing Street"}
ENTITY_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


class _RulesOnly:
    """A chooser that never chooses: the rules' attribution stands (`RULES_ONLY`)."""

    def choose(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> int:
        return -1


RULES_ONLY: SpeakerChooser = _RulesOnly()
"""Pass as `chooser` to attribute with the hand-written rules alone (for comparison)."""


@dataclass(slots=True)
class Attribution:
    """The result for one quotation."""

    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    gender: str | None = None
    is_person: bool = False
    cue_end: int | None = None
    how: str = ""  # which rule found it (a feature of the learned choice)


@overload
def _how(result: Attribution, how: str) -> Attribution: ...
@overload
def _how(result: Attribution | None, how: str) -> Attribution | None: ...
def _how(result: Attribution | None, how: str) -> Attribution | None:
    """`result` with the name of the rule that found it prefixed to its `how`."""
    if result is not None:
        result.how = f"{how}|{result.how}" if result.how else how
    return result


@dataclass(slots=True)
class _Token:
    """A word or punctuation mark of the body; the candidate finder also numbers its
    paragraph and sentence, and stands a whole quotation in for a token (`quote` >= 0)."""

    start: int
    end: int
    text: str
    lower: str
    quote: int = -1
    paragraph: int = 0
    sentence: int = 0


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    name: str
    gender: str | None
    subject: bool | None  # None until first asked (see QuoteAttributor._is_subject)


@dataclass(slots=True)
class _Document:
    body: str
    entities: list[Entity]
    entity_starts: list[int]
    quotes: list[QuoteSpan]
    quote_starts: list[int]
    paragraph_starts: list[int]
    gender_by_name: dict[str, str]
    full_names: dict[str, str]  # surname or first name -> full name (no entities)
    persons: list[_Mention] = field(default_factory=list)
    person_starts: list[int] = field(default_factory=list)
    name_counts: dict[str, int] = field(default_factory=dict)
    # (position, modifier, title, name): "US President Donald Trump" -> (p, "us", "president", ...)
    titles: list[tuple[int, str, str, str]] = field(default_factory=list)


@lru_cache(maxsize=4)
def _phrases_by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Reporting phrases by their first word, in their list order ("is expected to" left out:
    it only extends a cue)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase[0] != "is":
            index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


@lru_cache(maxsize=4)
def _cue_words(reporting: frozenset[str], phrases: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """The words a reporting cue can start with: the verbs and the phrases' first words."""
    return reporting | frozenset(phrase[0] for phrase in phrases if phrase[0] != "is")


def _tokens(body: str, start: int, end: int) -> list[_Token]:
    out: list[_Token] = []
    append = out.append
    for match in _TOKEN_RE.finditer(body, start, end):
        text = match.group()
        token_start, token_end = match.span()
        append(_Token(token_start, token_end, text, text.lower()))
    return out


def _is_cap(token: _Token) -> bool:
    """Whether a token is capitalised, as names are ("4Cast" and "3Com" too)."""
    text = token.text
    return text[:1].isupper() or (text[:1].isdigit() and _DIGIT_NAME_RE.match(text) is not None)


_DIGIT_NAME_RE = re.compile(r"\d+[A-Z][a-z]")


def _strip_possessive(text: str) -> str:
    """The word without a possessive "’s"/"'s" or a bare "’"/"'" at its end."""
    last = text[-1:]
    if last == "s":
        return text[:-2] if len(text) > 2 and text[-2] in "’'" else text
    if last in ("’", "'") and len(text) > 1:
        return text[:-1]
    return text


def _is_possessive(token: _Token) -> bool:
    return token.lower.endswith(("’s", "'s")) and token.lower not in {"it’s", "it's", "he’s"}


class QuoteAttributor:
    """Attributes the quotations of one body (build once per body, then `attribute`)."""

    def __init__(
        self,
        body: str,
        quotes: Sequence[QuoteSpan],
        entities: Sequence[Entity],
        paragraph_starts: list[int],
        chooser: SpeakerChooser | None = None,
    ) -> None:
        """`chooser` picks the speaker among the candidates of each direct quotation (the
        shipped `corpus.quote_model` by default; `RULES_ONLY` keeps the rules' choice)."""
        ordered = _people_by_surname(sorted(entities, key=lambda e: (e.start, e.end)))
        self.doc = _Document(
            body=body,
            entities=ordered,
            entity_starts=[e.start for e in ordered],
            quotes=list(quotes),
            quote_starts=[q.start for q in quotes],
            paragraph_starts=paragraph_starts,
            gender_by_name={},
            full_names={},
        )
        self._reporting, self._phrases = reporting_verbs()
        self._phrases_by_first = _phrases_by_first_word(self._phrases)
        self._cue_words = _cue_words(self._reporting, self._phrases)
        self._speaker_events: list[tuple[int, str, str | None]] = []
        self._plural_events: list[tuple[int, str, str | None]] = []
        self._untitled_leader: str | None = None
        self.kinds: list[str] = []
        self._chooser = speaker_model() if chooser is None else chooser
        if isinstance(self._chooser, _RulesOnly):
            self._chooser = None
        self._speaker_counts: dict[str, int] = {}
        self._named_in_quote: frozenset[str] = frozenset()  # capitalised words of the quote
        self._subjects: dict[tuple[int, int], bool] = {}  # `_looks_like_subject` per span
        self._finder: CandidateFinder | None = None
        self._paragraph_tokens: dict[int, tuple[list[_Token], list[int]]] = {}
        self._hyphenated: dict[str, str] = {}
        self._namesakes: dict[str, dict[str, tuple[list[int], set[str]]]] = {}
        self._index_hyphenated()
        self._index_names()

    # ----------------------------------------------------------------- document index

    def _window_tokens(self, start: int, end: int) -> list[_Token]:
        """The tokens wholly inside body[start:end] outside quotations (every window the
        rules read lies outside quotations). Each paragraph is tokenised once, when a window
        first reaches it, so paragraphs far from any quotation cost nothing."""
        first = self._paragraph_of(start)
        last = self._paragraph_of(max(start, end - 1))
        tokens: list[_Token] = []
        for paragraph in range(max(0, first), last + 1):
            found = self._paragraph_tokens.get(paragraph)
            if found is None:
                found = self._tokenise_paragraph(paragraph)
            found_tokens, found_starts = found
            low = bisect_left(found_starts, start) if paragraph == first else 0
            high = bisect_left(found_starts, end) if paragraph == last else len(found_tokens)
            if high > low and found_tokens[high - 1].end > end:
                high -= 1
            tokens.extend(found_tokens[low:high])
        return tokens

    def _tokenise_paragraph(self, paragraph: int) -> tuple[list[_Token], list[int]]:
        doc = self.doc
        starts = doc.paragraph_starts
        start = starts[paragraph]
        end = starts[paragraph + 1] if paragraph + 1 < len(starts) else len(doc.body)
        tokens: list[_Token] = []
        position = start
        k = max(0, bisect_left(doc.quote_starts, start) - 1)
        while k < len(doc.quotes) and doc.quotes[k].start < end:
            quote = doc.quotes[k]
            if quote.end > position:
                if quote.start > position:
                    tokens.extend(_tokens(doc.body, position, quote.start))
                position = quote.end
            k += 1
        if position < end:
            tokens.extend(_tokens(doc.body, position, end))
        found = (tokens, [t.start for t in tokens])
        self._paragraph_tokens[paragraph] = found
        return found

    def _inside_quote(self, position: int) -> bool:
        doc = self.doc
        k = bisect_left(doc.quote_starts, position + 1) - 1
        return k >= 0 and doc.quotes[k].start <= position < doc.quotes[k].end

    def _index_names(self) -> None:
        """Genders, full names, title bindings and person mentions of the article."""
        doc = self.doc
        body = doc.body
        firsts = first_name_genders()
        for match in _ROLE_GENDER_RE.finditer(body):
            gender = "f" if match.group(1).lower() in _FEMALE_ROLES else "m"
            for part in match.group(2).split():
                doc.gender_by_name.setdefault(_strip_possessive(part), gender)
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
                    doc.gender_by_name.setdefault(_strip_possessive(part), honorific_gender)
        # Capitalised runs, titles dropped; a lone capitalised word is kept only when it
        # could be a surname seen elsewhere (checked below), which keeps this pass cheap.
        runs: list[tuple[int, int, list[str]]] = []
        lone: list[tuple[int, int, str]] = []  # single words, looked at once names are known
        for match in _NAME_RUN_RE.finditer(body):
            text = match.group()
            if " " not in text:
                lone.append((match.start(), match.end(), text))
                continue
            words = text.split()
            words[-1] = _strip_possessive(words[-1])
            runs.append((match.start(), match.end(), _drop_titles(words)))
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
            if entity.label != "PERSON" or self._inside_quote(entity.start):
                continue
            canonical = self._person_name(entity)
            doc.persons.append(
                _Mention(
                    entity.start, entity.end, canonical, self._gender(entity.text, canonical), None
                )
            )
        for start, end, text in lone:
            word = _strip_possessive(text)
            if word in doc.full_names or word != text:
                runs.append((start, end, [word]))  # else no known surname: not a person
        for start, end, name_words in runs:
            if (
                len(name_words) == 1
                and name_words[0] not in doc.full_names
                and end - start == len(name_words[0])
            ):
                continue  # a lone capitalised word that is no known surname
            if self._inside_quote(start) or self._entities_in(start, end):
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
            name = self._name_from_words(name_words)
            if len(words) >= 2 and len(name_words) == 1 and self._namesakes:
                name = self._namesake(words[-2], name_words[0], start, name)
            doc.persons.append(
                _Mention(start, end, name, self._gender(body[start:end], name), None)
            )
        doc.persons.sort(key=lambda m: m.start)
        self._index_titles()
        for person in doc.persons:
            doc.name_counts[person.name] = doc.name_counts.get(person.name, 0) + 1
        # Title mentions ("the Prime Minister") are person mentions too, for pronouns.
        for match in _TITLE_MENTION_RE.finditer(body):
            if self._inside_quote(match.start()):
                continue
            bound = self._bind_title(match.group(1), match.group(2), match.start())
            if bound:
                doc.persons.append(
                    _Mention(match.start(), match.end(), bound, self._gender(bound, bound), None)
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
                e for e in self._entities_in(named.start(), named.end()) if e.label == "PERSON"
            ]
            if entities:
                name = self._person_name(entities[0])
            else:
                name = self._name_from_words(_drop_titles(named.group().split()))
            if name:
                doc.titles.append((match.start(), modifier, title, name))

    def _bind_title(self, modifier: str | None, title_words: str, position: int) -> str | None:
        """The name a title mention ("the US president") refers to, or None."""
        doc = self.doc
        title = _title_key(title_words.lower().split())
        if title is None:
            return None
        modifier = (modifier or "").lower()
        loose = title in {"leader", "chief"}
        # Only the bindings near the mention are looked at, so many titles stay linear.
        k = bisect_left(doc.titles, (position,))
        nearby = doc.titles[max(0, k - _MAX_CANDIDATES) : k + _MAX_CANDIDATES]
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
        written with, so that "Mr Blair" can be told from "Sir Ian" (`_namesake`). From the
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
                add(self._full_canonical(entity.canonical), entity.start, entity.text.split()[0])
        firsts = first_name_genders()
        for start, end, run_words in runs:
            if len(run_words) >= 2 and run_words[0].lower() in firsts:
                add(" ".join(run_words), start, doc.body[start:end].split()[0])
        self._namesakes = {
            surname: by_name for surname, by_name in names.items() if len(by_name) > 1
        }

    def _person_name(self, entity: Entity) -> str:
        """The full name a PERSON entity mention stands for: its canonical name completed
        (`_full_canonical`), or the namesake an honorific points to (`_namesake`); the
        name alone when the entity runs on into "of" and a body."""
        if " of " in entity.text:
            # "Ray Rae Marshall" of the entity "Ray Rae Marshall of the … Foundation".
            head = entity.text[: entity.text.index(" of ")].split()
            named = _drop_titles(head)
            if len(named) >= 2 and named == head[len(head) - len(named) :]:
                return self._name_from_words(named)
        name = self._full_canonical(entity.canonical)
        if self._namesakes:
            words = entity.text.split()
            if len(words) == 2:
                return self._namesake(words[0], _strip_possessive(words[1]), entity.start, name)
        return name

    def _namesake(self, honorific: str, surname: str, position: int, name: str) -> str:
        """Which of two people with one surname "<honorific> <surname>" at `position` is.

        "Mr Blair" is not the knight "Sir Ian Blair" (a knight is "Sir Ian", never "Mr
        Blair") and no woman; "Ms Lee" is no man. Of the people it may be, `name` when it
        is one of them, else the one mentioned last before `position` (or first after)."""
        by_name = self._namesakes.get(surname)
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

    def _full_canonical(self, canonical: str) -> str:
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

    def _name_from_words(self, words: list[str]) -> str:
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

    def _gender(self, text: str, name: str) -> str | None:
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

    def _is_subject(self, mention: _Mention) -> bool:
        if mention.subject is None:
            mention.subject = self._looks_like_subject(mention.start, mention.end)
        return mention.subject

    def _looks_like_subject(self, start: int, end: int) -> bool:
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
            if previous in _SAY_VERBS and not before.group(1) and self._ends_clause(end):
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
            (word.lower() in _TITLE_OR_ROLE or word[:1].isupper())
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

    def _speaks(self, mention: _Mention) -> bool:
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
            and before.group(2).lower() in _SAY_VERBS | {"that"}
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

    # ----------------------------------------------------------------- attribution

    def attribute(self, kinds: Sequence[str] = ()) -> list[Attribution]:
        """One Attribution per quotation, in order (`kinds`: "direct"/"scare" per quote)."""
        doc = self.doc
        self.kinds = list(kinds)
        results: list[Attribution] = []
        for number, quote in enumerate(doc.quotes):
            kind = kinds[number] if number < len(kinds) else "direct"
            self.enter_quote(quote)
            result = self._attribute_one(number, quote, kind, results)
            if self._chooser is not None and kind == "direct":
                result = self._choose(number, quote, kind, result, results)
            results.append(result)
            speaker = result.speaker
            if speaker is None:
                continue
            self._speaker_counts[speaker] = self._speaker_counts.get(speaker, 0) + 1
            if " and " in speaker or (
                not result.is_person
                and speaker.endswith("s")
                and speaker[-2:] != "ss"
                and speaker.split()[-1].islower()
            ):
                self._plural_events.append((quote.start, speaker, None))
            elif result.is_person or speaker.endswith("spokesperson"):
                self._speaker_events.append((quote.start, speaker, result.gender))
        return results

    def enter_quote(self, quote: QuoteSpan) -> None:
        """Make `quote` the quotation being attributed: the names it speaks of (its
        capitalised words) are no candidates for "he" and "she" (`_resolve_pronoun`)."""
        self._named_in_quote = frozenset(
            _strip_possessive(word)
            for word in _CAPITALISED_WORD_RE.findall(self.doc.body, quote.start + 1, quote.end)
            if word != "I"
        )

    def name_of(self, quote: QuoteSpan, candidate: Candidate) -> str | None:
        """The speaker name that choosing `candidate` for `quote` gives (for training)."""
        if candidate.attribution is not None:
            return candidate.attribution.speaker
        self.enter_quote(quote)
        return self._make((candidate.start, candidate.end), candidate.cue).speaker

    def _choose(
        self,
        number: int,
        quote: QuoteSpan,
        kind: str,
        rule: Attribution,
        previous: list[Attribution],
    ) -> Attribution:
        """The learned choice among the speaker candidates (the rules' choice is one)."""
        assert self._chooser is not None
        if self._finder is None:
            self._finder = CandidateFinder(self, self.kinds)
        candidates = self._finder.candidates(number, kind, rule, previous, self._speaker_counts)
        if not candidates:
            return rule
        index = self._chooser.choose(quote, candidates)
        if index < 0:
            return rule
        chosen = candidates[index]
        if chosen.attribution is not None:
            return chosen.attribution
        return self._make((chosen.start, chosen.end), chosen.cue)

    def _paragraph_of(self, position: int) -> int:
        return bisect_left(self.doc.paragraph_starts, position + 1) - 1

    def _ends_sentence(self, quote: QuoteSpan) -> bool:
        if not quote.closed:
            return True
        return self._inner_last(quote) in ".?!…"

    def _inner_last(self, quote: QuoteSpan) -> str:
        """The last character inside a closed quotation's marks ("" when unclosed or empty);
        a space typed before the closing mark ("… in the end, ”") is skipped."""
        if not quote.closed:
            return ""
        body = self.doc.body
        position = quote.end - 2
        while position > quote.start and body[position] in " \t":
            position -= 1
        return body[position] if position > quote.start else ""

    def _attribute_one(
        self, number: int, quote: QuoteSpan, kind: str, previous: list[Attribution]
    ) -> Attribution:
        doc = self.doc
        paragraph = self._paragraph_of(quote.start)
        paragraph_start = doc.paragraph_starts[paragraph]
        last_paragraph = self._paragraph_of(quote.end - 1)
        paragraph_end = (
            doc.paragraph_starts[last_paragraph + 1]
            if last_paragraph + 1 < len(doc.paragraph_starts)
            else len(doc.body)
        )
        prior_end = doc.quotes[number - 1].end if number else 0
        before_start = max(paragraph_start, prior_end, quote.start - _WINDOW)
        following = doc.quotes[number + 1].start if number + 1 < len(doc.quotes) else len(doc.body)
        after_end = min(paragraph_end, following, quote.end + _AFTER_WINDOW)

        window = self._window_tokens(before_start, quote.start)
        before = self._sentence_tail(window)
        after = self._sentence_head(
            quote, self._window_tokens(quote.end, after_end), after_end == paragraph_end
        )
        opens_sentence = not any(t.text[0].isalnum() for t in before)
        previous_result = previous[-1] if previous else None
        # The previous quotation is in the same sentence ("Mr Trump said “…” was made with
        # “…” agreed"): its speaker governs this one unless this one has its own.
        shares_sentence = (
            number > 0
            and before_start == prior_end
            and len(before) == len(window)
            and not self._ends_sentence(doc.quotes[number - 1])
        )

        result: Attribution | None = None
        inner_last = self._inner_last(quote)
        if opens_sentence:
            result = _how(self._from_after(after), "opens")
        elif inner_last == "," and (result := self._from_after(after)) is not None:
            result.how = "comma|" + result.how
            # "…: “…,” the union wrote": the attribution that closes the quote wins
        else:
            result = _how(self._from_before(before), "inside")
            if result is None:
                result = _how(self._from_after(after), "inside_after")
                if result is not None and kind == "scare" and result.cue != "according to":
                    result = None  # a term used in the sentence, not the words of its subject
        if (
            (result is None or result.speaker is None)
            and shares_sentence
            and previous_result is not None
            and previous_result.speaker is not None
        ):
            cue = previous_result.cue
            if result is not None and result.cue is not None and result.cue_end is not None:
                cue_start = result.cue_end - len(result.cue)
                if doc.body[prior_end:cue_start].strip():
                    cue = result.cue  # "… “dictator” and said …": this clause's own cue
            return Attribution(
                previous_result.speaker,
                previous_result.speaker_start,
                previous_result.speaker_end,
                cue,
                previous_result.gender,
                previous_result.is_person,
                how="shares_sentence",
            )
        if result is not None:
            return result
        if not opens_sentence:
            if kind == "direct" and (result is None or result.speaker_start is None):
                # Quoted words with no reporting verb ("the PM using his call to “…”"):
                # the nearest subject before them, with no cue.
                span = self._subject_before(before)
                if span is not None:
                    return _how(self._make(span, None), "subject_no_cue")
            return result if result is not None else Attribution()
        # A quote-only sentence: it continues the previous quotation, or (opening a
        # paragraph) belongs to the speaker of the sentence before.
        previous_quote = doc.quotes[number - 1] if number else None
        previous_result = previous[-1] if previous else None
        at_paragraph_start = quote.start == paragraph_start
        own_cue = any(self._cue_at(after, k) for k in range(len(after)))
        if at_paragraph_start and paragraph > 0 and not own_cue:
            introduced = self._from_previous_paragraph(paragraph)
            if introduced is not None:
                return _how(introduced, "prev_para")
        elif not own_cue and window:
            # "Treasury Secretary John Snow put a brave face on it, saying … “…”": a person
            # the sentence before introduces speaks now, not the previous quote's speaker.
            introduced = self._from_sentence_before(
                window,
                before_start == prior_end
                and number > 0
                and not self._ends_sentence(doc.quotes[number - 1]),
            )
            if (
                introduced is not None
                and introduced.is_person
                and introduced.speaker is not None
                and introduced.speaker[:1].isupper()  # a name, not "the world champion"
                and (previous_result is None or introduced.speaker != previous_result.speaker)
            ):
                return _how(introduced, "prev_sent")
        if (
            previous_quote is not None
            and previous_result is not None
            and previous_result.speaker is not None
            and self._paragraph_of(previous_quote.end - 1) >= paragraph - 1
        ):
            return Attribution(
                previous_result.speaker,
                previous_result.speaker_start,
                previous_result.speaker_end,
                None,
                previous_result.gender,
                previous_result.is_person,
                how="continues",
            )
        return Attribution()

    def _from_sentence_before(self, window: list[_Token], after_quote: bool) -> Attribution | None:
        """The speaker the last whole sentence of `window` names: the subject of its cue,
        else the subject that opens it; with no cue of the quote's own. None when that
        sentence is the attribution of the quote before (`after_quote`: `window` starts
        where a quote that does not end its sentence ends: "“…,” Paul Goosens told the BBC.")."""
        tokens = list(window)
        while tokens and tokens[-1].text in ".?!":
            tokens.pop()
        tokens = self._sentence_tail(tokens)
        if not tokens or (after_quote and tokens[0] is window[0]):
            return None
        found = self._from_before(tokens)
        if found is None or found.speaker is None:
            span = self._np_right(tokens, 0, need_verb=True)
            found = self._make(span, None) if span is not None else None
        if found is not None:
            found.cue = None
        return found

    def _from_previous_paragraph(self, paragraph: int) -> Attribution | None:
        """The cue of the last sentence of the paragraph before ("He added:")."""
        doc = self.doc
        start = doc.paragraph_starts[paragraph - 1]
        end = doc.paragraph_starts[paragraph]
        text_end = end
        while text_end > start and doc.body[text_end - 1].isspace():
            text_end -= 1
        ends_with_colon = text_end > start and doc.body[text_end - 1] == ":"
        k = bisect_left(doc.quote_starts, end) - 1
        if k >= 0 and doc.quotes[k].end > start:
            if doc.quotes[k].end >= text_end - 1:
                return None  # the paragraph before ends with a quotation
            start = doc.quotes[k].end
        tokens = self._window_tokens(max(start, text_end - _WINDOW), text_end)
        while tokens and tokens[-1].text in ".?!:":
            tokens.pop()
        tokens = self._sentence_tail(tokens)
        found = self._from_before(tokens)
        if found is not None and not found.is_person and (found.speaker or "")[:1].islower():
            # "The plan was then defended by the council leader, Sarah Mills.": a thing is no
            # speaker; the person the sentence names last is.
            named = self._last_person_in(tokens[0].start if tokens else start, text_end)
            if named is not None:
                found = _how(self._make(named, None), "last_person")
        if found is None and tokens:
            # No cue: the person who opens that sentence ("Ms Reed spoke first.").
            span = self._np_right(tokens, 0, need_verb=True)
            if span is not None:
                found = self._make(span, None)
                if not found.is_person:
                    return None
        if found is not None and not ends_with_colon:
            found.cue = None
        return found

    def _last_person_in(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the last person mention in body[start:end], or None."""
        doc = self.doc
        k = bisect_left(doc.person_starts, end) - 1
        while k >= 0 and doc.persons[k].start >= start:
            person = doc.persons[k]
            if person.end <= end:
                return person.start, person.end
            k -= 1
        return None

    # ----------------------------------------------------------------- sentences

    def _is_boundary(self, tokens: list[_Token], i: int) -> bool:
        token = tokens[i]
        if token.text not in ".?!":
            return False
        body = self.doc.body
        if token.end < len(body) and not body[token.end].isspace() and body[token.end] not in '”"’':
            return False  # "5.3", "U.S.A"
        if token.text == "." and i > 0:
            prev = tokens[i - 1]
            if prev.lower in ABBREVIATIONS or (len(prev.text) == 1 and prev.text.isupper()):
                return False
        return True

    def _sentence_tail(self, tokens: list[_Token]) -> list[_Token]:
        """The tokens after the last sentence boundary."""
        for i in range(len(tokens) - 1, -1, -1):
            if self._is_boundary(tokens, i):
                return tokens[i + 1 :]
        return tokens

    def _sentence_head(
        self, quote: QuoteSpan, tokens: list[_Token], reaches_paragraph_end: bool
    ) -> list[_Token]:
        """The tokens of the rest of the quote's sentence, or [] when the quote ended it."""
        inner_last = self._inner_last(quote)
        sentence_ends = reaches_paragraph_end
        for i in range(len(tokens)):
            if self._is_boundary(tokens, i):
                tokens = tokens[:i]
                sentence_ends = True
                break
        if inner_last and inner_last in ".?!…" and tokens:
            # The quotation ended its sentence; only a short attribution sentence may follow
            # ("“We won.” Trump said." / "“Why?” he asked."), not the start of the next
            # sentence ("“…” He added that he would “…”").
            if tokens[0].text[0].islower() or tokens[0].text in DASHES:
                return tokens
            if sentence_ends and any(self._cue_at(tokens, k) for k in range(min(5, len(tokens)))):
                return tokens
            return []
        return tokens

    # ----------------------------------------------------------------- cues

    def _cue_at(self, tokens: list[_Token], i: int) -> int:
        """Length of the reporting cue starting at token i (0 when there is none)."""
        token = tokens[i]
        if token.lower not in self._cue_words:
            return 0  # most words: neither a reporting verb nor a phrase's first word
        for phrase in self._phrases_by_first.get(token.lower, ()):
            if i + len(phrase) <= len(tokens) and all(
                tokens[i + k].lower == phrase[k] for k in range(1, len(phrase))
            ):
                return len(phrase)
        if token.lower not in self._reporting:
            return 0
        if token.text in {"Asked", "Asking", "Speaking"}:
            return 0  # a participial opening ("Asked whether …, he said")
        if (
            i + 1 < len(tokens)
            and tokens[i + 1].lower == "to"
            and token.lower.startswith("continu")
        ):
            return 0  # "continues to live": not a reporting verb
        if (
            i > 0
            and tokens[i - 1].lower in DETERMINERS
            and token.lower not in {"accusations", "accusation"}
        ):
            return 0  # "his calls", "a warning": a noun
        if i > 0 and _is_possessive(tokens[i - 1]):
            return 0
        return 1

    def _cue_text(self, tokens: list[_Token], i: int, length: int) -> tuple[int, int]:
        """(start, end) offsets of the cue, extended by "is expected to" and "told X"."""
        start_index = i
        while start_index > 0 and tokens[start_index - 1].lower in CUE_CHAIN:
            start_index -= 1
        if start_index < i and tokens[start_index].lower == "to":
            start_index = i  # a bare infinitive: "to say"
        while start_index < i and tokens[start_index].lower in {
            "to",
            "expected",
            "set",
            "due",
            "going",
        }:
            if tokens[start_index].lower in {"is", "was", "are", "were"}:
                break
            start_index += 1
        end_index = i + length
        head = tokens[i].lower
        if head in {"told", "tells", "tell", "telling"}:
            end_index = self._object_end(tokens, end_index)
        elif (
            head in {"repeated", "reiterated", "renewed"}
            and end_index + 1 < len(tokens)
            and tokens[end_index].lower in POSSESSIVE_DETERMINERS
            and tokens[end_index + 1].lower in self._reporting
        ):
            end_index += 2
        return tokens[start_index].start, tokens[end_index - 1].end

    def _object_end(self, tokens: list[_Token], i: int) -> int:
        j = i
        if j < len(tokens) and tokens[j].lower in {"the", "a", "an"}:
            j += 1
        start = j
        while j < len(tokens) and (
            _is_cap(tokens[j]) or (j > start and tokens[j].lower in NAME_CONNECTORS)
        ):
            if tokens[j].lower in CALENDAR and (
                j == start or j + 1 >= len(tokens) or not _is_cap(tokens[j + 1])
            ):
                break
            j += 1
        if (
            j < len(tokens)
            and tokens[j].text.isalpha()
            and tokens[j].text.islower()
            and tokens[j].lower not in STOP_OBJECT
            and not tokens[j].lower.endswith(("ed", "ing", "ly"))
        ):
            j += 1
        if j == start:
            return i
        return j

    # ----------------------------------------------------------------- speakers

    def _from_after(self, tokens: list[_Token]) -> Attribution | None:
        """Attribution from the words after a quote: "said X", "X said", "― X"."""
        if tokens and tokens[0].text in DASHES:
            span = self._np_right(tokens, 1)
            if span is not None:
                return _how(self._make(span, (tokens[0].start, tokens[0].end)), "dash")
        i = 0
        while i < len(tokens) and tokens[i].text in ",—–-(":
            i += 1
        limit = min(len(tokens), i + 25)
        for k in range(i, limit):
            length = self._cue_at(tokens, k)
            if not length:
                continue
            cue = self._cue_text(tokens, k, length)
            if (
                k == i
                or tokens[k].lower == "according"
                or all(t.lower in AUX_CHAIN for t in tokens[i:k])
            ):
                # Inverted: "said Caddell", "according to The Telegraph".
                span = self._np_right(tokens, k + length)
                if span is None and tokens[k].lower in {"told", "tells"}:
                    continue
                if span is None:
                    return None
                return _how(self._make(span, cue), "inverted")
            span = self._np_left(tokens, k, i)
            if span is None:
                continue
            return _how(self._make(span, cue), "subject_after")
        return None

    def _from_before(self, tokens: list[_Token]) -> Attribution | None:
        """Attribution from the words before a quote: the nearest cue and its subject."""
        cue: tuple[int, int] | None = None
        cue_index = len(tokens)
        for k in range(len(tokens) - 1, -1, -1):
            length = self._cue_at(tokens, k)
            if not length:
                continue
            this_cue = self._cue_text(tokens, k, length)
            if cue is None:
                cue = this_cue
                cue_index = k
            span = self._np_left(tokens, k, 0)
            participle = tokens[k].lower.endswith("ing") and k > 0 and tokens[k - 1].text == ","
            if span is not None:
                first = k - 1
                while first > 0 and tokens[first - 1].end > span[0]:
                    first -= 1
                if (
                    tokens[k].lower.endswith("ing")
                    and tokens[k].lower != "according"
                    and first > 0
                    and tokens[first - 1].lower in _OBLIQUE_PREPOSITIONS
                ):
                    # "… no plan for an invasion of the country saying: “…”": a phrase
                    # inside the clause is not the participle's subject; the sentence's is.
                    span = None
                    participle = True
                else:
                    outer = self._reporting_clause_before(tokens, first)
                    if outer is not None:
                        return _how(outer, "outer_cue")
            if span is None and (
                tokens[k].lower == "according"
                # ", said X:" is inverted; in ", adding it would …" the words after the
                # participle are the reported clause (its subject is the sentence's).
                or ((k == 0 or tokens[k - 1].text == ",") and not participle)
            ):
                span = self._np_right(tokens, k + length)
            if span is not None:
                return _how(self._make(span, cue), "cue_subject")
            if participle:
                break  # "X dismissed the claims, saying …": X speaks, below
        if cue is None:
            if tokens and tokens[-1].text == ":":
                # "X is rolling out a new message: “…”": the subject of the clause.
                span = self._clause_subject(tokens[:-1])
                if span is not None:
                    return _how(self._make(span, None), "colon_subject")
            return None
        head = tokens[:cue_index]
        cue_word = tokens[cue_index].lower if cue_index < len(tokens) else ""
        if (
            cue_word.endswith("ing")
            and cue_index > 0
            and tokens[cue_index - 1].text in {",", "while"}
        ):
            # "Protesters continued to …, while chanting": the subject of the sentence.
            span = self._clause_subject(head)
            if span is None or self.doc.body[span[0] : span[1]].lower() == "it":
                span = self._subject_before(head) or span
            how = "participle_subject"
        else:
            span = self._subject_before(head) or self._clause_subject(head)
            how = "far_subject"
        if span is not None:
            return _how(self._make(span, cue), how)
        return Attribution(cue=self.doc.body[cue[0] : cue[1]], cue_end=cue[1])

    def _reporting_clause_before(self, tokens: list[_Token], first: int) -> Attribution | None:
        """The speaker of a cue whose reported clause starts at token `first`: "He added
        [that] the government had pledged “…”" is his report, not the government's words."""
        m = first - 1
        if m >= 0 and tokens[m].lower == "that":
            m -= 1
        for length in (1, 2, 3):
            j = m - length + 1
            if j < 0 or self._cue_at(tokens, j) != length:
                continue
            if tokens[j].lower not in _SAY_VERBS or (
                j > 0 and tokens[j - 1].lower in _PASSIVE_AUXILIARIES
            ):
                return None  # only "X said/added [that] …", not "… was announced"
            span = self._np_left(tokens, j, 0)
            if span is None:
                return None
            return self._make(span, self._cue_text(tokens, j, length))
        return None

    def _subject_before(self, tokens: list[_Token]) -> tuple[int, int] | None:
        """The nearest noun phrase before the cue that is followed by its own verb and not
        governed by a preposition ("European leaders on Saturday piled …, reiterating")."""
        for i in range(len(tokens) - 2, -1, -1):
            token = tokens[i]
            led = token.lower in ("the", "a", "an") and i + 1 < len(tokens)
            if not (_is_cap(token) or token.lower in ("they", "he", "she") or led):
                continue
            if i > 0 and (_is_cap(tokens[i - 1]) or tokens[i - 1].lower in DETERMINERS):
                continue  # not the start of the phrase
            if (
                i > 0
                and tokens[i - 1].lower in PREPOSITIONS
                and tokens[i - 1].lower not in CONJUNCTION_PREPOSITIONS
                and tokens[i - 1].lower != "with"  # "with the PM using …"
            ):
                continue
            span = self._np_right(tokens, i, need_verb=True)
            if span is None:
                continue
            if token.lower in ("they", "he", "she") or led:
                return span
            if token.lower not in SENTENCE_INITIAL | {"it"}:
                return span
        return None

    def _clause_subject(self, tokens: list[_Token]) -> tuple[int, int] | None:
        """The subject at the start of the sentence (or after an opening phrase)."""
        starts = [0, *[i + 1 for i, t in enumerate(tokens[:-1]) if t.text == ","][:2]]
        for start in starts:
            span = self._np_right(tokens, start, need_verb=True)
            if span is not None:
                return span
        return None

    def _np_left(self, tokens: list[_Token], cue_index: int, floor: int) -> tuple[int, int] | None:
        """Offsets of the subject noun phrase ending before `cue_index` (or None).

        Walks left over auxiliaries and adverbs ("has also"), a parenthesis ("(R-Utah)") and
        an appositive or relative clause ("David Frost, director general of X, warned").
        """
        j = cue_index - 1
        while (
            j >= floor
            and not _is_cap(tokens[j])
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
            found = self._np_ending_at(tokens, j, floor)
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
        found = self._np_ending_at(tokens, j, floor)
        if appositive is not None:
            first = tokens[appositive[0]]
            if first.lower == "who" or first.lower == "which":
                return found
            named = self._np_ending_at(tokens, appositive[1], appositive[0])
            if found is None or (
                named is not None
                and _is_cap(tokens[appositive[1]])
                and not self.doc.body[found[0] : found[1]].split()[-1][:1].isupper()
            ):
                return named  # "a spokesman, Max Blain, said"
        return found

    @staticmethod
    def _skip_parenthesis(tokens: list[_Token], j: int, floor: int) -> int:
        if j >= floor and tokens[j].text == ")":
            k = j - 1
            while k >= floor and k > j - 12 and tokens[k].text != "(":
                k -= 1
            if k >= floor and tokens[k].text == "(":
                return k - 1
        return j

    def _np_ending_at(self, tokens: list[_Token], j: int, floor: int) -> tuple[int, int] | None:
        """A pronoun, a capitalised name or a determiner-led noun phrase ending at token j."""
        if j < floor:
            return None
        token = tokens[j]
        if token.lower in PRONOUNS:
            return token.start, token.end
        end = token.end
        if _is_cap(token) and (token.lower not in CALENDAR or self._calendar_surname(tokens, j)):
            k = j
            while k - 1 >= floor:
                prev = tokens[k - 1]
                if (
                    (_is_cap(prev) and prev.lower not in CALENDAR and not _is_possessive(prev))
                    or prev.lower in NAME_CONNECTORS
                    or (
                        prev.text == "."
                        and k - 2 >= floor
                        and (tokens[k - 2].lower in HONORIFICS or len(tokens[k - 2].text) == 1)
                    )
                    or (prev.lower == "and" and k - 2 >= floor and _is_cap(tokens[k - 2]))
                ):
                    k -= 1
                elif (
                    prev.lower in {"of", "for"}
                    and k - 2 >= floor
                    and _is_cap(tokens[k - 2])
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
            or token.lower in _NOT_NOUN_HEADS
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
            if prev.lower in DETERMINERS or _is_possessive(prev):
                k -= 1
                determined = True
                if _is_possessive(prev):
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
                _is_cap(prev)
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
            while k < j and not _is_cap(tokens[k]) and not tokens[k].text.isdigit():
                k += 1  # keep capitalised modifiers only: "European leaders"
        return self._unless_oblique(tokens, k, floor, tokens[k].start, end)

    def _unless_oblique(
        self, tokens: list[_Token], k: int, floor: int, start: int, end: int
    ) -> tuple[int, int] | None:
        """The phrase (start, end) whose first token is k, unless a preposition governs it.

        "groups of protesters" and "Mr Morgan of the Sierra Club" extend back over "of"; "on
        the ground" and "in Iraq" are not subjects.
        """
        if k <= floor or tokens[k - 1].lower not in _OBLIQUE_PREPOSITIONS:
            return start, end
        # A prepositional phrase inside a longer subject: "a narrator in the Clinton ad".
        outer = self._np_ending_at(tokens, k - 2, floor) if k - 2 >= floor else None
        if outer is not None:
            return outer[0], end
        if tokens[k - 1].lower == "of":
            return start, end  # "footage of Trump saying"
        return None

    @staticmethod
    def _calendar_surname(tokens: list[_Token], j: int) -> bool:
        """ "May" in "Theresa May": a month or day name right after a capitalised name."""
        if j == 0 or tokens[j].lower not in {"may", "march", "june", "april", "august"}:
            return False
        prev = tokens[j - 1]
        return _is_cap(prev) and prev.lower not in CALENDAR and prev.lower not in SENTENCE_INITIAL

    def _is_premodifier(self, token: _Token) -> bool:
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

    def _np_right(
        self, tokens: list[_Token], i: int, need_verb: bool = False
    ) -> tuple[int, int] | None:
        """Offsets of the noun phrase starting at token i ("Caddell", "the spokesman")."""
        while i < len(tokens) and (tokens[i].lower in CALENDAR or tokens[i].text in ",—–"):
            i += 1
        if i >= len(tokens):
            return None
        token = tokens[i]
        if not (token.lower in PRONOUNS or token.lower in DETERMINERS or _is_cap(token)):
            # Lowercase or numeric modifiers before a name: "9/11 widow Terry Strada".
            m = i
            while m < len(tokens) and m < i + 5 and self._is_premodifier(tokens[m]):
                m += 1
            if m == i or m >= len(tokens) or not _is_cap(tokens[m]):
                return None
            inner = self._np_right(tokens, m, need_verb)
            return (token.start, inner[1]) if inner is not None else None
        end_index: int
        if token.lower in PRONOUNS:
            end_index = i + 1
        elif token.lower in DETERMINERS or _is_cap(token):
            j = i + 1 if token.lower in DETERMINERS else i
            head = None
            while j < len(tokens) and j < i + 8:
                t = tokens[j]
                if _is_cap(t) and (t.lower not in CALENDAR or self._calendar_surname(tokens, j)):
                    head = j
                    if _is_possessive(t):
                        j += 1
                        continue
                elif (
                    (t.text == "." and j > i and tokens[j - 1].lower in HONORIFICS)
                    or t.lower in NAME_CONNECTORS
                    or (
                        t.lower == "and"
                        and head is not None
                        and j + 1 < len(tokens)
                        and _is_cap(tokens[j + 1])
                    )
                ):
                    pass
                elif t.text.isalpha() and t.text.islower() and t.lower in _NP_HEAD_NOUNS:
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
            inner = self._np_right(tokens, end_index + 1)
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

    # ----------------------------------------------------------------- naming

    def _make(self, span: tuple[int, int], cue: tuple[int, int] | None) -> Attribution:
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
        titled = _strip_possessive(words[-1]).lower() in _TITLE_OR_ROLE
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
            if lower in _TITLE_OR_ROLE:
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
        match = _NAME_RUN_RE.match(doc.body, position)
        if match is None or self._entities_in(position, match.end()):
            return None
        run = match.group().split()
        if len(run) >= 2 and not any(_strip_possessive(w).lower() in ORG_WORDS for w in run):
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
        last = _strip_possessive(words[-1]).lower()
        if last in TITLE_WORDS or last in ORG_WORDS or last in ROLE_NOUNS:
            return start, end
        head_end = start + len(head)
        people = [e for e in self._entities_in(start, head_end) if e.label == "PERSON"]
        known = (
            words[0].lower().rstrip(".") in HONORIFICS
            or (len(words) >= 2 and words[0].lower() in first_name_genders())
            or _strip_possessive(words[-1]) in self.doc.full_names
        )
        if people or known:
            return start, head_end
        return start, end

    def _entities_in(self, start: int, end: int) -> list[Entity]:
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

    def _resolve(self, start: int, end: int) -> tuple[str | None, str | None, bool]:
        """(name, gender, is a person) for the mention body[start:end]."""
        text = self.doc.body[start:end]
        words = text.split()
        lowered = [w.lower() for w in words]
        if len(words) == 1 and lowered[0] in PRONOUNS:
            return self._resolve_pronoun(lowered[0], start)
        head = _strip_possessive(lowered[-1])
        if len(words) == 2 and lowered[0] == "the" and head in _ORGANISATION_NOUNS:
            owner = self._organisation_before(start)  # "said the firm": the firm named before
            if owner is not None:
                return owner, None, False
        entities = self._entities_in(start, end)
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
        core = " ".join(_drop_titles([_strip_possessive(w) for w in words]))
        if entities and " and " not in text and not any(core in e.text for e in entities):
            entities = []  # the entity covers only part of the name ("Downing" of "Downing Street")
        people = [e for e in entities if e.label == "PERSON"]
        if people and head not in ROLE_NOUNS:
            if len(people) >= 2 and " and " in text:
                return " and ".join(self._person_name(p) for p in people), None, True
            person = people[-1]
            canonical = self._person_name(person)
            return canonical, self._gender(person.text, canonical), True
        if entities and head not in ROLE_NOUNS and len(entities) == 1:
            entity = entities[0]
            if entity.end - entity.start >= len(text.rstrip("’'s")) - 4:
                return entity.canonical, None, False
        stripped = [w for w in words if w.lower() not in DETERMINERS or w[0].isupper()]
        if not stripped:
            return None, None, False
        title_match = _TITLE_NP_RE.fullmatch(text)
        if title_match is not None:
            bound = self._bind_title(title_match.group(1), title_match.group(2), start)
            if bound is not None:
                return bound, self._gender(bound, bound), True
        if head in PLURAL_GROUP_HEADS and words[0].islower():
            return self._resolve_plural(start), None, True
        alias = ORG_ALIASES.get(" ".join(stripped).lower())
        if alias:
            return alias, None, False
        if (words[0][0].isupper() or not words[0][0].isalpha()) and head not in ROLE_NOUNS:
            name_words = _drop_titles([_strip_possessive(w) for w in words])
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
                names = [self._name_from_words(_drop_titles(p.split())) for p in parts]
                return " and ".join(n for n in names if n), None, True
            if name_words:
                name = self._name_from_words(name_words)
                if len(name_words) == 1 and len(words) >= 2 and self._namesakes:
                    name = self._namesake(words[-2], name_words[0], start, name)
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
                    return name, self._gender(text, name), looks_person
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
        spoken = " ".join(_strip_possessive(w) for w in written)
        compound = (
            len(written) >= 2
            and written[0][:1].isupper()
            and _strip_possessive(written[-1]).lower() in ORG_WORDS
            and all(w[:1].isupper() or _strip_possessive(w).lower() in ORG_WORDS for w in written)
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
            _strip_possessive(w)
            for w in self.doc.body[start:end].split()
            if (w[0].isupper() or w.isdigit()) and w.lower() not in DETERMINERS
        ]
        if not words:
            # "a council spokesman", "a government spokeswoman": the lowercase owner.
            words = [
                _strip_possessive(w)
                for w in self.doc.body[start:end].split()
                if _strip_possessive(w).isalpha()
                and w.lower() not in DETERMINERS
                and w.lower() not in _ROLE_ADJECTIVES
            ]
            return " ".join(words) or None
        joined = " ".join(words)
        return ORG_ALIASES.get(joined.lower(), self._name_from_words(words))

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
        for entity in self._entities_in(owner_start, owner_end):
            if entity.start <= owner_start + 1 and entity.label != "PERSON":
                if entity.end >= owner_end - 1 or " " not in match.group(1):
                    return entity.canonical
                return match.group(
                    1
                )  # the entity is a part: "World Summit" of "World Summit for …"
        people = [e for e in self._entities_in(owner_start, owner_end) if e.label == "PERSON"]
        if people:
            return self._person_name(people[0])  # "a spokesman for the author"
        return ORG_ALIASES.get(match.group(1).lower(), match.group(1))

    def _organisation_before(self, position: int) -> str | None:
        """The organisation that "the company", "the firm" or "it" (saying something) refers
        to: the nearest organisation before `position`, within the paragraph and the three
        before it, that is the subject of a reporting verb ("NTL said it had …"): an ORG
        entity, or a capitalised name no entity covers that names no person."""
        doc = self.doc
        body = doc.body
        horizon = doc.paragraph_starts[max(0, self._paragraph_of(position) - 3)]
        best: tuple[int, str] | None = None
        k = bisect_left(doc.entity_starts, position) - 1
        stop = k - _MAX_CANDIDATES
        while k >= 0 and k > stop and doc.entities[k].start >= horizon:
            entity = doc.entities[k]
            k -= 1
            if (
                entity.label == "ORG"
                and entity.end <= position
                and not self._inside_quote(entity.start)
                and self._speaks(_Mention(entity.start, entity.end, "", None, None))
            ):
                best = (entity.start, entity.canonical)
                break
        # A name no entity covers, nearer than that entity.
        firsts = first_name_genders()
        found: list[tuple[int, int, str]] = []
        for match in _NAME_RUN_RE.finditer(body, best[0] + 1 if best else horizon, position):
            words = match.group().split()
            if len(words) == 1 and not _ACRONYM_RE.fullmatch(words[0]):
                continue  # "Critics said": a capitalised word alone may be any noun
            if (
                any(w.lower() in CALENDAR for w in words)
                or self._entities_in(match.start(), match.end())
                or words[0].lower().rstrip(".") in HONORIFICS
                or words[0].lower() in firsts
                or words[0].lower() in SENTENCE_INITIAL
                or words[-1] in doc.full_names
            ):
                continue
            found.append((match.start(), match.end(), _strip_possessive(match.group())))
        for start, end, name in reversed(found):
            if not self._inside_quote(start) and self._speaks(_Mention(start, end, "", None, None)):
                return name
        return best[1] if best else None

    def _resolve_pronoun(self, pronoun: str, position: int) -> tuple[str | None, str | None, bool]:
        if pronoun in {"i", "you", "it"}:
            return None, None, False
        if pronoun in {"they", "we"}:
            return self._resolve_plural(position), None, False
        gender = "m" if pronoun == "he" else "f"
        if self._named_in_quote:
            # Someone the quotation speaks of by name ("I said to Harry …") is not its speaker.
            found = self._resolve_person_pronoun(gender, position, self._named_in_quote)
            if found is not None:
                return found, gender, True
        found = self._resolve_person_pronoun(gender, position, frozenset())
        return (found, gender, True) if found is not None else (None, None, False)

    def _resolve_person_pronoun(
        self, gender: str, position: int, skip: frozenset[str]
    ) -> str | None:
        """The person "he" or "she" at `position` refers to, leaving out the people whose
        first name or surname is in `skip`."""
        doc = self.doc
        paragraph = self._paragraph_of(position)
        horizon = doc.paragraph_starts[max(0, paragraph - 3)]
        k = bisect_left(doc.person_starts, position)

        def skipped(m: _Mention) -> bool:
            words = m.name.split()
            return bool(skip) and bool(words) and (words[0] in skip or words[-1] in skip)

        # The speaker of an earlier quotation and the subject that opens a sentence are the
        # most salient referents; the nearest of them with a compatible gender wins.
        best_event = self._latest_event(self._speaker_events, position, horizon, gender)
        for m in self._persons_before(k):
            if m.start < horizon or (best_event is not None and m.start < best_event[0]):
                break
            if (
                m.gender in (None, gender)
                and not skipped(m)
                and self._is_subject(m)
                and (self._opens_sentence(m.start) or self._speaks(m))
            ):
                return m.name
        if best_event is not None:
            return best_event[1]
        fallback: _Mention | None = None
        for m in self._persons_before(k):
            if m.start < horizon:
                break
            if m.gender not in (None, gender) or skipped(m):
                continue
            if self._is_subject(m):
                return m.name
            if fallback is None:
                fallback = m
        if fallback is not None:
            return fallback.name
        for m in self._persons_before(k):
            if m.gender == gender and not skipped(m):
                return m.name
        return None

    def _persons_before(self, k: int) -> Iterator[_Mention]:
        """The person mentions before index k, nearest first, at most _MAX_CANDIDATES of
        them (so a body of very many quotes and names stays linear)."""
        persons = self.doc.persons
        for idx in range(k - 1, max(-1, k - 1 - _MAX_CANDIDATES), -1):
            yield persons[idx]

    @staticmethod
    def _latest_event(
        events: list[tuple[int, str, str | None]], position: int, horizon: int, gender: str | None
    ) -> tuple[int, str, str | None] | None:
        """The last event before `position` (and not before `horizon`) of a compatible gender.

        Events are appended in text order, so a binary search finds the start; the walk back
        stops at the horizon, which keeps a body of many quotes linear.
        """
        k = bisect_left(events, (position,)) - 1
        stop = k - _MAX_CANDIDATES
        while k >= 0 and k > stop and events[k][0] >= horizon:
            if gender is None or events[k][2] in (None, gender):
                return events[k]
            k -= 1
        return None

    def _opens_sentence(self, start: int) -> bool:
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
                and word.lower() not in _TITLE_MODIFIERS
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

    def _resolve_plural(self, position: int) -> str | None:
        """ "they"/"the pair": the last two people joined by "and", else the last two named."""
        doc = self.doc
        persons = doc.persons
        k = bisect_left(doc.person_starts, position)
        body = doc.body
        paragraph = self._paragraph_of(position)
        horizon = doc.paragraph_starts[max(0, paragraph - 1)]
        plural = self._latest_event(self._plural_events, position, horizon, None)
        latest_event = (plural[0], plural[1]) if plural is not None else None
        for idx in range(k - 1, max(0, k - 1 - _MAX_CANDIDATES), -1):
            second, first = persons[idx], persons[idx - 1]
            if first.start < horizon or (
                latest_event is not None and second.start < latest_event[0]
            ):
                break
            if body[first.end : second.start].strip() in {"and", "&"} and first.name != second.name:
                return f"{first.name} and {second.name}"
        paragraph_start = doc.paragraph_starts[paragraph]
        names: list[str] = []
        for m in self._persons_before(k):
            if m.start < paragraph_start or (
                latest_event is not None and m.start < latest_event[0]
            ):
                break
            if m.name not in names:
                names.append(m.name)
            if len(names) == 2:
                return f"{names[1]} and {names[0]}"
        if latest_event is not None:
            return latest_event[1]
        return None


_TITLE_ALTERNATION = (
    r"prime\s+minister|pm|president|chancellor|foreign\s+secretary|home\s+secretary|"
    r"defen[cs]e\s+secretary|education\s+secretary|health\s+secretary|secretary\s+of\s+state|"
    r"secretary|minister|senator|sen\.|governor|gov\.|mayor|leader|chief|premier|king|queen|"
    r"chairman|chairwoman|envoy|ambassador|commissioner|nominee|candidate|"
    # Roles a person is introduced by and then referred to ("Producer Kevin Wallace" ... "the
    # British producer"; "Cardinal Cormac Murphy-O'Connor" ... "the cardinal").
    r"cardinal|archbishop|bishop|producer|director|coach|manager|treasurer|"
    r"governor|professor|economist|analyst|lecturer|superintendent|inspector"
)


def _by_first_letter(alternation: str) -> str:
    """The same alternation with its branches grouped by their first letter, in their order
    ("p(?:rime\\s+minister|m|…)|c(?:hancellor|…)"): it matches exactly what the flat one
    does, and a word is tried against one group instead of every branch."""
    groups: dict[str, list[str]] = {}
    for branch in alternation.split("|"):
        groups.setdefault(branch[0], []).append(branch[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_TITLE_WORD_RE = re.compile(r"\b(" + _by_first_letter(_TITLE_ALTERNATION) + r")\s+")
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
    + _TITLE_ALTERNATION
    + r"))\b(?!\s+[A-Z])"
)
_TITLE_NP_RE = re.compile(
    r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)?\s*"
    + _CAPITALISED_MODIFIER
    + r"((?i:"
    + _TITLE_ALTERNATION
    + r"))"
)
# Prepositions whose object is never the subject of a following verb ("with X saying",
# "after X said" and "as X said" introduce clauses, so they are not here).
_OBLIQUE_PREPOSITIONS = frozenset(
    _words("in on at of by from into onto over under about for against between through to")
)
# Words that make a capitalised name an organisation or a place, not a person.
ORG_WORDS = frozenset(
    _words(
        """party ministry bank commission council committee association union office street
        department university institute times post news group company corporation inc ltd
        plc foundation agency court house senate congress parliament government club league
        federation society trust fund school college hospital police army navy service
        board authority church centre center network channel radio television tv press
        journal magazine review daily herald telegraph guardian mail express mirror
        democrats republicans labour conservatives tories campaign team organisation
        organization alliance coalition capital partners research"""
    )
)
_NP_HEAD_NOUNS = ROLE_NOUNS | ORG_WORDS
_NOT_NOUN_HEADS = frozenset(
    _words("who whom which whose where there then now here also only too very so such")
)
_ROLE_ADJECTIVES = frozenset(
    _words("""senior former chief deputy top official unnamed anonymous new acting press""")
)
DASHES = frozenset({"―", "—", "–", "-"})
_PASSIVE_AUXILIARIES = frozenset(_words("is was were are be been being"))
CONJUNCTION_PREPOSITIONS = frozenset({"after", "before", "since", "until", "as"})
PLURAL_GROUP_HEADS = frozenset({"pair", "leaders", "two", "both", "duo", "men", "women", "sides"})
_HONORIFIC_NAME_RE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?\s+((?:[A-Z][\w’'\-]+)(?:\s+[A-Z][\w’'\-]+)?)"
)
_FEMALE_ROLES = frozenset(
    _words(
        """daughter mother wife sister actress chairwoman spokeswoman businesswoman
        congresswoman sportswoman queen princess duchess countess grandmother aunt niece
        girlfriend widow waitress heiress mum"""
    )
)
_MALE_ROLES = frozenset(
    _words(
        """son father husband brother chairman spokesman businessman congressman sportsman
        king prince duke grandfather uncle nephew boyfriend widower dad"""
    )
)
# "Fletcher's daughter Jill", "actress Negar Khan": a gendered role word right before a name.
_ROLE_GENDER_RE = re.compile(
    # The lookahead only skips quickly the words that no capitalised word follows.
    r"\b(?=[a-z]+\s+[A-Z])("
    + _by_first_letter("|".join(sorted(_FEMALE_ROLES | _MALE_ROLES)))
    + r")\s+([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)"
)
# The rest of a hyphenated surname after a name: "-O'Connor", "-Smith".
_HYPHEN_REST_RE = re.compile(r"-[A-Z][\w’']*(?:-[A-Z][\w’']*)*")
_NAME_RUN_RE = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?[A-Z][\w’'\-]*(?:\s+(?:(?:von|van|der|de|la|del|da|bin|al)\s+)*(?:[A-Z]\.\s+)?[A-Z][\w’'\-]*)*"
)
_NEXT_WORD_RE = re.compile(r"(?:[’']s?)?\s*(,)?\s*([A-Za-z0-9]+)?")
# The next two lowercase words after a mention ("has said", "said"), no punctuation between.
_NEXT_WORDS_RE = re.compile(r"[ \t]+((?:[a-z]+)(?:[ \t]+[a-z]+)?)")
# ", <appositive>, <word>" right after a mention: the appositive has no sentence or quote
# punctuation and the word after its closing comma is lowercase ("…, said").
_APPOSITIVE_THEN_WORD_RE = re.compile(r",[ \t]+[^,.;:!?\n“”\"]{2,120}?,[ \t]+([a-z]+)\b")
# Say-type verbs whose inverted subject follows them ("says X", "added X"); not "told X".
_SAY_VERBS = frozenset(
    _words(
        """said says say added adds explained explains continued continues insisted insists
        argued argues wrote writes noted notes admitted admits claimed claims declared
        stated commented comments remarked replied replies warned warns"""
    )
)
# The word before a mention, and the word before a "X and" conjunct ("from Sir Keir and").
_PREVIOUS_WORDS_RE = re.compile(
    r"(?:\b([A-Za-z]+)\s+(?:(?:Mr|Mrs|Ms|Sir|Dame|Dr)\.?\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*\s+)?\b([A-Za-z]+)\s*$"
)
PREPOSITIONS = frozenset(
    _words(
        """from with to of by about for at on in against between into onto over under after before
    during without within among toward towards than like via including"""
    )
)


# Job words that may open a capitalised name run ("Actress Sandra Dee", "Coach Tom Lee").
_JOB_WORDS = frozenset(
    _words(
        """actress actor singer editor frontman star boss coach manager striker captain player
        founder executive economist analyst lawyer author writer reporter presenter host judge
        professor doctor officer detective inspector bishop archbishop pope rabbi imam"""
    )
)
_DROPPED_NAME_WORDS = TITLE_WORDS | HONORIFICS | CALENDAR | _JOB_WORDS
_TITLE_OR_ROLE = (TITLE_WORDS | ROLE_NOUNS | _JOB_WORDS) - frozenset(
    _words("first state home people man woman members member")
)
# What may stand right after a mention before the words that lead to a name: the rest of an
# ampersand name ("&P" of "S&P") and a possessive.
_MODIFIER_TAIL_RE = re.compile(r"(?:&[A-Z][\w]*)?(?:[’']s)?(?=[ \t]+[A-Za-z])")
# A say verb, then up to six words of a title before a name: "said Sandvine's chief
# technology officer ", "said the England coach " (the name is the inverted subject).
_INVERTED_AFTER_TITLE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_SAY_VERBS)) + r")[ \t]+(?:the[ \t]+)?"
    r"(?:(?!(?:the|a|an|that|of|to|in|on|at|for|with|by|from|and|or|but|he|she|it|they|who"
    r"|which|was|is|were|are|had|has|have|would|will)\b)[A-Za-z][\w’'&\-]*[ \t]+){1,6}$"
)
# After "’s", words that make it "is" or "has", not a possessive ("Curry's pressing ahead").
_CONTRACTED_IS_RE = re.compile(
    r"[ \t]+(?:[a-z]+ing|been|got|not|also|now|already|just|still|never|always)\b"
)
_CAPITALISED_WORD_RE = re.compile(r"\b[A-Z][\w’'\-]*")
# One word after a space or tab.
_WORD_AFTER_RE = re.compile(r"[ \t]+([A-Za-z][\w’'\-]*)")


# ", Jane Whitfield," / ", Dr. Omar J. Haddad." right after a mention: a run of capitalised
# words (initials, dotted honorifics and name particles allowed) closed by punctuation, a line
# break or the end of the text.
_NAME_WORD = r"(?:[A-Z]\.|(?:Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Gen|Rev|St)\.|[A-Z][\w’'\-]*)"
_NAME_PARTICLE = r"(?:von|van|der|de|la|le|del|da|di|bin|al)"
_APPOSITIVE_NAME_RE = re.compile(
    rf",[ \t]+({_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|{_NAME_PARTICLE})){{0,5}})"
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
# Nouns that, after "the", stand for an organisation named before ("said the firm").
_ORGANISATION_NOUNS = frozenset(
    _words("company firm group club organisation organization bank agency airline carrier")
)
# " for the company" after a spokesperson mention.
_FOR_DESCRIBED_OWNER_RE = re.compile(
    r"[ \t]+for[ \t]+the[ \t]+(?:" + "|".join(sorted(_ORGANISATION_NOUNS)) + r")\b"
)
# "of Northgate Museum", "at the Bank of England": a capitalised of/for/at phrase after a role.
_POSTMODIFIER_RE = re.compile(
    r"[ \t]+(?:of|for|at)[ \t]+(?:the[ \t]+)?[A-Z][\w’'\-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w’'\-]*)*"
)
# Lowercase words that may stand before a title ahead of a name ("shadow chancellor Vince
# Cable", "former minister Jane Roe").
_TITLE_MODIFIERS = frozenset(_words("shadow former acting interim junior senior assistant"))
# The words of a title written in capitals without a name ("Acting Detective Chief
# Superintendent", "Deputy Chief Constable").
_RANK_WORDS = (
    TITLE_WORDS
    | _JOB_WORDS
    | _TITLE_MODIFIERS
    | frozenset(_words("detective constable sergeant commander officer assistant executive"))
)
# Words of a role phrase that are not its head ("the mayor of Leeds": "mayor" is the head).
_ROLE_PHRASE_FUNCTION_WORDS = frozenset(_words("of the for and in at on to from with by"))


def _people_by_surname(entities: list[Entity]) -> list[Entity]:
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
                    _strip_possessive(words[-1]),
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
                _strip_possessive(w) == w for w in words[:-1]
            ):
                entity = replace(entity, label="PERSON")
        out.append(entity)
    return out


def _is_role_phrase(text: str) -> bool:
    """A mention naming a role or group rather than a person: "the mayor of Leeds", "its
    chief executive", "Leeds’s mayor", "Labour leader", "Acting Detective Chief
    Superintendent" (not "Sam Pruitt", not a pronoun)."""
    words = text.split()
    if not words or (len(words) == 1 and words[0].lower() in PRONOUNS):
        return False
    if all(word.lower() in _RANK_WORDS for word in words):
        return True  # a title alone, in capitals: the name comes after it
    first = words[0].lower()
    led = (
        first in DETERMINERS or first in POSSESSIVE_DETERMINERS or _strip_possessive(first) != first
    )
    rest = words[1:] if led else words
    return any(
        (word.isalpha() and word.islower() and word not in _ROLE_PHRASE_FUNCTION_WORDS)
        or (led and word.lower() in TITLE_WORDS)
        for word in rest
    )


def _drop_titles(words: list[str]) -> list[str]:
    """Name words without leading honorifics, titles and nationality words."""
    last_title = -1
    for k, word in enumerate(words):
        lower = word.lower().rstrip(".")
        if lower in _DROPPED_NAME_WORDS:
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
