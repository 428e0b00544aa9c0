"""The name tagger's features: the keys a candidate token's score is the sum of.

Every window feature belongs to one position (the word itself, one or two words before or
after) and depends only on the word at that position (`word_features`: the word, its shape,
prefixes and suffixes, gazetteer memberships, its usual casing in unlabelled news), which is
what lets `corpus.ner_tagger` cache one score vector per word; `WindowKeys` computes a
word's keys once for both passes. The tag history (`tag_features`) and the few positional
features no single word decides (`line_features`: a line in capitals, a known multi-word
name; `document_features`: what the first pass said about the same word elsewhere) come as
short key lists. They are shared with the trainer (benchmarks/train_ner.py), so that both
sides compute the same keys; `Lexicon` holds the word lists mined at training time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_tokens import LINE_BREAK

TAGS: tuple[str, ...] = (
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
)  # fmt: skip
TAG_INDEX = {tag: index for index, tag in enumerate(TAGS)}
_TYPE_OF = [tag[2:] for tag in TAGS]  # "" for O
_MONTHS_AND_DAYS_TEXT = """
January February March April May June July August September October November December Jan
Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
Saturday Sunday
"""
MONTHS_AND_DAYS = frozenset(_MONTHS_AND_DAYS_TEXT.split())


@dataclass(frozen=True)
class Lexicon:
    """What the features look words up in, besides the shipped gazetteer.

    `casing`: lower-case word -> its usual written form in unlabelled news ("x" lower case,
    "Xx" capitalised, "X" capitals, "xXx" both, "m" mixed); `single_names`: one-word names
    of the training text (lower case) -> CoNLL type; `long_names`: the first two words of a
    longer name -> the names that start with them, as (lower-case words, type), longest first.
    """

    lowercase_vocab: frozenset[str]
    casing: dict[str, str] = field(default_factory=dict)
    single_names: dict[str, str] = field(default_factory=dict)
    long_names: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = field(
        default_factory=dict
    )

    @classmethod
    def from_names(
        cls,
        lowercase_vocab: frozenset[str],
        casing: dict[str, str],
        names: dict[tuple[str, ...], str],
    ) -> Lexicon:
        single: dict[str, str] = {}
        long: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for words, kind in names.items():
            if len(words) == 1:
                single[words[0]] = kind
            else:
                long[words[0], words[1]].append((words, kind))
        for options in long.values():
            options.sort(key=lambda option: len(option[0]), reverse=True)
        return cls(lowercase_vocab, casing, single, dict(long))


def word_shape(word: str) -> str:
    """Compressed character classes: "McDonald" -> "XxXx", "U.S." -> "X.X.", "1996" -> "d"."""
    if word.isalpha():  # the common cases, without the loop
        if word.islower():
            return "x"
        if word.isupper():
            return "X"
        if word[0].isupper() and word[1:].islower():
            return "Xx"
    shape: list[str] = []
    last = ""
    for char in word:
        if char.isupper():
            kind = "X"
        elif char.islower():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if kind != last:
            shape.append(kind)
            last = kind
    return "".join(shape)


def _gazetteer_flags(word: str, gaz: Gazetteer) -> list[str]:
    """Gazetteer memberships of a capitalised word (headline capitals looked up as "Title")."""
    title = word.title() if word.isupper() else word
    flags: list[str] = []
    if title in gaz.gpe:
        flags.append("g=gpe")
    elif title in gaz.gpe_tokens:
        flags.append("g=gpe_part")
    if title in gaz.loc:
        flags.append("g=loc")
    elif title in gaz.loc_tokens:
        flags.append("g=loc_part")
    if title in gaz.norp:
        flags.append("g=norp")
    if title in gaz.first_names:
        flags.append("g=first")
    if title in gaz.cities:
        flags.append("g=city")
    if title in gaz.census_first_names:
        flags.append("g=cfirst")
    if title in gaz.census_surnames:
        flags.append("g=clast")
    if word in gaz.honorifics:
        flags.append("g=honor")
    if word in gaz.title_roles:
        flags.append("g=title")
    cue = gaz.cues.get(title)
    if cue:
        flags.append("g=cue_" + cue)
    if title in MONTHS_AND_DAYS:
        flags.append("g=date")
    return flags


def word_features(
    word: str, lexicon: Lexicon, gaz: Gazetteer
) -> tuple[list[str], list[str], list[str]]:
    """Feature names of `word` as (itself, a neighbour, a neighbour two away)."""
    if word == LINE_BREAK:
        return ["nl"], ["nl"], ["nl"]
    lower = word.lower()
    shape = word_shape(word)
    flags = _gazetteer_flags(word, gaz) if word[0].isupper() else []
    if lower in lexicon.lowercase_vocab:
        flags.append("g=lc")
    if lexicon.casing and word[0].isalpha():
        flags.append("uc=" + lexicon.casing.get(lower, "?"))
    itself = [
        "bias",
        "w=" + word,
        "l=" + lower,
        "s=" + shape,
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "x2=" + lower[-2:],
        "x3=" + lower[-3:],
        "x4=" + lower[-4:],
        *flags,
    ]
    if word.isupper() and len(word) > 1:
        itself.append("caps")
        itself.append("caps_l=" + lower)
    if len(word) == 1:
        itself.append("len1")
    near = ["l=" + lower, "s=" + shape, *flags]
    far = ["l=" + lower, "s=" + shape]
    return itself, near, far


def tag_features(previous_tag: str, previous2_tag: str, shape: str) -> list[str]:
    """Features of the two previous tags, and of the previous tag with the word's shape."""
    return [
        "t=" + previous_tag,
        "ts=" + previous_tag + "|" + shape,
        "tt=" + previous2_tag + "|" + previous_tag,
    ]


