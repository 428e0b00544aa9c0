"""The word lists the entity recogniser ships with (corpus/data/gazetteer_*.txt, ner_aliases.tsv).

Each file names its source in its header comment. They are read once, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("corpus").joinpath("data", name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and line[0] != "#"]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """All shipped word lists, in the shapes the tagger and the rules look them up in."""

    gpe: frozenset[str]  # full names ("New York", "UK")
    loc: frozenset[str]
    norp: dict[str, str]  # any form -> adjective ("Ukrainians" -> "Ukrainian")
    first_names: frozenset[str]
    honorifics: frozenset[str]
    titles: frozenset[str]  # role words and their modifiers ("Foreign", "Secretary")
    title_roles: frozenset[str]  # the role words alone ("Secretary", "President")
    fac: frozenset[str]
    cues: dict[str, str]  # head word -> label ("Ministry" -> "ORG")
    aliases: dict[str, tuple[str, str]]  # surface -> (canonical, label or "")
    cities: frozenset[str]  # GeoNames cities (a tagger feature only)
    census_first_names: frozenset[str]  # tagger feature only
    census_surnames: frozenset[str]  # tagger feature only
    gpe_tokens: frozenset[str]  # words that occur inside a multi-word GPE name
    loc_tokens: frozenset[str]


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once)."""
    gpe = frozenset(_lines("gazetteer_gpe.txt"))
    loc = frozenset(_lines("gazetteer_loc.txt"))
    norp: dict[str, str] = {}
    for line in _lines("gazetteer_norp.txt"):
        forms = line.split("\t")
        for form in forms:
            norp.setdefault(form, forms[0])
    cues: dict[str, str] = {}
    for line in _lines("gazetteer_cues.txt"):
        label, word = line.split("\t")
        cues.setdefault(word, label)
    aliases: dict[str, tuple[str, str]] = {}
    for line in _lines("ner_aliases.tsv"):
        parts = line.split("\t")
        aliases[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    titles: dict[str, str] = {}
    for line in _lines("gazetteer_titles.txt"):
        kind, word = line.split("\t")
        titles.setdefault(word, kind)
    return Gazetteer(
        gpe=gpe,
        loc=loc,
        norp=norp,
        first_names=frozenset(_lines("gazetteer_first_names.txt")),
        honorifics=frozenset(_lines("gazetteer_honorifics.txt")),
        titles=frozenset(titles),
        title_roles=frozenset(word for word, kind in titles.items() if kind == "role"),
        fac=frozenset(_lines("gazetteer_fac.txt")),
        cues=cues,
        aliases=aliases,
        cities=frozenset(_lines("gazetteer_cities.txt")),
        census_first_names=frozenset(_lines("gazetteer_census_first_names.txt")),
        census_surnames=frozenset(_lines("gazetteer_census_surnames.txt")),
        gpe_tokens=frozenset(w for name in gpe if " " in name for w in name.split()),
        loc_tokens=frozenset(w for name in loc if " " in name for w in name.split()),
    )
