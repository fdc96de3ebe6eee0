"""Swedish style: the writing rules of *Myndigheternas skrivregler* and Språkrådet, checked over every text.

One rule per family, each a function of one text that yields :class:`Hit` (where in the text, what is
written, what to write instead, and why). :func:`check_style` runs every rule over every prose field and
label of an agreement (:func:`check_style_of` over any model, the circular's too) and reports each hit as a
warning at file:line:col with the suggested text; ``--strict`` makes them errors. A wording kept on purpose is
listed under ``accepted_wordings:`` (the wording, optionally the rule, and why); an accepted wording that
matches nothing is itself a warning, so the list cannot go stale.

The rules, by the names ``accepted_wordings:`` uses (:data:`RULES`):

* ``genitiv``: the genitive of an abbreviation takes a colon: "SKLs" → "SKL:s".
* ``bindestreck``: a compound with an abbreviation takes a hyphen ("BPSD registret" → "BPSD-registret"), and
  so does the first part of a compound whose last part is shared ("läns eller regionnivå" →
  "läns- eller regionnivå").
* ``ska``: "ska" or "skall", one of them in a document (the minority form is reported; "ska" on a tie).
* ``i_dag``: "idag", "igår", "imorgon" are written in two words ("i dag").
* ``framfor_allt``: "framförallt", "överhuvudtaget", "iallafall" are written apart ("framför allt").
* ``versal``: a common noun mid-sentence is written in lower case ("i Budgetpropositionen" →
  "i budgetpropositionen"): a word from a short list (:data:`LOWER_CASE_NOUNS`).
* ``dubbelord``: a word written twice in a row ("att att").
* ``tal``: a figure written two ways: five digits and more without spaces ("10000" → "10 000"), four digits
  without a space where the document groups them elsewhere, and "%" in prose where the same document's prose
  writes "procent" (the form of running text; "%" stays in tables and labels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey, SourceMap, dotted
from generator.data.model import PROSE_FIELD_NAMES, AcceptedWording, walk_models
from generator.errors import Location, Report

#: The rules by name, with what each checks (Swedish: shown in ``accepted_wordings:``' schema and messages).
RULES = {
    "genitiv": "genitiv av förkortning",
    "bindestreck": "bindestreck i sammansättning",
    "ska": "ska eller skall",
    "i_dag": "i dag i två ord",
    "framfor_allt": "framför allt i två ord",
    "versal": "versal mitt i mening",
    "dubbelord": "dubbelskrivet ord",
    "tal": "tal skrivet på två sätt",
}


@dataclass(frozen=True)
class Hit:
    """One finding of a rule in one text: where (offset), what is written, what to write, and why."""

    rule: str
    start: int
    written: str
    suggested: str
    why: str


@dataclass(frozen=True)
class Text:
    """One text under check: its path, its value, and whether it is prose (or a label, a title, a heading)."""

    path: PathKey
    value: str
    prose: bool
    document: str  # which document of the file prints it (ska/skall and figures are compared within one)


# --------------------------------------------------------------------------- the rules, one text each

_WORD = r"[A-Za-zÅÄÖÉåäöé]"
_ABBREVIATION = r"[A-ZÅÄÖ]{2,}"
_MIXED_ABBREVIATION = r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö]*[A-ZÅÄÖ]"  # FoUU, SveDem: begins and ends with a capital
#: Words after an abbreviation that are not the last part of a compound ("SKL och", "SKL den …").
_NOT_A_TAIL = set(
    "och eller men som samt att den det de dem en ett i på av för till med om från under efter även igen "
    "sedan sen inom genom mellan enligt utan vid har hade ska skall kan kommer är var blir blev får fick "
    "gör gjorde vill bör måste inte också redan nu tillsammans centralt själv själva".split()
)
#: How the last part of a compound ends (a definite noun, a register, a level …): "BPSD registret".
_TAIL_END = re.compile(
    r"(?:registret|registren|register|reformen|reform|nivån|nivå|projektet|projekt|arbetet|arbete|"
    r"modellen|modell|metoden|metod|symptom|symtom|kortet|kort|coach|stödet|stöd|gruppen|grupp|"
    r"ningen|ningar|ingen|ingar|erna|arna|orna|heten|skapet)$"
)
#: Last parts shared by two compounds joined by och/eller: "läns- eller regionnivå".
_SHARED_TAIL = (
    "nivå nivån nivåer arbete arbetet område området områden ledare ledarna ledning ledningen "
    "verksamhet verksamheter verksamheten register registret samverkan stöd stödet utveckling "
    "utvecklingen insatser personal personalen vård vården omsorg omsorgen"
).split()
_FIRST_PARTS = {"kommun", "region", "stat", "län"}  # first parts that do not end in -s
_CLOSED = {
    "framförallt": "framför allt",
    "överhuvudtaget": "över huvud taget",
    "iallafall": "i alla fall",
}
_IDAG = {"idag": "i dag", "igår": "i går", "imorgon": "i morgon", "ikväll": "i kväll"}
#: Common nouns that official Swedish writes in lower case mid-sentence.
LOWER_CASE_NOUNS = set(
    "budgetpropositionen budgetproposition budgetpropositionens utgiftsområde utgiftsområdet regeringen "
    "regeringens regeringsbeslut regeringsbeslutet överenskommelsen överenskommelse staten "
    "kommunerna landstingen länen riksdagen riksdagens anslaget anslag".split()
)


def _case(like: str, text: str) -> str:
    """Return ``text`` with the first letter in the case of ``like``'s."""
    return text[:1].upper() + text[1:] if like[:1].isupper() else text


