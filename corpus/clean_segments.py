"""Splitting a scraped text into segments, and the key a segment recurs under.

A segment is a paragraph (blank-line separated) or one line of a block of short lines; a
block of hard-wrapped lines is one paragraph. `line_key` is the normalised text of a segment
that the corpus-level recurrence signal (`corpus.clean_recurring`) counts. The word and
sentence-end patterns here are the ones every step of the cleaner uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# runs of horizontal space that are not already one plain space (those become one space);
# leaving single spaces unmatched makes the substitution cheap on ordinary prose
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]{2,}|[\t\u00a0\u2000-\u200a\u3000]")
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")


def split_segments(text: str) -> list[str]:
    """Paragraphs (blank-line separated); a block of short lines is split into its lines.

    A block whose lines look hard-wrapped (long lines that do not end a sentence) is one
    paragraph with the line breaks turned into spaces.
    """
    segments: list[str] = []
    for block in _BLANK_LINES.split(text):
        # one substitution per block: the space class holds no line break
        lines = [line.strip() for line in _SPACES.sub(" ", block).split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if len(lines) > 1 and _looks_hard_wrapped(lines):
            segments.append(" ".join(lines))
        else:
            segments.extend(lines)
    return segments


def _looks_hard_wrapped(lines: Sequence[str]) -> bool:
    body = lines[:-1]
    long_open = sum(1 for line in body if len(line) >= 40 and not SENTENCE_END.search(line))
    return long_open * 2 >= len(body) and all(len(line) >= 25 for line in body)


def line_key(line: str) -> str:
    """Normalised key of a line or paragraph, for the corpus-level recurrence signal."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(WORD.findall(folded))
