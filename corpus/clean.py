"""Cleaning a scraped article: keep the article's paragraphs, in order, and nothing else.

Scraped text is the visible text of a page: menus, banners, share buttons, captions,
related-story lists and footers around the article. The cleaner splits the text into
segments (paragraphs; lines of a block of short lines) and decides for each one, combining
three kinds of evidence:

1. Rules for known kinds of junk (`junk_kind`): donation and subscription banners, app and
   newsletter promos, sign-in/paywall lines, "Read more", related-story headings, share
   buttons, cookie notices, copyright footers, advertisement markers. Photo captions
   ("open image in gallery ... (Carl Court/PA)", "... (AP)", "Photograph: ...") go to
   `captions` instead (`is_caption`).
2. The corpus-level signal (`recurring_lines`): a segment that recurs verbatim in many files
   of a corpus is boilerplate. `analyze_paths` computes it once and passes it in.
3. Per-segment evidence in the manner of jusText (Pomikalek 2011): length, stop-word
   density (stop words of the main European languages, `data/clean_stopwords.txt`),
   sentence punctuation, Title Case and call-to-action words, then neighbour smoothing and
   the main-content block: the run of segments with the largest content score (a maximum
   sum sub-array), so the article wins over menus and footers even on a page read on its
   own.

Every segment that does not reach the body or the captions is kept verbatim in `removed`.
Everything here is linear in the text length (simple regexes, one pass per step).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from corpus import DATA_DIR
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

# --- segments ---------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# runs of horizontal space that are not already one plain space (those become one space);
# leaving single spaces unmatched makes the substitution cheap on ordinary prose
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]{2,}|[\t\u00a0\u2000-\u200a\u3000]")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_SENTENCE_PUNCT = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)(?=\s|$)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What the cleaner makes of one document."""

    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    removed: tuple[str, ...]
    title: str | None
    date: str | None
    source: str | None
    byline: str | None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


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
    long_open = sum(1 for line in body if len(line) >= 40 and not _SENTENCE_END.search(line))
    return long_open * 2 >= len(body) and all(len(line) >= 25 for line in body)


def line_key(line: str) -> str:
    """Normalised key of a line or paragraph, for the corpus-level recurrence signal."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_WORD.findall(folded))


LONG_KEY = 150
"""Keys at least this long (a full paragraph) need twice the documents to count."""


def recurring_min_docs(total: int, key_length: int, min_docs: int | None = None) -> int | None:
    """How many of `total` documents a key of `key_length` characters must be in to recur.

    The one definition of the boilerplate threshold, used by `recurring_lines`, the corpus
    index's refresh and the distributed analysis. None: the corpus is too small for any
    signal (under 10 documents). `min_docs` overrides the threshold of a short key (default:
    5 documents and at least 2% of the corpus); a paragraph-length key (`LONG_KEY`
    characters or more) needs twice as many: news agencies' copy repeats whole paragraphs
    across follow-up stories, while banners recur in nearly every file. The threshold never
    falls as keys get longer, so `recurring_min_docs(total, 0)` is the least of them.
    """
    if min_docs is None:
        if total < 10:
            return None
        min_docs = max(5, round(total * 0.02))
    return min_docs * 2 if key_length >= LONG_KEY else min_docs


def document_line_keys(text: str) -> set[str]:
    """The distinct keys of one document's segments that count towards recurrence."""
    return {key for key in map(line_key, split_segments(text)) if len(key) >= 3}


def recurring_keys(
    counts: Iterable[tuple[str, int]], total: int, min_docs: int | None = None
) -> frozenset[str]:
    """The keys whose document counts reach `recurring_min_docs` in a corpus of `total`."""
    if recurring_min_docs(total, 0, min_docs) is None:
        return frozenset()
    return frozenset(
        key
        for key, count in counts
        if count >= (recurring_min_docs(total, len(key), min_docs) or 0)
    )


def recurring_lines(documents: Iterable[Document], min_docs: int | None = None) -> frozenset[str]:
    """Keys of segments that recur verbatim in many documents: corpus-level boilerplate.

    A key counts once per document; the threshold is `recurring_min_docs` (`min_docs`
    overrides a short key's). Keys shorter than 3 characters are ignored.
    """
    counts: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        counts.update(document_line_keys(document.text))
    return recurring_keys(counts.items(), total, min_docs)


