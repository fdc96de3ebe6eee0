"""A decision's bilagor, and blanks: every field a source may lack that the data leaves empty.

A decision's number, date, diarienummer, minister and föredragande, its follow-up dates, the plan letter's
date and dnr, SKL's cover letter's date, dnr and reply date (2010), a party's signatory: where the source does
not give one, the data says ``null`` (never a guess) and the document prints ``[name] ______________``
(:func:`generator.data.blanks.tomt`). Each is a warning naming the field, so ``validate --strict`` (and
``build --strict``) refuses a document someone would sign with a blank in it.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.data.checks.context import CheckContext
from generator.data.loading import PathKey, dotted
from generator.data.model import Agreement
from generator.data.reference import counties
from generator.data.schema_errors import TEXT_BLANK

HINT = "skriv in uppgiften när den är känd; gissa aldrig (docs/ENCODING.md)"


def blanks(agreement: Agreement) -> Iterator[tuple[PathKey, str, str]]:
    """Yield (path, blank's name as printed, what it is) of every field left empty that a document prints."""
    for index, decision in enumerate(agreement.decisions):
        at: PathKey = ("decisions", index)
        what = f"regeringsbeslutet {decision.id}"
        if decision.number is None:
            yield at + ("number",), "nr", f"{what}: beslutets nummer"
        if decision.date is None:
            yield at + ("date",), "datum", f"{what}: beslutets datum"
        if not decision.dnrs:
            yield at + ("dnr",), "diarienummer", f"{what}: diarienummer"
        if decision.minister is None:
            yield at + ("minister",), "statsråd", f"{what}: statsrådet som undertecknar"
        if decision.official is None:
            yield at + ("official",), "föredragande", f"{what}: föredraganden"
        for number, followup in enumerate(decision.followup):
            if followup.date is None:
                yield at + ("followup", number, "date"), "datum", f"{what}: datum för {followup.label.lower()}"
    if agreement.letter is not None:
        if agreement.letter.date is None:
            yield ("letter", "date"), "datum", "genomförandeplanens brev: datum"
        if agreement.letter.dnr is None:
            yield ("letter", "dnr"), "diarienummer", "genomförandeplanens brev: diarienummer"
    if agreement.county_agreements is not None:
        cover = agreement.county_agreements.letter
        at = ("county_agreements", "letter")
        if cover.date is None:
            yield at + ("date",), "datum", "SKL:s brev till länen: datum"
        if cover.dnr is None:
            yield at + ("dnr",), "diarienummer", "SKL:s brev till länen: diarienummer"
        if cover.reply_by is None:
            yield at + ("reply_by",), "datum", "SKL:s brev till länen: dag då överenskommelsen ska ha kommit in"
    for index, party in enumerate(agreement.parties):
        if party.signatory is None:
            yield ("parties", index, "signatory"), "undertecknare", f"överenskommelsen: undertecknare {party.label}"


def check_blanks(context: CheckContext) -> None:
    """Warn once per blank, at its field (or where its model is written, if the key is left out), and per blank
    written in a text; a field already reported (``generator new`` left it empty: an error) is not repeated."""
    reported = {finding.path for finding in context.report.findings}
    lines = {(finding.path, finding.location.line) for finding in context.report.findings}
    for path, name, what in blanks(context.agreement):
        if dotted(path) not in reported:
            context.warning(path, f"tomt i källan: {what} – skrivs ut som [{name}] att fylla i", HINT)
    for _, path, text in context.texts():
        for match in TEXT_BLANK.finditer(text):
            location = context.source.locate_in_text(path, text, match.group(0))
            if (dotted(path), location.line) in lines:
                continue
            context.report.warning(location, f"tomrum i texten: {match.group(1)} att fylla i", dotted(path), HINT)


def check_agreement_or_decision(context: CheckContext) -> None:
    """An agreement (sections:) has its two parties; a file without one holds decisions, none attaching it."""
    agreement = context.agreement
    if agreement.sections and len(agreement.parties) < 2:
        context.error(
            ("parties",),
            f"kräver minst 2 poster, fann {len(agreement.parties)}: en överenskommelse (sections:) har två parter",
        )
    if not agreement.sections and not agreement.decisions:
        context.error((), "filen har varken en överenskommelse (sections:) eller ett beslut (decisions:)")
    for index, decision in enumerate(agreement.decisions):
        if not agreement.sections and decision.attaches("agreement"):
            context.error(
                ("decisions", index, "attachments"),
                "beslutet bifogar överenskommelsen (attachments: agreement), men filen saknar sections:",
            )


def check_attachments(context: CheckContext) -> None:
    """Check each key or distribution bilaga: county codes that exist, a key to share by, an amount to share."""
    known = counties()
    for index, decision in enumerate(context.agreement.decisions):
        for number, attachment in enumerate(decision.attachments):
            at: PathKey = ("decisions", index, "attachments", number)
            for code in attachment.key:
                if code not in known:
                    context.error(at + ("key", code), f"okänd länskod {code!r}", "länskoderna är 01–25 (SCB)")
            if attachment.kind in ("key", "distribution") and not attachment.key:
                context.error(at + ("key",), f"bilagan ({attachment.kind}) saknar sin nyckel (key:)")
            if attachment.kind == "distribution" and sum(attachment.key.values()) == 0 and attachment.key:
                context.error(at + ("key",), "nyckeln summerar till 0: inget att fördela efter")
            if attachment.split is not None and attachment.kind != "distribution":
                context.error(at + ("split",), "split: hör till en fördelningstabell (kind: distribution)")
