"""Hostile corpora: whatever is on disk ends in articles or a reported skip, never a crash or hang.

Property-based tests (hypothesis) push arbitrary bytes, Unicode, JSON values and quotation
mark soups through the reader, cleaner, entity finder and quote finder; the rest builds
the file-system cases a scraped corpus folder can hold: empty and huge files, 10,000 files,
deep nesting, symlink loops, FIFOs and devices, unreadable files, files that vanish or change
while being read, and names that are not UTF-8.

Hangs are caught with `hang_guard` (SIGALRM): it turns "still running after N s" into a
failure. It is a hang detector with a generous bound, not a speed assertion; the measured
times are in benchmarks/RESULTS.md (issue 7).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import tempfile
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from guards import hang_guard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus.reader as reader
from corpus.analyze import analyze_document, analyze_paths
from corpus.clean import clean_document
from corpus.entities import find_entities
from corpus.model import Article, Document, Skipped
from corpus.quotes import find_quotes
from corpus.reader import documents_from_file, iter_corpus_files, read_paths

# Characters that must never be in anything the reader hands on (see corpus.textsafe).
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)
SUFFIXES = ["", ".txt", ".md", ".json", ".jsonl", ".ndjson", ".markdown"]
ARTICLE = (
    "The council said on Monday that the bridge would reopen. “We are ready,” said Mayor "
    "Jane Smith. Traffic was light, according to the police.\n"
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def write_file(path: Path, text: str) -> None:
    """Create a small file with plain system calls (thousands of them, quickly)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def assert_document_is_safe(document: Document) -> None:
    for value in (document.text, document.title, document.date, document.source,
                  document.byline, document.url):  # fmt: skip
        if value is not None:
            assert not FORBIDDEN.search(value), repr(value)
    assert document.text.strip()
    assert document.id


def assert_article_is_consistent(article: Article) -> None:
    """Offsets point at their text, and nothing unsafe is in what the app will show."""
    body = article.body
    for value in (body, article.title, article.date, article.source, article.byline,
                  *article.captions, *article.removed):  # fmt: skip
        if value is not None:
            assert not FORBIDDEN.search(value), repr(value)
    assert article.title
    for entity in article.entities:
        assert 0 <= entity.start < entity.end <= len(body)
        assert body[entity.start : entity.end] == entity.text
    previous_end = 0
    for quote in article.quotes:
        assert 0 <= quote.start < quote.end <= len(body)
        assert body[quote.start : quote.end] == quote.text
        assert quote.start >= previous_end  # in order, not overlapping
        previous_end = quote.end
        if quote.speaker_start is not None:
            assert quote.speaker_end is not None
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(body)
    # Writable as UTF-8 JSON; the path is left out: it must keep a non-UTF-8 file name's
    # bytes (surrogateescape) to open the file again. Printing it is the CLI's job.
    record = article.to_json()
    record.pop("path")
    json.dumps(record, ensure_ascii=False).encode("utf-8")


def read_and_analyse(paths: list[Path]) -> tuple[list[Article], list[Skipped]]:
    """The whole pipeline; every file ends in an article, a skip or a duplicate."""
    read = read_paths(paths)
    for document in read.documents:
        assert_document_is_safe(document)
    for skipped in read.skipped:
        assert skipped.reason
    articles = [analyze_document(document) for document in read.documents]
    for article in articles:
        assert_article_is_consistent(article)
    return articles, read.skipped


def accounted_paths(paths: list[Path]) -> set[str]:
    """File paths that ended as a document, a skip or a duplicate (record suffixes cut)."""
    read = read_paths(paths)
    seen = {d.path for d in read.documents} | {s.path for s in read.skipped}
    seen |= {dropped for dropped, _kept in read.duplicates}
    return {p.split("#")[0] for p in seen}


# --- arbitrary content -----------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_format_end_in_articles_or_a_skip(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        path.write_bytes(data)
        with hang_guard(60):
            articles, skipped = read_and_analyse([path])
        assert articles or skipped
        assert str(path) in accounted_paths([path])


