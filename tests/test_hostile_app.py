"""Terminal and markup injection through the app: what the real widgets draw is inert.

The hostile fixture corpus (tests/fixtures/hostile) is analysed by the real pipeline and held
in a `MemoryCorpus`; the store holds tags and a note full of markup and escape sequences. The
app runs headless (`run_test(size=(120, 36))`); every check reads what the compositor would
send to the terminal (`render_strips`: the text and the Rich style of every cell) and the SVG
screenshot, and asserts:

- markup such as ``[bold]``, ``[link=...]``, ``[@click=app.quit]`` is shown literally, so
  neither Rich nor Textual interpreted it (no hyperlink, no click action in any cell's style);
- no control character, bidi control or lone surrogate is drawn;
- the payloads of removed escape sequences (window titles, clipboard data) never appear.

A last test feeds articles that break the `Document` contract (raw escapes in the title,
body and path, as a stale cache or a third-party `CorpusSource` could) to check the app's
own defence.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import re
import shutil
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input, TextArea

from corpus.analyze import analyze_paths
from corpus.model import Article
from corpus.source import MemoryCorpus
from store.annotations import AnnotationStore
from tui.app import NewsreaderApp, make_app
from tui.config import AppConfig
from tui.headless import settle
from tui.screens.reader import ReaderScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
SIZE = (120, 36)
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)
PAYLOADS = ("PWNED", "ZXZpbA", "cm0gLXJmIH4", "window title")
HOSTILE_TAGS = [
    "[bold]urgent[/bold]",
    "[link=https://evil.example]x[/link]",
    "\x1b]0;PWNED\x07title",
    "\x1b]52;c;ZXZpbA==\x07clip",
    "bidi\u202eevil",
]
HOSTILE_NOTE = "[red]note[/red] \x1b[2J\x1b]52;c;ZXZpbA==\x07 [@click=app.quit]quit[/] end"


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture(scope="module")
def hostile_articles(tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(FIXTURES, folder)
    articles = analyze_paths([folder]).articles
    assert len(articles) == 3
    return articles


def build_app(tmp_path: Path, articles: list[Article], store: AnnotationStore) -> NewsreaderApp:
    return make_app(
        source=MemoryCorpus(articles),
        store=store,
        config=AppConfig(path=tmp_path / "config.toml"),
        corpus_label="hostile",
    )


def reader(app: NewsreaderApp) -> ReaderScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    return screen


def drawn(app: NewsreaderApp) -> list[Strip]:
    """The cells the compositor would write to the terminal for the current screen."""
    return app.screen._compositor.render_strips()


def assert_screen_inert(app: NewsreaderApp, payloads: tuple[str, ...] = PAYLOADS) -> str:
    """No unsafe character, hyperlink or click action anywhere on screen; returns its text."""
    strips = drawn(app)
    lines = [strip.text for strip in strips]
    text = "\n".join(lines)
    found = UNSAFE.search(text)
    assert found is None, f"{found.group()!r} drawn on screen:\n{text}"
    for strip in strips:
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            assert not style.link, f"a hyperlink on screen: {style.link!r} over {segment.text!r}"
            meta = style.meta or {}
            # Textual's own widgets carry "@mouse.*" handlers; markup would add "@click".
            assert "@click" not in meta or "quit" not in str(meta["@click"]), (
                f"an action from markup on screen: {meta!r} over {segment.text!r}"
            )
    for payload in payloads:
        assert payload not in text, f"payload {payload!r} of an escape sequence is shown"
    svg = app.export_screenshot()
    assert UNSAFE.search(svg) is None
    # Toasts are drawn by the real terminal a moment later; check what they will say.
    for notification in app._notifications:
        said = f"{notification.title} {notification.message}"
        assert UNSAFE.search(said) is None, f"a notification says {said!r}"
    return text


def one_line(text: str) -> str:
    """Screen text with the pane borders' line breaks undone, for phrases that may wrap."""
    return " ".join(text.split())


async def open_article(pilot: Pilot[object], article_id: str) -> None:
    """Put the sidebar cursor on the article and open it, as a reader would."""
    screen = reader(pilot.app)  # type: ignore[arg-type]
    screen.query_one(ArticleList).select_article(article_id)
    screen.show_article(article_id)
    await settle(pilot)
    assert screen.article is not None and screen.article.id == article_id


def by_title(articles: list[Article], word: str) -> Article:
    return next(a for a in articles if word in a.title)


