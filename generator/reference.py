"""Reference data the agreements refer to: distribution keys (and, later, counties and municipalities)."""
from __future__ import annotations

#: Distribution keys a pot may name, with what they measure. Population keys
#: come from SCB; outcome keys (registrations, places) from the registers.
DISTRIBUTION_KEYS: dict[str, str] = {
    "befolkning": "folkmängd (SCB)",
    "befolkning_65": "folkbokförda personer 65 år och äldre (SCB)",
    "befolkning_75": "folkbokförda personer 75 år och äldre (SCB)",
    "befolkning_80": "folkbokförda personer 80 år och äldre (SCB)",
    "antal_kommuner": "antal kommuner i länet",
    "registreringar": "antal registreringar i kvalitetsregistret (utfall)",
    "platser_sabo": "antal platser i särskilt boende för äldre (utfall)",
    "dodsfall": "antal dödsfall (utfall)",
}
