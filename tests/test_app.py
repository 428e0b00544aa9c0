"""Pilot tests for the reader: each flow presses keys and checks the screen and the store.

The corpus is the five seed articles as analysed once (tests/fixtures/app/seeds.json), held in
a `MemoryCorpus`, so these tests do not depend on the analyser of the day; the store is a
real `AnnotationStore` in a temporary folder.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from corpus.model import Article, Entity, Quote
from corpus.source import MemoryCorpus
from store import AnnotationStore
from tui.app import NewsreaderApp, make_app
from tui.config import DEFAULT_LABELS, AppConfig
from tui.headless import settle
from tui.screens.annotate import NOT_AN_ENTITY, AnnotateSpan
from tui.screens.error_screen import ErrorScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.pick_one import PickOne
from tui.screens.reader import ReaderScreen
from tui.screens.tag_prompt import TagPrompt
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.info_panel import InfoPanel
from tui.widgets.status_bar import StatusBar

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "fixtures" / "app" / "seeds.json"
SIZE = (120, 36)

NEWEST = "cb8583c2889f7641"  # 26 Feb 2025
SECOND = "7a7d3776cb5ccbdd"  # 23 Feb 2025
UNDATED = "7a7d81bd043e34d3"


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def seed_articles() -> list[Article]:
    records = json.loads(SEEDS.read_text(encoding="utf-8"))
    articles = [Article.from_json(r) for r in records]
    return [dataclasses.replace(a, path=str(ROOT / a.path)) for a in articles]


def build_app(
    tmp_path: Path,
    *,
    articles: list[Article] | None = None,
    config: AppConfig | None = None,
    store: AnnotationStore | None = None,
) -> NewsreaderApp:
    return make_app(
        source=MemoryCorpus(articles if articles is not None else seed_articles()),
        store=store if store is not None else AnnotationStore(tmp_path / "annotations.json"),
        config=config or AppConfig(path=tmp_path / "config.toml"),
        corpus_label="seeds",
    )


def reader(app: NewsreaderApp) -> ReaderScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    return screen


def header(app: NewsreaderApp) -> str:
    return reader(app).query_one(StatusBar).text.plain


def body_text(app: NewsreaderApp) -> str:
    return reader(app).query_one(ArticleView).visible_text()


@sync
async def test_navigate_open_and_order(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        article_list = screen.query_one(ArticleList)
        assert article_list.has_focus
        assert article_list.cursor_article_id == NEWEST
        assert screen.article is not None and screen.article.id == NEWEST
        kinds = [row.kind for row in article_list.rows]
        assert kinds[0] == "day" and article_list.rows[-2].label == "Undated"
        await pilot.press("j")
        assert screen.article.id == SECOND
        assert "Sir Keir Starmer and Emmanuel Macron" in body_text(app)
        await pilot.press("k")
        assert screen.article.id == NEWEST
        await pilot.press("G")
        assert screen.article.id == UNDATED
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(ArticleView).has_focus
        assert app.store.get(UNDATED).read
        assert "4 unread" in header(app)
        await pilot.press("tab")  # focus moves on (the mouse and tab both switch panes)
        await pilot.press("escape")
        assert article_list.has_focus
        await pilot.press("o")
        assert article_list.rows[0].label == "Sat 22 Feb 2025"
        assert article_list.rows[-2].label == "Undated"


@sync
async def test_space_pages_the_article_from_the_sidebar(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app).query_one(ArticleView)
        assert view.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y > 10
        await pilot.press("b")
        await pilot.pause()
        assert view.scroll_y == 0


@sync
async def test_click_opens_an_article(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        article_list = screen.query_one(ArticleList)
        row = next(i for i, r in enumerate(article_list.rows) if r.article_id == SECOND)
        await pilot.click(ArticleList, offset=(10, row))
        await settle(pilot)
        assert screen.article is not None and screen.article.id == SECOND
        assert app.store.get(SECOND).read


@sync
async def test_tag_with_completion_several_at_once(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(SECOND, ["ukraine-war"])
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagPrompt)
        await pilot.press("u", "k", "r")
        await settle(pilot)
        await pilot.press("tab")
        field = app.screen.query_one(Input)
        assert field.value == "ukraine-war"
        await pilot.press("space", *"diplomacy", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert store.get(NEWEST).tags == ("ukraine-war", "diplomacy")
        assert reader(app).marks[NEWEST].tags == ("ukraine-war", "diplomacy")
        assert "2 tagged" in header(app)
        assert " ukraine-war " in body_text(app)


@sync
async def test_remove_tag(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(NEWEST, ["alpha", "beta"])
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        assert isinstance(app.screen, PickOne)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert store.get(NEWEST).tags == ("alpha",)
        assert reader(app).marks[NEWEST].tags == ("alpha",)


@sync
async def test_quick_tags_toggle(tmp_path: Path) -> None:
    config = AppConfig(quick_tags={1: "important", 2: "check"}, path=tmp_path / "c.toml")
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "2")
        await settle(pilot)
        assert app.store.get(NEWEST).tags == ("important", "check")
        await pilot.press("1")
        await settle(pilot)
        assert app.store.get(NEWEST).tags == ("check",)
        await pilot.press("7")  # no tag configured in slot 7: a hint, no change
        await settle(pilot)
        assert app.store.get(NEWEST).tags == ("check",)


@sync
async def test_note_editor_saves_on_close(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"First quiet line", "enter", *"second line?")  # q and ? are text here
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.store.get(NEWEST).note == "First quiet line\nsecond line?"
        assert reader(app).marks[NEWEST].note
        await pilot.press("n")
        assert app.screen.query_one(TextArea).text == "First quiet line\nsecond line?"


@sync
async def test_note_kept_when_saving_fails(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    AnnotationStore(path).set_note(NEWEST, "old")
    app = build_app(tmp_path, store=AnnotationStore(path, read_only=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.press("end", *" and new")
        await pilot.press("escape")
        await settle(pilot)
        assert AnnotationStore(path).get(NEWEST).note == "old"
        assert any("Could not save the note" in str(n.message) for n in app._notifications)
        await pilot.press("n")
        assert app.screen.query_one(TextArea).text == "old and new"


@sync
async def test_annotate_entity_as_not_an_entity(tmp_path: Path) -> None:
    """One key dismisses an entity; it stays reachable, dimmed, with its note; the found type's
    key takes the dismissal back; the range is one span in the store throughout."""
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("right_square_bracket")
        span = screen.current_span
        assert span is not None and span.kind == "entity"
        found_key = next(k for k, label in DEFAULT_LABELS.items() if label == span.label)
        await pilot.press("a")
        assert isinstance(app.screen, AnnotateSpan)
        await pilot.press("x")  # "not an entity", saved at once
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        stored = app.store.get(NEWEST).spans
        assert [(s.start, s.end, s.label) for s in stored] == [
            (span.start, span.end, NOT_AN_ENTITY)
        ]
        reachable = {(s.start, s.end): s.kind for s in screen.spans()}
        assert reachable[(span.start, span.end)] == "dismissed"
        assert screen.current_span is not None and screen.current_span.kind == "dismissed"
        await pilot.press("a", "tab", *"a verb here", "enter")  # a note, the label kept
        await settle(pilot)
        stored = app.store.get(NEWEST).spans
        assert [(s.label, s.note) for s in stored] == [(NOT_AN_ENTITY, "a verb here")]
        assert "✎ a verb here" in str(screen.query_one("#span-bar").render())
        await pilot.press("a", found_key)  # the type it was found as: not dismissed
        await settle(pilot)
        stored = app.store.get(NEWEST).spans
        assert [(s.label, s.note) for s in stored] == [("", "a verb here")]
        assert screen.current_span is not None and screen.current_span.kind == "entity"
        await pilot.press("ctrl+z")  # undo: dismissed again
        await settle(pilot)
        assert [s.label for s in app.store.get(NEWEST).spans] == [NOT_AN_ENTITY]


@sync
async def test_annotate_quote_speaker(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        for _ in range(60):
            await pilot.press("right_square_bracket")
            if screen.current_span is not None and screen.current_span.kind == "quote":
                break
        span = screen.current_span
        assert span is not None and span.kind == "quote"
        await pilot.press("a")
        field = app.screen.query_one("#annotate-speaker", Input)
        field.value = "Jane Example"
        await pilot.press("enter")
        await settle(pilot)
        assert [s.label for s in app.store.get(NEWEST).spans] == ["speaker:Jane Example"]
        assert "— Jane Example" in body_text(app).replace("\n", " ")


@sync
async def test_next_and_previous_span_scroll_the_body(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("left_square_bracket")  # wraps to the last span, far down
        last = screen.current_span
        assert last is not None
        view = screen.query_one(ArticleView)
        assert view.scroll_y > 0
        line = view.line_of_body_offset(last.start)
        assert line is not None and view.scroll_y <= line < view.scroll_y + view.size.height
        await pilot.press("right_square_bracket")
        assert screen.current_span is not None and screen.current_span.start < last.start


@sync
async def test_search_replaces_sidebar_and_escape_returns(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Macron", "enter")
        await settle(pilot)
        screen = reader(app)
        article_list = screen.query_one(ArticleList)
        kinds = {row.kind for row in article_list.rows}
        assert kinds == {"article", "snippet"}
        hit_ids = [r.article_id for r in article_list.rows if r.kind == "article"]
        assert hit_ids and all(
            "macron" in screen.source.article(i).body.casefold()
            for i in hit_ids  # type: ignore[union-attr]
        )
        snippet = next(r.snippet for r in article_list.rows if r.kind == "snippet")
        assert snippet is not None and snippet.spans  # matching words highlighted
        assert "search: Macron" in header(app)
        assert screen.search is not None and screen.search.terms == ("macron",)
        await pilot.press("escape")
        assert screen.search is None
        assert article_list.rows[0].kind == "day"


@sync
async def test_filters_stack_and_clear(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(SECOND, ["keep"])
    store.add_tags(UNDATED, ["keep"])
    store.set_starred(UNDATED, True)
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("f", *"keep", "enter")
        await settle(pilot)
        assert {s.id for s in screen.listed} == {SECOND, UNDATED}
        assert "tag:keep" in header(app)
        await pilot.press("f")
        app.screen.query_one("#filter-kind", Select).value = "starred"
        await pilot.pause()
        await pilot.click("#filter-add")
        await settle(pilot)
        assert [s.id for s in screen.listed] == [UNDATED]
        assert "starred" in header(app)
        await pilot.press("f")
        await pilot.click("#filter-clear")
        await settle(pilot)
        assert len(screen.listed) == 5


@sync
async def test_speaker_filter_runs_in_a_worker(tmp_path: Path) -> None:
    articles = seed_articles()
    speaker = next(q.speaker for q in articles[0].quotes if q.speaker)
    expected = {a.id for a in articles if any(q.speaker == speaker for q in a.quotes)}
    app = build_app(tmp_path, articles=articles)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        app.screen.query_one("#filter-kind", Select).value = "speaker"
        await pilot.pause()
        app.screen.query_one("#filter-value", Input).value = speaker
        await pilot.click("#filter-add")
        await settle(pilot)
        assert {s.id for s in reader(app).listed} == expected


@sync
async def test_date_range_filter(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        app.screen.query_one("#filter-kind", Select).value = "date"
        await pilot.pause()
        app.screen.query_one("#filter-value", Input).value = "2025-02-22..2025-02-23"
        await pilot.click("#filter-add")
        await settle(pilot)
        dates = sorted(s.date or "" for s in reader(app).listed)
        assert dates == ["2025-02-22", "2025-02-22", "2025-02-23"]


@sync
async def test_raw_view_shows_removed_segments(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("G")  # the undated article, whose cleaning removed a lot
        article = screen.article
        assert article is not None and article.removed
        removed = article.removed[0].strip()
        assert removed[:40] not in article.body
        await pilot.press("r")
        await settle(pilot)
        flat = " ".join(body_text(app).split())
        assert " ".join(removed.split())[:40] in flat
        blocks = screen.render_blocks()
        style = screen.query_one(ArticleView).span_styles()["removed"]
        assert any(span.style == style for block in blocks for span in block.text.spans)
        await pilot.press("r")
        assert " ".join(removed.split())[:40] not in " ".join(body_text(app).split())


@sync
async def test_info_panel_lists_entities_and_jumps(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("i")
        panel = screen.query_one(InfoPanel)
        assert panel.display
        options = panel.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(p.startswith("People (") for p in prompts)
        assert any(p.startswith("Quotes (") for p in prompts)
        last_quote = max(i for i, p in enumerate(prompts) if "—" in p)
        options.highlighted = last_quote
        await pilot.press("enter")
        assert screen.current_span is not None and screen.current_span.kind == "quote"
        assert screen.query_one(ArticleView).scroll_y > 0
        await pilot.press("i")
        assert not panel.display


@sync
async def test_set_date_moves_article_in_sidebar(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await pilot.press("D", *"2025-03-01", "enter")
        await settle(pilot)
        assert app.store.get(UNDATED).user_date == "2025-03-01"
        rows = reader(app).query_one(ArticleList).rows
        assert rows[0].label == "Sat 01 Mar 2025" and rows[1].article_id == UNDATED
        assert all(r.label != "Undated" for r in rows)


@sync
async def test_star_and_read_toggle_show_in_sidebar_and_header(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "u")
        await settle(pilot)
        assert app.store.get(NEWEST).starred and app.store.get(NEWEST).read
        marks = reader(app).marks[NEWEST]
        assert marks.starred and marks.read
        assert "1 starred" in header(app) and "4 unread" in header(app)
        await pilot.press("u")
        await settle(pilot)
        assert not app.store.get(NEWEST).read


@sync
async def test_restart_sees_the_tags(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    first = build_app(tmp_path, store=AnnotationStore(path))
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", *"saved", "enter")
        await settle(pilot)
    second = build_app(tmp_path, store=AnnotationStore(path))
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reader(second).marks[NEWEST].tags == ("saved",)
        assert "1 tagged" in header(second)


@sync
async def test_help_lists_bindings_with_ids(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Reader", "t", "Tag", "tag"] in rows
        assert ["Reader", "/", "Search", "search"] in rows
        assert ["Reader", "1", "Toggle tag 'important'", "quick-tag-1"] in rows
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


@sync
async def test_config_keymap_rebinds(tmp_path: Path) -> None:
    config = AppConfig(keymap={"star": "x"}, path=tmp_path / "c.toml")
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.store.get(NEWEST).starred


@sync
async def test_command_palette_runs_actions(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Star")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.get(NEWEST).starred


@sync
async def test_entity_types_toggle(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert "PERSON" in screen.enabled_labels and "DATE" not in screen.enabled_labels
        screen.toggle_label("PERSON")
        assert all(s.label != "PERSON" for s in screen.spans())
        await pilot.click("LegendChip.entity-person")
        assert "PERSON" in screen.enabled_labels


@sync
async def test_theme_change_recolours_highlights(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app).query_one(ArticleView)
        dark = view.span_styles()["entity-person"].bgcolor
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        light = view.span_styles()["entity-person"].bgcolor
        assert dark is not None and light is not None and dark != light


@sync
async def test_corrupt_store_offers_read_only(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    path.write_text("{ not json", encoding="utf-8")
    app = make_app(
        source=MemoryCorpus(seed_articles()),
        db_path=path,
        config=AppConfig(path=tmp_path / "c.toml"),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        await pilot.click("#read-only")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.store is not None and app.store.read_only
        assert "READ-ONLY" in header(app)
        await pilot.press("s")
        await settle(pilot)
        assert path.read_text(encoding="utf-8") == "{ not json"


@sync
async def test_hostile_text_is_shown_literally(tmp_path: Path) -> None:
    title = "[bold red]pwned[/] [link=https://evil.example]click[/link]"
    body = "He said “[b]not bold[/b] @click=app.quit” loudly. [on red]x[/]"
    close = body.index("”") + 1
    hostile = Article(
        id="hostile",
        path=str(tmp_path / "h.txt"),
        date="2025-01-01",
        title=title,
        source="[i]src[/i]",
        byline=None,
        body=body,
        entities=(Entity(0, 2, "He", "PERSON", "[red]Hero[/red]"),),
        quotes=(Quote(8, close, body[8:close], "direct", "[blink]Speaker[/]"),),
    )
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags("hostile", ["[bold]tag[/bold]"])
    app = build_app(tmp_path, articles=[hostile], store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = body_text(app)
        assert title in text.replace("\n", "")
        assert "[b]not bold[/b]" in text
        assert "loudly. — [blink]Speaker[/]" in " ".join(text.split())
        assert "[bold]tag[/bold]" in text
        assert reader(app).query_one(ArticleList).rows[1].label == title
        await pilot.press("i")
        options = reader(app).query_one(InfoPanel).query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("[red]Hero[/red]" in p for p in prompts)
        assert app.is_running


@pytest.mark.parametrize("query", ['"unclosed', "NOT"])
@sync
async def test_odd_search_queries_do_not_crash(tmp_path: Path, query: str) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *query, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.is_running


@sync
async def test_export_writes_the_chosen_format(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(NEWEST, ["exported-tag"])
    store.set_note(NEWEST, "a note to export")
    app = build_app(tmp_path, store=store)
    target = tmp_path / "out" / "notes.csv"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        app.screen.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-go")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
    text = target.read_text(encoding="utf-8")
    assert "exported-tag" in text and "a note to export" in text


@sync
async def test_failed_export_is_a_notification(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(blocker / "sub" / "out.json")
        await pilot.click("#export-go")
        await settle(pilot)
        assert app.is_running
        assert any("Export failed" in str(n.message) for n in app._notifications)


@sync
async def test_people_view_filters_the_sidebar(tmp_path: Path) -> None:
    articles = seed_articles()
    in_articles = {
        name: {a.id for a in articles if any(e.canonical == name for e in a.entities)}
        for name in sorted({e.canonical for a in articles for e in a.entities})
    }
    name = next(n for n, ids in in_articles.items() if 1 < len(ids) < len(articles))
    expected = in_articles[name]
    app = build_app(tmp_path, articles=articles)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert type(app.screen).__name__ == "PeopleScreen"
        app.screen.dismiss(("filter-entity", name))
        await settle(pilot)
        assert {s.id for s in reader(app).listed} == expected
        assert f"entity:{name}" in header(app)


@sync
async def test_timeline_and_speakers_views_open(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert type(app.screen).__name__ == "TimelineScreen"
        app.screen.dismiss(("filter-dates", ("2025-02-23", "2025-02-26")))
        await settle(pilot)
        assert {s.id for s in reader(app).listed} == {NEWEST, SECOND}
        await pilot.press("w")
        await settle(pilot)
        assert type(app.screen).__name__ == "SpeakersScreen"
        app.screen.dismiss(("open-article", UNDATED))
        await settle(pilot)
        assert reader(app).article is not None and reader(app).article.id == UNDATED


@sync
async def test_related_versions_and_diff(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert screen.threads is not None
        threaded = screen.query_one(ArticleList).threaded
        assert threaded  # the seeds retell one story: some are in a thread
        first = sorted(threaded)[0]
        screen.query_one(ArticleList).select_article(first)
        screen.show_article(first)
        await pilot.press("i")
        await settle(pilot)
        options = screen.query_one(InfoPanel).query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].startswith("Related (")
        options.highlighted = 1
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "DiffScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)


@sync
async def test_raw_view_follows_the_cursor(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        screen = reader(app)
        assert screen.raw_mode and screen.article is not None
        assert screen.article.id == UNDATED and UNDATED in screen.article_display.raw_text
        assert "Reading the raw file" not in body_text(app)
        assert "Raw file: removed segments marked" in body_text(app)
