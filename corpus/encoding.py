"""Bytes to text: Unicode with a BOM, UTF-8, UTF-16 without a BOM, legacy code pages, mojibake.

The fast path is unchanged from what most corpora need: a BOM names the encoding, and text
that decodes as UTF-8 is UTF-8. Everything else is a legacy code page, and the decoder must
guess which. Western European text in cp1252 is by far the commonest (and a short English
file gives a statistical detector too little to go on), so cp1252 is tried first and kept
when its text reads plausibly; otherwise charset-normalizer proposes the code pages that
decode the bytes (Central European, Cyrillic, Greek, Turkish, Baltic, Hebrew, Arabic and the
East Asian multi-byte ones) and the most plausible reading wins, charset-normalizer's order
breaking ties.

"Plausible" is measured on the decoded text, not on a language model (`implausibility`):
letters that no one alphabet explains together ("Pøedseda ... ètvrtek": Czech cp1250 read as
cp1252; "Ïðåçèäåíò": Russian cp1251 read as cp1252), a symbol inside a word ("powiedzia³":
Polish ISO-8859-2 read as cp1252), a case flip inside a word ("оПЕГХДЕМР": cp1251 read as
KOI8-R) and the replacement character each count against a reading.

Text that decoded as UTF-8 may still be mojibake: UTF-8 once read as cp1252 and saved again
("â€™" for "’"). Where the tell-tale pairs occur, `ftfy.fix_encoding` repairs it (encoding
only: curly quotes stay curly, the quote finder needs them).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from corpus.untrusted import UnreadableFile

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

BINARY_SIGNATURES = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"SQLite format 3",
)

LEGACY_ENCODINGS = (
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1257",
    "iso8859_13",
    "cp1255",
    "cp1256",
    "iso8859_15",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
)
"""Code pages proposed to charset-normalizer after cp1252 (news text seen in the wild)."""

SWITCH_MARGIN = 1.0
"""How much more plausible than cp1252 another code page must read to be chosen: one stray
undefined byte in a Western file is no reason to read it as Czech."""

SNIFF_BYTES = 64 * 1024
"""How much of a file the legacy-encoding guess reads (a guess, then the whole file decoded)."""

# A UTF-8 sequence read as cp1252 (or Latin-1): a lead byte's character, then one or two of
# the continuation bytes' characters ("â€™", "Ã©", "Ð¸").
_MOJIBAKE = re.compile(
    "[ÂÃÄÅÆÐÑØÙ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€"
)
_WORD_CHARS = re.compile(r"\S+")
_NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})
"""Unicode categories no text holds (control, unassigned, private use, surrogate): random
bytes read as UTF-16 are full of them."""
_EDGE_PUNCTUATION = ".,;:!?'\"()[]{}-–—…«»„“”‘’‚‹›"
_PUNCTUATION = frozenset(".,;:!?'\"()[]{}-–—‐‑…«»„“”‘’‚‹›/\\%&@#*+=<>|~^_`$€£¥¢§°·•")


def decode_bytes(data: bytes) -> str:
    """Decode file bytes (see the module docstring); never fails on text.

    Raises `UnreadableFile` for empty or binary data, and for text that a BOM declares but
    that does not decode.
    """
    if not data.strip():
        raise UnreadableFile("empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"broken {encoding} text") from error
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise UnreadableFile("binary file")
    if any(data.startswith(signature) for signature in BINARY_SIGNATURES):
        raise UnreadableFile("binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Chinese, Japanese or Korean UTF-16 can go 8 KB without a NUL
        utf16 = _utf16_without_bom(data) if len(data) % 2 == 0 else None
        return utf16 if utf16 is not None else _decode_legacy(data)
    return repair_mojibake(text)


def repair_mojibake(text: str) -> str:
    """`text` with UTF-8-read-as-cp1252 mojibake repaired; unchanged where there is none."""
    if text.isascii() or not _MOJIBAKE.search(text):
        return text
    import ftfy  # only for text that shows mojibake: the import costs ~35 ms

    return ftfy.fix_encoding(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM, or None.

    Text in a script of one-byte-range letters (Latin, Cyrillic, Greek ...) has its NULs on
    one side only: every other byte in Latin text, the spaces, digits and ASCII punctuation
    in the others. A script of two-byte letters (Chinese, Japanese, Korean) may have NULs on
    both sides (a character such as U+4E00 has one of its own) or none in the first 8 KB;
    then both byte orders are tried, and a reading is kept only when it reads as East Asian
    text (`_reads_as_east_asian`).
    """
    head = data[: 8192 - 8192 % 2]
    if len(head) < 4:
        return None
    even = head[0::2].count(0) / (len(head) // 2)
    odd = head[1::2].count(0) / (len(head) // 2)
    if odd > 0 and even <= min(0.02, odd / 10):
        orders: tuple[str, ...] = ("utf-16-le",)
    elif even > 0 and odd <= min(0.02, even / 10):
        orders = ("utf-16-be",)
    elif len(data) % 2 == 0:
        orders = ("utf-16-le", "utf-16-be")
    else:
        return None
    for encoding in orders:
        try:
            text = data[: len(data) - len(data) % 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:4000]
        if any(unicodedata.category(c) in _NOT_TEXT for c in sample if c not in "\t\n\r\f"):
            continue
        if len(orders) == 2 and _reads_as_east_asian(sample):
            return text
        if len(orders) == 1 and (
            _reads_as_east_asian(sample)
            or implausibility(sample) <= 0.02 * max(1, len(sample.split()))
        ):
            return text
    return None


EAST_ASIAN_SHARE = 0.9
"""The share of a UTF-16 reading's characters (not counting spaces and ASCII) that must be
Chinese, Japanese or Korean for a file with NULs on both sides or none to be read as UTF-16:
the wrong byte order, a legacy double-byte file or binary data read as UTF-16 scatter over
the whole of Unicode."""

STRUCTURE_SHARE = 0.02
"""The share of those characters that must be what only real East Asian text is full of:
ideographic punctuation (、。「」，), kana or Hangul syllables. Shift_JIS read as UTF-16 BE
falls among the ideographs (its lead bytes 0x88-0x9F are U+88xx-U+9Fxx) but never on them."""

_EAST_ASIAN = (
    ("\u3000", "\u30ff"),  # CJK punctuation, hiragana, katakana
    ("\u3100", "\u318f"),  # bopomofo, Hangul compatibility jamo
    ("\u3400", "\u4dbf"),  # CJK extension A
    ("\u4e00", "\u9fff"),  # CJK unified ideographs
    ("\uac00", "\ud7a3"),  # Hangul syllables
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\uff00", "\uffef"),  # full-width forms
)
_STRUCTURE = (("\u3000", "\u30ff"), ("\uac00", "\ud7a3"), ("\uff01", "\uff65"))


def _reads_as_east_asian(text: str) -> bool:
    """Whether `text` is Chinese, Japanese or Korean as people write it (see
    EAST_ASIAN_SHARE and STRUCTURE_SHARE); ASCII and spaces are not counted."""
    wide = [c for c in text if c > "\x7f" and not c.isspace()]
    if not wide:
        return False
    inside = sum(1 for c in wide if any(low <= c <= high for low, high in _EAST_ASIAN))
    structure = sum(1 for c in wide if any(low <= c <= high for low, high in _STRUCTURE))
    return inside >= EAST_ASIAN_SHARE * len(wide) and structure >= STRUCTURE_SHARE * len(wide)


def _decode_legacy(data: bytes) -> str:
    """Not UTF-8: cp1252 when it reads plausibly, else the most plausible code page."""
    sample = data[:SNIFF_BYTES]
    western = sample.decode("cp1252", errors="replace")
    western_score = implausibility(western)
    if western_score == 0:
        return data.decode("cp1252", errors="replace")
    best_encoding, best_score = "cp1252", western_score
    for encoding in _proposed_encodings(sample):
        try:
            candidate = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue  # a multi-byte sequence cut at the sample's end, or no such codec
        score = implausibility(candidate) + SWITCH_MARGIN
        if score < best_score:
            best_encoding, best_score = encoding, score
    return data.decode(best_encoding, errors="replace")


def _proposed_encodings(sample: bytes) -> list[str]:
    """The legacy code pages charset-normalizer finds that decode `sample`, best first."""
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    matches = from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS), explain=False)
    return [match.encoding for match in matches]


