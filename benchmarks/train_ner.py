"""Train the entity tagger's two averaged-perceptron passes on CoNLL-2003 eng.train.

Usage: .venv/bin/python benchmarks/train_ner.py [path/to/eng.train] [--epochs N] [--styles ...]
Writes corpus/data/ner_weights.bin.gz (`corpus.ner_weights.pack_payload`): both passes'
weights, the tag set, and the word lists the features look up (the lower-case vocabulary of
the training text, each word's usual casing in unlabelled news, the names of the training text
with their types).

Training text is what the product sees: each document written as a user's wire file by
benchmarks/conll_wire.py (headline as it stands, often in capitals, byline, dateline, one
paragraph per sentence, tokens joined back into running text: "lamb." not "lamb ."), by
default also with CoNLL's own spacing. It is cut with corpus.ner_tokens.tokenize, so training
sees the same tokens, candidates and features as the product. IOB1 tags become BIO; a CoNLL
token that the tokenizer splits ("Anglo-Dutch") passes its type on to its pieces.

Features that would be perfect on their own training text are computed the way they will be
seen on new text (jackknifing): the training-text names a document's features see come from
the other parts of the training set only, and the second pass is trained on first-pass labels
that models trained without the document produced. eng.testa and eng.testb are never read.
The functions here are also the cross-validation's (benchmarks/ner_cv.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conll_wire import detokenize, wire_article  # noqa: E402
from ner_conll import ConllDocument, read_conll  # noqa: E402

from corpus.ner_features import (  # noqa: E402
    TAG_INDEX,
    TAGS,
    Lexicon,
    context_words,
    document_features,
    line_features,
    merge_features,
    tag_features,
    word_features,
    word_shape,
)
from corpus.ner_gazetteer import gazetteer  # noqa: E402
from corpus.ner_tagger import NameTagger, PerceptronTagger  # noqa: E402
from corpus.ner_tokens import LINE_BREAK, candidate_indices, tokenize  # noqa: E402
from corpus.ner_weights import pack_payload  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
DEFAULT_PATH = SHARED / "conll2003" / "eng.train"
OUTPUT = ROOT / "corpus" / "data" / "ner_weights.bin.gz"
# Unlabelled news for the usual-casing table: no CoNLL text at all, so no fold of the
# cross-validation sees its own text through it.
UNLABELLED = [SHARED / "bbc", SHARED / "polnear-train" / "text", SHARED / "polnear-dev" / "text"]
STYLES = ("wire", "tokenized", "conll")


@dataclass
class Options:
    """Everything a training run can vary (the cross-validation compares these)."""

    epochs: int = 12
    second_epochs: int = 12
    styles: tuple[str, ...] = ("wire", "tokenized")
    casing: bool = True
    caps_line: bool = True
    names: bool = True
    second_pass: bool = True
    jackknife: int = 4
    seed: int = 13
    prune: float = 0.01


# --- training text -------------------------------------------------------------------------


def _sentence_spans(
    sentence: list[tuple[str, str]], offsets: list[tuple[int, int]], base: int
) -> list[tuple[int, int, str]]:
    """Entity character spans of one IOB1 sentence whose tokens stand at `offsets` + base."""
    spans: list[tuple[int, int, str]] = []
    current: list[int] | None = None
    current_type = ""
    for (_token, tag), (start, end) in zip(sentence, offsets, strict=True):
        kind = tag[2:] if tag != "O" else ""
        if current is not None and (not kind or tag.startswith("B-") or kind != current_type):
            spans.append((current[0], current[1], current_type))
            current = None
        if kind:
            if current is None:
                current, current_type = [base + start, base + end], kind
            else:
                current[1] = base + end
        else:
            current_type = ""
    if current is not None:
        spans.append((current[0], current[1], current_type))
    return spans


@dataclass
class DocumentText:
    """A CoNLL document as text, with every entity and where its body starts."""

    text: str
    spans: list[tuple[int, int, str]]  # all entities, headline included
    body_start: int  # offset of the first body sentence (after headline and byline)


def document_text(document: ConllDocument, style: str) -> DocumentText:
    """`document` as the product would see it in one of STYLES.

    "wire" and "tokenized" are conll_wire's user files (running text, or CoNLL's spacing);
    "conll" is ner_conll's form (tokens joined by spaces, sentences by single newlines).
    """
    if style == "conll":
        text, offsets = document.text_and_offsets()
        spans = [
            span
            for sentence, sentence_offsets in zip(document.sentences, offsets, strict=True)
            for span in _sentence_spans(sentence, sentence_offsets, 0)
        ]
        return DocumentText(text, spans, 0)
    wire = wire_article(document, tokenized=style == "tokenized")
    text = wire.text
    spans = []
    position = 0
    for sentence in document.sentences:
        line, offsets = detokenize([token for token, _tag in sentence], style == "tokenized")
        at = text.find(line, position)
        if at < 0:
            raise ValueError(f"sentence not found in its wire file: {line[:60]!r}")
        spans.extend(_sentence_spans(sentence, offsets, at))
        position = at + len(line)
    body_start = wire.sentences[0][0] if wire.sentences else len(text)
    return DocumentText(text, spans, body_start)


def bio_tags(starts: list[int], words: list[str], spans: list[tuple[int, int, str]]) -> list[str]:
    """BIO tags of the tokens (at `starts`) from entity character spans."""
    tags = ["O"] * len(words)
    ordered = sorted(spans)
    s = 0
    for i, (start, word) in enumerate(zip(starts, words, strict=True)):
        while s < len(ordered) and ordered[s][1] <= start:
            s += 1
        if s < len(ordered) and ordered[s][0] <= start < ordered[s][1] and word != LINE_BREAK:
            span_start, _end, kind = ordered[s]
            tags[i] = ("B-" if start == span_start else "I-") + kind
    return tags


def lowercase_vocabulary(documents: Iterable[ConllDocument]) -> frozenset[str]:
    """Words written in lower case in the training text."""
    return frozenset(
        token
        for document in documents
        for sentence in document.sentences
        for token, _tag in sentence
        if token.islower() and token.isalpha()
    )


@cache
def casing_table(minimum: int = 2) -> dict[str, str]:
    """Each word's usual casing in unlabelled news, mid-sentence, outside lines in capitals.

    "x" almost always lower case, "Xx" capitalised, "X" capitals, "xXx" both lower case and
    capitalised (a word that is also a name: "Bush", "Bank"), "m" anything else.
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for folder in UNLABELLED:
        for path in sorted(folder.rglob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if not line.strip() or line.isupper():
                    continue
                words = tokenize(line)[0]
                for previous, word in pairwise(words):
                    if not word.isalpha() or previous in (".", "!", "?", '"', "“", ":", "‘"):
                        continue
                    entry = counts[word.lower()]
                    if word.islower():
                        entry[0] += 1
                    elif word.isupper() and len(word) > 1:
                        entry[2] += 1
                    elif word[0].isupper():
                        entry[1] += 1
    table: dict[str, str] = {}
    for word, (lower, title, upper) in counts.items():
        total = lower + title + upper
        if total < minimum:
            continue
        if lower >= 0.9 * total:
            table[word] = "x"
        elif title >= 0.9 * total:
            table[word] = "Xx"
        elif upper >= 0.9 * total:
            table[word] = "X"
        elif lower + title >= 0.9 * total:
            table[word] = "xXx"
        else:
            table[word] = "m"
    return table


def training_names(documents: Iterable[ConllDocument]) -> dict[tuple[str, ...], str]:
    """The names of `documents` (lower-case words) with the type they have most often."""
    types: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for document in documents:
        for sentence in document.sentences:
            name: list[str] = []
            kind = ""
            for token, tag in [*sentence, ("", "O")]:
                this = tag[2:] if tag != "O" else ""
                if name and (not this or tag.startswith("B-") or this != kind):
                    words = tuple(tokenize(" ".join(name).lower())[0])
                    if words:
                        types[words][kind] += 1
                    name = []
                if this:
                    name.append(token)
                    kind = this
    return {words: counts.most_common(1)[0][0] for words, counts in types.items()}


# --- instances ------------------------------------------------------------------------------


@dataclass
class Sequence_:
    """One document in one style, ready for training: tokens, gold tags and features."""

    words: list[str]
    indices: list[int]
    truth: list[int]  # gold tag per candidate
    static: list[list[str]]  # window feature keys per candidate
    shapes: list[str]
    follows: list[bool]  # the previous token is a candidate too
    extra: dict[int, list[str]] = field(default_factory=dict)  # line features (token index)
    part: int = 0


class FeatureCache:
    """Window feature keys per word, for one lexicon's vocabulary and casing."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.gaz = gazetteer()
        self.cache: dict[str, tuple[list[str], ...]] = {}

    def keys(self, word: str) -> tuple[list[str], ...]:
        cached = self.cache.get(word)
        if cached is None:
            itself, near, far = word_features(word, self.lexicon, self.gaz)
            cached = (
                ["0|" + f for f in itself],
                ["-1|" + f for f in near],
                ["+1|" + f for f in near],
                ["-2|" + f for f in far],
                ["+2|" + f for f in far],
            )
            self.cache[word] = cached
        return cached


def make_sequences(
    documents: Sequence[ConllDocument],
    parts: Sequence[int],
    lexicons: dict[int, Lexicon],
    features: FeatureCache,
    styles: Sequence[str],
    caps_line: bool = True,
) -> list[Sequence_]:
    """Training sequences of `documents` (each in every style), with jackknifed names."""
    sequences: list[Sequence_] = []
    for document, part in zip(documents, parts, strict=True):
        for style in styles:
            doc_text = document_text(document, style)
            words, starts = tokenize(doc_text.text)
            tags = bio_tags(starts, words, doc_text.spans)
            indices = candidate_indices(words)
            static: list[list[str]] = []
            candidates = set(indices)
            for i in indices:
                prev1, next1, prev2, next2 = context_words(words, i)
                static.append(
                    features.keys(words[i])[0]
                    + features.keys(prev1)[1]
                    + features.keys(next1)[2]
                    + features.keys(prev2)[3]
                    + features.keys(next2)[4]
                )
            sequences.append(
                Sequence_(
                    words=words,
                    indices=indices,
                    truth=[TAG_INDEX[tags[i]] for i in indices],
                    static=static,
                    shapes=[word_shape(words[i]) for i in indices],
                    follows=[i - 1 in candidates for i in indices],
                    extra=_line_extra(words, indices, lexicons[part], caps_line),
                    part=part,
                )
            )
    return sequences


def _line_extra(
    words: list[str], indices: list[int], lexicon: Lexicon, caps_line: bool
) -> dict[int, list[str]]:
    extra = line_features(words, indices, lexicon)
    if caps_line:
        return dict(extra)
    kept = {i: [k for k in keys if not k.startswith("cl")] for i, keys in extra.items()}
    return {i: keys for i, keys in kept.items() if keys}


# --- the perceptron -------------------------------------------------------------------------


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
        now = max(self.instances, 1)
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


def train_perceptron(
    sequences: Sequence[Sequence_],
    extras: Sequence[dict[int, list[str]]],
    epochs: int,
    seed: int,
    prune: float,
    snapshots: dict[int, dict[str, list[float]]] | None = None,
) -> dict[str, list[float]]:
    """Averaged weights after `epochs` shuffled passes (greedy decoding, as the tagger).

    `snapshots`, if given, receives the averaged weights after every epoch (the
    cross-validation's early-stopping curve).
    """
    model = AveragedPerceptron(len(TAGS))
    rng = random.Random(seed)
    order = list(range(len(sequences)))
    for epoch in range(epochs):
        if snapshots is not None and epoch:
            snapshots[epoch] = model.averaged(prune)
        rng.shuffle(order)
        for d in order:
            sequence = sequences[d]
            extra = extras[d]
            previous = previous2 = 0
            for position, i in enumerate(sequence.indices):
                if not sequence.follows[position]:
                    previous = previous2 = 0
                keys = sequence.static[position] + tag_features(
                    TAGS[previous], TAGS[previous2], sequence.shapes[position]
                )
                more = extra.get(i)
                if more:
                    keys = keys + ["x|" + k for k in more]
                guess = best_allowed(model.scores(keys), previous)
                model.update(keys, sequence.truth[position], guess)
                previous2 = previous
                previous = guess
    weights = model.averaged(prune)
    if snapshots is not None:
        snapshots[epochs] = weights
    return weights


# --- a whole model --------------------------------------------------------------------------


def contiguous_parts(count: int, parts: int) -> list[int]:
    """Part number of each of `count` documents in `parts` contiguous blocks (file order).

    Blocks rather than every k-th document: neighbouring Reuters documents share stories and
    names, so a block is nearer to news from another day.
    """
    return [min(index * parts // count, parts - 1) for index in range(count)]


def train_model(
    documents: Sequence[ConllDocument],
    options: Options,
    log: bool = True,
    curves: dict[str, dict[int, dict[str, list[float]]]] | None = None,
) -> dict:
    """The weights file's content for a tagger trained on `documents`.

    `curves`, if given, receives both passes' weights after every epoch ("first", "second").
    """
    began = time.perf_counter()
    vocab = lowercase_vocabulary(documents)
    casing = casing_table() if options.casing else {}
    k = max(options.jackknife, 2)
    parts = contiguous_parts(len(documents), k)
    all_names = training_names(documents) if options.names else {}
    lexicons: dict[int, Lexicon] = {}
    for part in range(k):
        names = (
            training_names(d for d, p in zip(documents, parts, strict=True) if p != part)
            if options.names
            else {}
        )
        lexicons[part] = Lexicon.from_names(vocab, casing, names)
    features = FeatureCache(Lexicon(vocab, casing))
    sequences = make_sequences(
        documents, parts, lexicons, features, options.styles, options.caps_line
    )

    def note(what: str) -> None:
        if log:
            print(f"  {what} ({time.perf_counter() - began:.0f} s)", flush=True)

    note(f"{len(sequences)} sequences, {sum(len(s.indices) for s in sequences)} candidates")
    line_extras = [s.extra for s in sequences]
    first_curve: dict[int, dict[str, list[float]]] | None = None
    second_curve: dict[int, dict[str, list[float]]] | None = None
    if curves is not None:
        first_curve = curves["first"] = {}
        second_curve = curves["second"] = {}
    weights = train_perceptron(
        sequences, line_extras, options.epochs, options.seed, options.prune, first_curve
    )
    note("first pass trained")
    payload: dict = {
        "source": "CoNLL-2003 eng.train, benchmarks/train_ner.py",
        "options": {k_: v for k_, v in vars(options).items()},
        "tags": list(TAGS),
        "lowercase_vocab": sorted(vocab),
        "casing": casing,
        "names": {" ".join(words): kind for words, kind in sorted(all_names.items())},
        "weights": weights,
    }
    if options.second_pass:
        document_extras: list[dict[int, list[str]]] = [{} for _ in sequences]
        for part in range(k):
            train_ids = [n for n, s in enumerate(sequences) if s.part != part]
            held_ids = [n for n, s in enumerate(sequences) if s.part == part]
            inner = train_perceptron(
                [sequences[n] for n in train_ids],
                [line_extras[n] for n in train_ids],
                options.epochs,
                options.seed,
                options.prune,
            )
            tagger = PerceptronTagger(inner, Lexicon(vocab, casing))
            for n in held_ids:
                sequence = sequences[n]
                tags = tagger.tag(sequence.words, sequence.indices, sequence.extra)
                document_extras[n] = merge_features(
                    sequence.extra, document_features(sequence.words, sequence.indices, tags)
                )
            note(f"jackknife part {part + 1}/{k} tagged")
        payload["second_weights"] = train_perceptron(
            sequences,
            document_extras,
            options.second_epochs,
            options.seed + 1,
            options.prune,
            second_curve,
        )
        note("second pass trained")
    return payload


def tagger_of(payload: dict) -> NameTagger:
    """The tagger a weights payload describes."""
    return NameTagger.from_payload(json.loads(json.dumps(payload)))


def write_payload(payload: dict, output: Path) -> None:
    """The payload as gzipped JSON (the cross-validation's saved folds)."""
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
    output.write_bytes(gzip.compress(data, 9, mtime=0))


def write_shipped(payload: dict, output: Path) -> None:
    """The payload as the packed weights file the package loads (`default_tagger`)."""
    output.write_bytes(gzip.compress(pack_payload(payload), 9, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    add_option_flags(parser)
    args = parser.parse_args()
    if "testa" in args.path.name or "testb" in args.path.name:
        raise SystemExit("refusing to train on a CoNLL evaluation split")
    options = options_from_args(args)
    began = time.perf_counter()
    payload = train_model(read_conll(args.path), options)
    write_shipped(payload, args.output)
    features = len(payload["weights"]) + len(payload.get("second_weights", {}))
    print(
        f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB, {features} features) "
        f"in {time.perf_counter() - began:.0f} s"
    )


def add_option_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of `Options` (shared by this script and ner_cv.py)."""
    defaults = Options()
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--second-epochs", type=int, default=defaults.second_epochs)
    parser.add_argument("--styles", nargs="+", choices=STYLES, default=list(defaults.styles))
    parser.add_argument("--no-casing", action="store_true")
    parser.add_argument("--no-caps-line", action="store_true")
    parser.add_argument("--no-names", action="store_true")
    parser.add_argument("--no-second-pass", action="store_true")
    parser.add_argument("--jackknife", type=int, default=defaults.jackknife)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--prune", type=float, default=defaults.prune)


def options_from_args(args: argparse.Namespace) -> Options:
    """Options from the command-line flags shared by this script and ner_cv.py."""
    return Options(
        epochs=args.epochs,
        second_epochs=args.second_epochs,
        styles=tuple(args.styles),
        casing=not args.no_casing,
        caps_line=not args.no_caps_line,
        names=not args.no_names,
        second_pass=not args.no_second_pass,
        jackknife=args.jackknife,
        seed=args.seed,
        prune=args.prune,
    )


if __name__ == "__main__":
    main()
