"""Span annotations on the reader screen: `a` annotate a span, `v` select text, `A` the list,
ctrl+z undo.

What the annotate, select and annotations dialogs answer becomes a store change on one range
of the open article (one annotation per range), with the change that takes it back
(`ReaderScreen.undo_steps`, this session's, last last).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from corpus.model import Article
from store.model import NOT_AN_ENTITY, SpanAnnotation
from tui.render import NavSpan
from tui.screens.annotate import AnnotateSpan, SpanEdit, label_kind
from tui.screens.annotations import AnnotationsScreen, describe_label
from tui.screens.reader_render import entity_within, found_entity, found_quote
from tui.screens.select import SelectionDone, SelectScreen
from tui.widgets.article_view import ArticleView
from tui.workers.store import StoreChange

if TYPE_CHECKING:
    from store.annotations import AnnotationStore
    from tui.screens.reader import ReaderScreen

UNDO_LIMIT = 100
"""Annotation changes kept to take back."""


@dataclass(frozen=True, slots=True)
class UndoStep:
    """How to take back one annotation change: `change(store)` puts the span back."""

    article_id: str
    description: str
    change: StoreChange


def remove_at(article_id: str, start: int, end: int) -> StoreChange:
    """A store change that removes every annotation of one range."""

    def change(store: AnnotationStore) -> None:
        for span in store.get(article_id).spans:
            if (span.start, span.end) == (start, end):
                store.remove_span(article_id, span.id)

    return change


def restore(article_id: str, span: SpanAnnotation) -> StoreChange:
    """A store change that puts `span` back as it was."""

    def change(store: AnnotationStore) -> None:
        store.restore_span(article_id, span)

    return change


def annotatable(screen: ReaderScreen) -> Article | None:
    """The open article when it is on display (annotations need its body), else None."""
    article_id = screen.open_id()
    if article_id is None:
        return None
    if screen.article is None or screen.article.id != article_id:
        screen.notify("The article is still opening; try again", timeout=3)
        return None
    if screen.raw_mode:
        screen.notify("The raw file cannot be annotated: r shows the article", timeout=3)
        return None
    return screen.article


def annotate(screen: ReaderScreen) -> None:
    """`a`: annotate the highlighted span (the first one when none is)."""
    if annotatable(screen) is None:
        return
    span = screen.current_span
    if span is None:
        spans = screen.spans()
        if not spans:
            screen.notify("Nothing highlighted to annotate: v selects any text", timeout=3)
            return
        span = spans[0]
        screen.go_to_span(span)
    open_dialog(screen, span)


def open_dialog(screen: ReaderScreen, span: NavSpan) -> None:
    """The annotate dialog for `span`; what it returns is saved on that range."""
    article = screen.article
    if article is None:
        return
    existing = screen.annotations_of(article.id).span_at(span.start, span.end)
    found = found_entity(article, span.start, span.end)

    def chosen(edit: SpanEdit | None) -> None:
        if edit is not None:
            save(screen, article, span.start, span.end, edit.label, edit.note)

    screen.app.push_screen(
        AnnotateSpan(
            span,
            label=existing.label if existing else "",
            note=existing.note if existing else "",
            labels=screen.nr_app.config.labels,
            found=found.label if found is not None else None,
        ),
        chosen,
    )


def save(
    screen: ReaderScreen, article: Article, start: int, end: int, label: str, note: str
) -> None:
    """Store `label` and `note` on `body[start:end]` (one annotation per range), or
    remove the range's annotation when both are empty; the change can be undone."""
    from store.model import body_fingerprint

    article_id = article.id
    text = article.body[start:end]
    before = screen.annotations_of(article_id).span_at(start, end)
    quote = found_quote(article, start, end) is not None
    if label == NOT_AN_ENTITY and found_entity(article, start, end) is None:
        screen.notify("No entity was found there: nothing to dismiss", timeout=3)
        return
    if not label and not note:
        if before is None:
            return
        screen.write(article_id, "remove the annotation", remove_at(article_id, start, end))
        _remember_undo(screen, article_id, f"removing {describe_label(before)}", start, end, before)
        return
    kind = label_kind(label, quote=quote)
    fingerprint = body_fingerprint(article.body)

    def change(store: AnnotationStore) -> None:
        store.add_span(
            article_id,
            start,
            end,
            text,
            kind=kind,
            label=label,
            note=note,
            body_fingerprint=fingerprint,
        )

    screen.write(article_id, "save the annotation", change)
    shown = describe_label(SpanAnnotation("", start, end, text, kind, label, note))
    _remember_undo(screen, article_id, f"{shown} on “{text[:30]}”", start, end, before)


