"""Write the example data files in examples/ (deterministic; run again to regenerate them).

The figures are invented: derived from a hash of each code, so that the whole
chain (keys, qualifiers, allocation, letters, payout tables) can run without
official data. They are NOT statistics. Every file says so in its title.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.reference import councils, counties, municipalities  # noqa: E402

EXAMPLES = ROOT / "examples"
WARNING = "EXEMPELDATA – påhittade siffror, inte officiell statistik"


def draw(*parts: str) -> int:
    """Return a stable pseudo-random number 0…999 999 for ``parts``."""
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return int(digest[:8], 16) % 1_000_000


def population(year: int) -> str:
    lines = [f'"{WARNING}. Folkmängden efter region, ålder och år"', "", f'"region","ålder","{year}"']
    for code, m in municipalities().items():
        total = 3_000 + draw("pop", code) % 90_000
        p65 = total * (140 + draw("65", code) % 120) // 1000      # 14–26 percent
        p80 = p65 * (22 + draw("80", code) % 14) // 100            # 22–36 percent of 65+
        p75 = p80 + (p65 - p80) * (30 + draw("75", code) % 15) // 100
        region = f"{code} {m.short}"
        for age, value in (("0-64 år", total - p65), ("65-74 år", p65 - p75), ("75-79 år", p75 - p80), ("80+ år", p80)):
            lines.append(f'"{region}","{age}",{value}')
    return "\n".join(lines) + "\n"


def outcomes(year: int) -> str:
    lines = [f"# {WARNING}.",
             f"# Utfall {year} för prestationsersättningarna i agreements/{year}.yaml, hittade på för att visa hela kedjan.",
             "# Semikolonseparerad, decimalkomma. Kolumner: pott (id i överenskommelsen), kod (kommun 4 siffror, landsting 00 + länskod, län 2 siffror),",
             "# kvalificerad (ja/nej), antal (registreringar eller platser, där potten fördelas efter dem),",
             "# tackningsgrad (procent, upplysning).",
             "pott;kod;kvalificerad;antal;tackningsgrad"]
    kommuner, landsting, lan = list(municipalities()), list(councils()), list(counties())

    def row(pot, code, ok, count="", coverage=""):
        lines.append(f"{pot};{code};{'ja' if ok else 'nej'};{count};{coverage}")

    for code in kommuner + landsting:
        coverage = 40 + draw("pal", code) % 55
        row("palliativ_tackning", code, coverage >= 70, "", f"{coverage},{draw('palx', code) % 10}")
    for code in kommuner + landsting:
        if 40 + draw("pal", code) % 55 >= 70 and draw("bryt", code) % 3:
            row("palliativ_brytpunkt", code, True)
    for code in kommuner:
        if draw("sa", code) % 5:
            row("senior_registrering", code, True, 50 + draw("sa#", code) % 2_000)
    for code in landsting:
        if draw("sa", code) % 7:
            row("senior_registrering", code, True, 500 + draw("sa#", code) % 9_000)
    for code in kommuner:
        if draw("sabo", code) % 2:
            row("senior_sabo", code, True, 20 + draw("sabo#", code) % 900)
    for code in landsting:
        if draw("svedem", code) % 9:
            row("demens_svedem", code, True, 100 + draw("svedem#", code) % 3_000)
    for code in kommuner:
        if draw("bpsd", code) % 5 < 2:
            row("demens_bpsd", code, True, 5 + draw("bpsd#", code) % 400)
    for index, code in enumerate(lan):
        row("lakemedel_pot", code, index % 3 == 0)        # 7 of 21: at least five, the whole pot
    for index, code in enumerate(lan):
        row("sammanhallen_pot", code, index % 5 == 1)     # 4 of 21: fewer than five, the reduced pot
    return "\n".join(lines) + "\n"


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    (EXAMPLES / "befolkning_2011_EXEMPEL.csv").write_text(population(2011), encoding="utf-8")
    (EXAMPLES / "utfall_2012_EXEMPEL.csv").write_text(outcomes(2012), encoding="utf-8")


if __name__ == "__main__":
    main()
