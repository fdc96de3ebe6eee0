"""The changes page's one adapter to the change workflow: what ``check --issued`` and ``diff`` say, as data.

Everything the server shows about changes comes through the functions here, :func:`issued_overview` (and
:func:`issued_checks`) and :func:`data_changes`; they call :func:`generator.change.staleness.check_issued` with
:func:`generator.change.sending.issued_summary`, and :func:`generator.change.data_diff.compare`, as ``check
--issued`` and ``diff`` do, and never detect changes themselves: the inputs that changed come first, then the
figures, the recipients and what must be sent. A changed
sentence is split into words marked as kept, deleted or inserted (:func:`marked`), for ``del`` and ``ins``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import GeneratorError

ISSUED_FOLDER = Path("issued")


@dataclass(frozen=True)
class IssuedState:
    """One issued document as ``check --issued`` finds it."""

    year: int
    document: str
    issued: str  # ISO date
    by: str
    state: str  # "utfärdat" (unchanged) | "ändrat sedan utfärdandet" | "görs inte längre"
    changes: int = 0
    figures: tuple[str, ...] = ()


@dataclass
class SendingView:
    """One line of the list of what must be sent (:class:`generator.change.sending.Sending`), as the page shows it."""

    year: int
    document: str
    issued: str  # ISO date
    what: str  # "rättelse", "ändringsbeslut", … (generator.change.sending)
    to: str
    old: str = ""  # the recipient's amount as issued and now, in kronor ("" where the document states none)
    new: str = ""
    difference: str = ""


@dataclass
class IssuedOverview:
    """What ``check --issued`` says: each issued document's state, and its closing summary."""

    states: list[IssuedState] = field(default_factory=list)
    checked: int = 0
    changed: int = 0
    inputs: list[str] = field(default_factory=list)  # the inputs changed since issuing, file:line first
    total_old: str = ""
    total_new: str = ""
    recipients: str = ""  # one sentence on how the recipients' amounts move ("" when none moves)
    sendings: list[SendingView] = field(default_factory=list)
    problem: str = ""  # a damaged record: the message that names it (nothing else is shown as current)


def recipients_sentence(recipients: list, pots: list[str]) -> str:
    """Return what ``diff`` says when many recipients' amounts move (how many, why, the largest and smallest
    change) as one paragraph; "" when few move (the page lists each of them)."""
    from generator.change.data_diff import MANY_RECIPIENTS, recipients_text

    if len(recipients) <= MANY_RECIPIENTS:
        return ""
    lines = [line.strip() for line in recipients_text(recipients, pots=pots)]
    return " ".join(line for line in lines if line and not line.startswith("(--alla"))


def issued_overview(validated: list) -> IssuedOverview:
    """Return the state of every issued document of the ``validated`` agreements and the summary that ``check
    --issued`` ends with: the inputs changed since issuing, the totals, how the recipients' amounts move and, per
    changed document, what must be sent to whom."""
    view = IssuedOverview()
    if not ISSUED_FOLDER.is_dir():
        return view
    from generator.change.sending import issued_summary
    from generator.change.staleness import check_issued
    from generator.formatting import kronor, skillnad_kronor

    try:
        results = check_issued(ISSUED_FOLDER, validated)
    except GeneratorError as exc:
        view.problem = str(exc).splitlines()[0]
        return view
    for result in results:
        r = result.record
        state = "görs inte längre" if result.missing else ("ändrat sedan utfärdandet" if result.changes else "utfärdat")
        view.states.append(
            IssuedState(r.year, r.document, r.issued.isoformat(), r.by, state, result.changes, tuple(result.figures))
        )
    summary = issued_summary(results)
    view.checked, view.changed = summary.checked, summary.changed
    view.inputs = [i.text() for i in summary.inputs]
    if summary.total_old is not None and summary.total_new is not None and summary.total_old != summary.total_new:
        view.total_old, view.total_new = kronor(summary.total_old), kronor(summary.total_new)
    view.recipients = recipients_sentence(summary.recipients, summary.pots)
    for s in summary.sendings:
        amounts = ("", "", "")
        if s.old is not None and s.new is not None:
            amounts = (kronor(s.old), kronor(s.new), skillnad_kronor(s.difference, "±") if s.difference else "")
        view.sendings.append(SendingView(s.year, s.document, s.issued.isoformat(), s.what, s.to, *amounts))
    return view


