"""What every test shares: a temporary per-user cache of its own, the shipped agreements validated once per
session, and one tree of every shipped document built once.

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
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AGREEMENTS = ROOT / "agreements"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMATS = ["docx", "pdf"]

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reads the built tree is ``slow``: run alone, it builds every shipped document first."""
    for item in items:
        if "built_output" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


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


def _name(file: Path) -> str:
    return file.relative_to(AGREEMENTS).with_suffix("").as_posix()


@pytest.fixture(scope="session")
def validated_agreement() -> Callable[[str], object]:
    """Return ``validated(name)``: the shipped ``agreements/<name>.yaml`` ("2012", "2014/psykisk_ohalsa") loaded and
    validated once per session (a :class:`generator.data.validate.Validated`).

    Shared by every test that asks for it: use it where the test changes nothing of it (the agreement's models are
    frozen; an allocation or a list of warnings is not) and validates with the default options.
    """
    from generator.app import load_agreement

    found: dict[str, object] = {}

    def validated(name: str):
        if name not in found:
            found[name] = load_agreement(AGREEMENTS / f"{name}.yaml")
        return found[name]

    return validated


@pytest.fixture(scope="session")
def validated_circular(validated_agreement) -> Callable[[str], object]:
    """Return ``circular(name)``: the shipped circular ``agreements/<name>.yaml`` ("2014/cirkular_13-66") validated
    against the agreements beside it, once per session (a :class:`generator.data.circulars.ValidatedCircular`)."""
    from generator.data.circulars import is_circular, load_circular

    found: dict[str, object] = {}

    def circular(name: str):
        if name not in found:
            file = AGREEMENTS / f"{name}.yaml"
            agreements = [
                (validated_agreement(_name(f)).agreement, f)
                for f in sorted(file.parent.glob("*.yaml"))
                if not is_circular(f)
            ]
            found[name] = load_circular(file, agreements)
        return found[name]

    return circular


@pytest.fixture(scope="session")
def built_output(tmp_path_factory, validated_agreement, validated_circular) -> Path:
    """Return a folder with every shipped document built once in DOCX and PDF, as ``generator build`` writes them
    (each agreement with its payout tables, letters and the municipalities' utlåtanden, then the circulars), but
    without provenance (no manifest): for the tests that only read built documents. Do not write into it."""
    from generator.build.run import build, build_circular
    from generator.data.circulars import is_circular
    from generator.data.validate import discover

    out = tmp_path_factory.mktemp("built")
    circulars = []
    for file in discover([AGREEMENTS]):
        if is_circular(file):
            circulars.append(file)
            continue
        validated = validated_agreement(_name(file))
        build(validated.agreement, out, FORMATS, allocation=validated.allocation, municipal=validated.municipal)
    for file in circulars:
        build_circular(validated_circular(_name(file)), out, FORMATS)
    return out


@pytest.fixture(scope="session")
def sample_document():
    """Return the document model of ``fixtures/sample_document.xml``: every kind of node once."""
    from generator.documents.model import parse_document

    return parse_document((FIXTURES / "sample_document.xml").read_text(encoding="utf-8"))
