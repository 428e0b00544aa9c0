"""Story threads: which articles tell the same story.

Grouping works on MinHash signatures of each article's set of content words
(`corpus.article_signatures`), so it scales to 100,000 articles.

- `ThreadIndex` files signatures into locality-sensitive hashing (LSH) buckets and links
  two articles when
    * their estimated word-set Jaccard similarity is at least `near_threshold` (0.4): the
      same report, or an update of it, whatever the dates; or
    * both are dated, at most `story_window_days` (7) apart, and their similarity is at
      least `story_threshold` (0.15): a rewrite of the story that week. Undated articles
      need the near-duplicate evidence, since nothing places them in time.
  Threads are the connected groups of linked articles (two or more); in a thread each
  article is joined to at most its 3 closest same-week rewrites, so a busy week does not
  chain unrelated stories. `related(id)` lists every linked article with its similarity.
  Measured: benchmarks/RESULTS.md (issue 8).

What one version adds to another is `corpus.article_diff.diff_bodies`, re-exported here.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from corpus.article_diff import ArticleDiff, ParagraphChange, diff_bodies
from corpus.article_signatures import (
    NUM_BINS,
    article_signature,
    is_empty_signature,
    pack_signature,
    packed_similarity,
    unpack_signature,
)
from corpus.model import Article


@dataclass(frozen=True, slots=True)
class StoryThread:
    """Articles telling one story, in date order (undated last).

    `id` is the id of its earliest article, so it stays put as later versions arrive.
    """

    id: str
    article_ids: tuple[str, ...]
    first_date: str | None
    last_date: str | None

    def __len__(self) -> int:
        return len(self.article_ids)


class _UnionFind:
    __slots__ = ("parent",)

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


def _day_number(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


class ThreadIndex:
    """MinHash signatures of articles filed in LSH buckets; threads and related articles.

    Near-duplicates: 32 bands of 4 rows over the 128-int signature make two articles
    candidates when they share a band (detection probability 0.56 at similarity 0.4, 0.87
    at 0.5, 0.99 at 0.6). Same-week rewrites: when at most `EXACT_WINDOW` dated articles
    fall within `story_window_days` of an article, it is compared with every one of them
    (exact); in a denser stretch of days, candidates are the articles within the window
    that share at least two of 64 two-row bands with it (detection probability 0.42 at
    similarity 0.15, 0.73 at 0.2, 0.93 at 0.3), which keeps 100,000 articles tractable.
    `find_threads` joins each article to at most `STORY_LINKS_PER_ARTICLE` of its most
    similar same-week rewrites (near-duplicates are always joined); `related` lists them all.
    """

    NEAR_BANDS = (32, 4)
    STORY_BANDS = (64, 2)
    STORY_MIN_SHARED_BANDS = 2
    STORY_LINKS_PER_ARTICLE = 3
    EXACT_WINDOW = 100

    def __init__(
        self,
        *,
        near_threshold: float = 0.4,
        story_threshold: float = 0.15,
        story_window_days: int = 7,
    ) -> None:
        self.near_threshold = near_threshold
        self.story_threshold = story_threshold
        self.story_window_days = story_window_days
        self._ids: list[str] = []
        self._position: dict[str, int] = {}
        self._signatures: list[int] = []  # packed: ~540 bytes each, not ~4.6 kB as a tuple
        self._days: list[int | None] = []
        self._dates: list[str | None] = []
        self._near: dict[int, list[int]] = {}
        self._story: dict[int, list[int]] = {}
        self._dated: list[int] = []  # dated articles with words, in day order once prepared
        self._dated_days: list[int] = []
        self._day_keys: list[int] = []  # day number, 0 when undated: a sort key for buckets
        self._empty: set[int] = set()  # articles without content words
        self._prepared = True

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._position

    def add(self, article_id: str, text: str, date: str | None = None) -> tuple[int, ...]:
        """Sign `text` and file it; returns the signature (for an index to store)."""
        signature = article_signature(text)
        self.add_signature(article_id, signature, date)
        return signature

    def add_article(self, article: Article) -> tuple[int, ...]:
        return self.add(article.id, f"{article.title}\n{article.body}", article.date)

    def add_signature(self, article_id: str, signature: Sequence[int], date: str | None) -> None:
        """File a stored signature (from `article_signature`). Re-adding an id is an error."""
        if article_id in self._position:
            raise ValueError(f"article {article_id!r} is already in the thread index")
        if len(signature) != NUM_BINS:
            raise ValueError(f"a signature has {NUM_BINS} ints, got {len(signature)}")
        position = len(self._ids)
        self._ids.append(article_id)
        self._position[article_id] = position
        packed = pack_signature(signature)
        self._signatures.append(packed)
        day = _day_number(date)
        self._days.append(day)
        self._day_keys.append(day or 0)
        self._dates.append(date if day is not None else None)
        if is_empty_signature(signature):
            self._empty.add(position)
            return  # no words: never related to anything
        for key in self._band_keys(packed, self.NEAR_BANDS):
            self._near.setdefault(key, []).append(position)
        if day is not None:
            for key in self._band_keys(packed, self.STORY_BANDS):
                self._story.setdefault(key, []).append(position)
            self._dated.append(position)
            self._prepared = False

    @staticmethod
    def _band_keys(packed: int, layout: tuple[int, int]) -> list[int]:
        """One int per band: the band's bins (a bit field of the packed signature) with the
        band number above them, so equal values in different bands never collide. An int
        key takes ~40 bytes where a tuple of the same ints took ~100."""
        bands, rows = layout
        width = 32 * rows
        mask = (1 << width) - 1
        return [((packed >> (width * band)) & mask) | (band << width) for band in range(bands)]

    def signature(self, article_id: str) -> tuple[int, ...]:
        return unpack_signature(self._signatures[self._position[article_id]])

    def similarity(self, a: str, b: str) -> float:
        """Estimated similarity of two indexed articles (0..1)."""
        return packed_similarity(
            self._signatures[self._position[a]], self._signatures[self._position[b]]
        )

    def _linked(self, a: int, b: int, similarity: float) -> bool:
        if similarity >= self.near_threshold:
            return True
        day_a, day_b = self._days[a], self._days[b]
        if day_a is None or day_b is None:
            return False
        return similarity >= self.story_threshold and abs(day_a - day_b) <= self.story_window_days

    def _prepare(self) -> None:
        """Put the dated articles and every story bucket in day order (after adds)."""
        if self._prepared:
            return
        day_of = self._day_keys.__getitem__
        for members in self._story.values():
            if len(members) > 1:
                members.sort(key=day_of)
        self._dated.sort(key=day_of)
        self._dated_days = [day_of(p) for p in self._dated]
        self._prepared = True

    def _near_candidates(self, position: int) -> set[int]:
        found: set[int] = set()
        for key in self._band_keys(self._signatures[position], self.NEAR_BANDS):
            found.update(self._near.get(key, ()))
        found.discard(position)
        return found

    def _story_candidates(self, position: int) -> list[int]:
        """Dated articles within the window worth comparing with `position` (see class)."""
        day = self._days[position]
        if day is None or position in self._empty:
            return []
        self._prepare()
        first, last = day - self.story_window_days, day + self.story_window_days
        lo = bisect.bisect_left(self._dated_days, first)
        hi = bisect.bisect_right(self._dated_days, last)
        if hi - lo <= self.EXACT_WINDOW:
            return [p for p in self._dated[lo:hi] if p != position]
        day_of = self._day_keys.__getitem__
        shared: list[int] = []
        for key in self._band_keys(self._signatures[position], self.STORY_BANDS):
            members = self._story.get(key)
            if members is None or len(members) < 2:
                continue
            if len(members) <= 16:  # cheaper to take all and filter the few survivors below
                shared.extend(members)
                continue
            start = bisect.bisect_left(members, first, key=day_of)
            end = bisect.bisect_right(members, last, key=day_of)
            shared.extend(members[start:end])
        return [
            p
            for p, bands in Counter(shared).items()
            if bands >= self.STORY_MIN_SHARED_BANDS and p != position and first <= day_of(p) <= last
        ]

    def related(self, article_id: str, limit: int = 20) -> list[tuple[str, float]]:
        """Articles linked to `article_id` (see the module docstring), most similar first."""
        position = self._position[article_id]
        signature = self._signatures[position]
        scored: list[tuple[str, float]] = []
        candidates = self._near_candidates(position).union(self._story_candidates(position))
        for other in candidates:
            similarity = packed_similarity(signature, self._signatures[other])
            if self._linked(position, other, similarity):
                scored.append((self._ids[other], round(similarity, 4)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]

    def find_threads(self) -> list[StoryThread]:
        """Every group of two or more linked articles, earliest thread first."""
        self._prepare()
        groups = _UnionFind(len(self._ids))
        signatures = self._signatures
        compared: set[int] = set()  # a pair shares many near buckets: compare it once
        size = len(self._ids)
        for members in self._near.values():
            if len(members) < 2:
                continue
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pair = a * size + b  # members are in insertion order: a < b
                    if pair in compared:
                        continue
                    compared.add(pair)
                    if groups.find(a) != groups.find(b):
                        similarity = packed_similarity(signatures[a], signatures[b])
                        if similarity >= self.near_threshold:
                            groups.union(a, b)
        del compared
        threshold, window, days = self.story_threshold, self.story_window_days, self._day_keys
        for a in self._dated:
            # Each article joins only its closest same-week rewrites: in a busy week, many
            # loosely similar articles would otherwise chain unrelated stories together.
            scored = []
            for b in self._story_candidates(a):
                if abs(days[a] - days[b]) <= window:
                    similarity = packed_similarity(signatures[a], signatures[b])
                    if similarity >= threshold:
                        scored.append((similarity, b))
            scored.sort(reverse=True)
            for _, b in scored[: self.STORY_LINKS_PER_ARTICLE]:
                groups.union(a, b)
        by_root: dict[int, list[int]] = {}
        for position in range(len(self._ids)):
            by_root.setdefault(groups.find(position), []).append(position)
        threads = [self._thread(members) for members in by_root.values() if len(members) > 1]
        threads.sort(key=lambda t: (t.first_date is None, t.first_date or "", t.id))
        return threads

    def _thread(self, members: list[int]) -> StoryThread:
        ordered = sorted(
            members,
            key=lambda p: (self._dates[p] is None, self._dates[p] or "", self._ids[p]),
        )
        dates = [d for p in ordered if (d := self._dates[p])]
        ids = tuple(self._ids[p] for p in ordered)
        return StoryThread(
            id=ids[0],
            article_ids=ids,
            first_date=min(dates) if dates else None,
            last_date=max(dates) if dates else None,
        )


ThreadInput = Article | tuple[str, str] | tuple[str, str, str | None]


def build_thread_index(items: Iterable[ThreadInput], **options: float) -> ThreadIndex:
    """A `ThreadIndex` over Articles, (id, text) or (id, text, ISO date) tuples."""
    index = ThreadIndex(**options)  # type: ignore[arg-type]
    for item in items:
        if isinstance(item, Article):
            index.add_article(item)
        elif len(item) == 3:
            index.add(item[0], item[1], item[2])  # type: ignore[misc]
        else:
            index.add(item[0], item[1])
    return index


def find_threads(items: Iterable[ThreadInput], **options: float) -> list[StoryThread]:
    """Story threads among Articles, (id, text) or (id, text, ISO date) tuples."""
    return build_thread_index(items, **options).find_threads()


def thread_membership(threads: Iterable[StoryThread]) -> dict[str, StoryThread]:
    """{article id: its thread} for the sidebar's thread marker (articles in no thread are
    absent)."""
    return {article_id: thread for thread in threads for article_id in thread.article_ids}


__all__ = [
    "ArticleDiff",
    "ParagraphChange",
    "StoryThread",
    "ThreadIndex",
    "ThreadInput",
    "build_thread_index",
    "diff_bodies",
    "find_threads",
    "thread_membership",
]
