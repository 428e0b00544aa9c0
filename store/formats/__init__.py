"""Exports to, and imports from, the annotation tools people already use.

One module per tool: `doccano`, `label_studio`, `prodigy` (export and import), `spacy_docbin`
and `conll` (export). All of them write the same view of an article (`view.AnnotatedDocument`:
the cleaned body, the entities and quotes as the reader corrected them, marked passages, tags
and note); the importers read a tool's file back into `tool_import.ToolDocument`s, which
`tool_import.plan_import` turns into span annotations and tags on the right articles.

Offsets are always Python string indices into the article's cleaned body (`Article.body`),
end exclusive, the same as everywhere else in newsreader.
"""

from __future__ import annotations
