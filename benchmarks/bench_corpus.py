"""Big-corpus benchmarks for the corpus index (issue 6): index, open, search, memory.

Builds synthetic corpora of 1,000, 10,000 and 100,000 articles from the BBC dataset
(`make_synthetic.py`, under --out, reused when already there) and measures, side by side:

- cold index time and articles/s with every core and with one core;
- warm refresh (nothing changed) and one-file-changed refresh;
- `summaries()` load time and peak RSS in a fresh process, 100,000 articles vs the 5-article
  sample corpus;
- search: median latency of 20 typical queries at the largest size vs `grep -ril`;
- app (if `tui.app.make_app` exists and --app): warm open to an interactive sidebar, time
  per `down` / `pagedown` keypress at 100,000 vs 1,000 rows, and the app's peak RSS.

    python benchmarks/bench_corpus.py --out /tmp/newsreader-bench
    python benchmarks/bench_corpus.py --sizes 1000 --one-core-sizes 1000 --no-app   # quick

Caches live next to the corpora (`<out>/cache-n<size>-<cores>.sqlite`); a cold run deletes
the cache first. Prints one line per measure and a Markdown table at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_synthetic import DEFAULT_BBC, build

from corpus import SAMPLE_DIR
from corpus.index import CODE_DIGEST_ENV, CorpusIndex, _code_digest

QUERIES: list[tuple[str, list[str]]] = [
    # (index query, grep -e patterns that find the same files at best)
    ("profit", ["profit"]),
    ("election", ["election"]),
    ("film", ["film"]),
    ("football", ["football"]),
    ("mobile phone", ["mobile"]),
    ('"prime minister"', ["prime minister"]),
    ("econom*", ["econom"]),
    ("bank OR interest", ["bank", "interest"]),
    ("music NOT award", ["music"]),
    ("Fonseca", ["fonseca"]),
    ('"Maya Okafor"', ["maya okafor"]),
    ("Lisbon", ["lisbon"]),
    ("entity:Takahashi", ["takahashi"]),
    ("speaker:Novak", ["novak"]),
    ('source:"Corpus Herald" budget', ["budget"]),
    ("date:2019-01..2019-03 oil", ["oil"]),
    ("broadband", ["broadband"]),
    ("chelsea", ["chelsea"]),
    ('"stock market"', ["stock market"]),
    ("tax*", ["tax"]),
]

RESULTS: list[tuple[str, str]] = []


def record(name: str, value: str) -> None:
    RESULTS.append((name, value))
    print(f"{name}: {value}", flush=True)


def corpus_dir(out: Path, size: int) -> Path:
    return out / f"n{size}"


def cache_file(out: Path, size: int, cores: str) -> Path:
    return out / f"cache-n{size}-{cores}.sqlite"


def delete_cache(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cold_index(out: Path, size: int, workers: int | None) -> CorpusIndex:
    cores = "all" if workers is None else f"{workers}core"
    cache = cache_file(out, size, cores)
    delete_cache(cache)
    folder = corpus_dir(out, size)
    index = CorpusIndex.for_paths([folder], cache)
    cpu_before = _cpu_seconds()
    report = index.refresh([folder], workers=workers)
    cpu = _cpu_seconds() - cpu_before
    per_core = report.articles_per_second / (workers or os.cpu_count() or 1)
    record(
        f"cold index n={size} workers={workers or os.cpu_count()}",
        f"{report.seconds:.1f} s wall, {report.articles_per_second:.0f} articles/s "
        f"({per_core:.0f}/s per core); {cpu:.0f} CPU-s = {report.articles / cpu:.0f} articles "
        f"per CPU-second; {report.articles} articles, cache {cache.stat().st_size / 1e6:.0f} MB",
    )
    return index


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def warm_refreshes(index: CorpusIndex, folder: Path, size: int) -> None:
    started = time.perf_counter()
    report = index.refresh([folder])
    record(
        f"warm refresh n={size} (nothing changed)",
        f"{time.perf_counter() - started:.2f} s ({report.unchanged} files unchanged)",
    )
    victim = next(folder.glob("d0000/*"))
    original = victim.read_text(encoding="utf-8")
    try:
        victim.write_text(original + "\nA late correction was added.\n", encoding="utf-8")
        started = time.perf_counter()
        report = index.refresh([folder])
        record(
            f"refresh n={size} after one file changed",
            f"{time.perf_counter() - started:.2f} s (changed {report.changed}, "
            f"analysed {report.articles}, re-analysed for boilerplate {report.reanalysed})",
        )
    finally:
        victim.write_text(original, encoding="utf-8")
        index.refresh([folder])


_PEAK_RSS_KB = """
def peak_rss_kb():
    # VmHWM, not ru_maxrss: on Linux ru_maxrss counts the parent's RSS from before exec
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
"""

_SUMMARIES_CHILD = (
    _PEAK_RSS_KB
    + """
