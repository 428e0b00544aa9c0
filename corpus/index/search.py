"""Searching the index: a parsed query ranked by FTS5 (bm25), then its hits with snippets.

`rank` does all the work that can fail on the index's structure (damage to the full-text
index, a busy cache) in one query; `hits` reads the hits' texts a few rows at a time, so a
caller prints the first result before the last snippet is cut. `entity:` and `speaker:`
filters match the name given and every document-level name the corpus resolves to it.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from typing import Any, NamedTuple

from corpus.index.db import IndexDB, execute_in, marks
from corpus.index.errors import cache_damage
from corpus.index.names import CorpusNames
from corpus.index.query import ParsedQuery, fts_string, parse_query, plain_match
from corpus.index.snippets import (
    SNIPPET_CLOSE,
    SNIPPET_OPEN,
    highlight_stems,
    snippet_offsets,
    word_snippet,
)
from corpus.rows import SearchHit

_HIT_ROWS = (4, 16, 64, 256, 500)
"""Rows read per batch of hits: the first few at once (the first lines print at once)."""


class Ranking(NamedTuple):
    """What `rank` found: the query, the FTS5 expression it ran, (rid, rank) best first."""

    parsed: ParsedQuery
    match: str
    ranked: list[tuple[int, float]]


def _column_filter(names: CorpusNames, column: str, name: str) -> str:
    """An FTS5 filter: `column` contains `name` or one of its document-level aliases."""
    alternatives = names.names_for(name)
    strings = [s for a in alternatives if (s := fts_string(a)) is not None]
    if not strings:
        return ""
    return f"{column} : ({' OR '.join(strings)})"


def rank(db: IndexDB, names: CorpusNames, query: str, limit: int) -> Ranking | None:
    """The articles matching `query` (`parse_query`), best first; None when there are none."""
    parsed = parse_query(query)
    match = parsed.match
    column_filters = [_column_filter(names, "names", name) for name in parsed.entities]
    column_filters += [_column_filter(names, "speakers", name) for name in parsed.speakers]
    if not all(column_filters):
        return None  # a filter without a single word matches nothing
    full_match = " AND ".join([f"({match})"] * bool(match) + column_filters)
    where: list[str] = []
    params: list[Any] = []
    for tag in parsed.tags:
        where.append("a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)")
        params.append(tag)
    for source in parsed.sources:
        where.append("a.source LIKE ?")
        params.append(f"%{source}%")
    for low, high in parsed.dates:
        if low:
            where.append("a.date >= ?")
            params.append(low)
        if high:
            where.append("substr(a.date, 1, ?) <= ?")
            params.extend((len(high), high))
    for expression in parsed.exclude:
        where.append("a.rid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(expression)
    if not full_match and not where:
        return None
    conn = db.conn()
    try:
        ranked = _run_rank(conn, full_match, where, params, limit)
    except sqlite3.OperationalError as error:
        if cache_damage(error) is not None:  # a missing table is no syntax error
            raise
        # an FTS5 syntax error (stray operator, odd parentheses): all words instead
        plain = plain_match(parsed)
        full_match = " AND ".join([f"({plain})"] * bool(plain) + column_filters)
        excluded = [w for w in where if "fts MATCH" not in w]
        kept = params[: len(params) - len(parsed.exclude)]
        if not full_match and not excluded:
            return None
        ranked = _run_rank(conn, full_match, excluded, kept, limit)
    return Ranking(parsed, full_match, ranked) if ranked else None


def _run_rank(
    conn: sqlite3.Connection, match: str, where: list[str], params: list[Any], limit: int
) -> list[tuple[int, float]]:
    conditions = " AND ".join(where)
    if match and conditions:
        return conn.execute(
            "SELECT fts.rowid, fts.rank FROM fts JOIN articles a ON a.rid = fts.rowid "
            f"WHERE fts MATCH ? AND {conditions} ORDER BY fts.rank LIMIT ?",
            [match, *params, limit],
        ).fetchall()
    if match:  # without a join: FTS5 ranks on its own several times faster
        return conn.execute(
            "SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?",
            [match, limit],
        ).fetchall()
    return conn.execute(
        f"SELECT a.rid, 0.0 FROM articles a WHERE {conditions} ORDER BY a.sort_key LIMIT ?",
        [*params, limit],
    ).fetchall()


def ranked_ids(db: IndexDB, ranking: Ranking) -> list[str]:
    """The article ids of `ranking`, in its order."""
    ranked = ranking.ranked
    ids: dict[int, str] = dict(
        execute_in(
            db.conn(),
            "SELECT rid, id FROM articles WHERE rid IN ({marks})",
            [rid for rid, _ in ranked],
        )
    )
    return [ids[rid] for rid, _ in ranked if rid in ids]


def hits(db: IndexDB, ranking: Ranking) -> Iterator[SearchHit]:
    """The hits of `ranking`, in order, with snippets, read a batch of rows at a time."""
    parsed, match, ranked = ranking
    conn = db.conn()
    # Snippets are cut in Python around the query's words (microseconds an article);
    # FTS5's snippet() re-tokenises whole articles, which costs ~0.5 ms each.
    stems = highlight_stems(parsed.highlight)
    done = 0
    for size in itertools.chain(_HIT_ROWS, itertools.repeat(_HIT_ROWS[-1])):
        batch = ranked[done : done + size]
        if not batch:
            return
        done += len(batch)
        try:
            texts: dict[int, tuple[str, str, str]] = {
                rid: (article_id, title, body)
                for rid, article_id, title, body in conn.execute(
                    f"SELECT rid, id, title, body FROM articles WHERE rid IN ({marks(len(batch))})",
                    [rid for rid, _ in batch],
                )
            }
        except sqlite3.DatabaseError as error:  # (long after the ranking: noted, said)
            raise db.noted_damage(error) from error
        found_hits: list[SearchHit] = []
        unmarked: list[int] = []
        for rid, rank_value in batch:
            if rid not in texts:
                continue  # removed between the two queries
            article_id, title, body = texts[rid]
            found = None
            if stems:
                found = word_snippet(body, stems) or word_snippet(title, stems)
            if found is None:
                if match:
                    unmarked.append(len(found_hits))
                found = (body[:160].replace("\n", " "), ())
            found_hits.append(SearchHit(article_id, float(rank_value), found[0], found[1]))
        if unmarked:
            rids_by_id = {texts[rid][0]: rid for rid, _ in batch if rid in texts}
            _fts_snippets(conn, found_hits, unmarked, rids_by_id, match)
        yield from found_hits


def _fts_snippets(
    conn: sqlite3.Connection,
    hits: list[SearchHit],
    positions: list[int],
    rids_by_id: dict[str, int],
    match: str,
) -> None:
    """Replace the snippets of `hits[positions]` by FTS5's (matches the words stemmed)."""
    wanted = {rids_by_id[hits[p].article_id]: p for p in positions}
    for rid, marked in conn.execute(
        f"SELECT rowid, snippet(fts, -1, ?, ?, '…', 24) FROM fts "
        f"WHERE fts MATCH ? AND rowid IN ({marks(len(wanted))})",
        [SNIPPET_OPEN, SNIPPET_CLOSE, match, *wanted],
    ):
        snippet, highlights = snippet_offsets(marked or "")
        position = wanted[rid]
        hits[position] = hits[position]._replace(snippet=snippet, highlights=highlights)
