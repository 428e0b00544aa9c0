"""The user's cache, data and config folders for newsreader, without paying for platformdirs
where the answer is the XDG base-directory rule.

On Linux and the BSDs the folders are `$XDG_CACHE_HOME`, `$XDG_DATA_HOME` and
`$XDG_CONFIG_HOME` when they are absolute paths (the specification ignores relative ones),
else `~/.cache`, `~/.local/share` and `~/.config`, each with `newsreader` appended: what
platformdirs answers there (tests/test_userdirs.py compares the two). Importing platformdirs
costs ~5 ms (it imports `tempfile`, `shutil`, `random` ...), a tenth of a search from the
shell, so it is imported only on the other platforms (Windows, macOS, Android), whose rules
are its business.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

APP_NAME = "newsreader"

Kind = Literal["cache", "data", "config"]

_XDG = {
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "config": ("XDG_CONFIG_HOME", "~/.config"),
}


def _plain_xdg() -> bool:
    """Whether this platform follows the XDG rule (not Windows, macOS, iOS or an Android app)."""
    if sys.platform in ("win32", "darwin", "ios", "cygwin") or hasattr(sys, "getandroidapilevel"):
        return False
    return not (os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT"))


def user_dir(kind: Kind) -> Path:
    """The user's `kind` folder for newsreader (not created)."""
    if _plain_xdg():
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "")
        if not os.path.isabs(base):
            base = os.path.expanduser(fallback)
        return Path(base) / APP_NAME
    import platformdirs

    if kind == "cache":  # (with the default author, as the cache has always been found)
        return Path(platformdirs.user_cache_dir(APP_NAME))
    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
