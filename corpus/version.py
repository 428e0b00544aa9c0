"""The newsreader version, as a constant: `newsreader --version` and the index cache stamp.

Reading it with `importlib.metadata` costs ~20 ms at every start (the import and a scan of
the installed distributions); a constant costs nothing. `pyproject.toml` carries the same
number and tests/test_cli_speed.py checks that the two agree.
"""

from __future__ import annotations

VERSION = "0.1.0"
