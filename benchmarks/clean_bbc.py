"""Does the cleaner keep the paragraphs of clean news text? Checked on the BBC corpus.

Usage: python benchmarks/clean_bbc.py [BBC_DIR] [--show N]
(default BBC_DIR: ../shared/corpora/bbc, relative to the project root).

BBC files are "title line, blank line, body paragraphs": every paragraph after the title is
article text, so the cleaner should keep all of them and take the first line as the title.
Prints paragraphs kept / input, articles with every paragraph kept, titles right, for each
article cleaned on its own and with the corpus-level recurring-line signal; `--show N`
prints the paragraphs dropped from up to N articles.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.clean import clean_document, recurring_lines, split_segments  # noqa: E402
from corpus.reader import read_paths  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpora/bbc"))
    parser.add_argument("--show", type=int, default=0, help="print drops of N articles")
    args = parser.parse_args()
    started = time.perf_counter()
    documents = read_paths([Path(args.corpus)]).documents
    recurring = recurring_lines(documents)
    shown = 0
    for label, signal in (("on its own", frozenset()), ("with corpus signal", recurring)):
        total = kept = complete = titles = 0
        for document in documents:
            segments = split_segments(document.text)
            title, body = segments[0], segments[1:]
            result = clean_document(document, signal)
            total += len(body)
            kept_here = sum(1 for paragraph in body if paragraph in result.paragraphs)
            kept += kept_here
            complete += kept_here == len(body)
            titles += result.title == title
            if kept_here < len(body) and shown < args.show and not signal:
                shown += 1
                print(f"-- {document.path}: dropped")
                for paragraph in body:
                    if paragraph not in result.paragraphs:
                        print(f"   {paragraph[:150]!r}")
        print(
            f"{label:20s} articles={len(documents)} paragraphs kept {kept}/{total} "
            f"({kept / max(1, total):.4f}), articles complete {complete}/{len(documents)}, "
            f"title = first line {titles}/{len(documents)}"
        )
    print(f"recurring keys in corpus: {len(recurring)}")
    print(f"time: {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
