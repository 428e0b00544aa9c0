"""The header line: corpus name, counts, active filters or search, loading progress."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tui.render import safe


class StatusBar(Static):
    """One line at the top; every part is inert text (names and queries come from users)."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $primary-background;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.text = Text()
        """The line last shown (tests read it)."""

    def show(
        self,
        *,
        corpus: str,
        listed: int,
        total: int,
        tagged: int,
        starred: int,
        unread: int,
        filters: Sequence[str] = (),
        search: str | None = None,
        loading: str | None = None,
        read_only: bool = False,
    ) -> None:
        line = Text()
        line.append("newsreader", style="bold")
        line.append("  ")
        line.append(safe(corpus), style="bold")
        line.append(f"  {listed:,}" if listed != total else f"  {total:,}")
        if listed != total:
            line.append(f"/{total:,}")
        line.append(" article" if total == 1 and listed == total else " articles")
        if loading:
            line.append(f"  {loading}", style="italic")
        counts = [f"{tagged:,} tagged" if tagged else "", f"{starred:,} starred" if starred else ""]
        counts.append(f"{unread:,} unread")
        line.append("".join(f" · {c}" for c in counts if c), style="dim")
        if search is not None:
            line.append("  search: ", style="bold")
            line.append(safe(search), style="reverse")
        for label in filters:
            line.append("  ")
            line.append(f" {safe(label)} ", style="reverse")
        if read_only:
            line.append("  READ-ONLY STORE", style="bold red")
        self.text = line
        self.update(line)
