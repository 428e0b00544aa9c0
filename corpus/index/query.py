"""The search query language: a user's query split into an FTS5 expression and filters.

Words, "phrases", prefix*, AND/OR/NOT and parentheses are free text (FTS5, every word
quoted); `-word` and a leading NOT exclude; `tag:`, `speaker:`, `entity:`, `source:` and
`date:FROM..TO` filter. `corpus.index.search` runs what `parse_query` gives.
"""

from __future__ import annotations

import re

_QUERY_TOKEN = re.compile(
    r"""
    (?P<filter>(?P<field>tag|speaker|entity|source|date):
        (?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s()"]+)))
    | (?P<neg>-)?"(?P<phrase>[^"]*)"?
    | (?P<open>\()
    | (?P<close>\))
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TERM_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT"})


class ParsedQuery:
    """A search query split into an FTS5 expression, exclusions and column filters.

    A plain class (not a dataclass: `corpus.rows` says why the search path builds none),
    filled in by `parse_query`.
    """

    __slots__ = (
        "dates",
        "entities",
        "exclude",
        "highlight",
        "match",
        "sources",
        "speakers",
        "tags",
        "terms",
    )

    def __init__(self) -> None:
        self.match = ""  # FTS5 expression of the free text ("" when only filters)
        self.exclude: list[str] = []  # FTS5 expressions to leave out
        self.tags: list[str] = []
        self.speakers: list[str] = []
        self.entities: list[str] = []
        self.sources: list[str] = []
        self.dates: list[tuple[str | None, str | None]] = []
        self.terms: list[str] = []  # every word, for a fallback match
        self.highlight: list[str] = []  # words to mark in snippets

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"ParsedQuery({fields})"


def fts_string(text: str) -> str | None:
    """`text` as one FTS5 string (a phrase of its words), or None if it has no words."""
    words = _TERM_WORD.findall(text)
    if not words:
        return None
    return '"' + " ".join(words).replace('"', '""') + '"'


def _parse_date_range(value: str) -> tuple[str | None, str | None]:
    if ".." in value:
        low, high = value.split("..", 1)
        return (low or None, high or None)
    return (value, value)


def parse_query(query: str) -> ParsedQuery:
    """Split a user query into free text (FTS5 syntax), exclusions and filters.

    Words, "phrases", prefix*, AND/OR/NOT (upper case) and parentheses go to FTS5 with every
    word quoted, so no character of the query is FTS5 syntax by accident. A leading NOT or a
    `-word` becomes an exclusion. Filters: `tag:`, `speaker:`, `entity:`, `source:` and
    `date:FROM..TO` (either end may be left out; `date:2025-02` is a month).
    """
    parsed = ParsedQuery()
    parts: list[str] = []
    pending_not = False
    for match in _QUERY_TOKEN.finditer(query):
        if match.group("filter"):
            name = match.group("field").lower()
            value = (match.group("fquoted") or match.group("fvalue") or "").strip()
            if not value:
                continue
            if name == "tag":
                parsed.tags.append(value.casefold())
            elif name == "speaker":
                parsed.speakers.append(value)
                parsed.highlight.extend(_TERM_WORD.findall(value.casefold()))
            elif name == "entity":
                parsed.entities.append(value)
                parsed.highlight.extend(_TERM_WORD.findall(value.casefold()))
            elif name == "source":
                parsed.sources.append(value)
            else:
                parsed.dates.append(_parse_date_range(value))
            continue
        operand: str | None = None
        negated = False
        if match.group("phrase") is not None:
            operand = fts_string(match.group("phrase"))
            negated = bool(match.group("neg"))
            parsed.terms.extend(w.casefold() for w in _TERM_WORD.findall(match.group("phrase")))
        elif match.group("open"):
            parts.append("(")
            continue
        elif match.group("close"):
            parts.append(")")
            continue
        else:
            word = match.group("word")
            if word in _OPERATORS:
                if word == "NOT" and (not parts or parts[-1] in ("(", "AND", "OR")):
                    pending_not = True
                else:
                    parts.append(word)
                continue
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            prefix = word.endswith("*")
            operand = fts_string(word.rstrip("*"))
            if operand is not None and prefix:
                operand += " *"
            parsed.terms.extend(w.casefold() for w in _TERM_WORD.findall(word))
        if operand is None:
            continue
        if not (pending_not or negated):
            parsed.highlight.extend(_TERM_WORD.findall(operand.casefold()))
        if pending_not or negated:
            pending_not = False
            if parts and parts[-1] not in ("(", "AND", "OR"):
                parts.extend(("NOT", operand))  # `a -b` is `a NOT b`
            else:
                if parts and parts[-1] in ("AND", "OR"):
                    parts.pop()
                parsed.exclude.append(operand)
            continue
        parts.append(operand)
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    while parts and parts[0] in _OPERATORS:
        parts.pop(0)
    parsed.match = " ".join(parts)
    return parsed


def plain_match(parsed: ParsedQuery) -> str:
    """A fallback FTS5 expression: every word of the query, all required."""
    return " ".join(f'"{term}"' for term in parsed.terms)
