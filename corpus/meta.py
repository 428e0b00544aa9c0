"""Article metadata found in scraped text: date, title, publisher and byline.

Nothing is ever invented. A date needs a day, a month and a year written in the text (the
`date YYYY-MM-DD` header, an ISO date, or a date with a month name such as "Nov. 19,
2019" / "19 November 2019"), parsed with python-dateutil; with none of them the date is
None ("Undated"). A title comes from a headline in the file or, failing that, from the
lede's first sentence (`title_from_lede`). The publisher is a name from
`data/clean_publishers.txt` seen in the page furniture (a label line such as "The
Independent UK", or a donation banner naming it); the byline is a "By ..." line or a bare
person's name next to the headline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from dateutil import parser as date_parser

from corpus import DATA_DIR

TITLE_TARGET = 90
"""Titles built from a lede are cut at a word boundary near this many characters."""


@dataclass(frozen=True, slots=True)
class TextMeta:
    """Metadata found for one article (None where the text states nothing)."""

    date: str | None = None
    source: str | None = None
    byline: str | None = None


# --- dates ------------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"
_DATE_PATTERNS = (
    re.compile(rf"\b({_YEAR})-(0?[1-9]|1[0-2])-([12]\d|3[01]|0?[1-9])(?![\d-])"),
    re.compile(rf"\b({_MONTH})\.?\s+({_DAY}),?\s+({_YEAR})\b", re.IGNORECASE),
    re.compile(rf"\b({_DAY})\s+(?:of\s+)?({_MONTH})\.?,?\s+({_YEAR})\b", re.IGNORECASE),
)
# Month names of other European languages (and Indonesian) -> month number. English
# dates go through dateutil; these are turned into ISO dates directly.
_FOREIGN_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januar janvier enero janeiro gennaio januari",
        "februar février fevrier febrero fevereiro febbraio februari",
        "märz maerz mars marzo março marco maart maret",
        "avril abril aprile",
        "mai mayo maio maggio mei",
        "juin junio junho giugno",
        "juillet julio julho luglio",
        "août aout agosto augustus agustus",
        "septembre septiembre setembro settembre",
        "oktober octobre octubre outubro ottobre",
        "novembre noviembre novembro",
        "dezember décembre decembre diciembre dezembro dicembre desember",
    ),
    start=1,
):
    for _name in _names.split():
        _FOREIGN_MONTHS[_name] = _number
_FOREIGN_MONTH = "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True))
_FOREIGN_PATTERNS = (
    # 22 de outubro de 2010, 30. März 2019, 5 janvier 2020
    re.compile(
        rf"\b([12]\d|3[01]|0?[1-9])(?:\.|º|er)?\s+(?:de\s+)?({_FOREIGN_MONTH})\s+(?:de\s+)?"
        rf"({_YEAR})\b",
        re.IGNORECASE,
    ),
    # Maret 30, 2015
    re.compile(rf"\b({_FOREIGN_MONTH})\s+([12]\d|3[01]|0?[1-9]),?\s+({_YEAR})\b", re.IGNORECASE),
)
_DATE_LINE_WORDS = re.compile(
    r"^(?:published|updated|posted|last updated|first published|date|on)\b[:\s]*",
    re.IGNORECASE,
)


def _parse_date(text: str) -> str | None:
    try:
        parsed = date_parser.parse(text, default=datetime(2000, 1, 1), fuzzy=False)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat()


def _month_first(groups: Sequence[str]) -> tuple[str, str, str]:
    month, day, year = groups
    return day, month, year


def find_date_in_line(line: str, *, strict: bool = True) -> str | None:
    """The first full date (day, month, year) written in `line`, as ISO, else None.

    With `strict=False` (a metadata field such as JSON `date`), the whole value is handed
    to dateutil when no pattern matches, as long as it has a four-digit year.
    """
    for pattern in _DATE_PATTERNS:
        match = pattern.search(line)
        if match:
            found = _parse_date(" ".join(match.groups()))
            if found:
                return found
    for number, pattern in enumerate(_FOREIGN_PATTERNS):
        match = pattern.search(line)
        if match:
            day, month, year = match.groups() if number == 0 else _month_first(match.groups())
            try:
                return (
                    datetime(int(year), _FOREIGN_MONTHS[month.casefold()], int(day))
                    .date()
                    .isoformat()
                )
            except (ValueError, KeyError):
                pass
    if not strict and re.search(r"\b\d{4}\b", line) and re.search(r"\d{1,2}\D+\d{1,2}", line):
        return _parse_date(line.strip())
    return None


# A wire dateline names the place in capitals, then maybe a region, then the date or the
# agency: "BRUSSELS 1996-08-22", "PORT OF SPAIN, Trinidad 1996-08-30", "MONTGOMERY, Ala.
# 1996-08-22", "WASHINGTON (Reuters) -", "PRETORIA, Aug 25 -". The place words are in
# capitals (that is what makes it a dateline, not a sentence that starts with a place).
_PLACE = r"[A-Z][A-Z'’.\-]*(?:\s+(?:[A-Z][A-Z'’.\-]*|OF|DE|DA|DU|LA|LE|AL|EL|ST\.?))*"
_REGION = r"(?:\s?,\s*[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3})"
_AGENCY = r"\((?:Reuters|AP|AFP|Bloomberg|UPI|dpa|PA|Xinhua|AAP|CNN|IANS|PTI)\)"
_DATELINE_LINE = re.compile(
    rf"^(?P<place>{_PLACE}){_REGION}{{0,2}},?\s+(?P<date>{_YEAR}-\d\d-\d\d"
    rf"|{_MONTH}\.?\s+{_DAY}(?:,?\s+{_YEAR})?)(?:\s+{_AGENCY})?\s*$"
)
# in the lede, the place needs a date or an agency after it: "SOCCER - JAPAN WIN" is a
# headline's subject slug, not a place
_DATELINE_PREFIX = re.compile(
    rf"^(?P<place>{_PLACE}){_REGION}{{0,2}}(?:,\s*(?P<date>{_MONTH}\.?\s+{_DAY}"
    rf"(?:,?\s+{_YEAR})?)(?:\s+{_AGENCY})?|\s+{_AGENCY})\s*[-–—]{{1,2}}\s+\S"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire dateline: the line (or the lede's opening) that says where and when."""

    place: str
    date: str | None  # ISO, only when the dateline carries a full date
    whole_line: bool  # the dateline is a line of its own (else it opens the lede)


