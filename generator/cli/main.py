"""The ``generator`` command: a thin layer over the library.

It parses arguments, calls the library, and turns :class:`GeneratorError`
into a plain message and an exit status; it never shows a traceback for bad
input.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import __version__
from generator.cli.report import console as _console
from generator.cli.report import escape as _escape
from generator.cli.report import print_findings as _print_findings
from generator.cli.swedish_click import install as _swedish_click
from generator.errors import DataError, GeneratorError, collapse

# The library (pydantic's models, babel, Jinja, rich) is imported where a command needs it, not here: `--help`
# and a rebuild with nothing to do (generator.build.no_change) never load it.
if TYPE_CHECKING:
    from generator.data.circulars import ValidatedCircular
    from generator.data.validate import Validated

_swedish_click()

DEFAULT_AGREEMENTS = Path("agreements")
TEMPLATES_FOLDER = Path(__file__).resolve().parents[2] / "templates"
REFERENCE_FOLDER = Path(__file__).resolve().parents[2] / "reference"


@functools.cache
def _freeze_library() -> None:
    """Keep what importing the library made out of the garbage collector's passes, as run() does with what the
    imports before it made: once a process, when it is first imported (a later freeze, e.g. in each round of
    ``build --watch``, would also freeze that round's uncollected garbage for good)."""
    gc.freeze()


def _validate_all(
    paths: tuple[Path, ...], strict: bool
) -> tuple[list[Validated], list[DataError], list[ValidatedCircular]]:
    """Validate the agreements and circulars named by ``paths`` (:func:`generator.app.load_all`)."""
    from generator.app import NoAgreementFiles, load_all

    _freeze_library()
    try:
        return load_all(paths or (DEFAULT_AGREEMENTS,), strict)
    except NoAgreementFiles as exc:
        raise click.UsageError(str(exc)) from None


def _summary_lines(results: list[Validated], circulars: Sequence[ValidatedCircular] = (), shown: bool = True) -> str:
    """Return the plain-text summary of validated agreements, two lines each, and one line per circular.

    ``shown`` False (build, which does not print the warnings): each count of warnings says how to see them.
    """
    from generator.data.validate import summary
    from generator.formatting import kronor

    lines = []
    for result in results:
        s = summary(result)
        check = "summan stämmer" if s["sum_ok"] else "SUMMAN STÄMMER INTE"
        warnings = (f", {s['warnings']} varning" + ("ar" if s["warnings"] > 1 else "")) if s["warnings"] else ""
        if warnings and not shown:
            warnings += f" (visas med generator validate {s['file']})"
        lines.append(f"{s['file']}: {s['title']} ({s['year']})")
        if not result.agreement.sections:  # a stand-alone decision: no parts to add up
            count = len(result.agreement.decisions)
            lines.append(f"  {count} beslut utan överenskommelse, {kronor(s['total'])}{warnings}")
            continue
        lines.append(
            f"  totalt {kronor(s['total'])} = {s['payouts']} utbetalningar {kronor(s['payouts_total'])}"
            f" + {s['pots']} prestationspotter {kronor(s['pots_total'])}: {check}{warnings}"
        )
    for vc in circulars:
        c = vc.circular
        lines.append(
            f"{vc.file}: Cirkulär {c.number} ({c.date.isoformat()}) om {len(c.parts)} överenskommelser {c.year}: "
            + ", ".join(p.agreement for p in c.parts)
        )
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
            _console(stderr=True).print("fel: indata är för djupt nästlade för att läsas", markup=False)
            sys.exit(2)
        except MemoryError:
            _console(stderr=True).print("fel: indata är för stora för att läsas i minnet", markup=False)
            sys.exit(2)
        except OSError as exc:  # a file the generator had to write or read failed (disk full, permissions …)
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _console(stderr=True).print(f"fel: {where}{exc.strerror or exc}", markup=False, highlight=False)
            sys.exit(2)


class _IsoDate(click.DateTime):
    """A date written ÅÅÅÅ-MM-DD, shown and refused in Swedish (click's own says "does not match the format")."""

    name = "datum"

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "ÅÅÅÅ-MM-DD"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"{value!r} är inte ett datum skrivet ÅÅÅÅ-MM-DD (till exempel 2012-02-09)", param, ctx)


