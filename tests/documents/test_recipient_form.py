"""A recipient letter with money that is requisitioned: the letter ends with its signature, and the payout form
follows as an appendix on a page of its own, each label with its line (the shipped 2012 letters have none: all
their money is paid by Kammarkollegiet directly)."""

from __future__ import annotations

import dataclasses

from generator.build.plan import plan
from generator.build.render import render_job
from generator.documents.model import Keep, ListBlock, PageBreak, Paragraph, Table


def _flat(blocks: list) -> list:
    out = []
    for block in blocks:
        out.extend(_flat(block.blocks) if isinstance(block, Keep) else [block])
    return out


def test_a_requisitioned_item_brings_the_form_as_an_appendix_after_the_signature(validated_agreement):
    validated = validated_agreement("2012")
    jobs = [
        job for job in plan(validated.agreement, validated.allocation) if job.name.endswith("kommunbrev_0180_stockholm")
    ]
    (job,) = jobs
    letter = job.extra["letter"]
    received = [
        dataclasses.replace(
            letter.received[0], item=dataclasses.replace(letter.received[0].item, route="skl_rekvisition")
        )
    ]
    letter = dataclasses.replace(letter, received=received + letter.received[1:])
    assert letter.requisitioned
    document = render_job(validated.agreement, dataclasses.replace(job, extra={**job.extra, "letter": letter}))
    blocks = _flat(document.blocks)
    texts = [b.text if isinstance(b, Paragraph) else "" for b in blocks]
    signature = max(i for i, b in enumerate(blocks) if "Göran Stiernstedt" in str(b))
    page_break = next(i for i, b in enumerate(blocks) if isinstance(b, PageBreak))
    assert signature < page_break, "the letter ends with its signature before the appendix"
    after = blocks[page_break:]
    assert any(isinstance(b, Paragraph) and b.text == "Bilaga" for b in after)
    form = [b for b in after if isinstance(b, Table)]
    rows = [[c.text for c in row.cells] for table in form for row in table.rows]
    for label in ("Organisationsnummer", "Bankgiro, plusgiro eller bankkonto", "Ort och datum", "Namnförtydligande"):
        (row,) = [r for r in rows if r[0] == label]
        assert row[1].strip("_") == "" and len(row[1]) >= 20, row  # the label and its line in one row
    letter_text = " ".join(texts[:page_break]).replace("\u00a0", " ")
    assert "Organisationsnummer" not in letter_text
    # where money is requisitioned, the letter says by when and to where the form goes (the county letter's steps)
    assert "Senast den 31 januari 2013" in letter_text and "118 82 Stockholm" in letter_text
    assert not any(isinstance(b, ListBlock) for b in after)