def find_dateline(segment: str) -> Dateline | None:
    """The wire dateline that `segment` is ("BRUSSELS 1996-08-22") or opens, else None.

    The place must be written in capitals and hold at least two letters; a date without a
    year ("Aug 25") gives no date (nothing is invented).
    """
    text = segment.strip()
    if len(text) > 80:
        match = _DATELINE_PREFIX.match(text[:120])
        whole = False
    else:
        match = _DATELINE_LINE.match(text)
        whole = match is not None
        if match is None:
            match = _DATELINE_PREFIX.match(text)
    if match is None:
        return None
    place = match.group("place")
    if sum(c.isalpha() for c in place) < 2:
        return None
    date_text = match.group("date")
    date = find_date_in_line(date_text) if date_text else None
    return Dateline(place=place, date=date, whole_line=whole)


def is_date_line(line: str) -> bool:
    """A short line that is (mostly) a date: "Nov. 19, 2019 8:03 am ET", "Published ..."."""
    if len(line) > 80:
        return False
    return find_date_in_line(_DATE_LINE_WORDS.sub("", line)) is not None


# --- titles -----------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9À-ÖØ-Þ])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Gov|Sen|Rep|Lt|Col|Capt|Sgt|Inc|Ltd|Co|Corp|"
    r"No|vs|etc|U\.S|U\.K|[A-Z])\.)$"
)


def first_sentence(text: str) -> str:
    """The first sentence of `text` (abbreviations like "Mr." do not end one)."""
    for match in _SENTENCE_BREAK.finditer(text):
        candidate = text[max(0, match.start() - 12) : match.start()].rstrip()
        if _ABBREVIATION.search(candidate):
            continue
        return text[: match.start()].strip()
    return text.strip()