def issued_checks(validated: list) -> list[IssuedState]:
    """Return the state of every issued document of the ``validated`` agreements (``check --issued``)."""
    return issued_overview(validated).states


@dataclass(frozen=True)
class Piece:
    kind: str  # "same" | "del" | "ins"
    text: str


@dataclass
class TextChangeView:
    where: str
    pieces: list[Piece]


@dataclass
class DocumentChangeView:
    name: str
    title: str
    status: str
    changes: list[TextChangeView] = field(default_factory=list)
    kind: str = ""  # the kind of document, as the start page groups them (set by the page)


@dataclass
class FigureChange:
    name: str
    label: str
    old: str
    new: str
    difference: str = ""
    recipients: list[str] = field(default_factory=list)


@dataclass
class DataChanges:
    """What ``generator diff`` says between two versions of one agreement file."""

    file: str
    a: str
    b: str
    problem: str = ""  # why there is nothing to compare (not in git, invalid old version …)
    inputs: list[str] = field(default_factory=list)  # the values changed in the input files, file:line first
    recipients_line: str = ""  # one sentence on how many recipients' amounts move and why, when many do
    figures: list[FigureChange] = field(default_factory=list)
    recipients: list[FigureChange] = field(default_factory=list)
    documents: list[DocumentChangeView] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)  # built documents made from the file
    year: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.inputs or self.figures or self.recipients or self.documents)


_WORD = re.compile(r"\s+|[^\s]+")


def marked(old: str | None, new: str | None) -> list[Piece]:
    """Return ``old`` → ``new`` as words kept, deleted and inserted."""
    if old is None:
        return [Piece("ins", new or "")]
    if new is None:
        return [Piece("del", old)]
    a, b = _WORD.findall(old), _WORD.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(b[j1:j2])))
    return pieces


def data_changes(file: Path, against: str, output: Path, year: int | None = None) -> DataChanges:
    """Return what ``generator diff FILE@AGAINST FILE`` says (``against``: a git revision, or ``utfärdat``)."""
    from generator.change.data_diff import compare, value_text
    from generator.change.versions import version
    from generator.formatting import kronor, skillnad_kronor

    spec = f"{file.as_posix()}@{against}"
    view = DataChanges(file.as_posix(), spec, file.as_posix(), year=year)
    try:
        with version(spec) as (old, label_a), version(file.as_posix()) as (new, label_b):
            diff = compare(old, new, label_a, label_b, output)
    except GeneratorError as exc:
        view.problem = str(exc).splitlines()[0]
        return view
    view.a, view.b = diff.a, diff.b
    view.inputs = [i.text() for i in diff.inputs]
    view.recipients_line = recipients_sentence(diff.recipients, diff.pots)
    for change in diff.figures + diff.totals:
        view.figures.append(
            FigureChange(
                change.name,
                change.label,
                value_text(change.old),
                value_text(change.new),
                skillnad_kronor(change.difference, "±") if change.difference else "",
                list(change.recipients),
            )
        )
    for r in diff.recipients:
        view.recipients.append(
            FigureChange(
                r.code, r.name, kronor(r.old), kronor(r.new), skillnad_kronor(r.difference, "±") if r.difference else ""
            )
        )
    for doc in diff.document_changes:
        if doc.status == "oförändrat":
            view.unchanged.append(doc.name)
            continue
        view.documents.append(
            DocumentChangeView(
                doc.name,
                doc.title,
                doc.status,
                [TextChangeView(c.where, marked(c.old, c.new)) for c in doc.changes],
            )
        )
    view.affected = list(diff.documents)
    return view
