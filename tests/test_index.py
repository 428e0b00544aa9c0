"""The corpus index: incremental refresh, cache versions, search syntax, annotations, threads.

Most tests swap the analysis for a small, predictable stand-in (`fake_analyze`) so they test
the index and not the analysers, and count how often an article is analysed. One test runs
the real pipeline and checks the index gives exactly what `analyze_paths` gives.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from corpus import clean
from corpus.index import CorpusIndex, ForeignCacheError, default_cache_path, parse_query
from corpus.model import Article, Document, Entity, Quote

_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)?\b")
_SAID = re.compile(r'"([^"]+)," ([A-Z][a-z]+(?: [A-Z][a-z]+)?) said')


class FakeAnalyser:
    """Stand-in for `analyze_document`: paragraphs minus recurring ones, names, quotes."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.recurring_seen: list[frozenset[str]] = []

    def __call__(
        self, doc: Document, recurring: frozenset[str] = frozenset(), ner: str = "builtin"
    ) -> Article:
        self.calls.append(Path(doc.path).name)
        self.recurring_seen.append(recurring)
        blocks = [b.strip() for b in doc.text.split("\n\n") if b.strip()]
        title = doc.title or blocks[0]
        paragraphs = [
            b for b in blocks[0 if doc.title else 1 :] if clean.line_key(b) not in recurring
        ]
        removed = [b for b in blocks if clean.line_key(b) in recurring]
        body = "\n\n".join(paragraphs)
        entities = tuple(
            Entity(m.start(), m.end(), m.group(), "PERSON", m.group())
            for m in _NAME.finditer(body)
            if m.group() not in {"The", "A"}
        )
        quotes = tuple(
            Quote(
                m.start(),
                m.start() + len(m.group(1)) + 2,
                body[m.start() : m.start() + len(m.group(1)) + 2],
                "direct",
                m.group(2),
            )
            for m in _SAID.finditer(body)
        )
        return Article(
            id=doc.id,
            path=doc.path,
            date=doc.date,
            title=title,
            source=doc.source,
            byline=None,
            body=body,
            removed=tuple(removed),
            entities=entities,
            quotes=quotes,
        )


@pytest.fixture
def analyser(monkeypatch: pytest.MonkeyPatch) -> FakeAnalyser:
    fake = FakeAnalyser()
    monkeypatch.setattr("corpus.analyze.analyze_document", fake)
    return fake


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def markdown(title: str, body: str, date: str | None = None, source: str | None = None) -> str:
    front = [f"title: {title}"]
    if date:
        front.append(f"date: {date}")
    if source:
        front.append(f"source: {source}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write(
        folder,
        "a.md",
        markdown(
            "Harbour bridge reopens",
            "The harbour bridge on the coast reopened on Monday.\n\n"
            '"It is a great day," Maria Lopez said.',
            "2025-02-10",
            "Coast Gazette",
        ),
    )
    write(
        folder,
        "b.md",
        markdown(
            "Budget vote delayed",
            "The council delayed the budget vote again.\n\nLopez criticised the delay.",
            "2025-03-05",
            "City Times",
        ),
    )
    write(
        folder,
        "c.txt",
        "Storm warning for the coast\n\nForecasters expect a storm on the coast tonight.",
    )
    return folder


def open_index(tmp_path: Path, folder: Path) -> CorpusIndex:
    return CorpusIndex.for_paths([folder], tmp_path / "cache.sqlite")


def test_cold_refresh_indexes_every_file_and_a_warm_one_reads_nothing(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        report = index.refresh([corpus_dir], workers=1)
        assert (report.added, report.changed, report.removed, report.articles) == (3, 0, 0, 3)
        assert sorted(analyser.calls) == ["a.md", "b.md", "c.txt"]
        analyser.calls.clear()
        again = index.refresh([corpus_dir], workers=1)
        assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 3)
        assert analyser.calls == []
        assert len(index.summaries()) == 3


