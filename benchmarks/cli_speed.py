"""The command line beside the Unix tools (issue 13): start-up, and search vs grep and rg.

Every figure is the median of repeated runs of the real `newsreader` script in a fresh
process (hyperfine's way: warm-up runs first, so the page cache is warm), side by side in
one run:

- start-up: `python -c pass`, `newsreader --version`, `--help`, `tags`, `tag ID T`,
  `note ID` (a full id already in the store: the corpus is not read);
- per corpus size: `newsreader search Q PATH` (with its freshness check),
  `--no-refresh`, `--json`, and the same search printing to a terminal (a pty: Rich draws
  it), against `grep -ril Q PATH` and `rg -il Q PATH`, over a few one-word queries;
- search after one file changed (the refresh of one file at that size);
- where the time of one search goes, in a fresh process: imports, the folders' signature,
  opening the index, the freshness and store checks, the ranking, cutting snippets and
  printing.

    apt-get install -y ripgrep          # for the rg column (skipped if rg is missing)
    python benchmarks/make_synthetic.py 100000 --out /tmp/newsreader-bench/n100000
    python benchmarks/cli_speed.py --out /tmp/newsreader-bench --sizes 10000 100000

Corpora are `<out>/n<size>` (made with `make_synthetic.py` when missing); the index is the
default one (`XDG_CACHE_HOME=<out>/cache-home`), built with `newsreader index` when missing
(minutes at 100,000). The runs pin the index's code digest (`NEWSREADER_INDEX_CODE_DIGEST`:
others edit `corpus/` meanwhile, which would make the cache stale) and keep a bytecode
cache (`PYTHONPYCACHEPREFIX=<out>/pycache`, with `PYTHONDONTWRITEBYTECODE` unset): an
installed package has one, and without it every start-up compiles every module.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

QUERIES = ["storm", "election", "football", "lisbon", "fonseca"]
SAMPLE_ID = "27415430c2fae0bd"  # an article of the sample corpus: `tag` and `note` use it

PHASES = r"""
import os, sys, time
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
from pathlib import Path
import tui.cli, tui.cli_index
from tui.cli_common import read_annotations, store_path
from tui.cli_index import hit_tsv, store_stamp
from corpus.index import CorpusIndex
from corpus.index_freshness import tree_signature
mark("imports")
paths = [Path(sys.argv[2])]
store = store_path(None)
signature = tree_signature(paths)
mark("signature")
index = CorpusIndex.for_paths(paths)
mark("open")
current = index.is_current(paths, signature)
mark("is_current")
stamp = store_stamp(store)
annotations = None if index.annotations_source() == stamp else read_annotations(store)
mark("store")
hits = index.iter_search(sys.argv[1], limit=20, annotations=annotations, annotations_source=stamp)
mark("rank")
with open(os.devnull, "w") as out:
    for number, hit in enumerate(hits, start=1):
        summary = index.summary(hit.article_id)
        out.write(hit_tsv(hit, summary) + "\n")  # what a pipe gets
