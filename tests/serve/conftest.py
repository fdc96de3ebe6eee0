"""A temporary project of one year (2011) in git, for the tests of generator serve."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import AGREEMENTS


def make_project(folder: Path) -> Path:
    """Return ``folder`` made a project with agreements/2011.yaml committed to git (``diff`` compares with HEAD)."""
    (folder / "agreements").mkdir(parents=True)
    shutil.copy(AGREEMENTS / "2011.yaml", folder / "agreements" / "2011.yaml")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@e"
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "data"]):
        subprocess.run(["git", *args], cwd=folder, check=True, env=env)
    return folder


@pytest.fixture(scope="module")
def project_2011(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("projekt"))
