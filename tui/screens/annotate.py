"""`a`: annotate the highlighted span: a note, a corrected label or speaker, "not an entity"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from corpus.model import ENTITY_LABELS
from tui.render import NavSpan, safe
from tui.screens.dialog import Dialog

NOT_AN_ENTITY = "not-an-entity"
"""The label stored when the reader says a found entity is not one."""

SPEAKER_PREFIX = "speaker:"
"""Span labels starting with this correct a quote's speaker ("speaker:Keir Starmer")."""


@dataclass(frozen=True, slots=True)
class SpanEdit:
    """What the reader wrote about a span: the label ("" = unchanged) and a note."""

    label: str
    note: str


class AnnotateSpan(Dialog[SpanEdit | None]):
    """A small form; entities get a label picker, quotes a speaker field."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, span: NavSpan, label: str = "", note: str = "") -> None:
        super().__init__()
        self._span = span
        self._label = label
        self._note = note

    def compose(self) -> ComposeResult:
        span = self._span
        with Vertical(classes="dialog"):
            yield Static("Annotate", classes="dialog-title", markup=False)
            shown = Text(" ".join(safe(span.text).split())[:200], style="italic")
            shown.append(f"   ({span.label})", style="dim")
            yield Static(shown, id="annotate-span", markup=False)
            if span.kind == "entity":
                current = self._label or span.label
                options = [(f"{label}", label) for label in ENTITY_LABELS]
                options.append(("not an entity", NOT_AN_ENTITY))
                yield Static("Label", classes="dialog-hint", markup=False)
                yield Select(options, value=current, allow_blank=False, id="annotate-label")
            else:
                speaker = self._label.removeprefix(SPEAKER_PREFIX) if self._label else ""
                yield Static(
                    f"Speaker (found: {safe(span.speaker) or 'none'})",
                    classes="dialog-hint",
                    markup=False,
                )
                yield Input(
                    speaker, placeholder=span.speaker or "who said it", id="annotate-speaker"
                )
            yield Static("Note", classes="dialog-hint", markup=False)
            yield Input(self._note, placeholder="a note on this span", id="annotate-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="annotate-save")
                yield Button("Cancel", id="annotate-cancel")

    def _result(self) -> SpanEdit:
        note = self.query_one("#annotate-note", Input).value.strip()
        if self._span.kind == "entity":
            value = str(self.query_one("#annotate-label", Select).value)
            label = "" if value == self._span.label else value
        else:
            speaker = self.query_one("#annotate-speaker", Input).value.strip()
            label = (
                f"{SPEAKER_PREFIX}{speaker}" if speaker and speaker != self._span.speaker else ""
            )
        return SpanEdit(label, note)

    @on(Input.Submitted)
    @on(Button.Pressed, "#annotate-save")
    def _save(self) -> None:
        self.close(self._result())

    @on(Button.Pressed, "#annotate-cancel")
    def action_cancel(self) -> None:
        self.close(None)
