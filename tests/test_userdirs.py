"""corpus.userdirs answers what platformdirs answers, without importing it on XDG platforms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from corpus import userdirs

VARIABLES = {"cache": "XDG_CACHE_HOME", "data": "XDG_DATA_HOME", "config": "XDG_CONFIG_HOME"}


def platformdirs_answer(kind: str) -> Path:
    if kind == "cache":
        return Path(platformdirs.user_cache_dir("newsreader"))
    if kind == "data":
        return Path(platformdirs.user_data_dir("newsreader", appauthor=False))
    return Path(platformdirs.user_config_dir("newsreader", appauthor=False))


@pytest.mark.skipif(not userdirs._plain_xdg(), reason="the XDG rule applies on Linux and the BSDs")
@pytest.mark.parametrize("kind", sorted(VARIABLES))
@pytest.mark.parametrize("value", [None, "", "   ", "/srv/elsewhere", "relative/dir", "~/tilde"])
def test_the_xdg_rule_matches_platformdirs(
    kind: str, value: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if value is None:
        monkeypatch.delenv(VARIABLES[kind], raising=False)
    else:
        monkeypatch.setenv(VARIABLES[kind], value)
    assert userdirs.user_dir(kind) == platformdirs_answer(kind)  # type: ignore[arg-type]


def test_other_platforms_ask_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(userdirs, "_plain_xdg", lambda: False)
    for kind in VARIABLES:
        assert userdirs.user_dir(kind) == platformdirs_answer(kind)  # type: ignore[arg-type]


@pytest.mark.skipif(not userdirs._plain_xdg(), reason="the XDG rule applies on Linux and the BSDs")
def test_the_xdg_path_does_not_import_platformdirs(tmp_path: Path) -> None:
    code = (
        "import sys; from corpus.userdirs import user_dir; "
        "[user_dir(k) for k in ('cache', 'data', 'config')]; "
        "print('platformdirs' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "False"
