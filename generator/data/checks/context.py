"""The agreement as every check sees it: its models with their paths, its payouts by id, and the report."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from generator.data.loading import PathKey, SourceMap, dotted
from generator.data.model import Agreement, Payout, Row, Section, prose_fields, walk_models
from generator.errors import Location, Report


class CheckContext:
    """One schema-valid agreement under check, and the report its findings go to."""

    def __init__(self, agreement: Agreement, source: SourceMap, report: Report, sums_as_warnings: bool = False):
        self.agreement = agreement
        self.source = source
        self.report = report
        #: Report stated totals that do not match their parts as warnings (``generator diff``).
        self.sums_as_warnings = sums_as_warnings
        #: Every model of the agreement with its path, depth first, in document order.
        self.nodes: list[tuple[BaseModel, PathKey]] = list(walk_models(agreement))
        #: Every payout by id (the last of a duplicated id; the duplicate is reported by the ids check).
        self.payouts: dict[str, Payout] = {model.id: model for model, _ in self.nodes if isinstance(model, Payout)}

    def at(self, path: PathKey) -> Location:
        """Return where ``path`` is written in the file."""
        return self.source.locate(path)

    def error(self, path: PathKey, message: str, hint: str = "") -> None:
        """Report an error at ``path``."""
        self.report.error(self.at(path), message, dotted(path), hint)

    def warning(self, path: PathKey, message: str, hint: str = "") -> None:
        """Report a warning at ``path``."""
        self.report.warning(self.at(path), message, dotted(path), hint)

    def sections(self) -> Iterator[tuple[Section, PathKey]]:
        """Yield (section, path) of every section, depth first, in document order."""
        for model, path in self.nodes:
            if isinstance(model, Section):
                yield model, path

    def texts(self) -> Iterator[tuple[BaseModel, PathKey, str]]:
        """Yield (model, path, text) of every prose text of the agreement."""
        for model, path in self.nodes:
            for name, value in prose_fields(model):
                texts = value if isinstance(value, list) else [value]
                for index, text in enumerate(texts):
                    if isinstance(text, str):
                        yield model, path + (name,) + ((index,) if isinstance(value, list) else ()), text
        if self.agreement.county_letters is not None:
            for key, text in self.agreement.county_letters.item_conditions.items():
                yield self.agreement.county_letters, ("county_letters", "item_conditions", key), text

    def row_amount(self, row: Row) -> int:
        """Return the amount of a table row: its payout's, if it refers to one (0 if that payout is unknown)."""
        if row.ref is not None:
            payout = self.payouts.get(row.ref)
            return payout.amount if payout else 0
        return row.amount or 0
