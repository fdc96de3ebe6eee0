"""docs/REFERENCE.md: every key of every file kind, every distribution rule, every name and filter of the prose.

Made from the same models and descriptions as the JSON Schema
(:mod:`generator.reference_docs.json_schema`, :mod:`generator.reference_docs.key_descriptions`); the worked examples
of the distribution rules are computed by :mod:`generator.money.rules`, and the
outputs of the names and filters by rendering them (:mod:`generator.data.prose_figures`).
``generator reference`` writes it; a test checks the committed file is current.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from generator.data.circulars import CIRCULAR_PROSE, PART_PROSE
from generator.data.file_kinds import FILE_KINDS, GROUPED_DIGITS, FileKind
from generator.data.model import PROSE_FIELD_NAMES, Agreement
from generator.data.prose_figures import PROSE_FILTERS, figure_context, render_prose
from generator.data.reference import DISTRIBUTION_KEYS, municipalities, recipient
from generator.formatting import FILTERS, belopp, kronor
from generator.money import rules
from generator.reference_docs.json_schema import schema_for
from generator.reference_docs.key_descriptions import describe_model, field_text

REFERENCE_FILE = Path(__file__).resolve().parents[2] / "docs" / "REFERENCE.md"

#: Keys whose text may refer to figures ({{ namn | filter }}): the fields validate reads as prose, in an
#: agreement, a municipality's file or a circular (one list each, where the checks keep them).
PROSE_KEYS = PROSE_FIELD_NAMES | set(CIRCULAR_PROSE) | set(PART_PROSE)


def anchor(model: str) -> str:
    """Return the anchor of a model's heading in REFERENCE.md (GitHub's rule: lower case)."""
    return model.lower()


def link(model: str) -> str:
    """Return where a model's keys are described, for messages: ``docs/REFERENCE.md#payout``."""
    return f"docs/REFERENCE.md#{anchor(model)}"


# --------------------------------------------------------------------------- keys


def _type(prop: dict[str, Any], key: str) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{anchor(name)})"
    if "anyOf" in prop or "oneOf" in prop:
        options = [p for p in prop.get("anyOf", prop.get("oneOf", [])) if p.get("type") != "null"]
        patterns = [p.get("pattern") for p in options]
        if GROUPED_DIGITS in patterns:
            return "belopp i kronor (heltal ≥ 0)"
        if any(p.get("format") == "date" for p in options) and len(options) == 2:
            return "datum ÅÅÅÅ-MM-DD, eller namnet på ett datum under dates:"
        if {p.get("type") for p in options} == {"number", "string"}:
            return "procent (0–100)"
        text = " eller ".join(_type(p, key) for p in options)
        return text
    kind = prop.get("type")
    if kind == "string":
        if prop.get("format") == "date":
            return "datum ÅÅÅÅ-MM-DD"
        if prop.get("pattern") == r"^[a-z][a-z0-9_]*$":
            return "id (a–z, 0–9, _)"
        if "enum" in prop:
            return "ett av " + ", ".join(f"`{v}`" for v in prop["enum"])
        if prop.get("pattern"):
            return f"text på formen `{prop['pattern']}`"
        return "text med {{ namn }}" if key in PROSE_KEYS else "text"
    if "enum" in prop:
        return "ett av " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if kind == "boolean":
        return "true/false"
    if kind == "integer":
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and high is not None and low >= 1900:
            return f"årtal ({low}–{high})"
        return f"heltal ≥ {low}" if low is not None else "heltal"
    if kind == "array":
        item = _type(prop.get("items", {}), key)
        least = prop.get("minItems")
        return f"lista av {item}" + (f" (minst {least})" if least else "")
    if kind == "object":
        value = prop.get("additionalProperties")
        if not isinstance(value, dict):
            value = next(iter(prop.get("patternProperties", {}).values()), None)
        return f"tabell: namn → {_type(value, key)}" if isinstance(value, dict) else "tabell"
    return kind or "värde"


