"""SHA-1 and BLAKE2b without `hashlib`'s start-up cost.

`import hashlib` loads OpenSSL's libcrypto first (~2.5 ms), a twentieth of a search from the
shell, which needs two small digests (the cache file's name and the folders' signature).
CPython's own implementations (`_sha1`, `_blake2`, the modules `hashlib` falls back to)
give the same digests and load in ~0.3 ms; where a Python lacks them, `hashlib` is used.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
    from _sha1 import sha1
except ImportError:  # (a Python built without them: hashlib has both)
    from hashlib import blake2b, sha1

__all__ = ["blake2b", "sha1"]
