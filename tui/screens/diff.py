"""What one version of a story adds and drops compared with another (`d` on a related article).

`DiffScreen(new, old)` aligns the two bodies paragraph by paragraph (`corpus.threads.
diff_bodies`) and shows the new version in reading order: unchanged paragraphs dimmed,
changed ones with their new sentences highlighted and the sentences they lost listed under
them, added paragraphs marked with a green bar, dropped ones in red where they used to be,
moved ones marked. `n` / `N` jump between changes, `u` hides the unchanged paragraphs.

It dismisses with `("open-article", old_article_id)` (`o`: read the other version) or None.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Static

from corpus.model import Article
from corpus.threads import ArticleDiff, ParagraphChange, diff_bodies
from tui.screens.dialog import Dialog

DiffChoice = tuple[str, str]

NEW_SENTENCE = Style(bold=True, color="black", bgcolor="green3")
DROPPED_SENTENCE = Style(color="red3", strike=True)

_MARKS = {
    "same": "  ",
    "changed": "~ ",
    "added": "+ ",
    "dropped": "- ",
    "moved": "↕ ",
}


def render_change(change: ParagraphChange) -> Text:
    """One aligned paragraph as inert text, its new sentences highlighted."""
    text = Text()
    if change.kind == "dropped":
        text.append(change.old_text or "", DROPPED_SENTENCE)
        return text
    body = change.new_text or ""
    text.append(body)
    for start, end in change.new_spans:
        text.stylize(NEW_SENTENCE, start, end)
    if change.kind == "moved":
        text.append("  (moved)", style="dim italic")
    for sentence in change.dropped_sentences:
        text.append("\n- ", style="red3")
        text.append(sentence, DROPPED_SENTENCE)
    return text


def describe_article(article: Article) -> str:
    return f"{article.date or 'undated'} · {article.title}"


class DiffScreen(Dialog[DiffChoice | None]):
    """The new version of a story against an older (or any related) one.

    Constructor: `DiffScreen(new, old, *, similarity=None)` with two `corpus.model.Article`s;
    `similarity` (0..1, e.g. from `ThreadIndex.related`) is shown in the header.
    Keys: ↑/↓ (j/k) scroll, `n` / `N` next / previous change, `u` hide or show unchanged
    paragraphs, `o` open the other version, escape closes.

    Dismisses with `("open-article", old.id)` or None.
    """

    DEFAULT_CSS = """
    DiffScreen {
        align: center middle;
    }
    DiffScreen > #diff-frame {
        width: 100%;
        height: 100%;
        border: round $accent;
        background: $surface;
    }
    DiffScreen #diff-header {
        height: auto;
        padding: 0 1;
        border-bottom: hkey $panel-lighten-2;
    }
    DiffScreen #diff-body {
        height: 1fr;
        padding: 0 1;
    }
    DiffScreen .diff-paragraph {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border-left: blank;
    }
    DiffScreen .diff-same {
        color: $text-muted;
    }
    DiffScreen #diff-body.hide-same .diff-same {
        display: none;
    }
    DiffScreen .diff-changed {
        border-left: thick $warning;
    }
    DiffScreen .diff-added {
        border-left: thick $success;
    }
    DiffScreen .diff-dropped {
        border-left: thick $error;
    }
    DiffScreen .diff-moved {
        border-left: thick $primary;
        color: $text-muted;
    }
    DiffScreen .diff-paragraph.-current {
        background: $boost;
    }
    """

    HELP_GROUP: ClassVar[str] = "Compare"
    """Where the help lists this class's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_change(1)", "Next change", id="diff-next"),
        Binding("N", "next_change(-1)", "Previous change", id="diff-previous"),
        Binding("u", "toggle_unchanged", "Hide unchanged", id="diff-unchanged"),
        Binding("o", "open_other", "Open other", id="diff-open-other"),
        Binding("j", "scroll(1)", "Down", id="diff-down", show=False),
        Binding("k", "scroll(-1)", "Up", id="diff-up", show=False),
        Binding("escape", "close", "Close", id="diff-close"),
    ]

    def __init__(self, new: Article, old: Article, *, similarity: float | None = None) -> None:
        super().__init__()
        self._new = new
        self._old = old
        self._similarity = similarity
        self.diff: ArticleDiff = diff_bodies(old.body, new.body)
        self._current_change = -1

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-frame") as frame:
            frame.border_title = "What this version adds and drops"
            yield Static(self._header(), id="diff-header")
            with VerticalScroll(id="diff-body"):
                for index, change in enumerate(self.diff.paragraphs):
                    yield Static(
                        render_change(change),
                        id=f"diff-p{index}",
                        classes=f"diff-paragraph diff-{change.kind}",
                    )
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#diff-body").focus()

    def _header(self) -> Text:
        diff = self.diff
        text = Text()
        text.append("this  ", style="bold")
        text.append(describe_article(self._new))
        text.append("\nvs    ", style="bold")
        text.append(describe_article(self._old))
        text.append("\n")
        parts = [
            f"{diff.new_sentence_count} new sentences",
            f"{diff.dropped_sentence_count} dropped",
            f"{diff.count('added')} paragraphs added",
            f"{diff.count('changed')} changed",
            f"{diff.count('dropped')} dropped",
            f"{diff.count('moved')} moved",
            f"{diff.count('same')} unchanged",
        ]
        if self._similarity is not None:
            parts.append(f"similarity {self._similarity:.2f}")
        text.append(" · ".join(parts), style="dim")
        text.append("\n")
        text.append("new sentence", NEW_SENTENCE)
        text.append("  ")
        text.append("dropped sentence", DROPPED_SENTENCE)
        return text

    def _change_indexes(self) -> list[int]:
        return [i for i, c in enumerate(self.diff.paragraphs) if c.kind != "same"]

    def action_next_change(self, step: int) -> None:
        changes = self._change_indexes()
        if not changes:
            self.notify("The two versions have the same paragraphs.")
            return
        if step > 0:
            later = [i for i in changes if i > self._current_change]
            target = later[0] if later else changes[0]
        else:
            earlier = [i for i in changes if i < self._current_change]
            target = earlier[-1] if earlier else changes[-1]
        if self._current_change >= 0:
            self.query_one(f"#diff-p{self._current_change}").remove_class("-current")
        self._current_change = target
        widget = self.query_one(f"#diff-p{target}")
        widget.add_class("-current")
        self.query_one("#diff-body", VerticalScroll).scroll_to_widget(
            widget, animate=False, top=True
        )

    @property
    def current_change(self) -> int:
        """Index into `diff.paragraphs` of the change `n`/`N` last jumped to (-1: none)."""
        return self._current_change

    def action_toggle_unchanged(self) -> None:
        self.query_one("#diff-body").toggle_class("hide-same")

    def action_scroll(self, lines: int) -> None:
        self.query_one("#diff-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_open_other(self) -> None:
        self.close(("open-article", self._old.id))

    def action_close(self) -> None:
        self.close(None)
