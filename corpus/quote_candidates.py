"""Speaker candidates of a quotation and the features that describe them.

The learned speaker choice (`corpus.quote_model`) ranks, for each direct quotation, the
mentions that could be its speaker. This module gathers them:

- the mentions near the quote: PERSON/ORG/GPE/NORP entities, capitalised names the entities
  missed, pronouns and role noun phrases ("the spokesman", "officials") in the quote's own
  sentence (before and after the quote), the sentence before and the one after (in the same
  paragraph or across a paragraph break);
- the choices of the hand-written rules (`corpus.quote_speakers`): the rule-based speaker,
  the speaker read from the words after the quote and from the words before it, the person
  introduced at the end of the previous paragraph, and the speaker of the previous quote
  carried over.

Each candidate gets a list of string features (`corpus.quote_features`): where it stands,
how far, what it is, the words around it, which rules chose it and the shape of the quote,
alone and in conjunctions. The rules' knowledge is kept as features, never as a fixed order:
the model weighs them. The window of units the candidates come from is
`corpus.quote_context`'s; the mentions of a run of tokens are `corpus.quote_mentions`'.

Everything here reads the attributor's document index (tokens, entities, quote spans), so it
costs a few windows of tokens per quotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from corpus.quote_context import QuoteContext
from corpus.quote_features import describe_candidates, quote_shape
from corpus.quote_mentions import find_mentions
from corpus.speaker_tokens import Attribution

if TYPE_CHECKING:
    from corpus.quote_speakers import QuoteAttributor
    from corpus.speaker_tokens import Token as _Token

    _Unit = _Token  # a token outside quotations, or a quotation's stand-in (`quote` >= 0)


@dataclass(slots=True)
class Candidate:
    """One possible speaker mention of a quotation, with its features.

    `attribution` is a ready result (the rule-based choice, or the previous quote's speaker
    carried over): when the model picks this candidate that result is used as it is.
    """

    start: int
    end: int
    cue: tuple[int, int] | None = None
    features: list[str] = field(default_factory=list)
    attribution: Attribution | None = None
    origins: set[str] = field(default_factory=set)


class CandidateFinder:
    """Candidates and features for the quotations of one attributor's body."""

    def __init__(self, attributor: QuoteAttributor, kinds: Sequence[str] = ()) -> None:
        self.attr = attributor
        self.doc = attributor.doc
        self.context = QuoteContext(attributor, kinds)

    # ----------------------------------------------------------------- candidates

    def candidates(
        self,
        number: int,
        kind: str,
        rule: Attribution,
        previous: list[Attribution],
        speakers_so_far: dict[str, int],
    ) -> list[Candidate]:
        """The candidates of quotation `number` with their features (rule choice included)."""
        attr = self.attr
        doc = self.doc
        quote = doc.quotes[number]
        if not self.context.wanted(number):
            return []
        units, target = self.context.window_units(number)
        if target < 0:
            return []
        quote_unit = units[target]
        sentence = quote_unit.sentence
        shape = quote_shape(self.context, units, target)
        if (
            not shape.opens_sentence
            and not self.context.starts_with_capital(quote.start, quote.end)
            and shape.inner_last not in ".?!"
        ):
            return []  # a fragment after all (see `wanted`)
        by_span: dict[tuple[int, int], Candidate] = {}

        def add(start: int, end: int, origin: str | None = None) -> Candidate:
            candidate = by_span.get((start, end))
            if candidate is None:
                candidate = Candidate(start, end)
                by_span[(start, end)] = candidate
            if origin is not None:
                candidate.origins.add(origin)
            return candidate

        # Mentions of the window, run by run (a run: tokens of one sentence between quotes).
        runs = self.context.runs(
            units, sentence, self.context.three_sentences(sentence, len(units))
        )
        mention_info: dict[tuple[int, int], tuple[list[_Token], int, int, str]] = {}
        for run in runs:
            tokens = [u for u in units[run[0] : run[1]] if u.quote < 0]
            opens = run[0] == 0 or units[run[0] - 1].sentence != units[run[0]].sentence
            for start, end, first, last, kind_of in find_mentions(self.attr, tokens, opens):
                add(start, end)
                mention_info[(start, end)] = (tokens, first, last, kind_of)

        # The rules' choices.
        paths: dict[int, list[str]] = {}
        if rule.speaker_start is not None and rule.speaker_end is not None:
            candidate = add(rule.speaker_start, rule.speaker_end, "rule")
            candidate.attribution = rule
            paths.setdefault(id(candidate), []).append(f"how=rule:{rule.how}")
            if rule.speaker is None:
                candidate.origins.add("rule_unnamed")
        for origin, found in self._rule_alternatives(number, quote, units, target):
            if found is not None and found.speaker_start is not None:
                candidate = add(
                    found.speaker_start, found.speaker_end or found.speaker_start, origin
                )
                paths.setdefault(id(candidate), []).append(f"how={origin}:{found.how}")
                if candidate.attribution is None:
                    candidate.attribution = found
        prev_result = previous[-1] if previous else None
        if (
            prev_result is not None
            and prev_result.speaker is not None
            and prev_result.speaker_start is not None
            and prev_result.speaker_end is not None
        ):
            candidate = add(prev_result.speaker_start, prev_result.speaker_end, "carry")
            if candidate.attribution is None or "rule" not in candidate.origins:
                candidate.attribution = Attribution(
                    prev_result.speaker,
                    prev_result.speaker_start,
                    prev_result.speaker_end,
                    None,
                    prev_result.gender,
                    prev_result.is_person,
                )
            previous_quote = doc.quotes[number - 1]
            if attr._paragraph_of(previous_quote.end - 1) >= attr._paragraph_of(quote.start) - 1:
                candidate.origins.add("carry_near")
        # A possessor inside a longer phrase ("Ms Berg" of "Ms Berg’s spokesman") is never
        # the speaker: the phrase it owns is.
        body = doc.body
        for span in [
            sp
            for sp, c in by_span.items()
            if not c.origins
            and (
                body[sp[1] : sp[1] + 2] in ("’s", "'s")
                or body[sp[0] : sp[1]].endswith(("’s", "'s"))
            )
        ]:
            if any(o[0] <= span[0] and span[1] < o[1] for o in by_span if o != span):
                del by_span[span]
        if not by_span:
            return []

        return describe_candidates(
            self.context,
            number,
            units,
            target,
            shape,
            by_span=by_span,
            mention_info=mention_info,
            paths=paths,
            kind=kind,
            rule=rule,
            previous=previous,
            speakers_so_far=speakers_so_far,
        )

    def _rule_alternatives(
        self, number: int, quote: object, units: list[_Unit], target: int
    ) -> list[tuple[str, Attribution | None]]:
        """The rules read in the three places that can attribute a quote."""
        attr = self.attr
        out: list[tuple[str, Attribution | None]] = []
        sentence = units[target].sentence
        _first, same_end = self.context.sentence_span(sentence, len(units))
        after = [u for u in units[target + 1 : same_end] if u.quote < 0]
        # Stop at the next quotation of the sentence.
        cut = len(after)
        for i, unit in enumerate(units[target + 1 :]):
            if unit.sentence != sentence:
                break
            if unit.quote >= 0:
                cut = sum(1 for u in units[target + 1 : target + 1 + i] if u.quote < 0)
                break
        after = after[:cut]
        before: list[_Token] = []
        for unit in reversed(units[:target]):
            if unit.sentence != sentence or unit.quote >= 0:
                break
            before.append(unit)
        before.reverse()
        out.append(("after", attr._from_after(after[:40])))
        out.append(("before", attr._from_before(before)))
        # The next sentence: "… the survey's chairman, Tom Hart, said."
        following: list[_Token] = []
        for unit in units[target + 1 :]:
            if unit.sentence == sentence:
                continue
            if unit.sentence > sentence + 1 or unit.quote >= 0:
                break
            following.append(unit)
        if following and len(following) <= 25:
            found = attr._from_after(following)
            if found is not None and found.cue_end is not None:
                # "… the survey's chairman, Tom Hart, said." attributes the quote before it;
                # "A spokesman said Downing Street had no comment." reports words of its own.
                rest = [t for t in following if t.start >= found.cue_end and t.text[0].isalnum()]
                if len(rest) > 3:
                    found = None
            out.append(("next_sent", found))
        doc = self.doc
        paragraph = attr._paragraph_of(doc.quotes[number].start)
        if paragraph > 0:
            out.append(("prev_para", attr._from_previous_paragraph(paragraph)))
        return out
