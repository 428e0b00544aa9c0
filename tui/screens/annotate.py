"""`a`: annotate a span: a label (one key each), "not an entity", a quote's speaker, a note.

The label list shows every configured label with its key (`tui.config` `[labels]`); pressing
a key while the list has focus picks that label and saves. An entity type adds or corrects an
entity; "not an entity" dismisses a found one (it stays reachable, dimmed, so the choice can
be undone here); any other label marks a passage; "no label" keeps only the note. A quote gets
a speaker field instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from corpus.model import ENTITY_LABELS
from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX
from tui.config import DEFAULT_LABELS
from tui.render import LABEL_NAMES, NavSpan, safe
from tui.screens.dialog import Dialog

__all__ = ["NOT_AN_ENTITY", "SPEAKER_PREFIX", "AnnotateSpan", "SpanEdit", "label_kind"]

NO_LABEL = ""
DISMISS_KEY = "x"
NO_LABEL_KEY = "-"


@dataclass(frozen=True, slots=True)
class SpanEdit:
    """What the reader wrote about a span: the label ("" = none: the found entity as found,
    or a note only) and a note."""

    label: str
    note: str


def label_kind(label: str, *, quote: bool = False) -> str:
    """The store's span kind for a label: "entity" for an entity type or "not an entity",
    "quote" for a quote's speaker, "span" for a marked passage."""
    if quote or label.startswith(SPEAKER_PREFIX):
        return "quote"
    if label == NOT_AN_ENTITY or label in ENTITY_LABELS:
        return "entity"
    return "span"


class AnnotateSpan(Dialog[SpanEdit | None]):
    """A small form: a label list with one key per label (or a speaker field) and a note.

    `span` is what is annotated (a found entity or quote, a dismissed entity, a marked
    passage, or a selection); `found` the type the recogniser gave the range (None: it found
    no entity there); `label`/`note` what the reader stored before.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        span: NavSpan,
        label: str = "",
        note: str = "",
        *,
        labels: Mapping[str, str] | None = None,
        found: str | None = None,
    ) -> None:
        super().__init__()
        self._span = span
        self._label = label
        self._note = note
        self._labels = dict(labels if labels is not None else DEFAULT_LABELS)
        self._found = found
        self._choices: list[tuple[str, str]] = []  # (key, label) in list order

    @property
    def is_quote(self) -> bool:
        return self._span.kind in ("quote", "scare")

    def compose(self) -> ComposeResult:
        span = self._span
        with Vertical(classes="dialog annotate-dialog"):
            shown = Text("Annotate ", style="bold")
            shown.append(" ".join(safe(span.text).split())[:160], style="italic")
            shown.append(f"   ({self._describe()})", style="dim")
            yield Static(shown, id="annotate-span", markup=False)
            if self.is_quote:
                speaker = self._label.removeprefix(SPEAKER_PREFIX) if self._label else ""
                yield Static(
                    f"Speaker (found: {safe(span.speaker) or 'none'})",
                    classes="dialog-hint",
                    markup=False,
                )
                yield Input(
                    speaker, placeholder=span.speaker or "who said it", id="annotate-speaker"
                )
            else:
                yield OptionList(*self._label_options(), id="annotate-label")
            yield Input(self._note, placeholder="note on this span (tab)", id="annotate-note")
            hint = "key: label and save · " if not self.is_quote else ""
            yield Static(
                f"{hint}enter save · tab note · esc cancel", classes="dialog-hint", markup=False
            )

    def _describe(self) -> str:
        span = self._span
        if span.kind == "selection":
            return f"selection; found: {self._found}" if self._found else "selection"
        if span.kind == "dismissed":
            return f"found as {span.label}; you said: not an entity"
        if span.kind == "mark":
            return f"your mark: {safe(span.label) or 'note'}"
        if self._found and self._found != span.label:
            return f"{span.label}; found as {self._found}"
        return safe(span.label)

    def _current_label(self) -> str:
        """The label the list starts on: the stored one, else the found type."""
        if self._label:
            return self._label
        return self._found or NO_LABEL

    def _label_options(self) -> list[Option]:
        choices = [(key, label) for key, label in self._labels.items()]
        known = {label for _, label in choices}
        if self._found and self._found not in known:
            choices.insert(0, ("", self._found))
        if self._found is not None:
            choices.append((DISMISS_KEY, NOT_AN_ENTITY))
        choices.append((NO_LABEL_KEY, NO_LABEL))
        self._choices = choices
        options: list[Option] = []
        for index, (key, label) in enumerate(choices):
            line = Text(f" {key or ' '}  ", style="bold")
            if label == NOT_AN_ENTITY:
                line.append("not an entity")
            elif label == NO_LABEL:
                line.append("no label", style="italic")
                line.append("  (a note only)" if self._found is None else "  (as found)", "dim")
            else:
                line.append(safe(label))
                if label in LABEL_NAMES:
                    line.append(f"  {LABEL_NAMES[label]}", style="dim")
            if label == self._found:
                line.append("  · found", style="dim")
            options.append(Option(line, id=str(index)))
        return options

    def on_mount(self) -> None:
        if self.is_quote:
            self.query_one("#annotate-speaker", Input).focus()
            return
        options = self.query_one("#annotate-label", OptionList)
        current = self._current_label()
        index = next((i for i, (_, label) in enumerate(self._choices) if label == current), 0)
        options.highlighted = index
        options.focus()

    def _chosen_label(self) -> str:
        options = self.query_one("#annotate-label", OptionList)
        index = options.highlighted
        label = self._choices[index][1] if index is not None else NO_LABEL
        return NO_LABEL if label == self._found else label

    def _result(self) -> SpanEdit:
        note = self.query_one("#annotate-note", Input).value.strip()
        if self.is_quote:
            speaker = self.query_one("#annotate-speaker", Input).value.strip()
            label = (
                f"{SPEAKER_PREFIX}{speaker}"
                if speaker and speaker != self._span.speaker
                else NO_LABEL
            )
            return SpanEdit(label, note)
        return SpanEdit(self._chosen_label(), note)

    def on_key(self, event: events.Key) -> None:
        """A label's key, pressed while the label list has focus, picks it and saves."""
        if self.is_quote or not isinstance(self.focused, OptionList):
            return
        key = event.character
        index = next((i for i, (k, _) in enumerate(self._choices) if k and k == key), None)
        if index is None:
            return
        event.stop()
        event.prevent_default()
        self.query_one("#annotate-label", OptionList).highlighted = index
        self.close(self._result())

    @on(OptionList.OptionSelected, "#annotate-label")
    @on(Input.Submitted)
    def _save(self, event: events.Event) -> None:
        event.stop()
        self.close(self._result())

    def action_cancel(self) -> None:
        self.close(None)