def _default(prop: dict[str, Any], required: bool) -> str:
    if required:
        return "**krävs**"
    if "default" not in prop or prop["default"] is None:
        return "–"
    value = prop["default"]
    if value in ([], {}):
        return "tom"
    if isinstance(value, bool):
        return str(value).lower()
    return f"`{value}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _models_in_order(kind: FileKind, schema: dict[str, Any]) -> list[str]:
    """Return the model names of a file kind, the root first, then as they are first reached."""
    defs = schema["$defs"]
    order: list[str] = []

    def refs(node: Any):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"].rsplit("/", 1)[-1]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    queue = [kind.model.__name__]
    while queue:
        name = queue.pop(0)
        if name in order:
            continue
        order.append(name)
        for prop in defs[name].get("properties", {}).values():
            queue.extend(r for r in refs(prop) if r not in order)
    return order


def keys_section(documented: set[str]) -> list[str]:
    """Return the Markdown of every file kind's keys; models documented under an earlier kind are linked."""
    out: list[str] = []
    for kind in FILE_KINDS:
        schema = schema_for(kind)
        out += [
            f"## {kind.title}: nycklarna",
            "",
            f"Fil: {kind.where}. Schema: `schema/{kind.file}`."
            + (f" Allt ligger under nyckeln `{kind.wrapper}:`." if kind.wrapper else ""),
            "",
        ]
        for name in _models_in_order(kind, schema):
            if name in documented:
                continue
            documented.add(name)
            definition = schema["$defs"][name]
            required = set(definition.get("required", []))
            out += [
                f"### {name}",
                "",
                describe_model(name),
                "",
                "| nyckel | typ | standard | betydelse | exempel |",
                "|---|---|---|---|---|",
            ]
            for key, prop in definition.get("properties", {}).items():
                meaning, example = field_text(name, key)
                out.append(
                    f"| `{key}` | {_cell(_type(prop, key))} | {_default(prop, key in required)} | "
                    f"{_cell(meaning)} | `{_cell(example)}` |"
                )
            out.append("")
    return out


# --------------------------------------------------------------------------- distribution rules


def _county(code: str) -> str:
    return f"{code} {recipient(code)[1]}"


def _allocation_table(lines: list[rules.Allocation], key_title: str | None = None) -> list[str]:
    head = "| mottagare | " + (f"{key_title} | " if key_title else "") + "beräkning | belopp |"
    out = [head, "|---|" + ("---:|" if key_title else "") + "---|---:|"]
    for line in lines:
        key = ""
        if key_title:
            assert line.key_value is not None  # a key column only for the lines of a rule with a key
            key = f"{belopp(int(line.key_value))} | "
        out.append(f"| {_county(line.recipient)} | {key}{_cell(line.explanation)} | {kronor(line.amount)} |")
    out.append("| **summa** | " + ("| " if key_title else "") + f"| **{kronor(sum(l.amount for l in lines))}** |")
    return out


def _yaml(snippet: str) -> list[str]:
    return ["```yaml", snippet.strip("\n"), "```"]


