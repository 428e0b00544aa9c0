"""What the app remembers between runs: the theme chosen in the command palette (issue 17)."""

from __future__ import annotations

from pathlib import Path

from test_app import build_app, settle, sync

from tui.config import STATE_FILE, load_config


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
