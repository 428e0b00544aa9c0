"""corpus.clean on wire copy and structured content: the body is the whole article.

Wire stories come as a headline line (often in capitals, with a closing full stop), maybe a
byline, a dateline ("BRUSSELS 1996-08-22"), then the story; sports, markets and elections
copy holds tables, team sheets, score lines and lists. All of it is article text. The
fixtures are written for these tests (invented names and figures).
"""

from __future__ import annotations

import pytest

from corpus.analyze import analyze_document
from corpus.clean import clean_document, junk_kind, line_key, recurring_lines
from corpus.meta import find_dateline
from corpus.model import Document


def doc(*paragraphs: str, headline_block: tuple[str, ...] = ()) -> Document:
    """A user's file: the header lines (one block), then one paragraph per argument."""
    blocks = (["\n".join(headline_block)] if headline_block else []) + list(paragraphs)
    return Document(id="t", path="t.txt", text="\n\n".join(blocks) + "\n")


LEDE = (
    "Harbour City beat Northfield 3-1 on Saturday to go top of the league, with two goals "
    "from their new striker in the second half."
)
SECOND = "Northfield had led at half-time through a penalty, but faded after the break."


def test_a_headline_in_capitals_is_the_title_as_written() -> None:
    result = clean_document(
        doc(
            "LONDON 1996-08-24",
            LEDE,
            SECOND,
            headline_block=("SOCCER - HARBOUR CITY GO TOP WITH WIN OVER NORTHFIELD.",),
        )
    )
    assert result.title == "SOCCER - HARBOUR CITY GO TOP WITH WIN OVER NORTHFIELD."
    assert result.paragraphs[1] == LEDE  # the lede is body, not the title
    assert "SOCCER - HARBOUR CITY GO TOP WITH WIN OVER NORTHFIELD." not in result.paragraphs


def test_the_dateline_gives_the_date_and_stays_the_first_line_of_the_body() -> None:
    result = clean_document(
        doc("PORT OF SPAIN, Trinidad 1996-08-30", LEDE, SECOND, headline_block=("Rain stops.",))
    )
    assert result.date == "1996-08-30"
    assert result.paragraphs == ("PORT OF SPAIN, Trinidad 1996-08-30", LEDE, SECOND)
    assert result.title == "Rain stops."


def test_a_dateline_cut_in_two_lines_is_still_the_dateline() -> None:
    result = clean_document(
        doc("MONTGOMERY, Ala.", "1996-08-22", LEDE, headline_block=("Firm sees loss.",))
    )
    assert result.date == "1996-08-22"
    assert result.paragraphs[:2] == ("MONTGOMERY, Ala.", "1996-08-22")
    assert result.title == "Firm sees loss."


def test_a_name_line_after_the_headline_is_the_byline() -> None:
    result = clean_document(
        doc(
            "BRUSSELS 1996-08-22",
            LEDE,
            SECOND,
            headline_block=("Ministers reject call to ban imports.", "Anna Kowalczyk"),
        )
    )
    assert result.byline == "Anna Kowalczyk"
    assert result.title == "Ministers reject call to ban imports."
    assert "Anna Kowalczyk" not in result.body
    assert result.paragraphs[0] == "BRUSSELS 1996-08-22"


@pytest.mark.parametrize(
    ("line", "place", "date", "whole"),
    [
        ("BRUSSELS 1996-08-22", "BRUSSELS", "1996-08-22", True),
        ("AL-AIN, United Arab Emirates 1996-12-06", "AL-AIN", "1996-12-06", True),
        ("SAN JOSE , Costa Rica 1996-08-26", "SAN JOSE", "1996-08-26", True),
        ("WASHINGTON (Reuters) - The Senate voted on Tuesday to", "WASHINGTON", None, False),
        ("NEW YORK, Nov. 20, 2019 (AP) - A man was", "NEW YORK", "2019-11-20", False),
        ("PRETORIA, Aug 25 - The captain said", "PRETORIA", None, False),  # no year: no date
    ],
)
def test_datelines(line: str, place: str, date: str | None, whole: bool) -> None:
    found = find_dateline(line)
    assert found is not None
    assert (found.place, found.date, found.whole_line) == (place, date, whole)


@pytest.mark.parametrize(
    "line",
    [
        "SOCCER - JAPAN GET LUCKY WIN",  # a headline's subject slug, not a place
        "The Commission said on Thursday 1996-08-22",
        "Published 2:16 AM EST Nov 20, 2019",
        "Palm Bay d. Rockledge 70-44",
    ],
)
def test_not_datelines(line: str) -> None:
    assert find_dateline(line) is None


def test_a_reuters_dateline_inside_the_lede_stays_in_the_body() -> None:
    lede = "WASHINGTON (Reuters) - The Senate voted on Tuesday to extend the programme."
    result = clean_document(doc(lede, SECOND, headline_block=("Senate extends programme.",)))
    assert result.paragraphs == (lede, SECOND)
    assert result.title == "Senate extends programme."


