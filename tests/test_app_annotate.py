"""Pilot tests for annotating from the keyboard: selecting any text (`v`), labels with one key,
the list of an article's annotations (`A`) with edit, delete and undo, span notes shown.

Same seed corpus and real store as tests/test_app.py.
"""

from __future__ import annotations

from pathlib import Path

from test_app import NEWEST, SIZE, build_app, reader, settle, sync
from textual.widgets import Input, OptionList

from store import AnnotationStore
from store.model import NOT_AN_ENTITY
from tui.config import AppConfig
from tui.screens.annotate import AnnotateSpan
from tui.screens.annotations import AnnotationsScreen
from tui.screens.reader import ReaderScreen
from tui.screens.select import SelectScreen
from tui.selection import body_text, extended, moved, sentence_of, start_selection
from tui.selection import to_sentence_end as sentence_end
from tui.widgets.info_panel import InfoPanel


def test_selection_moves_by_words_and_sentences() -> None:
    text = body_text(
        "Sir Keir Starmer's plan, he said. “It was U.S. policy,” he added.\n\nNew one."
    )
    sel = start_selection(text, 4)
    assert sel is not None

    def shown(s: object) -> str:
        return text.body[s.start : s.end]  # type: ignore[attr-defined]

    assert shown(sel) == "Keir"
    assert shown(extended(text, sel, 1)) == "Keir Starmer"  # the apostrophe ends a word
    sel = sentence_end(text, sel, 1)
    assert shown(sel) == "Keir Starmer's plan, he said."
    sel = sentence_end(text, sel, 1)  # "U.S. policy" does not end a sentence
    assert shown(sel).endswith("“It was U.S. policy,” he added.")
    assert shown(sentence_end(text, sel, -1)) == "Keir Starmer's plan, he said."
    assert shown(moved(text, sel, 1)) == "New"
    assert shown(sentence_of(text, moved(text, sel, 1))) == "New one."
    assert shown(start_selection(text, 4, 16)) == "Keir Starmer"  # type: ignore[arg-type]


@sync
async def test_select_any_text_and_label_it_with_one_key(tmp_path: Path) -> None:
    """A missed entity is added with one key; a sentence is marked as a passage."""
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        body = screen.article.body  # type: ignore[union-attr]
        await pilot.press("v")  # no span highlighted: the first word in view
        assert isinstance(app.screen, SelectScreen)
        selection = app.screen.selection
        assert body[selection.start : selection.end] == body.split()[0]
        await pilot.press("w", "l")  # the next word, one word longer
        selection = app.screen.selection
        chosen = body[selection.start : selection.end]
        assert chosen == " ".join(body.split()[1:3])
        assert screen.current_span is not None and screen.current_span.kind == "selection"
        await pilot.press("2")  # 2 = ORG
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        (span,) = app.store.get(NEWEST).spans
        assert (span.text, span.kind, span.label) == (chosen, "entity", "ORG")
        added = [
            e for e in screen.corrected().entities if (e.start, e.end) == (span.start, span.end)
        ]
        assert [e.label for e in added] == ["ORG"]
        assert screen.current_span is not None and screen.current_span.label == "ORG"
        assert "(added by you)" in str(screen.query_one("#span-bar").render())
        await pilot.press("v", "s", "9")  # the whole sentence, marked as a passage
        await settle(pilot)
        marks = [s for s in app.store.get(NEWEST).spans if s.label == "passage"]
        assert len(marks) == 1 and marks[0].kind == "span" and marks[0].text.endswith(".")
        assert any(s.kind == "mark" for s in screen.spans())
        await pilot.press("v", "escape")  # leaving changes nothing
        assert isinstance(app.screen, ReaderScreen)
        assert len(app.store.get(NEWEST).spans) == 2


