"""Write the README screenshots (SVG) from the real app on the built-in sample corpus.

    python screenshots/make_screenshots.py [OUTPUT_DIR] [--large CORPUS]

Each picture is a fresh app (`make_app`, as the `newsreader` command builds it) reading the
sample corpus through the corpus index, with a store in a temporary folder that holds a few
annotations, driven by key presses at 120x36. With `--large CORPUS` (e.g.
../shared/corpora/bbc), one more picture, `large.svg`, shows the app on that corpus: the
sidebar of an undated corpus grouped by folder, an article open.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corpus import SAMPLE_DIR
from store import AnnotationStore
from tui.app import NewsreaderApp, make_app
from tui.config import AppConfig
from tui.headless import settle

SIZE = (120, 36)
SHOTS: dict[str, Sequence[str]] = {
    "main": (),
    "tagging": ("j", "t", "d", "i"),
    "search": ("slash", *"Macron", "enter"),
    "info": ("i", "down", "down", "enter"),
    "people": ("p",),
    "speakers": ("w", "enter"),
    "timeline": ("l", "shift+tab", "space", "down", "down", "space", "tab"),
    "diff": ("j", "j", "enter", "i", "home", "d"),
}


def annotate(store: AnnotationStore, app: NewsreaderApp) -> None:
    """A reader's first few minutes: tags, a star, a note, two articles read."""
    from tui.screens.reader import ReaderScreen

    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    ids = [row.article_id for row in screen.query_one("#articles").rows if row.article_id]  # type: ignore[attr-defined]
    store.add_tags(ids[0], ["ukraine", "diplomacy"])
    store.set_starred(ids[0], True)
    store.set_note(ids[0], "Compare with the 23 Feb report.")
    store.add_tags(ids[2], ["diplomacy"])
    store.set_read(ids[1], True)


async def shoot(name: str, keys: Sequence[str], folder: Path, work: Path) -> Path:
    db = work / f"{name}.json"
    first = make_app(
        paths=[SAMPLE_DIR], db_path=db, cache_path=work / "index.sqlite", config=AppConfig()
    )
    async with first.run_test(size=SIZE) as pilot:  # build the index and learn the row order
        await settle(pilot)
        annotate(AnnotationStore(db), first)
    app = make_app(
        paths=[SAMPLE_DIR], db_path=db, cache_path=work / "index.sqlite", config=AppConfig()
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))


async def shoot_large(corpus: Path, folder: Path, work: Path) -> Path:
    app = make_app(
        paths=[corpus],
        db_path=work / "large.json",
        cache_path=work / "large.sqlite",
        config=AppConfig(),
    )
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):  # the index of a large corpus is built on the first open
            await settle(pilot)
        for key in ("j", "j", "j", "enter"):
            await pilot.press(key)
            await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        return Path(app.save_screenshot(filename="large.svg", path=str(folder)))


async def main(folder: Path, large: Path | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, keys in SHOTS.items():
            written = await shoot(name, keys, folder, Path(tmp))
            print(written)
        if large is not None:
            print(await shoot_large(large, folder, Path(tmp)))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    large_corpus: Path | None = None
    if "--large" in arguments:
        at = arguments.index("--large")
        large_corpus = Path(arguments[at + 1])
        del arguments[at : at + 2]
    asyncio.run(main(Path(arguments[0]) if arguments else Path(__file__).parent, large_corpus))
