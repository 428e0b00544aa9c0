"""Fixtures shared by several test files."""

from __future__ import annotations

from pathlib import Path

import pytest

# Escape sequences (colour, window title, OSC 52 clipboard write), BEL, a bidi override, a
# zero-width space and a line break that would forge a line of newsreader's own output.
HOSTILE_ARTICLE_NAME = "evil\x1b[31mred\x07\u202ename\x1b]0;PWNED\x07.txt"
HOSTILE_SKIPPED_NAME = "skip\x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07\nnewsreader: forged\u200b.bin"


@pytest.fixture(autouse=True)
def _own_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the config (or the state the app keeps beside it) of the machine it runs
    on: the corpus last opened there would change what `export` reads."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(folder / "config.toml"))


@pytest.fixture
def hostile_names(tmp_path: Path) -> Path:
    """A readable article and a skipped file, both with escape sequences in their names."""
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / HOSTILE_ARTICLE_NAME).write_text(
        "The bridge reopened on Monday after repairs, the council said.\n", encoding="utf-8"
    )
    (folder / HOSTILE_SKIPPED_NAME).write_bytes(b"not an article")
    return folder
