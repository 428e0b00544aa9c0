"""What one version of an article adds to another, and what it drops.

`diff_bodies(old, new)` aligns two bodies paragraph by paragraph (difflib), then sentence by
sentence inside changed paragraphs, and returns what the new version adds and drops, with
the character spans of its new sentences (the reader's diff screen shows them).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

ParagraphKind = Literal["same", "changed", "added", "dropped", "moved"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `paragraph`, whitespace between them left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start()
        # keep closing quotes/brackets with the sentence they close
        end += len(match.group()) - len(match.group().lstrip("\"'”’)]"))
        if paragraph[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    """One paragraph of the alignment of an old and a new body.

    `kind`: "same" (in both), "changed" (edited: `old_text` -> `new_text`), "added" (only in
    the new body), "dropped" (only in the old), "moved" (in both, elsewhere). `new_spans` are
    (start, end) offsets into `new_text` of sentences the old body does not have anywhere;
    `dropped_sentences` are sentences of `old_text` the new body no longer has anywhere.
    """

    kind: ParagraphKind
    old_text: str | None
    new_text: str | None
    new_spans: tuple[tuple[int, int], ...] = ()
    dropped_sentences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleDiff:
    """How the new body differs from the old, paragraph by paragraph in reading order."""

    paragraphs: tuple[ParagraphChange, ...]

    def count(self, kind: ParagraphKind) -> int:
        return sum(1 for p in self.paragraphs if p.kind == kind)

    @property
    def new_sentence_count(self) -> int:
        return sum(len(p.new_spans) for p in self.paragraphs)

    @property
    def dropped_sentence_count(self) -> int:
        return sum(len(p.dropped_sentences) for p in self.paragraphs)


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def _sentences(paragraph: str) -> list[str]:
    return [paragraph[s:e] for s, e in split_sentences(paragraph)]


class _BodyAligner:
    """The two bodies split up, and the rules that classify one paragraph."""

    def __init__(self, old_body: str, new_body: str, change_ratio: float) -> None:
        self.old_paras, self.new_paras = _paragraphs(old_body), _paragraphs(new_body)
        self.old_keys = [_normalise(p) for p in self.old_paras]
        self.new_keys = [_normalise(p) for p in self.new_paras]
        self.old_sentences = {_normalise(s) for p in self.old_paras for s in _sentences(p)}
        self.new_sentences = {_normalise(s) for p in self.new_paras for s in _sentences(p)}
        self.old_key_set, self.new_key_set = set(self.old_keys), set(self.new_keys)
        self.change_ratio = change_ratio

    def new_spans(self, paragraph: str) -> tuple[tuple[int, int], ...]:
        return tuple(
            (s, e)
            for s, e in split_sentences(paragraph)
            if _normalise(paragraph[s:e]) not in self.old_sentences
        )

    def dropped(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s for s in _sentences(paragraph) if _normalise(s) not in self.new_sentences)

    def added(self, paragraph: str) -> ParagraphChange:
        if _normalise(paragraph) in self.old_key_set:
            return ParagraphChange("moved", paragraph, paragraph)
        return ParagraphChange("added", None, paragraph, self.new_spans(paragraph))

    def gone(self, paragraph: str) -> ParagraphChange:
        if _normalise(paragraph) in self.new_key_set:
            return ParagraphChange("moved", paragraph, None)
        return ParagraphChange("dropped", paragraph, None, (), self.dropped(paragraph))

    def align(self) -> list[ParagraphChange]:
        changes: list[ParagraphChange] = []
        matcher = difflib.SequenceMatcher(a=self.old_keys, b=self.new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                changes.extend(
                    ParagraphChange("same", self.new_paras[j], self.new_paras[j])
                    for j in range(j1, j2)
                )
            elif tag == "delete":
                changes.extend(self.gone(p) for p in self.old_paras[i1:i2])
            elif tag == "insert":
                changes.extend(self.added(p) for p in self.new_paras[j1:j2])
            else:
                changes.extend(self.pair_replaced(self.old_paras[i1:i2], self.new_paras[j1:j2]))
        # a paragraph moved elsewhere shows once, where it now stands
        return [c for c in changes if not (c.kind == "moved" and c.new_text is None)]

    def pair_replaced(self, old: list[str], new: list[str]) -> list[ParagraphChange]:
        """Pair old and new paragraphs of a replaced block in order, by word similarity.

        Matched pairs become "changed"; between two matches, the unmatched old and new
        paragraphs alternate (dropped, then added), so each loss stands near its replacement.
        """
        old_words = [_normalise(p).split() for p in old]
        anchors: list[tuple[int, int]] = []  # (old index, new index) of each changed pair
        next_old = 0
        for j, paragraph in enumerate(new):
            words = _normalise(paragraph).split()
            best, best_ratio = -1, 0.0
            for i in range(next_old, len(old)):
                ratio = difflib.SequenceMatcher(a=old_words[i], b=words, autojunk=False).ratio()
                if ratio > best_ratio:
                    best, best_ratio = i, ratio
            if best >= 0 and best_ratio >= self.change_ratio:
                anchors.append((best, j))
                next_old = best + 1
        out: list[ParagraphChange] = []
        old_from = new_from = 0
        for old_at, new_at in [*anchors, (len(old), len(new))]:
            lost, gained = old[old_from:old_at], new[new_from:new_at]
            for k in range(max(len(lost), len(gained))):
                if k < len(lost):
                    out.append(self.gone(lost[k]))
                if k < len(gained):
                    out.append(self.added(gained[k]))
            if old_at < len(old) and new_at < len(new):
                out.append(
                    ParagraphChange(
                        "changed",
                        old[old_at],
                        new[new_at],
                        self.new_spans(new[new_at]),
                        self.dropped(old[old_at]),
                    )
                )
            old_from, new_from = old_at + 1, new_at + 1
        return out


def diff_bodies(old_body: str, new_body: str, change_ratio: float = 0.5) -> ArticleDiff:
    """Align `new_body` against `old_body` (paragraphs separated by blank lines).

    difflib matches paragraphs (whitespace and case ignored); within a replaced block, a new
    paragraph is "changed" when its best old counterpart shares at least `change_ratio`
    of their words (difflib ratio), else "added". A sentence counts as new only if the old
    body has no equal sentence anywhere, so a moved sentence is not reported as new.
    """
    return ArticleDiff(tuple(_BodyAligner(old_body, new_body, change_ratio).align()))
