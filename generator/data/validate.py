"""Everything that can be wrong with an agreement file, found in one run.

:func:`check_file` turns a file into a validated :class:`Agreement` and every
finding about it (:func:`generator.app.load_agreement` raises :class:`DataError`
carrying them, with what the distribution finds): schema errors with file,
line, column and field path; sums that do not add up, with both figures and
the difference; dates out of order; references that do not resolve;
duplicated ids; figure references in prose that name nothing.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator
from decimal import Decimal

from jinja2 import TemplateError, UndefinedError
from pydantic import BaseModel, ValidationError

from generator.errors import Finding, Location, Report
from generator.formatting import kronor
from generator.data.loading import PathKey, SourceMap, dotted, load_yaml
from generator.data.model import (Agreement, Appendix, Decision, Distribution, Letter, Party, Payout, Period, Pot, Row, Section,
                    Share, Table, TableBlock)
from generator.data.prose_figures import figure_context, render_prose, syntax_message, walk_appendices, walk_sections
from generator.data.reference import DISTRIBUTION_KEYS
from generator.data.schema_errors import (EMPTY_HINT, describe_value, empty_findings, hint_once, schema_findings,
                                          undefined_name)


#: Names that prose uses for namespaces and built-ins; no id may shadow them.
RESERVED_NAMES = {"sec", "bil", "punkt", "pott", "utbet", "tab", "total", "year", "decision", "a", "v"}


@dataclass
class Validated:
    """A validated agreement, where it came from, and its warnings."""

    agreement: Agreement
    source: SourceMap
    warnings: list = field(default_factory=list)
    allocation: Any = None  # distribute.YearAllocation, when the agreement names its key and outcome data
    municipal: dict = field(default_factory=dict)  # code → (municipal.MunicipalFile, path), for the utlåtanden

    @property
    def file(self) -> Path:
        return self.source.file


# --------------------------------------------------------------------------- walking the model with paths

def walk_models(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[BaseModel, PathKey]]:
    yield model, path
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk_models(value, path + (name,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk_models(item, path + (name, index))


def prose_fields(model: BaseModel) -> Iterator[tuple[str, str | list]]:
    """Yield (field name, value) for each prose field of ``model`` that is set."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in _PROSE_NAMES and isinstance(value, (str, list)):
            yield name, value


_PROSE_NAMES = {
    "text", "description", "offer", "calculation", "period_note", "data_entry_text", "distribution_text",
    "payment_text", "pots_text", "payouts_text", "conditions", "after_text", "requirements", "requirements_followup",
    "decision", "matter", "background", "intro", "approval", "payment_decision", "plans", "table_text", "table_title",
    "history", "purpose", "offer_lead", "follow_up", "closing",  # the municipalities' utlåtande
}


# --------------------------------------------------------------------------- semantic checks

