"""CoNLL-2003 documents written as a user's wire-story files, and the whole pipeline scored on them.

Usage: .venv/bin/python benchmarks/conll_wire.py [eng.train|eng.testa ...] [--part even|odd|all]
       [--tokenized] [--show N] [--errors N] [--write DIR]

Each CoNLL document (Reuters, 1996) becomes the text a user's file of it would hold: the headline
line, a byline line where the document has one (a line of only a person's name right after the
headline), the dateline line ("BRUSSELS 1996-08-22"), then one paragraph per sentence, paragraphs
separated by blank lines. Tokens are joined back as running text ("lamb ." -> "lamb.",
`( Croatia )` -> "(Croatia)", quotes attached to what they enclose); `--tokenized` keeps
CoNLL's spaces instead, the other way such files are seen.

The file is written to disk and goes through the product as a user's file does
(`corpus.reader.documents_from_file`, `corpus.analyze.analyze_document`), and three things are
measured:

- title: the article's title is the headline as written;
- body: every sentence after the headline and byline is a paragraph of the cleaned body
  (the dateline included: it is part of the story);
- entities: CoNLL-style exact-span typed F1 (PER, ORG, LOC, MISC) over the body sentences, whole
  pipeline: a gold entity in a sentence the cleaner dropped is a miss. Also the F1 over the
  sentences the cleaner kept, which is the recogniser's own figure on this text.

`--part even|odd` takes every other document (by position in the file) so that one half can be
tuned on and the other reported untouched.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ner_conll import TO_CONLL, ConllDocument, f1, read_conll  # noqa: E402

from corpus.analyze import analyze_document  # noqa: E402
from corpus.clean import recurring_lines  # noqa: E402
from corpus.model import Article, Document  # noqa: E402
from corpus.ner_gazetteer import gazetteer  # noqa: E402
from corpus.reader import documents_from_file  # noqa: E402

DEFAULT_PATHS = [ROOT.parent / "shared" / "corpora" / "conll2003" / "eng.train"]
_DATE_TOKEN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# tokens that attach to the token before them, and tokens the next token attaches to
_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "?", "!", ")", "]", "}", "%", "'s", "'", "n't"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#"})


def detokenize(tokens: list[str], tokenized: bool = False) -> tuple[str, list[tuple[int, int]]]:
    """Running text from CoNLL tokens, with each token's (start, end) in it.

    Straight double quotes open or close by position: one at the start of the sentence, or
    after a space-taking token with a word after it, opens; one before the end or after
    punctuation closes; otherwise they alternate.
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    position = 0
    attach_next = True  # the sentence start takes no space
    quote_open = False
    for index, token in enumerate(tokens):
        space = not attach_next
        attach_next = False
        if not tokenized:
            if token == '"':
                nxt = tokens[index + 1] if index + 1 < len(tokens) else ""
                closing = quote_open or nxt in ("", ".", ",", ";", ":")
                if index == 0:
                    closing = False
                quote_open = not closing
                if closing:
                    space = False
                else:
                    attach_next = True
            elif token in _NO_SPACE_BEFORE or (token.startswith("'") and len(token) <= 3):
                space = False
            if token in _NO_SPACE_AFTER:
                attach_next = True
        if space and parts:
            parts.append(" ")
            position += 1
        parts.append(token)
        offsets.append((position, position + len(token)))
        position += len(token)
    return "".join(parts), offsets


@dataclass
class WireArticle:
    """One CoNLL document as a user's file, with where its parts are in the file's text."""

    text: str
    headline: str
    byline: str | None
    sentences: list[tuple[int, int]] = field(default_factory=list)  # body sentences
    gold: set[tuple[int, int, str]] = field(default_factory=set)  # body entities, file offsets


def _entity_spans(
    sentence: list[tuple[str, str]], offsets: list[tuple[int, int]], base: int
) -> set[tuple[int, int, str]]:
    spans: set[tuple[int, int, str]] = set()
    current: list[int] | None = None
    current_type = ""
    for (_token, tag), (start, end) in zip(sentence, offsets, strict=True):
        kind = tag[2:] if tag != "O" else ""
        if current is not None and (not kind or tag.startswith("B-") or kind != current_type):
            spans.add((current[0], current[1], current_type))
            current = None
        if kind:
            if current is None:
                current, current_type = [base + start, base + end], kind
            else:
                current[1] = base + end
        else:
            current_type = ""
    if current is not None:
        spans.add((current[0], current[1], current_type))
    return spans


