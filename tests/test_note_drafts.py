"""Never lose what the user typed: the note editor keeps a draft until the note is saved.

Pilot tests type into the note editor and end the app without closing it (as a closed
terminal would), then open the app again on the same store and expect the text back. The
signal path is pinned by a test in which the debounce can never fire (only `exit_on_signal`
can have written the draft). Real processes in tmux are ended by a killed tmux session
(SIGHUP) and by SIGTERM while the editor is open; a second run offers the draft back.
Unit tests cover the drafts folder: newest write wins, planted or damaged files are ignored.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static, TextArea

from corpus.model import Article
from corpus.source import MemoryCorpus
from store import AnnotationStore
from tui.app import NewsreaderApp, make_app
from tui.config import AppConfig
from tui.headless import settle
from tui.screens.note_editor import NoteEditor
from tui.screens.reader import ReaderScreen

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "fixtures" / "app" / "seeds.json"
SIZE = (120, 36)
NEWEST = "cb8583c2889f7641"  # the first article in the sidebar (seeds and sample corpus)


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def seed_articles() -> list[Article]:
    records = json.loads(SEEDS.read_text(encoding="utf-8"))
    return [Article.from_json(r) for r in records]


def build_app(tmp_path: Path, *, read_only: bool = False) -> NewsreaderApp:
    return make_app(
        source=MemoryCorpus(seed_articles()),
        store=AnnotationStore(tmp_path / "annotations.json", read_only=read_only),
        config=AppConfig(path=tmp_path / "config.toml"),
        corpus_label="seeds",
    )


def drafts_in(folder: Path) -> Any:
    """A `NoteDrafts` (imported here: on a checkout without drafts the tests fail, not error)."""
    from store.drafts import NoteDrafts

    return NoteDrafts(folder)


def drafts_of(tmp_path: Path) -> Any:
    """The drafts folder of the test's store."""
    return drafts_in(drafts_folder_of(tmp_path))


def drafts_folder_of(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json.drafts"


def editor_text(app: NewsreaderApp) -> str:
    assert isinstance(app.screen, NoteEditor), app.screen
    return app.screen.query_one(TextArea).text


def editor_hint(app: NewsreaderApp) -> str:
    return str(app.screen.query_one("#note-hint", Static).render())


@pytest.fixture
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NoteEditor, "DRAFT_DELAY", 0.05, raising=False)