# --- word lists -------------------------------------------------------------------------


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


# --- junk rules -------------------------------------------------------------------------

_CTA = re.compile(
    r"\b(?:subscribe|subscription|subscribers?|sign[ -]?(?:up|in)|log[ -]?in|register|"
    r"newsletters?|download|app store|google play|membership|go premium|free trial|"
    r"read more|read next|start reading|continue reading|click here|follow us|"
    r"share this|share on|advertisement|sponsored|cookies?|privacy policy|"
    r"terms of (?:use|service)|all rights reserved|donat(?:e|ion)|support us|"
    r"support now|your support|paywall|unlimited access|e-?mail address)\b",
    re.IGNORECASE,
)
_DONATION = re.compile(
    r"\b(?:your support|support now|your donation|donate (?:now|today|here)|please donate|"
    r"make a donation|"
    r"support (?:our|independent|quality) journalism|paywalls?|afford it)\b",
    re.IGNORECASE,
)
_JUNK_START = re.compile(
    r"^(?:read more|read next|more on this|see also|also read|related\s*:\s*(?=\w)|"
    r"related(?: stories| articles| coverage| content| news| posts| topics| links)?"
    r"(?=:?\s*$)|you may also like|"
    r"you might also like|recommended (?:for you|stories)|most (?:popular|read|viewed|shared)"
    r"\s*$|editor'?s picks|our picks|"
    r"sign up|sign in|log in|subscribe (?:now|today|to|for)|already (?:a member|a subscriber|"
    r"have an account)|create (?:an|a free) account|download (?:the|our) app|get the app|"
    r"follow us|share (?:this|on|via)|story continues|article continues|continue reading|"
    r"scroll to|skip to|jump to|back to top|all rights reserved|terms of (?:use|service)|"
    r"we use cookies|this (?:site|website) uses cookies|leave a (?:comment|reply)|"
    r"load more|show more|view (?:more|all|comments)|newsletter|"
    r"get (?:our|the) .{0,40}newsletter|enter your e-?mail|you are here|view (?:pdf|print)|"
    r"get short url|email this|back to (?:top|home|gallery|articles?|news))\b",
    re.IGNORECASE,
)
_JUNK_WORD_LINE = re.compile(
    r"^(?:more from|trending|top stories|more stories|latest (?:news|stories|videos)|"
    r"recommended|subscribe|register|advert(?:isement|ising)\b|sponsored(?: content)?|"
    r"watch:|listen:|video:|photos?:|gallery:|tags?:|topics?:|filed under|posted in|"
    r"print this(?: article| page| story)?|tweet this)\b",
    re.IGNORECASE,
)
# navigation words that are furniture only as a line of their own (maybe with a count):
# "Close", "Menu", "Comments (12)" -- not "Close of play scores", "AD-DIYAR"
_JUNK_WORD_ALONE = re.compile(
    r"^(?:close|menu|search(?: for)?|comments?|gallery|copyright|privacy|ads?|advert|"
    r"cookies?(?: settings| policy)?|accept(?: all)?|print|tweet)\W{0,3}(?:\d+\W{0,3})?$",
    re.IGNORECASE,
)
_SHARE_ONLY = re.compile(
    r"^(?:(?:shares?|tweet|e-?mail|print|facebook|twitter|x|linkedin|whatsapp|pinterest|"
    r"reddit|flipboard|telegram|messenger|copy(?: link)?|link|comments?|save|like|"
    r"follow|reply)[\s|·•,:/-]*)+$",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\b(?:registered trademarks?|trademarks? of|not intended to (?:diagnose|be)|"
    r"informational purposes|terms and conditions|disclaimer|affiliate (?:links?|commission)|"
    r"this (?:web)?site (?:is|uses|may|contains)|by (?:using|continuing|clicking)|"
    r"opens in (?:a )?new window)\b",
    re.IGNORECASE,
)
_COMMENT_LINE = re.compile(
    r"^(?:[\w.@' -]{1,40} (?:says|said|wrote):?|\d+ (?:comments?|responses?|replies|"
    r"reactions?)\b.*|(?:reply|report|flag|permalink|like|dislike)(?: comment)?|"
    r"feed for comments.*|log in to (?:reply|comment).*)$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s*\w|copyright\b)|©|all rights reserved|copyright\s+(?:©\s*)?\d{4}",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _foreign_junk() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Furniture in other languages (`data/clean_junk_phrases.txt`): a pattern for the
    opening words of a line, and one for a single-word button line ("Teilen")."""
    phrases: list[str] = []
    words: list[str] = []
    for raw in (DATA_DIR / "clean_junk_phrases.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            (phrases if " " in line else words).append(re.escape(line))
    phrases.sort(key=len, reverse=True)
    opening = re.compile(rf"^(?:{'|'.join(phrases)})(?!\w)", re.IGNORECASE)
    button = re.compile(rf"^(?:{'|'.join(words)})\W{{0,3}}(?:\d+\W*)?$", re.IGNORECASE)
    return opening, button


_STRONG_CTA = re.compile(
    r"\b(?:click here|tap here|subscribe (?:now|today)|sign up (?:now|today|here)|"
    r"free trial|\d+ issues for|delivered (?:to|through) your (?:door|inbox|letterbox)|"
    r"(?:requires|enable) javascript|your browser (?:does not|doesn't) support|"
    r"subscribe to our|sign up (?:to|for) our|(?:^|[.!?] )follow (?:us|him|her|them|me) on|"
    r"(?:can|may) be reached at [\w.+-]+@|unsubscribe at any time|share of the sale)\b",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"^(?:\[\w+\s+\w+=|\[/?\w+\]$|</?[a-zA-Z][\w-]*(?:\s[^>]*)?>)")


CHARS_PER_BANNER_PHRASE = 400
"""A donation or legal text has a banner phrase at least every this many characters: a long
prose paragraph that mentions "terms and conditions" or "paywalls" once or twice (a story
about a loan, a one-line JSON article) is not boilerplate."""


def _dense(matches: int, length: int) -> bool:
    return matches * CHARS_PER_BANNER_PHRASE >= length


# Speed: a literal piece (lower case) of every possible match of a pattern. A segment that
# holds none of them cannot match, and a substring test costs far less than running a
# case-insensitive alternation at every position of a long paragraph.
_DONATION_NEEDLES = ("support", "donat", "paywall", "afford it")
_LEGAL_NEEDLES = (
    "trademark",
    "not intended to",
    "informational purposes",
    "terms and conditions",
    "disclaimer",
    "affiliate link",
    "affiliate commission",
    "this site ",
    "this website ",
    "by using",
    "by continuing",
    "by clicking",
    "new window",
)
_COPYRIGHT_NEEDLES = ("©", "(c)", "copyright", "all rights reserved")
_STRONG_CTA_NEEDLES = (
    "click here",
    "tap here",
    "subscribe ",
    "sign up ",
    "free trial",
    " issues for",
    "delivered t",
    "javascript",
    "your browser",
    "subscribe to our",
    "sign up ",
    "follow ",
    " be reached at",
    "unsubscribe at any time",
    "share of the sale",
)
# The only characters outside ASCII that re.IGNORECASE matches to an ASCII letter while
# str.lower() does not give that letter (İ and ı ~ i, ſ ~ s): with one of them in a segment
# the needles are not a safe test, so every pattern runs.
_CASE_ODDITIES = re.compile("[\u0130\u0131\u017f]")


def _lowered_for_needles(segment: str) -> str | None:
    """`segment` in lower case for the needle tests, or None when they would not be exact."""
    if not segment.isascii() and _CASE_ODDITIES.search(segment):
        return None
    return segment.lower()


def _may_match(lowered: str | None, needles: tuple[str, ...]) -> bool:
    return lowered is None or any(needle in lowered for needle in needles)


def junk_kind(segment: str) -> str | None:
    """Why `segment` is boilerplate by rule ("donation", "promo", ...), or None."""
    length = len(segment)
    lowered = _lowered_for_needles(segment)
    donation = len(_DONATION.findall(segment)) if _may_match(lowered, _DONATION_NEEDLES) else 0
    if donation and (
        length < 100
        or ((donation >= 2 or not _SENTENCE_END.search(segment)) and _dense(donation, length))
    ):
        return "donation"
    if length < 300 and _may_match(lowered, _COPYRIGHT_NEEDLES) and _COPYRIGHT.search(segment):
        return "copyright"
    legal = len(_LEGAL.findall(segment)) if _may_match(lowered, _LEGAL_NEEDLES) else 0
    if legal and (length < 200 or (legal >= 2 and _dense(legal, length))):
        return "legal"
    if length < 160 and _COMMENT_LINE.match(segment):
        return "comments"
    if _SHARE_ONLY.match(segment):
        return "share"
    if _MARKUP.match(segment):
        return "markup"  # a shortcode or HTML tag the scraper left in
    if length < 250 and _may_match(lowered, _STRONG_CTA_NEEDLES) and _STRONG_CTA.search(segment):
        return "promo"
    foreign_opening, foreign_button = _foreign_junk()
    if length < 160 and (_JUNK_START.match(segment) or foreign_opening.match(segment)):
        return "promo"
    if length < 40 and foreign_button.match(segment):
        return "share"
    if (
        length < 80
        and not _SENTENCE_END.search(segment)
        and (_JUNK_WORD_LINE.match(segment) or _JUNK_WORD_ALONE.match(segment))
    ):
        return "promo"  # a navigation word, not a sentence that starts with it
    if length < 200 and not _SENTENCE_END.search(segment) and _CTA.search(segment):
        return "promo"
    if length < 120 and len(_CTA.findall(segment)) >= 2:
        return "promo"
    return None


# --- captions ---------------------------------------------------------------------------

_AGENCY = (
    r"AP|PA|AFP|EPA|Reuters|Getty(?: Images)?|Shutterstock|Alamy|iStock|PA Wire|PA Media|"
    r"Bloomberg|NASA|ESA|Xinhua|ANP|dpa|SWNS|Rex|REX|Sipa|Zuma|ZUMA|Corbis|AAP|"
    r"Press Association|Associated Press|Getty Images/iStockphoto"
)
_CREDIT_TAIL = re.compile(
    r"(?:\(\s*(?:(?:photo|image|picture|credit)[^()]{0,20}:\s*)?[^()]{0,60}?(?:"
    + _AGENCY
    + r"|Photo|Images?|Credit)[^()]{0,20}\)\s*)+$"
)
_CREDIT_WORD_TAIL = re.compile(
    r"(?:\bCredit|\bPhotograph|\bPhoto(?:graph)?|\bImage|\bPicture|\bIllustration)"
    r"(?: credit)?\s*:\s*[^.!?]{1,80}$|\|\s*(?:" + _AGENCY + r")\s*$"
    r"|[A-Za-z.]/(?:" + _AGENCY + r")\s*$"
)
_CAPTION_START = re.compile(
    r"^(?:open image in gallery|image caption|image copyright|photo(?:graph)?:|"
    r"photo by|photos? courtesy|image:|credit:|picture:|\(image credit|illustration:|"
    r"file photo)",
    re.IGNORECASE,
)
_CREDIT_ONLY = re.compile(
    r"^(?:(?:"
    + _AGENCY
    + r")(?:\s*(?:/|,|\||and)\s*)?)+$|^[^.!?]{1,60}(?:/|\|)\s*(?:"
    + _AGENCY
    + r")\s*$"
)


def is_caption(segment: str) -> bool:
    """A photo caption or credit line: captioned prefix, or ended by a photo credit."""
    if len(segment) > 600:
        return False
    if _CAPTION_START.match(segment) or _CREDIT_ONLY.match(segment):
        return True
    tail = segment[-160:]  # credits sit at the end: look there only
    if tail.endswith(")") and _CREDIT_TAIL.search(tail) and not tail.endswith((".)", "!)", "?)")):
        # "... in Washington (AP)", "... (Carl Court/PA) ( PA Wire )"
        return True
    return bool(_CREDIT_WORD_TAIL.search(tail))


# --- per-segment evidence ---------------------------------------------------------------

GOOD, NEAR, SHORT, BAD, JUNK, CAPTION = "good", "near", "short", "bad", "junk", "caption"

LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.25
STOPWORDS_HIGH = 0.32


@dataclass(slots=True)
class _Segment:
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


_FIGURE = re.compile(r"\d")
_COUNT_TAIL = re.compile(r"\s*\(\d+\)\s*$")


def _is_data_line(text: str) -> bool:
    """A line of a table or a results list: a fifth or more of its words are figures.

    A count in brackets at the end ("WordPress (53)", "Week 12 rankings (133)") is a
    category or comment counter, not a figure of the line.
    """
    if not _FIGURE.search(text):
        return False
    words = _COUNT_TAIL.sub("", text).split()
    figures = sum(1 for word in words if _FIGURE.search(word))
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


def _classify(text: str, recurring: frozenset[str]) -> _Segment:
    raw_words = _WORD.findall(text)
    ascii_text = text.isascii()
    # NFKC leaves ASCII as it is and casefold is lower(), which keeps word boundaries: for
    # ASCII text line_key is the words joined and lower-cased, no second pass over the text
    key = " ".join(raw_words).lower() if ascii_text else line_key(text)
    length = _effective_length(text)
    sentence_end = bool(_SENTENCE_END.search(text))
    if is_caption(text):
        return _Segment(text, key, CAPTION, length, sentence_end)
    junk = junk_kind(text)
    if junk is None and key in recurring and not _structural(text):
        junk = "recurring"
    if junk is not None:
        return _Segment(text, key, JUNK, length, sentence_end, junk)
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
    segment = _Segment(text, key, kind, length, sentence_end)
    segment.menu = menu
    segment.data = data
    return segment


MAX_SHORT_RUN = 3
"""A run of more short segments than this between good ones is kept only if it is not a
menu (most of its lines have a sentence or lower-case words)."""


def _smooth(segments: list[_Segment], in_table: frozenset[int] = frozenset()) -> list[str]:
    """jusText-style context: short and near-good segments take their neighbours' side;
    the lines of a table (`in_table`) are kept together, as content."""
    kinds = [s.kind for s in segments]

    def neighbour(i: int, step: int, ignore: tuple[str, ...]) -> str:
        j = i + step
        while 0 <= j < len(kinds):
            if kinds[j] not in ignore:
                return kinds[j]
            j += step
        return BAD

    decided = list(kinds)
    for i, kind in enumerate(kinds):
        if kind == NEAR:
            prev = neighbour(i, -1, (SHORT, NEAR, CAPTION))
            nxt = neighbour(i, 1, (SHORT, NEAR, CAPTION))
            decided[i] = GOOD if GOOD in (prev, nxt) else BAD
    kinds = decided
    decided = list(kinds)
    i = 0
    while i < len(kinds):
        if kinds[i] != SHORT:
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] in (SHORT, CAPTION):
            j += 1
        run = [k for k in range(i, j) if kinds[k] == SHORT]
        between_good = (i > 0 and kinds[i - 1] == GOOD) and (j < len(kinds) and kinds[j] == GOOD)
        menus = sum(1 for k in run if segments[k].menu)
        keep = between_good and (len(run) <= MAX_SHORT_RUN or menus * 2 <= len(run))
        for k in run:
            decided[k] = GOOD if keep else BAD
        i = j
    for k in in_table:
        decided[k] = GOOD
    return decided


TABLE_MIN_ROWS = 5
"""A table (or a results list) has at least this many lines of figures..."""
TABLE_DATA_SHARE = 0.4
"""...and they make at least this share of its lines (the rest: names, headers, labels)."""


def table_runs(segments: Sequence[_Segment]) -> list[range]:
    """Runs of segments that together are a table, a results list or a scoreboard.

    A run is a stretch without prose, junk or captions, trimmed to begin and end with a
    line of figures (a lead-in line ending in ":" just before it belongs to it). It is a
    table when it holds `TABLE_MIN_ROWS` lines of figures, at least `TABLE_DATA_SHARE` of
    its lines, and few menu items: the cells of a standings table scraped one per line,
    "Palm Bay 18 22 13 17 - 70", "Imports 10,663 10,725". Whether it is the article's is
    for the context to say (`_smooth`, `_main_block`).
    """
    runs: list[range] = []
    i, count = 0, len(segments)
    while i < count:
        if segments[i].kind in (GOOD, JUNK, CAPTION):
            i += 1
            continue
        j = i
        while j < count and segments[j].kind not in (GOOD, JUNK, CAPTION):
            j += 1
        rows = [k for k in range(i, j) if segments[k].data]
        if len(rows) >= TABLE_MIN_ROWS:
            first, last = rows[0], rows[-1]
            if first > i and segments[first - 1].text.endswith(":"):
                first -= 1
            lines = last + 1 - first
            menus = sum(1 for k in range(first, last + 1) if segments[k].menu)
            if len(rows) >= TABLE_DATA_SHARE * lines and menus * 3 <= lines:
                runs.append(range(first, last + 1))
        i = j
    return runs


TABLE_ROW_SCORE = 0.4
"""What a line of figures in a table adds to the content score of a block."""


def _main_block(
    segments: Sequence[_Segment], decided: Sequence[str], in_table: frozenset[int] = frozenset()
) -> tuple[int, int]:
    """[start, end) of the run of segments with the largest content score.

    Paragraphs that follow another paragraph count more than isolated ones: an article is
    a run of paragraphs, while teaser lists and comment threads alternate a paragraph with
    a title, a name or a date line. A table's rows count a little each, its other lines
    (names, headers) nothing: a results page with no prose at all is its table.
    """
    best, best_range = 0.0, (0, 0)
    running, start = 0.0, 0
    previous_prose = False
    for i, (segment, kind) in enumerate(zip(segments, decided, strict=True)):
        if kind == CAPTION:
            score = 0.0
        elif kind == GOOD and segment.kind in (GOOD, NEAR):
            score = 1.0 + min(segment.length, 1000) / 200
            if segment.kind == NEAR:
                score /= 2
            if previous_prose:
                score *= 1.6
        elif i in in_table:
            score = TABLE_ROW_SCORE if segment.data else 0.0
        elif kind == GOOD:
            score = -0.2  # a short line kept by its neighbours: neutral-ish
        elif kind == JUNK:
            score = -1.5
        else:
            score = -1.0
        if kind != CAPTION:
            previous_prose = kind == GOOD and segment.kind in (GOOD, NEAR)
        if running <= 0:
            running, start = 0.0, i
        running += score
        if running > best:
            best, best_range = running, (start, i + 1)
    return best_range


# --- the cleaner ------------------------------------------------------------------------

_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")


CAPTION_REACH = 3
"""Captions this close to the article (or inside it) are its captions; captions further
away belong to teasers and sidebars and are removed."""


def clean_document(doc: Document, recurring: frozenset[str] = frozenset()) -> CleanResult:
    """Split `doc` into body paragraphs, captions and removed segments, and find metadata."""
    raw_segments = split_segments(doc.text)
    header_date: str | None = None
    if raw_segments:
        match = _DATE_HEADER.match(raw_segments[0])
        if match:
            header_date = match.group(1)
    classified: dict[str, _Segment] = {}  # pages repeat lines (menus): classify each once
    segments = []
    for text in raw_segments:
        known = classified.get(text)
        if known is None:
            known = classified[text] = _classify(text, recurring)
        segments.append(known)  # shared: segments are not changed after classifying
    if header_date and segments and segments[0].kind != JUNK:
        rest = _DATE_HEADER.sub("", segments[0].text)
        if not rest or junk_kind(rest):
            segments[0] = replace(segments[0], kind=JUNK)
    in_table = frozenset(k for run in table_runs(segments) for k in run)
    decided = _smooth(segments, in_table)
    start, end = _main_block(segments, decided, in_table)
    start, end = _extend_block(segments, decided, start, end)
    furnished = any(_is_furniture(segments, i) for i in range(1, len(segments)))
    # a file with no furniture is an article file: its header is at the top
    wire = _find_wire_header(segments, start if furnished else 0)
    headline_index: int | None = None
    byline: str | None = None
    if wire is not None:
        # the dateline opens the story: it is its first line, and names the place
        decided[wire.dateline : wire.dateline_end] = [GOOD] * (wire.dateline_end - wire.dateline)
        if furnished:
            start = wire.dateline
            if end <= wire.dateline_end:
                # no block of prose after the header (a short story, a results story):
                # the story runs on from the dateline up to the first piece of furniture
                end = wire.dateline_end
                while end < len(segments) and not (
                    _is_furniture(segments, end) or segments[end].menu
                ):
                    decided[end] = GOOD
                    end += 1
        headline_index = wire.headline
        if wire.byline is not None:
            byline = find_byline_line(segments[wire.byline].text) or segments[wire.byline].text
    body_from = wire.dateline if wire is not None else 1
    if not furnished and _is_clean_text(segments, start, body_from):
        # No page furniture anywhere (no junk, no captions, at most a title line or a
        # wire header, then no menu before the article): the file is already an article,
        # so every paragraph is kept, tables and lists included.
        decided = [GOOD] * len(segments)
        start = body_from if wire is not None else 0
        end = len(segments)
        if wire is None and _first_line_is_headline(segments):
            headline_index = 0  # title line, then the body (BBC, wire copy)
    title = doc.title
    if title is not None:
        # a title given by the format; the text may repeat it as its first line
        first_key = segments[0].key if segments else ""
        headline_index = 0 if first_key and first_key == line_key(title) else None
    elif headline_index is None:
        headline_index = _find_headline(segments, decided, start)
    if headline_index is not None:
        title = segments[headline_index].text

    paragraphs: list[str] = []
    captions: list[str] = []
    removed: list[str] = []
    for i, (segment, kind) in enumerate(zip(segments, decided, strict=True)):
        if i == headline_index or (wire is not None and i == wire.byline):
            continue
        if kind == CAPTION and start - CAPTION_REACH <= i < end + CAPTION_REACH:
            captions.append(segment.text)
        elif kind == GOOD and start <= i < end:
            paragraphs.append(segment.text)
        else:
            removed.append(segment.text)

    meta = _find_meta(doc, segments[:start], removed, header_date)
    if wire is not None:
        meta = TextMeta(
            date=meta.date or wire.date, source=meta.source, byline=meta.byline or byline
        )
    if not title:
        title = title_from_lede(paragraphs[0]) if paragraphs else _fallback_title(doc)
    return CleanResult(
        paragraphs=tuple(paragraphs),
        captions=tuple(captions),
        removed=tuple(removed),
        title=title,
        date=meta.date,
        source=meta.source,
        byline=meta.byline,
    )


LAST_PARAGRAPH_GAP = 2
LAST_PARAGRAPH_LENGTH = 150
"""One full paragraph (this long, ending a sentence) just after the block, past at most
`LAST_PARAGRAPH_GAP` lines ("Related Links", a link's title), is the article's last one."""

MAX_BRIDGE = 8
"""How many non-article segments (an inline gallery, a related-links box) the block may
jump over to take in more of the article's paragraphs."""


def _extend_block(
    segments: Sequence[_Segment], decided: Sequence[str], start: int, end: int
) -> tuple[int, int]:
    """Take in runs of full paragraphs just outside the block, across a short interruption.

    A run qualifies when it has at least two prose paragraphs in a row (or one long one)
    and the interruption holds no comment or copyright line (the article is over there);
    after the block, one full paragraph past a short interruption is the article's last.
    """

    def run_from(i: int, step: int) -> tuple[int, int] | None:
        j, gap = i, 0
        while 0 <= j < len(segments) and gap <= MAX_BRIDGE:
            if decided[j] == GOOD and segments[j].kind == GOOD:
                break
            if segments[j].junk in ("comments", "copyright", "legal"):
                return None
            gap += 1
            j += step
        else:
            return None
        first = j
        while 0 <= j < len(segments) and decided[j] == GOOD:
            j += step
        last = j - step
        lo, hi = min(first, last), max(first, last)
        prose = [k for k in range(lo, hi + 1) if segments[k].kind == GOOD]
        if len(prose) >= 2 or (prose and segments[prose[0]].length >= 400):
            return lo, hi + 1
        if (
            step == 1
            and gap <= LAST_PARAGRAPH_GAP
            and prose
            and segments[prose[0]].length >= LAST_PARAGRAPH_LENGTH
            and segments[prose[0]].sentence_end
        ):
            return lo, hi + 1  # the article's last paragraph, after an inline links box
        return None

    if end > start:
        after = run_from(end, 1)
        if after is not None:
            end = after[1]
        before = run_from(start - 1, -1)
        if before is not None:
            start = before[0]
    return start, end


def _is_furniture(segments: Sequence[_Segment], i: int) -> bool:
    """Evidence that a file is a scraped page, not an article file: a junk or caption line.

    A sentence that only recurs across the corpus and stands inside the text, with
    article text before and after it ("Reuters has not verified these stories and does
    not vouch for their accuracy.", in every press digest), is no such evidence: wire copy
    repeats its own sentences. A recurring sentence at the edge of the text (a site's
    sign-off after the last paragraph) is.
    """
    segment = segments[i]
    if segment.kind == CAPTION:
        return True
    if segment.kind != JUNK:
        return False
    if segment.junk != "recurring":
        return True
    if not (segment.sentence_end and len(_WORD.findall(segment.text)) >= 6):
        return True
    text = (GOOD, NEAR, SHORT)  # the headline (segment 0) is not text before it
    before = any(s.kind in text for s in segments[1:i])
    after = any(s.kind in text for s in segments[i + 1 :])
    return not (before and after)


def _is_clean_text(segments: Sequence[_Segment], start: int, body_from: int) -> bool:
    """An article file (no junk or captions after its first line, checked by the caller):
    at most a title line or a wire header that ends at `body_from`, then the article.

    Between the header and the main block there may be more of the article (a table, a
    results list, short lines of figures, a heading) but not a menu: at most half of
    those lines may be navigation items (short Title Case lines without a figure). The
    title line may trip a junk rule ("Search wars hit desktop PCs" reads like a
    navigation word); it still counts as a title when it has three or more words.
    """
    if not segments:
        return False
    before = segments[body_from:start]
    menus = sum(1 for segment in before if segment.menu and not _FIGURE.search(segment.text))
    if menus > 1 and menus * 2 > len(before):
        return False
    first = segments[0]
    if first.kind != JUNK:
        return True
    return (
        first.junk == "promo"
        and len(first.text) <= 150
        and len(_WORD.findall(first.text)) >= 3
        and not first.sentence_end
    )


HEADLINE_MAX_WORDS = 14
"""A first line that ends in a full stop is still a headline up to this many words."""


def _first_line_is_headline(segments: Sequence[_Segment]) -> bool:
    """The first line of an article file is its headline: a line without a closing full
    stop (BBC style), or a short single sentence ("EU rejects German call to boycott
    British lamb.") or one in capitals, with more of the article after it."""
    if len(segments) < 2:
        return False
    first = segments[0]
    if not first.sentence_end:
        return True
    text = first.text
    words = len(_WORD.findall(text))
    if text.isupper() and words <= 30:
        return True
    one_sentence = first_sentence(text) == text.strip()
    return one_sentence and words <= HEADLINE_MAX_WORDS and len(text) <= 120


@dataclass(frozen=True, slots=True)
class _WireHeader:
    """Where a wire story's header lines are: headline, byline (if any), dateline."""

    headline: int
    byline: int | None
    dateline: int  # the body's first line (an editor's note may stand before the dateline)
    dateline_end: int  # the dateline may be cut in two lines: "MONTGOMERY, Ala." "1996-08-22"
    date: str | None


_EDITORS_NOTE = re.compile(r"^\[[^\]]{1,60}\]$")
WIRE_REACH = 3
"""A dateline belongs to the article when the article's block starts this close to it."""


def _find_wire_header(segments: Sequence[_Segment], start: int) -> _WireHeader | None:
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
        return _WireHeader(headline, byline, first, end, dateline.date)
    return None


def _is_byline(text: str) -> bool:
    return find_byline_line(text) is not None or looks_like_person_name(text)


def _wire_headline_like(segment: _Segment) -> bool:
    """A headline line of any case, full stop or not: short, not furniture or a name."""
    if segment.kind in (JUNK, CAPTION):
        return False
    text = segment.text
    words = len(_WORD.findall(text))
    return (
        1 <= words <= 30
        and len(text) <= 250
        and not _NOT_HEADLINE.search(text)
        and not is_date_line(text)
        and not _is_byline(text)
    )


def _fallback_title(doc: Document) -> str:
    first = next((line for line in split_segments(doc.text)), "")
    return title_from_lede(first) if first else "Untitled"


HEADLINE_WINDOW = 15
"""How many segments before the article the headline is looked for in."""

_NOT_HEADLINE = re.compile(r" > | \| |@|©|https?://|\bclick\b|\bposted (?:on|by|in)\b", re.I)


def _headline_like(segment: _Segment) -> bool:
    if segment.kind in (JUNK, CAPTION):
        return False
    text = segment.text
    words = _WORD.findall(text)
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
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 3}


def _find_headline(segments: Sequence[_Segment], decided: Sequence[str], start: int) -> int | None:
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
        if len(_WORD.findall(segment.text)) < 4 and overlap < 0.5:
            continue  # a short line is a headline only if the lede takes up its words
        score = 1.0 + overlap + (0.5 if counts[segment.key] > 1 else 0.0) - 0.1 * distance
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


def _find_meta(
    doc: Document, header: Sequence[_Segment], removed: Sequence[str], header_date: str | None
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
