"""Benchmark: the figures of issue 14's targets, and per-document render times.

Run with `make bench` (or `.venv/bin/python bench/build.py`). Prints figures and, where a peer is
measured in the same run, the ratio; asserts nothing. Every process figure is the median of several
runs of a new process (wall and CPU seconds, peak memory of the largest process) — the machine may be
shared, so compare ratios from one run rather than absolute times from different runs.

- cold build of every shipped agreement without the per-municipality documents (`build --no-municipal`,
  issue 14's 3 s), those documents added to it (its 10 s), and the full build, interleaved; then each year
  alone. Peak memory is that of the largest process (the build's workers and Typst processes included).
- peak memory (the largest process) of `build --force --jobs 1`, and of a build of four times today's data (a
  temporary project whose agreements/ holds 2012 again as 2016, 2020 and 2024) with the default jobs and with
  `--jobs 1`, each against issue 22's 150 MiB.
- no-change rebuild against `generator --help` (the cost of starting Python and the CLI).
- one figure changed: a figure shown in one letter only (a municipality's coverage rate in the 2012 outcome
  file), and a date of 2012, changed in a copy of agreements/; which files were rewritten.
- per county letter: our DOCX against docxtpl rendering an equivalent template (the same letter's
  WordprocessingML, every text a placeholder: the same tables and paragraphs); against docxtpl rendering a
  template written as a docxtpl user writes one (made once here with python-docx: Jinja loops over the
  letter's items, municipalities and deadlines as `{%tr %}` table rows and `{%p %}` paragraphs, `{%p if %}`
  conditions); and our DOCX+PDF against docxtpl plus one LibreOffice batch conversion of all the letters.
  Needs the optional `bench` extra (pip install -e '.[bench]'; `make bench` installs it) and LibreOffice
  (soffice); without them our figures alone.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GENERATOR = [sys.executable, "-m", "generator"]


def process(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float, float, str]:
    """Run ``command``; return its wall seconds, CPU seconds, peak memory (MiB, largest process) and output."""
    # as a user runs it: Python keeps the compiled modules (a machine with PYTHONDONTWRITEBYTECODE set, as CI
    # images often have, compiles the package again in every process, about 0,2 s here)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**environment, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{output}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def medians(runs: list[tuple]) -> tuple[float, float, float]:
    return tuple(statistics.median(run[i] for run in runs) for i in range(3))


def target(value: float, limit: float, smaller: bool = True) -> str:
    met = value <= limit if smaller else value >= limit
    return f"[target {'≤' if smaller else '≥'} {limit:g}: {'met' if met else 'NOT met'}]"


def _files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")


def cold_builds(runs: int = 3) -> None:
    """Cold builds into empty folders, the two of issue 14's targets interleaved so that they share the load.

    Issue 14's 3 s are for every shipped agreement's documents (decisions, plan, county letters, county
    agreements, payout tables, circular): `generator build --no-municipal`, which leaves out the documents of
    the municipalities issue (one per municipality and county council, and the utlåtanden). Those are
    measured on their own: added to a folder that holds the rest (what `generator build` then renders), and
    as the whole build's difference.
    """
    with tempfile.TemporaryDirectory() as tmp:
        without, whole, added = [], [], []
        shipped = municipal = 0
        for index in range(runs):
            out = Path(f"{tmp}/without{index}")
            without.append(process(GENERATOR + ["build", "--no-municipal", "--out", str(out)]))
            shipped = _files(out)
            added.append(process(GENERATOR + ["build", "--out", str(out)]))
            municipal = _files(out) - shipped
            whole.append(process(GENERATOR + ["build", "--out", f"{tmp}/whole{index}"]))
        wall, cpu, rss = medians(without)
        print(
            f"cold build of every shipped agreement without the per-municipality documents (build --no-municipal, "
            f"{shipped} files; median of {runs}): {wall:.2f} s wall {target(wall, 3)}, {cpu:.2f} s CPU, "
            f"peak {rss:.0f} MiB {target(rss, 150)}"
        )
        wall_w, cpu_w, rss_w = medians(whole)
        files = _files(Path(f"{tmp}/whole0"))
        print(
            f"cold full build, agreements/ ({files} files; median of {runs}): {wall_w:.2f} s wall, {cpu_w:.2f} s CPU, "
            f"peak {rss_w:.0f} MiB {target(rss_w, 150)}"
        )
        wall_a, cpu_a, rss_a = medians(added)
        print(
            f"  the {municipal} files of the per-municipality documents added to that folder (then `generator build`): "
            f"{wall_a:.2f} s wall "
            f"{target(wall_a, 10)} (290 municipality letters ≤ 10 s), {cpu_a:.2f} s CPU, peak {rss_a:.0f} MiB; "
            f"the full build's difference: {wall_w - wall:.2f} s wall, {cpu_w - cpu:.2f} s CPU"
        )
        empty = []
        for index in range(runs):  # the per-user caches (parsed YAML, compiled prose and templates, ...) empty too
            caches = Path(f"{tmp}/caches{index}")
            (caches / "tmp").mkdir(parents=True)
            empty.append(
                process(
                    GENERATOR + ["build", "--no-municipal", "--out", f"{tmp}/empty{index}"],
                    env={"XDG_CACHE_HOME": str(caches), "TMPDIR": str(caches / "tmp")},
                )
            )
        wall_e, cpu_e, rss_e = medians(empty)
        print(
            f"cold build --no-municipal with empty per-user caches (a new user; median of {runs}): "
            f"{wall_e:.2f} s wall, "
            f"{cpu_e:.2f} s CPU, peak {rss_e:.0f} MiB"
        )
        years = sorted({p.name.split(".")[0] for p in (ROOT / "agreements").iterdir() if re.match(r"\d{4}", p.name)})
        for year in years:
            out = Path(f"{tmp}/year{year}")
            wall, cpu, rss, _ = process(GENERATOR + ["build", year, "--out", str(out)])
            print(f"  {year} alone ({_files(out)} files): {wall:.2f} s wall, {cpu:.2f} s CPU, peak {rss:.0f} MiB")


#: The years the 2012 agreement is copied as for a build of four times the data: leap years, so that every date
#: moved by whole years (29 February too) stays a date.
SCALED_YEARS = (2016, 2020, 2024)


def scaled_project(folder: Path) -> Path:
    """Return a project in ``folder`` with four times today's data: agreements/ as shipped, and 2012 (668 of the
    720 files) again as each of :data:`SCALED_YEARS`, every date moved by as many years; examples/ and kommuner/
    for the data files they name."""
    shutil.copytree(ROOT / "agreements", folder / "agreements")
    for name in ("examples", "kommuner"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name)
    text = (ROOT / "agreements" / "2012.yaml").read_text(encoding="utf-8")
    for year in SCALED_YEARS:
        shift = year - 2012
        moved = re.sub(
            r"\b(20\d\d)-(\d\d)-(\d\d)\b",
            lambda m, shift=shift: f"{int(m.group(1)) + shift}-{m.group(2)}-{m.group(3)}",
            text,
        )
        moved = moved.replace("id: aldre_2012\n", f"id: aldre_{year}\n").replace("year: 2012\n", f"year: {year}\n")
        (folder / "agreements" / f"{year}.yaml").write_text(moved, encoding="utf-8")
    return folder


def memory(runs: int = 3) -> None:
    """Peak memory (the largest process: the build, its workers and its Typst processes) of `build --force`
    in one process, and of a build of four times the data with the default jobs and in one process."""
    with tempfile.TemporaryDirectory() as tmp:
        one = [process(GENERATOR + ["build", "--force", "--jobs", "1", "--out", f"{tmp}/one"]) for _ in range(runs)]
        wall, cpu, rss = medians(one)
        print(
            f"peak memory, build --force --jobs 1 ({_files(Path(tmp) / 'one')} files; median of {runs}): "
            f"{rss:.0f} MiB {target(rss, 150)}; {wall:.2f} s wall, {cpu:.2f} s CPU"
        )
        work = scaled_project(Path(tmp) / "scaled")
        process(GENERATOR + ["validate"], cwd=work)  # the per-user caches: the copies validated once
        for label, jobs in (("default jobs", []), ("--jobs 1", ["--jobs", "1"])):
            wall, cpu, rss, _ = process(GENERATOR + ["build", "--force", *jobs, "--out", "out"], cwd=work)
            print(
                f"peak memory, four times the data (2012 again as {', '.join(map(str, SCALED_YEARS))}; "
                f"{_files(work / 'out')} files), build --force, {label}: {rss:.0f} MiB {target(rss, 150)}; "
                f"{wall:.2f} s wall, {cpu:.2f} s CPU"
            )


def rebuilds(runs: int = 5) -> None:
    """The no-change rebuild against `generator --help`, and a rebuild after one figure changed."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "agreements", work / "agreements")
        shutil.copytree(ROOT / "examples", work / "examples")
        if (ROOT / "kommuner").is_dir():
            shutil.copytree(ROOT / "kommuner", work / "kommuner")
        command = GENERATOR + ["build", "--out", "output"]
        process(command, cwd=work)
        # the first rebuild after a build that wrote files validates and finds nothing to do, and saves that state;
        # the next ones are answered from it (generator/unchanged.py)
        first = process(command, cwd=work)
        print(
            f"first no-change rebuild after a build (validates everything, saves the no-change state): "
            f"{first[0]:.2f} s wall, {first[1]:.2f} s CPU"
        )
        # a file's signature is trusted only once it is a second old (an edit within the same clock tick could keep
        # it, as git's index knows): the files the build just wrote are hashed again until then, as a user's
        # rebuild a moment later would not see
        time.sleep(1.0)
        # processes of a tenth of a second: more pairs than elsewhere, or the machine's noise decides the ratio
        pairs = [(process(command, cwd=work), process(GENERATOR + ["--help"], cwd=work)) for _ in range(3 * runs)]
        ratio = statistics.median(a[0] / b[0] for a, b in pairs)
        unchanged = statistics.median(a[0] for a, _ in pairs)
        help_s = statistics.median(b[0] for _, b in pairs)
        print(
            f"no-change rebuild {unchanged:.2f} s; generator --help {help_s:.2f} s; "
            f"ratio {ratio:.2f} (median of {len(pairs)} pairs) {target(ratio, 1.5)}"
        )
        one_letter(work, command, runs)
        file = work / "agreements" / "2012.yaml"
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("slutredovisning: 2013-03-01", "slutredovisning: 2013-03-15", 1), encoding="utf-8")
        wall, cpu, _, output = process(command, cwd=work)
        written = len(re.findall(r"^\s+skriven\s", output, re.M))
        same = len(re.findall(r"^\s+oförändrad\s", output, re.M))
        kept = re.search(r"(\d+) med ändrade indata men samma innehåll", output)
        print(
            f"one date of 2012 changed: {wall:.2f} s wall, {cpu:.2f} s CPU; {written} files rewritten, "
            f"{same} rendered again but unchanged, {kept.group(1) if kept else 0} with changed inputs left "
            "untouched (same content)"
        )


