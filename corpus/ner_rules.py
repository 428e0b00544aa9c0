"""Rule-based entities: dates, money and percentages, plus fixed patterns ("Number 10", "Article 5").

One compiled regular expression finds them all in a single pass over the body. The conventions
follow shared/gold/NOTES.md section 2: a DATE keeps its leading "the" ("the coming days"), a day
name is tagged alone in "Saturday morning", times of day are not dates, and a percentage's
canonical form is "N%" ("2.5 per cent" -> "2.5%"). MONEY and DATE keep their surface text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|a\s+few|a\s+couple\s+of|several|\d+(?:\.\d+)?)"
)
_UNIT = r"(?:day|week|fortnight|month|year|decade|century)"
_MONTH = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_SEASON = r"(?:spring|summer|autumn|winter|weekend|week|month|year|financial\s+year|decade)"

_DATE = rf"""
    (?:the\s+)?(?:coming|next|past|last|previous|following|recent|last\s+few|past\s+few)
        \s+(?:{_NUMBER_WORD}\s+)?{_UNIT}s(?:\s+and\s+{_UNIT}s)?
  | (?:the\s+)?(?:coming|next|last|past|previous|following)\s+{_SEASON}
  | (?:this|that|last|next)\s+{_SEASON}
  | (?:the\s+)?financial\s+year\s+\d\d(?:/\d\d)?
  | the\s+weekend
  | (?:every|each)\s+{_UNIT}
  | (?:year|month|week)\s+on\s+(?:year|month|week)
  | {_NUMBER_WORD}[\s-]{_UNIT}s?(?:\s+ago|\s+earlier|\s+later)?
  | (?:(?<=\s)|^)(?:days|weeks|months|decades)(?=[\s,.;:])
  | yesterday|today|tomorrow
  | (?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH}|May(?=\s+\d))(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?
        (?:,?\s+{_YEAR})?
  | \d{{1,2}}(?:st|nd|rd|th)?\s+May(?:\s+{_YEAR})?
  | {_DAY}
  | (?:the\s+)?(?:early|mid|late)[\s-]{_YEAR}s?
  | (?:the\s+)?{_YEAR}s
  | {_YEAR}(?:/\d\d)?(?![\d.,])
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


def find_rule_entities(text: str) -> list[RuleMatch]:
    """DATE, MONEY, PERCENT, "Number 10" (ORG) and "Article N" (LAW) spans of `text`."""
    matches: list[RuleMatch] = []
    for match in RULES_RE.finditer(text):
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
