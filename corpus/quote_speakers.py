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
the same rules (`SpeakerNamer.make`). `RULES_ONLY` keeps the rules' reading.

This module is the decision: `QuoteAttributor` builds the pieces for one body and takes, for
each quotation, the rules' reading or the learned choice. The pieces, one job each:

- `corpus.speaker_tokens`: the shared document (tokens, sentences, paragraphs, quotations,
  the person mentions) and the `Attribution` result;
- `corpus.speaker_cues`: reporting cues;
- `corpus.speaker_phrases`: noun-phrase walking (the subject before a cue, the phrase after);
- `corpus.speaker_people`: the people the article names (full names, genders, titles);
- `corpus.speaker_clauses`: a mention's role in its clause (subject, speaker);
- `corpus.speaker_pronouns`: whom "he", "she" and "they" refer to;
- `corpus.speaker_names`: mention -> speaker name;
- `corpus.speaker_rules`: the hand-written readings;
- `corpus.lexicon`: their word lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.model import Entity
from corpus.quote_candidates import Candidate, CandidateFinder
from corpus.quote_model import SpeakerChooser, speaker_model
from corpus.quote_spans import QuoteSpan
from corpus.speaker_clauses import ClauseRoles
from corpus.speaker_cues import CueReader
from corpus.speaker_names import SpeakerNamer
from corpus.speaker_people import PeopleIndex, people_by_surname
from corpus.speaker_phrases import PhraseWalker
from corpus.speaker_pronouns import PronounResolver
from corpus.speaker_rules import RuleReader
from corpus.speaker_tokens import Attribution, SpeakerDocument, Token

__all__ = ["RULES_ONLY", "Attribution", "QuoteAttributor"]


class _RulesOnly:
    """A chooser that never chooses: the rules' attribution stands (`RULES_ONLY`)."""

    def choose(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> int:
        return -1


RULES_ONLY: SpeakerChooser = _RulesOnly()
"""Pass as `chooser` to attribute with the hand-written rules alone (for comparison)."""


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
        ordered = people_by_surname(sorted(entities, key=lambda e: (e.start, e.end)))
        self.doc = SpeakerDocument(
            body=body,
            entities=ordered,
            entity_starts=[e.start for e in ordered],
            quotes=list(quotes),
            quote_starts=[q.start for q in quotes],
            paragraph_starts=paragraph_starts,
            gender_by_name={},
            full_names={},
        )
        self.cues = CueReader()
        self.people = PeopleIndex(self.doc)
        self.clauses = ClauseRoles(self.doc, self.cues.reporting)
        self.pronouns = PronounResolver(self.doc, self.clauses)
        self.phrases = PhraseWalker(self.doc, self.cues.reporting)
        self.namer = SpeakerNamer(
            self.doc, self.people, self.clauses, self.pronouns, self.cues.reporting
        )
        self.rules = RuleReader(self.doc, self.cues, self.phrases, self.namer)
        self.kinds: list[str] = []
        self._chooser = speaker_model() if chooser is None else chooser
        if isinstance(self._chooser, _RulesOnly):
            self._chooser = None
        self._speaker_counts: dict[str, int] = {}
        self._finder: CandidateFinder | None = None

    def attribute(self, kinds: Sequence[str] = ()) -> list[Attribution]:
        """One Attribution per quotation, in order (`kinds`: "direct"/"scare" per quote)."""
        doc = self.doc
        self.kinds = list(kinds)
        results: list[Attribution] = []
        for number, quote in enumerate(doc.quotes):
            kind = kinds[number] if number < len(kinds) else "direct"
            self.enter_quote(quote)
            result = self.rules.attribute_one(number, quote, kind, results)
            if self._chooser is not None and kind == "direct":
                result = self._choose(number, quote, kind, result, results)
            results.append(result)
            speaker = result.speaker
            if speaker is None:
                continue
            self._speaker_counts[speaker] = self._speaker_counts.get(speaker, 0) + 1
            self.pronouns.note_speaker(quote.start, result)
        return results

    def enter_quote(self, quote: QuoteSpan) -> None:
        """Make `quote` the quotation being attributed (see `PronounResolver.enter_quote`)."""
        self.pronouns.enter_quote(quote)

    def name_of(self, quote: QuoteSpan, candidate: Candidate) -> str | None:
        """The speaker name that choosing `candidate` for `quote` gives (for training)."""
        if candidate.attribution is not None:
            return candidate.attribution.speaker
        self.enter_quote(quote)
        return self.namer.make((candidate.start, candidate.end), candidate.cue).speaker

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
        return self.namer.make((chosen.start, chosen.end), chosen.cue)

    # ------------------------------------------------------- read by corpus.quote_candidates
    # The candidate finder reads the document and the rules through the attributor.

    def _paragraph_of(self, position: int) -> int:
        return self.doc.paragraph_of(position)

    def _window_tokens(self, start: int, end: int) -> list[Token]:
        return self.doc.window_tokens(start, end)

    def _inner_last(self, quote: QuoteSpan) -> str:
        return self.doc.inner_last(quote)

    def _cue_at(self, tokens: list[Token], i: int) -> int:
        return self.cues.cue_at(tokens, i)

    def _cue_text(self, tokens: list[Token], i: int, length: int) -> tuple[int, int]:
        return self.cues.cue_text(tokens, i, length)

    def _np_ending_at(self, tokens: list[Token], j: int, floor: int) -> tuple[int, int] | None:
        return self.phrases.np_ending_at(tokens, j, floor)

    def _entities_in(self, start: int, end: int) -> list[Entity]:
        return self.people.entities_in(start, end)

    def _person_name(self, entity: Entity) -> str:
        return self.people.person_name(entity)

    def _full_canonical(self, canonical: str) -> str:
        return self.people.full_canonical(canonical)

    def _looks_like_subject(self, start: int, end: int) -> bool:
        return self.clauses.looks_like_subject(start, end)

    @property
    def _named_in_quote(self) -> frozenset[str]:
        return self.pronouns.named_in_quote

    def _from_after(self, tokens: list[Token]) -> Attribution | None:
        return self.rules.from_after(tokens)

    def _from_before(self, tokens: list[Token]) -> Attribution | None:
        return self.rules.from_before(tokens)

    def _from_previous_paragraph(self, paragraph: int) -> Attribution | None:
        return self.rules.from_previous_paragraph(paragraph)
