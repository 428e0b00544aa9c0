"""Score the entity recogniser on CoNLL-2003 (default: eng.testa, the development set).

Usage: .venv/bin/python benchmarks/ner_conll.py [path/to/eng.testa] [--errors N]
       [--backend builtin|spacy]

Each CoNLL document is turned into text by joining its tokens with single spaces and its
sentences with newlines (so a headline line stays a line of its own); `find_entities` runs on
that text and its spans are mapped back to CoNLL tokens by character offsets. Labels are mapped
as in shared/corpora/README.md: PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC,
NORP/EVENT/LAW/PRODUCT/WORK_OF_ART->MISC; DATE/MONEY/PERCENT are not scored. One convention
differs between the two annotation schemes and is mapped too: CoNLL leaves honorifics ("Mr.")
outside PER spans while newsreader includes them, so a leading honorific is dropped from a
predicted PERSON before scoring. The score is exact-span typed micro F1, overall and over
PER/ORG/LOC only. The script also prints the recogniser's speed on this text.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.entities import find_entities  # noqa: E402
from corpus.ner_gazetteer import gazetteer  # noqa: E402
from corpus.ner_tagger import NameTagger  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "corpora" / "conll2003" / "eng.testa"
TO_CONLL = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
    "EVENT": "MISC", "LAW": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
}  # fmt: skip


@dataclass
class ConllDocument:
    """One CoNLL document: sentences of (token, IOB1 tag)."""

    sentences: list[list[tuple[str, str]]]

    def text_and_offsets(self) -> tuple[str, list[list[tuple[int, int]]]]:
        """The document as text (tokens joined by spaces, sentences by newlines) with offsets."""
        parts: list[str] = []
        offsets: list[list[tuple[int, int]]] = []
        position = 0
        for s_index, sentence in enumerate(self.sentences):
            if s_index:
                parts.append("\n")
                position += 1
            sentence_offsets = []
            for t_index, (token, _tag) in enumerate(sentence):
                if t_index:
                    parts.append(" ")
                    position += 1
                parts.append(token)
                sentence_offsets.append((position, position + len(token)))
                position += len(token)
            offsets.append(sentence_offsets)
        return "".join(parts), offsets

    def gold_spans(self) -> set[tuple[int, int, str]]:
        """Gold entities as character spans (start, end, CoNLL type)."""
        _text, offsets = self.text_and_offsets()
        spans: set[tuple[int, int, str]] = set()
        for sentence, sentence_offsets in zip(self.sentences, offsets, strict=True):
            current: list[int] | None = None
            current_type = ""
            for (_token, tag), (start, end) in zip(sentence, sentence_offsets, strict=True):
                kind = tag[2:] if tag != "O" else ""
                starts_new = tag.startswith("B-") or kind != current_type
                if current is not None and (not kind or starts_new):
                    spans.add((current[0], current[1], current_type))
                    current = None
                if kind:
                    if current is None:
                        current = [start, end]
                        current_type = kind
                    else:
                        current[1] = end
                else:
                    current_type = ""
            if current is not None:
                spans.add((current[0], current[1], current_type))
        return spans


def read_conll(path: Path) -> list[ConllDocument]:
    """Documents of a CoNLL-2003 file (any -DOCSTART- line separates documents)."""
    documents: list[ConllDocument] = []
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if sentence:
                sentences.append(sentence)
                sentence = []
            if sentences:
                documents.append(ConllDocument(sentences))
                sentences = []
            continue
        if not line.strip():
            if sentence:
                sentences.append(sentence)
                sentence = []
            continue
        fields = line.split()
        sentence.append((fields[0], fields[-1]))
    if sentence:
        sentences.append(sentence)
    if sentences:
        documents.append(ConllDocument(sentences))
    return documents


def predicted_spans(
    text: str, tagger: NameTagger | None = None, backend: str = "builtin"
) -> set[tuple[int, int, str]]:
    """find_entities on `text` (with `tagger`, if given), mapped to CoNLL types and conventions."""
    honorifics = gazetteer().honorifics
    spans: set[tuple[int, int, str]] = set()
    for entity in find_entities(text, backend, tagger=tagger):
        kind = TO_CONLL.get(entity.label)
        if kind is None:
            continue
        start = entity.start
        if kind == "PER":
            first, _, rest = entity.text.partition(" ")
            if first in honorifics and rest:
                start += len(first) + 1
        spans.add((start, entity.end, kind))
    return spans


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--errors", type=int, default=0, help="print N example errors")
    parser.add_argument(
        "--backend", choices=("builtin", "spacy"), default="builtin", help="entity recogniser"
    )
    args = parser.parse_args()
    documents = read_conll(args.path)
    if args.backend != "builtin":
        find_entities("Warm-up.", args.backend)  # load the pipeline outside the timing
    counts: Counter[tuple[str, str]] = Counter()  # (type, tp/fp/fn)
    errors: list[str] = []
    words = 0
    elapsed = 0.0
    for document in documents:
        text, _offsets = document.text_and_offsets()
        gold = document.gold_spans()
        words += len(text.split())
        began = time.process_time()
        predicted = predicted_spans(text, backend=args.backend)
        elapsed += time.process_time() - began
        for span in predicted & gold:
            counts[span[2], "tp"] += 1
        for span in predicted - gold:
            counts[span[2], "fp"] += 1
            errors.append(f"FP {span[2]:4} {text[span[0] : span[1]]!r}")
        for span in gold - predicted:
            counts[span[2], "fn"] += 1
            errors.append(f"FN {span[2]:4} {text[span[0] : span[1]]!r}")
    print(f"file: {args.path}  documents: {len(documents)}  words: {words}  {args.backend}")
    for kind in ("PER", "ORG", "LOC", "MISC"):
        p, r, f = f1(counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"])
        gold = counts[kind, "tp"] + counts[kind, "fn"]
        print(f"{kind:5} P={p:.3f} R={r:.3f} F1={f:.3f}  (gold {gold})")
    for name, kinds in (
        ("typed F1 (all)", ("PER", "ORG", "LOC", "MISC")),
        ("PER/ORG/LOC F1", ("PER", "ORG", "LOC")),
    ):
        tp = sum(counts[k, "tp"] for k in kinds)
        fp = sum(counts[k, "fp"] for k in kinds)
        fn = sum(counts[k, "fn"] for k in kinds)
        p, r, f = f1(tp, fp, fn)
        print(f"{name}: P={p:.4f} R={r:.4f} F1={f:.4f}")
    print(f"find_entities speed: {words / elapsed:,.0f} words/s CPU ({elapsed:.2f} s, cold caches)")
    if args.errors:
        for line in Counter(errors).most_common(args.errors):
            print(f"{line[1]:3}  {line[0]}")


if __name__ == "__main__":
    main()