ISO_DATE = _IsoDate()


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="generator")
def main() -> None:
    """Skriv dokumenten kring statens överenskommelser med SKL utifrån YAML-filerna i agreements/.

    Kontrollera data, räkna fram varje belopp och skriv regeringsbeslut,
    genomförandeplan, cirkulär och brev som DOCX och PDF i output/.
    Nycklarna i filerna beskrivs i docs/REFERENCE.md.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Räkna varningar som fel.")
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Kontrollera överenskommelsefiler.

    Nycklar, summor, datum och hänvisningar kontrolleras.
    SÖKVÄG är filer eller mappar (standard: agreements/). Varje fel anges med
    fil, rad och kolumn (fil:rad:kolumn: fel: fält: vad som är fel);
    slutstatus är 2 om någon fil är ogiltig. Ett belopp eller datum som
    generator new lämnat tomt (null) anges som ”inte ifyllt”.
    """
    from generator.build.plan import output_conflicts

    good, bad, circulars = _validate_all(paths, strict)
    conflicts = output_conflicts([(r.agreement, r.allocation, r.file) for r in good])
    if conflicts:
        bad.append(DataError("överenskommelsefiler samma år skulle skriva över varandras dokument", conflicts))
    checked: list[Validated | ValidatedCircular] = [*good, *circulars]
    for result in checked:
        for warning in collapse(result.warnings):
            _console(stderr=True).print(f"[yellow]{_escape(str(warning))}[/yellow]", markup=True)
    if good or circulars:
        click.echo(_summary_lines(good, circulars))
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)


def _select(targets: tuple[str, ...]) -> tuple[Path, ...]:
    """Return the paths named by build targets: a year (2012) means agreements of that year."""
    from generator.app import year_files

    paths: list[Path] = []
    for target in targets:
        if target.isdigit() and len(target) == 4 and not Path(target).exists():
            matches = year_files(target, DEFAULT_AGREEMENTS)
            if not matches:
                raise click.UsageError(f"ingen överenskommelse för året {target} i {DEFAULT_AGREEMENTS}/")
            paths.extend(matches)
        else:
            paths.append(Path(target))
    return tuple(paths)


