"""The features that describe a speaker candidate of a quotation.

The learned speaker choice (`corpus.quote_model`) weighs string features of each candidate
that `corpus.quote_candidates` gathers. `describe_candidates` gives each its list: where it
stands (zone: same sentence before or after the quote, previous or next sentence, same
paragraph or not), how far (in tokens, `distance_bucket`, and its rank among the candidates
of its zone), what it is (entity label, pronoun, role noun, spokesperson), the words around
it ("said X", "X said", "of X", "according to X": `neighbour_classes`), the appositive and
subject patterns around it ("X, role, said": `syntax_features`), whether the quotation names
it (a speaker rarely names themself), whether its own sentence has a reporting cue or a
quotation of its own, which rules chose it, and the shape of the quote (opens or ends its
sentence, last character inside the marks, opens or fills its paragraph, follows another
quote: `QuoteShape`), alone and in conjunctions.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.lexicon import AUX_CHAIN
from corpus.lexicon import CANDIDATE_PRONOUNS as _PRONOUN_TYPES
from corpus.lexicon import CONTEXT_NEXT_WORDS as _NEXT_WORDS
from corpus.lexicon import CONTEXT_PREPOSITIONS as _PREP_WORDS
from corpus.lexicon import CONTEXT_PREVIOUS_WORDS as _PREV_WORDS
from corpus.quote_lexicon import is_verb_form
from corpus.quote_mentions import kind_of_text

if TYPE_CHECKING:
    from corpus.quote_candidates import Candidate
    from corpus.quote_context import QuoteContext
    from corpus.quote_speakers import QuoteAttributor
    from corpus.speaker_tokens import Attribution
    from corpus.speaker_tokens import Token as _Token

    _Unit = _Token  # a token outside quotations, or a quotation's stand-in (`quote` >= 0)

_PRONOUN_KINDS = frozenset(_PRONOUN_TYPES.values())


@dataclass(slots=True)
class QuoteShape:
    """What the quotation itself looks like, as features to conjoin with the zones."""

    opens_sentence: bool
    ends_sentence: bool
    inner_last: str
    paragraph_start: bool
    fills_paragraph: bool
    colon_before: bool
    cue_after: bool
    cue_before: bool
    multi_paragraph: bool
    after_quote: bool = False

    def key(self) -> str:
        return (
            ("O" if self.opens_sentence else "o")
            + ("E" if self.ends_sentence else "e")
            + {",": ",", ".": ".", "?": "?", "!": "!"}.get(self.inner_last, "x")
        )

    def features(self) -> list[str]:
        out = [f"q={self.key()}"]
        if self.paragraph_start:
            out.append("q_para_start")
        if self.fills_paragraph:
            out.append("q_fills_para")
        if self.colon_before:
            out.append("q_colon")
        if self.cue_after:
            out.append("q_cue_after")
        if self.cue_before:
            out.append("q_cue_before")
        if self.multi_paragraph:
            out.append("q_multi")
        if self.after_quote:
            out.append("q_after_quote")
        return out


def quote_shape(context: QuoteContext, units: list[_Unit], target: int) -> QuoteShape:
    """The shape of the quotation whose unit is `units[target]` in the window."""
    attr = context.attr
    doc = context.doc
    unit = units[target]
    quote = doc.quotes[unit.quote]
    same_first, same_end = context.sentence_span(unit.sentence, len(units))
    before = [u for u in units[same_first:target] if u.quote < 0]
    after = units[target + 1 : same_end]
    opens = not any(u.quote < 0 and u.text[:1].isalnum() for u in before)
    ends = not any(u.quote < 0 and u.text[:1].isalnum() for u in after)
    paragraph_start = quote.start in set(doc.paragraph_starts)
    last_paragraph = attr._paragraph_of(quote.end - 1)
    paragraph_end = (
        doc.paragraph_starts[last_paragraph + 1]
        if last_paragraph + 1 < len(doc.paragraph_starts)
        else len(doc.body)
    )
    fills = paragraph_start and not doc.body[quote.end : paragraph_end].strip(" \n.")
    after_tokens = [u for u in after[:8] if u.quote < 0]
    before_tokens = [u for u in before if u.quote < 0]
    cue_after = any(attr._cue_at(after_tokens, k) for k in range(len(after_tokens)))
    cue_before = any(attr._cue_at(before_tokens, k) for k in range(len(before_tokens)))
    colon = bool(before_tokens) and before_tokens[-1].text in ":,"
    return QuoteShape(
        opens_sentence=opens,
        ends_sentence=ends,
        inner_last=attr._inner_last(quote),
        paragraph_start=paragraph_start,
        fills_paragraph=fills,
        colon_before=colon,
        cue_after=cue_after,
        cue_before=cue_before,
        multi_paragraph=quote.paragraphs > 1,
        # Right after another quotation of the paragraph, nothing between ("…?" "How …").
        after_quote=target > 0
        and units[target - 1].quote >= 0
        and units[target - 1].paragraph == unit.paragraph,
    )


def distance_bucket(distance: int) -> str:
    """A distance in units, in six classes (0-1, 2-3, 4-6, 7-12, 13-25, more)."""
    if distance <= 1:
        return "0"
    if distance <= 3:
        return "1"
    if distance <= 6:
        return "2"
    if distance <= 12:
        return "3"
    if distance <= 25:
        return "4"
    return "5"


def neighbour_classes(
    attr: QuoteAttributor, tokens: list[_Token], first: int, last: int
) -> tuple[str, str, tuple[int, int] | None]:
    """Classes of the words before and after a mention, and a cue next to it."""
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


def syntax_features(
    attr: QuoteAttributor, tokens: list[_Token], first: int, last: int, zone: str, kind_of: str
) -> list[str]:
    """Appositive and subject patterns around a mention."""
    out: list[str] = []
    n = len(tokens)
    # "X, the party's leader, said": a comma, up to 12 words, a comma, a cue.
    if last + 1 < n and tokens[last + 1].text == ",":
        k = last + 2
        while k < n and k < last + 14 and tokens[k].text not in ",;:.":
            k += 1
        if k + 1 < n and tokens[k].text == "," and attr._cue_at(tokens, k + 1):
            out += ["appos_cue", f"appos_cue|z={zone}", f"appos_cue|t={kind_of}"]
        elif (k < n and tokens[k].text in ".;") or k >= n:
            out += ["comma_to_end", f"comma_to_end|z={zone}"]
    # Inside an appositive before the cue: ", Tom Hart, said" / "the chairman, Tom Hart".
    if first > 0 and tokens[first - 1].text == ",":
        if last + 2 < n and tokens[last + 1].text == "," and attr._cue_at(tokens, last + 2):
            out += ["in_appos_cue", f"in_appos_cue|t={kind_of}"]
        if last + 1 >= n or tokens[last + 1].text in ".":
            out += ["appos_end", f"appos_end|t={kind_of}|z={zone}"]
    # "X of Y said": the mention is the object of "of" inside a longer subject.
    if first > 1 and tokens[first - 1].lower == "of":
        out += [f"of_obj|t={kind_of}"]
    # A name followed by "of ORG": the person, not the organisation.
    if last + 2 < n and tokens[last + 1].lower == "of":
        out += [f"has_of|t={kind_of}"]
    if first > 0 and tokens[first - 1].text == "(":
        out.append("in_paren")
    if attr._looks_like_subject(tokens[first].start, tokens[last].end):
        out += ["subject", f"subject|z={zone}", f"subject|t={kind_of}"]
    if first == 0:
        out += [f"opens|z={zone}"]
    return out


def quick_name(attr: QuoteAttributor, candidate: Candidate, text: str) -> str | None:
    """The canonical name of a named candidate (an entity or a ready attribution)."""
    if candidate.attribution is not None:
        return candidate.attribution.speaker
    entities = attr._entities_in(candidate.start, candidate.end)
    for entity in entities:
        if entity.start <= candidate.start and candidate.end <= entity.end + 3:
            return (
                attr._person_name(entity)
                if entity.label == "PERSON"
                else attr._full_canonical(entity.canonical)
            )
    return None


def describe_candidates(
    context: QuoteContext,
    number: int,
    units: list[_Unit],
    target: int,
    shape: QuoteShape,
    *,
    by_span: dict[tuple[int, int], Candidate],
    mention_info: dict[tuple[int, int], tuple[list[_Token], int, int, str]],
    paths: dict[int, list[str]],
    kind: str,
    rule: Attribution,
    previous: list[Attribution],
    speakers_so_far: dict[str, int],
) -> list[Candidate]:
    """Give each candidate of quotation `number` (`by_span`; its unit is `units[target]`) its
    features, and return them in text order.

    `mention_info` holds the run, first and last token and kind of each candidate its window
    named; `paths` the rules' readings that chose a candidate (by `id`); `previous` the
    attributions so far and `speakers_so_far` how often each name has spoken.
    """
    attr = context.attr
    doc = context.doc
    quote = doc.quotes[number]
    sentence = units[target].sentence
    shape_key = shape.key()
    q = f"q={shape_key}"
    shape_features = shape.features()
    prev_result = previous[-1] if previous else None
    # Zones and distances.
    unit_starts = context.unit_starts[context.offset : context.offset + len(units)]
    placed: list[tuple[Candidate, str, int]] = []
    sentence_of: dict[int, int | None] = {}
    rule_span = (rule.speaker_start, rule.speaker_end) if rule.speaker_start is not None else None
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
    same_first, same_end = context.sentence_span(sentence, len(units))
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
        kind_of = info[3] if info is not None else kind_of_text(attr, candidate)
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
                    context.sentence_facts(units, own_sentence)
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
            prev_word, next_word, cue = neighbour_classes(attr, tokens, first, last)
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
            features += syntax_features(attr, tokens, first, last, zone, kind_of)
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
        name = quick_name(attr, candidate, text)
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
