"""MinHash signatures of articles: which articles share their words, at corpus scale.

An article's signature is computed on its set of content words (lower-cased words of three
or more letters, minus a stop list): `article_signature(text)` is a one-permutation MinHash
(Li, Owen & Zhang 2012) with rotation densification (Shrivastava & Li 2014): one hash per
word, 128 bins, the minimum per bin. It depends only on the text and fixed hash functions
(zlib.crc32 and a multiplicative mix, never Python's randomised `hash()`), so it is the same
on every run and an index can store it (`tuple[int, ...]`) and reuse it. The share of equal
bins of two signatures estimates the Jaccard similarity of the two word sets
(`signature_similarity`); packed into one int (`pack_signature`), two signatures compare in a
handful of big-int operations (`packed_similarity`). `corpus.threads` groups articles by them.
"""

from __future__ import annotations

import operator
import re
import zlib
from array import array
from collections.abc import Iterable, Sequence

NUM_BINS = 128
_MASK64 = (1 << 64) - 1
_GOLDEN64 = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes 64-bit integers
_BIN_SHIFT = 64 - 7  # top 7 bits choose one of 128 bins
_EMPTY = 0xFFFFFFFF
_ROTATION_STEP = 0x3C6EF372  # added per bin of distance when an empty bin borrows a value

_WORD = re.compile(r"[^\W\d_]{3,}")

# Function words and newswire filler that say nothing about which story an article tells.
_STOP_WORDS = frozenset(
    """
    about above across after again against all almost along already also although always
    among and another any anyone anything are around because been before being below
    between both but can cannot could did does doing done down during each either else
    ever every few for from further had has have having her here hers herself him himself
    his how however into its itself just least less made make many may might more most
    much must near neither never not now off often once one only other others our ours
    out over own per perhaps put rather said same say says see seen several she should
    since some still such than that the their theirs them themselves then there these
    they this those though three through thus too two under until upon very was way well
    were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours told tell tells asked saying added adding according
    year years week weeks day days time times today yesterday tomorrow new last first
    mr mrs ms sir dr
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def content_words(text: str) -> set[str]:
    """The set MinHash is computed on: lower-cased words of 3+ letters, minus stop words."""
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS}


def article_signature(text: str, shingle_size: int = 1) -> tuple[int, ...]:
    """The MinHash signature of `text`: NUM_BINS unsigned 32-bit ints.

    `shingle_size` > 1 hashes runs of that many consecutive content words instead of single
    words (stricter: only near-verbatim copies stay similar). A text without content words
    gets all-`0xFFFFFFFF` (see `is_empty_signature`).
    """
    if shingle_size <= 1:
        features: Iterable[str] = content_words(text)
    else:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]
        features = {
            " ".join(words[i : i + shingle_size]) for i in range(len(words) - shingle_size + 1)
        }
    bins = [_EMPTY] * NUM_BINS
    crc32 = zlib.crc32
    for feature in features:
        mixed = (crc32(feature.encode()) * _GOLDEN64) & _MASK64
        slot = mixed >> _BIN_SHIFT
        value = (mixed >> 25) & 0xFFFFFFFE  # even: never equal to _EMPTY
        if value < bins[slot]:
            bins[slot] = value
    return _densify(bins)


def _densify(bins: list[int]) -> tuple[int, ...]:
    """Fill each empty bin from the nearest non-empty bin to its right (circularly)."""
    if all(v == _EMPTY for v in bins):
        return tuple(bins)
    filled = list(bins)
    size = len(bins)
    for slot in range(size):
        if bins[slot] != _EMPTY:
            continue
        distance = 1
        while bins[(slot + distance) % size] == _EMPTY:
            distance += 1
        borrowed = bins[(slot + distance) % size]
        filled[slot] = (borrowed + distance * _ROTATION_STEP) & 0xFFFFFFFE
    return tuple(filled)


def is_empty_signature(signature: Sequence[int]) -> bool:
    return all(v == _EMPTY for v in signature)


def signature_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two word sets: the share of equal bins."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(map(operator.eq, a, b)) / len(a)


# Packed signatures: all bins in one big int, 32 bits a bin, so comparing two signatures is
# a handful of C-level big-int operations instead of a Python loop over 128 pairs.
_LANE_LOW_BITS = sum(1 << (32 * i) for i in range(NUM_BINS))
assert array("I").itemsize == 4, "packing assumes 32-bit unsigned array items"


def pack_signature(signature: Sequence[int]) -> int:
    """The signature as one int, bin 0 in the lowest 32 bits (via bytes: C speed)."""
    return int.from_bytes(array("I", signature).tobytes(), "little")


def unpack_signature(packed: int) -> tuple[int, ...]:
    return tuple(array("I", packed.to_bytes(4 * NUM_BINS, "little")))


def packed_similarity(a: int, b: int) -> float:
    """`signature_similarity` of two packed signatures."""
    differ = a ^ b
    # Fold each 32-bit lane onto its lowest bit: bit 0 of a lane ends up set iff the lane is
    # non-zero (bits shifted in from the lane above only reach its higher bits).
    differ |= differ >> 16
    differ |= differ >> 8
    differ |= differ >> 4
    differ |= differ >> 2
    differ |= differ >> 1
    return (NUM_BINS - (differ & _LANE_LOW_BITS).bit_count()) / NUM_BINS
