"""The entity recogniser on the kinds of news text it was not tuned on.

Document-level consistency (the second tagger pass), lines in capitals, results tables, team
sheets and standings, with small fixtures written for these tests; and the positional
features behind them (`line_features`, `document_features`), checked on their own.
"""

from __future__ import annotations

from corpus.entities import find_entities
from corpus.ner_features import TAG_INDEX, Lexicon, document_features, line_features
from corpus.ner_tagger import NameTagger, default_tagger
from corpus.ner_tokens import candidate_indices, tokenize


def labels(body: str) -> dict[str, set[str]]:
    """Entity text -> the labels it was given in `body`."""
    found: dict[str, set[str]] = {}
    for entity in find_entities(body):
        found.setdefault(entity.text, set()).add(entity.label)
    return found


def test_a_caps_line_is_flagged_with_each_words_usual_casing() -> None:
    words, _ = tokenize("RUGBY - LEEDS BEAT THE WOLVES.\nLeeds beat the Wolves.")
    indices = candidate_indices(words)
    lexicon = Lexicon(frozenset(), casing={"beat": "x", "leeds": "Xx"})
    extra = line_features(words, indices, lexicon)
    assert extra[words.index("LEEDS")] == ["cl", "cl|uc=Xx"]
    assert extra[words.index("BEAT")] == ["cl", "cl|uc=x"]
    second_line = words.index("Leeds")
    assert all("cl" not in extra.get(i, []) for i in indices if i >= second_line)


def test_names_of_the_training_text_are_matched_case_blind_and_longest_first() -> None:
    lexicon = Lexicon.from_names(
        frozenset(),
        {},
        {("manchester",): "LOC", ("manchester", "united"): "ORG", ("bank", "of", "x"): "ORG"},
    )
    words, _ = tokenize("MANCHESTER UNITED won. Manchester is wet. Bank of X said")
    extra = line_features(words, candidate_indices(words), lexicon)
    assert "gz=B-ORG" in extra[0] and "gz=I-ORG" in extra[1]
    assert "gz=U-LOC" in extra[words.index("Manchester")]
    bank = words.index("Bank")
    assert "gz=B-ORG" in extra[bank] and "gz=I-ORG" in extra[bank + 2]


def test_document_features_carry_a_label_to_the_other_mentions_of_a_word() -> None:
    words, _ = tokenize("Michael Brandt scored.\nBrandt said the goal was lucky.\nBrandt left.")
    indices = candidate_indices(words)
    tags = [0] * len(words)
    tags[0], tags[1] = TAG_INDEX["B-PER"], TAG_INDEX["I-PER"]  # first pass: only line one
    extra = document_features(words, indices, tags)
    second = words.index("Brandt", 2)
    assert "d=PER" in extra[second] and "dt=I-PER" in extra[second]
    assert extra[1] == ["d=O"]  # the first pass tagged neither of its other mentions
    words, _ = tokenize("Bank shares fell.\nThe bank said so.")
    extra = document_features(words, candidate_indices(words), [0] * len(words))
    assert extra[0] == ["dl"]  # "bank" also written in lower case: a common word


def test_a_name_tagged_once_is_tagged_the_same_through_the_article() -> None:
    body = (
        "OSLO 1996-09-14\n\n"
        "Viking Stavanger striker Egil Brekkhus scored twice on Saturday as his side beat "
        "Molde 3-1.\n\n"
        "Brekkhus, 24, joined from Bryne in May.\n\n"
        '"We knew Molde would come at us," Brekkhus said.\n\n'
        "Scorers: Brekkhus 12, 67, Sandvik 80; Molde - Hestad 55."
    )
    found = [e for e in find_entities(body) if e.text.endswith("Brekkhus")]
    assert len(found) == 4
    assert {e.label for e in found} == {"PERSON"}
    molde = {e.label for e in find_entities(body) if e.text == "Molde"}
    assert molde == {"ORG"}


def test_names_in_a_line_in_capitals_are_found() -> None:
    # The headline's capitals say nothing; the same names in the running text below do.
    found = labels(
        "SOCCER - BREKKHUS DOUBLE GIVES VIKING WIN OVER MOLDE.\n\n"
        "Egil Brekkhus scored twice as Viking beat Molde 3-1 in Stavanger on Saturday."
    )
    assert found.get("BREKKHUS") == {"PERSON"}
    assert found.get("VIKING") == {"ORG"}
    assert found.get("MOLDE") == {"ORG"}
    assert "GIVES" not in found and "DOUBLE" not in found
    assert found.get("Stavanger") == {"GPE"}