def rules_section() -> list[str]:
    """Return the Markdown of every distribution rule, each with a complete worked example computed here."""
    municipality_count = {
        code: sum(1 for m in municipalities().values() if m.county == code) for code in ("03", "04", "05")
    }
    out = [
        "## Fördelningsregler",
        "",
        "En utbetalning (`payouts:`) eller en pott (`pots:`) som fördelas anger sin regel under `distribution:`. "
        "Beloppen räknas exakt i bråk och avrundas till hela kronor (eller till `step`) med största-rest-metoden: "
        "var och en får först de hela kronor dess exakta andel rymmer, och de kronor som blir över går en i taget "
        "till de största resterna (vid lika rest: lägsta koden först). Summan blir alltid exakt potten. "
        "Exemplen nedan är räknade av generatorn när den här filen skrevs; `generator explain ÅR KOD` visar "
        "samma beräkning för en verklig mottagare.",
        "",
        "Fördelningsnycklar (`key:`): " + "; ".join(f"`{k}` – {v}" for k, v in DISTRIBUTION_KEYS.items()) + ".",
        "",
    ]

    table = {"03": 2_500_000, "04": 2_000_000, "05": 3_000_000}
    out += [
        "### fixed_table – ett belopp per län",
        "",
        "Beloppen står i en tabell per länskod; tabellen ska ha ett belopp för varje län och summera till "
        "utbetalningens belopp.",
        "",
    ]
    out += (
        _yaml("""
amount: 7_500_000
distribution:
  rule: fixed_table
  level: lan
  table: {'03': 2_500_000, '04': 2_000_000, '05': 3_000_000}   # i verkligheten alla 21 län
""")
        + [""]
        + _allocation_table(rules.fixed_table(table))
        + [""]
    )

    floor_pot = 10_000_000
    out += [
        "### floor_then_key – minst ett golv var, resten efter nyckeln",
        "",
        "Var och en får `floor`; det som blir kvar fördelas efter nyckeln. Med `step` avrundas varje andel "
        f"till en multipel av steget. Här delas {kronor(floor_pot)} på tre län med minst 2 miljoner kronor "
        "vart och resten efter antalet kommuner (siffrorna ur reference/municipalities.csv), i steg om "
        "500 000 kronor:",
        "",
    ]
    out += (
        _yaml(f"""
amount: {floor_pot:_}
distribution:
  rule: floor_then_key
  key: antal_kommuner
  level: lan
  floor: 2_000_000
  step: 500_000
""")
        + [""]
        + _allocation_table(
            rules.base_then_key(floor_pot, 2_000_000, municipality_count, "antal kommuner", 500_000), "antal kommuner"
        )
        + [""]
    )

    base_key = {"03": 17_000, "04": 15_000, "05": 23_000}
    out += [
        "### base_then_key – ett grundbelopp var, resten per enhet av nyckeln",
        "",
        "Som floor_then_key men med `base`: alla får grundbeloppet, resten delas efter nyckeln "
        "(här ett påhittat antal personer 80 år och äldre):",
        "",
    ]
    out += (
        _yaml("""
amount: 6_000_000
distribution:
  rule: base_then_key
  key: befolkning_80
  level: lan
  base: 1_000_000
""")
        + [""]
        + _allocation_table(
            rules.base_then_key(6_000_000, 1_000_000, base_key, "personer 80 år och äldre"), "personer 80+"
        )
        + [""]
    )

    registrations = {"0114": 120, "0180": 626, "0001": 301}
    out += [
        "### proportional – i proportion till nyckeln, bland dem som kvalificerat sig",
        "",
        "En pott delas mellan dem som enligt utfallsfilen kvalificerat sig (`kvalificerad` = ja), i "
        "proportion till nyckeln (här påhittade antal registreringar för två kommuner och ett landsting):",
        "",
    ]
    out += (
        _yaml("""
amount: 1_000_000
eligible: [kommun, landsting]
distribution: {rule: proportional, key: registreringar, level: kommun_och_landsting}
""")
        + [""]
        + _allocation_table(rules.proportional(1_000_000, registrations, "antal registreringar"), "registreringar")
        + [""]
    )

    out += [
        "### shares – fasta delar för kommuner och landsting",
        "",
        "Med `shares` delas potten först i fasta delar per sorts mottagare; varje del fördelas sedan med regeln "
        "bland mottagarna av den sorten. Delarna ska summera till potten, och deras `id` kan användas i texten "
        "(`{{ senior_kommuner | miljoner }}`).",
        "",
    ]
    out += _yaml("""
amount: 1_500_000
eligible: [kommun, landsting]
distribution:
  rule: proportional
  key: registreringar
  level: kommun_och_landsting
  shares:
    - {id: senior_kommuner, to: kommun, amount: 1_000_000}
    - {id: senior_landsting, to: landsting, amount: 500_000}
""") + ["", "Kommunernas del, 1 000 000 kronor:", ""]
    out += _allocation_table(
        rules.proportional(1_000_000, {"0114": 120, "0180": 626}, "antal registreringar"), "registreringar"
    )
    out += ["", "Landstingens del, 500 000 kronor:", ""]
    out += _allocation_table(
        rules.proportional(500_000, {"0001": 301, "0003": 99}, "antal registreringar"), "registreringar"
    ) + [""]

    county = 1_000_000
    to_municipalities, to_council = rules.split(county, 70, 30)
    population = {"0305": 9_000, "0319": 9_300, "0330": 19_000}
    out += [
        "### split – länets andel delas 70/30 mellan kommunerna och landstinget",
        "",
        "Med `split` delas varje läns andel mellan länets kommuner (`kommuner` procent) och landstinget "
        "(`landsting` procent); kommunernas del delas mellan dem efter `split.key`. Här får ett län "
        f"{kronor(county)}: landstinget {kronor(to_council)}, kommunerna {kronor(to_municipalities)}, "
        "fördelat efter påhittad folkmängd (tre av länets kommuner):",
        "",
    ]
    out += (
        _yaml("""
distribution:
  rule: proportional
  key: befolkning
  level: lan
  split: {kommuner: 70, landsting: 30, key: befolkning}
""")
        + [""]
        + _allocation_table(rules.proportional(to_municipalities, population, "folkmängd"), "folkmängd")
        + [""]
    )

    full, reason_full = rules.pot_after_minimum(300_000_000, 6, 5, 200_000_000)
    reduced, reason_reduced = rules.pot_after_minimum(300_000_000, 3, 5, 200_000_000)
    out += [
        "### minimum – minst så många måste kvalificera sig",
        "",
        "Med `minimum` fördelas hela potten bara om minst `count` mottagare av sorten `unit` kvalificerat sig; "
        "annars delar de som kvalificerat sig på `reduced_amount`:",
        "",
    ]
    out += _yaml("""
amount: 300_000_000
distribution:
  rule: proportional
  key: befolkning
  level: lan
  minimum: {count: 5, unit: lan, reduced_amount: 200_000_000}
""") + [
        "",
        f"- sex län kvalificerar sig: {reason_full} → {kronor(full)} fördelas",
        f"- tre län kvalificerar sig: {reason_reduced} → {kronor(reduced)} fördelas",
        "",
    ]
    return out


