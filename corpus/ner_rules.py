"""Rule-based entities: dates, money, percentages, and fixed patterns ("Number 10", "Article 5").

One compiled regular expression finds them all in a single pass over the body. The conventions
follow shared/gold/NOTES.md section 2: a DATE keeps its leading "the" ("the coming days"), a day
name is tagged alone in "Saturday morning", times of day are not dates, and a percentage's
canonical form is "N%" ("2.5 per cent" -> "2.5%"). MONEY and DATE keep their surface text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|a\s+few|a\s+couple\s+of|several|\d+(?:\.\d+)?)"
)
_UNIT = r"(?:day|week|fortnight|month|year|decade|century)"
_MONTH = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|"
    # without its full stop an abbreviation is a date only beside a number: "Jan Hestad"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?=\s+\d)|"
    r"(?<=\d\s)(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?![^\W_]))"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_SEASON = r"(?:spring|summer|autumn|winter|weekend|week|month|year|financial\s+year|decade)"

_DATE = rf"""
    (?:[Tt]he\s+)?(?:coming|next|past|last|previous|following|recent|last\s+few|past\s+few)
        \s+(?:{_NUMBER_WORD}\s+)?{_UNIT}s(?:\s+and\s+{_UNIT}s)?
  | (?:[Tt]he\s+)?(?:coming|next|last|past|previous|following)\s+{_SEASON}
  | (?:this|that|last|next)\s+{_SEASON}
  | (?:[Tt]he\s+)?financial\s+year\s+\d\d(?:/\d\d)?
  | the\s+weekend
  | (?:every|each)\s+{_UNIT}
  | (?:year|month|week)\s+on\s+(?:year|month|week)
  | {_NUMBER_WORD}[\s-]{_UNIT}s?(?!-old)(?:\s+ago|\s+earlier|\s+later)?
  | (?:(?<=\s)|^)(?:days|weeks|months|decades)(?=[\s,.;:])
  | yesterday|today|tomorrow
  | (?:Christmas|Easter|New\s+Year(?:['’]s)?|Boxing|Valentine['’]s|Remembrance|May|Armistice)
        \s+(?:Day|Eve|Sunday)
  | Christmas|Easter|Ramadan|Hanukkah|Passover|Thanksgiving|Halloween|Diwali|Lent|Eid
        (?:\s+al-(?:Fitr|Adha))?
  | (?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH}|May(?=\s+\d))(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?
        (?:,?\s+{_YEAR})?
  | \d{{1,2}}(?:st|nd|rd|th)?\s+May(?:\s+{_YEAR})?
  | {_DAY}
  | (?:[Tt]he\s+)?(?:early|mid|late)[\s-]{_YEAR}s?
  | (?:[Tt]he\s+)?{_YEAR}s
  | {_YEAR}-\d\d-\d\d(?!\d)
  | {_YEAR}(?:[/-]\d\d)?(?![.,]?\d|-\d)
"""
_MONEY = r"""
    (?:US|A|C|HK)?[$£€¥]\s?\d+(?:[.,]\d+)*(?:\s?(?:m|bn|k|tn|million|billion|trillion|p)\b)?
  | \d+(?:[.,]\d+)*\s?(?:million|billion|trillion|m|bn)?\s?(?:pounds|dollars|euros|pence|yen)\b
"""
_PERCENT = r"\d+(?:\.\d+)?(?:\s?%|\s?(?:per\s?cent|percent)\b)"
_FIXED = r"""
    (?P<number10>(?:Number|No\.?)\s10)(?!\d)
  | (?P<article>Article\s\d+[A-Za-z]?)(?![\d])
"""

RULES_RE = re.compile(
    rf"""(?<![^\W_])(?:
      (?P<PERCENT>{_PERCENT})
    | (?P<MONEY>{_MONEY})
    | {_FIXED}
    | (?P<DATE>{_DATE})
    )(?![^\W_])""",
    re.VERBOSE,
)
_PERCENT_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A span found by a rule, with its label and canonical name."""

    start: int
    end: int
    label: str
    canonical: str


# Tokens at which a rule can start (besides numbers and currency signs): trying the rules only
# there is much faster than scanning every character.
_TRIGGER_WORDS_TEXT = """
this This that last Last next Next coming past previous following recent every Every
each year month week days weeks months decades yesterday today Today tomorrow early mid late
financial Number No No. Article several US A C HK Monday Tuesday Wednesday Thursday Friday
Saturday Sunday Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays January
February March April May June July August September October November December Jan Jan. Feb
Feb. Mar Mar. Apr Apr. Jun Jun. Jul Jul. Aug Aug. Sep Sep. Sept Sept. Oct Oct. Nov Nov. Dec
Dec. one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
ninety hundred $ £ € ¥ Christmas Easter New Boxing Valentine's Valentine’s Remembrance
Armistice Ramadan Hanukkah Passover Thanksgiving Halloween Diwali Lent Eid
"""
TRIGGER_WORDS = frozenset(_TRIGGER_WORDS_TEXT.split())
_DIGITS = frozenset("0123456789")


# "the" and "a" are too frequent to try every time: only before these words (or a number).
_AFTER_ARTICLE = frozenset(
    {"coming", "next", "past", "last", "previous", "following", "recent", "weekend",
     "financial", "early", "mid", "late", "few", "couple"}
)  # fmt: skip
_ARTICLES = frozenset({"the", "The", "a"})


def rule_trigger_indices(words: list[str]) -> list[int]:
    """Indices of the tokens where a rule may match."""
    count = len(words)
    return [
        i
        for i, word in enumerate(words)
        if word in TRIGGER_WORDS
        or word[0] in _DIGITS
        or (
            word in _ARTICLES
            and i + 1 < count
            and (words[i + 1] in _AFTER_ARTICLE or words[i + 1][0] in _DIGITS)
        )
    ]


def find_rule_entities(text: str) -> list[RuleMatch]:
    """DATE, MONEY, PERCENT, "Number 10" (ORG) and "Article N" (LAW) spans of `text`."""
    return _rule_matches(RULES_RE.finditer(text))


def find_rule_entities_at(text: str, positions: list[int]) -> list[RuleMatch]:
    """Like `find_rule_entities`, trying the rules only at the given offsets (in order)."""
    found: list[re.Match[str]] = []
    match_at = RULES_RE.match
    reached = 0
    for position in positions:
        if position < reached:
            continue
        match = match_at(text, position)
        if match is not None:
            found.append(match)
            reached = match.end()
    return _rule_matches(found)


def _rule_matches(found: Iterable[re.Match[str]]) -> list[RuleMatch]:
    matches: list[RuleMatch] = []
    for match in found:
        kind = match.lastgroup or ""
        surface = match.group()
        start, end = match.span()
        if kind == "PERCENT":
            number = _PERCENT_NUMBER.match(surface)
            matches.append(
                RuleMatch(start, end, "PERCENT", (number.group() if number else "") + "%")
            )
        elif kind == "number10":
            matches.append(RuleMatch(start, end, "ORG", "Downing Street"))
        elif kind == "article":
            matches.append(RuleMatch(start, end, "LAW", surface))
        else:
            matches.append(RuleMatch(start, end, kind, surface))
    return matches