def genitive(text: str) -> Iterator[Hit]:
    for m in re.finditer(rf"\b({_ABBREVIATION})s\b", text):
        yield Hit("genitiv", m.start(), m.group(0), f"{m.group(1)}:s", "genitiv av en förkortning skrivs med kolon")


def hyphen(text: str) -> Iterator[Hit]:
    for m in re.finditer(rf"\b({_MIXED_ABBREVIATION}[0-9]*) ([a-zåäö]{{3,}})\b", text):
        tail = m.group(2)
        if tail not in _NOT_A_TAIL and _TAIL_END.search(tail):
            yield Hit(
                "bindestreck",
                m.start(),
                m.group(0),
                f"{m.group(1)}-{tail}",
                "en sammansättning med en förkortning skrivs med bindestreck",
            )
    for m in re.finditer(r"\b([a-zåäö]+) (och|eller) ([a-zåäö]+)\b", text):
        first, joint, second = m.groups()
        if not (first.endswith("s") or first in _FIRST_PARTS) or first in _NOT_A_TAIL or len(first) < 3:
            continue
        if any(second.endswith(t) and len(second) > len(t) + 1 for t in _SHARED_TAIL):
            yield Hit(
                "bindestreck",
                m.start(),
                m.group(0),
                f"{first}- {joint} {second}",
                "den första delen av en sammansättning vars sista del är gemensam skrivs med bindestreck",
            )


def i_dag(text: str) -> Iterator[Hit]:
    for m in re.finditer(r"\b(?:[Ii]dag|[Ii]går|[Ii]morgon|[Ii]kväll)\b", text):
        yield Hit("i_dag", m.start(), m.group(0), _case(m.group(0), _IDAG[m.group(0).lower()]), "skrivs i två ord")


def closed(text: str) -> Iterator[Hit]:
    for m in re.finditer(r"\b(?:" + "|".join(_CLOSED) + r")\b", text, flags=re.I):
        yield Hit("framfor_allt", m.start(), m.group(0), _case(m.group(0), _CLOSED[m.group(0).lower()]), "skrivs isär")


def doubled(text: str) -> Iterator[Hit]:
    for m in re.finditer(rf"\b({_WORD}+)[ \u00a0]+(\1)\b", text, flags=re.I):
        yield Hit("dubbelord", m.start(), m.group(0), m.group(1), "samma ord två gånger i följd")