def _remember_undo(
    screen: ReaderScreen,
    article_id: str,
    what: str,
    start: int,
    end: int,
    before: SpanAnnotation | None,
) -> None:
    if before is not None:
        change = restore(article_id, before)
    else:
        change = remove_at(article_id, start, end)
    screen.undo_steps.append(UndoStep(article_id, what, change))
    del screen.undo_steps[:-UNDO_LIMIT]


def undo(screen: ReaderScreen) -> None:
    """Take back the last annotation change of this session."""
    if not screen.undo_steps:
        screen.notify("No annotation change to undo", timeout=3)
        return
    step = screen.undo_steps.pop()
    screen.write(step.article_id, "undo the annotation change", step.change)
    screen.notify(f"Undone: {step.description}", timeout=3)


def delete(screen: ReaderScreen, span: SpanAnnotation) -> None:
    """Remove the annotation of `span`'s range (undoable)."""
    if screen.article is None:
        return
    save(screen, screen.article, span.start, span.end, "", "")


def edit(screen: ReaderScreen, span: SpanAnnotation) -> None:
    """The annotate dialog for an annotation from the list (`A`)."""
    for candidate in screen.spans():
        if (candidate.start, candidate.end) == (span.start, span.end):
            open_dialog(screen, candidate)
            return
    kind = "quote" if span.label.startswith("speaker:") else "selection"
    open_dialog(screen, NavSpan(span.start, span.end, kind, span.label, span.text, note=span.note))


def list_annotations(screen: ReaderScreen) -> None:
    """`A`: the open article's annotations; enter goes to one."""
    article = annotatable(screen)
    if article is None:
        return

    def chosen(start: int | None) -> None:
        if start is None:
            return
        span = next((s for s in screen.spans() if s.start == start), None)
        if span is not None:
            screen.go_to_span(span)
        else:
            screen.query_one(ArticleView).scroll_to_body_offset(start)

    screen.app.push_screen(
        AnnotationsScreen(
            article.id,
            article.title,
            screen.span_annotations(),
            edit=partial(edit, screen),
            delete=partial(delete, screen),
            undo=partial(undo, screen),
        ),
        chosen,
    )


def select(screen: ReaderScreen) -> None:
    """`v`: select text, at the highlighted span, else at the top of the view."""
    from tui.selection import body_text, start_selection

    article = annotatable(screen)
    if article is None:
        return
    text = body_text(article.body)
    view = screen.query_one(ArticleView)
    if screen.current_span is not None:
        selection = start_selection(text, screen.current_span.start, screen.current_span.end)
    else:
        selection = start_selection(text, view.first_body_offset_in_view() or 0)
    if selection is None:
        screen.notify("This article has no text to select", timeout=3)
        return
    before = screen.current_span

    def show(start: int, end: int) -> None:
        screen.current_span = NavSpan(start, end, "selection", "", article.body[start:end])
        screen.redisplay(keep_scroll=True)
        view.scroll_to_body_offset(start, only_if_hidden=True)

    def span_step(offset: int, step: int) -> tuple[int, int] | None:
        spans = screen.spans()
        if step > 0:
            found = next((s for s in spans if s.start > offset), None)
        else:
            found = next((s for s in reversed(spans) if s.start < offset), None)
        return (found.start, found.end) if found else None

    def done(result: SelectionDone | None) -> None:
        if result is None:
            screen.current_span = before
            screen.redisplay(keep_scroll=True)
            return
        _selected(screen, article, result)

    screen.app.push_screen(
        SelectScreen(
            text,
            selection,
            labels=screen.nr_app.config.labels,
            show=show,
            line_step=view.body_offset_on_line,
            span_step=span_step,
        ),
        done,
    )


def _selected(screen: ReaderScreen, article: Article, result: SelectionDone) -> None:
    """Save what the selection dialog chose for the selected text (or ask, without a
    label); "not an entity" applies to the entity found there or within it."""
    chosen = article.body[result.start : result.end]
    target = NavSpan(result.start, result.end, "selection", "", chosen)
    screen.current_span = target
    if result.label is None:
        open_dialog(screen, target)
        return
    label = result.label
    if label == NOT_AN_ENTITY:
        entity = found_entity(article, result.start, result.end) or entity_within(
            article, result.start, result.end
        )
        if entity is None:
            screen.notify("No entity was found there: nothing to dismiss", timeout=3)
            return
        save(
            screen,
            article,
            entity.start,
            entity.end,
            NOT_AN_ENTITY,
            _note_at(screen, entity.start, entity.end),
        )
        return
    found = found_entity(article, result.start, result.end)
    if found is not None and found.label == label:
        label = ""  # the entity as found: no correction (a dismissal is taken back)
    save(
        screen, article, result.start, result.end, label, _note_at(screen, result.start, result.end)
    )


def _note_at(screen: ReaderScreen, start: int, end: int) -> str:
    article = screen.article
    if article is None:
        return ""
    existing = screen.annotations_of(article.id).span_at(start, end)
    return existing.note if existing else ""
