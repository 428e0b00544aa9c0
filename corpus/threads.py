"""Story threads: which articles tell the same story, and what one version adds to another.

Grouping works on MinHash signatures of each article's set of content words (lower-cased
words of three or more letters, minus a stop list), so it scales to 100,000 articles:

- `article_signature(text)` is a one-permutation MinHash (Li, Owen & Zhang 2012) with
  rotation densification (Shrivastava & Li 2014): one hash per word, 128 bins, the minimum
  per bin. It depends only on the text and fixed hash functions (zlib.crc32 and a
  multiplicative mix, never Python's randomised `hash()`), so it is the same on every run
  and an index can store it (`tuple[int, ...]`) and reuse it.
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

`diff_bodies(old, new)` aligns two bodies paragraph by paragraph (difflib), then sentence by
sentence inside changed paragraphs, and returns what the new version adds and drops, with
the character spans of its new sentences.
"""

from __future__ import annotations

import bisect
import difflib
import operator
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from corpus.model import Article

NUM_BINS = 128
_MASK64 = (1 << 64) - 1
_GOLDEN64 = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes 64-bit integers
_BIN_SHIFT = 64 - 7  # top 7 bits choose one of 128 bins
_EMPTY = 0xFFFFFFFF
_ROTATION_STEP = 0x3C6EF372  # added per bin of distance when an empty bin borrows a value

_WORD = re.compile(r"[^\W\d_]{3,}")

