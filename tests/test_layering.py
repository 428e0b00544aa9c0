"""`corpus` and `store` must stay free of the UI: importing them must not import textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import importlib, pkgutil, sys
import {pkg}
for info in pkgutil.walk_packages({pkg}.__path__, "{pkg}."):
    importlib.import_module(info.name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})
print(",".join(bad))
"""


def imported_forbidden(pkg: str, forbidden: set[str]) -> str:
    code = CHECK.format(pkg=pkg, forbidden=forbidden)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return result.stdout.strip()


def test_corpus_imports_neither_textual_nor_tinydb() -> None:
    assert imported_forbidden("corpus", {"textual", "tinydb"}) == ""


def test_store_does_not_import_textual() -> None:
    assert imported_forbidden("store", {"textual"}) == ""


def test_the_import_contracts_hold() -> None:
    """The contracts in pyproject.toml's [tool.importlinter] (the layers tui > store > corpus),
    checked by import-linter over every import, those inside functions too."""
    pytest.importorskip("importlinter")
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout
