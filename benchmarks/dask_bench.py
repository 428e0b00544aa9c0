"""`newsreader index` on a local process pool against `--engine dask` on a LocalCluster.

For each corpus size: a cold index build (a fresh cache) with `--workers N` (the local
pool) and with `--engine dask --workers N` (a LocalCluster of N single-threaded worker
processes, started by the command), each run `--runs` times, interleaved; the median wall
time of the whole command, the overhead of Dask over the local pool, and the per-article
cost in core-seconds (wall time x cores / articles), from which the time of a bigger
corpus on more cores follows.

    python benchmarks/make_synthetic.py 10000 --out /tmp/newsreader-bench/n10000
    python benchmarks/dask_bench.py /tmp/newsreader-bench/n10000 --workers 2 --runs 2

Caches go under --out (default /tmp/newsreader-dask-bench); nothing here is shipped.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ANALYSED = re.compile(r"(\d+) articles analysed in ([\d.]+) s")


def build(corpus: Path, cache: Path, workers: int, engine: str) -> tuple[float, int, float]:
    """One cold build: (wall seconds, articles analysed, the refresh's own seconds)."""
    if cache.exists():
        cache.unlink()
    command = [
        sys.executable,
        "-m",
        "tui.cli",
        "index",
        str(corpus),
        "--workers",
        str(workers),
        "--cache",
        str(cache),
        "--engine",
        engine,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    found = ANALYSED.search(result.stdout)
    if found is None:
        raise SystemExit(f"unexpected output: {result.stdout!r} {result.stderr[-500:]!r}")
    return wall, int(found.group(1)), float(found.group(2))


def cluster_start_seconds(workers: int) -> float:
    """How long a LocalCluster of `workers` processes and its client take to start and stop."""
    code = (
        "import time; t = time.perf_counter(); from corpus.distributed import DaskEngine\n"
        f"e = DaskEngine(workers={workers}); e.worker_count(); e.close()\n"
        "print(time.perf_counter() - t)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="corpus folders")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/newsreader-dask-bench"))
    parser.add_argument("--target", type=int, default=10_000_000, help="articles to project")
    parser.add_argument("--target-cores", type=int, default=32)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.chdir(Path(__file__).resolve().parent.parent)
    print(
        f"LocalCluster start+stop ({args.workers} workers): "
        f"{cluster_start_seconds(args.workers):.2f} s"
    )
    for corpus in args.corpora:
        times: dict[str, list[tuple[float, int, float]]] = {"local": [], "dask": []}
        for _ in range(args.runs):
            for engine in ("local", "dask"):
                times[engine].append(
                    build(corpus, args.out / f"{engine}.sqlite", args.workers, engine)
                )
        local = statistics.median(t[0] for t in times["local"])
        dask = statistics.median(t[0] for t in times["dask"])
        articles = times["local"][0][1]
        print(f"\n{corpus}: {articles} articles, {args.workers} workers, {args.runs} run(s)")
        for engine, wall in (("local", local), ("dask", dask)):
            refresh = statistics.median(t[2] for t in times[engine])
            cost = wall * args.workers / articles
            print(
                f"  {engine:5}: {wall:7.1f} s wall (refresh {refresh:.1f} s), "
                f"{articles / wall:6.0f} articles/s, {cost * 1000:.2f} ms a core per article"
            )
        print(f"  dask overhead: {(dask / local - 1) * 100:+.1f}%")
        cost = dask * args.workers / articles
        hours = cost * args.target / args.target_cores / 3600
        print(
            f"  {args.target:,} articles on {args.target_cores} cores at this cost: "
            f"{cost * 1000:.2f} ms x {args.target:,} / {args.target_cores} = {hours:.1f} h"
        )
        shutil.rmtree(args.out / "scratch", ignore_errors=True)


if __name__ == "__main__":
    main()
