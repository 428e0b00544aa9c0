"""The command palette provider: every reader action by name, plus a toggle per entity type.

Textual parses a hit's text and help as Content markup; ours carry config text (rebound keys,
quick tag names), so every hit is built as plain `Content`, never parsed, and the text made
inert first (`binding_label`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from corpus.model import ENTITY_LABELS
from tui.render import LABEL_NAMES, SHOW_SPEAKERS, safe


class ReaderCommands(Provider):
    """Offers the reader screen's bindings and the entity-type toggles."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        from tui.screens.reader import ReaderScreen

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return
        app: Any = self.app
        for binding in ReaderScreen.BINDINGS:
            if not isinstance(binding, Binding) or binding.action == "back":
                continue
            keys, description = app.binding_label(binding)
            yield description, f"key: {keys}", partial(screen.run_action, binding.action)
        yield "Open help (all keys)", "key: ?", partial(self.app.run_action, "help")
        for label in ENTITY_LABELS:
            state = "hide" if label in screen.enabled_labels else "show"
            name = f"Highlight: {state} {label} ({LABEL_NAMES[label]})"
            yield name, "toggle this entity type", partial(screen.toggle_label, label)
        state = "hide" if SHOW_SPEAKERS in screen.enabled_labels else "show"
        yield (
            f"Highlight: {state} the speaker after quotes",
            "key: h",
            partial(screen.toggle_label, SHOW_SPEAKERS),
        )
        yield "Newest first / oldest first", "key: o", partial(screen.run_action, "flip_order")
        yield "Clear all filters", "", partial(_clear_filters, screen)
        yield "Leave search results", "key: esc", partial(screen.run_action, "back")

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(plain(name), callback, text=name, help=plain(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, name),
                    callback,
                    text=name,
                    help=plain(help_text),  # type: ignore[arg-type]
                )


def plain(text: str) -> Content:
    """Text for the palette as Content that is never parsed as markup; inert."""
    return Content(safe(text))


def highlight(matcher: Matcher, name: str) -> Content:
    """`name` with the characters the query matched highlighted, without parsing markup.

    (`Matcher.highlight` parses its candidate as markup.)
    """
    content = plain(name)
    score, offsets = matcher.fuzzy_search.match(matcher.query, content.plain)
    if not score:
        return content
    for offset in offsets:
        if not content.plain[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _clear_filters(screen: object) -> None:
    from tui.screens.reader import ReaderScreen

    if isinstance(screen, ReaderScreen):
        screen.filters = []  # (a watcher relists)
