"""A greedy averaged-perceptron name tagger over candidate tokens (weights in corpus/data).

The tagger assigns CoNLL-style BIO tags (PER, ORG, LOC, MISC) to the candidate tokens of a
text (see `corpus.ner_tokens.candidate_indices`); every other token is O. Its weights are
trained on CoNLL-2003 eng.train by benchmarks/train_ner.py and shipped as
corpus/data/ner_weights.json.gz (with the lower-case vocabulary mined from the same file).

Speed comes from the shape of the features: every feature belongs to one position of the
window (the word itself, one or two words before or after) and depends only on the word at
that position, or on the two previous tags and the word's shape. So the score contribution of
"word w at position r" is one precomputed vector, cached per word, the tag-history part is
cached per (tags, shape), and scoring a token is adding six short vectors. `word_features`
is shared with the trainer so that both sides compute the same keys.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources

from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_tokens import LINE_BREAK

TAGS: tuple[str, ...] = (
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
)  # fmt: skip
TAG_INDEX = {tag: index for index, tag in enumerate(TAGS)}
_MONTHS_AND_DAYS_TEXT = """
January February March April May June July August September October November December Jan
Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
Saturday Sunday
"""
MONTHS_AND_DAYS = frozenset(_MONTHS_AND_DAYS_TEXT.split())


def word_shape(word: str) -> str:
    """Compressed character classes: "McDonald" -> "XxXx", "U.S." -> "X.X.", "1996" -> "d"."""
    if word.isalpha():  # the common cases, without the loop
        if word.islower():
            return "x"
        if word.isupper():
            return "X"
        if word[0].isupper() and word[1:].islower():
            return "Xx"
    shape: list[str] = []
    last = ""
    for char in word:
        if char.isupper():
            kind = "X"
        elif char.islower():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if kind != last:
            shape.append(kind)
            last = kind
    return "".join(shape)


def _gazetteer_flags(word: str, gaz: Gazetteer) -> list[str]:
    """Gazetteer memberships of a capitalised word (headline capitals looked up as "Title")."""
    title = word.title() if word.isupper() else word
    flags: list[str] = []
    if title in gaz.gpe:
        flags.append("g=gpe")
    elif title in gaz.gpe_tokens:
        flags.append("g=gpe_part")
    if title in gaz.loc:
        flags.append("g=loc")
    elif title in gaz.loc_tokens:
        flags.append("g=loc_part")
    if title in gaz.norp:
        flags.append("g=norp")
    if title in gaz.first_names:
        flags.append("g=first")
    if title in gaz.cities:
        flags.append("g=city")
    if title in gaz.census_first_names:
        flags.append("g=cfirst")
    if title in gaz.census_surnames:
        flags.append("g=clast")
    if word in gaz.honorifics:
        flags.append("g=honor")
    if word in gaz.title_roles:
        flags.append("g=title")
    cue = gaz.cues.get(title)
    if cue:
        flags.append("g=cue_" + cue)
    if title in MONTHS_AND_DAYS:
        flags.append("g=date")
    return flags


def word_features(
    word: str, lowercase_vocab: frozenset[str], gaz: Gazetteer
) -> tuple[list[str], list[str], list[str]]:
    """Feature names of `word` as (itself, a neighbour, a neighbour two away)."""
    if word == LINE_BREAK:
        return ["nl"], ["nl"], ["nl"]
    lower = word.lower()
    shape = word_shape(word)
    flags = _gazetteer_flags(word, gaz) if word[0].isupper() else []
    if lower in lowercase_vocab:
        flags.append("g=lc")
    itself = [
        "bias",
        "w=" + word,
        "l=" + lower,
        "s=" + shape,
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "x2=" + lower[-2:],
        "x3=" + lower[-3:],
        "x4=" + lower[-4:],
        *flags,
    ]
    if word.isupper() and len(word) > 1:
        itself.append("caps")
        itself.append("caps_l=" + lower)
    if len(word) == 1:
        itself.append("len1")
    near = ["l=" + lower, "s=" + shape, *flags]
    far = ["l=" + lower, "s=" + shape]
    return itself, near, far


def tag_features(previous_tag: str, previous2_tag: str, shape: str) -> list[str]:
    """Features of the two previous tags, and of the previous tag with the word's shape."""
    return [
        "t=" + previous_tag,
        "ts=" + previous_tag + "|" + shape,
        "tt=" + previous2_tag + "|" + previous_tag,
    ]


def bigram_features(prev1: str, word: str, next1: str) -> list[str]:
    """Word-pair features (looked up directly: they are too many to cache)."""
    lower = word.lower()
    return ["b-=" + prev1.lower() + "|" + lower, "b+=" + lower + "|" + next1.lower()]


def context_words(words: list[str], i: int) -> tuple[str, str, str, str]:
    """The words at positions -1, +1, -2, +2 of token i; a line break ends the window.

    `PerceptronTagger.tag` inlines the same computation for speed.
    """
    count = len(words)
    prev1 = words[i - 1] if i > 0 else LINE_BREAK
    next1 = words[i + 1] if i + 1 < count else LINE_BREAK
    prev2 = words[i - 2] if i > 1 and prev1 != LINE_BREAK else LINE_BREAK
    next2 = words[i + 2] if i + 2 < count and next1 != LINE_BREAK else LINE_BREAK
    return prev1, next1, prev2, next2


