"""`t`: add one or more tags to the article, completing from the tags already in use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Static

from tui.render import safe
from tui.screens.dialog import Dialog

_SEPARATORS = re.compile(r"[,\s]+")


def split_tags(value: str) -> list[str]:
    """Tags typed in the prompt: separated by commas or spaces, duplicates dropped, in order."""
    seen: dict[str, None] = {}
    for tag in _SEPARATORS.split(value):
        tag = tag.strip()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


class TagSuggester(Suggester):
    """Completes the last tag being typed from the existing tags, most used first."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        # A suggestion is drawn in the field before it is accepted: inert, like every tag shown
        # (a hand-edited store file can hold a tag the store would not have accepted).
        self._tags = [safe(t) for t in sorted(counts, key=lambda t: (-counts[t], t))]

    async def get_suggestion(self, value: str) -> str | None:
        match = re.search(r"([^,\s]*)$", value)
        partial = match.group(1) if match else ""
        if not partial:
            return None
        folded = partial.casefold()
        for tag in self._tags:
            if tag.casefold().startswith(folded) and tag != partial:
                return value[: len(value) - len(partial)] + tag
        return None


class TagPrompt(Dialog[list[str] | None]):
    """Asks for tags; `tab` or `→` accepts the completion; enter adds them all."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "complete", "Complete", show=False, priority=True),
    ]

    def __init__(self, counts: Mapping[str, int], current: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._counts = dict(counts)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Add tags", classes="dialog-title", markup=False)
            yield Input(
                placeholder="tags, separated by spaces or commas",
                suggester=TagSuggester(self._counts),
                id="tag-input",
            )
            yield Static(self._known_tags(""), id="tag-known", markup=False)
            yield Static(
                "enter add · tab/→ complete · esc cancel", classes="dialog-hint", markup=False
            )

    def _known_tags(self, value: str) -> Text:
        partial = (_SEPARATORS.split(value)[-1] if value else "").casefold()
        text = Text()
        if self._current:
            text.append("on this article: ", style="dim")
            text.append(", ".join(safe(t) for t in self._current))
            text.append("\n")
        matches = [
            t
            for t in sorted(self._counts, key=lambda t: (-self._counts[t], t))
            if t.casefold().startswith(partial)
        ][:12]
        if matches:
            text.append("in use: ", style="dim")
            for index, tag in enumerate(matches):
                if index:
                    text.append("  ")
                text.append(safe(tag))
                text.append(f" {self._counts[tag]}", style="dim")
        elif not self._counts:
            text.append("no tags yet", style="dim")
        return text

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#tag-known", Static).update(self._known_tags(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.close(split_tags(event.value) or None)

    def action_complete(self) -> None:
        field = self.query_one(Input)
        field.action_end()
        field.action_cursor_right()

    def action_cancel(self) -> None:
        self.close(None)