class _Checker:
    def __init__(self, agreement: Agreement, source: SourceMap, report: Report, sums_as_warnings: bool = False):
        self.sums_as_warnings = sums_as_warnings
        self.a = agreement
        self.source = source
        self.report = report
        self.payouts = {}
        self.nodes = list(walk_models(agreement))

    def at(self, path: PathKey) -> Location:
        return self.source.locate(path)

    def error(self, path: PathKey, message: str, hint: str = "") -> None:
        self.report.error(self.at(path), message, dotted(path), hint)

    def warning(self, path: PathKey, message: str, hint: str = "") -> None:
        self.report.warning(self.at(path), message, dotted(path), hint)

    # ids and references ------------------------------------------------------------
    def ids(self) -> None:
        seen: dict[str, PathKey] = {}

        def claim(identifier: str, path: PathKey) -> None:
            if identifier in RESERVED_NAMES:
                self.error(path, f"id:t {identifier!r} är ett reserverat namn i texten",
                           f"choose another id; reserved: {', '.join(sorted(RESERVED_NAMES))}")
            elif identifier in seen:
                first = self.at(seen[identifier])
                self.error(path, f"id:t {identifier!r} används två gånger (första gången på rad {first.line})",
                           "varje id måste vara unikt i överenskommelsen: texten hänvisar till det med namn")
            else:
                seen[identifier] = path

        for model, path in self.nodes:
            identifier = getattr(model, "id", None)
            if isinstance(identifier, str) and not isinstance(model, Share):
                claim(identifier, path + ("id",))
            if isinstance(model, Payout):
                self.payouts[model.id] = model
        for model, path in self.nodes:
            if isinstance(model, Share) and model.id:
                claim(model.id, path + ("id",))
        for name in ("figures", "dates"):
            for key in getattr(self.a, name):
                claim(key, (name, key))
        self.all_ids = seen

    def references(self) -> None:
        organisations = {o.id for o in self.a.organisations}
        appendices = {a.id for a in walk_appendices(self.a.appendices)}

        def check(value: str | None, known: set, path: PathKey, what: str) -> None:
            if value is not None and value not in known:
                close = difflib.get_close_matches(value, sorted(known), n=1)
                hint = f"menade du {close[0]!r}?" if close else f"kända: {', '.join(sorted(known)) or 'inga'}"
                self.error(path, f"okänd {what} {value!r}", hint)

        for model, path in self.nodes:
            if isinstance(model, Payout):
                check(model.recipient, organisations, path + ("recipient",), "organisation")
                check(model.beneficiary, organisations, path + ("beneficiary",), "organisation")
            if isinstance(model, Party):
                check(model.organisation, organisations, path + ("organisation",), "organisation")
            if isinstance(model, Letter):
                check(model.sender, organisations, path + ("sender",), "organisation")
            if isinstance(model, (Payout, Section)):
                for index, ref in enumerate(model.appendices):
                    check(ref, appendices, path + ("appendices", index), "bilaga")
            if isinstance(model, Row):
                check(model.ref, set(self.payouts), path + ("ref",), "utbetalning")
            if isinstance(model, Table):
                check(model.funding_ref, set(self.payouts), path + ("funding_ref",), "utbetalning")
                for index, ref in enumerate(model.funded_by):
                    check(ref, set(self.payouts), path + ("funded_by", index), "utbetalning")
            if isinstance(model, Distribution):
                check(model.key, set(DISTRIBUTION_KEYS), path + ("key",), "fördelningsnyckel")

    # prose ----------------------------------------------------------------------------
    def prose(self) -> None:
        try:
            context = figure_context(self.a)
        except Exception as exc:  # numbering limits and the like
            self.error((), f"dokumentet kan inte numreras: {exc}")
            return
        known = sorted(k for k in context if isinstance(k, str))
        for model, where, text in self._texts():
            local = {**context, "decision": model} if isinstance(model, Decision) else context
            try:
                render_prose(text, local)
            except UndefinedError as exc:
                missing = undefined_name(exc)
                close = difflib.get_close_matches(missing, known, n=1)
                hint = f"menade du {close[0]!r}?" if close else "ange det under figures: eller dates:, eller använd ett id som finns"
                self.report.error(self.source.locate_in_text(where, text, missing),
                                  f"texten hänvisar till {missing!r}, som inte finns", dotted(where), hint)
            except TemplateError as exc:
                self.report.error(self.source.locate_error(where, exc),
                                  f"texten har en felaktig hänvisning: {syntax_message(exc)}", dotted(where),
                                  "en hänvisning skrivs {{ id | miljoner }}")
            except (TypeError, ValueError) as exc:
                self.error(where, f"ett värde i texten kan inte skrivas ut: {exc}")

    def _texts(self) -> Iterator[tuple[BaseModel, PathKey, str]]:
        """Yield (model, path, text) of every prose text of the agreement."""
        for model, path in self.nodes:
            for name, value in prose_fields(model):
                texts = value if isinstance(value, list) else [value]
                for index, text in enumerate(texts):
                    if isinstance(text, str):
                        yield model, path + (name,) + ((index,) if isinstance(value, list) else ()), text
        if self.a.county_letters is not None:
            for key, text in self.a.county_letters.item_conditions.items():
                yield self.a.county_letters, ("county_letters", "item_conditions", key), text

    def literal_figures(self) -> None:
        """Warn where prose types an amount or a date that is a figure of the data: it would go stale."""
        try:
            context = figure_context(self.a)
        except Exception:  # reported by prose()
            return
        amounts: dict[int, list[str]] = {}
        dates: dict[dt.date, list[str]] = {}
        for name, value in context.items():
            if isinstance(value, bool) or not isinstance(name, str) or name in {"year"}:
                continue
            if isinstance(value, int):
                amounts.setdefault(value, []).append(name)
            elif isinstance(value, dt.date):
                dates.setdefault(value, []).append(name)
        for section_id, ref in context.get("sec", {}).items():
            if getattr(ref, "total", None):
                amounts.setdefault(ref.total, []).append(f"sec.{section_id}.total")
        for _, where, text in self._texts():
            for literal, amount, when in literal_figures(text):
                names = amounts.get(amount, []) if amount is not None else dates.get(when, [])
                if not names:
                    continue
                use = (f"{{{{ {names[0]} | {'kronor' if 'kronor' in literal else 'miljoner'} }}}}"
                       if amount is not None else f"{{{{ {names[0]} | datum }}}}")
                self.report.warning(self.source.locate_in_text(where, text, literal),
                                    f"texten skriver {literal!r}, som är värdet {names[0]!r}: "
                                    "det skulle inte följa med en ändring av data", dotted(where), f"skriv {use} i stället")

    # arithmetic ------------------------------------------------------------------------
    def sums(self) -> None:
        payouts_total = 0
        pots_total = 0
        for section, path in self._sections():
            payouts_total += sum(p.amount for p in section.payouts)
            pots_total += sum(p.amount for p in section.pots)
            if section.total is not None:
                parts = _section_sum(section)
                self._compare(path + ("total",), f"avsnittet {section.title!r} anger", section.total,
                              "dess utbetalningar, potter och delavsnitt blir tillsammans", parts)
        computed = payouts_total + pots_total
        self._compare(("total",), "överenskommelsen anger", self.a.total,
                      f"dess utbetalningar ({kronor(payouts_total)}) och potter ({kronor(pots_total)}) blir tillsammans", computed)
        self.summary = (payouts_total, pots_total)
        for model, path in self.nodes:
            if isinstance(model, Payout) and model.earmarks:
                earmarked = sum(e.amount for e in model.earmarks)
                if earmarked > model.amount:
                    self.error(path + ("earmarks",), f"de avsatta delarna blir tillsammans {kronor(earmarked)}, mer än utbetalningens "
                               f"{kronor(model.amount)} (skillnad {kronor(earmarked - model.amount)})")
            if isinstance(model, Pot):
                self._pot(model, path)
            if isinstance(model, Table):
                self._table(model, path)

    def _pot(self, pot: Pot, path: PathKey) -> None:
        d = pot.distribution
        if d is None:
            return
        if d.shares:
            shared = sum(s.amount for s in d.shares)
            self._compare(path + ("amount",), f"potten {pot.title!r} är", pot.amount,
                          "dess andelar blir tillsammans", shared)
        if d.minimum and d.minimum.reduced_amount > pot.amount:
            self.error(path + ("distribution", "minimum", "reduced_amount"),
                       f"den reducerade potten {kronor(d.minimum.reduced_amount)} är större än potten {kronor(pot.amount)}")
        if d.rule == "fixed_table" and d.published is None and d.published_from is None:
            if not d.table:
                self.error(path + ("distribution", "table"), "en fördelning med fixed_table kräver sin tabell (table)")
            else:
                self._compare(path + ("distribution", "table"), f"potten {pot.title!r} är", pot.amount,
                              "dess tabell blir tillsammans", sum(d.table.values()))
        if d.rule in {"floor_then_key", "base_then_key", "proportional"} and d.key is None:
            self.error(path + ("distribution", "rule"), f"regeln {d.rule} kräver en nyckel (key)")
        if d.rule == "floor_then_key" and d.floor is None:
            self.error(path + ("distribution", "rule"), "regeln floor_then_key kräver ett golv (floor)")
        if d.rule == "base_then_key" and d.base is None:
            self.error(path + ("distribution", "rule"), "regeln base_then_key kräver ett grundbelopp (base)")

    def _row_amount(self, row) -> int:
        if row.ref is not None:
            payout = self.payouts.get(row.ref)
            return payout.amount if payout else 0
        return row.amount or 0

    def _table(self, table: Table, path: PathKey) -> None:
        rows_sum = sum(self._row_amount(r) for r in table.rows if r.income is None and r.cost is None)
        for index, group in enumerate(table.groups):
            group_sum = sum(self._row_amount(r) for r in group.rows)
            if group.total is not None:
                self._compare(path + ("groups", index, "total"), f"delsumman {group.title!r} anger",
                              group.total, "dess rader blir tillsammans", group_sum)
            rows_sum += group.total if group.total is not None else group_sum
        title = f"tabellen {table.title or table.id or ''}".rstrip()
        if table.total is not None:
            self._compare(path + ("total",), f"{title} anger", table.total, "dess rader blir tillsammans", rows_sum)
        incomes = sum(self._row_amount(r) if r.ref else (r.income or 0) for r in table.rows if r.income is not None or r.ref)
        costs = sum(r.cost or 0 for r in table.rows)
        if table.total_income is not None:
            self._compare(path + ("total_income",), f"{title} anger intäkter", table.total_income,
                          "dess intäktsrader blir tillsammans", incomes)
        if table.total_cost is not None:
            self._compare(path + ("total_cost",), f"{title} anger kostnader", table.total_cost,
                          "dess kostnadsrader blir tillsammans", costs)
        total = table.total if table.total is not None else (table.total_cost if table.total_cost is not None else rows_sum)
        funding = table.funding
        if table.funding_ref is not None and table.funding_ref in self.payouts:
            ref_amount = self.payouts[table.funding_ref].amount
            if funding is not None:
                self._compare(path + ("funding",), f"{title} anger ersättningen", funding,
                              f"utbetalningen {table.funding_ref!r} är", ref_amount)
            funding = ref_amount
        if table.margin is not None:
            if funding is None:
                self.error(path + ("margin",), "en marginal kräver ersättningen den räknas från (funding eller funding_ref)")
            else:
                self._compare(path + ("margin",), f"{title} anger marginalen", table.margin,
                              "ersättning minus summa är", funding - total)
        if table.funded_by and not any(r.income is not None or r.cost is not None for r in table.rows):
            # an income/cost budget: the payouts are income, checked in _budget (not against the cost)
            funded = sum(self.payouts[p].amount for p in table.funded_by if p in self.payouts)
            if funded != total:
                self.warning(path + ("funded_by",),
                             f"{title} budgeterar {kronor(total)} men utbetalningarna som finansierar den "
                             f"({', '.join(table.funded_by)}) blir tillsammans {kronor(funded)} "
                             f"(skillnad {_signed(total - funded)})",
                             "kontrollera budgeten mot utbetalningen, eller utbetalningen mot budgeten")

    def _compare(self, path: PathKey, stated_what: str, stated: int, computed_what: str, computed: int) -> None:
        if stated != computed:
            (self.warning if self.sums_as_warnings else self.error)(path, f"{stated_what} {_money(stated)} men {computed_what} {_money(computed)} "
                             f"(skillnad {_signed(computed - stated)})",
                       "rätta den angivna summan eller den del som är fel")

    def _sections(self) -> Iterator[tuple[Section, PathKey]]:
        for model, path in self.nodes:
            if isinstance(model, Section):
                yield model, path

    # distributions ---------------------------------------------------------------------
    def distributions(self) -> None:
        """Refuse keys that the distribution's rule does not use: they would be silently ignored."""
        common = {"rule", "level", "note", "shares", "split", "minimum", "published", "published_from", "remainder_note"}
        allowed = {
            "fixed_table": common | {"table"},
            "floor_then_key": common | {"key", "floor", "step"},
            "base_then_key": common | {"key", "base", "step"},
            "proportional": common | {"key", "step"},
        }
        for model, path in self.nodes:
            if not isinstance(model, Distribution):
                continue
            given = model.model_fields_set
            for name in sorted(given - allowed[model.rule]):
                users = [rule for rule, keys in allowed.items() if name in keys and name not in common]
                self.error(path + (name,), f"{name!r} används inte av regeln {model.rule}"
                           + (f" (den hör till {', '.join(users)})" if users else ""),
                           f"ta bort den, eller välj den regel den hör till; {model.rule} använder "
                           f"{', '.join(sorted(allowed[model.rule] - {'rule'}))}")
            published = model.published is not None or model.published_from is not None
            if model.published is not None and model.published_from is not None:
                self.error(path + ("published_from",), "ange den publicerade tabellen en gång: published eller published_from")
            if model.remainder_note is not None and not published:
                self.error(path + ("remainder_note",), "en remainder_note hör till en publicerad tabell som lämnar en del "
                           "av potten ofördelad; den här fördelningen har ingen")
            if published and (model.shares or model.split is not None):
                self.error(path + ("published" if model.published is not None else "published_from",),
                           "en publicerad tabell ger det slutliga beloppet per mottagare; den kan inte kombineras med "
                           "shares eller split")
            if published and model.rule == "fixed_table" and model.table is not None:
                self.error(path + ("table",), "en fixed_table med en publicerad tabell behöver ingen table: den publicerade "
                           "betalas ut")

    # budgets ------------------------------------------------------------------------------
    def budgets(self) -> None:
        """Income against cost, labels naming another year, and budgets linked to the payouts of their payee."""
        tables: dict[str, list[Table]] = {}  # appendix id → its tables
        for model, _ in self.nodes:
            if isinstance(model, Appendix):
                tables[model.id] = [b.table for b in model.blocks if isinstance(b, TableBlock)]
        listed: dict[str, list[str]] = {}  # appendix id → payouts whose budget it is, not linked explicitly
        for model, _ in self.nodes:
            if isinstance(model, Payout):
                own = [t for ref in model.appendices for t in tables.get(ref, [])]
                if any(model.id in t.funded_by or t.funding_ref == model.id for t in own):
                    continue  # the payout's budget is linked by hand
                for ref in model.appendices:
                    listed.setdefault(ref, []).append(model.id)
        for model, path in self.nodes:
            if isinstance(model, Appendix):
                for index, block in enumerate(model.blocks):
                    if isinstance(block, TableBlock):
                        self._budget(block.table, path + ("blocks", index, "table"), listed.get(model.id, []))

    def _budget(self, table: Table, path: PathKey, payouts: list[str]) -> None:
        title = f"tabellen {table.title or table.id or ''}".rstrip()
        labels = [("total_label", table.total_label), ("funding_label", table.funding_label),
                  ("margin_label", table.margin_label)]
        labels += [(("columns", i), c) for i, c in enumerate(table.columns)]
        labels += [(("groups", i, "total_label"), g.total_label) for i, g in enumerate(table.groups)]
        for where, label in labels:
            for year in re.findall(r"\b(20\d\d)\b", label or ""):
                if int(year) != self.a.year:
                    self.warning(path + (where if isinstance(where, tuple) else (where,)),
                                 f"{title}: texten {label!r} nämner året {year}, inte överenskommelsens {self.a.year}",
                                 "rätta texten, eller behåll den som källan har den och säg det i en kommentar")
        has_ie = any(r.income is not None or r.cost is not None for r in table.rows)
        income = sum(self._row_amount(r) if r.ref else (r.income or 0)
                     for r in table.rows if r.income is not None or r.ref)
        cost = sum(r.cost or 0 for r in table.rows)
        if has_ie:
            stated_income = table.total_income if table.total_income is not None else income
            stated_cost = table.total_cost if table.total_cost is not None else cost
            if stated_income != stated_cost:
                self.warning(path + ("total_income" if table.total_income is not None else "rows",),
                             f"{title}: intäkter {kronor(stated_income)} och kostnader {kronor(stated_cost)} skiljer sig "
                             f"({'överskott' if stated_income > stated_cost else 'underskott'} "
                             f"{kronor(abs(stated_income - stated_cost))})",
                             "kontrollera budgeten mot dess text; en budget som medvetet inte går jämnt ut visas ändå här")
        linked = table.funded_by or ([table.funding_ref] if table.funding_ref else [])
        if not linked and payouts:
            linked = payouts  # inferred: the appendix is listed by these payouts
            if not has_ie:
                total = table.total if table.total is not None else _plain_rows(table, self._row_amount)
                funded = sum(self.payouts[p].amount for p in linked if p in self.payouts)
                if total != funded:
                    self.warning(path, f"{title} budgeterar {kronor(total)} men utbetalningarna vars bilaga den är "
                                 f"({', '.join(linked)}) blir tillsammans {kronor(funded)} (skillnad {_signed(total - funded)})",
                                 "koppla budgeten till sina utbetalningar med funded_by, och kontrollera beloppen")
        if has_ie and linked:
            in_income = {r.ref for r in table.rows if r.ref}
            for ref in linked:
                if ref in self.payouts and ref not in in_income:
                    self.warning(path, f"{title}: utbetalningen {ref!r} ({kronor(self.payouts[ref].amount)}) som finansierar "
                                 "den finns inte bland intäktsraderna",
                                 f"lägg till en intäktsrad med ref: {ref}")

    def rendered(self) -> None:
        """Warn about what no document shows: a budget appendix without the letter that carries the appendices."""
        if self.a.appendices and self.a.letter is None:
            names = ", ".join(a.id for a in self.a.appendices)
            self.warning(("appendices",), f"inget dokument skriver ut bilagorna ({names}): de skrivs ut med "
                         "SKL:s genomförandeplan, och överenskommelsen har ingen letter:",
                         "lägg till den letter: som bär dem, eller ta bort dem")

    # dates -----------------------------------------------------------------------------
    def dates(self) -> None:
        year_start = dt.date(self.a.year, 1, 1)
        for model, path in self.nodes:
            if isinstance(model, Period) and model.start >= model.end:
                self.error(path, f"perioden börjar {model.start.isoformat()}, inte före sitt slut {model.end.isoformat()}")
            if isinstance(model, Pot):
                end = model.period.end if model.period else model.measured_on
                if end is None:
                    continue
                if model.data_entry and model.data_entry < end:
                    self.warning(path + ("data_entry",), f"sista registreringsdagen {model.data_entry.isoformat()} "
                                 f"infaller innan mätningen slutar {end.isoformat()}")
                for index, deadline in enumerate(model.deadlines):
                    if deadline.date <= end:
                        self.warning(path + ("deadlines", index, "date"),
                                     f"datumet för {deadline.kind}, {deadline.date.isoformat()}, infaller innan "
                                     f"mätningen det gäller slutar ({end.isoformat()})")
            if isinstance(model, Section):
                order = {"aterrapportering": 0, "slutredovisning": 1, "aterbetalning": 2}
                for index, deadline in enumerate(model.deadlines):
                    if deadline.kind in order and deadline.date < year_start:
                        self.warning(path + ("deadlines", index, "date"),
                                     f"datumet för {deadline.kind}, {deadline.date.isoformat()}, infaller innan "
                                     f"överenskommelsens år {self.a.year} börjar")
                ranked = [(order[d.kind], d, i) for i, d in enumerate(model.deadlines) if d.kind in order]
                for rank, deadline, index in ranked:
                    for other_rank, other, _ in ranked:
                        if other_rank < rank and other.date > deadline.date:
                            self.warning(path + ("deadlines", index, "date"),
                                         f"datumet för {deadline.kind}, {deadline.date.isoformat()}, kommer före "
                                         f"datumet för {other.kind}, {other.date.isoformat()}")
        self._letter_dates()
        if self.a.signing:
            for index, decision in enumerate(self.a.decisions):
                if decision.kind == "utbetalning" and decision.date < self.a.signing.date:
                    self.warning(("decisions", index, "date"), "utbetalningsbeslutet är daterat innan överenskommelsen undertecknades")


    # plausibility -------------------------------------------------------------------------
    #: How far the dated acts of an agreement (signing, decisions, letters, deadlines, periods) may lie from
    #: its year: agreements are signed the year before at the earliest and reported on within a few years.
    YEARS_BEFORE, YEARS_AFTER = 2, 3

    def plausibility(self) -> None:
        """Errors for figures that pass the schema but cannot be meant: a date years away from the agreement's
        year (2031 with every date in 2011, a decision dated 9999-12-31), a deadline before the agreement is
        signed, a reply date before the letter, a payout or pot of 0 kronor."""
        low, high = self.a.year - self.YEARS_BEFORE, self.a.year + self.YEARS_AFTER
        for model, path in self.nodes:
            if isinstance(model, (Payout, Pot)) and model.amount == 0:
                self.error(path + ("amount",), f"{'utbetalningen' if isinstance(model, Payout) else 'potten'} "
                           f"{model.id!r} är 0 kronor", "ta bort den, eller ange beloppet den betalar")
            for name in type(model).model_fields:
                value = getattr(model, name)
                if isinstance(value, dt.date) and not low <= value.year <= high:
                    self.error(path + (name,), f"datumet {value.isoformat()} ligger långt från överenskommelsens år "
                               f"{self.a.year} (väntat {low}–{high})",
                               "kontrollera överenskommelsens år och datumets: ett av dem är felskrivet")
        signed = self.a.signing.date if self.a.signing else None
        first_decision = min((d.date for d in self.a.decisions), default=None)
        start, what = (signed, "överenskommelsen undertecknas") if signed else (first_decision, "det första beslutet")
        if start is not None:
            for model, path in self.nodes:
                if type(model).__name__ == "Deadline" and model.date < start:
                    self.error(path + ("date",), f"tidpunkten för {model.kind}, {model.date.isoformat()}, infaller före "
                               f"{what} ({start.isoformat()})", "en rapport eller betalning kan inte förfalla innan "
                               "överenskommelsen finns; kontrollera året")

    def _letter_dates(self) -> None:
        """A county letter asks for nothing whose deadline is already past at the letter's date."""
        cl = self.a.county_letters
        if cl is None:
            return
        hint = "ett brev räknar bara upp det som ännu kan göras: ange ett senare datum, eller skriv det passerade datumet som ett faktum i texten"
        if cl.reply_by is not None and cl.reply_by < cl.date:
            self.error(("county_letters", "reply_by"), f"svarsdagen {cl.reply_by.isoformat()} har redan passerat vid "
                       f"brevets datum {cl.date.isoformat()}", hint)
        for index, step in enumerate(cl.steps):
            if step.date is not None and step.date < cl.date:
                self.error(("county_letters", "steps", index, "date"), f"sista dagen {step.date.isoformat()} har "
                           f"redan passerat vid brevets datum {cl.date.isoformat()}", hint)
        items = {item.id for section, _ in self._sections() for item in [*section.payouts, *section.pots]}
        for key in cl.item_conditions:
            if key not in items:
                self.error(("county_letters", "item_conditions", key), f"ingen utbetalning eller pott har id:t {key!r}")


