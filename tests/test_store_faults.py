"""The store under SIGKILL and under concurrent writers (issue 7, "The store under faults").

A crash test: a child process writes tags and reports each one after the call returns; the
parent kills it with SIGKILL at random moments, 20 rounds; after every kill the file parses
and holds every reported write. A concurrency test: two processes write 500 different tags
each to one file at the same time; all 1,000 are there afterwards.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from store import AnnotationStore

ROOT = Path(__file__).resolve().parent.parent
WRITER = Path(__file__).parent / "fixtures" / "store" / "tag_writer.py"


def start_writer(
    db: Path, prefix: str, count: int, articles: int, wait: bool = False
) -> subprocess.Popen[str]:
    args = [sys.executable, str(WRITER), str(db), prefix, str(count), str(articles)]
    process = subprocess.Popen(
        args + (["--wait"] if wait else []),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def stored_tags(db: Path) -> set[str]:
    json.loads(db.read_text())  # the file itself parses as JSON
    return {tag for ann in AnnotationStore(db).all().values() for tag in ann.tags}


def test_sigkill_at_random_moments_never_loses_a_reported_write(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    rng = random.Random(7)
    confirmed: set[str] = set()
    kills_mid_run = 0
    for round_number in range(20):
        process = start_writer(db, f"r{round_number}-", 1000, 40)
        time.sleep(rng.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        output, _ = process.communicate(timeout=60)
        done = {line.split()[1] for line in output.splitlines() if line.startswith("done ")}
        kills_mid_run += process.returncode == -signal.SIGKILL and len(done) < 1000
        confirmed |= done
        on_disk = stored_tags(db)
        missing = confirmed - on_disk
        assert not missing, f"round {round_number}: lost {sorted(missing)[:5]}"
    assert kills_mid_run == 20  # every kill landed while the child was still writing
    assert len(confirmed) > 20


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    writers = [start_writer(db, prefix, 500, 3, wait=True) for prefix in ("p", "q")]
    for process in writers:  # release both at once
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in writers:
        process.communicate(timeout=300)
        assert process.returncode == 0
    expected = {f"p{i}" for i in range(500)} | {f"q{i}" for i in range(500)}
    assert stored_tags(db) == expected
    # the same three articles took writes from both processes
    assert all(len(ann.tags) > 300 for ann in AnnotationStore(db).all().values())