_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"]


@FUZZ
@given(
    text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=1500),
    encoding=st.sampled_from(_ENCODINGS),
    suffix=st.sampled_from(["", ".txt", ".md"]),
)
def test_any_unicode_in_any_encoding_ends_in_articles_or_a_skip(
    text: str, encoding: str, suffix: str
) -> None:
    data = text.encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        path.write_bytes(data)
        with hang_guard(60):
            articles, skipped = read_and_analyse([path])
        assert len(articles) + len(skipped) == 1


# Hostile text made of the pieces that trip parsers: escapes, markup, quotes, breaks.
_HOSTILE_PIECES = st.sampled_from(
    ["\x1b[31m", "\x1b]0;t\x07", "\x1b]8;;http://x\x1b\\", "\x07", "\x00", "\x9b2J", "\u202e",
     "\u200b", "[bold]", "[/]", "[link=http://x]", "[@click=app.quit]", "$var", "\\[", "“", "”",
     '"', "'", "‘", "’", "«", "»", "„", "\n", "\n\n", "\r\n", " ", "said", "Mayor Jane Smith",
     "Mr Brown", "the council", ".", ",", ":", "—", "Monday", "BBC", "© 2024", "Read more",
     "\t", "\ud800", "\udfff"]
)  # fmt: skip


@FUZZ
@given(pieces=st.lists(_HOSTILE_PIECES, max_size=120), suffix=st.sampled_from(SUFFIXES))
def test_hostile_soup_in_text_and_json_files(pieces: list[str], suffix: str) -> None:
    text = "".join(pieces)
    if suffix in (".json", ".jsonl", ".ndjson"):
        # ensure_ascii spells every control and surrogate as \uXXXX, so only JSON decoding
        # can bring them back: the reader must still make them safe.
        data = json.dumps({"title": text[:80], "text": text, "author": text[:30]}).encode()
    else:
        data = text.encode("utf-8", errors="surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        path.write_bytes(data)
        with hang_guard(60):
            articles, skipped = read_and_analyse([path])
        assert len(articles) + len(skipped) >= 1


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["text", "body", "title", "date", "id", "author",
                                       "url", "source", "content", "x"]), children, max_size=6),
    max_leaves=20,
)  # fmt: skip


@FUZZ
@given(value=_JSON_VALUES, suffix=st.sampled_from([".json", ".jsonl"]))
def test_any_json_value_ends_in_articles_or_skips(value: object, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"records{suffix}"
        path.write_text(json.dumps(value), encoding="utf-8")
        with hang_guard(60):
            articles, skipped = read_and_analyse([path])
        assert articles or skipped


# --- the finders on their own ----------------------------------------------------------

_QUOTE_SOUP = st.lists(
    st.sampled_from(["“", "”", '"', "'", "‘", "’", "«", "»", "„", "‹", "›", "word", "Smith",
                     " ", ", ", ". ", "\n", "\n\n", "said", "he said", "Jane Smith said",
                     "according to", ":"]),
    max_size=150,
).map("".join)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(body=_QUOTE_SOUP)
def test_unbalanced_and_nested_quotes_give_consistent_spans(body: str) -> None:
    entities = find_entities(body)
    for entity in entities:
        assert body[entity.start : entity.end] == entity.text
    quotes = find_quotes(body, entities)
    previous_end = 0
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text
        assert quote.start >= previous_end
        assert quote.kind in ("direct", "scare")
        previous_end = quote.end


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=2000))
def test_cleaner_keeps_its_output_inside_the_input(text: str) -> None:
    document = Document(id="x", path="x.txt", text=text)
    cleaned = clean_document(document)
    assert cleaned.title is not None
    squashed = re.sub(r"\s+", "", text)
    for part in (*cleaned.paragraphs, *cleaned.captions, *cleaned.removed):
        # the cleaner may re-join hard-wrapped lines but never invents text
        assert re.sub(r"\s+", "", part) in squashed


