"""Driving the app without a terminal: the tests, the screenshot script and the benchmarks.

`settle` waits until the app's workers (loading, opening, search, store writes) are done and
the messages they posted have been handled, so what is asserted or captured is what a person
would see once the app is idle.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[object], rounds: int = 20) -> None:
    """Let workers finish and their messages arrive (at most `rounds` waits)."""
    for _ in range(rounds):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one
            continue
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return
