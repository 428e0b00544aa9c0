"""A small histogram of articles per day above the sidebar, so coverage gaps show at a glance."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static


def counts_per_day(dates: Iterable[str | None]) -> tuple[list[int], str | None, str | None]:
    """Articles per calendar day from the first to the last date (days with none count 0)."""
    by_text = Counter(date[:10] for date in dates if date)  # parse each distinct day once
    counter: Counter[dt.date] = Counter()
    for text, count in by_text.items():
        try:
            counter[dt.date.fromisoformat(text)] += count
        except ValueError:
            continue
    if not counter:
        return [], None, None
    first, last = min(counter), max(counter)
    span = (last - first).days
    if span > 20_000:  # nonsense dates: do not build a list of millions of days
        days = sorted(counter)
        return [counter[d] for d in days], first.isoformat(), last.isoformat()
    values = [counter.get(first + dt.timedelta(days=i), 0) for i in range(span + 1)]
    return values, first.isoformat(), last.isoformat()


class CoverageChart(Vertical):
    """Sparkline of articles per day with the date range and the busiest day under it."""

    DEFAULT_CSS = """
    CoverageChart { height: auto; padding: 0 1; background: $panel; }
    CoverageChart Sparkline { height: 2; }
    CoverageChart #coverage-caption { color: $text-muted; height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Sparkline([], summary_function=max)
        yield Static("", id="coverage-caption", markup=False)

    def show_dates(self, dates: Iterable[str | None]) -> None:
        values, first, last = counts_per_day(dates)
        self.query_one(Sparkline).data = values
        caption = Text()
        if first and last:
            caption.append(f"{first} → {last}" if first != last else first)
            caption.append(f" · max {max(values)}/day")
        else:
            caption.append("no dated articles")
        self.query_one("#coverage-caption", Static).update(caption)