@main.command()
@click.argument("targets", nargs=-1)
@click.option(
    "--format",
    "formats",
    default="docx,pdf",
    show_default=True,
    help="Format, åtskilda med komma: docx, pdf, html (html: en tillgänglig webbsida per dokument).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Mappen att skriva i; dokumenten hamnar i UT/<år>/.",
)
@click.option(
    "--reference-doc",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="En .docx vars formatmallar, typsnitt och sidinställningar DOCX-filerna får (redigera den i Word).",
)
@click.option("--strict", is_flag=True, help="Räkna varningar som fel.")
@click.option("--force", is_flag=True, help="Skriv om varje dokument, även de vars indata inte har ändrats.")
@click.option("--watch", is_flag=True, help="Fortsätt köra: bygg om det som ändras i agreements/ och templates/.")
@click.option("--prune", is_flag=True, help="Ta bort dokument vars överenskommelsefil inte längre finns.")
@click.option(
    "--pdf-engine",
    type=click.Choice(["typst", "reportlab"]),
    default="typst",
    show_default=True,
    help="typst: taggad PDF/A-2a och PDF/UA-1; reportlab: den tidigare, otaggade PDF:en.",
)
@click.option(
    "--issued",
    "issued_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("issued"),
    show_default=True,
    help="Var uppgifterna om utfärdade dokument finns (generator issue); ett ändrat utfärdat dokument får en "
    "version med spårade ändringar och, för ett beslut, ett utkast till ändringsbeslut i UT/<år>/andringar/.",
)
@click.option("--redline-author", help="Författare till de spårade ändringarna (standard: dokumentets författare).")
@click.option(
    "--redline-date",
    type=ISO_DATE,
    metavar="ÅÅÅÅ-MM-DD",
    help="Datum för de spårade ändringarna och utkastet till ändringsbeslut "
    "(standard: SOURCE_DATE_EPOCH, annars dagen dokumentet utfärdades).",
)
@click.option(
    "--recipient",
    metavar="KOD",
    help="Bygg bara en mottagares dokument, för en snabb titt: en kommun (0180), "
    "ett landsting (0001) eller ett län (01).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Rendera i så många processer (standard: antalet processorer). "
    "Filerna och meddelandena blir desamma för varje antal.",
)
@click.option(
    "--no-municipal",
    "no_municipal",
    is_flag=True,
    help="Hoppa över kommunernas och landstingens egna dokument (UT/<år>/kommunbrev/, landstingsbrev/ "
    "och utlatanden/); dem som redan finns lämnas orörda. Övriga dokument och utbetalningstabellerna "
    "skrivs som vanligt.",
)
def build(
    targets: tuple[str, ...],
    formats: str,
    out: Path,
    reference_doc: Path | None,
    strict: bool,
    force: bool,
    watch: bool,
    prune: bool,
    pdf_engine: str,
    issued_folder: Path,
    redline_author: str | None,
    redline_date=None,
    recipient: str | None = None,
    jobs: int | None = None,
    no_municipal: bool = False,
) -> None:
    """Kontrollera data och skriv dokumenten.

    Varje överenskommelses dokument skrivs som DOCX och PDF.
    Varje dokument anger kontrollsummorna för sina indata och sitt innehåll
    (i sina egenskaper och i UT/manifest.json); en ny körning skriver bara
    om dokument vars innehåll har ändrats. Ett dokument vars indata ändrats
    men som blir detsamma lämnas orört (--force skriver om alla).

    En överenskommelse som anger sina nyckel- och utfallsdata (data:) och
    har county_letters: får också ett brev per län (UT/<år>/lansbrev/), ett
    per kommun (UT/<år>/kommunbrev/, Region Gotland en gång) och ett per
    landsting (UT/<år>/landstingsbrev/), och utbetalningstabellen
    UT/<år>/utbetalningar.csv och .xlsx. --recipient KOD skriver bara en
    mottagares dokument (t.ex. --recipient 0180: Stockholms brev).

    Dokument som registrerats som utfärdade (generator issue) och vars text
    ändrats sedan dess får UT/<år>/andringar/<dokument>.andringsmarkerad.docx|pdf,
    den nya versionen med varje ändring som spårad ändring, och ett utfärdat
    regeringsbeslut vars belopp ändrats ett utkast till ändringsbeslut,
    UT/<år>/andringar/<dokument>.andringsbeslut.docx|pdf.

    MÅL är år (2012), överenskommelsefiler eller mappar (standard: varje
    överenskommelse i agreements/). Ogiltiga data avvisas innan något
    skrivs; filerna skrivs atomärt, och en oförändrad fil lämnas orörd.
    """
    wanted = [f.strip() for f in formats.split(",") if f.strip()]

    from generator.build.guards import output_folder
    from generator.build.guards import reference_doc as checked_reference_doc

    if reference_doc is not None:
        reference_doc = checked_reference_doc(reference_doc)
    out = output_folder(out)
    if recipient is not None:
        from generator.data.reference import recipient as lookup

        try:
            lookup(recipient)
        except KeyError:
            raise click.BadParameter(
                f"{recipient!r} är ingen kod för en kommun (0180), ett landsting (0001) eller ett län (01)",
                param_hint="--recipient",
            ) from None
    from generator.build import no_change as unchanged

    state = {
        "targets": targets,
        "formats": wanted,
        "out": out,
        "reference_doc": reference_doc,
        "strict": strict,
        "pdf_engine": pdf_engine,
        "issued": issued_folder,
        "redline": [redline_author, redline_date],
        "recipient": recipient,
        "no_municipal": no_municipal,
    }
    roots = [DEFAULT_AGREEMENTS, issued_folder, *(Path(t) for t in targets if Path(t).is_dir())]
    if not force and not prune and not watch:
        printed = unchanged.replay(out, state, roots)
        if printed is not None:  # the last build rendered nothing, and nothing it read has changed since (its
            click.echo(printed, nl=False)  # formats were valid: the library and the writers are not loaded)
            return
    from generator.build.formats import WRITERS

    unknown = [f for f in wanted if f not in WRITERS] or ([] if wanted else ["(none)"])
    if unknown:
        raise click.BadParameter(
            f"okänt format {', '.join(unknown)}; välj bland {', '.join(WRITERS)}", param_hint="--format"
        )
    from generator.change.issuing import RedlineOptions

    options = RedlineOptions(redline_author, redline_date.date() if redline_date else None)
    if watch:
        from generator.cli.watch import watch as watch_loop

        watch_loop(
            lambda: _build_once(
                targets,
                wanted,
                out,
                reference_doc,
                strict,
                force=False,
                pdf_engine=pdf_engine,
                issued=issued_folder,
                options=options,
                jobs=jobs,
                municipal=not no_municipal,
            ),
            [DEFAULT_AGREEMENTS, TEMPLATES_FOLDER, REFERENCE_FOLDER],
        )
        return
    if not force and not prune:
        unchanged.record()
    with _Tee("stdout") as printed, _Tee("stderr") as warned:
        done = _build_once(
            targets,
            wanted,
            out,
            reference_doc,
            strict,
            force,
            pdf_engine=pdf_engine,
            issued=issued_folder,
            options=options,
            prune=prune,
            recipient=recipient,
            jobs=jobs,
            municipal=not no_municipal,
        )
    if done and _LAST.get("rendered") == 0 and not warned.getvalue() and not force and not prune:
        unchanged.save(out, state, roots, printed.getvalue())
    elif done:
        unchanged.forget()
    if not done:
        sys.exit(2)


#: What the last build did (the number of files rendered), for the no-change state.
_LAST: dict[str, int] = {}


class _Tee:
    """Copy what is printed to sys.stdout (or sys.stderr) while in the ``with`` block; yields the copy."""

    def __init__(self, name: str):
        import io

        self.name, self.copy = name, io.StringIO()

    def __enter__(self):
        stream, copy = getattr(sys, self.name), self.copy

        class Both:
            def write(self, text):
                copy.write(text)
                return stream.write(text)

            def __getattr__(self, attribute):
                return getattr(stream, attribute)

        self.stream = stream
        setattr(sys, self.name, Both())
        return self.copy

    def __exit__(self, *exc) -> None:
        setattr(sys, self.name, self.stream)


