"""The features that describe a speaker candidate of a quotation.

The learned speaker choice (`corpus.quote_model`) weighs string features of each candidate
(`corpus.quote_candidates`). These are the pieces that describe the quotation and the words
around a mention: the shape of the quotation (opens or ends its sentence, its last character
inside the marks, opens or fills its paragraph, a cue before or after it, follows another
quote: `QuoteShape`), a distance in classes (`distance_bucket`), and the appositive and
subject patterns around a mention (`syntax_features`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.quote_context import QuoteContext
    from corpus.quote_speakers import QuoteAttributor
    from corpus.speaker_tokens import Token as _Token

    _Unit = _Token  # a token outside quotations, or a quotation's stand-in (`quote` >= 0)


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