def best_allowed(scores: list[float], previous: int) -> int:
    """The best-scoring tag that may follow `previous` (I-X only continues B-X or I-X)."""
    best = 0
    best_score = scores[0]
    continues = previous + 1 if previous % 2 else previous  # the I- tag of previous's type
    for index in range(1, len(scores)):
        score = scores[index]
        if score > best_score and (index % 2 or index == continues):
            best = index
            best_score = score
    return best


class PerceptronTagger:
    """Greedy left-to-right tagging with cached per-word score vectors."""

    def __init__(self, weights: dict[str, list[float]], lowercase_vocab: frozenset[str]) -> None:
        self.weights = weights
        self.lowercase_vocab = lowercase_vocab
        self._gaz = gazetteer()
        self._zero = [0.0] * len(TAGS)
        self.has_bigrams = any(key.startswith("b-=") for key in weights)
        self._own_cache: dict[str, tuple[list[float], str]] = {}
        self._context_cache: dict[
            str, tuple[list[float], list[float], list[float], list[float]]
        ] = {}
        self._tag_cache: dict[tuple[int, int, str], list[float]] = {}

    def _sum(self, keys: list[str]) -> list[float]:
        get = self.weights.get
        vectors = [v for v in map(get, keys) if v is not None]
        if len(vectors) < 2:
            return vectors[0] if vectors else self._zero
        return [sum(column) for column in zip(*vectors, strict=True)]

    def _own(self, word: str) -> tuple[list[float], str]:
        """The score vector of `word` as the token being tagged, and its shape."""
        itself, _near, _far = word_features(word, self.lowercase_vocab, self._gaz)
        own = (self._sum(["0|" + f for f in itself]), word_shape(word))
        if len(self._own_cache) > 200_000:  # bound memory on huge corpora
            self._own_cache.clear()
        self._own_cache[word] = own
        return own

    def _context(self, word: str) -> tuple[list[float], list[float], list[float], list[float]]:
        """The score vectors of `word` at positions -1, +1, -2, +2 of the token being tagged."""
        _itself, near, far = word_features(word, self.lowercase_vocab, self._gaz)
        context = (
            self._sum(["-1|" + f for f in near]),
            self._sum(["+1|" + f for f in near]),
            self._sum(["-2|" + f for f in far]),
            self._sum(["+2|" + f for f in far]),
        )
        if len(self._context_cache) > 200_000:
            self._context_cache.clear()
        self._context_cache[word] = context
        return context

    def _tag_vector(self, previous: int, previous2: int, shape: str) -> list[float]:
        """Tag-history scores, with the I- tags that cannot follow `previous` ruled out."""
        scores = self._sum(tag_features(TAGS[previous], TAGS[previous2], shape))
        continues = previous + 1 if previous % 2 else previous
        vector = [
            score if index % 2 or index in (0, continues) else score - 1e9
            for index, score in enumerate(scores)
        ]
        self._tag_cache[previous, previous2, shape] = vector
        return vector

    def tag(self, words: list[str], indices: list[int]) -> list[int]:
        """Tag indices (into TAGS) for every token; only tokens at `indices` can be non-O."""
        tags = [0] * len(words)
        own_get = self._own_cache.get
        own_of = self._own
        context_get = self._context_cache.get
        context_of = self._context
        tag_cache_get = self._tag_cache.get
        count = len(words)
        weight_get = self.weights.get
        zero = self._zero
        bigrams = self.has_bigrams
        previous = previous2 = 0
        last = -2
        for i in indices:
            if i != last + 1:
                previous = previous2 = 0
            last = i
            word = words[i]
            own, shape = own_get(word) or own_of(word)
            prev1 = words[i - 1] if i > 0 else LINE_BREAK
            next1 = words[i + 1] if i + 1 < count else LINE_BREAK
            prev2 = words[i - 2] if i > 1 and prev1 != LINE_BREAK else LINE_BREAK
            next2 = words[i + 2] if i + 2 < count and next1 != LINE_BREAK else LINE_BREAK
            v_tag = tag_cache_get((previous, previous2, shape)) or self._tag_vector(
                previous, previous2, shape
            )
            v_prev1 = (context_get(prev1) or context_of(prev1))[0]
            v_next1 = (context_get(next1) or context_of(next1))[1]
            v_prev2 = (context_get(prev2) or context_of(prev2))[2]
            v_next2 = (context_get(next2) or context_of(next2))[3]
            if bigrams:
                lower = word.lower()
                v_left = weight_get("b-=" + prev1.lower() + "|" + lower) or zero
                v_right = weight_get("b+=" + lower + "|" + next1.lower()) or zero
                scores = [
                    a + b + c + d + e + f + g + h
                    for a, b, c, d, e, f, g, h in zip(
                        own, v_prev1, v_next1, v_prev2, v_next2, v_tag, v_left, v_right,
                        strict=True,
                    )
                ]  # fmt: skip
            else:
                scores = [
                    a + b + c + d + e + f
                    for a, b, c, d, e, f in zip(
                        own, v_prev1, v_next1, v_prev2, v_next2, v_tag, strict=True
                    )
                ]
            best = scores.index(max(scores))  # v_tag rules out impossible I- tags
            previous2 = previous
            previous = tags[i] = best
        return tags


@cache
def default_tagger() -> PerceptronTagger:
    """The tagger with the shipped weights (loaded once)."""
    path = resources.files("corpus").joinpath("data", "ner_weights.json.gz")
    with path.open("rb") as handle:
        data = json.loads(gzip.decompress(handle.read()).decode("utf-8"))
    if tuple(data["tags"]) != TAGS:
        raise ValueError("ner_weights.json.gz was trained with other tags")
    return PerceptronTagger(data["weights"], frozenset(data["lowercase_vocab"]))
