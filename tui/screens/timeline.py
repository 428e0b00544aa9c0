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

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import RenderableType
from rich.markup import escape
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
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

DateRange = tuple[str, str]
TimelineChoice = tuple[str, DateRange]

_BLOCKS = " ▁▂▃▄▅▆▇█"


def spark_text(values: Sequence[int], width: int, style: str | Style = "") -> Text:
    """A one-line sparkline of `values` squeezed (max per column) into at most `width` cells."""
    if not values or width <= 0:
        return Text("")
    columns = bucket_values(values, width)
    top = max(columns) or 1
    cells = "".join(_BLOCKS[0 if v == 0 else max(1, round(v / top * 8))] for v in columns)
    return Text(cells, style=style)


def bucket_values(values: Sequence[int], width: int, summary: str = "max") -> list[int]:
    """`values` in at most `width` consecutive buckets, each summarised by max or sum."""
    size = bucket_size(len(values), width)
    combine = max if summary == "max" else sum
    return [combine(values[i : i + size]) for i in range(0, len(values), size)]


def bucket_size(count: int, width: int) -> int:
    """How many days one column holds so that `count` days fit in `width` columns."""
    return max(1, -(-count // max(1, width)))


TIMELINE_CANDIDATES = 40
"""How many entities the timeline offers to draw: the most mentioned."""


def top_candidates(entities: Sequence[EntityStats]) -> list[EntityStats]:
    """The entities the timeline offers, most mentioned first."""
    return sort_entities(entities, "mentions")[:TIMELINE_CANDIDATES]


class DayBars(Widget, can_focus=True):
    """Rows of vertical bars over a day range, with a day cursor and a selected range.

    `rows` are (label, per-day values, height in lines). Moving the cursor and marking the
    range are actions of this widget; the screen reads `selected_range()`.
    """

    DEFAULT_CSS = """
    DayBars {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    DayBars:focus {
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move(-1)", "Earlier", id="timeline-earlier", show=False),
        Binding("right,l", "move(1)", "Later", id="timeline-later", show=False),
        Binding("shift+left,H", "move(-7)", "Earlier x7", id="timeline-earlier-fast", show=False),
        Binding("shift+right,L", "move(7)", "Later x7", id="timeline-later-fast", show=False),
        Binding("home", "jump(0)", "First day", id="timeline-home", show=False),
        Binding("end", "jump(-1)", "Last day", id="timeline-end", show=False),
        Binding("left_square_bracket", "mark_start", "Range start", id="timeline-start"),
        Binding("right_square_bracket", "mark_end", "Range end", id="timeline-end-mark"),
        Binding("a", "select_all", "All dates", id="timeline-all"),
    ]

    LABEL_WIDTH = 20

    cursor: reactive[int] = reactive(0)
    """Index into `days` of the column the cursor is on (the first day of that column)."""
    range_start: reactive[int] = reactive(0)
    """First day of the selected range (index into `days`)."""
    range_end: reactive[int] = reactive(0)
    """Last day of the selected range (index into `days`), inclusive."""

    def __init__(self, days: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days = list(days)
        self.rows: list[tuple[str, list[int], int, str]] = []
        self.set_reactive(DayBars.range_end, max(0, len(self.days) - 1))

    def set_rows(self, rows: Iterable[tuple[str, list[int], int, str]]) -> None:
        """(label, values per day, height in lines, bar colour) for each row, top down."""
        self.rows = list(rows)
        self.refresh()

    def _columns(self) -> int:
        return max(1, self.content_size.width - self.LABEL_WIDTH - 1)

    def _step(self) -> int:
        return bucket_size(len(self.days), self._columns())

    def action_move(self, columns: int) -> None:
        if not self.days:
            return
        step = self._step()
        last = (len(self.days) - 1) // step * step
        self.cursor = min(max(0, self.cursor // step * step + columns * step), last)

    def action_jump(self, where: int) -> None:
        if self.days:
            step = self._step()
            self.cursor = 0 if where == 0 else (len(self.days) - 1) // step * step

    def action_mark_start(self) -> None:
        self.range_start = self.cursor
        if self.range_end < self.range_start:
            self.range_end = min(len(self.days) - 1, self.cursor + self._step() - 1)

    def action_mark_end(self) -> None:
        self.range_end = min(len(self.days) - 1, self.cursor + self._step() - 1)
        if self.range_start > self.range_end:
            self.range_start = self.cursor

    def action_select_all(self) -> None:
        self.range_start, self.range_end = 0, max(0, len(self.days) - 1)

    def selected_range(self) -> DateRange | None:
        if not self.days:
            return None
        return (self.days[self.range_start], self.days[self.range_end])

    class Moved(Message):
        """The cursor or the selected range changed."""

    def watch_cursor(self) -> None:
        self.refresh()
        self.post_message(self.Moved())

    def watch_range_start(self) -> None:
        self.refresh()
        self.post_message(self.Moved())

    def watch_range_end(self) -> None:
        self.refresh()
        self.post_message(self.Moved())

    def render(self) -> RenderableType:
        if not self.days:
            return Text("No dated articles to draw.", style="italic")
        columns = self._columns()
        step = self._step()
        used = -(-len(self.days) // step)
        cell = max(1, min(4, columns // used))  # a short range: each day several cells wide
        cursor_column = self.cursor // step
        first_selected = self.range_start // step
        last_selected = self.range_end // step
        out = Text(no_wrap=True, overflow="crop")
        for label, values, height, colour in self.rows:
            sums = bucket_values(values, columns, summary="sum")
            top = max(sums) or 1
            levels = [round(v / top * height * 8) if v else 0 for v in sums]
            levels = [max(1, lv) if v else 0 for lv, v in zip(levels, sums, strict=True)]
            for line in range(height):
                floor = (height - 1 - line) * 8
                name = label if line == 0 else (f"max {top}" if line == height - 1 else "")
                out.append(Text(f"{name[: self.LABEL_WIDTH - 1]:<{self.LABEL_WIDTH}}"))
                for column, level in enumerate(levels):
                    fill = min(8, max(0, level - floor))
                    style = Style(color=colour)
                    if first_selected <= column <= last_selected:
                        style += Style(bgcolor="grey23")
                    if column == cursor_column:
                        style += Style(bgcolor="grey46")
                    out.append(_BLOCKS[fill] * cell, style)
                out.append("\n")
            out.append("\n")
        axis = [" "] * (used * cell)
        for column in range(0, used, max(1, used // 4)):
            axis[column * cell] = "┬"
        out.append(" " * self.LABEL_WIDTH + "".join(axis) + "\n", style="dim")
        first, last = self.days[0], self.days[-1]
        gap = max(1, used * cell - len(first) - len(last))
        out.append(" " * self.LABEL_WIDTH + first + " " * gap + last + "\n", style="dim")
        return out


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
