"""People & organisations (`p`): every canonical entity of the corpus in one sortable table.

Each row is one (canonical name, label) with its article and mention counts, the first and
last date it is seen and a sparkline of its mentions per day over the corpus's dates. The
panel under the table shows the highlighted entity in more detail (the ways it is written
and a larger sparkline over its own dates). Choosing a row asks the app to filter the sidebar
to its articles and highlight it in them.

It dismisses with `("filter-entity", canonical)` or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Sparkline, Static

from corpus.model import Article
from corpus.people import (
    ENTITY_SORT_KEYS,
    NAMED_LABELS,
    EntityStats,
    aggregate_entities,
    daily_series,
    day_range,
    sort_entities,
)
from tui.screens.dialog import Dialog
from tui.widgets.day_bars import spark_text

EntityChoice = tuple[str, str]

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("label", "Type"),
    ("articles", "Articles"),
    ("mentions", "Mentions"),
    ("first", "First"),
    ("last", "Last"),
    ("trend", "Mentions per day"),
)
_TREND_WIDTH = 24
_NAME_WIDTH = 36  # a fixed width: one long (often mis-tagged) name must not push the counts off
_SORT_CYCLE = ("mentions", "articles", "name", "label", "first", "last")
TABLE_ROWS = 500
"""The table holds the first this many entities in the chosen order (a table of every one of
a large corpus's 15,000 names takes seconds to build); the find box reaches the others."""
TYPE_KEYS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW")
"""`1`-`8` show only this type (the annotation labels' default keys); `0` all types."""


class PeopleScreen(Dialog[EntityChoice | None]):
    """Every canonical entity with counts, dates and a mentions-per-day sparkline.

    Constructor: `PeopleScreen(articles=(), *, entities=None, title=...)`
    - `articles`: the Articles to aggregate (the corpus or the current filter), or
    - `entities`: precomputed `corpus.people.EntityStats` (e.g. from a worker for a large
      corpus); when given, `articles` is not aggregated again.
    Keys: ↑/↓ (j/k) move, `s` next sort column, `r` reverse, `t` next entity type, `1`-`8`
    one type (1 PERSON, 2 ORG, 3 GPE, 4 LOC, 5 NORP, 6 FAC, 7 EVENT, 8 LAW), `0` all, `/`
    type to filter names (enter or ↓ back to the table; escape clears the box first), enter
    chooses, escape closes. Clicking a column header sorts by it.

    Dismisses with `("filter-entity", canonical)` or None.
    """

    DEFAULT_CSS = """
    PeopleScreen {
        align: center middle;
    }
    PeopleScreen > #people-frame {
        width: 100%;
        height: 100%;
        border: round $accent;
        background: $surface;
    }
    PeopleScreen #people-filter {
        height: 3;
        margin: 0 1;
    }
    PeopleScreen #people-table {
        height: 1fr;
    }
    PeopleScreen #people-detail {
        height: auto;
        padding: 0 1;
        border-top: hkey $panel-lighten-2;
    }
    PeopleScreen #people-spark {
        height: 3;
        margin: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Filter sidebar", id="people-choose", priority=True),
        Binding("s", "next_sort", "Sort", id="people-sort"),
        Binding("r", "reverse", "Reverse", id="people-reverse"),
        Binding("t", "next_label", "Next type", id="people-type"),
        Binding("0", "only_label('')", "All types", id="people-all-types", show=False),
        *[
            Binding(str(n), f"only_label('{label}')", label, id=f"people-type-{n}", show=False)
            for n, label in enumerate(TYPE_KEYS, start=1)
        ],
        Binding("slash", "focus_filter", "Find", id="people-find"),
        Binding("j", "cursor(1)", "Down", id="people-down", show=False),
        Binding("k", "cursor(-1)", "Up", id="people-up", show=False),
        Binding("escape", "close", "Close", id="people-close"),
    ]

    def __init__(
        self,
        articles: Sequence[Article] = (),
        *,
        entities: Sequence[EntityStats] | None = None,
        title: str = "People & organisations",
    ) -> None:
        super().__init__()
        self._entities = list(entities) if entities is not None else aggregate_entities(articles)
        self._title = title
        dated = [d for s in self._entities for d in (s.first_date, s.last_date) if d]
        self._days = day_range(min(dated), max(dated)) if dated else []
        present = {s.label for s in self._entities}
        self._labels: list[str | None] = [None, *sorted(present & NAMED_LABELS)]
        self._labels += sorted(present - NAMED_LABELS)
        self._label: str | None = None
        self._sort = "mentions"
        self._reverse = False
        self._needle = ""
        self._shown: list[EntityStats] = []

    @property
    def shown(self) -> list[EntityStats]:
        """The rows as displayed, in order (for tests and the app)."""
        return list(self._shown)

    def compose(self) -> ComposeResult:
        with Vertical(id="people-frame") as frame:
            frame.border_title = escape(self._title)
            yield Input(placeholder="/ to find a name", id="people-filter")
            table: DataTable[Text] = DataTable(
                id="people-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield Static(id="people-detail")
            yield Sparkline([], id="people-spark")
            yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in _COLUMNS:
            table.add_column(title, key=key, width=_NAME_WIDTH if key == "name" else None)
        self._refill()
        table.focus()

    def _visible(self) -> list[EntityStats]:
        needle = self._needle.casefold()
        return [
            s
            for s in self._entities
            if (self._label is None or s.label == self._label)
            and (not needle or needle in s.canonical.casefold())
        ]

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        matching = sort_entities(self._visible(), self._sort, self._reverse)
        self._shown = matching[:TABLE_ROWS]
        table.clear()
        for stats in self._shown:
            trend = spark_text(
                daily_series(dict(stats.mentions_per_day), self._days), _TREND_WIDTH, "green"
            )
            table.add_row(
                Text(stats.canonical, no_wrap=True, overflow="ellipsis"),
                Text(stats.label, style="bold"),
                Text(str(stats.article_count), justify="right"),
                Text(str(stats.mention_count), justify="right"),
                Text(stats.first_date or "undated"),
                Text(stats.last_date or "undated"),
                trend,
            )
        arrow = "↑" if self._reverse else "↓"
        what = self._label or "all types"
        frame = self.query_one("#people-frame")
        # border titles are read as markup: escape the label, which comes from the data
        count = (
            f"first {len(self._shown):,} of {len(matching):,} (/ finds the others)"
            if len(matching) > len(self._shown)
            else f"{len(self._shown):,} of {len(self._entities):,}"
        )
        frame.border_subtitle = f"{count} · {escape(what)} · sorted by {self._sort} {arrow}"
        self._show_detail()

    def _current(self) -> EntityStats | None:
        table = self.query_one(DataTable)
        if not self._shown or table.cursor_row < 0 or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    def _show_detail(self) -> None:
        current = self._current()
        detail = self.query_one("#people-detail", Static)
        spark = self.query_one(Sparkline)
        if current is None:
            detail.update(Text("No entity matches.", style="italic"))
            spark.data = []
            return
        text = Text()
        text.append(current.canonical, style="bold")
        text.append(f"  {current.label} · {current.mention_count} mentions in ")
        text.append(f"{current.article_count} articles")
        if current.first_date:
            text.append(f" · {current.first_date} → {current.last_date}")
        others = [f for f in current.surface_forms if f != current.canonical]
        if others:
            text.append("\nwritten as: ", style="dim")
            text.append(", ".join(others[:8]))
        detail.update(text)
        if current.first_date and current.last_date:
            days = day_range(current.first_date, current.last_date)
            spark.data = daily_series(dict(current.mentions_per_day), days)
        else:
            spark.data = []

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = str(event.column_key.value)
        if key in ENTITY_SORT_KEYS:
            self._reverse = not self._reverse if key == self._sort else False
            self._sort = key
            self._refill()

    @on(Input.Changed, "#people-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._needle = event.value
        self._refill()

    @on(Input.Submitted, "#people-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_choose(self) -> None:
        current = self._current()
        if current is not None:
            self.close(("filter-entity", current.canonical))

    def action_next_sort(self) -> None:
        keys = list(_SORT_CYCLE)
        self._sort = keys[(keys.index(self._sort) + 1) % len(keys)]
        self._reverse = False
        self._refill()

    def action_reverse(self) -> None:
        self._reverse = not self._reverse
        self._refill()

    def action_next_label(self) -> None:
        self._label = self._labels[(self._labels.index(self._label) + 1) % len(self._labels)]
        self._refill()

    def action_only_label(self, label: str) -> None:
        wanted = label or None
        if wanted is not None and wanted not in self._labels:
            self.notify(f"No {label} in this corpus", timeout=2)
            return
        self._label = wanted
        self._refill()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_close(self) -> None:
        """Escape: clear the find box first, then leave it, then close the view."""
        field = self.query_one(Input)
        if field.value:
            field.value = ""
            return
        if field.has_focus:
            self.query_one(DataTable).focus()
            return
        self.close(None)
