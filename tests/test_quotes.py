"""Quotation finding, kinds and attribution (`corpus.quotes`), on small texts of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.entities import find_entities
from corpus.model import Entity, Quote
from corpus.quote_kind import classify_quote
from corpus.quote_spans import find_quote_spans
from corpus.quotes import find_quotes, quote_inner_text

FIXTURES = Path(__file__).parent / "fixtures" / "quotes"


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


def assert_contract(body: str, quotes: list[Quote]) -> None:
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text
        assert quote.kind in ("direct", "scare")
        if quote.speaker_start is not None:
            assert quote.speaker_end is not None and quote.speaker_start < quote.speaker_end


# ----------------------------------------------------------------------------- spans


def test_curly_quote_span_includes_its_marks_and_attribution_after() -> None:
    body = "“We will build the bridge by spring,” said Maria Lopez, the mayor."
    quote = only(find_quotes(body))
    assert quote.text == "“We will build the bridge by spring,”"
    assert (quote.start, quote.end) == (0, len(quote.text))
    assert quote.kind == "direct"
    assert quote.speaker == "Maria Lopez"
    assert body[quote.speaker_start : quote.speaker_end] == "Maria Lopez"
    assert quote.cue == "said"
    assert_contract(body, [quote])


def test_straight_quotes_after_a_colon() -> None:
    body = 'Ms Carter said: "We have doubled the budget and we will double it again."'
    quote = only(find_quotes(body))
    assert quote.text.startswith('"We have') and quote.text.endswith('again."')
    assert quote.speaker == "Carter"
    assert quote.cue == "said"


def test_single_quotes_nested_inside_stay_in_one_quote() -> None:
    body = "“He told me ‘never again’ and I believed him,” she said."
    quote = only(find_quotes(body))
    assert quote.text == "“He told me ‘never again’ and I believed him,”"


def test_double_quotes_nested_inside_straight_quotes() -> None:
    body = 'He read it out: "The question was “Do you trust him?” and most said no." Then he left.'
    quote = only(find_quotes(body))
    assert quote.text == '"The question was “Do you trust him?” and most said no."'


def test_british_multi_paragraph_quote_is_one_quote() -> None:
    body = (
        "The minister said: “We will not give up.\n\n"
        "“We will keep going until the job is done.\n\n"
        "“And then we will rest.”\n\n"
        "The session ended."
    )
    quote = only(find_quotes(body))
    assert quote.text.startswith("“We will not give up.")
    assert quote.text.endswith("we will rest.”")
    assert quote.text.count("\n\n") == 2
    assert quote_inner_text(quote.text) == (
        "We will not give up. We will keep going until the job is done. And then we will rest."
    )
    assert quote.cue == "said"


def test_separately_closed_paragraphs_stay_separate() -> None:
    body = "Mr Brown said: “We are ready.”\n\n“We have always been ready.”"
    quotes = find_quotes(body)
    assert [q.text for q in quotes] == ["“We are ready.”", "“We have always been ready.”"]
    assert quotes[1].speaker == quotes[0].speaker == "Brown"
    assert quotes[1].cue is None


def test_mark_unclosed_at_the_end_of_the_article_runs_to_the_end() -> None:
    body = "The report was short.\n\nShe wrote: “Nothing has changed and nothing will"
    quote = only(find_quotes(body))
    assert quote.text == "“Nothing has changed and nothing will"
    assert quote.end == len(body)


def test_unclosed_mark_before_another_quote_ends_at_its_clause() -> None:
    body = (
        "After a meeting of the “friends of the river, a council spokesman said the members "
        "“welcomed the plan to clean the water”."
    )
    first, second = find_quotes(body)
    assert first.text == "“friends of the river"
    assert first.kind == "scare"
    assert first.speaker is None
    assert second.text == "“welcomed the plan to clean the water”"
    assert second.kind == "direct"
    assert second.speaker == "council spokesperson"
    assert second.cue == "said"


def test_split_quote_around_the_attribution() -> None:
    body = "“The budget is fair,” Mr Adams said. “It protects the poorest families.”"
    first, second = find_quotes(body)
    assert first.speaker == second.speaker == "Adams"
    assert first.cue == "said"
    assert second.cue is None
    assert second.speaker_start == first.speaker_start


@pytest.mark.parametrize(
    "body",
    [
        'The new screen is 12" wide and costs less.',
        "He's 5'11\" tall and doesn't care.",
        "It's the team's best season, isn't it?",
    ],
)
def test_inch_marks_and_apostrophes_are_not_quotes(body: str) -> None:
    assert find_quotes(body) == []


def test_straight_quote_with_inch_mark_inside_a_real_quote() -> None:
    body = 'He said the pipe was 3" wide. "It will not fit," he added.'
    quotes = find_quotes(body)
    assert [q.text for q in quotes] == ['"It will not fit,"']


def test_single_newline_paragraphs_are_paragraphs() -> None:
    body = "Ms Reed spoke first.\n“We are done here.”\nThe end."
    quote = only(find_quotes(body))
    assert quote.text == "“We are done here.”"
    assert quote.speaker == "Reed"


def test_a_million_marks_are_scanned_in_linear_time() -> None:
    # A quadratic scan would not finish; the assertions pin what the scan makes of them.
    assert len(find_quotes("“" * 1_000_000)) == 1  # only the last mark is left open
    assert find_quotes('"' * 1_000_000) == []  # empty pairs are not quotations
    assert len(find_quote_spans("“a” " * 200_000)) == 200_000
    assert len(find_quotes("“a” " * 20_000)) == 20_000


# ----------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    "text",
    [
        "dictator",
        "triple whammy",
        "very active",
        "united leadership",
        "just and lasting peace",
        "a number of countries",
        "coalition of the willing",
        "hopelessly outdated and failed",
    ],
)
def test_verbless_phrases_are_scare_quotes(text: str) -> None:
    assert classify_quote(text) == "scare"


@pytest.mark.parametrize(
    "text",
    [
        "be weak",
        "step up",
        "done nothing",
        "we must all work together",
        "heating up the conflict",
        "held in a constructive atmosphere",
        "correct steps to have lasting peace",
        "lying that Russia blocks negotiations",
        "That makes me smart,",
    ],
)
def test_clauses_and_verb_phrases_are_direct(text: str) -> None:
    assert classify_quote(text) == "direct"


def test_scare_quote_keeps_its_speaker_when_attributed() -> None:
    body = "Mr Novak called the plan a “disaster” on Monday."
    quote = only(find_quotes(body))
    assert quote.kind == "scare"
    assert quote.speaker == "Novak"
    assert quote.cue == "called"


def test_unattributed_scare_quote_is_kept_with_no_speaker() -> None:
    body = "The week ahead will be “very busy” for the council."
    quote = only(find_quotes(body))
    assert quote.kind == "scare"
    assert quote.speaker is None and quote.speaker_start is None and quote.cue is None


# ----------------------------------------------------------------------------- attribution


def test_told_keeps_its_object_in_the_cue() -> None:
    body = "“We were able to win a concession,” Mr Hale told CNN."
    quote = only(find_quotes(body))
    assert quote.cue == "told CNN"
    assert quote.speaker == "Hale"


def test_according_to_takes_the_phrase_after_it() -> None:
    body = "The firm is planning a “fresh start” next year, according to The Herald."
    quote = only(find_quotes(body))
    assert quote.speaker == "The Herald"
    assert quote.cue == "according to"


def test_spokesman_of_an_organisation() -> None:
    body = "“Talks went well,” a Downing Street spokesman added."
    quote = only(find_quotes(body))
    assert quote.speaker == "Downing Street spokesperson"
    assert quote.cue == "added"
    body = "“Talks went well,” a Number 10 spokesman added."
    assert only(find_quotes(body)).speaker == "Downing Street spokesperson"


def test_possessive_spokesman() -> None:
    body = "Anna Berg met the board. “No decision was made,” Ms Berg’s spokesman said."
    quote = only(find_quotes(body))
    assert quote.speaker == "Anna Berg spokesperson"


def test_expected_to_warn_is_one_cue() -> None:
    body = "Mr Dubois is expected to warn the board not to “be weak” in the talks."
    quote = only(find_quotes(body))
    assert quote.speaker == "Dubois"
    assert quote.cue == "is expected to warn"
    assert quote.kind == "direct"


def test_appositive_between_speaker_and_cue() -> None:
    body = "“This will hurt small firms,” David Frost, director general of the chamber, warned."
    quote = only(find_quotes(body))
    assert quote.speaker == "David Frost"
    assert quote.cue == "warned"


def test_speaker_named_in_the_sentence_before_a_quote_only_paragraph() -> None:
    body = "Professor Jane Hill gave evidence on Tuesday.\n\nShe added:\n\n“The data are clear.”"
    quote = only(find_quotes(body))
    assert quote.speaker == "Jane Hill"
    assert quote.cue == "added"


def test_pronoun_resolved_by_gender_from_honorifics() -> None:
    body = (
        "Mr Grant met Ms Patel in London on Friday. Ms Patel spoke first.\n\n"
        "“We agreed on everything,” she said. Mr Grant nodded.\n\n"
        "“It was a good day,” he said."
    )
    first, second = find_quotes(body)
    assert first.speaker == "Patel"
    assert body[first.speaker_start : first.speaker_end] == "she"
    assert second.speaker == "Grant"


def test_pronoun_after_a_participial_opening_resolves_to_the_last_speaker() -> None:
    body = (
        "Donald Hart said the deal was “dead”.\n\n"
        "Asked about the visits from Sir Tom Reed and Mr Ward, he said: “They did nothing.”"
    )
    quotes = find_quotes(body)
    assert quotes[-1].speaker == "Donald Hart"


def test_entities_give_the_canonical_speaker() -> None:
    body = "Sir Keir said: “We stand with Ukraine.”"
    entities = [Entity(0, 8, "Sir Keir", "PERSON", "Keir Starmer")]
    quote = only(find_quotes(body, entities))
    assert quote.speaker == "Keir Starmer"
    assert (quote.speaker_start, quote.speaker_end) == (0, 8)
    without = only(find_quotes(body))
    assert without.speaker == "Keir"  # no entities: the mention itself


def test_surname_resolves_to_the_full_name_without_entities() -> None:
    body = "Pat Caddell spoke on Thursday.\n\n“The race is tight,” said Caddell."
    quote = only(find_quotes(body))
    assert quote.speaker == "Pat Caddell"
    assert quote.cue == "said"


def test_joint_speakers_from_they() -> None:
    body = (
        "Sir Tom Reed and Mr Paul Ward spoke on Saturday. They discussed how "
        "“we must all work together” this year."
    )
    quote = only(find_quotes(body))
    assert quote.speaker == "Tom Reed and Paul Ward"
    assert quote.cue == "discussed"


def test_dash_attribution() -> None:
    body = "“I am ashamed of this campaign.” ― Maria Gomez"
    quote = only(find_quotes(body))
    assert quote.speaker == "Maria Gomez"


def test_title_bound_to_the_name_it_precedes() -> None:
    body = (
        "Prime Minister Anna Lind met farmers on Monday.\n\n"
        "The Prime Minister said she would “look again at the rules”."
    )
    quote = only(find_quotes(body))
    assert quote.speaker == "Anna Lind"


def test_fixture_article_contract_and_counts() -> None:
    body = (FIXTURES / "council.txt").read_text(encoding="utf-8").strip()
    body = "\n\n".join(p.strip() for p in body.split("\n\n"))
    quotes = find_quotes(body)
    assert_contract(body, quotes)
    assert [q.kind for q in quotes] == ["scare", "direct", "direct", "direct", "scare"]
    assert [q.speaker for q in quotes] == [
        None,
        "Helen Moss",
        "Helen Moss",
        "Helen Moss spokesperson",
        "Owen Price",
    ]
    assert quotes[2].text.count("\n\n") == 1  # the British two-paragraph quotation


def test_chain_of_appositives_and_a_parenthesis() -> None:
    body = (
        "“It is an invasion of our domain,” Sam Pruitt, the attorney general of Oklahoma, "
        "one of the states suing, said on Monday."
    )
    assert only(find_quotes(body)).speaker == "Sam Pruitt"
    body = "“Subpoenas are not optional,” Rep. Jane Chaffetz (R-Utah) said."
    quote = only(find_quotes(body))
    assert quote.speaker == "Jane Chaffetz"
    assert body[quote.speaker_start : quote.speaker_end] == "Rep. Jane Chaffetz"


def test_closing_attribution_wins_after_a_colon() -> None:
    body = (
        "The statement named the impact it said she would have: "
        "“She opened the door,” the union wrote."
    )
    quote = only(find_quotes(body))
    assert quote.speaker == "union"
    assert quote.cue == "wrote"


def test_sentence_after_a_closed_quote_is_not_its_attribution() -> None:
    body = "“It was wrong,” Mr Bell said. “And I regret it.” He added that he would “do better”."
    _first, second, third = find_quotes(body)
    assert second.speaker == "Bell" and second.cue is None
    assert third.cue == "added"
    body = "“Who would have believed it?” Mr Bell said, looking at the crowd."
    assert only(find_quotes(body)).speaker == "Bell"


def test_participle_cue_takes_the_subject_of_the_sentence() -> None:
    body = (
        "Small groups of protesters continued to march through the streets where the "
        "Panthers played, while chanting “We want answers.”"
    )
    quote = only(find_quotes(body))
    assert body[quote.speaker_start : quote.speaker_end] == "Small groups of protesters"
    assert quote.cue == "chanting"


def test_premodified_name_after_the_cue() -> None:
    body = "“The rationale does not hold,” said 9/11 widow Terry Strada."
    quote = only(find_quotes(body))
    assert quote.speaker == "Terry Strada"


def test_month_name_as_surname() -> None:
    body = "“It is over,” Theresa May said in May."
    assert only(find_quotes(body)).speaker == "Theresa May"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("What curfew?", "direct"),
        ("Face the Nation,", "scare"),
        ("It's Our Time.", "direct"),
        ("Notice the sniffing. Coke user?", "direct"),
    ],
)
def test_questions_titles_and_several_sentences(text: str, kind: str) -> None:
    assert classify_quote(text) == kind


def test_partial_entity_does_not_shorten_the_speaker() -> None:
    body = "“The talks were useful,” Downing Street said."
    entities = [Entity(26, 33, "Downing", "PERSON", "Downing")]
    assert only(find_quotes(body, entities)).speaker == "Downing Street"


def test_closing_mark_typed_as_the_opening_one() -> None:
    body = "”Mr. Lee embodies the worst of politics.” ― Sonya Herr"
    quote = only(find_quotes(body))
    assert quote.text == "”Mr. Lee embodies the worst of politics.”"
    assert quote.speaker == "Sonya Herr"
    assert find_quotes("He said ” and then left.") == []


def test_direct_words_without_a_reporting_verb_take_the_nearest_subject() -> None:
    body = (
        "The talks mark the anniversary, with the minister using her call with Mr Tan to "
        "“stand by the farmers in every way”."
    )
    quote = only(find_quotes(body))
    assert body[quote.speaker_start : quote.speaker_end] == "the minister"
    assert quote.cue is None
    scare = only(find_quotes("The week will be “very busy” for the minister."))
    assert scare.speaker is None  # a term, not words someone said


# ------------------------------------------------------- low-high marks and guillemets


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("„Das Haus ist alt“, erklärte Anna Weber gestern.", ["„Das Haus ist alt“"]),
        ("Petr Dvořák řekl: „Zítra přijdeme.“ A odešel.", ["„Zítra přijdeme.“"]),
        ("„Jutro wrócimy”, powiedział Jan Nowak.", ["„Jutro wrócimy”"]),
        ("„Erst ‚ja‘, dann ‚nein‘“, klagte Tom Berger.", ["„Erst ‚ja‘, dann ‚nein‘“"]),
        ("Sie nannte es ‚unfair‘ und ging.", ["‚unfair‘"]),
        ("Er rief ‚Das geht’s nicht‘ ins Telefon.", ["‚Das geht’s nicht‘"]),
        (
            "« La ville est prête », a déclaré Luc Martin. « Oui. »",
            ["« La ville est prête »", "« Oui. »"],
        ),
        (
            "»Das Haus ist alt«, erklärte Anna Weber. »Sehr alt.«",
            ["»Das Haus ist alt«", "»Sehr alt.«"],
        ),
        ("Il a dit ‹ non › puis ›doch‹ encore.", ["‹ non ›", "›doch‹"]),
    ],
    ids=[
        "german",
        "czech",
        "polish",
        "nested-single",
        "single",
        "apostrophe",
        "french",
        "reversed",
        "single-guillemets",
    ],
)
def test_low_high_marks_and_guillemets_make_one_quotation(body: str, expected: list[str]) -> None:
    quotes = find_quotes(body)
    assert_contract(body, quotes)
    assert [q.text for q in quotes] == expected


def test_low_single_mark_used_as_a_comma_is_not_a_quotation() -> None:
    assert find_quotes("Hallo‚ wie geht’s dir‚ Maria?") == []


def test_german_quote_continues_over_paragraphs_and_loses_its_marks_in_the_text() -> None:
    body = "„Wir fangen morgen an.\n\n„Dann bauen wir weiter“, sagte Anna Weber."
    quote = only(find_quotes(body))
    assert quote.text == body[: body.index("“") + 1]
    assert quote_inner_text(quote.text) == "Wir fangen morgen an. Dann bauen wir weiter"


def test_english_quote_after_a_german_one_still_pairs_curly_marks() -> None:
    body = "„Ja“, sagte sie. Later he said “we will see” and left."
    assert [q.text for q in find_quotes(body)] == ["„Ja“", "“we will see”"]


# ------------------------------------------------------------- base-form verbs (kind)


@pytest.mark.parametrize(
    "text",
    [
        "not stand by while families go hungry",
        "never give up on the valley",
        "not sit back",
        "step up to the plate",
        "hand over power",
        "keen to kick the habit",  # "kick" unseen in CoNLL, "kicked"/"kicks" seen as verbs
        "the tenants get nothing back",
        "pensioners live in fear",
    ],
)
def test_base_form_verb_after_negation_or_plural_noun_is_direct(text: str) -> None:
    assert classify_quote(text) == "direct"


@pytest.mark.parametrize(
    "text",
    [
        "a step in the right direction",
        "step in the wrong direction",
        "cause for concern",
        "too little, too late",
        "not clear",
        "not free",
        "not least",
        "families first",
        "the hopes and fears of families",
        "What Voters Want in Towns",
    ],
)
def test_noun_and_adjective_phrases_stay_scare_with_base_verb_rules(text: str) -> None:
    assert classify_quote(text) == "scare"


def test_verb_phrase_quote_after_would_not_is_direct_in_context() -> None:
    body = (
        "The head teacher, Omar Haddad, said the school would “not stand by while pupils go cold”."
    )
    assert only(find_quotes(body)).kind == "direct"


# ------------------------------------------------------- role phrase + appositive name


@pytest.mark.parametrize(
    "body",
    [
        "The head teacher of Hill Park School, Omar Haddad, said the school would “not stand by "
        "while pupils go cold”.",
        "“We have room for forty more,” said the chairwoman of the Riverside Trust, Priya Shah.",
        "“We have room,” the director of Northgate Museum, Dr. Priya Shah, told reporters.",
        "Its chief executive, Priya Shah, said: “We have room for forty more.”",
    ],
    ids=["role-of-place-before-cue", "after-cue", "after-quote-before-cue", "possessive-role"],
)
@pytest.mark.parametrize("with_entities", [True, False], ids=["entities", "no-entities"])
def test_named_appositive_after_a_role_phrase_is_the_speaker(
    body: str, with_entities: bool
) -> None:
    quote = only(find_quotes(body, find_entities(body) if with_entities else ()))
    assert quote.speaker in ("Omar Haddad", "Priya Shah")
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert body[quote.speaker_start : quote.speaker_end].split()[-1] in ("Haddad", "Shah")
    assert quote.kind == "direct"


def test_appositive_that_is_no_person_keeps_the_role_phrase() -> None:
    body = "The owner of Northgate, Acme Holdings Ltd, said: “We have room for forty more.”"
    quote = only(find_quotes(body))
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert body[quote.speaker_start : quote.speaker_end] == "The owner of Northgate"


def test_name_before_its_role_appositive_stays_the_speaker() -> None:
    body = "Priya Shah, the chairwoman of the Riverside Trust, said: “We have room.”"
    quote = only(find_quotes(body))
    assert quote.speaker == "Priya Shah"
    assert body[quote.speaker_start : quote.speaker_end] == "Priya Shah"


def test_single_guillemet_arrows_without_words_are_not_quotations() -> None:
    body = "‹ › ×\n\nNews›‹ Sport›‹ Weather"
    assert find_quotes(body) == []


def test_many_single_marks_are_scanned_once() -> None:
    assert len(find_quote_spans("‹a› " * 100_000)) == 100_000
    assert find_quote_spans(" ‚a" * 100_000) == []  # no closing mark anywhere
    assert len(find_quote_spans("„a“ " * 100_000)) == 100_000


@pytest.mark.parametrize(
    "subject_sentence",
    [
        "The chief inspector of schools, David Mills, also said the plan was sound.",
        "Labour shadow chancellor David Mills warned the figures were weak.",
        "Former minister David Mills argued the figures were weak.",
    ],
    ids=["comma-appositive-subject", "shadow-title", "former-title"],
)
def test_he_after_a_new_subject_is_that_subject_not_the_last_speaker(subject_sentence: str) -> None:
    body = f"“We object,” said Tom Reed. {subject_sentence} “They do not add up,” he said."
    quotes = find_quotes(body)
    assert [q.speaker for q in quotes] == ["Tom Reed", "David Mills"]


def test_capitalised_word_after_a_listed_name_is_no_predicate() -> None:
    body = (
        "“We object,” said Tom Reed. The coach has lost David Mills, Will Grant and Sam Cole. "
        "“They do not add up,” he said."
    )
    assert [q.speaker for q in find_quotes(body)] == ["Tom Reed", "Tom Reed"]