def test_nested_and_unbalanced_examples() -> None:
    cases = {
        "“Outer ‘inner’ still outer,” she said.": 1,
        "“Never closed and the paragraph ends": 1,
        "Closed” without an opener, then “a real one,” he said.": 1,
        "“One.\n\n“Two, continued,” said Smith.": 1,  # British multi-paragraph quote
        "« Bonjour », a-t-il dit.": 1,
        "„Dzień dobry” – powiedział.": 1,  # Polish: low opener, high closer
    }
    for body, count in cases.items():
        quotes = find_quotes(body, find_entities(body))
        assert len(quotes) == count, (body, quotes)
        for quote in quotes:
            assert body[quote.start : quote.end] == quote.text


def test_german_low_high_quotes_are_one_quotation() -> None:
    body = "„Wir sind bereit“, sagte Bürgermeisterin Jane Schmidt am Montag."
    quotes = find_quotes(body, find_entities(body))
    assert [q.text for q in quotes] == ["„Wir sind bereit“"]


# --- sizes -------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ['"', "“"], ids=["straight", "curly"])
def test_a_paragraph_of_a_million_quotation_marks_finishes(mark: str) -> None:
    body = mark * 1_000_000
    with hang_guard(240):
        quotes = find_quotes(body)
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text


def test_a_million_quotation_marks_through_the_cleaner_finishes() -> None:
    text = "Headline\n\n" + "“" * 500_000 + '"' * 500_000
    with hang_guard(120):
        cleaned = clean_document(Document(id="x", path="x.txt", text=text))
    assert cleaned.title