_WORDS = {w: n for n, w in enumerate("en två tre fyra fem sex sju åtta nio tio elva tolv".split(), start=1)}
_MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()
_LITERAL = re.compile(
    r"(?P<grouped>\d{1,3}(?:[ \u00a0]\d{3})+)[ \u00a0]*(?:kronor|kr\b)"
    r"|(?P<millions>\d+(?:,\d+)?|" + "|".join(_WORDS) + r")[ \u00a0]+(?:miljoner|miljon|milj\.)[ \u00a0]*(?:kronor|kr\b)"
    r"|den (?P<day>\d{1,2}) (?P<month>" + "|".join(_MONTHS) + r") (?P<year>\d{4})"
)


def literal_figures(text: str) -> Iterator[tuple[str, int | None, dt.date | None]]:
    """Yield (literal, amount in kronor or None, date or None) for each amount or date typed in ``text``.

    Figure references (``{{ … }}``) are skipped: only what is typed counts.
    """
    plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: " " * len(m.group(0)), text, flags=re.S)
    for match in _LITERAL.finditer(plain):
        literal = match.group(0)
        if match.group("grouped"):
            yield literal, int(re.sub(r"\D", "", match.group("grouped"))), None
        elif match.group("millions"):
            figure = match.group("millions")
            number = Decimal(_WORDS[figure]) if figure in _WORDS else Decimal(figure.replace(",", "."))
            amount = number * 1_000_000
            if amount == amount.to_integral_value():
                yield literal, int(amount), None
        else:
            try:
                yield literal, None, dt.date(int(match.group("year")), _MONTHS.index(match.group("month")) + 1,
                                             int(match.group("day")))
            except ValueError:
                continue