def capitals(text: str) -> Iterator[Hit]:
    """A capitalised word after a lower-case word or a comma (mid-sentence) that is a common noun of the list.

    Only a list: a capitalised word mid-sentence is as often a name ("Sveriges Kommuner och Landsting",
    "Senior Alert"), which no rule can tell from a common noun.
    """
    for m in re.finditer(r"(?<=[a-zåäö0-9,] )([A-ZÅÄÖ][a-zåäö]+)\b", text):
        word = m.group(1)
        if word.lower() in LOWER_CASE_NOUNS:
            yield Hit("versal", m.start(), word, word.lower(), "ett vanligt substantiv skrivs med liten bokstav")


_UNGROUPED = re.compile(r"(?<![\w/.:,–-])(?<!Box )(\d{4,})(?![\w/.:–-]|,\d)")
_GROUPED = re.compile(r"(?<![\d\w])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d\w])")


def ungrouped(text: str, groups_four: bool) -> Iterator[Hit]:
    """Five digits and more without spaces; four too where the document groups four-digit numbers elsewhere."""
    for m in _UNGROUPED.finditer(text):
        digits = m.group(1)
        if len(digits) == 4 and (not groups_four or 1900 <= int(digits) <= 2099):
            continue
        grouped = f"{int(digits):,}".replace(",", "\u00a0")
        yield Hit("tal", m.start(), digits, grouped, "ett tal med fler än fyra siffror skrivs i grupper om tre")


def percent(text: str) -> Iterator[Hit]:
    """``%`` in prose where the document's prose also writes ``procent`` (the form of running text)."""
    for m in re.finditer(r"(?<![\d,])(\d+(?:,\d+)?)[ \u00a0]?%", text):
        yield Hit("tal", m.start(), m.group(0), f"{m.group(1)} procent", "dokumentet skriver annars ”procent”")


def ska(text: str, majority: str) -> Iterator[Hit]:
    minority = "skall" if majority == "ska" else "ska"
    for m in re.finditer(rf"\b{minority}\b", text, flags=re.I):
        yield Hit("ska", m.start(), m.group(0), _case(m.group(0), majority), f"dokumentet skriver annars ”{majority}”")


# --------------------------------------------------------------------------- running the rules over a file


#: Fields that hold no wording: identifiers, file names, addresses, numbers written as the source has them.
_NOT_WORDING = {"id", "url", "email", "phone", "file", "dnr", "number", "outcomes", "rule", "key", "kind", "unit"}