def _is_byline(sentence: list[tuple[str, str]]) -> bool:
    return 2 <= len(sentence) <= 4 and all(tag.endswith("PER") for _t, tag in sentence)


def wire_article(
    document: ConllDocument, tokenized: bool = False, blank_after_headline: bool = False
) -> WireArticle:
    """The user's file of `document`: headline, byline, dateline, one paragraph per sentence."""
    sentences = document.sentences
    lines: list[tuple[str, list[tuple[int, int]]]] = [
        detokenize([token for token, _tag in sentence], tokenized) for sentence in sentences
    ]
    # a byline stands between the headline and the dateline (which may be cut in two
    # sentences: "LITTLE ROCK, Ark." "1996-08-22")
    has_byline = (
        len(sentences) > 2
        and _is_byline(sentences[1])
        and any(_DATE_TOKEN.match(token) for s in sentences[2:4] for token, _tag in s)
    )
    body_from = 2 if has_byline else 1
    headline = lines[0][0]
    byline = lines[1][0] if has_byline else None
    text_parts: list[str] = []
    position = 0
    article = WireArticle(text="", headline=headline, byline=byline)
    for index, (line, offsets) in enumerate(lines):
        if index:
            text_parts.append("\n" if index < body_from and not blank_after_headline else "\n\n")
            position += len(text_parts[-1])
        if index >= body_from:
            article.sentences.append((position, position + len(line)))
            article.gold |= _entity_spans(sentences[index], offsets, position)
        text_parts.append(line)
        position += len(line)
    article.text = "".join(text_parts) + "\n"
    return article


def body_offsets(article: Article, text: str) -> list[tuple[int, int]]:
    """Where each paragraph of the cleaned body stands in the file's text (-1 if not found)."""
    found: list[tuple[int, int]] = []
    position = 0
    for paragraph in article.body.split("\n\n") if article.body else []:
        at = text.find(paragraph, position)
        if at < 0:
            at = text.find(paragraph)
        found.append((at, at + len(paragraph)))
        if at >= 0:
            position = at + len(paragraph)
    return found


def predicted_file_spans(
    article: Article, text: str, paragraphs: list[tuple[int, int]]
) -> set[tuple[int, int, str]]:
    """The article's entities as CoNLL-typed spans in the file's text."""
    honorifics = gazetteer().honorifics
    starts: list[tuple[int, int]] = []  # (body offset, file offset) of each paragraph
    body_position = 0
    for file_start, file_end in paragraphs:
        starts.append((body_position, file_start))
        body_position += (file_end - file_start) + 2
    spans: set[tuple[int, int, str]] = set()
    for entity in article.entities:
        kind = TO_CONLL.get(entity.label)
        if kind is None:
            continue
        base = next((b, f) for b, f in reversed(starts) if b <= entity.start)
        if base[1] < 0:
            continue
        start = entity.start - base[0] + base[1]
        end = entity.end - base[0] + base[1]
        if kind == "PER":
            first, _, rest = entity.text.partition(" ")
            if first in honorifics and rest:
                start += len(first) + 1
        spans.add((start, end, kind))
    return spans


@dataclass
class Score:
    documents: int = 0
    titles: int = 0
    sentences: int = 0
    kept: int = 0
    complete: int = 0
    words: int = 0
    seconds: float = 0.0
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # whole pipeline
    kept_counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # kept sentences


