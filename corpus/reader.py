"""Reading a corpus from disk: files and folders in, safe `Document`s out.

What is read
    PATH arguments are files or folders; folders are walked recursively in name order.
    Hidden files and folders (names starting with ".") are skipped inside a walk (a hidden
    file named explicitly is read), and so are a corpus folder's own documents: README,
    LICENSE/LICENCE, COPYING and CHANGELOG files in any case and with any extension
    (``README.md``, ``README.orig.TXT``), reported as skipped. Symbolic links are followed,
    but a folder is entered only once, so link loops end. Only regular files are opened:
    FIFOs, sockets and devices are reported and never opened (a FIFO would block the reader
    forever).

Formats (by extension)
    ``.txt`` / no extension - scraped or plain text (e.g. the seeds; BBC "title line, blank
    line, body"). ``.md`` - Markdown; a ``---`` front matter block (``title:``, ``date:``,
    ``author:`` ...) and a leading ``# heading`` give metadata. ``.json`` - one object or a
    list of objects. ``.jsonl`` / ``.ndjson`` - one object per line. A record carries its
    text in ``text``/``body``/``content`` and optionally ``title``, ``date``/``published``,
    ``author``/``byline``, ``source``/``publisher``, ``url``, ``id``. ``.html``/``.htm``
    (and a ``.txt`` file that holds a web page's markup) - a saved page: its article text,
    title, date, author and url (`corpus.html`).

Encodings (`corpus.encoding.decode_bytes`)
    UTF-8 (with or without BOM; UTF-8 once misread as cp1252 is repaired), UTF-16/UTF-32
    with a BOM, UTF-16 without one, else a legacy code page: cp1252 when it reads
    plausibly, else the most plausible of the code pages charset-normalizer proposes
    (Central European, Cyrillic, Greek, Turkish, Baltic, Hebrew, Arabic, Chinese, Japanese,
    Korean); bytes never crash the reader. The decoded text goes through
    `corpus.textsafe.make_safe`: control characters and terminal escape sequences are gone
    before anything else sees the text.

Skipped (reported with a reason, never fatal)
    binary files (NUL bytes or a known binary signature), empty files, files that cannot be
    opened, invalid JSON (also JSON nested over 100 levels deep or with an integer of over
    4,300 digits: `corpus.untrusted.loads_json`), records without text, unsupported
    extensions, non-regular files, files over 64 MB and articles whose text is over 8 MB.
    After ten skipped records of one file, the rest are counted in one last skip.

Article id (stable across runs and when the corpus folder is moved or renamed)
    1. a 16-hex-digit id in the file name, as in ``000_27415430c2fae0bd.txt`` -> that hex
       (for single-article files only);
    2. else a JSON record's ``id`` field (as text);
    3. else the first 16 hex digits of the SHA-1 of the normalised text (Unicode NFC,
       whitespace runs collapsed to one space, trimmed).
    If two different texts end up with the same id, the later one gets ``-`` plus the first
    8 hex digits of its text hash appended. Two files (or records) whose normalised text is
    the same are one article: the first in walk order is kept and the other is reported in
    `ReadResult.duplicates` as (dropped path, kept path).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from corpus.encoding import decode_bytes
from corpus.html import html_document, looks_like_html
from corpus.model import Document, Skipped
from corpus.textsafe import make_safe
from corpus.untrusted import UnreadableFile, file_kind, loads_json, read_regular_file

TEXT_SUFFIXES = {"", ".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
)

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are skipped: reading one would stall (a JSON list of records may be big)."""

MAX_ARTICLE_BYTES = 8 * 1024 * 1024
"""One article's text (UTF-8) above this is skipped: a news article is 5-100 kB, and
analysing megabytes of one text takes minutes, so a corpus with such a file would seem to
hang."""

TEXT_FIELDS = ("text", "body", "content")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "datePublished")
BYLINE_FIELDS = ("author", "byline", "authors")
SOURCE_FIELDS = ("source", "publisher", "site", "site_name")

_HEX_ID_IN_NAME = re.compile(r"(?<![0-9a-fA-F])([0-9a-fA-F]{16})(?![0-9a-fA-F])")
_WHITESPACE = re.compile(r"\s+")


