"""tui.listing: what the sidebar lists for summaries, annotations, filters and a search.

Plain unit tests (no app): the listing is a pure function of its inputs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from corpus.model import ArticleSummary, SearchHit
from store.model import ArticleAnnotations
from tui.listing import (
    ActiveFilter,
    SearchState,
    following,
    list_articles,
    mark_counts,
    parse_date_range,
    passes,
    search_terms,
    with_user_dates,
)

ROOT = Path(__file__).resolve().parent.parent


def summary(article_id: str, date: str | None = None, source: str | None = None) -> ArticleSummary:
    return ArticleSummary(article_id, date, f"Title {article_id}", source, f"/c/{article_id}.txt")


SUMMARIES = [
    summary("a", "2025-02-26", "bbc"),
    summary("b", "2025-02-23T10:00:00", "guardian"),
    summary("c", None, "bbc"),
    summary("d", "2025-01-05", None),
]
ANNOTATIONS = {
    "a": ArticleAnnotations("a", tags=("Ukraine", "diplomacy"), starred=True, read=True),
    "b": ArticleAnnotations("b", tags=("ukraine",)),
    "c": ArticleAnnotations("c", read=True, user_date="2025-02-01"),
}


def ids(found: list[ArticleSummary]) -> list[str]:
    return [s.id for s in found]


def test_the_tag_filter_ignores_case_and_the_others_stack() -> None:
    tag = ActiveFilter("tag", "UKRAINE")
    assert ids(list_articles(SUMMARIES, ANNOTATIONS, [tag], None).listed) == ["a", "b"]
    starred = ActiveFilter("starred", "")
    assert ids(list_articles(SUMMARIES, ANNOTATIONS, [tag, starred], None).listed) == ["a"]
    unread = ActiveFilter("unread", "")
    assert ids(list_articles(SUMMARIES, ANNOTATIONS, [unread], None).listed) == ["b", "d"]


def test_source_date_and_computed_filters() -> None:
    source = ActiveFilter("source", "BBC")
    assert ids(list_articles(SUMMARIES, ANNOTATIONS, [source], None).listed) == ["a", "c"]
    february = ActiveFilter("date", "2025-02")
    # (an undated article never passes a date filter; a time of day is ignored)
    assert ids(list_articles(SUMMARIES, {}, [february], None).listed) == ["a", "b"]
    broken = ActiveFilter("date", "soon")
    assert list_articles(SUMMARIES, {}, [broken], None).listed == []
    computed = ActiveFilter("entity", "Macron", frozenset({"b", "d"}))
    assert ids(list_articles(SUMMARIES, {}, [computed], None).listed) == ["b", "d"]


def test_the_readers_dates_take_the_place_of_the_stated_ones() -> None:
    dated = with_user_dates(SUMMARIES, ANNOTATIONS)
    assert [s.date for s in dated] == [
        "2025-02-26",
        "2025-02-23T10:00:00",
        "2025-02-01",
        "2025-01-05",
    ]
    assert dated[0] is SUMMARIES[0]  # (unchanged summaries are not copied)
    february = ActiveFilter("date", "2025-02")
    assert ids(list_articles(dated, ANNOTATIONS, [february], None).listed) == ["a", "b", "c"]


def test_without_filters_the_summaries_are_listed_as_they_are() -> None:
    listing = list_articles(SUMMARIES, ANNOTATIONS, [], None)
    assert listing.listed is SUMMARIES
    assert listing.hits is None and listing.empty_message == "No articles"
    assert listing.show_source  # two sources, and dated articles
    filtered = list_articles(SUMMARIES, ANNOTATIONS, [ActiveFilter("tag", "none")], None)
    assert filtered.listed == [] and filtered.empty_message == "No articles match"


def test_one_source_or_no_dates_shows_no_source_column() -> None:
    one = [summary("a", "2025-02-26", "bbc"), summary("b", "2025-02-25", "bbc")]
    assert not list_articles(one, {}, [], None).show_source
    undated = [summary("a", None, "bbc"), summary("b", None, "guardian")]
    assert not list_articles(undated, {}, [], None).show_source


def test_a_search_lists_its_hits_in_rank_order_among_the_filtered() -> None:
    hits = [SearchHit("d", 1.0, "d snippet"), SearchHit("a", 2.0, "a"), SearchHit("b", 3.0, "b")]
    state = SearchState("macron", ("macron",), hits)
    listing = list_articles(SUMMARIES, ANNOTATIONS, [], state)
    assert [(hit.article_id, s.id) for hit, s in listing.hits or []] == [
        ("d", "d"),
        ("a", "a"),
        ("b", "b"),
    ]
    assert listing.show_source and listing.empty_message == "No matches"
    unread = list_articles(SUMMARIES, ANNOTATIONS, [ActiveFilter("unread", "")], state)
    assert [hit.article_id for hit, _ in unread.hits or []] == ["d", "b"]
    one_source = [summary("a", "2025-02-26", "bbc"), summary("d", "2025-02-25", "bbc")]
    assert list_articles(one_source, {}, [], state).show_source  # (each hit's date shows)


def test_passes_without_annotations() -> None:
    assert passes(SUMMARIES[0], None, [ActiveFilter("unread", "")])
    assert not passes(SUMMARIES[0], None, [ActiveFilter("starred", "")])
    assert not passes(SUMMARIES[0], None, [ActiveFilter("tag", "x")])


def test_date_ranges() -> None:
    assert parse_date_range("2025-02") == ("2025-02-01", "2025-02-28")
    assert parse_date_range("2024-02") == ("2024-02-01", "2024-02-29")
    assert parse_date_range("2024") == ("2024-01-01", "2024-12-31")
    assert parse_date_range(" 2025-02-03..2025-03 ") == ("2025-02-03", "2025-03-31")
    assert parse_date_range("..2025-03-04") == ("0000-00-00", "2025-03-04")
    assert parse_date_range("2025-03..") == ("2025-03-01", "9999-99-99")
    assert parse_date_range("2025-03..2025-02") is None
    assert parse_date_range("2025-13") is None


def test_search_terms_are_the_plain_words() -> None:
    assert search_terms('Macron AND tag:keep "Keir Starmer" NOT date:2025') == (
        "macron",
        "keir",
        "starmer",
    )


def test_following_steps_from_the_current_id() -> None:
    order = ["a", "b", "c", "d"]
    never = lambda _: False  # noqa: E731
    assert following(order, "b", 1, never) == ["c", "d"]
    assert following(order, "c", -1, never) == ["b", "a"]
    assert following(order, "gone", 1, never) == order
    assert following(order, "gone", -1, never) == []
    assert following(order, "a", 1, lambda i: i == "c") == ["b", "d"]


def test_mark_counts_count_only_the_corpus_articles() -> None:
    annotations = {**ANNOTATIONS, "elsewhere": ArticleAnnotations("elsewhere", tags=("x",))}
    everything = mark_counts(annotations, None)
    assert (everything.tagged, everything.starred, everything.read) == (3, 1, 2)
    known = mark_counts(annotations, {s.id for s in SUMMARIES})
    assert (known.tagged, known.starred, known.read) == (2, 1, 2)


def test_the_listing_imports_no_textual() -> None:
    code = "import sys, tui.listing; print(sorted(m for m in sys.modules if m == 'textual'))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
