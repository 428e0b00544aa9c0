"""Train the entity tagger's averaged-perceptron weights on CoNLL-2003 eng.train.

Usage: .venv/bin/python benchmarks/train_ner.py [path/to/eng.train] [--epochs N]
Writes corpus/data/ner_weights.json.gz (weights, tag set, and the lower-case vocabulary mined
from the training text, which feeds the "usually written in lower case" feature).

Documents are turned into text exactly as benchmarks/ner_conll.py does (tokens joined by
spaces, sentences by newlines) and cut with corpus.ner_tokens.tokenize, so training sees the
same tokens, candidates and features as the product. IOB1 tags become BIO; a CoNLL token that
the tokenizer splits ("Anglo-Dutch") passes its type on to its pieces. eng.testa is never read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ner_conll import ConllDocument, read_conll  # noqa: E402

from corpus.ner_gazetteer import gazetteer  # noqa: E402
from corpus.ner_tagger import (  # noqa: E402
    TAG_INDEX,
    TAGS,
    best_allowed,
    bigram_features,
    context_words,
    tag_features,
    word_features,
    word_shape,
)
from corpus.ner_tokens import candidate_indices, tokenize  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "corpora" / "conll2003" / "eng.train"
OUTPUT = ROOT / "corpus" / "data" / "ner_weights.json.gz"


def bio_tags(document: ConllDocument, words_starts: list[int], words_ends: list[int]) -> list[str]:
    """BIO tags for the tokenizer's tokens of `document`."""
    _text, offsets = document.text_and_offsets()
    spans: list[tuple[int, int, str, bool]] = []
    for sentence, sentence_offsets in zip(document.sentences, offsets, strict=True):
        previous_type = ""
        for (_token, tag), (start, end) in zip(sentence, sentence_offsets, strict=True):
            kind = tag[2:] if tag != "O" else ""
            begins = bool(kind) and (tag.startswith("B-") or kind != previous_type)
            spans.append((start, end, kind, begins))
            previous_type = kind
    tags: list[str] = []
    span_index = 0
    for start, end in zip(words_starts, words_ends, strict=True):
        while spans[span_index][1] < end:
            span_index += 1
        s_start, _s_end, kind, begins = spans[span_index]
        if not kind or start < s_start:  # outside entities, or a line break between tokens
            tags.append("O")
        elif begins and start == s_start:
            tags.append("B-" + kind)
        elif start == s_start or (tags and tags[-1] != "O"):
            tags.append("I-" + kind)
        else:
            tags.append("B-" + kind)
    return tags


def lowercase_vocabulary(documents: list[ConllDocument], minimum: int = 1) -> frozenset[str]:
    """Words written in lower case at least `minimum` times in the training text."""
    counts: Counter[str] = Counter()
    for document in documents:
        for sentence in document.sentences:
            for token, _tag in sentence:
                if token.islower() and token.isalpha():
                    counts[token] += 1
    return frozenset(word for word, count in counts.items() if count >= minimum)


