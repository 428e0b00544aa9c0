"""`f`: add a filter (tag, entity, speaker, source, starred, unread, date range) or clear them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Select, Static

from tui.listing import parse_date_range
from tui.render import safe
from tui.screens.dialog import Dialog

FILTER_KINDS: tuple[tuple[str, str], ...] = (
    ("Tag", "tag"),
    ("Entity", "entity"),
    ("Speaker", "speaker"),
    ("Source", "source"),
    ("Date range", "date"),
    ("Starred", "starred"),
    ("Unread", "unread"),
)
_NEEDS_VALUE = {"tag", "entity", "speaker", "source", "date"}


@dataclass(frozen=True, slots=True)
class FilterChoice:
    """What the reader asked for: a filter to add, or kind "clear" to drop them all."""

    kind: str
    value: str = ""


class FilterScreen(Dialog[FilterChoice | None]):
    """Pick a filter kind and value; filters stack until cleared.

    The value field completes from the known values (tags, sources, the article's entities
    and speakers): `tab` or `→` takes the completion shown, and enter applies it (what is
    shown is what filters), unless what was typed is itself a known value.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "complete", "Complete", show=False, priority=True),
    ]

    def __init__(self, suggestions: Mapping[str, Sequence[str]], active: Sequence[str]) -> None:
        super().__init__()
        self._suggestions = {k: list(v) for k, v in suggestions.items()}
        self._active = list(active)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Filter the articles", classes="dialog-title", markup=False)
            yield Select(FILTER_KINDS, value="tag", allow_blank=False, id="filter-kind")
            yield Input(placeholder="tag", id="filter-value")
            yield Static("", id="filter-error", classes="dialog-error", markup=False)
            active = (
                "active: " + ", ".join(safe(a) for a in self._active) + " · F removes one"
                if self._active
                else "no filters yet"
            ) + " · ' saved filters · tab completes"
            yield Static(active, classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add filter", variant="primary", id="filter-add")
                yield Button("Clear all", id="filter-clear", disabled=not self._active)

    def on_mount(self) -> None:
        self._kind_changed("tag")
        self.query_one("#filter-value", Input).focus()

    @on(Select.Changed, "#filter-kind")
    def _select_changed(self, event: Select.Changed) -> None:
        self._kind_changed(str(event.value))

    def _kind_changed(self, kind: str) -> None:
        field = self.query_one("#filter-value", Input)
        field.display = kind in _NEEDS_VALUE
        field.placeholder = {
            "date": "2025-02-01..2025-02-28, 2025-02, or one day",
            "tag": "tag",
            "entity": "entity name",
            "speaker": "speaker name",
            "source": "source",
        }.get(kind, "")
        field.suggester = SuggestFromList(self._suggestions.get(kind, ()), case_sensitive=False)

    def _completion(self, typed: str) -> str | None:
        """The known value the field completes `typed` to (as its suggester does)."""
        kind = str(self.query_one("#filter-kind", Select).value)
        folded = typed.casefold()
        if not folded:
            return None
        known = self._suggestions.get(kind, [])
        exact = next((k for k in known if k.casefold() == folded), None)
        return exact or next((k for k in known if k.casefold().startswith(folded)), None)

    def completed_value(self) -> str:
        """The value to filter by: the known value typed or shown as the completion, else
        what was typed."""
        typed = self.query_one("#filter-value", Input).value.strip()
        return self._completion(typed) or typed

    def action_complete(self) -> None:
        field = self.query_one("#filter-value", Input)
        completion = self._completion(field.value.strip()) if field.has_focus else None
        if completion is not None and completion != field.value:
            field.value = completion
            field.action_end()
        else:
            self.focus_next()

    def _submit(self) -> None:
        kind = str(self.query_one("#filter-kind", Select).value)
        value = self.completed_value()
        error = self.query_one("#filter-error", Static)
        if kind in _NEEDS_VALUE and not value:
            error.update("Type a value first")
            return
        if kind == "date" and parse_date_range(value) is None:
            error.update("Dates look like 2025-02-01..2025-02-28, 2025-02 or 2025-02-22")
            return
        self.close(FilterChoice(kind, value))

    @on(Input.Submitted, "#filter-value")
    def _value_submitted(self) -> None:
        self._submit()

    @on(Button.Pressed, "#filter-add")
    def _add_pressed(self) -> None:
        self._submit()

    @on(Button.Pressed, "#filter-clear")
    def _clear_pressed(self) -> None:
        self.close(FilterChoice("clear"))

    def action_cancel(self) -> None:
        self.close(None)
