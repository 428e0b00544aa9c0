"""The structure the speaker rules share: tokens, sentences, paragraphs and quotations.

`SpeakerDocument` is one body as the attribution of its quotations sees it: its entities and
quotation spans with their starts (for binary searches), its paragraphs, and the index of the
people it names (filled by `corpus.speaker_people`). Its tokens (`Token`: words and
punctuation marks outside quotations) are made a paragraph at a time, when a rule first reads
there; it tells sentence boundaries ("5.3", "Mr." and "U.S." end none) and the last character
inside a quotation's marks. `Mention` is a person mention; `Attribution` the result for one
quotation, which the rules (`corpus.speaker_rules`), the naming (`corpus.speaker_names`), the
learned choice (`corpus.quote_candidates`) and `corpus.quote_speakers` pass around.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from corpus.lexicon import ABBREVIATIONS
from corpus.model import Entity
from corpus.quote_spans import QuoteSpan

_TOKEN_RE = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*|[^\w\s]")
# Person mentions (and title bindings, entities, earlier speakers) looked at around a
# position when resolving a pronoun or a title, so a body of very many names stays linear.
MAX_CANDIDATES = 60


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


@dataclass(slots=True)
class Token:
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
class Mention:
    """A person mention of the body and the name it stands for."""

    start: int
    end: int
    name: str
    gender: str | None
    subject: bool | None  # None until first asked (`ClauseRoles.is_subject`)


@dataclass(slots=True)
class SpeakerDocument:
    """One body with its entities (sorted), quotations and paragraph starts, the index of
    the people it names (filled by `PeopleIndex`) and its tokens, made as they are read."""

    body: str
    entities: list[Entity]
    entity_starts: list[int]
    quotes: list[QuoteSpan]
    quote_starts: list[int]
    paragraph_starts: list[int]
    gender_by_name: dict[str, str]
    full_names: dict[str, str]  # surname or first name -> full name (no entities)
    persons: list[Mention] = field(default_factory=list)
    person_starts: list[int] = field(default_factory=list)
    name_counts: dict[str, int] = field(default_factory=dict)
    # (position, modifier, title, name): "US President Donald Trump" -> (p, "us", "president", ...)
    titles: list[tuple[int, str, str, str]] = field(default_factory=list)
    # paragraph -> its tokens and their starts (`window_tokens`)
    paragraph_tokens: dict[int, tuple[list[Token], list[int]]] = field(default_factory=dict)

    def window_tokens(self, start: int, end: int) -> list[Token]:
        """The tokens wholly inside body[start:end] outside quotations (every window the
        rules read lies outside quotations). Each paragraph is tokenised once, when a window
        first reaches it, so paragraphs far from any quotation cost nothing."""
        first = self.paragraph_of(start)
        last = self.paragraph_of(max(start, end - 1))
        tokens: list[Token] = []
        for paragraph in range(max(0, first), last + 1):
            found = self.paragraph_tokens.get(paragraph)
            if found is None:
                found = self._tokenise_paragraph(paragraph)
            found_tokens, found_starts = found
            low = bisect_left(found_starts, start) if paragraph == first else 0
            high = bisect_left(found_starts, end) if paragraph == last else len(found_tokens)
            if high > low and found_tokens[high - 1].end > end:
                high -= 1
            tokens.extend(found_tokens[low:high])
        return tokens

    def _tokenise_paragraph(self, paragraph: int) -> tuple[list[Token], list[int]]:
        """The tokens of a paragraph outside its quotations, kept in `paragraph_tokens`."""
        starts = self.paragraph_starts
        start = starts[paragraph]
        end = starts[paragraph + 1] if paragraph + 1 < len(starts) else len(self.body)
        tokens: list[Token] = []
        position = start
        k = max(0, bisect_left(self.quote_starts, start) - 1)
        while k < len(self.quotes) and self.quotes[k].start < end:
            quote = self.quotes[k]
            if quote.end > position:
                if quote.start > position:
                    tokens.extend(tokenize(self.body, position, quote.start))
                position = quote.end
            k += 1
        if position < end:
            tokens.extend(tokenize(self.body, position, end))
        found = (tokens, [t.start for t in tokens])
        self.paragraph_tokens[paragraph] = found
        return found

    def inside_quote(self, position: int) -> bool:
        """Whether `position` lies inside a quotation (its marks included)."""
        k = bisect_left(self.quote_starts, position + 1) - 1
        return k >= 0 and self.quotes[k].start <= position < self.quotes[k].end

    def paragraph_of(self, position: int) -> int:
        """The number of the paragraph `position` lies in."""
        return bisect_left(self.paragraph_starts, position + 1) - 1

    def ends_sentence(self, quote: QuoteSpan) -> bool:
        """Whether the quotation ends its sentence (unclosed, or its words end with one)."""
        if not quote.closed:
            return True
        return self.inner_last(quote) in ".?!…"

    def inner_last(self, quote: QuoteSpan) -> str:
        """The last character inside a closed quotation's marks ("" when unclosed or empty);
        a space typed before the closing mark ("… in the end, ”") is skipped."""
        if not quote.closed:
            return ""
        body = self.body
        position = quote.end - 2
        while position > quote.start and body[position] in " \t":
            position -= 1
        return body[position] if position > quote.start else ""

    def is_boundary(self, tokens: list[Token], i: int) -> bool:
        """Whether token i ends a sentence: not the dot of "5.3", "Mr." or "J."."""
        token = tokens[i]
        if token.text not in ".?!":
            return False
        body = self.body
        if token.end < len(body) and not body[token.end].isspace() and body[token.end] not in '”"’':
            return False  # "5.3", "U.S.A"
        if token.text == "." and i > 0:
            prev = tokens[i - 1]
            if prev.lower in ABBREVIATIONS or (len(prev.text) == 1 and prev.text.isupper()):
                return False
        return True

    def sentence_tail(self, tokens: list[Token]) -> list[Token]:
        """The tokens after the last sentence boundary."""
        for i in range(len(tokens) - 1, -1, -1):
            if self.is_boundary(tokens, i):
                return tokens[i + 1 :]
        return tokens


def tokenize(body: str, start: int, end: int) -> list[Token]:
    """The words and punctuation marks of body[start:end]."""
    out: list[Token] = []
    append = out.append
    for match in _TOKEN_RE.finditer(body, start, end):
        text = match.group()
        token_start, token_end = match.span()
        append(Token(token_start, token_end, text, text.lower()))
    return out


def is_cap(token: Token) -> bool:
    """Whether a token is capitalised, as names are ("4Cast" and "3Com" too)."""
    text = token.text
    return text[:1].isupper() or (text[:1].isdigit() and _DIGIT_NAME_RE.match(text) is not None)


_DIGIT_NAME_RE = re.compile(r"\d+[A-Z][a-z]")


def strip_possessive(text: str) -> str:
    """The word without a possessive "’s"/"'s" or a bare "’"/"'" at its end."""
    last = text[-1:]
    if last == "s":
        return text[:-2] if len(text) > 2 and text[-2] in "’'" else text
    if last in ("’", "'") and len(text) > 1:
        return text[:-1]
    return text


def is_possessive(token: Token) -> bool:
    """Whether a token ends with a possessive "’s" (not "it’s", "he’s")."""
    return token.lower.endswith(("’s", "'s")) and token.lower not in {"it’s", "it's", "he’s"}
