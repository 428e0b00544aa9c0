"""Token F1 of the cleaner on scraped news pages, each page cleaned on its own.

Usage: python benchmarks/clean_scraped.py [CORPUS_DIR] [--verbose]
(default CORPUS_DIR: ../shared/corpora/scraped-pages-dev, relative to the project root).

For every page in gold.jsonl: the page text is read with `corpus.reader`, cleaned with
`corpus.clean.clean_document` (no corpus-level signal), and the body's tokens (lower-cased
\\w+ runs, as a multiset) are compared with the gold body's tokens: precision, recall, F1.
Prints the averages over all pages and over the even- and odd-indexed pages (sorted by
file name; the cleaner was tuned looking at even pages only), and the page count.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.clean import clean_document, recurring_lines  # noqa: E402
from corpus.model import Document  # noqa: E402
from corpus.reader import documents_from_file  # noqa: E402

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(predicted), tokens(gold)
    overlap = sum((p & g).values())
    precision = overlap / max(1, sum(p.values()))
    recall = overlap / max(1, sum(g.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus", nargs="?", default=str(ROOT.parent / "shared/corpora/scraped-pages-dev")
    )
    parser.add_argument("--verbose", action="store_true", help="one line per page")
    parser.add_argument(
        "--corpus-signal",
        action="store_true",
        help="also pass the recurring lines of all pages (off by default: pages on their own)",
    )
    args = parser.parse_args()
    corpus = Path(args.corpus)
    records = [json.loads(line) for line in (corpus / "gold.jsonl").read_text().splitlines()]
    records.sort(key=lambda r: r["file"])
    documents: list[Document] = []
    for record in records:
        document = documents_from_file(corpus / "pages" / record["file"])[0]
        assert isinstance(document, Document), document
        documents.append(document)
    recurring = recurring_lines(documents) if args.corpus_signal else frozenset()
    rows: list[tuple[int, str, float, float, float, float]] = []
    started = time.perf_counter()
    for index, (record, document) in enumerate(zip(records, documents, strict=True)):
        result = clean_document(document, recurring)
        base = prf(document.text, record["body"])[2]
        p, r, f = prf(result.body, record["body"])
        rows.append((index, record["file"], p, r, f, base))
    elapsed = time.perf_counter() - started
    if args.verbose:
        for index, name, p, r, f, base in sorted(rows, key=lambda row: row[4]):
            print(f"{index:3d} {name[:12]} P={p:.3f} R={r:.3f} F1={f:.3f} (nothing {base:.3f})")
    for label, chosen in (
        ("all", rows),
        ("even (tuning)", [row for row in rows if row[0] % 2 == 0]),
        ("odd (check)", [row for row in rows if row[0] % 2 == 1]),
    ):
        print(
            f"{label:14s} pages={len(chosen):3d} P={mean([r[2] for r in chosen]):.3f} "
            f"R={mean([r[3] for r in chosen]):.3f} F1={mean([r[4] for r in chosen]):.3f} "
            f"(doing nothing F1={mean([r[5] for r in chosen]):.3f})"
        )
    print(f"time: {elapsed:.2f}s for {len(rows)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
