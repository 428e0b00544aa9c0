"""The name tagger's weights: the packed file shipped in corpus/data, and views of its rows.

benchmarks/train_ner.py trains both passes and writes them with `pack_payload` as
corpus/data/ner_weights.bin.gz (gzipped): a header line, the metadata (tags, the word lists
of the `Lexicon`) as one JSON line, the feature keys one a line, then every key's scores as
little-endian doubles. `unpack_payload` reads it back without parsing text, and
`WeightRows` gives one tagger's scores of a key from the one packed table, as a dict of
vectors would.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import KeysView
from typing import Any

from corpus.ner_features import TAGS


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
