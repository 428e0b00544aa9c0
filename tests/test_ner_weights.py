"""The packed weights file the package ships: the same tagger as the training payload."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from corpus.ner_features import TAGS
from corpus.ner_tagger import NameTagger, default_tagger
from corpus.ner_tokens import candidate_indices, tokenize
from corpus.ner_weights import pack_payload, unpack_payload

TEXT = (
    "LONDON 1996-08-22\n"
    "Pat Caddell of Acme Corp told Reuters in Paris that Acme would buy Widget Ltd.\n"
    "Caddell said Widget's chief, Anna Berg, agreed."
)


def small_payload() -> dict:
    """A payload as benchmarks/train_ner.py makes it, with weights for a few keys only."""
    size = len(TAGS)

    def vector(seed: int) -> list[float]:
        return [round(((seed * 7 + k * 13) % 17 - 8) * 0.731, 3) for k in range(size)]

    first = {f"w={w}": vector(n) for n, w in enumerate(["pat", "acme", "paris", "berg", "anna"])}
    first["-1|w=of"] = vector(11)
    second = {key: vector(n + 3) for n, key in enumerate(first)}
    second["only-second"] = vector(5)
    return {
        "tags": list(TAGS),
        "lowercase_vocab": ["of", "told", "in", "that", "would", "buy", "said", "agreed"],
        "casing": {"acme": "X"},
        "names": {"widget ltd": "ORG"},
        "options": {},
        "weights": first,
        "second_weights": second,
    }


def tags_of(tagger: NameTagger) -> list[str]:
    words, _ = tokenize(TEXT)
    return [TAGS[t] for t in tagger.tag(words, candidate_indices(words))]


def test_packing_keeps_every_vector_exactly() -> None:
    payload = small_payload()
    meta, index, values = unpack_payload(pack_payload(payload))
    width = len(TAGS)
    for key, row in index.items():
        start = row * 2 * width
        assert values[start : start + width].tolist() == payload["weights"].get(key, [0.0] * width)
        assert values[start + width : start + 2 * width].tolist() == payload["second_weights"][key]
    assert meta["two_passes"] and "weights" not in meta and meta["names"] == payload["names"]


def test_the_packed_tables_tag_as_the_payloads_dicts() -> None:
    """The shipped tagger (rows read from the packed table) against the same weights as
    dicts (the training path, which puts the two passes side by side itself)."""
    path = resources.files("corpus").joinpath("data", "ner_weights.bin.gz")
    meta, index, values = unpack_payload(gzip.decompress(path.read_bytes()))
    width = len(TAGS)
    rows = {
        key: values[row * 2 * width : (row + 1) * 2 * width].tolist() for key, row in index.items()
    }
    payload = {
        **meta,
        "weights": {k: v[:width] for k, v in rows.items() if any(v[:width])},
        "second_weights": {k: v[width:] for k, v in rows.items() if any(v[width:])},
    }
    expected = tags_of(NameTagger.from_payload(payload))
    assert tags_of(default_tagger()) == expected
    assert expected.count("O") < len(expected) - 6  # people, places, companies found
    swapped = {
        **payload,
        "weights": payload["second_weights"],
        "second_weights": payload["weights"],
    }
    assert tags_of(NameTagger.from_payload(swapped)) != expected  # the test can tell passes apart


def test_a_damaged_or_foreign_file_is_refused() -> None:
    data = pack_payload(small_payload())
    with pytest.raises(ValueError, match="damaged"):
        unpack_payload(data[:-8])
    with pytest.raises(ValueError, match="not a newsreader"):
        unpack_payload(b'{"weights": {}}')


def test_the_shipped_weights_find_a_person() -> None:
    words, _ = tokenize(TEXT)
    tags = default_tagger().tag(words, candidate_indices(words))
    assert TAGS[tags[words.index("Caddell")]].endswith("PER")