def one_letter(work: Path, command: list[str], runs: int) -> None:
    """A figure shown in one letter only: one municipality's coverage rate in the outcome file of 2012.

    Upplands Väsby (0114) did not qualify for the palliative registry's coverage pot; its letter says so with
    its rate ("täckningsgrad 58,9 procent"). No other document shows the rate (its county letter names the
    outcome only of members that receive nothing; the payout tables show amounts and keys), and the rate
    stays under the threshold, so no amount moves. Every document computed from the outcome file has a
    changed input: 662 of them must be decided unchanged, one letter (DOCX and PDF) rewritten.
    """
    file = work / "examples" / "utfall_2012_EXEMPEL.csv"
    original = file.read_text(encoding="utf-8")
    results = []
    for index in range(runs):
        rate = f"{59 + index},{index % 10}"  # a new rate each run, under the threshold
        file.write_text(
            original.replace("palliativ_tackning;0114;nej;;58,9", f"palliativ_tackning;0114;nej;;{rate}", 1),
            encoding="utf-8",
        )
        results.append(process(command, cwd=work))
    wall, cpu, _ = medians(results)
    output = results[-1][3]
    written = len(re.findall(r"^\s+skriven\s", output, re.M))
    same = re.search(r"(\d+) med ändrade indata men samma innehåll", output)
    print(
        f"one letter's figure changed (0114's coverage rate in the 2012 outcome file; median of {runs}): "
        f"{wall:.2f} s wall {target(wall, 1)}, {cpu:.2f} s CPU; {written} files rewritten, "
        f"{same.group(1) if same else 0} with changed inputs left untouched (same content)"
    )
    file.write_text(original, encoding="utf-8")
    process(command, cwd=work)


