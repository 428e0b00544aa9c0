"""`n`: the article note in a multi-line editor, saved when the editor closes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from tui.render import safe
from tui.screens.dialog import Dialog


class NoteEditor(Dialog[str | None]):
    """Edit a note; `esc` or `ctrl+s` closes and returns the text, `ctrl+q`... never loses it.

    Dismisses with the text when it changed, None when it did not.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "save", "Save and close", priority=True),
        Binding("ctrl+s", "save", "Save and close", show=False),
    ]

    def __init__(self, title: str, text: str, original: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._original = text if original is None else original

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield TextArea(
                safe(self._text), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            yield Static("esc / ctrl+s save and close", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.close(text if text != self._original else None)
