"""The Swedish style check: each rule with a text it reports and one it passes, its place and hint, the
accepted wordings, and the shipped data clean under ``--strict``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.data.checks.style import RULES, Text, hits

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
ROOT = Path(__file__).parents[2]


def found(*values: str, prose: bool = True) -> list[tuple[str, str, str]]:
    """Return (rule, written, suggested) of every hit in ``values``, read as one document."""
    texts = [Text(("text", i), v, prose, "agreement") for i, v in enumerate(values)]
    return [(h.rule, h.written, h.suggested) for _, h in hits(texts)]


# (rule, a text it reports with the hit, a text it passes)
CASES = [
    ("genitiv", "enligt SKLs plan", ("genitiv", "SKLs", "SKL:s"), "enligt SKL:s plan"),
    (
        "bindestreck",
        "registrerar i BPSD registret",
        ("bindestreck", "BPSD registret", "BPSD-registret"),
        "registrerar i BPSD-registret",
    ),
    (
        "bindestreck",
        "en gemensam FoUU grupp",
        ("bindestreck", "FoUU grupp", "FoUU-grupp"),
        "SKL och staten, SKL ansvarar",
    ),
    (
        "bindestreck",
        "samverkan på läns eller regionnivå",
        ("bindestreck", "läns eller regionnivå", "läns- eller regionnivå"),
        "samverkan på läns- eller regionnivå",
    ),
    ("i_dag", "Idag finns redan möjligheter", ("i_dag", "Idag", "I dag"), "I dag finns redan möjligheter"),
    (
        "framfor_allt",
        "ska framöver framförallt kopplas",
        ("framfor_allt", "framförallt", "framför allt"),
        "ska framöver framför allt kopplas",
    ),
    (
        "versal",
        "anger i Budgetpropositionen för 2011",
        ("versal", "Budgetpropositionen", "budgetpropositionen"),
        "Regeringen anger i budgetpropositionen, Sveriges Kommuner och Landsting",
    ),
    ("dubbelord", "för att att stödja", ("dubbelord", "att att", "att"), "för att stödja"),
    (
        "tal",
        "mellan 8000 och 10000 registreringar",
        ("tal", "10000", "10\u00a0000"),
        "mellan 8 000 och 10 000 registreringar i S2011/5826, Box 16355",
    ),
]


@pytest.mark.parametrize("rule, failing, hit, passing", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fails_and_passes(rule, failing, hit, passing):
    assert rule in RULES
    assert hit in found(failing)
    assert found(passing) == []


def test_ska_and_skall_within_one_document():
    assert found("SKL ska betala. Beloppen ska redovisas. Rapporten skall lämnas.") == [("ska", "skall", "ska")]
    assert found("Rapporten skall lämnas. Beloppen skall redovisas.") == []  # one form only
    # two documents of one file each keep their own form
    texts = [Text(("a",), "Det ska ske.", True, "agreement"), Text(("b",), "Det skall ske.", True, "plan")]
    assert list(hits(texts)) == []


def test_percent_sign_in_prose_where_the_document_writes_procent():
    assert found("minst 70 procent av dödsfallen", "blev 51 % (35 % 2010)") == [
        ("tal", "51 %", "51 procent"),
        ("tal", "35 %", "35 procent"),
    ]
    assert found("blev 51 % och 35 %") == []  # one form only
    # a label (a table row) keeps "%"
    texts = [Text(("a",), "minst 70 procent", True, "plan"), Text(("b",), "OH-kostnader 10 %", False, "plan")]
    assert list(hits(texts)) == []


def test_four_digits_grouped_where_the_document_groups_them():
    assert found("mellan 8000 och 10 000 registreringar") == [("tal", "8000", "8\u00a0000")]
    assert found("mellan 8000 och 9000 registreringar under 2012") == []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_finding_at_line_and_column_with_suggestion_warning_then_strict_error(tmp_path):
    text = MINIMAL.replace("Parterna är överens om", "Idag är SKLs parter överens om")
    path = write(tmp_path, text)
    line = text[: text.index("Idag")].count("\n") + 1
    column = len(text[: text.index("Idag")].rsplit("\n", 1)[1]) + 1
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:{line}:{column}: varning: sections[0].text: i dag i två ord: 'Idag'" in result.output
    assert f"{path}:{line}:{column + 8}: varning: sections[0].text: genitiv av förkortning: 'SKLs'" in result.output
    assert "tips: skriv 'SKL:s'" in result.output
    strict = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    assert strict.exit_code == 2
    assert "2 fel" in strict.output


def test_accepted_wording_keeps_it_with_a_reason_and_a_stale_one_warns(tmp_path):
    text = MINIMAL.replace("Parterna är överens om", "Parterna skall enligt lagen och ska enligt avtalet ge")
    accepted = (
        "accepted_wordings:\n"
        "  - wording: skall enligt lagen\n"
        "    rule: ska\n"
        "    reason: citat ur lagtexten, som skriver skall\n"
    )
    path = write(tmp_path, text + accepted)
    result = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    stale = write(tmp_path, MINIMAL + accepted)
    result = CliRunner().invoke(main, ["validate", str(stale)])
    assert "den godtagna ordalydelsen 'skall enligt lagen' förekommer inte längre" in result.output
    assert re.search(rf"{re.escape(str(stale))}:\d+:\d+: varning: accepted_wordings\[0\]", result.output)
    reasonless = write(tmp_path, MINIMAL + "accepted_wordings:\n  - wording: skall\n")
    assert CliRunner().invoke(main, ["validate", str(reasonless)]).exit_code == 2


def test_labels_and_titles_are_checked(tmp_path):
    path = write(tmp_path, MINIMAL.replace("label: Medel till SKL", "label: Medel till SKLs arbete"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "sections[0].payouts[0].label: genitiv av förkortning: 'SKLs'" in result.output


def test_shipped_data_have_no_style_finding():
    """Every wording of the shipped agreements and circular follows the rules (the corrections carry comments)."""
    result = CliRunner().invoke(main, ["validate", str(ROOT / "agreements")])
    assert result.exit_code == 0, result.output
    style = [line for line in result.output.splitlines() if any(f": {name}: " in line for name in RULES.values())]
    assert style == []


def test_each_correction_names_the_sources_wording():
    """A corrected wording carries the source's wording in a comment beside it, and the text no longer has it."""
    for file in [ROOT / "agreements/2011.yaml", ROOT / "agreements/2012.yaml"]:
        text = file.read_text(encoding="utf-8")
        notes = re.findall(r"# språkrättelse, källan skriver: (.*)", text)
        assert notes, file
        for note in notes:
            for _written, suggested in re.findall(r"”([^”]+)” → ”([^”]+)”", note):
                assert suggested in text
    text = (ROOT / "agreements/2012.yaml").read_text(encoding="utf-8")
    assert "”SKLs” → ”SKL:s”" in text and "SKLs" not in text.replace("”SKLs”", "")


def test_a_municipalitys_own_file_is_checked_and_may_accept_a_wording(tmp_path):
    from generator.app import load_agreement

    (tmp_path / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "2013.yaml", tmp_path / "agreements" / "2013.yaml")
    shutil.copytree(ROOT / "kommuner", tmp_path / "kommuner")
    own = tmp_path / "kommuner" / "2013" / "0180.yaml"
    text = own.read_text(encoding="utf-8").replace("views: ", "views: Idag stöder SKLs arbete detta. ", 1)
    own.write_text(text, encoding="utf-8")
    messages = [str(w) for w in load_agreement(tmp_path / "agreements" / "2013.yaml").warnings]
    assert any("0180.yaml:" in m and "views: genitiv av förkortning: 'SKLs'" in m for m in messages), messages
    assert any("views: i dag i två ord: 'Idag'" in m for m in messages)
    own.write_text(text + "accepted_wordings:\n  - {wording: Idag stöder SKLs, reason: ett citat}\n", encoding="utf-8")
    messages = [str(w) for w in load_agreement(tmp_path / "agreements" / "2013.yaml").warnings]
    assert not any("'SKLs'" in m or "'Idag'" in m for m in messages), messages