def _orphans(out: Path, prune: bool) -> None:
    """Report, or with ``prune`` delete, outputs whose agreement file is gone."""
    from generator.build.provenance import MANIFEST, Manifest, orphans, write_atomic

    manifest = Manifest.load(out)
    names = orphans(manifest)
    if not names:
        return
    if not prune:
        click.echo(
            f"{len(names)} filer i {out}/ kommer från överenskommelser som inte längre finns; "
            "de ligger kvar (--prune tar bort dem)"
        )
        return
    for name in names:
        (out / name).unlink(missing_ok=True)
        manifest.forget(name)
        click.echo(f"  borttagen  {out / name}")
    write_atomic(out / MANIFEST, manifest.to_bytes())


def _settle_output(out: Path) -> None:
    """Remove temporary files a killed build left, and report a damaged manifest (it is rebuilt)."""
    from generator.build.provenance import MANIFEST, Manifest

    for stale in Path(out).rglob(".*.tmp"):
        if stale.is_file() and not stale.is_symlink():
            stale.unlink(missing_ok=True)
    manifest = Manifest.load(out)
    if manifest.problem:
        click.echo(f"varning: {out / MANIFEST} {manifest.problem}; den byggs om och alla dokument renderas", err=True)


def _build_once(
    targets: tuple[str, ...],
    wanted: list[str],
    out: Path,
    reference_doc: Path | None,
    strict: bool,
    force: bool,
    pdf_engine: str = "typst",
    issued: Path = Path("issued"),
    options=None,
    prune: bool | None = None,
    recipient: str | None = None,
    jobs: int | None = None,
    municipal: bool = True,
) -> bool:
    """Validate and build; return False if the data is invalid (nothing is written then).

    The writing holds a lock on the output folder: a second build on it waits until the first is done.
    ``prune`` (True or False) also reports or removes the outputs of deleted agreements, under the same lock.
    """
    from generator.build.guards import build_lock, output_folder
    from generator.build.plan import output_conflicts

    good, bad, circulars = _validate_all(_select(targets), strict)
    conflicts = output_conflicts([(r.agreement, r.allocation, r.file) for r in good])
    if conflicts:
        bad.append(DataError("överenskommelsefiler samma år skulle skriva över varandras dokument", conflicts))
    for error in bad:
        _print_findings(error)
    if bad:
        return False
    click.echo(_summary_lines(good, circulars, shown=False))
    out = output_folder(out, create=True)
    with build_lock(out, notice=lambda text: click.echo(text, err=True)):
        _write_documents(
            good, circulars, wanted, out, reference_doc, force, pdf_engine, issued, options, recipient, jobs, municipal
        )
        if prune is not None:
            _orphans(out, prune)
    return True


def _write_documents(
    good: list[Validated],
    circulars: list[ValidatedCircular],
    wanted: list[str],
    out: Path,
    reference_doc: Path | None,
    force: bool,
    pdf_engine: str,
    issued: Path,
    options,
    recipient: str | None = None,
    jobs: int | None = None,
    municipal: bool = True,
) -> None:
    from generator.build.pool import default_jobs
    from generator.build.run import build_all
    from generator.change.issuing import held_documents

    _settle_output(out)
    click.echo(f"Dokument i {out}/:")
    skipped = same = 0
    held = frozenset(held_documents(issued, good))  # issued records: never replaced in out/
    results = build_all(
        [(r.agreement, r.allocation, r.file, r.municipal) for r in good],
        out,
        wanted,
        reference_doc=reference_doc,
        force=force,
        pdf_engine=pdf_engine,
        recipient=recipient,
        jobs=jobs or default_jobs(),
        municipal_documents=municipal,
        circulars=circulars if recipient is None else (),
        held=held,
    )  # a quick look: no circulars, no redlines
    if issued.is_dir() and recipient is None:
        from generator.change.issuing import RedlineOptions, build_issued

        results += [
            build_issued(
                r,
                out,
                [f for f in wanted if f in ("docx", "pdf")],
                issued,
                options or RedlineOptions(),
                force=force,
                pdf_engine=pdf_engine,
            )
            for r in good
        ]
    for built in results:
        for written in built.written:
            seconds = f"{written.seconds:.2f}".replace(".", ",")  # Swedish decimal comma
            click.echo(f"  {written.status:<10} {written.path}  ({written.size / 1024:.0f} kB, {seconds} s)")
        skipped += len(built.skipped)
        same += len(built.same)
    rendered = sum(len(b.written) for b in results)
    _LAST["rendered"] = rendered + same  # a build that only learnt new inputs keys leaves no no-change state
    click.echo(
        f"{rendered} filer renderade, {skipped} oförändrade indata (hoppades över)"
        + (f", {same} med ändrade indata men samma innehåll (lämnade orörda)" if same else "")
        + ("; --force renderar allt" if skipped or same else "")
    )


