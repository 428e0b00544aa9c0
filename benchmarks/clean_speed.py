"""The cleaner's running time on large and adversarial inputs (it must be linear).

Usage: python benchmarks/clean_speed.py [SEED_FILE]
(default: corpus/sample/003_7a7d81bd043e34d3.txt, repeated to the sizes below).

Prints seconds per input for 0.5, 1 and 2 MB of each kind: a real article repeated, one
long line, many short lines, and inputs shaped to trip regex backtracking (runs of
parentheses, abbreviations, periods and quotes, credit-like tails). Time should double
when the size doubles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.clean import clean_document  # noqa: E402
from corpus.model import Document  # noqa: E402


def numbered_paragraphs(seed: str, size: int) -> str:
    """`seed`'s paragraphs over and over, each made unique by a number (no cache hits)."""
    paragraphs = [p for p in seed.split("\n\n") if p.strip()]
    out: list[str] = []
    total = number = 0
    while total < size:
        paragraph = f"{paragraphs[number % len(paragraphs)]} ({number})"
        out.append(paragraph)
        total += len(paragraph) + 2
        number += 1
    return "\n\n".join(out)


def main() -> int:
    seed_path = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus/sample/003_7a7d81bd043e34d3.txt"
    )
    seed = seed_path.read_text(encoding="utf-8")
    units = {
        "article repeated": seed,
        "article, distinct ¶s": seed,
        "one long line": "word ",
        "short lines": "ab\n",
        "blank-separated menu": "Home\n\n",
        "parentheses": "((((((((((",
        "Mr. abbreviations": "Mr. Smith said. ",
        "periods and quotes": ".'",
        "credit-like tails": "x (AP) ",
        "By lines": "By Jane Doe\n",
    }
    print(f"{'input':22s} {'0.5 MB':>8s} {'1 MB':>8s} {'2 MB':>8s}")
    for name, unit in units.items():
        times = []
        for megabytes in (0.5, 1.0, 2.0):
            size = int(megabytes * 1_000_000)
            if name == "article, distinct ¶s":
                text = numbered_paragraphs(unit, size)
            else:
                text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            clean_document(Document(id="x", path="x", text=text))
            times.append(time.perf_counter() - started)
        print(f"{name:22s} " + " ".join(f"{t:7.2f}s" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
