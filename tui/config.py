"""The user's config file: key rebinding, quick tags for 1-9, annotation labels, theme, layout.

Read from `$NEWSREADER_CONFIG`, else `<user config dir>/newsreader/config.toml`
(`$XDG_CONFIG_HOME/newsreader/config.toml` on Linux). Example::

    theme = "gruvbox"

    [keys]            # binding id = "key,other-key" (ids are listed by `?` in the app)
    tag = "t,plus"
    star = "S"

    [quick_tags]      # slot = tag; the keys 1-9 toggle these tags on the open article
    1 = "important"
    2 = "follow-up"
    4 = "misinformation"

    [labels]          # key = label; one key labels the selection (`v`) or the span (`a`)
    1 = "PERSON"      # an entity type adds or corrects an entity
    2 = "ORG"
    c = "claim"       # any other label marks a passage

    reading_width = 100   # body lines at most this many columns (0: the pane's width)
    annotator = "ana"     # your name on the span annotations you make ($NEWSREADER_ANNOTATOR)

    [filters]         # saved filters, applied with ' (name = "filters" as the header shows them)
    to-check = 'tag:"fact check" unread'
    sport = "source:sport date:2005"

A missing file gives the defaults; a broken one gives the defaults plus a message the app
shows as a notification (never an exception at start-up).

Config text is drawn by the app (help, command palette, footer, notifications), so it is held
to the same rules as article text: a quick tag is cleaned exactly as the store cleans tags
(`store.annotations.clean_tag`), a key must be a key name (`check_keymap`: no escape
sequence, control, bidi character or markup can become a key the footer prints), and every
message about the file spells the path and the offending entry with `visible_name`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.textsafe import visible_name
from corpus.userdirs import user_dir

DEFAULT_QUICK_TAGS: dict[int, str] = {1: "important", 2: "follow-up", 3: "fact-check"}

DEFAULT_LABELS: dict[str, str] = {
    "1": "PERSON",
    "2": "ORG",
    "3": "GPE",
    "4": "LOC",
    "5": "NORP",
    "6": "FAC",
    "7": "EVENT",
    "8": "LAW",
    "9": "passage",
}
"""The annotation labels and their keys: entity types, and "passage" to mark any text."""

SELECTION_KEYS = frozenset("wbjkhlHL()s[]xaqv?")
"""Keys the selection bar (`v`) and the annotate dialog use themselves: no label can take one
(`x` is "not an entity")."""

MAX_LABEL_LENGTH = 40

DEFAULT_READING_WIDTH = 100
"""Body lines are at most this many columns wide unless the config says otherwise."""


@dataclass(frozen=True, slots=True)
class AppConfig:
    """Settings read from the config file (or the defaults)."""

    keymap: dict[str, str] = field(default_factory=dict)
    quick_tags: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_QUICK_TAGS))
    theme: str | None = None
    path: Path | None = None
    problems: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    """Annotation labels by their one-key shortcut (a key is one character)."""
    reading_width: int = DEFAULT_READING_WIDTH
    """The widest a body line is drawn, in columns (0: as wide as the pane)."""
    saved_filters: dict[str, str] = field(default_factory=dict)
    """Named filter lines ("tag:important unread") from `[filters]`."""
    annotator: str | None = None
    """The name recorded on span annotations (None: `$NEWSREADER_ANNOTATOR`, else none)."""
    saved_theme: str | None = None
    """The theme last chosen in the command palette (`state.json` beside the config file),
    while the config's own `theme` is the one it was chosen over (`save_theme`)."""


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "plus": "+",
    "minus": "-",
    "apostrophe": "'",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "comma": ",",
    "full_stop": ".",
    "colon": ":",
    "semicolon": ";",
    "exclamation_mark": "!",
    "number_sign": "#",
    "asterisk": "*",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "equals_sign": "=",
    "underscore": "_",
    "tilde": "~",
}


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _is_key_name(key: str) -> bool:
    """True for what Textual can bind: [modifier+]... then a printable character or a key name."""
    from textual.keys import REPLACED_KEYS, Keys, key_to_character

    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if any(m not in _MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace() and base != ","
    if not base.isascii() or not base.replace("_", "").isalnum():
        return False
    named = {k.value.rsplit("+", 1)[-1] for k in Keys}
    character = key_to_character(REPLACED_KEYS.get(base, base))
    return base in named or (character is not None and character.isprintable())


def config_place(path: Path | None) -> str:
    """How messages name the config file: "config <path>", the path spelled inert."""
    return f"config {visible_name(str(path))}" if path else "config"


def check_keymap(
    keymap: Mapping[str, str], known_ids: Collection[str], path: Path | None = None
) -> tuple[dict[str, str], list[str]]:
    """The `[keys]` entries the app can use, and a message for each one it cannot.

    An entry is refused when its id names no binding (a typo would otherwise be silently
    ignored) or when one of its keys is not a key name; a refused entry keeps the default keys.
    """
    where = config_place(path)
    accepted: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        shown_id = visible_name(binding_id)
        if binding_id not in known_ids:
            problems.append(f"{where}: [keys] {shown_id}: no binding has this id (? lists them)")
            continue
        bad = [key for key in keys.split(",") if not _is_key_name(key)]
        if bad:
            problems.append(
                f'{where}: [keys] {shown_id}: "{visible_name(bad[0])}" is not a key name '
                '(keys look like "t", "T", "ctrl+s", "question_mark")'
            )
            continue
        accepted[binding_id] = keys
    return accepted, problems


def key_display(keys: str) -> str:
    """How a binding's keys read in the help and the palette: "right_square_bracket" -> "]"."""
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def default_config_path() -> Path:
    """Where the config file is looked for."""
    override = os.environ.get("NEWSREADER_CONFIG")
    if override:
        return Path(override).expanduser()
    return user_dir("config") / "config.toml"


CONFIG_MAX_BYTES = 1 << 20
"""A config file is a few lines; anything bigger than this is not one."""


STATE_FILE = "state.json"
"""What the app remembers between runs, written beside the config file (never into it: the
config is the user's text)."""


def state_path(config: AppConfig) -> Path | None:
    return config.path.with_name(STATE_FILE) if config.path is not None else None


def load_state(config: AppConfig) -> dict[str, object]:
    """What `state.json` holds ({} when there is none, or it is not ours)."""
    from corpus.untrusted import UnreadableFile, read_regular_file

    path = state_path(config)
    if path is None:
        return {}
    try:
        state = json.loads(read_regular_file(path, CONFIG_MAX_BYTES))
    except (UnreadableFile, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def update_state(config: AppConfig, **changes: object) -> None:
    """Write `changes` into `state.json`, keeping what else it holds. Raises OSError."""
    from store.storage import atomic_write_bytes

    path = state_path(config)
    if path is None:
        return
    state = {**load_state(config), **changes}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, json.dumps(state, indent=1).encode("utf-8") + b"\n")


def load_saved_theme(config: AppConfig) -> str | None:
    """The theme chosen in the palette, unless the config's `theme` changed since (then the
    config is newer and wins); None when nothing was saved."""
    state = load_state(config)
    if state.get("config_theme") != config.theme:
        return None
    theme = state.get("theme")
    return theme if isinstance(theme, str) and theme else None


def save_theme(config: AppConfig, theme: str) -> None:
    """Remember `theme` (chosen in the palette) for the next run. Raises OSError."""
    update_state(config, theme=theme, config_theme=config.theme)


def last_corpus(config: AppConfig) -> list[Path] | None:
    """The corpus the app last opened (`remember_corpus`), if every path of it still exists."""
    paths = load_state(config).get("corpus")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        return None
    found = [Path(p) for p in paths]
    return found if all(p.exists() for p in found) else None


def remember_corpus(config: AppConfig, paths: Sequence[Path]) -> None:
    """Note the corpus the app opened, for the store commands run without --corpus."""
    update_state(config, corpus=[os.path.abspath(p) for p in paths])


def load_config(path: Path | None = None) -> AppConfig:
    """Read the config file; problems are collected, never raised."""
    from corpus.untrusted import UnreadableFile, read_regular_file

    path = path or default_config_path()
    try:
        # a regular file only, and bounded: a FIFO or /dev/zero there must not hang the app
        raw = read_regular_file(path, CONFIG_MAX_BYTES)
    except UnreadableFile as error:
        if isinstance(error.__cause__, FileNotFoundError):
            config = AppConfig(path=path)
            return dataclasses.replace(config, saved_theme=load_saved_theme(config))
        problem = f"{config_place(path)}: {error}; using the defaults"
        return AppConfig(path=path, problems=(problem,))
    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as error:
        problem = f"{config_place(path)}: {error}; using the defaults"
        return AppConfig(path=path, problems=(problem,))
    config = parse_config(data, path)
    return dataclasses.replace(config, saved_theme=load_saved_theme(config))


def parse_config(data: dict[str, object], path: Path | None = None) -> AppConfig:
    """Build an `AppConfig` from parsed TOML, skipping (and reporting) bad entries.

    Key names and binding ids are checked by the app (`check_keymap`), which knows the ids.
    """
    from store.annotations import InvalidAnnotationError, clean_annotator, clean_tag

    problems: list[str] = []
    where = config_place(path)
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if isinstance(keys, dict):
        for binding_id, value in keys.items():
            if isinstance(value, str) and value.strip():
                keymap[str(binding_id)] = value.replace(" ", "")
            else:
                shown = visible_name(str(binding_id))
                problems.append(f'{where}: [keys] {shown} must be a string like "t,plus"')
    else:
        problems.append(f"{where}: [keys] must be a table")
    quick_tags = dict(DEFAULT_QUICK_TAGS)
    slots = data.get("quick_tags")
    if isinstance(slots, dict):
        quick_tags = {}
        for slot, tag in slots.items():
            try:
                number = int(slot)
            except ValueError:
                number = 0
            try:
                cleaned = clean_tag(tag) if isinstance(tag, str) else ""
            except InvalidAnnotationError:
                cleaned = ""
            if not 1 <= number <= 9 or not cleaned:
                problems.append(
                    f'{where}: [quick_tags] {visible_name(str(slot))} must be 1-9 = "tag"'
                )
                continue
            quick_tags[number] = cleaned
    elif slots is not None:
        problems.append(f"{where}: [quick_tags] must be a table")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        problems.append(f"{where}: theme must be a string")
        theme = None
    labels = _parse_labels(data.get("labels"), where, problems)
    annotator = data.get("annotator")
    if annotator is not None:
        try:
            annotator = clean_annotator(annotator)
        except InvalidAnnotationError as error:
            problems.append(f"{where}: {error}")
            annotator = None
    saved_filters = _parse_saved_filters(data.get("filters"), where, problems)
    reading_width = data.get("reading_width", DEFAULT_READING_WIDTH)
    if (
        isinstance(reading_width, bool)
        or not isinstance(reading_width, int)
        or not (reading_width == 0 or 20 <= reading_width <= 1000)
    ):
        problems.append(f"{where}: reading_width must be 0 or a number of columns from 20")
        reading_width = DEFAULT_READING_WIDTH
    return AppConfig(
        keymap=keymap,
        quick_tags=quick_tags,
        theme=theme,
        path=path,
        problems=tuple(problems),
        labels=labels,
        reading_width=reading_width,
        saved_filters=saved_filters,
        annotator=annotator,
    )


FILTER_KINDS = ("tag", "entity", "speaker", "source", "date")
"""What a saved filter line may hold, besides the words "starred" and "unread"."""


def parse_filter_line(line: str) -> list[tuple[str, str]]:
    """(kind, value) of each filter in a line like `tag:"uk politics" unread date:2025-02`.

    Raises ValueError naming the first word that is no filter.
    """
    import shlex

    from tui.listing import parse_date_range

    filters: list[tuple[str, str]] = []
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise ValueError(f"{error} in {line!r}") from None
    for word in words:
        if word in ("starred", "unread"):
            filters.append((word, ""))
            continue
        kind, colon, value = word.partition(":")
        value = value.strip()
        if not colon or kind not in FILTER_KINDS or not value:
            raise ValueError(
                f"{word!r} is no filter (kind:value with kind one of {', '.join(FILTER_KINDS)}, "
                "or starred, unread)"
            )
        if kind == "date" and parse_date_range(value) is None:
            raise ValueError(f"{word!r}: dates look like 2025-02-01..2025-02-28, 2025-02, 2025")
        filters.append((kind, value))
    if not filters:
        raise ValueError("no filter in it")
    return filters


def _parse_saved_filters(table: object, where: str, problems: list[str]) -> dict[str, str]:
    """The `[filters]` table: name = filter line; bad entries are reported and left out."""
    from corpus.textsafe import make_safe

    if table is None:
        return {}
    if not isinstance(table, dict):
        problems.append(f"{where}: [filters] must be a table")
        return {}
    saved: dict[str, str] = {}
    for name, line in table.items():
        shown = visible_name(str(name))
        if not isinstance(line, str):
            problems.append(f'{where}: [filters] {shown} must be a string like "tag:x unread"')
            continue
        try:
            parse_filter_line(make_safe(line))
        except ValueError as error:
            problems.append(f"{where}: [filters] {shown}: {visible_name(str(error))}")
            continue
        saved[make_safe(str(name))] = make_safe(line)
    return saved


def clean_label(value: object) -> str | None:
    """An annotation label as the store keeps it: inert, trimmed, short; entity types in
    capitals ("person" -> "PERSON"). None when it cannot be one."""
    from corpus.model import ENTITY_LABELS
    from corpus.textsafe import make_safe
    from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX

    if not isinstance(value, str):
        return None
    label = " ".join(make_safe(value).split())
    if label.upper() in ENTITY_LABELS:
        return label.upper()
    if (
        not label
        or len(label) > MAX_LABEL_LENGTH
        or label == NOT_AN_ENTITY
        or label.startswith(SPEAKER_PREFIX)
    ):
        return None
    return label


def _parse_labels(table: object, where: str, problems: list[str]) -> dict[str, str]:
    """The `[labels]` table: one-character key = label; bad entries are reported and left out."""
    if table is None:
        return dict(DEFAULT_LABELS)
    if not isinstance(table, dict):
        problems.append(f"{where}: [labels] must be a table")
        return dict(DEFAULT_LABELS)
    labels: dict[str, str] = {}
    for key, value in table.items():
        shown = visible_name(str(key))
        label = clean_label(value)
        if len(key) != 1 or not key.isprintable() or key.isspace() or key in SELECTION_KEYS:
            taken = " (the selection keys use it)" if key in SELECTION_KEYS else ""
            problems.append(f"{where}: [labels] {shown}: a label key is one character{taken}")
        elif label is None:
            problems.append(
                f"{where}: [labels] {shown} must be a label of up to {MAX_LABEL_LENGTH} "
                'characters, like "PERSON" or "claim"'
            )
        elif label in labels.values():
            problems.append(f"{where}: [labels] {shown}: {visible_name(label)} has a key already")
        else:
            labels[key] = label
    return labels or dict(DEFAULT_LABELS)
