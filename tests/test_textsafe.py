"""corpus.textsafe: escape sequences, controls and bidi characters never survive reading.

`make_safe` is the one filter every scraped text passes on its way in (corpus.reader) and
every tag and note on its way into the store; `visible_name` is how a file name is shown.
"""

from __future__ import annotations

import re

import pytest
from guards import hang_guard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.textsafe import has_unsafe, make_safe, visible_name, visible_text

# Every character that must never reach a terminal from a text: C0 (but tab and newline),
# DEL, C1, bidi embeddings/overrides/isolates/marks, lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)

# Characters in a visible name that would hide, reorder or break it (also tab and newline).
HIDDEN_IN_NAME = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2028\u2029"
    "\ufeff\u00ad\u2060-\u2064\ufff9-\ufffb\ud800-\udfff]"
)

# One example of each kind of injection, with the text a reader should see instead.
ATTACKS = [
    ("\x1b[31mred\x1b[0m", "red"),  # SGR colour
    ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
    ("a\x1b[10;20Hb", "ab"),  # cursor move
    ("\x1b]0;PWNED\x07title", "title"),  # window title (BEL)
    ("\x1b]2;PWNED\x1b\\title", "title"),  # window title (ST)
    ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 link
    ("\x1b]52;c;ZXZpbCBjb21tYW5k\x07copy", "copy"),  # OSC 52 clipboard write
    ("\x1bPq#0;2;0;0;0#0!100~\x1b\\pic", "pic"),  # DCS (sixel)
    ("\x1b_Gf=100;AAAA\x1b\\img", "img"),  # APC (kitty graphics)
    ("\x1b7saved\x1b8", "saved"),  # save/restore cursor
    ("x\x1bcy", "xy"),  # RIS: full terminal reset
    ("\x9b31mred\x9b0m", "red"),  # 8-bit CSI
    ("\x9d0;PWNED\x07t", "t"),  # 8-bit OSC
    ("bell\x07\x07", "bell"),
    ("nul\x00byte", "nulbyte"),
    ("back\x08\x08\x08\x08space", "backspace"),
    ("form\x0cfeed\x0bvt", "formfeedvt"),
    ("del\x7fete", "delete"),
    ("next\x85line", "nextline"),  # C1 NEL
    ("\u202eevil\u202c", "evil"),  # right-to-left override
    ("invoice\u202etxt.exe", "invoicetxt.exe"),
    ("\u2066isolate\u2069", "isolate"),
    ("zero\u200bwidth\ufeffbom\u2060joiner", "zerowidthbomjoiner"),
    ("crlf\r\nline\rend", "crlf\nline\nend"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
]


@pytest.mark.parametrize(("attack", "expected"), ATTACKS)
def test_each_injection_is_removed_and_the_words_stay(attack: str, expected: str) -> None:
    assert make_safe(attack) == expected
    assert has_unsafe(attack) or "\r" in attack  # line endings are layout, not unsafe
    assert not has_unsafe(make_safe(attack))


def test_unterminated_escape_ends_at_its_line_and_keeps_the_article() -> None:
    text = "Headline\x1b]0;never terminated\nThe article goes on.\n\nAnd on."
    assert make_safe(text) == "Headline\nThe article goes on.\n\nAnd on."
    # a stray C1 byte (a Latin-1 file) loses only itself, not the words after it
    assert make_safe("caf\x9d on the corner") == "caf on the corner"
    assert make_safe("price \x90 100") == "price  100"


def test_text_that_means_something_is_kept() -> None:
    kept = [
        "Plain ASCII, with\ttabs and\nnewlines.",
        "[bold]not markup[/bold] [link=https://x]y[/link] [/]",  # markup is the renderer's job
        "Émile Zoë naïve façade — “quotes” ‘single’ «guillemets» „low“",
        "עברית ועוד العربية",  # right-to-left letters are text, not controls
        "日本語のテキスト 한국어",
        "👩\u200d💻 family 👨\u200d👩\u200d👧",  # ZWJ emoji sequences
        "می\u200cخواهم",  # ZWNJ in Persian
        "emoji 🎉 and symbols ∑ ≠ ∞",
    ]
    for text in kept:
        assert make_safe(text) == text
        assert not has_unsafe(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=400))
