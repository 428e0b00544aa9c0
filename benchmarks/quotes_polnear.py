"""Quote detection and speaker attribution on PolNeAR (development split).

Usage: python benchmarks/quotes_polnear.py [PATH_TO_POLNEAR_DEV] [--show N]

For every text in `text/`, runs `find_quotes` with the entities of
`corpus.entities.find_entities` (raw text: paragraphs may be separated by single newlines,
which the finder treats as paragraph breaks too) and compares with `direct_quotes.jsonl`
(gold direct quotations: content, source and cue spans, code-point offsets):

- recall: a gold direct quote is found when a predicted quote (of kind "direct" for the
  main figure; any kind for the second) overlaps one of its content spans;
- precision: a predicted direct quote is right when it overlaps a gold direct content span,
  or lies inside the content of any attribution in `attributions/` (quoted fragments inside
  reported speech count as correct);
- speaker: among found gold quotes, the predicted speaker mention overlaps a gold source span
  (sources are not coreference-resolved, so the mention is the nearest governing one).
Also prints speed (words per second of find_quotes alone).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.entities import find_entities
from corpus.model import Quote
from corpus.quotes import find_quotes

Span = tuple[int, int]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _read_attribution_contents(folder: Path) -> dict[str, list[Span]]:
    """doc -> content spans of every attribution (any annotator)."""
    contents: dict[str, list[Span]] = defaultdict(list)
    for path in sorted(folder.glob("*.ann")):
        doc = path.stem.rsplit("_", 1)[0]
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or not parts[1].startswith("Content "):
                continue
            for piece in parts[1][len("Content ") :].split(";"):
                start, end = piece.split()
                contents[doc].append((int(start), int(end)))
    return contents


def bbc_speed_and_sample(folder: Path, sample: int) -> None:
    """Words per second of find_quotes (no entities) on every BBC body, and a sample."""
    import random

    bodies = []
    for path in sorted(folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        _title, _sep, body = text.partition("\n\n")
        bodies.append((path, body.strip()))
    words = sum(len(body.split()) for _path, body in bodies)
    results = []
    t0 = time.process_time()
    for path, body in bodies:
        results.append((path, body, find_quotes(body)))
    seconds = time.process_time() - t0
    quotes = [(path, q) for path, _body, found in results for q in found]
    attributed = sum(q.speaker is not None for _path, q in quotes)
    print(f"BBC: {len(bodies)} articles, {words} words, {len(quotes)} quotes ", end="")
    print(f"({attributed} with a speaker), find_quotes {words / seconds:,.0f} words/s")
    for path, quote in random.Random(7).sample(quotes, min(sample, len(quotes))):
        print(f"  {path.parent.name}/{path.name} [{quote.kind}] {quote.text[:70]!r}")
        print(f"      speaker={quote.speaker!r} cue={quote.cue!r}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="../shared/corpora/polnear-dev")
    parser.add_argument("--show", type=int, default=0, help="print N misses of each kind")
    parser.add_argument(
        "--bbc",
        metavar="DIR",
        help="also time find_quotes on a BBC-style corpus (title line, blank line, body) "
        "and print --sample quotes from it",
    )
    parser.add_argument("--sample", type=int, default=20, help="BBC quotes to print")
    parser.add_argument("--no-entities", action="store_true", help="run with an empty entity list")
    args = parser.parse_args(argv)
    if args.bbc:
        bbc_speed_and_sample(Path(args.bbc), args.sample)
    root = Path(args.path)
    gold: dict[str, list[dict]] = defaultdict(list)
    for line in (root / "direct_quotes.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["doc"]].append(record)
    contents = _read_attribution_contents(root / "attributions")

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "text").glob("*.txt"))}
    predictions: dict[str, list[Quote]] = {}
    words = sum(len(t.split()) for t in texts.values())
    t0 = time.perf_counter()
    entities = {doc: [] if args.no_entities else find_entities(text) for doc, text in texts.items()}
    entity_time = time.perf_counter() - t0
    for doc, text in texts.items():
        predictions[doc] = find_quotes(text, entities[doc])
    # Speed: best of three passes of find_quotes alone, in CPU time of this process (the
    # machine is shared, so wall-clock time would measure the neighbours too).
    quote_time = float("inf")
    for _attempt in range(3):
        t0 = time.process_time()
        for doc, text in texts.items():
            find_quotes(text, entities[doc])
        quote_time = min(quote_time, time.process_time() - t0)

    gold_total = found_direct = found_any = speaker_right = 0
    missed: list[str] = []
    wrong_speaker: list[str] = []
    for doc, records in gold.items():
        quotes = predictions.get(doc, [])
        text = texts[doc]
        for record in records:
            gold_total += 1
            spans = [tuple(s) for s in record["content_spans"]]
            overlapping = [q for q in quotes if any(_overlaps((q.start, q.end), s) for s in spans)]
            direct = [q for q in overlapping if q.kind == "direct"]
            if overlapping:
                found_any += 1
            if not direct:
                missed.append(
                    f"{doc}: {record['content'][:90]!r} kinds={[q.kind for q in overlapping]}"
                )
                continue
            found_direct += 1
            sources = [tuple(s) for s in record["source_spans"]]
            if any(
                q.speaker_start is not None
                and any(_overlaps((q.speaker_start, q.speaker_end or 0), s) for s in sources)
                for q in direct
            ):
                speaker_right += 1
            else:
                q = direct[0]
                said = (
                    text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None
                )
                wrong_speaker.append(
                    f"{doc}: {q.text[:60]!r} predicted={said!r}/{q.speaker!r} "
                    f"gold={record['source']!r}"
                )

    predicted_direct = correct_direct = 0
    wrong_quotes: list[str] = []
    for doc, quotes in predictions.items():
        gold_spans = [tuple(s) for r in gold.get(doc, []) for s in r["content_spans"]]
        allowed = contents.get(doc, [])
        for q in quotes:
            if q.kind != "direct":
                continue
            predicted_direct += 1
            span = (q.start, q.end)
            inner = (q.start + 1, q.end - 1)
            if any(_overlaps(span, s) for s in gold_spans) or any(
                s[0] <= inner[0] and inner[1] <= s[1] for s in allowed
            ):
                correct_direct += 1
            else:
                wrong_quotes.append(f"{doc}: {q.text[:90]!r}")

    recall = found_direct / gold_total
    precision = correct_direct / predicted_direct if predicted_direct else 0.0
    speaker = speaker_right / found_direct if found_direct else 0.0
    print(f"documents: {len(texts)}  words: {words}  gold direct quotes: {gold_total}")
    print(f"recall (predicted direct overlaps gold): {recall:.3f} ({found_direct}/{gold_total})")
    any_recall = found_any / gold_total
    print(
        f"recall (any predicted quote overlaps gold): {any_recall:.3f} ({found_any}/{gold_total})"
    )
    counts = f"({correct_direct}/{predicted_direct})"
    print(f"precision (predicted direct quotes): {precision:.3f} {counts}")
    print(f"speaker mention overlaps gold source: {speaker:.3f} ({speaker_right}/{found_direct})")
    print(
        f"find_quotes speed: {words / quote_time:,.0f} words/s  (find_entities: {entity_time:.2f}s)"
    )
    if args.show:
        for title, items in (
            ("MISSED", missed),
            ("WRONG SPEAKER", wrong_speaker),
            ("NOT GOLD", wrong_quotes),
        ):
            print(f"\n{title} ({len(items)})")
            for item in items[: args.show]:
                print("  " + item)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
