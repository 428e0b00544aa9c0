"""The corpus index: every article analysed once and kept in an SQLite cache.

One cache file per corpus (`corpus.userdirs.user_dir("cache")/<hash>.sqlite`, or a
path of the caller's choosing). It holds, per file, its size, mtime and record fingerprint,
and per article its metadata, cleaned body, entities and quotes, plus an FTS5 full-text
index over title, body, entity names, quote speakers, tags and notes. `CorpusIndex` is the
one door to it; `CorpusIndex.refresh` brings it up to date with the files, re-reading and
analysing only what changed, so the index always holds what `analyze_paths` would give for
the corpus as it is now.

The cache is disposable, but only our own: one written by another version (of the schema,
of newsreader, of the analysis code) is rebuilt, a damaged one moved aside and rebuilt, and
anything that is not provably a newsreader index is left untouched (`ForeignCacheError`). A
cache that cannot be written is searched as it is; a write that fails raises
`CacheWriteError` and leaves the cache as it was.

The modules, each one job:

- `cache`: where a corpus's cache lives, the version stamp, the digest of the analysis code
- `errors`: the exceptions, and telling damage and failed writes apart
- `ownership`: whether the file at the cache path is ours to rebuild
- `db`: the SQLite connections (one per thread), the one write transaction, `IN` in chunks
- `schema`: the tables, the check that a cache has them whole, the full-text index upkeep
- `opening`: create, rebuild, open read-only, set aside when damaged
- `codec`: an analysed article as an `articles` row and back
- `summaries`: the sidebar's rows and their snapshot
- `names`: corpus-level person names and aliases
- `query`, `snippets`, `search`: the query language, the snippet cutter, ranking and hits
- `annotations`: the user's tags and notes, copied in for search
- `manifest`, `stand_in`, `tables`: is the index current; does it stand in for an analysis;
  the index as plain rows
- `changes`, `workers`, `refresh`: the walk, the per-file work in other processes, the refresh
  (loaded only when a refresh runs)
- `corpus_index`: `CorpusIndex`, which joins them
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corpus.index.annotations import AnnotationLike
from corpus.index.cache import (
    ANALYSIS_VERSION,
    APPLICATION_ID,
    CODE_DIGEST_ENV,
    SCHEMA_VERSION,
    cache_version,
    code_digest,
    default_cache_path,
    ner_identity,
)
from corpus.index.corpus_index import CorpusIndex
from corpus.index.errors import (
    CacheWriteError,
    DamagedCacheError,
    ForeignCacheError,
    IndexCacheError,
    IndexNotCurrent,
    cache_damage,
)
from corpus.index.names import corpus_aliases
from corpus.index.ownership import cache_ownership
from corpus.index.query import ParsedQuery, parse_query
from corpus.index.snippets import highlight_stems, word_snippet
from corpus.index.summaries import SummaryList

if TYPE_CHECKING:
    from corpus.index.report import AnalysisStandIn, RefreshReport


def __getattr__(name: str) -> Any:
    """`AnalysisStandIn` and `RefreshReport`, imported when first asked for: they are
    dataclasses, and a search of a current index builds none (`corpus.rows` says why)."""
    if name in ("AnalysisStandIn", "RefreshReport"):
        from corpus.index import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_code_digest = code_digest
"""(The name benchmarks/bench_corpus.py imports; `code_digest` is the same function.)"""

__all__ = [
    "ANALYSIS_VERSION",
    "APPLICATION_ID",
    "CODE_DIGEST_ENV",
    "SCHEMA_VERSION",
    "AnalysisStandIn",
    "AnnotationLike",
    "CacheWriteError",
    "CorpusIndex",
    "DamagedCacheError",
    "ForeignCacheError",
    "IndexCacheError",
    "IndexNotCurrent",
    "ParsedQuery",
    "RefreshReport",
    "SummaryList",
    "cache_damage",
    "cache_ownership",
    "cache_version",
    "code_digest",
    "corpus_aliases",
    "default_cache_path",
    "highlight_stems",
    "ner_identity",
    "parse_query",
    "word_snippet",
]
