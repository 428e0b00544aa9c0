"""The corpus as the reader annotated it: one service every view and command reads through.

`Library` joins a `CorpusSource` (the corpus index, or articles analysed into memory) with the
annotation records, and gives what a view or a command shows:

- `summaries()`: the list rows, with the date the reader set (`D`) in place of the article's;
- `article(id)` / `articles(ids)`: the article as the reader corrected it (`reader_view`): their
  entity and speaker corrections applied (`store.corrections`), and their date;
- `ids_mentioning(kind, value)`: the entity and speaker filters, on the corrected analysis;
- `people()`, `speakers()`: the corpus-wide aggregates behind the People and Who-said-what views
  and the `people`/`quotes` commands, from corrected articles.

So a span marked "not an entity" or a corrected speaker means the same in the reader, the
corpus views, the filters, the commands and the exports. The annotations are held as given
(a mapping the app keeps up to date as the reader annotates; `update` replaces one record).

No Textual here: the app calls these from worker threads, the commands directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from corpus.model import Article, ArticleSummary
from corpus.people import NAMED_LABELS, EntityStats, SpeakerStats
from corpus.source import CorpusSource
from store.corrections import is_entity_correction, is_speaker_correction, reader_view
from store.model import ArticleAnnotations

FilterKind = str
""""entity" (mentions a canonical name or surface form) or "speaker" (quotes that speaker)."""


def _never() -> bool:
    return False


def mentions(article: Article, kind: FilterKind, value: str) -> bool:
    """Whether `article` mentions entity `value` (kind "entity") or quotes speaker `value`."""
    wanted = value.casefold()
    if kind == "entity":
        return any(
            e.canonical.casefold() == wanted or e.text.casefold() == wanted
            for e in article.entities
        )
    return any(q.speaker is not None and q.speaker.casefold() == wanted for q in article.quotes)


class Library:
    """A corpus with the reader's annotations applied (see the module docstring)."""

    def __init__(
        self,
        source: CorpusSource,
        annotations: Mapping[str, ArticleAnnotations] | None = None,
    ) -> None:
        self.source = source
        self._annotations: dict[str, ArticleAnnotations] = dict(annotations or {})

    # -- annotations ---------------------------------------------------------------------------

    @property
    def annotations(self) -> Mapping[str, ArticleAnnotations]:
        return self._annotations

    def update(self, record: ArticleAnnotations) -> None:
        """Take a changed record (the store's answer to a write)."""
        self._annotations[record.article_id] = record

    def annotations_of(self, article_id: str) -> ArticleAnnotations | None:
        return self._annotations.get(article_id)

    def corrected_ids(self, kind: FilterKind) -> list[str]:
        """Articles whose analysis the reader changed for `kind` (entities or speakers)."""
        wanted = is_entity_correction if kind == "entity" else is_speaker_correction
        return [aid for aid, ann in self._annotations.items() if any(map(wanted, ann.spans))]

    # -- articles ------------------------------------------------------------------------------

    def summaries(self) -> list[ArticleSummary]:
        """Every article's row, with the reader's date where they set one."""
        rows = list(self.source.summaries())
        dated = {aid: a.user_date for aid, a in self._annotations.items() if a.user_date}
        if not dated:
            return rows
        rows = [s._replace(date=dated[s.id]) if s.id in dated else s for s in rows]
        # date order again, undated last, as `corpus.model.date_sort_key` orders articles
        rows.sort(key=lambda s: (0 if s.date else 1, s.date or "", s.title.casefold() + s.id))
        return rows

    def article(self, article_id: str) -> Article:
        """The article as the reader corrected it (KeyError if the corpus has no such id)."""
        return reader_view(self.source.article(article_id), self._annotations.get(article_id))

    def articles(
        self, ids: Iterable[str] | None = None, cancelled: Callable[[], bool] = _never
    ) -> Iterator[Article]:
        """The corrected articles of `ids` (default: all, in list order); unknown ids skipped."""
        wanted = (s.id for s in self.source.summaries()) if ids is None else ids
        for article_id in wanted:
            if cancelled():
                return
            try:
                yield self.article(article_id)
            except KeyError:
                continue

    # -- filters -------------------------------------------------------------------------------

    def ids_mentioning(
        self,
        kind: FilterKind,
        value: str,
        among: Sequence[str] | None = None,
        cancelled: Callable[[], bool] = _never,
    ) -> frozenset[str]:
        """Ids (of `among`, default all) of the articles that mention `value` as corrected.

        An index answers from its search (`entity:`/`speaker:`), and only the articles the
        reader corrected are read again; in memory every article is read.
        """
        ids = list(among) if among is not None else [s.id for s in self.source.summaries()]
        found = self._indexed_ids(kind, value)
        if found is None:
            return frozenset(
                a.id for a in self.articles(ids, cancelled) if mentions(a, kind, value)
            )
        scope = set(ids)
        found &= scope
        for article_id in self.corrected_ids(kind):
            if article_id not in scope:
                continue
            try:
                article = self.article(article_id)
            except KeyError:
                continue
            if mentions(article, kind, value):
                found.add(article_id)
            else:
                found.discard(article_id)
        return frozenset(found)

    def _indexed_ids(self, kind: FilterKind, value: str) -> set[str] | None:
        """The ids the source's own search gives for the filter, or None (no index search)."""
        search_ids = getattr(self.source, "search_ids", None)
        if search_ids is None:
            return None
        quoted = value.replace('"', " ")
        try:
            return set(search_ids(f'{kind}:"{quoted}"'))
        except Exception:  # a query the index cannot run: every article is read instead
            return None

    # -- corpus-wide views ---------------------------------------------------------------------

    def people(
        self,
        ids: Iterable[str] | None = None,
        labels: frozenset[str] | set[str] = NAMED_LABELS,
        cancelled: Callable[[], bool] = _never,
    ) -> list[EntityStats]:
        """People, organisations and places across the corrected articles."""
        from corpus.people import aggregate_entities

        return aggregate_entities(self.articles(ids, cancelled), labels)

    def speakers(
        self, ids: Iterable[str] | None = None, cancelled: Callable[[], bool] = _never
    ) -> list[SpeakerStats]:
        """Who said what across the corrected articles."""
        from corpus.people import aggregate_speakers

        return aggregate_speakers(self.articles(ids, cancelled))
