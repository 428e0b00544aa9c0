"""Cross-validate the entity recogniser on CoNLL-2003 eng.train (model selection without testa).

Usage: .venv/bin/python benchmarks/ner_cv.py [path/to/eng.train] [--folds 5] [--only K ...]
       [train_ner.py's options: --epochs N --second-epochs N --styles ... --no-casing ...]

eng.train's 946 documents are cut into `--folds` contiguous blocks in file order (block k is
documents [k*n/F, (k+1)*n/F)); neighbouring Reuters documents share stories, so a block is
nearer to news from another day than every k-th document would be. For each block a tagger
is trained on the other blocks with benchmarks/train_ner.py's `train_model` (its word lists,
names and jackknifed features from those blocks only) and the held-out block is scored with
the whole recogniser (`find_entities` with that tagger):

- "wire": the body of the user's wire file (benchmarks/conll_wire.py: running text, one
  paragraph per sentence, dateline first, headline and byline left out as the cleaner's
  title and byline), the recogniser's own figure on the text the product sees;
- "conll": tokens joined by spaces, sentences by newlines, headline included (the form of
  benchmarks/ner_conll.py);
- "tagger": the tagger's raw BIO output on the wire body, before any rule of entities.py.

Exact-span typed F1 (PER, ORG, LOC, MISC), pooled over the held-out blocks (micro), and per
block. eng.testa and eng.testb are never read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ner_conll import ConllDocument, f1, predicted_spans, read_conll  # noqa: E402
from train_ner import (  # noqa: E402
    DEFAULT_PATH,
    Options,
    add_option_flags,
    contiguous_parts,
    document_text,
    options_from_args,
    tagger_of,
    train_model,
    write_payload,
)

from corpus.ner_features import TAGS  # noqa: E402
from corpus.ner_tagger import NameTagger  # noqa: E402
from corpus.ner_tokens import candidate_indices, tokenize  # noqa: E402

KINDS = ("PER", "ORG", "LOC", "MISC")
CURVE_EPOCHS = frozenset({4, 6, 8, 10, 12, 15, 20})
Counts = Counter[tuple[str, str]]


def tagger_spans(text: str, tagger: NameTagger) -> set[tuple[int, int, str]]:
    """The tagger's own BIO output on `text` as CoNLL-typed character spans."""
    words, starts = tokenize(text)
    indices = candidate_indices(words)
    tags = tagger.tag(words, indices)
    spans: set[tuple[int, int, str]] = set()
    current: list = []
    for i in indices:
        tag = TAGS[tags[i]]
        if current and (tag == "O" or tag.startswith("B-") or i != current[1] + 1):
            spans.add((starts[current[0]], starts[current[1]] + len(words[current[1]]), current[2]))
            current = []
        if tag != "O":
            if current:
                current[1] = i
            else:
                current = [i, i, tag[2:]]
    if current:
        spans.add((starts[current[0]], starts[current[1]] + len(words[current[1]]), current[2]))
    return spans


def body_and_gold(document: ConllDocument, style: str) -> tuple[str, set[tuple[int, int, str]]]:
    """The text scored for `document` in a style, and its gold spans."""
    if style == "conll":
        doc_text = document_text(document, "conll")
        return doc_text.text, set(doc_text.spans)
    doc_text = document_text(document, style)
    base = doc_text.body_start
    body = doc_text.text[base:].rstrip("\n")
    gold = {(a - base, b - base, kind) for a, b, kind in doc_text.spans if a >= base}
    return body, gold


def count(counts: Counts, predicted: set, gold: set) -> None:
    for span in predicted & gold:
        counts[span[2], "tp"] += 1
    for span in predicted - gold:
        counts[span[2], "fp"] += 1
    for span in gold - predicted:
        counts[span[2], "fn"] += 1


def typed_f1(counts: Counts, kinds: tuple[str, ...] = KINDS) -> float:
    return f1(*(sum(counts[k, what] for k in kinds) for what in ("tp", "fp", "fn")))[2]


def score_block(
    documents: list[ConllDocument], tagger: NameTagger, errors: Counter[str] | None = None
) -> dict[str, Counts]:
    """Counts per measure ("wire", "conll", "tagger") on held-out `documents`."""
    result: dict[str, Counts] = {"wire": Counter(), "conll": Counter(), "tagger": Counter()}
    for document in documents:
        body, gold = body_and_gold(document, "wire")
        predicted = predicted_spans(body, tagger)
        count(result["wire"], predicted, gold)
        if errors is not None:
            for a, b, kind in predicted - gold:
                errors[f"FP {kind:4} {body[a:b]!r}"] += 1
            for a, b, kind in gold - predicted:
                errors[f"FN {kind:4} {body[a:b]!r}"] += 1
        count(result["tagger"], tagger_spans(body, tagger), gold)
        text, conll_gold = body_and_gold(document, "conll")
        count(result["conll"], predicted_spans(text, tagger), conll_gold)
    return result


