"""Entity names as the corpus views list them (issue 18): a sentence-initial word glued to a
person's name is not part of it, party members are one row, and a name labelled otherwise in
a few articles counts under its main label."""

from __future__ import annotations

import pytest

from corpus.entities import canonicalize_corpus, find_entities
from corpus.model import Article, Entity
from corpus.people import aggregate_entities


def names(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label) for e in find_entities(text) if e.label == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The worm spread. Once Google started blocking queries it slowed.", "Google"),
        ("Strong Oscar contenders Million Dollar Baby and Sideways lead the field.", "Oscar"),
    ],
)
def test_a_common_word_opening_the_sentence_is_not_part_of_the_name(text: str, name: str) -> None:
    found = [t for t, _ in names(text)]
    assert not any(" " in t and t.endswith(name) for t in found)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Will Smith said the film would open in May.", "Will Smith"),
        ("Mark Thompson, the director general, spoke on Monday.", "Mark Thompson"),
        ("Hope Powell named her squad on Friday.", "Hope Powell"),
    ],
)
def test_a_first_name_opening_the_sentence_stays_in_the_name(text: str, name: str) -> None:
    assert (name, "PERSON") in names(text)


def test_a_glued_word_never_becomes_the_corpus_name_of_its_namesakes() -> None:
    glued = find_entities("The worm spread. Once Google started blocking queries it slowed.")
    plain = [Entity(0, 6, "Google", "PERSON", "Google")]
    articles = [
        Article(id=str(i), path="", date=None, title="", source=None, byline=None, body="x",
                entities=tuple(entities))
        for i, entities in enumerate([glued, plain])
    ]  # fmt: skip
    resolved = canonicalize_corpus(articles)
    assert {e.canonical for a in resolved for e in a.entities} <= {"Google", "Monday"}


def test_conservatives_and_tories_are_one_group() -> None:
    text = "The Conservatives said a Tory peer and the Tories agreed with the Conservative leader."
    canon = {e.canonical for e in find_entities(text) if e.label == "NORP"}
    assert canon == {"Conservatives"}


def article(article_id: str, *entities: tuple[str, str]) -> Article:
    return Article(
        id=article_id, path="", date="2025-01-0" + article_id, title="", source=None,
        byline=None, body="",
        entities=tuple(Entity(0, len(t), t, label, t) for t, label in entities),
    )  # fmt: skip


def test_a_name_labelled_otherwise_in_a_few_articles_is_one_row() -> None:
    corpus = [article(str(i), ("Yukos", "ORG")) for i in range(1, 6)]
    corpus.append(article("6", ("Yukos", "PERSON"), ("Yukos", "PERSON")))
    (row,) = aggregate_entities(corpus)
    assert (row.canonical, row.label, row.article_count, row.mention_count) == (
        "Yukos", "ORG", 6, 7
    )  # fmt: skip
    assert row.article_ids == tuple(str(i) for i in range(1, 7))
    assert row.last_date == "2025-01-06"
    # two labels near even: a person and a place of one name stay two rows
    even = [article("1", ("Jordan", "PERSON")), article("2", ("Jordan", "PERSON"))]
    even += [article(str(i), ("Jordan", "GPE")) for i in range(3, 6)]
    assert sorted(r.label for r in aggregate_entities(even)) == ["GPE", "PERSON"]
