"""Corpus-level names: a one-word person name resolved against the full names of the corpus.

Articles are analysed one at a time, so a bare "Lopez" is canonical only within its own
article; `entities.canonicalize_corpus` resolves it against the whole corpus. The index
keeps what that needs: `person_names` (every person name, by the articles it is in) and
`aliases` (document-level name -> corpus-level name, from `corpus_aliases`, redone by a
refresh when a person name comes or goes). `CorpusNames` reads them for the index: the
aliases that widen `entity:` and `speaker:` filters, and an article's names resolved exactly
as they would be over the whole corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from corpus.index.db import IndexDB

if TYPE_CHECKING:
    from corpus.model import Article, Entity

# The model's dataclasses are imported where an article or entity is made: a search
# resolves names with this module and builds neither (`corpus.rows` says why that matters).


def stand_in_article(entities: Sequence[Entity]) -> Article:
    """An article of nothing but `entities`: names for `canonicalize_corpus` to resolve against."""
    from corpus.model import Article

    return Article(
        id="",
        path="",
        date=None,
        title="",
        source=None,
        byline=None,
        body="",
        entities=tuple(entities),
    )


def corpus_aliases(names: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """Document-level canonical -> corpus-level canonical, from (label, name, articles) rows.

    Only names that change are returned. Used to widen `entity:` and `speaker:` filters: a
    surname-only name resolves as `entities.canonicalize_corpus` resolves a plain mention
    of it. (Articles themselves get the exact per-mention resolution: `CorpusIndex.article`.)
    """
    from corpus.entities import canonicalize_corpus
    from corpus.model import Entity

    people: list[Entity] = []
    short: list[str] = []
    for label, name, _count in names:
        if label != "PERSON":
            continue
        if " " in name:
            people.append(Entity(0, 0, name, "PERSON", name))
        else:
            short.append(name)
    if not people or not short:
        return {}
    mentions = [Entity(0, 0, name, "PERSON", name) for name in short]
    resolved = canonicalize_corpus([stand_in_article(mentions), stand_in_article(people)])
    return {
        before.canonical: after.canonical
        for before, after in zip(mentions, resolved[0].entities, strict=True)
        if after.canonical != before.canonical
    }


class CorpusNames:
    """The corpus-level names of one index, read once per generation of the cache."""

    def __init__(self, db: IndexDB) -> None:
        self.db = db
        self._aliases: tuple[int, dict[str, str]] | None = None
        self._people: tuple[int, dict[str, list[str]]] | None = None

    def forget(self) -> None:
        """Drop what was read (the cache file was replaced: its generations start again)."""
        self._aliases = None
        self._people = None

    def aliases(self) -> dict[str, str]:
        """Document-level canonical name -> corpus-level canonical name (only differing ones)."""
        generation = self.db.generation()
        cached = self._aliases
        if cached is not None and cached[0] == generation:
            return cached[1]
        aliases = dict(self.db.conn().execute("SELECT name, canonical FROM aliases").fetchall())
        self._aliases = (generation, aliases)
        return aliases

    def names_for(self, name: str) -> list[str]:
        """`name` and every document-level name the corpus resolves to it."""
        folded = name.casefold()
        found = [name]
        for alias, canonical in self.aliases().items():
            if canonical.casefold() == folded and alias.casefold() != folded:
                found.append(alias)
        return found

    def people(self) -> dict[str, list[str]]:
        """Every full person name of the corpus, by its lower-cased first and last word."""
        generation = self.db.generation()
        cached = self._people
        if cached is not None and cached[0] == generation:
            return cached[1]
        people: dict[str, list[str]] = {}
        for (name,) in self.db.conn().execute(
            "SELECT name FROM person_names WHERE articles > 0 AND instr(name, ' ') > 0"
        ):
            parts = name.lower().split()
            people.setdefault(parts[0], []).append(name)
            if parts[-1] != parts[0]:
                people.setdefault(parts[-1], []).append(name)
        self._people = (generation, people)
        return people

    def with_corpus_names(self, article: Article) -> Article:
        """`article` with corpus-level canonical names and quote speakers.

        `entities.canonicalize_corpus` resolves a one-word person name against the full
        names of every article; given this article and a stand-in article holding the full
        names that share a first or last word with its one-word names, it resolves exactly
        as it would over the whole corpus.
        """
        from corpus.entities import canonicalize_corpus

        short = {
            e.canonical.lower()
            for e in article.entities
            if e.label == "PERSON" and " " not in e.canonical
        }
        if not short:
            return article
        people = self.people()
        names = sorted({name for key in short for name in people.get(key, ())})
        if not names:
            return article
        from corpus.model import Entity

        stand_in = stand_in_article([Entity(0, 0, n, "PERSON", n) for n in names])
        return canonicalize_corpus([article, stand_in])[0]
