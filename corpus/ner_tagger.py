"""A greedy averaged-perceptron name tagger over candidate tokens (weights in corpus/data).

The tagger assigns CoNLL-style BIO tags (PER, ORG, LOC, MISC) to the candidate tokens of a text
(see `corpus.ner_tokens.candidate_mask`); every other token is O. Its weights are trained on
CoNLL-2003 eng.train by benchmarks/train_ner.py and shipped as corpus/data/ner_weights.json.gz.

Speed comes from the shape of the features: every feature belongs to one position of the
window (the word itself, one or two words before or after) and depends only on the word at
that position, or on the previous tag. So the score contribution of "word w at position r" is
one precomputed vector, cached per word, and scoring a token is adding five or six short
vectors. `word_features` is shared with the trainer so that both sides compute the same keys.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources

from corpus.ner_gazetteer import Gazetteer, gazetteer

TAGS: tuple[str, ...] = (
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
)  # fmt: skip
TAG_INDEX = {tag: index for index, tag in enumerate(TAGS)}
LINE_START = "<S>"  # the "word" before the first token of a line
LINE_END = "</S>"  # the "word" after the last token of a line
ROLES = ("0", "-1", "+1", "-2", "+2")
MONTHS_AND_DAYS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday".split()
)


def word_shape(word: str) -> str:
    """Compressed character classes: "McDonald" -> "XxXx", "U.S." -> "X.X.", "1996" -> "d"."""
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


def word_features(
    word: str, lowercase_vocab: frozenset[str], gaz: Gazetteer
) -> tuple[list[str], list[str], list[str]]:
    """Feature names of `word` as (itself, a neighbour, a neighbour two away)."""
    if word in (LINE_START, LINE_END):
        return [word], [word], [word]
    lower = word.lower()
    shape = word_shape(word)
    flags: list[str] = []
    if lower in lowercase_vocab:
        flags.append("g=lc")
    if word in gaz.gpe or word.title() in gaz.gpe:
        flags.append("g=gpe")
    elif word in gaz.gpe_tokens:
        flags.append("g=gpe_part")
    if word in gaz.loc or word.title() in gaz.loc:
        flags.append("g=loc")
    elif word in gaz.loc_tokens:
        flags.append("g=loc_part")
    if word in gaz.norp or word.title() in gaz.norp:
        flags.append("g=norp")
    if word in gaz.first_names or word.title() in gaz.first_names:
        flags.append("g=first")
    if word in gaz.honorifics:
        flags.append("g=honor")
    if word in gaz.titles:
        flags.append("g=title")
    cue = gaz.cues.get(word) or gaz.cues.get(word.title())
    if cue:
        flags.append("g=cue_" + cue)
    if word in MONTHS_AND_DAYS or word.title() in MONTHS_AND_DAYS:
        flags.append("g=date")
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


def tag_features(previous_tag: str, shape: str) -> list[str]:
    """Features joining the previous tag with the current word's shape."""
    return ["t=" + previous_tag, "ts=" + previous_tag + "|" + shape]


def context_words(words: list[str], line_start: list[bool], i: int) -> tuple[str, str, str, str]:
    """The words at positions -1, +1, -2, +2 of token i, with line boundaries marked."""
    count = len(words)
    if line_start[i]:
        prev1 = prev2 = LINE_START
    else:
        prev1 = words[i - 1]
        prev2 = LINE_START if i < 2 or line_start[i - 1] else words[i - 2]
    if i + 1 >= count or line_start[i + 1]:
        next1 = next2 = LINE_END
    else:
        next1 = words[i + 1]
        next2 = LINE_END if i + 2 >= count or line_start[i + 2] else words[i + 2]
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
        # word -> (own vector, as -1, as +1, as -2, as +2, shape)
        self._cache: dict[str, tuple[list[float], ...]] = {}
        self._tag_cache: dict[tuple[int, str], list[float]] = {}

    def _sum(self, keys: list[str]) -> list[float]:
        weights = self.weights
        total = [0.0] * len(TAGS)
        for key in keys:
            vector = weights.get(key)
            if vector is not None:
                total = [a + b for a, b in zip(total, vector, strict=True)]
        return total

    def _vectors(self, word: str) -> tuple[list[float], ...]:
        itself, near, far = word_features(word, self.lowercase_vocab, self._gaz)
        vectors = (
            self._sum(["0|" + f for f in itself]),
            self._sum(["-1|" + f for f in near]),
            self._sum(["+1|" + f for f in near]),
            self._sum(["-2|" + f for f in far]),
            self._sum(["+2|" + f for f in far]),
        )
        if len(self._cache) > 200_000:  # bound memory on huge corpora
            self._cache.clear()
        self._cache[word] = vectors
        return vectors

    def _tag_vector(self, previous: int, word: str) -> list[float]:
        shape = word_shape(word)
        key = (previous, shape)
        vector = self._tag_cache.get(key)
        if vector is None:
            vector = self._sum(tag_features(TAGS[previous], shape))
            self._tag_cache[key] = vector
        return vector

    def tag(self, words: list[str], line_start: list[bool], candidates: list[bool]) -> list[int]:
        """Tag indices (into TAGS) for every token; non-candidates get O (0)."""
        count = len(words)
        tags = [0] * count
        cache_get = self._cache.get
        vectors_of = self._vectors
        tag_cache_get = self._tag_cache.get
        previous = 0
        for i in range(count):
            if not candidates[i]:
                previous = 0
                continue
            word = words[i]
            own = cache_get(word) or vectors_of(word)
            prev1, next1, prev2, next2 = context_words(words, line_start, i)
            v_prev1 = (cache_get(prev1) or vectors_of(prev1))[1]
            v_next1 = (cache_get(next1) or vectors_of(next1))[2]
            v_prev2 = (cache_get(prev2) or vectors_of(prev2))[3]
            v_next2 = (cache_get(next2) or vectors_of(next2))[4]
            v_tag = tag_cache_get((previous, word_shape(word))) or self._tag_vector(previous, word)
            scores = [
                a + b + c + d + e + f
                for a, b, c, d, e, f in zip(own[0], v_prev1, v_next1, v_prev2, v_next2, v_tag)
            ]
            best = best_allowed(scores, previous)
            tags[i] = best
            previous = best
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
