"""Tokenising text for the entity tagger, with character offsets.

The tagger and its trainer (benchmarks/train_ner.py) must cut text the same way, so both use
`tokenize`. Tokens never cross whitespace; a possessive ``'s``/``’s`` and hyphens are tokens of
their own ("Nato-like" -> Nato, -, like) so that entity spans can stop before them.

`candidate_indices` lists the tokens the classifier looks at: capitalised tokens, a number right
after a capitalised token ("Article 5") and the connectors between capitalised tokens ("Bank of
England", "von der Leyen", "Bosnia-Herzegovina", "Inzamam-ul-Haq"). Every other token is
outside any name, which is what makes the tagger fast: in news prose only about one token in
five is a candidate.
"""

from __future__ import annotations

import re

# Order matters: abbreviations before words, numbers before words, possessive before symbols.
# The lookaheads let the common case (a plain word) skip the long abbreviation list quickly.
TOKEN_RE = re.compile(
    r"""
    \n                                                      # a line break is a token
  | (?=[A-Za-z]\.)(?:[A-Za-z]\.){2,}(?![A-Za-z])            # U.S. U.K. a.m.
  | (?=[A-Z][a-z]{0,3}\.)(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Mt|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|Rev
      |Prof|Inc|Corp|Co|Ltd|Bros|Ft|Adm|Maj|Cmdr|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|[A-Z])\.(?=\s|$)
  | \d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s|m|bn|k|tn|pc)?(?![^\W_])  # 2.5 1,000 27/28 1990s 3m 6bn
  | [^\W_]+(?:['’](?![sS]\b|ve\b|re\b|ll\b|m\b|d\b)[^\W_]+)*     # words, O'Neill, don't
  | ['’][sS]\b                                               # possessive
  | \S
    """,
    re.VERBOSE,
)
LINE_BREAK = "\n"

# Lower-case words that may join capitalised words inside one name.
CONNECTORS = frozenset(
    {"of", "de", "del", "della", "der", "den", "van", "von", "la", "le", "du", "da", "dos",
     "das", "di", "and", "&", "-", "for", "the", "y", "al", "bin", "ibn", "el",
     "et"}
)  # fmt: skip


def tokenize(text: str) -> tuple[list[str], list[int]]:
    """Tokens of `text` as (words, start offsets); a line break is the token "\\n".

    `findall` plus a walk with `str.find` is about twice as fast as collecting match objects;
    each token ends at its start plus its length.
    """
    words = TOKEN_RE.findall(text)
    starts: list[int] = []
    append = starts.append
    find = text.find
    position = 0
    for word in words:
        position = find(word, position)
        append(position)
        position += len(word)
    return words, starts


def candidate_indices(words: list[str]) -> list[int]:
    """Indices of the tokens the classifier scores, in order (the rest are outside names)."""
    upper = [i for i, word in enumerate(words) if word[0].isupper()]
    if not upper:
        return upper
    count = len(words)
    result: list[int] = []
    last_added = -1
    for i in upper:
        if i <= last_added:
            continue
        result.append(i)
        last_added = i
        nxt = i + 1
        if nxt >= count:
            continue
        word = words[nxt]
        first = word[0]
        if first.isdigit():
            result.append(nxt)
            last_added = nxt
        elif not first.isupper() and word.lower() in CONNECTORS:
            if nxt + 1 < count and words[nxt + 1][0].isupper():
                result.append(nxt)
                last_added = nxt
            elif (
                nxt + 2 < count
                and words[nxt + 2][0].isupper()
                and words[nxt + 1].lower() in CONNECTORS
            ):
                result.extend((nxt, nxt + 1))
                last_added = nxt + 1
            elif (
                word == "-"
                and nxt + 3 < count
                and words[nxt + 2] == "-"
                and words[nxt + 3][0].isupper()
                and len(words[nxt + 1]) <= 3
                and words[nxt + 1].isalpha()
            ):  # "Inzamam-ul-Haq", "Ata-ur-Rehman"
                result.extend((nxt, nxt + 1, nxt + 2))
                last_added = nxt + 2
    return result
