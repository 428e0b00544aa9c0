"""`export --format spacy`: a spaCy `DocBin` (`.spacy`), the training corpus `spacy train` reads.

One `Doc` per article, tokenised by `spacy.blank("en")`: `doc.ents` are the entities with the
reader's corrections applied; `doc.spans["quotes"]` the quotes (label `QUOTE` or
`SCARE_QUOTE`), `doc.spans["speakers"]` their speaker mentions, `doc.spans["passages"]` the
passages the reader marked; `doc.cats` holds 1.0 for each of the article's tags and 0.0 for
the other tags of the export; `doc.user_data` the article id, title, date, source, url,
note and `speakers` (`[quote start, quote end, name]`). Character offsets are those of the
cleaned body; a span that does not fall on token boundaries is widened to them.

Needs spaCy (`pip install '.[spacy]'`); `SpacyUnavailable` says so otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.formats.view import AnnotatedDocument, all_tags

SPAN_GROUPS = {"quote": "quotes", "speaker": "speakers", "passage": "passages"}


class SpacyUnavailable(RuntimeError):
    """spaCy is not installed, so there is no `.spacy` export."""


def to_docbin(documents: Sequence[AnnotatedDocument]) -> bytes:
    """The `DocBin` of `documents` as bytes (`DocBin().from_bytes` / `.from_disk` read it)."""
    try:
        import spacy
        from spacy.tokens import DocBin, Span
        from spacy.util import filter_spans
    except ImportError:
        raise SpacyUnavailable(
            "--format spacy needs spaCy: pip install spacy (from a newsreader checkout: "
            "pip install '.[spacy]')"
        ) from None
    nlp = spacy.blank("en")
    tags = all_tags(documents)
    doc_bin = DocBin(store_user_data=True)
    for document in documents:
        doc = nlp.make_doc(document.text)
        entities: list[Any] = []
        groups: dict[str, list[Any]] = {name: [] for name in SPAN_GROUPS.values()}
        for span in document.spans:
            made = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
            if made is None:
                continue
            if span.role == "entity":
                entities.append(made)
            else:
                groups[SPAN_GROUPS[span.role]].append(made)
        doc.ents = filter_spans(entities)  # entities cannot overlap in doc.ents
        for name, spans in groups.items():
            doc.spans[name] = [Span(doc, s.start, s.end, label=s.label) for s in spans]
        folded = {t.casefold() for t in document.tags}
        doc.cats = {tag: 1.0 if tag.casefold() in folded else 0.0 for tag in tags}
        doc.user_data.update({**document.meta(), "speakers": document.quote_speakers()})
        doc_bin.add(doc)
    data: bytes = doc_bin.to_bytes()
    return data
