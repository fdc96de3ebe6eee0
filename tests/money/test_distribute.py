"""Distributions of 2012 carried out on the key and outcome data: amounts, letters, payout tables, explain."""

from __future__ import annotations

import csv
import io
import re
import shutil
from fractions import Fraction
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.app import load_agreement
from generator.build.run import build
from generator.cli.main import main
from generator.data.reference import councils, counties, municipalities
from generator.errors import DataError
from generator.money.outcomes import load_outcomes
from generator.money.population import load_population
from generator.writers.payout_tables import payouts_csv, payouts_xlsx
from tests.document_text import docx_text

ROOT = Path(__file__).resolve().parents[2]
AGREEMENT = ROOT / "agreements" / "2012.yaml"
POPULATION = ROOT / "examples" / "befolkning_2011_EXEMPEL.csv"
OUTCOMES = ROOT / "examples" / "utfall_2012_EXEMPEL.csv"
NB = "\u00a0"


@pytest.fixture(scope="module")
def validated(validated_agreement):
    return validated_agreement("2012")


@pytest.fixture(scope="module")
def allocation(validated):
    return validated.allocation


@pytest.fixture(scope="module")
def built(built_output) -> Path:
    """2012 built with its county letters and payout tables, once for the session (tests/conftest.py)."""
    return built_output / "2012"


def kr(n: int) -> str:
    return f"{n:,}".replace(",", NB) + NB + "kronor"


def _amount(text: str) -> int:
    return int(text.replace(NB, "").replace(" ", ""))


def _population_by_hand() -> dict[str, dict[str, int]]:
    """Read the example population file with nothing but the csv module (an independent reading)."""
    rows = list(csv.reader(POPULATION.read_text(encoding="utf-8").splitlines()[3:]))
    out: dict[str, dict[str, int]] = {}
    for region, age, value in rows:
        code = region.split()[0]
        low = int(re.match(r"\d+", age)[0])
        keys = out.setdefault(code, {"befolkning": 0, "befolkning_65": 0, "befolkning_80": 0})
        keys["befolkning"] += int(value)
        keys["befolkning_65"] += int(value) if low >= 65 else 0
        keys["befolkning_80"] += int(value) if low >= 80 else 0
    return out


