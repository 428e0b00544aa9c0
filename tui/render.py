"""Turn an analysed article into styled Rich `Text` blocks: the one place spans become styles.

`corpus/` hands over character spans (entities, quotes); this module decides how they look.
It only knows style *names* ("entity-person", "quote", "speaker" ...); the widget that draws the
blocks resolves the names to Rich styles from its CSS component classes, so the colours live in
`app.tcss` and follow the theme.

Every piece of article text is added with `Text(...)`/`Text.append`, never through markup, so a
title or body containing "[bold]" or "[link=...]" is shown exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from corpus.model import ENTITY_LABELS, Article, Entity, Quote
from corpus.textsafe import has_unsafe, make_safe
from corpus.textsafe import plural as plural  # (where the screens import it from)
from store.model import SpanAnnotation

DEFAULT_HIDDEN_LABELS: frozenset[str] = frozenset({"DATE", "MONEY", "PERCENT"})
"""Entity types not highlighted until the reader turns them on."""

SHOW_SPEAKERS = "speakers"
"""In the reader's set of highlighted types: draw the dim "— Speaker" after quotes (`h`)."""

LABEL_NAMES: dict[str, str] = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Countries, cities",
    "LOC": "Locations",
    "FAC": "Facilities",
    "NORP": "Groups",
    "EVENT": "Events",
    "LAW": "Laws",
    "DATE": "Dates",
    "MONEY": "Money",
    "PERCENT": "Percentages",
}


def safe(text: str | None) -> str:
    """Text from outside (a source, a file name, a query, a paste) made inert for a terminal.

    The corpus reader already removes escape sequences and controls; this is the app's own
    defence against a source or a store that did not (`make_safe` drops them, payloads too).
    """
    if not text:
        return ""
    return make_safe(text) if has_unsafe(text) else text


def entity_style_name(label: str) -> str:
    """The style name of an entity label ("PERSON" -> "entity-person")."""
    return f"entity-{label.lower()}"


STYLE_NAMES: tuple[str, ...] = (
    "title",
    "meta",
    "tag",
    "caption",
    "quote",
    "scare",
    "speaker",
    "removed",
    "match",
    "current",
    "section",
    "dismissed",
    "mark",
    "noted",
    *(entity_style_name(label) for label in ENTITY_LABELS),
)
"""Every style name `render_article`/`render_raw` may ask for."""


NOTE_MARK = "✎"
"""Drawn after a span that carries the reader's note."""


@dataclass(frozen=True, slots=True)
class NavSpan:
    """A span the reader can step to with `]`/`[` and annotate with `a`.

    `kind` is "entity", "quote" or "scare" for what the analysis found (corrections
    applied), "dismissed" for an entity the reader said is not one (`label` is the type it
    was found as: it stays reachable so the reader can change their mind), "mark" for a
    passage the reader marked (`label` is theirs), and "selection" for text being selected.
    `note` is the reader's note on the span.
    """

    start: int
    end: int
    kind: str
    label: str
    text: str
    speaker: str | None = None
    note: str = ""


@dataclass(slots=True)
class Block:
    """One paragraph-like piece of the rendered article.

    `body_start` is the offset in `Article.body` of the block's first character when the block
    shows body text, and `insertions` lists (body offset, inserted length) for text the
    renderer added inside it (the "— Speaker" after a quote), so body offsets can be mapped to
    positions in `text`.
    """

    text: Text
    body_start: int | None = None
    insertions: list[tuple[int, int]] = field(default_factory=list)
    indent: int = 0

    def text_offset(self, body_offset: int) -> int:
        """The position in `text` of `body_offset` (which must fall inside this block)."""
        assert self.body_start is not None
        shift = sum(length for at, length in self.insertions if at <= body_offset)
        return body_offset - self.body_start + shift

    def body_offset(self, text_offset: int) -> int:
        """The body offset shown at `text_offset` of `text` (inserted text maps to where it
        was inserted)."""
        assert self.body_start is not None
        shift = 0
        for at, length in sorted(self.insertions):
            position = at - self.body_start + shift
            if position >= text_offset:
                break
            shift += min(length, text_offset - position)
        return self.body_start + text_offset - shift


