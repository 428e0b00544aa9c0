"""The base of every modal dialog: dismisses once, however fast keys arrive."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A modal screen whose `close` is safe to call twice (two quick enters, a click + key)."""

    def close(self, result: ResultT) -> None:
        if self.is_current:
            self.dismiss(result)
