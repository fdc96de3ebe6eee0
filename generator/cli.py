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
from .errors import DataError, GeneratorError, collapse
from .formatting import kronor
from .circulars import ValidatedCircular, is_circular, load_circular
from .validate import Validated, discover, load_agreement, summary
from .clitext import install as _swedish_click

_swedish_click()

DEFAULT_AGREEMENTS = Path("agreements")
TEMPLATES_FOLDER = Path(__file__).resolve().parent.parent / "templates"
REFERENCE_FOLDER = Path(__file__).resolve().parent.parent / "reference"


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _print_findings(error: GeneratorError) -> None:
    err = _console(stderr=True)
    if error.findings:
        for finding in collapse(error.findings):
            style = "red" if finding.severity == "error" else "yellow"
            err.print(f"[{style}]{escape(str(finding))}[/{style}]", markup=True)
    if str(error) not in {str(f) for f in error.findings}:
        err.print(f"[bold red]{escape(str(error))}[/bold red]", markup=True)


def _validate_all(paths: tuple[Path, ...], strict: bool
                  ) -> tuple[list[Validated], list[DataError], list[ValidatedCircular]]:
    """Validate the agreements and circulars named by ``paths``; circulars last, against the agreements."""
    files = discover(paths or (DEFAULT_AGREEMENTS,))
    if not files:
        raise click.UsageError(f"no agreement files (*.yaml) found in {', '.join(map(str, paths or (DEFAULT_AGREEMENTS,)))}")
    good: list[Validated] = []
    bad: list[DataError] = []
    circulars: list[ValidatedCircular] = []
    circular_files = [f for f in files if is_circular(f)]
    for file in files:
        if file in circular_files:
            continue
        try:
            good.append(load_agreement(file, strict=strict))
        except DataError as exc:
            bad.append(exc)
    for file in circular_files:
        agreements = [(v.agreement, v.file) for v in good]
        loaded = {v.file.resolve() for v in good}
        for sibling in discover((file.parent,)):  # the agreements next to it, if they were not named
            if sibling.resolve() not in loaded and not is_circular(sibling):
                try:
                    agreements.append((load_agreement(sibling).agreement, sibling))
                except DataError:
                    pass  # reported when that file itself is validated
        try:
            circulars.append(load_circular(file, agreements, strict=strict))
        except DataError as exc:
            bad.append(exc)
    return good, bad, circulars


def _summary_lines(results: list[Validated], circulars: list[ValidatedCircular] = ()) -> str:
    """Return the plain-text summary of validated agreements, two lines each, and one line per circular."""
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
    for vc in circulars:
        c = vc.circular
        lines.append(f"{vc.file}: Cirkulär {c.number} ({c.date.isoformat()}) om {len(c.parts)} överenskommelser {c.year}: "
                     + ", ".join(p.agreement for p in c.parts))
    return "\n".join(lines)


