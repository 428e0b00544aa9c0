"""Word lists the quote finder needs: verb forms, reporting verbs, first-name genders.

The lists ship as data files in `corpus/data/` (each names its source in its header):

- `quote_verbs.tsv`: every lowercase word the CoNLL-2003 English training set
  (Reuters, 1996; `eng.train`, Penn Treebank POS column) tags as a verb at least once, with
  its verb-tag, other-tag and adjective-tag counts and how often it is tagged as a base
  form (VB, VBP: "go", "stand"). Rebuild it with
  `python -m corpus.quote_lexicon ../shared/corpora/conll2003/eng.train`.
- `quote_reporting_verbs.txt`: reporting verbs and phrases (hand-compiled for this project).
- `quote_first_names.tsv`: common English first names with a gender (hand-compiled);
  `speaker_first_names.tsv` adds the 1990 US Census first names with their usual gender.

`is_verb_form` answers "can this word be a verb?" with the corpus counts and a little
morphology (an unseen "-ed"/"-ing"/"-s" word counts when its stem is a known verb).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
BASE_VERB_TAGS = frozenset({"VB", "VBP"})


def _data_lines(name: str) -> list[str]:
    text = resources.files("corpus").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def verb_counts() -> dict[str, tuple[int, int, int]]:
    """word -> (verb tag count, other tag count, adjective tag count) from CoNLL-2003."""
    counts: dict[str, tuple[int, int, int]] = {}
    for line in _data_lines("quote_verbs.tsv"):
        word, verb, other, adjective, _base = line.split("\t")
        counts[word] = (int(verb), int(other), int(adjective))
    return counts


@lru_cache(maxsize=1)
def base_verb_counts() -> dict[str, int]:
    """word -> how often CoNLL-2003 tags it as a base-form verb (VB or VBP)."""
    counts: dict[str, int] = {}
    for line in _data_lines("quote_verbs.tsv"):
        word, _verb, _other, _adjective, base = line.split("\t")
        if int(base):
            counts[word] = int(base)
    return counts


def is_base_verb(word: str) -> bool:
    """Whether `word` is a base-form verb more often than anything else ("go", "stand").

    Counts every tag of the word: "step" (VB 6 times, a noun 19 times) is not one, "stand"
    (4 of 6) is. Words CoNLL never tags as a base form are not base verbs.
    """
    lower = word.lower()
    base = base_verb_counts().get(lower, 0)
    if not base:
        return False
    verb, other, _adjective = verb_counts()[lower]
    return base >= other and base * 2 >= verb


@lru_cache(maxsize=1)
def verb_stems() -> frozenset[str]:
    """Base forms seen as verbs (VB/VBP tags) plus the reporting verbs' stems."""
    stems = {w for w, (verb, _other, _adj) in verb_counts().items() if verb}
    return frozenset(stems)


@lru_cache(maxsize=1)
def reporting_verbs() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """Single-word reporting verb forms, and multi-word reporting phrases (as word tuples)."""
    single: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for line in _data_lines("quote_reporting_verbs.txt"):
        words = tuple(line.strip().lower().split())
        if len(words) == 1:
            single.add(words[0])
        else:
            phrases.append(words)
    return frozenset(single), tuple(phrases)


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """first name (lowercase) -> "m" | "f": the hand-compiled list, then the census list."""
    genders: dict[str, str] = {}
    for line in _data_lines("speaker_first_names.tsv"):
        name, gender = line.split("\t")
        genders[name.strip().lower()] = gender.strip()
    for line in _data_lines("quote_first_names.tsv"):
        name, gender = line.split("\t")
        genders[name.strip().lower()] = gender.strip()
    return genders


def _stem_candidates(word: str) -> list[str]:
    if word.endswith("ing") and len(word) > 5:
        base = word[:-3]
        out = [base, base + "e"]
        if len(base) > 2 and base[-1] == base[-2]:
            out.append(base[:-1])
        return out
    if word.endswith("ied") and len(word) > 4:
        return [word[:-3] + "y"]
    if word.endswith("ed") and len(word) > 4:
        base = word[:-2]
        out = [base, word[:-1]]
        if len(base) > 2 and base[-1] == base[-2]:
            out.append(base[:-1])
        return out
    if word.endswith("ies") and len(word) > 4:
        return [word[:-3] + "y"]
    if word.endswith("es") and len(word) > 4:
        return [word[:-2], word[:-1]]
    if word.endswith("s") and len(word) > 3:
        return [word[:-1]]
    return []


@lru_cache(maxsize=65536)
def is_verb_form(word: str) -> bool:
    """Whether `word` (any case) is attested as, or inflected from, an English verb."""
    lower = word.lower()
    if lower in verb_counts():
        return True
    single, _phrases = reporting_verbs()
    if lower in single:
        return True
    stems = verb_stems()
    if any(stem in stems or stem in single for stem in _stem_candidates(lower)):
        return True
    # "restate", "outpaced", "undercut": a verb behind a verbal prefix.
    for prefix in _VERB_PREFIXES:
        if lower.startswith(prefix) and len(lower) - len(prefix) >= 3:
            rest = lower[len(prefix) :]
            if rest in verb_counts() or any(s in stems for s in _stem_candidates(rest)):
                return True
    return False


_VERB_PREFIXES = ("re", "un", "over", "out", "under", "mis", "pre", "co")


@lru_cache(maxsize=65536)
def mostly_verb(word: str) -> bool:
    """Whether `word` is a verb more often than anything else (unseen inflections count)."""
    lower = word.lower()
    counts = verb_counts().get(lower)
    if counts is None:
        return is_verb_form(lower)
    verb, other, _adjective = counts
    return verb >= other


def build_verb_table(conll_path: Path) -> str:
    """The `quote_verbs.tsv` text built from a CoNLL-2003 file with a POS column."""
    tags: defaultdict[str, Counter[str]] = defaultdict(Counter)
    with conll_path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 2 or parts[0] == "-DOCSTART-":
                continue
            word, tag = parts[0], parts[1]
            if word.isalpha():
                tags[word.lower()][tag] += 1
    rows = [
        "# Verb forms attested in CoNLL-2003 eng.train (Reuters 1996), Penn Treebank POS column.",
        "# Built by `python -m corpus.quote_lexicon <eng.train>`.",
        "# word<TAB>verb-tag count<TAB>other-tag count<TAB>JJ count<TAB>VB+VBP count",
    ]
    for word in sorted(tags):
        counter = tags[word]
        verb = sum(counter[t] for t in VERB_TAGS)
        if not verb:
            continue
        other = sum(counter.values()) - verb
        base = sum(counter[t] for t in BASE_VERB_TAGS)
        rows.append(f"{word}\t{verb}\t{other}\t{counter['JJ']}\t{base}")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover - data build script
    target = Path(__file__).parent / "data" / "quote_verbs.tsv"
    target.write_text(build_verb_table(Path(sys.argv[1])), encoding="utf-8")
    print(f"wrote {target}")