def title_from_lede(lede: str, target: int = TITLE_TARGET) -> str:
    """A title from a lede: its first sentence, cut at a word boundary near `target` chars."""
    sentence = first_sentence(lede).strip()
    if len(sentence) <= target + 10:
        return sentence.rstrip(".") if not sentence.endswith("...") else sentence
    cut = sentence.rfind(" ", 0, target + 1)
    if cut < target // 2:
        cut = target
    return sentence[:cut].rstrip(" ,;:-–—") + "…"


# --- bylines ----------------------------------------------------------------------------

_NAME_WORD = (
    r"(?:[A-Z][a-zà-ÿ'’\-]+|[A-Z]\.|Mc[A-Z][a-z]+|O’[A-Z][a-z]+|de|van|von|der|da|di|le|la)"
)
_PERSON_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}$")
_BY_LINE = re.compile(
    r"^(?:by|words by|written by|von|par|por|di|door|av)\s+(.{3,80}?)\s*$", re.IGNORECASE
)
_BYLINE_TRAIL = re.compile(
    r"\s*(?:[,|•·]\s*|\s+-\s+|\s+(?:for|in|at)\s+)(?=[A-Z]|\d).*$|\s+(?:published|updated)\b.*$",
    re.IGNORECASE,
)


def looks_like_person_name(line: str) -> bool:
    """Two to four capitalised name words, e.g. "Millie Cooke", "Sarah E. Needleman"."""
    text = line.strip()
    if not 5 <= len(text) <= 50 or text.isupper():
        return False
    if find_publisher_in_line(text) is not None:
        return False
    return bool(_PERSON_NAME.match(text))


def find_byline_line(line: str) -> str | None:
    """The author's name from a "By Jane Doe" line, else None."""
    match = _BY_LINE.match(line.strip())
    if not match:
        return None
    name = _BYLINE_TRAIL.sub("", match.group(1)).strip()
    if not name or not name[0].isupper() or len(name.split()) > 8:
        return None
    return name


def find_byline(header: Sequence[str]) -> str | None:
    """A byline from the lines before the article: "By ...", "By" + a name line, or a
    bare name right after a publisher label (the aggregator layout)."""
    for i, line in enumerate(header):
        found = find_byline_line(line)
        if found:
            return found
        stripped = line.strip()
        next_line = header[i + 1] if i + 1 < len(header) else ""
        if stripped.lower() == "by" and looks_like_person_name(next_line):
            return next_line.strip()
        after_label = i > 0 and find_publisher_in_line(header[i - 1], whole_line=True)
        if after_label and looks_like_person_name(stripped):
            return stripped
    return None


# --- publishers -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def publishers() -> dict[str, str]:
    """Case-folded publisher name or alias -> canonical name (data/clean_publishers.txt)."""
    table: dict[str, str] = {}
    for raw in (DATA_DIR / "clean_publishers.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        names = [name.strip() for name in line.split("|") if name.strip()]
        for name in names:
            table[name.casefold()] = names[0]
    return table


_EDITION_SUFFIX = re.compile(r"\s+(?:UK|US|USA|AU|IE|IN|CA|NZ|Online|Edition)\s*$")


@lru_cache(maxsize=1)
def _publisher_pattern() -> re.Pattern[str]:
    names = sorted(publishers(), key=len, reverse=True)
    body = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def find_publisher_in_line(line: str, *, whole_line: bool = False) -> str | None:
    """The canonical publisher named in `line` (the whole line, with `whole_line`)."""
    text = line.strip()
    if whole_line:
        bare = _EDITION_SUFFIX.sub("", text).casefold()
        return publishers().get(bare) or publishers().get(text.casefold())
    match = _publisher_pattern().search(text)
    return publishers()[match.group(0).casefold()] if match else None


def find_source(header: Sequence[str], removed: Sequence[str]) -> str | None:
    """The publisher: a label line naming one (most frequent), else one named in a banner."""
    labels = Counter(
        found for line in header if (found := find_publisher_in_line(line, whole_line=True))
    )
    if labels:
        return labels.most_common(1)[0][0]
    for segment in removed:
        found = find_publisher_in_line(segment)
        if found:
            return found
    return None
