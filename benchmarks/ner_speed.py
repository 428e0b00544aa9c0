"""Speed of `find_entities` in words per second on the BBC corpus bodies, one core.

Usage: .venv/bin/python benchmarks/ner_speed.py [path/to/bbc] [--passes N] [--profile]
       [--weights FILE]

Each BBC file is a title line, a blank line and body paragraphs; the body (paragraphs joined by
a blank line, as in `Article.body`) is what gets analysed. Words are whitespace-separated
tokens. The first pass starts with empty caches in a fresh process (the honest number for a
one-off `newsreader analyze`); later passes show the warm speed. CPU time (process_time) is
reported beside wall time because the benchmark machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.entities import find_entities  # noqa: E402
from corpus.ner_tagger import NameTagger, default_tagger  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "corpora" / "bbc"


def bbc_bodies(folder: Path) -> list[str]:
    """The body of every BBC article under `folder`."""
    bodies = []
    for path in sorted(folder.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        _title, _, rest = text.partition("\n")
        paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
        bodies.append("\n\n".join(paragraphs))
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--weights", type=Path, help="a weights file other than the shipped one")
    args = parser.parse_args()
    load_cpu = time.process_time()
    tagger = (
        NameTagger.from_payload(json.loads(gzip.decompress(args.weights.read_bytes())))
        if args.weights
        else default_tagger()
    )
    load_cpu = time.process_time() - load_cpu
    print(f"weights loaded in {load_cpu:.2f} s CPU (counted in pass 1)")
    bodies = bbc_bodies(args.path)
    words = sum(len(body.split()) for body in bodies)
    print(f"{len(bodies)} articles, {words:,} words")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: [find_entities(body, tagger=tagger) for body in bodies])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        return
    mentions = 0
    for number in range(1, args.passes + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        mentions = sum(len(find_entities(body, tagger=tagger)) for body in bodies)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if number == 1:
            wall, cpu = wall + load_cpu, cpu + load_cpu
        print(
            f"pass {number}: {words / cpu:,.0f} words/s CPU ({cpu:.2f} s), "
            f"{words / wall:,.0f} words/s wall ({wall:.2f} s), {mentions:,} entities"
        )


if __name__ == "__main__":
    main()
