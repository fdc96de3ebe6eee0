"""Checks of a schema-valid agreement, one module per family, run in the order of the one list ``CHECKS``.

Each check is a function of a :class:`~generator.data.checks.context.CheckContext` (the agreement, its
models with their paths, its payouts by id, and the report) that adds its findings to the report and
returns nothing; a check never stops the others. :func:`generator.data.validate.check_agreement` runs
every check of ``CHECKS`` in turn, so the order of the list is the order of the findings. A new check
goes into the module of its family (or a new module) and into ``CHECKS``.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.data.checks import (
    budgets,
    codes,
    crossrefs,
    dates,
    decisions,
    distributions,
    ids,
    plausibility,
    prose,
    references,
    style,
    sums,
)
from generator.data.checks.context import CheckContext

#: Every check, in the order its findings are reported.
CHECKS: list[Callable[[CheckContext], None]] = [
    ids.check_ids,
    decisions.check_agreement_or_decision,
    references.check_references,
    codes.check_codes,
    prose.check_prose,
    crossrefs.check_cross_references,
    sums.check_sums,
    dates.check_dates,
    plausibility.check_plausibility,
    prose.check_literal_figures,
    distributions.check_distributions,
    budgets.check_budgets,
    budgets.check_rendered,
    decisions.check_attachments,
    decisions.check_blanks,
    style.check_style,
]
