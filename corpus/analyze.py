"""The analysis pipeline: read -> clean -> entities -> quotes -> corpus-wide names.

`analyze_document` is pure and takes only picklable arguments, so the corpus index can run
it in worker processes. `analyze_paths` does a whole corpus in one call; `iter_analyze`
yields articles one by one as they are ready (the app shows the first ones while the rest
are still being analysed), then the articles whose canonical names changed once the whole
corpus was seen. Both compute the corpus-level boilerplate signal
(`corpus.clean.recurring_lines`) from all documents first, since it needs the whole corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from corpus import entities as entity_finder
from corpus import quotes as quote_finder
from corpus.clean import clean_document, recurring_lines
from corpus.model import Article, CorpusResult, Document, Entity, Quote, Skipped, date_sort_key
from corpus.reader import ReadResult, read_paths

NO_NER = "none"
"""The `ner` value that skips entity and quote finding."""


def analyze_document(
    doc: Document, recurring: frozenset[str] = frozenset(), ner: str = "builtin"
) -> Article:
    """Clean one document and find its entities and quotes.

    `ner` names the entity recogniser ("builtin" or "spacy"), passed on to
    `corpus.entities.find_entities` as its `backend`. `ner="none"` only cleans: no
    entities and no quotes (what `newsreader list` and `show` need, much faster).
    """
    cleaned = clean_document(doc, recurring)
    body = cleaned.body
    found_entities: list[Entity] = []
    found_quotes: list[Quote] = []
    if ner != NO_NER:
        found_entities = entity_finder.find_entities(body, backend=ner)
        found_quotes = quote_finder.find_quotes(body, found_entities)
    return Article(
        id=doc.id,
        path=doc.path,
        date=cleaned.date,
        title=cleaned.title or "Untitled",
        source=cleaned.source,
        byline=cleaned.byline,
        body=body,
        captions=cleaned.captions,
        removed=cleaned.removed,
        entities=tuple(found_entities),
        quotes=tuple(found_quotes),
        url=doc.url,
    )


def iter_analyze(
    paths: Sequence[Path],
    *,
    ner: str = "builtin",
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Article]:
    """Analysed articles under `paths`, one at a time, in reading order; then the renamed ones.

    Skipped files and dropped duplicates are reported through `on_skip` (a duplicate as
    `Skipped(path, "duplicate of <kept path>")`).

    Corpus-wide canonical names (`entities.canonicalize_corpus`: "Mr Starmer" in one article
    is the "Keir Starmer" of another) need every article, so they come last: after the last
    article, each article whose names changed is yielded again, with the same id. The later
    version replaces the earlier one, as `MemoryCorpus.extend` does (one article per id), so
    a reader shows articles as they arrive and gets the final names as a last batch. A
    caller that wants one article per id keeps the last: ``{a.id: a for a in ...}``. The
    pass is cheap (one look at each entity: well under 1% of the analysis time).
    """
    read = read_paths(paths)
    if on_skip is not None:
        for skipped in read.skipped:
            on_skip(skipped)
        for dropped, kept in read.duplicates:
            on_skip(Skipped(dropped, f"duplicate of {kept}"))
    recurring = recurring_lines(read.documents)
    analysed: list[Article] = []
    for document in read.documents:
        article = analyze_document(document, recurring, ner)
        analysed.append(article)
        yield article
    if ner == NO_NER:
        return
    for first, final in zip(analysed, entity_finder.canonicalize_corpus(analysed), strict=True):
        if final is not first and final != first:
            yield final


def analyze_paths(
    paths: Sequence[Path],
    *,
    ner: str = "builtin",
    on_progress: Callable[[int, int], None] | None = None,
) -> CorpusResult:
    """Read and analyse every article under `paths`, in date order (undated last).

    `on_progress(done, total)` is called after each article is analysed.
    """
    return analyze_read(read_paths(paths), ner=ner, on_progress=on_progress)


def analyze_read(
    read: ReadResult,
    *,
    ner: str = "builtin",
    on_progress: Callable[[int, int], None] | None = None,
) -> CorpusResult:
    """Analyse what was read (`read_paths`, or `read_stream` for stdin), in date order."""
    recurring = recurring_lines(read.documents)
    articles: list[Article] = []
    total = len(read.documents)
    for document in read.documents:
        articles.append(analyze_document(document, recurring, ner))
        if on_progress is not None:
            on_progress(len(articles), total)
    if ner != NO_NER:
        articles = list(entity_finder.canonicalize_corpus(articles))
    articles.sort(key=date_sort_key)
    return CorpusResult(articles=articles, skipped=read.skipped, duplicates=read.duplicates)
