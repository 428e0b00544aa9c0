"""SVG snapshots of the reader's main screens at 120x36 on the seed corpus.

Deterministic: the seeds as analysed once (tests/fixtures/app/seeds.json), an empty store in a
temporary folder (a few annotations added by the test itself), a fixed config path, and every
worker finished before the picture is taken. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

from test_app import NEWEST, seed_articles, settle
from textual.pilot import Pilot

from corpus.source import MemoryCorpus
from store import AnnotationStore
from tui.app import NewsreaderApp, make_app
from tui.config import AppConfig

SIZE = (120, 36)
CONFIG = AppConfig(path=Path("~/.config/newsreader/config.toml"))


def snapshot_app(tmp_path: Path, *, annotate: bool = True) -> NewsreaderApp:
    store = AnnotationStore(tmp_path / "annotations.json")
    if annotate:
        store.add_tags(NEWEST, ["ukraine", "diplomacy"])
        store.set_starred(NEWEST, True)
        store.set_note(NEWEST, "Compare with the 23 Feb report.")
        store.set_read("7a7d3776cb5ccbdd", True)
    return make_app(
        source=MemoryCorpus(seed_articles()), store=store, config=CONFIG, corpus_label="seeds"
    )


async def still(pilot: Pilot[object]) -> None:
    """Stop cursor blinking in the open dialog, so the picture does not depend on timing."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
        cache = getattr(widget, "_line_cache", None)  # TextArea caches lines drawn mid-blink
        if cache is not None:
            cache.clear()
        widget.refresh()
    await pilot.pause()


def test_main_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_info_panel(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def open_info(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=open_info)


def test_tag_prompt(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def tag(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("j", "t", "d", "i")
        await settle(pilot)
        await still(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=tag)


def test_note_editor(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def note(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await still(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=note)


def test_search_results(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"Macron", "enter")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=search)


def test_help_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def help_screen(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=help_screen)


def test_raw_view(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def raw(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("G", "r")
        await settle(pilot)

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=raw)
