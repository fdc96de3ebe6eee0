"""Which documents an agreement yields: the jobs of a build, their names and folders.

:func:`plan` lists the documents an agreement yields (one per decision, one for SKL's genomförandeplan, the
county letters, the municipalities' letters and utlåtanden, the county agreements), each a :class:`Job`: its
output name under ``<out>/<year>/``, its template and the data its template is given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.model import Agreement, Circular, CountyFill, Decision
from generator.data.municipal import statements
from generator.data.reference import council_of, counties, municipalities
from generator.documents.county_letters import county_letters, recipient_letters
from generator.errors import Finding, Location
from generator.money.distribute import PAYERS, YearAllocation

DECISION_TEMPLATES = {
    "utbetalning": "regeringsbeslut_utbetalning.xml.j2",
    "godkannande": "regeringsbeslut_godkannande.xml.j2",
}


def safe_name(text: str) -> str:
    """Return ``text`` as a file-system-safe name: ASCII letters, digits, - and _ only."""
    for swedish, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("Å", "A"), ("Ä", "A"), ("Ö", "O")):
        text = text.replace(swedish, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-._")
    return text[:80] or "dokument"


def decision_name(decision: Decision) -> str:
    """Return a decision's output name: its number, date and kind; its id where the number or date is blank."""
    if decision.number and decision.date:
        return safe_name(f"regeringsbeslut_{decision.number}_{decision.date.isoformat()}_{decision.kind}")
    return safe_name(f"regeringsbeslut_{decision.id}_{decision.kind}")


@dataclass(frozen=True)
class Job:
    """One document to build: its output name, template and extra context."""

    name: str
    template: str
    title: str
    decision: Decision | None = None
    extra: dict = field(default_factory=dict, compare=False)
    codes: tuple[str, ...] = ()  # the recipients (municipality, council, county codes) the document is for
    inputs: tuple[Path, ...] = ()  # input files of its own (a municipality's file for its utlåtande)


LETTERS_FOLDER = "lansbrev"
COUNTY_AGREEMENTS_FOLDER = "lansoverenskommelser"
MUNICIPALITY_FOLDER = "kommunbrev"
COUNCIL_FOLDER = "landstingsbrev"
STATEMENT_FOLDER = "utlatanden"
#: Folders of documents computed from the key and outcome data (their data files are inputs).
DATA_FOLDERS = (LETTERS_FOLDER, MUNICIPALITY_FOLDER, COUNCIL_FOLDER, COUNTY_AGREEMENTS_FOLDER)
#: Folders of the municipalities' and county councils' own documents (``build --no-municipal`` leaves them out).
MUNICIPAL_FOLDERS = (MUNICIPALITY_FOLDER, COUNCIL_FOLDER, STATEMENT_FOLDER)


def plan(
    agreement: Agreement,
    allocation: YearAllocation | None = None,
    recipient: str | None = None,
    municipal: dict | None = None,
) -> list[Job]:
    """Return the documents an agreement yields, in a stable order.

    With an ``allocation`` and ``county_letters:`` in the data, one payout
    letter per county is added, under ``lansbrev/``, one per municipality
    (Region Gotland once) under ``kommunbrev/`` and one per county council
    under ``landstingsbrev/``. An agreement with ``municipal_statement:``
    yields an utlåtande (``utlatanden/``) for each municipality that has its own
    file in ``municipal`` (code → (file, path)). With ``recipient`` (a
    municipality, county council or county code) only the documents for that
    recipient, an utlåtande with blanks included if the municipality has no file.
    """
    jobs = list(_plan_once(agreement, allocation))
    if agreement.municipal_statement is not None:
        only = recipient if recipient in municipalities() else None
        for st in statements(agreement, municipal or {}, only, allocation):
            name = f"{STATEMENT_FOLDER}/" + safe_name(f"utlatande_{st.code}_{municipalities()[st.code].short}").lower()
            jobs.append(
                Job(
                    name,
                    "utlatande.xml.j2",
                    f"Utlåtande {agreement.year} – {st.name}",
                    extra={"st": st, "alloc": allocation.note if allocation is not None else None},
                    codes=(st.code,),
                    inputs=(st.file,) if st.file else (),
                )
            )
    if recipient is None:
        return jobs
    return [job for job in jobs if recipient in job.codes]


