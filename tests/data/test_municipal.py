"""The municipalities' utlåtande on the 2013 agreement, compared with seed 001 (Stockholm's)."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.app import load_agreement
from generator.build.run import build
from generator.cli.main import main
from generator.data.municipal import listed_items
from generator.errors import DataError
from tests.document_text import docx_text, figures, matched_in_order, pdf_text, words

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seeds" / "001_99dead00629cc91f.txt"
AGREEMENT = ROOT / "agreements" / "2013.yaml"


def seed_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    return re.sub(r"-\s*\n\s*(?=[a-zåäö])", "", text)  # the extraction's hyphenated line breaks


def between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def agreement_parts(seed: str) -> dict[str, str]:
    """The parts of the seed that come from the agreement, not from Stockholm's own writing."""
    quoted = seed[seed.index("lydelse.") :]
    return {
        "Ärendet": between(seed, "I februari 2010", "Beredning"),
        "ÄRENDET": between(seed, "ÄRENDET", "BEREDNING"),
        "tjänsteutlåtandet": between(quoted, "I februari 2010", "Detta ärende har beretts"),
    }


@pytest.fixture(scope="module")
def validated(validated_agreement):
    return validated_agreement("2013")


@pytest.fixture(scope="module")
def stockholm(tmp_path_factory, validated) -> Path:
    out = tmp_path_factory.mktemp("utlatande")
    build(validated.agreement, out, ["docx", "pdf"], recipient="0180", municipal=validated.municipal)
    return out / "2013" / "utlatanden" / "utlatande_0180_stockholm"


def test_every_amount_of_the_seed_is_in_stockholms_utlatande(stockholm, capsys):
    seed, ours = seed_text(), pdf_text(stockholm.with_suffix(".pdf"))[0]
    seed_figures, our_figures = figures(seed), figures(ours, ours=True)
    amounts = [f for f in seed_figures if f.endswith(" kr")]
    assert len(amounts) >= 40  # the seed lists every pot twice, and the history's figures
    assert matched_in_order(amounts, our_figures) == 1.0, sorted(set(amounts) - set(our_figures))
    assert matched_in_order(seed_figures, our_figures) == 1.0  # the dates too (25 februari 2013, 31 augusti 2013)
    with capsys.disabled():
        print(f"\n[seed similarity] utlåtande 0180: all {len(seed_figures)} amounts and dates of the seed in order")


def test_the_parts_from_the_agreement_follow_the_seed(stockholm, capsys):
    seed, ours = seed_text(), pdf_text(stockholm.with_suffix(".pdf"))[0]
    our_words = words(ours)
    for name, part in agreement_parts(seed).items():
        coverage = matched_in_order(words(part), our_words)
        with capsys.disabled():
            print(f"[seed similarity] utlåtande 0180, {name}: {coverage:.1%} of its {len(words(part))} words in order")
        assert coverage >= 0.9, (name, coverage)
    whole = matched_in_order(words(seed), our_words)
    with capsys.disabled():
        print(f"[seed similarity] utlåtande 0180, whole seed: {whole:.1%} of its {len(words(seed))} words in order")
    assert whole >= 0.9


def test_the_utlatande_has_the_seeds_parts_in_order(stockholm):
    text = docx_text(stockholm.with_suffix(".docx")).replace("\u00a0", " ")
    order = [
        "Utlåtande 2013: RV (Dnr 327-1866/2012)",
        "Kommunstyrelsen föreslår att kommunfullmäktige beslutar följande.",
        "Föredragande borgarrådet Joakim Larsson anför följande.",
        "Ärendet",
        "Beredning",
        "Mina synpunkter",
        "Bilaga",
        "Borgarrådsberedningen tillstyrker föredragande borgarrådets förslag.",
        "Kommunstyrelsen delar borgarrådsberedningens uppfattning",
        "Stockholm den",
        "På kommunstyrelsens vägnar:",
        "STEN NORDIN",
        "Joakim Larsson",
        "Ulrika Gunnarsson",
        "ÄRENDET",
        "BEREDNING",
        "Stadsledningskontorets tjänsteutlåtande daterat den 25 februari 2013 har i huvudsak följande lydelse.",
    ]
    at = 0
    for part in order:  # each after the one before
        found = text.find(part, at)
        assert found >= 0, (part, text[at : at + 200])
        at = found + len(part)
    assert "UTKAST" not in text and "[" not in text  # Stockholm's file leaves no blanks


