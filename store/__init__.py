"""The annotation store (tags, notes, span annotations) and export/import.

Never imports textual (tests/test_layering.py checks it). TinyDB dicts never leave this package.
"""
