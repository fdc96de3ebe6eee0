"""Building the shipped agreements: real documents, checked by their extracted text."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.app import load_agreement
from generator.build import formats
from generator.build.plan import plan
from generator.build.run import build
from generator.cli.main import main
from generator.data.circulars import is_circular, load_circular
from generator.errors import RenderError
from tests.document_text import docx_text, figures, matched_in_order, pdf_text, words

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
NB = "\u00a0"


@pytest.fixture(scope="module")
def built(built_output) -> Path:
    """The shipped documents, built once for the session (tests/conftest.py)."""
    return built_output


DOCUMENTS = [
    "2011/regeringsbeslut_II-7_2011-06-16_utbetalning",
    "2012/regeringsbeslut_II-7_2012-02-09_godkannande",
    "2012/genomforandeplan",
    "2014/cirkular_13-66",
]


def seed_part(name: str, start: str | None = None, end: str | None = None) -> str:
    text = (SEEDS / name).read_text(encoding="utf-8")
    if start:
        text = text[text.index(start) :]
    if end:
        text = text[: text.index(end)]
    return text


SEED_PARTS = {
    # document: (seed text, headings of the seed part in order, names in order)
    "2011/regeringsbeslut_II-7_2011-06-16_utbetalning": (
        lambda: seed_part("003_28988b838961ada0.txt"),
        [
            "Regeringsbeslut II:7",
            "Socialdepartementet",
            "Kammarkollegiet",
            "Regeringens beslut",
            "Ärendet",
            "På regeringens vägnar",
            "Kopia till",
            "Medel till långsiktigt hållbar struktur för ledning i samverkan",
            "eHälsa för en säkrare läkemedelsanvändning hos äldre",
            "Kvalitativ analys av multisjukastudie",
            "Godkännande av överenskommelsen",
            "Beslut om utbetalning av medel",
            "Stockholm den 13 juni 2011",
        ],
        ["Maria Larsson", "Gert Knutsson", "Ragnwi Marcelind", "Håkan Sörman"],
    ),
    "2012/regeringsbeslut_II-7_2012-02-09_godkannande": (
        lambda: seed_part("000_3c48b7527d25ae2c.txt", end="Vårt dnr"),
        ["Ärendet", "På regeringens vägnar", "Kopia till", "Statsrådsberedningen", "Vårdföretagarna"],
        ["Maria Larsson", "Gert Knutsson"],
    ),
    "2012/genomforandeplan": (
        lambda: seed_part("000_3c48b7527d25ae2c.txt", start="Vårt dnr"),
        [
            "Vårt dnr",
            "Bakgrund",
            "Grundläggande krav",
            "Uppföljning inför utbetalning av medel",
            "Stöd till ett långsiktigt förbättringsarbete",
            "Utvecklingsledare",
            "Ledningskraft",
            "Kvalitetssäkrad välfärd",
            "Försöksverksamheter",
            "Stöd till förändrat arbetssätt med hjälp av kvalitetsregister",
            "Nationell samordning",
            "Prestations/resultatersättning",
            "God vård i livets slut",
            "Preventivt arbetssätt",
            "God vård vid demenssjukdom",
            "God läkemedelsbehandling för äldre",
            "Sammanhållen vård och omsorg",
            "Medel för analysarbete",
            "Nationell samordning av Sammanhållen vård och omsorg",
            "Ledningskraft – Så mycket bättre",
            "Famnas genomförandeplan och budget 2012",
            "Vårdföretagarna: Genomförandeplan och budget 2012",
            "Kvalitetssäkrad välfärd",
            "Genomförandeplan och budget för Svenska palliativregistret",
            "Senior Alert: Genomförandeplan och budget 2012",
            "Genomförandeplan och budget SveDem 2012",
            "Genomförandeplan och budget Sveriges Demensregister",
        ],
        ["Kristina Jennbert", "Håkan Sörman", "Göran Stiernstedt"],
    ),
    "2014/cirkular_13-66": (
        lambda: seed_part("004_3dc3d7eee1c32ea7.txt"),
        [
            "CIRKULÄR 13:66",
            "Sveriges Kommuner och Landsting",
            "Kommunstyrelsen",
            "Hälso- och sjukvård",
            "Stöd till en evidensbaserad praktik för god kvalitet inom socialtjänsten",
            "Syfte och mål",
            "Ekonomiskt stöd",
            "Nya satsningar i 2014 års överenskommelse",
            "SKL:s stöd för utvecklingen av evidensbaserad praktik",
            "SKL:s stöd för utvecklingen av eHälsa",
            "Medlemmarnas arbete inom ramen för evidensbaserad praktik",
            "Medlemmarnas arbete inom ramen för eHälsa",
            "Tidplan",
            "Länkar",
            "Sammanhållen vård och omsorg om mest sjuka äldre",
            "Syfte och mål",
            "Ekonomiskt stöd",
            "Nya verksamhetsområden i 2014 års överenskommelse",
            "SKL:s stöd för utvecklingsarbetet",
            "Medlemmarnas arbete",
            "Tidplan",
            "Länkar",
            "Stöd till riktade insatser inom området psykisk ohälsa",
            "Syfte och mål",
            "Ekonomiskt stöd",
            "SKL:s stöd för utvecklingsarbetet",
            "Medlemmarnas arbete",
            "Grundkrav 1: Samverkansöverenskommelser",
            "Grundkrav 2: Webbaserad information till barn och unga",
            "Tidplan",
            "Länkar",
            "Kontaktuppgifter",
            "För administrativa frågor",
        ],
        [
            "Kristina Jennbert",
            "Anna Lilja Qvarlander",
            "Mikael Malm",
            "Lennart Jonasson",
            "Ove Ledin",
            "Hans Karlsson",
            "Åsa Furén Thulin",
        ],
    ),
}


def in_order(needles: list[str], haystack: str) -> list[str]:
    """Return the needles not found in order in ``haystack`` (empty when all are)."""
    haystack = " ".join(haystack.replace(NB, " ").split())
    missing, position = [], 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(needle)
        else:
            position = found + len(needle)
    return missing


# --------------------------------------------------------------------------- the tests


def test_build_writes_every_document_in_both_formats(built):
    for name in DOCUMENTS:
        for ext in ("docx", "pdf"):
            path = built / f"{name}.{ext}"
            assert path.stat().st_size > 10_000, path


@pytest.mark.parametrize("name", DOCUMENTS)
def test_docx_and_pdf_carry_the_same_text(built, name):
    docx_full = docx_text(built / f"{name}.docx")
    urls = re.findall(r"https?://\S+", docx_full)  # a long address wraps anywhere in the PDF: compare the rest

    def plain(found: list[str]) -> list[str]:
        return [w for w in found if not any(w in url for url in urls)]

    from_docx = plain(words(re.sub(r"https?://\S+", " ", docx_full)))
    from_pdf = plain(words(pdf_text(built / f"{name}.pdf")[0]))
    ratio = difflib.SequenceMatcher(None, from_docx, from_pdf, autojunk=False).ratio()
    assert ratio > 0.995, (name, ratio)
    assert set(from_docx) == set(from_pdf)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_generated_text_follows_the_seed(built, name, capsys):
    seed_text, headings, names = SEED_PARTS[name]
    seed = seed_text()
    text = pdf_text(built / f"{name}.pdf")[0]
    assert in_order(headings, text) == []
    assert in_order(names, text) == []
    seed_figures, our_figures = figures(seed), figures(text, ours=True)
    figure_share = matched_in_order(seed_figures, our_figures)
    seed_words, our_words = words(seed), words(text)
    coverage = matched_in_order(seed_words, our_words)
    ratio = difflib.SequenceMatcher(None, seed_words, our_words, autojunk=False).ratio()
    with capsys.disabled():
        print(
            f"\n[seed similarity] {name}: {figure_share:.1%} of the seed's {len(seed_figures)} amounts and dates "
            f"and {coverage:.1%} of its {len(seed_words)} words appear in the same order; symmetric ratio {ratio:.1%}"
        )
    assert figure_share >= 0.9, (name, figure_share)
    assert coverage >= 0.9, (name, coverage)


def test_every_figure_is_formatted_the_swedish_way(built):
    text = pdf_text(built / "2012/genomforandeplan.pdf")[0]
    assert "1 161 000 000 kronor" in text.replace(NB, " ")
    assert "66 milj. kr" in text.replace(NB, " ")
    assert "två miljoner kronor" in text  # Famna, 2.1
    assert "den 1 november 2012" in text
    assert "70 procent" in text.replace(NB, " ")
    assert re.search(r"\b1\.?\d* \(\d+\)", text)  # page header "1 (36)"
    # an amount never breaks over a line: its spaces are no-break spaces in the document itself
    words = docx_text(built / "2012/genomforandeplan.docx")
    assert f"1{NB}161{NB}000{NB}000{NB}kronor" in words
    assert not re.search(r"\d \d{3}\b", words), re.search(r".{20}\d \d{3}\b.{20}", words)


def test_sections_are_numbered_by_order_without_the_seeds_duplicates(built):
    text = pdf_text(built / "2012/genomforandeplan.pdf")[0]
    assert "3.3 God vård vid demenssjukdom" in text
    assert "3.4 God läkemedelsbehandling för äldre" in text
    assert "3.5 Sammanhållen vård och omsorg" in text
    listing = text[text.index("2.5 Stöd till förändrat") : text.index("2.6 Nationell samordning")]
    letters = re.findall(r"(?:^|\n)\s*([a-f])\) ", listing)
    assert letters == list("abcdef") * 2  # the listing, then the payout table; the seed has "d" twice


def test_every_pdf_page_has_its_page_number(built):
    for name in DOCUMENTS:
        pages = pdf_text(built / f"{name}.pdf")[1]
        for number, page in enumerate(pages, 1):
            assert f"{number} ({len(pages)})" in page, (name, number)


def test_pdf_metadata_and_fonts(built):
    reader = PdfReader(str(built / "2012/genomforandeplan.pdf"))
    meta = reader.metadata
    assert meta.title.startswith("Genomförandeplan")
    assert meta.author == "Sveriges Kommuner och Landsting"
    assert "2012" in meta.subject
    assert "genomförandeplan" in meta["/Keywords"]
    assert reader.trailer["/Root"].get("/Lang") == "sv-SE"
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font.get_object()
                else font.get_object().get("/FontDescriptor")
            )
            assert descriptor is not None and "/FontFile2" in descriptor.get_object()


def test_docx_properties_styles_and_fields(built):
    path = built / "2012/genomforandeplan.docx"
    document = docx.Document(str(path))
    props = document.core_properties
    assert props.title.startswith("Genomförandeplan")
    assert props.author == "Sveriges Kommuner och Landsting"
    assert props.language == "sv-SE"
    used = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Brödtext", "Numrerad lista"} <= used
    header_xml = document.sections[0].header._element.xml
    assert "PAGE" in header_xml and "NUMPAGES" in header_xml
    assert 'w:val="sv-SE"' in document.styles.element.xml


def test_builds_are_byte_identical(tmp_path, validated_agreement):
    agreement = validated_agreement("2011").agreement
    first, second = tmp_path / "a", tmp_path / "b"
    build(agreement, first, ["docx", "pdf"])
    build(agreement, second, ["docx", "pdf"])
    for path in sorted(first.rglob("*.*")):
        twin = second / path.relative_to(first)
        assert path.read_bytes() == twin.read_bytes(), path


def test_a_failed_build_leaves_the_previous_files(tmp_path, monkeypatch, validated_agreement):
    agreement = validated_agreement("2011").agreement
    build(agreement, tmp_path, ["docx", "pdf"])
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.*")}

    def broken(document):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(formats.WRITERS, "pdf", broken)
    with pytest.raises(RenderError, match="disk on fire"):
        build(agreement, tmp_path, ["docx", "pdf"])
    after = {p: p.read_bytes() for p in tmp_path.rglob("*.*")}
    assert after == before  # nothing half-written, nothing replaced
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_failed_first_build_leaves_no_folder_behind(tmp_path, monkeypatch):
    v = load_agreement(ROOT / "agreements" / "2010.yaml")
    calls = []

    def broken(document):
        calls.append(document)
        if len(calls) == 3:  # two documents are staged by now
            raise RuntimeError("disk on fire")
        return b"%PDF-"

    monkeypatch.setitem(formats.WRITERS, "pdf", broken)
    with pytest.raises(RenderError, match="disk on fire"):
        build(v.agreement, tmp_path / "out", ["docx", "pdf"], allocation=v.allocation)
    assert not (tmp_path / "out").exists()  # the folders made for the staged files are gone with them


def test_each_file_is_staged_as_it_is_rendered_and_put_in_place_at_the_end(tmp_path, monkeypatch):
    """The build holds one document at a time: each file goes to disk beside its place as soon as it is
    rendered, and no file is in place before every document has been rendered."""
    v = load_agreement(ROOT / "agreements" / "2010.yaml")
    out = tmp_path / "out"
    real = formats.WRITERS["pdf"]
    seen = []

    def watched(document):
        seen.append((len(list(out.rglob(".*.tmp"))), len([p for p in out.rglob("*.*") if p.name[0] != "."])))
        return real(document)

    monkeypatch.setitem(formats.WRITERS, "pdf", watched)
    result = build(v.agreement, out, ["docx", "pdf"], allocation=v.allocation)
    assert len(seen) > 3
    assert [staged for staged, _ in seen] == [2 * i for i in range(len(seen))]  # DOCX and PDF of each before
    assert all(in_place == 0 for _, in_place in seen)
    assert not list(out.rglob(".*.tmp")) and len(result.written) == len(list(out.rglob("*.*")))


def test_cli_build_refuses_invalid_data(tmp_path, monkeypatch):
    (tmp_path / "agreements").mkdir()
    text = (
        (ROOT / "agreements" / "2011.yaml")
        .read_text(encoding="utf-8")
        .replace("total: 63_000_000", "total: 64_000_000")
    )
    (tmp_path / "agreements" / "2011.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "överenskommelsen anger 64" in result.output
    assert not (tmp_path / "output").exists()


def test_cli_build_by_year(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "agreements", tmp_path / "agreements")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "2011", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output/2011/regeringsbeslut_II-7_2011-06-16_utbetalning.pdf").exists()
    assert not (tmp_path / "output/2012").exists()
    again = CliRunner().invoke(main, ["build", "2011", "--format", "pdf"])
    assert "oförändrad" in again.output


def test_file_names_are_safe(validated_agreement):
    agreement = validated_agreement("2012").agreement
    for job in plan(agreement):
        assert re.fullmatch(r"[A-Za-z0-9_-]+", job.name), job.name


@pytest.mark.external
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_opens_in_libreoffice(built, tmp_path):
    source = built / "2012/regeringsbeslut_II-7_2012-02-09_godkannande.docx"
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    converted = tmp_path / (source.stem + ".pdf")
    text = pdf_text(converted)[0]
    assert "Regeringens beslut" in text
    assert "Maria Larsson" in text
    assert "1 (1)" in text  # the PAGE and NUMPAGES fields were computed by LibreOffice


def test_unnumbered_subsections_and_payment_labels(built):
    text = pdf_text(built / "2012/genomforandeplan.pdf")[0]
    assert "Medel för analysarbete" in text
    assert "3.5 Medel för analysarbete" not in text and "3.5.1 Medel" not in text
    assert "Uppföljning och utbetalning av medel: Svenska Palliativregistret lämnar" in " ".join(text.split())
    # the seed states no measurement period for the result-based pots; none is invented
    assert "1 september 2011 till 30 september 2012" not in text


def test_the_circular_states_each_agreements_figures_from_its_data(built):
    text = pdf_text(built / "2014/cirkular_13-66.pdf")[0].replace("\n", " ")
    for phrase in (
        "213,55 miljoner kronor",
        "84,05 miljoner kronor",
        "62,75 miljoner kronor",
        "129,5 miljoner kronor",
        "70 miljoner kronor",
        "1 001 000 000 kronor",
        "692,5 miljoner kronor",
        "630 miljoner kronor",
        "62,5 miljoner kronor",
        "tecknat tre överenskommelser",
    ):
        assert phrase in text.replace(NB, " "), phrase
    pages = pdf_text(built / "2014/cirkular_13-66.pdf")[1]
    assert all(
        "CIRKULÄR 13:66" in page and re.search(rf"{i} \({len(pages)}\)", page) for i, page in enumerate(pages, 1)
    )


def test_the_2013_and_2014_agreements_validate_with_their_totals(validated_agreement):
    totals = {}
    for file in sorted((ROOT / "agreements").rglob("*.yaml")):
        if not is_circular(file):
            agreement = validated_agreement(file.relative_to(ROOT / "agreements").with_suffix("").as_posix()).agreement
            totals[agreement.id] = agreement.total
    assert totals["aldre_2013"] == 1_115_500_000
    assert (totals["evidens_2014"], totals["aldre_2014"], totals["psykisk_2014"]) == (
        213_550_000,
        1_001_000_000,
        692_500_000,
    )


def test_a_circular_naming_an_unknown_agreement_is_refused(tmp_path, validated_agreement):
    from generator.errors import DataError

    folder = ROOT / "agreements" / "2014"
    text = (
        (folder / "cirkular_13-66.yaml")
        .read_text(encoding="utf-8")
        .replace("agreement: aldre_2014", "agreement: aldre_2041")
    )
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    agreements = [
        (validated_agreement(f"2014/{f.stem}").agreement, f)
        for f in sorted(folder.glob("*.yaml"))
        if not is_circular(f)
    ]
    with pytest.raises(DataError) as caught:
        load_circular(tmp_path / "c.yaml", agreements)
    finding = caught.value.findings[0]
    assert "ingen överenskommelse 'aldre_2041' för 2014" in finding.message and "aldre_2014" in finding.hint
    assert finding.location.line == text.splitlines().index("    - agreement: aldre_2041") + 1


@pytest.mark.slow
def test_jobs_give_the_same_files_and_messages(tmp_path):
    """`--jobs 2` renders in forked processes: the bytes, the order and the messages are those of `--jobs 1`."""
    import re
    import subprocess
    import sys

    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        run = subprocess.run(
            [sys.executable, "-m", "generator", "build", "2010", "--jobs", str(jobs), "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        messages = re.sub(r", [0-9.,]+ s\)", ")", run.stdout).replace(str(out), "OUT")
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        outputs[jobs] = (messages, files)
    assert outputs[1][0] == outputs[2][0]
    assert "skriven" in outputs[2][0] and len(outputs[2][1]) > 40  # 2010: 22 documents in two formats and the tables
    assert outputs[1][1] == outputs[2][1]


def test_a_rebuild_with_nothing_to_do_is_answered_without_validating(tmp_path, monkeypatch):
    """After a build that rendered nothing, the same build prints the same and validates nothing, until an input,
    a new agreement file or an output changes."""
    from generator.cli import main as cli

    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2011.yaml", tmp_path / "agreements" / "2011.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli.main, ["build", "--out", "out"])
    assert first.exit_code == 0 and "skriven" in first.output
    second = runner.invoke(cli.main, ["build", "--out", "out"])
    assert second.exit_code == 0 and "0 filer renderade, 2 oförändrade" in second.output

    def no_validation(*args, **kwargs):
        raise AssertionError("validated")

    monkeypatch.setattr(cli, "_validate_all", no_validation)
    third = runner.invoke(cli.main, ["build", "--out", "out"])
    assert third.exit_code == 0 and third.output == second.output
    # anything else than the same build with the same inputs and outputs validates again
    assert runner.invoke(cli.main, ["build", "--out", "out", "--format", "docx"]).exit_code == 1
    (tmp_path / "out" / "2011" / next(p.name for p in (tmp_path / "out" / "2011").glob("*.pdf"))).write_bytes(b"x")
    assert runner.invoke(cli.main, ["build", "--out", "out"]).exit_code == 1
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert "skriven" in runner.invoke(cli.main, ["build", "--out", "out"]).output  # the damaged PDF made again
    assert "0 filer renderade" in runner.invoke(cli.main, ["build", "--out", "out"]).output
    text = (tmp_path / "agreements" / "2011.yaml").read_text(encoding="utf-8")
    (tmp_path / "agreements" / "2011.yaml").write_text(text.replace("Stockholm", "Solna", 1), encoding="utf-8")
    assert "skriven" in runner.invoke(cli.main, ["build", "--out", "out"]).output
    assert "0 filer renderade" in runner.invoke(cli.main, ["build", "--out", "out"]).output
    (tmp_path / "agreements" / "2011b.yaml").write_text("not: [an agreement", encoding="utf-8")
    assert runner.invoke(cli.main, ["build", "--out", "out"]).exit_code == 2  # a new file: validated, refused


def test_the_no_change_state_notes_the_folders_a_build_listed(tmp_path):
    """A folder the build listed (e.g. the municipalities' own files) is in the state: a new file there is seen."""
    import os
    import time

    from generator.build import no_change as unchanged

    folder = tmp_path / "kommuner" / "2013"
    folder.mkdir(parents=True)
    (folder / "0180.yaml").write_text("a: 1\n", encoding="utf-8")
    unchanged.record()
    try:
        assert [p.name for p in folder.glob("*.yaml")] == ["0180.yaml"]
        (folder / "0180.yaml").read_text(encoding="utf-8")
        folders = unchanged._folders([], set(unchanged._recording.folders), tmp_path / "out")
        opened = set(unchanged._recording.files)
    finally:
        unchanged.forget()
    assert str(folder.resolve()) in folders and str((folder / "0180.yaml").resolve()) in opened
    time.sleep(0.01)
    (folder / "0181.yaml").write_text("a: 2\n", encoding="utf-8")
    assert unchanged._mtime(str(folder.resolve())) != folders[str(folder.resolve())]
    assert unchanged._recording is None and os.path.isdir(folder)
