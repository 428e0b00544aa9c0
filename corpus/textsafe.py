"""Make scraped text inert before it can reach a terminal.

Scraped pages can carry ANSI/VT escape sequences (colour, cursor moves, OSC 8 links, OSC 52
clipboard writes, window-title changes), C0/C1 control characters, and Unicode bidi controls
that reorder what a reader sees. `make_safe` removes all of them on reading, so nothing later
in the pipeline (cleaner, index, app, exports) ever holds them. Tab, newline and carriage
return are kept as layout (CR/CRLF are normalised to LF).

Zero-width characters are kept only where they carry meaning inside a word (ZWJ/ZWNJ in
scripts that need them); stray zero-width spaces and BOMs are dropped.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes (ESC + one char).
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL | ST (unterminated: to the next ESC)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?     # DCS, SOS, PM, APC ... ST
    | \x1b[@-Z\\-_]                     # 7-bit C1 equivalents (ESC + one char)
    | \x1b                              # a lone ESC
    | \x9b[0-?]*[ -/]*[@-~]             # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?    # 8-bit OSC
    """,
    re.VERBOSE,
)

# C0 controls except \t \n \r, DEL, C1 controls; bidi embeddings/overrides/isolates; BOM,
# zero-width space, word joiner, soft hyphen, interlinear annotation marks.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\ufeff\u200b\u2060\u00ad\ufff9-\ufffb]"
)


def make_safe(text: str) -> str:
    """Return `text` with escape sequences, control and bidi characters removed.

    Line endings become "\\n". Idempotent: `make_safe(make_safe(x)) == make_safe(x)`.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def has_unsafe(text: str) -> bool:
    """True when `make_safe` would change `text` (other than line endings)."""
    return bool(_CONTROLS.search(text) or "\x1b" in text)
