"""What one county's payout letter says, computed from the allocation (the template decides the wording around it).

:func:`county_letters` returns one :class:`CountyLetter` per county: every
item that reaches the county, what the county jointly, its county council and
each municipality receive, where each item's rule stands in the plan and how
the county's part was computed, what a recipient that got nothing did not
meet, and who signs the payout form.

A county whose municipality and county council are one organisation (Gotland:
Region Gotland, see ``reference/README.md``) has one recipient: the joint
money, the council's and the municipality's shares are added up per item
and addressed, paid and signed for as one body.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .distribute import KEY_LABELS, KINDS, PAYERS, ROUTES, Item, YearAllocation
from .formatting import kronor
from .model import Agreement, Deadline, Payout, Pot, Section
from .prose import walk_sections
from .reference import Council, County, council_of, counties, municipalities, one_body


@dataclass
class Recipient:
    code: str
    name: str
    kind: str  # kommun | landsting | lan | organisation (a county's one body, Region Gotland)
    amounts: list[tuple[str, str, int]] = field(default_factory=list)  # (item id, label, amount)
    missed: list[tuple["LetterItem", str]] = field(default_factory=list)  # pots it could share but did not meet: (item, outcome)

    @property
    def total(self) -> int:
        return sum(amount for _, _, amount in self.amounts)

    def add(self, item_id: str, label: str, amount: int) -> None:
        """Add ``amount`` for an item, to the item's line if it has one (one body receiving several shares)."""
        for index, (known, known_label, known_amount) in enumerate(self.amounts):
            if known == item_id:
                self.amounts[index] = (known, known_label, known_amount + amount)
                return
        self.amounts.append((item_id, label, amount))


@dataclass
class LetterItem:
    id: str
    label: str
    kind: str  # payout | pot
    route: str
    payer: str  # short, for a table column: "Kammarkollegiet", "SKL, efter rekvisition"
    amount: int  # to everyone in the county
    pot: int
    shared: int
    rule: str  # how the whole pot is shared
    notes: tuple[str, ...]
    county_step: str | None  # how the county's part was computed, for county-level rules (printable: no … or →)
    qualified: int  # recipients in the county that took part
    payment_text: str | None
    deadlines: list[Deadline]
    section: str = ""  # id of the section whose text states the rule
    offer: str | None = None  # the pot's rule as the plan states it (prose)
    criterion: str | None = None
    level: str = ""  # who shares it: lan | kommun | landsting | kommun_och_landsting


@dataclass
class CountyLetter:
    county: County
    council: Council
    items: list[LetterItem]
    joint: Recipient
    council_part: Recipient
    municipalities: list[Recipient]
    missed: list[LetterItem]  # pots nobody in the county qualified for
    body: Recipient | None = None  # the county's one organisation (Region Gotland), if it has one

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.items)

    def total_by_route(self, route: str) -> int:
        return sum(item.amount for item in self.items if item.route == route)

    @property
    def routes(self) -> list[str]:
        return sorted({item.route for item in self.items}, key=list(ROUTES).index)

    @property
    def recipients(self) -> list[Recipient]:
        if self.body is not None:
            return [self.body]
        joint = [self.joint] if self.joint.amounts else []
        return joint + [self.council_part] + self.municipalities

    @property
    def route_parts(self) -> list[str]:
        """Return "80 137 183 kronor betalas ut av Kammarkollegiet" per route, for the summary sentence."""
        return [f"{kronor(self.total_by_route(route))} betalas ut av {PAYERS.get(route, route).replace(',', '')}"
                for route in self.routes]

    @property
    def addressees(self) -> list[str]:
        if self.body is not None:
            return [self.body.name]
        return [f"Kommunerna i {self.county.name}", self.council.name]

    @property
    def payee(self) -> str:
        """The payee of the joint money if it is known (the one body), else "" (the county chooses)."""
        return self.body.name if self.body is not None else ""

    @property
    def signers(self) -> list[str]:
        """Who signs the payout form."""
        if self.body is not None:
            return [f"För {self.body.name}"]
        return [f"För {self.council.name}", f"För kommunerna i {self.county.name}"]

    @property
    def without_payment(self) -> list[Recipient]:
        """Recipients that receive nothing, each with the pots whose criteria it did not meet."""
        return [r for r in self.recipients if not r.amounts and r.kind != "lan"]


