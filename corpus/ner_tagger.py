"""A two-pass averaged-perceptron name tagger over candidate tokens (weights in corpus/data).

The tagger assigns CoNLL-style BIO tags (PER, ORG, LOC, MISC) to the candidate tokens of a
text (see `corpus.ner_tokens.candidate_indices`); every other token is O. Its weights are
trained on CoNLL-2003 eng.train by benchmarks/train_ner.py and shipped packed
(`pack_payload`) as corpus/data/ner_weights.bin.gz, with the word lists mined at training
time (the lower-case vocabulary, each word's usual casing in unlabelled news, and the names
of the training text with their types).

Two passes (Krishnan & Manning 2006; Ratinov & Roth 2009): the first tags every candidate
from its window; the second sees, besides the same window, what the first pass said about the
same word elsewhere in the document ("Johnson" tagged PER in "Michael Johnson" two paragraphs
up), so that a name is labelled the same way through an article, including where it stands in
a headline, a table line or at the start of a sentence.

Speed comes from the shape of the features: every window feature belongs to one position
(the word itself, one or two words before or after) and depends only on the word at that
position, so the score contribution of "word w at position r" is one precomputed vector,
cached per word; the tag-history part is cached per (tags, shape); the few positional
features (a line in capitals, a known multi-word name, the document's other labels) come as
short key lists whose summed vectors are cached too. `word_features`, `line_features` and
`document_features` are shared with the trainer so that both sides compute the same keys.
"""

from __future__ import annotations

import gzip
import json
import sys
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import KeysView
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_tokens import LINE_BREAK

TAGS: tuple[str, ...] = (
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
)  # fmt: skip
TAG_INDEX = {tag: index for index, tag in enumerate(TAGS)}
_TYPE_OF = [tag[2:] for tag in TAGS]  # "" for O
_MONTHS_AND_DAYS_TEXT = """
January February March April May June July August September October November December Jan
Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
Saturday Sunday
"""
MONTHS_AND_DAYS = frozenset(_MONTHS_AND_DAYS_TEXT.split())


@dataclass(frozen=True)
class Lexicon:
    """What the features look words up in, besides the shipped gazetteer.

    `casing`: lower-case word -> its usual written form in unlabelled news ("x" lower case,
    "Xx" capitalised, "X" capitals, "xXx" both, "m" mixed); `single_names`: one-word names
    of the training text (lower case) -> CoNLL type; `long_names`: the first two words of a
    longer name -> the names that start with them, as (lower-case words, type), longest first.
    """

    lowercase_vocab: frozenset[str]
    casing: dict[str, str] = field(default_factory=dict)
    single_names: dict[str, str] = field(default_factory=dict)
    long_names: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = field(
        default_factory=dict
    )

    @classmethod
    def from_names(
        cls,
        lowercase_vocab: frozenset[str],
        casing: dict[str, str],
        names: dict[tuple[str, ...], str],
    ) -> Lexicon:
        single: dict[str, str] = {}
        long: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for words, kind in names.items():
            if len(words) == 1:
                single[words[0]] = kind
            else:
                long[words[0], words[1]].append((words, kind))
        for options in long.values():
            options.sort(key=lambda option: len(option[0]), reverse=True)
        return cls(lowercase_vocab, casing, single, dict(long))


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
    word: str, lexicon: Lexicon, gaz: Gazetteer
) -> tuple[list[str], list[str], list[str]]:
    """Feature names of `word` as (itself, a neighbour, a neighbour two away)."""
    if word == LINE_BREAK:
        return ["nl"], ["nl"], ["nl"]
    lower = word.lower()
    shape = word_shape(word)
    flags = _gazetteer_flags(word, gaz) if word[0].isupper() else []
    if lower in lexicon.lowercase_vocab:
        flags.append("g=lc")
    if lexicon.casing and word[0].isalpha():
        flags.append("uc=" + lexicon.casing.get(lower, "?"))
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


