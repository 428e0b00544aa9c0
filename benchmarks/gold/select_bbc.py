"""Reproduce the article selection of the BBC speaker gold set (bbc_speakers.jsonl).

Usage: python benchmarks/gold/select_bbc.py [BBC_DIR]   (default ../shared/corpora/bbc)

Procedure (also in README.md):
1. all files ``<category>/NNN.txt``, sorted by path;
2. duplicates removed: two files are duplicates when their bodies (everything after the
   title line) are equal after collapsing whitespace; only the first path in sorted order
   of each group stays a candidate;
3. a candidate needs at least 6 ``"`` characters in its body (three pairs of quotes);
4. the candidates are shuffled with ``random.Random(20261203).shuffle``;
5. walking the shuffled list, a file is taken while its category has fewer than 15 files,
   until 75 files are taken (15 per category);
6. within each category, in selection order, the 1st, 3rd, ... file goes to split
   "report" and the 2nd, 4th, ... to "tune": 8 report + 7 tune per category,
   40 report + 35 tune in all.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SEED = 20261203
PER_CATEGORY = 15
MIN_QUOTE_MARKS = 6


def select(bbc_dir: Path) -> list[tuple[str, str]]:
    """Return (relative path, split) pairs in selection order."""
    files = sorted(p.relative_to(bbc_dir).as_posix() for p in bbc_dir.glob("*/*.txt"))
    seen: set[str] = set()
    candidates: list[str] = []
    for rel in files:
        text = (bbc_dir / rel).read_text(encoding="utf-8", errors="replace")
        body = text.split("\n", 1)[1] if "\n" in text else ""
        key = " ".join(body.split())
        if key in seen:
            continue
        seen.add(key)
        if body.count('"') >= MIN_QUOTE_MARKS:
            candidates.append(rel)
    random.Random(SEED).shuffle(candidates)
    taken: dict[str, int] = {}
    out: list[tuple[str, str]] = []
    for rel in candidates:
        cat = rel.split("/")[0]
        n = taken.get(cat, 0)
        if n >= PER_CATEGORY:
            continue
        taken[cat] = n + 1
        out.append((rel, "report" if n % 2 == 0 else "tune"))
        if len(out) == 5 * PER_CATEGORY:
            break
    return out


def main() -> None:
    bbc_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/bbc")
    for rel, split in select(bbc_dir):
        print(rel, split)


if __name__ == "__main__":
    main()
