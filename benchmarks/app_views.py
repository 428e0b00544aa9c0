"""How long the corpus-wide views take to open in the app: `p`, `w` and `l` on a real corpus.

    python benchmarks/app_views.py PATH [CACHE]      (e.g. ../shared/corpora/bbc)

The app as `newsreader PATH` builds it (`make_app`, the corpus index at CACHE or in a
temporary folder), headless at 120x36 under Textual's Pilot. The corpus is loaded first (a
cold index is built and not timed); then each key is pressed three times and the seconds from
the key to the view on screen are printed (the median), with the view's size.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tui.app import make_app
from tui.config import AppConfig
from tui.headless import settle
from tui.screens.reader import ReaderScreen


async def measure(corpus: Path, cache: Path, work: Path) -> None:
    app = make_app(
        paths=[corpus],
        db_path=work / "annotations.json",
        cache_path=cache,
        config=AppConfig(path=work / "config.toml"),
    )
    async with app.run_test(size=(120, 36)) as pilot:
        reader = app.screen_stack[0]
        assert isinstance(reader, ReaderScreen)
        started = time.monotonic()
        while reader.loading_status is not None:
            await asyncio.sleep(0.1)
        await settle(pilot)
        print(f"loaded {len(reader.summaries):,} articles in {time.monotonic() - started:.1f} s")
        for key in ("p", "w", "l"):
            times = []
            for _ in range(3):
                started = time.monotonic()
                await pilot.press(key)
                while len(app.screen_stack) == 1:
                    await asyncio.sleep(0.01)
                await pilot.pause()
                times.append(time.monotonic() - started)
                view = type(app.screen).__name__
                await pilot.press("escape")
                await settle(pilot)
            print(f"{key}  {view:<16} {statistics.median(times):.2f} s")


def main(argv: list[str]) -> None:
    if not argv:
        print(__doc__)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(argv[1]) if len(argv) > 1 else Path(tmp) / "index.sqlite"
        asyncio.run(measure(Path(argv[0]), cache, Path(tmp)))


if __name__ == "__main__":
    main(sys.argv[1:])
