"""A build: plan each agreement's documents, leave what did not change, render the rest, commit the files.

:func:`build_all` ties the steps: :mod:`generator.build.skipping` sorts each agreement's documents (planned by
:mod:`generator.build.plan`) into the skipped and those to render; :mod:`generator.build.pool` renders them
(:mod:`generator.build.render`), in several processes when that pays, and stages each file on disk as soon as it
is rendered; :mod:`generator.build.write` commits them once everything rendered, each atomically, so a failure
never leaves a truncated or half-updated document behind, nor the output folder changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.build.formats import DEFAULT_PDF_ENGINE, choose_writers
from generator.build.pool import render_and_stage, render_tasks, use_caches, with_service
from generator.build.provenance import Manifest
from generator.build.render import task_paths
from generator.build.skipping import pending_agreement, pending_circular
from generator.build.write import BuildResult, commit, discard, make_folders, remove_folders
from generator.data.circulars import ValidatedCircular
from generator.data.model import Agreement
from generator.documents.templating import TEMPLATES
from generator.money.distribute import YearAllocation


def build(
    agreement: Agreement,
    out: Path,
    formats: list[str],
    templates: Path = TEMPLATES,
    reference_doc: Path | None = None,
    allocation: YearAllocation | None = None,
    source_file: Path | None = None,
    force: bool = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    recipient: str | None = None,
    municipal: dict | None = None,
    jobs: int = 1,
) -> BuildResult:
    """Render every document of ``agreement`` in ``formats`` and write them under ``out/<year>/``.

    With ``recipient`` (a code), only that recipient's documents (its letter, its utlåtande) are
    rendered, for a quick look; the payout tables are not.

    ``reference_doc`` is a .docx whose styles, fonts and page setup the DOCX files take.
    With an ``allocation`` the county letters and the payout tables
    (``utbetalningar.csv`` and ``.xlsx``) are written too. With the
    agreement's ``source_file``, each document records its inputs (metadata
    and ``out/manifest.json``) and is skipped when they have not changed,
    unless ``force``. ``jobs`` > 1 renders in that many processes (see :func:`build_all`).
    """
    return build_all(
        [(agreement, allocation, source_file, municipal)],
        out,
        formats,
        templates,
        reference_doc,
        force,
        pdf_engine,
        recipient,
        jobs,
    )[0]


def build_all(
    entries: list[tuple[Agreement, YearAllocation | None, Path | None, dict | None]],
    out: Path,
    formats: list[str],
    templates: Path = TEMPLATES,
    reference_doc: Path | None = None,
    force: bool = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    recipient: str | None = None,
    jobs: int = 1,
    municipal_documents: bool = True,
    circulars: Sequence[ValidatedCircular] = (),
    held: frozenset[tuple[int, str]] = frozenset(),
) -> list[BuildResult]:
    """Build several agreements (agreement, allocation, source file, municipal files) as :func:`build` does each,
    then ``circulars`` as :func:`build_circular` does (their results follow the agreements').

    Without ``municipal_documents``, the municipalities' and county councils' own documents
    (:data:`generator.build.plan.MUNICIPAL_FOLDERS`) are neither rendered nor reported; their files and manifest
    entries stay as they are.

    The documents of all of them are rendered first, with ``jobs`` > 1 in a pool of that many processes, each
    file staged on disk as soon as it is rendered; then, in the given order, each agreement's files are
    committed and recorded in the manifest. The bytes, the order of the files and the messages are the same for
    any ``jobs``.

    The documents in ``held``, (year, name), are issued records: their files are left as they are
    (generator.change.issuing.build_issued writes a new text beside them, as a draft).
    """
    writers = choose_writers(formats, reference_doc, pdf_engine)
    manifest = Manifest.load(out) if circulars or any(entry[2] for entry in entries) else None
    pending = [
        pending_agreement(
            agreement,
            allocation,
            source_file,
            municipal,
            out,
            formats,
            templates,
            reference_doc,
            force,
            pdf_engine,
            recipient,
            municipal_documents,
            manifest,
            held,
        )
        for agreement, allocation, source_file, municipal in entries
    ]
    if circulars:
        assert manifest is not None  # loaded above whenever there are circulars
        pending += [
            pending_circular(c, out, formats, templates, reference_doc, force, pdf_engine, manifest) for c in circulars
        ]
    tasks = [
        task
        for item in pending
        for task in [
            (item.agreement, job, sources, item.folder, contents, item.salt) for job, sources, contents in item.todo
        ]
        + item.tables
    ]
    made = make_folders(path for task in tasks for path in task_paths(task, formats))
    staged: list = []
    try:
        staged = render_tasks(tasks, formats, writers, templates, jobs)
        rendered = iter(staged)
        parts = [
            [file for _ in range(len(item.todo) + len(item.tables)) for file in next(rendered)] for item in pending
        ]
        # nothing is committed until everything rendered
        return [commit(files, item.result, item.keys, item.manifest) for item, files in zip(pending, parts)]
    except BaseException:
        for files in staged:
            discard(files)
        remove_folders(made)
        raise


def build_circular(
    validated: ValidatedCircular,
    out: Path,
    formats: list[str],
    templates: Path = TEMPLATES,
    reference_doc: Path | None = None,
    force: bool = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
) -> BuildResult:
    """Render a circular in ``formats`` and write it under ``out/<year>/cirkular_<nn-nn>.*``."""
    writers = with_service(choose_writers(formats, reference_doc, pdf_engine))
    item = pending_circular(validated, out, formats, templates, reference_doc, force, pdf_engine, Manifest.load(out))
    if not item.todo:
        return item.result
    ((job, sources, contents),) = item.todo
    task = (None, job, sources, item.folder, contents, item.salt)
    use_caches(templates)
    made = make_folders(task_paths(task, formats))
    try:
        return commit(render_and_stage(task, formats, writers, templates), item.result, item.keys, item.manifest)
    except BaseException:
        remove_folders(made)
        raise
