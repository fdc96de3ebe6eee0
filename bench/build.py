"""Benchmark: a cold and a warm full build, and per-document render times.

Run with `make bench` (or `.venv/bin/python bench/build.py`). Prints figures;
asserts nothing. "Cold" is a fresh Python process importing everything and
building every agreement into an empty folder; "warm" repeats the build in
the same process.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cold_build(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def incremental() -> None:
    """Time a full build, a no-change rebuild and a one-figure rebuild of a copy of agreements/ (new processes)."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "agreements", work / "agreements")
        shutil.copytree(ROOT / "examples", work / "examples")
        shutil.copytree(ROOT / "kommuner", work / "kommuner")

        def timed() -> float:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "build", "--out", "output"], cwd=work, check=True,
                           stdout=subprocess.DEVNULL, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
            return time.perf_counter() - started

        full = timed()
        unchanged = timed()
        file = work / "agreements" / "2012.yaml"
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("slutredovisning: 2013-03-01", "slutredovisning: 2013-03-15", 1), encoding="utf-8")
        one = timed()
    print(f"incremental (new processes): full build {full:.2f} s; no-change rebuild {unchanged:.2f} s "
          f"({unchanged / full:.0%} of full); one date of 2012 changed {one:.2f} s ({one / full:.0%} of full, "
          f"every 2012 document re-rendered, 2010, 2011 and 2014 skipped)")


def main() -> None:
    from generator.build import COUNCIL_FOLDER, LETTERS_FOLDER, MUNICIPALITY_FOLDER, PDF_ENGINES, plan, render_job
    from generator.writers.docx import render_docx

    # both PDF engines side by side: typst (the default) and reportlab
    WRITERS = {"docx": render_docx, **PDF_ENGINES}
    from generator.distribute import allocate
    from generator.payouts import payouts_csv, payouts_xlsx
    from generator.validate import discover, load_agreement

    with tempfile.TemporaryDirectory() as tmp:
        cold = cold_build(Path(tmp) / "cold")
    print(f"cold full build (new process, empty output): {cold:.2f} s")
    incremental()

    files = discover([ROOT / "agreements"])
    started = time.perf_counter()
    from generator.circulars import is_circular

    validated = [load_agreement(f) for f in files if not is_circular(f)]
    validate_s = time.perf_counter() - started
    print(f"validate {len(validated)} agreement files (with their key and outcome data): {validate_s * 1000:.0f} ms")

    rows = []
    warm_total = 0.0
    letters: dict[tuple[int, str], dict[str, float]] = {}
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
            warm_total += allocate_s + csv_s + xlsx_s
            print(f"{agreement.year}: allocate {len(allocation.lines)} payout lines of {len(allocation.items)} items "
                  f"{allocate_s * 1000:.0f} ms; utbetalningar.csv {csv_s * 1000:.0f} ms, .xlsx {xlsx_s * 1000:.0f} ms")
        for job in plan(agreement, result.allocation, municipal=result.municipal):
            folder = job.name.split("/")[0] if "/" in job.name else None
            many = folder in (MUNICIPALITY_FOLDER, COUNCIL_FOLDER)  # 310 documents: once each, not 3 times
            times = {"model": [], **{fmt: [] for fmt in WRITERS}}
            for _ in range(1 if many else 3):
                t0 = time.perf_counter()
                document = render_job(agreement, job)
                times["model"].append(time.perf_counter() - t0)
                for fmt, writer in WRITERS.items():
                    if many and fmt == "reportlab":  # the default engine only, for the 310 letters
                        continue
                    t0 = time.perf_counter()
                    writer(document)
                    times[fmt].append(time.perf_counter() - t0)
            med = {k: statistics.median(v) if v else 0.0 for k, v in times.items()}
            # Typst caches what it compiled: a repeat of the same source is nearly free. A build compiles
            # each document once, so both PDF engines are timed by their first render of it.
            med.update({engine: times[engine][0] for engine in PDF_ENGINES if times[engine]})
            warm_total += med["model"] + med["docx"] + med["typst"]  # a build uses one PDF engine
            if folder in (LETTERS_FOLDER, MUNICIPALITY_FOLDER, COUNCIL_FOLDER):
                total = letters.setdefault((agreement.year, folder), {"count": 0, "model": 0.0, **{fmt: 0.0 for fmt in WRITERS}})
                total["count"] += 1
                for key, value in med.items():
                    total[key] += value
                continue
            rows.append((f"{agreement.year}/{job.name}", med))
    print(f"warm full build (same process, median of 3 per document, the 310 municipality and county council letters "
          f"once each; PDF: the first render): {warm_total:.2f} s")
    print(f"{'document':48} {'template':>9} {'docx':>8} {'pdf typst':>10} {'pdf reportlab':>14} {'reportlab/typst':>16}")
    for name, med in rows:
        print(f"{name:48} {med['model'] * 1000:7.0f}ms {med['docx'] * 1000:6.0f}ms {med['typst'] * 1000:8.0f}ms "
              f"{med['reportlab'] * 1000:12.0f}ms {med['reportlab'] / med['typst']:15.1f}×")
    kinds = {LETTERS_FOLDER: "county letters", MUNICIPALITY_FOLDER: "municipality letters",
             COUNCIL_FOLDER: "county council letters"}
    for (year, folder), total in letters.items():
        n = total["count"]
        name = f"{year}/{folder} ({n:.0f} {kinds[folder]})"
        reportlab = (f"{total['reportlab'] * 1000:12.0f}ms {total['reportlab'] / total['typst']:15.1f}×" if total["reportlab"]
                     else f"{'(not timed)':>14}")
        print(f"{name:48} {total['model'] * 1000:7.0f}ms {total['docx'] * 1000:6.0f}ms {total['typst'] * 1000:8.0f}ms "
              f"{reportlab}  = {total['model'] + total['docx'] + total['typst']:.2f} s with typst")
        print(f"{'  per letter':48} {total['model'] / n * 1000:7.0f}ms {total['docx'] / n * 1000:6.0f}ms "
              f"{total['typst'] / n * 1000:8.1f}ms")


if __name__ == "__main__":
    main()