def implausibility(text: str) -> float:
    """How badly `text` reads as natural-language text (0: nothing wrong seen).

    Counted per word: a symbol or control character between letters, a lower-to-upper case
    flip inside a word, each replacement character; and over the whole text, each letter
    that no single alphabet explains together with the others (`unexplained_letters`).
    """
    score = 0.0
    for match in _WORD_CHARS.finditer(text):
        word = match.group()
        if not word.isascii():
            score += _word_implausibility(word.strip(_EDGE_PUNCTUATION) or word)
    return score + unexplained_letters(text)


def unexplained_letters(text: str) -> int:
    """How many of the non-ASCII letters of `text` the best-fitting alphabet leaves out.

    Each legacy code page was made for a group of languages; read with the wrong one, a
    text's letters come from alphabets that never meet ("Pøedseda ... ètvrtek": Danish ø,
    French è and Czech ý at once; "Ïðåçèäåíò"), while the right reading's letters all
    belong to one language's alphabet (or one script: Cyrillic, Greek, Hebrew, Arabic, the
    Chinese, Japanese or Korean scripts).

    One letter is told by what follows it: Portuguese writes õ only before e (-ões, põe),
    so an õ before anything else is an Estonian one (`_LOOSE_TILDE_O`), or the Hungarian ő
    of a Central European file read as cp1252 ("legyõzte").
    """
    counts: dict[str, int] = {}
    for position, char in enumerate(text):
        if char > "\x7f" and char.isalpha():
            lower = char.lower()[0]  # ("İ".lower() is "i" and a combining dot: the letter i)
            if lower == "õ" and text[position + 1 : position + 2].lower() != "e":
                lower = _LOOSE_TILDE_O
            if lower > "\x7f":
                counts[lower] = counts.get(lower, 0) + 1
    if not counts:
        return 0
    best = sum(counts.values())
    for alphabet in _alphabets():
        missing = sum(n for char, n in counts.items() if char not in alphabet)
        if missing < best:
            best = missing
            if not best:
                break
    return best