def context_words(words: list[str], i: int) -> tuple[str, str, str, str]:
    """The words at positions -1, +1, -2, +2 of token i; a line break ends the window.

    `PerceptronTagger.tag` inlines the same computation for speed.
    """
    count = len(words)
    prev1 = words[i - 1] if i > 0 else LINE_BREAK
    next1 = words[i + 1] if i + 1 < count else LINE_BREAK
    prev2 = words[i - 2] if i > 1 and prev1 != LINE_BREAK else LINE_BREAK
    next2 = words[i + 2] if i + 2 < count and next1 != LINE_BREAK else LINE_BREAK
    return prev1, next1, prev2, next2


def line_features(words: list[str], indices: list[int], lexicon: Lexicon) -> dict[int, list[str]]:
    """Positional features of candidate tokens that no single word decides.

    - "cl": the token's line is written in capitals (a headline, a dateline, some tables),
      where capitals say nothing and the word's usual casing ("uc=") says much; the pair is a
      feature of its own so that the model can trust casing there and shape elsewhere.
    - "gz=B-PER" ...: the token starts (B), continues (I) or is (U) a name of the training
      text, matched case-blind and longest first, with that name's usual type.
    """
    extra: dict[int, list[str]] = {}
    if not indices:
        return extra
    count = len(words)
    upper_lines: list[int] = []  # line starts of the candidates in capitals, checked below
    breaks: list[int] | None = None
    casing_get = lexicon.casing.get
    checked: dict[int, bool] = {}
    for i in indices:
        word = words[i]
        if not word.isupper():
            continue
        if breaks is None:
            breaks = [b for b, w in enumerate(words) if w == LINE_BREAK]
        at = bisect_right(breaks, i)
        line_start = breaks[at - 1] + 1 if at else 0
        caps = checked.get(line_start)
        if caps is None:
            line_end = breaks[at] if at < len(breaks) else count
            caps = checked[line_start] = " ".join(words[line_start:line_end]).isupper()
            if caps:
                upper_lines.append(line_start)
    if upper_lines:
        assert breaks is not None
        for i in indices:
            at = bisect_right(breaks, i)
            if checked.get(breaks[at - 1] + 1 if at else 0):
                extra[i] = ["cl", "cl|uc=" + casing_get(words[i].lower(), "?")]
    single = lexicon.single_names
    long = lexicon.long_names
    if single or long:
        next_free = 0
        candidates = set(indices)
        for i in indices:
            if i < next_free:
                continue
            lower = words[i].lower()
            matched = False
            if i + 1 < count and long:
                options = long.get((lower, words[i + 1].lower()))
                if options:
                    for name, kind in options:
                        end = i + len(name)
                        if end <= count and all(
                            words[k].lower() == name[k - i] for k in range(i + 2, end)
                        ):
                            extra.setdefault(i, []).append("gz=B-" + kind)
                            for k in range(i + 1, end):
                                if k in candidates:
                                    extra.setdefault(k, []).append("gz=I-" + kind)
                            next_free = end
                            matched = True
                            break
            if not matched:
                single_kind = single.get(lower)
                if single_kind:
                    extra.setdefault(i, []).append("gz=U-" + single_kind)
    return extra


