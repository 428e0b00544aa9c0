"""The command palette provider: every reader action by name, plus a toggle per entity type."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from corpus.model import ENTITY_LABELS
from tui.config import key_display
from tui.render import LABEL_NAMES


class ReaderCommands(Provider):
    """Offers the reader screen's bindings and the entity-type toggles."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        from tui.screens.reader import ReaderScreen

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return
        for binding in ReaderScreen.BINDINGS:
            if not isinstance(binding, Binding) or binding.action == "back":
                continue
            keys = self.app.config.keymap.get(binding.id or "", binding.key)  # type: ignore[attr-defined]
            help_text = f"key: {key_display(keys)}"
            yield binding.description, help_text, partial(screen.run_action, binding.action)
        yield "Open help (all keys)", "key: ?", partial(self.app.run_action, "help")
        for label in ENTITY_LABELS:
            state = "hide" if label in screen.enabled_labels else "show"
            name = f"Highlight: {state} {label} ({LABEL_NAMES[label]})"
            yield name, "toggle this entity type", partial(screen.toggle_label, label)
        yield "Newest first / oldest first", "key: o", partial(screen.run_action, "flip_order")
        yield "Clear all filters", "", partial(_clear_filters, screen)
        yield "Leave search results", "key: esc", partial(screen.run_action, "back")

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _clear_filters(screen: object) -> None:
    from tui.screens.reader import ReaderScreen

    if isinstance(screen, ReaderScreen):
        screen.filters.clear()
        screen.relist()
