"""Where the app gets its articles: the `CorpusSource` protocol and an in-memory source.

The sidebar only ever needs `ArticleSummary` rows; a body is fetched when an article is
opened. `MemoryCorpus` holds analysed articles in memory (small corpora, tests); the SQLite
index (`corpus/index.py`) implements the same protocol for large ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from corpus.model import Article, ArticleSummary, SearchHit, date_sort_key

_WORD = re.compile(r"\w+", re.UNICODE)


class CorpusSource(Protocol):
    """Read access to an analysed corpus."""

    def summaries(self) -> Sequence[ArticleSummary]:
        """Every article, in date order (undated last)."""
        ...

    def article(self, article_id: str) -> Article:
        """The full analysed article (KeyError if unknown)."""
        ...

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Articles matching `query`, best first."""
        ...


def make_snippet(text: str, terms: Sequence[str], width: int = 160) -> SearchHit | None:
    """A window of `text` around the first of `terms`, with every term occurrence marked."""
    folded = text.casefold()
    first = min((i for t in terms if (i := folded.find(t)) >= 0), default=-1)
    if first < 0:
        return None
    start = max(0, first - width // 3)
    snippet = text[start : start + width].replace("\n", " ")
    low = snippet.casefold()
    marks: list[tuple[int, int]] = []
    for term in terms:
        for m in re.finditer(re.escape(term), low):
            marks.append((m.start(), m.end()))
    return SearchHit("", 0.0, snippet, tuple(sorted(marks)))


class MemoryCorpus:
    """A `CorpusSource` over articles held in memory; search is a plain all-words match."""

    def __init__(self, articles: Iterable[Article] = ()) -> None:
        self._articles: dict[str, Article] = {}
        self._order: list[ArticleSummary] = []
        self.extend(articles)

    def extend(self, articles: Iterable[Article]) -> None:
        """Add articles (e.g. as a loading worker delivers them) and keep date order."""
        for article in articles:
            self._articles[article.id] = article
        ordered = sorted(self._articles.values(), key=date_sort_key)
        self._order = [ArticleSummary.of(a) for a in ordered]

    def __len__(self) -> int:
        return len(self._articles)

    def summaries(self) -> Sequence[ArticleSummary]:
        return self._order

    def article(self, article_id: str) -> Article:
        return self._articles[article_id]

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        terms = [w.casefold() for w in _WORD.findall(query)]
        if not terms:
            return []
        hits: list[SearchHit] = []
        for summary in self._order:
            article = self._articles[summary.id]
            haystack = f"{article.title}\n{article.body}"
            folded = haystack.casefold()
            if all(t in folded for t in terms):
                found = make_snippet(haystack, terms)
                if found is not None:
                    rank = -sum(folded.count(t) for t in terms)
                    hits.append(SearchHit(article.id, rank, found.snippet, found.highlights))
        hits.sort(key=lambda h: h.rank)
        return hits[:limit]
