"""The built-in entity recogniser on hand-written hard cases (conventions of gold/NOTES.md)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.entities import (
    EntityBackendUnavailable,
    canonicalize_corpus,
    check_backend,
    find_entities,
)
from corpus.model import Article, Entity, Quote
from corpus.ner_gazetteer import gazetteer
from corpus.ner_mentions import first_name_people
from corpus.ner_rules import find_rule_entities
from corpus.ner_tagger import default_tagger

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "entities"


def spans(body: str) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in find_entities(body)}


def canonical_of(body: str, text: str) -> set[str]:
    return {e.canonical for e in find_entities(body) if e.text == text}


def test_offsets_match_text_on_a_news_fixture() -> None:
    body = (FIXTURES / "summit.txt").read_text(encoding="utf-8")
    entities = find_entities(body)
    assert len(entities) > 20
    for entity in entities:
        assert body[entity.start : entity.end] == entity.text
    assert [e.start for e in entities] == sorted(e.start for e in entities)


def test_honorifics_are_part_of_the_person_span() -> None:
    found = spans("Sir Keir Starmer met Mr Macron in Paris. Later Ms Okafor spoke to Dame Joan.")
    assert ("Sir Keir Starmer", "PERSON") in found
    assert ("Mr Macron", "PERSON") in found
    assert ("Ms Okafor", "PERSON") in found
    assert ("Dame Joan", "PERSON") in found


def test_job_titles_are_left_out_of_person_spans() -> None:
    found = spans(
        "President Trump spoke to reporters. Defence Secretary John Healey said the plan "
        "was ready, and US President Donald Trump agreed."
    )
    assert ("Trump", "PERSON") in found
    assert ("John Healey", "PERSON") in found
    assert ("Donald Trump", "PERSON") in found
    assert ("US", "GPE") in found
    assert not any("President" in text or "Secretary" in text for text, _ in found)


def test_a_title_alone_is_not_an_entity() -> None:
    found = spans("The Prime Minister said on Monday that the Foreign Secretary would travel.")
    assert not any(label == "PERSON" for _, label in found)


def test_possessive_is_never_in_a_span() -> None:
    body = "Mr Zelensky’s aides met Britain's envoy and Ukraine’s allies."
    found = spans(body)
    assert ("Mr Zelensky", "PERSON") in found
    assert ("Britain", "GPE") in found
    assert ("Ukraine", "GPE") in found
    assert not any(text.endswith(("’s", "'s")) for text, _ in found)


def test_the_white_house_is_org_as_an_actor_and_fac_as_a_place() -> None:
    body = (
        "The rift between Europe and the White House grew. Leaders will meet in the White "
        "House on Friday."
    )
    entities = [e for e in find_entities(body) if e.text == "the White House"]
    assert [e.label for e in entities] == ["ORG", "FAC"]
    assert {e.canonical for e in entities} == {"White House"}


def test_downing_street_is_org_when_it_speaks_and_number_10_is_aliased() -> None:
    body = "Downing Street said the talks went well. Number 10 added that more would follow."
    found = {(e.text, e.label, e.canonical) for e in find_entities(body)}
    assert ("Downing Street", "ORG", "Downing Street") in found
    assert ("Number 10", "ORG", "Downing Street") in found


def test_surname_and_first_name_mentions_take_the_full_name_within_a_document() -> None:
    body = (
        "Sir Keir Starmer flew to Washington. Sir Keir said the visit mattered, and Starmer "
        "later met Mr Trump. Donald Trump said little."
    )
    assert canonical_of(body, "Sir Keir") == {"Keir Starmer"}
    assert canonical_of(body, "Starmer") == {"Keir Starmer"}
    assert canonical_of(body, "Sir Keir Starmer") == {"Keir Starmer"}
    assert canonical_of(body, "Mr Trump") == {"Donald Trump"}


def test_name_particles_stay_inside_the_name() -> None:
    body = "Ursula von der Leyen spoke first. Later Ms Von der Leyen took questions."
    assert canonical_of(body, "Ursula von der Leyen") == {"Ursula von der Leyen"}
    assert canonical_of(body, "Ms Von der Leyen") == {"Ursula von der Leyen"}


def test_alias_table_gives_canonical_names() -> None:
    body = "Britain and the US urged Nato and the EU to act. Ukrainians welcomed it."
    found = {(e.text, e.label, e.canonical) for e in find_entities(body)}
    assert ("Britain", "GPE", "United Kingdom") in found
    assert ("US", "GPE", "United States") in found
    assert ("Nato", "ORG", "North Atlantic Treaty Organization") in found
    assert ("EU", "ORG", "European Union") in found
    assert ("Ukrainians", "NORP", "Ukrainian") in found


def test_per_cent_is_normalised_and_money_keeps_its_text() -> None:
    body = "Spending rises from 2.3 per cent to 2.5% of GDP, about £6 billion, or $3m a day."
    found = {(e.text, e.label, e.canonical) for e in find_entities(body)}
    assert ("2.3 per cent", "PERCENT", "2.3%") in found
    assert ("2.5%", "PERCENT", "2.5%") in found
    assert ("£6 billion", "MONEY", "£6 billion") in found
    assert ("$3m", "MONEY", "$3m") in found


def test_date_conventions() -> None:
    found = {(m.label, "x") for m in find_rule_entities("nothing here")}
    assert found == set()
    body = (
        "They met on Saturday morning and will talk in the coming days and weeks, next week "
        "and at the weekend, three years after 2022."
    )
    dates = {e.text for e in find_entities(body) if e.label == "DATE"}
    assert dates == {
        "Saturday", "the coming days and weeks", "next week", "the weekend", "three years", "2022",
    }  # fmt: skip


def test_canonicalize_corpus_resolves_a_lone_surname_and_rewrites_speakers() -> None:
    first_body = "Bridget Phillipson visited a school on Monday."
    second_body = "Phillipson said the plan would work."
    first = _article("a", first_body)
    second = _article("b", second_body)
    lone = next(e for e in second.entities if e.text == "Phillipson")
    assert lone.canonical == "Phillipson"
    quote = Quote(0, 5, "x", "direct", speaker="Phillipson")
    second = Article(**{**_fields(second), "quotes": (quote,)})
    resolved = canonicalize_corpus([first, second])
    assert next(e for e in resolved[1].entities if e.text == "Phillipson").canonical == (
        "Bridget Phillipson"
    )
    assert resolved[1].quotes[0].speaker == "Bridget Phillipson"
    assert resolved[0] is first  # untouched articles are passed through


def test_canonicalize_corpus_leaves_ambiguous_surnames_alone() -> None:
    articles = [
        _article("a", "Anna Smith spoke."),
        _article("b", "John Smith replied."),
        _article("c", "Smith said no more."),
    ]
    resolved = canonicalize_corpus(articles)
    assert {e.canonical for e in resolved[2].entities if e.text == "Smith"} == {"Smith"}


def test_builtin_backend_does_not_import_spacy() -> None:
    code = (
        "import sys\n"
        "from corpus.entities import find_entities\n"
        "find_entities('Sir Keir Starmer met Mr Trump in Washington on Monday.')\n"
        "print('spacy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(importlib.util.find_spec("spacy") is not None, reason="spaCy installed")
def test_spacy_backend_without_spacy_says_how_to_install_it() -> None:
    with pytest.raises(RuntimeError, match="spaCy"):
        find_entities("Mr Trump spoke.", backend="spacy")


def test_unknown_backend_is_an_error() -> None:
    with pytest.raises(ValueError, match="backend"):
        find_entities("Mr Trump spoke.", backend="nltk")


def test_check_backend_raises_what_find_entities_would() -> None:
    check_backend("builtin")
    with pytest.raises(ValueError, match="backend"):
        check_backend("nltk")
    if importlib.util.find_spec("spacy") is None:
        with pytest.raises(EntityBackendUnavailable, match="spaCy"):
            check_backend("spacy")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Mr", "Trump", "’s", "the", "White", "House", "said", "2.5", "per", "cent", "£6",
             "billion", "Sir", "Keir", "von", "der", "\n\n", "President", "US", ".", "“", "”",
             "Saturday", "Number", "10", "-", "Nato", "of", "Bank", "England", "é"]
        ),
        max_size=40,
    )
)  # fmt: skip
def test_spans_always_match_the_body(tokens: list[str]) -> None:
    body = " ".join(tokens)
    entities = find_entities(body)
    previous_end = 0
    for entity in entities:
        assert body[entity.start : entity.end] == entity.text
        assert entity.start >= previous_end  # sorted, never overlapping
        previous_end = entity.end
        assert entity.canonical


def _article(article_id: str, body: str) -> Article:
    return Article(
        id=article_id, path=article_id, date=None, title=article_id, source=None, byline=None,
        body=body, entities=tuple(find_entities(body)),
    )  # fmt: skip


def _fields(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}


def test_entity_type_is_the_shared_model() -> None:
    assert all(isinstance(e, Entity) for e in find_entities("Mr Trump spoke in Paris."))


def test_a_known_first_name_makes_a_person_of_an_unknown_surname() -> None:
    # The safety net behind the tagger: a gazetteer first name + an untagged capitalised word.
    words = ["talks", "with", "Keir", "Zorblatt", "and", "Paris", "Hilton", "Street", "."]
    vocab = default_tagger().lowercase_vocab
    people = first_name_people(words, [2, 3, 5, 6, 7], [], gazetteer(), vocab)
    assert [(words[m.first], words[m.last - 1], m.kind) for m in people] == [
        ("Keir", "Zorblatt", "PER")
    ]
    found = spans("The talks were led by Kemi Okonjo and Olaf Brandtner in Geneva.")
    assert ("Kemi Okonjo", "PERSON") in found
    assert ("Olaf Brandtner", "PERSON") in found


def test_a_place_before_a_group_is_split() -> None:
    found = spans("Leaders of UK Muslims met police chiefs in Leeds.")
    assert ("UK", "GPE") in found
    assert ("Muslims", "NORP") in found


def test_sentence_initial_common_words_are_not_names() -> None:
    found = spans(
        "Referring to the report, he said little.\n\nQualifications will be tougher, "
        "the minister said."
    )
    assert not any(text in ("Referring", "Qualifications") for text, _ in found)


def test_a_surname_keeps_the_label_of_its_person_across_the_article() -> None:
    body = "Angela Merkel arrived late. Merkel then met Macron, and Merkel left."
    assert {label for text, label in spans(body) if text == "Merkel"} == {"PERSON"}
    assert canonical_of(body, "Merkel") == {"Angela Merkel"}


def test_an_acronym_after_its_long_form_shares_its_canonical_name() -> None:
    body = (
        "The Office for National Statistics (ONS) published the figures. A Foobar Trade "
        "Association (FTA) spokesman said the ONS was right and the FTA was not."
    )
    found = {(e.text, e.canonical) for e in find_entities(body)}
    assert ("Office for National Statistics", "Office for National Statistics") in found
    assert ("ONS", "Office for National Statistics") in found
    assert ("FTA", "Foobar Trade Association") in found


def test_known_places_and_aliases_fill_in_where_the_tagger_tagged_nothing() -> None:
    body = "It hosts a summit.\n\nUS President Donald Trump said so. Later Nato agreed."
    found = spans(body)
    assert ("US", "GPE") in found
    assert ("Nato", "ORG") in found
    assert not any(text.lower() == "us" for text, _ in spans("He told us to wait."))


def test_a_newspaper_keeps_its_the() -> None:
    found = spans("The plan was first reported by The Telegraph on Sunday.")
    assert ("The Telegraph", "ORG") in found


def test_holidays_are_dates_and_the_pm_is_a_title() -> None:
    found = spans("The PM will speak before Easter and again on New Year’s Eve, the G7 said.")
    assert ("Easter", "DATE") in found
    assert ("New Year’s Eve", "DATE") in found
    assert ("G7", "ORG") in found
    assert not any(text == "PM" for text, _ in found)
