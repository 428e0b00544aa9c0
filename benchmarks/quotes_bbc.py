"""Direct-quote speakers on British news: the hand-made BBC gold set (benchmarks/gold/).

Usage: python benchmarks/quotes_bbc.py [--bbc ../shared/corpora/bbc]
       [--gold benchmarks/gold/bbc_speakers.jsonl] [--split tune|tune2|tuning|report|all]
       [--rules] [--show]

The gold set (`benchmarks/gold/README.md`) gives, for 125 BBC articles split into "tune" (35),
"tune2" (50) and "report" (40), every double-quoted span as file offsets, its kind
("direct"/"other") and, for direct quotations, the speaker as a reader names them plus
aliases. Tune only on "tune" and "tune2" (`--split tuning` is both, 85 articles); "report" is
scored once, at the end of a piece of work.

The articles are analysed the way `newsreader analyze` does it on those files
(`corpus.analyze.analyze_paths`: read, clean, entities, quotes, corpus-wide names). The cleaned
body's paragraphs are verbatim lines of the file (a BBC file is a title line and paragraphs),
so each body paragraph is found in the file text, in order, and a quotation's body offsets
are mapped back to file offsets through the paragraphs holding its first and last character.

- found: a gold direct quotation overlaps a predicted quotation of kind "direct";
- precision: a predicted direct quotation overlaps some gold direct quotation (an overlap with
  a gold "other" item, or with nothing, is wrong);
- speaker right, among found quotations: the predicted speaker name matches the gold speaker
  or one of its aliases. Both names are normalised first: case folded, a possessive "'s" and
  full stops dropped, honorifics (Mr, Mrs, Ms, Miss, Dr, Sir, Dame, Lord, Lady, Prof) and a
  leading "the"/"a"/"an" removed, "spokesman"/"spokeswoman" read as "spokesperson". They match
  when equal, or when the predicted name is a surname-consistent sub-name of the gold one: all
  its words are words of the gold name and its last word is the gold name's last word
  ("Blair" for "Tony Blair"; not "Tony", not "Blair spokesperson" for "Tony Blair"). A
  predicted speaker of None is wrong.

Each split is reported separately (and their sum when there are several: "tuning" or "all"),
for every direct quotation and for full quotations only (the gold's `partial` fragments
dropped). The default is "tuning". `--rules` attributes with the hand-written rules alone, for
comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.analyze import analyze_document
from corpus.clean import recurring_lines
from corpus.entities import canonicalize_corpus
from corpus.model import Article
from corpus.quote_model import SpeakerChooser
from corpus.quote_spans import paragraph_bounds
from corpus.quote_speakers import RULES_ONLY
from corpus.quotes import find_quotes
from corpus.reader import read_paths

ROOT = Path(__file__).resolve().parent.parent
HONORIFICS = frozenset(
    "mr mrs ms miss dr sir dame lord lady prof professor".split()  # noqa: SIM905
)
LEADING = frozenset(["the", "a", "an"])
SPOKES = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}


def normalise_name(name: str) -> list[str]:
    """The words of a speaker name, normalised for comparison (see the module docstring)."""
    text = name.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = text.replace(".", " ").replace(",", " ")
    words = [SPOKES.get(w, w) for w in text.split()]
    while words and (words[0] in HONORIFICS or words[0] in LEADING):
        words = words[1:]
    return words


def names_match(predicted: str | None, gold: str, aliases: list[str]) -> bool:
    """Whether a predicted speaker name is right for a gold speaker (module docstring)."""
    if not predicted:
        return False
    said = normalise_name(predicted)
    if not said:
        return False
    for name in [gold, *aliases]:
        right = normalise_name(name)
        if not right:
            continue
        if said == right:
            return True
        if said[-1] == right[-1] and set(said) <= set(right) and "spokesperson" not in said:
            return True
    return False


@dataclass
class OffsetMap:
    """Body offsets -> file offsets, paragraph by paragraph."""

    body_starts: list[int] = field(default_factory=list)
    body_ends: list[int] = field(default_factory=list)
    file_starts: list[int] = field(default_factory=list)
    unmapped: int = 0

    @classmethod
    def build(cls, body: str, text: str) -> OffsetMap:
        mapping = cls()
        cursor = 0
        for start, end in paragraph_bounds(body):
            found = text.find(body[start:end], cursor)
            if found < 0:
                mapping.unmapped += 1
                continue
            mapping.body_starts.append(start)
            mapping.body_ends.append(end)
            mapping.file_starts.append(found)
            cursor = found + (end - start)
        return mapping

    def to_file(self, position: int, is_end: bool = False) -> int | None:
        """The file offset of body offset `position` (an exclusive end when `is_end`)."""
        probe = position - 1 if is_end else position
        k = bisect_right(self.body_starts, probe) - 1
        if k < 0 or probe >= self.body_ends[k]:
            return None
        return self.file_starts[k] + (position - self.body_starts[k])


@dataclass
class SplitScores:
    """Counts of one split."""

    articles: int = 0
    gold_direct: int = 0
    found: int = 0
    right: int = 0
    full_gold: int = 0
    full_found: int = 0
    full_right: int = 0
    predicted_direct: int = 0
    predicted_right: int = 0
    unmapped_paragraphs: int = 0
    lines: list[str] = field(default_factory=list)

    def report(self, name: str) -> list[str]:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "n/a"

        return [
            f"{name}: {self.articles} articles, {self.gold_direct} gold direct quotations "
            f"({self.full_gold} full, {self.gold_direct - self.full_gold} partial)",
            f"  found (a predicted direct quote overlaps): {ratio(self.found, self.gold_direct)}",
            f"  precision (predicted direct quotes): "
            f"{ratio(self.predicted_right, self.predicted_direct)}",
            f"  speaker right, all direct: {ratio(self.right, self.found)}",
            f"  speaker right, full quotations only: {ratio(self.full_right, self.full_found)}",
            f"  speaker right over every gold direct quote: {ratio(self.right, self.gold_direct)}",
        ] + (
            [f"  unmapped body paragraphs: {self.unmapped_paragraphs}"]
            if self.unmapped_paragraphs
            else []
        )


def score_article(article: Article, text: str, record: dict, scores: SplitScores) -> None:
    """Add one article's counts to `scores`."""
    mapping = OffsetMap.build(article.body, text)
    scores.articles += 1
    scores.unmapped_paragraphs += mapping.unmapped
    predicted = []
    for quote in article.quotes:
        start = mapping.to_file(quote.start)
        end = mapping.to_file(quote.end, is_end=True)
        if start is None or end is None:
            continue
        predicted.append((start, end, quote))
    gold_direct = [q for q in record["quotes"] if q["kind"] == "direct"]
    for item in gold_direct:
        partial = bool(item.get("partial"))
        scores.gold_direct += 1
        scores.full_gold += not partial
        overlapping = [
            quote
            for start, end, quote in predicted
            if start < item["end"] and item["start"] < end and quote.kind == "direct"
        ]
        if not overlapping:
            scores.lines.append(f"{record['file']} MISSED {item['text']!r}")
            continue
        scores.found += 1
        scores.full_found += not partial
        aliases = item.get("aliases", [])
        if any(names_match(q.speaker, item["speaker"], aliases) for q in overlapping):
            scores.right += 1
            scores.full_right += not partial
        else:
            quote = overlapping[0]
            mention = (
                article.body[quote.speaker_start : quote.speaker_end]
                if quote.speaker_start is not None
                else None
            )
            scores.lines.append(
                f"{record['file']} SPEAKER {item['text'][:45]!r} predicted={quote.speaker!r} "
                f"(mention {mention!r}, cue {quote.cue!r}) gold={item['speaker']!r}"
                + (" partial" if partial else "")
            )
    for start, end, quote in predicted:
        if quote.kind != "direct":
            continue
        scores.predicted_direct += 1
        if any(start < g["end"] and g["start"] < end for g in gold_direct):
            scores.predicted_right += 1
        else:
            scores.lines.append(f"{record['file']} NOT GOLD {quote.text[:60]!r}")


