"""Tokenising text for the entity tagger, with character offsets.

The tagger and its trainer (benchmarks/train_ner.py) must cut text the same way, so both use
`tokenize`. Tokens never cross whitespace; a possessive ``'s``/``’s`` and hyphens are tokens of
their own ("Nato-like" -> Nato, -, like) so that entity spans can stop before them.

`candidate_mask` marks the tokens the classifier looks at: capitalised tokens, a number right
after a capitalised token ("Article 5") and the connectors between capitalised tokens ("Bank of
England", "von der Leyen", "Bosnia-Herzegovina"). Every other token is outside any name, which
is what makes the tagger fast: in news prose only about one token in five is a candidate.
"""

from __future__ import annotations

import re

# Order matters: abbreviations before words, numbers before words, possessive before symbols.
TOKEN_RE = re.compile(
    r"""
    (?:[A-Za-z]\.){2,}(?![A-Za-z])                       # U.S. U.K. a.m.
  | (?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Mt|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|Rev|Prof|Inc|Corp|Co
      |Ltd|Bros|Ft|Adm|Maj|Cmdr|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)\.(?=\s|$)
  | \d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s|m|bn|k|tn|pc)?(?![^\W_])  # 2.5 1,000 27/28 1990s 3m 6bn
  | [^\W_]+(?:['’](?![sS]\b)[^\W_]+)*                      # words, O'Neill, don't
  | ['’][sS]\b                                              # possessive
  | \S
    """,
    re.VERBOSE,
)

# Lower-case words that may join capitalised words inside one name.
CONNECTORS = frozenset(
    {"of", "de", "del", "della", "der", "den", "van", "von", "la", "le", "du", "da", "dos",
     "das", "di", "and", "&", "-", "for", "the", "on", "y", "al", "bin", "ibn", "el",
     "et"}
)  # fmt: skip


def tokenize(text: str) -> tuple[list[str], list[int], list[int], list[bool]]:
    """Tokens of `text` as (words, starts, ends, line_start).

    `line_start[i]` is True when token i is the first of the text or follows a line break,
    which the tagger treats like a sentence start.
    """
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    line_start: list[bool] = []
    previous_end = 0
    find_newline = text.find
    for match in TOKEN_RE.finditer(text):
        start, end = match.span()
        words.append(match.group())
        starts.append(start)
        ends.append(end)
        line_start.append(previous_end == 0 or find_newline("\n", previous_end, start) >= 0)
        previous_end = end
    return words, starts, ends, line_start


def is_capitalised(word: str) -> bool:
    """True for a word whose first character is an upper-case letter."""
    return word[0].isupper()


def candidate_mask(words: list[str]) -> list[bool]:
    """Which tokens the classifier scores (the rest are outside every name)."""
    count = len(words)
    upper = [w[0].isupper() for w in words]
    mask = upper[:]
    for i in range(1, count):
        if mask[i]:
            continue
        word = words[i]
        if not upper[i - 1] and not mask[i - 1]:
            continue
        if word[0].isdigit():
            mask[i] = upper[i - 1]
        elif word.lower() in CONNECTORS and (
            (i + 1 < count and upper[i + 1])
            or (i + 2 < count and upper[i + 2] and words[i + 1].lower() in CONNECTORS)
        ):
            mask[i] = True
    return mask