@main.command()
@click.argument("target")
@click.argument("documents", nargs=-1, required=True)
@click.option(
    "--date",
    "issued_on",
    type=ISO_DATE,
    metavar="ÅÅÅÅ-MM-DD",
    help="Dagen det utfärdades (standard: i dag).",
)
@click.option("--by", default="", help='Vem som utfärdade det, eller en anteckning ("skickat till SKL").')
@click.option(
    "--issued",
    "issued_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("issued"),
    show_default=True,
    help="Var uppgifterna sparas (checka in dem med data).",
)
def issue(target: str, documents: tuple[str, ...], issued_on, by: str, issued_folder: Path) -> None:
    """Registrera dokument som utfärdade.

    Ett dokument är utfärdat när det skickats eller undertecknats; det
    registreras med den version av data det gjordes av.
    MÅL är ett år (2011) eller en överenskommelsefil; DOKUMENT anger dokument
    som i output/<år>/ utan filändelse, eller deras början: regeringsbeslut,
    genomforandeplan, lansbrev (alla länsbrev), lansbrev/lansbrev_01. För
    vart och ett registrerar issued/<år>/<dokument>.yaml datum, git-commit
    och varje indatafil med dess blob-id; <dokument>.xml bevarar texten som
    den utfärdades, och issued/inputs/ en kopia av varje indatafil, så
    att den utfärdade versionen kan läsas även om den aldrig checkats in.
    Senare byggen markerar varje ändring mot den.
    """
    import datetime as dt

    from generator.change.issuing import issue as issue_documents

    good, bad, _ = _validate_all(_select((target,)), strict=False)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    from generator.build.plan import plan
    from generator.change.issuing import matching_jobs

    chosen = []
    for result in good:  # a year may hold several agreements: each name must match a document of one of them
        jobs = plan(result.agreement, result.allocation)
        names = tuple(n for n in documents if any(j in jobs for j in _try_match(matching_jobs, jobs, n)))
        if names:
            chosen.append((result, names))
    missing = [n for n in documents if not any(n in names for _, names in chosen)]
    if missing:
        every = [j.name for r in good for j in plan(r.agreement, r.allocation)]
        raise click.BadParameter(
            f"inget dokument {missing[0]!r} i {target}; dess dokument är: "
            + (", ".join(every) or "inga (bara överenskommelser med beslut, en plan eller brev har dokument)"),
            param_hint="DOCUMENTS",
        )
    if issued_on is not None and issued_on.date() > dt.date.today():
        click.echo(
            f"varning: --date {issued_on.date().isoformat()} ligger i framtiden; registrera ett dokument när det "
            "har skickats eller undertecknats",
            err=True,
        )
    for result, names in chosen:
        for record in issue_documents(result, names, issued_folder, issued_on.date() if issued_on else None, by):
            state = (
                ""
                if record.clean is not False
                else " (arbetskopian hade ändringar som inte checkats in; indata sparade)"
            )
            click.echo(f"utfärdad {record.issued.isoformat()}: {record.year}/{record.document}  → {record.path}{state}")


@main.command()
@click.argument("year", type=click.IntRange(1900, 2200))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Utmappen; utskicket hamnar i UT/<år>/utskick/.",
)
@click.option(
    "--date",
    "on",
    type=ISO_DATE,
    help="Datum för rättelserna, ändringsbesluten och rapporten (standard: SOURCE_DATE_EPOCH, annars i dag).",
)
@click.option(
    "--issued",
    "issued_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("issued"),
    show_default=True,
    help="Var uppgifterna om utfärdade dokument finns.",
)
def send(year: int, out: Path, on, issued_folder: Path) -> None:
    """Skriv det som ska skickas för ett års ändrade utfärdade dokument.

    Allt i en mapp, UT/<år>/utskick/: en rättelse för varje utfärdat
    läns-, kommun- eller landstingsbrev vars belopp ändrats (rattelser/),
    ett utkast till ändringsbeslut för varje ändrat regeringsbeslut
    (andringsbeslut/), reviderade överenskommelser och planer att
    underteckna på nytt (att_underteckna/), och en ändringsrapport
    (andringsrapport_<år>.docx och .pdf) för den som beslutar: ändrade
    indata, belopp före → efter per mottagare, berörda dokument och vad som
    skickas till vem. Samma lista som generator check --issued ÅR. Slutstatus
    2 om inget är utfärdat för ÅR; då skrivs inget.
    """
    import datetime as dt

    from generator.build.guards import output_folder
    from generator.change.corrections import write_batch
    from generator.change.issuing import RedlineOptions

    good, bad, _ = _validate_all(_select((str(year),)), strict=False)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    date = on.date() if on else RedlineOptions().configured_date() or dt.date.today()
    out = output_folder(out)  # checked before any work; made only when there is something to write
    batch = write_batch(year, good, issued_folder, out, date)
    for path, what in batch.files:
        click.echo(f"  {what:<16} {path}")
    counts = batch.summary.counts()
    click.echo(
        f"{len(batch.files)} filer i {batch.folder}/: "
        + (", ".join(f"{n} × {what}" for what, n in sorted(counts.items())) or "inget att skicka")
        + f"; {batch.summary.changed} av {batch.summary.checked} utfärdade dokument har ändrats."
    )


