"""`v`: select any text of the article from the keyboard, then label it with one key.

A bar over the bottom of the reader (the article stays in view, the selection drawn on it)
with its own keys: `w`/`b` the next / previous word, `j`/`k` a word on the next / previous
line, `l`/`h` one word more / less, `L`/`H` (or `)`/`(`) to the end of the sentence / back
one sentence, `s` the whole sentence, `]`/`[` the next / previous highlighted span. A label
key (`tui.config` `[labels]`: 1 PERSON, 2 ORG ... 9 passage) labels the selection at once,
`x` says the entity there is none, `enter` or `a` opens the annotate dialog (label and note),
`esc` leaves.

The screen keeps only the selection; the reader draws it (`show`) and owns the store. It
dismisses with a `SelectionDone` or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from store.model import NOT_AN_ENTITY
from tui.render import safe
from tui.selection import (
    BodyText,
    TextSelection,
    extended,
    moved,
    sentence_of,
    start_selection,
    to_sentence_end,
)


@dataclass(frozen=True, slots=True)
class SelectionDone:
    """The selected range, and the label a key gave it (None: open the annotate dialog)."""

    start: int
    end: int
    label: str | None


LineStep = Callable[[int, int], int | None]
"""(body offset, ±lines) -> a body offset on that line, or None past the body."""
SpanStep = Callable[[int, int], tuple[int, int] | None]
"""(body offset, ±1) -> (start, end) of the next / previous highlighted span."""


class SelectScreen(ModalScreen[SelectionDone | None]):
    """The selection bar; the reader underneath shows the selection as it moves."""

    DEFAULT_CSS = """
    SelectScreen { background: transparent; align: left bottom; }
    SelectScreen #select-bar {
        dock: bottom;
        width: 100%;
        height: auto;
        max-height: 4;
        background: $primary-background;
        color: $text;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "move(1)", "Next word", show=False),
        Binding("b", "move(-1)", "Previous word", show=False),
        Binding("j,down", "line(1)", "Next line", show=False),
        Binding("k,up", "line(-1)", "Previous line", show=False),
        Binding("l,right", "extend(1)", "One word more", show=False),
        Binding("h,left", "extend(-1)", "One word less", show=False),
        Binding("L,shift+right,right_parenthesis", "sentence(1)", "To sentence end", show=False),
        Binding("H,shift+left,left_parenthesis", "sentence(-1)", "Sentence back", show=False),
        Binding("s", "whole_sentence", "Whole sentence", show=False),
        Binding("right_square_bracket", "span(1)", "Next span", show=False),
        Binding("left_square_bracket", "span(-1)", "Previous span", show=False),
        Binding("x", "dismiss_entity", "Not an entity", show=False),
        Binding("enter,a", "annotate", "Annotate", show=False),
        Binding("escape,v,q", "leave", "Leave", show=False),
    ]

    def __init__(
        self,
        text: BodyText,
        selection: TextSelection,
        *,
        labels: Mapping[str, str],
        show: Callable[[int, int], None],
        line_step: LineStep,
        span_step: SpanStep,
    ) -> None:
        super().__init__()
        self._text = text
        self._selection = selection
        self._labels = dict(labels)
        self._show = show
        self._line_step = line_step
        self._span_step = span_step

    @property
    def selection(self) -> TextSelection:
        return self._selection

    def compose(self) -> ComposeResult:
        yield Static("", id="select-bar", markup=False)

    def on_mount(self) -> None:
        self._update()

    def _update(self) -> None:
        sel = self._selection
        self._show(sel.start, sel.end)
        chosen = " ".join(self._text.body[sel.start : sel.end].split())
        if len(chosen) > 60:
            chosen = chosen[:28] + " … " + chosen[-28:]
        bar = Text()
        bar.append("SELECT ", style="bold reverse")
        bar.append(" “")
        bar.append(safe(chosen), style="bold")
        bar.append("”\n")
        for keys, what in (
            ("w/b", "word"),
            ("j/k", "line"),
            ("l/h", "±word"),
            ("L/H", "±sentence"),
            ("s", "sentence"),
            ("]/[", "span"),
        ):
            bar.append(keys, style="bold")
            bar.append(f" {what}  ", style="dim")
        bar.append("· ", style="dim")
        for key, label in self._labels.items():
            bar.append(f"{safe(key)}", style="bold")
            bar.append(f" {safe(label)}  ")
        bar.append("x", style="bold")
        bar.append(" not an entity  ")
        bar.append("enter", style="bold")
        bar.append(" label & note  ")
        bar.append("esc", style="bold")
        bar.append(" leave")
        self.query_one("#select-bar", Static).update(bar)

    def _set(self, selection: TextSelection) -> None:
        self._selection = selection
        self._update()

    def action_move(self, step: int) -> None:
        self._set(moved(self._text, self._selection, step))

    def action_extend(self, step: int) -> None:
        self._set(extended(self._text, self._selection, step))

    def action_sentence(self, step: int) -> None:
        self._set(to_sentence_end(self._text, self._selection, step))

    def action_whole_sentence(self) -> None:
        self._set(sentence_of(self._text, self._selection))

    def action_line(self, step: int) -> None:
        offset = self._line_step(self._selection.start, step)
        if offset is not None:
            found = start_selection(self._text, offset)
            if found is not None:
                self._set(found)

    def action_span(self, step: int) -> None:
        found = self._span_step(self._selection.start, step)
        if found is not None:
            words = start_selection(self._text, *found)
            if words is not None:  # the span exactly (a found "U.S." keeps its full stop)
                self._set(TextSelection(words.first, words.last, *found))

    def on_key(self, event: events.Key) -> None:
        """A label's key labels the selection and leaves."""
        key = event.character
        if key and key in self._labels:
            event.stop()
            event.prevent_default()
            sel = self._selection
            self.dismiss(SelectionDone(sel.start, sel.end, self._labels[key]))

    def action_dismiss_entity(self) -> None:
        sel = self._selection
        self.dismiss(SelectionDone(sel.start, sel.end, NOT_AN_ENTITY))

    def action_annotate(self) -> None:
        sel = self._selection
        self.dismiss(SelectionDone(sel.start, sel.end, None))

    def action_leave(self) -> None:
        self.dismiss(None)