@sync
async def test_x_in_selection_dismisses_the_entity_under_it(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("right_square_bracket")
        entity = screen.current_span
        assert entity is not None and entity.kind == "entity"
        await pilot.press("v", "x")
        await settle(pilot)
        (span,) = app.store.get(NEWEST).spans
        assert (span.start, span.end, span.label) == (entity.start, entity.end, NOT_AN_ENTITY)


@sync
async def test_enter_in_selection_opens_the_dialog_with_a_note(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "l", "l", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateSpan)
        await pilot.press("tab", *"check this", "enter")  # no label: a note on the passage
        await settle(pilot)
        (span,) = app.store.get(NEWEST).spans
        assert (span.kind, span.label, span.note) == ("span", "", "check this")
        screen = reader(app)
        assert "✎" in screen.query_one("#article").visible_text()  # type: ignore[attr-defined]
        await pilot.press("i")
        options = screen.query_one(InfoPanel).query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(p.startswith("Your annotations (1)") for p in prompts)
        assert any("✎ check this" in p for p in prompts)


@sync
async def test_annotation_list_edits_deletes_and_undoes(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await pilot.press("right_square_bracket", "a", "x")  # dismiss the first entity
        await pilot.press("v", "w", "w", "9")  # mark a word as a passage
        await settle(pilot)
        assert len(app.store.get(NEWEST).spans) == 2
        await pilot.press("A")
        assert isinstance(app.screen, AnnotationsScreen)
        assert len(app.screen.spans) == 2
        await pilot.press("down", "d")  # delete the passage
        await settle(pilot)
        assert [s.label for s in app.store.get(NEWEST).spans] == [NOT_AN_ENTITY]
        assert isinstance(app.screen, AnnotationsScreen) and len(app.screen.spans) == 1
        await pilot.press("u")  # undo the deletion
        await settle(pilot)
        labels = sorted(s.label for s in app.store.get(NEWEST).spans)
        assert labels == [NOT_AN_ENTITY, "passage"]
        assert len(app.screen.spans) == 2
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("e")  # edit the dismissed entity: give it a note
        assert isinstance(app.screen, AnnotateSpan)
        await pilot.press("tab", *"a title, not a person", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AnnotationsScreen)
        dismissed = app.store.get(NEWEST).span_at(
            app.screen.spans[0].start, app.screen.spans[0].end
        )
        assert dismissed is not None and dismissed.note == "a title, not a person"
        await pilot.press("enter")  # go to it
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert screen.current_span is not None and screen.current_span.kind == "dismissed"


@sync
async def test_labels_come_from_the_config(tmp_path: Path) -> None:
    config = AppConfig(path=tmp_path / "c.toml", labels={"c": "claim", "p": "PERSON"})
    app = build_app(tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "c")
        await settle(pilot)
        (span,) = app.store.get(NEWEST).spans
        assert (span.kind, span.label) == ("span", "claim")
        await pilot.press("v", "w", "a")  # the dialog lists the configured labels
        options = app.screen.query_one("#annotate-label", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].split() == ["c", "claim"] and prompts[1].split()[:2] == ["p", "PERSON"]
        await pilot.press("escape")


@sync
async def test_a_store_with_two_spans_on_one_range_shows_one(tmp_path: Path) -> None:
    """Annotating a range again (here: after the dialog) keeps one span, updated."""
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "a", "tab", *"first", "enter")
        await settle(pilot)
        await pilot.press("a")
        assert app.screen.query_one("#annotate-note", Input).value == "first"
        await pilot.press("x")
        await settle(pilot)
        (span,) = store.get(NEWEST).spans
        assert (span.label, span.note) == (NOT_AN_ENTITY, "first")


def test_no_label_key_can_be_a_key_the_selection_bar_uses() -> None:
    from textual.binding import Binding

    from tui.config import SELECTION_KEYS, parse_config

    names = {"right_square_bracket": "]", "left_square_bracket": "[", "right_parenthesis": ")"}
    names |= {"left_parenthesis": "(", "question_mark": "?"}
    used = {
        names.get(key, key)
        for binding in SelectScreen.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
        if len(names.get(key, key)) == 1
    }
    assert used <= SELECTION_KEYS
    config = parse_config({"labels": {"w": "claim", "c": "claim", "cc": "x", "d": "person"}})
    assert config.labels == {"c": "claim", "d": "PERSON"}
    assert len(config.problems) == 2


def test_the_annotation_list_names_who_made_each_annotation() -> None:
    from store.model import SpanAnnotation
    from tui.screens.annotations import annotation_line

    made = SpanAnnotation("s1", 0, 4, "Keir", label="PERSON", annotator="ana")
    assert "by ana" in annotation_line(made).plain
    unnamed = SpanAnnotation("s2", 0, 4, "Keir", label="PERSON")
    assert " by " not in annotation_line(unnamed).plain
    hostile = SpanAnnotation("s3", 0, 4, "Keir", annotator="\x1b[31mred")
    assert "\x1b" not in annotation_line(hostile).plain
