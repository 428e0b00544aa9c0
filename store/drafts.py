"""Drafts of notes being typed, kept on disk until the note itself is saved.

The note editor saves its note when it closes; a terminal that is closed, a logout or a
killed tmux session ends the program before that. So the editor keeps a draft as the user
types (and when the program is told to stop), one small file per article in a folder beside
the annotation store (`annotations.json.drafts/`), and offers it back the next time that
note is opened. A draft is deleted once the store holds the same text, or when the user
closes the editor on the saved note.

A draft file is written atomically (temp file, fsync, rename) with mode 0600, and read with
a size bound and a regular-file check, so a damaged or planted file is ignored, never obeyed.
Writes come from worker threads: a draft carries a ticket, taken when the write was asked
for, and an older ticket never overwrites a newer one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from corpus.textsafe import make_safe
from store.records import clean_note
from store.storage import atomic_write_bytes

DRAFT_FORMAT = "newsreader-note-draft"
MAX_DRAFT_BYTES = 8 * 1024 * 1024
"""A draft file larger than this is not a draft newsreader wrote: it is ignored."""


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the user typed for an article's note, over which saved note, and when."""

    article_id: str
    text: str
    base: str  # the saved note the editor was opened on
    saved: str  # ISO time (UTC) the draft was written


def drafts_folder(store_path: Path) -> Path:
    """The folder of note drafts for the store at `store_path`."""
    return store_path.with_name(store_path.name + ".drafts")


def as_stored(text: str) -> str:
    """A note as the store keeps it (inert text; blank is no note), to compare with a draft."""
    return clean_note(text)


class NoteDrafts:
    """The drafts folder of one store: `save`, `load`, `discard`, newest request wins.

    Writes run on worker threads, so each is asked for first (`ask`, on the asking thread),
    which numbers it and records the text wanted; a write whose number is older than one
    already applied is skipped.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._tickets = 0
        self._applied: dict[str, int] = {}  # article id -> ticket of the last write applied
        self._wanted: dict[str, str | None] = {}  # article id -> newest text asked for / seen

    def ask(self, article_id: str, text: str | None) -> int:
        """Number a write of `text` (None: a delete) about to be handed to a worker."""
        with self._lock:
            self._tickets += 1
            self._wanted[article_id] = text
            return self._tickets

    def latest(self, article_id: str) -> str | None:
        """The newest draft text this process asked for or read for the article, or None."""
        with self._lock:
            return self._wanted.get(article_id)

    def path_for(self, article_id: str) -> Path:
        digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / f"{digest[:32]}.json"

    def save(self, article_id: str, text: str, base: str, ticket: int | None = None) -> bool:
        """Write the draft; False when a newer request was already applied.

        Raises OSError when the folder or file cannot be written.
        """
        ticket = self.ask(article_id, text) if ticket is None else ticket
        with self._lock:
            if ticket < self._applied.get(article_id, 0):
                return False
            record = {
                "format": DRAFT_FORMAT,
                "article_id": article_id,
                "text": text,
                "base": base,
                "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            data = json.dumps(record, ensure_ascii=True).encode("ascii")
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write_bytes(self.path_for(article_id), data, mode=0o600)
            self._applied[article_id] = ticket
            return True

    def discard(self, article_id: str, ticket: int | None = None) -> bool:
        """Delete the draft; False when a newer request was already applied."""
        ticket = self.ask(article_id, None) if ticket is None else ticket
        with self._lock:
            if ticket < self._applied.get(article_id, 0):
                return False
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path_for(article_id))
            self._applied[article_id] = ticket
            return True

    def load(self, article_id: str) -> NoteDraft | None:
        """The article's draft, or None (none, unreadable, not a draft, another article's)."""
        path = self.path_for(article_id)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_DRAFT_BYTES:
                return None
            with os.fdopen(fd, "rb", closefd=False) as stream:
                data = stream.read(MAX_DRAFT_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        draft = _parse(data, article_id)
        if draft is not None:
            with self._lock:
                self._wanted.setdefault(article_id, draft.text)
        return draft


def _parse(data: bytes, article_id: str) -> NoteDraft | None:
    if len(data) > MAX_DRAFT_BYTES:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("format") != DRAFT_FORMAT:
        return None
    text, base, saved = record.get("text"), record.get("base"), record.get("saved")
    if record.get("article_id") != article_id or not isinstance(text, str):
        return None
    return NoteDraft(
        article_id=article_id,
        text=make_safe(text),
        base=make_safe(base) if isinstance(base, str) else "",
        saved=saved if isinstance(saved, str) else "",
    )