@sync
async def test_markup_in_titles_bodies_and_metadata_is_shown_literally(
    tmp_path: Path, hostile_articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, hostile_articles, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen_text = assert_screen_inert(app)
        assert "[bold]Council[/bold]" in screen_text  # the sidebar lists the title as typed
        council = by_title(hostile_articles, "Council")
        await open_article(pilot, council.id)
        visible = reader(app).query_one(ArticleView).visible_text()
        assert visible.startswith(council.title)
        assert "[bold]Springfield[/bold]" in visible
        assert "[link=https://evil.example]rebuild[/link]" in one_line(visible)
        assert "[@click=app.quit]click me[/]" in one_line(visible)
        assert "[bold]Council[/bold] votes [red]today[/]" in assert_screen_inert(app)

        record = by_title(hostile_articles, "Click")
        await open_article(pilot, record.id)
        visible = reader(app).query_one(ArticleView).visible_text()
        assert "[link=https://evil.example]Click[/link]" in visible
        assert "[b]Reporter[/b]" in visible and "Gazette [/]" in visible  # byline, source
        assert "[link=file:///etc/passwd]covers[/link]" in one_line(visible)
        assert_screen_inert(app)

        await open_article(pilot, council.id)
        await pilot.press("i")  # the info panel: entity names and quotes
        await settle(pilot)
        assert_screen_inert(app)
        await pilot.press("r")  # the raw file, read again from disk: escapes and all
        await settle(pilot)
        screen_text = assert_screen_inert(app)
        assert "Raw file" in screen_text
        assert "[bold]Springfield[/bold]" in one_line(screen_text)
        assert app.is_running  # nothing on screen ran app.quit


@sync
async def test_tags_and_notes_with_markup_are_shown_literally(
    tmp_path: Path, hostile_articles: list[Article]
) -> None:
    council = by_title(hostile_articles, "Council")
    store = AnnotationStore(tmp_path / "annotations.json")
    store.add_tags(council.id, HOSTILE_TAGS)
    store.set_note(council.id, HOSTILE_NOTE)
    app = build_app(tmp_path, hostile_articles, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, council.id)
        screen_text = assert_screen_inert(app)
        assert "[bold]urgent[/bold]" in screen_text
        assert "[link=https://evil.example]x[/link]" in screen_text
        assert "[red]note[/red]" in screen_text
        assert "[@click=app.quit]quit[/]" in screen_text

        await pilot.press("t")  # the tag prompt completes from the tags in use
        await settle(pilot)
        prompt = app.screen.query_one(Input)
        prompt.value = "[bold]ur"
        await settle(pilot)
        assert_screen_inert(app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("n")  # the note editor shows the note as text
        await settle(pilot)
        screen_text = assert_screen_inert(app)
        assert "[red]note[/red]" in screen_text
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("f")  # the filter dialog lists tags
        await settle(pilot)
        assert_screen_inert(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


@pytest.mark.parametrize(
    "query",
    [
        "[bold]Springfield",
        pytest.param("\x1b]0;PWNED\x07council", id="osc"),
        pytest.param("council\u202e", id="bidi"),
        "[@click=app.quit]x",
        pytest.param('council (( \\ *[? "', id="regex-and-fts-syntax"),
    ],
)
@sync
async def test_search_queries_are_inert(
    tmp_path: Path, hostile_articles: list[Article], query: str
) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, hostile_articles, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one(Input).value = query
        await pilot.press("enter")
        await settle(pilot)
        screen_text = assert_screen_inert(app)
        if query.startswith("[bold]"):
            assert "[bold]Springfield" in screen_text  # the query is echoed as typed
        assert app.is_running


CLIPBOARD = "\x1b]0;PWNED\x07council \x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eevil"


@pytest.mark.parametrize("key", ["slash", "t", "n"], ids=["search", "tag", "note"])
@sync
async def test_pasting_escape_sequences_into_a_dialog_is_inert(
    tmp_path: Path, hostile_articles: list[Article], key: str
) -> None:
    """Text copied from a web page can carry escapes; pasting it must not run them."""
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, hostile_articles, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        field = app.screen.query_one("Input, TextArea")
        assert isinstance(field, Input | TextArea)
        app.post_message(events.Paste(CLIPBOARD))  # as the driver delivers a paste
        await settle(pilot)
        assert "council" in (field.value if isinstance(field, Input) else field.text)
        assert_screen_inert(app)


def _contract_breaking(articles: list[Article]) -> list[Article]:
    """Articles as a careless source could hand them over: escapes never made safe."""
    council = by_title(articles, "Council")
    dirty = dataclasses.replace(
        council,
        id="dirty000dirty000",
        title="\x1b]0;PWNED\x07Dirty \x1b[31mtitle\x1b[0m \u202eevil",
        source="\x1b]8;;https://evil.example\x1b\\Gazette\x1b]8;;\x1b\\",
        byline="By \x07\x07Bell",
        body=council.body.replace("Springfield", "Spring\x1b[2Jfield", 1) + "\n\nTail\x9b31m.",
        path="/corpus/evil\x1b]0;PWNED\x07\u202etxt.exe",
        entities=(),
        quotes=(),
    )
    return [*articles, dirty]


@sync
async def test_a_source_that_breaks_the_contract_still_cannot_inject(
    tmp_path: Path, hostile_articles: list[Article]
) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, _contract_breaking(hostile_articles), store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_screen_inert(app)  # the sidebar lists the dirty title
        await open_article(pilot, "dirty000dirty000")
        assert_screen_inert(app)
        await pilot.press("r")  # the raw view names the file
        await settle(pilot)
        assert_screen_inert(app)


@sync
async def test_the_raw_view_names_a_hostile_file_inertly(
    tmp_path: Path, hostile_names: Path
) -> None:
    articles = analyze_paths([hostile_names]).articles  # the reader keeps the real name
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, articles, store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, articles[0].id)
        await pilot.press("r")
        await settle(pilot)
        assert "Raw file" in assert_screen_inert(app)


@sync
async def test_loading_a_folder_with_hostile_names_is_inert(
    tmp_path: Path, hostile_names: Path
) -> None:
    app = make_app(
        paths=[hostile_names],
        db_path=tmp_path / "annotations.json",
        cache_path=tmp_path / "index.sqlite",
        config=AppConfig(path=tmp_path / "config.toml"),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen_text = assert_screen_inert(app)  # the "Skipped ..." notification names the file
        assert "bridge reopened" in screen_text


def _markup_named_article() -> Article:
    """An article whose entity names, speaker and quote are markup (safe text, per contract)."""
    from corpus.model import Entity, Quote

    name = "[bold]Jane Smith[/bold]"  # 22 characters
    place = "[link=https://evil.example]Springfield[/link]"
    said = "“We will [@click=app.quit]rebuild[/] it,”"
    body = f"{name} of {place} said on Monday: {said} she said."
    name_at, place_at, said_at = body.index(name), body.index(place), body.index(said)
    return Article(
        id="markup0000000001",
        path="markup.txt",
        date="2025-03-01",
        title="[red]Markup[/red] names",
        source="[i]Gazette[/i]",
        byline=None,
        body=body,
        entities=(
            Entity(name_at, name_at + len(name), name, "PERSON", name),
            Entity(place_at, place_at + len(place), place, "GPE", place),
        ),
        quotes=(Quote(said_at, said_at + len(said), said, "direct", name, name_at, name_at + 22),),
    )


@pytest.mark.parametrize("key", ["p", "w", "l"], ids=["people", "speakers", "timeline"])
@sync
async def test_corpus_views_show_markup_names_literally(
    tmp_path: Path, hostile_articles: list[Article], key: str
) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, [*hostile_articles, _markup_named_article()], store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, ReaderScreen), "the view did not open"
        screen_text = assert_screen_inert(app)
        if key in ("p", "w"):
            assert "[bold]Jane Smith[/bold]" in screen_text
        assert app.is_running


@sync
async def test_a_dirty_source_with_spans_is_drawn_inert_and_navigable(
    tmp_path: Path, hostile_articles: list[Article]
) -> None:
    """Offsets computed on dirty text (consistent for that source) must not break drawing."""
    from corpus.entities import find_entities
    from corpus.quotes import find_quotes

    body = (
        "\x1b]0;PWNED\x07Mayor Jane Smith of Springfield said: “We will \x1b[31mrebuild\x1b[0m "
        "the bridge,” on Monday.\n\nCouncillor Tom Brown said \u202e“it is too late”\u202c.\n\n"
        "A clean last paragraph about Springfield and Jane Smith."
    )
    entities = tuple(find_entities(body))
    dirty = Article(
        id="dirtyspans000001",
        path="dirty.txt",
        date="2025-03-05",
        title="Dirty spans",
        source=None,
        byline=None,
        body=body,
        entities=entities,
        quotes=tuple(find_quotes(body, list(entities))),
    )
    assert dirty.entities and dirty.quotes
    store = AnnotationStore(tmp_path / "annotations.json")
    app = build_app(tmp_path, [*hostile_articles, dirty], store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, dirty.id)
        # (this source's own entity finder named the OSC payload "PWNED" an entity: that
        # word is the source's data, shown as text; the escape around it is what must go)
        screen_text = assert_screen_inert(app, payloads=())
        assert "clean last paragraph" in screen_text
        await pilot.press("i")
        await settle(pilot)
        for key in ("right_square_bracket", "right_square_bracket", "left_square_bracket"):
            await pilot.press(key)  # span navigation over the dirty paragraphs
            await settle(pilot)
            assert_screen_inert(app, payloads=())
        assert app.is_running