def rule_text(item: Item) -> str:
    """Return how the whole pot or payout is shared, in one Swedish sentence (without the figures of a county)."""
    d = item.distribution
    key = KEY_LABELS.get(d.key or "", d.key or "")
    among = {"lan": "länen", "kommun": "kommunerna", "landsting": "landstingen",
             "kommun_och_landsting": "kommunerna och landstingen"}[d.level]
    if item.kind == "pot":
        among = "de " + {"lan": "län", "kommun": "kommuner", "landsting": "landsting",
                         "kommun_och_landsting": "kommuner och landsting"}[d.level] + " som har kvalificerat sig"
    if d.rule == "fixed_table":
        text = f"{kronor(item.shared)} fördelas mellan {among} med fasta belopp enligt tabell"
    elif d.rule in {"floor_then_key", "base_then_key"}:
        base = d.floor if d.rule == "floor_then_key" else d.base
        per = {"lan": "län", "landsting": "landsting", "kommun": "kommun"}.get(d.level, "mottagare")
        text = (f"{kronor(item.shared)} fördelas mellan {among} med {'minst ' if d.rule == 'floor_then_key' else ''}"
                f"{kronor(base or 0)} per {per} och resten efter {key}")
    else:
        text = f"{kronor(item.shared)} fördelas mellan {among} i förhållande till {key}"
    if d.shares:
        text += ", varav " + " och ".join(f"{kronor(s.amount)} till {KINDS[s.to]}" for s in d.shares)
    if d.step and d.step > 1:
        text += f", avrundat till jämna {kronor(d.step)}"
    if d.split:
        text += (f"; av ett läns andel går {_pct(d.split.kommuner)}\u00a0procent till kommunerna, fördelat mellan dem efter "
                 f"{KEY_LABELS.get(d.split.key, d.split.key)}, och {_pct(d.split.landsting)}\u00a0procent till landstinget")
    return text + "."


def printed_step(explanation: str, step: int | None) -> str:
    """Return a computation for print: the formula and its rounded result, without "…" or "→".

    ``2 000 000 kronor + 24 000 000 kronor × 26 / 290 (antal kommuner i länet) = 2 000 000 kronor + 2 151 724,13…
    kronor → 4 000 000 kronor`` becomes ``2 000 000 kronor + 24 000 000 kronor × 26 / 290 (antal kommuner i länet),
    avrundat till jämna 500 000 kronor: 4 000 000 kronor``.
    """
    if "→" not in explanation:
        return explanation
    formula = explanation.split(" = ")[0]
    result = explanation.rsplit("→", 1)[1].strip()
    rounding = f"avrundat till jämna {kronor(step)}" if step and step > 1 else "avrundat till hela kronor"
    return f"{formula}, {rounding}: {result}"


def _pct(value) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def _sources(agreement: Agreement) -> dict[str, tuple[Section, Payout | Pot]]:
    out = {}
    for section in walk_sections(agreement.sections):
        for item in [*section.payouts, *section.pots]:
            out[item.id] = (section, item)
    return out


def _outcome_text(allocation: YearAllocation, item: Item, code: str) -> str:
    """Return what the outcome file says of ``code`` for a pot it did not qualify for ("" if nothing)."""
    if allocation.outcomes is None:
        return ""
    for row in allocation.outcomes.for_pot(item.id):
        if row.code == code and row.coverage is not None:
            value = Decimal(row.coverage)
            shown = str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
            return f"täckningsgrad enligt utfallet {shown}\u00a0procent"
    return ""


def county_letters(allocation: YearAllocation) -> list[CountyLetter]:
    """Return the letter content of each of the 21 counties, in county-code order."""
    sources = _sources(allocation.agreement)
    letters = []
    for code, county in counties().items():
        council = council_of(code)
        joint = Recipient(code, county.name, "lan")
        council_part = Recipient(council.code, council.name, "landsting")
        members = {c: Recipient(c, m.short, "kommun") for c, m in municipalities().items() if m.county == code}
        by_code = {code: joint, council.code: council_part, **members}
        unitary = one_body(code)
        body = Recipient(unitary.same_body_as, unitary.body_name or council.name, "organisation") if unitary else None
        items: list[LetterItem] = []
        missed: list[LetterItem] = []
        for item in allocation.items:
            lines = [line for line in item.lines if line.county == code]
            for line in lines:
                by_code[line.code].amounts.append((item.id, item.label, line.amount))
                if body is not None:
                    body.add(item.id, item.label, line.amount)
            section, source = sources[item.id]
            taking_part = [c for c in item.qualifiers if c in by_code]
            deadlines = list(source.deadlines) if isinstance(source, Pot) else list(section.deadlines)
            pot = source if isinstance(source, Pot) else None
            share = item.county_shares.get(code)
            letter_item = LetterItem(
                item.id, item.label, item.kind, item.route, PAYERS.get(item.route, item.route),
                sum(line.amount for line in lines), item.amount, item.shared, rule_text(item), item.notes,
                printed_step(share[1], item.distribution.step) if share else None,
                1 if body is not None and taking_part else len(taking_part),
                pot.payment_text if pot else None, deadlines, section.id,
                pot.offer if pot else None, pot.criterion if pot else None, item.distribution.level)
            if item.kind == "pot":
                for c, recipient in by_code.items():
                    if c in item.eligible and c not in item.qualifiers:
                        recipient.missed.append((letter_item, _outcome_text(allocation, item, c)))
            if lines:
                items.append(letter_item)
            elif item.kind == "pot" and any(c in by_code for c in item.eligible):
                missed.append(letter_item)
        if body is not None:
            seen = set()
            for r in by_code.values():
                for item, outcome in r.missed:
                    if item.id not in seen and item.id not in {i for i, _, _ in body.amounts}:
                        seen.add(item.id)
                        body.missed.append((item, outcome))
        letters.append(CountyLetter(county, council, items, joint, council_part, list(members.values()), missed, body))
    return letters

