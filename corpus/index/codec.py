"""An analysed article as an `articles` row, and back.

The columns a search reads (title, body, names, speakers) and the sidebar's (id, date,
title, source, path) are plain columns; the rest of the analysis (captions, removed lines,
entity and quote spans) is one zlib-compressed JSON blob, `extra`, whose span texts are not
stored twice (they are `body[start:end]`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from typing import Any, NamedTuple

from corpus.index.errors import DamagedCacheError
from corpus.model import Article, Entity, Quote

NUMERIC_LABELS = frozenset({"DATE", "MONEY", "PERCENT"})
"""Entity labels left out of the searchable names (they are numbers, not names)."""

ARTICLE_COLUMNS = "id, path, date, title, source, byline, url, body, extra"
"""The columns `article_from_row` decodes, in its order."""


class ArticleRow(NamedTuple):
    """An `articles` row as a refresh inserts it (`schema.INSERT_ARTICLE`; no row id)."""

    id: str
    file: str  # the file it was read from
    record: int  # its position among the file's records
    digest: str  # of its text (`reader.text_hash`): duplicates share it
    path: str
    date: str | None
    title: str
    source: str | None
    byline: str | None
    url: str | None
    body: str
    names: str  # searchable entity names, one a line
    speakers: str  # quote speakers, one a line
    extra: bytes
    sort_key: str


def sort_key(date: str | None, title: str, article_id: str) -> str:
    """A string that sorts like `model.date_sort_key`: dated first, by date, title, id.

    SQLite compares text as UTF-8 bytes, which orders like Python compares `str`; "\x01"
    ends the date so a shorter date sorts before a longer one with the same start.
    """
    return (f"0{date}\x01" if date else "1\x01") + title.casefold() + article_id


def article_row(article: Article, file: str, record: int, digest: str) -> ArticleRow:
    names: dict[str, None] = {}
    for entity in article.entities:
        if entity.label not in NUMERIC_LABELS:
            names.setdefault(entity.canonical, None)
            names.setdefault(entity.text, None)
    speakers = {q.speaker: None for q in article.quotes if q.speaker}
    extra = {
        "captions": list(article.captions),
        "removed": list(article.removed),
        # text is body[start:end]; not stored twice
        "entities": [[e.start, e.end, e.label, e.canonical] for e in article.entities],
        "quotes": [
            [q.start, q.end, q.kind, q.speaker, q.speaker_start, q.speaker_end, q.cue]
            for q in article.quotes
        ],
    }
    blob = zlib.compress(json.dumps(extra, separators=(",", ":")).encode("utf-8"), 6)
    date = article.date
    return ArticleRow(
        id=article.id,
        file=file,
        record=record,
        digest=digest,
        path=article.path,
        date=date,
        title=article.title,
        source=article.source,
        byline=article.byline,
        url=article.url,
        body=article.body,
        names="\n".join(names),
        speakers="\n".join(speakers),
        extra=blob,
        sort_key=sort_key(date, article.title, article.id),
    )


def article_from_row(row: Sequence[Any]) -> Article:
    """The article of a row of `ARTICLE_COLUMNS`; `DamagedCacheError` if it does not decode."""
    try:
        return _decode_article_row(row)
    except (zlib.error, ValueError, KeyError, TypeError, IndexError) as error:
        raise DamagedCacheError(f"article row {row[0]!r} is damaged: {error}") from error


def _decode_article_row(row: Sequence[Any]) -> Article:
    (article_id, path, date, title, source, byline, url, body, blob) = row
    extra = json.loads(zlib.decompress(blob))
    entities = tuple(
        Entity(start, end, body[start:end], label, canonical)
        for start, end, label, canonical in extra["entities"]
    )
    quotes = tuple(
        Quote(
            start,
            end,
            body[start:end],
            kind,
            speaker,
            speaker_start,
            speaker_end,
            cue,
        )
        for start, end, kind, speaker, speaker_start, speaker_end, cue in extra["quotes"]
    )
    return Article(
        id=article_id,
        path=path,
        date=date,
        title=title,
        source=source,
        byline=byline,
        body=body,
        captions=tuple(extra["captions"]),
        removed=tuple(extra["removed"]),
        entities=entities,
        quotes=quotes,
        url=url,
    )
