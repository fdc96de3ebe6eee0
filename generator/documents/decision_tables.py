"""The tables of a decision's bilagor: a key per county, and an amount shared by it (seed-style distribution).

A distribution bilaga shares its amount among the counties in proportion to its key with the allocation
engine's own rules (:func:`generator.money.rules.proportional`, largest remainders, summing exactly), and with
a split each county's part between its municipalities and its county council (:func:`generator.money.rules.split`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.data.model import DecisionAttachment
from generator.data.reference import counties
from generator.money.rules import proportional, split


@dataclass(frozen=True)
class CountyRow:
    code: str
    name: str
    key: int
    amount: int | None  # None: the amount to share is blank (not given)
    kommuner: int | None
    landsting: int | None


@dataclass(frozen=True)
class DistributionTable:
    rows: list[CountyRow]
    key_total: int
    amount: int | None
    kommuner: int | None
    landsting: int | None


#: Default titles of a decision's bilagor, by kind.
TITLES = {
    "agreement": "Överenskommelse",
    "plan": "Genomförandeplan",
    "distribution": "Fördelning per län",
    "key": "Fördelningsnyckel",
    "text": "Bilaga",
}


def distribution_table(attachment: DecisionAttachment, total: int | None) -> DistributionTable:
    """Return the table of a key or distribution bilaga: each county's key figure and, if known, its amount.

    ``total`` is the amount shared when the bilaga names none (the file's total).
    """
    names = counties()
    key = {code: attachment.key[code] for code in sorted(attachment.key)}
    amount = attachment.amount if attachment.amount is not None else total
    shares = {a.recipient: a.amount for a in proportional(amount, key)} if amount is not None and key else {}
    rows = []
    for code, weight in key.items():
        share = shares.get(code)
        kommuner = landsting = None
        if share is not None and attachment.split is not None:
            kommuner, landsting = split(share, attachment.split.kommuner, attachment.split.landsting)
        county = names.get(code)
        rows.append(CountyRow(code, county.name if county else code, weight, share, kommuner, landsting))
    if attachment.kind != "distribution":
        amount = None
    parts = [r for r in rows if r.kommuner is not None]
    return DistributionTable(
        rows,
        sum(key.values()),
        amount,
        sum(r.kommuner or 0 for r in parts) if parts else None,
        sum(r.landsting or 0 for r in parts) if parts else None,
    )


def attachment_title(attachment: DecisionAttachment) -> str:
    """Return the bilaga's title: its own, else its kind's."""
    return attachment.title or TITLES[attachment.kind]
