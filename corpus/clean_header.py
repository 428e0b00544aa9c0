"""The article's header: headline, wire header (headline, byline, dateline) and metadata.

Given the classified segments and where the article's block starts, these find the headline
(`find_headline`: the best title-like line shortly before the lede; `first_line_is_headline`
for an article file), the wire layout before a story ("TENNIS - SMITH BEATS JONES" /
"Peter Blackburn" / "BRUSSELS 1996-08-22": `find_wire_header`), and the date, source and
byline from the lines above the article (`find_meta`, with the line readers of `corpus.meta`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean_evidence import CAPTION, GOOD, JUNK, Segment
from corpus.clean_segments import WORD, split_segments
from corpus.meta import (
    TextMeta,
    find_byline,
    find_byline_line,
    find_date_in_line,
    find_dateline,
    find_publisher_in_line,
    find_source,
    first_sentence,
    is_date_line,
    looks_like_person_name,
    title_from_lede,
)
from corpus.model import Document

HEADLINE_MAX_WORDS = 14
"""A first line that ends in a full stop is still a headline up to this many words."""


def first_line_is_headline(segments: Sequence[Segment]) -> bool:
    """The first line of an article file is its headline: a line without a closing full
    stop (BBC style), or a short single sentence ("EU rejects German call to boycott
    British lamb.") or one in capitals, with more of the article after it."""
    if len(segments) < 2:
        return False
    first = segments[0]
    if not first.sentence_end:
        return True
    text = first.text
    words = len(WORD.findall(text))
    if text.isupper() and words <= 30:
        return True
    one_sentence = first_sentence(text) == text.strip()
    return one_sentence and words <= HEADLINE_MAX_WORDS and len(text) <= 120


@dataclass(frozen=True, slots=True)
class WireHeader:
    """Where a wire story's header lines are: headline, byline (if any), dateline."""

    headline: int
    byline: int | None
    dateline: int  # the body's first line (an editor's note may stand before the dateline)
    dateline_end: int  # the dateline may be cut in two lines: "MONTGOMERY, Ala." "1996-08-22"
    date: str | None


_EDITORS_NOTE = re.compile(r"^\[[^\]]{1,60}\]$")
WIRE_REACH = 3
"""A dateline belongs to the article when the article's block starts this close to it."""


def find_wire_header(segments: Sequence[Segment], start: int) -> WireHeader | None:
    """The wire layout before the article: headline, maybe a byline, then the dateline.

    "TENNIS - SMITH BEATS JONES IN STRAIGHT SETS." / "Peter Blackburn" / "BRUSSELS
    1996-08-22" / the lede. The dateline is a line of its own with the place in capitals
    (`meta.find_dateline`) just before the article's block; the line before it (or before
    the byline) is the headline, whatever its case or closing full stop.
    """
    for index in range(max(1, start - WIRE_REACH), min(len(segments), start + WIRE_REACH + 1)):
        segment = segments[index]
        if segment.kind in (JUNK, CAPTION):
            continue
        dateline = find_dateline(segment.text)
        end = index + 1
        if dateline is None and end < len(segments) and len(segments[end].text) <= 20:
            dateline = find_dateline(f"{segment.text} {segments[end].text}")
            end += 1
        if dateline is None or not dateline.whole_line:
            continue
        first = index  # the body's first line: the dateline, or an editor's note before it
        if first > 1 and _EDITORS_NOTE.match(segments[first - 1].text):
            first -= 1  # "[CORRECTED 18:00 GMT]"
        byline: int | None = None
        headline = first - 1
        if headline > 0 and _is_byline(segments[headline].text):
            byline, headline = headline, headline - 1
        if not _wire_headline_like(segments[headline]):
            return None
        return WireHeader(headline, byline, first, end, dateline.date)
    return None


def _is_byline(text: str) -> bool:
    return find_byline_line(text) is not None or looks_like_person_name(text)


def _wire_headline_like(segment: Segment) -> bool:
    """A headline line of any case, full stop or not: short, not furniture or a name."""
    if segment.kind in (JUNK, CAPTION):
        return False
    text = segment.text
    words = len(WORD.findall(text))
    return (
        1 <= words <= 30
        and len(text) <= 250
        and not _NOT_HEADLINE.search(text)
        and not is_date_line(text)
        and not _is_byline(text)
    )


def fallback_title(doc: Document) -> str:
    first = next((line for line in split_segments(doc.text)), "")
    return title_from_lede(first) if first else "Untitled"


HEADLINE_WINDOW = 15
"""How many segments before the article the headline is looked for in."""

_NOT_HEADLINE = re.compile(r" > | \| |@|©|https?://|\bclick\b|\bposted (?:on|by|in)\b", re.I)


def _headline_like(segment: Segment) -> bool:
    if segment.kind in (JUNK, CAPTION):
        return False
    text = segment.text
    words = WORD.findall(text)
    if not (2 <= len(words) <= 30 and 10 <= len(text) <= 250):
        return False
    if text.endswith((".", ":", ",")) or _NOT_HEADLINE.search(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters if c.isascii()) and text.isupper():
        return False
    return not (
        is_date_line(text)
        or find_byline_line(text) is not None
        or looks_like_person_name(text)
        or find_publisher_in_line(text, whole_line=True) is not None
    )


def _content_words(text: str) -> set[str]:
    return {w.casefold() for w in WORD.findall(text) if len(w) > 3}


def find_headline(segments: Sequence[Segment], decided: Sequence[str], start: int) -> int | None:
    """The headline: the best title-like line shortly before the article's first paragraph.

    A headline has four to thirty words, no closing full stop, and is not junk, a caption,
    a date, a byline or a breadcrumb. Among such lines the nearest wins, helped by two
    signals: the page repeats its headline (title bar, share box), and the headline shares
    words with the lede.
    """
    lede = next((segments[i].text for i in range(start, len(segments)) if decided[i] == GOOD), "")
    lede_words = _content_words(lede)
    counts = Counter(segment.key for segment in segments)
    best: tuple[float, int] | None = None
    for distance, i in enumerate(range(start - 1, max(-1, start - 1 - HEADLINE_WINDOW), -1)):
        segment = segments[i]
        if not _headline_like(segment):
            continue
        words = _content_words(segment.text)
        overlap = len(words & lede_words) / len(words) if words else 0.0
        if len(WORD.findall(segment.text)) < 4 and overlap < 0.5:
            continue  # a short line is a headline only if the lede takes up its words
        score = 1.0 + overlap + (0.5 if counts[segment.key] > 1 else 0.0) - 0.1 * distance
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


def find_meta(
    doc: Document, header: Sequence[Segment], removed: Sequence[str], header_date: str | None
) -> TextMeta:
    date = find_date_in_line(header_date) if header_date else None
    if date is None and doc.date:
        date = find_date_in_line(doc.date, strict=False)  # unparseable: None, not raw text
    if date is None:
        for segment in header:
            if len(segment.text) <= 120:
                date = find_date_in_line(segment.text)
                if date:
                    break
    byline = doc.byline or find_byline([s.text for s in header])
    source = doc.source or find_source([s.text for s in header], removed)
    return TextMeta(date=date, source=source, byline=byline)
