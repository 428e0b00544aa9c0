"""Unit tests for the app's pure parts: rendering spans to styles, grouping by day, config,
tag parsing, date ranges, reader corrections, ordered store writes; and loading real files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from rich.style import Style
from test_app import SIZE, settle, sync

from corpus.model import Article, ArticleSummary, Entity, Quote
from store import AnnotationStore
from store.corrections import corrected_article
from store.model import SpanAnnotation
from tui.app import make_app
from tui.config import AppConfig, key_display, load_config, parse_config
from tui.listing import parse_date_range
from tui.loading import OrderedRunner, corpus_name
from tui.render import (
    navigable_spans,
    render_body,
    render_header,
    render_raw,
    snippet_window,
)
from tui.screens.annotate import NOT_AN_ENTITY
from tui.screens.reader import ReaderScreen
from tui.screens.tag_prompt import TagSuggester, split_tags
from tui.widgets.article_list import ArticleList, as_row, group_by_day
from tui.widgets.coverage import counts_per_day

QUOTE = Style(italic=True)
SPEAKER = Style(dim=True)
PERSON = Style(bgcolor="magenta")
STYLES = {
    "quote": QUOTE,
    "speaker": SPEAKER,
    "entity-person": PERSON,
    "removed": Style(strike=True),
}


def make_article(body: str, **fields: object) -> Article:
    base: dict[str, object] = {
        "id": "a1",
        "path": "a1.txt",
        "date": "2025-01-02",
        "title": "T",
        "source": None,
        "byline": None,
        "body": body,
    }
    base.update(fields)
    return Article(**base)  # type: ignore[arg-type]


def test_speaker_is_added_after_a_quote_and_offsets_still_map() -> None:
    body = "Intro.\n\nShe said “we will win” and left. Then Ann Lee spoke."
    start = body.index("“")
    end = body.index("”") + 1
    ann = body.index("Ann Lee")
    article = make_article(
        body,
        quotes=(Quote(start, end, body[start:end], "direct", "Jane Doe"),),
        entities=(Entity(ann, ann + 7, "Ann Lee", "PERSON", "Ann Lee"),),
    )
    blocks = render_body(article, STYLES, enabled_labels={"PERSON"})
    second = blocks[1]
    # the quote does not end its sentence: the name goes after the sentence, not inside it
    assert "“we will win” and left. — Jane Doe Then" in second.text.plain
    # A body offset after the inserted speaker maps past it in the rendered text.
    position = second.text_offset(ann)
    assert second.text.plain[position : position + 7] == "Ann Lee"
    styled = {(s.start, s.end): s.style for s in second.text.spans}
    assert styled[(position, position + 7)] == PERSON


def test_speaker_never_breaks_a_sentence_and_can_be_hidden() -> None:
    body = "“It was a mistake,” he said, adding nothing. “We go on.” Others agreed."
    first_end = body.index("”") + 1
    second = body.index("“We")
    second_end = body.index("”", second) + 1
    he = body.index("he said")
    quotes = (
        Quote(0, first_end, body[:first_end], "direct", "Tony Blair", he, he + 2, "said"),
        Quote(second, second_end, body[second:second_end], "direct", "Tony Blair"),
    )
    article = make_article(body, quotes=quotes)
    (block,) = render_body(article, STYLES, enabled_labels=())
    assert block.text.plain == (
        "“It was a mistake,” he said, adding nothing. — Tony Blair "
        "“We go on.” — Tony Blair Others agreed."
    )
    (hidden,) = render_body(article, STYLES, enabled_labels=(), show_speakers=False)
    assert hidden.text.plain == body


def test_speaker_not_repeated_when_named_beside_the_quote() -> None:
    body = "“We will win,” Jane Doe said."
    end = body.index("”") + 1
    named = body.index("Jane Doe")
    quote = Quote(0, end, body[:end], "direct", "Jane Doe", named, named + 8, "said")
    blocks = render_body(make_article(body, quotes=(quote,)), STYLES, enabled_labels=())
    assert blocks[0].text.plain == body


def test_hidden_labels_are_not_styled_or_navigable() -> None:
    body = "Ann Lee met Bob."
    article = make_article(body, entities=(Entity(0, 7, "Ann Lee", "PERSON", "Ann Lee"),))
    blocks = render_body(article, STYLES, enabled_labels={"ORG"})
    assert not blocks[0].text.spans
    assert navigable_spans(article, {"ORG"}) == []
    assert [s.text for s in navigable_spans(article, {"PERSON"})] == ["Ann Lee"]


def test_markup_in_article_text_is_inert() -> None:
    article = make_article("[bold]x[/bold] and [link=https://e.example]y[/link]", title="[red]T")
    header = render_header(article, ["[i]tag"], STYLES)
    body = render_body(article, STYLES, enabled_labels=())
    assert header[0].text.plain == "[red]T"
    assert "[i]tag" in header[2].text.plain
    assert body[0].text.plain == article.body
    assert not body[0].text.spans


def test_raw_view_marks_removed_segments() -> None:
    raw = "Subscribe now!\nThe story.\nShare this"
    blocks = render_raw(raw, ("Subscribe now!", "Share this"), STYLES)
    assert [b.text.plain for b in blocks] == raw.split("\n")
    assert blocks[0].text.spans and not blocks[1].text.spans and blocks[2].text.spans


def test_snippet_window_starts_near_the_first_match() -> None:
    snippet = "one two three four five six seven eight nine ten eleven Macron twelve"
    at = snippet.index("Macron")
    short, marks = snippet_window(snippet, [(at, at + 6)])
    assert short.startswith("…") and len(short) < len(snippet)
    start, end = marks[0]
    assert short[start:end] == "Macron"


def test_group_by_day_newest_first_undated_last() -> None:
    rows = group_by_day(
        [
            ArticleSummary("a", "2025-01-01", "A", None, "a"),
            ArticleSummary("b", None, "B", None, "b"),
            ArticleSummary("c", "2025-01-03", "C", None, "c"),
            ArticleSummary("d", "2025-01-03", "D", None, "d"),
        ]
    )
    views = [as_row(r) for r in rows]
    labels = [(r.label, r.size) for r in views if r.kind == "day"]
    assert labels == [("Fri 03 Jan 2025", 2), ("Wed 01 Jan 2025", 1), ("Undated", 1)]
    assert [r.article_id for r in views if r.kind == "article"] == ["c", "d", "a", "b"]
    oldest = group_by_day(
        [
            ArticleSummary("a", "2025-01-01", "A", None, "a"),
            ArticleSummary("c", "2025-01-03", "C", None, "c"),
        ],
        newest_first=False,
    )
    assert as_row(oldest[0]).label == "Wed 01 Jan 2025"


def test_counts_per_day_fills_gaps() -> None:
    values, first, last = counts_per_day(["2025-01-01", "2025-01-03", "2025-01-03", None, "bad"])
    assert (values, first, last) == ([1, 0, 2], "2025-01-01", "2025-01-03")


def test_config_parsing_and_problems(tmp_path: Path) -> None:
    config = parse_config(
        {"keys": {"tag": "t,plus", "star": 3}, "quick_tags": {"1": "x", "12": "y"}, "theme": "nord"}
    )
    assert config.keymap == {"tag": "t,plus"}
    assert config.quick_tags == {1: "x"}
    assert config.theme == "nord"
    assert len(config.problems) == 2
    broken = tmp_path / "config.toml"
    broken.write_text("[keys\n", encoding="utf-8")
    loaded = load_config(broken)
    assert loaded.problems and loaded.keymap == {}
    assert load_config(tmp_path / "missing.toml").quick_tags[1] == "important"
    assert key_display("right_square_bracket,slash") == "], /"


def test_split_tags_and_completion() -> None:
    import asyncio

    assert split_tags("a b  c a") == ["a", "b", "c"]
    assert split_tags("a, uk  politics,a") == ["a", "uk politics"]  # commas: spaces kept
    assert split_tags('"uk politics" brexit') == ["uk politics", "brexit"]
    assert split_tags("'uk politics', \"a, b\"") == ["uk politics", "a, b"]
    quoted = TagSuggester({"uk politics": 2})
    assert asyncio.run(quoted.get_suggestion("trade uk")) == 'trade "uk politics"'
    assert asyncio.run(quoted.get_suggestion('"uk p')) == '"uk politics"'
    assert asyncio.run(quoted.get_suggestion("brexit, uk")) == "brexit, uk politics"
    suggester = TagSuggester({"ukraine": 3, "uk-politics": 5, "trade": 1})
    assert asyncio.run(suggester.get_suggestion("trade uk")) == "trade uk-politics"
    assert asyncio.run(suggester.get_suggestion("trade ukr")) == "trade ukraine"
    assert asyncio.run(suggester.get_suggestion("trade ")) is None


def test_date_ranges() -> None:
    assert parse_date_range("2025-02") == ("2025-02-01", "2025-02-28")
    assert parse_date_range("2024") == ("2024-01-01", "2024-12-31")
    assert parse_date_range("2025-02-03..2025-03") == ("2025-02-03", "2025-03-31")
    assert parse_date_range("2025-03..2025-02") is None
    assert parse_date_range("soon") is None


def test_reader_corrections_apply_to_entities_and_speakers() -> None:
    body = "“Yes,” Ann said. Bob agreed."
    article = make_article(
        body,
        entities=(
            Entity(7, 10, "Ann", "PERSON", "Ann"),
            Entity(17, 20, "Bob", "PERSON", "Bob"),
        ),
        quotes=(Quote(0, 6, body[:6], "direct", "Ann"),),
    )
    spans = [
        SpanAnnotation("1", 7, 10, "Ann", "entity", NOT_AN_ENTITY),
        SpanAnnotation("2", 17, 20, "Bob", "entity", "ORG"),
        SpanAnnotation("3", 0, 6, body[:6], "quote", "speaker:Cat"),
    ]
    fixed = corrected_article(article, spans)
    assert [(e.text, e.label) for e in fixed.entities] == [("Bob", "ORG")]
    assert fixed.quotes[0].speaker == "Cat"


def test_ordered_runner_keeps_queue_order() -> None:
    runner = OrderedRunner()
    tickets = [runner.ticket() for _ in range(5)]
    done: list[int] = []

    def run(ticket: int) -> None:
        runner.run(ticket, lambda: done.append(ticket))

    threads = [threading.Thread(target=run, args=(t,)) for t in reversed(tickets)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # start them in reverse order
    for thread in threads:
        thread.join(timeout=10)
    assert done == tickets


def test_corpus_name() -> None:
    assert corpus_name([Path("/data/news")]) == "news"
    assert corpus_name([Path("/data/news"), Path("/x/y")]) == "news +1"


@sync
async def test_app_loads_files_through_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "mynews"
    corpus.mkdir()
    (corpus / "one.txt").write_text(
        "Council approves new park\n\nThe city council approved a new park on Monday, "
        "officials said. Work starts in spring.\n",
        encoding="utf-8",
    )
    (corpus / "two.txt").write_text(
        "Bridge reopens after repairs\n\nThe old bridge reopened to traffic after six "
        "months of repairs, the transport office said.\n",
        encoding="utf-8",
    )
    app = make_app(
        paths=[corpus],
        db_path=tmp_path / "annotations.json",
        cache_path=tmp_path / "index.sqlite",
        config=AppConfig(path=tmp_path / "c.toml"),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        assert screen.query_one(ArticleList).article_count == 2
        assert screen.loading_status is None
        assert screen.article is not None
        assert isinstance(app.store, AnnotationStore)
        await pilot.press("s")
        await settle(pilot)
    assert any(a.starred for a in AnnotationStore(tmp_path / "annotations.json").all().values())


def test_a_config_path_that_is_no_regular_file_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    import os

    from guards import hang_guard

    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)  # nobody ever writes into it: reading it would block forever
    with hang_guard(10):
        loaded = load_config(fifo)
    assert loaded.keymap == {}
    assert loaded.problems and "FIFO" in loaded.problems[0]
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert load_config(folder).problems