def test_summaries_are_in_date_order_with_undated_last(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
        rows = index.summaries()
        assert [r.title for r in rows] == [
            "Harbour bridge reopens",
            "Budget vote delayed",
            "Storm warning for the coast",
        ]
        assert [r.date for r in rows] == ["2025-02-10", "2025-03-05", None]
        assert rows[0].source == "Coast Gazette"
        assert rows.position(rows[2].id) == 2
        assert [r.id for r in rows[1:]] == [rows[1].id, rows[2].id]


def test_changed_added_and_removed_files_are_the_only_ones_analysed(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
        analyser.calls.clear()
        write(
            corpus_dir,
            "b.md",
            markdown("Budget vote passed", "The council passed it.", "2025-03-06"),
        )
        write(
            corpus_dir,
            "d.md",
            markdown("New ferry route", "A ferry route opens in May.", "2025-04-01"),
        )
        (corpus_dir / "c.txt").unlink()
        report = index.refresh([corpus_dir], workers=1)
        assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 1)
        assert sorted(analyser.calls) == ["b.md", "d.md"]
        titles = [r.title for r in index.summaries()]
        assert titles == ["Harbour bridge reopens", "Budget vote passed", "New ferry route"]
        assert index.search("storm") == []
        assert index.search("delayed") == []
        assert [h.article_id for h in index.search("ferry")] == [index.summaries()[2].id]


def test_a_touched_file_with_the_same_text_is_not_analysed_again(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
        analyser.calls.clear()
        stat = (corpus_dir / "a.md").stat()
        os.utime(corpus_dir / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
        report = index.refresh([corpus_dir], workers=1)
        assert analyser.calls == []
        assert report.unchanged == 3


def test_a_new_index_object_sees_the_cache_of_an_earlier_one(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
        first = index.summaries()[0].id
    analyser.calls.clear()
    with open_index(tmp_path, corpus_dir) as reopened:
        assert len(reopened.summaries()) == 3
        report = reopened.refresh([corpus_dir], workers=1)
        assert report.unchanged == 3 and analyser.calls == []
        article = reopened.article(first)
        assert article.title == "Harbour bridge reopens"
        assert article.body.startswith("The harbour bridge on the coast")
        assert article.quotes[0].speaker == "Maria Lopez"
        for entity in article.entities:
            assert article.body[entity.start : entity.end] == entity.text


def test_a_cache_from_another_version_is_rebuilt_not_read(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    cache = tmp_path / "cache.sqlite"
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
    conn = sqlite3.connect(cache)
    conn.execute("UPDATE meta SET value = 'schema=0;older' WHERE key = 'version'")
    conn.commit()
    conn.close()
    analyser.calls.clear()
    with open_index(tmp_path, corpus_dir) as index:
        assert len(index.summaries()) == 0  # nothing of the old cache is read
        report = index.refresh([corpus_dir], workers=1)
        assert report.added == 3 and len(analyser.calls) == 3


def test_a_broken_cache_file_is_replaced(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    """In newsreader's own cache folder anything is ours; elsewhere it is left alone."""
    (tmp_path / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    with CorpusIndex(tmp_path / "cache.sqlite", owned=True) as index:
        assert index.refresh([corpus_dir], workers=1).added == 3
    (tmp_path / "other.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ForeignCacheError, match="left untouched"):
        CorpusIndex.for_paths([corpus_dir], tmp_path / "other.sqlite")
    assert (tmp_path / "other.sqlite").read_bytes() == b"this is not a database" * 100


def test_default_cache_path_depends_on_the_corpus(tmp_path: Path) -> None:
    one = default_cache_path([tmp_path / "a"])
    assert one == default_cache_path([tmp_path / "a"])
    assert one != default_cache_path([tmp_path / "b"])
    assert one.suffix == ".sqlite"


def test_a_duplicate_file_reappears_when_the_kept_copy_goes(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    text = (corpus_dir / "a.md").read_text()
    write(corpus_dir, "z.md", text)
    with open_index(tmp_path, corpus_dir) as index:
        report = index.refresh([corpus_dir], workers=1)
        assert report.duplicates == [(str(corpus_dir / "z.md"), str(corpus_dir / "a.md"))]
        assert len(index.summaries()) == 3
        (corpus_dir / "a.md").unlink()
        index.refresh([corpus_dir], workers=1)
        paths = [r.path for r in index.summaries()]
        assert str(corpus_dir / "z.md") in paths and len(paths) == 3
        assert index.duplicates() == []


def test_unreadable_files_are_reported_as_skipped(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    write(corpus_dir, "empty.txt", "   ")
    (corpus_dir / "image.png").write_bytes(b"\x89PNG....")
    with open_index(tmp_path, corpus_dir) as index:
        report = index.refresh([corpus_dir], workers=1)
        reasons = {Path(s.path).name: s.reason for s in report.skipped}
        assert "empty.txt" in reasons and "image.png" in reasons
        assert len(index.summaries()) == 3
        assert any(Path(s.path).name == "empty.txt" for s in index.skipped())


def boilerplate_corpus(folder: Path, count: int, with_banner: int) -> None:
    for number in range(count):
        body = f"Story number {number} is about topic {number * 7}."
        if number < with_banner:
            body += "\n\nSubscribe to our newsletter for more stories"
        write(folder, f"s{number:02d}.md", markdown(f"Story {number}", body, "2025-01-01"))


def test_recurring_lines_reach_the_analysis_and_changes_reanalyse_unchanged_files(
    tmp_path: Path, analyser: FakeAnalyser
) -> None:
    folder = tmp_path / "corpus"
    boilerplate_corpus(folder, 12, with_banner=12)
    banner = clean.line_key("Subscribe to our newsletter for more stories")
    with open_index(tmp_path, folder) as index:
        index.refresh([folder], workers=1)
        assert all(banner in seen for seen in analyser.recurring_seen)
        first = index.article(index.summaries()[0].id)
        assert "Subscribe" not in first.body
        # drop the banner from 8 files: 4 keep it, under the 5-article threshold
        analyser.calls.clear()
        analyser.recurring_seen.clear()
        for number in range(8):
            body = f"Story number {number} is about topic {number * 7}, updated."
            write(folder, f"s{number:02d}.md", markdown(f"Story {number}", body, "2025-01-01"))
        report = index.refresh([folder], workers=1)
        assert report.changed == 8
        assert report.reanalysed == 4  # the unchanged files whose banner is now body text
        assert len(analyser.calls) == 12
        assert all(banner not in seen for seen in analyser.recurring_seen)
        last = index.article(index.search('"story 11"')[0].article_id)
        assert "Subscribe to our newsletter" in last.body


def test_a_cancelled_refresh_keeps_its_work_and_the_next_one_finishes(
    tmp_path: Path, analyser: FakeAnalyser
) -> None:
    folder = tmp_path / "corpus"
    boilerplate_corpus(folder, 12, with_banner=0)
    with open_index(tmp_path, folder) as index:
        polls = {"n": 0}

        def cancel_soon() -> bool:
            polls["n"] += 1
            return polls["n"] > 16  # after reading all 12, during analysis

        report = index.refresh([folder], workers=1, cancelled=cancel_soon)
        assert report.cancelled
        partial = len(index.summaries())
        assert 0 < partial < 12
        analyser.calls.clear()
        index.refresh([folder], workers=1)
        assert len(index.summaries()) == 12
        assert len(analyser.calls) == 12 - partial


def test_progress_and_on_articles_are_reported(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    seen: list[tuple[int, int]] = []
    delivered: list[str] = []
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh(
            [corpus_dir],
            workers=1,
            progress=lambda done, total: seen.append((done, total)),
            on_articles=lambda rows: delivered.extend(r.title for r in rows),
        )
    assert seen[-1][0] == seen[-1][1] == 6  # 3 files read + 3 analysed
    assert sorted(delivered) == sorted(
        ["Harbour bridge reopens", "Budget vote delayed", "Storm warning for the coast"]
    )


# --- search ---------------------------------------------------------------------------


@pytest.fixture
def index(tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser) -> CorpusIndex:
    built = open_index(tmp_path, corpus_dir)
    built.refresh([corpus_dir], workers=1)
    return built


def titles(index: CorpusIndex, query: str, **kwargs: object) -> list[str]:
    return [index.summary(h.article_id).title for h in index.search(query, **kwargs)]  # type: ignore[arg-type]


def test_search_words_phrases_prefixes_and_operators(index: CorpusIndex) -> None:
    assert titles(index, "harbour") == ["Harbour bridge reopens"]
    assert sorted(titles(index, "coast")) == [
        "Harbour bridge reopens",
        "Storm warning for the coast",
    ]
    assert titles(index, '"budget vote"') == ["Budget vote delayed"]
    assert titles(index, '"vote budget"') == []
    assert titles(index, "bud*") == ["Budget vote delayed"]
    assert sorted(titles(index, "storm OR council")) == [
        "Budget vote delayed",
        "Storm warning for the coast",
    ]
    assert titles(index, "coast AND storm") == ["Storm warning for the coast"]
    assert titles(index, "coast NOT storm") == ["Harbour bridge reopens"]
    assert titles(index, "coast -storm") == ["Harbour bridge reopens"]
    assert sorted(titles(index, "NOT storm")) == ["Budget vote delayed", "Harbour bridge reopens"]


def test_search_ranks_title_matches_first(index: CorpusIndex) -> None:
    # "storm" is in the title of one and nowhere else; "coast" in a title and a body
    assert titles(index, "coast")[0] == "Storm warning for the coast"


def test_search_hits_carry_highlighted_snippets(index: CorpusIndex) -> None:
    (hit,) = index.search("reopened")
    assert hit.highlights
    for start, end in hit.highlights:
        assert hit.snippet[start:end].casefold().startswith("reopen")  # stemmed match
    assert "\x01" not in hit.snippet and "\n" not in hit.snippet


def test_search_filters(index: CorpusIndex) -> None:
    assert titles(index, "source:gazette") == ["Harbour bridge reopens"]
    assert titles(index, "date:2025-03") == ["Budget vote delayed"]
    assert titles(index, "date:2025-02..2025-03") == [
        "Harbour bridge reopens",
        "Budget vote delayed",
    ]
    assert titles(index, "date:2025-03-01..") == ["Budget vote delayed"]
    assert titles(index, 'speaker:"Maria Lopez"') == ["Harbour bridge reopens"]
    assert sorted(titles(index, "entity:Lopez")) == [
        "Budget vote delayed",
        "Harbour bridge reopens",
    ]
    assert titles(index, "coast source:times") == []
    assert titles(index, "entity:Nobody") == []


def test_entity_filters_follow_corpus_level_names(index: CorpusIndex) -> None:
    # "Lopez" alone in one article resolves to "Maria Lopez" from the other one
    assert index.aliases().get("Lopez") == "Maria Lopez"
    assert sorted(titles(index, 'entity:"Maria Lopez"')) == [
        "Budget vote delayed",
        "Harbour bridge reopens",
    ]
    budget = index.article(index.search("budget")[0].article_id)
    assert "Maria Lopez" in {e.canonical for e in budget.entities}


def test_tags_and_notes_are_searchable(index: CorpusIndex) -> None:
    storm = index.search("storm")[0].article_id
    harbour = index.search("harbour")[0].article_id
    annotations = {storm: (("weather", "Follow-up"), "call the harbour master")}
    assert titles(index, "tag:weather", annotations=annotations) == ["Storm warning for the coast"]
    assert titles(index, "tag:follow-up") == ["Storm warning for the coast"]
    assert sorted(titles(index, "master")) == ["Storm warning for the coast"]
    assert harbour in {h.article_id for h in index.search("harbour")}

    class Annotation:  # the store's ArticleAnnotations shape
        tags = ("bridges",)
        note = ""

    index.set_annotations({harbour: Annotation()})
    assert titles(index, "tag:weather") == []
    assert titles(index, "master") == []
    assert titles(index, "tag:bridges") == ["Harbour bridge reopens"]


def test_odd_queries_do_not_raise(index: CorpusIndex) -> None:
    for query in [
        "",
        "   ",
        "AND",
        "OR storm",
        "storm AND",
        '"unclosed',
        "(coast",
        "coast)",
        "***",
        "NEAR(a b)",
        "title:storm",
        "storm^",
        "date:",
        "-",
        "tag:",
    ]:
        index.search(query)
    assert titles(index, "(coast") == titles(index, "coast")


def test_parse_query_quotes_every_word() -> None:
    parsed = parse_query(
        'harbour "budget vote" bud* -storm tag:x date:2025..2026 entity:"Maria Lopez"'
    )
    assert parsed.match == '"harbour" "budget vote" "bud" * NOT "storm"'
    assert parsed.tags == ["x"]
    assert parsed.dates == [("2025", "2026")]
    assert parsed.entities == ["Maria Lopez"]


# --- threads --------------------------------------------------------------------------


def test_reads_from_other_threads_while_refreshing(tmp_path: Path, analyser: FakeAnalyser) -> None:
    folder = tmp_path / "corpus"
    boilerplate_corpus(folder, 30, with_banner=0)
    errors: list[BaseException] = []
    with open_index(tmp_path, folder) as index:
        index.refresh([folder], workers=1)
        stop = threading.Event()

        def read() -> None:
            try:
                while not stop.is_set():
                    rows = index.summaries()
                    hits = index.search("story")
                    # an article can change in between: a changed text is a new article id
                    with contextlib.suppress(KeyError):
                        if hits:
                            index.summary(hits[0].article_id)
                        if len(rows):
                            index.article(rows[0].id)
            except BaseException as error:
                errors.append(error)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for thread in readers:
            thread.start()
        for number in range(30):
            write(
                folder,
                f"s{number:02d}.md",
                markdown(f"Story {number}", f"Changed {number}.", "2025-02-02"),
            )
        index.refresh([folder], workers=1)
        stop.set()
        for thread in readers:
            thread.join()
        assert errors == []
        assert len(index.search("changed")) == 30


# --- the real analysis pipeline -------------------------------------------------------


def variant_corpus(folder: Path, sample: Path, banner: bool) -> None:
    """12 distinct articles made from the sample corpus, each with a shared banner line."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(sample.glob("*.txt"))]
    for number in range(12):
        paragraphs = [p for p in texts[number % len(texts)].split("\n\n") if p.strip()]
        del paragraphs[1 + number // len(texts)]
        if banner:
            paragraphs.insert(2, "Sign up for our free morning briefing newsletter")
        write(folder, f"v{number:02d}.txt", "\n\n".join(paragraphs) + "\n")


def test_the_index_gives_what_analyze_paths_gives_also_after_changes(tmp_path: Path) -> None:
    from corpus import SAMPLE_DIR
    from corpus.analyze import analyze_paths

    folder = tmp_path / "corpus"
    variant_corpus(folder, SAMPLE_DIR, banner=True)
    with open_index(tmp_path, folder) as index:
        index.refresh([folder], workers=1)
        assert list(index.articles()) == analyze_paths([folder]).articles
        # the banner leaves 8 files: it is no longer boilerplate in the other 4
        for path in sorted(folder.glob("*.txt"))[:8]:
            path.write_text(
                path.read_text().replace("Sign up for our free morning briefing newsletter", "")
            )
        report = index.refresh([folder], workers=1)
        assert (report.changed, report.reanalysed, report.unchanged) == (8, 4, 0)
        assert list(index.articles()) == analyze_paths([folder]).articles


def test_the_sample_corpus_indexes_like_analyze_paths(tmp_path: Path) -> None:
    from corpus import SAMPLE_DIR
    from corpus.analyze import analyze_paths

    with open_index(tmp_path, SAMPLE_DIR) as index:
        index.refresh([SAMPLE_DIR], workers=1)
        assert list(index.articles()) == analyze_paths([SAMPLE_DIR]).articles


def test_word_snippet_marks_whole_words_that_start_with_the_query_words() -> None:
    from corpus.index import highlight_stems, word_snippet

    text = "The syntax of tax law.\nTaxes rose; taxation too. " + "filler " * 40 + "tax end"
    found = word_snippet(text, highlight_stems(["taxes"]))
    assert found is not None
    snippet, marks = found
    assert [snippet[a:b] for a, b in marks] == ["tax", "Taxes", "taxation"]
    assert "\n" not in snippet and snippet.endswith("…")
    assert word_snippet("nothing here", highlight_stems(["tax"])) is None


def test_a_refresh_waits_for_another_process_refreshing_the_same_cache(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    fcntl = pytest.importorskip("fcntl")
    with open_index(tmp_path, corpus_dir) as index:
        with open(f"{index.cache_path}.lock", "a+") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as another process would
            polls: list[int] = []

            def give_up() -> bool:
                polls.append(1)
                return len(polls) > 2

            report = index.refresh([corpus_dir], workers=1, cancelled=give_up)
        assert report.cancelled and analyser.calls == []
        assert index.refresh([corpus_dir], workers=1).added == 3  # the lock is free again


def test_search_ids_gives_the_same_articles_without_snippets(index: CorpusIndex) -> None:
    for query in ["coast", "entity:Lopez", "source:times", "NOT storm"]:
        assert index.search_ids(query) == [h.article_id for h in index.search(query)]
    assert index.search_ids("coast", limit=1) == [index.search("coast")[0].article_id]


def test_summaries_come_from_a_current_snapshot_and_never_a_stale_one(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
        expected = list(index.summaries())
    with open_index(tmp_path, corpus_dir) as reopened:

        def no_sql(conn: object) -> list[tuple[str, str | None, str, str | None, str]]:
            raise AssertionError("read through SQL although the snapshot is current")

        monkeypatch.setattr("corpus.index.corpus_index.summary_rows", no_sql)
        assert list(reopened.summaries()) == expected
        monkeypatch.undo()
        write(corpus_dir, "e.md", markdown("Early news", "Very early.", "2025-01-01"))
        (corpus_dir / "c.txt").unlink()
        reopened.refresh([corpus_dir], workers=1)
        titles = [s.title for s in reopened.summaries()]
        assert titles[0] == "Early news" and "Storm warning for the coast" not in titles
    with open_index(tmp_path, corpus_dir) as third:
        assert [s.title for s in third.summaries()] == titles


def test_corpus_names_follow_removals(
    tmp_path: Path, corpus_dir: Path, analyser: FakeAnalyser
) -> None:
    with open_index(tmp_path, corpus_dir) as index:
        index.refresh([corpus_dir], workers=1)
        assert index.aliases().get("Lopez") == "Maria Lopez"
        (corpus_dir / "a.md").unlink()  # the only article with the full name
        index.refresh([corpus_dir], workers=1)
        assert "Lopez" not in index.aliases()
        budget = index.article(index.search("budget")[0].article_id)
        assert "Maria Lopez" not in {e.canonical for e in budget.entities}
        assert titles(index, 'entity:"Maria Lopez"') == []
