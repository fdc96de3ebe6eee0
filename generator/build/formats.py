"""The writers a build makes each format with: the one place where the choice of writers is made.

The writers (python-docx, reportlab, Typst, openpyxl, the HTML writer) are imported when a document is rendered,
not before: a build that finds nothing changed, and ``generator --help``, never load them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from generator.documents.model import Document
from generator.errors import GeneratorError
from generator.money.distribute import YearAllocation


def render_docx(document: Document, reference: Path | None = None) -> bytes:
    """Return the DOCX of ``document`` (styled after the ``reference`` .docx, if given)."""
    from generator.writers.docx import render_docx as render

    return render(document, reference)


def render_pdf_typst(document: Document) -> bytes:
    """Return the PDF of ``document`` made by Typst (tagged PDF/A-2a and PDF/UA-1)."""
    from generator.writers.typst import render_pdf

    return render_pdf(document)


def render_pdf_reportlab(document: Document) -> bytes:
    """Return the PDF of ``document`` made by reportlab (untagged)."""
    from generator.writers.pdf_reportlab import render_pdf

    return render_pdf(document)


def render_html(document: Document) -> bytes:
    """Return ``document`` as a self-contained, accessible HTML page."""
    from generator.writers.html import render_html as render

    return render(document)


def payouts_csv(allocation: YearAllocation) -> bytes:
    """Return the payout table of ``allocation`` as CSV."""
    from generator.writers.payout_tables import payouts_csv as make

    return make(allocation)


def payouts_xlsx(allocation: YearAllocation) -> bytes:
    """Return the payout table of ``allocation`` as an Excel workbook."""
    from generator.writers.payout_tables import payouts_xlsx as make

    return make(allocation)


def prepare_docx(reference: Path | None) -> None:
    """Build the styled DOCX package the writer starts every document from (before a pool forks)."""
    from generator.writers.docx import prepare

    prepare(reference)


PDF_ENGINES: dict[str, Callable[[Document], bytes]] = {"typst": render_pdf_typst, "reportlab": render_pdf_reportlab}
DEFAULT_PDF_ENGINE = "typst"  # tagged PDF/A-2a and PDF/UA-1; reportlab writes untagged PDF
WRITERS: dict[str, Callable[[Document], bytes]] = {
    "docx": render_docx,
    "pdf": PDF_ENGINES[DEFAULT_PDF_ENGINE],
    "html": render_html,  # only when asked for (--format docx,pdf,html; generator serve): not built by default
}


def choose_writers(
    formats: list[str], reference_doc: Path | None, pdf_engine: str = DEFAULT_PDF_ENGINE
) -> dict[str, Callable[[Document], bytes]]:
    """Return the writer of each format (:data:`WRITERS`, the PDF made by ``pdf_engine``, the DOCX styled after
    ``reference_doc``); refuse an unknown format or engine, or no format at all."""
    if pdf_engine not in PDF_ENGINES:
        raise GeneratorError(f"okänd PDF-motor {pdf_engine!r}; välj bland {', '.join(PDF_ENGINES)}")
    for fmt in formats:
        if fmt not in WRITERS:
            raise GeneratorError(f"okänt format {fmt!r}; välj bland {', '.join(WRITERS)}")
    if not formats:
        raise GeneratorError("inget format angivet; välj bland " + ", ".join(WRITERS))
    writers = dict(WRITERS)
    if pdf_engine != DEFAULT_PDF_ENGINE:
        writers["pdf"] = PDF_ENGINES[pdf_engine]
    if reference_doc is not None:
        writers["docx"] = functools.partial(render_docx, reference=reference_doc)
    return writers


def reference_of(writers: dict) -> Path | None:
    """Return the reference .docx the DOCX writer of ``writers`` styles after (None: the built-in styles)."""
    return getattr(writers.get("docx"), "keywords", {}).get("reference")