def score_documents(
    documents: list[ConllDocument],
    tokenized: bool,
    write: Path,
    blank_after_headline: bool = False,
    corpus: bool = False,
    show: int = 0,
    errors: list[str] | None = None,
) -> Score:
    score = Score()
    shown = 0
    write.mkdir(parents=True, exist_ok=True)
    wires = [wire_article(document, tokenized, blank_after_headline) for document in documents]
    docs: list[Document] = []
    for number, wire in enumerate(wires):
        path = write / f"conll-{number:04d}.txt"
        path.write_text(wire.text, encoding="utf-8")
        (doc,) = documents_from_file(path)
        assert isinstance(doc, Document), doc
        docs.append(doc)
    # a folder of wire copy read as one corpus: lines that recur across its files
    # ("LONDON 1996-08-22", a bureau's sign-off) are the corpus-level boilerplate signal
    recurring = recurring_lines(docs) if corpus else frozenset()
    for wire, doc in zip(wires, docs, strict=True):
        name = Path(doc.path).name
        began = time.process_time()
        article = analyze_document(doc, recurring)
        score.seconds += time.process_time() - began
        score.words += len(wire.text.split())
        score.documents += 1
        title_right = article.title == wire.headline
        score.titles += title_right
        paragraphs = body_offsets(article, wire.text)
        kept_set = set(paragraphs)
        kept = [s for s in wire.sentences if s in kept_set]
        score.sentences += len(wire.sentences)
        score.kept += len(kept)
        score.complete += len(kept) == len(wire.sentences)
        predicted = predicted_file_spans(article, wire.text, paragraphs)
        kept_ranges = [range(a, b + 1) for a, b in kept]
        for counts, gold in (
            (score.counts, wire.gold),
            (score.kept_counts, {g for g in wire.gold if any(g[0] in r for r in kept_ranges)}),
        ):
            for span in predicted & gold:
                counts[span[2], "tp"] += 1
            for span in predicted - gold:
                counts[span[2], "fp"] += 1
            for span in gold - predicted:
                counts[span[2], "fn"] += 1
        if errors is not None:
            for span in predicted - wire.gold:
                errors.append(f"FP {span[2]:4} {wire.text[span[0] : span[1]]!r}")
            for span in wire.gold - predicted:
                errors.append(f"FN {span[2]:4} {wire.text[span[0] : span[1]]!r}")
        if shown < show and (not title_right or len(kept) < len(wire.sentences)):
            shown += 1
            lost = [wire.text[a:b] for a, b in wire.sentences if (a, b) not in kept_set]
            print(f"--- {name}  title {'ok' if title_right else 'WRONG'}: {article.title!r}")
            print(f"    headline: {wire.headline!r}  byline: {wire.byline!r} -> {article.byline!r}")
            for line in lost[:12]:
                print(f"    lost: {line[:110]!r}")
    return score


def _typed_f1(counts: Counter[tuple[str, str]]) -> tuple[float, float, float]:
    kinds = ("PER", "ORG", "LOC", "MISC")
    return f1(*(sum(counts[k, what] for k in kinds) for what in ("tp", "fp", "fn")))


def report(label: str, score: Score) -> None:
    p, r, f = _typed_f1(score.counts)
    _kp, _kr, kf = _typed_f1(score.kept_counts)
    print(
        f"{label}: documents {score.documents}  title = headline {score.titles} "
        f"({score.titles / max(score.documents, 1):.1%})  body sentences kept "
        f"{score.kept}/{score.sentences} ({score.kept / max(score.sentences, 1):.2%}), "
        f"documents complete {score.complete}"
    )
    print(
        f"    entities, whole pipeline: P={p:.4f} R={r:.4f} F1={f:.4f};"
        f"  on kept sentences F1={kf:.4f}"
    )
    per_type = "  ".join(
        f"{k} {f1(score.counts[k, 'tp'], score.counts[k, 'fp'], score.counts[k, 'fn'])[2]:.3f}"
        for k in ("PER", "ORG", "LOC", "MISC")
    )
    print(f"    per type: {per_type}")
    if score.seconds:
        print(f"    analysis speed {score.words / score.seconds:,.0f} words/s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    parser.add_argument("--part", choices=("all", "even", "odd"), default="all")
    parser.add_argument("--tokenized", action="store_true", help="keep CoNLL's token spacing")
    parser.add_argument(
        "--blank-lines", action="store_true", help="a blank line after the headline and byline too"
    )
    parser.add_argument(
        "--corpus", action="store_true", help="with the corpus-level signal of all the files"
    )
    parser.add_argument("--show", type=int, default=0, help="print N documents with losses")
    parser.add_argument("--errors", type=int, default=0, help="print the N commonest entity errors")
    parser.add_argument("--write", type=Path, help="write the files into DIR (default: a temp dir)")
    args = parser.parse_args()
    for path in args.paths:
        documents = read_conll(path)
        if args.part != "all":
            documents = documents[0 if args.part == "even" else 1 :: 2]
        errors: list[str] | None = [] if args.errors else None
        with tempfile.TemporaryDirectory() as temp:
            folder = args.write or Path(temp)
            score = score_documents(
                documents,
                args.tokenized,
                folder,
                args.blank_lines,
                args.corpus,
                args.show,
                errors,
            )
        style = (
            ", tokenized" * args.tokenized
            + ", blank lines" * args.blank_lines
            + ", as one corpus" * args.corpus
        )
        label = f"{path.name} ({args.part}{style})"
        report(label, score)
        if errors:
            for line, count in Counter(errors).most_common(args.errors):
                print(f"{count:4}  {line}")


if __name__ == "__main__":
    main()
