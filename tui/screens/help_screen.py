"""`?`: every key binding with its description and id (the id is what config.toml rebinds).

Keys and descriptions can come from the config file (rebound keys, quick tag names) and the
path names a folder of the user's system: all of it is drawn as inert text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui.render import safe
from tui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    """A table of (keys, action, id) rows read from the live binding table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str, str, str]], config_path: str) -> None:
        super().__init__()
        self._rows = list(rows)
        self._config_path = config_path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static("Keys", classes="dialog-title", markup=False)
            table: DataTable[Text] = DataTable(
                cursor_type="row", zebra_stripes=True, id="help-table"
            )
            yield table
            yield Static(
                f'Rebind in {safe(self._config_path)} under [keys]: id = "key" · esc closes',
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Action", "Id (for config)")
        for where, keys, description, binding_id in self._rows:
            table.add_row(
                Text(safe(where), style="dim"),
                Text(safe(keys), style="bold"),
                Text(safe(description)),
                Text(safe(binding_id), style="dim"),
            )
        table.focus()

    def action_close(self) -> None:
        self.close(None)
