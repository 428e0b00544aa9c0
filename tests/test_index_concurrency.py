"""A search does not wait for a refresh that holds the index's write transaction."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from corpus.index import CorpusIndex
from corpus.model import SearchHit


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_search_completes_while_a_refresh_holds_its_write_transaction(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    _write(folder, "bridge.txt", "Bridge reopens\n\nThe harbour bridge reopened on Monday.")
    _write(folder, "storm.txt", "Storm warning\n\nA storm is expected on the coast tonight.")
    cache = tmp_path / "cache.sqlite"
    index = CorpusIndex.for_paths([folder], cache)
    index.refresh([folder], workers=1)
    (bridge_id,) = index.search_ids("bridge")
    for number in range(4):  # files for the next refresh to read
        _write(folder, f"new{number}.txt", f"Ferry {number}\n\nFerry number {number} sails.")

    paused = threading.Event()
    resume = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 1 and not paused.is_set():  # inside the reading pass's write transaction
            paused.set()
            resume.wait(timeout=60)

    refresh = threading.Thread(
        target=index.refresh, args=([folder],), kwargs={"workers": 1, "progress": progress}
    )
    refresh.start()
    try:
        assert paused.wait(timeout=60)
        other = sqlite3.connect(cache, timeout=0)
        try:  # the precondition: the refresh really holds the write lock now
            try:
                other.execute("BEGIN IMMEDIATE")
                holds_lock = False
                other.execute("ROLLBACK")
            except sqlite3.OperationalError:
                holds_lock = True
        finally:
            other.close()
        assert holds_lock

        found: list[list[SearchHit]] = []
        annotations = {bridge_id: (("urgent",), "call the harbour master")}
        searcher = threading.Thread(
            target=lambda: found.append(index.search("bridge", annotations=annotations))
        )
        searcher.start()
        searcher.join(timeout=20)  # a guard against a hang (the busy timeout is 30 s)
        assert not searcher.is_alive(), "the search waited for the refresh"
        assert [hit.article_id for hit in found[0]] == [bridge_id]
    finally:
        resume.set()
        refresh.join(timeout=60)
    # once the refresh is done, the annotations reach the index on the next search
    assert index.search_ids("tag:urgent", annotations=annotations) == [bridge_id]
    assert len(index.summaries()) == 6
    index.close()
