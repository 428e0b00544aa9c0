"""`n`: the article note in a multi-line editor; what is typed is never lost.

The reader saves the note when the editor closes. Until then the text lives in a draft:
half a second after the typing stops (and at least every few seconds while it goes on) the
editor writes it to the store's drafts folder (`store.drafts`), in a worker, so the UI never
waits on the disk; on SIGHUP/SIGTERM the app writes it at once (`save_draft_now`). When the
note is opened again and an unsaved draft is found, the editor shows the draft and says so;
`ctrl+r` switches between the draft and the saved note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from corpus.textsafe import visible_text
from store.drafts import NoteDraft, NoteDrafts, as_stored
from tui.render import safe
from tui.screens.dialog import Dialog

HINT = "esc / ctrl+s save and close · ctrl+g discard the changes"


class NoteEditor(Dialog[str | None]):
    """Edit a note; `esc` or `ctrl+s` closes and returns the text, `ctrl+g` closes and
    discards the changes; a draft is kept meanwhile.

    Dismisses with the text when it changed, None when it did not. `article_id` and
    `drafts` say where the draft goes; without them the editor takes the article under the
    reader's sidebar cursor (the one `n` opens the note of) and the app's `note_drafts`.
    """

    DRAFT_DELAY: ClassVar[float] = 0.5
    """Seconds without typing before the draft is written."""
    DRAFT_MAX_WAIT: ClassVar[float] = 5.0
    """Seconds of continuous typing after which the draft is written anyway."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "save", "Save and close", priority=True),
        Binding("ctrl+s", "save", "Save and close", show=False),
        Binding("ctrl+r", "swap_draft", "Unsaved draft / saved note", show=False),
        Binding("ctrl+g", "discard", "Discard the changes", show=False, priority=True),
    ]

    class DraftFound(Message):
        """A draft of this note was found on disk (posted by the worker that looked)."""

        def __init__(self, draft: NoteDraft) -> None:
            super().__init__()
            self.draft = draft

    def __init__(
        self,
        title: str,
        text: str,
        original: str | None = None,
        *,
        article_id: str | None = None,
        drafts: NoteDrafts | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._original = text if original is None else original
        self._article_id = article_id  # no id (an editor outside the reader): no draft
        self._drafts = drafts
        self._draft_timer: Timer | None = None
        self._pending_since: float | None = None
        self._asked: tuple[str | None] | None = None  # the last draft write asked for
        self._restored: str | None = None  # an unsaved draft found on disk, offered back
        self._showing_draft = False
        self._finished = False
        self._warned = False
        self.discarded = False
        """True when the reader closed with ctrl+g: nothing typed is kept, no draft either."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield TextArea(
                safe(self._text), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            yield Static(HINT, id="note-hint", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        if self._drafts is None:
            self._drafts = getattr(self.app, "note_drafts", None)
        if self._article_id is not None and self._drafts is not None:
            self._find_draft(self._drafts, self._article_id)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    # -- offering a draft back ---------------------------------------------------------------

    @work(thread=True, group="note-draft-find", exit_on_error=False)
    def _find_draft(self, drafts: NoteDrafts, article_id: str) -> None:
        draft = drafts.load(article_id)
        if draft is not None:
            self.post_message(self.DraftFound(draft))

    @on(DraftFound)
    def _draft_found(self, event: DraftFound) -> None:
        draft = event.draft
        if self._finished:
            return
        if as_stored(draft.text) == as_stored(self._original):
            self._write_draft(None)  # the store has it: the draft is done with
            return
        if self._text != self._original:
            return  # the reader handed over this session's own unsaved text: newer
        self._restored = draft.text
        when = _when(draft.saved)
        if self.text == self._text:  # nothing typed yet: show the draft
            self._show(draft.text, showing_draft=True)
            changed = " (the saved note has changed since)" if draft.base != self._original else ""
            self._hint(f"Unsaved text from {when} restored{changed} · ctrl+r: the saved note")
        else:
            self._hint(f"Unsaved text from {when} was found · ctrl+r: show it")

    def action_swap_draft(self) -> None:
        if self._restored is None:
            self._hint(f"{HINT} · no unsaved draft of this note")
            return
        if self._showing_draft:
            self._restored = self.text  # keep what was typed over the draft, too
            self._show(self._original, showing_draft=False)
            self._hint("The saved note · ctrl+r: back to the unsaved text")
        else:
            self._show(self._restored, showing_draft=True)
            self._hint("The unsaved text · ctrl+r: the saved note")

    def _show(self, text: str, *, showing_draft: bool) -> None:
        self._showing_draft = showing_draft
        area = self.query_one(TextArea)
        area.load_text(safe(text))
        area.move_cursor(area.document.end)

    def _hint(self, text: str) -> None:
        self.query_one("#note-hint", Static).update(safe(text))

    # -- keeping the draft -------------------------------------------------------------------

    @on(TextArea.Changed, "#note-text")
    def _typed(self) -> None:
        if self._finished or self._article_id is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        if now - self._pending_since >= self.DRAFT_MAX_WAIT:
            self._draft_due()
        else:
            self._draft_timer = self.set_timer(self.DRAFT_DELAY, self._draft_due)

    def _draft_due(self) -> None:
        self._draft_timer = None
        self._pending_since = None
        if self._finished:
            return
        text = self.text
        if text != self._original:
            self._write_draft(text)
        elif self._restored is None:
            self._write_draft(None)  # typed back to the saved note: nothing unsaved
        # (the saved note shown over a restored draft: the draft stays until the editor closes)

    def _write_draft(self, text: str | None) -> None:
        """Write the draft (None: delete it) in a worker of the app, which outlives the editor."""
        drafts, article_id = self._drafts, self._article_id
        if drafts is None or article_id is None or self._asked == (text,):
            return
        self._asked = (text,)
        ticket = drafts.ask(article_id, text)
        base = self._original
        app = self.app

        def job() -> None:
            try:
                if text is None:
                    drafts.discard(article_id, ticket)
                else:
                    drafts.save(article_id, text, base, ticket)
            except OSError as error:
                app.call_from_thread(self._draft_failed, error)

        app.run_worker(
            job, name="note draft", group="note-drafts", thread=True, exit_on_error=False
        )

    def _draft_failed(self, error: OSError) -> None:
        if self._warned:
            return
        self._warned = True
        self.app.notify(
            visible_text(f"Could not keep a draft of the note: {error.strerror or error}"),
            title="Draft not kept",
            severity="warning",
            markup=False,
            timeout=8,
        )

    def save_draft_now(self) -> None:
        """Write the draft at once, on this thread: the program is being told to stop."""
        if self._finished or self._drafts is None or self._article_id is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        text = self.text
        if text == self._original:
            return
        self._asked = (text,)
        with contextlib.suppress(OSError):  # nothing more can be done on the way out
            self._drafts.save(self._article_id, text, self._original)

    # -- closing -----------------------------------------------------------------------------

    def action_discard(self) -> None:
        """Close without saving; the draft of this note is dropped too."""
        if self._finished:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._asked = None
        self._write_draft(None)
        self._finished = True
        self.discarded = True
        self.close(None)

    def action_save(self) -> None:
        if self._finished:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        text = self.text
        # Until the store has saved the note, the draft holds it (a failed save, a signal).
        self._write_draft(text if text != self._original else None)
        self._finished = True
        self.close(text if text != self._original else None)


def _when(saved: str) -> str:
    """A draft's ISO time as the reader's clock shows it: "14:03", or "3 Mar 14:03"."""
    try:
        moment = dt.datetime.fromisoformat(saved).astimezone()
    except ValueError:
        return "an earlier session"
    today = dt.datetime.now().astimezone().date()
    return moment.strftime("%H:%M" if moment.date() == today else "%-d %b %H:%M")
