"""The newsreader Textual app and `make_app`, the one factory the CLI, tests and screenshots use.

The app holds what outlives a screen: the corpus paths, the annotation store, the config (key
map, quick tags, theme), the drafts of notes being typed. The reading itself happens on
`ReaderScreen`.

Every binding table the config can rebind is listed once (`binding_tables`): the help screen,
the command palette and the check of the config's `[keys]` read it. SIGHUP (the terminal
closed, a killed tmux session) and SIGTERM (a logout) write the open note's draft before the
app exits, instead of killing it mid-sentence.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import re
import signal
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from corpus.source import CorpusSource
from corpus.textsafe import visible_name
from store.drafts import NoteDrafts, as_stored, drafts_folder
from tui.commands import ReaderCommands
from tui.config import (
    AppConfig,
    check_keymap,
    config_place,
    key_display,
    load_config,
    remember_corpus,
    save_theme,
)
from tui.render import safe
from tui.screens.help_screen import HelpScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.reader import ReaderScreen


class ExportFailed(Exception):
    """An export could not be written; the message names the file the reader chose."""


EXIT_SIGNALS = ("SIGHUP", "SIGTERM")
"""Signals that end the app the way `q` does, after writing the open note's draft."""


class NewsreaderApp(App[int]):
    """A terminal reader for news corpora."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="command-palette"),
    ]

    def __init__(
        self,
        *,
        paths: Sequence[Path] = (),
        db_path: Path | None = None,
        cache_path: Path | None = None,
        ner: str = "builtin",
        source: CorpusSource | None = None,
        store: Any = None,
        config: AppConfig | None = None,
        corpus_label: str | None = None,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.db_path = db_path
        self.cache_path = cache_path
        self.ner = ner
        self.preloaded_source = source
        self.store: Any = store
        self.store_read_only = False
        config = config if config is not None else load_config()
        keymap, problems = check_keymap(config.keymap, self.binding_ids(), config.path)
        self.config = dataclasses.replace(
            config, keymap=keymap, problems=(*config.problems, *problems)
        )
        self.corpus_label = corpus_label
        self._note_drafts: NoteDrafts | None = None
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for theme in (self.config.saved_theme, self.config.theme):
            if theme and theme in self.available_themes:
                self.theme = theme
                break
        self._theme_at_start = self.theme

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the command palette is kept for the next run (`state.json`)."""
        if not self.is_running or theme == self._theme_at_start:
            return
        self._theme_at_start = theme
        self._save_theme(theme)

    @work(thread=True, exclusive=True, group="save-theme", exit_on_error=False)
    def _save_theme(self, theme: str) -> None:
        try:
            save_theme(self.config, theme)
        except OSError as error:
            self.post_message(self.ThemeNotSaved(str(error.strerror or error)))

    class ThemeNotSaved(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def on_newsreader_app_theme_not_saved(self, event: ThemeNotSaved) -> None:
        reason = safe(event.reason)
        self.notify(f"The theme could not be saved: {reason}", severity="warning", markup=False)

    def get_default_screen(self) -> ReaderScreen:
        return ReaderScreen()

    def on_mount(self) -> None:
        problems = list(self.config.problems)
        if self.config.theme and self.config.theme not in self.available_themes:
            theme = visible_name(self.config.theme)
            problems.append(f'{config_place(self.config.path)}: unknown theme "{theme}"')
        for problem in problems:
            self.notify(safe(problem), title="Config", severity="warning", markup=False, timeout=10)
        if not self.is_headless:
            self._catch_exit_signals()
        from corpus import SAMPLE_DIR

        if self.paths and self.paths != [SAMPLE_DIR]:
            self._remember_corpus(self.paths)

    @work(thread=True, exclusive=True, group="remember-corpus", exit_on_error=False)
    def _remember_corpus(self, paths: list[Path]) -> None:
        """The store commands run without --corpus read this corpus (`tui.config.last_corpus`)."""
        # only a convenience: without it the commands read the sample corpus, and say so
        with contextlib.suppress(OSError):
            remember_corpus(self.config, paths)

    # -- the store (called from workers) ------------------------------------------------------

    def open_store(self) -> Any:
        """The annotation store: the one given to `make_app`, else the file at `db_path`."""
        if self.store is not None and not self.store_read_only:
            return self.store
        from store.annotations import AnnotationStore

        path = self.db_path
        if path is None:
            from store import default_db_path

            path = default_db_path()
        return AnnotationStore(
            path, read_only=self.store_read_only, annotator=self.config.annotator
        )

    def export_formats(self) -> list[str]:
        """The export formats the store offers ("brat" writes a folder)."""
        from store.export import FORMATS

        return list(FORMATS)

    def export(self, fmt: str, path: Path, source: CorpusSource | None) -> None:
        """Write the annotations to `path` in `fmt` (runs in a worker: reads articles)."""
        from store.export import render, select_items, write_brat
        from store.storage import atomic_write_bytes

        articles = []
        if source is not None:
            for article_id in self.store.all():
                try:
                    articles.append(source.article(article_id))
                except KeyError:  # an orphan: exported without its article
                    continue
        items = select_items(self.store, articles)
        try:
            if fmt == "brat":
                write_brat(items, path)
            else:
                # into a FIFO or a device as a stream, as `newsreader export -o` does
                atomic_write_bytes(path, render(fmt, items), streams=True)
        except OSError as error:
            # the error names the writer's temporary file: say which file the reader chose
            raise ExportFailed(f"{path}: {error.strerror or error}") from error

    # -- never lose what the user typed --------------------------------------------------------

    @property
    def note_drafts(self) -> NoteDrafts:
        """The drafts of notes being typed, in a folder beside the annotation store."""
        if self._note_drafts is None:
            path = getattr(self.store, "path", None) or self.db_path
            if path is None:
                from store import default_db_path

                path = default_db_path()
            self._note_drafts = NoteDrafts(drafts_folder(Path(path)))
        return self._note_drafts

    def _catch_exit_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for name in EXIT_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                loop.add_signal_handler(number, self.exit_on_signal, number)

    def exit_on_signal(self, number: int) -> None:
        """The terminal is gone or the session ends: write the open note's draft, then exit.

        The exit is the ordinary one (store writes in flight finish, the terminal is
        restored where there still is one); should it not finish, a timer ends the process.
        """
        self.save_drafts_now()
        code = 128 + number
        if not self.is_headless:  # (a test's app shares its process with the test runner)
            watchdog = threading.Timer(5.0, os._exit, (code,))
            watchdog.daemon = True
            watchdog.start()
        self.exit(return_code=code)

    def save_drafts_now(self) -> None:
        """Write the draft of every open note editor at once (on this thread)."""
        for screen in self.screen_stack:
            if isinstance(screen, NoteEditor):
                screen.save_draft_now()

    def note_saved(self, article_id: str, annotations: Any) -> None:
        """Once the store holds the text of a note's draft, the draft is done with: delete it.

        (The reader calls this as it takes in a store write, so `q` right after a save finds
        the deletion already under way: see `action_quit`.)
        """
        drafts = self._note_drafts
        note = getattr(annotations, "note", None)
        if drafts is None or note is None:
            return
        draft = drafts.latest(article_id)
        if draft is None or as_stored(draft) != note:
            return
        ticket = drafts.ask(article_id, None)
        self.run_worker(
            lambda: drafts.discard(article_id, ticket),
            name="note-draft",
            group="note-drafts",
            thread=True,
            exit_on_error=False,
        )

    # -- actions -------------------------------------------------------------------------------

    QUIT_WAIT: ClassVar[float] = 3.0
    """Seconds `q` waits at most for store writes in flight and the draft clean-up they start."""

    async def action_quit(self) -> None:
        """Quit once the store writes in flight are saved and taken in, and the drafts of the
        notes they saved deleted (at most `QUIT_WAIT` seconds): a reader who saves a note and
        quits at once leaves no draft behind."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.QUIT_WAIT
        reader = next((s for s in self.screen_stack if isinstance(s, ReaderScreen)), None)
        while loop.time() < deadline:
            drafts = [w for w in self.workers if w.group == "note-drafts" and not w.is_finished]
            writing = reader is not None and reader.writes_pending > 0
            if not drafts and not writing:
                break
            await asyncio.sleep(0.02)
        self.exit()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_rows(), visible_name(str(self.config.path))))

    def binding_tables(self) -> list[tuple[str, Sequence[BindingType]]]:
        """Every binding table of the app, its screens and widgets, with where it applies:
        the reader's first, then the app's own ("Anywhere"), then the others by name. The
        tables are found, not listed (`screen_binding_tables`), so a new dialog's keys are in
        the help and the config's `[keys]` without a line here."""
        found = screen_binding_tables()
        first = [(where, found.pop(where)) for where in _HELP_FIRST if where in found]
        return [*first, ("Anywhere", self.BINDINGS), *sorted(found.items())]

    def binding_ids(self) -> set[str]:
        """The ids the config's `[keys]` may use."""
        return {
            binding.id
            for _, table in self.binding_tables()
            for binding in table
            if isinstance(binding, Binding) and binding.id is not None
        }

    def binding_label(self, binding: Binding) -> tuple[str, str]:
        """(keys as shown, description) of a binding, with the config's keymap applied.

        Config text in it (keys, quick tag names) is inert: the help and the palette draw it.
        """
        keys = self.config.keymap.get(binding.id or "", binding.key)
        description = binding.description
        if binding.id is not None and binding.id.startswith("quick-tag-"):
            tag = self.config.quick_tags.get(int(binding.id.rsplit("-", 1)[1]))
            description = f"Toggle tag {safe(tag)!r}" if tag else "Quick tag (not set)"
        return safe(key_display(keys)), safe(description)

    def binding_rows(self) -> list[tuple[str, str, str, str]]:
        """(where, keys, description, id) for every binding, with the config's keymap applied;
        a binding without an id (a dialog's own keys) has "" and cannot be rebound."""
        rows: list[tuple[str, str, str, str]] = []
        for where, table in self.binding_tables():
            for binding in table:
                if not isinstance(binding, Binding):
                    continue
                shown, description = self.binding_label(binding)
                rows.append((where, shown, description, binding.id or ""))
        return rows


_HELP_FIRST = ("Reader", "Sidebar", "Article", "Info panel")
"""The help's first groups: the reader screen's (then "Anywhere", then the rest by name)."""


def screen_binding_tables() -> dict[str, list[BindingType]]:
    """{where: bindings} of every screen and widget class in `tui.screens` and `tui.widgets`
    that declares its own BINDINGS; `where` is the class's `HELP_GROUP`, else its name in
    words ("AnnotateSpan" -> "Annotate span", "PeopleScreen" -> "People")."""
    import importlib
    import inspect
    import pkgutil

    from textual.dom import DOMNode

    import tui.screens
    import tui.widgets

    tables: dict[str, list[BindingType]] = {}
    for package in (tui.screens, tui.widgets):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for cls in vars(module).values():
                if not (
                    inspect.isclass(cls)
                    and issubclass(cls, DOMNode)
                    and cls.__module__ == module.__name__
                    and "BINDINGS" in vars(cls)
                ):
                    continue
                where = vars(cls).get("HELP_GROUP") or _words_of(cls.__name__)
                tables.setdefault(where, []).extend(vars(cls)["BINDINGS"])
    return tables


def _words_of(name: str) -> str:
    words = re.findall(r"[A-Z][a-z]*", name.removesuffix("Screen")) or [name]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def make_app(
    paths: Sequence[Path] | None = None,
    db_path: str | Path | None = None,
    cache_path: str | Path | None = None,
    ner: str = "builtin",
    *,
    source: CorpusSource | None = None,
    store: Any = None,
    config: AppConfig | None = None,
    corpus_label: str | None = None,
) -> NewsreaderApp:
    """Build the app: the CLI passes paths and files; tests pass a `source` and a `store`."""
    if not paths and source is None:
        from corpus import SAMPLE_DIR

        paths = [SAMPLE_DIR]
    if source is None:
        # The index analyses in spawned processes; multiprocessing's resource tracker must
        # start while stderr is still the terminal's (inside the app it has no file number).
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    return NewsreaderApp(
        paths=[Path(p) for p in paths or ()],
        db_path=Path(db_path).expanduser() if db_path else None,
        cache_path=Path(cache_path).expanduser() if cache_path else None,
        ner=ner,
        source=source,
        store=store,
        config=config,
        corpus_label=corpus_label,
    )
