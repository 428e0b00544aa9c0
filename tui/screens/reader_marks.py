"""An article's own annotations from the reader screen: tags (`t`, `T`, the quick tags 1-9),
star (`s`), read mark (`u`, `C` for the whole list), note (`n`) and date (`D`).

Each turns a key, or the answer of its dialog, into one store write (`ReaderScreen.write`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from tui.render import plural, safe
from tui.screens.confirm import Confirm
from tui.screens.date_prompt import DatePrompt
from tui.screens.note_editor import NoteEditor
from tui.screens.pick_one import PickOne
from tui.screens.tag_prompt import TagPrompt
from tui.widgets.article_list import RowMarks

if TYPE_CHECKING:
    from store.annotations import AnnotationStore
    from tui.screens.reader import ReaderScreen


def tag_counts(screen: ReaderScreen) -> Counter[str]:
    """How many articles carry each tag (the tag dialog and the filter offer the most used)."""
    counts: Counter[str] = Counter()
    for marks in screen.marks.values():
        counts.update(marks.tags)
    return counts


def ask_tags(screen: ReaderScreen) -> None:
    """`t`: add tags to the article under the cursor."""
    article_id = screen.open_id()
    if article_id is None:
        return

    def chosen(tags: list[str] | None) -> None:
        if tags:
            screen.write(article_id, "add tags", lambda s: s.add_tags(article_id, tags))

    current = tuple(screen.annotations_of(article_id).tags)
    screen.app.push_screen(TagPrompt(tag_counts(screen), current), chosen)


def ask_untag(screen: ReaderScreen) -> None:
    """`T`: remove one of the article's tags."""
    article_id = screen.open_id()
    if article_id is None:
        return
    tags = list(screen.annotations_of(article_id).tags)
    if not tags:
        screen.notify("This article has no tags", timeout=3)
        return

    def chosen(tag: str | None) -> None:
        if tag:
            screen.write(article_id, "remove the tag", lambda s: s.remove_tags(article_id, [tag]))

    screen.app.push_screen(PickOne("Remove which tag?", tags), chosen)  # PickOne shows safe()


def toggle_quick_tag(screen: ReaderScreen, slot: int) -> None:
    """1-9: add the config's quick tag of `slot`, or remove it when the article has it."""
    article_id = screen.open_id()
    if article_id is None:
        return
    config = screen.nr_app.config
    tag = config.quick_tags.get(slot)
    if not tag:
        screen.notify(
            f'No quick tag in slot {slot}: set [quick_tags] {slot} = "tag" in {config.path}',
            markup=False,
            timeout=5,
        )
        return
    if tag in screen.annotations_of(article_id).tags:
        screen.write(article_id, "remove the tag", lambda s: s.remove_tags(article_id, [tag]))
    else:
        screen.write(article_id, "add the tag", lambda s: s.add_tags(article_id, [tag]))


def toggle_star(screen: ReaderScreen) -> None:
    """`s`: star the article, or take the star off."""
    article_id = screen.open_id()
    if article_id is not None:
        starred = not screen.annotations_of(article_id).starred
        screen.write(article_id, "star", lambda s: s.set_starred(article_id, starred))


def toggle_read(screen: ReaderScreen) -> None:
    """`u`: mark the article read, or unread again."""
    article_id = screen.open_id()
    if article_id is not None:
        read = not screen.annotations_of(article_id).read
        screen.write(article_id, "mark as read", lambda s: s.set_read(article_id, read))


def edit_note(screen: ReaderScreen) -> None:
    """`n`: the article's note in the editor; a draft not saved is kept for next time."""
    article_id = screen.open_id()
    if article_id is None:
        return
    saved = screen.annotations_of(article_id).note
    draft = screen.note_drafts.get(article_id, saved)
    summary = screen.summary(article_id)
    title = "Note: " + safe(summary.title if summary else article_id)

    def closed(text: str | None) -> None:
        if text is None:
            if draft == saved or editor.discarded:
                screen.note_drafts.pop(article_id, None)
            if editor.discarded:
                screen.notify("Note changes discarded", timeout=3)
            return
        screen.note_drafts[article_id] = text

        def change(store: AnnotationStore) -> None:
            store.set_note(article_id, text)
            screen.note_drafts.pop(article_id, None)

        screen.write(article_id, "save the note (your text is kept: press n again)", change)

    editor = NoteEditor(title, draft, original=saved, article_id=article_id)
    screen.app.push_screen(editor, closed)


def ask_date(screen: ReaderScreen) -> None:
    """`D`: the reader's date for the article (empty: the stated one again)."""
    article_id = screen.open_id()
    if article_id is None:
        return
    summary = next((s for s in screen.summaries if s.id == article_id), None)

    def chosen(value: str | None) -> None:
        if value is None:
            return
        date = value or None
        screen.write(article_id, "set the date", lambda s: s.set_user_date(article_id, date))

    current = screen.annotations_of(article_id).user_date
    screen.app.push_screen(DatePrompt(current, summary.date if summary else None), chosen)


def confirm_mark_all_read(screen: ReaderScreen) -> None:
    """`C`: mark every listed article read (after a yes), in one write."""
    ids = [s.id for s in screen.listed if not screen.marks.get(s.id, RowMarks()).read]
    if not ids:
        screen.notify("Every listed article is read already", timeout=3)
        return
    question = f"Mark {plural(len(ids), 'listed article')} read?"

    def chosen(yes: bool | None) -> None:
        if yes:
            screen.mark_many_read(ids, f"mark {len(ids)} articles read")

    detail = "Only the articles listed now (filters and search apply); u marks one unread."
    screen.app.push_screen(Confirm(question, detail, "Mark read"), chosen)
