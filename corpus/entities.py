"""Named-entity recognition: who and what an article names, with one canonical name each.

`find_entities(body)` returns the entity mentions of one cleaned body with document-level
canonical names; `canonicalize_corpus(articles)` resolves canonical names across a corpus and
rewrites quote speakers to match.

The built-in recogniser (the default, pure Python, no download) combines:
- a two-pass averaged-perceptron tagger trained on CoNLL-2003 (corpus/ner_tagger.py) that
  finds PER/ORG/LOC/MISC names among capitalised tokens; its second pass reads the first
  pass's labels of the same word elsewhere in the article, so a name keeps one label through
  headlines, tables and sentence starts;
- rules for DATE, MONEY, PERCENT, "Number 10" and "Article 5" (corpus/ner_rules.py);
- honorifics ("Mr", "Sir") that always start a PERSON and stay in its span, job titles that
  never do ("President Trump" -> "Trump");
- shipped gazetteers and cue words that turn CoNLL types into the product's labels (LOC ->
  GPE/LOC/FAC, MISC -> NORP/EVENT/LAW, everything else in MISC is dropped);
- document-level consistency: a surname, or a name seen tagged elsewhere in the article, gets
  the same label when the tagger missed it, and every mention of a person gets the person's
  fullest name as its canonical form ("Sir Keir", "Starmer" -> "Keir Starmer").

`find_entities(body, backend="spacy")` uses a spaCy pipeline instead (`spacy_model_name` says
which), its labels mapped to ours and its offsets into the same cleaned body; spaCy is
imported only then.

This module is the entry point (the backend chosen and checked); the parts live in
`corpus.ner_builtin` (the built-in recogniser's steps, glued), `corpus.ner_mentions` (the
rules that fix the tagger's mentions), `corpus.ner_labels` (CoNLL and spaCy labels -> ours),
`corpus.ner_canonical` (canonical names in an article and across a corpus) and
`corpus.ner_spacy` (the spaCy adapter).
"""

from __future__ import annotations

from corpus import ner_spacy
from corpus.model import Entity
from corpus.ner_builtin import find_builtin_entities
from corpus.ner_canonical import canonicalize_corpus
from corpus.ner_spacy import SPACY_MODEL_ENV, EntityBackendUnavailable, spacy_model_name
from corpus.ner_tagger import NameTagger

BACKENDS = ("builtin", "spacy")


def find_entities(
    body: str, backend: str = "builtin", *, tagger: NameTagger | None = None
) -> list[Entity]:
    """Entity mentions in `body`, in text order, with document-level canonical names.

    `backend` is "builtin" (default) or "spacy" (needs spaCy and an English model installed).
    `tagger` replaces the shipped name tagger of the built-in backend (cross-validation in
    benchmarks/ner_cv.py trains its own).
    """
    check_backend(backend)
    if backend == "spacy":
        return ner_spacy.find_spacy_entities(body)
    return find_builtin_entities(body, tagger)


def check_backend(backend: str) -> None:
    """Raise now what `find_entities(..., backend)` would raise on its first call.

    ValueError for an unknown backend, EntityBackendUnavailable when spaCy or its model is
    missing, so a command can say so before it reads a whole corpus.
    """
    if backend == "spacy":
        ner_spacy.spacy_pipeline()
    elif backend != "builtin":
        raise ValueError(f"unknown entity backend {backend!r} (choose from {', '.join(BACKENDS)})")


__all__ = [
    "BACKENDS",
    "SPACY_MODEL_ENV",
    "EntityBackendUnavailable",
    "canonicalize_corpus",
    "check_backend",
    "find_entities",
    "spacy_model_name",
]