_LATIN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüßéèàç",  # German (and Swiss)
    "áéíñóúüàèç",  # Spanish, Catalan
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "áéíóúèëïöüàäêôû",  # Dutch, Afrikaans
    "åäöéü",  # Swedish, Finnish
    "æøåéóôü",  # Danish, Norwegian
    "áðéíóúýþæö",  # Icelandic, Faroese
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "čćđšž",  # Croatian, Serbian, Bosnian, Slovene
    "çğıöşüâîû",  # Turkish
    "āčēģīķļņšūž",  # Latvian
    "ąčęėįšųūž",  # Lithuanian
    "äöõüšž" + "\ue000",  # Estonian (U+E000: `_LOOSE_TILDE_O`)
    "áéíóúâêîôûŵŷäëïöü",  # Irish, Welsh
    "ċġħżàèìòù",  # Maltese
    "ëç",  # Albanian
)

_LOOSE_TILDE_O = "\ue000"
"""`unexplained_letters`' name for an õ not followed by e (a private-use character: no text's
letter; only Estonian's alphabet has it)."""

_SCRIPT_RANGES = (
    (("\u0400", "\u04ff"),),  # Cyrillic
    (("\u0370", "\u03ff"), ("\u1f00", "\u1fff")),  # Greek
    (("\u0590", "\u05ff"),),  # Hebrew
    (("\u0600", "\u06ff"), ("\u0750", "\u077f"), ("\ufb50", "\ufdff"), ("\ufe70", "\ufeff")),
    (("\u4e00", "\u9fff"), ("\u3400", "\u4dbf"), ("\uff00", "\uffef")),  # Chinese
    (("\u3040", "\u30ff"), ("\u4e00", "\u9fff"), ("\u3400", "\u4dbf"), ("\uff00", "\uffef")),
    (("\uac00", "\ud7af"), ("\u1100", "\u11ff"), ("\u3130", "\u318f"), ("\u4e00", "\u9fff")),
    (("\u0e00", "\u0e7f"),),  # Thai
)


class _Script:
    """A script as an alphabet: `char in script` by Unicode block."""

    __slots__ = ("ranges",)

    def __init__(self, ranges: tuple[tuple[str, str], ...]) -> None:
        self.ranges = ranges

    def __contains__(self, char: object) -> bool:
        return isinstance(char, str) and any(low <= char <= high for low, high in self.ranges)


@lru_cache(maxsize=1)
def _alphabets() -> tuple[frozenset[str] | _Script, ...]:
    return (
        *(frozenset(letters) for letters in _LATIN_ALPHABETS),
        *(_Script(ranges) for ranges in _SCRIPT_RANGES),
    )


@lru_cache(maxsize=65536)
def _word_implausibility(word: str) -> float:
    score = 0.0
    previous_lower = False
    latin = other_script = False
    last = len(word) - 1
    for position, char in enumerate(word):
        if char == "\ufffd":
            score += 0.5  # an undefined byte (one stray byte in a cp1252 file costs little)
            previous_lower = False
            continue
        if char.isalpha():
            if char.isupper() and previous_lower:
                score += 0.5  # "оПЕГ": a case flip inside a word
            previous_lower = char.islower()
            if char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
                latin = True
            else:
                other_script = True
            continue
        previous_lower = False
        if "0" <= char <= "9" or char in _PUNCTUATION:
            continue  # (not str.isdigit: "³" in "powiedzia³" is no digit of a word)
        category = unicodedata.category(char)
        inside = (
            0 < position < last and word[position - 1].isalpha() and word[position + 1].isalpha()
        )
        if category[0] == "C":
            score += 1.0  # a control character in text
        elif inside:
            score += 1.0  # "powiedzia³a"
        elif category[0] in "SPN" and position in (0, last):
            score += 0.5  # "¶rodę", "s±", "powiedzia³"
    if latin and other_script:
        score += 1.0  # "cafй": Latin and another script in one word
    return score
