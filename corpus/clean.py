"""Cleaning a scraped article: keep the article's paragraphs, in order, and nothing else.

Scraped text is the visible text of a page: menus, banners, share buttons, captions,
related-story lists and footers around the article. The cleaner splits the text into
segments (paragraphs; lines of a block of short lines) and decides for each one, combining
three kinds of evidence:

1. Rules for known kinds of junk (`junk_kind`, `corpus.clean_rules`): donation and
   subscription banners, app and newsletter promos, sign-in/paywall lines, "Read more",
   related-story headings, share buttons, cookie notices, copyright footers, advertisement
   markers. Photo captions ("open image in gallery ... (Carl Court/PA)", "... (AP)",
   "Photograph: ...") go to `captions` instead (`is_caption`).
2. The corpus-level signal (`recurring_lines`, `corpus.clean_recurring`): a segment that
   recurs verbatim in many files of a corpus is boilerplate. `analyze_paths` computes it
   once and passes it in.
3. Per-segment evidence in the manner of jusText (Pomikalek 2011, `corpus.clean_evidence`):
   length, stop-word density (stop words of the main European languages,
   `data/clean_stopwords.txt`), sentence punctuation, Title Case and call-to-action words,
   then neighbour smoothing and the main-content block (`corpus.clean_block`): the run of
   segments with the largest content score (a maximum sum sub-array), so the article wins
   over menus and footers even on a page read on its own.

The headline, a wire story's header (headline, byline, dateline) and the date, source and
byline come from the lines before the article (`corpus.clean_header`); the segments and
their recurrence keys from `corpus.clean_segments`. This module puts the steps together
(`clean_document`), decides whether a file is a scraped page or already an article file,
and re-exports the cleaner's public names.

Every segment that does not reach the body or the captions is kept verbatim in `removed`.
Everything here is linear in the text length (simple regexes, one pass per step).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corpus.clean_block import extend_block, main_block, smooth, table_runs
from corpus.clean_evidence import (
    CAPTION,
    FIGURE,
    GOOD,
    JUNK,
    NEAR,
    SHORT,
    Segment,
    classify_segment,
    stop_words,
)
from corpus.clean_header import (
    fallback_title,
    find_headline,
    find_meta,
    find_wire_header,
    first_line_is_headline,
)
from corpus.clean_recurring import (
    LONG_KEY,
    document_line_keys,
    recurring_keys,
    recurring_lines,
    recurring_min_docs,
)
from corpus.clean_rules import is_caption, junk_kind
from corpus.clean_segments import WORD, line_key, split_segments
from corpus.meta import TextMeta, find_byline_line, title_from_lede
from corpus.model import Document

__all__ = [
    "LONG_KEY",
    "CleanResult",
    "clean_document",
    "document_line_keys",
    "is_caption",
    "junk_kind",
    "line_key",
    "recurring_keys",
    "recurring_lines",
    "recurring_min_docs",
    "split_segments",
    "stop_words",
    "table_runs",
]


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What the cleaner makes of one document."""

    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    removed: tuple[str, ...]
    title: str | None
    date: str | None
    source: str | None
    byline: str | None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")


CAPTION_REACH = 3
"""Captions this close to the article (or inside it) are its captions; captions further
away belong to teasers and sidebars and are removed."""


