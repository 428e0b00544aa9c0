"""Pilot tests for issue 18's fixes and newsboat habits: each presses keys as a newcomer did
and checks what the screen and the store then hold.

Same seed corpus and real store as tests/test_app.py; the folder and empty-corpus tests read
small corpora written into the test's temporary folder.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.color import ColorSystem
from test_app import NEWEST, SECOND, SIZE, UNDATED, build_app, header, reader, settle, sync
from textual.widgets import Button, Input, OptionList, SelectionList, Static

from store import AnnotationStore
from tui.app import make_app
from tui.config import AppConfig, parse_config, parse_filter_line
from tui.screens.confirm import Confirm
from tui.screens.export_screen import ExportScreen
from tui.screens.filter_screen import FilterScreen
from tui.screens.highlights import HighlightsScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.pick_one import PickOne
from tui.screens.reader import ReaderScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.info_panel import InfoPanel

# -- bugs ---------------------------------------------------------------------------------------


@sync
async def test_enter_in_the_highlights_dialog_applies_and_closes(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert "PERSON" in screen.enabled_labels
        await pilot.press("h")
        assert isinstance(app.screen, HighlightsScreen)
        await pilot.press("space")  # the first row: PERSON off
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        assert "PERSON" not in screen.enabled_labels


@sync
async def test_h_hides_the_speaker_after_quotes(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app).query_one(ArticleView)
        assert "— Keir Starmer" in " ".join(view.visible_text().split())
        await pilot.press("h")
        options = app.screen.query_one(SelectionList)
        options.highlighted = options.option_count - 1  # "Speakers after quotes"
        await pilot.press("space", "enter")
        assert "— Keir Starmer" not in " ".join(view.visible_text().split())


@sync
async def test_tag_filter_applies_the_completion_shown_and_tab_completes(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(SECOND, ["important"])
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", *"imp", "enter")
        await settle(pilot)
        assert "tag:important" in header(app)
        assert [s.id for s in reader(app).listed] == [SECOND]
        await pilot.press("f", *"Imp", "tab")
        assert isinstance(app.screen, FilterScreen)
        assert app.screen.query_one("#filter-value", Input).value == "important"
        await pilot.press("escape")


@sync
async def test_a_date_set_with_D_is_used_by_the_timeline_and_people(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.set_user_date(UNDATED, "2025-03-01")
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        summary = str(app.screen.query_one("#timeline-summary", Static).render())
        assert summary.startswith("5 dated articles") and "to 2025-03-01" in summary
        await pilot.press("escape")
        await pilot.press("p")
        await settle(pilot)
        shown = app.screen.shown  # type: ignore[attr-defined]
        assert max(s.last_date or "" for s in shown) == "2025-03-01"


@sync
async def test_an_empty_folder_exits_1_saying_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("About this corpus.\n", encoding="utf-8")
    app = make_app(
        paths=[empty],
        db_path=tmp_path / "annotations.json",
        cache_path=tmp_path / "index.sqlite",
        config=AppConfig(path=tmp_path / "c.toml"),
    )
    said: list[str] = []
    exit_app = app.exit

    def exit_with(*args: object, message: object = None, **kwargs: object) -> None:
        said.append(str(message))
        exit_app(*args, message=message, **kwargs)  # type: ignore[arg-type]

    app.exit = exit_with  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(50):
            if said:
                break
            await asyncio.sleep(0.1)
    assert app.return_code == 1
    assert said and "no readable article in" in said[0] and "README.md" in said[0]


@sync
async def test_a_failed_export_keeps_the_dialog_and_names_the_file(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    typed = str(blocker / "sub" / "out.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = typed
        await pilot.click("#export-go")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-path", Input).value == typed
        error = str(app.screen.query_one("#export-error", Static).render())
        assert error.startswith(f"Export failed: {typed}:") and ".tmp" not in error
        assert not app.screen.query_one("#export-go", Button).disabled
        good = tmp_path / "out.json"
        app.screen.query_one("#export-path", Input).value = str(good)
        await pilot.click("#export-go")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and good.exists()


@sync
async def test_one_article_is_one_article(tmp_path: Path) -> None:
    from test_app import seed_articles

    app = build_app(tmp_path, articles=seed_articles()[:1])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert " 1 article ·" in header(app) and "1 articles" not in header(app)


@sync
async def test_entity_colours_stay_distinct_in_256_colours(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app).query_one(ArticleView)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            await pilot.pause()
            styles = view.span_styles()
            names = [n for n in styles if n.startswith("entity-") and n != "entity-percent"]
            names += ["match", "mark"]
            cells = {}
            for name in names:
                colour = styles[name].bgcolor
                assert colour is not None, name
                cells[name] = colour.downgrade(ColorSystem.EIGHT_BIT).number
            assert len(set(cells.values())) == len(cells), (theme, cells)


@sync
async def test_timeline_list_shows_no_mark_on_unchosen_rows(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        entities = app.screen.query_one("#timeline-entities", SelectionList)
        style = entities.get_component_rich_style("selection-list--button")
        assert style.color == style.bgcolor  # the "X" of an unchosen row is not drawn


# -- notes and tags -----------------------------------------------------------------------------


@sync
async def test_ctrl_g_discards_the_changes_to_a_note(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.set_note(NEWEST, "kept")
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *" and not this")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert store.get(NEWEST).note == "kept"
        assert app.note_drafts.latest(NEWEST) is None
        await pilot.press("n")
        assert app.screen.query_one("TextArea").text == "kept"  # type: ignore[attr-defined]


@sync
async def test_tags_with_spaces_are_typed_with_a_comma_or_quotes(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", *"uk politics, brexit", "enter")
        await settle(pilot)
        assert app.store.get(NEWEST).tags == ("uk politics", "brexit")
        await pilot.press("j", "t", *'"uk p', "tab", " ", *"trade", "enter")
        await settle(pilot)
        assert app.store.get(SECOND).tags == ("uk politics", "trade")


# -- newsboat habits ----------------------------------------------------------------------------


@sync
async def test_next_unread_and_space_at_the_end_go_on(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.set_read(SECOND, True)
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        article_list = screen.query_one(ArticleList)
        await pilot.press("J")  # the second article is read: the third
        await settle(pilot)
        third = [r.article_id for r in article_list.rows if r.kind == "article"][2]
        assert article_list.cursor_article_id == third and app.store.get(third).read
        view = screen.query_one(ArticleView)
        await pilot.press("K")
        await settle(pilot)
        assert article_list.cursor_article_id == NEWEST
        for _ in range(40):
            if view.scroll_y >= view.max_scroll_y:
                break
            await pilot.press("space")
        await pilot.press("space")  # at the end: the next article
        await settle(pilot)
        assert article_list.cursor_article_id == SECOND
        assert screen.article is not None and screen.article.id == SECOND


@sync
async def test_mark_all_read_asks_then_writes_once(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert not any(a.read for a in app.store.all().values())
        await pilot.press("C", "y")
        await settle(pilot)
        assert len([a for a in app.store.all().values() if a.read]) == 5
        assert "0 unread" in header(app)


@sync
async def test_remove_one_filter_and_saved_filters(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(SECOND, ["keep"])
    store.add_tags(UNDATED, ["keep"])
    store.set_starred(UNDATED, True)
    config = AppConfig(path=tmp_path / "c.toml", saved_filters={"kept stars": "tag:keep starred"})
    app = build_app(tmp_path, store=store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("apostrophe")
        assert isinstance(app.screen, PickOne)
        await pilot.press("enter")
        await settle(pilot)
        assert [f.label for f in screen.filters] == ["tag:keep", "starred"]
        assert [s.id for s in screen.listed] == [UNDATED]
        await pilot.press("F")
        assert isinstance(app.screen, PickOne)
        await pilot.press("down", "enter")  # remove "starred", keep the tag filter
        await settle(pilot)
        assert [f.label for f in screen.filters] == ["tag:keep"]
        assert {s.id for s in screen.listed} == {SECOND, UNDATED}
        await pilot.press("F")  # one filter left: removed at once
        assert screen.filters == [] and len(screen.listed) == 5


def test_saved_filters_in_the_config_are_checked() -> None:
    config = parse_config(
        {"filters": {"ok": "tag:'uk politics' unread date:2025-02", "bad": "tags:x", "no": 3}}
    )
    assert config.saved_filters == {"ok": "tag:'uk politics' unread date:2025-02"}
    assert len(config.problems) == 2
    assert parse_filter_line("tag:'uk politics' unread") == [("tag", "uk politics"), ("unread", "")]


@sync
async def test_search_rows_show_the_date_and_n_steps_between_matches(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("slash", *"Zelensky", "enter")
        await settle(pilot)
        rows = [r for r in screen.query_one(ArticleList).rows if r.kind == "article"]
        assert rows and all(r.source for r in rows)
        assert any(r.source == "26 Feb 2025" for r in rows)
        first = screen.article
        assert first is not None
        count = first.body.casefold().count("zelensky")
        assert count >= 2
        view = screen.query_one(ArticleView)
        for _ in range(count):
            await pilot.press("n")
        assert screen.article_display.match_at == first.body.casefold().rindex("zelensky")
        assert view.scroll_y > 0
        await pilot.press("N")
        match_at = screen.article_display.match_at
        assert match_at is not None and match_at < first.body.casefold().rindex("zelensky")
        await pilot.press("escape")  # the search ends: n is the note again
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)


@sync
async def test_people_view_jumps_to_a_type_and_esc_clears_the_find_box(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        people = app.screen
        await pilot.press("2")
        assert {s.label for s in people.shown} == {"ORG"}  # type: ignore[attr-defined]
        await pilot.press("0", "slash", *"keir")
        assert people.query_one(Input).value == "keir"
        await pilot.press("escape")  # clears the box, the view stays
        assert people.query_one(Input).value == "" and app.screen is people
        await pilot.press("escape")  # leaves the box
        await pilot.press("escape")  # closes the view
        assert isinstance(app.screen, ReaderScreen)


# -- layout and undated corpora -----------------------------------------------------------------


@sync
async def test_at_80_by_24_the_article_keeps_its_room(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = reader(app)
        sidebar = screen.query_one("#sidebar")
        article = screen.query_one(ArticleView)
        assert 26 <= sidebar.size.width <= 32 and article.size.width >= 45
        footer = " ".join(str(k.render()) for k in screen.query("FooterKey"))
        assert "Quit" in footer and "Help" in footer
        await pilot.press("i")
        await settle(pilot)
        assert not sidebar.display or sidebar.has_class("-narrow-hidden")
        assert article.size.width >= 40 and screen.query_one(InfoPanel).outer_size.width >= 28
        await pilot.press("i")
        await settle(pilot)
        assert not sidebar.has_class("-narrow-hidden")


@sync
async def test_the_reading_width_caps_body_lines(tmp_path: Path) -> None:
    app = build_app(tmp_path, config=AppConfig(path=tmp_path / "c.toml", reading_width=60))
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        lines = reader(app).query_one(ArticleView).visible_text().splitlines()
        assert max(len(line) for line in lines) <= 60
        assert max(len(line) for line in lines) > 50


@sync
async def test_undated_articles_are_grouped_by_folder_which_is_their_source(tmp_path: Path) -> None:
    corpus = tmp_path / "bbc"
    stories = {
        "business": ["Shares rose on Monday, the exchange said.", "Oil fell again, traders said."],
        "sport": ["The club won the cup final on penalties, its manager said."],
    }
    for folder, texts in stories.items():
        (corpus / folder).mkdir(parents=True)
        for number, text in enumerate(texts):
            (corpus / folder / f"{number:03d}.txt").write_text(
                f"Headline {folder} {number}\n\n{text}\n", encoding="utf-8"
            )
    app = make_app(
        paths=[corpus],
        db_path=tmp_path / "annotations.json",
        cache_path=tmp_path / "index.sqlite",
        config=AppConfig(path=tmp_path / "c.toml"),
    )
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await settle(pilot)
            if reader(app).loading_status is None:
                break
            await asyncio.sleep(0.1)
        screen = reader(app)
        days = [r.label for r in screen.query_one(ArticleList).rows if r.kind == "day"]
        assert days == ["Undated · business", "Undated · sport"]
        assert "undated · business" in screen.query_one(ArticleView).visible_text()
        await pilot.press("f")
        app.screen.query_one("#filter-kind").value = "source"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press(*"spo", "enter")
        await settle(pilot)
        assert "source:sport" in header(app)
        assert [s.source for s in screen.listed] == ["sport"]


@sync
async def test_info_panel_lists_the_span_notes(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a", "tab", *"see the 23 Feb report", "enter")
        await settle(pilot)
        await pilot.press("i")
        options = reader(app).query_one(InfoPanel).query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("✎ see the 23 Feb report" in p for p in prompts)
