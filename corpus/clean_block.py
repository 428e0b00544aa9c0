"""The article's block of segments: context smoothing, tables and the main-content run.

Once each segment has its kind (`corpus.clean_evidence`), the context decides: short and
near-good segments take their neighbours' side (`smooth`, as jusText does), the lines of a
table are kept together (`table_runs`), the run of segments with the largest content score
(a maximum-sum sub-array) is the article (`main_block`), so the article wins over menus and
footers even on a page read on its own, and runs of full paragraphs just outside it, across
an inline gallery or a links box, are taken in (`extend_block`).
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.clean_evidence import BAD, CAPTION, GOOD, JUNK, NEAR, SHORT, Segment

MAX_SHORT_RUN = 3
"""A run of more short segments than this between good ones is kept only if it is not a
menu (most of its lines have a sentence or lower-case words)."""


def smooth(segments: list[Segment], in_table: frozenset[int] = frozenset()) -> list[str]:
    """jusText-style context: short and near-good segments take their neighbours' side;
    the lines of a table (`in_table`) are kept together, as content."""
    kinds = [s.kind for s in segments]

    def neighbour(i: int, step: int, ignore: tuple[str, ...]) -> str:
        j = i + step
        while 0 <= j < len(kinds):
            if kinds[j] not in ignore:
                return kinds[j]
            j += step
        return BAD

    decided = list(kinds)
    for i, kind in enumerate(kinds):
        if kind == NEAR:
            prev = neighbour(i, -1, (SHORT, NEAR, CAPTION))
            nxt = neighbour(i, 1, (SHORT, NEAR, CAPTION))
            decided[i] = GOOD if GOOD in (prev, nxt) else BAD
    kinds = decided
    decided = list(kinds)
    i = 0
    while i < len(kinds):
        if kinds[i] != SHORT:
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] in (SHORT, CAPTION):
            j += 1
        run = [k for k in range(i, j) if kinds[k] == SHORT]
        between_good = (i > 0 and kinds[i - 1] == GOOD) and (j < len(kinds) and kinds[j] == GOOD)
        menus = sum(1 for k in run if segments[k].menu)
        keep = between_good and (len(run) <= MAX_SHORT_RUN or menus * 2 <= len(run))
        for k in run:
            decided[k] = GOOD if keep else BAD
        i = j
    for k in in_table:
        decided[k] = GOOD
    return decided


TABLE_MIN_ROWS = 5
"""A table (or a results list) has at least this many lines of figures..."""
TABLE_DATA_SHARE = 0.4
"""...and they make at least this share of its lines (the rest: names, headers, labels)."""


def table_runs(segments: Sequence[Segment]) -> list[range]:
    """Runs of segments that together are a table, a results list or a scoreboard.

    A run is a stretch without prose, junk or captions, trimmed to begin and end with a
    line of figures (a lead-in line ending in ":" just before it belongs to it). It is a
    table when it holds `TABLE_MIN_ROWS` lines of figures, at least `TABLE_DATA_SHARE` of
    its lines, and few menu items: the cells of a standings table scraped one per line,
    "Palm Bay 18 22 13 17 - 70", "Imports 10,663 10,725". Whether it is the article's is
    for the context to say (`smooth`, `main_block`).
    """
    runs: list[range] = []
    i, count = 0, len(segments)
    while i < count:
        if segments[i].kind in (GOOD, JUNK, CAPTION):
            i += 1
            continue
        j = i
        while j < count and segments[j].kind not in (GOOD, JUNK, CAPTION):
            j += 1
        rows = [k for k in range(i, j) if segments[k].data]
        if len(rows) >= TABLE_MIN_ROWS:
            first, last = rows[0], rows[-1]
            if first > i and segments[first - 1].text.endswith(":"):
                first -= 1
            lines = last + 1 - first
            menus = sum(1 for k in range(first, last + 1) if segments[k].menu)
            if len(rows) >= TABLE_DATA_SHARE * lines and menus * 3 <= lines:
                runs.append(range(first, last + 1))
        i = j
    return runs


TABLE_ROW_SCORE = 0.4
"""What a line of figures in a table adds to the content score of a block."""


def main_block(
    segments: Sequence[Segment], decided: Sequence[str], in_table: frozenset[int] = frozenset()
) -> tuple[int, int]:
    """[start, end) of the run of segments with the largest content score.

    Paragraphs that follow another paragraph count more than isolated ones: an article is
    a run of paragraphs, while teaser lists and comment threads alternate a paragraph with
    a title, a name or a date line. A table's rows count a little each, its other lines
    (names, headers) nothing: a results page with no prose at all is its table.
    """
    best, best_range = 0.0, (0, 0)
    running, start = 0.0, 0
    previous_prose = False
    for i, (segment, kind) in enumerate(zip(segments, decided, strict=True)):
        if kind == CAPTION:
            score = 0.0
        elif kind == GOOD and segment.kind in (GOOD, NEAR):
            score = 1.0 + min(segment.length, 1000) / 200
            if segment.kind == NEAR:
                score /= 2
            if previous_prose:
                score *= 1.6
        elif i in in_table:
            score = TABLE_ROW_SCORE if segment.data else 0.0
        elif kind == GOOD:
            score = -0.2  # a short line kept by its neighbours: neutral-ish
        elif kind == JUNK:
            score = -1.5
        else:
            score = -1.0
        if kind != CAPTION:
            previous_prose = kind == GOOD and segment.kind in (GOOD, NEAR)
        if running <= 0:
            running, start = 0.0, i
        running += score
        if running > best:
            best, best_range = running, (start, i + 1)
    return best_range


LAST_PARAGRAPH_GAP = 2
LAST_PARAGRAPH_LENGTH = 150
"""One full paragraph (this long, ending a sentence) just after the block, past at most
`LAST_PARAGRAPH_GAP` lines ("Related Links", a link's title), is the article's last one."""

MAX_BRIDGE = 8
"""How many non-article segments (an inline gallery, a related-links box) the block may
jump over to take in more of the article's paragraphs."""


def extend_block(
    segments: Sequence[Segment], decided: Sequence[str], start: int, end: int
) -> tuple[int, int]:
    """Take in runs of full paragraphs just outside the block, across a short interruption.

    A run qualifies when it has at least two prose paragraphs in a row (or one long one)
    and the interruption holds no comment or copyright line (the article is over there);
    after the block, one full paragraph past a short interruption is the article's last.
    """

    def run_from(i: int, step: int) -> tuple[int, int] | None:
        j, gap = i, 0
        while 0 <= j < len(segments) and gap <= MAX_BRIDGE:
            if decided[j] == GOOD and segments[j].kind == GOOD:
                break
            if segments[j].junk in ("comments", "copyright", "legal"):
                return None
            gap += 1
            j += step
        else:
            return None
        first = j
        while 0 <= j < len(segments) and decided[j] == GOOD:
            j += step
        last = j - step
        lo, hi = min(first, last), max(first, last)
        prose = [k for k in range(lo, hi + 1) if segments[k].kind == GOOD]
        if len(prose) >= 2 or (prose and segments[prose[0]].length >= 400):
            return lo, hi + 1
        if (
            step == 1
            and gap <= LAST_PARAGRAPH_GAP
            and prose
            and segments[prose[0]].length >= LAST_PARAGRAPH_LENGTH
            and segments[prose[0]].sentence_end
        ):
            return lo, hi + 1  # the article's last paragraph, after an inline links box
        return None

    if end > start:
        after = run_from(end, 1)
        if after is not None:
            end = after[1]
        before = run_from(start - 1, -1)
        if before is not None:
            start = before[0]
    return start, end