def cross_validate(
    documents: list[ConllDocument],
    options: Options,
    folds: int,
    only: list[int] | None = None,
    errors: Counter[str] | None = None,
    models: Path | None = None,
    curve: dict[str, Counts] | None = None,
) -> dict[str, Counts]:
    """Pooled counts over the held-out blocks.

    With `models`, each block's weights are read from models/fold-K.json.gz when that file
    exists (so rules can be compared on the same trained taggers) and written there when not.
    """
    parts = contiguous_parts(len(documents), folds)
    pooled: dict[str, Counts] = {"wire": Counter(), "conll": Counter(), "tagger": Counter()}
    for fold in range(folds):
        if only and fold not in only:
            continue
        began = time.perf_counter()
        train = [d for d, p in zip(documents, parts, strict=True) if p != fold]
        held = [d for d, p in zip(documents, parts, strict=True) if p == fold]
        saved = models / f"fold-{fold + 1}.json.gz" if models else None
        if curve is not None:
            _score_curve(train, held, options, curve, fold)
            continue
        if saved is not None and saved.exists():
            payload = json.loads(gzip.decompress(saved.read_bytes()))
        else:
            payload = train_model(train, options, log=False)
            if saved is not None:
                saved.parent.mkdir(parents=True, exist_ok=True)
                write_payload(payload, saved)
        tagger = tagger_of(payload)
        block = score_block(held, tagger, errors)
        for name, counts in block.items():
            pooled[name].update(counts)
        print(
            f"fold {fold + 1}/{folds} ({len(held)} documents): "
            + "  ".join(f"{name} {typed_f1(counts):.4f}" for name, counts in block.items())
            + f"  ({time.perf_counter() - began:.0f} s)",
            flush=True,
        )
    return pooled


def _score_curve(
    train: list[ConllDocument],
    held: list[ConllDocument],
    options: Options,
    curve: dict[str, Counts],
    fold: int,
) -> None:
    """Early-stopping curve: the held-out block scored after each epoch of either pass.

    The first pass alone after e epochs ("first@e"), then both passes with the first pass at
    `options.epochs` and the second after e epochs ("second@e").
    """
    curves: dict[str, dict[int, dict[str, list[float]]]] = {}
    payload = train_model(train, options, log=False, curves=curves)
    line = []
    for name in ("first", "second"):
        for epoch, weights in sorted(curves[name].items()):
            if epoch not in CURVE_EPOCHS:
                continue
            variant = dict(payload)
            if name == "first":
                variant["weights"] = weights
                variant.pop("second_weights", None)
            else:
                variant["second_weights"] = weights
            counts = score_block(held, tagger_of(variant))["wire"]
            key = f"{name}@{epoch}"
            curve.setdefault(key, Counter()).update(counts)
            line.append(f"{key} {typed_f1(counts):.4f}")
    print(f"fold {fold + 1}: " + "  ".join(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, nargs="+", help="run only these folds (1-based)")
    parser.add_argument("--errors", type=int, default=0, help="print the N commonest errors")
    parser.add_argument("--models", type=Path, help="read/write each fold's weights in DIR")
    parser.add_argument(
        "--curve", action="store_true", help="score every epoch of both passes (early stopping)"
    )
    add_option_flags(parser)
    args = parser.parse_args()
    if "testa" in args.path.name or "testb" in args.path.name:
        raise SystemExit("cross-validation runs on the training split only")
    options = options_from_args(args)
    print(f"options: {options}")
    documents = read_conll(args.path)
    errors: Counter[str] | None = Counter() if args.errors else None
    only = [k - 1 for k in args.only] if args.only else None
    curve: dict[str, Counts] | None = {} if args.curve else None
    pooled = cross_validate(documents, options, args.folds, only, errors, args.models, curve)
    if curve is not None:
        for key, counts in curve.items():
            print(f"pooled wire {key:10} typed F1 {typed_f1(counts):.4f}")
        return
    for name, counts in pooled.items():
        per_type = "  ".join(
            f"{k} {f1(counts[k, 'tp'], counts[k, 'fp'], counts[k, 'fn'])[2]:.3f}" for k in KINDS
        )
        print(f"pooled {name:6} typed F1 {typed_f1(counts):.4f}   {per_type}")
    if errors:
        for line, n in errors.most_common(args.errors):
            print(f"{n:4}  {line}")


if __name__ == "__main__":
    main()