# --------------------------------------------------------------------------- names and filters

EXAMPLE_AGREEMENT = """\
id: exempel_2012
year: 2012
title: Exempelöverenskommelse 2012
total: 29_000_000
organisations: [{id: skl, name: Sveriges Kommuner och Landsting}, {id: staten, name: Staten}]
parties:
  - {organisation: staten, label: För staten, signatory: {name: Maria Larsson}}
  - {organisation: skl, label: För SKL, signatory: {name: Håkan Sörman}}
figures: {ram_2013: 1_000_000_000}
dates: {godkand: 2011-12-15}
sections:
  - id: kvalitetsregister
    title: Nationella kvalitetsregister
    payouts:
      - {id: reg_skl, label: Medel till SKL, amount: 2_000_000, recipient: skl}
      - id: reg_palliativ
        label: Medel till Palliativregistret
        amount: 7_000_000
        recipient: skl
        appendices: [bil_palliativ]
    pots:
      - id: senior
        title: Senior Alert
        amount: 20_000_000
        eligible: [kommun, landsting]
        offer: "{{ senior | miljoner }} delas."
        distribution:
          rule: proportional
          key: registreringar
          level: kommun_och_landsting
          shares: [{id: senior_kommuner, to: kommun, amount: 14_000_000}, {id: senior_landsting, to: landsting, amount: 6_000_000}]
          minimum: {count: 5, unit: lan, reduced_amount: 10_000_000}
appendices:
  - id: bil_palliativ
    title: Palliativregistrets plan
    blocks:
      - table: {id: budget_palliativ, columns: [Specifikation, Budget], rows: [{label: Personal, amount: 7_000_000}]}
"""  # noqa: E501