class AveragedPerceptron:
    """Multi-class averaged perceptron over string features (Collins 2002)."""

    def __init__(self, classes: int) -> None:
        self.classes = classes
        self.weights: dict[str, list[float]] = {}
        self.totals: dict[str, list[float]] = {}
        self.stamps: dict[str, list[int]] = {}
        self.instances = 0

    def scores(self, keys: list[str]) -> list[float]:
        total = [0.0] * self.classes
        weights = self.weights
        for key in keys:
            vector = weights.get(key)
            if vector is not None:
                for c in range(self.classes):
                    total[c] += vector[c]
        return total

    def update(self, keys: list[str], truth: int, guess: int) -> None:
        self.instances += 1
        if truth == guess:
            return
        now = self.instances
        for key in keys:
            vector = self.weights.get(key)
            if vector is None:
                vector = self.weights[key] = [0.0] * self.classes
                self.totals[key] = [0.0] * self.classes
                self.stamps[key] = [0] * self.classes
            totals = self.totals[key]
            stamps = self.stamps[key]
            for c, change in ((truth, 1.0), (guess, -1.0)):
                totals[c] += (now - stamps[c]) * vector[c]
                stamps[c] = now
                vector[c] += change

    def averaged(self, prune: float) -> dict[str, list[float]]:
        now = self.instances
        result: dict[str, list[float]] = {}
        for key, vector in self.weights.items():
            totals = self.totals[key]
            stamps = self.stamps[key]
            average = [
                (totals[c] + (now - stamps[c]) * vector[c]) / now for c in range(self.classes)
            ]
            if max(abs(v) for v in average) >= prune:
                result[key] = [round(v, 3) for v in average]
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--word-dropout", type=float, default=0.0, help="see the training loop")
    parser.add_argument("--bigrams", action="store_true", help="add word-pair features")
    parser.add_argument("--seed", type=int, default=13, help="document shuffling seed")
    parser.add_argument("--prune", type=float, default=0.01)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if "testa" in args.path.name or "testb" in args.path.name:
        raise SystemExit("refusing to train on a CoNLL evaluation split")
    began = time.perf_counter()
    documents = read_conll(args.path)
    vocab = lowercase_vocabulary(documents)
    gaz = gazetteer()
    feature_cache: dict[str, tuple[list[str], ...]] = {}

    def keys_of(word: str) -> tuple[list[str], ...]:
        cached = feature_cache.get(word)
        if cached is None:
            itself, near, far = word_features(word, vocab, gaz)
            cached = (
                ["0|" + f for f in itself],
                ["-1|" + f for f in near],
                ["+1|" + f for f in near],
                ["-2|" + f for f in far],
                ["+2|" + f for f in far],
            )
            feature_cache[word] = cached
        return cached

    # Each instance: static keys, shape, gold tag, and whether the previous token was tagged.
    prepared: list[list[tuple[list[str], str, int, bool]]] = []
    missed = 0
    gold_entity_tokens = 0
    for document in documents:
        text, _ = document.text_and_offsets()
        words, starts = tokenize(text)
        tags = bio_tags(document, starts, [s + len(w) for s, w in zip(starts, words, strict=True)])
        indices = candidate_indices(words)
        candidates = set(indices)
        instances = []
        for i, word in enumerate(words):
            if tags[i] != "O":
                gold_entity_tokens += 1
                if i not in candidates:
                    missed += 1
            if i not in candidates:
                continue
            prev1, next1, prev2, next2 = context_words(words, i)
            keys = (
                keys_of(word)[0]
                + keys_of(prev1)[1]
                + keys_of(next1)[2]
                + keys_of(prev2)[3]
                + keys_of(next2)[4]
            )
            if args.bigrams:
                keys += bigram_features(prev1, word, next1)
            follows_candidate = i - 1 in candidates
            instances.append((keys, word_shape(word), TAG_INDEX[tags[i]], follows_candidate))
        prepared.append(instances)
    print(
        f"documents {len(documents)}, candidate instances {sum(map(len, prepared))}, "
        f"entity tokens outside candidates {missed}/{gold_entity_tokens}"
    )
    model = AveragedPerceptron(len(TAGS))
    rng = random.Random(args.seed)
    order = list(range(len(prepared)))
    for epoch in range(args.epochs):
        rng.shuffle(order)
        wrong = total = 0
        for d in order:
            previous = previous2 = 0
            for keys, shape, truth, follows_candidate in prepared[d]:
                if not follows_candidate:
                    previous = previous2 = 0
                all_keys = keys + tag_features(TAGS[previous], TAGS[previous2], shape)
                if args.word_dropout and rng.random() < args.word_dropout:
                    # Hide the word's identity now and then, so that the model also learns
                    # the evidence that carries over to names it has never seen.
                    all_keys = [k for k in all_keys if not k.startswith(("0|w=", "0|l="))]
                scores = model.scores(all_keys)
                guess = best_allowed(scores, previous)
                model.update(all_keys, truth, guess)
                wrong += guess != truth
                total += 1
                previous2 = previous
                previous = guess
        print(
            f"epoch {epoch + 1}: error {wrong / total:.4f}  ({time.perf_counter() - began:.0f} s)"
        )
    weights = model.averaged(args.prune)
    payload = {
        "source": "CoNLL-2003 eng.train, benchmarks/train_ner.py",
        "epochs": args.epochs,
        "tags": list(TAGS),
        "lowercase_vocab": sorted(vocab),
        "weights": weights,
    }
    data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    args.output.write_bytes(gzip.compress(data, 9, mtime=0))
    print(
        f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB, {len(weights)} features) "
        f"in {time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
