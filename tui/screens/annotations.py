"""`A`: the open article's annotations in one list: go to one, edit, delete, undo.

Each line is one annotated range (a corrected or added entity, "not an entity", a speaker, a
marked passage, a note): its label, its text, who made it and its note; a span whose text
could not be found again after the cleaner changed the body is flagged. The reader owns the
store: this list asks it (`edit`, `delete`, `undo` callbacks) and is refreshed by it (`show`).

Keys: enter goes to the span (and closes), `e` edits it, `d` or delete removes it, `u` undoes
the last annotation change, esc closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX, SpanAnnotation
from tui.render import safe
from tui.screens.dialog import Dialog


def describe_label(span: SpanAnnotation) -> str:
    """How a span's label reads in lists: "not an entity", "speaker: X", "note" ..."""
    if span.label == NOT_AN_ENTITY:
        return "not an entity"
    if span.label.startswith(SPEAKER_PREFIX):
        return "speaker: " + span.label.removeprefix(SPEAKER_PREFIX)
    return span.label or "note"


def annotation_line(span: SpanAnnotation, width: int = 40) -> Text:
    """One annotation as a list line: label, text, note (inert)."""
    line = Text()
    line.append(f"{safe(describe_label(span))[:22]:<22} ", style="bold")
    text = " ".join(safe(span.text).split())
    line.append(text if len(text) <= width else text[: width - 1] + "…", style="italic")
    if span.annotator:  # (who set it: stores are merged across people for agreement)
        line.append(f"  by {safe(span.annotator)}", style="dim")
    if not span.anchored:
        line.append("  (text not found in this version)", style="bold red")
    if span.note:
        note = " ".join(safe(span.note).split())
        line.append(f"\n{'':22} ✎ {note[:70]}", style="dim")
    return line


class AnnotationsScreen(Dialog[int | None]):
    """Lists the article's annotations; dismisses with the start of one to go to, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("e", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("u", "undo", "Undo"),
    ]

    def __init__(
        self,
        article_id: str,
        title: str,
        spans: Sequence[SpanAnnotation],
        *,
        edit: Callable[[SpanAnnotation], None],
        delete: Callable[[SpanAnnotation], None],
        undo: Callable[[], None],
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self._title = title
        self._spans = list(spans)
        self._edit = edit
        self._delete = delete
        self._undo = undo

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog annotations-dialog"):
            yield Static(f"Annotations: {safe(self._title)}", classes="dialog-title", markup=False)
            yield OptionList(id="annotations-list")
            yield Static(
                "enter go to · e edit · d delete · u undo · esc close",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.show(self._spans)
        self.query_one(OptionList).focus()

    def show(self, spans: Sequence[SpanAnnotation]) -> None:
        """List `spans` (the reader calls this after every change), keeping the cursor."""
        options = self.query_one(OptionList)
        keep = options.highlighted
        self._spans = list(spans)
        options.clear_options()
        if not self._spans:
            options.add_option(
                Option(
                    Text("No annotations yet: v selects text, a annotates a span", style="dim"),
                    disabled=True,
                )
            )
            return
        options.add_options(
            [Option(annotation_line(s), id=str(i)) for i, s in enumerate(self._spans)]
        )
        options.highlighted = min(keep or 0, len(self._spans) - 1)

    @property
    def spans(self) -> list[SpanAnnotation]:
        return list(self._spans)

    def _current(self) -> SpanAnnotation | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self._spans):
            return None
        return self._spans[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        current = self._current()
        if current is not None:
            self.close(current.start)

    def action_edit(self) -> None:
        current = self._current()
        if current is not None:
            self._edit(current)

    def action_delete(self) -> None:
        current = self._current()
        if current is not None:
            self._delete(current)

    def action_undo(self) -> None:
        self._undo()

    def action_close(self) -> None:
        self.close(None)