def clean_document(doc: Document, recurring: frozenset[str] = frozenset()) -> CleanResult:
    """Split `doc` into body paragraphs, captions and removed segments, and find metadata."""
    raw_segments = split_segments(doc.text)
    header_date: str | None = None
    if raw_segments:
        match = _DATE_HEADER.match(raw_segments[0])
        if match:
            header_date = match.group(1)
    classified: dict[str, Segment] = {}  # pages repeat lines (menus): classify each once
    segments = []
    for text in raw_segments:
        known = classified.get(text)
        if known is None:
            known = classified[text] = classify_segment(text, recurring)
        segments.append(known)  # shared: segments are not changed after classifying
    if header_date and segments and segments[0].kind != JUNK:
        rest = _DATE_HEADER.sub("", segments[0].text)
        if not rest or junk_kind(rest):
            segments[0] = replace(segments[0], kind=JUNK)
    in_table = frozenset(k for run in table_runs(segments) for k in run)
    decided = smooth(segments, in_table)
    start, end = main_block(segments, decided, in_table)
    start, end = extend_block(segments, decided, start, end)
    furnished = any(_is_furniture(segments, i) for i in range(1, len(segments)))
    # a file with no furniture is an article file: its header is at the top
    wire = find_wire_header(segments, start if furnished else 0)
    headline_index: int | None = None
    byline: str | None = None
    if wire is not None:
        # the dateline opens the story: it is its first line, and names the place
        decided[wire.dateline : wire.dateline_end] = [GOOD] * (wire.dateline_end - wire.dateline)
        if furnished:
            start = wire.dateline
            if end <= wire.dateline_end:
                # no block of prose after the header (a short story, a results story):
                # the story runs on from the dateline up to the first piece of furniture
                end = wire.dateline_end
                while end < len(segments) and not (
                    _is_furniture(segments, end) or segments[end].menu
                ):
                    decided[end] = GOOD
                    end += 1
        headline_index = wire.headline
        if wire.byline is not None:
            byline = find_byline_line(segments[wire.byline].text) or segments[wire.byline].text
    body_from = wire.dateline if wire is not None else 1
    if not furnished and _is_clean_text(segments, start, body_from):
        # No page furniture anywhere (no junk, no captions, at most a title line or a
        # wire header, then no menu before the article): the file is already an article,
        # so every paragraph is kept, tables and lists included.
        decided = [GOOD] * len(segments)
        start = body_from if wire is not None else 0
        end = len(segments)
        if wire is None and first_line_is_headline(segments):
            headline_index = 0  # title line, then the body (BBC, wire copy)
    title = doc.title
    if title is not None:
        # a title given by the format; the text may repeat it as its first line
        first_key = segments[0].key if segments else ""
        headline_index = 0 if first_key and first_key == line_key(title) else None
    elif headline_index is None:
        headline_index = find_headline(segments, decided, start)
    if headline_index is not None:
        title = segments[headline_index].text

    paragraphs: list[str] = []
    captions: list[str] = []
    removed: list[str] = []
    for i, (segment, kind) in enumerate(zip(segments, decided, strict=True)):
        if i == headline_index or (wire is not None and i == wire.byline):
            continue
        if kind == CAPTION and start - CAPTION_REACH <= i < end + CAPTION_REACH:
            captions.append(segment.text)
        elif kind == GOOD and start <= i < end:
            paragraphs.append(segment.text)
        else:
            removed.append(segment.text)

    meta = find_meta(doc, segments[:start], removed, header_date)
    if wire is not None:
        meta = TextMeta(
            date=meta.date or wire.date, source=meta.source, byline=meta.byline or byline
        )
    if not title:
        title = title_from_lede(paragraphs[0]) if paragraphs else fallback_title(doc)
    return CleanResult(
        paragraphs=tuple(paragraphs),
        captions=tuple(captions),
        removed=tuple(removed),
        title=title,
        date=meta.date,
        source=meta.source,
        byline=meta.byline,
    )


def _is_furniture(segments: Sequence[Segment], i: int) -> bool:
    """Evidence that a file is a scraped page, not an article file: a junk or caption line.

    A sentence that only recurs across the corpus and stands inside the text, with
    article text before and after it ("Reuters has not verified these stories and does
    not vouch for their accuracy.", in every press digest), is no such evidence: wire copy
    repeats its own sentences. A recurring sentence at the edge of the text (a site's
    sign-off after the last paragraph) is.
    """
    segment = segments[i]
    if segment.kind == CAPTION:
        return True
    if segment.kind != JUNK:
        return False
    if segment.junk != "recurring":
        return True
    if not (segment.sentence_end and len(WORD.findall(segment.text)) >= 6):
        return True
    text = (GOOD, NEAR, SHORT)  # the headline (segment 0) is not text before it
    before = any(s.kind in text for s in segments[1:i])
    after = any(s.kind in text for s in segments[i + 1 :])
    return not (before and after)


def _is_clean_text(segments: Sequence[Segment], start: int, body_from: int) -> bool:
    """An article file (no junk or captions after its first line, checked by the caller):
    at most a title line or a wire header that ends at `body_from`, then the article.

    Between the header and the main block there may be more of the article (a table, a
    results list, short lines of figures, a heading) but not a menu: at most half of
    those lines may be navigation items (short Title Case lines without a figure). The
    title line may trip a junk rule ("Search wars hit desktop PCs" reads like a
    navigation word); it still counts as a title when it has three or more words.
    """
    if not segments:
        return False
    before = segments[body_from:start]
    menus = sum(1 for segment in before if segment.menu and not FIGURE.search(segment.text))
    if menus > 1 and menus * 2 > len(before):
        return False
    first = segments[0]
    if first.kind != JUNK:
        return True
    return (
        first.junk == "promo"
        and len(first.text) <= 150
        and len(WORD.findall(first.text)) >= 3
        and not first.sentence_end
    )