@main.command()
@click.argument("target")
@click.argument("code")
@click.option("--strict", is_flag=True, help="Räkna varningar som fel.")
def explain(target: str, code: str, strict: bool) -> None:
    """Visa en mottagares belopp och beräkningar.

    Varje belopp mottagaren får visas med hur det räknats fram.
    MÅL är ett år (2012) eller en överenskommelsefil; KOD en kommun (0180
    Stockholm), ett landsting (0001, ”00” + länskoden) eller ett län (01,
    länets gemensamma belopp och summan för alla i länet).
    """
    from generator.data.reference import recipient
    from generator.money.explain import explain as explain_text

    try:
        recipient(code)
    except KeyError:
        raise click.BadParameter(
            f"{code!r} är ingen kod för en kommun (0180), ett landsting (0001) eller ett län (01)", param_hint="CODE"
        ) from None
    good, bad, _ = _validate_all(_select((target,)), strict)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    for result in good:
        if result.allocation is None:
            click.echo(
                f"{result.file}: inga fördelningar (överenskommelsen anger ingen nyckel- eller utfallsdata under data:)"
            )
            continue
        click.echo(explain_text(result.allocation, code, result.file))


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON i stället för text.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Utmappen vars dokument kan beröras (dess manifest.json).",
)
@click.option(
    "--alla",
    "every",
    is_flag=True,
    help="Visa varje mottagare vars belopp ändras och varje byggd fil som görs av data, även oförändrade.",
)
def diff(a: str, b: str, as_json: bool, out: Path, every: bool = False) -> None:
    """Visa vad en ändring gör i varje dokument.

    Två versioner av en överenskommelse jämförs.
    A och B är överenskommelsefiler, eller en fil vid en git-version:
    agreements/2012.yaml@HEAD~1. Först orsaken: varje ändrat värde i
    indatafilerna som fil:rad (YAML-sökväg, eller CSV-radens nyckel och
    kolumn) med före → efter. Sedan varje belopp och datum som ändrats
    (före, efter, skillnad) med vem som får en ändrad utbetalning, summorna
    som ändras med dem, mottagarna vars belopp ändras (många: en rad med
    största och minsta ändringen; --alla visar var och en) och, för varje
    dokument som ändras, de meningar och tabellrader som ändras (före →
    efter). --json ger samma sak. Slutstatus 0 om inget skiljer sig, 1 om
    något gör det, 2 om en version är ogiltig.
    """
    from generator.change.data_diff import compare, diff_text
    from generator.change.versions import version

    with version(a) as (old, label_a), version(b) as (new, label_b):
        result = compare(old, new, label_a, label_b, out)
    click.echo(result.to_json() if as_json else diff_text(result, every))
    sys.exit(1 if result.changed else 0)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--issued",
    "issued_target",
    is_flag=False,
    flag_value="all",
    default=None,
    metavar="[YEAR]",
    help="Kontrollera varje utfärdat dokument (generator issue) för ÅR, eller alla år: ger data fortfarande "
    "dess utfärdade text?",
)
def check(files: tuple[Path, ...], issued_target: str | None) -> None:
    """Är dokumenten aktuella mot data?

    Talar om ifall dokument fortfarande stämmer med data som de ser ut nu.
    FILER är skrivna .docx- eller .pdf-filer. Var och en bär i sina
    egenskaper de filer (data, referensdata, mallar) och kontrollsummor den
    gjordes av och generatorns version; ett dokument är aktuellt om alla är
    oförändrade, eller om det, ifyllt på nytt ur data som de är nu, får
    samma innehåll; annars inaktuellt, och då visas vilka meningar och rader i
    just det dokumentet som ändras (när git har kvar versionen det gjordes
    av), och om det är en utfärdad version. Slutstatus 1 om något är
    inaktuellt.

    Med --issued: först indata som ändrats sedan utfärdandet (fil:rad, före
    → efter), sedan varje utfärdat dokument vars text data nu ändrar (hur
    många ändringar, mottagarens belopp före → efter och vad som ska
    skickas: rättelse, ändringsbeslut, reviderad överenskommelse att
    underteckna på nytt, eller inget när bara texten ändrats), sist en
    sammanfattning: hur många utfärdade dokument som ändrats, summan och
    mottagarnas belopp, och hur många av varje slag som ska skickas.
    Slutstatus 1 om något utfärdat dokument ändrats, 2 om ett ÅR saknar
    utfärdade dokument eller en uppgift om utfärdande är skadad.
    """
    from generator.change.staleness import check_document

    if issued_target is not None:
        _check_issued(issued_target)
    if not files:
        if issued_target is None:
            raise click.UsageError("ange dokument att kontrollera, eller --issued")
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
    from generator.change.issuing import ISSUED
    from generator.change.staleness import check_issued

    good, bad, _ = _validate_all(_select(() if target == "all" else (target,)), strict=False)
    for error in bad:
        _print_findings(error)
    if bad:
        sys.exit(2)
    results = check_issued(ISSUED, good)
    if not results:
        when = "" if target == "all" else f" för {target}"
        if target != "all":
            raise DataError(f"inga utfärdade dokument{when} i {ISSUED}/ (generator issue registrerar dem)")
        click.echo(f"inga utfärdade dokument i {ISSUED}/ (generator issue registrerar dem)")
        return
    from generator.change.sending import issued_summary

    summary = issued_summary(results)
    for line in issued_summary_lines(summary):
        click.echo(line)
    if summary.changed:
        sys.exit(1)


