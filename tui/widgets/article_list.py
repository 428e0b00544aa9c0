"""The sidebar: articles grouped by day, drawn with the Line API so 100,000 rows cost nothing.

Only the visible lines are rendered (`render_line`); the row table is a plain list built once
per corpus change. Day headers show the date and the day's count; article rows show markers
(unread, star, note, tags), the title, and the source when the corpus mixes sources. In search
mode the rows are the hits, each with a snippet line whose matching words are highlighted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, overload

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from corpus.model import ArticleSummary
from tui.render import safe
from tui.widgets.article_view import component_style

UNDATED = "Undated"


@dataclass(frozen=True, slots=True)
class RowMarks:
    """What the sidebar shows about an article's annotations."""

    tags: tuple[str, ...] = ()
    note: bool = False
    starred: bool = False
    read: bool = False


class Row(NamedTuple):
    """One sidebar line: a day header, an article, or a search snippet under a hit.

    A named tuple, not a dataclass: 100,000 of them are built on every relist.
    """

    kind: str  # "day" | "article" | "snippet"
    article_id: str | None = None
    label: str = ""
    source: str | None = None
    size: int = 0  # a day header's article count
    snippet: Text | None = None


def day_label(date: str | None) -> str:
    """ "Sat 22 Feb 2025" for an ISO date, "Undated" for None, the string itself if odd."""
    if not date:
        return UNDATED
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return date
    return day.strftime("%a %d %b %Y")


def short_day(date: str) -> str:
    """ "22 Feb 2025" for an ISO date (a search hit's date), the string itself if odd."""
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return date
    return f"{day.day} {day.strftime('%b %Y')}"


RawRow = Row | ArticleSummary
"""What the list holds: an article row is the `ArticleSummary` itself (no copy per row)."""


def as_row(raw: RawRow) -> Row:
    """The `Row` view of a held row."""
    if isinstance(raw, Row):
        return raw
    return Row("article", raw.id, raw.title, raw.source)


class RowView(Sequence[Row]):
    """Read-only `Row` view of the held rows, made on access."""

    def __init__(self, raw: list[RawRow]) -> None:
        self._raw = raw

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [as_row(r) for r in self._raw[index]]
        return as_row(self._raw[index])


def _article_id(raw: RawRow) -> str | None:
    return raw.id if type(raw) is ArticleSummary else raw.article_id  # type: ignore[union-attr]


def _is_article(raw: RawRow) -> bool:
    return type(raw) is ArticleSummary or raw.kind == "article"  # type: ignore[union-attr]


def group_by_day(
    summaries: Iterable[ArticleSummary], *, newest_first: bool = True, by_source: bool = True
) -> list[RawRow]:
    """Day-header and article rows; undated articles always last.

    Within a day the articles keep the order they come in (sources list them by date, then
    title), so no per-row sort is needed at 100,000 rows. Undated articles from more than one
    source (for a corpus without sources: one folder each) are grouped by it, a header
    "Undated · business" each, unless `by_source` is False.
    """
    by_day: dict[str | None, list[ArticleSummary]] = {}
    for summary in summaries:
        date = summary.date
        key = date[:10] if date else None
        bucket = by_day.get(key)
        if bucket is None:
            bucket = by_day[key] = []
        bucket.append(summary)
    dated = sorted((d for d in by_day if d is not None), reverse=newest_first)
    rows: list[RawRow] = []
    for day in dated:
        items = by_day[day]
        rows.append(Row("day", None, day_label(day), None, len(items)))
        rows.extend(items)
    undated = by_day.get(None)
    if not undated:
        return rows
    groups: dict[str | None, list[ArticleSummary]] = {}
    if by_source:
        for summary in undated:
            groups.setdefault(summary.source, []).append(summary)
    if len(groups) <= 1:
        rows.append(Row("day", None, UNDATED, None, len(undated)))
        rows.extend(undated)
        return rows
    named = sorted((g for g in groups if g is not None), key=str.casefold)
    for group in [*named, None] if None in groups else named:
        items = groups[group]
        label = f"{UNDATED} · {group}" if group is not None else f"{UNDATED} · no source"
        rows.append(Row("day", None, label, group, len(items)))
        rows.extend(items)
    return rows


