"""Files in the encodings news comes in: each is read as the text it holds, never as mojibake.

Each fixture is a short article written here and saved in its encoding, then read the way a
corpus folder is read (`read_paths`).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from corpus.analyze import analyze_document
from corpus.encoding import decode_bytes, implausibility, repair_mojibake
from corpus.reader import read_paths

ARTICLES = {
    "cp1251": (
        "Президент России Владимир Путин заявил в понедельник, что переговоры возможны.\n\n"
        "«Мы готовы к диалогу», — сказал он журналистам в Москве. Ещё он добавил, что "
        "решение будет принято на этой неделе."
    ),
    "koi8_r": (
        "Министр иностранных дел Сергей Лавров прибыл в Женеву в среду.\n\n"
        "Переговоры продлятся два дня, сообщили в ведомстве."
    ),
    "iso8859_2": (
        "Prezydent Andrzej Duda powiedział w środę, że Polska zwiększy wydatki na obronność.\n\n"
        '"Jesteśmy gotowi" - dodał w Warszawie. Sąd ogłosił wyrok w piątek, a ślub odbył się '
        "w sobotę."
    ),
    "cp1250": (
        "Předseda vlády Petr Fiala řekl ve čtvrtek, že vláda schválí rozpočet.\n\n"
        "„Jsme připraveni,“ dodal před novináři v Praze. Ministr financí Zbyněk Stanjura "
        "souhlasil."
    ),
    "cp1253": (
        "Ο πρωθυπουργός Κυριάκος Μητσοτάκης δήλωσε την Πέμπτη στην Αθήνα ότι η κυβέρνηση "
        "θα συνεχίσει τις μεταρρυθμίσεις."
    ),
    "cp1254": (
        "Cumhurbaşkanı Erdoğan perşembe günü Ankara'da yaptığı açıklamada hükümetin "
        "kararlı olduğunu söyledi. Işık ve güneş enerjisi yatırımları sürecek."
    ),
    "shift_jis": (
        "東京都の小池百合子知事は木曜日、記者会見で新しい政策を発表した。"
        "「準備はできている」と述べた。"
    ),
    "gb18030": "国家主席习近平周四在北京表示，中国将继续推进改革开放。他说：“我们已经准备好了。”",
    "cp1252": (
        "The minister said: \u201cWe will not back down,\u201d adding that the plan \u2013 worth "
        "\u00a35m \u2013 would go ahead.\n\nCaf\u00e9 owners in S\u00e3o Paulo and Z\u00fcrich "
        "agreed."
    ),
    "latin-1": (
        "Le président français a déclaré mercredi à l'Élysée que la réforme des retraites "
        "était nécessaire. Les syndicats ont réagi très vite."
    ),
}


@pytest.mark.parametrize("encoding", sorted(ARTICLES))
def test_a_file_in_a_legacy_encoding_is_read_as_its_text(tmp_path: Path, encoding: str) -> None:
    text = ARTICLES[encoding]
    (tmp_path / "article.txt").write_bytes(text.encode(encoding))
    (document,) = read_paths([tmp_path]).documents
    assert document.text == text


def test_entities_of_a_cyrillic_file_are_cyrillic_names(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_bytes(ARTICLES["cp1251"].encode("cp1251"))
    (document,) = read_paths([tmp_path]).documents
    article = analyze_document(document)
    assert "Путин" in article.title + article.body
    assert all("Ð" not in e.text and "Ï" not in e.text for e in article.entities)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text_not_binary(tmp_path: Path, encoding: str) -> None:
    text = "Ministers met on Monday.\n\n\u201cWe agreed,\u201d said Anna Berg, the chair.\n"
    (tmp_path / "u16.txt").write_bytes(text.encode(encoding))
    result = read_paths([tmp_path])
    assert [d.text for d in result.documents] == [text]
    assert result.skipped == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", ["cp1251", "cp1253"])
def test_utf16_without_a_bom_in_another_script_is_text(
    tmp_path: Path, encoding: str, language: str
) -> None:
    """Cyrillic or Greek has a NUL only at its spaces and ASCII punctuation, one side only."""
    text = ARTICLES[language]
    (tmp_path / "u16.txt").write_bytes(text.encode(encoding))
    result = read_paths([tmp_path])
    assert [d.text for d in result.documents] == [text]


def test_random_bytes_with_nuls_on_one_side_stay_binary(tmp_path: Path) -> None:
    noise = random.Random(17).randbytes(6000)
    data = bytes(b for i, byte in enumerate(noise) for b in (byte, 0 if i % 9 == 0 else byte))
    (tmp_path / "noise.txt").write_bytes(data)
    result = read_paths([tmp_path])
    assert result.documents == [] and len(result.skipped) == 1


def test_utf8_misread_as_cp1252_and_saved_again_is_repaired(tmp_path: Path) -> None:
    text = (
        "It\u2019s the mayor\u2019s plan \u2013 a caf\u00e9 in S\u00e3o Paulo, \u201cfor all\u201d"
    )
    mojibake = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    assert "â€" in mojibake.decode("utf-8")
    (tmp_path / "double.txt").write_bytes(mojibake.replace("\ufffd".encode(), b""))
    (document,) = read_paths([tmp_path]).documents
    assert "It\u2019s the mayor\u2019s plan \u2013 a caf\u00e9 in S\u00e3o Paulo" in document.text
    assert "\u201c" in document.text  # curly quotes stay curly: the quote finder needs them


def test_real_accents_are_never_repaired() -> None:
    for text in ("São Paulo é ótimo. Ação!", "Ärger über Öl in Zürich", "NIÑO, señor", "Ελλάδα"):
        assert repair_mojibake(text) == text
        assert decode_bytes(text.encode("utf-8")) == text


def test_one_stray_byte_in_a_western_file_keeps_it_western() -> None:
    assert decode_bytes(b"\x93Ready,\x94 she said \x96 on Monday.\x8d") == (
        "\u201cReady,\u201d she said \u2013 on Monday.\ufffd"
    )


def test_the_wrong_reading_is_the_less_plausible_one() -> None:
    polish = ARTICLES["iso8859_2"].encode("iso8859_2")
    assert implausibility(polish.decode("cp1252")) > implausibility(polish.decode("iso8859_2"))
    russian = ARTICLES["cp1251"].encode("cp1251")
    assert implausibility(russian.decode("cp1252")) > implausibility(russian.decode("cp1251"))
    assert implausibility(russian.decode("koi8_r")) > implausibility(russian.decode("cp1251"))


EAST_ASIAN = {
    "Japanese": (
        "大阪市の横山英幸市長は火曜日、万博の跡地に新しい公園を造ると発表した。"
        "「市民の憩いの場にしたい」と語った。"
    ),
    "Chinese": (
        "上海市政府周三宣布，地铁十八号线二期工程将于明年年底通车。市民表示：“出行会方便很多。”"
    ),
    "Korean": (
        "부산시는 수요일 새로운 해양 박물관을 짓겠다고 발표했다. "
        '시장은 "시민 모두의 공간이 될 것"이라고 말했다.'
    ),
}


@pytest.mark.parametrize("paragraphs", [1, 2, 60], ids=["short", "two", "long"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", sorted(EAST_ASIAN))
def test_east_asian_utf16_without_a_bom_is_text(
    tmp_path: Path, language: str, encoding: str, paragraphs: int
) -> None:
    """A script of two-byte letters: NULs on both sides (U+4E00 has one of its own) or, in
    a long first paragraph, none in the first 8 KB."""
    text = "\n\n".join([EAST_ASIAN[language]] * paragraphs) + "\n"
    (tmp_path / "u16.txt").write_bytes(text.encode(encoding))
    result = read_paths([tmp_path])
    assert [d.text for d in result.documents] == [text]


@pytest.mark.parametrize("paragraphs", [1, 2, 3, 40])
@pytest.mark.parametrize(
    ("language", "encoding"),
    [
        ("Japanese", "shift_jis"),
        ("Japanese", "euc_jp"),
        ("Chinese", "gb18030"),
        ("Chinese", "big5"),
        ("Korean", "euc_kr"),
    ],
)
def test_east_asian_legacy_files_are_not_taken_for_utf16(
    tmp_path: Path, language: str, encoding: str, paragraphs: int
) -> None:
    """Shift_JIS read as UTF-16 BE falls among the ideographs; its reading has no kana or
    ideographic punctuation, so the legacy reading stands (even and odd lengths alike)."""
    text = (
        EAST_ASIAN[language] if encoding != "big5" else "臺北市政府週三宣布，捷運新線將於明年通車。"
    )
    text = "\n\n".join([text.replace("“", '"').replace("”", '"')] * paragraphs) + "\n"
    (tmp_path / "legacy.txt").write_bytes(text.encode(encoding))
    (document,) = read_paths([tmp_path]).documents
    assert document.text == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "cp1254"])
def test_turkish_dotted_capital_i_is_a_turkish_letter(tmp_path: Path, encoding: str) -> None:
    """ "İ".lower() is two characters (i and a combining dot): still the Turkish alphabet."""
    text = "İzmir'de İstanbul yolunda ağır kar yağışı nedeniyle İlçe yolları kapandı.\n" * 3
    (tmp_path / "tr.txt").write_bytes(text.encode(encoding))
    (document,) = read_paths([tmp_path]).documents
    assert document.text == text


HUNGARIAN = (  # ő without any ö or ü: the letters á é í ó ő read as cp1252 are Portuguese's
    "A Ferencváros 2:0-ra legyőzte a Debrecent, így őrzi vezető helyét. "
    "Az edző szerint a csapat erősebb lett a nyári átigazolások után.\n"
)


@pytest.mark.parametrize("encoding", ["iso8859_2", "cp1250"])
def test_hungarian_o_double_acute_is_not_portuguese_o_tilde(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "hu.txt").write_bytes(HUNGARIAN.encode(encoding))
    (document,) = read_paths([tmp_path]).documents
    assert document.text == HUNGARIAN


@pytest.mark.parametrize(
    "text",
    [
        "As informações sobre as ações do governo põem em causa as eleições de Camões.",
        "Eesti valitsus teeb kõik otsused õhtul, ütles peaminister. Tööpuudus väheneb.",
    ],
    ids=["portuguese", "estonian"],
)
def test_o_tilde_of_western_languages_stays_western(tmp_path: Path, text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == text
