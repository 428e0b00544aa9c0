"""The info panel (`i`): the article's entities by type with mention counts, its quotes, and
the reader's own annotations (labels and span notes).

Choosing a line posts `InfoPanel.SpanChosen` with the body offset of the first mention (or the
quote), and the reader scrolls the article there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from corpus.model import ENTITY_LABELS, Article
from store.model import SpanAnnotation
from tui.render import LABEL_NAMES, safe


def _shorten(text: str, width: int) -> str:
    text = " ".join(safe(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class InfoPanel(Vertical):
    """Entities grouped by type and quotes with speakers for one article."""

    class RelatedChosen(Message):
        """The reader chose a related article: open it (`diff` True: compare with it, `d`)."""

        def __init__(self, article_id: str, diff: bool = False) -> None:
            super().__init__()
            self.article_id = article_id
            self.diff = diff

    class SpanChosen(Message):
        """The reader chose an entity or quote; `start` is its body offset."""

        def __init__(self, start: int) -> None:
            super().__init__()
            self.start = start

    DEFAULT_CSS = """
    InfoPanel { width: 40; background: $panel; border-left: vkey $foreground 20%; }
    InfoPanel #info-title { padding: 0 1; text-style: bold; color: $text-accent; }
    InfoPanel OptionList { background: $panel; border: none; height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Entities and quotes", id="info-title", markup=False)
        yield OptionList(id="info-options")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "diff", "Compare", show=False, id="info-diff"),
    ]

    def show_article(
        self,
        article: Article | None,
        related: Sequence[tuple[str, str, float]] = (),
        annotations: Sequence[SpanAnnotation] = (),
    ) -> None:
        """Entities, quotes, `related` (article id, title, similarity) and the reader's
        `annotations` of `article`."""
        options = self.query_one(OptionList)
        options.clear_options()
        if article is None:
            return
        items: list[Option | None] = []
        if related:
            items.append(
                Option(Text(f"Related ({len(related)})  d: compare", style="bold"), disabled=True)
            )
            for article_id, title, similarity in related:
                line = Text(f"  {similarity:.2f} ", style="dim")
                line.append(_shorten(title, 26))
                items.append(Option(line, id=f"r{len(items)}:{article_id}"))
        by_label: dict[str, Counter[str]] = {}
        first_mention: dict[tuple[str, str], int] = {}
        for entity in article.entities:
            name = entity.canonical or entity.text
            by_label.setdefault(entity.label, Counter())[name] += 1
            first_mention.setdefault((entity.label, name), entity.start)
        for label in ENTITY_LABELS:
            counts = by_label.get(label)
            if not counts:
                continue
            heading = Text(f"{LABEL_NAMES.get(label, label)} ({len(counts)})", style="bold")
            items.append(Option(heading, disabled=True))
            for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())):
                line = Text("  ")
                line.append(_shorten(name, 30))
                line.append(f" ×{count}", style="dim")
                start = first_mention[(label, name)]
                items.append(Option(line, id=f"e{len(items)}:{start}"))
        quotes = [q for q in article.quotes if q.kind == "direct"]
        if quotes:
            items.append(Option(Text(f"Quotes ({len(quotes)})", style="bold"), disabled=True))
            for quote in quotes:
                line = Text("  ")
                line.append(_shorten(quote.text, 34), style="italic")
                line.append(f"\n    — {safe(quote.speaker) or 'unattributed'}", style="dim")
                items.append(Option(line, id=f"q{len(items)}:{quote.start}"))
        if annotations:
            from tui.screens.annotations import describe_label

            heading = Text(f"Your annotations ({len(annotations)})  A: list", style="bold")
            items.append(Option(heading, disabled=True))
            for span in annotations:
                line = Text("  ")
                line.append(_shorten(describe_label(span), 16), style="bold")
                line.append(" ")
                line.append(_shorten(span.text, 20), style="italic")
                if span.note:
                    line.append(f"\n    ✎ {_shorten(span.note, 60)}", style="dim")
                items.append(Option(line, id=f"a{len(items)}:{span.start}"))
        if not items:
            items.append(Option(Text("No entities or quotes found", style="dim"), disabled=True))
        options.add_options(items)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        kind, _, value = option_id.partition(":")
        if kind.startswith("r"):
            self.post_message(self.RelatedChosen(value))
        elif value:
            self.post_message(self.SpanChosen(int(value)))

    def action_diff(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        if highlighted is None:
            return
        kind, _, value = (options.get_option_at_index(highlighted).id or "").partition(":")
        if kind.startswith("r"):
            self.post_message(self.RelatedChosen(value, diff=True))
