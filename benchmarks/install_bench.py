"""What installing newsreader costs (issue 17): time and disk per extra, and the first start.

The project is exported with `git archive HEAD` (what is committed, not the edits in the
work tree) and installed with `pip install <export>[extra]` into fresh virtual environments
under a temporary folder, with a pip cache of its own there:

- each install runs twice, each time in a new venv: the first fills the cache (downloads,
  and is shown for reference), the second is the figure reported ("cache warm": pip still
  asks the index which versions exist, and builds the project's own wheel every time);
- size: `du -sk` of the venv minus `du -sk` of an empty venv made the same way (pip and
  setuptools of the empty venv are not counted);
- `newsreader --version` in the new venv: its first run, then the median of 5 more;
- a last row installs the base from a wheel built beforehand (`pip wheel --no-deps`), as a
  user installing from a package index would: the difference is the cost of building ours.

    python benchmarks/install_bench.py [--extras "" html spacy dask] [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Install:
    """One timed `pip install` into a fresh venv."""

    seconds: float
    cpu_seconds: float
    venv: Path


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def du_kib(path: Path) -> int:
    return int(run(["du", "-sk", str(path)]).stdout.split()[0])


def make_venv(python: str, path: Path) -> None:
    run([python, "-m", "venv", str(path)])


def pip_install(python: str, venv: Path, target: str, env: dict[str, str]) -> Install:
    make_venv(python, venv)
    cpu = children_cpu()
    start = time.perf_counter()
    run([str(venv / "bin/pip"), "install", "--no-input", target], env=env)
    seconds = time.perf_counter() - start
    return Install(seconds, children_cpu() - cpu, venv)


def version_times(venv: Path, env: dict[str, str], repeats: int) -> tuple[float, float, str]:
    """`newsreader --version`: the first run's seconds, the median of `repeats` more, output."""
    command = [str(venv / "bin/newsreader"), "--version"]
    times = []
    output = ""
    for _ in range(repeats + 1):
        start = time.perf_counter()
        output = run(command, env=env).stdout.strip()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:]), output


def distributions(venv: Path) -> list[str]:
    listing = run([str(venv / "bin/python"), "-m", "pip", "list", "--format=freeze"]).stdout
    return [line.split("==")[0].lower() for line in listing.splitlines() if line]


def site_packages(venv: Path) -> Path:
    (site,) = (venv / "lib").glob("python*/site-packages")
    return site


def largest_packages(venv: Path, empty: Path, count: int) -> list[tuple[str, int]]:
    """The `count` largest top-level entries of site-packages not in `empty`'s, in KiB."""
    present = {entry.name for entry in site_packages(empty).iterdir()}
    sizes = [
        (entry.name, du_kib(entry))
        for entry in site_packages(venv).iterdir()
        if entry.name not in present
    ]
    return sorted(sizes, key=lambda item: -item[1])[:count]


def build_wheel(venv: Path, source: Path, folder: Path, env: dict[str, str]) -> Path:
    """The project's wheel, built from `source` by `venv`'s pip into `folder`."""
    run([str(venv / "bin/pip"), "wheel", "--no-deps", "-w", str(folder), str(source)], env=env)
    (wheel,) = folder.glob("*.whl")
    return wheel


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", nargs="*", default=["", "html", "spacy", "dask"])
    parser.add_argument("--python", default=sys.executable, help="makes the venvs")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsreader-install-"))
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip()
    source = work / "src"
    source.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env["PIP_CACHE_DIR"] = str(work / "pip-cache")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = str(work / name.lower())  # `newsreader` must not touch this machine's

    make_venv(args.python, work / "empty")
    empty_kib = du_kib(work / "empty")
    empty_dists = set(distributions(work / "empty"))
    pip_version = run([str(work / "empty/bin/pip"), "--version"]).stdout.split()[1]
    python_version = run([args.python, "--version"]).stdout.strip()
    print(
        f"commit {commit}; {python_version}; pip {pip_version} (the venv's own); "
        f"empty venv {empty_kib / 1024:.1f} MiB; load average at start: {load()}"
    )
    print(f"temporary folder: {work}\n")

    rows = []
    for extra in [*args.extras, None]:
        if extra is None:  # last, so the build's own downloads do not warm the cache before
            target = str(build_wheel(work / "empty", source, work / "wheel", env))
            label, name = f"{Path(target).name} (base, prebuilt)", "wheel"
        else:
            target = f"{source}[{extra}]" if extra else str(source)
            label, name = (f".[{extra}]" if extra else ". (base)"), extra or "base"
        first = pip_install(args.python, work / f"{name}-1", target, env)
        shutil.rmtree(first.venv)
        second = pip_install(args.python, work / f"{name}-2", target, env)
        size_mib = (du_kib(second.venv) - empty_kib) / 1024
        added = sorted(set(distributions(second.venv)) - empty_dists)
        first_run, warm_run, version = version_times(second.venv, env, args.repeats)
        rows.append((label, first, second, size_mib, added, first_run, warm_run, version))
        print(
            f"{label}: install {first.seconds:.1f} s then {second.seconds:.1f} s, "
            f"{size_mib:.1f} MiB, {len(added)} distributions, --version {first_run * 1000:.0f} "
            f"ms first ({version}); load {load()}",
            flush=True,
        )
        print(
            "  largest: "
            + ", ".join(
                f"{entry} {kib / 1024:.1f}"
                for entry, kib in largest_packages(second.venv, work / "empty", 6)
            )
            + " (MiB)",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(second.venv)

    print(
        "\n| install | time, cache warm (s) | CPU (s) | first install, cache empty (s) "
        "| venv size minus empty venv (MiB) | distributions added | `newsreader --version`: "
        "first run / warm median (ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, first, second, size_mib, added, first_run, warm_run, _ in rows:
        print(
            f"| `pip install {label}` | {second.seconds:.1f} | {second.cpu_seconds:.1f} "
            f"| {first.seconds:.1f} | {size_mib:.1f} | {len(added)} "
            f"| {first_run * 1000:.0f} / {warm_run * 1000:.0f} |"
        )
    print(f"\nload average at end: {load()}")
    for label, _, _, _, added, *_ in rows:
        print(f"- {label}: {', '.join(added)}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
