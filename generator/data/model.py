"""Pydantic models of one year's agreement and the documents written around it.

Glossary (the domain's own words are kept in Swedish):

* *överenskommelse* — the yearly agreement between the state and SKL
  (Sveriges Kommuner och Landsting): :class:`Agreement`.
* *regeringsbeslut* — a government decision, here either instructing
  Kammarkollegiet to pay (``kind: utbetalning``) or approving SKL's plan
  (``kind: godkannande``): :class:`Decision`.
* *genomförandeplan* — SKL's implementation plan, sent as a letter with
  appendices (*bilagor*): :class:`Letter`, :class:`Appendix`.
* *utbetalning* — a payout of a fixed amount: :class:`Payout`.
* *prestationsersättning* — a performance-based pot that qualifying
  *kommuner* (municipalities), *landsting* (county councils) or *län*
  (counties) share: :class:`Pot`.
* *återrapportering*, *slutredovisning*, *återbetalning* — interim report,
  final report, repayment of unused funds: :class:`Deadline`.

Conventions:

* Money is integer kronor (``Kronor``): YAML ``66_000_000``. Floats, strings
  and booleans are refused; negative amounts too.
* Section numbers ("2.5"), payout letters ("d") and appendix labels
  ("Bil 1.a") are computed from order, never typed.
* Prose fields (``Prose``) are Swedish text with a small markup: blank lines
  separate paragraphs, lines starting ``- `` form a bullet list, lines
  starting ``1. `` a numbered list (numbers are recomputed), ``### `` a
  run-in heading. A figure is never retyped in prose: it is referred to as a
  Jinja expression, e.g. ``{{ ul_kommuner | milj }}`` or
  ``{{ sec.utvecklingsledare.total | miljoner }}``; see
  :mod:`generator.data.prose_figures` for what names exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)
from pydantic import Strict as StrictMode

#: The largest amount accepted anywhere: 100 000 million kronor, far above any agreement (about 1 000 million),
#: so that a typo of many digits (10^30 kronor with a total typed to match) is refused, not printed.
MAX_KRONOR = 100_000_000_000
Kronor = Annotated[StrictInt, Field(ge=0, le=MAX_KRONOR, description="An amount in whole kronor.")]
Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$"),
    Field(description="A reference name: lower-case letters, digits and _ (used in prose as {{ id }})."),
]
Prose = Annotated[str, Field(description="Swedish text; may refer to figures as {{ id | filter }}.")]


def _number_not_text(value: object) -> object:
    """Refuse text and booleans where a percentage is meant (lax Decimal would read "+5" or "1e1")."""
    if isinstance(value, (str, bool)):
        raise ValueError(f"väntade en procentsats skriven som ett tal (70 eller 7.5), fann {value!r}")
    return value


Percent = Annotated[
    Decimal, BeforeValidator(_number_not_text), StrictMode(False), Field(ge=0, le=100, allow_inf_nan=False)
]


class Strict(BaseModel):
    """Base: unknown keys are errors (a misspelt key must not be silently ignored)."""

    # defer_build: a model's validator is built when it first validates, not when the module is imported: 44
    # classes each built their own at import (about 50 ms), most never used by a command, or only nested in
    # Agreement's, which is then built once (a rebuild with nothing to do validates nothing at all)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


# --------------------------------------------------------------------------- wordings kept on purpose

StyleRule = Literal["genitiv", "bindestreck", "ska", "i_dag", "framfor_allt", "versal", "dubbelord", "tal"]


class AcceptedWording(Strict):
    """A wording the Swedish style check would report, kept on purpose (a quotation, a name as its owner writes it).

    Every text that contains ``wording`` keeps it; the finding of ``rule`` (or of any rule) inside it is not
    reported. An accepted wording that no longer matches a finding is itself a warning.
    """

    wording: str = Field(min_length=1, description='The text as written, e.g. "Senior Alert coach".')
    rule: StyleRule | None = Field(default=None, description="The rule it is accepted against; default: any.")
    reason: str = Field(min_length=3, description="Why it is kept: shown to the next reader of the file.")


# --------------------------------------------------------------------------- people, places


class Person(Strict):
    name: str
    title: str | None = None


class Address(Strict):
    """A postal block: the name, then its lines (``Box 2218``, ``103 15 Stockholm``)."""

    name: str
    lines: list[str] = []


class Organisation(Strict):
    """A party, payee or sender (SKL, Famna, a quality register …)."""

    id: Id
    name: str
    short: str | None = None
    address: list[str] = Field(default=[], description="Letterhead lines: post, visits, phone, web.")


class Party(Strict):
    """One side of the agreement and the person who signs for it."""

    organisation: Id
    label: str = Field(description='Heading over the signature, e.g. "För staten".')
    signatory: Person | None = Field(
        default=None, description="Who signs; null when the source does not name them: printed as a blank line."
    )


class Signing(Strict):
    place: str
    date: dt.date


# --------------------------------------------------------------------------- dates

DeadlineKind = Literal[
    "aterrapportering",  # interim report
    "slutredovisning",  # final report
    "ekonomisk_redovisning",  # financial report
    "slutrapport",  # final report of a project
    "aterbetalning",  # repayment of unused funds
    "redovisning",  # report of work (2011 style)
    "handlingsplan",  # an action plan to hand in
    "uppfyllt",  # requirement to be met by
    "underlag",  # evidence to hand in
    "uppgifter",  # data delivered by a register
    "utbetalning",  # payment made by
]


class Deadline(Strict):
    """A dated obligation. ``date`` may name a key of the agreement's ``dates:`` instead of repeating it."""

    kind: DeadlineKind
    date: dt.date
    to: str | None = Field(default=None, description="Who receives it, e.g. Regeringskansliet (Socialdepartementet).")
    by: str | None = Field(default=None, description="Who must do it, e.g. SKL, Senior Alert.")