def _plan(agreement: Agreement, allocation: YearAllocation | None) -> list[Job]:
    jobs: list[Job] = []
    for decision in agreement.decisions:
        title = f"Regeringsbeslut {decision.number or decision.id}"
        jobs.append(Job(decision_name(decision), DECISION_TEMPLATES[decision.kind], title, decision))
    if agreement.letter is not None:
        jobs.append(Job("genomforandeplan", "genomforandeplan.xml.j2", agreement.letter.title))
    if allocation is not None and agreement.county_letters is not None:
        for letter in county_letters(allocation):
            name = f"{LETTERS_FOLDER}/" + safe_name(f"lansbrev_{letter.county.code}_{letter.county.name}").lower()
            jobs.append(
                Job(
                    name,
                    "lansbrev.xml.j2",
                    f"{agreement.county_letters.title} – {letter.county.name}",
                    extra={"letter": letter, "alloc": allocation.note, "payers": PAYERS},
                    codes=(letter.county.code,),
                )
            )
        for rl in recipient_letters(allocation):
            folder = MUNICIPALITY_FOLDER if rl.kind == "kommun" else COUNCIL_FOLDER
            name = f"{folder}/" + safe_name(f"{folder}_{rl.code}_{rl.name}").lower()
            jobs.append(
                Job(
                    name,
                    "mottagarbrev.xml.j2",
                    f"{agreement.county_letters.title} – {rl.name}",
                    extra={"letter": rl, "alloc": allocation.note, "payers": PAYERS},
                    codes=rl.codes,
                )
            )
    if allocation is not None and agreement.county_agreements is not None:
        jobs.extend(county_agreement_jobs(agreement, allocation))
    return jobs


#: The last plans made, with the agreement and allocation they were made of: the build and its check for
#: clashing outputs plan the same agreement, and the letters to 290 municipalities are computed once.
_PLANS: dict[tuple[int, int], tuple[Agreement, YearAllocation | None, list[Job]]] = {}


def _plan_once(agreement: Agreement, allocation: YearAllocation | None) -> list[Job]:
    known = _PLANS.get((id(agreement), id(allocation)))
    if known is not None and known[0] is agreement and known[1] is allocation:
        return known[2]
    if len(_PLANS) >= 16:
        _PLANS.clear()
    jobs = _plan(agreement, allocation)
    _PLANS[(id(agreement), id(allocation))] = (agreement, allocation, jobs)
    return jobs


def county_agreement_jobs(agreement: Agreement, allocation: YearAllocation) -> list[Job]:
    """Return SKL's letter with the distribution (Bilaga 2) and one agreement per county (Bilaga 1), for an
    agreement with county agreements."""
    ca = agreement.county_agreements
    assert ca is not None, "planned only for an agreement with county agreements"
    item = next(i for i in allocation.items if i.id == ca.payout)  # checked by validate
    amounts = {line.code: line.amount for line in item.lines}
    rows = [(county, amounts.get(code, 0)) for code, county in counties().items()]
    jobs = [
        Job(
            safe_name(f"skl_brev_{ca.payout}"),
            "skl_brev_fordelning.xml.j2",
            ca.letter.title,
            extra={"ca": ca, "item": item, "rows": rows},
        )
    ]
    for code, county in counties().items():
        members = [m for m in municipalities().values() if m.county == code]
        name = f"{COUNTY_AGREEMENTS_FOLDER}/" + safe_name(f"overenskommelse_{code}_{county.name}").lower()
        jobs.append(
            Job(
                name,
                "lansoverenskommelse.xml.j2",
                f"Överenskommelse – {county.name}",
                extra={
                    "ca": ca,
                    "item": item,
                    "county": county,
                    "council": council_of(code),
                    "members": members,
                    "amount": amounts.get(code, 0),
                    "fill": ca.counties.get(code) or CountyFill(),
                },
                codes=(code,),
            )
        )
    return jobs


def circular_name(circular: Circular) -> str:
    """Return the output name of a circular (``cirkular_<nn-nn>``)."""
    return safe_name(f"cirkular_{circular.number.replace(':', '-')}")


def output_conflicts(entries: list[tuple[Agreement, YearAllocation | None, Path]]) -> list[Finding]:
    """Return an error for each output path that two agreement files of one year would both write.

    Without it, the later file would silently overwrite the first's documents.
    """
    owners: dict[str, Path] = {}
    clashes: dict[tuple[Path, Path], list[str]] = {}
    for agreement, allocation, file in entries:
        names = [job.name for job in plan(agreement, allocation)]
        if allocation is not None and allocation.items:
            names.append("utbetalningar")
        for name in names:
            key = f"{agreement.year}/{name}"
            first = owners.setdefault(key, file)
            if first != file:
                clashes.setdefault((file, first), []).append(key)
    findings = []
    for (file, first), keys in clashes.items():
        shown = ", ".join(f"{k}.*" for k in keys[:3]) + (f" och {len(keys) - 3} till" if len(keys) > 3 else "")
        findings.append(
            Finding(
                Location(file),
                f"skriver {len(keys)} av samma filer som {first} ({shown}): "
                "den senare skulle skriva över den förstas dokument",
                hint="två överenskommelser samma år behöver olika dokument; ge bara en av dem "
                "beslut, brev, länsbrev eller länsöverenskommelser",
            )
        )
    return findings