def read_records(gold: Path, splits: set[str]) -> list[dict]:
    """The gold records of the given splits, in file order."""
    records = [
        json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [r for r in records if r["split"] in splits]


def analyse(paths: Sequence[Path]) -> list[Article]:
    """The articles as `newsreader analyze` makes them (`corpus.analyze.analyze_paths`: read,
    clean, entities, quotes), before the corpus-wide names, in reading order."""
    read = read_paths(paths)
    recurring = recurring_lines(read.documents)
    return [analyze_document(document, recurring) for document in read.documents]


def requote(articles: Sequence[Article], chooser: SpeakerChooser | None = None) -> list[Article]:
    """The articles with their quotes found again by `chooser` (None: the shipped model),
    then the corpus-wide names, as `analyze_paths` does last."""
    redone = [replace(a, quotes=tuple(find_quotes(a.body, a.entities, chooser))) for a in articles]
    return list(canonicalize_corpus(redone))


def score_records(
    records: Sequence[dict], articles: Sequence[Article], bbc: Path
) -> dict[str, SplitScores]:
    """Scores per split of `records` against the analysed `articles`."""
    by_path = {Path(a.path).resolve(): a for a in articles}
    scores: dict[str, SplitScores] = {}
    for record in records:
        path = bbc / record["file"]
        article = by_path.get(path.resolve())
        split = scores.setdefault(record["split"], SplitScores())
        if article is None:
            split.lines.append(f"{record['file']} NOT ANALYSED")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        score_article(article, text, record, split)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--gold", default=str(ROOT / "benchmarks" / "gold" / "bbc_speakers.jsonl"))
    parser.add_argument(
        "--split", choices=("tune", "tune2", "tuning", "report", "all"), default="tuning"
    )
    parser.add_argument("--rules", action="store_true", help="the hand-written rules alone")
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    wanted = {"tuning": {"tune", "tune2"}, "all": {"tune", "tune2", "report"}}.get(
        args.split, {args.split}
    )
    records = read_records(Path(args.gold), wanted)
    bbc = Path(args.bbc)
    articles = requote(
        analyse([bbc / r["file"] for r in records]), RULES_ONLY if args.rules else None
    )
    scores = score_records(records, articles, bbc)
    print(f"speaker choice: {'rules' if args.rules else 'learned model'}")
    total = SplitScores()
    for name in ("tune", "tune2", "report"):
        if name not in scores:
            continue
        for line in scores[name].report(name):
            print(line)
        for attribute in vars(total):
            value = getattr(scores[name], attribute)
            if isinstance(value, int):
                setattr(total, attribute, getattr(total, attribute) + value)
        if args.show:
            for line in scores[name].lines:
                print("    " + line)
    if len(scores) > 1:
        for line in total.report(args.split):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