def _template_from(docx: bytes, path: Path) -> int:
    """Write a docxtpl template with our letter's package, every text a placeholder; return the placeholders."""
    count = 0

    def placeholder(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<w:t xml:space="preserve">{{{{ t[{count - 1}] }}}}</w:t>'

    source = zipfile.ZipFile(io.BytesIO(docx))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target_zip:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = re.sub(r"<w:t(?: [^>]*)?>[^<]*</w:t>", placeholder, content.decode("utf-8")).encode("utf-8")
            target_zip.writestr(item, content)
    return count


def _texts(docx: bytes) -> list[str]:
    from xml.sax.saxutils import unescape

    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    return [unescape(t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)]


def _user_template(path: Path) -> dict[str, int]:
    """Write a county letter's template as a docxtpl user writes it, once, with python-docx: a few placeholders
    in its text, Jinja loops over the letter's items, municipalities and deadlines as table rows (``{%tr %}``)
    and paragraphs (``{%p %}``), conditions (``{%p if %}``) around what only some letters have. Return what it
    holds (rows and paragraphs that repeat, conditions, placeholders)."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Docx()
    counts = {"loops": 0, "conditions": 0, "placeholders": 0}

    def paragraph(text: str, style: str | None = None) -> None:
        doc.add_paragraph(text, style=style)
        counts["placeholders"] += text.count("{{")

    def table(header: list[str], loop: str, cells: list[str], total: list[str] | None = None) -> None:
        rows = [
            header,
            [f"{{%tr for {loop} %}}"] + [""] * (len(header) - 1),
            cells,
            ["{%tr endfor %}"] + [""] * (len(header) - 1),
        ] + ([total] if total else [])
        grid = doc.add_table(rows=len(rows), cols=len(header))
        grid.style = "Table Grid"
        for row, texts in zip(grid.rows, rows):
            for index, (cell, text) in enumerate(zip(row.cells, texts)):
                cell.text = text
                if index == len(header) - 1 and row is not grid.rows[0]:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT  # the amounts
        counts["loops"] += 1
        counts["placeholders"] += sum(text.count("{{") for text in cells + (total or []))

    paragraph("{{ sender }}")
    paragraph("Dnr {{ dnr }}")
    doc.add_heading("{{ title }}", level=1)
    paragraph("Till {{ county }} ({{ code }}), {{ council }} och länets kommuner")
    paragraph(
        "Enligt överenskommelsen {{ agreement }} får länet, dess landsting och kommuner sammanlagt "
        "{{ total }} kronor. Beloppen per post:"
    )
    table(
        ["Post", "Betalas av", "Belopp, kronor"],
        "item in items",
        ["{{ item.label }}", "{{ item.payer }}", "{{ item.amount }}"],
        ["Summa", "", "{{ total }}"],
    )
    doc.add_heading("Så har beloppen räknats fram", level=2)
    paragraph("{%p for item in items %}")
    paragraph("{{ item.label }}: {{ item.rule }}", style="List Bullet")
    paragraph("{%p if item.notes %}")
    paragraph("{{ item.notes }}")
    paragraph("{%p endif %}")
    paragraph("{%p endfor %}")
    counts["loops"] += 1
    counts["conditions"] += 1
    doc.add_heading("Per kommun", level=2)
    table(["Kommun", "Kod", "Belopp, kronor"], "m in municipalities", ["{{ m.name }}", "{{ m.code }}", "{{ m.total }}"])
    paragraph("{%p if joint %}")
    paragraph("Till länet gemensamt, {{ joint_total }} kronor:")
    paragraph("{%p endif %}")
    counts["conditions"] += 1
    table(["Post", "Belopp, kronor"], "j in joint", ["{{ j.label }}", "{{ j.amount }}"])
    paragraph("{%p if missed %}")
    paragraph("Ingen i länet uppfyllde kraven för {{ missed }}; de medlen fördelas inte hit.")
    paragraph("{%p endif %}")
    counts["conditions"] += 1
    paragraph("{%p if body %}")
    paragraph("{{ body }} tar emot både kommunens och landstingets belopp.")
    paragraph("{%p endif %}")
    counts["conditions"] += 1
    doc.add_heading("Att göra och när", level=2)
    table(["Datum", "Vad", "Post"], "d in deadlines", ["{{ d.date }}", "{{ d.kind }}", "{{ d.item }}"])
    paragraph("Med vänlig hälsning")
    paragraph("{{ signer }}")
    doc.save(path)
    return counts


def _user_context(agreement, job) -> dict:
    """Return what a docxtpl user gives the template of :func:`_user_template` for one county letter."""
    from generator.formatting import belopp

    letter = job.extra["letter"]
    items = [
        {
            "label": item.label,
            "payer": item.payer,
            "amount": belopp(item.amount),
            "rule": item.rule,
            "notes": " ".join(item.notes),
        }
        for item in letter.items
    ]
    return {
        "sender": "Sveriges Kommuner och Landsting",
        "dnr": "12/3456",
        "title": job.title,
        "county": letter.county.name,
        "code": letter.county.code,
        "council": letter.council.name,
        "agreement": agreement.title,
        "total": belopp(sum(item.amount for item in letter.items)),
        "items": items,
        "municipalities": [{"name": m.name, "code": m.code, "total": belopp(m.total)} for m in letter.municipalities],
        "joint": [{"label": label, "amount": belopp(amount)} for _, label, amount in letter.joint.amounts],
        "joint_total": belopp(letter.joint.total),
        "missed": ", ".join(item.label for item in letter.missed),
        "body": letter.body.name if letter.body is not None else "",
        "deadlines": [
            {"date": d.date.isoformat(), "kind": d.kind, "item": item.label}
            for item in letter.items
            for d in item.deadlines
        ],
        "signer": "Avdelningen för vård och omsorg",
    }


def user_template(jobs: list, model: float, docx_s: float, folder: Path) -> None:
    """docxtpl with a county letter's template written as its users write one (:func:`_user_template`)."""
    from docxtpl import DocxTemplate

    template = folder / "lansbrev_anvandarmall.docx"
    counts = _user_template(template)
    contexts = [_user_context(agreement, job) for agreement, job in jobs]
    times, sizes = [], []
    for context in contexts:
        started = time.perf_counter()
        tpl = DocxTemplate(template)
        tpl.render(context, autoescape=True)
        buffer = io.BytesIO()
        tpl.save(buffer)
        times.append(time.perf_counter() - started)
        sizes.append(len(_texts(buffer.getvalue())))
    peer = statistics.median(times)
    print(
        f"  docxtpl, the letter's template as a docxtpl user writes it ({counts['loops']} loops as table rows and "
        f"paragraphs, {counts['conditions']} conditions, {counts['placeholders']} placeholders; "
        f"{statistics.median(sizes):.0f} texts per letter rendered): {peer * 1000:.1f} ms per letter; "
        f"ours/docxtpl: DOCX {docx_s / peer:.2f} {target(docx_s / peer, 1)}, template + DOCX "
        f"{(model + docx_s) / peer:.2f}"
    )


def letters(documents: list, ours: dict[str, list[float]], jobs: list) -> None:
    """Per county letter: ours against docxtpl (the same letter as a template, and a template as its users write
    one), and DOCX+PDF against docxtpl + one LibreOffice batch."""
    n = len(documents)
    model = statistics.median(ours["model"])
    docx_s = statistics.median(ours["docx"])
    pdf_s = statistics.median(ours["typst"])
    print(
        f"per county letter ({n} letters, medians): document model {model * 1000:.1f} ms, DOCX {docx_s * 1000:.1f} ms, "
        f"PDF (Typst) {pdf_s * 1000:.1f} ms; DOCX+PDF {(model + docx_s + pdf_s) * 1000:.1f} ms"
    )
    try:
        from docxtpl import DocxTemplate
    except ImportError:
        print("  docxtpl is not installed (pip install -e '.[bench]'): no comparison")
        return
    from generator.writers.docx import render_docx

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "lansbrev_mall.docx"
        first = render_docx(documents[0])
        slots = _template_from(first, template)
        contexts = []
        for document in documents:
            texts = _texts(render_docx(document))
            contexts.append({"t": (texts + [""] * slots)[:slots]})
        times = []
        outputs = folder / "docxtpl"
        outputs.mkdir()
        for index, context in enumerate(contexts):
            started = time.perf_counter()
            tpl = DocxTemplate(template)
            tpl.render(context, autoescape=True)
            buffer = io.BytesIO()
            tpl.save(buffer)
            times.append(time.perf_counter() - started)
            (outputs / f"brev_{index:02d}.docx").write_bytes(buffer.getvalue())
        peer = statistics.median(times)
        print(
            f"  docxtpl, the same letter as a template ({slots} placeholders): {peer * 1000:.1f} ms per letter; "
            f"ours/docxtpl {docx_s / peer:.2f} {target(docx_s / peer, 1)}"
        )
        user_template(jobs, model, docx_s, folder)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            print("  LibreOffice (soffice) not found: no DOCX+PDF comparison")
            return
        profile = f"-env:UserInstallation=file://{folder / 'lo-profile'}"
        convert = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder / "pdf")]
        subprocess.run(convert + [str(outputs / "brev_00.docx")], check=True, capture_output=True)  # the profile
        started = time.perf_counter()
        subprocess.run(convert + sorted(map(str, outputs.glob("*.docx"))), check=True, capture_output=True)
        batch = time.perf_counter() - started
        theirs = peer + batch / n
        mine = model + docx_s + pdf_s
        print(
            f"  docxtpl + one LibreOffice batch conversion of the {n} letters ({batch:.2f} s): "
            f"{theirs * 1000:.0f} ms per letter; theirs/ours {theirs / mine:.1f}× {target(theirs / mine, 5, False)}"
        )