import sys, time
from pathlib import Path
start = time.perf_counter()
from corpus.index import CorpusIndex
imported = time.perf_counter()
base = peak_rss_kb()
index = CorpusIndex.for_paths([Path(sys.argv[1])], Path(sys.argv[2]))
rows = index.summaries()
first = rows[0]
done = time.perf_counter()
peak = peak_rss_kb()
print(len(rows), done - imported, imported - start, base, peak)
"""
)


def summaries_in_fresh_process(folder: Path, cache: Path) -> tuple[int, float, float, int, int]:
    result = subprocess.run(
        [sys.executable, "-c", _SUMMARIES_CHILD, str(folder), str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    count, load, imports, base, peak = result.stdout.split()
    return int(count), float(load), float(imports), int(base), int(peak)


def bench_summaries(out: Path, size: int) -> None:
    sample_cache = out / "cache-sample.sqlite"
    sample = CorpusIndex.for_paths([SAMPLE_DIR], sample_cache)
    sample.refresh([SAMPLE_DIR], workers=1)
    sample.close()
    runs = {}
    for label, folder, cache in (
        ("sample (5)", SAMPLE_DIR, sample_cache),
        (f"n={size}", corpus_dir(out, size), cache_file(out, size, "all")),
    ):
        timings = [summaries_in_fresh_process(folder, cache) for _ in range(3)]
        count, _, _, base, peak = timings[-1]
        load = statistics.median(t[1] for t in timings)
        runs[label] = load
        record(
            f"summaries() in a fresh process, {label}",
            f"{load * 1000:.0f} ms for {count} rows (open + load); peak RSS {peak / 1024:.0f} MB "
            f"(+{(peak - base) / 1024:.0f} MB over the imported module)",
        )


def bench_search(index: CorpusIndex, folder: Path, size: int) -> None:
    per_query: list[float] = []
    first_runs: list[float] = []
    counts: list[int] = []
    for query, _ in QUERIES:
        times = []
        for attempt in range(5):
            started = time.perf_counter()
            hits = index.search(query, limit=200)
            times.append(time.perf_counter() - started)
            if attempt == 0:
                first_runs.append(times[0])
                counts.append(len(hits))
        per_query.append(statistics.median(times))
    median = statistics.median(per_query)
    record(
        f"search n={size}, 20 queries (limit 200, with snippets)",
        f"median {median * 1000:.1f} ms, max {max(per_query) * 1000:.1f} ms, "
        f"first-run median {statistics.median(first_runs) * 1000:.1f} ms; hits {counts}",
    )
    grep_times: list[float] = []
    for _, patterns in QUERIES:
        command = ["grep", "-ril", "-F"]
        for pattern in patterns:
            command += ["-e", pattern]
        command.append(str(folder))
        subprocess.run(command, capture_output=True, check=False)  # warm the page cache
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        grep_times.append(time.perf_counter() - started)
    grep_median = statistics.median(grep_times)
    record(
        f"grep -ril n={size}, same 20 queries",
        f"median {grep_median * 1000:.0f} ms (index is {grep_median / median:.0f}x faster)",
    )


_APP_CHILD = (
    _PEAK_RSS_KB
    + """
import asyncio, json, statistics, sys, time
from pathlib import Path
started = float(sys.argv[3])
from tui.app import make_app

async def main():
    app = make_app(paths=[Path(sys.argv[1])], cache_path=Path(sys.argv[2]))
    result = {}
    async with app.run_test(size=(120, 36)) as pilot:
        from tui.widgets.article_list import ArticleList
        article_list = app.query_one(ArticleList)
        while article_list.article_count == 0:
            await asyncio.sleep(0.005)
        await pilot.press("down")
        await pilot.pause()
        result["open"] = time.time() - started
        result["rows"] = article_list.article_count
        for key in ("down", "pagedown"):
            times = []
            for _ in range(30):
                t = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times.append(time.perf_counter() - t)
            result[key] = statistics.median(times)
    result["rss"] = peak_rss_kb()
    print(json.dumps(result))

