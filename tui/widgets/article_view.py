"""The article pane: a Line-API scroll view that draws pre-rendered blocks of Rich text.

The blocks come from `tui.render`; this widget wraps them to its width (cached per width),
keeps, for every body block, where its lines start, so a body offset can be scrolled to, and
resolves the style names used by `tui.render` from its CSS component classes (the entity
colours are `$variables` in app.tcss, so they follow the theme).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich._wrap import divide_line
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui.render import STYLE_NAMES, Block


def component_style(widget: Widget, name: str) -> Style:
    """A component class's own style, with translucent colours blended over the widget.

    The partial style keeps only what the class sets (so an entity inside a quote stays
    italic), but carries colours unblended; the full style has the blended colours.
    """
    partial = widget.get_component_rich_style(name, partial=True)
    if partial.color is None and partial.bgcolor is None:
        return partial
    full = widget.get_component_rich_style(name)
    colours = Style(
        color=full.color if partial.color is not None else None,
        bgcolor=full.bgcolor if partial.bgcolor is not None else None,
    )
    return partial + colours


@dataclass(slots=True)
class _WrappedBlock:
    first_line: int
    breaks: list[int]  # text offsets where each wrapped line starts (0 first)


class ArticleView(ScrollView, can_focus=True):
    """Scrollable, virtualised view of an article's rendered blocks."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"article--{name}" for name in STYLE_NAMES}

    HELP_GROUP: ClassVar[str] = "Article"
    """Where the help lists this class's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="article-down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="article-up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="article-top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="article-bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id="article-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article-page-up"),
    ]

    DEFAULT_CSS = """
    ArticleView {
        padding: 0 2;
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    ArticleView > .article--title { text-style: bold; color: $text; }
    ArticleView > .article--meta { color: $text-muted; }
    ArticleView > .article--tag { background: $secondary 35%; color: $text; }
    ArticleView > .article--caption { color: $text-muted; text-style: italic; }
    ArticleView > .article--section { color: $text-muted; text-style: bold; }
    ArticleView > .article--speaker { color: $text-muted; }
    ArticleView > .article--removed { background: $error 30%; text-style: strike; }
    ArticleView > .article--match { text-style: bold underline; }
    ArticleView > .article--current { text-style: reverse; }
    ArticleView > .article--dismissed { color: $text-disabled; text-style: strike; }
    ArticleView > .article--mark { text-style: underline; background: $success 25%; }
    ArticleView > .article--noted { color: $text-warning; text-style: bold; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._blocks: list[Block] = []
        self._wrapped: list[_WrappedBlock] = []
        self._lines: list[Strip] = []
        self._wrap_width = -1
        self.reading_width = 0
        """The widest a line is drawn (0: the pane's width); the config's `reading_width`."""

    # -- content -----------------------------------------------------------------------------

    def span_styles(self) -> dict[str, Style]:
        """The Rich style of every style name `tui.render` uses, from the component classes."""
        styles: dict[str, Style] = {}
        for name in STYLE_NAMES:
            styles[name] = component_style(self, f"article--{name}")
        return styles

    def show_blocks(self, blocks: Sequence[Block], *, keep_scroll: bool = False) -> None:
        """Replace the content; scroll to the top unless `keep_scroll`."""
        self._blocks = list(blocks)
        self._wrap_width = -1
        self._rewrap()
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False)
        self.refresh()

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        if self.reading_width:
            width = min(width, self.reading_width)
        return max(10, width)

    def _rewrap(self) -> None:
        width = self._text_width()
        if width == self._wrap_width:
            return
        self._wrap_width = width
        console = self.app.console
        lines: list[Strip] = []
        wrapped: list[_WrappedBlock] = []
        for index, block in enumerate(self._blocks):
            if index and block.body_start is not None:
                lines.append(Strip([]))  # a blank line between paragraphs
            avail = max(5, width - block.indent)
            plain = block.text.plain
            breaks = [0, *divide_line(plain, avail, fold=True)] if plain else [0]
            wrapped.append(_WrappedBlock(len(lines), breaks))
            pieces = block.text.divide(breaks[1:]) if len(breaks) > 1 else [block.text]
            pad = " " * block.indent
            for piece in pieces:
                piece.rstrip_end(avail)
                line = Text(pad) + piece if pad else piece
                line.end = ""
                lines.append(Strip(list(line.render(console))))
        self._wrapped = wrapped
        self._lines = lines
        self.virtual_size = Size(width, len(lines))

    def on_resize(self) -> None:
        self._rewrap()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if self._text_width() != self._wrap_width:
            self._rewrap()
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    # -- positions ---------------------------------------------------------------------------

    def line_of_body_offset(self, body_offset: int) -> int | None:
        """The wrapped line that shows `body_offset` of the article body."""
        self._rewrap()
        for block, wrapped in zip(reversed(self._blocks), reversed(self._wrapped), strict=True):
            if block.body_start is None or block.body_start > body_offset:
                continue
            offset = block.text_offset(body_offset)
            row = bisect.bisect_right(wrapped.breaks, offset) - 1
            return wrapped.first_line + max(0, row)
        return None

    def scroll_to_body_offset(self, body_offset: int, *, only_if_hidden: bool = False) -> None:
        """Scroll so the line holding `body_offset` sits a third of the way down the view
        (`only_if_hidden`: only when that line is not on screen now)."""
        line = self.line_of_body_offset(body_offset)
        if line is None:
            return
        height = self.scrollable_content_region.height
        if only_if_hidden and self.scroll_y <= line < self.scroll_y + height:
            return
        target = max(0, line - height // 3)
        self.scroll_to(y=target, animate=False)

    def body_offset_at_line(self, line: int) -> int | None:
        """The body offset where wrapped line `line` starts (None: no body text there)."""
        self._rewrap()
        for block, wrapped in zip(self._blocks, self._wrapped, strict=True):
            if not wrapped.first_line <= line < wrapped.first_line + len(wrapped.breaks):
                continue
            if block.body_start is None:
                return None
            return block.body_offset(wrapped.breaks[line - wrapped.first_line])
        return None

    def body_offset_on_line(self, body_offset: int, step: int) -> int | None:
        """A body offset `step` body lines below (above) the one of `body_offset`."""
        line = self.line_of_body_offset(body_offset)
        if line is None:
            return None
        direction = 1 if step > 0 else -1
        for _ in range(abs(step)):
            line += direction
            while 0 <= line < len(self._lines) and self.body_offset_at_line(line) is None:
                line += direction
            if not 0 <= line < len(self._lines):
                return None
        return self.body_offset_at_line(line)

    def first_body_offset_in_view(self) -> int | None:
        """The body offset of the first body line on screen (or below it)."""
        self._rewrap()
        for line in range(int(self.scroll_y), len(self._lines)):
            offset = self.body_offset_at_line(line)
            if offset is not None:
                return offset
        return None

    def visible_text(self) -> str:
        """The plain text of every wrapped line (for tests and the tmux check)."""
        return "\n".join(strip.text for strip in self._lines)

    # -- paging (the app binds space/b to these wherever focus is) ---------------------------

    def page_forward(self) -> None:
        self.scroll_page_down(animate=False)

    def page_back(self) -> None:
        self.scroll_page_up(animate=False)