class Period(Strict):
    start: dt.date
    end: dt.date


# --------------------------------------------------------------------------- money

Route = Literal["skl_rekvisition", "kammarkollegiet_rekvisition", "kammarkollegiet", "skl"]


class Earmark(Strict):
    """A part of a payout set aside for a purpose ("Av medlen kan 5 000 000 kronor …")."""

    id: Id
    label: str
    amount: Kronor


Eligible = Literal["kommun", "landsting", "lan"]


class Share(Strict):
    """A fixed part of a pot for one kind of recipient (35 of 50 million to kommuner)."""

    id: Id | None = Field(default=None, description="Name for prose: {{ id | miljoner }}.")
    to: Eligible
    amount: Kronor


class Split(Strict):
    """A county's share split between its municipalities and county council (70/30)."""

    kommuner: Percent
    landsting: Percent
    key: Id = Field(default="befolkning", description="How the municipalities' part is shared among them.")

    @model_validator(mode="after")
    def _sums_to_100(self) -> Split:
        if self.kommuner + self.landsting != 100:
            raise ValueError(
                f"fördelningen måste bli 100 procent, inte {self.kommuner} + {self.landsting} = "
                f"{self.kommuner + self.landsting}"
            )
        return self


class MinimumQualifiers(Strict):
    """At least ``count`` qualifiers, otherwise those that qualify share ``reduced_amount``."""

    count: StrictInt = Field(ge=1)
    unit: Eligible = "lan"
    reduced_amount: Kronor


RuleKind = Literal[
    "fixed_table",  # a table of amounts per county
    "floor_then_key",  # at least `floor` each, the rest by `key`
    "base_then_key",  # `base` each, the rest per unit of `key`
    "proportional",  # shared among qualifiers in proportion to `key`
]


class PublishedSource(Strict):
    """Where a published table is typed: another agreement file (relative to this one) and the item's id there."""

    file: str
    item: Id


class Distribution(Strict):
    """How a pot is divided; the allocation engine carries it out."""

    rule: RuleKind
    key: Id | None = Field(
        default=None, description="Distribution key: befolkning_65, befolkning_80, antal_kommuner, registreringar …"
    )
    level: Literal["kommun", "landsting", "lan", "kommun_och_landsting"] = "lan"
    floor: Kronor | None = None
    base: Kronor | None = None
    step: Kronor | None = Field(default=None, description="Round each share to a multiple of this (e.g. 500_000).")
    table: dict[str, Kronor] | None = Field(default=None, description="County code → amount, for fixed_table.")
    shares: list[Share] = []
    split: Split | None = None
    minimum: MinimumQualifiers | None = None
    note: str | None = Field(
        default=None,
        description=(
            "The rule as the sender states it, where the agreement does not (printed in the letters and shown by "
            "explain): in words the sender signs, never about the sources or the tool."
        ),
    )
    confirm: str | None = Field(
        default=None,
        description=(
            "An assumption these data make where the agreement is silent (a distribution key, a precedent), for "
            "the person who must confirm it: validate lists it as a warning; never printed in a document."
        ),
    )
    published: dict[str, Kronor] | None = Field(
        default=None,
        description="The table as published (county code → amount): what is paid and printed. The rule above then "
        "is a check: validate warns per recipient where the two differ, and explain shows both. A table "
        "summing to less than the pot leaves the rest explicitly undistributed (warned).",
    )
    published_from: PublishedSource | None = Field(
        default=None,
        description="The published table of an item of another agreement file (a precedent), "
        "instead of typing it again.",
    )
    remainder_note: str | None = Field(
        default=None, description='Why part of the pot is left undistributed ("ej fördelat") by the published table.'
    )


