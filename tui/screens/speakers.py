"""Who said what (`w`): every speaker, and their quotes across the corpus in date order.

The left list holds the speakers (most quoted first; `s` changes the order); the right list
the highlighted speaker's quotes, each with its date and article title. Choosing a quote
asks the app to open its article; `f` asks it to filter the sidebar to the speaker's
articles. Exporting a speaker's quotes is `newsreader quotes --speaker NAME`.

It dismisses with `("open-article", article_id)`, `("filter-speaker", name)` or None.
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
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from corpus.model import Article
from corpus.people import (
    SPEAKER_SORT_KEYS,
    SpeakerQuote,
    SpeakerStats,
    aggregate_speakers,
    sort_speakers,
)
from tui.screens.dialog import Dialog

SpeakerChoice = tuple[str, str]
_TITLE_WIDTH = 60


def quote_prompt(quote: SpeakerQuote) -> Text:
    """A quote as a two-part list item: date and article title, then the quote itself."""
    text = Text()
    text.append(quote.date or "undated", style="bold")
    text.append("  ")
    title = quote.article_title
    if len(title) > _TITLE_WIDTH:
        title = title[: _TITLE_WIDTH - 1].rstrip() + "…"
    text.append(title, style="italic dim")
    if quote.kind != "direct":
        text.append(f"  ({quote.kind})", style="dim")
    text.append("\n")
    text.append(" ".join(quote.text.split()))
    return text


class SpeakersScreen(Dialog[SpeakerChoice | None]):
    """Speakers and their quotes across the corpus.

    Constructor: `SpeakersScreen(articles=(), *, speakers=None, title=...)`
    - `articles`: the Articles whose quotes to gather (the corpus or the current filter), or
    - `speakers`: precomputed `corpus.people.SpeakerStats`.
    Keys: ↑/↓ (j/k) move, tab switches between speakers and quotes, enter on a speaker shows
    their quotes, enter on a quote opens its article, `f` filters the sidebar to the
    highlighted speaker, `s` next sort order, escape closes.

    Dismisses with `("open-article", article_id)`, `("filter-speaker", speaker_name)` or
    None.
    """

    DEFAULT_CSS = """
    SpeakersScreen {
        align: center middle;
    }
    SpeakersScreen > #speakers-frame {
        width: 100%;
        height: 100%;
        border: round $accent;
        background: $surface;
    }
    SpeakersScreen #speakers-list {
        width: 34;
        height: 1fr;
        border: none;
        border-right: vkey $panel-lighten-2;
    }
    SpeakersScreen #speakers-quotes {
        width: 1fr;
        height: 1fr;
        border: none;
    }
    SpeakersScreen #speakers-heading {
        height: auto;
        padding: 0 1;
        text-style: bold;
    }
    SpeakersScreen OptionList > .option-list--option {
        padding: 0 1;
    }
    """

    HELP_GROUP: ClassVar[str] = "Who said what"
    """Where the help lists this class's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "filter_speaker", "Filter sidebar", id="speakers-filter"),
        Binding("s", "next_sort", "Sort", id="speakers-sort"),
        Binding("tab", "switch_pane", "Speakers/quotes", id="speakers-switch"),
        Binding("j", "cursor(1)", "Down", id="speakers-down", show=False),
        Binding("k", "cursor(-1)", "Up", id="speakers-up", show=False),
        Binding("escape", "close", "Close", id="speakers-close"),
    ]

    def __init__(
        self,
        articles: Sequence[Article] = (),
        *,
        speakers: Sequence[SpeakerStats] | None = None,
        title: str = "Who said what",
    ) -> None:
        super().__init__()
        self._speakers = list(speakers) if speakers is not None else aggregate_speakers(articles)
        self._title = title
        self._sort = "quotes"
        self._shown: list[SpeakerStats] = []
        self._current: SpeakerStats | None = None

    @property
    def shown(self) -> list[SpeakerStats]:
        """The speakers as listed, in order."""
        return list(self._shown)

    @property
    def current(self) -> SpeakerStats | None:
        """The speaker whose quotes are on the right."""
        return self._current

    def compose(self) -> ComposeResult:
        with Vertical(id="speakers-frame") as frame:
            frame.border_title = escape(self._title)
            with Horizontal():
                yield OptionList(id="speakers-list")
                with Vertical():
                    yield Static(id="speakers-heading")
                    yield OptionList(id="speakers-quotes")
            yield Footer()

    def on_mount(self) -> None:
        self._refill()
        self.query_one("#speakers-list", OptionList).focus()

    def _refill(self) -> None:
        self._shown = sort_speakers(self._speakers, self._sort)
        speaker_list = self.query_one("#speakers-list", OptionList)
        speaker_list.clear_options()
        speaker_list.add_options(
            Option(self._speaker_prompt(s), id=f"s{i}") for i, s in enumerate(self._shown)
        )
        frame = self.query_one("#speakers-frame")
        quotes = sum(s.quote_count for s in self._speakers)
        frame.border_subtitle = (
            f"{len(self._speakers)} speakers · {quotes} quotes · sorted by {self._sort}"
        )
        if self._shown:
            speaker_list.highlighted = 0
        self._show_quotes(self._shown[0] if self._shown else None)

    @staticmethod
    def _speaker_prompt(speaker: SpeakerStats) -> Text:
        text = Text(speaker.name)
        text.append(f"  {speaker.quote_count}", style="dim")
        return text

    def _show_quotes(self, speaker: SpeakerStats | None) -> None:
        self._current = speaker
        heading = self.query_one("#speakers-heading", Static)
        quote_list = self.query_one("#speakers-quotes", OptionList)
        quote_list.clear_options()
        if speaker is None:
            heading.update(Text("No attributed quotes in these articles.", style="italic"))
            return
        summary = Text(speaker.name)
        span = f"{speaker.first_date} → {speaker.last_date}" if speaker.first_date else "undated"
        summary.append(
            f"  {speaker.quote_count} quotes in {speaker.article_count} articles · {span}",
            style="not bold dim",
        )
        heading.update(summary)
        quote_list.add_options(
            Option(quote_prompt(q), id=f"q{i}") for i, q in enumerate(speaker.quotes)
        )

    @on(OptionList.OptionHighlighted, "#speakers-list")
    def _speaker_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self._shown) and self._shown[index] is not self._current:
            self._show_quotes(self._shown[index])

    @on(OptionList.OptionSelected, "#speakers-list")
    def _speaker_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        quote_list = self.query_one("#speakers-quotes", OptionList)
        if quote_list.option_count:
            quote_list.highlighted = quote_list.highlighted or 0
            quote_list.focus()

    @on(OptionList.OptionSelected, "#speakers-quotes")
    def _quote_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._current is not None:
            self.close(("open-article", self._current.quotes[event.option_index].article_id))

    def action_filter_speaker(self) -> None:
        if self._current is not None:
            self.close(("filter-speaker", self._current.name))

    def action_next_sort(self) -> None:
        keys = list(SPEAKER_SORT_KEYS)
        self._sort = keys[(keys.index(self._sort) + 1) % len(keys)]
        self._refill()

    def action_switch_pane(self) -> None:
        speaker_list = self.query_one("#speakers-list", OptionList)
        quote_list = self.query_one("#speakers-quotes", OptionList)
        if speaker_list.has_focus and quote_list.option_count:
            quote_list.highlighted = quote_list.highlighted or 0
            quote_list.focus()
        else:
            speaker_list.focus()

    def action_cursor(self, step: int) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            if step > 0:
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def action_close(self) -> None:
        self.close(None)
