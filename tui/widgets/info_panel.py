"""The info panel (`i`): the article's entities by type with mention counts, and its quotes.

Choosing a line posts `InfoPanel.SpanChosen` with the body offset of the first mention (or the
quote), and the reader scrolls the article there.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from corpus.model import ENTITY_LABELS, Article
from tui.render import LABEL_NAMES, safe


def _shorten(text: str, width: int) -> str:
    text = " ".join(safe(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class InfoPanel(Vertical):
    """Entities grouped by type and quotes with speakers for one article."""

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

    def show_article(self, article: Article | None) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if article is None:
            return
        items: list[Option | None] = []
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
        if not items:
            items.append(Option(Text("No entities or quotes found", style="dim"), disabled=True))
        options.add_options(items)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if ":" in option_id:
            self.post_message(self.SpanChosen(int(option_id.split(":", 1)[1])))
