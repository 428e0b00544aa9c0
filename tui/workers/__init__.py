"""The reader screen's slow work, each job in a thread worker that posts one message back.

A worker here is a plain function: its first argument `post` is the screen's `post_message`
(safe to call from any thread), the rest are its inputs, taken on the UI thread when the work
is asked for. It calls one function of `corpus/`, `store/` or `tui.loading` and posts the
result (`tui/messages.py`), a failure included; long loops check the worker's
`is_cancelled`. The screen starts one with `run_in_thread`.

- `loading`: the corpus, one article, an article's raw file;
- `search`: a search, the entity and speaker filters;
- `store`: opening the annotation store, the ordered writes, export;
- `corpus_views`: story threads, the versions to compare, the corpus-wide views' articles.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

Post = Callable[[Message], object]
"""How a worker sends its result: the screen's `post_message`."""


def run_in_thread(
    node: DOMNode, job: Callable[[], object], *, name: str, group: str, exclusive: bool = True
) -> Worker[object]:
    """Run `job` in a thread worker of `node`; `exclusive` cancels the group's earlier one."""
    return node.run_worker(
        job,
        name=name,
        group=group,
        description=name,
        exclusive=exclusive,
        thread=True,
        exit_on_error=False,
    )
