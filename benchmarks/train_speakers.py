"""Train the learned speaker choice on PolNeAR train and write its weights.

Usage: python benchmarks/train_speakers.py [--train DIR] [--dev DIR] [--epochs N]
       [--out corpus/data/speaker_weights.json] [--cache FILE] [--seed S] [--folds K]

For every article of the training split (`polnear-train/`: 840 US political news articles,
`direct_quotes.jsonl` with source and cue spans) the quote finder runs as analysis does, with
the entities of `corpus.entities.find_entities`; for every direct quotation it finds, the
candidates of `corpus.quote_candidates` are ranked by an averaged perceptron
(`corpus.quote_model.PerceptronTrainer`). A candidate is right when its mention overlaps a
gold source span of a gold direct quotation overlapping the found one (the benchmark's rule;
gold sources are not coreference-resolved, so "he" is right where the annotator marked "he").
Quotations with no gold match, or no right candidate, do not update the weights.

Articles are visited in a seeded shuffled order each epoch. After each epoch the averaged
weights are scored on the "tune" half of `polnear-dev` (even positions of the sorted
document names; `benchmarks/quotes_polnear.py --part tune`), and the epoch that scores best
there is the one written (ties: the earlier). The "report" half is never looked at here.

`--folds K` writes nothing: it cross-validates on the training split (K folds of its
articles; the model is trained on K-1 and scored on the fold it never saw, for each epoch
count) and prints the rules' figure on the same folds. polnear-dev is where the hand-written
rules were tuned, so it flatters them; the training split is news neither the rules nor a
fold's model were tuned on, which is what the held-out figure measures. The feature set was
chosen on these folds and on the dev tune half.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quotes_polnear import evaluate, read_gold
from corpus.entities import find_entities
from corpus.model import Entity
from corpus.quote_candidates import Candidate
from corpus.quote_model import PerceptronTrainer, SpeakerModel
from corpus.quote_spans import QuoteSpan
from corpus.quote_speakers import RULES_ONLY
from corpus.quotes import find_quotes

Span = tuple[int, int]
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "corpus" / "data" / "speaker_weights.json"


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class DocumentGold:
    """Right candidates of the quotations of one article, from its gold records."""

    def __init__(self, records: Sequence[dict]) -> None:
        self.records = [
            (
                [tuple(s) for s in r["content_spans"]],
                [tuple(s) for s in r["source_spans"] or []],
            )
            for r in records
        ]

    def right(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> list[int] | None:
        span = (quote.start, quote.end)
        sources = [
            source
            for contents, record_sources in self.records
            if any(_overlaps(span, c) for c in contents)
            for source in record_sources
        ]
        if not sources:
            return None
        return [
            i
            for i, c in enumerate(candidates)
            if any(_overlaps((c.start, c.end), s) for s in sources)
        ]


def load_split(root: Path, cache: Path | None) -> tuple[dict[str, str], dict[str, list[Entity]]]:
    """Texts of a split and their entities (from `cache` when it is there)."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "text").glob("*.txt"))}
    if cache is not None and cache.exists():
        entities = pickle.loads(cache.read_bytes())
        if set(entities) == set(texts):
            return texts, entities
    entities = {doc: find_entities(text) for doc, text in texts.items()}
    if cache is not None:
        cache.write_bytes(pickle.dumps(entities))
    return texts, entities


def train(
    docs: Sequence[str],
    texts: dict[str, str],
    entities: dict[str, list[Entity]],
    gold: dict[str, list[dict]],
    epochs: int,
    seed: int,
    after_epoch: Callable[[int, PerceptronTrainer], None],
) -> PerceptronTrainer:
    """Run `epochs` perceptron passes over `docs` (seeded shuffle), calling `after_epoch`."""
    trainer = PerceptronTrainer()
    order = list(docs)
    rng = random.Random(seed)
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        trainer.seen = trainer.reachable = trainer.right = 0
        for doc in order:
            trainer.gold = DocumentGold(gold[doc])
            find_quotes(texts[doc], entities[doc], trainer)
        trainer.gold = None
        after_epoch(epoch, trainer)
    return trainer


def cross_validate(
    root: Path,
    docs: list[str],
    texts: dict[str, str],
    entities: dict[str, list[Entity]],
    gold: dict[str, list[dict]],
    folds: int,
    epochs: int,
    seed: int,
) -> None:
    """Print the held-out-fold speaker figure per epoch count, and the rules' figure."""
    ordered = sorted(docs)
    right = [[0, 0] for _ in range(epochs + 1)]
    rules = [0, 0]
    for fold in range(folds):
        held = set(ordered[fold::folds])
        rest = [d for d in ordered if d not in held]

        def score(epoch: int, trainer: PerceptronTrainer, held: set[str] = held) -> None:
            result = evaluate(root, "all", trainer.averaged(), entities, only=held)
            right[epoch][0] += result.speaker_right
            right[epoch][1] += result.found_direct

        train(rest, texts, entities, gold, epochs, seed, score)
        result = evaluate(root, "all", RULES_ONLY, entities, only=held)
        rules[0] += result.speaker_right
        rules[1] += result.found_direct
        print(f"fold {fold + 1}/{folds} done", flush=True)
    print(f"rules on the held-out folds: {rules[0] / rules[1]:.3f} ({rules[0]}/{rules[1]})")
    for epoch in range(1, epochs + 1):
        good, total = right[epoch]
        print(f"model, {epoch} epochs, held-out folds: {good / total:.3f} ({good}/{total})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default="../shared/corpora/polnear-train")
    parser.add_argument("--dev", default="../shared/corpora/polnear-dev")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--cache", help="pickle of the training entities (made when missing)")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate on train instead")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    root = Path(args.train)
    texts, entities = load_split(root, Path(args.cache) if args.cache else None)
    gold = read_gold(root)
    docs = [doc for doc in texts if doc in gold]
    print(
        f"train: {len(docs)} articles with gold quotes, entities in {time.perf_counter() - t0:.1f}s"
    )
    if args.folds:
        cross_validate(root, docs, texts, entities, gold, args.folds, args.epochs, args.seed)
        return 0
    dev_entities: dict[str, list[Entity]] = {}
    best: list[tuple[float, int, SpeakerModel]] = []

    def report(epoch: int, trainer: PerceptronTrainer) -> None:
        model = trainer.averaged()
        tune = evaluate(Path(args.dev), "tune", model, dev_entities)
        print(
            f"epoch {epoch}: train quotes {trainer.seen}, a right candidate for "
            f"{trainer.reachable} ({trainer.reachable / max(trainer.seen, 1):.3f}); "
            f"dev tune speaker {tune.speaker:.3f} ({tune.speaker_right}/{tune.found_direct}) "
            f"[{len(model.weights)} weights]",
            flush=True,
        )
        if not best or tune.speaker > best[0][0]:
            best[:] = [(tune.speaker, epoch, model)]

    train(docs, texts, entities, gold, args.epochs, args.seed, report)
    score, epoch, model = best[0]
    Path(args.out).write_text(
        json.dumps(
            {
                "about": (
                    "Speaker choice weights (averaged perceptron ranking speaker candidates), "
                    f"trained by benchmarks/train_speakers.py on PolNeAR train, epoch {epoch} "
                    f"of {args.epochs} chosen on polnear-dev tune half (speaker {score:.3f})."
                ),
                **model.to_json(),
            },
            indent=0,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}: epoch {epoch}, dev tune speaker {score:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