class _Main(click.Group):
    """The command group: a GeneratorError becomes its message and exit status, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GeneratorError as exc:
            _print_findings(exc)
            sys.exit(exc.exit_code)
        except RecursionError:
            _console(stderr=True).print("error: the input is nested too deeply to be read", markup=False)
            sys.exit(2)
        except MemoryError:
            _console(stderr=True).print("error: the input is too large to be read in memory", markup=False)
            sys.exit(2)
        except OSError as exc:  # a file the generator had to write or read failed (disk full, permissions …)
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _console(stderr=True).print(f"error: {where}{exc.strerror or exc}", markup=False, highlight=False)
            sys.exit(2)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
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
    from .build import output_conflicts

    good, bad, circulars = _validate_all(paths, strict)
    conflicts = output_conflicts([(r.agreement, r.allocation, r.file) for r in good])
    if conflicts:
        bad.append(DataError("agreement files of one year would overwrite each other's documents", conflicts))
    for result in [*good, *circulars]:
        for warning in collapse(result.warnings):
            _console(stderr=True).print(f"[yellow]{escape(str(warning))}[/yellow]", markup=True)
    if good or circulars:
        click.echo(_summary_lines(good, circulars))
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
@click.option("--force", is_flag=True, help="Render every document, even those whose inputs have not changed.")
@click.option("--watch", is_flag=True, help="Keep running: rebuild what changes under agreements/ and templates/.")
@click.option("--prune", is_flag=True, help="Delete outputs whose agreement file no longer exists.")
@click.option("--pdf-engine", type=click.Choice(["typst", "reportlab"]), default="typst", show_default=True,
              help="typst: tagged PDF/A-2a and PDF/UA-1; reportlab: the earlier, untagged PDF.")
@click.option("--issued", "issued_folder", type=click.Path(file_okay=False, path_type=Path), default=Path("issued"),
              show_default=True, help="Where issue records are (generator issue); changed issued documents get a "
              "redline and, for a decision, a draft ändringsbeslut in OUT/<year>/andringar/.")
@click.option("--redline-author", help="Author of the tracked changes (default: the document's author).")
@click.option("--redline-date", type=click.DateTime(["%Y-%m-%d"]),
              help="Date of the tracked changes and of the draft ändringsbeslut "
              "(default: SOURCE_DATE_EPOCH, else the date the document was issued).")
@click.option("--recipient", metavar="CODE",
              help="Build only the documents of one recipient, for a quick look: a municipality (0180), "
                   "county council (0001) or county (01).")
def build(targets: tuple[str, ...], formats: str, out: Path, reference_doc: Path | None, strict: bool,
          force: bool, watch: bool, prune: bool, pdf_engine: str, issued_folder: Path, redline_author: str | None,
          redline_date=None, recipient: str | None = None) -> None:
    """Validate, then render every agreement's documents as DOCX and PDF.

    Documents recorded as issued (generator issue) whose text has changed
    since get OUT/<year>/andringar/<document>.andringsmarkerad.docx|pdf, the
    new version with every change as a tracked change, and an issued
    regeringsbeslut whose figures changed a draft ändringsbeslut,
    OUT/<year>/andringar/<document>.andringsbeslut.docx|pdf.

    Each document records the hashes of its inputs (in its metadata and in
    OUT/manifest.json); a rebuild renders only documents whose inputs
    changed and reports the others as skipped (--force renders all).

    An agreement that names its key and outcome data (data:) and has
    county_letters: also gets one letter per county (OUT/<year>/lansbrev/),
    one per municipality (OUT/<year>/kommunbrev/, Region Gotland once) and
    one per county council (OUT/<year>/landstingsbrev/), and the payout
    table OUT/<year>/utbetalningar.csv and .xlsx.

    By default every document is built; --recipient CODE builds only the
    documents of that recipient (e.g. --recipient 0180: Stockholm's letter).

    TARGETS are years (2012), agreement files or folders (default: every
    agreement under agreements/). Invalid data is refused before anything is
    written; files are written atomically, and an unchanged file is left
    untouched.
    """
    from .build import WRITERS

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in WRITERS] or ([] if wanted else ["(none)"])
    if unknown:
        raise click.BadParameter(f"unknown format {', '.join(unknown)}; choose from {', '.join(WRITERS)}",
                                 param_hint="--format")
    from .issuing import RedlineOptions

    options = RedlineOptions(redline_author, redline_date.date() if redline_date else None)

    from .safety import output_folder, reference_doc as checked_reference_doc

    if reference_doc is not None:
        reference_doc = checked_reference_doc(reference_doc)
    out = output_folder(out)
    if recipient is not None:
        from .reference import recipient as lookup

        try:
            lookup(recipient)
        except KeyError:
            raise click.BadParameter(f"{recipient!r} is not a municipality (0180), county council (0001) or county "
                                     "(01) code", param_hint="--recipient") from None
    if watch:
        from .watch import watch as watch_loop

        watch_loop(lambda: _build_once(targets, wanted, out, reference_doc, strict, force=False,
                                         pdf_engine=pdf_engine, issued=issued_folder, options=options),
                   [DEFAULT_AGREEMENTS, TEMPLATES_FOLDER, REFERENCE_FOLDER])
        return
    if not _build_once(targets, wanted, out, reference_doc, strict, force, pdf_engine=pdf_engine, issued=issued_folder,
                       options=options, prune=prune, recipient=recipient):
        sys.exit(2)


def _orphans(out: Path, prune: bool) -> None:
    """Report, or with ``prune`` delete, outputs whose agreement file is gone."""
    from .build import write_atomic
    from .provenance import MANIFEST, Manifest, orphans

    manifest = Manifest.load(out)
    names = orphans(manifest)
    if not names:
        return
    if not prune:
        click.echo(f"{len(names)} filer i {out}/ kommer från överenskommelser som inte längre finns; "
                   "de ligger kvar (--prune tar bort dem)")
        return
    for name in names:
        (out / name).unlink(missing_ok=True)
        manifest.forget(name)
        click.echo(f"  borttagen  {out / name}")
    write_atomic(out / MANIFEST, manifest.to_bytes())


def _settle_output(out: Path) -> None:
    """Remove temporary files a killed build left, and report a damaged manifest (it is rebuilt)."""
    from .provenance import MANIFEST, Manifest

    for stale in Path(out).rglob(".*.tmp"):
        if stale.is_file() and not stale.is_symlink():
            stale.unlink(missing_ok=True)
    manifest = Manifest.load(out)
    if manifest.problem:
        click.echo(f"varning: {out / MANIFEST} {manifest.problem}; den byggs om och alla dokument renderas",
                   err=True)


def _build_once(targets: tuple[str, ...], wanted: list[str], out: Path, reference_doc: Path | None, strict: bool,
                force: bool, pdf_engine: str = "typst", issued: Path = Path("issued"), options=None,
                prune: bool | None = None, recipient: str | None = None) -> bool:
    """Validate and build; return False if the data is invalid (nothing is written then).

    The writing holds a lock on the output folder: a second build on it waits until the first is done.
    ``prune`` (True or False) also reports or removes the outputs of deleted agreements, under the same lock.
    """
    from .build import output_conflicts
    from .safety import build_lock, output_folder

    good, bad, circulars = _validate_all(_select(targets), strict)
    conflicts = output_conflicts([(r.agreement, r.allocation, r.file) for r in good])
    if conflicts:
        bad.append(DataError("agreement files of one year would overwrite each other's documents", conflicts))
    for error in bad:
        _print_findings(error)
    if bad:
        return False
    click.echo(_summary_lines(good, circulars))
    out = output_folder(out, create=True)
    with build_lock(out, notice=lambda text: click.echo(text, err=True)):
        _write_documents(good, circulars, wanted, out, reference_doc, force, pdf_engine, issued, options, recipient)
        if prune is not None:
            _orphans(out, prune)
    return True


def _write_documents(good: list[Validated], circulars: list[ValidatedCircular], wanted: list[str], out: Path,
                     reference_doc: Path | None, force: bool, pdf_engine: str, issued: Path, options,
                     recipient: str | None = None) -> None:
    from .build import build as build_agreement, build_circular

    _settle_output(out)
    click.echo(f"Dokument i {out}/:")
    skipped = 0
    results = [build_agreement(r.agreement, out, wanted, reference_doc=reference_doc, allocation=r.allocation,
                               source_file=r.file, force=force, pdf_engine=pdf_engine, recipient=recipient,
                               municipal=r.municipal)
               for r in good]
    if recipient is None:  # a quick look at one recipient: no circulars, no redlines
        results += [build_circular(c, out, wanted, reference_doc=reference_doc, force=force, pdf_engine=pdf_engine)
                    for c in circulars]
    if issued.is_dir() and recipient is None:
        from .issuing import RedlineOptions, build_issued

        results += [build_issued(r, out, [f for f in wanted if f in ("docx", "pdf")], issued,
                                 options or RedlineOptions(), force=force, pdf_engine=pdf_engine) for r in good]
    for built in results:
        for written in built.written:
            click.echo(f"  {written.status:<10} {written.path}  ({written.size / 1024:.0f} kB, {written.seconds:.2f} s)")
        skipped += len(built.skipped)
    rendered = sum(len(b.written) for b in results)
    click.echo(f"{rendered} filer renderade, {skipped} oförändrade indata (hoppades över)"
               + ("; --force renderar allt" if skipped else ""))


@main.command()
@click.argument("target")
@click.argument("documents", nargs=-1, required=True)
@click.option("--date", "issued_on", type=click.DateTime(["%Y-%m-%d"]), help="The day it was issued (default: today).")
@click.option("--by", default="", help="Who issued it, or a note (\"skickat till SKL\").")
@click.option("--issued", "issued_folder", type=click.Path(file_okay=False, path_type=Path), default=Path("issued"),
              show_default=True, help="Where the records are kept (commit it with the data).")
def issue(target: str, documents: tuple[str, ...], issued_on, by: str, issued_folder: Path) -> None:
    """Record documents as issued (sent or signed), and from which version of the data.

    TARGET is a year (2011) or an agreement file; DOCUMENTS name documents as
    in output/<year>/ without the suffix, or their beginning:
    regeringsbeslut, genomforandeplan, lansbrev (all county letters),
    lansbrev/lansbrev_01. For each, ISSUED/<year>/<document>.yaml records the
    date, the git commit, and every input file with its blob id;
    <document>.xml keeps the text as issued, and ISSUED/inputs/ a copy of
    each input, so the issued version can be read back even if it was never
    committed. Later builds mark every change against it.
    """
    from .issuing import issue as issue_documents

    good, bad, _ = _validate_all(_select((target,)), strict=False)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    from .build import plan
    from .issuing import matching_jobs

    chosen = []
    for result in good:  # a year may hold several agreements: each name must match a document of one of them
        jobs = plan(result.agreement, result.allocation)
        names = tuple(n for n in documents if any(j in jobs for j in _try_match(matching_jobs, jobs, n)))
        if names:
            chosen.append((result, names))
    missing = [n for n in documents if not any(n in names for _, names in chosen)]
    if missing:
        every = [j.name for r in good for j in plan(r.agreement, r.allocation)]
        raise click.BadParameter(f"no document {missing[0]!r} in {target}; its documents are: "
                                 + (", ".join(every) or "none (only agreements with decisions, a plan or letters have documents)"),
                                 param_hint="DOCUMENTS")
    for result, names in chosen:
        for record in issue_documents(result, names, issued_folder, issued_on.date() if issued_on else None, by):
            state = "" if record.clean is not False else " (arbetskopian hade ändringar som inte checkats in; indata sparade)"
            click.echo(f"utfärdad {record.issued.isoformat()}: {record.year}/{record.document}  → {record.path}{state}")


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
    good, bad, _ = _validate_all(_select((target,)), strict)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    for result in good:
        if result.allocation is None:
            click.echo(f"{result.file}: no distributions (the agreement names no key or outcome data under data:)")
            continue
        click.echo(explain_text(result.allocation, code, result.file))


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="The output folder whose documents may be affected (its manifest.json).")
def diff(a: str, b: str, as_json: bool, out: Path) -> None:
    """Show what changes between two versions of an agreement.

    A and B are agreement files, or a file at a git revision:
    agreements/2012.yaml@HEAD~1. Prints every amount and date that changed
    (old, new, difference), the totals that change with them, every
    recipient whose payout changes (largest first), and the documents in
    OUT/ made from the agreement. Exit status 0 if nothing differs, 1 if
    something does, 2 if a version is invalid.
    """
    from .diffing import compare, diff_text, version

    with version(a) as (old, label_a), version(b) as (new, label_b):
        result = compare(old, new, label_a, label_b, out)
    click.echo(result.to_json() if as_json else diff_text(result))
    sys.exit(1 if result.changed else 0)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--issued", "issued_target", is_flag=False, flag_value="all", default=None, metavar="[YEAR]",
              help="Check every issued document (generator issue) of YEAR, or of all years: does the data still "
              "give its issued text?")
def check(files: tuple[Path, ...], issued_target: str | None) -> None:
    """Tell whether documents still match the current data.

    FILES are generated .docx or .pdf files. Each carries in its metadata the
    files (data, reference data, templates) and content hashes it was made
    from and the generator version; a document is current if every one of
    them is unchanged, otherwise stale, with what changed since (when git
    still has the version it was made from), and whether it is an issued
    version. Exit status 1 if any is stale.

    With --issued: for each document recorded as issued, whether the data now
    gives the same text ("oförändrad sedan utfärdandet") or not (how many
    changes a redline marks, and which figures moved). Exit status 1 if any
    issued document changed.
    """
    from .diffing import check_document

    if issued_target is not None:
        _check_issued(issued_target)
    if not files:
        if issued_target is None:
            raise click.UsageError("name documents to check, or --issued")
        return
    stale = False
    for file in files:
        result = check_document(file)
        if result.current:
            click.echo(f"{file}: aktuell")
        else:
            stale = True
            click.echo(f"{file}: INAKTUELL")
            for line in result.changed:
                click.echo(f"  {line}")
        for line in result.details:
            click.echo(f"  {line}")
    sys.exit(1 if stale else 0)


def _try_match(match, jobs, name: str) -> list:
    try:
        return match(jobs, (name,))
    except GeneratorError:
        return []


def _check_issued(target: str) -> None:
    from .diffing import check_issued
    from .issuing import ISSUED

    good, bad, _ = _validate_all(_select(() if target == "all" else (target,)), strict=False)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    results = check_issued(ISSUED, good)
    if not results:
        click.echo(f"inga utfärdade dokument i {ISSUED}/ (generator issue registrerar dem)")
        return
    changed = False
    for result in results:
        r = result.record
        name = f"{r.year}/{r.document} (utfärdad {r.issued.isoformat()})"
        if result.missing:
            changed = True
            click.echo(f"{name}: GÖRS INTE LÄNGRE av {r.agreement}")
        elif result.changes:
            changed = True
            click.echo(f"{name}: ÄNDRAD sedan utfärdandet, {result.changes} ändringar "
                       f"(generator build skriver output/{r.year}/andringar/{r.document}.andringsmarkerad.docx)")
            for line in result.figures:
                click.echo(f"  {line}")
        else:
            click.echo(f"{name}: oförändrad sedan utfärdandet")
    if changed:
        sys.exit(1)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the schemas into (default: schema/ of the project).")
def schema(out: Path | None) -> None:
    """Write the JSON Schema of every input file kind into schema/.

    Editors with the YAML language server read it through the first line of
    every file under agreements/ (# yaml-language-server: $schema=…): they
    complete keys, show each key's description and mark a misspelt key.
    """
    from .schema import SCHEMA_FOLDER, write_schemas

    for path in write_schemas(out or SCHEMA_FOLDER):
        click.echo(str(path))


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: docs/REFERENCE.md of the project).")
def reference(out: Path | None) -> None:
    """Write docs/REFERENCE.md: every key, distribution rule, name and filter, with examples."""
    from .handbook import REFERENCE_FILE, write_reference

    click.echo(str(write_reference(out or REFERENCE_FILE)))


@main.command()
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option("--from", "sources", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The files to start from (default: the agreements and circulars of the year before).")
@click.option("--to", "target", type=click.Path(path_type=Path), default=None,
              help="Where to write, for a single --from file (default: its path with the year replaced).")
def new(year: int, sources: tuple[Path, ...], target: Path | None) -> None:
    """Start next year's agreement files from this year's.

    The structure, the texts and the distribution rules are copied; every
    amount and date is left empty (null) to be filled in, and the year is
    replaced in ids, titles and texts. Run generator validate on the new
    files: it lists every value that remains to be filled in, with its line.
    An existing file is never overwritten.
    """
    from .newyear import start_year

    files = list(sources) or list(_select((str(year - 1),)))
    if target is not None and len(files) != 1:
        raise click.UsageError("--to needs exactly one --from file")
    started = start_year(files, year - 1, year, [target] if target else None)
    for s in started:
        click.echo(f"{s.target}: från {s.source}: {len(s.emptied)} belopp och datum att fylla i, "
                   f"årtalet {year - 1} ersatt med {year} på {s.years} ställen (läs igenom dem)")
    click.echo(f"Nästa steg: fyll i värdena och kör generator validate {' '.join(str(s.target) for s in started)}")


def run() -> None:
    """Entry point that never lets a GeneratorError become a traceback."""
    try:
        main(standalone_mode=True)
    except GeneratorError as exc:
        _print_findings(exc)
        sys.exit(exc.exit_code)