class Payout(Strict):
    """A fixed amount paid to a named organisation."""

    id: Id
    label: str = Field(description='As in the payout table: "Medel till SKL för Ledningskraft".')
    amount: Kronor
    recipient: Id = Field(description="Organisation the money is paid to (usually skl).")
    beneficiary: Id | None = Field(default=None, description="Organisation the money is for, if not the recipient.")
    route: Route | None = None
    list_label: str | None = Field(
        default=None, description="Label when the section lists its payouts in the text (default: label)."
    )
    description: Prose | None = Field(default=None, description="Text shown under the item in a listing.")
    appendices: list[Id] = Field(default=[], description="Appendices with the plan and budget for this item.")
    earmarks: list[Earmark] = []
    distribution: Distribution | None = Field(
        default=None, description="How the payout is divided among counties, if it is."
    )


class Pot(Strict):
    """A performance- or result-based pot (prestationsersättning) that qualifiers share."""

    id: Id
    title: str
    amount: Kronor
    eligible: list[Eligible] = Field(min_length=1)
    offer: Prose = Field(description='The short statement under "Prestationsersättning <år>".')
    calculation: Prose | None = Field(default=None, description='Text under "Beräkning – utbetalning av medel".')
    period: Period | None = None
    measured_on: dt.date | None = Field(default=None, description="A point measurement date instead of a period.")
    period_note: Prose | None = None
    data_entry: dt.date | None = Field(default=None, description="Last day of data entry in the register.")
    data_entry_text: Prose | None = None
    distribution_text: Prose | None = Field(default=None, description='"Fördelning av medel: …"')
    payment_text: Prose | None = Field(default=None, description='"Utbetalning av medel: …"')
    payment_label: str = "Utbetalning av medel"
    distribution: Distribution | None = None
    route: Route = Field(default="kammarkollegiet", description="Who pays the qualifiers.")
    deadlines: list[Deadline] = []
    criterion: str | None = Field(
        default=None,
        description='What a recipient must meet to share the pot, as a clause after "krävs": '
        '"att minst 70 procent av dödsfallen registreras i Svenska Palliativregistret". '
        "The county letters tell a recipient that got nothing which criterion it did not meet.",
    )
    requires: Id | None = Field(
        default=None,
        description="Another pot whose requirement a qualifier of this one must also meet (Brytpunktssamtal "
        "requires Täckningsgrad): a recipient that missed it is told so.",
    )


# --------------------------------------------------------------------------- structure


class Section(Strict):
    """A numbered area of the agreement or plan; may hold subsections, payouts and pots."""

    id: Id
    title: str
    numbered: bool = Field(default=True, description="False: a heading without a number of its own.")
    text: Prose | None = None
    requirements: list[Prose] = Field(default=[], description="Basic requirements, rendered as a numbered list.")
    requirements_followup_title: str | None = None
    requirements_followup: Prose | None = None
    offer_title: str | None = Field(
        default=None, description='Heading over the pots\' offers, e.g. "Prestationsersättning 2012".'
    )
    calculation_title: str | None = Field(default=None, description="Heading over the pots' calculations.")
    pots: list[Pot] = []
    pots_text: Prose | None = Field(
        default=None, description="Text after the pots' offers (conditions common to them)."
    )
    list_payouts: bool = Field(default=False, description="Also list the payouts with their descriptions in the text.")
    payouts_title: str | None = Field(default=None, description='Default "Utbetalning av medel enligt ovan".')
    payouts: list[Payout] = []
    payouts_text: Prose | None = Field(default=None, description="Text right after the payout table.")
    total: Kronor | None = Field(default=None, description="Total stated in the text; checked against the parts.")
    conditions_title: str | None = None
    conditions: Prose | None = Field(default=None, description='"Särskilda villkor".')
    deadlines: list[Deadline] = []
    appendices: list[Id] = Field(default=[], description="Appendices listed at the end of the section.")
    appendix_captions: dict[Id, str] = Field(default={}, description="Caption of a listed appendix, if not its title.")
    after_text: Prose | None = Field(default=None, description="Text after payouts and conditions.")
    sections: list[Section] = []


# --------------------------------------------------------------------------- appendices


