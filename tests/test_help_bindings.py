"""The help (`?`) lists every screen's and widget's keys, found from their BINDINGS (issue 15):
a dialog's own keys are there, with no id (they cannot be rebound)."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

from textual.dom import DOMNode

import tui.screens
import tui.widgets
from corpus.source import MemoryCorpus
from tui.app import make_app, screen_binding_tables
from tui.config import AppConfig


def test_every_class_with_bindings_is_in_the_help() -> None:
    app = make_app(source=MemoryCorpus(), config=AppConfig())
    listed = {id(binding) for _, table in app.binding_tables() for binding in table}
    declared = 0
    for package in (tui.screens, tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = import_module(f"{package.__name__}.{info.name}")
            for cls in vars(module).values():
                ours = inspect.isclass(cls) and cls.__module__ == module.__name__
                if ours and issubclass(cls, DOMNode) and "BINDINGS" in vars(cls):
                    for binding in vars(cls)["BINDINGS"]:
                        declared += 1
                        assert id(binding) in listed, (cls.__name__, binding)
    assert declared > 100


def test_dialog_keys_are_listed_without_an_id_and_groups_read_as_words() -> None:
    app = make_app(source=MemoryCorpus(), config=AppConfig())
    rows = app.binding_rows()
    wheres = [where for where, *_ in rows]
    assert wheres[0] == "Reader" and "Anywhere" in wheres
    assert {"Annotate span", "Note editor", "Select", "Who said what", "Compare"} <= set(wheres)
    select = [
        (keys, action, binding_id) for where, keys, action, binding_id in rows if where == "Select"
    ]
    assert ("L, shift+right, )", "To sentence end", "") in select
    assert "" not in app.binding_ids()
    assert set(screen_binding_tables()) >= {"Timeline", "People", "Sidebar", "Article"}
