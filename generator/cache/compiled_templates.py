"""The document templates' compiled code kept between processes, for the build: Jinja's bytecode cache in the store.

The templates in ``templates/`` are the project's own code, not data. Compiling them takes a noticeable part of a
rebuild that renders one letter, so their compiled form is kept between processes: Jinja's own bytecode format
(its marshalled code, the one cache entry that is not plain data), but kept as an entry of
:mod:`generator.cache.store`, verified like any other before Jinja reads it: only bytes this user's generator
wrote for exactly that template's source are ever handed to Jinja. Nothing made from the agreements is kept here
(their prose is compiled in each process).
"""

from __future__ import annotations

import sys

from jinja2 import Environment
from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket, BytecodeCache

from generator.cache import store

KIND = "templates"
FORMAT = b"jinja-bytecode-1"


class VerifiedBytecodeCache(BytecodeCache):
    """Jinja's bytecode of each template, kept in the store under the template's name and source checksum."""

    def load_bytecode(self, bucket: Bucket) -> None:
        name, source = _entry(bucket)
        data = store.read(KIND, name, source)
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # written by another Python or Jinja: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        name, source = _entry(bucket)
        try:
            data = bucket.bytecode_to_string()
        except (TypeError, ValueError):
            return
        store.write(KIND, name, source, data)


def _entry(bucket: Bucket) -> tuple[str, bytes]:
    """Return the key and the made-from hash of a template's bucket (its name and the checksum of its source)."""
    parts = (bucket.key.encode(), bucket.checksum.encode())
    return store.key(FORMAT, sys.version.encode(), jinja_version.encode(), *parts), store.made_from(*parts)


def keep_compiled(environment: Environment) -> Environment:
    """Return ``environment`` with its templates' compiled code kept between processes (set once)."""
    if environment.bytecode_cache is None:
        environment.bytecode_cache = VerifiedBytecodeCache()
    return environment