def issued_summary_lines(summary) -> list[str]:
    """Return ``check --issued``'s text: the inputs changed since issuing, each changed document with what must
    go out for it, and at the end the summary."""
    from generator.change.data_diff import recipients_text
    from generator.change.sending import INGET
    from generator.formatting import kronor, skillnad_kronor

    def amount(value: int | None) -> str:
        return kronor(value) if value is not None else "–"

    out = []
    if summary.inputs:
        out.append("Ändrade indata sedan utfärdandet (fil:rad: var: före → efter):")
        out.extend(f"  {i.text()}" for i in summary.inputs)
    if summary.sendings:
        out.append(f"\nÄndrade utfärdade dokument och vad som ska skickas ({len(summary.sendings)}):")
    for s in summary.sendings:
        name = f"{s.year}/{s.document} (utfärdad {s.issued.isoformat()})"
        what = s.what if s.what == INGET or not s.to else f"{s.what} till {s.to}"
        line = f"  {name}: ÄNDRAD sedan utfärdandet, {s.changes} ändringar; skicka: {what}"
        if s.old is not None and s.new is not None and s.old != s.new:
            line += f"; {amount(s.old)} → {amount(s.new)} ({skillnad_kronor(s.new - s.old, '±')})"
        out.append(line)
        out.extend(f"    {f}" for f in s.figures)
    counts = summary.counts()
    out.append("\nSammanfattning:")
    out.append(
        f"  {summary.changed} av {summary.checked} utfärdade dokument har ändrats sedan utfärdandet"
        + ("." if summary.changed else "; inget behöver skickas.")
    )
    if summary.total_old is not None and summary.total_new is not None and summary.total_old != summary.total_new:
        out.append(
            f"  Summan av utbetalningarna: {amount(summary.total_old)} → {amount(summary.total_new)}"
            f" ({skillnad_kronor(summary.total_new - summary.total_old, '±')})."
        )
    out.extend(
        "  " + line.strip()
        for line in recipients_text(summary.recipients, pots=summary.pots)
        if line.strip() and "--alla" not in line
    )
    if counts:
        out.append("  Att skicka: " + ", ".join(f"{n} × {what}" for what, n in sorted(counts.items())) + ".")
    return out


@main.command()
@click.argument("years", nargs=-1)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Porten att lyssna på.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adressen att lyssna på; 127.0.0.1 är bara den här datorn. En annan adress visar dokumenten för "
    "alla som når datorn.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Mappen som dokumenten byggs i och visas från.",
)
def serve(years: tuple[str, ...], port: int, host: str, out: Path) -> None:
    """Visa dokumenten i webbläsaren och bygg om när data ändras.

    Startar en webbserver på den här datorn (http://127.0.0.1:8000/):
    varje år och överenskommelse med sina fel och varningar (fil:rad och
    radens text) och sina dokument med läge (aktuellt, inaktuellt, utkast,
    utfärdat, ändrat sedan utfärdandet) och länkar till PDF, DOCX och HTML;
    varje dokument som webbsida och PDF sida vid sida; varje mottagares
    belopp med beräkning (som generator explain) och brev; och vad som
    ändrats (som generator check --issued och generator diff). Dokumenten
    byggs som DOCX, PDF och HTML i UT/. När en fil i agreements/, kommuner/,
    templates/ eller reference/ ändras byggs det om som ändrats, och öppna
    sidor uppdateras av sig själva. Servern bara visar: den ändrar inga data.
    ÅR väljer år (standard: alla). Ctrl-C avslutar.
    """
    from generator.build.guards import output_folder

    for year in years:
        if not (year.isdigit() and len(year) == 4):
            raise click.BadParameter(f"{year!r} är inget årtal (till exempel 2012)", param_hint="ÅR")
    _select(years)  # an unknown year is a usage error before the server starts
    from generator.serve.project import Project
    from generator.serve.run import serve as run_server

    _freeze_library()
    run_server(Project(years, output_folder(out)), host, port, echo=click.echo)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Mappen att skriva schemana i (standard: projektets schema/).",
)
def schema(out: Path | None) -> None:
    """Skriv JSON-schemana i schema/.

    Ett schema för varje sorts indatafil.
    Redigerare med YAML-språkservern läser det via första raden i varje fil
    i agreements/ (# yaml-language-server: $schema=…): de fyller i nycklar,
    visar varje nyckels beskrivning och markerar en felstavad nyckel.
    """
    from generator.reference_docs.json_schema import SCHEMA_FOLDER, write_schemas

    for path in write_schemas(out or SCHEMA_FOLDER):
        click.echo(str(path))


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Filen att skriva (standard: projektets docs/REFERENCE.md).",
)
def reference(out: Path | None) -> None:
    """Skriv docs/REFERENCE.md ur modellerna.

    Varje nyckel, fördelningsregel, namn och filter, med exempel.
    """
    from generator.reference_docs.reference_md import REFERENCE_FILE, write_reference

    click.echo(str(write_reference(out or REFERENCE_FILE)))