def document_features(
    words: list[str], indices: list[int], tags: list[int]
) -> dict[int, list[str]]:
    """What the first pass said about each candidate's word elsewhere in the document.

    For candidate i with word w (compared case-blind): "d=T", the commonest type the first
    pass gave the other capitalised occurrences of w (or "d=O" when it tagged none of them);
    "dt=B-T"/"dt=I-T", the commonest full tag, which tells a first name from a surname;
    "dl", w also appears in lower case in the document (a common word, not a name).
    """
    occurrences: dict[str, list[int]] = {}
    lowered = [words[i].lower() for i in indices]
    for i, lower in zip(indices, lowered, strict=True):
        found = occurrences.get(lower)
        if found is None:
            occurrences[lower] = [tags[i]]
        else:
            found.append(tags[i])
    present = set(words)
    extra: dict[int, list[str]] = {}
    computed: dict[tuple[str, int], list[str]] = {}
    for i, lower in zip(indices, lowered, strict=True):
        own = tags[i]
        word = words[i]
        keys = computed.get((word, own))
        if keys is None:
            keys = []
            found = occurrences[lower]
            if len(found) > 1:
                counts = [0] * len(TAGS)
                order: list[int] = []  # tags in order of first occurrence (ties go first)
                for tag in found:
                    if not counts[tag]:
                        order.append(tag)
                    counts[tag] += 1
                counts[own] -= 1
                best_tag = best_count = 0
                by_type: dict[str, int] = {}
                for tag in order:
                    n = counts[tag]
                    if n and tag:
                        kind = _TYPE_OF[tag]
                        by_type[kind] = by_type.get(kind, 0) + n
                        if n > best_count:
                            best_tag, best_count = tag, n
                if best_count:
                    keys.append("d=" + max(by_type, key=by_type.__getitem__))
                    keys.append("dt=" + TAGS[best_tag])
                else:
                    keys.append("d=O")
            if lower in present and lower != word:
                keys.append("dl")
            computed[word, own] = keys
        if keys:
            extra[i] = keys
    return extra


def merge_features(
    first: dict[int, list[str]], second: dict[int, list[str]]
) -> dict[int, list[str]]:
    """Both sets of positional features, per token."""
    if not first:
        return second
    merged = {i: list(keys) for i, keys in first.items()}
    for i, keys in second.items():
        merged[i] = merged.get(i, []) + keys
    return merged


class WindowKeys:
    """The window feature keys of each word (its features computed once for both passes)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._gaz = gazetteer()
        self._cache: dict[str, tuple[list[str], list[str], list[str]]] = {}

    def _features(self, word: str) -> tuple[list[str], list[str], list[str]]:
        features = self._cache.get(word)
        if features is None:
            features = word_features(word, self.lexicon, self._gaz)
            if len(self._cache) > 200_000:  # bound memory on huge corpora
                self._cache.clear()
            self._cache[word] = features
        return features

    def own(self, word: str) -> list[str]:
        """Keys of `word` as the token being tagged (asked only of candidate tokens)."""
        return ["0|" + f for f in self._features(word)[0]]

    def context(self, word: str) -> tuple[list[str], list[str], list[str], list[str]]:
        """Keys of `word` at positions -1, +1, -2, +2 of the token being tagged."""
        _itself, near, far = self._features(word)
        return (
            ["-1|" + f for f in near],
            ["+1|" + f for f in near],
            ["-2|" + f for f in far],
            ["+2|" + f for f in far],
        )
