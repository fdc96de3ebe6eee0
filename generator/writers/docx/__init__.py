"""The DOCX writer: the document model to a Word file (WordprocessingML written with lxml), by concern below."""

# From the bottom: line_spacing (each style's exact line, so the DOCX paginates as the Typst PDF), wordml (the
# element layer), document_state, spacing (the space between blocks), revisions (tracked changes), runs, tables,
# blocks (one function per node, and the flow), styles (named styles, set with python-docx), package (the styled
# package every document copies), render (a whole document, zipped).
from generator.writers.docx.blocks import WRITERS
from generator.writers.docx.render import PROVENANCE_PROPERTY, prepare, render_docx

__all__ = ["PROVENANCE_PROPERTY", "WRITERS", "prepare", "render_docx"]