def _qualified_by_hand(pot: str) -> dict[str, int | None]:
    lines = [l for l in OUTCOMES.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    return {
        r["kod"]: (int(r["antal"]) if r["antal"] else None)
        for r in rows
        if r["pott"] == pot and r["kvalificerad"] == "ja"
    }


# --------------------------------------------------------------------------- the amounts


def test_every_distribution_sums_exactly_to_what_it_shares(allocation):
    assert len(allocation.items) == 10
    for item in allocation.items:
        assert item.distributed == item.shared, item.id
        assert all(line.amount >= 0 for line in item.lines)
    assert allocation.distributed == sum(item.shared for item in allocation.items)


def test_the_minimum_of_five_counties_decides_the_pot(allocation):
    items = {item.id: item for item in allocation.items}
    for pot, full, reduced in (
        ("lakemedel_pot", 325_000_000, 200_000_000),
        ("sammanhallen_pot", 325_000_000, 200_000_000),
    ):
        qualified = len(_qualified_by_hand(pot))
        assert items[pot].amount == full
        assert items[pot].shared == (full if qualified >= 5 else reduced), (pot, qualified)
    # the example data exercises both branches
    assert {items["lakemedel_pot"].shared, items["sammanhallen_pot"].shared} == {325_000_000, 200_000_000}


def test_base_then_key_matches_a_computation_by_hand(allocation):
    """85 million: one million per county, the rest per person 80 and older (2012, 3.4)."""
    people = _population_by_hand()
    per_county = {
        c: sum(v["befolkning_80"] for k, v in people.items() if municipalities()[k].county == c) for c in counties()
    }
    total = sum(per_county.values())
    lines = {l.code: l.amount for l in allocation.lines if l.item == "analys_lan"}
    assert set(lines) == set(counties())
    for county, amount in lines.items():
        exact = 1_000_000 + Fraction(64_000_000 * per_county[county], total)
        assert abs(amount - exact) < 1, county


def test_split_70_30_and_the_municipalities_share_by_population(allocation):
    people = _population_by_hand()
    item = next(i for i in allocation.items if i.id == "lakemedel_pot")
    qualified = set(_qualified_by_hand("lakemedel_pot"))
    assert set(item.county_shares) == qualified
    for county, (share, _) in item.county_shares.items():
        lines = [l for l in item.lines if l.county == county]
        council = [l for l in lines if l.kind == "landsting"]
        towns = [l for l in lines if l.kind == "kommun"]
        assert len(council) == 1 and council[0].code == "00" + county
        assert abs(council[0].amount - Fraction(share * 30, 100)) < 1
        assert council[0].amount + sum(l.amount for l in towns) == share
        assert {l.code for l in towns} == {c for c, m in municipalities().items() if m.county == county}
        part = share - council[0].amount
        county_people = sum(people[l.code]["befolkning"] for l in towns)
        for line in towns:
            assert abs(line.amount - Fraction(part * people[line.code]["befolkning"], county_people)) < 1


def test_qualifiers_share_by_their_registrations(allocation):
    """Senior Alert: 35 million to municipalities, 15 to county councils, each by registrations."""
    counts = _qualified_by_hand("senior_registrering")
    lines = [l for l in allocation.lines if l.item == "senior_registrering"]
    assert {l.code for l in lines} == set(counts)
    for kind, pot in (("kommun", 35_000_000), ("landsting", 15_000_000)):
        mine = [l for l in lines if l.kind == kind]
        assert sum(l.amount for l in mine) == pot
        total = sum(counts[l.code] for l in mine)
        for line in mine:
            assert abs(line.amount - Fraction(pot * counts[line.code], total)) < 1
            assert (line.key_value, line.key_total) == (counts[line.code], total)


def test_the_development_leaders_get_the_2010_published_table(allocation, validated_agreement):
    """2012 states no key for the 66 million: the counties get what SKL paid in 2010 (Bilaga 2 as published)."""
    published = validated_agreement("2010").agreement.sections[0].payouts[0].distribution.published
    lines = {l.code: l.amount for l in allocation.lines if l.item == "ul_lan"}
    assert lines == published and lines["01"] == 7_000_000
    item = next(i for i in allocation.items if i.id == "ul_lan")
    assert item.published and item.undistributed == 66_000_000 - sum(published.values()) == 500_000
    assert any(
        note.replace("\u00a0", " ") == "500 000 kronor av 66 000 000 kronor ingår inte i fördelningen"
        for note in item.notes
    )


# --------------------------------------------------------------------------- letters and tables


def test_21_letters_whose_totals_add_up_to_everything_distributed(built, allocation):
    letters = sorted((built / "lansbrev").glob("*.docx"))
    assert len(letters) == 21 and len(list((built / "lansbrev").glob("*.pdf"))) == 21
    total = 0
    for path in letters:
        text = docx_text(path)
        stated = re.search(r"får sammanlagt (\d[\d\u00a0]*)\u00a0kronor", text)
        assert stated, path.name
        amount = _amount(stated[1])
        code = path.name.split("_")[1]
        assert amount == sum(l.amount for l in allocation.for_county(code)), path.name
        council = councils()["00" + code]
        if council.same_body_as:  # Gotland: one body, addressed by its own name
            assert council.body_name in text and "Kommunerna i" not in text and council.name not in text
        else:
            assert counties()[code].name in text and council.name in text
        total += amount
    assert total == allocation.distributed == 886_000_000 - 500_000  # the 2010 table leaves 500 000 undistributed


def test_a_letter_lists_each_municipality_with_its_amount(built, allocation):
    text = docx_text(built / "lansbrev" / "lansbrev_01_stockholms-lan.docx")
    pdf = "\n".join(
        page.extract_text() for page in PdfReader(built / "lansbrev" / "lansbrev_01_stockholms-lan.pdf").pages
    )
    for code, m in municipalities().items():
        if m.county != "01":
            continue
        amount = sum(l.amount for l in allocation.for_code(code))
        assert re.search(rf"{m.short}\n{code}\n{amount:,}".replace(",", NB), text), (code, amount)
        assert f"{m.short} ({code})" in pdf.replace("\n", " ") or amount == 0
    assert "exempeldata" not in text.lower() and "exempeldata" not in pdf.lower().replace("utkast – exempeldata", "")
    assert pdf.count("UTKAST – EXEMPELDATA") == len(
        PdfReader(built / "lansbrev" / "lansbrev_01_stockholms-lan.pdf").pages
    )
    assert "Organisationsnummer" in text and "Betalningsmottagare" in text and "Kammarkollegiet" in text
    assert re.search(r"1 (10)|1 \(\d+\)", pdf)


def test_payout_tables_hold_every_line_and_match_the_agreement(built, allocation):
    raw = (built / "utbetalningar.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(allocation.lines)
    assert sum(int(r["belopp (kronor)"]) for r in rows) == allocation.distributed
    assert {r["kod"] for r in rows if r["mottagartyp"] == "kommun"} <= set(municipalities())
    by_item: dict[str, int] = {}
    for r in rows:
        by_item[r["post"]] = by_item.get(r["post"], 0) + int(r["belopp (kronor)"])
    assert by_item == {item.id: item.shared for item in allocation.items}

    book = openpyxl.load_workbook(built / "utbetalningar.xlsx")
    sheet = book["Utbetalningar"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(rows) + 1}"
    assert sheet.cell(2, 13).number_format == '#,##0 "kr"'
    assert sheet.cell(len(rows) + 2, 1).value == "Summa"
    assert sheet.cell(len(rows) + 2, 13).value == allocation.distributed
    assert sum(sheet.cell(r, 13).value for r in range(2, len(rows) + 2)) == allocation.distributed
    per_item = book["Per post"]
    assert [per_item.cell(r, 1).value for r in range(2, 12)] == [i.id for i in allocation.items]
    assert "exempeldata" in " ".join(str(c.value) for row in book["Källor"].iter_rows() for c in row)


def test_tables_and_letters_are_byte_identical_between_builds(tmp_path, validated, built):
    # a second build of a county's, a municipality's and a council's letters (not all 330 again) and the tables
    for code in ("14", "1480", "0014"):
        build(validated.agreement, tmp_path, ["pdf", "docx"], allocation=validated.allocation, recipient=code)
    (tmp_path / "2012" / "utbetalningar.csv").write_bytes(payouts_csv(validated.allocation))
    (tmp_path / "2012" / "utbetalningar.xlsx").write_bytes(payouts_xlsx(validated.allocation))
    for name in (
        "utbetalningar.csv",
        "utbetalningar.xlsx",
        "lansbrev/lansbrev_14_vastra-gotalands-lan.pdf",
        "lansbrev/lansbrev_14_vastra-gotalands-lan.docx",
        "kommunbrev/kommunbrev_1480_goteborg.pdf",
        "kommunbrev/kommunbrev_1480_goteborg.docx",
        "landstingsbrev/landstingsbrev_0014_vastra-gotalandsregionen.pdf",
    ):
        assert (tmp_path / "2012" / name).read_bytes() == (built / name).read_bytes(), name


# --------------------------------------------------------------------------- explain


def test_explain_stockholm_shows_each_amount_and_its_computation(allocation):
    result = CliRunner().invoke(main, ["explain", "2012", "0180"])
    assert result.exit_code == 0, result.output
    out = result.output
    lines = allocation.for_code("0180")
    assert lines
    for line in lines:
        assert f"[{line.item}]: {kr(line.amount)}" in out
        if line.key_value is not None:
            assert f"{line.key_value:,}".replace(",", NB) in out and f"{line.key_total:,}".replace(",", NB) in out
    total = sum(l.amount for l in lines)
    assert f"Summa för Stockholm: {kr(total)}" in out
    assert "→" in out and "EXEMPELDATA" in out
    for pot in ("palliativ_tackning", "senior_sabo"):
        if "0180" not in _qualified_by_hand(pot):
            assert f"[{pot}]" in out.split("Inte kvalificerad för:")[1]


@pytest.mark.parametrize("code", ["0001", "01", "0980", "0009"])
def test_explain_councils_counties_and_gotland(code, allocation):
    result = CliRunner().invoke(main, ["explain", "2012", code])
    assert result.exit_code == 0, result.output
    total = sum(l.amount for l in allocation.for_code(code))
    assert f": {kr(total)}" in result.output


def test_explain_refuses_an_unknown_code():
    result = CliRunner().invoke(main, ["explain", "2012", "9999"])
    assert result.exit_code == 2 and "9999" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- the data files


def _copy_agreement(tmp_path: Path, population: str | None = None, outcomes: str | None = None) -> Path:
    """Copy 2012 with its data files into tmp_path, optionally replacing their text."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "agreements").mkdir()
    shutil.copy(AGREEMENT, tmp_path / "agreements" / "2012.yaml")
    shutil.copy(AGREEMENT.parent / "2010.yaml", tmp_path / "agreements" / "2010.yaml")  # its published table
    for source, text in ((POPULATION, population), (OUTCOMES, outcomes)):
        (tmp_path / "examples" / source.name).write_text(
            text if text is not None else source.read_text(encoding="utf-8"), encoding="utf-8"
        )
    return tmp_path / "agreements" / "2012.yaml"


def _error(tmp_path, **texts) -> str:
    file = _copy_agreement(tmp_path, **texts)
    with pytest.raises(DataError) as caught:
        load_agreement(file)
    return "\n".join(str(f) for f in caught.value.findings) or str(caught.value)


def _replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


OUT_TEXT = OUTCOMES.read_text(encoding="utf-8")
POP_TEXT = POPULATION.read_text(encoding="utf-8")
FIRST_ROW = 7  # the first data row of the outcome file (after five comment lines and the header)


@pytest.mark.parametrize(
    "row, message",
    [
        ("palliativ_tackning;9999;ja;;", "okänd kod '9999'"),
        ("palliativ_tackning;0114;ja;;", "0114 står två gånger för palliativ_tackning"),
        ("senior_registrering;0114;ja;-5;", "ett antal kan inte vara negativt: -5"),
        ("senior_registrering;0114;ja;12,5;", "antal ska vara ett heltal"),
        ("palliativ_tackning;0114;kanske;;", "kvalificerad ska vara ja eller nej"),
        ("palliativ_tackning;0114;ja;;140", "tackningsgrad ska vara en procentsats"),
        ("okand_pott;0114;ja;;", "okänd pott 'okand_pott'"),
        ("demens_svedem;0114;ja;10;", "0114 är kommun, men demens_svedem gäller landsting"),
        ("lakemedel_pot;0114;ja;;", "0114 är kommun, men lakemedel_pot gäller län"),
        ("senior_sabo;0180;ja;;", "har kvalificerat sig men saknar antal"),
    ],
)
def test_bad_outcome_rows_are_named_by_file_and_line(tmp_path, row, message):
    text = OUT_TEXT + row + "\n"
    line = len(text.splitlines())
    if "två gånger" in message:
        line = len(text.splitlines())
    if "saknar antal" in message:
        text = _replace_line(OUT_TEXT, FIRST_ROW, row)
        text = "\n".join(l for l in text.splitlines() if not l.startswith("senior_sabo;0180;") or l == row) + "\n"
        line = text.splitlines().index(row) + 1
    errors = _error(tmp_path, outcomes=text)
    assert message in errors
    assert f"utfall_2012_EXEMPEL.csv:{line}:" in errors


def test_a_missing_data_file_is_named_with_the_line_that_names_it(tmp_path):
    file = _copy_agreement(tmp_path)
    (tmp_path / "examples" / OUTCOMES.name).unlink()
    with pytest.raises(DataError) as caught:
        load_agreement(file)
    finding = caught.value.findings[0]
    assert "filen finns inte" in finding.message and finding.location.line is not None
    assert file.read_text(encoding="utf-8").splitlines()[finding.location.line - 1].strip().startswith("outcomes:")


def test_cli_reports_bad_outcomes_without_a_traceback(tmp_path, monkeypatch):
    _copy_agreement(tmp_path, outcomes=OUT_TEXT + "senior_registrering;0114;ja;-5;\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "agreements/2012.yaml"])
    assert result.exit_code == 2
    assert "utfall_2012_EXEMPEL.csv:" in result.output and "negativt" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- SCB's CSV


def _scb(
    rows: list[str],
    title: str = "Folkmängden efter region, ålder, kön och år",
    header='"region";"ålder";"kön";"2010";"2011"',
) -> str:
    return "\n".join([f'"{title}"', "", header, *rows]) + "\n"


def _full_export(extra: list[str] | None = None, skip: str | None = None) -> str:
    """A synthetic SCB export in its other shape: semicolons, single years, per sex, two year columns."""
    rows = ['"00 Riket";"65 år";"män";1;1']
    for code, m in municipalities().items():
        if code == skip:
            continue
        for age, value in (("0 år", 100), ("64 år", 50), ("65 år", 30), ("79 år", 20), ("80 år", 10), ("100+ år", 2)):
            for sex in ("män", "kvinnor"):
                rows.append(f'"{code} {m.short}";"{age}";"{sex}";0;{value + int(code) % 7}')
    return _scb(rows + (extra or []))


def test_scb_export_with_single_years_sexes_and_semicolons(tmp_path):
    file = tmp_path / "BE0101N1.csv"
    file.write_bytes(_full_export().encode("cp1252"))  # Latin-1, as older exports are
    population = load_population(file, 2011)
    assert not population.example
    bump = 2 * (int("0180") % 7)
    assert population.municipality("0180", "befolkning") == 2 * (100 + 50 + 30 + 20 + 10 + 2) + 6 * bump
    assert population.municipality("0180", "befolkning_65") == 2 * (30 + 20 + 10 + 2) + 4 * bump
    assert population.municipality("0180", "befolkning_80") == 2 * (10 + 2) + 2 * bump
    assert population.county("01", "befolkning_80") == sum(
        population.municipality(c, "befolkning_80") for c, m in municipalities().items() if m.county == "01"
    )


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(extra=['"0114 Upplands Väsby";"65 år";"män";0;5']), "står två gånger"),
        (dict(extra=['"9999 Nowhere";"65 år";"män";0;5']), "okänd kommunkod '9999'"),
        (dict(extra=['"0114 Upplands Väsby";"sextio år";"män";0;5']), "är ingen ålder"),
        (dict(extra=['"0114 Upplands Väsby";"60-69 år";"män";0;5']), "går över 65"),
        (dict(extra=['"0114 Upplands Väsby";"101 år";"män";0;..']), "är inget antal personer"),
        (dict(skip="0180"), "1 av de 290 kommunerna saknar åldrar för 2011: 0180"),
    ],
)
def test_scb_export_problems_are_named_by_line(tmp_path, change, message):
    file = tmp_path / "export.csv"
    file.write_text(_full_export(**change), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_population(file, 2011)
    assert message in str(caught.value)
    assert re.search(r"export\.csv:\d+:", str(caught.value))


def test_scb_export_without_the_year(tmp_path):
    file = tmp_path / "export.csv"
    file.write_text(_full_export(), encoding="utf-8")
    with pytest.raises(DataError, match="ingen kolumn för året 2013 .*2010, 2011"):
        load_population(file, 2013)


def test_example_files_say_they_are_examples():
    assert load_population(POPULATION, 2011).example
    assert load_outcomes(OUTCOMES).example
    assert POP_TEXT.splitlines()[0].startswith('"EXEMPELDATA')
    assert OUT_TEXT.splitlines()[0].startswith("# EXEMPELDATA")


def test_official_data_drops_the_example_warning(tmp_path, validated):
    """With a population file that is not an example and outcomes that are not either, no letter says exempeldata."""
    file = _copy_agreement(
        tmp_path,
        population=re.sub(r"EXEMPELDATA[^.]*\. ", "", POP_TEXT, count=1),
        outcomes="\n".join(l for l in OUT_TEXT.splitlines() if not l.startswith("#")) + "\n",
    )
    for old, new in ((POPULATION.name, "befolkning_2011.csv"), (OUTCOMES.name, "utfall_2012.csv")):
        (tmp_path / "examples" / old).rename(tmp_path / "examples" / new)
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = load_agreement(file)
    assert not result.allocation.example
    assert result.allocation.distributed == validated.allocation.distributed


# --------------------------------------------------------------------------- one letter per municipality and council


def test_one_letter_per_municipality_and_council_and_gotland_once(allocation):
    from generator.documents.county_letters import recipient_letters

    letters = recipient_letters(allocation)
    municipal = [l for l in letters if l.kind == "kommun"]
    council = [l for l in letters if l.kind == "landsting"]
    assert [l.code for l in municipal] == list(municipalities())
    assert [l.code for l in council] == [c for c in councils() if c != "0009"]
    gotland = next(l for l in letters if l.code == "0980")
    assert gotland.codes == ("0980", "0009") and gotland.name == "Region Gotland"
    assert {r.code for r in gotland.received} == {"0980", "0009"} & {l.code for l in allocation.lines}
    covered = [code for l in letters for code in l.codes]
    assert len(covered) == len(set(covered)) == len(municipalities()) + len(councils())


def test_letters_and_joint_items_account_for_every_krona(allocation):
    from generator.documents.county_letters import county_letters, recipient_letters

    letters = recipient_letters(allocation)
    joint = sum(c.joint.total for c in county_letters(allocation))
    assert sum(l.total for l in letters) + joint == allocation.distributed
    for letter in letters:  # each letter holds exactly the lines of its codes
        assert letter.total == sum(line.amount for code in letter.codes for line in allocation.for_code(code))


def _stated_total(text: str) -> int | None:
    stated = re.search(r"får sammanlagt (\d[\d\u00a0]*)\u00a0kronor", text)
    return _amount(stated[1]) if stated else None


def test_every_rendered_letter_adds_up_to_the_allocation(built, allocation):
    """All municipality and county-council letters (DOCX text) plus the county letters' joint items: the allocation."""
    from generator.documents.county_letters import county_letters

    municipal = sorted((built / "kommunbrev").glob("*.docx"))
    council = sorted((built / "landstingsbrev").glob("*.docx"))
    assert len(municipal) == 290 and len(council) == 20
    assert len(list((built / "kommunbrev").glob("*.pdf"))) == 290
    total = 0
    for path in municipal + council:
        text = docx_text(path)
        code = path.stem.split("_")[1]
        county = municipalities()[code].county if code in municipalities() else councils()[code].county
        assert counties()[county].name in text, path.name
        # the same draft marking as the county letters: the document's status, not its text
        assert docx.Document(str(path)).core_properties.content_status == "UTKAST – EXEMPELDATA", path.name
        total += _stated_total(text) or 0
    joint = sum(c.joint.total for c in county_letters(allocation))
    assert total + joint == allocation.distributed


@pytest.mark.parametrize("code", ["0180", "0980", "smallest"])
def test_a_letter_shows_each_amount_its_computation_and_what_was_missed(code, built, allocation):
    from generator.documents.county_letters import recipient_letters

    if code == "smallest":
        code = min(municipalities(), key=lambda c: allocation.population.municipality(c, "befolkning"))
    letter = next(l for l in recipient_letters(allocation) if code in l.codes)
    pdf_path = next((built / "kommunbrev").glob(f"kommunbrev_{letter.code}_*.pdf"))
    text = docx_text(pdf_path.with_suffix(".docx"))
    pages = [page.extract_text() for page in PdfReader(pdf_path).pages]
    assert letter.county.name in text and all("UTKAST – EXEMPELDATA" in page for page in pages)
    assert _stated_total(text) == letter.total
    for received in letter.received:
        assert f"{received.item.label}" in text
        assert kr(received.amount) in text
        assert (
            received.printed_steps[-1][1:] in text
        )  # "35 000 000 kronor × 4 582 / 81 892 (…), avrundat till hela kronor: 1 958 311 kronor"
    assert "→" not in text and "…" not in text  # computations printed without the tool's signs
    for missed in letter.missed:
        assert missed.label in text and missed.reason[1:] in text
    # paid by Kammarkollegiet directly, not requisitioned: no payout form, and the letter says nothing is sent
    assert ("Organisationsnummer" in text) == letter.requisitioned
    assert ("den ska inte rekvireras" in text.replace("\n", " ")) == bool(letter.received)


def test_build_one_recipient_for_a_quick_look(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["build", "2012", "--recipient", "0009", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*") if p.name != "manifest.json")
    assert written == [
        "2012/kommunbrev/kommunbrev_0980_region-gotland.docx",
        "2012/kommunbrev/kommunbrev_0980_region-gotland.pdf",
    ]
    county = CliRunner().invoke(main, ["build", "2012", "--recipient", "01", "--out", str(tmp_path), "--format", "pdf"])
    assert county.exit_code == 0 and (tmp_path / "2012" / "lansbrev" / "lansbrev_01_stockholms-lan.pdf").exists()
    bad = CliRunner().invoke(main, ["build", "2012", "--recipient", "9999", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "9999" in bad.output and "Traceback" not in bad.output


def test_example_counts_are_in_proportion_to_the_population(allocation):
    """The example outcomes' counts (registrations, places) follow the population they serve, as the key data do:
    per inhabitant 65+ (80+ for BPSD) the largest and the smallest rate differ by less than a factor of 4,5, and
    Stockholm's county council gets more from SveDem than Region Gotland or Norrbotten."""
    population = allocation.population
    for item, key in (
        ("senior_registrering", "befolkning_65"),
        ("senior_sabo", "befolkning_65"),
        ("demens_bpsd", "befolkning_80"),
    ):
        rates = [
            line.key_value / population.municipality(line.code, key)
            for line in allocation.lines
            if line.item == item and line.kind == "kommun" and line.key_value
        ]
        assert rates and max(rates) / min(rates) < 4.5, (item, min(rates), max(rates))
    svedem = {line.code: line.amount for line in allocation.lines if line.item == "demens_svedem"}
    assert svedem["0001"] > svedem["0009"] and svedem["0001"] > svedem.get("0025", 0)