NAME_EXAMPLES = [
    ("{{ total | kronor }}", "överenskommelsens angivna total"),
    ("{{ year }}", "året"),
    ("{{ reg_palliativ | miljoner }}", "en utbetalnings belopp (dess id)"),
    ("{{ reg_skl | miljoner_ord }}", "en utbetalnings belopp i ord"),
    ("{{ senior | miljoner }}", "en potts belopp (dess id)"),
    ("{{ senior_kommuner | miljoner }}", "en andels belopp (`shares`-id)"),
    ("{{ ram_2013 | miljoner }}", "ett belopp under `figures:`"),
    ("{{ godkand | datum }}", "ett datum under `dates:`"),
    ("{{ sec.kvalitetsregister.number }}", "avsnittets nummer"),
    ("{{ sec.kvalitetsregister.title }}", "avsnittets rubrik"),
    ("{{ sec.kvalitetsregister.total | miljoner }}", "avsnittets summa (angiven, annars delarnas summa)"),
    ("{{ sec.kvalitetsregister.letters }}", "bokstäverna för avsnittets utbetalningar"),
    ("{{ punkt.reg_palliativ }}", "utbetalningens bokstav i avsnittet"),
    ("{{ bil.bil_palliativ }}", "en bilaga"),
    ("{{ bil.bil_palliativ.number }}", "bilagans nummer"),
    ("{{ bil.bil_palliativ.label }}", "bilagans etikett"),
    ("{{ bil.bil_palliativ.title }}", "bilagans rubrik"),
    ("{{ tab.budget_palliativ }}", "en budgettabell (dess nummer)"),
    ("{{ tab.budget_palliativ.total | kronor }}", "en budgettabells summa"),
    ("{{ pott.senior.distribution.minimum.count | tal_ord }}", "en potts regeltal"),
    ("{{ utbet.reg_palliativ.amount | kronor }}", "en utbetalnings fält"),
]

FILTER_EXAMPLES = [
    ("belopp", "1_161_000_000", "ett belopp utan enhet"),
    ("kronor", "1_161_000_000", "ett belopp i kronor"),
    ("skillnad_kronor", "500_000", "en skillnad i kronor, med tecknet + eller −"),
    ("miljoner", "7_500_000", "i miljoner (exakt, annars i kronor)"),
    ("miljoner", "1_000_000", ""),
    ("miljoner_ord", "2_000_000", "en till tolv miljoner i ord"),
    ("milj", "66_000_000", "i tabeller"),
    ("tal", "8000", "ett antal"),
    ("tal_ord", "5", "noll till tolv i ord"),
    ("procent", "70", "procent"),
    ("datum", "2011-12-15", "ett datum i löptext"),
    ("datum_utan_den", "2011-12-15", "utan ”den”"),
    ("dag_manad", "2012-10-15", "utan år"),
    ("isodatum", "2011-06-16", "ÅÅÅÅ-MM-DD"),
    ("period(slut)", "2012-04-01", "en period (slut: 2012-09-30)"),
    ("belopp_enhet('tkr')", "4_194_000", "i en tabells enhet"),
    ("bokstav", "3", "bokstaven för post nummer 4 (räknat från 0)"),
    ("bokstavsintervall", "6", "bokstäverna för sex poster"),
    ("sidnummer(10)", "2", "sidnummer"),
    ("och", "[Famna, Vårdföretagarna, SKL]", "en uppräkning av flera namn"),
    ("capitalize", "den 15 december 2011", "stor första bokstav, t.ex. i början av en mening"),
]


def _literal(text: str) -> Any:
    if "-" in text:
        return dt.date.fromisoformat(text)
    return int(text.replace("_", ""))


