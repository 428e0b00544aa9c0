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

_TOKENS = re.compile(r'"([^"]*)"?|\'([^\']*)\'?|([^,\s"\']+)|(,)')


def split_tags(value: str) -> list[str]:
    """Tags typed in the prompt, duplicates dropped, in order.

    With a comma, commas separate tags and a tag may hold spaces (`uk politics, brexit`);
    without one, spaces separate them (`brexit trade`); quotes keep a tag with spaces
    together either way (`"uk politics" brexit`).
    """
    seen: dict[str, None] = {}
    if _has_bare_comma(value):
        parts = _split_outside_quotes(value)
    else:
        parts = [next(g for g in m.groups() if g is not None) for m in _TOKENS.finditer(value)]
    for part in parts:
        tag = " ".join(part.strip().strip("\"'").split())
        if tag and tag != ",":
            seen.setdefault(tag, None)
    return list(seen)


def _has_bare_comma(value: str) -> bool:
    return any(m.group(4) for m in _TOKENS.finditer(value))


def _split_outside_quotes(value: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote: str | None = None
    for char in value:
        if quote is not None:
            if char == quote:
                quote = None
            else:
                current.append(char)
        elif char in "\"'":
            quote = char
        elif char == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _partial(value: str) -> tuple[str, bool]:
    """The tag being typed at the end of `value`, and whether it is inside quotes."""
    if value.count('"') % 2:
        return value[value.rfind('"') + 1 :], True
    if _has_bare_comma(value):
        return value[value.rfind(",") + 1 :].lstrip(), False
    match = re.search(r"([^,\s\"']*)$", value)
    return (match.group(1) if match else ""), False


class TagSuggester(Suggester):
    """Completes the last tag being typed from the existing tags, most used first."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        # A suggestion is drawn in the field before it is accepted: inert, like every tag shown
        # (a hand-edited store file can hold a tag the store would not have accepted).
        self._tags = [safe(t) for t in sorted(counts, key=lambda t: (-counts[t], t))]

    async def get_suggestion(self, value: str) -> str | None:
        partial, quoted = _partial(value)
        if not partial:
            return None
        folded = partial.casefold()
        comma_mode = _has_bare_comma(value)
        for tag in self._tags:
            if tag.casefold().startswith(folded) and tag != partial:
                head = value[: len(value) - len(partial)]
                if quoted:
                    return head + tag + '"'
                if " " in tag and not comma_mode:  # a tag with spaces goes in quotes
                    return head + f'"{tag}"'
                return head + tag
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
                placeholder='tags: brexit trade · uk politics, brexit · "uk politics" trade',
                suggester=TagSuggester(self._counts),
                id="tag-input",
            )
            yield Static(self._known_tags(""), id="tag-known", markup=False)
            yield Static(
                "enter add · tab/→ complete · esc cancel", classes="dialog-hint", markup=False
            )

    def _known_tags(self, value: str) -> Text:
        partial = _partial(value)[0].casefold()
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