# Function words and newswire filler that say nothing about which story an article tells.
_STOP_WORDS = frozenset(
    """
    about above across after again against all almost along already also although always
    among and another any anyone anything are around because been before being below
    between both but can cannot could did does doing done down during each either else
    ever every few for from further had has have having her here hers herself him himself
    his how however into its itself just least less made make many may might more most
    much must near neither never not now off often once one only other others our ours
    out over own per perhaps put rather said same say says see seen several she should
    since some still such than that the their theirs them themselves then there these
    they this those though three through thus too two under until upon very was way well
    were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours told tell tells asked saying added adding according
    year years week weeks day days time times today yesterday tomorrow new last first
    mr mrs ms sir dr
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def content_words(text: str) -> set[str]:
    """The set MinHash is computed on: lower-cased words of 3+ letters, minus stop words."""
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS}


def article_signature(text: str, shingle_size: int = 1) -> tuple[int, ...]:
    """The MinHash signature of `text`: NUM_BINS unsigned 32-bit ints.

    `shingle_size` > 1 hashes runs of that many consecutive content words instead of single
    words (stricter: only near-verbatim copies stay similar). A text without content words
    gets all-`0xFFFFFFFF` (see `is_empty_signature`).
    """
    if shingle_size <= 1:
        features: Iterable[str] = content_words(text)
    else:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]
        features = {
            " ".join(words[i : i + shingle_size]) for i in range(len(words) - shingle_size + 1)
        }
    bins = [_EMPTY] * NUM_BINS
    crc32 = zlib.crc32
    for feature in features:
        mixed = (crc32(feature.encode()) * _GOLDEN64) & _MASK64
        slot = mixed >> _BIN_SHIFT
        value = (mixed >> 25) & 0xFFFFFFFE  # even: never equal to _EMPTY
        if value < bins[slot]:
            bins[slot] = value
    return _densify(bins)


def _densify(bins: list[int]) -> tuple[int, ...]:
    """Fill each empty bin from the nearest non-empty bin to its right (circularly)."""
    if all(v == _EMPTY for v in bins):
        return tuple(bins)
    filled = list(bins)
    size = len(bins)
    for slot in range(size):
        if bins[slot] != _EMPTY:
            continue
        distance = 1
        while bins[(slot + distance) % size] == _EMPTY:
            distance += 1
        borrowed = bins[(slot + distance) % size]
        filled[slot] = (borrowed + distance * _ROTATION_STEP) & 0xFFFFFFFE
    return tuple(filled)


def is_empty_signature(signature: Sequence[int]) -> bool:
    return all(v == _EMPTY for v in signature)


def signature_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two word sets: the share of equal bins."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(map(operator.eq, a, b)) / len(a)


# Packed signatures: all bins in one big int, 32 bits a bin, so comparing two signatures is
# a handful of C-level big-int operations instead of a Python loop over 128 pairs.
_LANE_LOW_BITS = sum(1 << (32 * i) for i in range(NUM_BINS))
assert array("I").itemsize == 4, "packing assumes 32-bit unsigned array items"


def pack_signature(signature: Sequence[int]) -> int:
    """The signature as one int, bin 0 in the lowest 32 bits (via bytes: C speed)."""
    return int.from_bytes(array("I", signature).tobytes(), "little")


def unpack_signature(packed: int) -> tuple[int, ...]:
    return tuple(array("I", packed.to_bytes(4 * NUM_BINS, "little")))


def packed_similarity(a: int, b: int) -> float:
    """`signature_similarity` of two packed signatures."""
    differ = a ^ b
    # Fold each 32-bit lane onto its lowest bit: bit 0 of a lane ends up set iff the lane is
    # non-zero (bits shifted in from the lane above only reach its higher bits).
    differ |= differ >> 16
    differ |= differ >> 8
    differ |= differ >> 4
    differ |= differ >> 2
    differ |= differ >> 1
    return (NUM_BINS - (differ & _LANE_LOW_BITS).bit_count()) / NUM_BINS


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


# --- what one version adds and drops ------------------------------------------------------

ParagraphKind = Literal["same", "changed", "added", "dropped", "moved"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `paragraph`, whitespace between them left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start()
        # keep closing quotes/brackets with the sentence they close
        end += len(match.group()) - len(match.group().lstrip("\"'”’)]"))
        if paragraph[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    """One paragraph of the alignment of an old and a new body.

    `kind`: "same" (in both), "changed" (edited: `old_text` -> `new_text`), "added" (only in
    the new body), "dropped" (only in the old), "moved" (in both, elsewhere). `new_spans` are
    (start, end) offsets into `new_text` of sentences the old body does not have anywhere;
    `dropped_sentences` are sentences of `old_text` the new body no longer has anywhere.
    """

    kind: ParagraphKind
    old_text: str | None
    new_text: str | None
    new_spans: tuple[tuple[int, int], ...] = ()
    dropped_sentences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleDiff:
    """How the new body differs from the old, paragraph by paragraph in reading order."""

    paragraphs: tuple[ParagraphChange, ...]

    def count(self, kind: ParagraphKind) -> int:
        return sum(1 for p in self.paragraphs if p.kind == kind)

    @property
    def new_sentence_count(self) -> int:
        return sum(len(p.new_spans) for p in self.paragraphs)

    @property
    def dropped_sentence_count(self) -> int:
        return sum(len(p.dropped_sentences) for p in self.paragraphs)


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def _sentences(paragraph: str) -> list[str]:
    return [paragraph[s:e] for s, e in split_sentences(paragraph)]


class _BodyAligner:
    """The two bodies split up, and the rules that classify one paragraph."""

    def __init__(self, old_body: str, new_body: str, change_ratio: float) -> None:
        self.old_paras, self.new_paras = _paragraphs(old_body), _paragraphs(new_body)
        self.old_keys = [_normalise(p) for p in self.old_paras]
        self.new_keys = [_normalise(p) for p in self.new_paras]
        self.old_sentences = {_normalise(s) for p in self.old_paras for s in _sentences(p)}
        self.new_sentences = {_normalise(s) for p in self.new_paras for s in _sentences(p)}
        self.old_key_set, self.new_key_set = set(self.old_keys), set(self.new_keys)
        self.change_ratio = change_ratio

    def new_spans(self, paragraph: str) -> tuple[tuple[int, int], ...]:
        return tuple(
            (s, e)
            for s, e in split_sentences(paragraph)
            if _normalise(paragraph[s:e]) not in self.old_sentences
        )

    def dropped(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s for s in _sentences(paragraph) if _normalise(s) not in self.new_sentences)

    def added(self, paragraph: str) -> ParagraphChange:
        if _normalise(paragraph) in self.old_key_set:
            return ParagraphChange("moved", paragraph, paragraph)
        return ParagraphChange("added", None, paragraph, self.new_spans(paragraph))

    def gone(self, paragraph: str) -> ParagraphChange:
        if _normalise(paragraph) in self.new_key_set:
            return ParagraphChange("moved", paragraph, None)
        return ParagraphChange("dropped", paragraph, None, (), self.dropped(paragraph))

    def align(self) -> list[ParagraphChange]:
        changes: list[ParagraphChange] = []
        matcher = difflib.SequenceMatcher(a=self.old_keys, b=self.new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                changes.extend(
                    ParagraphChange("same", self.new_paras[j], self.new_paras[j])
                    for j in range(j1, j2)
                )
            elif tag == "delete":
                changes.extend(self.gone(p) for p in self.old_paras[i1:i2])
            elif tag == "insert":
                changes.extend(self.added(p) for p in self.new_paras[j1:j2])
            else:
                changes.extend(self.pair_replaced(self.old_paras[i1:i2], self.new_paras[j1:j2]))
        # a paragraph moved elsewhere shows once, where it now stands
        return [c for c in changes if not (c.kind == "moved" and c.new_text is None)]

    def pair_replaced(self, old: list[str], new: list[str]) -> list[ParagraphChange]:
        """Pair old and new paragraphs of a replaced block in order, by word similarity.

        Matched pairs become "changed"; between two matches, the unmatched old and new
        paragraphs alternate (dropped, then added), so each loss stands near its replacement.
        """
        old_words = [_normalise(p).split() for p in old]
        anchors: list[tuple[int, int]] = []  # (old index, new index) of each changed pair
        next_old = 0
        for j, paragraph in enumerate(new):
            words = _normalise(paragraph).split()
            best, best_ratio = -1, 0.0
            for i in range(next_old, len(old)):
                ratio = difflib.SequenceMatcher(a=old_words[i], b=words, autojunk=False).ratio()
                if ratio > best_ratio:
                    best, best_ratio = i, ratio
            if best >= 0 and best_ratio >= self.change_ratio:
                anchors.append((best, j))
                next_old = best + 1
        out: list[ParagraphChange] = []
        old_from = new_from = 0
        for old_at, new_at in [*anchors, (len(old), len(new))]:
            lost, gained = old[old_from:old_at], new[new_from:new_at]
            for k in range(max(len(lost), len(gained))):
                if k < len(lost):
                    out.append(self.gone(lost[k]))
                if k < len(gained):
                    out.append(self.added(gained[k]))
            if old_at < len(old) and new_at < len(new):
                out.append(
                    ParagraphChange(
                        "changed",
                        old[old_at],
                        new[new_at],
                        self.new_spans(new[new_at]),
                        self.dropped(old[old_at]),
                    )
                )
            old_from, new_from = old_at + 1, new_at + 1
        return out


def diff_bodies(old_body: str, new_body: str, change_ratio: float = 0.5) -> ArticleDiff:
    """Align `new_body` against `old_body` (paragraphs separated by blank lines).

    difflib matches paragraphs (whitespace and case ignored); within a replaced block, a new
    paragraph is "changed" when its best old counterpart shares at least `change_ratio`
    of their words (difflib ratio), else "added". A sentence counts as new only if the old
    body has no equal sentence anywhere, so a moved sentence is not reported as new.
    """
    return ArticleDiff(tuple(_BodyAligner(old_body, new_body, change_ratio).align()))
