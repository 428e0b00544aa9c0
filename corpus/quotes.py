"""Quotation finding and speaker attribution.

`find_quotes(body, entities)` returns every quotation of a cleaned body (paragraphs joined
by blank lines; single newlines also separate paragraphs) as `Quote`s whose span includes
the quotation marks. The work is split in three modules:

- `corpus.quote_spans`: the linear scan over quotation marks (curly and straight, nested,
  British multi-paragraph, unclosed);
- `corpus.quote_kind`: direct quotation vs scare quote (the gold notes' syntactic rule);
- `corpus.quote_speakers`: the reporting cue and the speaker, named with the entities'
  canonical names when they are given, with pronouns resolved; the speaker mention of a
  quoted sentence is chosen by a learned ranking of candidates (`corpus.quote_candidates`,
  `corpus.quote_model`, weights in `corpus/data/speaker_weights.json`).

Unattributable quotations keep `speaker=None`; no quotation is ever dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.model import Entity, Quote
from corpus.quote_kind import classify_quote
from corpus.quote_model import SpeakerChooser
from corpus.quote_spans import (
    CLOSING_MARKS,
    OPENERS,
    QUOTE_MARKS,
    STRAIGHT,
    find_quote_spans,
    paragraph_bounds,
)
from corpus.quote_speakers import QuoteAttributor


def quote_inner_text(text: str, closed: bool = True) -> str:
    """The words of a quote span without its marks (continuation marks dropped)."""
    inner = text[1:]
    if closed and inner and inner[-1] in CLOSING_MARKS:
        inner = inner[:-1]
    parts = [part.strip() for part in inner.split("\n") if part.strip()]
    cleaned = [
        part[1:] if part[0] in OPENERS + STRAIGHT and k else part for k, part in enumerate(parts)
    ]
    return " ".join(cleaned)


def find_quotes(
    body: str, entities: Sequence[Entity] = (), chooser: SpeakerChooser | None = None
) -> list[Quote]:
    """Quotations in `body` with their kind, speaker and cue, in order of appearance.

    `chooser` is the speaker choice (the shipped learned model by default; see
    `corpus.quote_model`; `corpus.quote_speakers.RULES_ONLY` for the rules alone).
    """
    if not any(mark in body for mark in QUOTE_MARKS):
        return []
    paragraphs = paragraph_bounds(body)
    spans = find_quote_spans(body, paragraphs)
    if not spans:
        return []
    paragraph_starts = [start for start, _end in paragraphs]
    texts = [body[span.start : span.end] for span in spans]
    kinds = [
        classify_quote(quote_inner_text(text, span.closed))
        for text, span in zip(texts, spans, strict=True)
    ]
    attributions = QuoteAttributor(body, spans, entities, paragraph_starts, chooser).attribute(
        kinds
    )
    quotes: list[Quote] = []
    for span, text, kind, attribution in zip(spans, texts, kinds, attributions, strict=True):
        quotes.append(
            Quote(
                start=span.start,
                end=span.end,
                text=text,
                kind=kind,
                speaker=attribution.speaker,
                speaker_start=attribution.speaker_start,
                speaker_end=attribution.speaker_end,
                cue=attribution.cue,
            )
        )
    return quotes