class ArticleList(ScrollView, can_focus=True):
    """Virtualised list of day headers and articles with a cursor on article rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--day",
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--marker",
        "article-list--star",
        "article-list--source",
        "article-list--snippet",
        "article-list--match",
    }

    DEFAULT_CSS = """
    ArticleList {
        background: $panel;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    ArticleList > .article-list--day { color: $text-accent; text-style: bold; }
    ArticleList > .article-list--cursor {
        background: $block-cursor-blurred-background;
        color: $text;
    }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--marker { color: $text-accent; }
    ArticleList > .article-list--star { color: $text-warning; }
    ArticleList > .article-list--source { color: $text-muted; }
    ArticleList > .article-list--snippet { color: $text-muted; }
    ArticleList > .article-list--match { color: $text; background: $warning 40%; }
    """

    HELP_GROUP: ClassVar[str] = "Sidebar"
    """Where the help lists this class's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Next", show=False, id="list-down"),
        Binding("k,up", "cursor_up", "Previous", show=False, id="list-up"),
        Binding("g,home", "first", "Top", show=False, id="list-top"),
        Binding("G,end", "last", "Bottom", show=False, id="list-bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up"),
        Binding("enter", "select", "Open", id="open"),
    ]

    class Highlighted(Message):
        """The cursor moved to an article (sent often while scrolling: replaceable)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleList.Highlighted)

    class Selected(Message):
        """An article was chosen (enter or click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._rows: list[RawRow] = []
        self._row_index: dict[str, int] | None = None
        self._article_count = 0
        self._cursor = -1
        self.marks: Mapping[str, RowMarks] = {}
        self.threaded: frozenset[str] = frozenset()
        """Ids of articles that belong to a story thread (marked "≡")."""
        self.show_source = False
        self.empty_message = "No articles"
        self.moved_by_user = False
        """True once the reader moved the cursor (loading then keeps it where it is)."""

    # -- rows ----------------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        return RowView(self._rows)

    @property
    def article_count(self) -> int:
        return self._article_count

    @property
    def cursor_article_id(self) -> str | None:
        if 0 <= self._cursor < len(self._rows):
            return _article_id(self._rows[self._cursor])
        return None

    @property
    def _row_of_id(self) -> dict[str, int]:
        """Article id -> row index, built when first needed after a change of rows."""
        if self._row_index is None:
            rows = self._rows
            self._row_index = {
                article_id: i
                for i, raw in enumerate(rows)
                if _is_article(raw) and (article_id := _article_id(raw)) is not None
            }
        return self._row_index

    def set_rows(self, rows: list[RawRow], *, keep: str | None = None) -> None:
        """Replace every row; keep the cursor on article `keep` when it is still listed."""
        self._rows = rows
        self._row_index = None
        self._article_count = sum(1 for raw in rows if _is_article(raw))
        self.virtual_size = Size(0, len(rows))
        target = self._row_of_id.get(keep) if keep else None
        if target is None:
            target = next((i for i, raw in enumerate(rows) if _is_article(raw)), -1)
        self._move_to(target, announce=False, by_user=False)
        self.refresh()

    def refresh_article(self, article_id: str) -> None:
        """Redraw the row of one article (after its annotations changed)."""
        row = self._row_of_id.get(article_id)
        if row is not None:
            self.refresh_lines(row)

    def _move_to(self, index: int, *, announce: bool = True, by_user: bool = True) -> None:
        self.moved_by_user = self.moved_by_user or by_user
        old = self._cursor
        self._cursor = index
        if old >= 0:
            self.refresh_lines(old)
        if index >= 0:
            self.refresh_lines(index)
            self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=False)
            article_id = _article_id(self._rows[index])
            if announce and article_id is not None and index != old:
                self.post_message(self.Highlighted(article_id))

    def select_article(self, article_id: str) -> None:
        """Put the cursor on `article_id` (no message)."""
        index = self._row_of_id.get(article_id)
        if index is not None:
            self._move_to(index, announce=False, by_user=False)

    def _step(self, start: int, direction: int) -> int | None:
        index = start + direction
        while 0 <= index < len(self._rows):
            if _is_article(self._rows[index]):
                return index
            index += direction
        return None

    # -- actions -------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        found = self._step(self._cursor, 1)
        if found is not None:
            self._move_to(found)

    def action_cursor_up(self) -> None:
        found = self._step(self._cursor, -1)
        if found is not None:
            self._move_to(found)
        elif self._cursor > 0:
            self.scroll_to(y=0, animate=False)

    def action_first(self) -> None:
        found = self._step(-1, 1)
        if found is not None:
            self._move_to(found)

    def action_last(self) -> None:
        found = self._step(len(self._rows), -1)
        if found is not None:
            self._move_to(found)

    def _page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        index = min(max(self._cursor + direction * height, 0), len(self._rows) - 1)
        found = index if 0 <= index < len(self._rows) and _is_article(self._rows[index]) else None
        found = found or self._step(index, direction) or self._step(index, -direction)
        if found is not None:
            self._move_to(found)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        article_id = self.cursor_article_id
        if article_id is not None:
            self.post_message(self.Selected(article_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self._rows) and _is_article(self._rows[index]):
            self._move_to(index, announce=False)
            article_id = _article_id(self._rows[index])
            if article_id is not None:
                self.post_message(self.Selected(article_id))

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self._rows:
            if y == 1:
                text = Text("  " + self.empty_message, style=self._style("snippet"))
                return Strip(list(text.render(self.app.console))).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = as_row(self._rows[index])
        text = self._row_text(row, width)
        if index == self._cursor:
            text.stylize(self._style("cursor"))
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, base)
        if index == self._cursor:
            strip = strip.apply_style(base).apply_style(self._style("cursor"))
        return strip.apply_style(base)

    def _style(self, name: str) -> Style:
        return component_style(self, f"article-list--{name}")

    def _row_text(self, row: Row, width: int) -> Text:
        if row.kind == "day":
            text = Text(f" {safe(row.label)}", style=self._style("day"))  # (a source's name)
            count = f"{row.size:,} "
            text.truncate(max(4, width - len(count) - 1), overflow="ellipsis")
            text.pad_right(max(1, width - text.cell_len - len(count)))
            text.append(count, style=self._style("day"))
            return text
        if row.kind == "snippet" and row.snippet is not None:
            text = Text("    ", style=self._style("snippet"))
            text.append_text(row.snippet)
            text.truncate(width, overflow="ellipsis")
            return text
        marks = self.marks.get(row.article_id or "", RowMarks())
        text = Text()
        text.append("●" if not marks.read else " ", style=self._style("marker"))
        text.append("★" if marks.starred else " ", style=self._style("star"))
        text.append("✎" if marks.note else " ", style=self._style("marker"))
        text.append("#" if marks.tags else " ", style=self._style("marker"))
        text.append("≡" if row.article_id in self.threaded else " ", style=self._style("marker"))
        text.append(" ")
        title = Text(
            safe(row.label) or "(untitled)", style=self._style("read" if marks.read else "unread")
        )
        source = (
            Text(f" {safe(row.source)}", style=self._style("source"))
            if (self.show_source and row.source)
            else Text()
        )
        room = max(4, width - text.cell_len - source.cell_len)
        title.truncate(room, overflow="ellipsis")
        text.append_text(title)
        if source:
            text.pad_right(max(0, width - text.cell_len - source.cell_len))
            text.append_text(source)
        text.end = ""
        return text


def make_search_rows(
    hits: Sequence[tuple[str, str, Text] | tuple[str, str, Text, str | None]],
) -> list[RawRow]:
    """Rows for search results in rank order: (article id, title, highlighted snippet[, date]);
    the date is shown where the source is in the article rows ("undated" without one)."""
    rows: list[RawRow] = []
    for hit in hits:
        article_id, title, snippet = hit[0], hit[1], hit[2]
        date = hit[3] if len(hit) > 3 else None
        shown = short_day(date) if date else UNDATED.lower()
        rows.append(Row("article", article_id, title, shown if len(hit) > 3 else None))
        rows.append(Row("snippet", article_id, snippet=snippet))
    return rows
