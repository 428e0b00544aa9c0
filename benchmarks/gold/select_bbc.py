"""Reproduce the article selection of the BBC speaker gold set (bbc_speakers.jsonl).

Usage: python benchmarks/gold/select_bbc.py [BBC_DIR]   (default ../shared/corpora/bbc)

Procedure (also in README.md):
1. all files ``<category>/NNN.txt``, sorted by path;
2. duplicates removed: two files are duplicates when their bodies (everything after the
   title line) are equal after collapsing whitespace; only the first path in sorted order
   of each group stays a candidate;
3. a candidate needs at least 6 ``"`` characters in its body (three pairs of quotes);
4. the candidates are shuffled with ``random.Random(20261203).shuffle``;
5. walking the shuffled list, a file is taken while its category has fewer than 25 files,
   until 125 files are taken (25 per category); a category's first 15 files are the
   first set (75 files), its 16th to 25th files are the second set (50 files);
6. within each category of the first set, in selection order, the 1st, 3rd, ... file goes
   to split "report" and the 2nd, 4th, ... to "tune": 8 report + 7 tune per category,
   40 report + 35 tune in all. Every file of the second set goes to split "tune2"
   (10 per category).

The second set was added later, as more tuning data. Taking a category's 16th to 25th files
in shuffled order leaves the first 75 exactly as they were (they are each category's first
15), so no file of "tune" or "report" can appear in "tune2".

The output is one line per file, ``<path> <split>``, in the order of bbc_speakers.jsonl:
first the 75 files of the first set in selection order, then the 50 of "tune2" in
selection order.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SEED = 20261203
CATEGORIES = 5
PER_CATEGORY = 15  # first set: tune + report
PER_CATEGORY_TUNE2 = 10  # second set, taken after each category's first 15
MIN_QUOTE_MARKS = 6


def candidates(bbc_dir: Path) -> list[str]:
    """Return the eligible, de-duplicated files in shuffled order."""
    files = sorted(p.relative_to(bbc_dir).as_posix() for p in bbc_dir.glob("*/*.txt"))
    seen: set[str] = set()
    out: list[str] = []
    for rel in files:
        text = (bbc_dir / rel).read_text(encoding="utf-8", errors="replace")
        body = text.split("\n", 1)[1] if "\n" in text else ""
        key = " ".join(body.split())
        if key in seen:
            continue
        seen.add(key)
        if body.count('"') >= MIN_QUOTE_MARKS:
            out.append(rel)
    random.Random(SEED).shuffle(out)
    return out


def select(bbc_dir: Path) -> list[tuple[str, str]]:
    """Return (relative path, split) pairs in the order of the gold file."""
    limit = PER_CATEGORY + PER_CATEGORY_TUNE2
    taken: dict[str, int] = {}
    first: list[tuple[str, str]] = []
    second: list[tuple[str, str]] = []
    for rel in candidates(bbc_dir):
        cat = rel.split("/")[0]
        n = taken.get(cat, 0)
        if n >= limit:
            continue
        taken[cat] = n + 1
        if n < PER_CATEGORY:
            first.append((rel, "report" if n % 2 == 0 else "tune"))
        else:
            second.append((rel, "tune2"))
        if len(first) + len(second) == CATEGORIES * limit:
            break
    return first + second


def main() -> None:
    bbc_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/bbc")
    for rel, split in select(bbc_dir):
        print(rel, split)


if __name__ == "__main__":
    main()
