"""Saved web pages (`.html`, or HTML saved under another name): the article and its metadata.

With trafilatura installed (`pip install '.[html]'` from a checkout) it reads the page: the main
text (tables included, comments left out), title, date, author and url, from the markup
the way the best extractors do. Without it, the page's visible text is taken block by block
(a paragraph, heading, list item, table row -- its cells joined by " | " -- or caption each
a paragraph; scripts, styles, forms and the page's `<nav>`, `<header>`, `<footer>` and
`<aside>` left out), the metadata from `<title>`, `<meta>` (Open Graph,
`article:published_time`, `author`), `<time>` and `<link rel="canonical">`, and the cleaner
removes the remaining boilerplate as it does for any scraped page. Either way the result is
a `Document` of format "html" whose text is article text.

The markup is never executed or fetched from: no script runs, no address is opened.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from corpus.model import Document

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_TAGS = re.compile(r"</?(?:p|div|span|a|br|li|ul|table|tr|td|h[1-6]|body|head|meta|script)\b", re.I)

SKIPPED_ELEMENTS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "form",
        "button",
        "select",
        "textarea",
        "nav",
        "header",
        "footer",
        "aside",
        "head",
    ]
)
BLOCK_ELEMENTS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "tr",
        "table",
        "figcaption",
        "figure",
        "caption",
        "address",
        "hr",
        "br",
        "ul",
        "ol",
        "dl",
        "title",
        "body",
        "html",
    ]
)
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def looks_like_html(text: str) -> bool:
    """Whether text saved under a text name is really a web page (raw markup)."""
    if _HTML_START.match(text[:4096]):
        return True
    head = text[:20000]
    return len(_TAGS.findall(head)) >= 20 and head.count("<") * 40 > len(head)


def html_document(text: str, path: str) -> Document:
    """The article of a saved page (see the module docstring)."""
    extracted = _with_trafilatura(text)
    if extracted is None:
        extracted = _with_html_parser(text)
    body, meta = extracted
    return Document(
        id="",
        path=path,
        text=body,
        title=meta.get("title") or None,
        date=meta.get("date") or None,
        source=meta.get("source") or None,
        byline=meta.get("author") or None,
        url=meta.get("url") or None,
        format="html",
    )


def _with_trafilatura(text: str) -> tuple[str, dict[str, str]] | None:
    try:
        import trafilatura  # the optional extra: about 0.1 s to import, once
    except ImportError:
        return None
    try:
        extracted = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True
        )
        result: Any = getattr(extracted, "as_dict", lambda: extracted)()
    except Exception:  # a page trafilatura cannot parse: the built-in reader takes it
        return None
    if not isinstance(result, dict) or not (result.get("text") or "").strip():
        return None
    lines = (_table_row(line.strip()) for line in str(result["text"]).split("\n"))
    body = "\n\n".join(line for line in lines if line)
    meta = {
        "title": _text(result.get("title")),
        "date": _text(result.get("date")),
        "author": _text(result.get("author")),
        "url": _text(result.get("url")),
        "source": _text(result.get("sitename")),
    }
    return body, meta


_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?$")


def _table_row(line: str) -> str:
    """A table row of trafilatura's text ("| Bridge | £42m |") as "Bridge | £42m"; the rule
    under a header row ("|---|---|") is no text."""
    if not line.startswith("|"):
        return line
    if _TABLE_RULE.match(line):
        return ""
    return " | ".join(cell.strip() for cell in line.strip("|").split("|") if cell.strip())


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _with_html_parser(text: str) -> tuple[str, dict[str, str]]:
    parser = _PageText()
    parser.feed(text)
    parser.close()
    return "\n\n".join(parser.blocks), parser.meta


class _PageText(HTMLParser):
    """The visible text of a page, a block a paragraph, and its metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.meta: dict[str, str] = {}
        self._current: list[str] = []
        self._skip_depth = 0
        self._stack: list[str] = []
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            self._meta(values)
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.meta.setdefault("url", values.get("href", "").strip())
        elif tag == "time" and values.get("datetime"):
            self.meta.setdefault("date", values["datetime"].strip())
        if tag == "title" and "svg" not in self._stack:
            self._in_title = True
        if tag in VOID_ELEMENTS:
            if tag in BLOCK_ELEMENTS:
                self._flush()
            return
        self._stack.append(tag)
        if tag in ("td", "th") and "".join(self._current).strip():
            self._current.append(" | ")  # the cells of a row: one line, as in a table
        if tag in SKIPPED_ELEMENTS:
            self._skip_depth += 1
        if tag in BLOCK_ELEMENTS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag not in self._stack:
            return  # a stray end tag
        while self._stack:
            open_tag = self._stack.pop()
            if open_tag in SKIPPED_ELEMENTS:
                self._skip_depth -= 1
            if open_tag in BLOCK_ELEMENTS:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
            return
        if not self._skip_depth:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        title = " ".join("".join(self._title).split())
        if title:
            self.meta.setdefault("title", title)

    def _flush(self) -> None:
        block = " ".join("".join(self._current).split())
        self._current = []
        if block:
            self.blocks.append(block)

    def _meta(self, values: dict[str, str]) -> None:
        name = (
            values.get("property") or values.get("name") or values.get("itemprop") or ""
        ).lower()
        content = " ".join(values.get("content", "").split())
        if not content:
            return
        key = {
            "og:title": "title",
            "twitter:title": "title",
            "headline": "title",
            "article:published_time": "date",
            "datepublished": "date",
            "date": "date",
            "pubdate": "date",
            "author": "author",
            "article:author": "author",
            "og:url": "url",
            "og:site_name": "source",
        }.get(name)
        if key == "author" and content.startswith(("http://", "https://")):
            return  # a profile link, not a name
        if key:
            self.meta.setdefault(key, content)
