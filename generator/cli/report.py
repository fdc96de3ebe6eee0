"""How the command line reports: findings in colour on standard error, one line each (rich's console)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.errors import GeneratorError, collapse

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """Return a console that prints no highlighting or emoji codes (``:100:`` in a location) and wraps softly (on
    standard error with ``stderr``)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)  # file:100:7 stays as it is


def escape(text: str) -> str:
    """Return ``text`` with rich's markup escaped."""
    from rich.markup import escape as escape_markup

    return escape_markup(text)


def print_findings(error: GeneratorError) -> None:
    """Print each finding of ``error`` (errors red, warnings yellow), then its message unless a finding says it."""
    err = console(stderr=True)
    if error.findings:
        for finding in collapse(error.findings):
            style = "red" if finding.severity == "error" else "yellow"
            err.print(f"[{style}]{escape(str(finding))}[/{style}]", markup=True)
    if str(error) not in {str(f) for f in error.findings}:
        err.print(f"[bold red]{escape(str(error))}[/bold red]", markup=True)