@main.command()
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option(
    "--from",
    "sources",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Filerna att utgå från (standard: föregående års överenskommelser och cirkulär).",
)
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="Var den nya filen skrivs, för en enda --from-fil (standard: dess sökväg med årtalet utbytt).",
)
def new(year: int, sources: tuple[Path, ...], target: Path | None) -> None:
    """Påbörja nästa års filer utifrån årets.

    Strukturen, texterna och fördelningsreglerna kopieras; varje belopp och
    datum lämnas tomt (null) för att fyllas i, och årtalet byts i id,
    rubriker och texter (varje ställe listas). En identifierare skrivs aldrig
    om med det nya året: diarienummer, besluts- och cirkulärnummer lämnas
    tomma, och ett propositionsnummer, diarienummer eller beslutsnummer i en
    text blir ett synligt tomrum ([propositionsnummer] ______________); en fil
    som heter efter ett cirkulärnummer får ett neutralt namn (cirkular_ny.yaml).
    Kör generator validate på de nya filerna: den listar varje värde som
    återstår att fylla i, med rad. En fil som redan finns skrivs aldrig över.
    """
    from generator.data.newyear import start_year

    files = list(sources) or list(_select((str(year - 1),)))
    if target is not None and len(files) != 1:
        raise click.UsageError("--to kräver exakt en --from-fil")
    started = start_year(files, year - 1, year, [target] if target else None)
    for s in started:
        click.echo(
            f"{s.target}: från {s.source}: {len(s.emptied)} belopp och datum att fylla i, "
            f"{len(s.blanked)} identifierare lämnade tomma, "
            f"årtalet {year - 1} ersatt med {year} på {s.years} ställen (läs igenom dem)"
        )
        if s.blanked:
            click.echo("  Lämnade tomma (ett nytt år har egna diarienummer och nummer; fyll i dem):")
            for line in s.blanked:
                click.echo(f"    {line}")
        if s.moved:
            click.echo(f"  Årtalet flyttat ({year - 1} → {year}):")
            for line in s.moved:
                click.echo(f"    {line}")
        if s.kept:
            click.echo(f"  Årtalet {year - 1} lämnat (inte bara överenskommelsens eget år; läs igenom):")
            for line in s.kept:
                click.echo(f"    {line}")
    click.echo(f"Nästa steg: fyll i värdena och kör generator validate {' '.join(str(s.target) for s in started)}")


#: How the arguments are named in --help and in click's messages.
_ARGUMENT_NAMES = {
    "paths": "[SÖKVÄG]...",
    "targets": "[MÅL]...",
    "target": "MÅL",
    "code": "KOD",
    "a": "A",
    "b": "B",
    "files": "[FIL]...",
    "year": "ÅR",
    "documents": "DOKUMENT...",
    "years": "[ÅR]...",
}


def _swedish_usage(group: click.Group) -> None:
    """Name the usage line's parts in Swedish: [ALTERNATIV], KOMMANDO, the arguments."""
    group.options_metavar = "[ALTERNATIV]"
    group.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
    for command in group.commands.values():
        command.options_metavar = "[ALTERNATIV]"
        for param in command.params:
            if isinstance(param, click.Argument) and param.metavar is None and param.name in _ARGUMENT_NAMES:
                param.metavar = _ARGUMENT_NAMES[param.name]


_swedish_usage(main)


def run() -> None:
    """Entry point that never lets a GeneratorError become a traceback."""
    # What the imports made lives as long as the process: kept out of the garbage collector's full passes,
    # which otherwise walk it again and again (about 0,15 s of a build)
    gc.freeze()
    try:
        main(standalone_mode=True)
    except GeneratorError as exc:
        _print_findings(exc)
        sys.exit(exc.exit_code)
    finally:
        # and what the command made (the library is imported when a command needs it, after the freeze above):
        # the process ends, and Python's last collections as it shuts down need not walk it (0,1 s after a build)
        gc.freeze()
