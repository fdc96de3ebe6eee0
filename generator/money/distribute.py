"""Every distributed payout and pot of an agreement, computed to the krona for each recipient.

:func:`allocate` reads the agreement's key and outcome data (``data:``),
finds who takes part in each distribution (every county for a payout shared
among the counties; the qualifiers of the outcome file for a pot), applies
the rule the data names (:mod:`generator.money.rules`), and returns one
:class:`Line` per recipient and item, each with the steps of its computation.

Recipients: a municipality (``0180``), a county council (``0001``) or a
county as a whole (``01``, money paid jointly to the county, "länsgemensamt").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.loading import SourceMap, contained_path, dotted
from generator.data.model import MAX_KRONOR, Agreement, Distribution, Payout, Pot, Section
from generator.data.reference import councils, counties, municipalities, municipality_counts, recipient
from generator.errors import DataError, Finding, Location, collapse
from generator.formatting import belopp, kronor, skillnad_kronor, tal_ord
from generator.money import rules
from generator.money.outcomes import Outcome, Outcomes, load_outcomes
from generator.money.population import AGE_KEYS, Population, load_population

#: Short names of the keys, for explanations.
KEY_LABELS = {
    "befolkning": "folkmängd",
    "befolkning_65": "invånare 65 år och äldre",
    "befolkning_75": "invånare 75 år och äldre",
    "befolkning_80": "invånare 80 år och äldre",
    "antal_kommuner": "antal kommuner i länet",
    "registreringar": "antal registreringar",
    "platser_sabo": "antal platser i särskilt boende",
    "dodsfall": "antal dödsfall",
}
OUTCOME_KEYS = {"registreringar", "platser_sabo", "dodsfall"}
KINDS = {"kommun": "kommuner", "landsting": "landsting", "lan": "län"}
#: Who pays, short, for a table column; "betalas ut av <payer>" in running text.
PAYERS = {
    "kammarkollegiet": "Kammarkollegiet",
    "kammarkollegiet_rekvisition": "Kammarkollegiet, efter rekvisition",
    "skl_rekvisition": "SKL, efter rekvisition",
    "skl": "SKL",
}
ROUTES = {
    "kammarkollegiet": "Kammarkollegiet betalar ut",
    "kammarkollegiet_rekvisition": "Kammarkollegiet betalar ut efter rekvisition",
    "skl_rekvisition": "SKL betalar ut efter rekvisition",
    "skl": "SKL betalar ut",
}


@dataclass(frozen=True)
class Line:
    """What one recipient receives from one item, and how it was computed."""

    item: str
    label: str
    route: str
    kind: str  # kommun | landsting | lan
    code: str
    name: str
    county: str
    amount: int
    key: str | None = None
    key_value: int | None = None
    key_total: int | None = None
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One distributed payout or pot: its amount, what was shared, and the lines."""

    id: str
    label: str
    kind: str  # payout | pot
    amount: int
    shared: int
    route: str
    distribution: Distribution
    notes: tuple[str, ...]
    lines: tuple[Line, ...]
    eligible: tuple[str, ...] = ()
    qualifiers: frozenset[str] = frozenset()
    county_shares: dict[str, tuple[int, str]] = field(default_factory=dict)  # county → (amount, how) for level lan
    published: bool = False  # the amounts are a published table (the rule, if any, is only a check)
    remainder_note: str | None = None  # why the published table leaves part of the pot undistributed

    @property
    def distributed(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def undistributed(self) -> int:
        return self.amount - self.distributed


@dataclass(frozen=True)
class DataSource:
    """A key or outcome file as a document names it."""

    file: Path
    example: bool


@dataclass(frozen=True)
class DataNote:
    """What a letter says of the data its figures come from: the files' names and whether they are examples.

    The templates get this, not the whole allocation, so that a letter's context holds only what the letter
    can show, and a changed figure of another recipient leaves it the same (generator.cache.digest).
    """

    population: DataSource | None
    outcomes: DataSource | None
    example: bool


@dataclass
class YearAllocation:
    """All distributions of one agreement."""

    agreement: Agreement
    population: Population | None
    outcomes: Outcomes | None
    items: list[Item] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # other agreement files a published table is taken from

    @property
    def lines(self) -> list[Line]:
        return [line for item in self.items for line in item.lines]

    @property
    def example(self) -> bool:
        """True if any figure comes from example data rather than official statistics or outcomes."""
        return bool((self.population and self.population.example) or (self.outcomes and self.outcomes.example))

    @property
    def note(self) -> DataNote:
        """Return what a document says of the data files (see :class:`DataNote`)."""
        population, outcomes = (
            DataSource(d.file, d.example) if d is not None else None for d in (self.population, self.outcomes)
        )
        return DataNote(population, outcomes, self.example)

    def for_code(self, code: str) -> list[Line]:
        return [line for line in self.lines if line.code == code]

    def for_county(self, county: str) -> list[Line]:
        return [line for line in self.lines if line.county == county]

    @property
    def distributed(self) -> int:
        return sum(item.distributed for item in self.items)


# --------------------------------------------------------------------------- walking the agreement


def _items(agreement: Agreement) -> Iterator[tuple[tuple, Payout | Pot]]:
    """Yield (YAML path, payout or pot) of every item that has a distribution, in document order."""

    def walk(sections: list[Section], path: tuple) -> Iterator[tuple[tuple, Payout | Pot]]:
        for i, section in enumerate(sections):
            here = path + (i,)
            for j, pot in enumerate(section.pots):
                if pot.distribution is not None:
                    yield here + ("pots", j), pot
            for j, payout in enumerate(section.payouts):
                if payout.distribution is not None:
                    yield here + ("payouts", j), payout
            yield from walk(section.sections, here + ("sections",))

    yield from walk(agreement.sections, ("sections",))


class _Context:
    def __init__(
        self, agreement: Agreement, source: SourceMap | None, population: Population | None, outcomes: Outcomes | None
    ):
        self.agreement = agreement
        self.source = source
        self.population = population
        self.outcomes = outcomes
        self.findings: list[Finding] = []
        self.warnings: list[Finding] = []
        self.files: list[Path] = []
        self.published_years: dict[str, str] = {}  # item id → the year of the agreement its table is taken from
        self._county_keys: dict[tuple[str, str], int] = {}
        if population is not None:
            for key in AGE_KEYS:
                for county in counties():
                    self._county_keys[(county, key)] = population.county(county, key)

    def where(self, path: tuple) -> Location:
        if self.source is None:
            return Location(Path(f"{self.agreement.id}.yaml"))
        return self.source.locate(path)

    def fail(self, path: tuple, message: str) -> None:
        self.findings.append(Finding(self.where(path), message, path=dotted(path)))

    def warn(self, path: tuple, message: str, hint: str = "") -> None:
        self.warnings.append(Finding(self.where(path), message, path=dotted(path), severity="warning", hint=hint))

    def key(self, key: str, kind: str, code: str, outcome: Outcome | None, path: tuple) -> int | None:
        """Return the value of ``key`` for one recipient, or None (after recording why) if it is missing."""
        county = recipient(code)[2]
        if key in AGE_KEYS:
            if self.population is None:
                self.fail(path, f"nyckeln {key} kräver befolkningsdata: ange en fil från SCB under data.population")
                return None
            if kind == "kommun":
                return self.population.municipality(code, key)
            return self._county_keys[(county, key)]
        if key == "antal_kommuner":
            if kind == "kommun":
                self.fail(path, "nyckeln antal_kommuner räknar ett läns kommuner; den kräver level lan eller landsting")
                return None
            return municipality_counts()[county]
        if key in OUTCOME_KEYS:
            if outcome is None or outcome.count is None:
                where = (
                    f"{outcome.code} på rad {outcome.line} i {self.outcomes.file}"
                    if outcome and self.outcomes
                    else code
                )
                self.findings.append(
                    Finding(
                        Location(self.outcomes.file, outcome.line) if outcome and self.outcomes else self.where(path),
                        f"{where} har kvalificerat sig men saknar antal; potten delas efter {KEY_LABELS.get(key, key)}",
                    )
                )
                return None
            return outcome.count
        self.fail(path, f"inga data för nyckeln {key}")
        return None


def _units(level: str) -> list[tuple[str, str]]:
    """Return (kind, code) of everyone at ``level``, in code order."""
    if level == "lan":
        return [("lan", c) for c in counties()]
    if level == "kommun":
        return [("kommun", c) for c in municipalities()]
    if level == "landsting":
        return [("landsting", c) for c in councils()]
    return [("kommun", c) for c in municipalities()] + [("landsting", c) for c in councils()]


def _level_kinds(level: str) -> set[str]:
    return {"kommun_och_landsting": {"kommun", "landsting"}}.get(level, {level})


# --------------------------------------------------------------------------- one item


def _allocate_item(ctx: _Context, path: tuple, item: Payout | Pot) -> Item | None:
    d = item.distribution
    assert d is not None
    is_pot = isinstance(item, Pot)
    if isinstance(item, Pot):
        label, route = item.title, item.route
    else:
        label, route = item.label, item.route or "skl"
    kinds = _level_kinds(d.level)
    notes: list[str] = []
    outcomes: dict[str, Outcome] = {}
    if isinstance(item, Pot):
        if ctx.outcomes is None:
            ctx.fail(
                path + ("distribution",),
                f"potten {item.id} delas mellan dem som kvalificerat sig: ange utfallsfilen under data.outcomes",
            )
            return None
        for row in ctx.outcomes.for_pot(item.id):
            if row.kind not in kinds or row.kind not in item.eligible:
                ctx.findings.append(
                    Finding(
                        Location(ctx.outcomes.file, row.line),
                        f"{row.code} är {row.kind}, men {item.id} gäller "
                        f"{' och '.join(KINDS[k] for k in sorted(kinds & set(item.eligible)) or kinds)}",
                    )
                )
                continue
            outcomes[row.code] = row
        units = [(kind, code) for kind, code in _units(d.level) if code in outcomes and outcomes[code].qualified]
    else:
        units = _units(d.level)
    qualifiers = frozenset(code for _, code in units)
    eligible = tuple(code for _, code in _units(d.level))

    shared = item.amount
    if d.minimum is not None:
        count = sum(1 for kind, _ in units if kind == d.minimum.unit)
        shared, _ = rules.pot_after_minimum(item.amount, count, d.minimum.count, d.minimum.reduced_amount)
        unit = KINDS[d.minimum.unit]
        notes.append(
            f"{tal_ord(count)} {unit} har kvalificerat sig, minst {tal_ord(d.minimum.count)} krävs: "
            f"hela potten {kronor(shared)} fördelas"
            if shared == item.amount
            else f"endast {tal_ord(count)} {unit} har kvalificerat sig, minst {tal_ord(d.minimum.count)} krävs: "
            f"de delar på {kronor(shared)} i stället för {kronor(item.amount)}"
        )
    if d.note:
        notes.append(d.note)
    if d.confirm:
        ctx.warn(path + ("distribution", "confirm"), f"antagande att bekräfta: {d.confirm}")

    parts: list[tuple[str | None, int, list[tuple[str, str]]]] = []
    if d.shares:
        for share in d.shares:
            parts.append((share.to, share.amount, [u for u in units if u[0] == share.to]))
    else:
        parts.append((None, shared, units))

    lines: list[Line] = []
    county_shares: dict[str, tuple[int, str]] = {}
    for to, amount, members in parts:
        prefix: list[str] = []
        if to is not None:
            prefix.append(f"andelen för {KINDS[to]}: {kronor(amount)}")
        if not members:
            if is_pot and amount > 0:  # the money would silently stay unpaid
                where = f" bland {KINDS[to]}" if to else ""
                ctx.fail(
                    path + ("amount",),
                    f"ingen mottagare kvalificerar sig för potten {item.id}{where} i utfallsfilen: "
                    f"{kronor(amount)} skulle inte betalas ut till någon",
                )
                continue
            notes.append(f"ingen kvalificerad{' bland ' + KINDS[to] if to else ''}: {kronor(amount)} fördelas inte")
            continue
        table = _published_table(ctx, path, item.id, d)
        if table is None and d.published_from is not None:
            continue  # the published table could not be read: reported
        if table is not None:
            computed = _published(ctx, path, item, d, amount, members, outcomes, table)
        else:
            computed = _rule(ctx, path, item, d, amount, members, outcomes)
        if computed is None:
            continue
        for (kind, code), allocated in zip(members, computed):
            steps = tuple(notes[:1] if d.minimum else ()) + tuple(prefix) + (allocated.explanation,)
            if kind == "lan":
                county_shares[code] = (allocated.amount, allocated.explanation)
            if d.split is not None and kind == "lan":
                lines.extend(_split(ctx, path, item.id, label, route, code, allocated, steps, d))
                continue
            name, county = recipient(code)[1], recipient(code)[2]
            lines.append(
                Line(
                    item.id,
                    label,
                    route,
                    kind,
                    code,
                    name,
                    county,
                    allocated.amount,
                    d.key,
                    _int(allocated.key_value),
                    _int(allocated.key_total),
                    steps,
                )
            )
    if ctx.findings:
        return None
    published = d.published is not None or d.published_from is not None
    if published:
        shared = sum(line.amount for line in lines)
        if shared < item.amount:
            # the sender's statement; why the rest is left (remainder_note) is for validate and explain only
            notes.append(f"{kronor(item.amount - shared)} av {kronor(item.amount)} ingår inte i fördelningen")
    return Item(
        item.id,
        label,
        "pot" if is_pot else "payout",
        item.amount,
        shared,
        route,
        d,
        tuple(notes),
        tuple(lines),
        eligible,
        qualifiers,
        county_shares,
        published,
        d.remainder_note,
    )


def _published_table(ctx: _Context, path: tuple, item_id: str, d: Distribution) -> dict[str, int] | None:
    """Return the published table of a distribution (typed here, or taken from another agreement file), or None."""
    if d.published is not None:
        return dict(d.published)
    if d.published_from is None:
        return None
    where = path + ("distribution", "published_from")
    base_file = ctx.source.file if ctx.source is not None else Path("agreement.yaml")
    try:
        file = contained_path(base_file, d.published_from.file)
    except ValueError as exc:
        ctx.fail(where + ("file",), f"avvisas: {exc}")
        return None
    if not file.is_file():
        ctx.fail(where + ("file",), f"filen finns inte: {file}")
        return None
    from generator.data.loading import load_yaml  # another agreement file: read, not validated here (it is on its own)

    data, _ = load_yaml(file)
    found = _find_item(data, d.published_from.item)
    distribution = found.get("distribution") if isinstance(found, dict) else None
    table = distribution.get("published") if isinstance(distribution, dict) else None
    if not isinstance(table, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_KRONOR for v in table.values()
    ):
        ctx.fail(
            where + ("item",),
            f"{file} har ingen post {d.published_from.item!r} med en publicerad tabell "
            "(distribution.published: länskod → kronor)",
        )
        return None
    ctx.files.append(file)
    if isinstance(data, dict) and isinstance(data.get("year"), int):
        ctx.published_years[item_id] = str(data["year"])
    return {str(code): amount for code, amount in table.items()}


def _find_item(node, item_id: str):
    """Return the mapping with ``id: item_id`` anywhere under ``node`` (an agreement file's data), or None."""
    if isinstance(node, dict):
        if node.get("id") == item_id and "distribution" in node:
            return node
        children: Iterable = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find_item(child, item_id)
        if found is not None:
            return found
    return None


def _published(
    ctx: _Context,
    path: tuple,
    item,
    d: Distribution,
    amount: int,
    members: list[tuple[str, str]],
    outcomes: dict[str, Outcome],
    table: dict[str, int],
) -> list[rules.Allocation] | None:
    """Return the published amounts; the stated rule, if any, is computed beside them and differences warned."""
    where = path + ("distribution", "published" if d.published is not None else "published_from")
    codes = [c for _, c in members]
    unknown = [code for code in table if code not in codes]
    missing = [code for code in codes if code not in table]
    if unknown or missing:
        ctx.fail(
            where,
            "den publicerade tabellen "
            + "; ".join(
                part
                for part in (
                    f"nämner {', '.join(unknown)}, som inte är mottagare i den här fördelningen" if unknown else "",
                    f"har inget belopp för {', '.join(missing)}" if missing else "",
                )
                if part
            ),
        )
        return None
    total = sum(table.values())
    if total > amount:
        ctx.fail(
            where,
            f"den publicerade tabellen summerar till {kronor(total)}, mer än de {kronor(amount)} som ska fördelas "
            f"(skillnad {kronor(total - amount)})",
        )
        return None
    if total < amount:
        ctx.warn(
            where,
            f"den publicerade tabellen summerar till {kronor(total)}, {kronor(amount - total)} mindre än de "
            f"{kronor(amount)} som {item.id} omfattar: resten visas som ej fördelat",
            "" if d.remainder_note else "say why under distribution.remainder_note",
        )
    rule = None
    if d.rule != "fixed_table":
        rule = _rule(ctx, path, item, d, amount, members, outcomes)
        if rule is None:
            return None
    out = []
    differ = []
    origin = (
        f"enligt den publicerade fördelningen {ctx.published_years.get(item.id, '')}".rstrip()
        if d.published_from is not None
        else "enligt den publicerade fördelningen"
    )
    for index, code in enumerate(codes):
        paid = table[code]
        if rule is None:
            out.append(rules.Allocation(code, paid, explanation=f"{kronor(paid)} {origin}"))
            continue
        by_rule = rule[index]
        how = f"{kronor(paid)} {origin}"
        if by_rule.amount != paid:
            differ.append((code, paid, by_rule.amount))
            difference = skillnad_kronor(paid - by_rule.amount)
            how += f"\n  enligt den angivna regeln: {by_rule.explanation} (skillnad {difference})"
        else:
            how += f"\n  samma som enligt den angivna regeln: {by_rule.explanation}"
        out.append(rules.Allocation(code, paid, by_rule.key_value, by_rule.key_total, how))
    if differ:
        listing = "".join(
            f"\n      {recipient(code)[1]} ({code}): {kronor(paid)} publicerat, {kronor(computed)} enligt "
            f"regeln, skillnad {skillnad_kronor(paid - computed)}"
            for code, paid, computed in differ
        )
        ctx.warn(
            where,
            f"den publicerade tabellen för {item.id} skiljer sig från den angivna regeln ({d.rule}) för "
            f"{len(differ)} av {len(codes)} mottagare:{listing}",
            "de publicerade beloppen betalas ut och skrivs ut; regeln används bara som kontroll",
        )
    return out


def _int(value) -> int | None:
    return None if value is None else int(value)


def _rule(
    ctx: _Context,
    path: tuple,
    item,
    d: Distribution,
    amount: int,
    members: list[tuple[str, str]],
    outcomes: dict[str, Outcome],
) -> list[rules.Allocation] | None:
    step = d.step or 1
    key_name = KEY_LABELS.get(d.key or "", d.key or "")
    try:
        if d.rule == "fixed_table":
            table = d.table or {}
            unknown = [code for code in table if code not in {c for _, c in members}]
            if unknown:
                ctx.fail(
                    path + ("distribution", "table"),
                    f"tabellen nämner {', '.join(unknown)}, som inte är län i den här fördelningen",
                )
                return None
            missing = [c for _, c in members if c not in table]
            if missing:
                ctx.fail(path + ("distribution", "table"), f"tabellen har inget belopp för {', '.join(missing)}")
                return None
            if sum(table.values()) != amount:
                ctx.fail(
                    path + ("distribution", "table"),
                    f"tabellen summerar till {kronor(sum(table.values()))}, inte de {kronor(amount)} som ska fördelas",
                )
                return None
            return rules.fixed_table({c: table[c] for _, c in members})
        keys: dict[str, int] = {}
        for kind, code in members:
            value = ctx.key(d.key or "", kind, code, outcomes.get(code), path + ("distribution", "key"))
            if value is None:
                return None
            keys[code] = value
        if d.rule in {"floor_then_key", "base_then_key"}:
            base = d.floor if d.rule == "floor_then_key" else d.base
            return rules.base_then_key(amount, base or 0, keys, key_name, step)
        return rules.proportional(amount, keys, key_name, step)
    except rules.AllocationError as exc:
        ctx.fail(path + ("distribution",), f"{item.id}: {exc}")
        return None


def _split(
    ctx: _Context,
    path: tuple,
    item_id: str,
    label: str,
    route: str,
    county: str,
    allocated: rules.Allocation,
    steps: tuple[str, ...],
    d: Distribution,
) -> list[Line]:
    split = d.split
    assert split is not None
    county_name = counties()[county].name
    to_municipalities, to_council = rules.split(allocated.amount, split.kommuner, split.landsting)
    council = councils()["00" + county]
    head = steps[:-1] + (f"{county_name}: {steps[-1]}",)
    out = [
        Line(
            item_id,
            label,
            route,
            "landsting",
            council.code,
            council.name,
            county,
            to_council,
            d.key,
            _int(allocated.key_value),
            _int(allocated.key_total),
            head
            + (
                f"{_pct(split.landsting)} procent till landstinget: {kronor(allocated.amount)} × "
                f"{_pct(split.landsting)} / 100 → {kronor(to_council)}",
            ),
        )
    ]
    members = [code for code, m in municipalities().items() if m.county == county]
    keys = {}
    for code in members:
        value = ctx.key(split.key, "kommun", code, None, path + ("distribution", "split", "key"))
        if value is None:
            return []
        keys[code] = value
    share_head = head + (
        f"{_pct(split.kommuner)} procent till kommunerna: {kronor(allocated.amount)} × "
        f"{_pct(split.kommuner)} / 100 → {kronor(to_municipalities)}",
    )
    try:
        shares = rules.proportional(to_municipalities, keys, KEY_LABELS.get(split.key, split.key))
    except rules.AllocationError as exc:
        ctx.fail(path + ("distribution", "split"), f"{item_id}, {county_name}: {exc}")
        return []
    for code, share in zip(members, shares):
        m = municipalities()[code]
        out.append(
            Line(
                item_id,
                label,
                route,
                "kommun",
                code,
                m.short,
                county,
                share.amount,
                split.key,
                _int(share.key_value),
                _int(share.key_total),
                share_head + (share.explanation,),
            )
        )
    return out


def _pct(value) -> str:
    return belopp(int(value)) if value == int(value) else str(value).replace(".", ",")


# --------------------------------------------------------------------------- the year


def load_data(
    agreement: Agreement, agreement_file: Path, source: SourceMap | None = None
) -> tuple[Population | None, Outcomes | None]:
    """Return the population and outcome data the agreement names (paths relative to its file)."""
    if agreement.data is None:
        return None, None
    population = outcomes = None
    findings: list[Finding] = []

    def missing(path: tuple, file: Path) -> None:
        where = source.locate(path) if source else Location(agreement_file)
        findings.append(Finding(where, f"filen finns inte: {file}", path=dotted(path)))

    def contained(path: tuple, name: str) -> Path | None:
        try:
            file = contained_path(agreement_file, name)
            if file.exists() and not file.is_file():
                raise ValueError(f"{name!r} är ingen vanlig fil (en mapp, enhet eller rörledning)")
            return file
        except ValueError as exc:
            where = source.locate(path) if source else Location(agreement_file)
            findings.append(
                Finding(
                    where,
                    f"avvisas: {exc}",
                    path=dotted(path),
                    hint="datafiler måste ligga i projektmappen, angivna relativt överenskommelsen",
                )
            )
            return None

    if agreement.data.population is not None:
        file = contained(("data", "population", "file"), agreement.data.population.file)
        if file is None:
            pass
        elif file.exists():
            population = load_population(file, agreement.data.population.year)
        else:
            missing(("data", "population", "file"), file)
    if agreement.data.outcomes is not None:
        file = contained(("data", "outcomes"), agreement.data.outcomes)
        if file is None:
            pass
        elif file.exists():
            outcomes = load_outcomes(file)
        else:
            missing(("data", "outcomes"), file)
    if findings:
        raise DataError(str(findings[0]), findings)
    return population, outcomes


def allocate(agreement: Agreement, agreement_file: Path, source: SourceMap | None = None) -> YearAllocation:
    """Return every distribution of ``agreement``; DataError (file and line) if the data cannot carry it out."""
    population, outcomes = load_data(agreement, agreement_file, source)
    ctx = _Context(agreement, source, population, outcomes)
    result = YearAllocation(agreement, population, outcomes)
    pots: set[str] = set()
    for path, item in _items(agreement):
        if isinstance(item, Pot):
            pots.add(item.id)
        computed = _allocate_item(ctx, path, item)
        if computed is not None:
            result.items.append(computed)
    if outcomes is not None:
        for row in outcomes.rows:
            if row.pot not in pots:
                ctx.findings.append(
                    Finding(
                        Location(outcomes.file, row.line),
                        f"okänd pott {row.pot!r}" + (f" (potterna: {', '.join(sorted(pots))})" if pots else ""),
                    )
                )
    if ctx.findings:
        findings = collapse(ctx.findings)
        first = findings[0]
        raise DataError(str(first) if len(findings) == 1 else f"{len(findings)} fel i fördelningarna", findings)
    result.warnings = collapse(ctx.warnings)
    result.files = ctx.files
    return result
