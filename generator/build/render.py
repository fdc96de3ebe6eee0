"""Rendering one job: its template's context, the document model, and each format's bytes from its writer.

A task of a build is a document, (agreement or None for a circular, job, sources, folder, the content digests
recorded for its files, the writers' salt), or a payout table, (path, the function that makes it, allocation).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from generator.build.plan import Job
from generator.build.provenance import Sources
from generator.build.skipping import file_content
from generator.cache.digest import content_digest
from generator.data.circulars import ValidatedCircular, circular_context
from generator.data.model import Agreement
from generator.data.prose_figures import figure_context
from generator.documents.layout import lay_out
from generator.documents.model import Document
from generator.documents.templating import TEMPLATES, ProseView, View, render_document, render_template
from generator.errors import GeneratorError, RenderError


def render_job(agreement: Agreement, job: Job, templates: Path = TEMPLATES) -> Document:
    """Return the document model of one job."""
    extra = {"decision": job.decision} if job.decision is not None else {}
    extra.update(job.extra)
    return render_document(job.template, agreement, extra, templates)


def render_circular(validated: ValidatedCircular, templates: Path = TEMPLATES) -> Document:
    """Return the document model of a circular."""
    views = {a.id: View(a, figure_context(a)) for a in validated.agreements.values()}
    context = {
        "c": validated.circular,
        "views": views,
        "parts": validated.parts(),
        "own": ProseView(circular_context(validated.circular)),
    }
    return render_template("cirkular.xml.j2", context, templates)


def render_files(
    document: Document,
    name: str,
    folder: Path,
    formats: list[str],
    writers: dict,
    started: float,
    sources: Sources | None = None,
    content: str | None = None,
) -> list[tuple[Path, bytes, float]]:
    """Return each format of ``document`` as (path, bytes, seconds), with the provenance line of ``sources``."""
    if sources is not None:
        line = sources.line(content)
        document = dataclasses.replace(document, meta=dataclasses.replace(document.meta, source=line))
    document = lay_out(document)  # once for every format: each writer then finds it laid out and only checks
    rendered = []
    for fmt in formats:
        try:
            data = writers[fmt](document)
        except GeneratorError:
            raise
        except Exception as exc:  # a writer bug must still name the document
            raise RenderError(f"writing {name}.{fmt} failed: {type(exc).__name__}: {exc}") from exc
        rendered.append((folder / f"{name}.{fmt}", data, time.perf_counter() - started))
        started = time.perf_counter()
    return rendered


def task_paths(task: tuple, formats: list[str]) -> list[Path]:
    """Return the files a task of a build writes."""
    if len(task) == 3:
        return [task[0]]
    _, job, _, folder, _, _ = task
    return [folder / f"{job.name}.{fmt}" for fmt in formats]


def render_task(task: tuple, formats: list[str], writers: dict, templates: Path) -> list[tuple]:
    """Return the files of a document or a payout table as (path, bytes, seconds[, content digest]).

    A document whose content digest equals the one recorded for each of its files is not given to the writers:
    its files come back as (path, None, seconds), to be left as they are."""
    started = time.perf_counter()
    if len(task) == 3:
        path, make, allocation = task
        return [(path, make(allocation), time.perf_counter() - started)]
    agreement, job, sources, folder, contents, salt = task
    if agreement is None:  # a circular
        document = render_circular(job.extra["validated"], templates)
    else:
        document = render_job(agreement, job, templates)
    if sources is None:
        return render_files(document, job.name, folder, formats, writers, started)
    content = content_digest(document)
    if contents and all(recorded == file_content(content, salt, path) for path, recorded in contents.items()):
        return [(path, None, time.perf_counter() - started) for path in contents]
    return [
        (path, data, seconds, file_content(content, salt, path))
        for path, data, seconds in render_files(document, job.name, folder, formats, writers, started, sources, content)
    ]