TEAM_SHEET = (
    "Squad:",
    "Goalkeepers - Tomas Brandl (Harbour City), Ivo Kessler (Northfield).",
    "Defenders - Marc Oduya (Eastwick), Paul Renner (Harbour City), Ian Soto (Ravensby).",
    "Strikers - Lev Dariusz (Northfield), Omar Quayle (Eastwick).",
)


def test_a_team_sheet_after_the_story_is_body() -> None:
    result = clean_document(
        doc("GENEVA 1996-08-22", LEDE, SECOND, *TEAM_SHEET, headline_block=("Coach names squad.",))
    )
    for line in TEAM_SHEET:
        assert line in result.paragraphs
    assert result.removed == ()


RESULTS_TABLE = (
    "Results of second division matches on Saturday:",
    "Harbour City 3 Northfield 1",
    "Eastwick 0 Ravensby 0",
    "Standings (tabulate under played, won, drawn, lost, goals for, against, points):",
    "Harbour City 5 4 1 0 11 3 13",
    "Northfield 5 3 1 1 9 5 10",
    "Eastwick 5 1 2 2 4 6 5",
)


def test_a_results_table_between_paragraphs_is_body() -> None:
    result = clean_document(
        doc(
            "LONDON 1996-08-24",
            LEDE,
            *RESULTS_TABLE,
            SECOND,
            headline_block=("SOCCER - SECOND DIVISION RESULTS.",),
        )
    )
    assert result.paragraphs == ("LONDON 1996-08-24", LEDE, *RESULTS_TABLE, SECOND)


def test_a_story_that_is_only_a_table_keeps_the_table() -> None:
    result = clean_document(
        doc("LONDON 1996-08-24", *RESULTS_TABLE, headline_block=("SOCCER - RESULTS.",))
    )
    assert result.paragraphs == ("LONDON 1996-08-24", *RESULTS_TABLE)
    assert result.title == "SOCCER - RESULTS."


def test_people_in_a_team_sheet_are_found_as_entities() -> None:
    article = analyze_document(
        doc("GENEVA 1996-08-22", LEDE, SECOND, *TEAM_SHEET, headline_block=("Coach names squad.",))
    )
    people = {e.text for e in article.entities if e.label == "PERSON"}
    assert {"Tomas Brandl", "Marc Oduya", "Omar Quayle"} <= people


@pytest.mark.parametrize(
    "line",
    [
        "Close of play scores in four-day matches on Thursday:",
        "AD-DIYAR",
        "CLOSE IN POINTS",
        "premium over cash 7.5 cents / pound",
        "(C)",
    ],
)
def test_table_and_wire_lines_are_not_junk(line: str) -> None:
    assert junk_kind(line) is None


@pytest.mark.parametrize("line", ["Close", "Menu", "Comments (12)", "Search for:", "(c) Acme 2019"])
def test_navigation_words_alone_are_still_junk(line: str) -> None:
    assert junk_kind(line) is not None


def test_on_a_scraped_page_a_table_inside_the_article_is_kept_and_the_menu_removed() -> None:
    menu = ("Home", "News", "Sport", "Business", "Weather", "Sign in")
    footer = ("Share this article", "© Acme News 2019. All rights reserved.")
    para1 = (
        "The council published its budget figures on Monday, showing spending on roads "
        "rising for the third year in a row while the library service was cut again."
    )
    para2 = (
        "Officials said the figures would be debated at a public meeting next week, and "
        "that residents could send their comments to the finance committee until then."
    )
    table = ("Roads 12.4 13.1 14.0", "Libraries 3.2 2.9 2.5", "Parks 1.8 1.8 1.9")
    text = "\n\n".join((*menu, "Council budget rises again", para1, *table, para2, *footer))
    result = clean_document(Document(id="p", path="p.txt", text=text))
    assert result.paragraphs == (para1, *table, para2)
    for line in menu:
        assert line in result.removed


MENU = ("Home", "News", "Sport", "Business", "Weather", "Sign in")
FOOTER = ("Share this article", "© Acme News 2019. All rights reserved.")


def test_a_results_page_with_no_prose_is_its_table() -> None:
    results = (
        "GIRLS BASKETBALL",
        "Harbour City d. Northfield 70-44",
        "Northfield 14 11 6 15 - 44",
        "Harbour City 18 22 13 17 - 70",
        "Harbour City (1-0): Ames 25 points. Brook 17 points. Chen 10 points.",
        "Eastwick d. Ravensby 53-9",
        "Eastwick (1-0): Dora Quint 19 points and 3 steals.",
    )
    text = "\n\n".join(
        (*MENU, "High school roundup", "Published 2:16 AM EST Nov 20, 2019", *results, *FOOTER)
    )
    result = clean_document(Document(id="p", path="p.txt", text=text))
    assert result.paragraphs[-6:] == results[1:]
    for line in MENU:
        assert line in result.removed


