"""What the app remembers between runs: the theme chosen in the command palette (issue 17),
the corpus last opened, which the store commands read without --corpus (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_app import build_app, settle, sync

from corpus import SAMPLE_DIR
from tui.app import make_app
from tui.cli import main
from tui.config import STATE_FILE, last_corpus, load_config


@sync
async def test_a_theme_chosen_in_the_palette_is_the_theme_of_the_next_run(
    tmp_path: Path,
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('theme = "gruvbox"\n', encoding="utf-8")
    app = build_app(tmp_path, config=load_config(config_file))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
        assert not (tmp_path / STATE_FILE).exists()  # nothing chosen: nothing written
        app.theme = "nord"  # what choosing it in the palette (ctrl+p, "theme") does
        await settle(pilot)
    assert (tmp_path / STATE_FILE).exists()
    again = build_app(tmp_path, config=load_config(config_file))
    async with again.run_test() as pilot:
        await settle(pilot)
        assert again.theme == "nord"
    # the config's theme changed since: the config is newer and wins
    config_file.write_text('theme = "dracula"\n', encoding="utf-8")
    edited = build_app(tmp_path, config=load_config(config_file))
    async with edited.run_test() as pilot:
        await settle(pilot)
        assert edited.theme == "dracula"


@sync
async def test_a_theme_that_cannot_be_saved_is_said_and_the_app_goes_on(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / STATE_FILE).mkdir()  # a folder where the state file should be
    app = build_app(tmp_path, config=load_config(config_dir / "config.toml"))
    async with app.run_test() as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("theme could not be saved" in m for m in messages)
        assert app.theme == "nord"


def test_a_damaged_state_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_bytes(b"\x00not json")
    assert load_config(tmp_path / "config.toml").saved_theme is None


@sync
async def test_the_store_commands_read_the_corpus_last_opened_in_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = tmp_path / "config.toml"
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config_file))
    corpus = tmp_path / "my news"
    shutil.copytree(SAMPLE_DIR, corpus)
    (corpus / "000_27415430c2fae0bd.txt").unlink()  # not the sample corpus any more
    db = tmp_path / "store.json"
    app = make_app(
        paths=[corpus], db_path=db, cache_path=tmp_path / "index.sqlite", config=load_config()
    )
    async with app.run_test() as pilot:
        await settle(pilot)
    assert last_corpus(load_config()) == [corpus]
    assert main(["tag", "74c6", "checked", "--db", str(db)]) == 0
    assert main(["export", "--format", "csv", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "the corpus last opened in the app" in err and "my news" in err
    assert "sample corpus" not in err
    assert "74c6b1bede9f04c4" in out and ",no," in out  # its title known: not an orphan
    shutil.rmtree(corpus)  # gone: back to the sample corpus, and said so
    assert last_corpus(load_config()) is None
    assert main(["export", "--format", "csv", "--db", str(db)]) == 0
    assert "reads the sample corpus" in capsys.readouterr().err
