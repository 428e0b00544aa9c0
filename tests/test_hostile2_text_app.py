"""Hostile text from outside the corpus, drawn by the app: folder names, config values, keys.

The turn-one suite (tests/test_hostile_app.py) covers article text, tags, notes, queries and
file names of articles. These tests cover what reaches the screen from elsewhere: the current
folder the export dialog starts in, the config file's path, `[keys]` values (footer, help,
command palette), binding ids, quick tags and the theme name, and tags a hand-edited store
file holds (the tag prompt's completion). Each is drawn with every encoding of an escape we
know of (OSC title and clipboard writes, CSI, DCS, 8-bit C1 controls, bidi overrides,
zero-width characters) and with Rich/Textual markup; every check reads what the compositor
would send to the terminal (`assert_screen_inert` of tests/test_hostile_app.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from test_app import NEWEST, SIZE, build_app, reader, sync
from test_hostile_app import assert_screen_inert
from textual.widgets import Input, Select, Static

from store import AnnotationStore
from tui.app import NewsreaderApp
from tui.config import AppConfig, load_config, parse_config
from tui.headless import settle
from tui.screens.export_screen import ExportScreen
from tui.screens.help_screen import HelpScreen

PAYLOADS = ("PWNED", "ZXZpbA")
"""Payloads of escapes that text filtering removes; a *name* (a path) keeps them, spelled out
(`visible_name`: the name must still say which file it is), so path checks pass `NAMES`."""
NAMES: tuple[str, ...] = ()
# One escape of each family, each carrying a payload that must never be drawn.
ESCAPES = {
    "osc-title": "\x1b]0;PWNED\x07",
    "osc-clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "osc8-link": "\x1b]8;;https:PWNED.example\x1b\\",  # (no "/": it is a folder name too)
    "csi": "\x1b[2J\x1b[31m",
    "dcs": "\x1bPq#0;PWNED\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;PWNED\x9c",
    "bidi": "\u202e\u2066",
    "zero-width-and-bell": "\u200b\x07",
}


def screen_text(app: NewsreaderApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def warnings_of(app: NewsreaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "warning"]


# --- the export dialog's folder ------------------------------------------------------------------


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
@sync
async def test_the_export_dialog_draws_a_hostile_folder_inert_and_exports_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, escape: str
) -> None:
    folder = tmp_path / f"news{escape}room"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")  # something to export
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert_screen_inert(app, NAMES)
        shown = app.screen.query_one("#export-path", Input).value
        assert shown.startswith(str(tmp_path)) and shown.endswith("newsreader-annotations.json")
        assert "\\x" in shown or "\\u" in shown  # the hidden characters spelled out
        await pilot.click("#export-go")
        await settle(pilot)
        assert_screen_inert(app, NAMES)  # the "Exported to" notification too
    written = folder / "newsreader-annotations.json"  # the real folder, not a look-alike
    assert written.exists(), sorted(p.name for p in tmp_path.iterdir())
    assert NEWEST in written.read_text(encoding="utf-8")


@sync
async def test_changing_the_format_keeps_exporting_into_the_hostile_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "line\nbreak\x1b]0;PWNED\x07"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-format", Select).value = "csv"
        await settle(pilot)
        shown = app.screen.query_one("#export-path", Input).value
        assert shown.endswith("newsreader-annotations.csv") and "\\x0a" in shown
        assert_screen_inert(app, NAMES)
        await pilot.click("#export-go")
        await settle(pilot)
    assert (folder / "newsreader-annotations.csv").exists()


@sync
async def test_a_path_typed_outside_the_shown_folder_is_taken_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "odd\x1b]0;PWNED\x07"
    folder.mkdir()
    monkeypatch.chdir(folder)
    elsewhere = tmp_path / "plain" / "out.csv"
    elsewhere.parent.mkdir()
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(elsewhere)
        await pilot.click("#export-go")
        await settle(pilot)
    assert elsewhere.exists()


# --- [keys] values and binding ids ---------------------------------------------------------------

HOSTILE_KEYS = {
    **ESCAPES,
    "markup-bold": "[b]x[/b]",
    "markup-click": "[@click=app.quit]t",
    "markup-link": "[link=https://PWNED.example]t[/link]",
    "markup-variable": "[$accent]t",
    "not-a-key": "ctrl+shfit+t",
}


@pytest.mark.parametrize("value", HOSTILE_KEYS.values(), ids=HOSTILE_KEYS.keys())
@sync
async def test_hostile_key_values_are_refused_with_a_warning_and_never_drawn(
    tmp_path: Path, value: str
) -> None:
    config = parse_config(
        tomllib.loads(f'[keys]\ntag = "{_toml_escape(value)}"\n'), tmp_path / "config.toml"
    )
    assert config.keymap == {"tag": value}  # TOML really delivers the characters
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.config.keymap == {}, "a key that is no key name was bound"
        (warning,) = [w for w in warnings_of(app) if "[keys] tag" in w]
        assert "not a key name" in warning
        footer = assert_screen_inert(app, PAYLOADS).splitlines()[-1]
        assert " t Tag " in footer  # the default key stays
        await pilot.press("t")  # ... and works
        await settle(pilot)
        assert app.screen.__class__.__name__ == "TagPrompt"
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert_screen_inert(app, PAYLOADS)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+p")
        await pilot.press(*"Tag")
        await settle(pilot)
        await pilot.pause(0.3)
        palette = assert_screen_inert(app, PAYLOADS)
        assert "key: t" in palette
        assert app.is_running


@sync
async def test_an_unknown_binding_id_is_warned_about_inertly(tmp_path: Path) -> None:
    config = parse_config(
        tomllib.loads('[keys]\ntga = "x"\n"\\u001b]0;PWNED\\u0007star" = "y"\nstar = "S"\n'),
        tmp_path / "config.toml",
    )
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warnings = warnings_of(app)
        assert any("[keys] tga: no binding has this id" in w for w in warnings), warnings
        assert any("\\x1b]0;PWNED\\x07star: no binding" in w for w in warnings), warnings
        assert app.config.keymap == {"star": "S"}  # the good entry still applies
        assert_screen_inert(app, PAYLOADS)
        await pilot.press("S")
        await settle(pilot)
        assert app.store.get(NEWEST).starred


@sync
async def test_every_binding_id_the_config_can_use_is_accepted_and_listed(tmp_path: Path) -> None:
    """The ids of the corpus views and the compare screen are rebindable and shown by `?`."""
    config = AppConfig(
        keymap={"people-sort": "S", "timeline-earlier": "left,y", "diff-next": "ctrl+n"},
        path=tmp_path / "config.toml",
    )
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not warnings_of(app)
        assert app.config.keymap == config.keymap
        ids = {row[3] for row in app.binding_rows()}
        assert {"people-sort", "timeline-earlier", "diff-next", "tag", "quit"} <= ids
        assert ("People", "S", "Sort", "people-sort") in app.binding_rows()


# --- quick tags, the theme, the config file's own path --------------------------------------------


@sync
async def test_a_quick_tag_with_escapes_toggles_the_tag_the_store_keeps(tmp_path: Path) -> None:
    config = parse_config(
        tomllib.loads('[quick_tags]\n1 = "\\u001b[31murgent\\u202e\\u001b]0;PWNED\\u0007"\n'),
        tmp_path / "config.toml",
    )
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.store.get(NEWEST).tags == ("urgent",)
        await pilot.press("1")  # toggles off: the config's tag is the stored tag
        await settle(pilot)
        assert app.store.get(NEWEST).tags == ()
        assert_screen_inert(app, PAYLOADS)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Toggle tag 'urgent'" in assert_screen_inert(app, PAYLOADS)


@sync
async def test_the_palette_draws_config_text_without_interpreting_markup(tmp_path: Path) -> None:
    config = AppConfig(
        quick_tags={1: "[b]urgent[/b]", 2: "[@click=app.quit]x[/]"}, path=tmp_path / "c.toml"
    )
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Toggle tag")
        await settle(pilot)
        await pilot.pause(0.3)
        palette = assert_screen_inert(app, PAYLOADS)
        assert "Toggle tag '[b]urgent[/b]'" in palette
        assert "[@click=app.quit]x[/]" in palette
        assert app.is_running


@sync
async def test_a_hostile_theme_name_is_reported_inert(tmp_path: Path) -> None:
    config = AppConfig(theme="\x1b]0;PWNED\x07dark\u202e", path=tmp_path / "c.toml")
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("unknown theme" in w.lower() for w in warnings_of(app))
        assert_screen_inert(app, PAYLOADS)


@sync
async def test_a_hostile_config_path_is_spelled_out_in_help_and_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "conf\x1b]0;PWNED\x07\u202e"
    folder.mkdir()
    path = folder / "config.toml"
    path.write_text("theme = [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(path))
    app = build_app(tmp_path, config=load_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (warning,) = warnings_of(app)
        assert "conf\\x1b]0;PWNED\\x07\\u202e" in warning  # names the file it is about
        assert_screen_inert(app, NAMES)
        await pilot.press("question_mark")
        await settle(pilot)
        assert_screen_inert(app, NAMES)
        hint = str(app.screen.query_one(".dialog-hint", Static).render())
        assert "conf\\x1b]0;PWNED\\x07\\u202e" in hint


# --- tags a hand-edited store holds --------------------------------------------------------------


@sync
async def test_the_tag_prompt_completes_a_hostile_stored_tag_inertly(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    AnnotationStore(path).add_tags(NEWEST, ["placeholder"])
    raw = path.read_text(encoding="utf-8")
    evil = "evil\\u001b]0;PWNED\\u0007\\u009b2Jtag\\u202e"
    path.write_text(raw.replace("placeholder", evil), encoding="utf-8")
    store = AnnotationStore(path)
    assert "\x1b" in store.get(NEWEST).tags[0]  # it really is in the store
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_screen_inert(app, PAYLOADS)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"ev")
        await settle(pilot)
        assert_screen_inert(app, PAYLOADS)  # the completion offered in the field
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert_screen_inert(app, PAYLOADS)
        assert "eviltag" in reader(app).annotations_of(NEWEST).tags


def _toml_escape(value: str) -> str:
    """`value` as the inside of a TOML basic string (controls as \\uXXXX)."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def test_toml_escape_round_trips() -> None:
    for value in HOSTILE_KEYS.values():
        assert tomllib.loads(f'k = "{_toml_escape(value)}"')["k"] == value
