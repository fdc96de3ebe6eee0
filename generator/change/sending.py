"""What must go out after issued documents changed: per document a rättelse, an ändringsbeslut, a revised
agreement to sign again, or nothing; and a summary (how many changed, by how much in total and per recipient).

Plain data for any front end (the terminal's ``check --issued``, ``generator serve``): :func:`issued_summary`
returns an :class:`IssuedSummary`; :meth:`IssuedSummary.to_dict` gives it as dicts and lists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from generator.change.data_diff import RecipientChange, recipients_summary

#: What goes out for a changed issued document.
RATTELSE = "rättelse"
ANDRINGSBESLUT = "ändringsbeslut"
REVIDERAD = "reviderad överenskommelse att underteckna på nytt"
REVIDERAD_PLAN = "reviderad plan"
INGET = "inget (texten ändrad, inget belopp)"
GORS_INTE = "inget (dokumentet görs inte längre av data)"

LETTER_FOLDERS = ("lansbrev", "kommunbrev", "landstingsbrev")
_CODE = re.compile(r"_(\d{2}|\d{4})_")


@dataclass
class Sending:
    """One changed issued document and what must go out for it."""

    year: int
    document: str
    issued: dt.date
    what: str  # RATTELSE, ANDRINGSBESLUT, REVIDERAD, REVIDERAD_PLAN, INGET, GORS_INTE
    to: str  # whom it goes to ("Malmö", "Kammarkollegiet", "SKL")
    changes: int  # tracked changes against the issued text
    old: int | None = None  # the amount the document states for its recipient, as issued
    new: int | None = None  # … and now
    figures: list[str] = field(default_factory=list)  # the agreement's figures that moved ("register_skl: … → …")

    @property
    def difference(self) -> int | None:
        return self.new - self.old if self.old is not None and self.new is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "issued": self.issued.isoformat(), "difference": self.difference}


@dataclass
class IssuedSummary:
    """The state of the issued documents: how many, how many changed, the amounts, and what to send."""

    checked: int
    changed: int
    sendings: list[Sending]  # one per changed (or no longer made) issued document
    recipients: list[RecipientChange] = field(default_factory=list)  # every recipient whose amount moved
    inputs: list[Any] = field(default_factory=list)  # causes.InputChange since issuing
    total_old: int | None = None  # the agreements' totals as issued and now (those with changed documents)
    total_new: int | None = None
    pots: list[str] = field(default_factory=list)  # the pots shared by share whose data changed (their titles)
    figures: list[Any] = field(default_factory=list)  # data_diff.Change: the agreements' amounts and dates moved

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.sendings:
            out[s.what] = out.get(s.what, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "changed": self.changed,
            "counts": self.counts(),
            "total_old": self.total_old,
            "total_new": self.total_new,
            "inputs": [i.to_dict() for i in self.inputs],
            "recipients": [{**asdict(r), "difference": r.difference} for r in self.recipients],
            "recipients_summary": recipients_summary(self.recipients),
            "pots": self.pots,
            "figures": [
                {
                    "name": c.name,
                    "label": c.label,
                    "old": c.old.isoformat() if hasattr(c.old, "isoformat") else c.old,
                    "new": c.new.isoformat() if hasattr(c.new, "isoformat") else c.new,
                    "recipients": c.recipients,
                    "difference": c.difference,
                }
                for c in self.figures
            ],
            "sendings": [s.to_dict() for s in self.sendings],
        }


def _code(document: str) -> str | None:
    found = _CODE.search(document.rsplit("/", 1)[-1])
    return found.group(1) if found else None


def _in_county(code: str, county: str) -> bool:
    from generator.data.reference import recipient

    try:
        return recipient(code)[2] == county
    except KeyError:
        return False


def _amounts(diff: Any, document: str) -> tuple[str, int | None, int | None]:
    """Return (to whom, old, new) for a letter: its recipient's amount (a county letter: the county's sum)."""
    from generator.data.reference import body_name, recipient

    code = _code(document)
    if code is None or diff is None:
        return "", None, None
    try:
        _, name, _ = recipient(code)
    except KeyError:
        return "", None, None
    lines = diff.recipients
    if document.startswith("lansbrev"):
        moved = [r for r in lines if _in_county(r.code, code)]
        name = f"kommunerna och landstinget i {name}"
    else:
        name = body_name(code)  # as the letter is addressed: "Malmö kommun", "Stockholms stad", "Region Gotland"
        moved = [r for r in lines if r.code == code]
    if not moved:
        return name, None, None
    return name, sum(r.old for r in moved), sum(r.new for r in moved)


def sending_for(check: Any) -> Sending | None:
    """Return what goes out for one :class:`generator.change.staleness.IssuedCheck`; None if it is unchanged."""
    record = check.record
    if check.missing:
        return Sending(record.year, record.document, record.issued, GORS_INTE, "", 0)
    if not check.changes:
        return None
    diff = check.diff
    folder = record.document.split("/", 1)[0]
    figures = list(check.figures)
    if folder in LETTER_FOLDERS:
        to, old, new = _amounts(diff, record.document)
        moved = old is not None and new is not None and old != new
        return Sending(
            record.year, record.document, record.issued, RATTELSE if moved else INGET, to, check.changes, old, new
        )
    moved_figures = bool(
        diff is not None and (diff.figures or [c for c in diff.totals if not c.name.endswith(".underlag")])
    )
    if record.document.startswith("regeringsbeslut"):
        what = ANDRINGSBESLUT if moved_figures else INGET
        to = getattr(check, "addressee", "") or "mottagaren av beslutet"
    elif "overenskommelse" in record.document:
        what, to = (REVIDERAD if moved_figures or diff.recipients else INGET), "parterna"
    elif record.document.startswith("genomforandeplan"):
        what, to = (REVIDERAD_PLAN if moved_figures or (diff and diff.recipients) else INGET), "Regeringskansliet"
    else:
        what, to = (REVIDERAD if moved_figures else INGET), ""
    old = diff.totals[0].old if diff is not None and diff.totals and isinstance(diff.totals[0].old, int) else None
    new = diff.totals[0].new if diff is not None and diff.totals and isinstance(diff.totals[0].new, int) else None
    total = next((c for c in (diff.totals if diff else []) if c.name in {"total", "summa"}), None)
    if total is not None:
        old, new = total.old, total.new
    return Sending(record.year, record.document, record.issued, what, to, check.changes, old, new, figures)


def issued_summary(checks: list[Any]) -> IssuedSummary:
    """Return the summary of ``check_issued``'s results: what changed and what must go out."""
    sendings = [s for s in (sending_for(c) for c in checks) if s is not None]
    diffs: list[Any] = []
    for check in checks:
        if check.diff is not None and all(check.diff is not d for d in diffs):
            diffs.append(check.diff)
    recipients: dict[str, RecipientChange] = {}
    inputs: list[Any] = []
    total_old = total_new = None
    pots: list[str] = []
    figures: list[Any] = []
    for diff in diffs:
        pots.extend(p for p in diff.pots if p not in pots)
        figures.extend(c for c in diff.figures if all(c.name != f.name for f in figures))
        for r in diff.recipients:
            recipients.setdefault(r.code, r)
        inputs.extend(i for i in diff.inputs if i not in inputs)
        total = next((c for c in diff.totals if c.name == "summa"), None)
        if total is not None:
            total_old, total_new = (total_old or 0) + total.old, (total_new or 0) + total.new
    ordered = sorted(recipients.values(), key=lambda r: (-abs(r.difference), r.code))
    changed = sum(1 for c in checks if c.changes or c.missing)
    return IssuedSummary(len(checks), changed, sendings, ordered, inputs, total_old, total_new, pots, figures)


def summarise_issued(folder: Any, validated: list[Any]) -> IssuedSummary:
    """Return the :class:`IssuedSummary` of every issued document of the ``validated`` agreements under ``folder``
    (``issued/``): for a front end, the same as ``generator check --issued`` prints."""
    from generator.change.staleness import check_issued

    return issued_summary(check_issued(folder, validated))
