"""corpus.meta: dates, titles, bylines and publishers found in text."""

from __future__ import annotations

import pytest

from corpus.meta import (
    find_byline,
    find_byline_line,
    find_date_in_line,
    find_publisher_in_line,
    find_source,
    first_sentence,
    is_date_line,
    looks_like_person_name,
    title_from_lede,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date 2025-02-22 Your support helps us", "2025-02-22"),
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
        ("Published 12 March 2024", "2024-03-12"),
        ("Posted by Michael David Smith on November 19, 2019, 6:21 AM EST", "2019-11-19"),
        ("Monday 3rd of February 2020", "2020-02-03"),
        ("Sept 5, 2021", "2021-09-05"),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", "2010-10-22"),
        ("Posted on Maret 30, 2015 by Admin", "2015-03-30"),
        ("30. März 2019", "2019-03-30"),
        ("le 5 janvier 2020", "2020-01-05"),
    ],
)
def test_dates_with_day_month_and_year(line: str, expected: str) -> None:
    assert find_date_in_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "On Sunday evening, the leaders met",  # weekday only: never invent a date
        "The March 2024 budget",  # no day
        "Scores were 12-3 and 2024 points",
        "2024-13-45",  # not a date
        "May the best team win",
        "Mai 2019",
        "31 febbraio 2020",  # no such day
    ],
)
def test_no_date_is_invented(line: str) -> None:
    assert find_date_in_line(line) is None


def test_loose_metadata_date_field() -> None:
    assert find_date_in_line("2024-05-03T10:00:00Z", strict=False) == "2024-05-03"
    assert find_date_in_line("03/05/2024", strict=False) is not None
    assert find_date_in_line("soon", strict=False) is None


def test_date_line() -> None:
    assert is_date_line("Updated: 19 November 2019")
    assert not is_date_line("The council met on 19 November 2019 and voted " * 3)


def test_first_sentence_skips_abbreviations() -> None:
    assert first_sentence("Mr. Smith went to Washington. He stayed.") == (
        "Mr. Smith went to Washington."
    )
    assert first_sentence("No full stop here") == "No full stop here"


def test_title_from_lede_is_cut_at_a_word_boundary_near_90() -> None:
    lede = (
        "Sir Keir Starmer and Volodymyr Zelensky are piling pressure on Donald Trump to ensure "
        "European leaders are at the table in talks. More follows."
    )
    title = title_from_lede(lede)
    assert title == (
        "Sir Keir Starmer and Volodymyr Zelensky are piling pressure on Donald Trump to ensure…"
    )
    assert title_from_lede("Ferries were cancelled. Schools closed.") == "Ferries were cancelled"


def test_bylines() -> None:
    assert find_byline_line("By Priya Shah") == "Priya Shah"
    assert find_byline_line("By Jane Doe, Political Editor") == "Jane Doe"
    assert find_byline_line("By Sam Reed | Published 3 May") == "Sam Reed"
    assert find_byline_line("by the river there was a fire") is None
    assert find_byline(["By", "Sarah E. Needleman", "The Wall Street Journal"]) == (
        "Sarah E. Needleman"
    )
    assert find_byline(["Start reading", "The Independent UK", "Millie Cooke"]) == "Millie Cooke"
    assert find_byline(["Home", "World News", "Sport"]) is None


def test_person_names() -> None:
    assert looks_like_person_name("Millie Cooke")
    assert looks_like_person_name("Ursula von der Leyen")
    assert not looks_like_person_name("The Independent")
    assert not looks_like_person_name("Start reading")
    assert not looks_like_person_name("BREAKING NEWS")


def test_publishers() -> None:
    assert find_publisher_in_line("The Independent UK", whole_line=True) == "The Independent"
    assert find_publisher_in_line("Start reading", whole_line=True) is None
    assert find_publisher_in_line("The Independent is on the ground") == "The Independent"
    assert find_source(["The Independent UK", "The Independent UK", "Millie Cooke"], []) == (
        "The Independent"
    )
    assert find_source([], ["Subscribe to The Guardian today"]) == "The Guardian"
    assert find_source(["Home"], ["Nothing here"]) is None