def test_the_listed_items_are_the_agreements_own(validated, stockholm):
    """Every pot and payout open to municipalities, with its amount as the data states it; nothing retyped."""
    text = docx_text(stockholm.with_suffix(".docx")).replace("\u00a0", " ")
    items = listed_items(validated.agreement)
    assert sum(item.amount for item in items) == 839_000_000  # the seed itemises 839 of the 1 115,5 million
    assert "ej_specificerat" not in {item.id for item in items}
    for item in items:
        assert f"{item.amount // 1_000_000} miljoner kronor" in text, item.id


def test_a_municipality_without_its_file_gets_a_draft_with_blanks(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["build", "2013", "--recipient", "0114", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "2013" / "utlatanden" / "utlatande_0114_upplands-vasby.docx")
    assert "UTKAST: Upplands Väsby kommun" in text and "0114.yaml" in text
    for blank in ("[diarienummer]", "[föredragande]", "[ort]", "[ordförande]"):
        assert blank in text
    assert "72 miljoner kronor" in text.replace("\u00a0", " ")  # the agreement's parts are all there
    validate = CliRunner().invoke(main, ["validate", "agreements/2013.yaml"])
    assert validate.exit_code == 0
    assert "289 kommuner har ingen fil här" in validate.stderr and "diarienummer" in validate.stderr


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "agreements").mkdir()
    shutil.copy(AGREEMENT, tmp_path / "agreements" / "2013.yaml")
    shutil.copytree(ROOT / "kommuner", tmp_path / "kommuner")
    return tmp_path / "kommuner" / "2013" / "0180.yaml"


