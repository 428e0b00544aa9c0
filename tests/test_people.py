"""corpus.people: entities and speakers aggregated over hand-written fixture articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.model import Article, Entity
from corpus.people import (
    aggregate_entities,
    aggregate_speakers,
    articles_per_day,
    daily_series,
    day_range,
    find_speaker,
    mentions_per_day,
    sort_entities,
    sort_speakers,
)

FIXTURE = Path(__file__).parent / "fixtures" / "threads" / "articles.json"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [Article.from_json(d) for d in json.loads(FIXTURE.read_text(encoding="utf-8"))]


def test_entity_counts_dates_and_day_series(articles: list[Article]) -> None:
    stats = {s.canonical: s for s in aggregate_entities(articles)}
    valmora = stats["Valmora"]
    assert valmora.label == "GPE"
    # bridge-1, bridge-2, valmora-undated, bridge-3 mention it; the orchestra story does not
    assert valmora.article_count == 4
    assert valmora.article_ids == ("bridge-1", "bridge-2", "valmora-undated", "bridge-3")
    assert valmora.mention_count == 2 + 3 + 1 + 1
    assert (valmora.first_date, valmora.last_date) == ("2025-03-01", "2025-03-20")
    # the undated article's mention counts in the total but on no day
    assert valmora.mentions_per_day == (("2025-03-01", 2), ("2025-03-02", 3), ("2025-03-20", 1))
    assert stats["Valmora Port Authority"].surface_forms == ("Port Authority",)


def test_labels_filter_and_default_drops_value_labels() -> None:
    body = "Ana Berg paid 5 dollars on Monday."
    article = Article(
        "x", "x.txt", "2025-01-01", "t", None, None, body,
        entities=(
            Entity(0, 8, "Ana Berg", "PERSON", "Ana Berg"),
            Entity(14, 23, "5 dollars", "MONEY", "5 dollars"),
            Entity(27, 33, "Monday", "DATE", "Monday"),
        ),
    )  # fmt: skip
    assert [s.canonical for s in aggregate_entities([article])] == ["Ana Berg"]
    assert len(aggregate_entities([article], labels=None)) == 3
    assert [s.label for s in aggregate_entities([article], labels={"MONEY"})] == ["MONEY"]


def test_sort_entities_by_each_key(articles: list[Article]) -> None:
    stats = aggregate_entities(articles)
    by_mentions = sort_entities(stats, "mentions")
    assert [s.mention_count for s in by_mentions] == sorted(
        (s.mention_count for s in stats), reverse=True
    )
    by_name = sort_entities(stats, "name")
    assert [s.canonical for s in by_name] == sorted((s.canonical for s in stats), key=str.casefold)
    assert sort_entities(stats, "name", reverse=True) == by_name[::-1]
    by_first = sort_entities(stats, "first")
    assert by_first[0].first_date == "2025-03-01"
    latest_first = sort_entities(stats, "last", reverse=True)
    assert latest_first[0].last_date == "2025-03-20"
    with pytest.raises(ValueError):
        sort_entities(stats, "colour")


def test_speakers_quotes_in_date_order_with_article_ids(articles: list[Article]) -> None:
    speakers = {s.name: s for s in aggregate_speakers(articles)}
    assert set(speakers) == {"Maria Lopez", "Tom Reed", "Ana Berg"}
    reed = speakers["Tom Reed"]
    assert [(q.date, q.article_id) for q in reed.quotes] == [
        ("2025-03-02", "bridge-2"),
        ("2025-03-02", "orchestra"),
        ("2025-03-20", "bridge-3"),
    ]
    assert reed.quotes[0].text == "“a tax on commuters”"
    assert reed.article_count == 3
    lopez = speakers["Maria Lopez"]
    # the undated quote comes last
    assert [q.date for q in lopez.quotes] == ["2025-03-01", "2025-03-02", None]
    assert (lopez.first_date, lopez.last_date) == ("2025-03-01", "2025-03-02")
    assert [s.name for s in sort_speakers(list(speakers.values()), "quotes")][:2] == [
        "Maria Lopez",
        "Tom Reed",
    ]


def test_find_speaker_exact_then_words(articles: list[Article]) -> None:
    speakers = aggregate_speakers(articles)
    assert [s.name for s in find_speaker(speakers, "tom reed")] == ["Tom Reed"]
    assert [s.name for s in find_speaker(speakers, "Reed")] == ["Tom Reed"]
    assert find_speaker(speakers, "Nobody") == []
    assert find_speaker(speakers, "  ") == []


def test_day_series_helpers(articles: list[Article]) -> None:
    per_day, undated = articles_per_day(articles)
    assert per_day == {"2025-03-01": 1, "2025-03-02": 2, "2025-03-20": 1}
    assert undated == 1
    days = day_range("2025-02-27", "2025-03-02")
    assert days == ["2025-02-27", "2025-02-28", "2025-03-01", "2025-03-02"]
    assert daily_series(per_day, days) == [0, 0, 1, 2]
    mentions = mentions_per_day(articles, ["Tom Reed", "Unknown"])
    assert mentions == {
        "Tom Reed": {"2025-03-02": 2, "2025-03-20": 1},
        "Unknown": {},
    }
