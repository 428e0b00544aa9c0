"""Pilot and snapshot tests for the corpus-wide screens: people, speakers, timeline, diff.

Each screen is pushed on a minimal host app with `push_screen(screen, callback)`, exactly as
the main app wires them; the tests drive it with keys and assert on the value it dismisses
with. Fixture: hand-written articles in tests/fixtures/threads/articles.json.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, SelectionList, Static

from corpus.model import Article, Entity
from corpus.people import aggregate_entities
from tui.screens.diff import DiffScreen
from tui.screens.people import PeopleScreen
from tui.screens.speakers import SpeakersScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.day_bars import DayBars, spark_text

FIXTURE = Path(__file__).parent / "fixtures" / "threads" / "articles.json"
SIZE = (120, 36)


def load_articles() -> list[Article]:
    return [Article.from_json(d) for d in json.loads(FIXTURE.read_text(encoding="utf-8"))]


ARTICLES = load_articles()
BY_ID = {a.id: a for a in ARTICLES}


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


class HostApp(App[None]):
    """Pushes one screen on mount and keeps what it dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self._make_screen = make_screen
        self.dismissed: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self._make_screen(), self.dismissed.append)


# --- people ---------------------------------------------------------------------------------


@sync
async def test_people_lists_sorts_filters_and_chooses() -> None:
    app = HostApp(lambda: PeopleScreen(ARTICLES))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 6
        # default order: most mentioned first
        assert screen.shown[0].canonical == "Valmora"
        await pilot.press("s")  # next sort column: articles
        assert [s.canonical for s in screen.shown][:2] == ["Valmora", "Maria Lopez"]
        await pilot.press("s")  # then name
        assert [s.canonical for s in screen.shown][:2] == ["Ana Berg", "City Orchestra"]
        await pilot.press("r")
        assert screen.shown[0].canonical == "Valmora Port Authority"
        await pilot.press("t")  # first type: GPE
        assert {s.label for s in screen.shown} == {"GPE"}
        await pilot.press("t", "t")  # ORG, then PERSON
        assert {s.label for s in screen.shown} == {"PERSON"}
        await pilot.press("t", "slash")
        assert isinstance(screen.focused, Input)
        await pilot.press(*"reed")
        assert [s.canonical for s in screen.shown] == ["Tom Reed"]
        await pilot.press("enter")
        await pilot.pause()
    assert app.dismissed == [("filter-entity", "Tom Reed")]


@sync
async def test_people_from_precomputed_stats_and_escape() -> None:
    stats = aggregate_entities(ARTICLES, labels={"ORG"})
    app = HostApp(lambda: PeopleScreen(entities=stats))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        assert {s.label for s in screen.shown} == {"ORG"}
        await pilot.press("down")
        detail = str(screen.query_one("#people-detail", Static).render())
        assert screen.shown[1].canonical in detail
        await pilot.press("escape")
        await pilot.pause()
    assert app.dismissed == [None]


@sync
async def test_people_names_are_inert_text() -> None:
    """An entity name that looks like Rich markup is shown as written."""
    body = "[b]Evil[/b] Corp said so."
    entity = Entity(0, 15, "[b]Evil[/b] Corp", "ORG", "[b]Evil[/b] Corp")
    article = Article("m", "m.txt", "2025-01-01", "t", None, None, body, entities=(entity,))
    app = HostApp(lambda: PeopleScreen([article]))
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[0]) == "[b]Evil[/b] Corp"
        detail = str(app.screen.query_one("#people-detail", Static).render())
        assert "[b]Evil[/b] Corp" in detail
        await pilot.press("enter")
        await pilot.pause()
    assert app.dismissed == [("filter-entity", "[b]Evil[/b] Corp")]


# --- speakers -------------------------------------------------------------------------------


@sync
async def test_speakers_open_a_quote_article() -> None:
    app = HostApp(lambda: SpeakersScreen(ARTICLES))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        # most quoted first; ties by name
        assert [s.name for s in screen.shown] == ["Maria Lopez", "Tom Reed", "Ana Berg"]
        await pilot.press("down")
        assert screen.current is not None and screen.current.name == "Tom Reed"
        quotes = screen.query_one("#speakers-quotes", OptionList)
        assert quotes.option_count == 3
        await pilot.press("enter")  # into the quotes
        assert screen.focused is quotes
        await pilot.press("down", "enter")  # second quote: the orchestra story
        await pilot.pause()
    assert app.dismissed == [("open-article", "orchestra")]


@sync
async def test_speakers_filter_and_sort() -> None:
    app = HostApp(lambda: SpeakersScreen(ARTICLES))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        await pilot.press("s")  # quotes -> articles
        assert [s.article_count for s in screen.shown] == [3, 3, 1]
        await pilot.press("s")  # -> first quoted; a tie on the day goes by name
        assert [s.name for s in screen.shown] == ["Maria Lopez", "Ana Berg", "Tom Reed"]
        await pilot.press("down", "f")
        await pilot.pause()
    assert app.dismissed == [("filter-speaker", "Ana Berg")]


