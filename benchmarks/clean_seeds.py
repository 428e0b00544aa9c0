"""The cleaner against the hand annotations of the five seed articles (gold/seeds.json).

Usage: python benchmarks/clean_seeds.py [SEEDS_DIR] [GOLD_JSON]
(defaults: ../shared/seeds and ../shared/gold/seeds.json, relative to the project root).

Per article: date, title/headline, source and byline right; body paragraph count against
`body_paragraph_count`; gold boilerplate items found in the body (must be 0); gold
captions found in `captions`; and every body paragraph is a paragraph of the file that
is neither boilerplate, caption nor headline. Prints one line per article and totals.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.clean import clean_document, split_segments  # noqa: E402
from corpus.reader import read_paths  # noqa: E402


def main() -> int:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/seeds"
    gold_path = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared/gold/seeds.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    documents = {Path(d.path).name: d for d in read_paths([seeds]).documents}
    failures = 0
    for name, expected in sorted(gold.items()):
        result = clean_document(documents[name])
        body = result.body
        leaked = [b for b in expected["boilerplate"] if b and b in result.paragraphs]
        leaked_text = [b for b in expected["boilerplate"] if len(b) > 30 and b in body]
        captions_found = sum(1 for c in expected["captions"] if c in result.captions)
        captions_in_body = sum(1 for c in expected["captions"] if c in body)
        not_body = {*expected["boilerplate"], *expected["captions"], expected["headline"]}
        expected_body = [
            segment for segment in split_segments(documents[name].text) if segment not in not_body
        ]
        checks = {
            "exact body": list(result.paragraphs) == expected_body,
            "date": result.date == expected["date"],
            "source": result.source == expected["source"],
            "byline": result.byline == expected["byline"],
            "title": expected["headline"] is None or result.title == expected["headline"],
            "paragraphs": len(result.paragraphs) == expected["body_paragraph_count"],
            "no boilerplate": not leaked and not leaked_text,
            "captions": captions_found == len(expected["captions"]) and not captions_in_body,
        }
        bad = [k for k, ok in checks.items() if not ok]
        failures += len(bad)
        print(
            f"{name}: date={result.date} source={result.source!r} byline={result.byline!r} "
            f"paragraphs={len(result.paragraphs)}/{expected['body_paragraph_count']} "
            f"captions={captions_found}/{len(expected['captions'])} "
            f"removed={len(result.removed)} title={result.title!r}"
            + (f"  FAILED: {', '.join(bad)}" if bad else "  ok")
        )
    print(f"checks failed: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