def _money(amount: int) -> str:
    """Return an amount in kronor that may be negative (a computed margin can be)."""
    return f"−{kronor(-amount)}" if amount < 0 else kronor(amount)


def _signed(amount: int) -> str:
    return ("+" if amount > 0 else "−") + kronor(abs(amount)) if amount else kronor(0)


def _plain_rows(table: Table, amount) -> int:
    rows = sum(amount(r) for r in table.rows)
    return rows + sum(g.total if g.total is not None else sum(amount(r) for r in g.rows) for g in table.groups)


def _section_sum(section: Section) -> int:
    return (sum(p.amount for p in section.payouts) + sum(p.amount for p in section.pots)
            + sum(_section_sum(s) for s in section.sections))


# --------------------------------------------------------------------------- entry points

def check_agreement(data: Any, source: SourceMap, sums_as_warnings: bool = False) -> tuple[Agreement | None, Report]:
    """Return the agreement (or None if the schema failed) and every finding about it.

    ``sums_as_warnings`` reports stated totals that do not match their parts as
    warnings (``generator diff`` compares a version whose total is not updated yet).
    """
    report = Report()
    if not isinstance(data, dict):
        found = "text" if isinstance(data, str) else describe_value(data)  # text: perhaps a file that is not ours
        report.error(source.locate(()), f"väntade en samling nycklar överst i filen, fann {found}",
                     hint="en överenskommelsefil börjar med nycklar som id:, year:, title:")
        return None, report
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        schema_findings(data, source, exc, report)
        empty_findings(data, "overenskommelse", source, report)
        hint_once(report, EMPTY_HINT)
        return None, report
    empty_findings(data, "overenskommelse", source, report)
    hint_once(report, EMPTY_HINT)
    checker = _Checker(agreement, source, report, sums_as_warnings)
    checker.ids()
    checker.references()
    checker.prose()
    checker.sums()
    checker.dates()
    checker.plausibility()
    checker.literal_figures()
    checker.distributions()
    checker.budgets()
    checker.rendered()
    return agreement, report


