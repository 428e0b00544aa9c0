"""Is analysis linear in the article length? Times per step on 0.25, 0.5 and 1 MB articles.

Usage: python benchmarks/scaling.py [BBC_DIR] [--sizes 0.25,0.5,1] [--repeat N]
       [--inputs prose,one-line,straight-marks,curly-marks] [--steps clean,entities,quotes]
(default BBC_DIR: ../shared/corpora/bbc, relative to the project root).

A scraped "article" can be any size: a page of a forum thread, a log file saved as .txt, a
paragraph of a million quotation marks. For each input kind and size this prints the time
of `clean_document`, `find_entities` and `find_quotes` (with the entities found) and the
time ratio to the previous size: about 2.0 per doubling is linear, about 4.0 quadratic.

Inputs (made of BBC article paragraphs, repeated until the size is reached):
    prose           paragraphs separated by blank lines, as an article is;
    one-line        the same words on one line (no paragraph breaks at all);
    straight-marks  one paragraph of ASCII quotation marks (") only;
    curly-marks     one paragraph of opening curly quotation marks (U+201C) only.
Sizes are in millions of characters. Each row is the run with the least CPU time of
`--repeat` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.clean import clean_document  # noqa: E402
from corpus.entities import find_entities  # noqa: E402
from corpus.model import Document, Entity  # noqa: E402
from corpus.quotes import find_quotes  # noqa: E402
from corpus.reader import read_paths  # noqa: E402

INPUT_KINDS = ("prose", "one-line", "straight-marks", "curly-marks")
STEPS = ("clean", "entities", "quotes")


def bbc_paragraphs(corpus: Path) -> list[str]:
    """The body paragraphs (title line dropped) of every BBC article, in file order."""
    paragraphs: list[str] = []
    for document in read_paths([corpus]).documents:
        blocks = [b.strip() for b in document.text.split("\n\n") if b.strip()]
        paragraphs.extend(blocks[1:])
    if not paragraphs:
        raise SystemExit(f"no BBC articles under {corpus}")
    return paragraphs


def make_input(kind: str, chars: int, paragraphs: list[str]) -> str:
    """A synthetic article of exactly `chars` characters."""
    if kind == "straight-marks":
        return '"' * chars
    if kind == "curly-marks":
        return "\u201c" * chars
    separator = "\n\n" if kind == "prose" else " "
    parts: list[str] = []
    total = 0
    index = 0
    while total < chars:
        paragraph = paragraphs[index % len(paragraphs)]
        parts.append(paragraph)
        total += len(paragraph) + len(separator)
        index += 1
    return separator.join(parts)[:chars].rstrip()


def best_time(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of the run with the least CPU time."""
    best = (float("inf"), float("inf"))
    result: object = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        measured = (time.perf_counter() - wall, time.process_time() - cpu)
        best = min(best, measured, key=lambda pair: pair[1])
    return best[0], best[1], result


def time_step(
    step: str, document: Document, entities: list[Entity], repeat: int
) -> tuple[float, float, str, list[Entity]]:
    """(wall s, CPU s) of one step on `document`, what it found, the entities (for quotes)."""
    text = document.text
    if step == "clean":
        wall, cpu, cleaned = best_time(partial(clean_document, document), repeat)
        return wall, cpu, f"{len(getattr(cleaned, 'paragraphs', ()))} paragraphs", entities
    if step == "entities":
        wall, cpu, found = best_time(partial(find_entities, text), repeat)
        entities = list(found)  # type: ignore[call-overload]
        return wall, cpu, f"{len(entities)} entities", entities
    wall, cpu, quotes = best_time(partial(find_quotes, text, entities), repeat)
    return wall, cpu, f"{len(quotes)} quotes", entities  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpora/bbc"))
    parser.add_argument("--sizes", default="0.25,0.5,1", help="millions of characters")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per step")
    parser.add_argument("--inputs", default=",".join(INPUT_KINDS), help="input kinds")
    parser.add_argument("--steps", default=",".join(STEPS), help="steps to time")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    kinds = [k for k in args.inputs.split(",") if k]
    steps = [s for s in args.steps.split(",") if s]
    unknown = (set(kinds) - set(INPUT_KINDS)) | (set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown input or step: {', '.join(sorted(unknown))}")
    paragraphs = bbc_paragraphs(Path(args.corpus))

    row = "{:<15} {:>7} {:<9} {:>7} {:>7} {:>6}  {}"
    print(row.format("input", "size MB", "step", "wall s", "CPU s", "ratio", "found"))
    for kind in kinds:
        previous: dict[str, float] = {}
        for size in sizes:
            text = make_input(kind, int(size * 1_000_000), paragraphs)
            document = Document(id="scaling", path="scaling.txt", text=text)
            entities: list[Entity] = []
            for step in steps:
                wall, cpu, found, entities = time_step(step, document, entities, args.repeat)
                ratio = f"{cpu / previous[step]:.2f}" if previous.get(step) else "-"
                previous[step] = cpu
                times = (f"{wall:.2f}", f"{cpu:.2f}")
                print(row.format(kind, f"{size:.2f}", step, *times, ratio, found))
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
