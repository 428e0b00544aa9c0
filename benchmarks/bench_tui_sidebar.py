"""How the reader's sidebar scales: open, relist, `down` and page-down at 1k/10k/100k rows.

    python benchmarks/bench_tui_sidebar.py [SIZES ...]      (default: 1000 10000 100000)

Synthetic summaries (random dates over three years, 5% undated) in an in-memory source whose
bodies are made on demand, a fresh store in a temporary folder, the app at 120x36 under
Textual's headless Pilot. Prints milliseconds; each key time is the mean over many presses,
including Pilot's wait for the screen to settle after each key; "move+draw" is the widget's
own cost: one cursor step plus rendering every visible line, without Pilot.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from corpus.model import Article, ArticleSummary, SearchHit
from store import AnnotationStore
from tui.app import make_app
from tui.config import AppConfig
from tui.headless import settle
from tui.screens.reader import ReaderScreen
from tui.widgets.article_list import ArticleList


class SyntheticSource:
    """A `CorpusSource` of `count` summaries; articles are built when asked for."""

    def __init__(self, count: int, seed: int = 7) -> None:
        rng = random.Random(seed)
        rows = []
        for i in range(count):
            date = None
            if rng.random() > 0.05:
                date = (
                    f"{rng.randint(2022, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                )
            rows.append(
                ArticleSummary(
                    f"a{i:06d}", date, f"Article number {i} about things", "Wire", f"/x/{i}.txt"
                )
            )
        rows.sort(key=lambda s: (s.date is None, s.date or "", s.title))
        self._rows = rows
        self._by_id = {s.id: s for s in rows}

    def summaries(self) -> Sequence[ArticleSummary]:
        return self._rows

    def article(self, article_id: str) -> Article:
        s = self._by_id[article_id]
        body = "\n\n".join(f"Paragraph {n} of {s.title}." for n in range(8))
        return Article(s.id, s.path, s.date, s.title, s.source, None, body)

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        return []


async def measure(count: int) -> dict[str, float]:
    source = SyntheticSource(count)
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(
            source=source,  # type: ignore[arg-type]
            store=AnnotationStore(Path(tmp) / "a.json"),
            config=AppConfig(path=Path(tmp) / "c.toml"),
        )
        start = time.perf_counter()
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            opened = time.perf_counter() - start
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            assert screen.query_one(ArticleList).article_count == count
            t0 = time.perf_counter()
            for _ in range(5):
                screen.relist()
            relist = (time.perf_counter() - t0) / 5
            # The widget's own cost: move the cursor, then draw every visible line.
            article_list = screen.query_one(ArticleList)
            height = article_list.size.height
            t0 = time.perf_counter()
            for _ in range(200):
                article_list.action_cursor_down()
                for y in range(height):
                    article_list.render_line(y)
            direct = (time.perf_counter() - t0) / 200
            presses = 100
            t0 = time.perf_counter()
            for _ in range(presses):
                await pilot.press("down")
            down = (time.perf_counter() - t0) / presses
            t0 = time.perf_counter()
            for _ in range(30):
                await pilot.press("pagedown")
            page = (time.perf_counter() - t0) / 30
    return {"open": opened, "relist": relist, "down": down, "pagedown": page, "direct": direct}


def main(sizes: list[int]) -> None:
    print(
        f"{'rows':>8} {'open ms':>9} {'relist ms':>10} {'down ms':>8} {'pgdn ms':>8} "
        f"{'move+draw ms':>13}"
    )
    results = {}
    for size in sizes:
        r = asyncio.run(measure(size))
        results[size] = r
        print(
            f"{size:>8} {r['open'] * 1000:>9.1f} {r['relist'] * 1000:>10.1f} "
            f"{r['down'] * 1000:>8.2f} {r['pagedown'] * 1000:>8.2f} {r['direct'] * 1000:>13.3f}"
        )
    if len(sizes) > 1:
        small, big = results[sizes[0]], results[sizes[-1]]
        print(
            f"ratio {sizes[-1]}/{sizes[0]}: down {big['down'] / small['down']:.2f}x, "
            f"pagedown {big['pagedown'] / small['pagedown']:.2f}x, "
            f"move+draw {big['direct'] / small['direct']:.2f}x"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