def check_file(file: Path, sums_as_warnings: bool = False) -> tuple[SourceMap, Agreement | None, Report]:
    """Return the source map, agreement and findings of ``file`` on its own (:func:`check_agreement`); raise
    :class:`DataError` if it cannot be read as YAML.

    :func:`generator.app.load_agreement` adds what needs the data files (the distribution and the checks against
    it), and :mod:`generator.cache.validated` keeps this result between runs.
    """
    data, source = load_yaml(file)
    return (source, *check_agreement(data, source, sums_as_warnings))


def discover(paths: Iterable[Path]) -> list[Path]:
    """Return the agreement files named by ``paths`` (files, or folders searched for *.yaml), sorted."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        else:
            files.append(path)
    return files


def summary(validated: Validated) -> dict[str, Any]:
    """Return the figures a clean run reports for one agreement."""
    a = validated.agreement
    payouts = [p for s in walk_sections(a.sections) for p in s.payouts]
    pots = [p for s in walk_sections(a.sections) for p in s.pots]
    payouts_total = sum(p.amount for p in payouts)
    pots_total = sum(p.amount for p in pots)
    return {
        "file": str(validated.file),
        "id": a.id,
        "year": a.year,
        "title": a.title,
        "total": a.total,
        "payouts": len(payouts),
        "payouts_total": payouts_total,
        "pots": len(pots),
        "pots_total": pots_total,
        "sum_ok": payouts_total + pots_total == a.total,
        "warnings": len(validated.warnings),
    }
