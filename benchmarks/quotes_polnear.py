"""Quote detection and speaker attribution on PolNeAR (development split).

Usage: python benchmarks/quotes_polnear.py [PATH_TO_POLNEAR_DEV] [--part all|tune|report]
       [--rules] [--show N]

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

`--part` splits the development set for the learned speaker choice: the documents of `text/`
sorted by name, even positions (0, 2, 4, ...) are "tune" (features and epochs were chosen
on them), odd positions are "report" (untouched); "all" is the whole set. `--rules` attributes
with the hand-written rules alone (`corpus.quote_speakers.RULES_ONLY`) for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.entities import find_entities
from corpus.model import Entity
from corpus.quote_model import SpeakerChooser
from corpus.quote_speakers import RULES_ONLY
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


PARTS = ("all", "tune", "report")


def part_documents(text_folder: Path, part: str) -> list[Path]:
    """The texts of one part of a PolNeAR split (see the module docstring)."""
    paths = sorted(text_folder.glob("*.txt"))
    if part == "tune":
        return paths[0::2]
    if part == "report":
        return paths[1::2]
    return paths


def read_gold(root: Path) -> dict[str, list[dict]]:
    """doc -> its gold direct quotation records (direct_quotes.jsonl)."""
    gold: dict[str, list[dict]] = defaultdict(list)
    for line in (root / "direct_quotes.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["doc"]].append(record)
    return gold


@dataclass
class Scores:
    """Counts of one evaluation run, and the misses for --show."""

    documents: int = 0
    words: int = 0
    gold_total: int = 0
    found_direct: int = 0
    found_any: int = 0
    speaker_right: int = 0
    predicted_direct: int = 0
    correct_direct: int = 0
    quote_seconds: float = 0.0
    missed: list[str] = field(default_factory=list)
    wrong_speaker: list[str] = field(default_factory=list)
    wrong_quotes: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_direct / self.gold_total if self.gold_total else 0.0

    @property
    def precision(self) -> float:
        return self.correct_direct / self.predicted_direct if self.predicted_direct else 0.0

    @property
    def speaker(self) -> float:
        return self.speaker_right / self.found_direct if self.found_direct else 0.0


def evaluate(
    root: Path,
    part: str = "all",
    chooser: SpeakerChooser | None = None,
    entities: dict[str, list[Entity]] | None = None,
    timing: bool = False,
    no_entities: bool = False,
    only: Collection[str] | None = None,
) -> Scores:
    """Score find_quotes on one part of a PolNeAR split (`entities`: a cache, filled in;
    `only`: restrict to these document names)."""
    gold = read_gold(root)
    contents = _read_attribution_contents(root / "attributions")
    texts = {
        p.stem: p.read_text(encoding="utf-8")
        for p in part_documents(root / "text", part)
        if only is None or p.stem in only
    }
    if entities is None:
        entities = {}
    for doc, text in texts.items():
        if doc not in entities:
            entities[doc] = [] if no_entities else find_entities(text)
    scores = Scores(documents=len(texts), words=sum(len(t.split()) for t in texts.values()))
    predictions = {doc: find_quotes(text, entities[doc], chooser) for doc, text in texts.items()}
    if timing:
        # Speed: best of three passes of find_quotes alone, in CPU time of this process (the
        # machine is shared, so wall-clock time would measure the neighbours too).
        quote_time = float("inf")
        for _attempt in range(3):
            t0 = time.process_time()
            for doc, text in texts.items():
                find_quotes(text, entities[doc], chooser)
            quote_time = min(quote_time, time.process_time() - t0)
        scores.quote_seconds = quote_time

    for doc in texts:
        quotes = predictions.get(doc, [])
        text = texts[doc]
        for record in gold.get(doc, []):
            scores.gold_total += 1
            spans = [tuple(s) for s in record["content_spans"]]
            overlapping = [q for q in quotes if any(_overlaps((q.start, q.end), s) for s in spans)]
            direct = [q for q in overlapping if q.kind == "direct"]
            if overlapping:
                scores.found_any += 1
            if not direct:
                scores.missed.append(
                    f"{doc}: {record['content'][:90]!r} kinds={[q.kind for q in overlapping]}"
                )
                continue
            scores.found_direct += 1
            sources = [tuple(s) for s in record["source_spans"] or []]
            if any(
                q.speaker_start is not None
                and any(_overlaps((q.speaker_start, q.speaker_end or 0), s) for s in sources)
                for q in direct
            ):
                scores.speaker_right += 1
            else:
                q = direct[0]
                said = (
                    text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None
                )
                scores.wrong_speaker.append(
                    f"{doc}: {q.text[:60]!r} predicted={said!r}/{q.speaker!r} "
                    f"gold={record['source']!r}"
                )

    for doc, quotes in predictions.items():
        gold_spans = [tuple(s) for r in gold.get(doc, []) for s in r["content_spans"]]
        allowed = contents.get(doc, [])
        for q in quotes:
            if q.kind != "direct":
                continue
            scores.predicted_direct += 1
            span = (q.start, q.end)
            inner = (q.start + 1, q.end - 1)
            if any(_overlaps(span, s) for s in gold_spans) or any(
                s[0] <= inner[0] and inner[1] <= s[1] for s in allowed
            ):
                scores.correct_direct += 1
            else:
                scores.wrong_quotes.append(f"{doc}: {q.text[:90]!r}")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="../shared/corpora/polnear-dev")
    parser.add_argument("--part", choices=PARTS, default="all", help="which documents to score")
    parser.add_argument("--rules", action="store_true", help="the hand-written rules alone")
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
    t0 = time.perf_counter()
    entities: dict[str, list[Entity]] = {}
    scores = evaluate(
        Path(args.path),
        args.part,
        RULES_ONLY if args.rules else None,
        entities,
        timing=True,
        no_entities=args.no_entities,
    )
    print(f"part: {args.part}  speaker choice: {'rules' if args.rules else 'learned model'}")
    print(
        f"documents: {scores.documents}  words: {scores.words}  "
        f"gold direct quotes: {scores.gold_total}"
    )
    print(
        f"recall (predicted direct overlaps gold): {scores.recall:.3f} "
        f"({scores.found_direct}/{scores.gold_total})"
    )
    any_recall = scores.found_any / scores.gold_total if scores.gold_total else 0.0
    print(
        f"recall (any predicted quote overlaps gold): {any_recall:.3f} "
        f"({scores.found_any}/{scores.gold_total})"
    )
    counts = f"({scores.correct_direct}/{scores.predicted_direct})"
    print(f"precision (predicted direct quotes): {scores.precision:.3f} {counts}")
    print(
        f"speaker mention overlaps gold source: {scores.speaker:.3f} "
        f"({scores.speaker_right}/{scores.found_direct})"
    )
    speed = scores.words / scores.quote_seconds if scores.quote_seconds else 0.0
    print(
        f"find_quotes speed: {speed:,.0f} words/s  "
        f"(whole run with entities: {time.perf_counter() - t0:.2f}s)"
    )
    if args.show:
        for title, items in (
            ("MISSED", scores.missed),
            ("WRONG SPEAKER", scores.wrong_speaker),
            ("NOT GOLD", scores.wrong_quotes),
        ):
            print(f"\n{title} ({len(items)})")
            for item in items[: args.show]:
                print("  " + item)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