@dataclass(slots=True)
class ReadResult:
    """Documents read from a set of paths, with what was skipped and what was a duplicate."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (dropped, kept)


_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_char_refs(text: str) -> str:
    """HTML character references (`&#163;`, `&eacute;`, `&amp;`) as the characters they name.

    Scraped text often keeps them (the BBC dataset has `&#163;1.8m`). Only complete references
    ending in ";" are decoded, so "AT&T" or "R&D" stay as they are. Run `make_safe` after it:
    a reference can name a control character (`&#27;` is ESC).
    """
    if "&" not in text:
        return text
    return _CHAR_REF.sub(lambda match: html.unescape(match.group()), text)


def normalise_text(text: str) -> str:
    """The form of a text that decides identity: NFC, whitespace collapsed, trimmed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def text_hash(text: str) -> str:
    """Hex SHA-1 of the normalised text."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


FOLDER_DOCUMENTS = frozenset({"readme", "license", "licence", "copying", "changelog"})
"""Names (before the first dot, any case) of the files a corpus folder has about itself."""


def folder_document(name: str) -> bool:
    """True for a README, licence or changelog file: about the corpus, not an article of it."""
    return name.split(".", 1)[0].casefold() in FOLDER_DOCUMENTS


FOLDER_DOCUMENT_REASON = "a README or licence file of the folder, not an article"


def _walk(paths: Sequence[Path]) -> Iterator[tuple[Path, str | None]]:
    """Every candidate file under `paths`, with a skip reason (None: read it).

    Iterative (an explicit stack, not one generator frame per level), so a folder tree of
    any depth is walked without exhausting Python's recursion limit.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    # (path, named explicitly); popped from the end, so pushed in reverse name order
    stack: list[tuple[Path, bool]] = [(Path(path), True) for path in reversed(paths)]
    while stack:
        path, explicit = stack.pop()
        try:
            info = path.stat()  # follows links; a dangling link raises
        except OSError as error:
            yield path, f"cannot read: {error.strerror or error}"
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                continue  # a symlink loop or a folder reached twice
            seen_dirs.add(key)
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError as error:
                yield path, f"cannot list folder: {error.strerror or error}"
                continue
            stack.extend(
                (Path(entry.path), False)
                for entry in reversed(entries)
                if not _is_hidden(entry.name)
            )
            continue
        if not stat.S_ISREG(info.st_mode):
            yield path, f"{file_kind(info.st_mode)}, not read"
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_files:
            continue  # the same file named twice (or linked): read it once
        seen_files.add(key)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES and not explicit:
            yield path, f"unsupported file type ({path.suffix})"
            continue
        if not explicit and folder_document(path.name):
            yield path, FOLDER_DOCUMENT_REASON
            continue
        yield path, None  # an explicitly named file of another type is tried as text


def iter_corpus_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The readable-looking regular files under `paths` (walk order; skips left out)."""
    for path, reason in _walk(paths):
        if reason is None:
            yield path


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; never blocks on a FIFO swapped in after the walk (`corpus.untrusted`)."""
    return read_regular_file(path, MAX_FILE_BYTES)


def _strip_record_suffix(path: Path) -> Path:
    """`file.json#3` (a record's path) -> `file.json` when only the latter exists."""
    name = str(path)
    if "#" in name and not path.exists():
        return Path(name.rsplit("#", 1)[0])
    return path


def read_text(path: Path) -> str:
    """The whole file as safe text (the app's raw view). Raises `UnreadableFile`."""
    path = _strip_record_suffix(Path(path))
    try:
        info = path.stat()
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(f"{file_kind(info.st_mode)}, not read")
    return make_safe(decode_bytes(_read_bytes(path)))


def _field(record: dict[str, Any], names: Sequence[str]) -> str | None:
    """The first non-empty scalar (or list of scalars) among `names`, as safe text."""
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            parts = [str(v) for v in value if isinstance(v, str | int | float) and str(v)]
            value = ", ".join(parts) if parts else None
        elif isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, str | int | float):
            text = make_safe(decode_char_refs(str(value))).strip()
            if text:
                return _WHITESPACE.sub(" ", text) if name not in TEXT_FIELDS else text
    return None


def article_too_large(text: str) -> str | None:
    """The skip reason when `text` is too large for one article (`MAX_ARTICLE_BYTES`)."""
    if len(text) * 4 <= MAX_ARTICLE_BYTES:  # a character is at most 4 bytes in UTF-8
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size <= MAX_ARTICLE_BYTES:
        return None
    return f"too large for one article: {size / (1024 * 1024):.1f} MB"


def _checked_size(document: Document | Skipped) -> Document | Skipped:
    if isinstance(document, Document):
        reason = article_too_large(document.text)
        if reason is not None:
            return Skipped(document.path, reason)
    return document


def _document_with_fields(
    fields: dict[str, Any], path: str, text: str, title: str | None, fmt: str
) -> Document:
    """A Document whose id, date, source, byline and url come from metadata `fields`."""
    return Document(
        id=_field(fields, ("id",)) or "",
        path=path,
        text=text,
        title=title,
        date=_field(fields, DATE_FIELDS),
        source=_field(fields, SOURCE_FIELDS),
        byline=_field(fields, BYLINE_FIELDS),
        url=_field(fields, ("url", "link")),
        format=fmt,
    )