def _plain(text: str) -> str:
    """Return ``text`` with figure references and control blocks blanked out (same length, same lines)."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def _document(path: PathKey) -> str:
    """Return which document of an agreement file prints the text at ``path``."""
    head = path[0] if path else ""
    if head in ("letter", "appendices"):
        return "plan"
    if head in ("decisions", "county_letters", "county_agreements", "municipal_statement"):
        return f"{head}{path[1] if head == 'decisions' and len(path) > 1 else ''}"
    return "agreement"


def texts_of(root: BaseModel, base: PathKey = ()) -> Iterator[Text]:
    """Yield every wording under ``root``: prose fields, titles, labels, headings, list lines, table cells."""
    for model, path in walk_models(root, base):
        if isinstance(model, AcceptedWording):
            continue
        for name in type(model).model_fields:
            if name in _NOT_WORDING:
                continue
            value = getattr(model, name)
            prose = name in PROSE_FIELD_NAMES
            where = path + (name,)
            doc = _document(where[len(base) :])
            if isinstance(value, str):
                yield Text(where, value, prose, doc)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        yield Text(where + (i,), item, prose, doc)
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, str):
                        yield Text(where + (key,), item, prose, doc)


def hits(texts: list[Text]) -> Iterator[tuple[Text, Hit]]:
    """Yield (text, hit) of every rule over ``texts`` (one file's, so that forms are compared within it)."""
    plain = {id(t): _plain(t.value) for t in texts}
    by_doc: dict[str, list[Text]] = {}
    for t in texts:
        by_doc.setdefault(t.document, []).append(t)
    for doc_texts in by_doc.values():
        doc_plain = [plain[id(t)] for t in doc_texts]
        all_text = "\n".join(doc_plain)
        n_ska = len(re.findall(r"\bska\b", all_text, flags=re.I))
        n_skall = len(re.findall(r"\bskall\b", all_text, flags=re.I))
        prose_text = "\n".join(plain[id(t)] for t in doc_texts if t.prose)
        n_pct = len(re.findall(r"\d[ \u00a0]?%", prose_text))
        n_procent = len(re.findall(r"\d procent\b", prose_text))
        groups_four = bool(_GROUPED.search(all_text))
        for t, text in zip(doc_texts, doc_plain, strict=True):
            found: list[Hit] = [
                *genitive(text),
                *hyphen(text),
                *i_dag(text),
                *closed(text),
                *doubled(text),
                *capitals(text),
                *ungrouped(text, groups_four),
            ]
            if n_ska and n_skall:
                found += ska(text, "ska" if n_ska >= n_skall else "skall")
            if t.prose and n_pct and n_procent:
                found += percent(text)
            for hit in sorted(found, key=lambda h: h.start):
                yield t, hit


class TextLocator:
    """The lines of a source file, read once, to give a finding in a text its column."""

    def __init__(self, file: Path):
        try:
            self.lines = file.read_text(encoding="utf-8").splitlines() if file.is_file() else []
        except (OSError, UnicodeDecodeError):
            self.lines = []

    def locate(self, source: SourceMap, t: Text, hit: Hit) -> Location:
        return self.at(source, t.path, t.value, hit.start, hit.written)

    def at(self, source: SourceMap, path: PathKey, value: str, start: int, written: str) -> Location:
        """Return file:line:col of ``written`` at offset ``start`` of the text ``value`` at ``path``."""
        index = value.count("\n", 0, start)
        location = source.locate_line(path, index)
        if location.line is None or not 0 < location.line <= len(self.lines):
            return location
        line = self.lines[location.line - 1]
        text_line = value.splitlines()[index] if value.splitlines() else ""
        in_line = start - (value.rfind("\n", 0, start) + 1)
        at = line.find(text_line) if text_line else -1
        if at >= 0 and line.find(written, at + in_line) == at + in_line:
            return Location(location.file, location.line, at + in_line + 1)
        at = line.find(written)
        return Location(location.file, location.line, at + 1 if at >= 0 else location.column)


def report_style(
    texts: list[Text],
    accepted: list[AcceptedWording],
    accepted_path: PathKey,
    source: SourceMap,
    report: Report,
) -> None:
    """Warn about every hit in ``texts`` that is not an accepted wording; warn about accepted wordings unused."""
    lines = TextLocator(source.file)
    used: set[int] = set()
    for t, hit in hits(texts):
        match = next(
            (
                i
                for i, a in enumerate(accepted)
                if a.wording in t.value and hit.written in a.wording and a.rule in (None, hit.rule)
            ),
            None,
        )
        if match is not None:
            used.add(match)
            continue
        report.warning(
            lines.locate(source, t, hit),
            f"{RULES[hit.rule]}: {hit.written!r} – {hit.why}",
            dotted(t.path),
            f"skriv {hit.suggested!r}, eller behåll ordalydelsen under accepted_wordings: med ett skäl",
        )
    for i, a in enumerate(accepted):
        if i not in used:
            report.warning(
                source.locate(accepted_path + (i,)),
                f"den godtagna ordalydelsen {a.wording!r} förekommer inte längre i någon text som regeln gäller",
                dotted(accepted_path + (i,)),
                "ta bort den ur accepted_wordings:",
            )


def check_style(context: CheckContext) -> None:
    """Warn about every wording of the agreement against the Swedish writing rules (see the module)."""
    report_style(
        list(texts_of(context.agreement)),
        context.agreement.accepted_wordings,
        ("accepted_wordings",),
        context.source,
        context.report,
    )


def check_style_of(
    root: BaseModel, base: PathKey, accepted: Iterable[AcceptedWording], source: SourceMap, report: Report
) -> None:
    """Warn about every wording under ``root`` (at ``base`` in its file), e.g. a circular's."""
    report_style(list(texts_of(root, base)), list(accepted), base + ("accepted_wordings",), source, report)
