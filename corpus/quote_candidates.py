"""Speaker candidates of a quotation and the features that describe them.

The learned speaker choice (`corpus.quote_model`) ranks, for each direct quotation, the
mentions that could be its speaker. This module finds them and describes each one:

- the mentions near the quote: PERSON/ORG/GPE/NORP entities, capitalised names the entities
  missed, pronouns and role noun phrases ("the spokesman", "officials") in the quote's own
  sentence (before and after the quote), the sentence before and the one after (in the same
  paragraph or across a paragraph break);
- the choices of the hand-written rules (`corpus.quote_speakers`): the rule-based speaker,
  the speaker read from the words after the quote and from the words before it, the person
  introduced at the end of the previous paragraph, and the speaker of the previous quote
  carried over.

Each candidate gets a list of string features: where it stands (zone: same sentence before
or after the quote, previous or next sentence, same paragraph or not), how far (in tokens,
and its rank among the candidates of its zone), what it is (entity label, pronoun, role
noun, spokesperson), the words around it ("said X", "X said", "X, role, said", "of X",
"according to X"), whether it is a clause subject, whether the quotation names it (a
speaker rarely names themself), whether its own sentence has a reporting cue or a quotation
of its own, which rules chose it, and the shape of the quote (opens or ends its sentence,
last character inside the marks, opens or fills its paragraph, follows another quote),
alone and in conjunctions. The rules' knowledge is kept as features, never as a
fixed order: the model weighs them.

Everything here reads the attributor's document index (tokens, entities, quote spans), so it
costs a few windows of tokens per quotation.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from corpus.lexicon import CANDIDATE_PRONOUNS as _PRONOUN_TYPES
from corpus.lexicon import CONTEXT_NEXT_WORDS as _NEXT_WORDS
from corpus.lexicon import CONTEXT_PREPOSITIONS as _PREP_WORDS
from corpus.lexicon import CONTEXT_PREVIOUS_WORDS as _PREV_WORDS
from corpus.quote_context import QuoteContext
from corpus.quote_features import distance_bucket, quote_shape, syntax_features
from corpus.quote_lexicon import is_verb_form

if TYPE_CHECKING:
    from corpus.quote_speakers import Attribution, QuoteAttributor
    from corpus.speaker_tokens import Token as _Token

    _Unit = _Token  # a token outside quotations, or a quotation's stand-in (`quote` >= 0)

_PRONOUN_KINDS = frozenset(_PRONOUN_TYPES.values())


@lru_cache(maxsize=1)
def _role_heads() -> frozenset[str]:
    """Lowercase nouns that head a role phrase ("the spokesman", "the British producer")."""
    from corpus.lexicon import ROLE_NOUNS, TITLE_WORD_MODIFIERS, TITLE_WORDS

    return ROLE_NOUNS | (TITLE_WORDS - TITLE_WORD_MODIFIERS)


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
        from corpus.quote_speakers import Attribution

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
        shape_key = shape.key()
        q = f"q={shape_key}"
        shape_features = shape.features()
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
            for start, end, first, last, kind_of in self._mentions(tokens, opens):
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

        # Zones and distances.
        unit_starts = self.context.unit_starts[
            self.context.offset : self.context.offset + len(units)
        ]
        placed: list[tuple[Candidate, str, int]] = []
        sentence_of: dict[int, int | None] = {}
        rule_span = (
            (rule.speaker_start, rule.speaker_end) if rule.speaker_start is not None else None
        )
        prev_name = prev_result.speaker if prev_result is not None else None
        quote_paragraphs = (attr._paragraph_of(quote.start), attr._paragraph_of(quote.end - 1))
        for span, candidate in by_span.items():
            index = bisect_right(unit_starts, span[0]) - 1
            last_index = bisect_right(unit_starts, span[1] - 1) - 1
            if (
                index < 0
                or span[0] >= units[-1].end
                or units[index].quote >= 0
                or units[index].end <= span[0]
            ):
                zone = "far"
                distance = 99
                paragraph_same = False
                candidate_sentence = None
            else:
                unit = units[index]
                candidate_sentence = unit.sentence
                relative = unit.sentence - sentence
                if relative == 0:
                    zone = "sb" if unit.start < quote.start else "sa"
                elif relative < 0:
                    zone = "p1" if relative == -1 else "p2" if relative == -2 else "far"
                else:
                    zone = "n1" if relative == 1 else "far"
                # Counted from the candidate's edge nearest the quote.
                distance = target - last_index if index < target else index - target
                paragraph_same = quote_paragraphs[0] <= unit.paragraph <= quote_paragraphs[1]
            if zone in ("p1", "n1") and not paragraph_same:
                zone += "x"  # across a paragraph break
            placed.append((candidate, zone, distance))
            sentence_of[id(candidate)] = candidate_sentence
        ranks: dict[int, int] = {}
        for zone_name in {z for _c, z, _d in placed}:
            # Nearest first; equal distances in text order (so ranks never depend on memory).
            in_zone = sorted(
                (d, c.start if zone_name.startswith("s") else -c.start, -c.end, id(c))
                for c, z, d in placed
                if z == zone_name
            )
            for rank, (_d, _start, _end, ident) in enumerate(in_zone):
                ranks[ident] = rank

        # Cue positions of the quote's sentence, to count the cues between a candidate and
        # the quote ("X said the minister and Y “…”": one cue between X and the quote).
        cue_starts: list[int] = []
        same_first, same_end = self.context.sentence_span(sentence, len(units))
        for side in (
            [u for u in units[same_first:target] if u.quote < 0],
            [u for u in units[target + 1 : same_end] if u.quote < 0],
        ):
            cue_starts.extend(side[k].start for k in range(len(side)) if attr._cue_at(side, k))
        # The other sentences: whether each has a reporting cue, or a quotation of its own
        # ("… And Yelling says: “…”" names the speaker of the quote after it, not before).
        facts: dict[int, tuple[bool, bool]] = {}
        names_in_quote = attr._named_in_quote
        spans = sorted(by_span)
        out: list[Candidate] = []
        for candidate, zone, distance in placed:
            info = mention_info.get((candidate.start, candidate.end))
            text = doc.body[candidate.start : candidate.end]
            kind_of = info[3] if info is not None else self._kind_of_text(candidate)
            rank = min(ranks[id(candidate)], 3)
            # The pieces the conjunctions share ("z=sb", "z=sb|t=person", ...).
            z = f"z={zone}"
            t = f"t={kind_of}"
            zt = f"{z}|{t}"
            zr = f"{z}|r={rank}"
            features = [
                "bias",
                t,
                z,
                zt,
                zr,
                f"{zt}|r={rank}",
                f"{z}|d={distance_bucket(distance)}",
                f"{zt}|{q}",
                f"{zr}|{q}",
            ]
            features += [f"{z}|{f}" for f in shape_features]
            own_sentence = sentence_of[id(candidate)]
            if own_sentence is not None and own_sentence != sentence:
                if own_sentence not in facts:
                    facts[own_sentence] = (
                        self.context.sentence_facts(units, own_sentence)
                        if abs(own_sentence - sentence) <= 2
                        else (False, False)  # farther sentences are not looked into
                    )
                has_cue, with_quote = facts[own_sentence]
                features.append(f"z={zone}|scue={int(has_cue)}")
                if with_quote:
                    features += ["own_quote", f"z={zone}|own_quote"]
            if zone in ("sb", "sa"):
                low, high = (
                    (candidate.end, quote.start) if zone == "sb" else (quote.end, candidate.start)
                )
                between = min(sum(1 for p in cue_starts if low <= p < high), 2)
                features += [
                    f"z={zone}|cues={between}",
                    f"z={zone}|t={kind_of}|cues={between}",
                    f"z={zone}|q={shape_key}|cues={between}",
                ]
            for other in spans:
                if other[0] > candidate.end:
                    break
                if (
                    other != (candidate.start, candidate.end)
                    and other[0] <= candidate.start
                    and candidate.end <= other[1]
                ):
                    features += ["nested", f"nested|t={kind_of}", f"nested|z={zone}"]
                    break
            for other in spans:
                if other[0] > candidate.end:
                    break  # the spans are sorted: none further on lies inside
                if (
                    candidate.start <= other[0]
                    and other[1] <= candidate.end
                    and other != (candidate.start, candidate.end)
                ):
                    features += ["contains", f"contains|t={kind_of}"]
                    break
            if text.endswith(("’s", "'s")) or doc.body[candidate.end : candidate.end + 2] in (
                "’s",
                "'s",
            ):
                features += ["poss", f"poss|z={zone}"]
            if info is not None:
                tokens, first, last, _kind = info
                prev_word, next_word, cue = self._neighbours(tokens, first, last)
                if candidate.cue is None:
                    candidate.cue = cue
                p = f"p={prev_word}"
                n = f"n={next_word}"
                pn = f"{p}|{n}"
                features += [
                    p,
                    n,
                    pn,
                    f"{z}|{p}",
                    f"{z}|{n}",
                    f"{z}|{pn}",
                    f"{t}|{p}",
                    f"{t}|{n}",
                    f"{zt}|{n}",
                    f"{zt}|{p}",
                    f"{q}|{z}|{pn}",
                ]
                features += syntax_features(self.attr, tokens, first, last, zone, kind_of)
                if zone in ("n1", "n1x"):
                    # "… The chairman, Tom Hart, said." names the speaker of the quote before;
                    # "A spokesman said Downing Street had no comment." is a report of its own.
                    rest = sum(1 for t in tokens[last + 1 :] if t.text[0].isalnum())
                    length = "short" if rest <= 3 else "long"
                    features += [f"next_sent={length}", f"next_sent={length}|n={next_word}"]
            else:
                features.append("no_local")
            for origin in sorted(candidate.origins):
                features += [f"o={origin}", f"o={origin}|z={zone}", f"o={origin}|t={kind_of}"]
                features.append(f"o={origin}|{shape_features[0]}")
            if candidate.origins:
                features.append("o=" + "+".join(sorted(candidate.origins)))
            for path in paths.get(id(candidate), ()):
                features += [path, f"{path}|q={shape_key}"]
            if (
                rule_span is not None
                and "rule" not in candidate.origins
                and rule_span[0] is not None
                and rule_span[1] is not None
                and candidate.start < rule_span[1]
                and rule_span[0] < candidate.end
            ):
                features += ["in_rule", f"in_rule|t={kind_of}"]
            name = self._quick_name(candidate, text)
            if names_in_quote and kind_of not in _PRONOUN_KINDS:
                words = (name or text).split()
                if words and (
                    words[-1] in names_in_quote or (name is not None and words[0] in names_in_quote)
                ):
                    # "Somebody, I think it was Mr Phillips, said …": not Mr Phillips speaking.
                    features += ["in_quote", f"in_quote|z={zone}"]
            if name is not None:
                if prev_name is not None and name == prev_name:
                    features += ["same_as_prev", f"same_as_prev|z={zone}"]
                count = speakers_so_far.get(name, 0)
                if count:
                    features += [
                        f"spoke={min(count, 3)}",
                        f"spoke|z={zone}",
                        f"spoke|t={kind_of}",
                    ]
            if kind == "scare":
                features = [f"scare|{f}" for f in features[:4]] + features
            candidate.features = features
            out.append(candidate)
        out.sort(key=lambda c: (c.start, c.end))
        return out

    def _quick_name(self, candidate: Candidate, text: str) -> str | None:
        """The canonical name of a named candidate (an entity or a ready attribution)."""
        if candidate.attribution is not None:
            return candidate.attribution.speaker
        entities = self.attr._entities_in(candidate.start, candidate.end)
        for entity in entities:
            if entity.start <= candidate.start and candidate.end <= entity.end + 3:
                return (
                    self.attr._person_name(entity)
                    if entity.label == "PERSON"
                    else self.attr._full_canonical(entity.canonical)
                )
        return None

    def _mentions(
        self, tokens: list[_Token], opens_sentence: bool
    ) -> list[tuple[int, int, int, int, str]]:
        """(start, end, first token, last token, kind) of every mention in one run (which
        `opens_sentence` or not)."""
        from corpus.lexicon import CALENDAR, SENTENCE_INITIAL, SPOKES_NOUNS
        from corpus.speaker_tokens import is_cap as _is_cap

        attr = self.attr
        if not tokens:
            return []
        role_heads = _role_heads()
        found: list[tuple[int, int, int, int, str]] = []
        taken: list[tuple[int, int]] = []
        starts = {t.start: i for i, t in enumerate(tokens)}
        ends = {t.end: i for i, t in enumerate(tokens)}
        for entity in attr._entities_in(tokens[0].start, tokens[-1].end):
            first = starts.get(entity.start)
            last = ends.get(entity.end)
            if first is None:
                continue
            if last is None:
                # "Mr Trump’s": the entity ends inside the possessive token.
                last = bisect_left([t.end for t in tokens], entity.end)
                if last >= len(tokens):
                    continue
            found.append((entity.start, entity.end, first, last, entity.label.lower()))
            taken.append((entity.start, tokens[last].end))
        n = len(tokens)
        for j, token in enumerate(tokens):
            lower = token.lower
            if lower in _PRONOUN_TYPES:
                if lower == "her" and j + 1 < n and tokens[j + 1].text[:1].isalnum():
                    continue  # "her campaign": a determiner
                found.append((token.start, token.end, j, j, _PRONOUN_TYPES[lower]))
                continue
            if token.text.isalpha() and token.text.islower() and lower in role_heads:
                if j + 1 < n and tokens[j + 1].lower in role_heads:
                    continue  # "campaign spokesman": the head is the last noun
                span = attr._np_ending_at(tokens, j, 0)
                start = span[0] if span is not None else token.start
                first = starts.get(start, j)
                kind_of = "spokes" if lower in SPOKES_NOUNS else "role"
                found.append((start, token.end, first, j, kind_of))
                continue
            if (
                _is_cap(token)
                and not (j + 1 < n and _is_cap(tokens[j + 1]))
                and lower not in CALENDAR
                and lower not in _PRONOUN_TYPES
            ):
                if any(s <= token.start < e for s, e in taken):
                    continue  # the last word of an entity
                span = attr._np_ending_at(tokens, j, 0)
                if span is None:
                    continue
                first = starts.get(span[0], j)
                if first == j and lower in SENTENCE_INITIAL:
                    continue
                if first == j == 0 and opens_sentence and token.text not in attr.doc.full_names:
                    continue  # "Exact figures are …": capitalised only because it opens

                if any(s < span[1] and span[0] < e and span[1] <= e for s, e in taken):
                    continue  # the entity itself (a phrase headed after it stays: "the US
                    # President" holds "US")
                kind_of = "role" if lower in role_heads else "cap"
                found.append((span[0], span[1], first, j, kind_of))
        return found

    def _neighbours(
        self, tokens: list[_Token], first: int, last: int
    ) -> tuple[str, str, tuple[int, int] | None]:
        """Classes of the words before and after a mention, and a cue next to it."""
        attr = self.attr
        cue: tuple[int, int] | None = None
        if first == 0:
            prev_word = "^"
        else:
            prev = tokens[first - 1]
            length = attr._cue_at(tokens, first - 1)
            if not length and first >= 2:
                length = attr._cue_at(tokens, first - 2)
                if length == 2:
                    prev_word = "cue"  # "according to X"
                    cue = attr._cue_text(tokens, first - 2, length)
                    length = 0
                else:
                    length = 0
            if cue is not None:
                pass
            elif length:
                prev_word = "according" if prev.lower == "to" else "cue"
                cue = attr._cue_text(tokens, first - 1, length)
            elif prev.lower in _PREP_WORDS:
                prev_word = "prep_" + prev.lower
            elif prev.lower in _PREV_WORDS:
                prev_word = prev.lower
            elif prev.text[:1].isupper():
                prev_word = "Cap"
            elif prev.text.isalpha() and is_verb_form(prev.lower):
                prev_word = "verb"
            else:
                prev_word = "w"
        if last + 1 >= len(tokens):
            next_word = "$"
        else:
            j = last + 1
            nxt = tokens[j]
            length = attr._cue_at(tokens, j)
            if length:
                next_word = "cue"
                if cue is None:
                    cue = attr._cue_text(tokens, j, length)
            elif nxt.lower in _NEXT_WORDS:
                next_word = nxt.lower
                if nxt.lower in ("’s", "'s"):
                    next_word = "poss"
            elif nxt.text.isalpha() and nxt.text.islower():
                from corpus.lexicon import AUX_CHAIN

                k = j
                while k < len(tokens) and k < j + 4 and tokens[k].lower in AUX_CHAIN:
                    k += 1
                if k > j and k < len(tokens) and attr._cue_at(tokens, k):
                    next_word = "aux_cue"
                    if cue is None:
                        cue = attr._cue_text(tokens, k, attr._cue_at(tokens, k))
                elif is_verb_form(nxt.lower):
                    next_word = "verb"
                else:
                    next_word = "w"
            elif nxt.text[:1].isupper():
                next_word = "Cap"
            else:
                next_word = "x"
        return prev_word, next_word, cue

    def _kind_of_text(self, candidate: Candidate) -> str:
        from corpus.lexicon import ROLE_NOUNS, SPOKES_NOUNS
        from corpus.speaker_tokens import strip_possessive as _strip_possessive

        text = self.doc.body[candidate.start : candidate.end]
        words = text.split()
        if not words:
            return "other"
        if len(words) == 1 and words[0].lower() in _PRONOUN_TYPES:
            return _PRONOUN_TYPES[words[0].lower()]
        head = _strip_possessive(words[-1].lower())
        if head in SPOKES_NOUNS:
            return "spokes"
        entities = self.attr._entities_in(candidate.start, candidate.end)
        if entities:
            return entities[-1].label.lower()
        if head in ROLE_NOUNS:
            return "role"
        return "cap" if words[-1][:1].isupper() else "other"

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
