"""Words per second (CPU time, one core) of `clean_document` and `analyze_document` on BBC.

Usage: .venv/bin/python benchmarks/clean_throughput.py [path/to/bbc] [--docs N] [--passes N]
       [--profile clean|analyze]

Documents come from `corpus.reader.read_paths` (the first N in walk order, default 600);
words are the whitespace-separated tokens of each document's text. The first pass runs with
cold caches in a fresh process; CPU time (process_time) is what counts on the shared box.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.analyze import analyze_document  # noqa: E402
from corpus.clean import clean_document  # noqa: E402
from corpus.model import Document  # noqa: E402
from corpus.reader import read_paths  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "corpora" / "bbc"


def words_per_second(
    documents: list[Document], work: Callable[[Document], object], passes: int
) -> list[float]:
    """CPU words/s of `work` over `documents`, one number per pass."""
    words = sum(len(document.text.split()) for document in documents)
    speeds = []
    for _ in range(passes):
        cpu = time.process_time()
        for document in documents:
            work(document)
        speeds.append(words / (time.process_time() - cpu))
    return speeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--profile", choices=("clean", "analyze"))
    args = parser.parse_args()
    documents = read_paths([args.path]).documents[: args.docs]
    words = sum(len(document.text.split()) for document in documents)
    print(f"{len(documents)} documents, {words:,} words")
    if args.profile:
        import cProfile
        import pstats

        work = clean_document if args.profile == "clean" else analyze_document
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [work(document) for document in documents])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    for name, work in (("clean_document", clean_document), ("analyze_document", analyze_document)):
        speeds = words_per_second(documents, work, args.passes)
        passes = ", ".join(f"{speed:,.0f}" for speed in speeds)
        print(f"{name:17s} words/s CPU per pass: {passes} (best {max(speeds):,.0f})")


if __name__ == "__main__":
    main()
