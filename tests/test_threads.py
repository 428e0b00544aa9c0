"""corpus.article_signatures (MinHash), corpus.threads (LSH story threads, related articles) and
corpus.article_diff (body diff)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.article_diff import diff_bodies, split_sentences
from corpus.article_signatures import (
    NUM_BINS,
    article_signature,
    is_empty_signature,
    pack_signature,
    packed_similarity,
    signature_similarity,
    unpack_signature,
)
from corpus.model import Article
from corpus.threads import ThreadIndex, build_thread_index, find_threads, thread_membership

FIXTURE = Path(__file__).parent / "fixtures" / "threads" / "articles.json"

STORY = (
    "Flood barriers along the Tamsen river were raised overnight as engineers warned that "
    "heavy rain would push water levels past the record set in spring. Farmers moved cattle "
    "to higher fields and the regional council opened two shelters in schools near the "
    "embankment. Volunteers filled sandbags at the fire station until dawn."
)
UNRELATED = (
    "The chess championship final was drawn after seven hours when neither grandmaster could "
    "convert an extra pawn. The organisers announced a rapid tiebreak for Sunday afternoon "
    "in the museum hall, with tickets sold online."
)


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [Article.from_json(d) for d in json.loads(FIXTURE.read_text(encoding="utf-8"))]


def test_signature_is_deterministic_and_text_dependent() -> None:
    signature = article_signature(STORY)
    assert len(signature) == NUM_BINS
    assert all(isinstance(v, int) and 0 <= v < 2**32 for v in signature)
    assert signature == article_signature(STORY)
    # word order and case do not matter for a set of words; other words do
    assert signature == article_signature(STORY.upper())
    assert signature != article_signature(UNRELATED)
    assert is_empty_signature(article_signature("a an the of 12 34"))


def test_signature_is_stable_across_interpreter_runs() -> None:
    """No Python `hash()` (randomised per process): a fresh process gives the same ints."""
    import subprocess
    import sys

    code = (
        "from corpus.article_signatures import article_signature as s; "
        "print(s('harbour bridge toll'))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    assert runs.pop().strip() == str(article_signature("harbour bridge toll"))


def test_similarity_estimates_word_overlap() -> None:
    same = signature_similarity(article_signature(STORY), article_signature(STORY + " Update."))
    edited = STORY.replace("Farmers moved cattle", "Growers drove sheep")
    close = signature_similarity(article_signature(STORY), article_signature(edited))
    far = signature_similarity(article_signature(STORY), article_signature(UNRELATED))
    assert same > 0.9
    assert 0.6 < close < 1.0
    assert far < 0.15
    packed = [pack_signature(article_signature(t)) for t in (STORY, edited)]
    assert packed_similarity(*packed) == close
    assert unpack_signature(packed[0]) == article_signature(STORY)


def test_threads_group_versions_and_leave_others_alone(articles: list[Article]) -> None:
    threads = find_threads(articles)
    assert [t.article_ids for t in threads] == [("bridge-1", "bridge-2")]
    thread = threads[0]
    assert thread.id == "bridge-1"
    assert thread_membership(threads) == {"bridge-1": thread, "bridge-2": thread}
    assert (thread.first_date, thread.last_date) == ("2025-03-01", "2025-03-02")


def test_story_tier_needs_dates_within_the_window() -> None:
    rewrite = (
        "Heavy rain pushed the Tamsen river towards a record level and engineers raised "
        "barriers. Police closed the coastal motorway and schools sent pupils home while "
        "farmers moved cattle; forecasters predicted storms through Friday."
    )
    index = ThreadIndex()
    index.add("a", STORY, "2025-05-01")
    index.add("b", rewrite, "2025-05-03")
    index.add("c", rewrite, "2025-08-01")  # same words: near-duplicate tier, any date
    index.add("d", UNRELATED, "2025-05-01")
    loose = index.similarity("a", "b")
    assert index.story_threshold <= loose < index.near_threshold
    assert [other for other, _ in index.related("a")] == ["b"]
    assert {other for other, _ in index.related("b")} == {"a", "c"}
    assert [t.article_ids for t in index.find_threads()] == [("a", "b", "c")]
    undated = ThreadIndex()
    undated.add("a", STORY, None)
    undated.add("b", rewrite, "2025-05-03")
    assert undated.find_threads() == []


def test_related_scores_and_inputs(articles: list[Article]) -> None:
    index = build_thread_index(articles)
    related = index.related("bridge-1")
    assert [other for other, _ in related] == ["bridge-2"]
    assert related[0][1] == pytest.approx(index.similarity("bridge-1", "bridge-2"), abs=1e-4)
    assert index.related("orchestra") == []
    pairs = find_threads([(a.id, f"{a.title}\n{a.body}", a.date) for a in articles])
    assert pairs == index.find_threads()
    with pytest.raises(ValueError):
        index.add("bridge-1", "again")
    stored = ThreadIndex()
    for article in articles:
        stored.add_signature(article.id, index.signature(article.id), article.date)
    assert stored.find_threads() == index.find_threads()


def test_split_sentences_spans() -> None:
    text = "He said: “It is done.” Then he left. Was it 3 p.m.? Nobody knows"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "He said: “It is done.”",
        "Then he left.",
        "Was it 3 p.m.?",
        "Nobody knows",
    ]


def test_diff_bodies_marks_added_changed_dropped_and_moved(articles: list[Article]) -> None:
    by_id = {a.id: a for a in articles}
    diff = diff_bodies(by_id["bridge-1"].body, by_id["bridge-2"].body)
    kinds = [p.kind for p in diff.paragraphs]
    assert kinds == ["same", "same", "changed", "added", "same"]
    changed = diff.paragraphs[2]
    assert changed.new_text is not None
    assert [changed.new_text[s:e] for s, e in changed.new_spans] == [
        "Traffic will be limited to three lanes at first.",
        "A new toll will fund future maintenance.",
    ]
    assert changed.dropped_sentences == ("Traffic will be limited to two lanes at first.",)
    added = diff.paragraphs[3]
    assert added.old_text is None and added.new_text is not None
    assert [added.new_text[s:e] for s, e in added.new_spans] == [added.new_text]
    assert diff.new_sentence_count == 3
    assert diff.dropped_sentence_count == 1

    back = diff_bodies(by_id["bridge-2"].body, by_id["bridge-1"].body)
    assert [p.kind for p in back.paragraphs] == ["same", "same", "changed", "dropped", "same"]
    assert back.paragraphs[3].dropped_sentences == (
        "Tom Reed, a councillor in Valmora, called the toll “a tax on commuters”.",
    )

    moved = diff_bodies("One.\n\nTwo.\n\nThree.", "Three.\n\nOne.\n\nTwo.")
    assert [p.kind for p in moved.paragraphs] == ["moved", "same", "same"]
    assert moved.new_sentence_count == 0
