"""The base of every modal dialog: dismisses once, and keeps pasted text inert."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from corpus.textsafe import has_unsafe, make_safe

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A modal screen whose `close` is safe to call twice (two quick enters, a click + key).

    Text pasted into its fields (copied from a web page, it can carry escape sequences and
    bidi controls) is cleaned as soon as it arrives, before it is drawn or used.
    """

    def close(self, result: ResultT) -> None:
        if self.is_current:
            self.dismiss(result)

    @on(Input.Changed)
    def _clean_input(self, event: Input.Changed) -> None:
        if has_unsafe(event.value):
            event.input.value = make_safe(event.value)

    @on(TextArea.Changed)
    def _clean_text_area(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if has_unsafe(area.text):
            area.text = make_safe(area.text)
            area.move_cursor(area.document.end)