def test_no_forbidden_character_survives_any_text(text: str) -> None:
    safe = make_safe(text)
    assert not FORBIDDEN.search(safe)
    assert "\r" not in safe
    assert make_safe(safe) == safe
    assert not has_unsafe(safe)
    safe.encode("utf-8")  # always writable


# Escape-heavy text: introducers and terminators mixed with words, to hit every pattern.
_ESCAPE_PIECES = st.sampled_from(
    ["\x1b", "[", "]", "P", "_", "\\", "\x07", "\x9b", "\x9c", "\x9d", "\x90", ";", "0", "m",
     "\n", "word", " ", "2J", "8;;", "\u202e", "\r"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_ESCAPE_PIECES, max_size=60).map("".join))
def test_escape_soup_is_neutralised(text: str) -> None:
    safe = make_safe(text)
    assert not FORBIDDEN.search(safe)
    assert make_safe(safe) == safe


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_printable_text_is_never_changed(text: str) -> None:
    assert make_safe(text) == text


@pytest.mark.parametrize(
    "adversarial",
    [
        "\x1b]" * 200_000,
        "\x1bP" * 200_000,
        "\x1b[" + "0;" * 300_000,
        "\x9b" + "1" * 600_000,
        ("\x9d" + "x" * 50) * 10_000,
        "\x1b]" + "a" * 600_000,
    ],
    ids=["osc-openers", "dcs-openers", "long-csi", "long-8bit-csi", "8bit-osc", "long-osc"],
)
def test_adversarial_escapes_finish(adversarial: str) -> None:
    with hang_guard(60):
        safe = make_safe(adversarial)
    assert not FORBIDDEN.search(safe)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("/corpus/evil\x1b[31mred.txt", "/corpus/evil\\x1b[31mred.txt"),
        ("title\x1b]0;PWNED\x07.txt", "title\\x1b]0;PWNED\\x07.txt"),
        ("invoice\u202etxt.exe", "invoice\\u202etxt.exe"),
        ("zero\u200bwidth.txt", "zero\\u200bwidth.txt"),
        ("two\nlines.txt", "two\\x0alines.txt"),
        ("bad\udcff\udcfename.txt", "bad\\xff\\xfename.txt"),  # os.fsdecode of b"bad\xff\xfe..."
        ("plain/ascii name.txt", "plain/ascii name.txt"),
        ("café/日本.txt", "café/日本.txt"),
    ],
)
def test_visible_name_spells_hidden_characters(name: str, shown: str) -> None:
    assert visible_name(name) == shown


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=80))
def test_visible_name_is_one_inert_line_that_still_tells_names_apart(name: str) -> None:
    shown = visible_name(name)
    assert not HIDDEN_IN_NAME.search(shown)
    shown.encode("utf-8")
    if "\\" not in name:
        # Nothing is dropped: every hidden character became an escape, so the name can be
        # told apart from the same name without it.
        assert len(shown) >= len(name)
        plain = HIDDEN_IN_NAME.sub("", name)
        assert (shown == plain) == (plain == name)


def test_visible_text_keeps_the_lines_of_a_message() -> None:
    message = "id prefix '7' matches 2 articles:\n  7a  Title \x1b[2J\n  7b  \u202eevil"
    shown = visible_text(message)
    assert shown.split("\n") == [
        "id prefix '7' matches 2 articles:",
        "  7a  Title \\x1b[2J",
        "  7b  \\u202eevil",
    ]
    # a name quoted with visible_name first cannot add a line of its own
    name = "a\nnewsreader: all files read.txt"
    assert visible_text(f"skipped {visible_name(name)}").count("\n") == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=80))
def test_visible_text_is_visible_name_line_by_line(message: str) -> None:
    shown = visible_text(message)
    assert shown.count("\n") == message.count("\n")
    assert not HIDDEN_IN_NAME.search(shown.replace("\n", ""))
