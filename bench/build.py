"""Benchmark: the figures of issue 14's targets, and per-document render times.

Run with `make bench` (or `.venv/bin/python bench/build.py`). Prints figures and, where a peer is
measured in the same run, the ratio; asserts nothing. Every process figure is the median of several
runs of a new process (wall and CPU seconds, peak memory of the largest process) — the machine may be
shared, so compare ratios from one run rather than absolute times from different runs.

- cold build of every shipped agreement without the per-municipality documents (`build --no-municipal`,
  issue 14's 3 s), those documents added to it (its 10 s), and the full build, interleaved; then each year
  alone. Peak memory is that of the largest process (the build's workers and Typst processes included).
- no-change rebuild against `generator --help` (the cost of starting Python and the CLI).
- one figure changed: a figure shown in one letter only (a municipality's coverage rate in the 2012 outcome
  file), and a date of 2012, changed in a copy of agreements/; which files were rewritten.
- per county letter: our DOCX against docxtpl rendering an equivalent template (the same letter's
  WordprocessingML, every text a placeholder: the same tables and paragraphs), and our DOCX+PDF
  against docxtpl plus one LibreOffice batch conversion of all the letters. Needs the optional
  `bench` extra (pip install -e '.[bench]') and LibreOffice (soffice); without them our figures alone.
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
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             env={**environment, "PYTHONPATH": str(ROOT), **(env or {})})
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
        print(f"cold build of every shipped agreement without the per-municipality documents (build --no-municipal, "
              f"{shipped} files; median of {runs}): {wall:.2f} s wall {target(wall, 3)}, {cpu:.2f} s CPU, "
              f"peak {rss:.0f} MiB {target(rss, 150)}")
        wall_w, cpu_w, rss_w = medians(whole)
        files = _files(Path(f"{tmp}/whole0"))
        print(f"cold full build, agreements/ ({files} files; median of {runs}): {wall_w:.2f} s wall, {cpu_w:.2f} s CPU, "
              f"peak {rss_w:.0f} MiB {target(rss_w, 150)}")
        wall_a, cpu_a, rss_a = medians(added)
        print(f"  the {municipal} files of the per-municipality documents added to that folder (then `generator build`): "
              f"{wall_a:.2f} s wall "
              f"{target(wall_a, 10)} (290 municipality letters ≤ 10 s), {cpu_a:.2f} s CPU, peak {rss_a:.0f} MiB; "
              f"the full build's difference: {wall_w - wall:.2f} s wall, {cpu_w - cpu:.2f} s CPU")
        empty = []
        for index in range(runs):  # the per-user caches (parsed YAML, compiled prose and templates, ...) empty too
            caches = Path(f"{tmp}/caches{index}")
            (caches / "tmp").mkdir(parents=True)
            empty.append(process(GENERATOR + ["build", "--no-municipal", "--out", f"{tmp}/empty{index}"],
                                 env={"XDG_CACHE_HOME": str(caches), "TMPDIR": str(caches / "tmp")}))
        wall_e, cpu_e, rss_e = medians(empty)
        print(f"cold build --no-municipal with empty per-user caches (a new user; median of {runs}): {wall_e:.2f} s wall, "
              f"{cpu_e:.2f} s CPU, peak {rss_e:.0f} MiB")
        years = sorted({p.name.split(".")[0] for p in (ROOT / "agreements").iterdir() if re.match(r"\d{4}", p.name)})
        for year in years:
            out = Path(f"{tmp}/year{year}")
            wall, cpu, rss, _ = process(GENERATOR + ["build", year, "--out", str(out)])
            print(f"  {year} alone ({_files(out)} files): {wall:.2f} s wall, {cpu:.2f} s CPU, peak {rss:.0f} MiB")


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
        print(f"first no-change rebuild after a build (validates everything, saves the no-change state): "
              f"{first[0]:.2f} s wall, {first[1]:.2f} s CPU")
        # a file's signature is trusted only once it is a second old (an edit within the same clock tick could keep
        # it, as git's index knows): the files the build just wrote are hashed again until then, as a user's
        # rebuild a moment later would not see
        time.sleep(1.0)
        # processes of a tenth of a second: more pairs than elsewhere, or the machine's noise decides the ratio
        pairs = [(process(command, cwd=work), process(GENERATOR + ["--help"], cwd=work)) for _ in range(3 * runs)]
        ratio = statistics.median(a[0] / b[0] for a, b in pairs)
        unchanged = statistics.median(a[0] for a, _ in pairs)
        help_s = statistics.median(b[0] for _, b in pairs)
        print(f"no-change rebuild {unchanged:.2f} s; generator --help {help_s:.2f} s; "
              f"ratio {ratio:.2f} (median of {len(pairs)} pairs) {target(ratio, 1.5)}")
        one_letter(work, command, runs)
        file = work / "agreements" / "2012.yaml"
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("slutredovisning: 2013-03-01", "slutredovisning: 2013-03-15", 1), encoding="utf-8")
        wall, cpu, _, output = process(command, cwd=work)
        written = len(re.findall(r"^\s+skriven\s", output, re.M))
        same = len(re.findall(r"^\s+oförändrad\s", output, re.M))
        kept = re.search(r"(\d+) med ändrade indata men samma innehåll", output)
        print(f"one date of 2012 changed: {wall:.2f} s wall, {cpu:.2f} s CPU; {written} files rewritten, "
              f"{same} rendered again but unchanged, {kept.group(1) if kept else 0} with changed inputs left "
              "untouched (same content)")


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
        file.write_text(original.replace("palliativ_tackning;0114;nej;;58,9", f"palliativ_tackning;0114;nej;;{rate}", 1),
                        encoding="utf-8")
        results.append(process(command, cwd=work))
    wall, cpu, _ = medians(results)
    output = results[-1][3]
    written = len(re.findall(r"^\s+skriven\s", output, re.M))
    same = re.search(r"(\d+) med ändrade indata men samma innehåll", output)
    print(f"one letter's figure changed (0114's coverage rate in the 2012 outcome file; median of {runs}): "
          f"{wall:.2f} s wall {target(wall, 1)}, {cpu:.2f} s CPU; {written} files rewritten, "
          f"{same.group(1) if same else 0} with changed inputs left untouched (same content)")
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


def letters(documents: list, ours: dict[str, list[float]]) -> None:
    """Per county letter: ours against docxtpl, and DOCX+PDF against docxtpl + one LibreOffice batch."""
    n = len(documents)
    model = statistics.median(ours["model"])
    docx_s = statistics.median(ours["docx"])
    pdf_s = statistics.median(ours["typst"])
    print(f"per county letter ({n} letters, medians): document model {model * 1000:.1f} ms, DOCX {docx_s * 1000:.1f} ms, "
          f"PDF (Typst) {pdf_s * 1000:.1f} ms; DOCX+PDF {(model + docx_s + pdf_s) * 1000:.1f} ms")
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
        print(f"  docxtpl, the same letter as a template ({slots} placeholders): {peer * 1000:.1f} ms per letter; "
              f"ours/docxtpl {docx_s / peer:.2f} {target(docx_s / peer, 1)}")
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
        print(f"  docxtpl + one LibreOffice batch conversion of the {n} letters ({batch:.2f} s): "
              f"{theirs * 1000:.0f} ms per letter; theirs/ours {theirs / mine:.1f}× {target(theirs / mine, 5, False)}")


def pdf_engines(letter_times: dict[str, list[float]], plans: list[dict[str, float]]) -> None:
    """Issue 13's goal: Typst against reportlab, per county letter and for the plan (each its first render)."""
    if letter_times["typst"]:
        typst_s, reportlab_s = statistics.median(letter_times["typst"]), statistics.median(letter_times["reportlab"])
        ratio = statistics.median(r / t for t, r in zip(letter_times["typst"], letter_times["reportlab"]))
        print(f"PDF engines per county letter ({len(letter_times['typst'])} letters, medians of each letter's first "
              f"render): Typst {typst_s * 1000:.1f} ms, reportlab {reportlab_s * 1000:.1f} ms; reportlab/Typst "
              f"{ratio:.2f}× (median of the letters' ratios) {target(ratio, 5, False)}")
    for med in plans:
        ratio = med["reportlab"] / med["typst"]
        print(f"PDF engines, genomförandeplan (first render): Typst {med['typst'] * 1000:.1f} ms, reportlab "
              f"{med['reportlab'] * 1000:.1f} ms; reportlab/Typst {ratio:.2f}× {target(ratio, 5, False)}")


