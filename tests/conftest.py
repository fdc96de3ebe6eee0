"""What every test shares: a temporary per-user cache of its own.

No test reads or writes the developer's cache (``~/.cache/generator``): the run's cache is a temporary folder
(``XDG_CACHE_HOME``, which subprocesses inherit), set before any module of the generator is imported, and each
test gets an empty one inside it. Fixtures of a module or of the session (built once for several tests) use
the run's folder; the test's own begins empty, as a user's first run does.
"""
from __future__ import annotations

import importlib
import itertools
import os
import pkgutil
import shutil
import tempfile
from pathlib import Path

import pytest

_run_cache: Path | None = None  # the run's XDG_CACHE_HOME
_before: str | None = None  # XDG_CACHE_HOME as it was before the run
_tests = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    """Point the per-user cache at a temporary folder for the run, then import the generator's modules.

    A module that keeps the cache folder it found at its import (the no-change state's list of what is not an
    input, generator.build.no_change) so keeps the run's; every test's folder lies inside it (see
    :func:`private_cache`). A module that does not import here fails in the tests that use it, not here.
    """
    global _run_cache, _before
    _before = os.environ.get("XDG_CACHE_HOME")
    _run_cache = Path(tempfile.mkdtemp(prefix="generator-tests-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(_run_cache)
    import generator

    for module in pkgutil.walk_packages(generator.__path__, "generator.", onerror=lambda name: None):
        if module.name != "generator.__main__":  # runs the command line
            try:
                importlib.import_module(module.name)
            except Exception:
                pass


def pytest_unconfigure(config: pytest.Config) -> None:
    if _run_cache is not None:
        shutil.rmtree(_run_cache, ignore_errors=True)
    if _before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = _before


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch):
    """Give the test an empty per-user cache of its own (``XDG_CACHE_HOME``, inherited by the processes it starts);
    return its ``generator`` folder, where the generator keeps its entries.

    The generator's in-process memos need no clearing: the folder is read from the environment each time but
    in one list made at import, which holds the run's folder and so this one inside it (:func:`pytest_configure`);
    what the memos hold does not depend on the folder (the generator id, the DOCX writer's styled package and font
    metrics are the same whichever cache they were read from).
    """
    home = _run_cache / "generator" / "tests" / str(next(_tests))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    yield home / "generator"
    shutil.rmtree(home, ignore_errors=True)
