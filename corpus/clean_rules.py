"""Rules for known kinds of boilerplate in a scraped page, and for photo captions.

`junk_kind` names why a segment is junk by rule: donation and subscription banners, app and
newsletter promos, sign-in and paywall lines, "Read more", related-story headings, share
buttons, cookie notices, copyright and legal footers, comment-thread lines, advertisement
markers, left-over markup; furniture in other languages comes from
`data/clean_junk_phrases.txt`. `is_caption` recognises photo captions and credits ("open
image in gallery ... (Carl Court/PA)", "... (AP)", "Photograph: ..."), which the cleaner
keeps apart from the body. Each rule is a simple regex (linear in the text); cheap substring
needles skip the costly patterns on segments that cannot match them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus import DATA_DIR
from corpus.clean_segments import SENTENCE_END

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
        or ((donation >= 2 or not SENTENCE_END.search(segment)) and _dense(donation, length))
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
        and not SENTENCE_END.search(segment)
        and (_JUNK_WORD_LINE.match(segment) or _JUNK_WORD_ALONE.match(segment))
    ):
        return "promo"  # a navigation word, not a sentence that starts with it
    if length < 200 and not SENTENCE_END.search(segment) and _CTA.search(segment):
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