def _record_to_document(record: Any, path: str, fmt: str) -> Document | Skipped:
    if not isinstance(record, dict):
        return Skipped(path, "JSON record is not an object")
    text = _field(record, TEXT_FIELDS)
    if text is None or not text.strip():
        return Skipped(path, "record has no text (text/body/content)")
    return _document_with_fields(record, path, text, _field(record, TITLE_FIELDS), fmt)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_]+)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_MD_HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|\Z)")


def _markdown_document(text: str, path: str) -> Document:
    meta: dict[str, Any] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for match in _FRONT_MATTER_LINE.finditer(front.group(1)):
            meta[match.group(1).lower()] = match.group(2).strip().strip("\"'")
        text = text[front.end() :]
    heading = _MD_HEADING.match(text)
    title = _field(meta, TITLE_FIELDS)
    if heading:
        title = title or heading.group(1).strip()
        text = text[heading.end() :]
    return _document_with_fields(meta, path, text, title, "md")


MAX_SKIPS_PER_FILE = 10
"""Records of one file reported skipped one by one; the rest are one line (a JSON list of two
million non-objects is one bad file, not two million messages)."""


def documents_from_file(path: Path) -> list[Document | Skipped]:
    """The article records in one file (ids not yet assigned for JSON records without one).

    A record whose text is too large for one article (`MAX_ARTICLE_BYTES`) is `Skipped`.
    After `MAX_SKIPS_PER_FILE` skipped records, the others are counted in one last `Skipped`.
    """
    results: list[Document | Skipped] = []
    skips = 0
    more: Counter[str] = Counter()
    for document in _parse_file(path):
        document = _checked_size(document)
        if isinstance(document, Skipped):
            skips += 1
            if skips > MAX_SKIPS_PER_FILE:
                more[document.reason.split(":")[0]] += 1
                continue
        results.append(document)
    if more:
        reasons = ", ".join(f"{n} {reason}" for reason, n in more.most_common(3))
        results.append(Skipped(str(path), f"{sum(more.values())} more records skipped ({reasons})"))
    return results


def _parse_file(path: Path) -> Iterable[Document | Skipped]:
    try:
        data = _read_bytes(path)
    except UnreadableFile as error:
        return [Skipped(str(path), str(error))]
    return _parse_bytes(data, str(path), path.suffix.lower())


def _parse_bytes(data: bytes, name: str, suffix: str) -> Iterable[Document | Skipped]:
    """The records of one file's bytes; `suffix` (lower case) says its format."""
    try:
        text = make_safe(decode_bytes(data))
    except UnreadableFile as error:  # empty, binary
        return [Skipped(name, str(error))]
    if not text.strip():
        return [Skipped(name, "empty file")]
    if suffix in JSON_SUFFIXES:
        try:
            data = loads_json(text)
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            return [Skipped(name, f"invalid JSON: {error.msg} ({where})")]
        if isinstance(data, list):
            if not data:
                return [Skipped(name, "empty JSON list")]
            return (
                _record_to_document(record, f"{name}#{number}", "json")
                for number, record in enumerate(data, start=1)
            )
        return [_record_to_document(data, name, "json")]
    if suffix in JSONL_SUFFIXES:
        return _jsonl_documents(text, name)
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and looks_like_html(text)):
        return [_safe_html_document(text, name)]
    text = make_safe(decode_char_refs(text))  # JSON fields are decoded one by one, above
    if suffix in MARKDOWN_SUFFIXES:
        return [_markdown_document(text, name)]
    return [Document(id="", path=name, text=text, format="txt")]


def _safe_html_document(text: str, name: str) -> Document | Skipped:
    """A saved page's article; character references in the markup may spell control
    characters, so what came out of the parser is made safe again."""
    document = html_document(text, name)

    def safe(value: str | None) -> str | None:
        return (make_safe(value).strip() or None) if value else None

    safe_document = replace(
        document,
        text=make_safe(document.text),
        title=safe(document.title),
        date=safe(document.date),
        source=safe(document.source),
        byline=safe(document.byline),
        url=safe(document.url),
    )
    if not safe_document.text.strip():
        return Skipped(name, "web page with no text")
    return _checked_size(safe_document)


def _jsonl_documents(text: str, name: str) -> Iterator[Document | Skipped]:
    found = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found = True
        try:
            record = loads_json(line)
        except json.JSONDecodeError as error:
            problem = f"invalid JSON line: {error.msg} (column {error.colno})"
            yield Skipped(f"{name}#{number}", problem)
            continue
        yield _record_to_document(record, f"{name}#{number}", "jsonl")
    if not found:
        yield Skipped(name, "empty file")


