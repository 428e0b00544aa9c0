"""Bars over a day range (`DayBars`) and the one-line sparkline the corpus views draw.

`DayBars` draws rows of vertical bars, one column per day or several days a column when the
range is wider than the widget, with a day cursor and a selected range (the timeline, `l`).
`spark_text` squeezes a series into one line of block characters (the People view's trend).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

DateRange = tuple[str, str]
"""(first ISO day, last ISO day), inclusive."""

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

    HELP_GROUP: ClassVar[str] = "Timeline"
    """Where the help lists this class's keys."""

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