def names_section() -> list[str]:
    """Return the Markdown of the names and filters prose may use, each with the output it gives."""
    agreement = Agreement.model_validate(yaml.safe_load(EXAMPLE_AGREEMENT))
    context = figure_context(agreement)
    out = [
        "## Namn och filter i texten",
        "",
        "Text i data skriver aldrig om ett belopp eller datum: den hänvisar till det med namn, "
        "`{{ namn | filter }}`, så att en ändring i data ändrar varje mening som visar det. "
        "Utdata nedan är framräknad ur den här exempelöverenskommelsen:",
        "",
    ]
    out += _yaml(EXAMPLE_AGREEMENT)
    out += ["", "### Namn", "", "| i texten | vad | blir |", "|---|---|---|"]
    for expression, what in NAME_EXAMPLES:
        out.append(f"| `{expression}` | {what} | {_cell(render_prose(expression, context))} |")
    out += [
        "",
        "I ett cirkulär får delen om en överenskommelse använda den överenskommelsens namn; cirkulärets egna "
        "texter har `{{ antal }}` (antalet överenskommelser) och `{{ year }}`.",
        "",
        "### Filter",
        "",
        "| filter | värde | blir | används till |",
        "|---|---|---|---|",
    ]
    for name, value, what in FILTER_EXAMPLES:
        base = name.split("(")[0]
        if name == "period(slut)":
            expression, result = "{{ start | period(slut) }}", FILTERS["period"](_literal(value), dt.date(2012, 9, 30))
        elif name.startswith("belopp_enhet"):
            expression, result = "{{ x | belopp_enhet('tkr') }}", FILTERS[base](_literal(value), "tkr")
        elif name.startswith("sidnummer"):
            expression, result = "{{ x | sidnummer(10) }}", FILTERS[base](_literal(value), 10)
        elif name == "och":
            expression, result = "{{ x | och }}", FILTERS["och"](["Famna", "Vårdföretagarna", "SKL"])
        elif name == "capitalize":
            expression, result = "{{ x | capitalize }}", render_prose("{{ x | capitalize }}", {"x": value})
        else:
            expression, result = f"{{{{ x | {base} }}}}", render_prose(f"{{{{ x | {base} }}}}", {"x": _literal(value)})
        out.append(f"| `{expression}` | `{value}` | {_cell(result)} | {what} |")
    missing = sorted((set(FILTERS) | set(PROSE_FILTERS)) - {n.split("(")[0] for n, _, _ in FILTER_EXAMPLES})
    assert not missing, f"filters without an example: {missing}"
    out += ["", "Mellanrummen i belopp och datum är hårda (skrivs inte om till radbrytning).", ""]
    return out


# --------------------------------------------------------------------------- the document


def reference_text() -> str:
    """Return the whole of docs/REFERENCE.md."""
    out = [
        "<!-- Skriven av `generator reference` ur generator/data/model.py och "
        "generator/reference_docs/key_descriptions.py; ändra där. -->",
        "",
        "# Referens: datafilerna",
        "",
        "Allt som kan stå i filerna under `agreements/`: varje nyckel med typ, standardvärde, betydelse och "
        "exempel; varje fördelningsregel med ett fullständigt räknat exempel; varje namn och filter som texten "
        "kan använda, med vad det blir. `generator validate` hänvisar hit.",
        "",
        "## I redigeraren",
        "",
        "Varje fil börjar med en rad som talar om var dess schema finns, t.ex. "
        "`# yaml-language-server: $schema=../schema/overenskommelse.schema.json`. En redigerare med YAML-"
        "språkservern (i VS Code: tillägget ”YAML” från Red Hat) fyller då i nycklar, visar varje nyckels "
        "beskrivning och markerar en felstavad nyckel medan man skriver. En ny fil får raden av "
        "`generator new`; schemana skrivs av `generator schema`.",
        "",
        "## Filtyper",
        "",
        "| fil | schema | beskrivning |",
        "|---|---|---|",
    ]
    for kind in FILE_KINDS:
        out.append(f"| {_cell(kind.where)} | `schema/{kind.file}` | {kind.title} |")
    out += [
        "",
        "## Skrivsätt",
        "",
        "- Belopp är hela kronor: `66_000_000` (understreck mellan tusentalen är tillåtna, mellanslag och "
        "enheter inte). Decimaltal, text och negativa belopp avvisas.",
        "- Datum skrivs `2012-02-09`, utan citattecken.",
        "- Ett id består av små bokstäver a–z, siffror och `_`, och börjar med en bokstav. Det är det namn "
        "texten använder.",
        "- Avsnittsnummer (2.5), bokstäver för utbetalningar (a–f) och bilagenummer (Bil 1.a) räknas fram ur "
        "ordningen och skrivs aldrig.",
        "- Text: en tom rad börjar ett nytt stycke; rader som börjar med `- ` blir punktlista, `1. ` numrerad "
        "lista (numren räknas om), `### ` en inlagd rubrik; `**fet**` och `*kursiv*`.",
        "- En nyckel som inte finns i tabellerna nedan är ett fel (en felstavning ska inte tyst ignoreras).",
        "",
    ]
    out += keys_section(set())
    out += rules_section()
    out += names_section()
    return "\n".join(out).rstrip("\n") + "\n"


def write_reference(path: Path = REFERENCE_FILE) -> Path:
    """Write docs/REFERENCE.md (only if it changed); return its path."""
    text = reference_text()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path
