"""`h`: choose which entity types are highlighted, and whether "— Speaker" follows quotes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from corpus.model import ENTITY_LABELS
from tui.render import LABEL_NAMES, SHOW_SPEAKERS
from tui.screens.dialog import Dialog


class HighlightsScreen(Dialog[frozenset[str] | None]):
    """A checklist of entity types; space toggles, enter/esc closes and applies.

    (enter is a priority binding: the list would take it as "toggle" otherwise.)
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", "Apply", priority=True),
        Binding("escape", "apply", "Apply"),
    ]

    def __init__(self, enabled: Iterable[str]) -> None:
        super().__init__()
        self._enabled = set(enabled)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Highlighted entity types", classes="dialog-title", markup=False)
            yield SelectionList[str](
                *[
                    (f"{label:<8} {LABEL_NAMES[label]}", label, label in self._enabled)
                    for label in ENTITY_LABELS
                ],
                (
                    f"{'—':<8} Speakers after quotes",
                    SHOW_SPEAKERS,
                    SHOW_SPEAKERS in self._enabled,
                ),
                id="highlight-types",
            )
            yield Static("space toggle · enter/esc apply", classes="dialog-hint", markup=False)

    def action_apply(self) -> None:
        self.close(frozenset(self.query_one(SelectionList).selected))