def test_a_results_table_line_gives_the_athlete_and_the_country() -> None:
    found = labels(
        "Results of the men's 200 metres final:\n\n"
        "1. Daniel Okorafor (U.S.) 19.32\n\n"
        "2. Tomasz Wierzbicki (Poland) 19.68\n\n"
        "3. Kwame Asante (Ghana) 19.80"
    )
    for name in ("Daniel Okorafor", "Tomasz Wierzbicki", "Kwame Asante"):
        assert found.get(name) == {"PERSON"}, name
    for place in ("U.S.", "Poland", "Ghana"):
        assert found.get(place) == {"GPE"}, place


def test_a_team_sheet_lists_people() -> None:
    found = labels(
        "Germany named the following squad for the match against Armenia:\n\n"
        "Squad: Lukas Brenninger, Timo Kesselring, Jonas Wirtzberg, Felix Hartungen, "
        "Niklas Sommerfeld, Moritz Adlerstein, Jannik Vogtmann, Paul Ostermeier, Simon Kellerhals."
    )
    people = [name for name, kinds in found.items() if kinds == {"PERSON"}]
    assert len(people) == 9, found


def test_a_standings_line_names_the_club() -> None:
    found = labels(
        "English premier league standings after Saturday's matches (tabulate under played, "
        "won, drawn, lost, goals for, against, points):\n\n"
        "Arsenal 3 2 1 0 7 3 7\n\n"
        "Newcastle 3 2 0 1 5 4 6\n\n"
        "Aston Villa 3 1 1 1 4 4 4"
    )
    for club in ("Arsenal", "Newcastle", "Aston Villa"):
        assert found.get(club) == {"ORG"}, (club, found)


def test_a_hyphenated_name_with_a_lower_case_particle_is_one_person() -> None:
    words, _ = tokenize("Inzamam-ul-Haq made 52.")
    assert [words[i] for i in candidate_indices(words)] == ["Inzamam", "-", "ul", "-", "Haq"]
    found = labels(
        "Pakistan captain Wasim Akram and Inzamam-ul-Haq put on 120 for the fourth wicket."
    )
    assert found.get("Inzamam-ul-Haq") == {"PERSON"}
    assert "Inzamam" not in found


def test_a_dateline_date_is_one_date_and_common_acronyms_are_not_names() -> None:
    found = labels("OSLO 1996-09-14\n\nGDP grew 2.5 percent, the statistics office said.")
    assert found.get("1996-09-14") == {"DATE"}
    assert found.get("OSLO") == {"GPE"}
    assert "GDP" not in found


def test_the_second_pass_gives_a_company_one_label_through_the_article() -> None:
    # Alone, "Brenntag said ..." reads like a person; the article says it is the company.
    body = (
        "Shares in Brenntag Holdings rose 4 percent after the chemicals group raised its "
        "forecast.\n\nBrenntag said sales grew in Asia.\n\n"
        "Analysts said Brenntag would gain market share."
    )
    assert {e.label for e in find_entities(body) if e.text == "Brenntag"} == {"ORG"}
    body = (
        "Galbraith Mining said output fell.\n\nGalbraith shares slid.\n\n"
        "Galbraith expects a recovery in 1997."
    )
    assert {e.label for e in find_entities(body) if e.text == "Galbraith"} == {"ORG"}
    first_pass_only = NameTagger(default_tagger().first)
    alone = {e.label for e in find_entities(body, tagger=first_pass_only) if e.text == "Galbraith"}
    assert alone != {"ORG"}  # what the document-level pass adds


def test_a_name_in_a_results_line_in_capitals_keeps_its_label() -> None:
    body = (
        "Torvald Lindqvist won the stage.\n\nLindqvist, 27, leads by 12 seconds.\n\n"
        "LINDQVIST 3:45:12"
    )
    assert {e.label for e in find_entities(body) if e.text.upper().endswith("LINDQVIST")} == {
        "PERSON"
    }


def test_a_first_name_that_abbreviates_a_month_is_not_a_date() -> None:
    body = "Molde midfielder Jan Hestad scored on Jan 5, and again on 12 Jan 1996."
    dates = [body[e.start : e.end] for e in find_entities(body) if e.label == "DATE"]
    assert dates == ["Jan 5", "12 Jan 1996"]


def test_a_surname_after_an_editors_bracket_is_the_person() -> None:
    # Journalists complete a quoted name in brackets: "(Russian President Vladimir) Putin".
    body = (
        "“There can be no talks without Ukraine,” she said.\n\n"
        "He added: “I’ve seen the devastation (Russian President Vladimir) Putin has caused.”"
    )
    people = [e.text for e in find_entities(body) if e.label == "PERSON"]
    assert "Putin" in people
    # a bracketed word that is no first name does not make the next word a person
    other = find_entities("The report (the second this year) Reuters saw was late.")
    assert not [e for e in other if e.label == "PERSON"]
