"""What a command loads before it does anything: `generator --help` and a rebuild with nothing to do load none of
the library (pydantic's models, Jinja, babel, rich, the writers); what a build renders with escapes as the
standard library does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax import saxutils

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.documents.model import escape, quoteattr

ROOT = Path(__file__).resolve().parents[2]
#: Modules only a command that validates or renders needs.
HEAVY = (
    "pydantic",
    "jinja2",
    "babel",
    "num2words",
    "rich",
    "yaml",
    "docx",
    "lxml",
    "reportlab",
    "openpyxl",
    "typst",
    "urllib.request",
    "generator.data.model",
    "generator.data.validate",
    "generator.build.run",
    "generator.formatting",
)


def loaded_after(code: str, cwd: Path) -> list[str]:
    """Run ``code`` in a new Python and return the heavy modules loaded when it ends."""
    probe = (
        f"import sys\n{code}\nprint('\\n' + __import__('json').dumps(sorted(m for m in sys.modules if "
        f"m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_help_loads_none_of_the_library(tmp_path):
    code = "from generator.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert loaded_after(code, tmp_path) == []


@pytest.mark.slow
def test_a_rebuild_with_nothing_to_do_loads_none_of_the_library(tmp_path):
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    code = (
        "from generator.cli.main import main\ntry:\n    main(['build', '--out', 'out'])\nexcept SystemExit as exc:\n"
        "    assert not exc.code, exc.code"
    )
    assert "generator.build.run" in loaded_after(code, tmp_path)  # the first build renders
    assert "generator.build.run" in loaded_after(code, tmp_path)  # the second finds nothing to do, and records that
    assert loaded_after(code, tmp_path) == []  # the third is answered from that record


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("&<>\"'\n\r\t a;#å")) | st.characters(), max_size=40))
def test_escape_and_quoteattr_are_the_standard_librarys(text):
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
