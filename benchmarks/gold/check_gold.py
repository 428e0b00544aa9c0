"""Validate the BBC speaker gold set (bbc_speakers.jsonl) against the corpus and print its counts.

Usage: python benchmarks/gold/check_gold.py [GOLD_JSONL] [BBC_DIR]
(defaults: benchmarks/gold/bbc_speakers.jsonl and ../shared/corpora/bbc)

Splits: "tune" and "report" (the first 75 articles) and "tune2" (50 more for tuning).
Checks, for every item: the offsets lie in the article body (after the title line); the stored
50-character snippet equals the file text at that offset; the span starts and ends with a double
quote (unless its ``note`` says the source lacks that mark); items are in text order and do not
overlap; ``kind`` is "direct" or "other"; a direct item has a ``speaker`` key (a name or null) and
an other item has none. The files and their splits, in order, must equal what select_bbc.py selects.
Exits 1 on any problem.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from select_bbc import select

SNIPPET = 50
SPLITS = ("tune", "report", "tune2")


def check(gold: Path, bbc_dir: Path) -> list[str]:
    """Return the list of problems found; print counts."""
    problems: list[str] = []
    articles: Counter[str] = Counter()
    direct: Counter[str] = Counter()
    other: Counter[str] = Counter()
    partial: Counter[str] = Counter()
    null_speaker: Counter[str] = Counter()
    categories: Counter[tuple[str, str]] = Counter()
    seen_files: set[str] = set()
    listed: list[tuple[str, str]] = []
    for lineno, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        rel, split = record["file"], record["split"]
        where = f"line {lineno} ({rel})"
        if split not in SPLITS:
            problems.append(f"{where}: bad split {split!r}")
        if rel in seen_files:
            problems.append(f"{where}: file listed twice")
        seen_files.add(rel)
        listed.append((rel, split))
        articles[split] += 1
        categories[(split, rel.split("/")[0])] += 1
        text = (bbc_dir / rel).read_text(encoding="utf-8", errors="replace")
        body_start = text.index("\n") + 1
        last_end = body_start
        for q in record["quotes"]:
            s, e = q["start"], q["end"]
            span = text[s:e]
            tag = f"{where} [{s}:{e}]"
            if not body_start <= s < e <= len(text):
                problems.append(f"{tag}: offsets outside the body")
                continue
            if s < last_end:
                problems.append(f"{tag}: overlaps or out of order")
            last_end = e
            if q["text"] != span[:SNIPPET]:
                problems.append(f"{tag}: snippet {q['text']!r} != file {span[:SNIPPET]!r}")
            note = q.get("note", "")
            if span[0] != '"' and "opening mark missing" not in note:
                problems.append(f"{tag}: does not start with a quote mark")
            if span[-1] != '"' and "closing mark missing" not in note:
                problems.append(f"{tag}: does not end with a quote mark")
            kind = q.get("kind")
            if kind == "direct":
                direct[split] += 1
                if "speaker" not in q:
                    problems.append(f"{tag}: direct item without speaker key")
                elif q["speaker"] is None:
                    null_speaker[split] += 1
                elif not isinstance(q["speaker"], str) or not q["speaker"].strip():
                    problems.append(f"{tag}: empty speaker")
                if q.get("partial"):
                    partial[split] += 1
            elif kind == "other":
                other[split] += 1
                if "speaker" in q:
                    problems.append(f"{tag}: other item with a speaker")
            else:
                problems.append(f"{tag}: bad kind {kind!r}")
    for split in (*SPLITS, "all"):
        n = [
            sum(c.values()) if split == "all" else c[split]
            for c in (articles, direct, partial, null_speaker, other)
        ]
        print(
            f"{split:6}  articles {n[0]:3}  direct {n[1]:4} "
            f"(partial {n[2]:3}, speaker null {n[3]})  other {n[4]:4}"
        )
    if listed != select(bbc_dir):
        problems.append("files or splits differ from select_bbc.py's selection")
    cats = sorted({c for _, c in categories})
    for split in SPLITS:
        print(f"{split:6}  " + "  ".join(f"{c} {categories[(split, c)]}" for c in cats))
    return problems


def main() -> None:
    gold = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/gold/bbc_speakers.jsonl")
    bbc_dir = Path(sys.argv[2] if len(sys.argv) > 2 else "../shared/corpora/bbc")
    problems = check(gold, bbc_dir)
    for p in problems:
        print("PROBLEM", p)
    print("ok" if not problems else f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
