"""Exports: json is lossless, hostile content round-trips exactly, csv is formula-safe,
md and brat carry notes, orphans are exported, nothing unsafe reaches the output."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from corpus.model import Article
from store import AnnotationStore, body_fingerprint
from store.export import (
    CSV_COLUMNS,
    brat_fragments,
    render,
    select_items,
    to_csv,
    to_json,
    to_jsonl,
    to_markdown,
    write_brat,
)
from store.importer import parse_import_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "store"
HOSTILE_TAGS = [
    "a, b",
    'say "hi"',
    "two\nlines",
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "naïve — 東京 — عربي — 🙂",
    "semi;colon\ttab",
]
HOSTILE_NOTE = "=cmd|' /C calc'!A0\nline, with \"quotes\"\n\n[bold]not markup[/bold] <b>html</b>"
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def fixture_articles() -> list[Article]:
    data = json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8"))
    return [Article.from_json(a) for a in data]


@pytest.fixture
def articles() -> list[Article]:
    return fixture_articles()


@pytest.fixture
def store(tmp_path: Path, articles: list[Article]) -> AnnotationStore:
    """A store with hostile text everywhere, a span over a paragraph break, and an orphan."""
    s = AnnotationStore(tmp_path / "annotations.json")
    uk = articles[0]
    s.add_tags(uk.id, HOSTILE_TAGS)
    s.set_note(uk.id, HOSTILE_NOTE)
    s.set_starred(uk.id, True)
    s.add_span(
        uk.id,
        4,
        16,
        "Keir Starmer",
        kind="entity",
        label="PERSON, corrected",
        note="=1+1",
        body_fingerprint=body_fingerprint(uk.body),
    )
    start = uk.body.index("Ukraine")
    end = uk.body.index("Mr Trump") + len("Mr Trump")
    s.add_span(
        uk.id,
        start,
        end,
        uk.body[start:end],
        kind="span",
        label="across\nparagraphs",
        note="spans a\nparagraph break",
    )
    s.add_tags(articles[1].id, ["schools", "+1"])
    s.set_user_date(articles[2].id, "2025-01-05")
    s.set_note(articles[2].id, "dated by hand")
    s.add_tags("orphan0000000001", ["gone"])
    s.set_note("orphan0000000001", "the article is no longer in the corpus")
    return s


def test_json_export_imports_into_an_empty_store_identically(
    store: AnnotationStore, articles: list[Article], tmp_path: Path
) -> None:
    exported = to_json(select_items(store, articles)).encode()
    fresh = AnnotationStore(tmp_path / "fresh.json")
    report = fresh.import_annotations(parse_import_bytes(exported, "export.json"))
    assert report.added == 4
    assert fresh.raw_records() == store.raw_records()
    assert fresh.all() == store.all()
    assert fresh.get(articles[0].id).tags == tuple(HOSTILE_TAGS)


def test_orphans_are_exported_and_marked(store: AnnotationStore, articles: list[Article]) -> None:
    document = json.loads(to_json(select_items(store, articles)))
    orphan = next(a for a in document["articles"] if a["id"] == "orphan0000000001")
    assert orphan["orphan"] is True and orphan["title"] is None
    assert orphan["annotations"]["note"] == "the article is no longer in the corpus"
    rows = list(csv.DictReader(io.StringIO(to_csv(select_items(store, articles)))))
    assert {r["orphan"] for r in rows if r["article_id"] == "orphan0000000001"} == {"yes"}


def test_csv_is_quoted_and_formula_safe(store: AnnotationStore, articles: list[Article]) -> None:
    text = to_csv(select_items(store, articles))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    for row in rows[1:]:
        assert len(row) == len(CSV_COLUMNS)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    uk = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:] if r[0] == articles[0].id]
    tags = [r["value"] for r in uk if r["kind"] == "tag"]
    expected = ["'" + t if t[0] in "=+-@" else t for t in HOSTILE_TAGS]
    assert tags == expected  # commas, quotes, newlines, unicode: exact
    (note,) = [r["note"] for r in uk if r["kind"] == "note"]
    assert note == "'" + HOSTILE_NOTE
    entity = next(r for r in uk if r["kind"] == "entity")
    assert (entity["value"], entity["start"], entity["end"]) == ("PERSON, corrected", "4", "16")
    assert entity["note"] == "'=1+1"


def test_csv_for_excel_starts_with_a_bom(store: AnnotationStore, articles: list[Article]) -> None:
    data = render("csv", select_items(store, articles), excel=True)
    assert data.startswith(b"\xef\xbb\xbf")
    assert not render("csv", select_items(store, articles)).startswith(b"\xef\xbb\xbf")


def test_jsonl_is_one_article_a_line_with_analysis_in_the_analyze_shape(
    store: AnnotationStore, articles: list[Article]
) -> None:
    lines = to_jsonl(select_items(store, articles), with_analysis=True).splitlines()
    assert len(lines) == 4
    records = [json.loads(line) for line in lines]
    uk = next(r for r in records if r["id"] == articles[0].id)
    assert uk["tags"] == HOSTILE_TAGS and uk["note"] == HOSTILE_NOTE and uk["starred"]
    assert uk["entities"] == articles[0].to_json()["entities"]
    assert uk["quotes"] == articles[0].to_json()["quotes"]
    assert next(s["text"] for s in uk["spans"]) == "Keir Starmer"
    plain = json.loads(to_jsonl(select_items(store, articles)).splitlines()[0])
    assert "entities" not in plain
    assert records[-1]["orphan"] is True  # orphans come last


def test_filters_by_tag_and_date(store: AnnotationStore, articles: list[Article]) -> None:
    import datetime as dt

    by_tag = select_items(store, articles, tag="SCHOOLS")
    assert [i.article_id for i in by_tag] == [articles[1].id]
    dated = select_items(store, articles, since=dt.date(2025, 1, 1), until=dt.date(2025, 2, 28))
    # the user's date counts for the undated article; the orphan has no date
    assert [i.article_id for i in dated] == [articles[2].id, articles[0].id]


def test_markdown_report_groups_by_tag_with_notes_and_span_text(
    store: AnnotationStore, articles: list[Article]
) -> None:
    md = to_markdown(select_items(store, articles))
    assert "## Tag: schools (1)" in md
    assert "## Tag: gone (1)" in md
    assert "## Untagged (1)" in md
    assert "  > spans a\n  > paragraph break" in md
    assert "“Keir Starmer” — entity: PERSON, corrected" in md
    assert "> dated by hand" in md
    assert "&lt;b&gt;html&lt;/b&gt;" in md  # raw HTML in a note is shown, not rendered
    assert "Starmer \\[bold\\]pledges\\[/bold\\]" in md  # titles are literal text
    by_date = to_markdown(select_items(store, articles), group_by="date")
    assert by_date.index("## 2025-01-05") < by_date.index("## 2025-02-24")
    assert "## Undated (1)" in by_date


def test_brat_folder_offsets_match_the_text(
    store: AnnotationStore, articles: list[Article], tmp_path: Path
) -> None:
    folder = tmp_path / "brat"
    assert write_brat(select_items(store, articles, every_article=True), folder) == 3
    uk = articles[0]
    text = (folder / f"{uk.id}.txt").read_text(encoding="utf-8")
    assert text == uk.body
    ann = (folder / f"{uk.id}.ann").read_text(encoding="utf-8")
    t_lines = [line for line in ann.splitlines() if line.startswith("T")]
    for line in t_lines:
        _tid, middle, covered = line.split("\t")
        fragments = [tuple(map(int, f.split())) for f in middle.split(" ", 1)[1].split(";")]
        assert " ".join(text[s:e] for s, e in fragments) == covered
        assert "\n" not in covered
    types = [line.split("\t")[1].split(" ")[0] for line in t_lines]
    assert types.count("PERSON") == 3  # "PERSON, corrected" is no label: it goes to the note
    assert "Quote" in types and "Article" in types
    notes = [line for line in ann.splitlines() if line.startswith("#")]
    assert any("AnnotatorNotes" in n and "=cmd|' /C calc'!A0 ⏎ line" in n for n in notes)
    assert any("note: label: PERSON, corrected | =1+1" in n for n in notes)
    tid = {line.split("\t")[2]: line.split("\t")[0] for line in t_lines}
    quote, speaker = tid['"stand with Ukraine"'], tid["Keir Starmer"]
    assert f"Says Arg1:{speaker} Arg2:{quote}" in ann  # the speaker is a relation (R line)
    assert f"Kind {quote} direct" in ann
    assert any("spans a ⏎ paragraph break" in n for n in notes)
    assert json.loads((folder / "orphans.json").read_text())["articles"][0]["orphan"] is True
    conf = (folder / "annotation.conf").read_text()
    assert "[entities]" in conf and "PERSON" in conf and "Quote" in conf


def test_brat_fragments_skip_newlines() -> None:
    body = "one two\n\nthree"
    assert brat_fragments(body, 4, 14) == ("4 7;9 14", "two three")
    assert brat_fragments(body, 0, 3) == ("0 3", "one")


def test_no_format_lets_a_control_sequence_through(tmp_path: Path, articles: list[Article]) -> None:
    """Even a hand-edited store file with escape sequences exports inert text."""
    path = tmp_path / "annotations.json"
    AnnotationStore(path).add_tags(articles[0].id, ["placeholder"])
    raw = path.read_text(encoding="utf-8")
    evil = "\\u001b]52;c;ZXZpbA==\\u0007\\u001b[31mred\\u009b2J\\u202eevil"
    path.write_text(raw.replace("placeholder", evil), encoding="utf-8")
    store = AnnotationStore(path)
    assert "\x1b" in store.get(articles[0].id).tags[0]  # it really is in the store
    items = select_items(store, articles)
    outputs = [render(fmt, items) for fmt in ("json", "jsonl", "csv", "md")]
    outputs.append(render("jsonl", items, with_analysis=True))
    write_brat(items, tmp_path / "brat")
    outputs += [p.read_bytes() for p in (tmp_path / "brat").iterdir()]
    for data in outputs:
        assert not UNSAFE.search(data.decode("utf-8"))
    # json stays lossless: the escaped characters decode back to the stored tag
    document = json.loads(outputs[0])
    assert document["articles"][0]["annotations"]["tags"][0] == store.get(articles[0].id).tags[0]