asyncio.run(main())
"""
)


def bench_app(out: Path, size: int) -> None:
    try:
        import tui.app  # noqa: F401
        from tui.widgets.article_list import ArticleList  # noqa: F401
    except ImportError as error:
        record("app measures", f"not measured (the app is not there: {error})")
        return
    sample_cache = out / "cache-sample.sqlite"
    cases = [("sample (5)", SAMPLE_DIR, sample_cache)]
    for n in sorted({1000, size}):
        if corpus_dir(out, n).exists() and cache_file(out, n, "all").exists():
            cases.append((f"n={n}", corpus_dir(out, n), cache_file(out, n, "all")))
    for label, folder, cache in cases:
        runs = []
        for _ in range(3):
            result = subprocess.run(
                [sys.executable, "-c", _APP_CHILD, str(folder), str(cache), repr(time.time())],
                capture_output=True,
                text=True,
                check=False,
                cwd=Path(__file__).resolve().parent.parent,
                timeout=600,
            )
            if result.returncode != 0:
                record(f"app {label}", f"failed: {result.stderr.strip().splitlines()[-1:]}")
                break
            runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
        if not runs:
            continue
        open_s = statistics.median(r["open"] for r in runs)
        down_ms = statistics.median(r["down"] for r in runs) * 1000
        page_ms = statistics.median(r["pagedown"] for r in runs) * 1000
        rss_mb = max(r["rss"] for r in runs) / 1024
        record(
            f"app {label}",
            f"warm open to interactive sidebar {open_s:.2f} s ({runs[0]['rows']} rows); "
            f"down {down_ms:.1f} ms; pagedown {page_ms:.1f} ms; peak RSS {rss_mb:.0f} MB",
        )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/newsreader-bench"))
    parser.add_argument("--bbc", type=Path, default=DEFAULT_BBC)
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes")
    parser.add_argument(
        "--one-core-sizes", default="1000,10000", help="sizes also indexed with one core"
    )
    parser.add_argument("--reuse", action="store_true", help="keep existing caches (no cold index)")
    parser.add_argument("--no-app", action="store_true", help="skip the app measures")
    parser.add_argument(
        "--app-only", action="store_true", help="only the app measures (caches must exist)"
    )
    args = parser.parse_args(argv)
    # one code digest for the whole run, child processes included: other people editing
    # corpus/ meanwhile must not make the app benchmark rebuild a 100,000-article cache
    os.environ.setdefault(CODE_DIGEST_ENV, _code_digest())
    sizes = [int(s) for s in args.sizes.split(",") if s]
    one_core = [int(s) for s in args.one_core_sizes.split(",") if s]
    print(f"machine: {machine()}")
    print(f"command: python {' '.join(shlex.quote(a) for a in sys.argv)}")
    largest = max(sizes)
    if args.app_only:
        bench_app(args.out, largest)
        print_table()
        return 0
    for size in sizes:
        build(size, corpus_dir(args.out, size), args.bbc)
    indexes: dict[int, CorpusIndex] = {}
    for size in sizes:
        cache = cache_file(args.out, size, "all")
        if args.reuse and cache.exists():
            indexes[size] = CorpusIndex.for_paths([corpus_dir(args.out, size)], cache)
            report = indexes[size].refresh([corpus_dir(args.out, size)])
            record(f"reused cache n={size}", f"refresh analysed {report.articles} articles")
        else:
            indexes[size] = cold_index(args.out, size, None)
        if size in one_core and not args.reuse:
            cold_index(args.out, size, 1).close()
    warm_refreshes(indexes[largest], corpus_dir(args.out, largest), largest)
    bench_summaries(args.out, largest)
    bench_search(indexes[largest], corpus_dir(args.out, largest), largest)
    for index in indexes.values():
        index.close()
    if not args.no_app:
        bench_app(args.out, largest)
    print_table()
    return 0


def print_table() -> None:
    print("\n| measure | result |\n|---|---|")
    for name, value in RESULTS:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    sys.exit(main())
