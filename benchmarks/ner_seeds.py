"""Score the entity recogniser on the hand-annotated seed articles (shared/gold/seeds.json).

Usage: .venv/bin/python benchmarks/ner_seeds.py [seeds_dir] [gold_json] [--errors]
       [--backend builtin|spacy]

Bodies are rebuilt from the seed files without the cleaner: the file is split into paragraphs
at blank lines and the paragraphs the gold file lists as boilerplate, captions or headline are
dropped (the count is checked against `body_paragraph_count`). `find_entities` runs on each
body (paragraphs joined by a blank line, as in `Article.body`), then `canonicalize_corpus` on
the five articles. Scores, with mention counts: precision/recall/F1 of (text, label), per label
and overall, and canonical accuracy (matched mentions whose canonical name is the gold one).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.entities import canonicalize_corpus, find_entities  # noqa: E402
from corpus.model import Article  # noqa: E402

DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"


def seed_body(text: str, gold: dict) -> str:
    """The body paragraphs of a seed file, by the gold segmentation."""
    dropped = {item.strip() for item in gold["boilerplate"]}
    dropped.update(caption.strip() for caption in gold["captions"])
    if gold.get("headline"):
        dropped.add(gold["headline"].strip())
    paragraphs = []
    for block in text.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if block in dropped or all(line in dropped for line in lines):
            continue
        paragraphs.append(block)
    if len(paragraphs) != gold["body_paragraph_count"]:
        expected = gold["body_paragraph_count"]
        print(f"  warning: {len(paragraphs)} body paragraphs, gold says {expected}")
    return "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--errors", action="store_true", help="print per-file differences")
    parser.add_argument(
        "--backend", choices=("builtin", "spacy"), default="builtin", help="entity recogniser"
    )
    args = parser.parse_args()
    gold_all = json.loads(args.gold.read_text(encoding="utf-8"))
    if args.backend != "builtin":
        find_entities("Warm-up.", args.backend)  # load the pipeline outside the timing
    articles = []
    words = 0
    elapsed = 0.0
    for name, gold in sorted(gold_all.items()):
        body = seed_body((args.seeds / name).read_text(encoding="utf-8"), gold)
        words += len(body.split())
        began = time.process_time()
        found = tuple(find_entities(body, args.backend))
        elapsed += time.process_time() - began
        articles.append(
            Article(
                id=name, path=name, date=None, title=name, source=None, byline=None, body=body,
                entities=found,
            )
        )  # fmt: skip
    articles = canonicalize_corpus(articles)
    tp_by_label: Counter[str] = Counter()
    pred_by_label: Counter[str] = Counter()
    gold_by_label: Counter[str] = Counter()
    canonical_right = 0
    for article in articles:
        gold = gold_all[article.id]
        gold_pairs: Counter[tuple[str, str]] = Counter()
        gold_triples: Counter[tuple[str, str, str]] = Counter()
        for e in gold["entities"]:
            gold_pairs[e["text"], e["label"]] += e["count"]
            gold_triples[e["text"], e["label"], e["canonical"]] += e["count"]
        pred_pairs = Counter((e.text, e.label) for e in article.entities)
        pred_triples = Counter((e.text, e.label, e.canonical) for e in article.entities)
        for (text, label), n in pred_pairs.items():
            pred_by_label[label] += n
            tp_by_label[label] += min(n, gold_pairs[text, label])
        for (_text, label), n in gold_pairs.items():
            gold_by_label[label] += n
        canonical_right += sum(min(n, gold_triples[t]) for t, n in pred_triples.items())
        if args.errors:
            print(f"== {article.id}")
            for pair in sorted(set(pred_pairs) | set(gold_pairs)):
                if pred_pairs[pair] != gold_pairs[pair]:
                    counts = f"pred {pred_pairs[pair]:2} gold {gold_pairs[pair]:2}"
                    print(f"   {counts}  {pair[1]:7} {pair[0]}")
            for triple in sorted(set(pred_triples)):
                if triple[:2] in gold_pairs and not gold_triples[triple]:
                    print(f"   canonical? {triple}")
    print(f"{'label':8} {'gold':>5} {'pred':>5} {'tp':>5}   P      R      F1")
    for label in sorted(set(gold_by_label) | set(pred_by_label)):
        tp, p_n, g_n = tp_by_label[label], pred_by_label[label], gold_by_label[label]
        p = tp / p_n if p_n else 0.0
        r = tp / g_n if g_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{label:8} {g_n:5} {p_n:5} {tp:5}  {p:.3f}  {r:.3f}  {f:.3f}")
    tp, p_n, g_n = (
        sum(tp_by_label.values()),
        sum(pred_by_label.values()),
        sum(gold_by_label.values()),
    )
    p, r = tp / p_n, tp / g_n
    f1 = 2 * p * r / (p + r)
    print(f"entity (text, label): P={p:.4f} R={r:.4f} F1={f1:.4f}", end="  ")
    print(f"(gold {g_n}, predicted {p_n}, matched {tp})")
    accuracy = canonical_right / tp
    print(f"canonical accuracy on matched mentions: {accuracy:.4f} ({canonical_right}/{tp})")
    print(f"{args.backend}: {words} words, {words / elapsed:,.0f} words/s CPU")


if __name__ == "__main__":
    main()
