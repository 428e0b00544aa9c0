"""Text that reaches another program: one CSV writer and one Markdown escaper for every output.

`quotes --format csv` and `export --format csv` go through `store.export.csv_text`, so a cell a
spreadsheet would run as a formula is neutralised in both; `quotes --format md` and
`export --format md` go through `store.export.md_inline`/`md_code`, so nothing from the data
(an article id from a JSON record, a title, a tag) can open a code span, a link, an image,
raw HTML, a heading or a list. The Markdown is checked by rendering it with markdown-it
(CommonMark with raw HTML on, plus GFM tables and strikethrough) and reading the tokens.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from store import AnnotationStore
from store.export import csv_cell, md_inline, render, select_items
from tui.cli import main

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "＝1+1",  # full-width equals sign
    "＋1",
    "－1",
    "＠SUM(A1)",
]
HOSTILE_IDS = [
    "x`<img src=x onerror=alert(1)>`",
    "``` <script>alert(1)</script>",
    "`",
    "a``b`",
    "[link](javascript:alert(1))",
    "=cmd|' /C calc'!A0",
]
MARKDOWN_HAZARDS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "<https://evil.example>",
    "**bold** __also__ *em* _em_",
    "~~struck~~",
    "`code` ``more``",
    "| a | b |",
    "# heading",
    "1. listed",
    "2) listed",
    "- bullet",
    "+ bullet",
    "> quoted",
    "&lt;b&gt; &amp; &#60;i&#62;",
    "back\\slash \\*",
    "{curly} !bang",
]
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
LIVE = {
    "html_inline",
    "html_block",
    "link_open",
    "image",
    "strong_open",
    "s_open",
    "table_open",
    "ordered_list_open",
}


def quote_corpus(folder: Path, ids: list[str], titles: list[str]) -> Path:
    """A JSON-lines corpus: one article per (id, title), each with one attributed quote.

    (Each body differs, or the reader would keep one article and call the others duplicates.)
    """
    folder.mkdir()
    records = [
        {
            "id": article_id,
            "title": title,
            "date": "2025-03-01",
            "text": (
                "Mayor Jane Smith said on Monday: “We will rebuild the bridge,” in "
                f"Springfield.\n\nThe council meets again in week {number}."
            ),
        }
        for number, (article_id, title) in enumerate(zip(ids, titles, strict=True))
    ]
    path = folder / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def live_tokens(markdown: str) -> list[str]:
    """Every token of the rendered Markdown that is more than text, code, lists and quotes.

    Headings are counted too: only the program's own lines (which start with "#") may be one.
    """
    tokens = MD.parse(markdown)
    own = sum(1 for line in markdown.splitlines() if line.startswith("#"))
    headings = sum(1 for t in tokens if t.type == "heading_open")
    found: list[str] = [] if headings == own else [f"{headings - own} heading(s) from the data"]

    def walk(tokens: list[Any]) -> None:
        for token in tokens:
            if token.type in LIVE:
                found.append(f"{token.type}: {token.content or token.markup}")
            if token.children:
                walk(token.children)

    walk(tokens)
    return found


def code_spans(markdown: str) -> list[str]:
    spans: list[str] = []
    for token in MD.parse(markdown):
        spans += [c.content for c in token.children or [] if c.type == "code_inline"]
    return spans


# --- csv ------------------------------------------------------------------------------------------


def test_quotes_csv_neutralises_formulas_as_export_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [FORMULAS[0], *(f"{formula}-{n}" for n, formula in enumerate(FORMULAS[1:]))]
    corpus = quote_corpus(tmp_path / "corpus", ids, FORMULAS)
    out = run(capsys, "quotes", "--format", "csv", str(corpus))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t")), (
                f"{name}: {cell!r} would run as a formula"
            )
    assert sorted(r["article_title"] for r in rows) == sorted("'" + f for f in FORMULAS)
    assert sorted(r["article_id"] for r in rows) == sorted(str(csv_cell(i)) for i in ids)

    # the same text through export's writer gives the same cell, the same line ends
    store_path = tmp_path / "annotations.json"
    with AnnotationStore(store_path) as store:
        for article_id in ids:
            store.add_tags(article_id, ["checked"])
    exported = run(capsys, "export", "--format", "csv", "--db", str(store_path))
    export_rows = list(csv.DictReader(io.StringIO(exported)))
    assert sorted(r["article_id"] for r in export_rows) == sorted(str(csv_cell(i)) for i in ids)
    assert out.count("\r\n") == len(rows) + 1
    assert exported.count("\r\n") == len(export_rows) + 1


@pytest.mark.parametrize(
    "text",
    [" =1+1", "\t=1+1", "\n=1+1", "\u3000=1+1", "\r=1", " \t @x", "=", "-"],
    ids=["space", "tab", "newline", "ideographic-space", "cr", "mixed", "bare-equals", "dash"],
)
def test_a_formula_behind_white_space_is_neutralised(text: str) -> None:
    cell = csv_cell(text)
    assert isinstance(cell, str) and cell.startswith("'")


@pytest.mark.parametrize("text", ["1+1", "a=b", "", "“=quoted”", "e-mail", "2025-03-01"])
def test_ordinary_cells_are_left_alone(text: str) -> None:
    assert csv_cell(text) == text


# --- markdown -------------------------------------------------------------------------------------


def test_quotes_md_shows_article_ids_exactly_and_opens_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    titles = [
        f"Story {n} {hazard}" for n, hazard in enumerate(MARKDOWN_HAZARDS[: len(HOSTILE_IDS)])
    ]
    corpus = quote_corpus(tmp_path / "corpus", HOSTILE_IDS, titles)
    out = run(capsys, "quotes", "--format", "md", str(corpus))
    assert live_tokens(out) == [], out
    assert sorted(code_spans(out)) == sorted(HOSTILE_IDS)  # each id, exactly as it is


def test_export_md_shows_article_ids_exactly_and_opens_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = tmp_path / "annotations.json"
    with AnnotationStore(store_path) as store:
        for article_id, hazard in zip(HOSTILE_IDS, MARKDOWN_HAZARDS, strict=False):
            store.add_tags(article_id, [f"tag {hazard}"])
    out = run(capsys, "export", "--format", "md", "--db", str(store_path))
    assert live_tokens(out) == [], out
    ids_shown = [span for span in code_spans(out) if span in HOSTILE_IDS]
    assert sorted(set(ids_shown)) == sorted(HOSTILE_IDS)


@pytest.mark.parametrize("text", MARKDOWN_HAZARDS)
def test_md_inline_text_is_shown_as_typed_wherever_it_stands(text: str) -> None:
    for line in (md_inline(text), f"- {md_inline(text)}", f"## {md_inline(text)}"):
        assert live_tokens(line) == [], line
        tokens = MD.parse(line)
        assert not [t for t in tokens if t.type.endswith("list_open") and t.level > 0], line
        inline = next(t for t in tokens if t.type == "inline")
        assert [c.type for c in inline.children or []] == ["text"], line
        assert inline.children[0].content == " ".join(text.split()), line  # type: ignore[index]


@pytest.mark.parametrize("text", [*HOSTILE_IDS, "plain", " padded ", "`lead", "trail`"])
def test_md_code_spans_hold_any_text_exactly(text: str) -> None:
    from store.export import md_code

    line = f"id {md_code(text)} after"
    assert live_tokens(line) == [], line
    assert code_spans(line) == [" ".join(text.split())], line


def test_md_escapers_drop_escapes_and_line_breaks() -> None:
    from store.export import md_code

    hostile = "a\x1b]0;PWNED\x07b\u202e\n\n# c\x9b2J"
    for shown in (md_inline(hostile), md_code(hostile)):
        assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown
        assert "PWNED" not in shown and "\n" not in shown


def test_every_md_field_goes_through_the_escaper(tmp_path: Path) -> None:
    """A date that is no date (a source that broke the contract) cannot open markup either."""
    from corpus.model import Article

    article = Article(
        id="plain-id",
        path="a.txt",
        date="<img src=x onerror=alert(1)>",
        title="Title",
        source="[x](javascript:alert(1))",
        byline=None,
        body="Body text.",
    )
    store_path = tmp_path / "annotations.json"
    with AnnotationStore(store_path) as store:
        store.add_tags("plain-id", ["t"])
    for group_by in ("tag", "date"):
        out = render("md", select_items(AnnotationStore(store_path), [article]), group_by=group_by)
        assert live_tokens(out.decode("utf-8")) == [], out
