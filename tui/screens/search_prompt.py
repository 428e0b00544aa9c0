"""`/`: ask for a full-text search query."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.screens.dialog import Dialog

SEARCH_HELP = (
    'words, "a phrase", prefix*, AND/OR/NOT; filters tag: speaker: entity: source: '
    "date:2025-02..2025-03 (with the corpus index)"
)


class SearchPrompt(Dialog[str | None]):
    """Dismisses with the query, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, last_query: str = "") -> None:
        super().__init__()
        self._last = last_query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Search the corpus", classes="dialog-title", markup=False)
            yield Input(self._last, placeholder="search", id="search-input")
            yield Static(SEARCH_HELP, classes="dialog-hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.close(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.close(None)
