"""The timeline (`l`): articles per day and mentions per day of chosen entities, with a range.

`TimelineScreen(articles, entities=(...))` draws one bar row for the articles of each day
(the corpus or whatever subset it is given) and one for the mentions of each chosen entity,
over the dates the articles span. The bars are drawn with Rich block characters, several
days a column when the range is wider than the screen. The user moves a day cursor, marks
the start and end of a range, and chooses it to filter the sidebar. A list on the left
toggles which entities are drawn.

It dismisses with `("filter-dates", (first_iso_day, last_iso_day))` or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from corpus.model import Article
from corpus.people import (
    EntityStats,
    aggregate_entities,
    articles_per_day,
    daily_series,
    day_range,
    mentions_per_day,
    sort_entities,
)
from tui.screens.dialog import Dialog
from tui.widgets.day_bars import DateRange, DayBars

TimelineChoice = tuple[str, DateRange]

TIMELINE_CANDIDATES = 40
"""How many entities the timeline offers to draw: the most mentioned."""


def top_candidates(entities: Sequence[EntityStats]) -> list[EntityStats]:
    """The entities the timeline offers, most mentioned first."""
    return sort_entities(entities, "mentions")[:TIMELINE_CANDIDATES]


class TimelineScreen(Dialog[TimelineChoice | None]):
    """Articles and entity mentions per day; choose a date range to filter the sidebar.

    Constructor: `TimelineScreen(articles, entities=(), *, candidates=None, title=...)`
    - `articles`: the Articles to count (the whole corpus or the current filter); undated
      ones are counted in the header but drawn on no day.
    - `entities`: canonical names drawn from the start.
    - `candidates`: the `EntityStats` offered in the toggle list (default: the 40 most
      mentioned named entities of `articles`).
    Keys: ←/→ (h/l) move the day cursor, shift+←/→ a week of columns, `[` / `]` mark the
    range start / end at the cursor, `a` all dates, space toggles an entity in the list,
    tab switches between the list and the chart, enter chooses, escape closes.

    Dismisses with `("filter-dates", (start, end))` (ISO days, inclusive) or None.
    """

    DEFAULT_CSS = """
    TimelineScreen {
        align: center middle;
    }
    TimelineScreen > #timeline-frame {
        width: 100%;
        height: 100%;
        border: round $accent;
        border-title-color: $text;
        background: $surface;
    }
    TimelineScreen #timeline-summary {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    TimelineScreen #timeline-entities {
        width: 32;
        height: 1fr;
        border: none;
        border-right: vkey $panel-lighten-2;
    }
    TimelineScreen #timeline-range {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Filter dates", id="timeline-choose", priority=True),
        Binding("escape", "close", "Close", id="timeline-close"),
        Binding("tab", "app.focus_next", "Switch pane", id="timeline-focus", show=False),
    ]

    ENTITY_COLOURS: ClassVar[tuple[str, ...]] = (
        "magenta",
        "green",
        "yellow",
        "cyan",
        "red",
        "bright_blue",
    )

    def __init__(
        self,
        articles: Sequence[Article],
        entities: Sequence[str] = (),
        *,
        candidates: Sequence[EntityStats] | None = None,
        title: str = "Timeline",
    ) -> None:
        super().__init__()
        self._articles = list(articles)
        self._title = title
        per_day, self._undated = articles_per_day(self._articles)
        self._per_day = per_day
        self._days = day_range(min(per_day), max(per_day)) if per_day else []
        if candidates is None:
            candidates = top_candidates(aggregate_entities(self._articles))
        self._candidates = list(candidates)
        names = [c.canonical for c in self._candidates]
        self._chosen = [e for e in entities if e]
        for name in self._chosen:
            if name not in names:
                names.append(name)
        self._names = list(dict.fromkeys(names))
        self._mentions = mentions_per_day(self._articles, self._names)

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-frame") as frame:
            frame.border_title = escape(self._title)
            yield Static(self._summary(), id="timeline-summary")
            with Horizontal():
                yield SelectionList[str](
                    *[Selection(Text(name), name, name in self._chosen) for name in self._names],
                    id="timeline-entities",
                )
                yield DayBars(self._days, id="timeline-bars")
            yield Static(id="timeline-range")
            yield Footer()

    def on_mount(self) -> None:
        self._draw()
        self.query_one(DayBars).focus()

    def _summary(self) -> Text:
        dated = len(self._articles) - self._undated
        text = Text(f"{dated} dated articles")
        if self._days:
            text.append(f" from {self._days[0]} to {self._days[-1]} ({len(self._days)} days)")
        if self._undated:
            text.append(f"; {self._undated} undated (not drawn)")
        return text

    def _draw(self) -> None:
        bars = self.query_one(DayBars)
        rows: list[tuple[str, list[int], int, str]] = [
            ("articles", daily_series(self._per_day, self._days), 6, "bright_blue")
        ]
        selected = self.query_one("#timeline-entities", SelectionList).selected
        for i, name in enumerate(n for n in self._names if n in selected):
            colour = self.ENTITY_COLOURS[i % len(self.ENTITY_COLOURS)]
            rows.append((name, daily_series(self._mentions.get(name, {}), self._days), 3, colour))
        bars.set_rows(rows)
        self._show_range()

    @on(SelectionList.SelectedChanged)
    def _entities_toggled(self) -> None:
        self._draw()

    @on(DayBars.Moved)
    def _bars_moved(self) -> None:
        self._show_range()

    def _show_range(self) -> None:
        bars = self.query_one(DayBars)
        chosen = bars.selected_range()
        label = self.query_one("#timeline-range", Static)
        if chosen is None:
            label.update(Text("No dates to choose."))
            return
        start, end = chosen
        cursor_day = self._days[bars.cursor] if self._days else ""
        count = sum(
            self._per_day.get(d, 0) for d in self._days[bars.range_start : bars.range_end + 1]
        )
        label.update(
            Text(
                f"range {start} → {end} · {count} articles · cursor {cursor_day} "
                f"({self._per_day.get(cursor_day, 0)} that day)"
            )
        )

    def action_choose(self) -> None:
        chosen = self.query_one(DayBars).selected_range()
        self.close(("filter-dates", chosen) if chosen else None)

    def action_close(self) -> None:
        self.close(None)