def pdf_engines(letter_times: dict[str, list[float]], plans: list[dict[str, float]]) -> None:
    """Issue 13's goal: Typst against reportlab, per county letter and for the plan (each its first render)."""
    if letter_times["typst"]:
        typst_s, reportlab_s = statistics.median(letter_times["typst"]), statistics.median(letter_times["reportlab"])
        ratio = statistics.median(r / t for t, r in zip(letter_times["typst"], letter_times["reportlab"]))
        print(
            f"PDF engines per county letter ({len(letter_times['typst'])} letters, medians of each letter's first "
            f"render): Typst {typst_s * 1000:.1f} ms, reportlab {reportlab_s * 1000:.1f} ms; reportlab/Typst "
            f"{ratio:.2f}× (median of the letters' ratios) {target(ratio, 5, False)}"
        )
    for med in plans:
        ratio = med["reportlab"] / med["typst"]
        print(
            f"PDF engines, genomförandeplan (first render): Typst {med['typst'] * 1000:.1f} ms, reportlab "
            f"{med['reportlab'] * 1000:.1f} ms; reportlab/Typst {ratio:.2f}× {target(ratio, 5, False)}"
        )


def documents() -> None:
    """Per document, in this process: the template, DOCX and both PDF engines (PDF: the first render)."""
    from generator.app import load_agreement
    from generator.build.formats import PDF_ENGINES, render_docx
    from generator.build.plan import COUNCIL_FOLDER, LETTERS_FOLDER, MUNICIPALITY_FOLDER, plan
    from generator.build.render import render_job
    from generator.data.circulars import is_circular
    from generator.data.validate import discover
    from generator.money.distribute import allocate
    from generator.writers.payout_tables import payouts_csv, payouts_xlsx

    writers = {"docx": render_docx, **PDF_ENGINES}
    files = discover([ROOT / "agreements"])
    started = time.perf_counter()
    validated = [load_agreement(f) for f in files if not is_circular(f)]
    print(
        f"validate {len(validated)} agreement files (with their key and outcome data): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    rows = []
    letter_docs = []
    letter_jobs = []  # (agreement, job) of each county letter
    letter_times: dict[str, list[float]] = {"model": [], **{fmt: [] for fmt in writers}}
    many: dict[str, list[float]] = {}  # municipality and county council letters: once each, Typst only
    for result in validated:
        agreement = result.agreement
        if result.allocation is not None:
            t0 = time.perf_counter()
            allocation = allocate(agreement, result.file, result.source)
            allocate_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            payouts_csv(allocation)
            csv_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            payouts_xlsx(allocation)
            xlsx_s = time.perf_counter() - t0
            print(
                f"{agreement.year}: allocate {len(allocation.lines)} payout lines of {len(allocation.items)} items "
                f"{allocate_s * 1000:.0f} ms; utbetalningar.csv {csv_s * 1000:.0f} ms, .xlsx {xlsx_s * 1000:.0f} ms"
            )
        for job in plan(agreement, result.allocation, municipal=result.municipal):
            folder = job.name.split("/")[0]
            if folder in (MUNICIPALITY_FOLDER, COUNCIL_FOLDER):
                t0 = time.perf_counter()
                document = render_job(agreement, job)
                render_docx(document)
                PDF_ENGINES["typst"](document)
                many.setdefault(folder, []).append(time.perf_counter() - t0)
                continue
            times = {"model": [], **{fmt: [] for fmt in writers}}
            for _ in range(3):
                t0 = time.perf_counter()
                document = render_job(agreement, job)
                times["model"].append(time.perf_counter() - t0)
                for fmt, writer in writers.items():
                    t0 = time.perf_counter()
                    writer(document)
                    times[fmt].append(time.perf_counter() - t0)
            med = {k: statistics.median(v) for k, v in times.items()}
            # Typst caches what it compiled: a repeat of the same source is nearly free. A build compiles
            # each document once, so both PDF engines are timed by their first render of it.
            med.update({engine: times[engine][0] for engine in PDF_ENGINES})
            if job.name.startswith(LETTERS_FOLDER + "/"):
                letter_docs.append(document)
                letter_jobs.append((agreement, job))
                for key, value in med.items():
                    letter_times[key].append(value)
                continue
            rows.append((f"{agreement.year}/{job.name}", med))
    print(f"{'document':56} {'template':>9} {'docx':>8} {'pdf typst':>10} {'pdf reportlab':>14}")
    for name, med in rows:
        print(
            f"{name[:56]:56} {med['model'] * 1000:7.1f}ms {med['docx'] * 1000:6.1f}ms {med['typst'] * 1000:8.1f}ms "
            f"{med['reportlab'] * 1000:12.1f}ms"
        )
    for folder, seconds in many.items():
        total = sum(seconds)
        print(
            f"{folder}: {len(seconds)} documents, template + DOCX + PDF (Typst) {total:.2f} s in one process, "
            f"{total / len(seconds) * 1000:.0f} ms each (CPU of one processor; the 10 s target is the build's, above)"
        )
    pdf_engines(letter_times, [med for name, med in rows if name.endswith("/genomforandeplan")])
    if letter_docs:
        letters(letter_docs, letter_times, letter_jobs)


def main() -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} processors, load average {load:.1f} (figures vary with the load of a shared machine)")
    cold_builds()
    memory()
    rebuilds()
    documents()


if __name__ == "__main__":
    main()
