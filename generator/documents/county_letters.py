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

from generator.data.model import Agreement, Deadline, Payout, Pot, Section
from generator.data.prose_figures import walk_sections
from generator.data.reference import (
    Council,
    County,
    body_name,
    council_of,
    councils,
    counties,
    municipalities,
    one_body,
    recipient,
)
from generator.formatting import kronor
from generator.money.distribute import KEY_LABELS, KINDS, PAYERS, ROUTES, Item, YearAllocation


@dataclass
class Recipient:
    code: str
    name: str
    kind: str  # kommun | landsting | lan | organisation (a county's one body, Region Gotland)
    amounts: list[tuple[str, str, int]] = field(default_factory=list)  # (item id, label, amount)
    missed: list[tuple[LetterItem, str]] = field(
        default_factory=list
    )  # pots it could share but did not meet: (item, outcome)

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
        return [
            f"{kronor(self.total_by_route(route))} betalas ut av {PAYERS.get(route, route).replace(',', '')}"
            for route in self.routes
        ]

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
    among = {
        "lan": "länen",
        "kommun": "kommunerna",
        "landsting": "landstingen",
        "kommun_och_landsting": "kommunerna och landstingen",
    }[d.level]
    if item.kind == "pot":
        among = (
            "de "
            + {
                "lan": "län",
                "kommun": "kommuner",
                "landsting": "landsting",
                "kommun_och_landsting": "kommuner och landsting",
            }[d.level]
            + " som har kvalificerat sig"
        )
    if d.rule == "fixed_table":
        text = f"{kronor(item.shared)} fördelas mellan {among} med fasta belopp enligt tabell"
    elif d.rule in {"floor_then_key", "base_then_key"}:
        base = d.floor if d.rule == "floor_then_key" else d.base
        per = {"lan": "län", "landsting": "landsting", "kommun": "kommun"}.get(d.level, "mottagare")
        text = (
            f"{kronor(item.shared)} fördelas mellan {among} med {'minst ' if d.rule == 'floor_then_key' else ''}"
            f"{kronor(base or 0)} per {per} och resten efter {key}"
        )
    else:
        text = f"{kronor(item.shared)} fördelas mellan {among} i förhållande till {key}"
    if d.shares:
        text += ", varav " + " och ".join(f"{kronor(s.amount)} till {KINDS[s.to]}" for s in d.shares)
    if d.step and d.step > 1:
        text += f", avrundat till jämna {kronor(d.step)}"
    if d.split:
        text += (
            f"; av ett läns andel går {_pct(d.split.kommuner)}\u00a0procent till kommunerna, fördelat mellan dem efter "
            f"{KEY_LABELS.get(d.split.key, d.split.key)}, och {_pct(d.split.landsting)}\u00a0procent till landstinget"
        )
    return text + "."


def printed_step(explanation: str, step: int | None) -> str:
    """Return a computation for print: the formula and its rounded result, without "…" or "→".

    ``2 000 000 kronor + 24 000 000 kronor × 26 / 290 (antal kommuner i länet) = 2 000 000 kronor + 2 151 724,13…
    kronor → 4 000 000 kronor`` becomes ``2 000 000 kronor + 24 000 000 kronor × 26 / 290 (antal kommuner i länet),
    avrundat till jämna 500 000 kronor: 4 000 000 kronor``; ``a × b / c (key) = 89 384,06… kronor → 89 384 kronor``
    becomes ``a × b / c (key), avrundat till hela kronor: 89 384 kronor``.
    """
    if "→" not in explanation:
        return explanation
    formula, result = (part.strip() for part in explanation.rsplit("→", 1))
    formula = formula.split(" = ")[0]
    rounding = f"avrundat till jämna {kronor(step)}" if step and step > 1 else "avrundat till hela kronor"
    return f"{formula}, {rounding}: {result}"


def _pct(value) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def _sources(agreement: Agreement) -> dict[str, tuple[Section, Payout | Pot]]:
    out: dict[str, tuple[Section, Payout | Pot]] = {}
    for section in walk_sections(agreement.sections):
        items: list[Payout | Pot] = [*section.payouts, *section.pots]
        for item in items:
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
        body = (
            Recipient(unitary.same_body_as, unitary.body_name or council.name, "organisation")
            if unitary is not None and unitary.same_body_as
            else None
        )  # one_body: same_body_as is set
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
                item.id,
                item.label,
                item.kind,
                item.route,
                PAYERS.get(item.route, item.route),
                sum(line.amount for line in lines),
                item.amount,
                item.shared,
                rule_text(item),
                item.notes,
                printed_step(share[1], item.distribution.step) if share else None,
                1 if body is not None and taking_part else len(taking_part),
                pot.payment_text if pot else None,
                deadlines,
                section.id,
                pot.offer if pot else None,
                pot.criterion if pot else None,
                item.distribution.level,
            )
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
                for missed_item, outcome in r.missed:
                    if missed_item.id not in seen and missed_item.id not in {i for i, _, _ in body.amounts}:
                        seen.add(missed_item.id)
                        body.missed.append((missed_item, outcome))
        letters.append(CountyLetter(county, council, items, joint, council_part, list(members.values()), missed, body))
    return letters


# --------------------------------------------------------------------------- one recipient's letter


@dataclass
class ReceivedItem:
    """One item a recipient receives: the county letter's item, the recipient's amount and its computation."""

    item: LetterItem
    amount: int
    steps: tuple[str, ...]
    code: str  # the code the amount is paid under (0009 for Gotland's county council part)
    step: int | None = None  # the rounding step of the item's rule (500 000 kronor), None for whole kronor

    @property
    def printed_steps(self) -> list[str]:
        """Return the computation for print: each formula with its rounded result, without "…" or "→"."""
        return [printed_step(step, self.step) for step in self.steps]


