"""Quotes on the five hand-annotated seed articles (gold/seeds.json).

Usage: python benchmarks/quotes_seeds.py [SEEDS_DIR] [GOLD_JSON] [--show]

Bodies: each seed file split into paragraphs (blank lines), without the paragraphs gold lists
as boilerplate, captions or headline (003's header/footer are listed line by line, so a
paragraph is also dropped when all its lines are listed). Entities come from
`corpus.entities.find_entities`. A gold quote is found when a predicted quote has exactly
its text (marks dropped; multi-paragraph parts joined with one space, the reopening marks
dropped, as NOTES.md defines). Reports found, multi-paragraph merged, and among found
quotes the kind, speaker (exact canonical name) and cue (verbatim) accuracy.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.entities import find_entities
from corpus.quote_speakers import RULES_ONLY
from corpus.quotes import find_quotes, quote_inner_text


def seed_body(raw: str, gold: dict) -> str:
    """The gold body of a seed file: its paragraphs minus boilerplate, captions, headline."""
    dropped = {b.strip() for b in gold["boilerplate"]} | {c.strip() for c in gold["captions"]}
    if gold.get("headline"):
        dropped.add(gold["headline"].strip())
    kept = []
    for paragraph in raw.split("\n\n"):
        paragraph = paragraph.strip()
        if not paragraph or paragraph in dropped:
            continue
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        kept_lines = [line for line in lines if line not in dropped]
        if kept_lines:
            kept.append("\n".join(kept_lines) if len(kept_lines) > 1 else kept_lines[0])
    return "\n\n".join(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", default="../shared/seeds")
    parser.add_argument("gold", nargs="?", default="../shared/gold/seeds.json")
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    parser.add_argument("--no-entities", action="store_true", help="run with an empty entity list")
    parser.add_argument("--rules", action="store_true", help="the hand-written speaker rules alone")
    args = parser.parse_args(argv)
    chooser = RULES_ONLY if args.rules else None
    gold_all = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    total = found = multi_total = multi_found = kind_ok = speaker_ok = cue_ok = 0
    extra = 0
    lines: list[str] = []
    for name, gold in gold_all.items():
        body = seed_body((Path(args.seeds) / name).read_text(encoding="utf-8"), gold)
        quotes = find_quotes(body, [] if args.no_entities else find_entities(body), chooser)
        by_text: dict[str, list] = {}
        for quote in quotes:
            closed = quote.text[-1] in '”"»' and len(quote.text) > 1
            by_text.setdefault(quote_inner_text(quote.text, closed), []).append(quote)
        matched = 0
        for record in gold["quotes"]:
            total += 1
            multi_total += record["multi_paragraph"]
            candidates = by_text.get(record["text"])
            if not candidates:
                lines.append(f"{name} MISSING {record['text'][:70]!r}")
                continue
            quote = candidates.pop(0)
            matched += 1
            found += 1
            multi_found += record["multi_paragraph"]
            kind_ok += quote.kind == record["kind"]
            speaker_ok += quote.speaker == record["speaker"]
            cue_ok += quote.cue == record["cue"]
            if quote.kind != record["kind"]:
                lines.append(
                    f"{name} KIND {quote.kind} gold={record['kind']} {record['text'][:60]!r}"
                )
            if quote.speaker != record["speaker"]:
                gold_speaker, text = record["speaker"], record["text"][:50]
                lines.append(f"{name} SPEAKER {quote.speaker!r} gold={gold_speaker!r} {text!r}")
            if quote.cue != record["cue"]:
                lines.append(
                    f"{name} CUE {quote.cue!r} gold={record['cue']!r} {record['text'][:50]!r}"
                )
        extra += len(quotes) - matched
    print(f"gold quotes: {total}  found: {found}/{total} ({found / total:.3f})", end="")
    print(f"  extra predicted: {extra}")
    print(f"multi-paragraph merged: {multi_found}/{multi_total}")
    print(f"kind accuracy: {kind_ok / found:.3f} ({kind_ok}/{found})")
    print(f"speaker accuracy (canonical name): {speaker_ok / found:.3f} ({speaker_ok}/{found})")
    print(f"cue accuracy (verbatim): {cue_ok / found:.3f} ({cue_ok}/{found})")
    if args.show:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
