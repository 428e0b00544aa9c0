"""Check `export --format label-studio` with Label Studio's own SDK (label-studio-sdk).

Usage: python benchmarks/label_studio_check.py [corpus ...] [--ner builtin|spacy]

Exports the corpus (default: the sample corpus) as Label Studio tasks, builds the labeling
config the tasks are made for (`store.formats.label_studio.label_config`), validates the
config with `LabelInterface.validate()` and every task's predictions and annotations with
`LabelInterface.validate_prediction(..., return_errors=True)` and `validate_annotation` (and
that each task's data has the config's variables), and prints the counts, errors and
timings. The SDK is not one of
newsreader's dependencies (about 17 s and 510 MB to install); run this in an environment that
has it: `pip install label-studio-sdk` beside newsreader.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import SAMPLE_DIR  # noqa: E402
from corpus.analyze import analyze_paths  # noqa: E402
from store import AnnotationStore  # noqa: E402
from store.export import render, select_items  # noqa: E402
from store.formats.label_studio import label_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", type=Path, default=[SAMPLE_DIR])
    parser.add_argument("--ner", choices=("builtin", "spacy"), default="builtin")
    args = parser.parse_args()
    try:
        began = time.perf_counter()
        from label_studio_sdk.label_interface import LabelInterface
    except ImportError:
        print("label-studio-sdk is not installed: pip install label-studio-sdk")
        return 2
    imported = time.perf_counter() - began
    articles = list(analyze_paths(args.corpus, ner=args.ner).articles)
    with tempfile.TemporaryDirectory() as folder:
        store = AnnotationStore(Path(folder) / "db.json")
        first = articles[0]
        entity = first.entities[0]
        store.add_span(first.id, entity.start, entity.end, entity.text, "entity", "ORG")
        store.add_tags(first.id, ["checked"])
        store.set_note(first.id, "an annotated task, so annotations are checked too")
        items = select_items(store, articles, every_article=True)
        tasks = json.loads(render("label-studio", items, model_version=f"newsreader-{args.ner}"))
    labels = {
        r["value"]["labels"][0]
        for t in tasks
        for key in ("predictions", "annotations")
        for entry in t.get(key, [])
        for r in entry["result"]
        if r["type"] == "labels"
    }
    config = label_config(labels, ["checked"])
    began = time.perf_counter()
    interface = LabelInterface(config)
    interface.validate()
    errors: list[str] = []
    regions = 0
    for number, task in enumerate(tasks):
        # (validate_task itself is not used: in label-studio-sdk 2.1.2 it calls
        # validate_annotation() without the annotation and raises TypeError.)
        missing = [o.value_name for o in interface.objects if o.value_is_variable
                   and task["data"].get(o.value_name) is None]  # fmt: skip
        errors += [f"task {number}: data has no {name!r}" for name in missing]
        for key in ("predictions", "annotations"):
            for entry in task.get(key, []):
                regions += len(entry["result"])
                found = interface.validate_prediction(entry, return_errors=True)
                errors += [f"task {number} {key}: {e}" for e in found or []]
                if key == "annotations" and not interface.validate_annotation(entry):
                    errors.append(f"task {number}: validate_annotation is False")
    checked = time.perf_counter() - began
    print(f"label-studio-sdk: LabelInterface import {imported:.2f} s")
    print(f"tasks: {len(tasks)}  result regions: {regions}  labels: {len(labels)}")
    print(f"config valid; validated in {checked:.2f} s; errors: {len(errors)}")
    for error in errors[:20]:
        print("  " + error)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
