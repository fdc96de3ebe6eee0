"""What one county's payout letter says, computed from the allocation (the template decides the wording around it).

:func:`county_letters` returns one :class:`CountyLetter` per county: every
item that reaches the county, what the county jointly, its county council and
each municipality receive, how the county's part was computed, and the
conditions and deadlines that come with each item.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .distribute import KEY_LABELS, KINDS, PAYERS, ROUTES, Item, YearAllocation
from .formatting import kronor
from .model import Agreement, Deadline, Payout, Pot, Section
from .prose import walk_sections
from .reference import Council, County, council_of, counties, municipalities


@dataclass
class Recipient:
    code: str
    name: str
    kind: str
    amounts: list[tuple[str, str, int]] = field(default_factory=list)  # (item id, label, amount)

    @property
    def total(self) -> int:
        return sum(amount for _, _, amount in self.amounts)


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
    county_step: str | None  # how the county's part was computed, for county-level rules
    qualified: int  # recipients in the county that took part
    payment_text: str | None
    deadlines: list[Deadline]


@dataclass
class CountyLetter:
    county: County
    council: Council
    items: list[LetterItem]
    joint: Recipient
    council_part: Recipient
    municipalities: list[Recipient]
    missed: list[Item]

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
        joint = [self.joint] if self.joint.amounts else []
        return joint + [self.council_part] + self.municipalities


def rule_text(item: Item) -> str:
    """Return how the whole pot or payout is shared, in one Swedish sentence (without the figures of a county)."""
    d = item.distribution
    key = KEY_LABELS.get(d.key or "", d.key or "")
    among = {"lan": "länen", "kommun": "kommunerna", "landsting": "landstingen",
             "kommun_och_landsting": "kommunerna och landstingen"}[d.level]
    if item.kind == "pot":
        among = f"de {among} som har kvalificerat sig"
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
        text += (f"; av ett läns andel går {_pct(d.split.kommuner)} procent till kommunerna, fördelat mellan dem efter "
                 f"{KEY_LABELS.get(d.split.key, d.split.key)}, och {_pct(d.split.landsting)} procent till landstinget")
    return text + "."


def _pct(value) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def _sources(agreement: Agreement) -> dict[str, tuple[Section, Payout | Pot]]:
    out = {}
    for section in walk_sections(agreement.sections):
        for item in [*section.payouts, *section.pots]:
            out[item.id] = (section, item)
    return out


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
        items: list[LetterItem] = []
        missed: list[Item] = []
        for item in allocation.items:
            lines = [line for line in item.lines if line.county == code]
            for line in lines:
                by_code[line.code].amounts.append((item.id, item.label, line.amount))
            taking_part = [c for c in item.qualifiers if c in by_code]
            if not lines:
                if item.kind == "pot" and any(c in by_code for c in item.eligible):
                    missed.append(item)
                continue
            section, source = sources[item.id]
            deadlines = list(source.deadlines) if isinstance(source, Pot) else list(section.deadlines)
            payment = source.payment_text if isinstance(source, Pot) else None
            share = item.county_shares.get(code)
            items.append(LetterItem(
                item.id, item.label, item.kind, item.route, PAYERS.get(item.route, item.route),
                sum(line.amount for line in lines), item.amount, item.shared, rule_text(item), item.notes,
                share[1] if share else None, len(taking_part), payment, deadlines))
        letters.append(CountyLetter(county, council, items, joint, council_part, list(members.values()), missed))
    return letters