def navigable_spans(
    article: Article,
    enabled_labels: Iterable[str],
    *,
    dismissed: Sequence[Entity] = (),
    marks: Sequence[SpanAnnotation] = (),
    notes: Mapping[tuple[int, int], str] | None = None,
) -> list[NavSpan]:
    """The spans `]`/`[` step through, in body order: visible entities (with the ones the
    reader dismissed, by their found type), every quote, and the passages the reader marked."""
    enabled = set(enabled_labels)
    notes = notes or {}
    spans = [
        NavSpan(e.start, e.end, "entity", e.label, e.text, note=notes.get((e.start, e.end), ""))
        for e in article.entities
        if e.label in enabled
    ]
    spans.extend(
        NavSpan(e.start, e.end, "dismissed", e.label, e.text, note=notes.get((e.start, e.end), ""))
        for e in dismissed
        if e.label in enabled
    )
    spans.extend(
        NavSpan(
            q.start,
            q.end,
            "quote" if q.kind == "direct" else "scare",
            q.kind,
            q.text,
            q.speaker,
            notes.get((q.start, q.end), ""),
        )
        for q in article.quotes
    )
    spans.extend(NavSpan(m.start, m.end, "mark", m.label, m.text, note=m.note) for m in marks)
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def _paragraph_bounds(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a body whose paragraphs are joined by a blank line."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while start <= len(body):
        end = body.find("\n\n", start)
        if end < 0:
            end = len(body)
        if end > start:
            bounds.append((start, end))
        start = end + 2
    return bounds


def _speaker_named_beside(body: str, quote: Quote) -> bool:
    """True when the body names the speaker right next to the quote ("...," Sir Keir said)."""
    if quote.speaker_start is None or quote.speaker_end is None or not quote.speaker:
        return False
    gap = (
        quote.speaker_start - quote.end
        if quote.speaker_start >= quote.end
        else (quote.start - quote.speaker_end)
    )
    if not 0 <= gap <= 30:
        return False
    mention = body[quote.speaker_start : quote.speaker_end].casefold()
    return quote.speaker.split()[-1].casefold() in mention


def _style(styles: Mapping[str, Style], name: str) -> Style:
    return styles.get(name, Style.null())


def render_header(
    article: Article, tags: Sequence[str], styles: Mapping[str, Style], *, starred: bool = False
) -> list[Block]:
    """Title, then date · source · byline, then tags."""
    blocks: list[Block] = []
    title = Text(safe(article.title) or "(untitled)", style=_style(styles, "title"))
    if starred:
        title = Text.assemble(("★ ", _style(styles, "title")), title)
    blocks.append(Block(title))
    meta = Text(style=_style(styles, "meta"))
    parts = [article.date or "undated", article.source or "", article.byline or ""]
    meta.append(" · ".join(safe(p) for p in parts if p))
    blocks.append(Block(meta))
    if tags:
        line = Text()
        for tag in tags:
            line.append(f" {safe(tag)} ", style=_style(styles, "tag"))
            line.append(" ")
        blocks.append(Block(line))
    return blocks


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")


def speaker_position(body: str, quote: Quote, para_end: int) -> int:
    """Where the dim "— Speaker" goes: right after a quote that ends its sentence
    (`…for all.”`), else at the end of the sentence the quote is in, after the cue clause
    (`"…," he said. — X`), so the name never breaks a sentence."""
    inside = quote.text.rstrip().rstrip("\"'”’»“‘«›‹„ ")
    if not inside or inside[-1] in ".!?…" or quote.end >= para_end:
        return quote.end
    found = _SENTENCE_END.search(body, quote.end, para_end)
    return found.end() if found else para_end


def render_body(
    article: Article,
    styles: Mapping[str, Style],
    *,
    enabled_labels: Iterable[str],
    current: NavSpan | None = None,
    terms: Sequence[str] = (),
    dismissed: Sequence[Entity] = (),
    marks: Sequence[SpanAnnotation] = (),
    noted: Iterable[tuple[int, int]] = (),
    show_speakers: bool = True,
) -> list[Block]:
    """The body paragraphs with entities, quotes, speakers, search matches and captions styled.

    `dismissed` are entities the reader said are not ones (drawn dimmed, struck through),
    `marks` the passages the reader marked, `noted` the (start, end) of spans that carry a
    note (a `NOTE_MARK` follows them); `show_speakers` False leaves out the "— Speaker".
    """
    enabled = set(enabled_labels)
    body = article.body
    blocks: list[Block] = []
    folded_body = body.casefold() if terms else ""
    note_ends = sorted({end for _, end in noted})
    for para_start, para_end in _paragraph_bounds(body):
        paragraph = body[para_start:para_end]
        if has_unsafe(paragraph):
            # A source broke the contract: show the paragraph made safe, without span styles
            # (its offsets no longer line up).
            blocks.append(Block(Text(make_safe(paragraph)), para_start))
            continue
        text = Text(paragraph)
        insertions: list[tuple[int, int, Text]] = []
        for quote in article.quotes:
            if quote.end <= para_start or quote.start >= para_end:
                continue
            lo, hi = max(quote.start, para_start), min(quote.end, para_end)
            name = "quote" if quote.kind == "direct" else "scare"
            text.stylize(_style(styles, name), lo - para_start, hi - para_start)
            if (
                show_speakers
                and quote.kind == "direct"
                and quote.speaker
                and quote.end <= para_end
                and not _speaker_named_beside(body, quote)
            ):
                speaker = Text(f" — {safe(quote.speaker)}", style=_style(styles, "speaker"))
                at = speaker_position(body, quote, para_end)
                if not any(a == at and t.plain == speaker.plain for a, _, t in insertions):
                    insertions.append((at, len(speaker), speaker))
        for mark in marks:
            if mark.end <= para_start or mark.start >= para_end:
                continue
            lo, hi = max(mark.start, para_start), min(mark.end, para_end)
            text.stylize(_style(styles, "mark"), lo - para_start, hi - para_start)
        for entity in article.entities:
            if entity.end <= para_start or entity.start >= para_end:
                continue
            if entity.label not in enabled:
                continue
            text.stylize(
                _style(styles, entity_style_name(entity.label)),
                entity.start - para_start,
                entity.end - para_start,
            )
        for entity in dismissed:
            if entity.end <= para_start or entity.start >= para_end or entity.label not in enabled:
                continue
            text.stylize(
                _style(styles, "dismissed"), entity.start - para_start, entity.end - para_start
            )
        for term in terms:
            if not term:
                continue
            pos = folded_body.find(term, para_start, para_end)
            while pos >= 0:
                text.stylize(
                    _style(styles, "match"), pos - para_start, pos + len(term) - para_start
                )
                pos = folded_body.find(term, pos + len(term), para_end)
        if current is not None and current.start < para_end and current.end > para_start:
            lo, hi = max(current.start, para_start), min(current.end, para_end)
            text.stylize(_style(styles, "current"), lo - para_start, hi - para_start)
        for end in note_ends:
            if para_start < end <= para_end:
                insertions.append(
                    (end, len(NOTE_MARK), Text(NOTE_MARK, style=_style(styles, "noted")))
                )
        if insertions:
            insertions.sort(key=lambda item: item[0])
            pieces = text.divide([at - para_start for at, _, _ in insertions])
            joined = Text()
            for index, piece in enumerate(pieces):
                joined.append_text(piece)
                if index < len(insertions):
                    joined.append_text(insertions[index][2])
            text = joined
        blocks.append(Block(text, para_start, [(at, length) for at, length, _ in insertions]))
    if article.captions:
        blocks.append(Block(Text("Captions", style=_style(styles, "section"))))
        for caption in article.captions:
            blocks.append(Block(Text(safe(caption), style=_style(styles, "caption")), indent=2))
    return blocks


def render_raw(raw: str, removed: Sequence[str], styles: Mapping[str, Style]) -> list[Block]:
    """The raw file, with each segment the cleaner removed marked where it occurs."""
    raw = safe(raw)
    text = Text(raw)
    style = _style(styles, "removed")
    cursor = 0
    for segment in removed:
        segment = segment.strip()
        if not segment:
            continue
        at = raw.find(segment, cursor)
        if at < 0:
            at = raw.find(segment)
        if at < 0:
            continue
        text.stylize(style, at, at + len(segment))
        cursor = at + len(segment)
    blocks: list[Block] = []
    for line in text.split("\n", allow_blank=True):
        blocks.append(Block(line))
    return blocks


def highlight_terms(text: str, highlights: Sequence[tuple[int, int]], style: Style) -> Text:
    """`text` as inert Text with the (start, end) ranges in `highlights` styled."""
    if has_unsafe(text):
        return Text(make_safe(text))
    result = Text(text)
    for start, end in highlights:
        result.stylize(style, start, end)
    return result


def snippet_window(
    snippet: str, highlights: Sequence[tuple[int, int]], before: int = 16
) -> tuple[str, list[tuple[int, int]]]:
    """The snippet cut to start a few words before its first match (a sidebar line is short).

    Returns the shorter snippet ("…" in front when cut) and the highlights moved to match.
    """
    if not highlights:
        return snippet, []
    first = min(start for start, _ in highlights)
    if first <= before:
        return snippet, list(highlights)
    cut = snippet.rfind(" ", 0, first - before) + 1 or first - before
    shift = cut - 1  # one character for the ellipsis
    return "…" + snippet[cut:], [(s - shift, e - shift) for s, e in highlights if s >= cut]