def read_stream(data: bytes, name: str = "-") -> ReadResult:
    """The articles of one stream's bytes (stdin: `newsreader analyze -`), read as a file is.

    Without a file name the format is told from the text: a JSON object or array, JSON
    Lines (every line an object), HTML, else plain text. Ids come from the text, as for a
    file whose name holds none.
    """
    head = data.lstrip()[:1]
    suffix = ".txt"
    if head in (b"{", b"["):
        first_line = data.lstrip().split(b"\n", 1)[0].strip()
        lines = [line for line in data.strip().splitlines() if line.strip()]
        jsonl = len(lines) > 1 and first_line.startswith(b"{") and first_line.endswith(b"}")
        suffix = ".jsonl" if jsonl else ".json"
    result = ReadResult()
    kept_by_hash: dict[str, str] = {}
    used_ids: set[str] = set()
    for record in _parse_bytes(data, name, suffix):
        _admit(result, _checked_size(record), None, kept_by_hash, used_ids)
    return result


def _id_from_name(path: Path) -> str | None:
    match = _HEX_ID_IN_NAME.search(path.stem)
    return match.group(1).lower() if match else None


def read_paths(paths: Sequence[Path]) -> ReadResult:
    """Read every article under `paths`: documents, skips (file + reason), duplicates."""
    result = ReadResult()
    kept_by_hash: dict[str, str] = {}
    used_ids: set[str] = set()
    for path, reason in _walk(paths):
        if reason is not None:
            result.skipped.append(Skipped(str(path), reason))
            continue
        records = documents_from_file(path)
        name_id = _id_from_name(path) if len(records) == 1 else None
        for record in records:
            _admit(result, record, name_id, kept_by_hash, used_ids)
    return result


def _admit(
    result: ReadResult,
    record: Document | Skipped,
    name_id: str | None,
    kept_by_hash: dict[str, str],
    used_ids: set[str],
) -> None:
    """Add one record to `result`: a skip, a duplicate of a kept text, or a document with
    its id (the file name's, else the record's, else the text's digest; made unique)."""
    if isinstance(record, Skipped):
        result.skipped.append(record)
        return
    digest = text_hash(record.text)
    kept = kept_by_hash.get(digest)
    if kept is not None:
        result.duplicates.append((record.path, kept))
        return
    kept_by_hash[digest] = record.path
    article_id = name_id or record.id or digest[:16]
    if article_id in used_ids:
        article_id = f"{article_id}-{digest[:8]}"
    used_ids.add(article_id)
    result.documents.append(replace(record, id=article_id))


def _suffix(name: str) -> str:
    """The suffix of a file name as `PurePath.suffix` gives it ("" for "a." and ".rc")."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def walk_stat(paths: Sequence[Path]) -> Iterator[tuple[str, os.stat_result | None, str | None]]:
    """`(path, stat, skip reason)` for every candidate file under `paths`, in walk order.

    The same files, order and skip reasons as the reader's own walk, for callers that need
    each file's size and mtime (the corpus index's refresh): one `stat` a file, taken from
    `os.scandir` entries (cached on the entry), and plain strings instead of `Path` objects,
    which at 100,000 files is most of the walk's cost. `stat` is None when a reason is given.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    # (path, stat or None to take, named explicitly); popped from the end
    stack: list[tuple[str, os.stat_result | None, bool]] = [
        (str(Path(path)), None, True) for path in reversed(paths)
    ]
    while stack:
        name, info, explicit = stack.pop()
        if info is None:
            try:
                info = os.stat(name)  # follows links; a dangling link raises
            except OSError as error:
                yield name, None, f"cannot read: {error.strerror or error}"
                continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                continue  # a symlink loop or a folder reached twice
            seen_dirs.add(key)
            try:
                with os.scandir(name) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as error:
                yield name, None, f"cannot list folder: {error.strerror or error}"
                continue
            for entry in reversed(entries):
                if _is_hidden(entry.name):
                    continue
                try:
                    entry_info: os.stat_result | None = entry.stat()  # follows links
                except OSError:
                    entry_info = None  # taken again when popped, for the reason
                stack.append((entry.path, entry_info, False))
            continue
        if not stat.S_ISREG(info.st_mode):
            yield name, None, f"{file_kind(info.st_mode)}, not read"
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_files:
            continue  # the same file named twice (or linked): read it once
        seen_files.add(key)
        suffix = _suffix(os.path.basename(name))
        if suffix.lower() not in SUPPORTED_SUFFIXES and not explicit:
            yield name, None, f"unsupported file type ({suffix})"
            continue
        if not explicit and folder_document(os.path.basename(name)):
            yield name, None, FOLDER_DOCUMENT_REASON
            continue
        yield name, info, None
