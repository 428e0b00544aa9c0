"""Per-segment evidence, in the manner of jusText (Pomikalek 2011): what each segment looks like.

`classify_segment` gives a segment its kind before any context is looked at: a caption or
junk (by `corpus.clean_rules`, or by the corpus-level recurrence signal), or good, near-good,
short or bad prose by its length, stop-word density (stop words of the main European
languages, `data/clean_stopwords.txt`), sentence punctuation and Title Case; and it notes
whether the segment reads like a navigation item (`menu`) or a line of figures (`data`).
The context (`corpus.clean_block`) decides from these kinds which segments are the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus import DATA_DIR
from corpus.clean_rules import is_caption, junk_kind
from corpus.clean_segments import SENTENCE_END, WORD, line_key
from corpus.meta import find_dateline, is_date_line, looks_like_person_name

_SENTENCE_PUNCT = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)(?=\s|$)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The stop words of every language in `data/clean_stopwords.txt`, case-folded."""
    words: set[str] = set()
    path = DATA_DIR / "clean_stopwords.txt"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        words.update(w.casefold() for w in line.split(":", 1)[1].split())
    return frozenset(words)


GOOD, NEAR, SHORT, BAD, JUNK, CAPTION = "good", "near", "short", "bad", "junk", "caption"

LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.25
STOPWORDS_HIGH = 0.32


@dataclass(slots=True)
class Segment:
    text: str
    key: str
    kind: str  # one of GOOD ... CAPTION
    length: int  # characters, CJK counted triple (one ideograph carries about a word)
    sentence_end: bool
    junk: str | None = None
    menu: bool = False
    data: bool = False  # a line of figures: a table's row or cell, a score line


def _effective_length(text: str) -> int:
    cjk = len(_CJK.findall(text)) if _CJK.search(text) else 0
    return len(text) + 2 * cjk


_TRUNCATED = re.compile(r"\w(?:\.\.\.|…)$")


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


FIGURE = re.compile(r"\d")
_COUNT_TAIL = re.compile(r"\s*\(\d+\)\s*$")


def _is_data_line(text: str) -> bool:
    """A line of a table or a results list: a fifth or more of its words are figures.

    A count in brackets at the end ("WordPress (53)", "Week 12 rankings (133)") is a
    category or comment counter, not a figure of the line.
    """
    if not FIGURE.search(text):
        return False
    words = _COUNT_TAIL.sub("", text).split()
    figures = sum(1 for word in words if FIGURE.search(word))
    return figures * 5 >= len(words)


LABEL_MAX = 40
"""A line this short that ends in ":" is a label that leads into a list ("Scorers:")."""


def _structural(text: str) -> bool:
    """A line that recurs across wire copy because it is part of how stories are written:
    a dateline ("LONDON 1996-08-30", every story of the day from there) or a label that
    leads into a list or a table ("Scorers:", "Teams:"). The recurrence signal says nothing
    against these; the junk rules and the context still do."""
    if text.endswith(":") and len(text) <= LABEL_MAX:
        return True
    dateline = find_dateline(text)
    return dateline is not None and dateline.whole_line


def classify_segment(text: str, recurring: frozenset[str]) -> Segment:
    raw_words = WORD.findall(text)
    ascii_text = text.isascii()
    # NFKC leaves ASCII as it is and casefold is lower(), which keeps word boundaries: for
    # ASCII text line_key is the words joined and lower-cased, no second pass over the text
    key = " ".join(raw_words).lower() if ascii_text else line_key(text)
    length = _effective_length(text)
    sentence_end = bool(SENTENCE_END.search(text))
    if is_caption(text):
        return Segment(text, key, CAPTION, length, sentence_end)
    junk = junk_kind(text)
    if junk is None and key in recurring and not _structural(text):
        junk = "recurring"
    if junk is not None:
        return Segment(text, key, JUNK, length, sentence_end, junk)
    word_count = len(raw_words)
    cjk_text = length > len(text) * 1.5
    if cjk_text or not raw_words:
        density = 0.4 if cjk_text else 0.0
    else:
        # stop-word share; casefolding the joined words at once is the same as word by word
        # (a \w+ word holds no space and casefold never makes one)
        folded = (key if ascii_text else " ".join(raw_words).casefold()).split(" ")
        density = sum(map(stop_words().__contains__, folded)) / word_count
    sentences = len(_SENTENCE_PUNCT.findall(text))
    # share of words starting with a lower-case letter, among words starting with a letter
    alpha_initials = [initial for initial in (w[0] for w in raw_words) if initial.isalpha()]
    lowercase = _share(sum(map(str.islower, alpha_initials)), len(alpha_initials))
    # share of Title Case words among words longer than three characters
    long_initials = [w[0] for w in raw_words if len(w) > 3]
    title_case_share = _share(sum(map(str.isupper, long_initials)), len(long_initials))
    prose = not cjk_text and sentences >= 1 and lowercase >= 0.5
    # a navigation item or heading: no sentence, and few words or mostly Title Case; a line
    # of figures ("Imports 10,663 10,725") or a label that leads into what follows
    # ("Scorers:") is a table's or a list's, not a menu's
    data = length < 300 and _is_data_line(text)
    menu = (
        sentences == 0
        and (word_count <= 2 or title_case_share >= 0.6)
        and not text.endswith(":")
        and not data
    )
    sentence_like = sentence_end and (
        (word_count >= 6 and lowercase >= 0.4) or (word_count >= 10 and lowercase >= 0.25)
    )
    if length < 100 and (is_date_line(text) or looks_like_person_name(text)):
        kind = BAD  # a date or a name on its own line: page furniture, never article text
    elif length < LENGTH_LOW or not raw_words:
        # a one-sentence paragraph ("Shares rose 5%.") sides with its neighbours
        kind = NEAR if sentence_like else SHORT
    elif length < 300 and text.endswith(("...", "…")) and _TRUNCATED.search(text):
        kind = BAD  # a teaser cut off mid-sentence ("... with improved Alexa suppor...")
    elif not sentence_end and sentences == 0:
        # no sentence at all: a heading, a menu line, a related-story title
        # ... unless it reads like a sentence that lost its full stop (a lede)
        unpunctuated_prose = word_count >= 12 and density >= STOPWORDS_HIGH and lowercase >= 0.6
        if length >= LENGTH_HIGH:
            kind = NEAR if density >= STOPWORDS_LOW else BAD
        else:
            kind = NEAR if unpunctuated_prose else SHORT
    elif density >= STOPWORDS_HIGH:
        kind = GOOD if length >= LENGTH_HIGH or sentence_end else NEAR
    elif density >= STOPWORDS_LOW or prose:
        kind = GOOD if prose and length >= LENGTH_HIGH else NEAR
    else:
        kind = NEAR if sentence_like else BAD
    title_case = title_case_share > 0.8
    if kind in (GOOD, NEAR) and not cjk_text and title_case and not sentence_end:
        kind = SHORT if length < LENGTH_HIGH else BAD
    segment = Segment(text, key, kind, length, sentence_end)
    segment.menu = menu
    segment.data = data
    return segment
