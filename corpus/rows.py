"""The two light rows of the domain model: an article's summary and a search hit.

They are named tuples, not dataclasses like the rest of `corpus.model` (which re-exports
them), because they are all `newsreader search` builds: importing `dataclasses` (it
imports `inspect`, `ast`, `dis` ...) and building the model's dataclasses costs ~12 ms, a
fifth of a search from the shell, and a search of a current index needs neither. Change one
with `row._replace(field=value)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from corpus.model import Article


class ArticleSummary(NamedTuple):
    """What the sidebar needs of an article: enough to list it, without its body."""

    id: str
    date: str | None
    title: str
    source: str | None
    path: str

    @classmethod
    def of(cls, article: Article) -> ArticleSummary:
        return cls(article.id, article.date, article.title, article.source, article.path)


class SearchHit(NamedTuple):
    """One search result: the article, its rank (lower is better) and a snippet.

    `highlights` are (start, end) offsets of the matching words inside `snippet`.
    """

    article_id: str
    rank: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
