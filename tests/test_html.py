"""Saved web pages: the article, its title, date, author and url; never the markup.

Run with trafilatura (the `html` extra, installed with the test extras) and with the
built-in reader that is used without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpus.html
from corpus.analyze import analyze_document
from corpus.html import looks_like_html
from corpus.model import Document
from corpus.reader import read_paths

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "council.html"


@pytest.fixture(params=["trafilatura", "built-in"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "trafilatura":
        pytest.importorskip("trafilatura")
    else:
        monkeypatch.setattr(corpus.html, "_with_trafilatura", lambda text: None)
    return request.param


def read_one(folder: Path) -> Document:
    result = read_paths([folder])
    assert result.skipped == []
    (document,) = result.documents
    return document


@pytest.mark.parametrize("name", ["council.html", "council.htm", "saved-page.txt"])
def test_a_saved_page_gives_the_article_and_its_metadata(
    tmp_path: Path, reader: str, name: str
) -> None:
    shutil.copy(FIXTURE, tmp_path / name)
    document = read_one(tmp_path)
    assert document.format == "html"
    assert document.title == "Council approves new river crossing after ten-year wait"
    assert document.byline == "Maria Lopez"
    assert document.url == "https://gazette.example/news/river-crossing"
    assert document.date is not None and document.date.startswith("2024-03-14")
    article = analyze_document(document)
    body = article.body
    assert "approved plans for a new bridge across the Wend" in body
    assert "Residents will be consulted" in body
    assert "Bridge | £42m" in body  # a table row is one line
    for junk in ("<p>", "window.tracker", "color: red", "Most read", "newsletter", "Sport"):
        assert junk not in body
    assert article.date == "2024-03-14"
    (quote,) = [q for q in article.quotes if q.kind == "direct"]
    assert quote.speaker is not None and "Anna Berg" in quote.speaker


def test_markup_entities_cannot_smuggle_control_characters(tmp_path: Path, reader: str) -> None:
    page = (
        "<html><head><title>T&#27;[31mitle</title></head><body><article>"
        "<p>The council met on Monday and agreed the plan for the harbour.&#27;]0;owned&#7;</p>"
        "<p>Another paragraph of the article with enough words to be the article text.</p>"
        "</article></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    document = read_one(tmp_path)
    assert "\x1b" not in document.text and "\x07" not in document.text
    assert "\x1b" not in (document.title or "")


def test_a_page_with_no_text_is_a_reported_skip(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><body><script>x()</script></body></html>")
    result = read_paths([tmp_path])
    assert result.documents == []
    assert [s.reason for s in result.skipped] == ["web page with no text"]


def test_what_looks_like_html() -> None:
    assert looks_like_html("<!DOCTYPE html>\n<html><body><p>x</p></body></html>")
    assert looks_like_html("  <html lang='en'><head></head></html>")
    assert not looks_like_html("He wrote <b>bold</b> claims about the <i>Times</i>.")
    assert not looks_like_html("A plain article.\n\nWith two paragraphs.")
