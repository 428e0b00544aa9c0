"""Build synthetic news corpora of any size from the BBC News dataset, for the index benchmarks.

Each synthetic article starts from a BBC article and is made distinct: its person-like
names ("Firstname Lastname") are replaced, consistently within the article, by names drawn
from a pool; it gets a date between 2015 and 2025 and one of a few sources; one paragraph
gains a sentence quoting a drawn name and place, and paragraphs after the first may swap.
Three in four files are Markdown with front matter (title, date, source), one in four is
BBC-style text (title line, blank line, body; undated). Files go 1,000 to a folder.

The same seed gives the same corpus, and the first N articles of a bigger corpus are the
N-article corpus. Nothing here is shipped: write under /tmp (or --out).

    python benchmarks/make_synthetic.py 100000 --out /tmp/newsreader-bench/n100000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

DEFAULT_BBC = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bbc"

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Nikos",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xavier",
    "Yara",
    "Zoltan",
    "Aisha",
    "Bruno",
    "Carmen",
    "Diego",
    "Esther",
    "Felix",
    "Greta",
    "Hamid",
    "Irene",
    "Jakub",
    "Karin",
    "Lars",
    "Marta",
    "Noor",
    "Oscar",
    "Priya",
    "Rafael",
    "Sofia",
    "Tomas",
    "Ulla",
]
LAST_NAMES = [
    "Abbott",
    "Baptiste",
    "Castillo",
    "Dunmore",
    "Eriksen",
    "Fonseca",
    "Gallagher",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mbeki",
    "Novak",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rahman",
    "Schulz",
    "Takahashi",
    "Urquhart",
    "Varga",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Achebe",
    "Brennan",
    "Corrigan",
    "Delacroix",
    "Esposito",
    "Fairweather",
    "Grimaldi",
    "Holloway",
    "Iqbal",
    "Jovanovic",
    "Kagame",
    "Lombardi",
    "Moreau",
    "Nakamura",
    "Oduya",
    "Pellegrini",
]
PLACES = [
    "Leeds",
    "Lagos",
    "Lyon",
    "Lima",
    "Lisbon",
    "Osaka",
    "Oslo",
    "Perth",
    "Porto",
    "Quito",
    "Riga",
    "Seoul",
    "Tunis",
    "Turin",
    "Utrecht",
    "Valencia",
    "Warsaw",
    "Zagreb",
    "Nairobi",
    "Manila",
    "Bergen",
    "Cardiff",
    "Dundee",
    "Galway",
    "Krakow",
]
SOURCES = ("Synthetic Times", "The Daily Sample", "Corpus Herald", "Benchmark Post")
VERBS = ("said", "told reporters", "added", "argued", "noted", "warned")

_NAME = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b")


def load_bbc(folder: Path) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every BBC article under `folder`, in path order."""
    articles: list[tuple[str, list[str]]] = []
    for path in sorted(folder.glob("*/*.txt")):
        text = path.read_text(encoding="latin-1")
        blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
        if len(blocks) >= 2:
            articles.append((blocks[0], blocks[1:]))
    if not articles:
        raise SystemExit(f"no BBC articles under {folder}")
    return articles


def synthetic_article(
    number: int, base: tuple[str, list[str]], rng: random.Random
) -> tuple[str, str]:
    """(file suffix, file text) of synthetic article `number`."""
    title, paragraphs = base[0], list(base[1])
    renamed: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        found = match.group(0)
        if found not in renamed:
            renamed[found] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return renamed[found]

    paragraphs = [_NAME.sub(rename, p) for p in paragraphs]
    title = _NAME.sub(rename, title)
    if len(paragraphs) > 3 and rng.random() < 0.5:
        i = rng.randrange(1, len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    speaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    place = rng.choice(PLACES)
    quote = (
        f'"This matters for {place}," {speaker} {rng.choice(VERBS)} '
        f"in the {number % 97 + 1}th briefing."
    )
    at = rng.randrange(len(paragraphs))
    paragraphs[at] = f"{paragraphs[at]} {quote}"
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    if number % 4 == 3:
        return ".txt", f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    front = (
        f"---\ntitle: {title}\ndate: {day.isoformat()}\nsource: {SOURCES[number % len(SOURCES)]}"
        "\n---\n\n"
    )
    return ".md", front + "\n\n".join(paragraphs) + "\n"


def build(count: int, out: Path, bbc: Path, seed: int = 6) -> int:
    """Write `count` synthetic articles under `out` (existing complete output is kept)."""
    marker = out / ".complete"
    if marker.exists() and marker.read_text().strip() == str(count):
        return count
    bases = load_bbc(bbc)
    rng = random.Random(seed)
    for number in range(count):
        base = bases[rng.randrange(len(bases))]
        suffix, text = synthetic_article(number, base, rng)
        folder = out / f"d{number // 1000:04d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{number:06d}{suffix}").write_text(text, encoding="utf-8")
    marker.write_text(str(count))
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="output folder (under /tmp)")
    parser.add_argument("--bbc", type=Path, default=DEFAULT_BBC, help="BBC dataset folder")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    build(args.count, args.out, args.bbc, args.seed)
    print(f"{args.count} articles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