mark("snippets+print")
index.close()
assert current, "the index was not current: run the search once first"
print(" ".join(f"{b[0]}={1000 * (b[1] - a[1]):.2f}" for a, b in zip(marks, marks[1:])))
"""


def bench_env(out: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env.pop("FORCE_COLOR", None)
    env.update(
        XDG_CACHE_HOME=str(out / "cache-home"),
        NEWSREADER_DB=str(out / "store.json"),
        NEWSREADER_INDEX_CODE_DIGEST="bench13",
        PYTHONPYCACHEPREFIX=str(out / "pycache"),
        PYTHONPATH=str(ROOT),
        COLUMNS="120",
    )
    return env


def time_runs(command: list[str], env: dict[str, str], runs: int, warmup: int = 3) -> list[float]:
    """Wall-clock seconds of `runs` runs after `warmup` runs, output to /dev/null."""
    times: list[float] = []
    for number in range(warmup + runs):
        started = time.perf_counter()
        done = subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
        if number >= warmup:
            times.append(elapsed)
    return times


def time_runs_on_a_terminal(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    """As `time_runs`, with stdout a pseudo-terminal (what a user at a shell sees)."""
    times: list[float] = []
    for number in range(3 + runs):
        leader, follower = pty.openpty()
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=follower, stderr=subprocess.DEVNULL)
        os.close(follower)
        while True:  # drain the terminal so the command never blocks on it
            try:
                if not os.read(leader, 65536):
                    break
            except OSError:
                break
        process.wait()
        elapsed = time.perf_counter() - started
        os.close(leader)
        if number >= 3:
            times.append(elapsed)
    return times


def ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


ROWS: list[dict[str, object]] = []


def record(group: str, name: str, times: list[float], note: str = "") -> float:
    median = ms(times)
    ROWS.append(
        {
            "group": group,
            "name": name,
            "median_ms": round(median, 1),
            "min_ms": round(min(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "runs": len(times),
            "note": note,
        }
    )
    print(f"{group:>8}  {name:<44} {median:8.1f} ms  (min {min(times) * 1000:.1f})", flush=True)
    return median


def newsreader() -> str:
    script = Path(sys.executable).with_name("newsreader")
    return str(script) if script.exists() else shutil.which("newsreader") or "newsreader"


def ensure_corpus(out: Path, size: int) -> Path:
    folder = out / f"n{size}"
    if not folder.exists():
        from make_synthetic import DEFAULT_BBC, build

        build(size, folder, DEFAULT_BBC, seed=6)
    return folder


def ensure_index(folder: Path, env: dict[str, str]) -> None:
    """Build the default index when missing, then bring it current (stores its manifest)."""
    command = [newsreader(), "search", "zzzznothing", str(folder)]
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
    print(f"  (index of {folder} current after {time.perf_counter() - started:.1f} s)")


def bench_startup(env: dict[str, str], runs: int) -> None:
    nr = newsreader()
    subprocess.run([nr, "tag", SAMPLE_ID, "bench"], env=env, capture_output=True, check=True)
    record("start-up", "python -c pass", time_runs([sys.executable, "-c", "pass"], env, runs))
    for argv in (
        ["--version"],
        ["--help"],
        ["tags"],
        ["tag", SAMPLE_ID, "bench"],
        ["note", SAMPLE_ID],
    ):
        record("start-up", "newsreader " + " ".join(argv), time_runs([nr, *argv], env, runs))


def bench_search(folder: Path, size: int, env: dict[str, str], runs: int) -> None:
    nr = newsreader()
    group = f"{size:,}"
    columns: dict[str, list[float]] = {}
    for query in QUERIES:
        for label, command in (
            ("search", [nr, "search", query, str(folder)]),
            ("search --no-refresh", [nr, "search", query, str(folder), "--no-refresh"]),
            ("search --json", [nr, "search", query, str(folder), "--json"]),
            ("grep -ril", ["grep", "-ril", query, str(folder)]),
            ("rg -il", ["rg", "-il", query, str(folder)]),
        ):
            if command[0] == "rg" and shutil.which("rg") is None:
                continue
            times = time_runs(command, env, runs)
            columns.setdefault(label, []).append(statistics.median(times))
            record(group, f"{label} {query}", times)
    for label, medians in columns.items():
        record(group, f"{label}: median over {len(QUERIES)} queries", medians)
    terminal = time_runs_on_a_terminal([nr, "search", QUERIES[0], str(folder)], env, runs)
    record(group, f"search {QUERIES[0]} to a terminal (Rich)", terminal)


def bench_one_change(folder: Path, size: int, env: dict[str, str], runs: int) -> None:
    """A search right after one file changed: the signature differs, one file is indexed."""
    nr = newsreader()
    victim = sorted(sorted(folder.iterdir())[-1].iterdir())[0]
    original = victim.read_bytes()
    times: list[float] = []
    try:
        for number in range(runs):
            victim.write_bytes(original + f"\n\nA late line, number {number}.\n".encode())
            started = time.perf_counter()
            subprocess.run(
                [nr, "search", QUERIES[0], str(folder)], env=env, capture_output=True, check=False
            )
            times.append(time.perf_counter() - started)
    finally:
        victim.write_bytes(original)
        subprocess.run([nr, "search", QUERIES[0], str(folder)], env=env, capture_output=True)
    record(f"{size:,}", "search after one file changed", times)


def bench_phases(folder: Path, size: int, env: dict[str, str], runs: int) -> None:
    phases: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", PHASES, QUERIES[0], str(folder)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for part in done.stdout.split():
            name, value = part.split("=")
            phases.setdefault(name, []).append(float(value) / 1000)
    for name, times in phases.items():
        record(f"{size:,}", f"phase: {name}", times, "in-process, after interpreter start")


def machine() -> str:
    load = os.getloadavg()
    rg = subprocess.run(["rg", "--version"], capture_output=True, text=True, check=False)
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{(rg.stdout.splitlines() or ['rg missing'])[0]}"
    )


def print_table() -> None:
    print("\n| group | command | median ms | min ms | max ms | runs |")
    print("|---|---|---|---|---|---|")
    for row in ROWS:
        print(
            f"| {row['group']} | `{row['name']}` | {row['median_ms']} | {row['min_ms']} "
            f"| {row['max_ms']} | {row['runs']} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/newsreader-bench"))
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.out)
    print(f"machine: {machine()}", flush=True)
    started = time.strftime("%H:%M:%S UTC", time.gmtime())
    if not args.skip_startup:
        bench_startup(env, args.runs)
    for size in args.sizes:
        folder = ensure_corpus(args.out, size)
        ensure_index(folder, env)
        bench_search(folder, size, env, args.runs)
        bench_one_change(folder, size, env, max(5, args.runs // 3))
        bench_phases(folder, size, env, args.runs)
    print(f"ran {started} - {time.strftime('%H:%M:%S UTC', time.gmtime())}; {machine()}")
    print_table()
    (args.out / "cli_speed.json").write_text(json.dumps(ROWS, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
