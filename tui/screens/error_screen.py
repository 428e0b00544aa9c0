"""A full error screen for problems the reader must decide about (a corrupt store)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.render import safe
from tui.screens.dialog import Dialog


class ErrorScreen(Dialog[str]):
    """Shows what went wrong and what to do; dismisses with the id of the chosen button."""

    def __init__(self, title: str, message: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(safe(self._message), id="error-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for index, (choice_id, label) in enumerate(self._choices):
                    yield Button(
                        label, id=choice_id, variant="primary" if index == 0 else "default"
                    )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.close(event.button.id or "")
