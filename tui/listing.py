"""What the sidebar lists: the corpus as the reader sees it, through their filters and search.

Pure functions of the summaries, the annotations, the stacked filters and the search (no
Textual, no widgets): the reader screen calls `list_articles` whenever one of them changes
and draws what it returns (`group_by_day` turns `Listing.listed` into day rows, in the order
the reader chose). The date-range grammar of the `date:` filter lives here too, with the
words a search highlights and the counts the status bar shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from corpus.model import ArticleSummary, SearchHit
from store.model import ArticleAnnotations

SOURCE_SAMPLE = 5000
"""The rows looked at to tell whether the corpus mixes sources (it does or not early on)."""


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """One stacked filter; `ids` is set for filters computed from article bodies."""

    kind: str
    value: str
    ids: frozenset[str] | None = None

    @property
    def label(self) -> str:
        if self.kind in ("starred", "unread"):
            return self.kind
        return f"{self.kind}:{self.value}"


@dataclass(slots=True)
class SearchState:
    """The search whose results replace the sidebar."""

    query: str
    terms: tuple[str, ...]
    hits: list[SearchHit]


@dataclass(frozen=True, slots=True)
class Listing:
    """What the sidebar shows: the articles that pass the filters, or the search's hits.

    `listed` keeps the order the summaries came in; `hits` (a search's results among them, in
    rank order, each with its summary) is None when there is no search.
    """

    listed: list[ArticleSummary]
    hits: list[tuple[SearchHit, ArticleSummary]] | None
    show_source: bool
    empty_message: str


def parse_date_range(value: str) -> tuple[str, str] | None:
    """ "2025-02-01..2025-02-28", "2025-02" (a month), "2025" or one day -> (first, last)."""
    value = value.strip()
    if ".." in value:
        lo, hi = (part.strip() for part in value.split("..", 1))
    else:
        lo = hi = value
    lo_day, hi_day = _expand(lo, first=True), _expand(hi, first=False)
    if lo_day is None or hi_day is None or lo_day > hi_day:
        return None
    return lo_day, hi_day


def _expand(part: str, *, first: bool) -> str | None:
    if not part:
        return "0000-00-00" if first else "9999-99-99"
    try:
        if len(part) == 4:
            year = int(part)
            return f"{year:04d}-01-01" if first else f"{year:04d}-12-31"
        if len(part) == 7:
            day = dt.date.fromisoformat(part + "-01")
            if first:
                return day.isoformat()
            nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        return dt.date.fromisoformat(part).isoformat()
    except ValueError:
        return None


def search_terms(query: str) -> tuple[str, ...]:
    """The words of a search query that are highlighted in the article and stepped with `n`:
    its plain words, casefolded, without `field:value` filters and the operators."""
    return tuple(
        w.casefold()
        for w in re.findall(r"\w+", re.sub(r"\b\w+:\S+", " ", query))
        if w not in ("AND", "OR", "NOT", "NEAR")
    )


def with_user_dates(
    summaries: Sequence[ArticleSummary], annotations: Mapping[str, ArticleAnnotations]
) -> list[ArticleSummary]:
    """The summaries with the dates the reader set (`D`) in place of the stated ones."""
    user_dates = {k: a.user_date for k, a in annotations.items() if a.user_date}
    if not user_dates:
        return list(summaries)
    return [s._replace(date=user_dates[s.id]) if s.id in user_dates else s for s in summaries]


def passes(
    summary: ArticleSummary,
    annotations: ArticleAnnotations | None,
    filters: Sequence[ActiveFilter],
) -> bool:
    """Whether an article passes every one of the stacked filters."""
    tags = annotations.tags if annotations is not None else ()
    starred = annotations is not None and bool(annotations.starred)
    read = annotations is not None and bool(annotations.read)
    for active in filters:
        if active.kind == "tag" and active.value.casefold() not in {t.casefold() for t in tags}:
            return False
        if active.kind == "starred" and not starred:
            return False
        if active.kind == "unread" and read:
            return False
        if active.kind == "source" and (summary.source or "").casefold() != active.value.casefold():
            return False
        if active.kind == "date":
            bounds = parse_date_range(active.value)
            if (
                bounds is None
                or not summary.date
                or not (bounds[0] <= summary.date[:10] <= bounds[1])
            ):
                return False
        if active.ids is not None and summary.id not in active.ids:
            return False
    return True


def list_articles(
    summaries: list[ArticleSummary],
    annotations: Mapping[str, ArticleAnnotations],
    filters: Sequence[ActiveFilter],
    search: SearchState | None,
) -> Listing:
    """What the sidebar lists for these summaries (the reader's dates applied), annotations,
    filters and search."""
    if filters:
        listed = [s for s in summaries if passes(s, annotations.get(s.id), filters)]
    else:
        listed = summaries
    sources = {s.source for s in summaries[:SOURCE_SAMPLE]}
    # (undated articles are grouped by source: their rows need not repeat it)
    show_source = len(sources) > 1 and any(s.date for s in summaries[:SOURCE_SAMPLE])
    if search is None:
        empty = "No articles" if not filters else "No articles match"
        return Listing(listed, None, show_source, empty)
    by_id = {s.id: s for s in listed}
    hits = [(hit, by_id[hit.article_id]) for hit in search.hits if hit.article_id in by_id]
    return Listing(listed, hits, True, "No matches")  # (the date of each hit as its source)


def following(
    ids: Sequence[str], current: str | None, step: int, skip: Callable[[str], bool]
) -> list[str]:
    """The ids after `current` (before it, for a negative `step`), nearest first, without
    the ones `skip` rejects; from the start (none, backwards) when `current` is not listed."""
    start = ids.index(current) if current in ids else -1
    order = list(ids[start + 1 :]) if step > 0 else list(reversed(ids[: max(0, start)]))
    return [i for i in order if not skip(i)]


@dataclass(frozen=True, slots=True)
class MarkCounts:
    """The status bar's counts of annotated articles."""

    tagged: int
    starred: int
    read: int


def mark_counts(
    annotations: Mapping[str, ArticleAnnotations], known: set[str] | None
) -> MarkCounts:
    """How many articles are tagged, starred and read, counting only the `known` ids (the
    store may hold annotations of articles of another corpus); all of them for None."""

    def counted(article_id: str) -> bool:
        return known is None or article_id in known

    return MarkCounts(
        tagged=sum(1 for k, a in annotations.items() if a.tags and counted(k)),
        starred=sum(1 for k, a in annotations.items() if a.starred and counted(k)),
        read=sum(1 for k, a in annotations.items() if a.read and counted(k)),
    )
