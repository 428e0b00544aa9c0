"""Benchmark the annotation store: tag write, load-all and file size by store size.

    python benchmarks/store_bench.py [--sizes 100 1000 10000 100000] [--writes 50] [--dir DIR]

For each size, a store file with that many annotated articles is generated (1-3 tags from a
pool of 50, a note on 30%, a span annotation on 5%, starred 10%, read 50%), then:
- tag write: median wall time (and process CPU time) of `AnnotationStore.add_tags` on a
  random article with a new tag, with the store already open (this is what the app does),
  each write a full atomic, fsynced, locked save;
- load all: median time of opening a fresh store and calling `all()` (parse + validate +
  convert to dataclasses);
- file size.
Target (issue 4): tag write under 50 ms median at 10,000 annotated articles.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import AnnotationStore
from store.records import record_line, store_text

TAG_POOL = [f"topic-{i:02d}" for i in range(50)]


def make_record(rng: random.Random, index: int) -> dict[str, object]:
    stamp = f"2026-01-{1 + index % 28:02d}T12:00:00.000Z"
    record: dict[str, object] = {
        "tags": rng.sample(TAG_POOL, rng.randint(1, 3)),
        "note": (
            "Worth following up: the minister's figures do not match the report.\n"
            "See also the earlier piece."
            if rng.random() < 0.3
            else ""
        ),
        "starred": rng.random() < 0.1,
        "read": rng.random() < 0.5,
        "user_date": None,
        "created": stamp,
        "updated": stamp,
        "spans": [],
    }
    if rng.random() < 0.05:
        record["spans"] = [
            {
                "id": f"{index:012x}",
                "start": 120,
                "end": 132,
                "text": "Keir Starmer",
                "kind": "entity",
                "label": "PERSON",
                "note": "speaker, not mentioned",
                "body_fingerprint": "0" * 40,
                "created": stamp,
                "updated": stamp,
                "anchored": True,
            }
        ]
    return record


def write_store(path: Path, size: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    ids = [f"{i:06d}_{rng.getrandbits(64):016x}" for i in range(size)]
    lines = [record_line(aid, make_record(rng, i)) for i, aid in enumerate(sorted(ids))]
    path.write_text(store_text(lines), encoding="utf-8")
    return sorted(ids)


def measure(size: int, writes: int, folder: Path) -> tuple[float, float, float, int]:
    path = folder / f"bench-{size}.json"
    ids = write_store(path, size)
    rng = random.Random(2)
    store = AnnotationStore(path)
    store.all()  # open + first load, as the app does at start
    timings = []
    cpu_timings = []
    for n in range(writes):
        article_id = rng.choice(ids)
        start, cpu_start = time.perf_counter(), time.process_time()
        store.add_tags(article_id, [f"bench-{n}"])
        timings.append(time.perf_counter() - start)
        cpu_timings.append(time.process_time() - cpu_start)
    loads = []
    for _ in range(3 if size < 100_000 else 2):
        start = time.perf_counter()
        fresh = AnnotationStore(path)
        count = len(fresh.all())
        loads.append(time.perf_counter() - start)
        assert count == size
    return (
        statistics.median(timings),
        statistics.median(cpu_timings),
        statistics.median(loads),
        path.stat().st_size,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--writes", type=int, default=50, help="tag writes measured per size")
    parser.add_argument("--dir", type=Path, default=None, help="folder for the store files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"{'articles':>9}  {'tag write median':>16}  {'(cpu)':>9}  {'load all median':>15}  "
            f"{'file size':>9}"
        )
        for size in args.sizes:
            write, cpu, load, file_size = measure(size, args.writes, Path(tmp))
            print(
                f"{size:>9,}  {write * 1000:>13.1f} ms  {cpu * 1000:>6.1f} ms  "
                f"{load * 1000:>12.1f} ms  {file_size / 1e6:>6.2f} MB",
                flush=True,
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
