"""The HTML writer: one self-contained, accessible page (WCAG 2.1 AA) per document, for reading and publishing."""

from generator.writers.html.render import WRITERS, render_html

__all__ = ["WRITERS", "render_html"]
