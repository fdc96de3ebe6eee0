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


def main() -> None:
    from generator.build import WRITERS, plan, render_job
    from generator.validate import discover, load_agreement

    with tempfile.TemporaryDirectory() as tmp:
        cold = cold_build(Path(tmp) / "cold")
    print(f"cold full build (new process, empty output): {cold:.2f} s")

    files = discover([ROOT / "agreements"])
    started = time.perf_counter()
    agreements = [load_agreement(f).agreement for f in files]
    validate_s = time.perf_counter() - started
    print(f"validate {len(files)} agreement files: {validate_s * 1000:.0f} ms")

    rows = []
    warm_total = 0.0
    for agreement in agreements:
        for job in plan(agreement):
            times = {"model": [], **{fmt: [] for fmt in WRITERS}}
            for _ in range(3):
                t0 = time.perf_counter()
                document = render_job(agreement, job)
                times["model"].append(time.perf_counter() - t0)
                for fmt, writer in WRITERS.items():
                    t0 = time.perf_counter()
                    writer(document)
                    times[fmt].append(time.perf_counter() - t0)
            med = {k: statistics.median(v) for k, v in times.items()}
            warm_total += sum(med.values())
            rows.append((f"{agreement.year}/{job.name}", med))
    print(f"warm full build (same process, median of 3 per document): {warm_total:.2f} s")
    print(f"{'document':48} {'template':>9} {'docx':>8} {'pdf':>8}")
    for name, med in rows:
        print(f"{name:48} {med['model'] * 1000:7.0f}ms {med['docx'] * 1000:6.0f}ms {med['pdf'] * 1000:6.0f}ms")


if __name__ == "__main__":
    main()