def documents() -> None:
    """Per document, in this process: the template, DOCX and both PDF engines (PDF: the first render)."""
    from generator.build.plan import COUNCIL_FOLDER, LETTERS_FOLDER, MUNICIPALITY_FOLDER, plan
    from generator.build.formats import PDF_ENGINES
                                 render_docx, render_job)
    from generator.data.circulars import is_circular
    from generator.money.distribute import allocate
    from generator.writers.payout_tables import payouts_csv, payouts_xlsx
    from generator.data.validate import discover, load_agreement

    writers = {"docx": render_docx, **PDF_ENGINES}
    files = discover([ROOT / "agreements"])
    started = time.perf_counter()
    validated = [load_agreement(f) for f in files if not is_circular(f)]
    print(f"validate {len(validated)} agreement files (with their key and outcome data): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    rows = []
    letter_docs = []
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
            print(f"{agreement.year}: allocate {len(allocation.lines)} payout lines of {len(allocation.items)} items "
                  f"{allocate_s * 1000:.0f} ms; utbetalningar.csv {csv_s * 1000:.0f} ms, .xlsx {xlsx_s * 1000:.0f} ms")
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
                for key, value in med.items():
                    letter_times[key].append(value)
                continue
            rows.append((f"{agreement.year}/{job.name}", med))
    print(f"{'document':56} {'template':>9} {'docx':>8} {'pdf typst':>10} {'pdf reportlab':>14}")
    for name, med in rows:
        print(f"{name[:56]:56} {med['model'] * 1000:7.1f}ms {med['docx'] * 1000:6.1f}ms {med['typst'] * 1000:8.1f}ms "
              f"{med['reportlab'] * 1000:12.1f}ms")
    for folder, seconds in many.items():
        total = sum(seconds)
        print(f"{folder}: {len(seconds)} documents, template + DOCX + PDF (Typst) {total:.2f} s in one process, "
              f"{total / len(seconds) * 1000:.0f} ms each (CPU of one processor; the 10 s target is the build's, above)")
    pdf_engines(letter_times, [med for name, med in rows if name.endswith("/genomforandeplan")])
    if letter_docs:
        letters(letter_docs, letter_times)


def main() -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} processors, load average {load:.1f} (figures vary with the load of a shared machine)")
    cold_builds()
    rebuilds()
    documents()


if __name__ == "__main__":
    main()
