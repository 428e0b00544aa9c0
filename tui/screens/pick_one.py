"""A modal list to choose one item from (the article's tags for `T`, filter values ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.render import safe
from tui.screens.dialog import Dialog


class PickOne(Dialog[str | None]):
    """Choose one of `choices`; dismisses with the chosen string or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: Sequence[str], hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._hint = hint or "enter choose · esc cancel"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield OptionList(
                *[Option(Text(safe(choice)), id=str(i)) for i, choice in enumerate(self._choices)],
                id="pick-options",
            )
            yield Static(self._hint, classes="dialog-hint", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.close(self._choices[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.close(None)