class Row(Strict):
    """A table row: one amount, or an income and a cost, with optional detail lines."""

    label: str
    amount: Kronor | None = None
    ref: Id | None = Field(default=None, description="Take the amount from this payout instead of typing it.")
    income: Kronor | None = None
    cost: Kronor | None = None
    details: list[str] = []
    percent_of_others: Percent | None = Field(
        default=None,
        description="The row is this percentage of the other rows of its table or group (OH-kostnader 10 %): checked.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Row:
        kinds = [self.amount is not None, self.ref is not None, self.income is not None or self.cost is not None]
        if sum(kinds) > 1:
            raise ValueError("en rad har antingen amount, ref eller income/cost – inte flera")
        return self


class Group(Strict):
    """Rows under a sub-heading, with their stated subtotal."""

    title: str
    rows: list[Row]
    total: Kronor | None = None
    total_label: str | None = None


Unit = Literal["kr", "tkr", "mkr"]


class Table(Strict):
    """A budget table; every stated sum is checked."""

    id: Id | None = None
    title: str | None = None
    columns: list[str] = Field(
        default=[],
        description="Column headings, e.g. [Specifikation, Budget] or [Intäkts-/Kostnadstyp, Intäkt, Kostnad].",
    )
    unit: Unit = "kr"
    rows: list[Row] = []
    groups: list[Group] = []
    total: Kronor | None = None
    total_label: str = "Summa"
    total_income: Kronor | None = None
    total_cost: Kronor | None = None
    funding: Kronor | None = Field(default=None, description="Funds received, stated (Ersättning).")
    funding_label: str | None = None
    funding_ref: Id | None = Field(default=None, description="Payout or sum of payouts that funds this budget.")
    margin: Kronor | None = Field(default=None, description="Funding minus total, stated (Marginal).")
    margin_label: str | None = None
    funded_by: list[Id] = Field(default=[], description="Payouts this budget spends; a warning if the sums differ.")
    difference_note: str | None = Field(
        default=None, description="Why income and cost differ; without it the difference is a warning."
    )


class TextBlock(Strict):
    text: Prose


class TableBlock(Strict):
    table: Table


class HeadingBlock(Strict):
    heading: str


def _block_kind(value: object) -> str | None:
    """Return which kind of block a mapping is, by its key (text, table or heading)."""
    if isinstance(value, dict):
        return next((k for k in ("table", "heading", "text") if k in value), None)
    return next((k for k in ("table", "heading", "text") if hasattr(value, k)), None)


Block = Annotated[
    Annotated[TextBlock, Tag("text")] | Annotated[TableBlock, Tag("table")] | Annotated[HeadingBlock, Tag("heading")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="ett block behöver en av nycklarna text, table eller heading",
    ),
]


class Appendix(Strict):
    """A bilaga: title, text and budget tables; sub-appendices are labelled 1.a, 1.b …"""

    id: Id
    title: str
    subtitle: str | None = None
    blocks: list[Block] = []
    appendices: list[Appendix] = []


# --------------------------------------------------------------------------- documents


class CitedAppendix(Strict):
    """An appendix of another document that prose refers to: ``{{ bil.<id> }}`` → "bilaga 3 till överenskommelsen"."""

    number: str = Field(description='Its number in that document, "3".')
    document: str = Field(description='The document, as the sentence names it: "överenskommelsen".')
    title: str | None = None


class Appropriation(Strict):
    """Where a decision's costs are charged: expenditure area, appropriation and, if any, its item (anslagspost).

    The item has a short form ("anslagspost 11", :attr:`kort`) and a long one ("anslagspost 11
    Stimulansbidrag till äldreomsorg", :attr:`lang`); prose may use either.
    """

    utgiftsomrade: str = Field(description='"9 Hälsovård, sjukvård och social omsorg"')
    anslag: str = Field(description='"5:1 Stimulansbidrag och åtgärder inom äldrepolitiken"')
    anslagspost: str | None = Field(default=None, description='The item as the decision names it: "11", or "20 …".')
    anslagspost_namn: str | None = Field(
        default=None, description='The item\'s name, if the decision also gives it: "Stimulansbidrag till äldreomsorg".'
    )

    @property
    def kort(self) -> str:
        """The item's short form, "anslagspost 11" (empty if none)."""
        return f"anslagspost {self.anslagspost}" if self.anslagspost else ""

    @property
    def lang(self) -> str:
        """The item's long form, "anslagspost 11 Stimulansbidrag till äldreomsorg" (the short one without a name)."""
        return f"{self.kort} {self.anslagspost_namn}" if self.kort and self.anslagspost_namn else self.kort


AttachmentKind = Literal["agreement", "plan", "distribution", "key", "text"]


class DecisionAttachment(Strict):
    """One bilaga of a decision: the agreement, SKL's plan, a distribution table, a key, or a free text.

    A distribution table shares ``amount`` (default: the file's ``total``) among the counties in proportion to
    ``key`` and, with ``split``, between each county's municipalities and county council.
    """

    kind: AttachmentKind
    title: str | None = Field(default=None, description="The bilaga's title (default by kind).")
    text: Prose | None = Field(default=None, description="Text of the bilaga, before its table if it has one.")
    amount: Kronor | None = Field(default=None, description="What a distribution table shares (default: total).")
    key: dict[str, StrictInt] = Field(
        default={}, description="County code → the key's figure for it (e.g. inhabitants aged 65 or more)."
    )
    key_label: str | None = Field(default=None, description='Heading of the key\'s column: "Invånare 65 år och äldre".')
    split: Split | None = Field(default=None, description="The split of each county's part (kommuner/landsting).")


def _attachment(value: object) -> object:
    """Accept an attachment given by kind alone (``attachments: [agreement]``)."""
    return {"kind": value} if isinstance(value, str) else value


class FollowUp(Strict):
    """A follow-up deadline of a decision, of any named kind ("Delredovisning", "Slutredovisning" …)."""

    id: Id = Field(description="Name for prose: {{ decision.uppfoljning.<id>.date | datum }}.")
    label: str = Field(description='What is due: "Delredovisning", "Redovisning av hur medlen har använts".')
    date: dt.date | None = Field(default=None, description="Null when the source does not give it: a blank.")
    to: str | None = Field(default=None, description="Who receives it.")
    by: str | None = Field(default=None, description="Who must do it.")


class Decision(Strict):
    """A regeringsbeslut: about the agreement, or standing alone (an assignment to an agency to pay).

    Every field a source may lack (number, date, dnr, minister, official) may be null: the document prints a
    blank line to fill in there and ``generator validate`` lists it.
    """

    id: Id
    kind: Literal["utbetalning", "godkannande"]
    number: str | None = Field(default=None, pattern=r"^[IVX]+:\d+$", description='"II:7"')
    date: dt.date | None = None
    dnr: str | list[str] | None = Field(
        default=None, description="Diarienummer, or several (a list); null when the source does not give it."
    )
    department: str
    addressee: Address
    subject: str
    decision: Prose = Field(description='Text under "Regeringens beslut".')
    matter: Prose = Field(description='Text under "Ärendet".')
    appropriation: Appropriation | None = None
    minister: Person | None = Field(default=None, description="Null when the source does not name them: a blank.")
    official: Person | None = Field(
        default=None, description="The föredragande; null when the source does not name them: a blank."
    )
    copies: list[str] = Field(default=[], description='"Kopia till"')
    attachments: list[Annotated[DecisionAttachment, BeforeValidator(_attachment)]] = Field(
        default=[], description="What is attached, in order (a kind alone, or a mapping); counts the bilagor."
    )
    followup: list[FollowUp] = Field(default=[], description="Follow-up deadlines the decision sets.")

    @property
    def dnrs(self) -> list[str]:
        """The decision's diarienummer, one or several, in order."""
        return [self.dnr] if isinstance(self.dnr, str) else list(self.dnr or [])

    @property
    def uppfoljning(self) -> dict[str, FollowUp]:
        """The follow-up deadlines by id, for prose."""
        return {f.id: f for f in self.followup}

    def attaches(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.attachments)


class Letter(Strict):
    """SKL's letter carrying the genomförandeplan."""

    dnr: str | None = Field(default=None, description="Null when the source does not give it: a blank.")
    date: dt.date | None = Field(default=None, description="Null when the source gives no date: a blank.")
    sender: Id = Field(description="Organisation id (skl).")
    units: list[str] = Field(default=[], description="Department and section lines.")
    contact: str | None = None
    addressee: Address
    title: str
    background: Prose
    signatories: list[Person] = Field(min_length=1)


class PopulationSource(Strict):
    """An SCB CSV export of population by region and age (see generator.money.population)."""

    file: str = Field(description="Path relative to the agreement file.")
    year: StrictInt = Field(ge=1968, le=2100, description="SCB's year column: the population on 31 December of it.")


class DataFiles(Strict):
    """Key and outcome data the distributions use, as files next to the agreement."""

    population: PopulationSource | None = None
    outcomes: str | None = Field(
        default=None, description="Outcome CSV (see generator.money.outcomes), relative to the agreement file."
    )


class LetterContact(Strict):
    """The person who answers questions about a letter, as the sender block shows them."""

    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None


class LetterStep(Strict):
    """One step for the addressees of a county letter ("Vad ni behöver göra"), with its deadline if it has one.

    ``date`` may name a key of ``dates:``; a date before the letter's own date is an error.
    """

    text: Prose
    date: dt.date | None = None
    route: Route | None = Field(
        default=None, description="Only in the letters of counties that receive money paid this way."
    )


class CountyLetters(Strict):
    """The letters to each county about what its municipalities and county council receive."""

    date: dt.date
    dnr: str | None = None
    sender: Id = Field(description="Organisation id (skl).")
    units: list[str] = []
    title: str = Field(description='Subject line; "{{ lan }}" is not needed, the county is added.')
    intro: Prose
    conditions: Prose | None = Field(default=None, description="Conditions common to every item.")
    payee_form: bool = Field(
        default=True, description="End with the form for payee and bank account (for amounts paid on requisition)."
    )
    reply_by: dt.date | None = None
    reply_to: str | None = None
    contact: LetterContact | None = None
    steps: list[LetterStep] = Field(
        default=[], description='What the addressees do, in order, with deadlines ("Vad ni behöver göra").'
    )
    item_conditions: dict[Id, Prose] = Field(
        default={},
        description="Per payout or pot id: what applies to its money, as the letter states it (from the plan's text).",
    )
    signatory: Person

    @field_validator("contact", mode="before")
    @classmethod
    def _contact_by_name(cls, value: object) -> object:
        """Accept a contact given by name alone (``contact: Kristina Jennbert``)."""
        return {"name": value} if isinstance(value, str) else value


class TitledText(Strict):
    """A heading and the prose under it."""

    title: str
    text: Prose


class CountyPart(Strict):
    """What a county, or a part of it (a delregion), has filled in: its plans, its budget, who signed it."""

    area: str | None = Field(
        default=None, description='The part of the county, e.g. "Fyrbodal"; none for the whole county.'
    )
    by: str | None = Field(default=None, description="Who wrote it (a kommunalförbund, a vårdsamverkan).")
    plans: Prose | None = Field(default=None, description='The list under "Kommunerna och landstinget avser att:".')
    budget: Table | None = Field(default=None, description="Its budget; checked against the county's amount (warned).")
    text: Prose | None = Field(default=None, description="Text after the budget (how it was prepared, approval).")
    signatories: list[Person] = []
    signed_as: list[str] = Field(default=[], description="The organisation under each signatory, in order.")


class CountyFill(Strict):
    """The blanks of one county's agreement that the data can fill; what stays None prints as a blank line."""

    payee: str | None = Field(default=None, description='"Medel utbetalas till": the organisation paid.')
    org_number: str | None = Field(
        default=None, pattern=r"^\d{6}-\d{4}$", description="Organisationsnummer, 212000-0142."
    )
    account: str | None = Field(default=None, description="Bankgiro, plusgiro or bank account.")
    place: str | None = None
    date: dt.date | None = None
    parts: list[CountyPart] = []


class CoverLetter(Strict):
    """SKL's letter offering the counties their part of a distributed payout (seed 002)."""

    date: dt.date | None = Field(default=None, description="None when the source gives no date: printed as a blank.")
    dnr: str | None = Field(default=None, description="None when the source gives none: printed as a blank.")
    addressee: list[str] = Field(default=[], description="The addressee's lines, as the address block shows them.")
    reply_by: dt.date | None = Field(
        default=None, description="The day the signed agreement is due; None when the source gives none: a blank."
    )
    sender: Id
    units: list[str] = []
    title: str
    text: Prose
    signatory: Person


class CountyAgreements(Strict):
    """SKL's letter and the agreement with each county about its part of a payout (2010: Bilaga 1 and 2).

    The amounts are those of the payout's distribution (its published table,
    if it has one), so the letter's Bilaga 2 and the 21 agreements print the
    same figures.
    """

    payout: Id = Field(description="The distributed payout the counties share.")
    letter: CoverLetter
    appendix_title: str = Field(
        description='Title of the agreement form as an appendix, "Mall för länsgemensam överenskommelse".'
    )
    table_title: str = Field(description='Title of the distribution appendix, "Fördelning av 66 milj. kr till …".')
    table_text: Prose = Field(description="The rule as the appendix states it.")
    subject: str = Field(
        description='What the agreement is about: "om stöd till ett långsiktigt förbättringsarbete …".'
    )
    heading: str
    text: Prose = Field(description="The agreement's common text, the same for every county.")
    plans_title: str = "Kommunerna och landstinget avser att:"
    one_body_text: Prose | None = Field(
        default=None,
        description="The common text for a county whose one municipality also carries the county council's "
        "tasks (Gotland), instead of text, which speaks of the municipalities and the county council.",
    )
    sections: list[TitledText] = Field(
        default=[], description="Common sections after the plans (Kvalitativ uppföljning)."
    )
    budget_lines: list[str] = Field(default=[], description="The budget lines a county fills in.")
    followup: TitledText | None = Field(default=None, description='"Uppföljning"')
    counties: dict[str, CountyFill] = Field(default={}, description="County code → what the data fills in.")


class MunicipalStatement(Strict):
    """What every municipality's utlåtande on the agreement says (modelled on seed 001, Stockholm 2013).

    The parts every municipality writes alike come from here; what only one
    municipality can write (its dnr, rapporteur, Beredning, further decision
    points, signatures) comes from its own file ``<folder>/<code>.yaml``
    (:mod:`generator.data.municipal`).
    """

    folder: str = Field(description="The folder of the per-municipality files, relative to the agreement file.")
    title: str = Field(description='The agreement as the decision names it: "Överenskommelse mellan staten och …"')
    approval: Prose = Field(description="Decision point 1: the agreement is approved.")
    history: Prose = Field(
        description="How the agreements came about (Ärendet, and the start of the tjänsteutlåtande)."
    )
    purpose: Prose = Field(description='"Det långsiktiga syftet med satsningen är …"')
    requirements: Prose = Field(description='"Överenskommelsen ställer krav på …"')
    offer_lead: Prose = Field(description="The sentence before the list of what municipalities can take part in.")
    follow_up: Prose | None = Field(default=None, description="The tjänsteutlåtande's text after the list (reporting).")
    closing: Prose = Field(description='"Regeringen kommer att fatta beslut om utbetalning …"')
    omit: list[Id] = Field(default=[], description="Sections not open to municipalities (not listed).")


class Agreement(Strict):
    """One agreement (överenskommelse) of one year, with the documents around it."""

    id: Id
    year: StrictInt = Field(ge=2000, le=2100)
    title: str
    short_title: str | None = None
    total: Kronor = Field(
        description="The total stated in the agreement; checked against the sum of all payouts and pots."
    )
    organisations: list[Organisation] = Field(min_length=1)
    parties: list[Party] = Field(
        default=[], description="The agreement's two parties; none in a file that holds only a decision."
    )
    signing: Signing | None = None
    figures: dict[Id, Kronor] = Field(
        default={}, description="Amounts mentioned in prose that are not payouts (budget frame, other years)."
    )
    dates: dict[Id, dt.date] = Field(default={}, description="Dates mentioned in prose.")
    intro: Prose | None = Field(default=None, description="The agreement's opening text (before its sections).")
    numbered: bool = Field(default=True, description="Number the sections (2.1, 2.2 …).")
    sections: list[Section] = Field(
        default=[], description="The agreement's sections; none in a file that holds only a decision."
    )
    approval: Prose | None = Field(default=None, description='"Godkännande av överenskommelsen"')
    payment_decision: Prose | None = Field(default=None, description='"Beslut om utbetalning av medel"')
    appendices: list[Appendix] = []
    cited_appendices: dict[Id, CitedAppendix] = Field(
        default={}, description="Appendices of other documents that prose refers to ({{ bil.<id> }})."
    )
    decisions: list[Decision] = []
    letter: Letter | None = None
    data: DataFiles | None = None
    county_letters: CountyLetters | None = None
    county_agreements: CountyAgreements | None = None
    municipal_statement: MunicipalStatement | None = None
    accepted_wordings: list[AcceptedWording] = Field(
        default=[], description="Wordings the Swedish style check would report, kept on purpose with a reason."
    )

    @model_validator(mode="before")
    @classmethod
    def _named_dates(cls, data: object) -> object:
        """Replace a deadline's ``date: <name>`` by the date of that name under ``dates:``."""
        if not isinstance(data, dict) or not isinstance(data.get("dates"), dict):
            return data
        named = data["dates"]

        def walk(node: object) -> object:
            if isinstance(node, dict):
                out = {}
                for key, value in node.items():
                    if key in ("deadlines", "steps", "followup") and isinstance(value, list):
                        value = [
                            {**d, "date": named[d["date"]]}
                            if isinstance(d, dict) and isinstance(d.get("date"), str) and d["date"] in named
                            else d
                            for d in value
                        ]
                    out[key] = walk(value)
                return out
            if isinstance(node, list):
                return [walk(item) for item in node]
            return node

        return {key: (value if key == "dates" else walk(value)) for key, value in data.items()}


# Every model names only models defined before it (or itself: Section, Appendix), so each is complete as it is
# defined: no model_rebuild() here, which would build the validators defer_build leaves to their first use.


# --------------------------------------------------------------------------- SKL cirkulär


class Link(Strict):
    label: str = Field(description='"Överenskommelse: …", "Webbsida: …"')
    url: str


class Contact(Strict):
    """A contact person of a circular, with the task they answer for."""

    task: str = Field(description='"Samordning och övergripande projektansvar – eHälsa"')
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None


class CircularSection(Strict):
    """A titled stretch of prose; ``### Title`` lines inside make run-in subheadings."""

    title: str
    text: Prose


class CircularPart(Strict):
    """The part of a circular that presents one agreement; its prose may use that agreement's figures."""

    agreement: Id = Field(description="The id of an agreement of the circular's year.")
    title: str | None = Field(default=None, description="Default: the agreement's title.")
    purpose: Prose | None = Field(default=None, description='"Syfte och mål"')
    funding: Prose | None = Field(default=None, description='"Ekonomiskt stöd"')
    news_title: str | None = Field(default=None, description='e.g. "Nya satsningar i 2014 års överenskommelse"')
    news: Prose | None = None
    support: list[CircularSection] = Field(default=[], description='"SKL:s stöd …" sections')
    members: list[CircularSection] = Field(default=[], description='"Medlemmarnas arbete …" sections')
    requirements: list[CircularSection] = Field(default=[], description='Grundkrav, numbered "Grundkrav 1: …"')
    timeline: Prose | None = Field(default=None, description='"Tidplan"')
    links: list[Link] = []


class Circular(Strict):
    """An SKL cirkulär presenting one or more agreements of a year (model: Cirkulär 13:66)."""

    number: str = Field(pattern=r"^\d{2}:\d{1,3}$", description='"13:66"')
    date: dt.date
    year: StrictInt = Field(ge=2000, le=2100, description="The year of the agreements it presents.")
    sender: Organisation
    units: list[str] = Field(default=[], description="Department and section lines of the sender block.")
    officials: list[str] = Field(default=[], description="Named officials in the sender block.")
    recipients: list[str] = Field(min_length=1, description="Kommunstyrelsen, Landstings-/regionstyrelsen …")
    title: str | None = Field(default=None, description="A subject line, if the circular has one.")
    intro: Prose = Field(description="Text before the list of agreements; {{ antal | tal_ord }} is their number.")
    intro_after: Prose | None = Field(default=None, description="Text after the list of agreements.")
    parts: list[CircularPart] = Field(min_length=1)
    contacts_title: str = "Kontaktuppgifter"
    contacts: list[Contact] = []
    signature_lines: list[str] = Field(default=[], description="Lines above the signatures (organisation, department).")
    signatories: list[Person] = Field(min_length=1)
    accepted_wordings: list[AcceptedWording] = Field(
        default=[], description="Wordings the Swedish style check would report, kept on purpose with a reason."
    )


# ----------------------------------------------------------------- a municipality's own file (generator.data.municipal)

MunicipalityCode = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]

