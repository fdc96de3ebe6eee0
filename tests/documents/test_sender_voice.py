"""Every sentence of a document is the sender's own: none describes the tool's method or what the sources omit.

A letter, an agreement or a decision is signed by SKL, the government or a
municipality. Where the data make an assumption (a distribution key the plan
does not give), the sender states the rule as its own and ``validate`` lists
the assumption as a warning (``distribution.confirm``) for the person who must
confirm it; the document never says that a source is silent or how the tool
computed something.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.document_text import docx_text, pdf_text

#: Phrasings in which the tool, not the sender, speaks. Rule for adding to it: a phrase belongs here if a signer
#: could not send it as their own statement: it reports what a source does not say ("anges inte", "anger inte hur"),
#: how the tool chose or computed something ("här fördelas", "största-rest-metoden"), or leaves a decision open
#: in the tool's voice ("ännu inte beslutat"). Write the shortest pattern that catches the phrasing, case-insensitive,
#: and check that no quoted source text (the plan, the decision) uses it in its own sense.
TOOL_PHRASES = [
    r"\bhär fördelas\b",
    r"största-rest",
    r"\banges inte\b",
    r"\banger (?:att [^.]* men )?inte hur\b",
    r"\bär inte fördelade\b",
    r"\bännu inte beslutat\b",
    r"går jämnt upp mot sin pott",
    r"\(eller de steg som anges\)",
    r"\binget resultat redovisat\b",
    r"\bkällan (?:saknar|anger inte)\b",
    r"\bi detta brev framgår\b",
]
TOOL_VOICE = re.compile("|".join(TOOL_PHRASES), re.IGNORECASE)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u00ad", "").replace("-\n", ""))


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.pdf") if "andringar" not in p.parts)


@pytest.mark.slow
def test_no_sentence_in_the_tools_voice_in_any_document(built_output):
    """Every letter kind (county, municipality, county council, SKL 2010) and every agreement kind (county
    agreements 2010, the agreement 2011 in its decision), the decisions, the plan, the utlåtande and the circular:
    in the PDF and the DOCX, no sentence matches a phrasing of ``TOOL_PHRASES``."""
    files = _documents(built_output)
    kinds = {p.parent.name for p in files}
    assert {"kommunbrev", "landstingsbrev", "lansbrev", "lansoverenskommelser", "utlatanden"} <= kinds, kinds
    found = []
    for pdf in files:
        for label, text in (("pdf", pdf_text(pdf)[0]), ("docx", docx_text(pdf.with_suffix(".docx")))):
            for match in TOOL_VOICE.finditer(_flat(text)):
                found.append(f"{pdf.relative_to(built_output)} ({label}): {match.group(0)!r}")
    assert not found, "\n".join(found[:20]) + f"\n… {len(found)} in all"


def test_the_phrase_list_catches_what_it_names():
    for sentence in (
        "Genomförandeplanen anger att medlen betalas ut i förhållande till måluppfyllelse men inte hur de fördelas",
        "här fördelas de efter folkmängd",
        "Beloppen avrundas till hela kronor (eller de steg som anges) med största-rest-metoden",
        "500 000 kronor är inte fördelade (hur de ska användas anges inte)",
        "Inget resultat redovisat för mätperioden",
        "I detta brev framgår vad Stockholm får",
    ):
        assert TOOL_VOICE.search(sentence), sentence
    for sentence in (
        "Beloppen är avrundade till hela kronor så att summan blir exakt potten.",
        "Av detta brev framgår vad Stockholm får",
        "325 000 000 kronor fördelas mellan de län som har kvalificerat sig i förhållande till folkmängd.",
    ):
        assert not TOOL_VOICE.search(sentence), sentence


# --------------------------------------------------------------------------- the recipients' payment instructions

_MONTH = r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"


def _instruction(condition: str) -> str:
    """Return the payment sentence of an item's condition: who pays and when."""
    found = re.search(r"Kammarkollegiet betalar ut [^.]*\.", _flat(condition))
    assert found, condition
    return found.group(0)


def _recipient_letters(built_output: Path) -> list[Path]:
    folder = built_output / "2012"
    return sorted([*(folder / "kommunbrev").glob("*.pdf"), *(folder / "landstingsbrev").glob("*.pdf")])


@pytest.mark.slow
def test_each_payment_instruction_once_per_item_and_as_in_the_county_letter(built_output, validated_agreement):
    """Every municipality and county-council letter: each item it receives has its condition (who pays, when)
    once, in the words of its county letter; the payment section is the county letter's step for that route, once;
    the letter ends with its signature and asks for no form where nothing is requisitioned; no bullet about a
    deadline before the letter's date; no "betalas ut till kommunens konto när uppgifterna nedan har lämnats"."""
    from generator.documents.county_letters import recipient_letters

    validated = validated_agreement("2012")
    cl = validated.agreement.county_letters
    letters = {rl.code: rl for rl in recipient_letters(validated.allocation)}
    files = _recipient_letters(built_output)
    assert len(files) == 290 + 20 - 1 + 1  # 289 municipalities + Region Gotland once, 20 councils
    county_texts: dict[str, str] = {}
    kammarkollegiet = next(s.text for s in cl.steps if s.route == "kammarkollegiet")
    for pdf in files:
        code = pdf.name.split("_")[1]
        rl = letters[code]
        county = rl.county.code
        if county not in county_texts:
            (county_pdf,) = (built_output / "2012" / "lansbrev").glob(f"lansbrev_{county}_*.pdf")
            county_texts[county] = _flat(pdf_text(county_pdf)[0])
        for label, text in (("pdf", _flat(pdf_text(pdf)[0])), ("docx", _flat(docx_text(pdf.with_suffix(".docx"))))):
            where = f"{pdf.name} ({label})"
            assert "när uppgifterna nedan har lämnats" not in text, where
            assert text.count(_flat(kammarkollegiet)) == (1 if rl.received else 0), where
            assert _flat(kammarkollegiet) in county_texts[county], where
            received = {r.item.id for r in rl.received}
            for item_id in received:
                instruction = _instruction(cl.item_conditions[item_id])
                assert instruction in county_texts[county], (where, item_id)
                # once per item that carries it (items share the sentence "Kammarkollegiet betalar ut …")
                carrying = [i for i in received if _instruction(cl.item_conditions[i]) == instruction]
                assert text.count(instruction) == len(carrying), (where, item_id)
            signature = text.rindex(cl.signatory.name)
            assert "Organisationsnummer" not in text[:signature], where
            if not rl.requisitioned:
                assert "Organisationsnummer" not in text, where
                assert ("behöver inte skicka in något" in text) == bool(rl.received), where
            assert rl.body in text, where
            assert not re.search(r"• [^•]*senast den \d{1,2} " + _MONTH + r" 2012", text), where
            for r in rl.received:  # every item received is in "Villkor och återrapportering"
                villkor = text[text.index("Villkor och återrapportering") :]
                assert r.item.label in villkor, (where, r.item.label)
