"""The recurring-boilerplate threshold has one definition (`clean.recurring_min_docs`), which
`clean.recurring_lines` and the index refresh both use: the index cleans as `analyze` does.

Issue 15's case: twenty files where one 190-character paragraph appears in six. Six is
enough for a short line (5 documents) but not for a paragraph-length key, which needs
twice as many: `analyze` keeps it, and so must the index.
"""

from __future__ import annotations

from pathlib import Path

from corpus import clean
from corpus.analyze import analyze_paths
from corpus.index import CorpusIndex

SHARED = (
    "The regional water authority said on Tuesday that the reservoir levels across the "
    "northern valleys had fallen below the seasonal average for the third consecutive month "
    "this spring."
)


def shared_paragraph_corpus(folder: Path) -> None:
    folder.mkdir(parents=True)
    for number in range(20):
        body = [
            f"Council meeting {number} discussed the budget for district {number * 3}.",
            f"Residents of street {number} asked about parking and bus route {number + 40}.",
        ]
        if number < 6:
            body.insert(1, SHARED)
        text = f"---\ntitle: Report {number}\ndate: 2025-03-{number + 1:02d}\n---\n\n"
        (folder / f"r{number:02d}.md").write_text(text + "\n\n".join(body) + "\n", "utf-8")


def test_the_fixture_sits_between_the_short_and_the_long_threshold() -> None:
    key = clean.line_key(SHARED)
    assert len(key) >= clean.LONG_KEY
    assert clean.recurring_min_docs(20, 10) <= 6 < clean.recurring_min_docs(20, len(key))
    assert clean.recurring_min_docs(9, 10) is None  # too small a corpus: no signal


def test_every_indexed_article_equals_the_analysed_one(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shared_paragraph_corpus(folder)
    analysed = analyze_paths([folder]).articles
    assert sum(SHARED in article.body for article in analysed) == 6
    with CorpusIndex.for_paths([folder], tmp_path / "cache.sqlite") as index:
        index.refresh([folder], workers=1)
        indexed = {article.id: article for article in index.articles()}
    assert sorted(indexed) == sorted(article.id for article in analysed)
    for article in analysed:
        assert indexed[article.id] == article