def line_features(words: list[str], indices: list[int], lexicon: Lexicon) -> dict[int, list[str]]:
    """Positional features of candidate tokens that no single word decides.

    - "cl": the token's line is written in capitals (a headline, a dateline, some tables),
      where capitals say nothing and the word's usual casing ("uc=") says much; the pair is a
      feature of its own so that the model can trust casing there and shape elsewhere.
    - "gz=B-PER" ...: the token starts (B), continues (I) or is (U) a name of the training
      text, matched case-blind and longest first, with that name's usual type.
    """
    extra: dict[int, list[str]] = {}
    if not indices:
        return extra
    count = len(words)
    upper_lines: list[int] = []  # line starts of the candidates in capitals, checked below
    breaks: list[int] | None = None
    casing_get = lexicon.casing.get
    checked: dict[int, bool] = {}
    for i in indices:
        word = words[i]
        if not word.isupper():
            continue
        if breaks is None:
            breaks = [b for b, w in enumerate(words) if w == LINE_BREAK]
        at = bisect_right(breaks, i)
        line_start = breaks[at - 1] + 1 if at else 0
        caps = checked.get(line_start)
        if caps is None:
            line_end = breaks[at] if at < len(breaks) else count
            caps = checked[line_start] = " ".join(words[line_start:line_end]).isupper()
            if caps:
                upper_lines.append(line_start)
    if upper_lines:
        assert breaks is not None
        for i in indices:
            at = bisect_right(breaks, i)
            if checked.get(breaks[at - 1] + 1 if at else 0):
                extra[i] = ["cl", "cl|uc=" + casing_get(words[i].lower(), "?")]
    single = lexicon.single_names
    long = lexicon.long_names
    if single or long:
        next_free = 0
        candidates = set(indices)
        for i in indices:
            if i < next_free:
                continue
            lower = words[i].lower()
            matched = False
            if i + 1 < count and long:
                options = long.get((lower, words[i + 1].lower()))
                if options:
                    for name, kind in options:
                        end = i + len(name)
                        if end <= count and all(
                            words[k].lower() == name[k - i] for k in range(i + 2, end)
                        ):
                            extra.setdefault(i, []).append("gz=B-" + kind)
                            for k in range(i + 1, end):
                                if k in candidates:
                                    extra.setdefault(k, []).append("gz=I-" + kind)
                            next_free = end
                            matched = True
                            break
            if not matched:
                single_kind = single.get(lower)
                if single_kind:
                    extra.setdefault(i, []).append("gz=U-" + single_kind)
    return extra


def document_features(
    words: list[str], indices: list[int], tags: list[int]
) -> dict[int, list[str]]:
    """What the first pass said about each candidate's word elsewhere in the document.

    For candidate i with word w (compared case-blind): "d=T", the commonest type the first
    pass gave the other capitalised occurrences of w (or "d=O" when it tagged none of them);
    "dt=B-T"/"dt=I-T", the commonest full tag, which tells a first name from a surname;
    "dl", w also appears in lower case in the document (a common word, not a name).
    """
    occurrences: dict[str, list[int]] = {}
    lowered = [words[i].lower() for i in indices]
    for i, lower in zip(indices, lowered, strict=True):
        found = occurrences.get(lower)
        if found is None:
            occurrences[lower] = [tags[i]]
        else:
            found.append(tags[i])
    present = set(words)
    extra: dict[int, list[str]] = {}
    computed: dict[tuple[str, int], list[str]] = {}
    for i, lower in zip(indices, lowered, strict=True):
        own = tags[i]
        word = words[i]
        keys = computed.get((word, own))
        if keys is None:
            keys = []
            found = occurrences[lower]
            if len(found) > 1:
                counts = [0] * len(TAGS)
                order: list[int] = []  # tags in order of first occurrence (ties go first)
                for tag in found:
                    if not counts[tag]:
                        order.append(tag)
                    counts[tag] += 1
                counts[own] -= 1
                best_tag = best_count = 0
                by_type: dict[str, int] = {}
                for tag in order:
                    n = counts[tag]
                    if n and tag:
                        kind = _TYPE_OF[tag]
                        by_type[kind] = by_type.get(kind, 0) + n
                        if n > best_count:
                            best_tag, best_count = tag, n
                if best_count:
                    keys.append("d=" + max(by_type, key=by_type.__getitem__))
                    keys.append("dt=" + TAGS[best_tag])
                else:
                    keys.append("d=O")
            if lower in present and lower != word:
                keys.append("dl")
            computed[word, own] = keys
        if keys:
            extra[i] = keys
    return extra


def merge_features(
    first: dict[int, list[str]], second: dict[int, list[str]]
) -> dict[int, list[str]]:
    """Both sets of positional features, per token."""
    if not first:
        return second
    merged = {i: list(keys) for i, keys in first.items()}
    for i, keys in second.items():
        merged[i] = merged.get(i, []) + keys
    return merged