#: What a municipality's file may give, in the order the utlåtande uses it, with its Swedish name (for blanks).
PARTS = {
    "dnr": "diarienummer",
    "rapporteur": "föredragande",
    "decision_points": "kommunens egna beslutspunkter",
    "preparation": "beredning",
    "views": "föredragandens synpunkter",
    "recommending_body": "beredande organ",
    "place": "ort",
    "chair": "ordförande",
    "signatories": "undertecknare",
    "statement": "tjänsteutlåtande",
}
#: Parts a draft can do without (a municipality may have no decision points beyond approval).
OPTIONAL = {"decision_points", "series"}


class Rapporteur(Strict):
    title: str = Field(description='"borgarrådet", "kommunalrådet"')
    name: str


class OfficeStatement(Strict):
    """The tjänsteutlåtande the utlåtande quotes (ÄRENDET, BEREDNING)."""

    office: str = Field(
        description='Who wrote it, as in running text: "stadsledningskontoret", "kommunledningskontoret".'
    )
    date: dt.date
    prepared_by: Prose | None = Field(default=None, description='"Detta ärende har beretts av …"')
    assessment: Prose | None = Field(default=None, description="The office's own assessment.")


class MunicipalFile(Strict):
    """What only the municipality can write in its utlåtande."""

    kommun: MunicipalityCode
    dnr: str | None = None
    series: str | None = Field(
        default=None, description='The register series after the year: "RV" in "Utlåtande 2013: RV".'
    )
    rapporteur: Rapporteur | None = None
    decision_points: list[Prose] = Field(default=[], description="Decision points after the approval of the agreement.")
    preparation: Prose | None = Field(
        default=None, description="Beredning: to whom the matter was referred, what they said."
    )
    views: Prose | None = Field(default=None, description='The rapporteur\'s view ("Mina synpunkter").')
    recommending_body: str | None = Field(
        default=None, description='"Borgarrådsberedningen", "Kommunstyrelsens arbetsutskott"'
    )
    place: str | None = None
    chair: str | None = Field(default=None, description="Signs for the municipal executive board.")
    signatories: list[str] = []
    statement: OfficeStatement | None = None
    accepted_wordings: list[AcceptedWording] = Field(
        default=[], description="Wordings the Swedish style check would report, kept on purpose with a reason."
    )

    def missing(self) -> list[str]:
        """Return the Swedish names of the parts the file leaves out (shown as blanks in the draft)."""
        return [label for key, label in PARTS.items() if key not in OPTIONAL and getattr(self, key) in (None, [], "")]


# --------------------------------------------------------------------------- walking the model with paths


def walk_models(
    model: BaseModel, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[BaseModel, tuple[str | int, ...]]]:
    """Yield (model, path) of ``model`` and of every model below it, depth first, in field order."""
    yield model, path
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk_models(value, path + (name,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk_models(item, path + (name, index))


#: The names of the fields that hold prose (text that may refer to figures), in any model.
PROSE_FIELD_NAMES = {
    "text",
    "description",
    "offer",
    "calculation",
    "period_note",
    "data_entry_text",
    "distribution_text",
    "payment_text",
    "pots_text",
    "payouts_text",
    "conditions",
    "after_text",
    "requirements",
    "requirements_followup",
    "decision",
    "matter",
    "background",
    "intro",
    "approval",
    "payment_decision",
    "plans",
    "table_text",
    "table_title",
    "history",
    "purpose",
    "offer_lead",
    "follow_up",
    "closing",  # the municipalities' utlåtande
}


def prose_fields(model: BaseModel) -> Iterator[tuple[str, str | list]]:
    """Yield (field name, value) for each prose field of ``model`` that is set."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in PROSE_FIELD_NAMES and isinstance(value, (str, list)):
            yield name, value
