"""Workers on the annotation store: opening it, writing to it in order, exporting from it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.dom import DOMNode

from store.model import ArticleAnnotations
from tui.loading import OrderedRunner
from tui.messages import (
    AnnotationsChanged,
    ExportDone,
    ManyChanged,
    StoreFailed,
    StoreOpened,
    StoreOpenFailed,
)
from tui.workers import Post, run_in_thread

if TYPE_CHECKING:
    from store.annotations import AnnotationStore

StoreChange = Callable[["AnnotationStore"], object]
"""One change to the store, run in a worker: `change(store)`."""


def open_store(post: Post, opener: Callable[[], AnnotationStore]) -> None:
    """Open the annotation store and read every article's annotations from it."""
    try:
        store = opener()
        annotations = {a.article_id: a for a in all_annotations(store)}
    except Exception as error:
        post(StoreOpenFailed(error))
        return
    post(StoreOpened(store, annotations))


def all_annotations(store: AnnotationStore) -> list[ArticleAnnotations]:
    """Every stored `ArticleAnnotations`, whatever shape `store.all()` returns."""
    found: object = store.all()
    if isinstance(found, dict):
        return list(found.values())
    return list(found)  # type: ignore[call-overload]


def export(post: Post, run: Callable[[], None], path: Path) -> None:
    """Write an export (`run` writes it to `path`)."""
    try:
        run()
    except Exception as error:
        post(ExportDone(path, str(error) or type(error).__name__))
        return
    post(ExportDone(path, None))


class StoreWrites:
    """Store writes, each in its own worker (so tests can wait for it), run one at a time in
    the order they were asked for ("tag then untag" reaches the file in that order).

    `pending` counts the writes asked for whose message the screen has not taken in yet
    (`q` waits for them); the screen calls `taken_in` as it handles each.
    """

    def __init__(self, node: DOMNode) -> None:
        self._node = node
        self._runner = OrderedRunner()
        self._asked = 0
        self._done = 0

    @property
    def pending(self) -> int:
        return self._asked - self._done

    def taken_in(self) -> None:
        self._done += 1

    def write(
        self, store: AnnotationStore, article_id: str, what: str, change: StoreChange
    ) -> None:
        """Apply `change(store)`, then post the article's annotations as they are now."""
        self._asked += 1
        ticket = self._runner.ticket()
        post = self._node.post_message

        def job() -> None:
            def changed() -> ArticleAnnotations:
                change(store)
                return store.get(article_id)

            try:
                annotations = self._runner.run(ticket, changed)
            except Exception as error:
                post(StoreFailed(article_id, what, error))
                return
            post(AnnotationsChanged(article_id, annotations))

        run_in_thread(self._node, job, name="store_write", group="store", exclusive=False)

    def mark_read(self, store: AnnotationStore, ids: list[str], what: str) -> None:
        """Mark many articles read in one write, then post their annotations."""
        self._asked += 1
        ticket = self._runner.ticket()
        post = self._node.post_message

        def job() -> None:
            def changed() -> dict[str, ArticleAnnotations]:
                store.set_read_many(ids, True)
                return {i: store.get(i) for i in ids}

            try:
                annotations = self._runner.run(ticket, changed)
            except Exception as error:
                post(StoreFailed(ids[0], what, error))
                return
            post(ManyChanged(annotations))

        run_in_thread(self._node, job, name="store_write_many", group="store", exclusive=False)
