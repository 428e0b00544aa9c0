"""Benchmark story threads: MinHash signature time and LSH grouping time at 1k/10k/100k articles.

Synthetic corpus, built in memory from the BBC corpus (nothing is written to disk):
the articles come in *families* of 3-7 versions of one story. A family's story is a splice of
3-6 paragraphs from random BBC articles with ~30% of its distinct words replaced by made-up
words (see `_disguise`); each version drops up to two of its paragraphs,
adds up to two paragraphs from elsewhere, changes 5% of its words and is dated 0-4 days after
the family's date (dates spread over two years). A good grouping puts every family in one
thread and never mixes families. Splices reuse BBC paragraphs, so unrelated families still
share some text, as rewrites of wire copy do.

    .venv/bin/python benchmarks/threads_bench.py [--bbc ../shared/corpora/bbc] [--sizes 1000 ...]
    .venv/bin/python benchmarks/threads_bench.py --people   # corpus.people aggregation times
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.article_signatures import article_signature
from corpus.threads import ThreadIndex


def read_bbc_paragraphs(root: Path) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(root.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs.extend(p.strip() for p in text.split("\n\n")[1:] if len(p.split()) >= 12)
    return paragraphs


_SYLLABLES = ("ka", "lo", "mi", "ter", "van", "su", "rok", "zel", "pa", "dun", "ish", "mor")


def _disguise(story: list[str], rng: random.Random) -> list[str]:
    """Replace about 30% of the story's distinct words by made-up words, the same way in
    every version of it: with 10,000 BBC paragraphs and 100,000 articles each paragraph is
    reused by dozens of unrelated families, far more than real corpora repeat text, and this
    keeps those families apart while versions of one family stay alike."""
    replacement: dict[str, str] = {}
    out: list[str] = []
    for paragraph in story:
        words = paragraph.split(" ")
        for i, word in enumerate(words):
            if word not in replacement:
                made_up = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                replacement[word] = made_up if rng.random() < 0.3 else word
            words[i] = replacement[word]
        out.append(" ".join(words))
    return out


def make_corpus(
    paragraphs: list[str], size: int, seed: int = 8
) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """`size` (id, text, date) versions in families; and each id's family number."""
    rng = random.Random(seed)
    vocabulary = sorted({w for p in rng.sample(paragraphs, 2000) for w in p.split()})
    start = date(2023, 1, 1)
    articles: list[tuple[str, str, str]] = []
    family_of: dict[str, int] = {}
    family = 0
    while len(articles) < size:
        story = _disguise(rng.sample(paragraphs, rng.randint(3, 6)), rng)
        day = start + timedelta(days=rng.randrange(730))
        for version in range(rng.randint(3, 7)):
            if len(articles) >= size:
                break
            kept = [p for p in story if rng.random() > 0.25] or story[:1]
            kept += rng.sample(paragraphs, rng.randint(0, 2))
            words = " ".join(kept).split(" ")
            for _ in range(len(words) // 20):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            article_id = f"f{family:06d}v{version}"
            when = (day + timedelta(days=rng.randint(0, 4))).isoformat()
            articles.append((article_id, " ".join(words), when))
            family_of[article_id] = family
        family += 1
    return articles, family_of


def measure(articles: list[tuple[str, str, str]], family_of: dict[str, int]) -> dict[str, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    signatures = [article_signature(text) for _, text, _ in articles]
    signed, cpu_signed = time.perf_counter(), time.process_time()
    index = ThreadIndex()
    for (article_id, _, when), signature in zip(articles, signatures, strict=True):
        index.add_signature(article_id, signature, when)
    filed, cpu_filed = time.perf_counter(), time.process_time()
    threads = index.find_threads()
    grouped, cpu_grouped = time.perf_counter(), time.process_time()
    some_ids = [a[0] for a in articles[:: max(1, len(articles) // 200)]]
    for article_id in some_ids:
        index.related(article_id)
    related_done = time.perf_counter()

    thread_of = {aid: t.id for t in threads for aid in t.article_ids}
    families: dict[int, list[str]] = {}
    for article_id, family in family_of.items():
        families.setdefault(family, []).append(article_id)
    whole = sum(
        1 for members in families.values() if len({thread_of.get(m, m) for m in members}) == 1
    )
    pure = sum(1 for t in threads if len({family_of[a] for a in t.article_ids}) == 1)
    sizes = Counter(len(t) for t in threads)
    return {
        "articles": len(articles),
        "families": len(families),
        "signature_s": signed - started,
        "index_s": filed - signed,
        "threads_s": grouped - filed,
        "signature_cpu": cpu_signed - cpu_started,
        "index_cpu": cpu_filed - cpu_signed,
        "threads_cpu": cpu_grouped - cpu_filed,
        "related_ms": (related_done - grouped) / len(some_ids) * 1000,
        "threads": len(threads),
        "families_whole": whole / len(families),
        "threads_pure": pure / max(1, len(threads)),
        "largest_thread": max(sizes) if sizes else 0,
    }


def measure_people(size: int) -> dict[str, float]:
    """Time `aggregate_entities` + `aggregate_speakers` over `size` analysed articles: the
    sample corpus analysed once, copied with new ids and dates spread over two years."""
    import dataclasses

    from corpus import SAMPLE_DIR
    from corpus.analyze import analyze_paths
    from corpus.people import aggregate_entities, aggregate_speakers

    sample = analyze_paths([SAMPLE_DIR]).articles
    start = date(2023, 1, 1)
    articles = [
        dataclasses.replace(
            sample[i % len(sample)],
            id=f"copy{i:06d}",
            date=(start + timedelta(days=i % 730)).isoformat(),
        )
        for i in range(size)
    ]
    mentions = sum(len(a.entities) for a in articles)
    quotes = sum(len(a.quotes) for a in articles)
    started, cpu_started = time.perf_counter(), time.process_time()
    entities = aggregate_entities(articles)
    middle, cpu_middle = time.perf_counter(), time.process_time()
    speakers = aggregate_speakers(articles)
    done, cpu_done = time.perf_counter(), time.process_time()
    return {
        "articles": size,
        "mentions": mentions,
        "quotes": quotes,
        "entities": len(entities),
        "speakers": len(speakers),
        "entities_s": middle - started,
        "speakers_s": done - middle,
        "entities_cpu": cpu_middle - cpu_started,
        "speakers_cpu": cpu_done - cpu_middle,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", default=str(Path(__file__).parent / "../../shared/corpora/bbc"))
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    parser.add_argument(
        "--people",
        action="store_true",
        help="time corpus.people aggregation instead (copies of the analysed sample corpus)",
    )
    args = parser.parse_args()
    if args.people:
        print("wall seconds (cpu seconds of this process in brackets)")
        print("articles  mentions  quotes  entities  speakers  entities_s         speakers_s")
        for size in args.sizes:
            r = measure_people(size)
            print(
                f"{r['articles']:>8}  {r['mentions']:>8}  {r['quotes']:>6}  {r['entities']:>8}  "
                f"{r['speakers']:>8}  {r['entities_s']:>7.2f} ({r['entities_cpu']:>6.2f})  "
                f"{r['speakers_s']:>7.2f} ({r['speakers_cpu']:>6.2f})",
                flush=True,
            )
        return 0
    paragraphs = read_bbc_paragraphs(Path(args.bbc))
    print(f"{len(paragraphs)} BBC paragraphs")
    print("wall seconds (cpu seconds of this process in brackets; the machine may be shared)")
    print(
        "articles  families  signature_s       index_s           threads_s         related_ms  "
        "threads  families_whole  threads_pure  largest"
    )
    for size in args.sizes:
        articles, family_of = make_corpus(paragraphs, size)
        r = measure(articles, family_of)
        print(
            f"{r['articles']:>8}  {r['families']:>8}  "
            f"{r['signature_s']:>7.2f} ({r['signature_cpu']:>7.2f})  "
            f"{r['index_s']:>7.2f} ({r['index_cpu']:>7.2f})  "
            f"{r['threads_s']:>7.2f} ({r['threads_cpu']:>7.2f})  {r['related_ms']:>10.2f}  "
            f"{r['threads']:>7}  {r['families_whole']:>14.3f}  {r['threads_pure']:>12.3f}  "
            f"{r['largest_thread']:>7}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
