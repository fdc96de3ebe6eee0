"""Write the example data files in examples/ (deterministic; run again to regenerate them).

The population file is built from ``examples/folkmangd_kommun_ungefar.csv``
(approximate inhabitants per municipality around 2023/2024, rounded to tens,
its source named in its first lines) with the age groups ESTIMATED by a
smooth rule; the outcomes are invented, derived from a hash of each code. So
the whole chain (keys, qualifiers, allocation, letters, payout tables) runs
with amounts of a realistic size, but NOT on statistics of 2011: every file
says so in its title.
"""

from __future__ import annotations

import hashlib
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.data.reference import councils, counties, municipalities  # noqa: E402

EXAMPLES = ROOT / "examples"
WARNING = "EXEMPELDATA – påhittade siffror, inte officiell statistik"


def draw(*parts: str) -> int:
    """Return a stable pseudo-random number 0…999 999 for ``parts``."""
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return int(digest[:8], 16) % 1_000_000


BASE = EXAMPLES / "folkmangd_kommun_ungefar.csv"


def base_population() -> dict[str, int]:
    """Return the approximate population of each municipality (code → inhabitants) from ``BASE``."""
    lines = [line for line in BASE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    by_name = dict((name, int(value)) for name, value in (line.split(";") for line in lines[1:]))
    return {code: by_name[m.short] for code, m in municipalities().items()}


def age_shares(total: int, code: str) -> tuple[int, int, int]:
    """Return ESTIMATED inhabitants 65+, 75+ and 80+ of a municipality of ``total`` inhabitants.

    Not statistics: a smooth rule (smaller municipalities are older, as in Sweden: about
    15 percent 65+ in the largest cities, about 30 percent in the smallest), with a small
    stable variation per code. 75+ is about half of 65+, 80+ about 27 percent of 65+.
    """
    share65 = min(0.32, max(0.14, 0.30 - 0.025 * math.log(total / 5_000))) + (draw("65", code) % 21 - 10) / 1000
    p65 = round(total * share65)
    p80 = p65 * (24 + draw("80", code) % 7) // 100
    p75 = p65 * (47 + draw("75", code) % 7) // 100
    return p65, p75, p80


def population(year: int) -> str:
    title = (
        "EXEMPELDATA – inte officiell statistik. "
        "Folkmängd per kommun ungefär som omkring 2023/2024 (avrundad till tiotal; underlag och källa i "
        f"{BASE.name}, jfr SCB: Folkmängd i riket, län och kommuner 31 december 2024), redovisad som år {year}; "
        "åldersgrupperna 65-74, 75-79 och 80+ år är UPPSKATTADE"
    )
    lines = [f'"{title}"', "", f'"region","ålder","{year}"']
    for code, total in base_population().items():
        p65, p75, p80 = age_shares(total, code)
        region = f"{code} {municipalities()[code].short}"
        for age, value in (("0-64 år", total - p65), ("65-74 år", p65 - p75), ("75-79 år", p75 - p80), ("80+ år", p80)):
            lines.append(f'"{region}","{age}",{value}')
    return "\n".join(lines) + "\n"


def outcomes(year: int) -> str:
    lines = [
        f"# {WARNING}.",
        f"# Utfall {year} för prestationsersättningarna i agreements/{year}.yaml, hittade på för att visa hela kedjan.",
        (
            "# Semikolonseparerad, decimalkomma. Kolumner: pott (id i överenskommelsen), "
            "kod (kommun 4 siffror, landsting 00 + länskod, län 2 siffror),"
        ),
        "# kvalificerad (ja/nej), antal (registreringar eller platser, där potten fördelas efter dem),",
        "# tackningsgrad (procent, upplysning).",
        "pott;kod;kvalificerad;antal;tackningsgrad",
    ]
    kommuner, landsting, lan = list(municipalities()), list(councils()), list(counties())
    # Counts in proportion to the population they serve, as the key data are: a municipality's inhabitants 65+
    # (80+ for BPSD), a county council's those of its county, each times a rate per person that varies by code
    # (so Stockholm's county council registers more in SveDem than Region Gotland).
    ages = {code: age_shares(total, code) for code, total in base_population().items()}
    p65 = {code: ages[code][0] for code in kommuner}
    p80 = {code: ages[code][2] for code in kommuner}
    for council in councils().values():
        members = [c for c in kommuner if municipalities()[c].county == council.county]
        p65[council.code] = sum(p65[c] for c in members)

    def scaled(base: int, per_mille: float, spread: float, salt: str, code: str) -> int:
        """Return ``base`` × a rate of ``per_mille`` ‰ varied by up to ± ``spread`` of itself (stable per code)."""
        variation = 1 + spread * ((draw(salt, code) % 2001) - 1000) / 1000
        return max(1, round(base * per_mille / 1000 * variation))

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
            row("senior_registrering", code, True, scaled(p65[code], 40, 0.6, "sa#", code))
    for code in landsting:
        if draw("sa", code) % 7:
            row("senior_registrering", code, True, scaled(p65[code], 15, 0.6, "sa#", code))
    for code in kommuner:
        if draw("sabo", code) % 2:
            row("senior_sabo", code, True, scaled(p65[code], 40, 0.3, "sabo#", code))
    for code in landsting:
        if draw("svedem", code) % 9:
            row("demens_svedem", code, True, scaled(p65[code], 5, 0.5, "svedem#", code))
    for code in kommuner:
        if draw("bpsd", code) % 5 < 2:
            row("demens_bpsd", code, True, scaled(p80[code], 15, 0.6, "bpsd#", code))
    for index, code in enumerate(lan):
        row("lakemedel_pot", code, index % 3 == 0)  # 7 of 21: at least five, the whole pot
    for index, code in enumerate(lan):
        row("sammanhallen_pot", code, index % 5 == 1)  # 4 of 21: fewer than five, the reduced pot
    return "\n".join(lines) + "\n"


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    (EXAMPLES / "befolkning_2011_EXEMPEL.csv").write_text(population(2011), encoding="utf-8")
    (EXAMPLES / "utfall_2012_EXEMPEL.csv").write_text(outcomes(2012), encoding="utf-8")


if __name__ == "__main__":
    main()