def test_a_bad_municipal_file_is_named_by_line_and_column(tmp_path):
    own = _workspace(tmp_path)
    own.write_text(own.read_text(encoding="utf-8").replace("recommending_body:", "recommended_by:"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_agreement(tmp_path / "agreements" / "2013.yaml")
    finding = str(error.value.findings[0])
    assert re.match(r".*0180\.yaml:\d+:\d+: fel: recommended_by", finding), finding


def test_a_partial_file_is_a_draft_and_validate_names_its_blanks(tmp_path):
    own = _workspace(tmp_path)
    text = own.read_text(encoding="utf-8")
    own.write_text(text[: text.index("views:")], encoding="utf-8")  # no views, body, place, signatures, statement
    validated = load_agreement(tmp_path / "agreements" / "2013.yaml")
    messages = " ".join(str(w) for w in validated.warnings)
    assert (
        "Stockholm: utlåtandet kommer att visa tomrum för föredragandens synpunkter, beredande organ, ort" in messages
    )
    with pytest.raises(DataError):
        load_agreement(tmp_path / "agreements" / "2013.yaml", strict=True)


def test_where_data_exist_the_utlatande_estimates_the_municipalitys_share(tmp_path):
    """An agreement with key and outcome data (2012) and a municipal_statement: each pot's share, marked as an
    estimate."""
    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2010.yaml", tmp_path / "agreements")  # 2012 takes a table of 2010 as precedent
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "kommuner" / "2012").mkdir(parents=True)
    text = (ROOT / "agreements" / "2012.yaml").read_text(encoding="utf-8")
    config = (
        AGREEMENT.read_text(encoding="utf-8")
        .split("\nmunicipal_statement:")[1]
        .replace("kommuner/2013", "kommuner/2012")
    )
    text = (
        text
        + "\nmunicipal_statement:"
        + config.replace("overenskommelse_2010 | miljoner", "total | miljoner").replace(
            "prestationsbidrag_2010 | miljoner", "total | miljoner"
        )
    )
    (tmp_path / "agreements" / "2012.yaml").write_text(text, encoding="utf-8")
    validated = load_agreement(tmp_path / "agreements" / "2012.yaml")
    build(
        validated.agreement,
        tmp_path / "out",
        ["docx"],
        allocation=validated.allocation,
        recipient="0180",
        municipal=validated.municipal,
    )
    out = docx_text(tmp_path / "out" / "2012" / "utlatanden" / "utlatande_0180_stockholm.docx")
    assert "Uppskattning, inte beslutade belopp" in out and "EXEMPELDATA" in out
    own = {item.id: sum(l.amount for l in item.lines if l.code == "0180") for item in validated.allocation.items}
    listed = {item.id for item in listed_items(validated.agreement)}
    shown = [item for item in validated.allocation.items if item.id in listed]
    assert shown
    for item in shown:
        assert re.search(rf"{re.escape(item.label)}\n[\d\u00a0]+\n{own[item.id]:,}".replace(",", "\u00a0"), out), (
            item.id
        )
    assert f"Summa\n\n{sum(own[i.id] for i in shown):,}".replace(",", "\u00a0") in out


# --------------------------------------------------------------------------- structure, as in seed 001

_SEED_BULLET = "\uf0b7"  # the seed's extraction keeps the bullet glyph as a private-use character; "o " nests


def _seed_list(seed: str, start: str) -> list[tuple[int, str]]:
    """Return (level, first three words) of each item of the seed's list after ``start``, in order."""
    part = seed[seed.index(start) :]
    items: list[tuple[int, str]] = []
    for line in part.splitlines():
        stripped = line.strip()
        if stripped.startswith(_SEED_BULLET):
            items.append((1, " ".join(words(stripped)[:3])))
        elif stripped.startswith("o "):
            items.append((2, " ".join(words(stripped[2:])[:3])))
        elif items and stripped.startswith("Regeringen kommer"):
            break
    return items


def _our_list(docx: Path, start: str) -> list[tuple[int, str]]:
    """Return (level, first three words) of each list item after the paragraph ``start`` in our DOCX."""
    import docx as python_docx

    paragraphs = [p.text for p in python_docx.Document(str(docx)).paragraphs]
    begin = next(i for i, text in enumerate(paragraphs) if text.startswith(start))
    items = []
    for text in paragraphs[begin + 1 :]:
        if text.startswith("•\t"):
            items.append((1, " ".join(words(text[2:])[:3])))
        elif text.startswith("–\t"):
            items.append((2, " ".join(words(text[2:])[:3])))
        elif items:
            break
    return items


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\b(?:[A-ZÅÄÖ] )+[A-ZÅÄÖ]\b", lambda m: m.group(0).replace(" ", ""), text)  # "S T E N" spaced out
    text = re.sub(r"\s+", " ", text.replace(_SEED_BULLET, " "))
    return [s for s in re.split(r"(?<=[.:])\s+(?=[A-ZÅÄÖ0-9])", text) if len(words(s)) >= 4]


def test_the_utlatande_has_the_seeds_structure(stockholm):
    """Seed 001's structure: the list under "möjlighet att få prestationsersättning" nests the processtöd areas and
    the four registers under their items; every sentence of the seed stands in the utlåtande, in order; the header
    names the city as it writes itself; the quoted tjänsteutlåtande is set off (style Citat)."""
    import docx as python_docx

    seed = seed_text()
    docx_path = stockholm.with_suffix(".docx")
    lead = "Under år 2013, som överenskommelsen avser"
    expected = _seed_list(seed, "Under år 2013, som överenskommelsen avser")
    assert [level for level, _ in expected].count(2) == 7 and len(expected) == 22, expected
    assert _our_list(docx_path, lead) == expected
    # every sentence of the seed, in order (words of each sentence in order, the seed's typos aside)
    ours = words(docx_text(docx_path))
    cursor, missing = 0, []
    for sentence in _sentences(seed):
        wanted = words(sentence)
        matcher = difflib.SequenceMatcher(None, wanted, ours[cursor:], autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        share = sum(b.size for b in blocks) / len(wanted)
        if share < 0.8:
            missing.append(sentence)
            continue
        cursor += blocks[0].b  # the next sentence is looked for from where this one begins
    assert not missing, missing
    assert "Dock är inte hela denna summa möjlig att söka för landets kommuner." in docx_text(docx_path)
    document = python_docx.Document(str(docx_path))
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Stockholms stad" in header and "Stockholms kommun" not in header
    quoted = [p.text for p in document.paragraphs if p.style.name == "Citat"]
    assert any(t.startswith("I budgetpropositionen för 2011") for t in quoted)
    assert any(t.startswith("Det är i dagsläget") for t in quoted)


def test_the_decision_stays_with_its_list(stockholm):
    """ "… föreslår att kommunfullmäktige beslutar följande." and its numbered points on one page (PDF)."""
    pages = pdf_text(stockholm.with_suffix(".pdf"))[1]
    for page in pages:
        flat = " ".join(page.split())
        if "delar borgarrådsberedningens uppfattning" in flat:
            assert "2. De nämnder som inte har börjat" in flat or "De nämnder som inte har börjat" in flat
    # no page holds only a short paragraph (the last of the tjänsteutlåtande stays with the one before it)
    for page in pages[1:]:
        body = [line for line in page.splitlines()[3:] if line.strip()]
        assert len(body) > 3, body
