"""``generator build --watch``: rebuild when a file under agreements/, templates/ or reference/ changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from generator.errors import GeneratorError


def watch(build_once: Callable[[], bool], folders: list[Path]) -> None:
    """Build once, then again after every change (the manifest skips what did not change); Ctrl-C stops."""
    from watchfiles import watch as changes

    _run(build_once)
    existing = [str(f) for f in folders if Path(f).exists()]
    click.echo(f"Bevakar {', '.join(existing)} (Ctrl-C avslutar)")
    try:
        for batch in changes(*existing, raise_interrupt=False):
            names = sorted({Path(path).name for _, path in batch})
            click.echo(f"Ändrat: {', '.join(names)}")
            _run(build_once)
    except KeyboardInterrupt:  # pragma: no cover (interactive)
        pass


def _run(build_once: Callable[[], bool]) -> None:
    """Build; invalid data or a failing template is reported and the watch goes on."""
    from generator.cli.report import print_findings

    try:
        if not build_once():
            click.echo("Inget skrevs: rätta felen ovan, bevakningen fortsätter.")
    except GeneratorError as exc:
        print_findings(exc)
