"""A two-pass averaged-perceptron name tagger over candidate tokens (weights in corpus/data).

The tagger assigns CoNLL-style BIO tags (PER, ORG, LOC, MISC) to the candidate tokens of a
text (see `corpus.ner_tokens.candidate_indices`); every other token is O. Its weights are
trained on CoNLL-2003 eng.train by benchmarks/train_ner.py and shipped packed
(`pack_payload`) as corpus/data/ner_weights.bin.gz, with the word lists mined at training
time (the lower-case vocabulary, each word's usual casing in unlabelled news, and the names
of the training text with their types): the file's format is `corpus.ner_weights`.

Two passes (Krishnan & Manning 2006; Ratinov & Roth 2009): the first tags every candidate
from its window; the second sees, besides the same window, what the first pass said about the
same word elsewhere in the document ("Johnson" tagged PER in "Michael Johnson" two paragraphs
up), so that a name is labelled the same way through an article, including where it stands in
a headline, a table line or at the start of a sentence.

Tagging is greedy, left to right, and fast because every score is a sum of cached vectors:
one per word at each window position, one per tag history, one per list of positional keys
(the features are in `corpus.ner_features`). `JointWindows` fills both passes' caches from
their weights side by side; `NameTagger` runs the two passes; `default_tagger` loads the
shipped weights once.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources
from typing import Any

from corpus.ner_features import (
    TAGS,
    Lexicon,
    WindowKeys,
    document_features,
    line_features,
    merge_features,
    tag_features,
    word_shape,
)
from corpus.ner_tokens import LINE_BREAK
from corpus.ner_weights import WeightRows, Weights, unpack_payload


class PerceptronTagger:
    """Greedy left-to-right tagging with cached per-word score vectors."""

    def __init__(
        self,
        weights: Weights,
        lexicon: Lexicon,
        window_keys: WindowKeys | None = None,
    ) -> None:
        self.weights = weights
        self.lexicon = lexicon
        self._keys = window_keys or WindowKeys(lexicon)
        self.joint: JointWindows | None = None  # fills this tagger's caches with another's
        self._zero = [0.0] * len(TAGS)
        self._own_cache: dict[str, tuple[list[float], str]] = {}
        self._context_cache: dict[
            str, tuple[list[float], list[float], list[float], list[float]]
        ] = {}
        self._tag_cache: dict[tuple[int, int, str], list[float]] = {}
        self._extra_cache: dict[tuple[str, ...], list[float]] = {}

    def _sum(self, keys: list[str]) -> list[float]:
        get = self.weights.get
        vectors = [v for v in map(get, keys) if v is not None]
        if len(vectors) < 2:
            return vectors[0] if vectors else self._zero
        return list(map(sum, zip(*vectors, strict=True)))

    def _own(self, word: str) -> tuple[list[float], str]:
        """The score vector of `word` as the token being tagged, and its shape."""
        if self.joint is not None:
            self.joint.fill_own(word)
            return self._own_cache[word]
        own = (self._sum(self._keys.own(word)), word_shape(word))
        if len(self._own_cache) > 200_000:  # bound memory on huge corpora
            self._own_cache.clear()
        self._own_cache[word] = own
        return own

    def _context(self, word: str) -> tuple[list[float], list[float], list[float], list[float]]:
        """The score vectors of `word` at positions -1, +1, -2, +2 of the token being tagged."""
        if self.joint is not None:
            self.joint.fill_context(word)
            return self._context_cache[word]
        before1, after1, before2, after2 = self._keys.context(word)
        context = (
            self._sum(before1),
            self._sum(after1),
            self._sum(before2),
            self._sum(after2),
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

    def _extra_vectors(self, extra: dict[int, list[str]]) -> dict[int, list[float]]:
        cache_get = self._extra_cache.get
        vectors: dict[int, list[float]] = {}
        for i, keys in extra.items():
            key = tuple(keys)
            vector = cache_get(key)
            if vector is None:
                vector = self._extra_cache[key] = self._sum(["x|" + k for k in keys])
            vectors[i] = vector
        if len(self._extra_cache) > 100_000:
            self._extra_cache.clear()
        return vectors

    def tag(
        self, words: list[str], indices: list[int], extra: dict[int, list[str]] | None = None
    ) -> list[int]:
        """Tag indices (into TAGS) for every token; only tokens at `indices` can be non-O.

        `extra` holds positional feature names per token (`line_features`,
        `document_features`).
        """
        tags = [0] * len(words)
        own_get = self._own_cache.get
        own_of = self._own
        context_get = self._context_cache.get
        context_of = self._context
        tag_cache_get = self._tag_cache.get
        extra_vectors: dict[int, list[float]] = self._extra_vectors(extra) if extra else {}
        extra_get = extra_vectors.get
        count = len(words)
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
            v_extra = extra_get(i)
            if v_extra is None:
                scores = [
                    a + b + c + d + e + f
                    for a, b, c, d, e, f in zip(
                        own, v_prev1, v_next1, v_prev2, v_next2, v_tag, strict=True
                    )
                ]
            else:
                scores = [
                    a + b + c + d + e + f + g
                    for a, b, c, d, e, f, g in zip(
                        own, v_prev1, v_next1, v_prev2, v_next2, v_tag, v_extra, strict=True
                    )
                ]
            best = scores.index(max(scores))  # v_tag rules out impossible I- tags
            previous2 = previous
            previous = tags[i] = best
        return tags


class JointWindows:
    """Fills the per-word caches of two taggers at once, from their weights side by side.

    A word's window keys are looked up once in a dict of 18-wide vectors instead of twice in
    two dicts of 9-wide ones: the first pass and the second see the same words, so this halves
    the work of every word not seen before (most of the cost of a cold start).
    """

    def __init__(
        self,
        first: PerceptronTagger,
        second: PerceptronTagger,
        joint: WeightRows | None = None,
    ) -> None:
        """`joint` holds the two taggers' rows side by side already (a packed weights file);
        without it they are put side by side here."""
        self.first = first
        self.second = second
        size = len(TAGS)
        zero = [0.0] * size
        self.weights: Weights = (
            joint
            if joint is not None
            else {
                key: [*(first.weights.get(key) or zero), *(second.weights.get(key) or zero)]
                for key in first.weights.keys() | second.weights.keys()
            }
        )
        self._zero = zero * 2
        self._size = size
        first.joint = second.joint = self

    def _sum(self, keys: list[str]) -> list[float]:
        get = self.weights.get
        vectors = [v for v in map(get, keys) if v is not None]
        if len(vectors) < 2:
            return vectors[0] if vectors else self._zero
        return list(map(sum, zip(*vectors, strict=True)))

    def fill_own(self, word: str) -> None:
        """Put `word`'s own vector into both taggers' caches."""
        total = self._sum(self.first._keys.own(word))
        shape = word_shape(word)
        size = self._size
        for offset, tagger in ((0, self.first), (size, self.second)):
            cache = tagger._own_cache
            if len(cache) > 200_000:  # bound memory on huge corpora
                cache.clear()
            cache[word] = (total[offset : offset + size], shape)

    def fill_context(self, word: str) -> None:
        """Put `word`'s context vectors into both taggers' caches."""
        sums = [self._sum(keys) for keys in self.first._keys.context(word)]
        size = self._size
        for offset, tagger in ((0, self.first), (size, self.second)):
            cache = tagger._context_cache
            if len(cache) > 200_000:
                cache.clear()
            end = offset + size
            cache[word] = (
                sums[0][offset:end],
                sums[1][offset:end],
                sums[2][offset:end],
                sums[3][offset:end],
            )


class NameTagger:
    """The first pass, and the second pass that reads the first pass's document labels."""

    def __init__(self, first: PerceptronTagger, second: PerceptronTagger | None = None) -> None:
        self.first = first
        self.second = second
        self.lexicon = first.lexicon

    @property
    def lowercase_vocab(self) -> frozenset[str]:
        """Words written in lower case in the training text (rules in entities.py use it)."""
        return self.lexicon.lowercase_vocab

    def tag(self, words: list[str], indices: list[int]) -> list[int]:
        """Tag indices (into TAGS) for every token; only tokens at `indices` can be non-O."""
        extra = line_features(words, indices, self.lexicon)
        tags = self.first.tag(words, indices, extra)
        if self.second is None or not indices:
            return tags
        document = document_features(words, indices, tags)
        if not document:
            return tags
        # Only runs of candidates with document evidence are tagged again: elsewhere the second
        # pass knows nothing the first did not (and the history resets between runs anyway).
        # A run the first pass left untagged whose words are untagged elsewhere too ("d=O",
        # "dl": "The", "But") has nothing to revise either.
        retag: list[int] = []
        run: list[int] = []
        evidence = False
        last = -2
        for i in indices:
            if i != last + 1:
                if evidence:
                    retag += run
                run = []
                evidence = False
            run.append(i)
            if not evidence:
                keys = document.get(i)
                evidence = bool(tags[i]) or (keys is not None and keys[0] not in ("d=O", "dl"))
            last = i
        if evidence:
            retag += run
        second = self.second.tag(words, retag, merge_features(extra, document))
        for i in retag:
            tags[i] = second[i]
        return tags

    @classmethod
    def from_packed(cls, data: bytes) -> NameTagger:
        """The tagger of a packed weights file (`pack_payload`)."""
        meta, index, values = unpack_payload(data)
        lexicon = cls._lexicon(meta)
        window_keys = WindowKeys(lexicon)
        size = len(TAGS)
        first = PerceptronTagger(WeightRows(index, values, 0, size, 2 * size), lexicon, window_keys)
        if not meta["two_passes"]:
            return cls(first)
        second = PerceptronTagger(
            WeightRows(index, values, size, size, 2 * size), lexicon, window_keys
        )
        JointWindows(first, second, WeightRows(index, values, 0, 2 * size, 2 * size))
        return cls(first, second)

    @staticmethod
    def _lexicon(data: dict[str, Any]) -> Lexicon:
        if tuple(data["tags"]) != TAGS:
            raise ValueError("the NER weights were trained with other tags")
        names = {tuple(words.split(" ")): kind for words, kind in data.get("names", {}).items()}
        return Lexicon.from_names(frozenset(data["lowercase_vocab"]), data.get("casing", {}), names)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> NameTagger:
        """The tagger of a training payload (see benchmarks/train_ner.py)."""
        lexicon = cls._lexicon(data)
        window_keys = WindowKeys(lexicon)
        first = PerceptronTagger(data["weights"], lexicon, window_keys)
        second_weights = data.get("second_weights")
        if not second_weights:
            return cls(first)
        second = PerceptronTagger(second_weights, lexicon, window_keys)
        JointWindows(first, second)
        return cls(first, second)


@cache
def default_tagger() -> NameTagger:
    """The tagger with the shipped weights (loaded once)."""
    path = resources.files("corpus").joinpath("data", "ner_weights.bin.gz")
    with path.open("rb") as handle:
        return NameTagger.from_packed(gzip.decompress(handle.read()))
