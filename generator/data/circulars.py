"""SKL circulars (cirkulär): one YAML file with a top-level ``cirkular:`` key, presenting agreements of a year.

A circular holds its own metadata (number, date, sender block, recipients,
contacts, signatories) and one part per agreement. Each part's prose may use
the figures of the agreement it presents (``{{ total | miljoner }}``,
``{{ ebp_lan | miljoner }}``), so the circular never retypes an amount.
Validation: the schema, every part names an agreement of the circular's year
(no agreement twice), and every figure reference resolves.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, UndefinedError
from pydantic import ValidationError

from generator.data.file_kinds import CIRCULAR_KEY, is_circular  # noqa: F401 (is_circular: where callers look for it)
from generator.data.loading import SourceMap, dotted, load_yaml
from generator.data.model import Agreement, Circular
from generator.data.prose_figures import figure_context, render_prose, syntax_message
from generator.errors import DataError, Report

KEY = CIRCULAR_KEY


@dataclass
class ValidatedCircular:
    circular: Circular
    source: SourceMap
    agreements: dict[str, Agreement] = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    agreement_files: list[Path] = field(default_factory=list)

    @property
    def file(self) -> Path:
        return self.source.file

    def parts(self) -> list[tuple[Any, Agreement]]:
        return [(part, self.agreements[part.agreement]) for part in self.circular.parts]


#: The prose of a circular (text that may refer to figures): its own and each part's.
CIRCULAR_PROSE = ("intro", "intro_after")
PART_PROSE = ("purpose", "funding", "news", "timeline")


def prose_fields(circular: Circular):
    """Yield (path, text, part index or None) of every prose field."""
    yield (KEY, "intro"), circular.intro, None
    if circular.intro_after:
        yield (KEY, "intro_after"), circular.intro_after, None
    for i, part in enumerate(circular.parts):
        base = (KEY, "parts", i)
        for name in PART_PROSE:
            if getattr(part, name):
                yield base + (name,), getattr(part, name), i
        for name in ("support", "members", "requirements"):
            for j, section in enumerate(getattr(part, name)):
                yield base + (name, j, "text"), section.text, i


def circular_context(circular: Circular) -> dict[str, Any]:
    """Return the names the circular's own text may use."""
    return {"antal": len(circular.parts), "year": circular.year}


def load_circular(file: Path, agreements: list[tuple[Agreement, Path]], strict: bool = False) -> ValidatedCircular:
    """Return the validated circular in ``file``, checked against the ``agreements`` (with their files) it may
    present."""
    data, source = load_yaml(Path(file))
    report = Report()
    if not isinstance(data, dict) or set(data) != {KEY}:
        report.error(source.locate(()), f"en cirkulärfil har en enda nyckel, {KEY}:, med cirkuläret under den")
        raise DataError(f"{source.file}: inte ett cirkulär", report.findings)
    try:
        circular = Circular.model_validate(data[KEY])
    except ValidationError as exc:
        from generator.data.schema_errors import data_path, empty_findings, schema_message, unknown_key_hint

        for error in exc.errors(include_url=False):
            path = (KEY,) + data_path(data[KEY], error["loc"])
            message, hint = schema_message(error)
            if error["type"] == "extra_forbidden":
                hint = unknown_key_hint(data, path, "cirkular")
            report.error(source.locate(path), message, dotted(path), hint)
        empty_findings(data, "cirkular", source, report)
        raise DataError(f"{source.file}: {len(report.findings)} fel", report.findings) from None
    from generator.data.schema_errors import empty_findings

    empty_findings(data, "cirkular", source, report)

    if not circular.year - 2 <= circular.date.year <= circular.year + 1:  # a typo of the year, 9999-12-31 …
        report.error(
            source.locate((KEY, "date")),
            f"cirkulärets datum {circular.date.isoformat()} ligger långt från året {circular.year} som det presenterar",
            dotted((KEY, "date")),
            "kontrollera båda åren",
        )
    files = {a.id: f for a, f in agreements if a.year == circular.year}
    by_id = {a.id: a for a, _ in agreements if a.year == circular.year}
    seen: set[str] = set()
    for i, part in enumerate(circular.parts):
        path = (KEY, "parts", i, "agreement")
        if part.agreement not in by_id:
            close = difflib.get_close_matches(part.agreement, list(by_id), n=1)
            report.error(
                source.locate(path),
                f"ingen överenskommelse {part.agreement!r} för {circular.year}",
                dotted(path),
                f"menade du {close[0]!r}?"
                if close
                else f"överenskommelserna {circular.year}: {', '.join(sorted(by_id)) or 'inga hittades'}",
            )
        elif part.agreement in seen:
            report.error(source.locate(path), f"överenskommelsen {part.agreement!r} presenteras två gånger")
        seen.add(part.agreement)
    if not report.errors:
        own = circular_context(circular)
        for path, text, index in prose_fields(circular):
            context = figure_context(by_id[circular.parts[index].agreement]) if index is not None else own
            try:
                render_prose(text, context)
            except UndefinedError as exc:
                from generator.data.schema_errors import undefined_name

                missing = undefined_name(exc)
                close = difflib.get_close_matches(missing, [k for k in context if isinstance(k, str)], n=1)
                report.error(
                    source.locate_in_text(path, text, missing),
                    f"texten hänvisar till {missing!r}, som inte är ett belopp eller datum i "
                    + (f"överenskommelsen {circular.parts[index].agreement!r}" if index is not None else "cirkuläret"),
                    dotted(path),
                    f"menade du {close[0]!r}?" if close else "",
                )
            except TemplateError as exc:
                report.error(
                    source.locate_error(path, exc),
                    f"texten har en felaktig hänvisning: {syntax_message(exc)}",
                    dotted(path),
                    "en hänvisning skrivs {{ id | miljoner }}",
                )
            except (TypeError, ValueError) as exc:
                report.error(source.locate(path), f"ett värde i texten kan inte skrivas ut: {exc}", dotted(path))
    if not report.errors:
        from generator.data.checks.style import check_style_of

        check_style_of(circular, (KEY,), circular.accepted_wordings, source, report)
    failing = report.findings if strict else report.errors
    if failing:
        raise DataError(f"{source.file}: {len(failing)} fel", report.findings)
    used = [p.agreement for p in circular.parts]
    return ValidatedCircular(circular, source, {k: by_id[k] for k in used}, report.warnings, [files[k] for k in used])
