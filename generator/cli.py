"""The ``generator`` command: a thin layer over the library.

It parses arguments, calls the library, and turns :class:`GeneratorError`
into a plain message and an exit status; it never shows a traceback for bad
input.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from . import __version__
from .errors import DataError, GeneratorError
from .formatting import kronor
from .validate import Validated, discover, load_agreement, summary

DEFAULT_AGREEMENTS = Path("agreements")


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _print_findings(error: GeneratorError) -> None:
    err = _console(stderr=True)
    if error.findings:
        for finding in error.findings:
            style = "red" if finding.severity == "error" else "yellow"
            err.print(f"[{style}]{escape(str(finding))}[/{style}]", markup=True)
    if str(error) not in {str(f) for f in error.findings}:
        err.print(f"[bold red]{escape(str(error))}[/bold red]", markup=True)


def _validate_all(paths: tuple[Path, ...], strict: bool) -> tuple[list[Validated], list[DataError]]:
    files = discover(paths or (DEFAULT_AGREEMENTS,))
    if not files:
        raise click.UsageError(f"no agreement files (*.yaml) found in {', '.join(map(str, paths or (DEFAULT_AGREEMENTS,)))}")
    good: list[Validated] = []
    bad: list[DataError] = []
    for file in files:
        try:
            good.append(load_agreement(file, strict=strict))
        except DataError as exc:
            bad.append(exc)
    return good, bad


def _summary_lines(results: list[Validated]) -> str:
    """Return the plain-text summary of validated agreements, two lines each."""
    lines = []
    for result in results:
        s = summary(result)
        check = "summan stämmer" if s["sum_ok"] else "SUMMAN STÄMMER INTE"
        warnings = (f", {s['warnings']} varning" + ("ar" if s["warnings"] > 1 else "")) if s["warnings"] else ""
        lines.append(f"{s['file']}: {s['title']} ({s['year']})")
        lines.append(
            f"  totalt {kronor(s['total'])} = {s['payouts']} utbetalningar {kronor(s['payouts_total'])}"
            f" + {s['pots']} prestationspotter {kronor(s['pots_total'])}: {check}{warnings}"
        )
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="generator")
def main() -> None:
    """Generate the documents of the state–SKL grant agreements from YAML in agreements/.

    Validate the data, compute every amount, and write regeringsbeslut,
    genomförandeplan and letters as DOCX and PDF into output/.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Check agreement files: schema, sums, dates, references.

    PATHS are agreement files or folders (default: agreements/). Every problem
    is reported with file, line and column; the exit status is 2 if any file
    is invalid.
    """
    good, bad = _validate_all(paths, strict)
    for result in good:
        for warning in result.warnings:
            _console(stderr=True).print(f"[yellow]{escape(str(warning))}[/yellow]", markup=True)
    if good:
        click.echo(_summary_lines(good))
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)


def _select(targets: tuple[str, ...]) -> tuple[Path, ...]:
    """Return the paths named by build targets: a year (2012) means agreements of that year."""
    paths: list[Path] = []
    for target in targets:
        if target.isdigit() and len(target) == 4 and not Path(target).exists():
            matches = [f for f in discover((DEFAULT_AGREEMENTS,)) if f.stem.startswith(target) or f.parent.name == target]
            if not matches:
                raise click.UsageError(f"no agreement for the year {target} under {DEFAULT_AGREEMENTS}/")
            paths.extend(matches)
        else:
            paths.append(Path(target))
    return tuple(paths)


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--format", "formats", default="docx,pdf", show_default=True,
              help="Comma-separated output formats: docx, pdf.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder to write into; documents go to OUT/<year>/.")
@click.option("--reference-doc", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A .docx whose styles, fonts and page setup the DOCX files use (edit it in Word).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build(targets: tuple[str, ...], formats: str, out: Path, reference_doc: Path | None, strict: bool) -> None:
    """Validate, then render every agreement's documents as DOCX and PDF.

    An agreement that names its key and outcome data (data:) and has
    county_letters: also gets one letter per county (OUT/<year>/lansbrev/)
    and the payout table OUT/<year>/utbetalningar.csv and .xlsx.

    TARGETS are years (2012), agreement files or folders (default: every
    agreement under agreements/). Invalid data is refused before anything is
    written; files are written atomically, and an unchanged file is left
    untouched.
    """
    from .build import WRITERS, build as build_agreement

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in WRITERS] or ([] if wanted else ["(none)"])
    if unknown:
        raise click.BadParameter(f"unknown format {', '.join(unknown)}; choose from {', '.join(WRITERS)}",
                                 param_hint="--format")
    good, bad = _validate_all(_select(targets), strict)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    click.echo(_summary_lines(good))
    click.echo(f"Dokument i {out}/:")
    for result in good:
        built = build_agreement(result.agreement, out, wanted, reference_doc=reference_doc,
                                allocation=result.allocation)
        for written in built.written:
            click.echo(f"  {written.status:<10} {written.path}  ({written.size / 1024:.0f} kB, {written.seconds:.2f} s)")


@main.command()
@click.argument("target")
@click.argument("code")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def explain(target: str, code: str, strict: bool) -> None:
    """Show every amount a recipient receives and how it was computed.

    TARGET is a year (2012) or an agreement file; CODE a municipality (0180
    Stockholm), a county council (0001, "00" + the county code) or a county
    (01, its joint amounts and the total of everyone in it).
    """
    from .explain import explain as explain_text
    from .reference import recipient

    try:
        recipient(code)
    except KeyError:
        raise click.BadParameter(f"{code!r} is not a municipality (0180), county council (0001) or county (01) code",
                                 param_hint="CODE") from None
    good, bad = _validate_all(_select((target,)), strict)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    for result in good:
        if result.allocation is None:
            click.echo(f"{result.file}: no distributions (the agreement names no key or outcome data under data:)")
            continue
        click.echo(explain_text(result.allocation, code, result.file))


def run() -> None:
    """Entry point that never lets a GeneratorError become a traceback."""
    try:
        main(standalone_mode=True)
    except GeneratorError as exc:
        _print_findings(exc)
        sys.exit(exc.exit_code)