class WindowKeys:
    """The window feature keys of each word (its features computed once for both passes)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._gaz = gazetteer()
        self._cache: dict[str, tuple[list[str], list[str], list[str]]] = {}

    def _features(self, word: str) -> tuple[list[str], list[str], list[str]]:
        features = self._cache.get(word)
        if features is None:
            features = word_features(word, self.lexicon, self._gaz)
            if len(self._cache) > 200_000:  # bound memory on huge corpora
                self._cache.clear()
            self._cache[word] = features
        return features

    def own(self, word: str) -> list[str]:
        """Keys of `word` as the token being tagged (asked only of candidate tokens)."""
        return ["0|" + f for f in self._features(word)[0]]

    def context(self, word: str) -> tuple[list[str], list[str], list[str], list[str]]:
        """Keys of `word` at positions -1, +1, -2, +2 of the token being tagged."""
        _itself, near, far = self._features(word)
        return (
            ["-1|" + f for f in near],
            ["+1|" + f for f in near],
            ["-2|" + f for f in far],
            ["+2|" + f for f in far],
        )


class WeightRows:
    """The weight vectors of one tagger (or of both side by side) in a packed table.

    Every key has one row of `stride` floats in `values` (the first tagger's then the second
    tagger's); this view gives `width` of them from `offset`, as a new list, like the `get`
    of a dict of vectors. The table stays one compact array: the rows a corpus needs are
    read once each and cached per word by the taggers.
    """

    __slots__ = ("_index", "_offset", "_stride", "_values", "_width")

    def __init__(
        self, index: dict[str, int], values: array, offset: int, width: int, stride: int
    ) -> None:
        self._index = index
        self._values = values
        self._offset = offset
        self._width = width
        self._stride = stride

    def get(self, key: str, default: list[float] | None = None) -> list[float] | None:
        row = self._index.get(key)
        if row is None:
            return default
        start = row * self._stride + self._offset
        return self._values[start : start + self._width].tolist()

    def keys(self) -> KeysView[str]:
        return self._index.keys()

    def __len__(self) -> int:
        return len(self._index)


Weights = dict[str, list[float]] | WeightRows
"""A tagger's weights: key -> one score per tag."""

PACKED_MAGIC = b"newsreader-ner-weights 1\n"


def pack_payload(payload: dict[str, Any]) -> bytes:
    """The shipped weights file: a header line, the metadata as one JSON line, the keys one
    a line, then every key's row (both passes' scores, 2 x len(TAGS)) as little-endian
    doubles -- the same floats as the JSON payload, read without parsing text."""
    first = payload["weights"]
    second = payload.get("second_weights") or {}
    keys = sorted(first.keys() | second.keys())
    size = len(TAGS)
    zero = [0.0] * size
    values = array("d")
    for key in keys:
        values.extend(first.get(key, zero))
        values.extend(second.get(key, zero))
    if sys.byteorder != "little":
        values.byteswap()
    meta = {k: v for k, v in payload.items() if k not in ("weights", "second_weights")}
    meta["rows"] = len(keys)
    meta["two_passes"] = bool(second)
    key_text = "\n".join(keys).encode("utf-8")
    meta["key_bytes"] = len(key_text)
    header = json.dumps(meta, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return PACKED_MAGIC + header + b"\n" + key_text + values.tobytes()


def unpack_payload(data: bytes) -> tuple[dict[str, Any], dict[str, int], array]:
    """Metadata, key -> row and the rows of a file written by `pack_payload`."""
    if not data.startswith(PACKED_MAGIC):
        raise ValueError("not a newsreader NER weights file")
    at = len(PACKED_MAGIC)
    end = data.index(b"\n", at)
    meta = json.loads(data[at:end])
    at = end + 1
    key_end = at + meta["key_bytes"]
    keys = data[at:key_end].decode("utf-8").split("\n")
    values = array("d")
    values.frombytes(data[key_end:])
    if sys.byteorder != "little":
        values.byteswap()
    if len(keys) != meta["rows"] or len(values) != meta["rows"] * 2 * len(TAGS):
        raise ValueError("a damaged NER weights file")
    return meta, {key: row for row, key in enumerate(keys)}, values


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
