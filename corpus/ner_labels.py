"""Label mapping: what a recogniser calls a name -> the product's entity labels.

The built-in tagger gives CoNLL types (PER, ORG, LOC, MISC): `product_label` turns a
mention's type into PERSON, ORG, GPE/LOC/FAC or NORP/EVENT/LAW with the shipped gazetteers
and head words, and drops the rest of MISC. spaCy's labels map through `SPACY_LABEL_MAP`,
and `place_label` files a place where our gazetteers name it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from corpus.ner_gazetteer import Gazetteer

if TYPE_CHECKING:
    from corpus.ner_mentions import Mention

_DEMONYM_SUFFIX = re.compile(r"(?:an|ans|ese|ish|ch|i|is|ic|en|ens)$")
_COMPASS = frozenset(
    {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western"}
)


def product_label(mention: Mention, words: list[str], gaz: Gazetteer) -> str:
    """The product label of a tagger mention ("" when the product has no label for it).

    The tagger's type decides between people, organisations, places and the rest; gazetteers
    and head words refine it: LOC -> GPE (default), LOC or FAC; MISC -> NORP, EVENT or LAW,
    anything else in MISC (products, works, languages) has no product label and is dropped.
    """
    tokens = words[mention.first : mention.last]
    text = " ".join(tokens)
    kind = mention.kind
    alias = gaz.aliases.get(text)
    if alias and alias[1] and not (kind == "PER" and len(tokens) > 1):
        return alias[1]
    if kind == "PER":
        if len(tokens) == 1 and text in gaz.gpe and text not in gaz.first_names:
            return "GPE"  # a country the tagger took for a surname
        return "PERSON"
    if text.isupper() and len(text) > 3:
        text = text.title()  # headline capitals: look the name up as it is usually written
        tokens = text.split()
    if text in gaz.norp and kind != "LOC":
        return "NORP"
    if text in gaz.fac:
        return "FAC"
    head = tokens[-1]
    cue = gaz.cues.get(head) or gaz.cues.get(tokens[0])
    if kind == "ORG":
        return "ORG"
    if cue == "EVENT" and len(tokens) > 1:
        return "EVENT"  # "Hong Kong Open", "World Cup"
    if text in gaz.gpe:
        return "GPE" if kind != "MISC" else ""
    if text in gaz.loc:
        return "LOC" if kind != "MISC" else ""
    if kind == "LOC":
        if cue in ("FAC", "LOC"):
            return cue
        return "GPE"
    if not kind:
        return "ORG" if cue == "ORG" else ""
    # MISC
    if cue in ("EVENT", "LAW"):
        return cue
    if len(tokens) > 2 and any(gaz.cues.get(t) == "EVENT" for t in tokens[1:]):
        return "EVENT"  # "World Series of Golf"
    if len(tokens) == 1 and _DEMONYM_SUFFIX.search(text):
        return "NORP"
    if (
        len(tokens) == 2
        and (tokens[0] in _COMPASS or tokens[0] in gaz.norp or tokens[0] == "Latin")
        and (tokens[1] in gaz.norp or _DEMONYM_SUFFIX.search(tokens[1]))
    ):
        return "NORP"  # "South Korean", "Iraqi Kurds", "Latin American"
    return ""


# spaCy's labels (OntoNotes, and the PER/LOC/ORG/MISC of WikiNER-style pipelines) -> ours.
# CARDINAL, ORDINAL, QUANTITY, TIME, PRODUCT, WORK_OF_ART, LANGUAGE and MISC have no
# counterpart and are dropped, as the built-in recogniser drops them.
SPACY_LABEL_MAP: dict[str, str] = {
    **{label: label for label in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")},
    **{label: label for label in ("LAW", "DATE", "MONEY", "PERCENT")},
    "PER": "PERSON",
}


def place_label(text: str, label: str, gaz: Gazetteer) -> str:
    """A place's label in our convention, where our gazetteers name it (OntoNotes calls
    "Europe" LOC; newsreader files it with the places that are polities, GPE)."""
    for kind, names in (("GPE", gaz.gpe), ("LOC", gaz.loc), ("FAC", gaz.fac)):
        if text in names:
            return kind
    return label
