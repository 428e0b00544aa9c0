"""What the index reports beside its articles: the counts of a refresh (`RefreshReport`), and
what an analysis of the corpus it stands in for would report (`AnalysisStandIn`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.model import Skipped


@dataclass(slots=True)
class RefreshReport:
    """What one refresh did. Counts are files, except `articles` (articles analysed)."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    reanalysed: int = 0  # unchanged files analysed again for a boilerplate change
    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (dropped, kept)
    seconds: float = 0.0
    cancelled: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class AnalysisStandIn:
    """What `read_paths` reports beside the articles, for an index that stands in for an
    analysis of the corpus (`CorpusIndex.stand_in`)."""

    skipped: tuple[Skipped, ...]  # in walk order
    duplicates: tuple[tuple[str, str], ...]  # (dropped, kept), in the order of the dropped
