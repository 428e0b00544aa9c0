"""The entity legend over the article: one chip per type, click (or `h`) to toggle it."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.message import Message
from textual.widgets import Static

from corpus.model import ENTITY_LABELS


class LegendChip(Static):
    """One entity type; coloured when on, struck through when off."""

    def __init__(self, label: str) -> None:
        super().__init__(Text(f" {label} "), classes=f"chip entity-{label.lower()}")
        self.label = label

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(EntityLegend.Toggled(self.label))


class EntityLegend(HorizontalGroup):
    """Shows which entity types are highlighted; a chip click asks to toggle its type."""

    class Toggled(Message):
        """The reader clicked a type's chip."""

        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    DEFAULT_CSS = """
    EntityLegend { height: 1; padding: 0 1; background: $surface; }
    EntityLegend LegendChip { width: auto; }
    EntityLegend LegendChip.-off {
        background: transparent;
        color: $text-disabled;
        text-style: strike;
    }
    """

    def compose(self) -> ComposeResult:
        for label in ENTITY_LABELS:
            yield LegendChip(label)

    def show_enabled(self, enabled: Iterable[str]) -> None:
        on = set(enabled)
        for chip in self.query(LegendChip):
            chip.set_class(chip.label not in on, "-off")
