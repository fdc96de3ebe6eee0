"""Rendering a build's tasks in a pool of forked processes, each file staged on disk as soon as it is rendered.

The workers inherit the tasks (nothing is pickled to them but an index), render one at a time, largest first,
stage the files they render (:func:`generator.build.write.stage`) and send back only where they staged them.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from generator.build.formats import prepare_docx, reference_of, render_pdf_typst
from generator.build.render import render_task
from generator.build.write import Staged, discard, stage


def default_jobs() -> int:
    """Return the number of processes a build renders in by default: the processors this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


#: How much rendering a document costs, roughly, against a letter to a municipality (2): the pool hands out the
#: largest first, so that no process is left alone at the end with a large document (the plan: 35 pages).
_WEIGHTS = {
    "genomforandeplan.xml.j2": 40,
    "lansbrev.xml.j2": 5,
    "lansoverenskommelse.xml.j2": 4,
    "skl_brev_fordelning.xml.j2": 4,
    "utlatande.xml.j2": 4,
    "cirkular.xml.j2": 8,
}
_TABLE_WEIGHTS = {".xlsx": 6, ".csv": 1}  # the payout tables (the .xlsx imports openpyxl; the .csv is a millisecond)

#: The documents the pool's workers render; a forked worker inherits it, so nothing is pickled but the index.
_TASKS: list = []

#: The build's Typst processes (:mod:`generator.writers.typst_service`), started by its first pool.
_SERVICE: list = []


def render_and_stage(task: tuple, formats: list[str], writers: dict, templates: Path) -> list[Staged]:
    """Return the files of one task, rendered and staged on disk."""
    return stage(render_task(task, formats, writers, templates))


def _render_in_worker(index: int):
    try:
        return index, render_and_stage(*_TASKS[index])
    except BaseException:  # the parent renders it again and reports the error as a build in one process does
        return index, None


def _weight(task) -> int:
    return _TABLE_WEIGHTS.get(task[0].suffix, 6) if len(task) == 3 else _WEIGHTS.get(task[1].template, 2)


def use_caches(templates: Path) -> None:
    """Keep what the lower packages compute at some cost between processes, in the verified per-user cache
    (:mod:`generator.cache`): the templates' compiled code and the DOCX writer's styled package. Idempotent."""
    from generator.cache import writer_assets
    from generator.cache.compiled_templates import keep_compiled
    from generator.documents.templating import make_environment

    keep_compiled(make_environment(templates))
    writer_assets.install()


def render_tasks(tasks: list, formats: list[str], writers: dict, templates: Path, jobs: int) -> list[list[Staged]]:
    """Return each task's files, rendered and staged, in the tasks' order; in ``jobs`` forked processes when
    that pays. On an error every file staged so far is removed.

    The workers take the tasks largest first, one at a time. Typst keeps what it computed for the last documents
    it compiled (up to 50 MB each): a build of more than a few documents compiles its PDFs in the build's Typst
    processes (:func:`with_service`), which leave once they have grown, in one process as in several.
    """
    use_caches(templates)
    done: list = [None] * len(tasks)
    try:
        if not _render_in_pool(tasks, formats, writers, templates, jobs, done):
            served = _served(writers) if len(tasks) >= 4 else writers
            for index, task in enumerate(tasks):
                done[index] = _render_here(task, formats, served, writers, templates)
        for index, task in enumerate(tasks):
            if done[index] is None:  # a worker failed it: rendered again here, as a build in one process does
                done[index] = render_and_stage(task, formats, writers, templates)
    except BaseException:
        for files in done:
            discard(files or ())
        raise
    return done


def _render_here(task: tuple, formats: list[str], served: dict, writers: dict, templates: Path) -> list[Staged]:
    """Return the files of one task rendered in this process, its PDF compiled in the Typst processes if
    ``served``; a task they failed is rendered again with Typst in this process, to report its error."""
    if served is writers:
        return render_and_stage(task, formats, writers, templates)
    try:
        return render_and_stage(task, formats, served, templates)
    except Exception:
        return render_and_stage(task, formats, writers, templates)


def _served(writers: dict) -> dict:
    """Return ``writers`` with Typst run in the build's Typst processes, started if need be."""
    if writers.get("pdf") is render_pdf_typst and not _SERVICE:
        from generator.writers.typst_service import Service

        _SERVICE.append(Service())
    return with_service(writers)


def _render_in_pool(tasks: list, formats: list[str], writers: dict, templates: Path, jobs: int, done: list) -> bool:
    """Return True once ``done`` holds the tasks' staged files rendered in a pool of forked processes (None for
    a task a worker failed); False, with nothing done, when a pool does not pay or cannot be used."""
    import multiprocessing
    import sys

    workers = min(jobs, len(tasks))
    typst = sys.modules.get("generator.writers.typst")
    if (
        workers < 2
        or len(tasks) < 4
        or "fork" not in multiprocessing.get_all_start_methods()
        or (typst is not None and typst.compiler_started())
    ):
        # Typst runs threads once it has compiled: a process forked after that could hang, so render here
        return False
    served = _served(writers)
    _TASKS[:] = [(task, formats, served, templates) for task in tasks]
    _warm(writers, tasks, templates)
    order = sorted(range(len(tasks)), key=lambda i: -_weight(tasks[i]))
    # what the workers inherit is left out of their garbage collector's passes, which would otherwise walk it
    # (and copy the pages they touch) again and again; the parent takes it back after the pool
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for index, files in pool.imap_unordered(_render_in_worker, order, chunksize=1):
                done[index] = files
    finally:
        gc.unfreeze()
        _TASKS.clear()
    return True


def with_service(writers: dict) -> dict:
    """Return ``writers`` with Typst run in the build's Typst processes once they are started."""
    if _SERVICE and writers.get("pdf") is render_pdf_typst:
        return {**writers, "pdf": _SERVICE[0].render_pdf}
    return writers


def _warm(writers: dict, tasks: list, templates: Path) -> None:
    """Before forking: build the styled DOCX, import the writers and compile the templates, so workers share them.

    openpyxl is left to the worker that writes a payout table (83 ms that would otherwise wait in line)."""
    if "docx" in writers:
        prepare_docx(reference_of(writers))
    if "pdf" in writers and writers["pdf"] is not render_pdf_typst:
        from generator.writers import pdf_reportlab  # noqa: F401
    from generator.documents.templating import make_environment

    environment = make_environment(templates)
    for name in sorted({task[1].template for task in tasks if len(task) != 3}):
        environment.get_template(name)
