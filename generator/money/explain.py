"""Plain-text explanations of what a recipient receives, for ``generator explain``."""

from __future__ import annotations

from pathlib import Path

from generator.data.reference import counties, one_body, recipient
from generator.formatting import kronor
from generator.money.distribute import KINDS, ROUTES, YearAllocation


def explain(allocation: YearAllocation, code: str, file: Path | None = None) -> str:
    """Return every amount ``code`` receives under ``allocation``, each with its computation."""
    a = allocation.agreement
    kind, name, county = recipient(code)
    where = f"{kind} i {counties()[county].name}" if kind != "lan" else "län"
    out = [f"{name} ({code}), {where}", f"{a.title} ({a.year})" + (f" – {file}" if file else "")]
    if allocation.population is not None:
        out.append(f"Befolkning: {allocation.population.label}")
    if allocation.outcomes is not None:
        out.append(f"Utfall: {allocation.outcomes.label}")
    if allocation.example:
        out.append("OBS: beräknat på exempeldata; beloppen är inte verkliga.")
    out.append("")
    own = allocation.for_code(code)
    total = 0
    for item in allocation.items:
        lines = [line for line in own if line.item == item.id]
        for line in lines:
            total += line.amount
            out.append(f"{item.label} [{item.id}]: {kronor(line.amount)}")
            out.append(
                f"  {ROUTES.get(item.route, item.route)}; potten {kronor(item.amount)}"
                + (f", fördelat {kronor(item.shared)}" if item.shared != item.amount else "")
            )
            for step in line.steps:
                out.append(f"  {step}")
            if item.distribution.note:
                out.append(f"  (not: {item.distribution.note})")
            if item.published and item.undistributed:
                out.append(
                    f"  ej fördelat av potten: {kronor(item.undistributed)}"
                    + (f" ({item.remainder_note})" if item.remainder_note else "")
                )
            out.append("")
    out.append(f"Summa för {name}: {kronor(total)}")
    if kind == "lan":
        everyone = allocation.for_county(code)
        out.append(
            f"Summa för alla mottagare i {name} (län, landsting och kommuner): "
            f"{kronor(sum(line.amount for line in everyone))} – se explain för varje kod"
        )
    body = one_body(county)
    same = body.same_body_as if body is not None else None  # one_body: set for the county's one body
    if body is not None and same is not None and code in (county, body.code, same):
        codes = (same, body.code, county)
        together = sum(line.amount for c in codes for line in allocation.for_code(c))
        out.append(
            f"{body.body_name} är en organisation ({', '.join(codes[:-1])} och {codes[-1]}): sammanlagt "
            f"{kronor(together)}, en mottagare och en betalning per post i länsbrevet"
        )
    missed = [
        item
        for item in allocation.items
        if code in item.eligible and item.kind == "pot" and code not in item.qualifiers
    ]
    if missed:
        out.append("")
        out.append("Inte kvalificerad för: " + "; ".join(f"{item.label} [{item.id}]" for item in missed))
    if not own and not missed:
        out.append(f"Ingen av överenskommelsens fördelningar går till {KINDS.get(kind, kind)} som {name}.")
    return "\n".join(out)
