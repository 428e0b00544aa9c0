"""Drive the installed `newsreader` command in a real terminal (tmux): tag an article, quit,
and check that the store file holds the tag. Skipped where tmux or the command is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from store import AnnotationStore

NEWSREADER = Path(sys.executable).with_name("newsreader")

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or not NEWSREADER.exists(),
    reason="needs tmux and the installed newsreader command",
)


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=20)
    return done.stdout


def wait_for(check: Callable[[], bool], seconds: float = 60.0) -> bool:
    """Poll `check` until it is true (a condition, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_tag_in_a_real_terminal_reaches_the_store(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    session = f"nr-test-{uuid.uuid4().hex[:8]}"
    env = {
        "NEWSREADER_CONFIG": str(tmp_path / "config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    exports = " ".join(f"{key}={value}" for key, value in env.items())
    command = f"env {exports} {NEWSREADER} --db {db} --cache {tmp_path / 'index.sqlite'}"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", command)
    try:

        def screen() -> str:
            return tmux("capture-pane", "-p", "-t", session)

        assert wait_for(lambda: "Undated" in screen() and "loading" not in screen()), screen()
        tmux("send-keys", "-t", session, "t")
        assert wait_for(lambda: "Add tags" in screen()), screen()
        tmux("send-keys", "-t", session, "-l", "from-tmux second-tag")
        tmux("send-keys", "-t", session, "Enter")
        assert wait_for(lambda: "1 tagged" in screen()), screen()
        tmux("send-keys", "-t", session, "q")
        assert wait_for(lambda: session not in tmux("list-sessions")), screen()
    finally:
        if session in tmux("list-sessions"):
            tmux("kill-session", "-t", session)
    tagged = {k: v.tags for k, v in AnnotationStore(db).all().items() if v.tags}
    assert list(tagged.values()) == [("from-tmux", "second-tag")]
