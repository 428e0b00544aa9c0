"""`e`: export the annotations: choose a format and a file path.

The dialog stays open while the export runs (in the reader's worker): a failure is shown in
it, naming the file that could not be written, with the typed path kept to be corrected.

The path is pre-filled in the current folder, whose name is the user's system's, not ours: a
folder named with escape sequences would retitle the window or write the clipboard when the
field is drawn. The field shows the folder as `visible_name` spells it (`\\x1b` ...) and the
export still goes to the real folder: a typed path that starts with the shown folder is
read as the real one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from corpus.textsafe import visible_name
from tui.render import safe
from tui.screens.dialog import Dialog


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """The format and the file to write."""

    format: str
    path: Path


class ExportScreen(Dialog[ExportChoice | None]):
    """Format + path; the app runs the export in a worker and reports how it went."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        formats: Sequence[str],
        default_dir: Path,
        run: Callable[[ExportChoice], None] | None = None,
    ) -> None:
        """`run` starts the export and reports back with `export_finished`; without it the
        dialog dismisses with the choice."""
        super().__init__()
        self._run = run
        self.running = False
        self._formats = [safe(f) for f in formats] or ["json"]
        self._default_dir = default_dir
        self._shown_dir = visible_name(str(default_dir))

    def compose(self) -> ComposeResult:
        first = self._formats[0]
        with Vertical(classes="dialog"):
            yield Static("Export annotations", classes="dialog-title", markup=False)
            yield Select(
                [(f, f) for f in self._formats], value=first, allow_blank=False, id="export-format"
            )
            yield Input(self._shown(f"newsreader-annotations.{first}"), id="export-path")
            yield Static("", id="export-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def _shown(self, name: str) -> str:
        """The path of `name` in the default folder, as the field shows it."""
        return self._shown_dir.rstrip(os.sep) + os.sep + name

    def chosen_path(self, typed: str) -> Path:
        """The file a typed path means: one under the shown default folder is in the real one."""
        prefix = self._shown_dir.rstrip(os.sep) + os.sep
        if self._shown_dir != str(self._default_dir) and typed.startswith(prefix):
            return self._default_dir / typed[len(prefix) :]
        return Path(typed).expanduser()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        field = self.query_one("#export-path", Input)
        path = Path(field.value or f"newsreader-annotations.{event.value}")
        field.value = str(path.with_suffix(f".{event.value}"))

    def _submit(self) -> None:
        if self.running:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.query_one("#export-error", Static).update("Type a file path")
            return
        fmt = str(self.query_one("#export-format", Select).value)
        choice = ExportChoice(fmt, self.chosen_path(raw))
        if self._run is None:
            self.close(choice)
            return
        self.running = True
        self.query_one("#export-go", Button).disabled = True
        self.query_one("#export-error", Static).update(f"Exporting to {visible_name(raw)}…")
        self._run(choice)

    def export_finished(self, choice: ExportChoice, error: str | None) -> None:
        """The export is done: close, or show why it failed and keep the path to fix."""
        self.running = False
        self.query_one("#export-go", Button).disabled = False
        if error is None:
            self.close(choice)
            return
        self.query_one("#export-error", Static).update(f"Export failed: {error}")
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self._submit()

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self._submit()

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.close(None)  # (a running export finishes; the reader reports it)
