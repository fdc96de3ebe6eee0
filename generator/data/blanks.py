"""The visible blank: how a document prints a field that the data leaves empty because its source does not give it.

One form everywhere (a decision's head and signatures, the plan's letterhead, prose, ``generator new``'s
identifiers): the field's Swedish name in brackets, then a line to fill in. ``generator validate`` lists each
blank by the same name (:mod:`generator.data.checks.decisions`).
"""

from __future__ import annotations

NBSP = "\u00a0"

#: The line of a blank: what a source does not give, printed for the signer to fill in (see :func:`tomt`).
BLANK_LINE = "_" * 14


def tomt(what: str) -> str:
    """Return the visible blank of a field the data leaves empty: ``[diarienummer] ______________``.

    One form everywhere a decision, a plan or prose prints an unknown: the field's Swedish name in brackets,
    then a line to fill in (``generator validate`` lists each blank by the same name).
    """
    return f"[{what}]{NBSP}{BLANK_LINE}"