@dataclass
class MissedItem:
    """A pot the recipient could have shared in, and why it did not."""

    label: str
    amount: int
    reason: str


@dataclass
class RecipientLetter:
    """What one municipality or county council receives, item by item, and what it did not qualify for."""

    code: str
    name: str
    kind: str  # kommun | landsting
    codes: tuple[str, ...]  # every code the letter covers (Gotland: 0980 and 0009)
    county: County
    received: list[ReceivedItem]
    missed: list[MissedItem]
    joint: list[LetterItem]  # the county's joint items (paid to the county together, not to this recipient)
    joint_total: int
    body: str = ""  # the organisation as it names itself (reference data): "Stockholms stad", "Region Gotland"

    @property
    def requisitioned(self) -> bool:
        """Whether the recipient receives money it must requisition (then its letter carries a payout form)."""
        return any(r.item.route == "skl_rekvisition" for r in self.received)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.received)

    def total_by_route(self, route: str) -> int:
        return sum(r.amount for r in self.received if r.item.route == route)

    @property
    def routes(self) -> list[str]:
        return sorted({r.item.route for r in self.received}, key=list(ROUTES).index)

    @property
    def deadline_items(self) -> list[LetterItem]:
        return [r.item for r in self.received if r.item.payment_text or r.item.deadlines]


def _missed_reason(allocation: YearAllocation, item: Item, code: str, kind: str, county: str) -> str:
    """Return why ``code`` received nothing from the pot ``item``, in one Swedish clause."""
    d = item.distribution
    if d.level == "lan":
        reached = county in item.qualifiers
        if not reached:
            return "länet nådde inte målet"
        return "ingen andel"  # pragma: no cover (a qualified county always shares with all its members)
    if d.shares and not any(s.to == kind for s in d.shares):
        return f"potten går inte till {KINDS[kind]}"
    rows = [row for row in (allocation.outcomes.for_pot(item.id) if allocation.outcomes else []) if row.code == code]
    required = _sources(allocation.agreement).get(item.id)
    requires = required[1].requires if required and isinstance(required[1], Pot) else None
    if requires and allocation.outcomes is not None and not any(row.qualified for row in rows):
        before = [row for row in allocation.outcomes.for_pot(requires) if row.code == code]
        if not before or not before[0].qualified:
            source = _sources(allocation.agreement).get(requires)
            label = source[1].title if source and isinstance(source[1], Pot) else requires
            coverage = (
                f" (täckningsgrad {_coverage(before[0].coverage)} procent)" if before and before[0].coverage else ""
            )
            return f"kravet för {label} uppfylldes inte{coverage}; det gäller också denna ersättning"
    if not rows:
        return "kvalificeringskravet uppfylldes inte enligt registrets uppgifter för mätperioden"
    row = rows[0]
    if row.coverage is not None:
        return f"kvalificeringskravet uppfylldes inte (täckningsgrad {_coverage(row.coverage)} procent)"
    return "kvalificeringskravet uppfylldes inte"


def _coverage(value) -> str:
    return str(value).replace(".", ",")


def recipient_letters(allocation: YearAllocation) -> list[RecipientLetter]:
    """Return one letter per municipality (Region Gotland once) and per county council, in code order.

    The amounts are the allocation's lines, so the letters together with the
    county letters' joint items account for every krona distributed.
    """
    by_county = {letter.county.code: letter for letter in county_letters(allocation)}
    lines_by_code: dict[str, list] = {}
    for item in allocation.items:
        for line in item.lines:
            lines_by_code.setdefault(line.code, []).append((item, line))
    units = [(code, m.short, "kommun", m.county) for code, m in municipalities().items()]
    # A council that is one body with a municipality (reference/county_councils.csv: Region Gotland is
    # 0980 and carries the county council's tasks, 0009) gets no letter of its own: the body's letter covers both.
    same_body = {c.code: c.same_body_as for c in councils().values() if c.same_body_as}
    units += [
        (c.code, c.name, "landsting", c.county)
        for c in (council_of(code) for code in counties())
        if c.code not in same_body
    ]
    letters = []
    for code, name, kind, county in units:
        county_letter = by_county[county]
        items = {item.id: item for item in county_letter.items}
        codes = (code, *[other for other, body in same_body.items() if body == code])
        if len(codes) > 1:  # Gotland: the body's name, as the council list gives it ("Region Gotland")
            name = councils()[codes[1]].body_name or name
        received: list[ReceivedItem] = []
        for c in codes:
            for item, line in lines_by_code.get(c, []):
                received.append(ReceivedItem(items[item.id], line.amount, line.steps, c, item.distribution.step))
        order = [item.id for item in allocation.items]
        received.sort(key=lambda r: (order.index(r.item.id), r.code))
        got = {r.item.id for r in received}
        missed = []
        for item in allocation.items:
            if item.kind != "pot" or item.id in got:
                continue
            level = item.distribution.level
            if level == "lan":  # a county's pot reaches its municipalities and council only through a split
                open_to = {"kommun", "landsting"} if item.distribution.split else set()
            elif level == "kommun_och_landsting":
                open_to = {"kommun", "landsting"}
            else:
                open_to = {level}
            mine = [c for c in codes if recipient(c)[0] in open_to]
            if not mine:
                continue
            reason = _missed_reason(allocation, item, mine[0], recipient(mine[0])[0], county)
            missed.append(MissedItem(item.label, item.amount, reason))
        joint = [item for item in county_letter.items if any(i == item.id for i, _, _ in county_letter.joint.amounts)]
        letters.append(
            RecipientLetter(
                code,
                name,
                kind,
                codes,
                county_letter.county,
                received,
                missed,
                joint,
                county_letter.joint.total,
                body_name(codes[0]),
            )
        )
    return letters
