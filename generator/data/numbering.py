"""Numbers and letters computed from order: sections 2.5, payouts a–f, appendices 1.a.

Nothing here is ever typed in the data, so two sections can never both be
"3.3" and two items can never both be "d".
"""

from __future__ import annotations

from generator.data.model import Appendix, Section, TableBlock
from generator.formatting import bokstav


def section_numbers(sections: list[Section], prefix: str = "") -> dict[str, str]:
    """Return section id → number ("1", "2.1", "2.1.3") by position."""
    numbers: dict[str, str] = {}
    index = 0
    for section in sections:
        if section.numbered:
            index += 1
            number = f"{prefix}{index}"
        else:  # an unnumbered heading inside its parent: shares the parent's number
            number = prefix.rstrip(".")
        numbers[section.id] = number
        numbers.update(section_numbers(section.sections, number + "."))
    return numbers


def payout_letters(section: Section) -> dict[str, str]:
    """Return payout id → letter ("a", "b" …) within one section."""
    return {payout.id: bokstav(index) for index, payout in enumerate(section.payouts)}


def appendix_numbers(appendices: list[Appendix]) -> dict[str, str]:
    """Return appendix id → number: top level "1", "2" …; their children "1.a", "1.b"."""
    numbers: dict[str, str] = {}
    for index, appendix in enumerate(appendices, start=1):
        numbers[appendix.id] = str(index)
        for child_index, child in enumerate(appendix.appendices):
            numbers[child.id] = f"{index}.{bokstav(child_index)}"
            if child.appendices:
                raise ValueError("bilagor kan ha högst en nivå av underbilagor (Bil 1.a)")
    return numbers


#: A budget table's unit in words, for a caption whose columns do not name it.
UNIT_WORDS = {"kr": "kronor", "tkr": "tusental kronor", "mkr": "miljoner kronor"}


def table_numbers(appendix: Appendix, number: str) -> dict[int, str]:
    """Return block index → number of each table of ``appendix`` (numbered ``number``): "5", or "2.1" and "2.2"
    when the appendix has several tables."""
    tables = [i for i, block in enumerate(appendix.blocks) if isinstance(block, TableBlock)]
    return {index: number if len(tables) == 1 else f"{number}.{position}" for position, index in enumerate(tables, 1)}


def table_captions(appendix: Appendix, number: str, year: int) -> dict[int, str]:
    """Return block index → caption of each table of ``appendix`` (numbered ``number``): "Tabell 5. Budget 2012,
    kronor".

    A table is numbered after its appendix ("Tabell 5", or "Tabell 2.1" and "Tabell 2.2" when the appendix has
    several); its text is the table's own title, else "Budget" and the agreement's year (every appendix table is a
    budget); the unit follows when no column heading names it. Nothing of it is typed in the data.
    """
    numbers = table_numbers(appendix, number)
    captions: dict[int, str] = {}
    for index, label in numbers.items():
        table = appendix.blocks[index].table  # type: ignore[union-attr]
        text = (table.title or f"Budget {year}").rstrip(" .:")
        if not any("kronor" in column.lower() for column in table.columns):
            text += f", {UNIT_WORDS[table.unit]}"
        captions[index] = f"Tabell {label}. {text}"
    return captions
