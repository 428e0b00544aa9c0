"""The file exports: spaCy DocBin, CoNLL IOB2, brat (corrections, relations, attributes,
overlap rule, every article), md (quotes once, an article once), and the export/import
commands for the tools' formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.analyze import analyze_paths
from corpus.model import Article
from store import AnnotationStore, body_fingerprint
from store.export import render, select_items, to_markdown, write_brat
from store.formats.conll import to_conll
from store.formats.view import documents_of
from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX
from tui.cli import main

SEEDS = Path(__file__).parent / "fixtures" / "clean" / "seeds"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return list(analyze_paths([SEEDS]).articles)


@pytest.fixture
def store(tmp_path: Path, articles: list[Article]) -> AnnotationStore:
    """One relabelled, one dismissed and one missed entity, a speaker, tags, a note."""
    s = AnnotationStore(tmp_path / "db.json")
    first = articles[0]
    fp = body_fingerprint(first.body)
    person = next(e for e in first.entities if e.label == "PERSON")
    gpe = next(e for e in first.entities if e.label == "GPE")
    s.add_span(first.id, person.start, person.end, person.text, "entity", "ORG", "", fp)
    s.add_span(first.id, gpe.start, gpe.end, gpe.text, "entity", NOT_AN_ENTITY, "a verb", fp)
    start = first.body.index("prime minister")
    s.add_span(first.id, start, start + 14, "prime minister", "entity", "PERSON", "", fp)
    quote = next(q for q in first.quotes if q.speaker)
    s.add_span(first.id, quote.start, quote.end, quote.text, "quote", SPEAKER_PREFIX + "Ann Other")
    s.add_tags(first.id, ["ukraine", "to check"])
    s.set_read(articles[3].id, True)  # only opened
    return s


def items(store: AnnotationStore, articles: list[Article]) -> list:  # type: ignore[type-arg]
    return select_items(store, articles, every_article=True)


def test_the_docbin_loads_with_ents_spans_and_cats(
    tmp_path: Path, store: AnnotationStore, articles: list[Article]
) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is not installed (pip install '.[spacy]')")
    from spacy.tokens import DocBin

    path = tmp_path / "corpus.spacy"
    path.write_bytes(render("spacy", items(store, articles)))
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    assert len(docs) == len(articles)
    first, article = docs[0], articles[0]
    assert first.text == article.body
    assert first.user_data["article_id"] == article.id
    ents = {(e.start_char, e.end_char): e.label_ for e in first.ents}
    person = next(e for e in article.entities if e.label == "PERSON")
    gpe = next(e for e in article.entities if e.label == "GPE")
    assert ents[person.start, person.end] == "ORG"  # the reader's relabel
    assert (gpe.start, gpe.end) not in ents  # "not an entity"
    start = article.body.index("prime minister")
    assert ents[start, start + 14] == "PERSON"  # the missed entity
    quotes = first.spans["quotes"]
    assert len(quotes) == len(article.quotes)
    assert {q.label_ for q in quotes} <= {"QUOTE", "SCARE_QUOTE"}
    assert first.spans["speakers"] is not None
    assert first.cats == {"ukraine": 1.0, "to check": 1.0}
    assert docs[1].cats == {"ukraine": 0.0, "to check": 0.0}
    assert any(name == "Ann Other" for _s, _e, name in first.user_data["speakers"])


def test_conll_is_iob2_over_the_corrected_entities(
    store: AnnotationStore, articles: list[Article]
) -> None:
    text = to_conll(documents_of(items(store, articles)))
    blocks = text.split("-DOCSTART- O\n\n")[1:]
    assert len(blocks) == len(articles)
    previous = "O"
    found: list[tuple[str, str]] = []
    for line in blocks[0].splitlines():
        if not line:
            previous = "O"
            continue
        token, tag = line.split(" ")
        assert tag == "O" or tag[:2] in ("B-", "I-")
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:], line  # I- only continues its own type
        if tag.startswith("B-"):
            found.append((token, tag[2:]))
        elif tag.startswith("I-"):
            found[-1] = (found[-1][0] + " " + token, tag[2:])
        previous = tag
    assert ("prime minister", "PERSON") in found
    person = next(e for e in articles[0].entities if e.label == "PERSON")
    assert (person.text, "ORG") in found


def test_brat_has_corrections_relations_attributes_and_the_overlap_rule(
    tmp_path: Path, store: AnnotationStore, articles: list[Article]
) -> None:
    folder = tmp_path / "brat"
    assert write_brat(items(store, articles), folder) == len(articles)  # every article
    conf = (folder / "annotation.conf").read_text()
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf
    assert "Says\tArg1:" in conf and "Kind\tArg:Quote, Value:direct|scare" in conf
    first = articles[0]
    ann = (folder / f"{first.id}.ann").read_text()
    bounds = {}
    declared = set(conf.split("[entities]\n")[1].split("\n\n")[0].splitlines())
    for line in ann.splitlines():
        if line.startswith("T"):
            tid, middle, _text = line.split("\t")
            kind, offsets = middle.split(" ", 1)
            assert kind in declared
            bounds[tuple(offsets.split(";")[0].split())] = (tid, kind)
    person = next(e for e in first.entities if e.label == "PERSON")
    gpe = next(e for e in first.entities if e.label == "GPE")
    assert bounds[(str(person.start), str(person.end))][1] == "ORG"
    gpe_kind = bounds.get((str(gpe.start), str(gpe.end)), ("", ""))[1]
    assert gpe_kind != "GPE"  # the dismissed entity is not written as one
    assert "not an entity: " in ann and "a verb" in ann
    relations = [line for line in ann.splitlines() if line.startswith("R")]
    attributes = [line for line in ann.splitlines() if line.startswith("A")]
    assert relations and all("\tSays Arg1:T" in r and " Arg2:T" in r for r in relations)
    assert len(attributes) == len(first.quotes)
    assert "speaker: " not in ann  # no longer a note: a relation
    plain = (folder / f"{articles[4].id}.ann").read_text()
    kinds = {line.split("\t")[1].split(" ")[0] for line in plain.splitlines()}
    assert "PERSON" in kinds and "Article" not in kinds  # unannotated, still exported


def test_markdown_quotes_once_lists_an_article_once_and_skips_opened_ones(
    tmp_path: Path, store: AnnotationStore, articles: list[Article]
) -> None:
    first = articles[0]
    quote = next(q for q in first.quotes if q.speaker)
    md = to_markdown(select_items(store, articles))
    assert "“" + quote.text not in md and quote.text[1:-1] in md  # no doubled marks
    assert md.count(f"`{first.id}`") == 1  # one entry, under its first tag
    assert "— see Tag: to check" in md or "— see Tag: ukraine" in md
    assert "1 annotated articles" in md  # the article only opened does not count
    assert articles[3].id not in md


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_and_import_commands_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, other = tmp_path / "db.json", tmp_path / "other.json"
    corpus = ["--corpus", str(SEEDS)]
    assert run(["tag", "27415430", "ukraine", "--db", str(db), *corpus], capsys)[0] == 0
    out = tmp_path / "tasks.json"
    code, _out, err = run(
        ["export", "--format", "label-studio", "-o", str(out), "--db", str(db), *corpus], capsys
    )
    assert code == 0, err
    tasks = json.loads(out.read_text())
    assert len(tasks) == 5
    args = ["import", str(out), "--format", "label-studio", "--db", str(other), *corpus]
    code, printed, err = run(args, capsys)
    assert code == 0, err
    assert "imported 1 label-studio documents" in printed
    assert AnnotationStore(other).get("27415430c2fae0bd").tags == ("ukraine",)
    before = other.read_bytes()
    code, printed, _err = run(args, capsys)
    assert code == 0 and "0 articles changed" in printed and other.read_bytes() == before


def test_a_bad_tool_file_exits_2_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db.json"
    AnnotationStore(db).add_tags("x", ["kept"])
    before = db.read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "not an article", "label": []}\n')
    args = ["import", str(bad), "--format", "doccano", "--db", str(db), "--corpus", str(SEEDS)]
    code, _out, err = run(args, capsys)
    assert code == 2
    assert f"{bad}:1: no article of the corpus has this text" in err
    assert "--corpus" in err and "nothing was imported" in err
    assert db.read_bytes() == before


def test_spacy_export_without_spacy_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object) -> object:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("no spaCy here")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    args = ["export", "--format", "spacy", "-o", str(tmp_path / "x.spacy")]
    code, _out, err = run(
        [*args, "--db", str(tmp_path / "db.json"), "--corpus", str(SEEDS)], capsys
    )
    assert code == 1
    assert "needs spaCy: pip install spacy" in err
    assert not (tmp_path / "x.spacy").exists()
