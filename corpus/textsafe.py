"""Make scraped text inert before it can reach a terminal.

Scraped pages can carry ANSI/VT escape sequences (colour, cursor moves, OSC 8 links, OSC 52
clipboard writes, window-title changes), C0/C1 control characters, and Unicode bidi controls
that reorder what a reader sees. `make_safe` removes all of them on reading, so nothing later
in the pipeline (cleaner, index, app, exports) ever holds them. Tab, newline and carriage
return are kept as layout (CR/CRLF are normalised to LF). Lone surrogates (a JSON file can
spell one as ``"\\ud800"``) cannot be written as UTF-8 and become U+FFFD.

Zero-width characters are kept only where they carry meaning inside a word (ZWJ/ZWNJ in
scripts that need them); stray zero-width spaces and BOMs are dropped.

Names are different: a file name must still name its file, so it is not silently changed
but shown with its hidden characters made visible (`visible_name`: ``evil\\x1b[31m.txt``,
``invoice\\u202etxt.exe``), which is how the CLI and the app should print paths.
`visible_text` does the same for a message of several lines, keeping its line breaks.

Every pattern here is linear in the text length: an escape sequence that is never
terminated ends at the end of its line, so one stray ESC cannot swallow an article, and a
sequence's payload stops at the next introducer, so no character is scanned twice by
sequences that fail to match.
"""

from __future__ import annotations

import re
from typing import Any

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes (ESC + one char); an unterminated string
# sequence ends at the end of its line. The 8-bit C1 forms of CSI, and of OSC and
# DCS/SOS/PM/APC when terminated: a lone C1 byte is as often a stray byte of a Latin-1 text
# as a sequence, so only the character itself goes (`_CONTROLS`), not the words after it.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                         # CSI
    | \x1b\][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?   # OSC ... BEL | ST
    | \x1b[PX^_][^\x1b\x9c\n]*(?:\x1b\\|\x9c)?        # DCS, SOS, PM, APC ... ST
    | \x1b[ -/]*[0-~]                               # ESC 7, ESC c, ESC ( B, ESC # 8 ...
    | \x1b                                          # a lone ESC
    | \x9b[0-?]*[ -/]*[@-~]                         # 8-bit CSI
    | \x9d[^\x07\x1b\x80-\x9f\n]*(?:\x07|\x9c)        # 8-bit OSC, terminated
    | [\x90\x98\x9e\x9f][^\x1b\x80-\x9f\n]*\x9c       # 8-bit DCS, SOS, PM, APC, terminated
    """,
    re.VERBOSE,
)

# C0 controls except \t \n \r, DEL, C1 controls; bidi embeddings/overrides/isolates and marks;
# BOM, zero-width space, word joiner, invisible operators, soft hyphen, interlinear
# annotation marks.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\ufeff\u200b\u2060-\u2064\u00ad\ufff9-\ufffb]"
)

_SURROGATES = re.compile("[\ud800-\udfff]")

# What `visible_name` spells out: every control `make_safe` drops, plus line breaks, tabs,
# ZWJ/ZWNJ (invisible in a name) and the Unicode line/paragraph separators.
_HIDDEN_IN_NAME = re.compile(
    "[\x00-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2028\u2029"
    "\ufeff\u2060-\u2064\u00ad\ufff9-\ufffb\ud800-\udfff]"
)


def make_safe(text: str) -> str:
    """Return `text` with escape sequences, control and bidi characters removed.

    Line endings become "\\n"; lone surrogates become U+FFFD. Idempotent:
    `make_safe(make_safe(x)) == make_safe(x)`.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or _has_c1_introducer(text):
        text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    if not text.isascii() and _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    return text


def _has_c1_introducer(text: str) -> bool:
    return any(c in text for c in "\x90\x98\x9b\x9d\x9e\x9f")


def has_unsafe(text: str) -> bool:
    """True when `make_safe` would change `text` (other than line endings)."""
    return bool(_CONTROLS.search(text) or "\x1b" in text or _SURROGATES.search(text))


def _spell(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible_name(name: str) -> str:
    """`name` (a file name, a path) with every hidden character spelled out as an escape.

    Escape sequences, control characters, bidi controls, zero-width characters and the
    undecodable bytes of a non-UTF-8 file name become ``\\xNN`` / ``\\uNNNN`` text, so the
    name prints as one inert line that still says which file it is. A backslash is left as
    it is (names rarely contain one, and doubling it would misquote Windows paths).
    """
    if name.isprintable() and name.isascii():
        return name
    return _HIDDEN_IN_NAME.sub(lambda match: _spell(match.group()), name)


def visible_text(message: str) -> str:
    """A message for a terminal: every line as `visible_name` shows it, line breaks kept.

    For text the program composed (an error listing several articles, one per line) that may
    quote names: its own line breaks stay line breaks, everything else hidden is spelled out.
    A name quoted inside should still go through `visible_name` first, so that a line break
    in the name cannot start a line that looks like the program's own.
    """
    return "\n".join(visible_name(line) for line in message.split("\n"))


# What json.dumps leaves raw but a terminal or editor may act on: DEL and C1 controls, bidi
# controls, zero-width and BOM characters, line/paragraph separators; and lone surrogates
# (an undecodable byte of a file name), which are never valid in UTF-8 output.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\u200b\u2060\u00ad"
    "\ufff9-\ufffb\u2028\u2029\ud800-\udfff]"
)


def dumps_inert(value: Any, **kwargs: Any) -> str:
    """json.dumps with non-ASCII kept readable but every unsafe character \\u-escaped."""
    import json  # (here: the commands that print no JSON do not pay for it)

    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """ "1 article", "2,126 articles"."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {plural_form or noun + 's'}"