# --- timeline -------------------------------------------------------------------------------


@sync
async def test_timeline_selects_a_date_range() -> None:
    app = HostApp(lambda: TimelineScreen(ARTICLES, ["Tom Reed"]))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        bars = screen.query_one(DayBars)
        assert bars.days[0] == "2025-03-01" and bars.days[-1] == "2025-03-20"
        assert [row[0] for row in bars.rows] == ["articles", "Tom Reed"]
        assert bars.rows[0][1][:3] == [1, 2, 0]  # articles on 1, 2 and 3 March
        await pilot.press("right", "left_square_bracket")
        await pilot.press("end", "left", "right_square_bracket")
        assert bars.selected_range() == ("2025-03-02", "2025-03-19")
        status = str(screen.query_one("#timeline-range", Static).render())
        assert "2 articles" in status
        await pilot.press("enter")
        await pilot.pause()
    assert app.dismissed == [("filter-dates", ("2025-03-02", "2025-03-19"))]


@sync
async def test_timeline_toggles_entities_and_resets_range() -> None:
    app = HostApp(lambda: TimelineScreen(ARTICLES))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        bars = screen.query_one(DayBars)
        assert [row[0] for row in bars.rows] == ["articles"]
        entities = screen.query_one(SelectionList)
        entities.focus()
        await pilot.press("space")  # the most mentioned entity: Valmora
        await pilot.pause()
        assert [row[0] for row in bars.rows] == ["articles", "Valmora"]
        bars.focus()
        await pilot.press("right", "right", "left_square_bracket", "a")
        assert bars.selected_range() == ("2025-03-01", "2025-03-20")
        await pilot.press("escape")
        await pilot.pause()
    assert app.dismissed == [None]


def test_timeline_without_dated_articles() -> None:
    undated = [a for a in ARTICLES if a.date is None]
    screen = TimelineScreen(undated)
    assert screen.query  # constructed without error
    assert spark_text([], 10).plain == ""
    assert spark_text([0, 1, 4], 10).plain == " ▂█"


# --- diff -----------------------------------------------------------------------------------


@sync
async def test_diff_jumps_between_changes_and_opens_other() -> None:
    app = HostApp(lambda: DiffScreen(BY_ID["bridge-2"], BY_ID["bridge-1"], similarity=0.7))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert [p.kind for p in screen.diff.paragraphs] == [
            "same",
            "same",
            "changed",
            "added",
            "same",
        ]
        header = str(screen.query_one("#diff-header", Static).render())
        assert "3 new sentences" in header and "similarity 0.70" in header
        await pilot.press("n")
        assert screen.current_change == 2
        await pilot.press("n")
        assert screen.current_change == 3
        await pilot.press("n")  # wraps to the first change
        assert screen.current_change == 2
        await pilot.press("u")
        await pilot.pause()
        assert not screen.query_one("#diff-p0").display
        assert screen.query_one("#diff-p2").display
        await pilot.press("o")
        await pilot.pause()
    assert app.dismissed == [("open-article", "bridge-1")]


@sync
async def test_diff_paragraph_text_is_inert() -> None:
    """Text from the article is never read as Rich markup."""
    body = "Plain [bold]not markup[/bold] paragraph."
    old = Article("o", "o.txt", None, "old", None, None, "Intro.")
    new = Article("n", "n.txt", None, "new", None, None, f"Intro.\n\n{body}")
    app = HostApp(lambda: DiffScreen(new, old))
    async with app.run_test(size=SIZE) as pilot:
        rendered = app.screen.query_one("#diff-p1", Static).render()
        assert "[bold]not markup[/bold]" in str(rendered)
        await pilot.press("escape")
        await pilot.pause()
    assert app.dismissed == [None]


# --- snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make_screen", "keys"),
    [
        ("people", lambda: PeopleScreen(ARTICLES), ["down"]),
        ("speakers", lambda: SpeakersScreen(ARTICLES), ["down"]),
        (
            "timeline",
            lambda: TimelineScreen(ARTICLES, ["Valmora", "Tom Reed"]),
            ["right", "left_square_bracket", "right", "right", "right_square_bracket"],
        ),
        (
            "diff",
            lambda: DiffScreen(BY_ID["bridge-2"], BY_ID["bridge-1"], similarity=0.7),
            ["n"],
        ),
    ],
)
def test_snapshot(
    snap_compare: Any, name: str, make_screen: Callable[[], Screen[Any]], keys: list[str]
) -> None:
    assert snap_compare(HostApp(make_screen), press=keys, terminal_size=SIZE)