def test_a_sidebar_of_category_counts_is_no_table() -> None:
    story = (
        "The council published its budget figures on Monday, showing spending on roads "
        "rising for the third year in a row while the library service was cut again.",
        "Officials said the figures would be debated at a public meeting next week, and "
        "that residents could send their comments to the finance committee until then.",
    )
    sidebar = ("Categories", "Politics (53)", "Roads (12)", "Libraries (7)", "Parks (31)",
               "Schools (44)", "Housing (19)", "Transport (8)")  # fmt: skip
    text = "\n\n".join((*MENU, "Council budget rises again", *story, *sidebar, *FOOTER))
    result = clean_document(Document(id="p", path="p.txt", text=text))
    assert result.paragraphs == story


def wire_folder(count: int = 12) -> list[Document]:
    """A day of wire copy from one bureau: same dateline, same labels, same disclaimer."""
    documents = []
    for number in range(count):
        text = "\n\n".join(
            (
                f"SOCCER - HARBOUR CITY BEAT SIDE NUMBER {number}.",
                "LONDON 1996-08-30",
                f"Harbour City beat Team {number} 2-1 (halftime 1-1) in a cup match on Friday.",
                "Reuters has not verified these reports and does not vouch for their accuracy.",
                "Scorers:",
                f"Harbour City - Tomas Brandl (12th), Ivo Kessler ({60 + number}th)",
                f"Team {number} - Marc Oduya ({30 + number}th)",
                f"Attendance: {1000 + number * 37}",
                f"The win takes Harbour City to {number + 10} points after the fifth round.",
            )
        )
        documents.append(Document(id=str(number), path=f"w{number}.txt", text=text + "\n"))
    return documents


def test_lines_that_recur_across_a_folder_of_wire_copy_stay_in_each_story() -> None:
    documents = wire_folder()
    recurring = recurring_lines(documents)
    # the corpus signal sees them: the dateline, the label and the disclaimer recur
    assert line_key("LONDON 1996-08-30") in recurring
    assert line_key("Scorers:") in recurring
    for document in documents:
        result = clean_document(document, recurring)
        assert result.paragraphs == tuple(document.text.strip().split("\n\n")[1:])
        assert result.date == "1996-08-30"
        assert result.title == document.text.split("\n\n")[0]


def test_a_recurring_sign_off_after_the_story_is_still_boilerplate() -> None:
    documents = wire_folder()
    sign_off = "Our reporters cover the league every day, and we would love to hear from you."
    documents = [
        Document(id=d.id, path=d.path, text=d.text + "\n" + sign_off + "\n") for d in documents
    ]
    recurring = recurring_lines(documents)
    result = clean_document(documents[0], recurring)
    assert sign_off in result.removed
    assert "Scorers:" in result.paragraphs


def test_a_bbc_style_match_report_keeps_its_title_and_match_details() -> None:
    """Title line, then the report, then the match facts: every line is the article's."""
    paragraphs = (
        "Harbour City 2-1 Northfield",
        "Harbour City came from behind to beat Northfield and move into the play-off places.",
        "Tomas Brandl levelled with a header before Ivo Kessler struck the winner late on.",
        '"We showed real character," said manager Lev Dariusz. "The players never gave up."',
        "Harbour City: Quayle, Renner, Soto, Oduya, Brandl, Kessler, Ames, Brook, Chen, Dora.",
        "Subs: Marsh, Penn, Tully.",
        "Goals: Brandl 55, Kessler 88.",
        "Northfield: Grant, Hale, Ivers, Jory, Kemp, Lusk, Moss, Nash, Orme, Pike.",
        "Att: 14,212",
        "Ref: Sam Whitlow (Lancashire)",
    )
    text = "\n\n".join(paragraphs) + "\n"
    result = clean_document(Document(id="b", path="b.txt", text=text))
    assert result.title == "Harbour City 2-1 Northfield"
    assert result.paragraphs == paragraphs[1:]


def test_a_bbc_style_results_line_after_the_title_is_not_the_title() -> None:
    paragraphs = (
        "Brook wins the Harbour marathon",
        "Result: 1. Anna Brook (Harbour) 2:24:11, 2. Ida Chen (Eastwick) 2:25:40",
        "Anna Brook won the Harbour marathon on Sunday in the fastest time of her career.",
        "She pulled clear of Ida Chen in the last five kilometres of the race.",
    )
    result = clean_document(Document(id="b", path="b.txt", text="\n\n".join(paragraphs) + "\n"))
    assert result.title == "Brook wins the Harbour marathon"
    assert result.paragraphs == paragraphs[1:]
