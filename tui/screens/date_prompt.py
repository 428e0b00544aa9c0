"""`D`: set the date of an undated or misdated article (empty clears the reader's date)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Static

from tui.render import safe
from tui.screens.dialog import Dialog


class IsoDate(Validator):
    """Accepts YYYY-MM-DD or an empty value."""

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            return self.failure("use YYYY-MM-DD")
        return self.success()


class DatePrompt(Dialog[str | None]):
    """Dismisses with an ISO date, "" to clear the reader's date, or None to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str | None, stated: str | None) -> None:
        super().__init__()
        self._current = current or ""
        self._stated = stated

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Set the article's date", classes="dialog-title", markup=False)
            yield Input(self._current, placeholder="YYYY-MM-DD", validators=[IsoDate()])
            yield Static(
                f"the article states: {safe(self._stated) or 'no date'} · empty clears your date",
                classes="dialog-hint",
                markup=False,
            )
            yield Static("", id="date-error", classes="dialog-error", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.validation_result is not None and not event.validation_result.is_valid:
            self.query_one("#date-error", Static).update("Use the form YYYY-MM-DD, e.g. 2025-02-22")
            return
        self.close(event.value.strip())

    def action_cancel(self) -> None:
        self.close(None)
