"""Train the learned speaker choice on PolNeAR train and the BBC tuning articles.

Usage: python benchmarks/train_speakers.py [--train DIR] [--dev DIR] [--epochs N]
       [--bbc DIR] [--bbc-gold FILE] [--bbc-weight W]
       [--out corpus/data/speaker_weights.json] [--cache FILE] [--seed S]
       [--folds K | --bbc-folds K]

For every article of the training split (`polnear-train/`: 840 US political news articles,
`direct_quotes.jsonl` with source and cue spans) the quote finder runs as analysis does, with
the entities of `corpus.entities.find_entities`; for every direct quotation it finds, the
candidates of `corpus.quote_candidates` are ranked by an averaged perceptron
(`corpus.quote_model.PerceptronTrainer`). A candidate is right when its mention overlaps a
gold source span of a gold direct quotation overlapping the found one (the benchmark's rule;
gold sources are not coreference-resolved, so "he" is right where the annotator marked "he").
Quotations with no gold match, or no right candidate, do not update the weights.

British news is learnt from the tuning splits of the BBC gold set (`benchmarks/gold/`,
"tune" and "tune2": 85 articles; never "report"), analysed as `newsreader analyze` does. That
gold names speakers rather than marking spans, so a candidate is right when the name choosing
it gives matches the gold speaker or an alias (`benchmarks/quotes_bbc.py`'s rule). Each BBC
article is visited `--bbc-weight` times per epoch (0: PolNeAR alone).

Articles are visited in a seeded shuffled order each epoch; the averaged weights after
`--epochs` epochs are written. After each epoch they are scored on the "tune" half of
`polnear-dev` (`benchmarks/quotes_polnear.py --part tune`) for information; the "report"
half is never looked at here.

`--folds K` writes nothing: it cross-validates on the training split (K folds of its
articles; the model is trained on K-1, with the BBC tuning articles, and scored on the fold
it never saw, for each epoch count) and prints the rules' figure on the same folds.
polnear-dev is where the hand-written rules were tuned, so it flatters them; the training
split is news neither the rules nor a fold's model were tuned on. `--bbc-folds K` writes
nothing either: it cross-validates on the BBC tuning articles (fold k: every K-th article
from the k-th; trained on PolNeAR train and the other folds). The epoch count and the BBC
weight were chosen on these two cross-validations (the figures are in the docstring of
`DEFAULT_EPOCHS`).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quotes_bbc import (
    OffsetMap,
    SplitScores,
    analyse,
    names_match,
    read_records,
    requote,
    score_records,
)
from benchmarks.quotes_polnear import evaluate, read_gold
from corpus.entities import find_entities
from corpus.model import Article, Entity
from corpus.quote_candidates import Candidate
from corpus.quote_kind import classify_quote
from corpus.quote_model import GoldOracle, PerceptronTrainer, SpeakerModel
from corpus.quote_spans import QuoteSpan, find_quote_spans, paragraph_bounds
from corpus.quote_speakers import RULES_ONLY, QuoteAttributor
from corpus.quotes import find_quotes, quote_inner_text

Span = tuple[int, int]
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "corpus" / "data" / "speaker_weights.json"
DEFAULT_EPOCHS = 4
DEFAULT_BBC_WEIGHT = 2
"""`DEFAULT_EPOCHS` and `DEFAULT_BBC_WEIGHT` were chosen on the two cross-validations. BBC
tuning, 5 folds (`--bbc-folds 5`), speaker right over found quotes at 1..8 epochs: weight 0
(PolNeAR alone) 0.951-0.966, weight 1 0.961-0.969, weight 2 0.966-0.974 (0.971 at 3 and 4),
weight 4 0.966-0.974. PolNeAR train, 4 folds (`--folds 4`), at 1..5 epochs: weight 0
0.947-0.949, weight 2 0.947-0.950 (0.950 at 4 and 5), weight 4 0.944-0.950."""


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


class BbcGold:
    """Right candidates of the quotations of one BBC tuning article, from its gold names.

    The gold set names speakers (`benchmarks/gold/bbc_speakers.jsonl`), so a candidate is
    right when the name choosing it gives matches the gold speaker or an alias (the
    benchmark's `names_match`). Candidates without a ready attribution are named by a
    rules-only attributor of the same body.
    """

    def __init__(self, article: Article, text: str, record: dict) -> None:
        body = article.body
        self.mapping = OffsetMap.build(body, text)
        self.items = [q for q in record["quotes"] if q["kind"] == "direct"]
        paragraphs = paragraph_bounds(body)
        spans = find_quote_spans(body, paragraphs)
        self.namer = QuoteAttributor(
            body, spans, article.entities, [start for start, _end in paragraphs], RULES_ONLY
        )
        self.namer.attribute(
            [classify_quote(quote_inner_text(body[q.start : q.end], q.closed)) for q in spans]
        )

    def right(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> list[int] | None:
        start = self.mapping.to_file(quote.start)
        end = self.mapping.to_file(quote.end, is_end=True)
        if start is None or end is None:
            return None
        items = [g for g in self.items if g["start"] < end and start < g["end"]]
        if not items:
            return None
        return [
            i
            for i, c in enumerate(candidates)
            if any(
                names_match(self.namer.name_of(quote, c), g["speaker"], g.get("aliases", []))
                for g in items
            )
        ]


@dataclass
class TrainingDoc:
    """One article to train on: its body, its entities and the oracle of its gold."""

    key: str
    body: str
    entities: list[Entity]
    gold: Callable[[], GoldOracle]


def polnear_docs(
    docs: Sequence[str],
    texts: dict[str, str],
    entities: dict[str, list[Entity]],
    gold: dict[str, list[dict]],
) -> list[TrainingDoc]:
    return [
        TrainingDoc(doc, texts[doc], entities[doc], lambda doc=doc: DocumentGold(gold[doc]))  # type: ignore[misc]
        for doc in docs
    ]


@dataclass
class BbcTuning:
    """The BBC tuning articles (gold splits "tune" and "tune2"), analysed once."""

    records: list[dict]
    articles: list[Article]
    bbc: Path

    @classmethod
    def load(cls, gold: Path, bbc: Path) -> BbcTuning:
        records = read_records(gold, {"tune", "tune2"})
        articles = analyse([bbc / r["file"] for r in records])
        by_path = {Path(a.path).resolve(): a for a in articles}
        ordered = [by_path[(bbc / r["file"]).resolve()] for r in records]
        return cls(records, ordered, bbc)

    def docs(self, indices: Sequence[int]) -> list[TrainingDoc]:
        out = []
        for i in indices:
            record, article = self.records[i], self.articles[i]
            text = (self.bbc / record["file"]).read_text(encoding="utf-8", errors="replace")
            out.append(
                TrainingDoc(
                    "bbc:" + record["file"],
                    article.body,
                    list(article.entities),
                    lambda a=article, t=text, r=record: BbcGold(a, t, r),  # type: ignore[misc]
                )
            )
        return out

    def score(self, indices: Sequence[int], model: SpeakerModel) -> SplitScores:
        """The speaker figures of articles `indices` with `model` choosing (all splits summed)."""
        records = [self.records[i] for i in indices]
        articles = requote([self.articles[i] for i in indices], model)
        total = SplitScores()
        for part in score_records(records, articles, self.bbc).values():
            for name, value in vars(part).items():
                if isinstance(value, int):
                    setattr(total, name, getattr(total, name) + value)
        return total


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
    docs: Sequence[TrainingDoc],
    epochs: int,
    seed: int,
    after_epoch: Callable[[int, PerceptronTrainer], None],
) -> PerceptronTrainer:
    """Run `epochs` perceptron passes over `docs` (seeded shuffle), calling `after_epoch`."""
    trainer = PerceptronTrainer()
    order = list(docs)
    rng = random.Random(seed)
    oracles: dict[int, GoldOracle] = {}
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        trainer.seen = trainer.reachable = trainer.right = 0
        for doc in order:
            oracle = oracles.get(id(doc))
            if oracle is None:
                oracle = oracles[id(doc)] = doc.gold()
            trainer.gold = oracle
            find_quotes(doc.body, doc.entities, trainer)
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
    extra: Sequence[TrainingDoc] = (),
) -> None:
    """Print the held-out-fold speaker figure per epoch count, and the rules' figure
    (`extra`: articles added to every fold's training, the BBC tuning articles)."""
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

        train([*polnear_docs(rest, texts, entities, gold), *extra], epochs, seed, score)
        result = evaluate(root, "all", RULES_ONLY, entities, only=held)
        rules[0] += result.speaker_right
        rules[1] += result.found_direct
        print(f"fold {fold + 1}/{folds} done", flush=True)
    print(f"rules on the held-out folds: {rules[0] / rules[1]:.3f} ({rules[0]}/{rules[1]})")
    for epoch in range(1, epochs + 1):
        good, total = right[epoch]
        print(f"model, {epoch} epochs, held-out folds: {good / total:.3f} ({good}/{total})")


def cross_validate_bbc(
    bbc: BbcTuning,
    polnear: Sequence[TrainingDoc],
    folds: int,
    weight: int,
    epochs: int,
    seed: int,
) -> None:
    """The BBC tuning articles in `folds` folds (every `folds`-th article): train on PolNeAR
    train and the other folds (each article `weight` times), score the fold it never saw."""
    count = len(bbc.records)
    totals = [SplitScores() for _ in range(epochs + 1)]
    for fold in range(folds):
        held = list(range(fold, count, folds))
        rest = [i for i in range(count) if i % folds != fold]

        def score(epoch: int, trainer: PerceptronTrainer, held: list[int] = held) -> None:
            found = bbc.score(held, trainer.averaged())
            for name, value in vars(found).items():
                if isinstance(value, int):
                    setattr(totals[epoch], name, getattr(totals[epoch], name) + value)

        train([*polnear, *(bbc.docs(rest) * weight)], epochs, seed, score)
        print(f"BBC fold {fold + 1}/{folds} done", flush=True)
    for epoch in range(1, epochs + 1):
        t = totals[epoch]
        print(
            f"BBC weight {weight}, {epoch} epochs, held-out folds: speaker "
            f"{t.right / max(t.found, 1):.3f} ({t.right}/{t.found}), full quotations "
            f"{t.full_right / max(t.full_found, 1):.3f} ({t.full_right}/{t.full_found})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--train", default=str(ROOT.parent / "shared" / "corpora" / "polnear-train")
    )
    parser.add_argument("--dev", default=str(ROOT.parent / "shared" / "corpora" / "polnear-dev"))
    parser.add_argument("--bbc", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument(
        "--bbc-gold", default=str(ROOT / "benchmarks" / "gold" / "bbc_speakers.jsonl")
    )
    parser.add_argument(
        "--bbc-weight",
        type=int,
        default=DEFAULT_BBC_WEIGHT,
        help="times each BBC tuning article is trained on per epoch (0: PolNeAR only)",
    )
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--cache", help="pickle of the training entities (made when missing)")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate on train instead")
    parser.add_argument(
        "--bbc-folds", type=int, default=0, help="cross-validate on the BBC tuning articles instead"
    )
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    root = Path(args.train)
    texts, entities = load_split(root, Path(args.cache) if args.cache else None)
    gold = read_gold(root)
    docs = [doc for doc in texts if doc in gold]
    polnear = polnear_docs(docs, texts, entities, gold)
    bbc = (
        BbcTuning.load(Path(args.bbc_gold), Path(args.bbc))
        if args.bbc_weight or args.bbc_folds
        else None
    )
    print(
        f"train: {len(docs)} articles with gold quotes"
        + (f", {len(bbc.records)} BBC tuning articles x{args.bbc_weight}" if bbc else "")
        + f", entities in {time.perf_counter() - t0:.1f}s"
    )
    if args.bbc_folds:
        assert bbc is not None
        cross_validate_bbc(bbc, polnear, args.bbc_folds, args.bbc_weight, args.epochs, args.seed)
        return 0
    extra = bbc.docs(range(len(bbc.records))) * args.bbc_weight if bbc else []
    bbc = bbc if args.bbc_weight else None
    if args.folds:
        cross_validate(root, docs, texts, entities, gold, args.folds, args.epochs, args.seed, extra)
        return 0
    dev_entities: dict[str, list[Entity]] = {}
    final: list[SpeakerModel] = []

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
        final[:] = [model]

    train([*polnear, *extra], args.epochs, args.seed, report)
    model = final[0]
    Path(args.out).write_text(
        json.dumps(
            {
                "about": (
                    "Speaker choice weights (averaged perceptron ranking speaker candidates), "
                    f"trained by benchmarks/train_speakers.py for {args.epochs} epochs on "
                    "PolNeAR train"
                    + (
                        f" and the BBC tuning articles (gold tune + tune2, x{args.bbc_weight})"
                        if bbc
                        else ""
                    )
                    + "."
                ),
                **model.to_json(),
            },
            indent=0,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}: {args.epochs} epochs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
