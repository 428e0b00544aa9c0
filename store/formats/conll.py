"""`export --format conll`: token-per-line IOB2 for NER training sets.

Each article starts with a `-DOCSTART- O` line and a blank line (articles in the export's
order: by date, then title), then one `TOKEN TAG`
line per token and a blank line after each sentence. Tags are IOB2 over our
entity labels (`B-PERSON`, `I-PERSON`, `O`), with the reader's corrections applied. Tokens
never contain white space, so the two columns are separated by one space.
"""

from __future__ import annotations

from collections.abc import Sequence

from store.formats.tokens import Token, body_tokens, sentences, token_range
from store.formats.view import AnnotatedDocument


def iob2_tags(document: AnnotatedDocument, tokens: Sequence[Token]) -> list[str]:
    """The IOB2 tag of each token of `document` (its corrected entities)."""
    typed = list(tokens)
    tags = ["O"] * len(typed)
    for span in document.spans:
        if span.role != "entity":
            continue
        covered = token_range(typed, span.start, span.end)
        if covered is None:
            continue
        first, last = covered
        if any(tag != "O" for tag in tags[first : last + 1]):
            continue  # overlapping entities: the first one keeps its tokens
        tags[first] = f"B-{span.label}"
        for index in range(first + 1, last + 1):
            tags[index] = f"I-{span.label}"
    return tags


def to_conll(documents: Sequence[AnnotatedDocument]) -> str:
    """The CoNLL text of `documents`."""
    lines: list[str] = []
    for document in documents:
        tokens = body_tokens(document.text)
        tags = iob2_tags(document, tokens)
        tag_of = {id(t): tag for t, tag in zip(tokens, tags, strict=True)}
        entities = [(s.start, s.end) for s in document.spans if s.role == "entity"]
        lines.append("-DOCSTART- O")
        lines.append("")
        for sentence in sentences(document.text, tokens, entities):
            lines.extend(f"{t.text} {tag_of[id(t)]}" for t in sentence)
            lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")
