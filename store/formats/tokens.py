"""Tokens and sentences of a cleaned body, for the token-based formats (CoNLL, Prodigy).

Tokens are the entity tagger's (`corpus.ner_tokens.tokenize`), so an entity span always
starts and ends on a token boundary; line breaks are not tokens. A sentence ends after `.`,
`!` or `?` (and any closing quotation marks or brackets) when the next token starts with a
capital letter, a digit or an opening quotation mark, and always at a paragraph break; a
sentence never ends inside a span that must stay whole (an entity).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.ner_tokens import LINE_BREAK, tokenize

_ENDS = frozenset({".", "!", "?"})
_CLOSERS = frozenset({"”", "’", '"', "'", ")", "]"})
_OPENERS = frozenset({"“", "‘", '"', "'", "("})


@dataclass(frozen=True, slots=True)
class Token:
    """`body[start:end] == text`; `ws` is True when white space follows it."""

    text: str
    start: int
    end: int
    ws: bool


def body_tokens(body: str) -> list[Token]:
    """The tokens of `body` in order (line breaks dropped)."""
    words, starts = tokenize(body)
    tokens: list[Token] = []
    for word, start in zip(words, starts, strict=True):
        if word == LINE_BREAK:
            continue
        end = start + len(word)
        tokens.append(Token(word, start, end, end < len(body) and body[end].isspace()))
    return tokens


def sentences(
    body: str, tokens: list[Token], keep_whole: Iterable[tuple[int, int]] = ()
) -> list[list[Token]]:
    """`tokens` cut into sentences (see module doc); no cut falls inside a `keep_whole` span."""
    inside: set[int] = set()
    for start, end in keep_whole:
        inside.update(range(start + 1, end))  # a cut at these character offsets splits a span
    result: list[list[Token]] = []
    current: list[Token] = []
    for index, token in enumerate(tokens):
        if current and current[-1].end < token.start:
            gap = body[current[-1].end : token.start]
            if "\n\n" in gap and token.start not in inside:
                result.append(current)
                current = []
        current.append(token)
        if not _sentence_ends_after(tokens, index):
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.start in inside:
            continue
        result.append(current)
        current = []
    if current:
        result.append(current)
    return result


def _sentence_ends_after(tokens: list[Token], index: int) -> bool:
    token = tokens[index]
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if nxt is not None and nxt.text in _CLOSERS and nxt.start == token.end:
        return False  # the closing mark ends the sentence instead
    back = index
    while back >= 0 and tokens[back].text in _CLOSERS:
        back -= 1
    if back < 0 or tokens[back].text not in _ENDS:
        return False
    if nxt is None:
        return True
    first = nxt.text[0]
    return first.isupper() or first.isdigit() or nxt.text in _OPENERS


def token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """Indices of the first and last token that `body[start:end]` covers (None if none)."""
    starts = [t.start for t in tokens]
    first = bisect_left(starts, start)
    if first > 0 and tokens[first - 1].end > start:
        first -= 1
    last = first
    if first >= len(tokens) or tokens[first].start >= end:
        return None
    while last + 1 < len(tokens) and tokens[last + 1].start < end:
        last += 1
    return first, last