async def type_and_wait_for_draft(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause(0.15)
    await settle(pilot)


# --- the draft is offered back -------------------------------------------------------------------


@sync
async def test_a_note_typed_when_the_app_dies_is_offered_back(
    tmp_path: Path, quick_drafts: None
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_and_wait_for_draft(pilot, "Call the council back")
        assert isinstance(app.screen, NoteEditor)  # never closed: the app just ends
    assert AnnotationStore(tmp_path / "annotations.json").get(NEWEST).note == ""

    again = build_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor_text(again) == "Call the council back"
        assert "restored" in editor_hint(again)
        await pilot.press("end", *" on Monday")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(again.screen, ReaderScreen)
        assert again.store.get(NEWEST).note == "Call the council back on Monday"
    assert not any(drafts_folder_of(tmp_path).iterdir())  # saved: the draft is gone


@sync
async def test_the_signal_path_writes_the_draft_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGHUP/SIGTERM: `exit_on_signal` writes what is in the editor, not what was debounced."""
    monkeypatch.setattr(NoteEditor, "DRAFT_DELAY", 3600.0, raising=False)  # never fires
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"typed just now")
        assert drafts_of(tmp_path).load(NEWEST) is None
        app.exit_on_signal(signal.SIGHUP)
        draft = drafts_of(tmp_path).load(NEWEST)  # written before exit_on_signal returned
        assert draft is not None and draft.text == "typed just now"
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGHUP


@sync
async def test_a_note_that_could_not_be_saved_survives_the_app(
    tmp_path: Path, quick_drafts: None
) -> None:
    path = tmp_path / "annotations.json"
    AnnotationStore(path).set_note(NEWEST, "old")
    app = build_app(tmp_path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("end", *" and new")
        await pilot.press("escape")  # the store refuses the note: only the draft holds it
        await settle(pilot)
        assert any("Could not save the note" in str(n.message) for n in app._notifications)

    again = build_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor_text(again) == "old and new"
        assert "the saved note has changed" not in editor_hint(again)  # typed over "old"
        await pilot.press("escape")
        await settle(pilot)
    assert AnnotationStore(path).get(NEWEST).note == "old and new"
    assert drafts_of(tmp_path).load(NEWEST) is None


@sync
async def test_ctrl_r_switches_between_the_draft_and_the_saved_note(
    tmp_path: Path, quick_drafts: None
) -> None:
    path = tmp_path / "annotations.json"
    AnnotationStore(path).set_note(NEWEST, "saved text")
    drafts_of(tmp_path).save(NEWEST, "saved text, then more", base="saved text")
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor_text(app) == "saved text, then more"
        await pilot.press("ctrl+r")
        assert editor_text(app) == "saved text"
        assert "saved note" in editor_hint(app)
        await pilot.pause(0.15)
        await settle(pilot)
        # looking at the saved note does not throw the draft away ...
        assert drafts_of(tmp_path).load(NEWEST) is not None
        await pilot.press("ctrl+r")
        assert editor_text(app) == "saved text, then more"
        await pilot.press("ctrl+r", "escape")  # ... closing on the saved note does
        await settle(pilot)
    assert AnnotationStore(path).get(NEWEST).note == "saved text"
    assert drafts_of(tmp_path).load(NEWEST) is None


@sync
async def test_a_draft_the_store_already_holds_is_not_offered(
    tmp_path: Path, quick_drafts: None
) -> None:
    path = tmp_path / "annotations.json"
    AnnotationStore(path).set_note(NEWEST, "the same")
    drafts_of(tmp_path).save(NEWEST, "the same", base="")
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor_text(app) == "the same"
        assert "restored" not in editor_hint(app)
        await settle(pilot)
    assert drafts_of(tmp_path).load(NEWEST) is None


@sync
async def test_a_hostile_draft_is_shown_inert(tmp_path: Path, quick_drafts: None) -> None:
    drafts_of(tmp_path).save(NEWEST, "\x1b]0;PWNED\x07[red]kept[/red]\u202e\x9b2J", base="")
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor_text(app) == "[red]kept[/red]"
        drawn = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "\x1b" not in drawn and "PWNED" not in drawn and "\u202e" not in drawn
        assert "[red]kept[/red]" in drawn


# --- the drafts folder ---------------------------------------------------------------------------


def test_newest_write_wins_whatever_order_the_threads_run_in(tmp_path: Path) -> None:
    drafts = drafts_in(tmp_path / "d")
    first, second = drafts.ask("a", "first"), drafts.ask("a", "second")
    third = drafts.ask("a", None)
    assert drafts.save("a", "second", "", second)
    assert not drafts.save("a", "first", "", first)  # an older write arriving late
    assert drafts.load("a").text == "second"  # type: ignore[union-attr]
    assert drafts.discard("a", third)
    assert not drafts.save("a", "second again", "", second)
    assert drafts.load("a") is None


def test_draft_files_are_private_and_named_by_hash(tmp_path: Path) -> None:
    drafts = drafts_in(tmp_path / "d")
    for article_id in ("../../etc/passwd", "a`b<img src=x>", "x/y\\z", "\x1b]0;t\x07", "é" * 300):
        drafts.save(article_id, "text", "")
        path = drafts.path_for(article_id)
        assert path.parent == tmp_path / "d" and path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert drafts.load(article_id).article_id == article_id  # type: ignore[union-attr]
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o700


def test_planted_or_damaged_draft_files_are_ignored(tmp_path: Path) -> None:
    drafts = drafts_in(tmp_path / "d")
    drafts.save("a", "real", "")
    target = drafts.path_for("a")
    cases: list[Callable[[], None]] = [
        lambda: target.write_text("{not json", encoding="utf-8"),
        lambda: target.write_text("[" * 100_000, encoding="utf-8"),
        lambda: target.write_text(json.dumps({"format": "other", "text": "x"}), encoding="utf-8"),
        lambda: target.write_text(
            json.dumps({"format": "newsreader-note-draft", "article_id": "b", "text": "x"}),
            encoding="utf-8",
        ),
        lambda: target.write_bytes(b"\xff\xfe" * 10),
        lambda: os.mkfifo(target),  # a FIFO would hang a plain open()
        lambda: target.symlink_to("/dev/zero"),  # would never end
    ]
    for plant in cases:
        target.unlink(missing_ok=True)
        plant()
        assert drafts.load("a") is None
    target.unlink()
    with target.open("wb") as big:
        big.truncate(9 * 1024 * 1024)
    assert drafts.load("a") is None


@sync
async def test_a_draft_that_cannot_be_written_is_a_warning_not_a_crash(
    tmp_path: Path, quick_drafts: None
) -> None:
    (tmp_path / "annotations.json.drafts").write_text("a file where the folder goes")
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_and_wait_for_draft(pilot, "still typing")
        assert editor_text(app) == "still typing"
        assert any("draft" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.get(NEWEST).note == "still typing"


# --- real processes ---------------------------------------------------------------------------

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=20).stdout


def wait_for(check: Callable[[], bool], seconds: float = 60.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return False


def start_app(tmp_path: Path) -> tuple[str, int]:
    """The app of this checkout (`python -m tui.cli`) in a new tmux session; (session, pid)."""
    session = f"nr-drafts-{uuid.uuid4().hex[:8]}"
    env = {
        "NEWSREADER_CONFIG": str(tmp_path / "config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    exports = " ".join(f"{key}={value}" for key, value in env.items())
    command = (
        f"cd {ROOT} && exec env -u COLUMNS -u LINES {exports} {sys.executable} -m tui.cli "
        f"--db {tmp_path / 'annotations.json'} --cache {tmp_path / 'index.sqlite'}"
    )
    # A detached session is resized to the server's default size (80x24) whenever tmux
    # recalculates sizes (another session ends): pin it to 120x36 before the app starts. The
    # pane inherits COLUMNS/LINES from the test runner, which would override the real size.
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", "sleep 600")
    tmux("set-option", "-t", session, "window-size", "manual")
    tmux("resize-window", "-t", session, "-x", "120", "-y", "36")
    tmux("respawn-pane", "-k", "-t", session, command)
    pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
    return session, pid


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat_file:  # a zombie has exited
            return stat_file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


@needs_tmux
@pytest.mark.parametrize("ending", ["kill-session", "SIGTERM"])
def test_a_real_terminal_that_goes_away_keeps_the_note(tmp_path: Path, ending: str) -> None:
    session, pid = start_app(tmp_path)
    try:
        assert wait_for(lambda: "Undated" in screen(session) and "loading" not in screen(session))
        tmux("send-keys", "-t", session, "n")
        assert wait_for(lambda: "Note:" in screen(session)), screen(session)
        tmux("send-keys", "-t", session, "-l", "typed in a real terminal")
        assert wait_for(lambda: "typed in a real terminal" in screen(session)), screen(session)
        if ending == "kill-session":  # the pane's terminal closes: SIGHUP
            tmux("kill-session", "-t", session)
        else:  # a logout, a system shutdown
            os.kill(pid, signal.SIGTERM)
        assert wait_for(lambda: not alive(pid), seconds=20), "the app did not exit"
    finally:
        if session in tmux("list-sessions"):
            tmux("kill-session", "-t", session)
    assert AnnotationStore(tmp_path / "annotations.json").get(NEWEST).note == ""

    session, pid = start_app(tmp_path)  # the next run offers it back
    try:
        assert wait_for(lambda: "Undated" in screen(session) and "loading" not in screen(session))
        tmux("send-keys", "-t", session, "n")
        assert wait_for(lambda: "restored" in screen(session)), screen(session)
        assert "typed in a real terminal" in screen(session)
        tmux("send-keys", "-t", session, "Escape")
        assert wait_for(lambda: "Note:" not in screen(session)), screen(session)
        tmux("send-keys", "-t", session, "q")
        assert wait_for(lambda: not alive(pid), seconds=20), screen(session)
    finally:
        if session in tmux("list-sessions"):
            tmux("kill-session", "-t", session)
    assert AnnotationStore(tmp_path / "annotations.json").get(NEWEST).note == (
        "typed in a real terminal"
    )
    assert not any(drafts_folder_of(tmp_path).iterdir())