def test_a_50_mb_file_with_one_line_is_read_or_skipped(tmp_path: Path) -> None:
    path = tmp_path / "one_line.txt"
    sentence = "The council said the bridge would reopen on Monday after repairs. "
    size = 50 * 1024 * 1024
    path.write_bytes(sentence.encode("ascii") * (size // len(sentence)))
    with hang_guard(120):
        result = read_paths([path])
    if result.documents:
        (document,) = result.documents
        assert len(document.text) == path.stat().st_size  # all of it, not a silent cut
    else:
        (skipped,) = result.skipped
        assert skipped.path == str(path) and skipped.reason


def test_10000_files_in_one_folder_are_all_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "flat"
    folder.mkdir()
    for number in range(10_000):
        write_file(folder / f"{number:05d}.txt", f"Article number {number} about a bridge.\n")
    with hang_guard(120):
        result = read_paths([folder])
    assert len(result.documents) == 10_000
    assert not result.skipped and not result.duplicates
    assert len({d.id for d in result.documents}) == 10_000
    assert sum(1 for _ in iter_corpus_files([folder])) == 10_000


def _nest(root: Path, depth: int) -> Path:
    """`depth` folders inside each other under `root`; returns the deepest (relative mkdirs)."""
    here = os.getcwd()
    try:
        os.chdir(root)
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        Path("bottom.txt").write_text(ARTICLE)
    finally:
        os.chdir(here)
    return root / Path(*(["d"] * depth))


def _unnest(root: Path, depth: int) -> None:
    """Remove what `_nest` made without recursion (shutil.rmtree recurses per level)."""
    for level in range(depth, 0, -1):
        folder = root / Path(*(["d"] * level))
        for entry in os.listdir(folder):
            os.unlink(folder / entry)
        os.rmdir(folder)


def test_200_nested_folders(tmp_path: Path) -> None:
    _nest(tmp_path, 200)
    try:
        with hang_guard(60):
            articles, skipped = read_and_analyse([tmp_path])
        assert len(articles) == 1 and not skipped
        assert articles[0].path.endswith("/d/bottom.txt")
    finally:
        _unnest(tmp_path, 200)


def test_1200_nested_folders_do_not_exhaust_the_stack(tmp_path: Path) -> None:
    # 1,200 one-letter folders is a 2,400-character path: well inside PATH_MAX (4096).
    _nest(tmp_path, 1200)
    try:
        with hang_guard(60):
            result = read_paths([tmp_path])
        assert len(result.documents) == 1
    finally:
        _unnest(tmp_path, 1200)


# --- links, special files, permissions ---------------------------------------------------


def test_symlink_loops_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.txt").write_text(ARTICLE)
    (corpus / "sub" / "up").symlink_to(corpus)  # folder loop
    (corpus / "self.txt").symlink_to(corpus / "self.txt")  # link to itself
    (corpus / "ping.txt").symlink_to(corpus / "pong.txt")  # two links pointing at each other
    (corpus / "pong.txt").symlink_to(corpus / "ping.txt")
    (corpus / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    with hang_guard(60):
        articles, skipped = read_and_analyse([corpus])
    assert len(articles) == 1
    skipped_names = {Path(s.path).name for s in skipped}
    assert {"self.txt", "ping.txt", "pong.txt", "dangling.txt"} <= skipped_names


def test_fifos_and_devices_are_reported_and_never_opened(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE)
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever: no writer
    (corpus / "null.txt").symlink_to("/dev/null")
    (corpus / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    if os.path.exists("/dev/urandom"):
        (corpus / "random.txt").symlink_to("/dev/urandom")
    with hang_guard(30):
        articles, skipped = read_and_analyse([corpus])
        named = read_paths([corpus / "pipe.txt", corpus / "zero.txt"])  # named on purpose
    assert len(articles) == 1
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "FIFO" in reasons["pipe.txt"]
    assert "device" in reasons["null.txt"] and "device" in reasons["zero.txt"]
    assert not named.documents and len(named.skipped) == 2


def test_a_fifo_swapped_in_after_the_walk_is_not_read(tmp_path: Path) -> None:
    """The race the walk cannot see: the file becomes a FIFO between stat and open."""
    path = tmp_path / "swap.txt"
    path.write_text(ARTICLE)
    path.unlink()
    os.mkfifo(path)
    with hang_guard(30):
        (result,) = documents_from_file(path)
    assert isinstance(result, Skipped) and "FIFO" in result.reason


def test_an_unreadable_file_is_skipped_with_a_reason(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading")
    (tmp_path / "a.txt").write_text(ARTICLE)
    locked = tmp_path / "locked.txt"
    locked.write_text("Secret words of another article.\n")
    locked.chmod(0)
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text("An article nobody may list.\n")
    closed.chmod(stat.S_IWUSR)  # no read or search permission
    try:
        articles, skipped = read_and_analyse([tmp_path])
    finally:
        locked.chmod(0o644)
        closed.chmod(0o755)
    assert len(articles) == 1
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "locked.txt" in reasons and "closed" in reasons


def test_permission_errors_are_skips_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EACCES simulated at the system calls, so the check also runs as root."""
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "locked.txt").write_text("Secret words of another article.\n")
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text("An article nobody may list.\n")
    real_open, real_scandir = os.open, os.scandir

    def deny_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def deny_scandir(path: object = ".") -> object:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.os, "open", deny_open)
    monkeypatch.setattr(reader.os, "scandir", deny_scandir)
    articles, skipped = read_and_analyse([tmp_path])
    assert len(articles) == 1
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "Permission denied" in reasons["locked.txt"]
    assert "Permission denied" in reasons["closed"]


# --- files that change under the reader --------------------------------------------------


def test_files_that_vanish_or_change_while_the_corpus_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"{n:02d}.txt" for n in range(8)]
    for number, name in enumerate(names):
        (tmp_path / name).write_text(f"Article {number}: {ARTICLE}")
    real_read_bytes = reader._read_bytes
    calls = 0

    def meddle(path: Path) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 1:  # while the first file is read, the others are changed
            (tmp_path / "01.txt").unlink()  # vanishes before its turn
            (tmp_path / "02.txt").unlink()
            (tmp_path / "02.txt").mkdir()  # becomes a folder
            (tmp_path / "03.txt").write_text("")  # truncated to nothing
            (tmp_path / "04.txt").unlink()
            os.mkfifo(tmp_path / "04.txt")  # becomes a FIFO
            (tmp_path / "05.txt").write_bytes(b"\x00\x01binary now")
            (tmp_path / "06.txt").write_text("Rewritten: the mayor said “no” again.\n")
        if path.name == "07.txt":  # vanishes between the walk's stat and the open
            path.unlink()
        return real_read_bytes(path)

    monkeypatch.setattr(reader, "_read_bytes", meddle)
    with hang_guard(30):
        articles, skipped = read_and_analyse([tmp_path])
    texts = {Path(a.path).name: a.body for a in articles}
    assert set(texts) == {"00.txt", "06.txt"}
    assert texts["06.txt"].startswith("Rewritten")
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert set(reasons) == {"01.txt", "03.txt", "04.txt", "05.txt", "07.txt"}
    assert "empty" in reasons["03.txt"] and "FIFO" in reasons["04.txt"]
    assert "binary" in reasons["05.txt"]


def test_a_file_that_keeps_growing_while_read_is_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log file still being written: `fstat` said small, the reads never reach the end."""
    path = tmp_path / "growing.txt"
    path.write_text(ARTICLE)
    chunk = b"The log goes on. " * (1 << 16)  # about 1 MB a read
    limit = reader.MAX_FILE_BYTES // len(chunk) + 8
    reads = 0

    def endless_read(fd: int, size: int) -> bytes:
        nonlocal reads
        reads += 1
        if reads > limit:  # fail here rather than fill the memory
            raise AssertionError(f"read {reads} chunks: past the {reader.MAX_FILE_BYTES} cap")
        return chunk[:size]

    monkeypatch.setattr(reader.os, "read", endless_read)
    with hang_guard(60):
        result = read_paths([path])
    assert not result.documents
    (skipped,) = result.skipped
    assert "large" in skipped.reason


def test_a_thread_deleting_files_during_the_walk(tmp_path: Path) -> None:
    count = 1500
    for number in range(count):
        write_file(tmp_path / f"{number:04d}.txt", f"Article {number} about the council.\n")
    stop = threading.Event()

    def delete_every_third() -> None:
        for number in range(0, count, 3):
            if stop.is_set():
                return
            with suppress(FileNotFoundError):
                (tmp_path / f"{number:04d}.txt").unlink()

    deleter = threading.Thread(target=delete_every_third)
    deleter.start()
    try:
        with hang_guard(60):
            result = read_paths([tmp_path])
    finally:
        stop.set()
        deleter.join()
    ended = {Path(d.path).name for d in result.documents} | {
        Path(s.path).name for s in result.skipped
    }
    untouched = {f"{n:04d}.txt" for n in range(count) if n % 3}
    assert untouched <= ended  # every file not deleted was read
    for skipped in result.skipped:
        assert "No such file" in skipped.reason or "cannot" in skipped.reason


def test_the_corpus_index_survives_a_hostile_folder(tmp_path: Path) -> None:
    """The app and `search` read through the index: same walk, plus its own bookkeeping."""
    from corpus.index import CorpusIndex

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(ARTICLE)
    (corpus / "sub" / "b.md").write_text("# Harbour\n\nThe harbour reopened on Friday.\n")
    (corpus / "evil\x1b]0;PWNED\x07\u202ename.txt").write_text("A third article on ships.\n")
    (corpus / "sub" / "up").symlink_to(corpus)
    (corpus / "self.txt").symlink_to(corpus / "self.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (corpus / "bad.json").write_text("{not json")
    cache = tmp_path / "index.sqlite"
    with hang_guard(120), CorpusIndex.for_paths([corpus], cache) as index:
        report = index.refresh([corpus], workers=1)
        titles = {summary.title for summary in index.summaries()}
    assert len(titles) == 3
    skipped = {Path(s.path).name for s in report.skipped}
    assert {"self.txt", "zero.txt", "pipe.txt", "empty.txt", "binary.txt", "bad.json"} <= skipped


def test_the_corpus_index_forgets_a_file_that_vanished(tmp_path: Path) -> None:
    from corpus.index import CorpusIndex

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE)
    (corpus / "b.txt").write_text("The harbour reopened on Friday after the storms.\n")
    with CorpusIndex.for_paths([corpus], tmp_path / "index.sqlite") as index:
        index.refresh([corpus], workers=1)
        assert len(index.summaries()) == 2
        (corpus / "a.txt").unlink()
        report = index.refresh([corpus], workers=1)
        assert report.removed == 1
        assert [Path(s.path).name for s in index.summaries()] == ["b.txt"]


# --- names ---------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_names_that_are_not_utf8_are_read(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    raw_names = [b"caf\xe9.txt", b"\xff\xfe.txt", b"mixed\xc3(.md", b"ok\x1b[31m.txt"]
    for number, raw in enumerate(raw_names):
        with open(os.path.join(folder, raw), "wb") as out:
            out.write(f"Article {number}: {ARTICLE}".encode())
    with hang_guard(30):
        articles, skipped = read_and_analyse([tmp_path])
    assert len(articles) == 4 and not skipped
    # the path still names the file (surrogateescape round trip), so it can be opened again
    for article in articles:
        assert os.path.exists(os.fsencode(article.path))
    result = analyze_paths([tmp_path])
    assert len(result.articles) == 4


# --- empty things --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b" ", b"\n\n\n", b"\t \r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf   \n",
     " \u3000\u00a0 ".encode(), b"\x1b[0m\x1b]0;\x07", "\u200b\u202e\n".encode()],
    ids=["empty", "space", "newlines", "mixed-ws", "bom", "utf16-bom", "bom-ws",
         "unicode-spaces", "only-escapes", "only-invisible"],
)  # fmt: skip
@pytest.mark.parametrize("suffix", [".txt", ".md", ".json", ".jsonl"])
def test_empty_and_whitespace_only_files_are_skipped(
    data: bytes, suffix: str, tmp_path: Path
) -> None:
    path = tmp_path / f"blank{suffix}"
    path.write_bytes(data)
    articles, skipped = read_and_analyse([path])
    assert not articles
    assert [s.path for s in skipped] == [str(path)]


def test_an_empty_folder_and_a_folder_of_junk_give_no_articles(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (junk / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (junk / "archive.txt").write_bytes(b"PK\x03\x04" + os.urandom(100))
    assert read_paths([tmp_path / "empty"]).documents == []
    articles, skipped = read_and_analyse([junk])
    assert not articles and len(skipped) == 3


# --- regressions: bugs these tests found (H3, H4, H6 in the hostile findings), now fixed ---


def test_a_one_paragraph_article_mentioning_legal_words_keeps_its_body() -> None:
    # JSON records and many scraped pages hold the whole article on one line; news about
    # loans, courts and companies says "terms and conditions" and "disclaimer".
    body = (
        "The company said the terms and conditions of the loan had changed. "
        + "Shares in the firm fell by 5% on Monday after the announcement, analysts said. " * 20
        + "A disclaimer was added to the filing, the regulator said."
    )
    document = Document(id="x", path="x.json", text=body, title="Firm changes loan terms")
    cleaned = clean_document(document)
    assert cleaned.paragraphs == (body,)


def test_one_stray_byte_does_not_cost_a_windows_file_its_quotation_marks(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    # cp1252 curly quotes and an en dash, plus 0x81 (undefined in cp1252) at the end
    path.write_bytes(b"\x93We are ready,\x94 she said \x96 on Monday.\x81\n")
    (document,) = read_paths([path]).documents
    assert "\u201cWe are ready,\u201d" in document.text
    assert "\u2013" in document.text
